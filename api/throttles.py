"""Throttling: anonymous clients per address (``CLAIMDESK_API_ANON_RATE``),
signed-in clients per user (``CLAIMDESK_API_USER_RATE``)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


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
