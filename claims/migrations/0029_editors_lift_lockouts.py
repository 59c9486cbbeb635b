"""Editors may see and delete django-axes' access attempts in the desk, as
README (Security) says they lift a sign-in lock-out: Axes → Access attempts
→ delete the row. Without these permissions only a superuser could."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = ("view_accessattempt", "delete_accessattempt")


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make axes' now.
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=PERMS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editor in Group.objects.filter(name="Editor"):
        editor.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="axes", codename__in=PERMS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0028_search_covers_summary"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
