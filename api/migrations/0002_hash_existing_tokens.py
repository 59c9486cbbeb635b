"""The tokens made before keys were hashed keep working: each Django REST
framework token becomes an ApiToken holding the digest of its key, and its
plain-text key is deleted. Backwards, the keys cannot be recovered: the
tokens are removed and their users make new ones."""

import hashlib

from django.db import migrations


def hash_keys(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("api", "ApiToken")
    for token in Token.objects.all():
        hashed = ApiToken.objects.create(
            user_id=token.user_id,
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            prefix=token.key[:6],
        )
        # auto_now_add set it to now.
        ApiToken.objects.filter(pk=hashed.pk).update(created=token.created)
    Token.objects.all().delete()


def drop_tokens(apps, schema_editor):
    apps.get_model("api", "ApiToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_token"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_keys, drop_tokens)]
