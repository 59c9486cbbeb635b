"""One append-only log of every change: the desk's record.

Each workflow function (``claims.workflow``, ``people.workflow``, the
importer) writes one ``Event`` in the transaction of the change it makes: the
kind, who, what it changed (old → new), why, and the request it came from.
Writes that bypass the workflow (raw SQL, ``QuerySet.update``,
``bulk_create``, COPY) are caught by row-set triggers on the tracked tables
(``claims/dbrules.py``), which write an event of kind ``db.insert``,
``db.update`` or ``db.delete`` with the changed columns and the database user.
The database refuses UPDATE and DELETE on the log itself.

An event is about one object (``object_type``, ``object_id``) and belongs to
one timeline (``topic_type``, ``topic_id``): evidence, notes and amounts
appear on their claim's timeline, aliases on their person's. Both are model
labels ("claims.claim") and ids rather than foreign keys, so the log sits
below every app, outlives a merged person, and a database trigger can write
it without looking anything up.

This app imports no other Claimdesk app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from claimdesk.instances import QuickLoading


class Kind(models.TextChoices):
    """What happened. ``<object>.<verb>``; ``db.*`` for changes made outside
    the workflow."""

    CLAIM_CREATED = "claim.created", "created the claim"
    CLAIM_EDITED = "claim.edited", "edited the claim"
    CLAIM_ASSIGNED = "claim.assigned", "changed the assignee"
    RESEARCH_STARTED = "claim.research_started", "started research"
    VERDICT_PROPOSED = "claim.verdict_proposed", "proposed a verdict"
    APPROVED = "claim.approved", "approved the verdict"
    REOPENED = "claim.reopened", "reopened the claim"
    SOURCE_FOLLOWED = "claim.source_followed", "followed a corrected source"
    QUANTITIES_CORRECTED = "quantities.corrected", "corrected the amounts"
    EVIDENCE_ADDED = "evidence.added", "added evidence"
    EVIDENCE_REMOVED = "evidence.removed", "removed evidence"
    # One per evidence import: its links' evidence.added events are its effects.
    EVIDENCE_IMPORTED = "evidence.imported", "imported evidence links"
    NOTE_ADDED = "note.added", "added a note"
    PERSON_ADDED = "person.added", "added the person"
    PERSON_MERGED = "person.merged", "merged a duplicate into this person"
    # On a row that pointed at the duplicate (a claim's speaker, …).
    PERSON_REPLACED = "person.replaced", "replaced a merged duplicate person"
    PERSON_EDITED = "person.edited", "edited the person"
    ALIAS_ADDED = "person.alias_added", "added an alias"
    ALIAS_REMOVED = "person.alias_removed", "removed an alias"
    DUPLICATE_DISMISSED = "person.duplicate_dismissed", "dismissed a look-alike"
    SHOW_ADDED = "show.added", "added the show"
    SHOW_EDITED = "show.edited", "edited the show"
    EPISODE_ADDED = "episode.added", "added the episode by hand"
    EPISODE_EDITED = "episode.edited", "edited the episode"
    EPISODE_IMPORTED = "episode.imported", "imported the episode"
    EPISODE_CORRECTED = "episode.corrected", "imported a corrected source"
    # On the timeline of the user whose token it is (api/tokens.py).
    TOKEN_ISSUED = "token.issued", "made an API token"
    TOKEN_REVOKED = "token.revoked", "revoked an API token"
    DB_INSERT = "db.insert", "inserted a row outside the workflow"
    DB_UPDATE = "db.update", "changed a row outside the workflow"
    DB_DELETE = "db.delete", "deleted a row outside the workflow"


# Kinds that change what a claim's status or approval is.
STATUS_KINDS = frozenset(
    {Kind.RESEARCH_STARTED, Kind.VERDICT_PROPOSED, Kind.APPROVED, Kind.REOPENED}
)
# Kinds written by the database triggers, not by a workflow.
DB_KINDS = frozenset({Kind.DB_INSERT, Kind.DB_UPDATE, Kind.DB_DELETE})


class EventQuerySet(models.QuerySet):
    def about(self, instance: models.Model) -> EventQuerySet:
        """The timeline of ``instance`` (a claim, a person, an episode)."""
        return self.filter(topic_type=instance._meta.label_lower, topic_id=instance.pk)

    def newest_first(self) -> EventQuerySet:
        return self.order_by("-at", "-id")

    def for_timeline(self) -> EventQuerySet:
        return self.select_related("actor").newest_first()

    def now_at(self, model: type[models.Model], slug: str, hops: int = 5):
        """The ``model`` row whose page had the address ``slug`` before an
        edit changed it, or before a merge folded its row into another
        (``changes`` ``{"slug": [old, new]}`` or ``{"merged_slug": [old,
        …]}`` on the timeline of the row kept), following later merges up to
        ``hops`` times; None if the log knows no such address.

        Read from the log, so a page's old links keep working without a
        table of redirects to keep in step. Edits and merges are few among
        the events, and ``event_kind_idx`` finds them by kind.
        """
        label = model._meta.label_lower
        # The model's own kinds that change its fields or fold one row into
        # another ("person.edited", "person.merged"), and changes made
        # outside the workflow: all rare (never "claim.edited", the
        # commonest kind of all), so ``event_kind_idx`` reads few rows.
        own = f"{model._meta.model_name}."
        kinds = [
            k
            for k in Kind
            if k == Kind.DB_UPDATE
            or (k.startswith(own) and k.endswith((".edited", ".merged")))
        ]
        mine = self.filter(topic_type=label, kind__in=kinds).newest_first()
        topic = (
            mine.filter(
                models.Q(changes__slug__0=slug) | models.Q(changes__merged_slug__0=slug)
            )
            .values_list("topic_id", flat=True)
            .first()
        )
        for _ in range(hops):
            if topic is None:
                return None
            found = model._default_manager.filter(pk=topic).first()
            if found is not None:
                return found
            # Merged away since: on to the row it went into.
            topic = (
                mine.filter(changes__merged__0__id=topic)
                .values_list("topic_id", flat=True)
                .first()
            )
        return None


class Event(QuickLoading, models.Model):
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # Set by the workflow (the same instant as, say, a claim's approved_at),
    # by the database for rows its triggers write.
    at = models.DateTimeField(default=timezone.now, db_default=Now())
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        help_text="Empty for the command-line importer and for changes made "
        "outside the workflow (see the database user).",
    )
    # The PostgreSQL role that wrote the row, for changes outside the workflow.
    db_user = models.CharField(max_length=63, blank=True)
    object_type = models.CharField(max_length=60, help_text="A model label.")
    object_id = models.BigIntegerField(null=True, blank=True)
    topic_type = models.CharField(max_length=60, help_text="A model label.")
    topic_id = models.BigIntegerField()
    # {field: [old, new]} of the fields that changed.
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The transaction that wrote it: the database checks that a change of a
    # claim's status comes with an event of the same transaction.
    txid = models.BigIntegerField(
        db_default=models.Func(
            template="txid_current()", output_field=models.BigIntegerField()
        ),
        editable=False,
    )
    # The event this one is part of (a claim created by an import).
    cause = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="effects",
        null=True,
        blank=True,
        # Indexed by event_cause_idx (only the rows that have a cause).
        db_index=False,
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["topic_type", "topic_id", "-at", "-id"], name="event_topic_idx"
            ),
            models.Index(fields=["-at", "-id"], name="event_recent_idx"),
            models.Index(fields=["kind", "-at"], name="event_kind_idx"),
            models.Index(
                fields=["cause"],
                name="event_cause_idx",
                condition=Q(cause__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="audit_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(object_type__regex=r"^[a-z_]+\.[a-z_]+$")
                & Q(topic_type__regex=r"^[a-z_]+\.[a-z_]+$"),
                name="audit_event_labels_valid",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.who} {self.get_kind_display()} ({self.topic_type} {self.topic_id})"
        )

    @property
    def who(self) -> str:
        if self.actor_id is not None:
            return str(self.actor)
        if self.kind in DB_KINDS:
            return f"database user {self.db_user or '?'}"
        return "the importer"

    @property
    def by_database(self) -> bool:
        return self.kind in DB_KINDS
