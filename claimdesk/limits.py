"""Bounds on what one request may ask of the database.

Every search box and filter parameter is checked against these before a
query runs; a value past them is an error the user sees (a form error on
the pages, a message in the admin, a 400 from the middleware), never a
silent cut and never a query left running. The database's own
``statement_timeout`` (settings) is the last line behind them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

# A search of more than this many characters or words is no search a person
# types; each word is another full-text and trigram term to match.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 12
# Longest value of any query-string or form parameter, except file uploads
# and the fields that hold text (notes, quotes), which have their own limits.
PARAMETER_MAX_CHARS = 2000
# A note in the log: a reviewer's note, a verdict's rationale, the reason
# for a change (every one of them is an event's note). About 3,000 words;
# each is shown whole on the claim's page and its history.
NOTE_MAX_CHARS = 20_000
# An evidence link's excerpt: the passage of the source that matters,
# shown on the claim's page. A longer one is a document to link, not quote;
# an evidence export must be importable again, whose cells may hold up to
# 131,072 characters (claims.ingest.evidence).
EXCERPT_MAX_CHARS = 20_000
# A database id: PostgreSQL's bigint has at most 19 digits.
ID_MAX_DIGITS = 18
# An evidence import (``manage.py import_evidence``, the admin's upload): a
# file past these is refused before any row is checked. 10,000 links is a
# season of a show's research; the bytes leave room for long excerpts.
EVIDENCE_FILE_MAX_BYTES = 5_000_000
EVIDENCE_FILE_MAX_ROWS = 10_000


def search_error(value: str) -> str | None:
    """Why ``value`` is not a search Claimdesk runs, or None."""
    if len(value) > SEARCH_MAX_CHARS:
        return (
            f"The search is {len(value):,} characters long; keep it to "
            f"{SEARCH_MAX_CHARS} or fewer (a few words or a name)."
        )
    if len(value.split()) > SEARCH_MAX_WORDS:
        return (
            f"The search has {len(value.split())} words; use at most "
            f"{SEARCH_MAX_WORDS} (the most telling ones)."
        )
    return None


def validate_search(value: str) -> None:
    error = search_error(value or "")
    if error:
        raise ValidationError(error, code="search_too_long")


def as_id(value: object) -> int | None:
    """``value`` as a database id if it is one (ASCII digits, in range)."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and len(text) <= ID_MAX_DIGITS:
        return int(text)
    return None


def validate_excerpt(excerpt: str) -> None:
    """Refuse an evidence excerpt longer than EXCERPT_MAX_CHARS."""
    if len(excerpt) > EXCERPT_MAX_CHARS:
        raise ValidationError(
            f"The excerpt is {len(excerpt):,} characters long; keep it to "
            f"{EXCERPT_MAX_CHARS:,} or fewer: quote the passage that matters, the link "
            "holds the rest.",
            code="excerpt_too_long",
        )


def validate_note(note: str) -> None:
    """Refuse a note longer than NOTE_MAX_CHARS, naming its length."""
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError(
            f"The note is {len(note):,} characters long; keep it to "
            f"{NOTE_MAX_CHARS:,} or fewer (link a longer document as evidence "
            "instead).",
            code="note_too_long",
        )
