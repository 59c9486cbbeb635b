"""``Authorization: Token <key>``, checked against the stored digests."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from api.models import KEY_BYTES, ApiToken
from api.throttles import InvalidTokenThrottle

# Schemes of a proxy in front of the site (a password on a staging site, an
# intranet's sign-on), which browsers send with every request: left alone,
# the API reads the session or serves the anonymous reader.
PROXY_SCHEMES = frozenset({b"basic", b"digest", b"negotiate", b"ntlm"})
# A key longer than any issued is refused before it is hashed.
LONGEST_KEY = 2 * KEY_BYTES


class HashedTokenAuthentication(TokenAuthentication):
    """Django REST framework's token scheme (the same header and errors),
    with the key looked up by its digest (``api.models``)."""

    model = ApiToken

    def authenticate(self, request):
        scheme = get_authorization_header(request).split()[:1]
        if not scheme or scheme[0].lower() in PROXY_SCHEMES:
            return None
        if scheme[0].lower() != self.keyword.lower().encode():
            # Another scheme ("Bearer <key>") was read as no header at all:
            # the client was answered as anonymous (a 404 for a claim it may
            # see) and never told why. A signed-in browser behind a single
            # sign-on proxy that passes its own Bearer on reads by its session.
            if request._request.user.is_authenticated:
                return None
            shown = scheme[0][:20].decode("latin-1")
            raise exceptions.AuthenticationFailed(
                f"The Authorization header's scheme is “{shown}”; this API "
                f"takes “{self.keyword} <key>” (a key from the desk's API tokens)."
            )
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
