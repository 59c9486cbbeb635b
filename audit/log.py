"""Writing the log: what the workflow functions call.

- ``@writes`` wraps a workflow function: one transaction, and a
  transaction-local mark (``claimdesk.workflow``) that tells the database
  triggers this change is being recorded by the workflow, so they do not
  record it a second time. The mark is cleared when the function returns,
  so a raw write later in the same transaction is caught again.
- ``record`` writes one event; ``record_many`` many in one INSERT;
  ``record_each`` one event of one kind per row of a model, in one COPY
  (an import's claims and people: thousands of events, no instances).
- ``value`` and ``diff`` turn field values into what an event stores.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django_guid import get_guid

from audit.models import Event
from claimdesk.bulk import copy_rows
from claimdesk.limits import validate_note

P = ParamSpec("P")
R = TypeVar("R")

MARK = "claimdesk.workflow"


@contextmanager
def _marked():
    """Set the workflow mark for the outermost workflow call of a transaction.

    On an exception the enclosing ``atomic`` rolls back, and PostgreSQL
    undoes a transaction-local setting with it; only a clean exit clears it.
    """
    depth = getattr(connection, "claimdesk_workflow_depth", 0)
    if depth == 0:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [MARK])
    connection.claimdesk_workflow_depth = depth + 1
    try:
        yield
    finally:
        connection.claimdesk_workflow_depth = depth
    if depth == 0:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [MARK])


def writes(function: Callable[P, R]) -> Callable[P, R]:
    """A workflow function: atomic, and recorded by itself, not by triggers."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), _marked():
            return function(*args, **kwargs)

    return wrapper


def value(field_value: Any) -> Any:
    """A field's value as the log stores it (JSON); a related object as its
    id and the name it had then."""
    if isinstance(field_value, models.Model):
        return {"id": field_value.pk, "label": str(field_value)}
    if isinstance(field_value, datetime.datetime | datetime.date):
        return field_value.isoformat()
    if isinstance(field_value, Decimal):
        return format(field_value.normalize(), "f")
    return field_value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` of the fields whose values differ."""
    changes = {}
    for name in new:
        before, after = value(old.get(name)), value(new[name])
        if before != after:
            changes[name] = [before, after]
    return changes


def timeline_of(obj: models.Model) -> models.Model:
    """The timeline ``obj``'s events belong on: its own, or the object its
    model names in ``audit_timeline`` (a note: its claim's; an alias: its
    person's). The database's triggers read the same attribute
    (claims/dbrules.py), so both kinds of event land on one timeline."""
    field = getattr(type(obj), "audit_timeline", None)
    if field is None:
        return obj
    related = obj._meta.get_field(field).related_model
    return related(pk=getattr(obj, f"{field}_id"))


def _actor(actor: Any) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def build(
    *,
    kind: str,
    actor: Any,
    obj: models.Model,
    topic: models.Model | None = None,
    changes: Mapping[str, list] | None = None,
    note: str = "",
    cause: Event | None = None,
    at: datetime.datetime | None = None,
) -> Event:
    """An unsaved event: ``obj`` is what changed, ``topic`` the timeline it
    appears on (``timeline_of(obj)`` when omitted). Every note a person
    writes (a reviewer's note, a rationale, a reason) is an event's note:
    its length is bounded here, once for every step."""
    validate_note(note)
    topic = timeline_of(obj) if topic is None else topic
    event = Event(
        kind=kind,
        actor=_actor(actor),
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        topic_type=topic._meta.label_lower,
        topic_id=topic.pk,
        changes=dict(changes or {}),
        note=note,
        request_id=get_guid() or "",
        cause=cause,
    )
    if at is not None:
        event.at = at
    return event


def record(**kwargs: Any) -> Event:
    """Write one event (the arguments of ``build``)."""
    event = build(**kwargs)
    event.save()
    return event


def record_many(events: Iterable[Event]) -> list[Event]:
    return Event.objects.bulk_create(events)


_EVENT_COLUMNS = (
    "kind",
    "at",
    "actor",
    "db_user",
    "object_type",
    "object_id",
    "topic_type",
    "topic_id",
    "changes",
    "note",
    "request_id",
    "cause",
)


def record_each(
    *,
    kind: str,
    actor: Any,
    model: type[models.Model],
    changes: Iterable[tuple[int, Mapping[str, list]]],
    note: str = "",
    cause: Event | None = None,
) -> int:
    """One event per ``(id, changes)`` of ``model``'s rows, all of one kind,
    actor, note and cause, on each row's own timeline, written with one
    COPY; the number written. What ``build`` and ``record_many`` would
    write, without a model instance per row or event: an import records each
    of its thousands of claims this way."""
    if getattr(model, "audit_timeline", None) is not None:
        raise ValueError(f"{model.__name__} rows are on another timeline: use build")
    validate_note(note)
    at = timezone.now()
    actor = _actor(actor)
    actor_id = actor.pk if actor is not None else None
    cause_id = cause.pk if cause is not None else None
    request_id = get_guid() or ""
    label = model._meta.label_lower
    return copy_rows(
        Event,
        _EVENT_COLUMNS,
        (
            (kind, at, actor_id, "", label, pk, label, pk, dict(changed), note)
            + (request_id, cause_id)
            for pk, changed in changes
        ),
    )
