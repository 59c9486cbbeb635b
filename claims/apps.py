from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and verdicts"

    def ready(self) -> None:
        # Every database trigger, declared in one file (claims/dbrules.py).
        from django.db.models.signals import post_migrate

        from audit import timeline
        from claimdesk import dbroles
        from claims import dbrules
        from claims.models import ClaimType, Stance, Status
        from claims.workflow.edits import (
            amount_as_read,
            episode_or_show_edited,
            person_edited,
        )
        from episodes import workflow as episodes_workflow
        from people import workflow as people_workflow

        dbrules.register()
        # After every migrate, the owner grants the app role its rows.
        post_migrate.connect(dbroles.on_post_migrate, sender=self)
        timeline.register_labels("status", Status.choices)
        timeline.register_labels("stance", Stance.choices)
        timeline.register_labels("claim_type", ClaimType.choices)
        timeline.register_text("quantities", amount_as_read)
        # A person's new name shows on the claims they spoke or made, and a
        # new name or profile link on the published ones' dateModified.
        if person_edited not in people_workflow.EDIT_LISTENERS:
            people_workflow.EDIT_LISTENERS.append(person_edited)
        # An edited episode or show gives its published claims a new dateModified.
        if episode_or_show_edited not in episodes_workflow.EDIT_LISTENERS:
            episodes_workflow.EDIT_LISTENERS.append(episode_or_show_edited)
