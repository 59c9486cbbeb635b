"""What the API says about claims, episodes, people and the log.

A claim says what the export contract says (``claims.export.claim_record``:
same keys, same values, README "Export contract"), plus what the API adds:
its addresses, version, verdict, the steps the user may take. Fields the
public claim page does not show (check-worthiness, the assignee, the number
of notes, who proposed a verdict) are null for readers who are not
reviewers; the rest is the same for everyone who may see the claim.

Read-only: writes go through the step views (``api.views.steps``), which
validate with the step's own form from ``claims.forms``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject
from rest_framework.reverse import reverse

from audit.models import Event, Kind
from claimdesk.reversing import id_url_pattern

# The export's own conversion, so both write the same numbers.
from claims.export import _number
from claims.models import Claim, Evidence, Mention, Quantity, ReviewNote, Status
from claims.workflow import Offer, Step
from episodes.models import Episode
from people.models import Person

# The endpoint of each step the API can take (None: only in the admin).
STEP_ROUTES: dict[Step, str | None] = {
    Step.START_RESEARCH: "api:claim-start-research",
    Step.SET_VERDICT: "api:claim-verdict",
    Step.APPROVE: "api:claim-approve",
    Step.REOPEN: "api:claim-reopen",
    Step.ASSIGN_TO_ME: "api:claim-assign",
    Step.ADD_EVIDENCE: "api:claim-evidence",
    Step.ADD_NOTE: "api:claim-notes",
    # The API edits the summary only; the desk and the page edit the rest.
    Step.EDIT: "api:claim-summary",
    Step.REMOVE_EVIDENCE: None,
}


# Whether a method or function met on a field's source is called (DRF calls
# those that take no arguments), decided once per class and attribute: a
# method, or a partialmethod such as get_status_display (a new partial at
# every access), is the same for every instance of its class.
_CALLED: dict[tuple[type, str], bool] = {}
# Whether a class is a Mapping (read by key), decided once per class: an
# isinstance check against the abstract class costs more than the read.
_MAPPING: dict[type, bool] = {}


def _is_called(value) -> bool:
    return (
        inspect.ismethod(value)
        or inspect.isfunction(value)
        or isinstance(value, functools.partial)
    ) and is_simple_callable(value)


def _source_value(instance, attrs: list[str]):
    """DRF's ``fields.get_attribute``, with each callable's signature checked
    once per class and attribute instead of once per row."""
    for attr in attrs:
        cls = type(instance)
        mapping = _MAPPING.get(cls)
        if mapping is None:
            mapping = _MAPPING[cls] = issubclass(cls, Mapping)
        try:
            instance = instance[attr] if mapping else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if callable(instance):
            if mapping:
                # What a mapping holds under a key can differ row by row.
                called = _is_called(instance)
            else:
                called = _CALLED.get((cls, attr))
                if called is None:
                    called = _CALLED[cls, attr] = _is_called(instance)
            if called:
                instance = instance()
    return instance


# ``Serializer.to_representation``, the same output read faster.
#
# DRF reads each value through ``Field.get_attribute``, which inspects the
# signature of every method it meets (``get_absolute_url``,
# ``get_status_display``, ``get_username``) on every row, and lists the
# readable fields again for every row. Here the fields are listed once per
# serializer and each function's signature checked once; a value that
# cannot be read this way (a missing attribute) is read by DRF's own
# ``get_attribute``, with its defaults, nulls and errors.
# ``tests/api/test_fast_representation.py`` compares the output with
# DRF's.
# (A comment, not a docstring: the OpenAPI schema would take it as the
# description of every serializer that has none of its own.)
class FastRepresentation:
    def to_representation(self, instance):
        fields = self.__dict__.get("_fast_fields")
        if fields is None:
            # A field with a get_attribute of its own (ClaimVerdictField) is
            # read by it.
            fields = self._fast_fields = [
                (
                    field,
                    field.field_name,
                    field.source_attrs,
                    type(field).get_attribute is serializers.Field.get_attribute,
                )
                for field in self._readable_fields
            ]
        ret = {}
        for field, name, attrs, plain in fields:
            try:
                if not plain:
                    raise AttributeError
                value = _source_value(instance, attrs)
            except (KeyError, AttributeError):
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject):
                    value = value if value.pk is not None else None
            ret[name] = None if value is None else field.to_representation(value)
        return ret


class DateTimeField(serializers.DateTimeField):
    """DRF's, with the current time zone looked up once per field and
    response rather than for every value (through the settings and
    asgiref's context-local storage: a sixth of a 50-claim page's
    serialisation, which writes about 330 times)."""

    def default_timezone(self):
        try:
            return self._default_timezone
        except AttributeError:
            self._default_timezone = super().default_timezone()
            return self._default_timezone


# For the ModelSerializers below: their model's date-times as DateTimeField.
FIELD_MAPPING = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.DateTimeField: DateTimeField,
}


def is_reviewer_context(serializer: serializers.Field) -> bool:
    return bool(serializer.context.get("reviewer"))


@extend_schema_field(OpenApiTypes.NUMBER)
class AmountField(serializers.Field):
    """A stored decimal as the export writes it: an integer when whole."""

    def to_representation(self, value):
        return _number(value)


class InternalMixin:
    """Fields (``internal``) that only reviewers and editors are shown."""

    internal: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not is_reviewer_context(self):
            for name in self.internal:
                data[name] = None
        return data


class EpisodeRefSerializer(FastRepresentation, serializers.Serializer):
    title = serializers.CharField()
    show = serializers.CharField(source="show.name")
    published_on = serializers.DateField(allow_null=True)
    slug = serializers.SlugField()


class QuantitySerializer(FastRepresentation, serializers.ModelSerializer):
    serializer_field_mapping = FIELD_MAPPING
    low = AmountField(allow_null=True)
    high = AmountField(allow_null=True)

    class Meta:
        model = Quantity
        fields = ["kind", "low", "high", "unit", "approx", "text"]


class EvidenceSerializer(
    InternalMixin, FastRepresentation, serializers.ModelSerializer
):
    # Who added a link is shown to reviewers only, as on the claim's page.
    internal = ("added_by",)
    serializer_field_mapping = FIELD_MAPPING
    # A link (Evidence.added_by_name), or a claim's row of values
    # (api.views.claims.attach_lists).
    added_by = serializers.CharField(
        source="added_by_name",
        read_only=True,
        allow_null=True,
        help_text="Who added the link (null for readers).",
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "url",
            "title",
            "stance",
            "publisher",
            "published_on",
            "excerpt",
            "added_by",
            "added_at",
        ]


class MentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mention
        fields = ["quote", "quote_start", "quote_end", "timestamp_seconds"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username")

    class Meta:
        model = ReviewNote
        fields = ["id", "body", "author", "created_at"]


class VerdictSerializer(InternalMixin, FastRepresentation, serializers.Serializer):
    """The claim's verdict: published once approved; proposed until then
    (only reviewers see a claim whose verdict is not approved)."""

    internal = ("proposed_by",)

    status = serializers.ChoiceField(choices=Status.choices)
    label = serializers.CharField(source="get_status_display")
    rationale = serializers.CharField()
    approved = serializers.BooleanField(source="is_approved")
    approved_at = DateTimeField(allow_null=True)
    approved_by = serializers.CharField(
        source="approved_by.get_username", allow_null=True
    )
    proposed_by = serializers.CharField(
        source="verdict_by.get_username", allow_null=True
    )


# The claim's own verdict (``source="*"``), or null when it has none: one
# field of the claim serializer, bound once per response. A VerdictSerializer
# made per claim deep-copied its seven fields each time (a third of the API
# list's time above its SQL). Documented as the Verdict it writes.
@extend_schema_field(VerdictSerializer(allow_null=True))
class ClaimVerdictField(VerdictSerializer):
    def get_attribute(self, instance):
        return instance if instance.is_verdict else None


class ClaimSerializer(InternalMixin, FastRepresentation, serializers.ModelSerializer):
    """A claim as the list shows it: the export contract's keys and more."""

    # The version too: readers do not write, and it moves with an
    # assignment or a score (internal work), as updated_at did.
    internal = ("checkworthiness", "notes", "assignee", "version")
    serializer_field_mapping = FIELD_MAPPING

    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    speaker = serializers.CharField(source="speaker.name", allow_null=True)
    speaker_slug = serializers.SlugField(source="speaker.slug", allow_null=True)
    claimant = serializers.CharField(source="claimant.name", allow_null=True)
    claimant_slug = serializers.SlugField(source="claimant.slug", allow_null=True)
    episode = EpisodeRefSerializer()
    approved = serializers.BooleanField(source="is_approved")
    verdict = ClaimVerdictField(source="*", allow_null=True, read_only=True)
    # Rows of values given to each claim by api.views.claims.attach_lists.
    quantities = QuantitySerializer(many=True, source="quantity_rows")
    evidence = EvidenceSerializer(many=True, source="evidence_rows")
    notes = serializers.SerializerMethodField(
        help_text="Number of reviewer notes (null for readers)."
    )
    assignee = serializers.CharField(source="assignee.get_username", allow_null=True)
    version = serializers.IntegerField(
        allow_null=True,
        help_text="The claim's version, to send back with a step "
        "(null for readers, who take none).",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "page_url",
            "text",
            "summary",
            "quote",
            "speaker",
            "speaker_slug",
            "claimant",
            "claimant_slug",
            "episode",
            "timestamp_seconds",
            "claim_type",
            "status",
            "approved",
            "verdict",
            "checkworthiness",
            "resolves_on",
            "quantities",
            "evidence",
            "notes",
            "assignee",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not is_reviewer_context(self):
            # Readers are told when what they see last changed, not of every
            # write (a note, an assignment): Claim.published_changed_at.
            changed = instance.published_changed_at
            data["updated_at"] = (
                None
                if changed is None
                else self.fields["updated_at"].to_representation(changed)
            )
        return data

    def get_url(self, claim: Claim) -> str:
        # The address of one claim, with the id put in: one reverse() and
        # one absolute URL per response rather than per claim.
        template = self.context.get("_claim_url")
        if template is None:
            template = self.context["_claim_url"] = id_url_pattern(
                reverse, "api:claim-detail", request=self.context.get("request")
            )
        return template.format(claim.pk)

    def get_page_url(self, claim: Claim) -> str:
        # Claim.get_absolute_url, with one reverse() per response.
        template = self.context.get("_claim_page_url")
        if template is None:
            template = self.context["_claim_page_url"] = id_url_pattern(
                django_reverse, "claims:claim_detail"
            )
        return template.format(claim.pk)

    def get_notes(self, claim: Claim) -> int | None:
        return getattr(claim, "notes_count", None)


class StepSerializer(serializers.Serializer):
    """A step the user may take now (``workflow.available_steps``)."""

    step = serializers.ChoiceField(choices=[(s.value, s.value) for s in Step])
    url = serializers.URLField(
        allow_null=True, help_text="Where to POST it (null: only in the admin)."
    )
    choices = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        help_text="For set-verdict: the verdicts that may be proposed now.",
    )
    fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="For edit: the fields its url changes (the summary). When "
        "the user may change only other fields, the url is null and they are "
        "listed: the desk and the claim page edit them.",
    )


# The fields each step's endpoint takes, where it takes fewer than the
# workflow offers (the API edits the summary alone).
API_STEP_FIELDS: dict[Step, frozenset[str]] = {Step.EDIT: frozenset({"summary"})}


def step_rows(claim: Claim, offers: dict[Step, Offer], request) -> list[dict]:
    rows = []
    for step, offer in offers.items():
        route = STEP_ROUTES.get(step)
        fields = offer.fields
        if route and step in API_STEP_FIELDS:
            if fields & API_STEP_FIELDS[step]:
                fields = fields & API_STEP_FIELDS[step]
            else:
                route = None
        rows.append(
            {
                "step": step.value,
                "url": reverse(route, args=[claim.pk], request=request)
                if route
                else None,
                "choices": [status.value for status in offer.choices],
                "fields": sorted(fields),
            }
        )
    return rows


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with its other passages and the steps the user may take."""

    mentions = MentionSerializer(many=True)
    steps = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields,
            "quote_start",
            "quote_end",
            "mentions",
            "steps",
        ]
        read_only_fields = fields

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, claim: Claim) -> list[dict]:
        offers = self.context.get("offers") or {}
        return step_rows(claim, offers, self.context.get("request"))


class EventSerializer(serializers.ModelSerializer):
    """One line of a claim's history: who, what changed (old → new), why."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    what = serializers.CharField(source="get_kind_display")
    actor = serializers.CharField(source="actor.get_username", allow_null=True)
    object_type = serializers.CharField(help_text="A model label: claims.evidence.")
    changes = serializers.DictField(
        child=serializers.JSONField(),
        help_text="{field: [old, new]} of the fields that changed.",
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "at",
            "kind",
            "what",
            "actor",
            "db_user",
            "object_type",
            "object_id",
            "changes",
            "note",
            "request_id",
        ]
        read_only_fields = fields


class EpisodeSerializer(serializers.ModelSerializer):
    show = serializers.CharField(source="show.name")
    show_slug = serializers.SlugField(source="show.slug")
    page_url = serializers.CharField(source="get_absolute_url")
    claim_count = serializers.IntegerField(
        help_text="Claims of the episode this user may see."
    )

    class Meta:
        model = Episode
        fields = [
            "slug",
            "title",
            "show",
            "show_slug",
            "published_on",
            "page_url",
            "claim_count",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    page_url = serializers.CharField(source="get_absolute_url")
    claims_spoken = serializers.IntegerField(
        source="spoken_count", help_text="Claims they said that the client may see."
    )
    claims_made = serializers.IntegerField(
        source="made_count",
        help_text="Claims reported as theirs that the client may see.",
    )

    class Meta:
        model = Person
        fields = [
            "slug",
            "name",
            "description",
            "profile_url",
            "page_url",
            "claims_spoken",
            "claims_made",
        ]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers (``api.errors``)."""

    code = serializers.CharField(
        help_text="The workflow's refusal code (stale, not_editor, four_eyes, "
        "evidence_required, …), a form's (required, invalid_choice, …) or "
        "the API's (not_found, not_authenticated, throttled, …)."
    )
    detail = serializers.CharField(help_text="What was wrong and what to do.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        required=False,
        help_text="Each field's errors: [{code, message}].",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="On a 409: the claim's version now."
    )
