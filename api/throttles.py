"""Throttling: anonymous clients per address (``CLAIMDESK_API_ANON_RATE``),
signed-in clients per user (``CLAIMDESK_API_USER_RATE``), and wrong tokens
per address (``CLAIMDESK_API_BAD_TOKEN_RATE``, ``InvalidTokenThrottle``)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import (
    AnonRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)


class AnonymousThrottle(AnonRateThrottle):
    """DRF's per-address throttle for anonymous clients, its rate read from
    the settings when the throttle is made (once per request; DRF's own
    reads its settings once, at import), so a deployment's environment and
    a test's override both apply. Signed-in users and tokens are counted by
    SignedInThrottle instead."""

    def get_rate(self) -> str | None:
        return settings.CLAIMDESK_API_ANON_RATE or None


class SignedInThrottle(UserRateThrottle):
    """DRF's per-user throttle for token and session clients, its rate read
    as AnonymousThrottle's is; anonymous clients are AnonymousThrottle's
    alone (DRF's would count them per address too)."""

    def get_rate(self) -> str | None:
        return settings.CLAIMDESK_API_USER_RATE or None

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class InvalidTokenThrottle(SimpleRateThrottle):
    """Wrong tokens, counted per address. DRF authenticates before it
    throttles, so a client sending made-up tokens got a 401 for each, as
    fast as it could send them, never a 429. Here each wrong token counts,
    and once an address has sent ``CLAIMDESK_API_BAD_TOKEN_RATE`` of them
    it is answered 429 before its token is looked up, until the oldest
    falls out of the window (a right token included: the address, not the
    token, is throttled)."""

    scope = "invalid_token"

    def get_rate(self) -> str | None:
        return settings.CLAIMDESK_API_BAD_TOKEN_RATE or None

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }

    def exhausted(self, request) -> bool:
        """Whether the address has no wrong token left, without counting."""
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [
            at for at in self.cache.get(self.key, []) if at > self.now - self.duration
        ]
        return len(self.history) >= self.num_requests

    def wait(self) -> float:
        """Seconds until the address may send a token again: until enough of
        its wrong tokens are older than the window. (DRF's answers None
        when concurrent requests took the count past the rate.)"""
        oldest_kept = self.history[self.num_requests - 1]
        return max(0.0, self.duration - (self.now - oldest_kept))

    def count(self) -> None:
        """Count one wrong token (after ``exhausted``)."""
        if self.rate is not None:
            self.throttle_success()
