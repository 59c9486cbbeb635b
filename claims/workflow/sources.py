"""Evidence links and reviewer notes: added beside a claim, never edited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from audit.log import record, writes
from audit.models import Kind
from claimdesk.roles import User
from claimdesk.weblinks import HttpURLField
from claims.models import Claim, Evidence, ReviewNote, Stance
from claims.workflow import rules
from claims.workflow.base import lock, touch

# The same field the forms use, so the pages, the admin, the API and the
# workflow read an address alike: trimmed, a bare "example.org/x" taken as
# https://, only http(s), at most as long as the column.
_url_field = HttpURLField(max_length=Evidence._meta.get_field("url").max_length)


def clean_url(url: str) -> str:
    """An http(s) address, its scheme in lower case; else a ValidationError."""
    try:
        url = _url_field.clean((url or "").strip())
    except ValidationError:
        raise ValidationError(
            f"“{(url or '')[:200]}” is not a web address. Evidence links must "
            "start with http:// or https://.",
            code="bad_url",
        ) from None
    return url


@writes
def evidence_add(
    *,
    claim: Claim,
    actor: User,
    url: str,
    stance: str,
    title: str = "",
    publisher: str = "",
    published_on: datetime.date | None = None,
    excerpt: str = "",
) -> Evidence:
    rules.require_reviewer(actor)
    url = clean_url(url)
    if stance not in Stance.values:
        raise ValidationError(
            f"Choose a stance: {', '.join(Stance.values)}.", code="bad_stance"
        )
    locked = lock(claim, None)
    rules.check_add_evidence(locked, actor)
    evidence = Evidence.objects.create(
        claim=locked,
        url=url,
        stance=stance,
        title=(title or "").strip(),
        publisher=(publisher or "").strip(),
        published_on=published_on,
        excerpt=(excerpt or "").strip(),
        added_by=actor,
    )
    record(
        kind=Kind.EVIDENCE_ADDED,
        actor=actor,
        obj=evidence,
        changes={
            "url": [None, evidence.url],
            "stance": [None, evidence.stance],
            "title": [None, evidence.title],
        },
    )
    touch(locked)
    return evidence


@writes
def evidence_remove(*, evidence: Evidence, actor: User, reason: str = "") -> None:
    """Remove an evidence link (Editors only); the event keeps what and why."""
    rules.require_editor(actor, "remove evidence")
    locked = lock(evidence.claim, None)
    rules.check_remove_evidence(locked, actor)
    record(
        kind=Kind.EVIDENCE_REMOVED,
        actor=actor,
        obj=evidence,
        changes={
            "url": [evidence.url, None],
            "stance": [evidence.stance, None],
            "title": [evidence.title, None],
        },
        note=(reason or "").strip(),
    )
    evidence.delete()
    touch(locked)


@writes
def note_add(*, claim: Claim, actor: User, body: str) -> ReviewNote:
    rules.require_reviewer(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.", code="note_required")
    locked = lock(claim, None)
    rules.check_add_note(locked, actor)
    note = ReviewNote.objects.create(claim=locked, author=actor, body=body)
    record(kind=Kind.NOTE_ADDED, actor=actor, obj=note, note=body)
    touch(locked)
    return note
