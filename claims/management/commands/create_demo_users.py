"""Local demo accounts: two editors (so the four-eyes rule can be walked
through) and a reviewer, with fresh random passwords printed once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claimdesk.roles import EDITOR, REVIEWER

DEMO_USERS = (
    ("editor", EDITOR),
    ("editor2", EDITOR),
    ("reviewer", REVIEWER),
)


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo accounts editor, editor2 and reviewer "
        "and print their new passwords. Only in demo mode (CLAIMDESK_DEMO=1)."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "create_demo_users only runs in local demo mode, because it prints "
                "passwords. Run it through `make demo` (or set CLAIMDESK_DEMO=1 on "
                "your own machine); for real accounts use `manage.py "
                "createsuperuser` and the admin."
            )
        User = get_user_model()
        credentials = []
        with transaction.atomic():
            for username, group_name in DEMO_USERS:
                user, _created = User.objects.get_or_create(username=username)
                user.is_staff = True
                user.is_active = True
                # A re-run resets the password, so the credentials printed
                # last are always the ones that work.
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                user.groups.set([Group.objects.get(name=group_name)])
                credentials.append((username, group_name, password))
        self.stdout.write("Demo accounts (passwords are shown only this once):")
        for username, group_name, password in credentials:
            self.stdout.write(f"  {username:<9} {group_name:<9} {password}")
