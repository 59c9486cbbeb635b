"""Create the Reviewer and Editor groups with their admin permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The admin permissions of each role. The workflow enforces the roles
# themselves (claims/roles.py); these only let the admin show its screens.
REVIEWER_PERMS = [
    ("claims", "view_claim"),
    ("claims", "change_claim"),
    ("claims", "view_quantity"),
    ("claims", "add_quantity"),
    ("claims", "change_quantity"),
    ("claims", "delete_quantity"),
    ("claims", "view_evidence"),
    ("claims", "add_evidence"),
    ("claims", "view_reviewnote"),
    ("claims", "add_reviewnote"),
    ("claims", "view_statuschange"),
    ("episodes", "view_episode"),
    ("episodes", "view_show"),
    ("episodes", "view_person"),
    ("episodes", "view_personalias"),
    ("episodes", "view_appearance"),
]
EDITOR_PERMS = REVIEWER_PERMS + [
    ("claims", "add_claim"),
    ("claims", "delete_evidence"),
    ("episodes", "add_episode"),
    ("episodes", "change_episode"),
    ("episodes", "add_show"),
    ("episodes", "change_show"),
    ("episodes", "add_person"),
    ("episodes", "change_person"),
    ("episodes", "add_personalias"),
    ("episodes", "change_personalias"),
    ("episodes", "delete_personalias"),
    ("episodes", "add_appearance"),
    ("episodes", "change_appearance"),
    ("episodes", "delete_appearance"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_label in ("claims", "episodes"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("Reviewer", REVIEWER_PERMS), ("Editor", EDITOR_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Reviewer", "Editor"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_database_rules"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
