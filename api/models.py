"""API tokens, stored as digests.

A token's key is shown once, when it is made; the database keeps only its
SHA-256 digest (and the key's first characters, to tell tokens apart), so,
for a token made since, a copy of the database, a backup or a look at the
admin gives nobody a key that works. (Tokens made before keys were hashed
were moved here by migration 0002; their keys remain in older backups,
which is why docs/deploy.md says to replace them.)

A key is 40 random hexadecimal characters (160 bits, as Django REST
framework's own tokens), so a fast hash is enough: nobody can guess a key
from its digest, and no salt is needed when no two keys are alike.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

KEY_BYTES = 20
PREFIX_LENGTH = 6


def key_digest(key: str) -> str:
    """The digest stored for ``key`` (the SHA-256 of it, in hexadecimal)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user) -> tuple[ApiToken, str]:
        """A new token for ``user`` and its key, which is not stored: give it
        to the user now, it cannot be read back."""
        token = self.model(user=user)
        key = token.new_key()
        token.save(using=self.db)
        return token, key

    def for_key(self, key: str) -> ApiToken | None:
        """The token whose key is ``key``, with its user; None if none is."""
        return self.select_related("user").filter(digest=key_digest(key)).first()


class ApiToken(models.Model):
    """A script's key to the API: it acts as its user, with that user's
    role. One per user; revoked by deleting it (api/admin.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        "key starts with",
        max_length=PREFIX_LENGTH,
        editable=False,
        help_text="The key's first characters, to tell tokens apart.",
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"),
                name="api_token_digest_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def new_key(self) -> str:
        """Give the token a new random key (its digest and first characters)
        and return the key, which is not kept."""
        key = secrets.token_hex(KEY_BYTES)
        self.digest, self.prefix = key_digest(key), key[:PREFIX_LENGTH]
        return key
