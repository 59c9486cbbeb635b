from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and verdicts"

    def ready(self) -> None:
        # Every database trigger, declared in one file (claims/dbrules.py).
        from audit import timeline
        from claims import dbrules
        from claims.models import ClaimType, Stance, Status

        dbrules.register()
        timeline.register_labels("status", Status.choices)
        timeline.register_labels("stance", Stance.choices)
        timeline.register_labels("claim_type", ClaimType.choices)
