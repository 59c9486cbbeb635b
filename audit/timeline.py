"""The log as people read it: one timeline per claim, person or episode,
newest first, with who, what changed (old → new) and why.

The claim page, the claim's admin page and the person admin render it with
``templates/audit/timeline.html``; the dashboard's recent activity reads the
same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from audit.models import Event

# Events shown on one page; the rest are counted, not shown.
TIMELINE_ROWS = 200
# A logged value longer than this is shortened on the page.
VALUE_CHARS = 300


# field name → {stored value: label}, registered by the apps that log them
# (claims: statuses), so the timeline reads "Researching", not "researching".
VALUE_LABELS: dict[str, dict[str, str]] = {}


def register_labels(field: str, choices: Iterable[tuple[str, str]]) -> None:
    VALUE_LABELS.setdefault(field, {}).update(dict(choices))


# field name → how a logged text of it reads, registered by the apps that log
# it (claims: an amount's text, whose date amounts older events logged as
# their stored YYYYMMDD numbers).
VALUE_TEXTS: dict[str, Callable[[str], str]] = {}


def register_text(field: str, read: Callable[[str], str]) -> None:
    VALUE_TEXTS[field] = read


def shown(value: Any, field: str = "") -> str:
    """A logged value as text: "—" for none, a related object by its name."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, str) and value in VALUE_LABELS.get(field, {}):
        return VALUE_LABELS[field][value]
    if isinstance(value, str) and field in VALUE_TEXTS:
        value = VALUE_TEXTS[field](value)
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list):
        return "; ".join(shown(item, field) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    # Recorded as it stood, not changed (the verdict an approval approved):
    # shown once, not as "Verified → Verified". Decided on the stored
    # values: two people of one name, or two long texts that differ past
    # what is shown, are a change.
    same: bool = False


@dataclass(frozen=True)
class Line:
    event: Event
    changes: tuple[Change, ...]


def _changes(event: Event) -> tuple[Change, ...]:
    changes = []
    for name, pair in sorted(event.changes.items()):
        if not (isinstance(pair, list) and len(pair) == 2):
            continue
        old, new = shown(pair[0], name), shown(pair[1], name)
        if old == new == "—":
            continue  # an empty field of a new row says nothing
        changes.append(
            Change(name.replace("_", " "), old, new, same=pair[0] == pair[1])
        )
    return tuple(changes)


def lines(events: Iterable[Event]) -> list[Line]:
    return [Line(event=event, changes=_changes(event)) for event in events]


def render(events, *, limit: int = TIMELINE_ROWS) -> SafeString:
    """The timeline of a queryset of events (``Event.objects.about(x)``)."""
    rows = list(events.for_timeline()[: limit + 1])
    return render_to_string(
        "audit/timeline.html",
        {"lines": lines(rows[:limit]), "more": len(rows) > limit, "limit": limit},
    )
