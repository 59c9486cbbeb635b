"""``Authorization: Token <key>``, checked against the stored digests."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api.models import KEY_BYTES, ApiToken

# A key longer than any issued is refused before it is hashed.
LONGEST_KEY = 2 * KEY_BYTES


class HashedTokenAuthentication(TokenAuthentication):
    """Django REST framework's token scheme (the same header and errors),
    with the key looked up by its digest (``api.models``)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key) if len(key) <= LONGEST_KEY else None
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
