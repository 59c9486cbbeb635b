"""The claim list's filters, search and sort orders, as one django-filter
FilterSet: the page uses it, and a JSON API can use it unchanged.

It filters whatever queryset it is given; who may see what is decided before,
by ``Claim.objects.visible_to(user)``. Every filter names its lookup. The sort
orders end on the primary key, so ``claims.pagination`` can page through them
by keyset (no OFFSET).
"""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce

from claimdesk.limits import SEARCH_MAX_CHARS, validate_search
from claims.models import (
    VERDICTS,
    Claim,
    ClaimType,
    Evidence,
    Quantity,
    QuantityKind,
    Status,
)
from episodes.models import Episode, Show
from people.models import Person

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class YesNoField(forms.TypedChoiceField):
    """``yes``/``no`` in the URL, True/False in ``cleaned_data``; anything
    else is a form error (a bare BooleanWidget would ignore it silently)."""

    # Values refused with their own message (limit_to_public), before the
    # check that a value is one of the choices.
    refused: dict[str, str] = {}

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        super().__init__(
            coerce=lambda value: value == "yes", empty_value=None, **kwargs
        )

    def validate(self, value):
        if value in self.refused:
            raise ValidationError(
                self.refused[value], code="not_for_readers", params={"value": value}
            )
        super().validate(value)


class StatusesField(django_filters.fields.MultipleChoiceField):
    """Statuses, any empty one ("?status=", as a form with nothing ticked or
    a script with an empty variable sends) meaning none: every other filter
    takes an empty value as "any"; this one refused it, quoting nothing
    ("Select a valid choice.  is not one of the available choices.")."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class StatusFilter(django_filters.MultipleChoiceFilter):
    field_class = StatusesField


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class RelatedExistsFilter(YesNoFilter):
    """yes/no: whether the claim has at least one row in ``related``.

    An EXISTS subquery, not a JOIN: no duplicate rows, no DISTINCT, and each
    claim costs one index probe.
    """

    def __init__(self, *, related, **kwargs):
        self.related = related
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        subquery = self.related.objects.filter(claim=OuterRef("pk"))
        return qs.alias(**{self.field_name: Exists(subquery)}).filter(
            **{f"{self.field_name}__{self.lookup_expr}": value}
        )


class QuantityKindFilter(django_filters.ChoiceFilter):
    """Claims with at least one quantity of the chosen kind (EXISTS)."""

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        quantities = Quantity.objects.filter(
            claim=OuterRef("pk"), **{f"{self.field_name}__{self.lookup_expr}": value}
        )
        return qs.filter(Exists(quantities))


class SlugModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model picked by its slug, typed (or linked) rather than chosen from a
    select that would list every episode or person on each page view."""

    def __init__(self, *, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.TextInput)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": f"No {noun} has the slug “%(value)s”. Copy it "
                f"from the address of the {noun}'s page.",
            },
        )
        super().__init__(**kwargs)


# Sort orders. Each ends on the primary key, so every row has a distinct sort
# key (keyset pagination needs that), and nullable columns are coalesced to a
# value that sorts last, so "after this key" is a plain comparison.
ORDER_CHOICES = [
    ("newest", "Newest episode first"),
    ("checkworthy", "Most check-worthy first"),
    ("updated", "Recently updated first"),
    ("relevance", "Best match (with a search)"),
]
DEFAULT_ORDER = "newest"


def sort_claims(qs: QuerySet[Claim], order: str) -> QuerySet[Claim]:
    """Order ``qs`` by one of ``ORDER_CHOICES`` (relevance needs a search)."""
    searched = "search_rank" in qs.query.annotations
    if order == "relevance" and searched:
        return qs.order_by("-search_rank", "-id")
    if searched:
        # A search listed in an index's order: see by_id_if_few.
        qs = qs.by_id_if_few()
    if order == "checkworthy":
        return qs.annotate(
            sort_score=Coalesce("checkworthiness", Value(-1.0))
        ).order_by("-sort_score", "-id")
    if order == "updated":
        return qs.order_by("-updated_at", "-id")
    # Newest episode first; within an episode, in the order the claims were
    # said. One walk of claim_newest_idx (the trigger-kept copy of the
    # episode's date, and this same position expression).
    return qs.annotate(sort_position=Coalesce("quote_start", Value(0))).order_by(
        "-episode_date", "-episode_id", "sort_position", "id"
    )


class OrderFilter(django_filters.ChoiceFilter):
    """The ``order`` parameter. Unlike other filters it also acts when empty
    (the default order), so it must be declared last: relevance sorts on the
    rank that the ``q`` filter annotated."""

    def filter(self, qs, value):
        return sort_claims(qs, value or DEFAULT_ORDER)


class ClaimFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        # Documents the method: a match against the stored search_vector.
        lookup_expr="search",
        label="Search",
        help_text="Words from the claim, its summary or its quote, or a "
        "speaker's name.",
        # The browser's limit; the length is checked by validate_search
        # alone (max_length would add Django's own second message).
        widget=forms.TextInput(attrs={"maxlength": SEARCH_MAX_CHARS}),
        validators=[validate_search],
    )
    status = StatusFilter(
        field_name="status",
        lookup_expr="exact",
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Status",
        # A column of the claim itself: no JOIN, so no duplicates to remove.
        distinct=False,
    )
    approved = YesNoFilter(
        field_name="approved_at",
        lookup_expr="isnull",
        # approved=yes keeps rows where approved_at is NOT null.
        exclude=True,
        label="Verdict approved",
    )
    claim_type = django_filters.ChoiceFilter(
        field_name="claim_type",
        lookup_expr="exact",
        choices=ClaimType.choices,
        empty_label="Any",
        label="Claim type",
    )
    show = django_filters.ModelChoiceFilter(
        field_name="episode__show",
        lookup_expr="exact",
        to_field_name="slug",
        queryset=Show.objects.only("id", "name", "slug"),
        empty_label="Any show",
        label="Show",
    )
    episode = SlugModelChoiceFilter(
        noun="episode",
        field_name="episode",
        lookup_expr="exact",
        # Never load the source text just to check a slug.
        queryset=Episode.objects.only("id", "slug"),
        label="Episode (slug)",
    )
    speaker = SlugModelChoiceFilter(
        noun="person",
        field_name="speaker",
        lookup_expr="exact",
        queryset=Person.objects.only("id", "slug"),
        label="Speaker (slug)",
    )
    has_evidence = RelatedExistsFilter(
        related=Evidence,
        field_name="has_evidence",
        lookup_expr="exact",
        label="Has evidence",
    )
    quantity_kind = QuantityKindFilter(
        field_name="kind",
        lookup_expr="exact",
        choices=QuantityKind.choices,
        empty_label="Any",
        label="Has a quantity of kind",
    )
    published_after = django_filters.DateFilter(
        field_name="episode__published_on",
        lookup_expr="gte",
        label="Episode on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="episode__published_on",
        lookup_expr="lte",
        label="Episode on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Last: see OrderFilter.
    order = OrderFilter(
        choices=ORDER_CHOICES,
        lookup_expr="exact",
        empty_label=None,
        label="Sort",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def search(self, qs: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return qs.search(value)

    def get_form_class(self) -> type[forms.Form]:
        # The form's fields depend on the filters alone, never on a request:
        # made once per class. django-filter makes them anew for each filter
        # set (a field per filter, each model choice with its queryset), and
        # the form then deep-copies them again; each form still gets its own
        # copies (limit_to_public changes them).
        form_class = _FORM_CLASSES.get(type(self))
        if form_class is None:
            form_class = _FORM_CLASSES[type(self)] = super().get_form_class()
        return form_class


class _SharingExtras(dict):
    """A filter set's ``base_filters``, which django-filter deep-copies for
    each filter set so that each may set its own ``parent`` and ``model`` on
    them. Here each filter is copied, but what it was declared with (its
    querysets, widgets, choices and validators, which nothing changes once
    the class is made) is shared: deep-copying those took half of the filter
    set's set-up (about 1 ms a view on the machine of docs/performance.md).
    A filter with a ``method`` holds a helper that points back at it; its
    copy is given its own, pointing at the copy."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, filter_ in self.items():
            copies[name] = copied = copy.copy(filter_)
            copied.extra = dict(filter_.extra)
            if filter_.method is not None:
                copied.method = filter_.method
        return copies


_FORM_CLASSES: dict[type, type[forms.Form]] = {}
ClaimFilterSet.base_filters = _SharingExtras(ClaimFilterSet.base_filters)


def limit_to_public(form: forms.Form) -> None:
    """For readers who see approved verdicts only (``visible_to``): offer
    only what can match. The list page and the API both call it, so the same
    query gives the same claims (or the same refusal) on both."""
    field = form.fields["status"]
    field.choices = [
        (value, label) for value, label in field.choices if value in VERDICTS
    ]
    # Every claim a reader sees is approved: "yes" changes nothing, "no"
    # would match none, and is refused as a reviewer-only status is, rather
    # than ignored (the list would show the approved claims it asked not to
    # see). Not drawn on the page but when it holds that error.
    approved = form.fields["approved"]
    approved.choices = [(value, label) for value, label in YES_NO if value != "no"]
    approved.refused = {
        "no": "Readers see published verdicts only, each approved by an "
        "editor: approved=no matches none of them. Choose Any, or sign in as a "
        "reviewer or editor to list unapproved verdicts."
    }
    form.unlisted_fields = frozenset({"approved"})
    # Check-worthiness is internal, and "recently updated" would show when
    # reviewers work on a published claim (a note, new evidence).
    order = form.fields["order"]
    order.choices = [
        (value, label)
        for value, label in order.choices
        if value in ("", "newest", "relevance")
    ]


def unknown_parameters(params, filterset, also=("cursor",)) -> list[str]:
    """The names in ``params`` that are neither a filter of ``filterset`` nor
    in ``also``: the API and the downloads refuse them (ignored, a misspelt
    filter gave every claim); the list page keeps ignoring them (a shared
    link may carry a tracker's)."""
    return sorted(set(params) - set(filterset.filters) - set(also))


def claim_filterset(
    params, queryset: QuerySet[Claim], *, public: bool
) -> ClaimFilterSet:
    """The list's filters over ``queryset`` (already what the visitor may
    see); ``public`` offers only what anonymous visitors can match. The list
    page and its downloads both use it, so a filter means the same in each."""
    filterset = ClaimFilterSet(params, queryset=queryset)
    if public:
        limit_to_public(filterset.form)
    return filterset
