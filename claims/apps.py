from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and verdicts"

    def ready(self) -> None:
        # Every database trigger, declared in one file (claims/dbrules.py).
        from claims import dbrules

        dbrules.register()
