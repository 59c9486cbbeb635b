"""Every write to shows, episodes and appearances made by hand in the desk.

The importer writes episodes through ``claims.ingest``; this module is the
editorial desk's door for the rest: editors only, one event per save in the
log, with what changed (old → new).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from audit.log import diff, record, writes
from audit.models import Kind
from claimdesk.roles import User, is_editor
from episodes.models import Appearance, Episode, Show


def _require_editor(actor: User, action: str) -> None:
    if not is_editor(actor):
        raise ValidationError(
            f"Only members of the Editor group can {action}.", code="not_editor"
        )


# Called after an edit of a show or an episode, with (obj, changes, actor,
# event): what other apps do about the rows that show it to readers (claims:
# a new dateModified on the published claims of the episode or show, whose
# ClaimReview names its date and title; claims/apps.py registers it). This
# app knows none of them.
EDIT_LISTENERS: list = []


def _save(obj: models.Model, *, actor: User, added: Kind, edited: Kind) -> None:
    """Save ``obj`` as a form left it and record what changed."""
    fields = [
        field.name for field in obj._meta.concrete_fields if not field.primary_key
    ]
    if obj.pk is None:
        obj.save()
        new = {name: getattr(obj, name) for name in fields}
        changes = diff({}, {k: v for k, v in new.items() if v not in (None, "")})
        kind = added
    else:
        old = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        changes = diff(
            {name: getattr(old, name) for name in fields},
            {name: getattr(obj, name) for name in fields},
        )
        if not changes:
            return
        bookkeeping = ["updated_at"] if hasattr(obj, "updated_at") else []
        obj.save(update_fields=[*changes, *bookkeeping])
        kind = edited
    # A whole transcript is recorded as a change, not copied into the log.
    for long in ("source_text",):
        if long in changes:
            changes[long] = ["(changed)" if changes[long][0] else None, "(changed)"]
    changes.pop("updated_at", None)
    changes.pop("created_at", None)
    event = record(kind=kind, actor=actor, obj=obj, changes=changes)
    if kind == edited:
        for listener in EDIT_LISTENERS:
            listener(obj=obj, changes=changes, actor=actor, cause=event)


@writes
def show_save(*, show: Show, actor: User) -> Show:
    _require_editor(actor, "add or edit shows")
    _save(show, actor=actor, added=Kind.SHOW_ADDED, edited=Kind.SHOW_EDITED)
    return show


@writes
def episode_save(*, episode: Episode, actor: User) -> Episode:
    """Add an episode by hand or edit its title, date and links (Editors)."""
    _require_editor(actor, "add or edit episodes")
    _save(episode, actor=actor, added=Kind.EPISODE_ADDED, edited=Kind.EPISODE_EDITED)
    return episode


def _appearance(appearance: Appearance) -> str:
    return f"{appearance.person} ({appearance.role})"


@writes
def appearances_save(
    *,
    episode: Episode,
    actor: User,
    save: Iterable[Appearance] = (),
    delete: Iterable[Appearance] = (),
) -> None:
    """Change who appears in an episode, and in which role (Editors)."""
    _require_editor(actor, "change who appears in an episode")
    save, delete = list(save), list(delete)
    if not save and not delete:
        return
    before = sorted(
        _appearance(a) for a in episode.appearances.select_related("person")
    )
    for appearance in delete:
        appearance.delete()
    for appearance in save:
        appearance.episode = episode
        appearance.save()
    after = sorted(_appearance(a) for a in episode.appearances.select_related("person"))
    if before != after:
        record(
            kind=Kind.EPISODE_EDITED,
            actor=actor,
            obj=episode,
            changes={"appearances": [before, after]},
        )
