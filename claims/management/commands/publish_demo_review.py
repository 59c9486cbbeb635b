"""``manage.py publish_demo_review``: the demo's one published sample review
(``make demo``), through the workflow, by the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.demo import DemoError, publish_sample_review


class Command(BaseCommand):
    help = (
        "Publish one sample review of the seed episode through the workflow, "
        "by the demo accounts, labelled as a demo review. Only in demo mode "
        "(CLAIMDESK_DEMO=1); running it again changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "publish_demo_review only runs in local demo mode: it publishes "
                "a verdict nobody researched. Run it through `make demo`."
            )
        try:
            claim, published = publish_sample_review()
        except DemoError as error:
            raise CommandError(str(error)) from None
        what = "published" if published else "already published"
        self.stdout.write(
            f"Demo review {what}: claim {claim.pk}, “{claim.headline}” "
            f"({claim.get_status_display()}) at {claim.get_absolute_url()}"
        )
