"""Every write to people, in one place: merges, aliases, dismissed look-alikes.

Like ``claims.workflow``: keyword arguments, the acting user passed in, the
role checked here (Editors only), ``ValidationError`` with a ``code`` for a
refusal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claimdesk.roles import User, is_editor
from people.models import Person, PersonAlias, PossibleDuplicate


def _require_editor(actor: User, action: str) -> None:
    if not is_editor(actor):
        raise ValidationError(
            f"Only members of the Editor group can {action}.", code="not_editor"
        )


def _pointing_relations() -> list[models.ManyToOneRel]:
    """Foreign keys of other apps' models that point at a person.

    Found through the model's relations, so this app needs to know none of
    the apps that refer to people (episodes' appearances, claims' speakers
    and claimants, and whatever comes later).
    """
    own = {PersonAlias, PossibleDuplicate}
    return [
        relation
        for relation in Person._meta.related_objects
        if relation.one_to_many and relation.related_model not in own
    ]


def _move_rows(
    relation: models.ManyToOneRel, *, keep: Person, duplicate: Person
) -> int:
    """Point ``relation``'s rows at ``keep`` instead of ``duplicate``.

    A row that would then repeat one of ``keep``'s under a unique constraint
    (the same role in the same episode) says nothing new and is deleted.
    """
    model, field = relation.related_model, relation.field.name
    rows = model._default_manager.filter(**{field: duplicate})
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and field in fields:
            same = {name: OuterRef(name) for name in fields if name != field}
            twin = model._default_manager.filter(**{field: keep}, **same)
            rows.filter(Exists(twin)).delete()
    return rows.update(**{field: keep})


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor: User) -> Person:
    """Fold ``duplicate`` into ``keep`` (Editors only).

    Every row that points at the duplicate (claims spoken or made,
    appearances) moves to ``keep``; the database bumps the version of each
    claim that moves, so forms open on them see the change. The duplicate's
    name and aliases become aliases of ``keep``, so the next import of that
    spelling lands on ``keep``.
    """
    _require_editor(actor, "merge people")
    if keep.pk == duplicate.pk:
        raise ValidationError(
            "Choose two different people to merge.", code="same_person"
        )
    # Lock both people in id order, so two merges of the same pair cannot deadlock.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError(
            "One of these people no longer exists; reload the page.", code="stale"
        )
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    for relation in _pointing_relations():
        _move_rows(relation, keep=keep, duplicate=duplicate)
    spellings = {alias.name for alias in duplicate.aliases.all()} | {duplicate.name}
    duplicate.aliases.all().delete()
    for spelling in spellings:
        if spelling.casefold() != keep.name.casefold():
            PersonAlias.objects.get_or_create(person=keep, name=spelling)
    PossibleDuplicate.objects.filter(
        Q(person=keep, similar_to=duplicate) | Q(person=duplicate, similar_to=keep)
    ).delete()
    if not keep.description and duplicate.description:
        keep.description = duplicate.description
        keep.save(update_fields=["description"])
    duplicate.delete()
    return keep


@transaction.atomic
def duplicate_dismiss(*, flag: PossibleDuplicate, actor: User, note: str = "") -> None:
    """Record that two look-alike names are different people (Editors only)."""
    _require_editor(actor, "dismiss a possible duplicate")
    PossibleDuplicate.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(),
        resolution=(f"Different people ({actor}). {note}".strip())[:200],
    )
