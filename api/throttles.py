"""Throttling of anonymous clients (``CLAIMDESK_API_ANON_RATE``)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """DRF's per-address throttle for anonymous clients, its rate read from
    the settings when the throttle is made (once per request; DRF's own
    reads its settings once, at import), so a deployment's environment and
    a test's override both apply. Signed-in users and tokens are not
    throttled."""

    def get_rate(self) -> str | None:
        return settings.CLAIMDESK_API_ANON_RATE or None
