"""What every step function does around its write: lock, compare versions,
save with a new version."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from claims.models import Claim


def lock(claim: Claim, expected_version: int | None) -> Claim:
    """Lock the claim row and check it is still the version the caller saw."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            # Not "someone else": a second submit, or another tab, is the
            # same user (found by the second new-user review).
            "This claim changed while you were working on it (you loaded "
            f"version {expected_version}, it is now version {locked.version}): "
            "by someone else, or by you in another tab or an earlier submit. "
            "Nothing was saved; your input is kept. Check the current state, "
            "then submit again.",
            code="stale",
        )
    return locked


def require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            f"{what} needs a note that says why. Write it and submit again.",
            code="note_required",
        )
    return note


def bump(claim: Claim, fields: Iterable[str]) -> None:
    """Save the named fields with a new version and updated_at."""
    claim.version = F("version") + 1
    claim.save(update_fields=[*fields, "version", "updated_at"])
    # What the database's triggers set with them, in the same read.
    claim.refresh_from_db(fields=["version", "updated_at", "published_changed_at"])


def touch(claim: Claim, *, public: bool = False) -> None:
    """Mark the claim as updated without changing its version (evidence and
    notes are added beside a claim, not to what it says). ``public``: the
    change shows on a published claim's page (evidence, not a note), so
    readers are told of it too (``Claim.published_changed_at``)."""
    touched(Claim.objects.filter(pk=claim.pk), public=public)


def touched(claims, *, public: bool) -> None:
    """``touch`` for a queryset of claims, in one UPDATE."""
    now = timezone.now()
    changes = {"updated_at": now}
    if public:
        # Only a published claim has readers to tell (null otherwise).
        changes["published_changed_at"] = Case(
            When(
                approved_at__isnull=False,
                then=Greatest(Value(now, output_field=DateTimeField()), "approved_at"),
            ),
            default=None,
        )
    claims.update(**changes)
