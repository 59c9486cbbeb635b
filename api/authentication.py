"""``Authorization: Token <key>``, checked against the stored digests."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from api.models import KEY_BYTES, ApiToken
from api.throttles import InvalidTokenThrottle

# A key longer than any issued is refused before it is hashed.
LONGEST_KEY = 2 * KEY_BYTES


class HashedTokenAuthentication(TokenAuthentication):
    """Django REST framework's token scheme (the same header and errors),
    with the key looked up by its digest (``api.models``)."""

    model = ApiToken

    def authenticate(self, request):
        scheme = get_authorization_header(request).split()[:1]
        if not scheme or scheme[0].lower() != self.keyword.lower().encode():
            return None
        throttle = InvalidTokenThrottle()
        if throttle.exhausted(request):
            raise exceptions.Throttled(
                throttle.wait(),
                detail="Too many wrong tokens from this address: check the key "
                "(API tokens in the desk; a lost key is replaced, not recovered).",
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.count()
            raise

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key) if len(key) <= LONGEST_KEY else None
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
