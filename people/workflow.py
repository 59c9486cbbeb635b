"""Every write to people, in one place: merges, aliases, dismissed look-alikes.

Like ``claims.workflow``: keyword arguments, the acting user passed in, the
role checked here (Editors only), ``ValidationError`` with a ``code`` for a
refusal, and one event in the log (``audit``) per change, in its transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.log import build, diff, record, record_many, value, writes
from audit.models import Kind
from claimdesk.roles import User, is_editor
from claimdesk.slugs import unique_slug
from claimdesk.weblinks import HttpURLField, clean_link
from people.models import Person, PersonAlias, PossibleDuplicate


def _require_editor(actor: User, action: str) -> None:
    if not is_editor(actor):
        raise ValidationError(
            f"Only members of the Editor group can {action}.", code="not_editor"
        )


# Called inside ``person_update`` after a change of what readers see of a
# person (their name, their profile link: a ClaimReview's author and its
# sameAs), with (person, changes, old_name, actor, event): what other apps
# do about the rows that show it (claims: an event on each claim spoken or
# made after a rename, and a new dateModified on the published ones;
# claims/apps.py registers it). This app knows none of them, as with
# ``_pointing_relations``.
SHOWN_FIELDS = ("name", "profile_url")
EDIT_LISTENERS: list = []


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
) -> list[int]:
    """Point ``relation``'s rows at ``keep`` instead of ``duplicate``; the ids
    of the rows moved.

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
    ids = list(rows.values_list("pk", flat=True))
    rows.update(**{field: keep})
    return ids


def _move_flags(*, keep: Person, duplicate: Person) -> None:
    """The duplicate's look-alike flags with third people become ``keep``'s,
    open or dismissed as they were (a dismissal says the third person is
    someone else, which holds for ``keep`` too); a pair ``keep`` already has
    a flag for keeps that one. Before, the merge's delete of the duplicate
    took them with it."""
    flags = PossibleDuplicate.objects.filter(
        Q(person=duplicate) | Q(similar_to=duplicate)
    ).order_by("pk")
    for flag in flags:
        mine = flag.person_id == duplicate.pk
        other = flag.similar_to_id if mine else flag.person_id
        if PossibleDuplicate.objects.filter(
            Q(person=keep, similar_to_id=other) | Q(person_id=other, similar_to=keep)
        ).exists():
            flag.delete()
        elif mine:
            flag.person = keep
            flag.save(update_fields=["person"])
        else:
            flag.similar_to = keep
            flag.save(update_fields=["similar_to"])


@writes
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
    spellings = {alias.name for alias in duplicate.aliases.all()} | {duplicate.name}
    for spelling in spellings:
        owner = (
            PersonAlias.objects.filter(name__iexact=spelling)
            .exclude(person__in=[keep, duplicate])
            .select_related("person")
            .first()
        )
        if owner is not None:
            raise ValidationError(
                f"“{spelling}” is an alias of {owner.person}, a third person. "
                "Remove it there first, then merge.",
                code="alias_taken",
            )
    moved = {
        relation: _move_rows(relation, keep=keep, duplicate=duplicate)
        for relation in _pointing_relations()
    }
    aliases_before = sorted(keep.aliases.values_list("name", flat=True))
    duplicate.aliases.all().delete()
    known = {name.casefold() for name in aliases_before} | {keep.name.casefold()}
    for spelling in sorted(spellings):
        if spelling.casefold() not in known:
            PersonAlias.objects.create(person=keep, name=spelling)
            known.add(spelling.casefold())
    PossibleDuplicate.objects.filter(
        Q(person=keep, similar_to=duplicate) | Q(person=duplicate, similar_to=keep)
    ).delete()
    _move_flags(keep=keep, duplicate=duplicate)
    changes = {
        "merged": [value(duplicate), None],
        # The duplicate's page redirects to keep's (Event.objects.now_at).
        "merged_slug": [duplicate.slug, None],
        "aliases": [
            aliases_before,
            sorted(keep.aliases.values_list("name", flat=True)),
        ],
    }
    if not keep.description and duplicate.description:
        changes["description"] = ["", duplicate.description]
        keep.description = duplicate.description
        keep.save(update_fields=["description"])
    merge = record(
        kind=Kind.PERSON_MERGED,
        actor=actor,
        obj=keep,
        changes=changes,
        note="Moved "
        + ", ".join(
            f"{len(ids)} {relation.related_model._meta.verbose_name_plural} "
            f"({relation.field.name})"
            for relation, ids in moved.items()
            if ids
        )
        if any(moved.values())
        else "",
    )
    # Each moved row (a claim whose speaker it was, …) says so on its own
    # timeline. A merge unifies two records of one person, so a published
    # claim stays published.
    record_many(
        build(
            kind=Kind.PERSON_REPLACED,
            actor=actor,
            obj=row,
            changes={relation.field.name: [value(duplicate), value(keep)]},
            cause=merge,
        )
        for relation, ids in moved.items()
        for row in relation.related_model._default_manager.filter(pk__in=ids)
    )
    duplicate.delete()
    return keep


@writes
def duplicate_dismiss(*, flag: PossibleDuplicate, actor: User, note: str = "") -> None:
    """Record that two look-alike names are different people (Editors only)."""
    _require_editor(actor, "dismiss a possible duplicate")
    resolution = (f"Different people ({actor}). {note}".strip())[:200]
    if PossibleDuplicate.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution
    ):
        record(
            kind=Kind.DUPLICATE_DISMISSED,
            actor=actor,
            obj=flag,
            changes={"similar to": [None, value(flag.similar_to)]},
            note=note,
        )


# --- a person's name, description and aliases (the person admin) -------------


def check_not_an_alias(name: str, person: Person | None = None) -> None:
    """Refuse a person's name that is another person's alias: imports of
    that name would land on either (the alias's rule, the other way)."""
    aliases = PersonAlias.objects.filter(name__iexact=name).select_related("person")
    if person is not None:
        aliases = aliases.exclude(person=person)
    alias = aliases.first()
    if alias is not None:
        raise ValidationError(
            f"“{name}” is an alias of {alias.person} ({alias.person.slug}). If "
            "they are one person, merge the two; if not, remove the alias there "
            "first.",
            code="name_is_alias",
        )


@writes
def person_create(
    *, name: str, actor: User | None, description: str = "", slug: str = ""
) -> Person:
    """A new person (Editors; None for a loader of known people)."""
    if actor is not None:
        _require_editor(actor, "add people")
    name = " ".join(name.split())
    check_not_an_alias(name)
    person = Person.objects.create(
        name=name,
        slug=slug or unique_slug(Person, name, "person"),
        description=description,
    )
    record(
        kind=Kind.PERSON_ADDED,
        actor=actor,
        obj=person,
        changes=diff({}, {"name": name, "description": description}),
    )
    return person


PERSON_FIELDS = frozenset({"name", "slug", "description", "profile_url"})
_profile_url_field = HttpURLField(
    required=False, max_length=Person._meta.get_field("profile_url").max_length
)


def _profile_url(url: str) -> str:
    """An http(s) address (scheme in lower case), or "" for none."""
    return clean_link(_profile_url_field, url, "A profile link")


@writes
def person_update(*, person: Person, actor: User, changes: dict) -> Person:
    """Change a person's name, slug, description or profile link (Editors)."""
    _require_editor(actor, "edit people")
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise ValidationError(
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}.",
            code="not_editable",
        )
    if "profile_url" in changes:
        changes = {**changes, "profile_url": _profile_url(changes["profile_url"])}
    locked = Person.objects.select_for_update().get(pk=person.pk)
    recorded = diff({name: getattr(locked, name) for name in changes}, changes)
    if not recorded:
        return locked
    old_name = locked.name
    if "name" in recorded:
        check_not_an_alias(changes["name"], locked)
    for name in recorded:
        setattr(locked, name, changes[name])
    locked.save(update_fields=list(recorded))
    if "name" in recorded:
        before = sorted(locked.aliases.values_list("name", flat=True))
        # Renamed to one of their own aliases: it is the name now.
        locked.aliases.filter(name__iexact=locked.name).delete()
        if _keeps_old_name(locked, old_name):
            # The old spelling stays an alias, as a merge keeps the
            # duplicate's: the next import of a source that says it (a
            # corrected episode, the show's next one) finds this person.
            # Without it, a new person of that name took the published
            # claims' speaker, and took them back to research (found by the
            # second new-user review).
            PersonAlias.objects.create(person=locked, name=old_name)
        after = sorted(locked.aliases.values_list("name", flat=True))
        if after != before:
            recorded["aliases"] = [before, after]
    event = record(kind=Kind.PERSON_EDITED, actor=actor, obj=locked, changes=recorded)
    if set(recorded) & set(SHOWN_FIELDS):
        for listener in EDIT_LISTENERS:
            listener(
                person=locked,
                changes=recorded,
                old_name=old_name,
                actor=actor,
                cause=event,
            )
    return locked


def _keeps_old_name(person: Person, old_name: str) -> bool:
    """Whether a renamed person's old name becomes an alias: not for a change
    of case or spacing only, nor when the name is already an alias or another
    person's name (an alias may be neither)."""
    if old_name.casefold() == person.name.casefold():
        return False
    try:
        check_alias_name(old_name, person.pk)
    except ValidationError:
        return False
    return True


def check_alias_name(name: str, person_id: int | None, alias_id: int | None = None):
    """Refuse ``name`` as an alias of person ``person_id`` (None: a person
    not saved yet) when it is already an alias (other than ``alias_id``,
    the one being renamed), the person's own name, or another person's
    name. ``alias_add`` asks it; so does the people admin's alias row, to
    show the refusal on the row."""
    owner = (
        PersonAlias.objects.filter(name__iexact=name)
        .exclude(pk=alias_id)
        .select_related("person")
        .first()
    )
    if owner is not None:
        raise ValidationError(
            f"“{name}” is already an alias of {owner.person}. Remove it there "
            "first if it belongs to this person.",
            code="alias_taken",
        )
    namesake = Person.objects.filter(name__iexact=name).order_by("pk").first()
    if namesake is not None and namesake.pk == person_id:
        raise ValidationError(
            f"“{name}” is already this person's name; an alias is another spelling.",
            code="alias_is_name",
        )
    if namesake is not None:
        raise ValidationError(
            f"“{name}” is the name of another person ({namesake.slug}). If they "
            "are one person, merge the two; if not, the alias would send that "
            "name's next import to the wrong one.",
            code="alias_taken",
        )


@writes
def alias_add(*, person: Person, name: str, actor: User | None) -> PersonAlias:
    """Another spelling of a person's name (Editors; None for a loader)."""
    if actor is not None:
        _require_editor(actor, "add aliases")
    name = " ".join(name.split())
    check_alias_name(name, person.pk)
    try:
        with transaction.atomic():
            alias = PersonAlias.objects.create(person=person, name=name)
    except IntegrityError:
        # Added meanwhile by another request (the check above ran before it
        # committed; the unique index waited for it): the check's own
        # message now, not a 500.
        check_alias_name(name, person.pk)
        raise ValidationError(
            f"“{name}” was added as a name meanwhile; reload the page.",
            code="alias_taken",
        ) from None
    record(
        kind=Kind.ALIAS_ADDED,
        actor=actor,
        obj=alias,
        changes={"alias": [None, name]},
    )
    return alias


@writes
def alias_remove(*, alias: PersonAlias, actor: User) -> None:
    _require_editor(actor, "remove aliases")
    record(
        kind=Kind.ALIAS_REMOVED,
        actor=actor,
        obj=alias,
        changes={"alias": [alias.name, None]},
    )
    alias.delete()
