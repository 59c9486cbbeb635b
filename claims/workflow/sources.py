"""Evidence links and reviewer notes: added beside a claim, never edited."""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.log import build, record, record_many, value, writes
from audit.models import Kind
from claimdesk.limits import validate_excerpt
from claimdesk.roles import User
from claimdesk.weblinks import HttpURLField, clean_link
from claims.models import Claim, Evidence, ReviewNote, Stance
from claims.workflow import rules
from claims.workflow.base import lock, touch, touched

# The same field the forms use, so the pages, the admin, the API and the
# workflow read an address alike: trimmed, a bare "example.org/x" taken as
# https://, only http(s), at most as long as the column.
_url_field = HttpURLField(max_length=Evidence._meta.get_field("url").max_length)


# Control characters (C0 but tab and line breaks, DEL, C1): pasted from a PDF
# or a terminal, or in a crafted file, they print as nothing or garbage on
# the claim page and in every export. A space each, as a reader would see
# the gap; the web form, the API and an evidence file alike.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain_text(value: str | None, *, one_line: bool = False) -> str:
    """``value`` without control characters (a space each), stripped; with
    ``one_line`` (a title, a publisher) tabs and line breaks too, including
    Unicode's line and paragraph separators."""
    value = _CONTROLS.sub(" ", value or "")
    if one_line:
        value = _BREAKS.sub(" ", value)
    return value.strip()


_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]")


def clean_url(url: str) -> str:
    """An http(s) address, its scheme in lower case; else a ValidationError."""
    return clean_link(_url_field, url, "An evidence link")


def _ascii_host(host: str) -> str:
    """An internationalised host as its ASCII form (пример.рф is
    xn--e1afmkfd.xn--p1ai: one site, written two ways); any other as it is."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


# RFC 3986's unreserved characters: "%78" and "x" are the same address.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def _same_escapes(part: str) -> str:
    """A path or query with its percent-escapes written one way (RFC 3986,
    6.2.2): an unreserved character as itself, any other escape in upper
    case (%2f is %2F)."""

    def one(match: re.Match) -> str:
        character = chr(int(match[1], 16))
        return character if character in _UNRESERVED else "%" + match[1].upper()

    return _ESCAPE.sub(one, part)


def url_identity(url: str) -> str:
    """What makes two evidence addresses the same source: the address
    ``clean_url`` keeps, with its host in lower case (an internationalised
    one in its ASCII form, a final dot dropped: example.org. is
    example.org), without a default port, its percent-escapes written one
    way, and without the fragment (``#…`` points into the same page)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    userinfo, at, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.lower().rpartition(":")
    if not colon or "]" in port:  # no port (an IPv6 address has colons)
        host, port = hostport.lower(), ""
    if (scheme, port) in (("http", "80"), ("https", "443")):
        port = ""
    host = _ascii_host(host).rstrip(".") or host
    netloc = userinfo + at + host + (f":{port}" if port else "")
    path, query = _same_escapes(parts.path), _same_escapes(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def check_new_source(claim: Claim, url: str) -> None:
    """Refuse a link to a source the claim already has (``url_identity``),
    as an evidence import skips it: one link per source, its stance and
    excerpt saying what the source does to the claim."""
    identity = url_identity(url)
    for existing in claim.evidence.only("url", "added_at").order_by("id"):
        if url_identity(existing.url) == identity:
            raise ValidationError(
                f"This source is already linked to the claim ({existing.url}, "
                f"added {existing.added_at:%Y-%m-%d}); one link per source. "
                "Say more about it in a note.",
                code="duplicate_source",
            )


def check_published_on(published_on: datetime.date | None) -> None:
    """Refuse a source's date later than tomorrow (a source is read after it
    is published; a day's grace for the time zones): 9999-12-31 was kept."""
    if published_on is not None and published_on > timezone.localdate() + (
        datetime.timedelta(days=1)
    ):
        raise ValidationError(
            f"The source's date {published_on.isoformat()} is in the future: give "
            "the day it was published (YYYY-MM-DD), or leave it empty.",
            code="future_date",
        )


def check_stance(stance: str) -> str:
    if stance not in Stance.values:
        raise ValidationError(
            f"Choose a stance: {', '.join(Stance.values)}.", code="bad_stance"
        )
    return stance


# What readers see of an evidence link, and so what its events keep: once a
# link is removed, the log is the only record of what the page showed.
_SHOWN_FIELDS = ("url", "stance", "title", "publisher", "published_on", "excerpt")


def _shown(evidence: Evidence, *, added: bool) -> dict[str, list]:
    """``{field: [None, value]}`` (added) or ``[value, None]`` (removed) of
    what readers see of ``evidence``; an empty field is left out."""
    return {
        name: [None, value(shown)] if added else [value(shown), None]
        for name in _SHOWN_FIELDS
        if (shown := getattr(evidence, name)) not in (None, "")
    }


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
    check_stance(stance)
    check_published_on(published_on)
    excerpt = plain_text(excerpt)
    validate_excerpt(excerpt)
    locked = lock(claim, None)
    rules.check_add_evidence(locked, actor)
    check_new_source(locked, url)
    evidence = Evidence.objects.create(
        claim=locked,
        url=url,
        stance=stance,
        title=plain_text(title, one_line=True),
        publisher=plain_text(publisher, one_line=True),
        published_on=published_on,
        excerpt=excerpt,
        added_by=actor,
    )
    record(
        kind=Kind.EVIDENCE_ADDED,
        actor=actor,
        obj=evidence,
        changes=_shown(evidence, added=True),
    )
    touch(locked, public=True)
    return evidence


@dataclass(frozen=True)
class EvidenceDraft:
    """One evidence link to add: ``evidence_add``'s arguments, the claim by id,
    and the note its event carries (where it came from)."""

    claim_id: int
    url: str
    stance: str
    title: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    excerpt: str = ""
    note: str = ""


@writes
def evidence_add_many(
    *, drafts: Sequence[EvidenceDraft], actor: User, source: str = ""
) -> list[Evidence]:
    """Add many evidence links at once, all or none (an import of
    ``source``, a file's name).

    The same checks as ``evidence_add`` for each link, the claims locked in
    id order (two imports cannot deadlock), one INSERT for the links and one
    for their events: one ``evidence.added`` event per link, as if each had
    been added by hand, each caused by one ``evidence.imported`` event (the
    import as a whole: one line of the desk's recent activity, not one per
    link).
    """
    rules.require_reviewer(actor)
    rows = [
        (draft, clean_url(draft.url), check_stance(draft.stance)) for draft in drafts
    ]
    for draft in drafts:
        validate_excerpt(plain_text(draft.excerpt))
        check_published_on(draft.published_on)
    ids = sorted({draft.claim_id for draft in drafts})
    claims = {
        claim.pk: claim
        for claim in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    missing = [pk for pk in ids if pk not in claims]
    if missing:
        raise ValidationError(
            f"No claim has the id {', '.join(map(str, missing[:10]))}.",
            code="no_claim",
        )
    for claim in claims.values():
        rules.check_add_evidence(claim, actor)
    evidence = Evidence.objects.bulk_create(
        Evidence(
            claim_id=draft.claim_id,
            url=url,
            stance=stance,
            title=plain_text(draft.title, one_line=True),
            publisher=plain_text(draft.publisher, one_line=True),
            published_on=draft.published_on,
            excerpt=plain_text(draft.excerpt),
            added_by=actor,
        )
        for draft, url, stance in rows
    )
    # The import itself, on the timeline of who ran it.
    imported = record(
        kind=Kind.EVIDENCE_IMPORTED,
        actor=actor,
        obj=actor,
        changes={
            "links": [None, len(evidence)],
            "claims": [None, len(ids)],
            **({"file": [None, source[:500]]} if source else {}),
        },
        # As an episode import's: the name kept to 500 characters.
        note=f"Imported from {source[:500]}" if source else "",
    )
    record_many(
        build(
            kind=Kind.EVIDENCE_ADDED,
            actor=actor,
            obj=item,
            changes=_shown(item, added=True),
            note=draft.note,
            cause=imported,
        )
        for item, (draft, _, _) in zip(evidence, rows, strict=True)
    )
    if ids:
        # As ``touch``: updated, not a new version of what the claim says;
        # readers of a published claim see its new evidence.
        touched(Claim.objects.filter(pk__in=ids), public=True)
    return evidence


@writes
def evidence_remove(*, evidence: Evidence, actor: User, reason: str = "") -> None:
    """Remove an evidence link (Editors only); the event keeps what and why."""
    rules.require_editor(actor, "remove evidence")
    locked = lock(evidence.claim, None)
    rules.check_remove_evidence(locked, actor)
    # The row as stored, read under the claim's lock: the event records what
    # readers were shown, not the caller's copy (a form posted back with
    # other values recorded those: found by a new user).
    stored = Evidence.objects.filter(pk=evidence.pk, claim=locked).first()
    if stored is None:
        raise ValidationError(
            "That evidence link is no longer on the claim: someone removed it "
            "meanwhile. Reload the page.",
            code="evidence_gone",
        )
    record(
        kind=Kind.EVIDENCE_REMOVED,
        actor=actor,
        obj=stored,
        changes=_shown(stored, added=False),
        note=(reason or "").strip(),
    )
    stored.delete()
    touch(locked, public=True)


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
