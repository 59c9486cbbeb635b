"""Reading claims: the list (the list page's filters, keyset pages), a claim
with what the user may do to it, and its history.

What a client may see is decided once, by ``Claim.objects.visible_to``: an
anonymous client or a user in no editorial group sees approved verdicts
only, and any other claim is a 404, the answer for a claim that does not
exist. Each view does a fixed number of queries, however many rows
(``tests/api/test_reading.py`` pins them).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import is_valid_path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.views import APIView

from api.filters import ClaimFilterBackend
from api.pagination import KeysetPagination
from api.schema import NOT_FOUND, READ_ERRORS, error
from api.serializers import (
    ClaimDetailSerializer,
    ClaimSerializer,
    EventSerializer,
    EvidenceSerializer,
    QuantitySerializer,
)
from audit.models import Event
from claimdesk.lookups import int_array
from claimdesk.prepared import Prepared
from claimdesk.roles import is_reviewer
from claims import workflow
from claims.filters import ClaimFilterSet
from claims.models import Claim, Evidence, Quantity, ReviewNote, count_per_claim

ERROR_RESPONSES = {**READ_ERRORS, **NOT_FOUND}


UNSHOWN_EPISODE_FIELDS = (
    "source_text",
    "subtitle",
    "source_url",
    "source_name",
    "source_format",
    "source_checksum",
    "created_at",
    "updated_at",
)
UNSHOWN_PERSON_FIELDS = ("description", "profile_url")
# A user is shown by username only.
UNSHOWN_USER_FIELDS = (
    "password",
    "last_login",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)


def claim_rows(user) -> QuerySet[Claim]:
    """The claims ``user`` may see, with everything a claim's representation
    shows but its amounts and links, which ``attach_lists`` gives a page of
    them (one query for the rows, one per list).

    A copy of a queryset built once per process and role: building it (five
    joins, a subquery to resolve, columns deferred) took about 1 ms a
    request on the slow VM of docs/performance.md. Never evaluated itself:
    each use filters, sorts or slices its own copy."""
    return _claim_rows(is_reviewer(user))._chain()


@functools.cache
def _claim_rows(reviewer: bool) -> QuerySet[Claim]:
    claims = (
        Claim.objects.visible_to_role(reviewer=reviewer)
        .for_list()
        .select_related("verdict_by", "approved_by", "assignee")
        # Only the columns the representation shows: every other column of
        # five joined tables was read, decoded (timestamps by psycopg in
        # Python) and set on the row's objects.
        .defer(
            "search_vector",
            "checkworthiness_reasons",
            *(f"episode__{name}" for name in UNSHOWN_EPISODE_FIELDS),
            *(
                f"{person}__{name}"
                for person in ("speaker", "claimant")
                for name in UNSHOWN_PERSON_FIELDS
            ),
            *(
                f"{user}__{name}"
                for user in ("verdict_by", "approved_by", "assignee")
                for name in UNSHOWN_USER_FIELDS
            ),
        )
    )
    if reviewer:
        claims = claims.annotate(notes_count=count_per_claim(ReviewNote))
    return claims


# An evidence row's values (EvidenceSerializer's fields), the username of
# who added it, as ``added_by_name``.
EVIDENCE_ROW_FIELDS = (
    *(name for name in EvidenceSerializer.Meta.fields if name != "added_by"),
    "added_by_name",
)


# The two lists' queries, compiled once per process (claimdesk.prepared):
# the same SQL for every page, with its claims' ids.
_QUANTITY_ROWS = Prepared(
    lambda ids: (
        Quantity.objects.filter(claim_id__any=ids)
        .order_by("id")
        .values_list("claim_id", *QuantitySerializer.Meta.fields)
    ),
    markers={"ids": [-1]},
    adapt={"ids": int_array},
)
_EVIDENCE_ROWS = Prepared(
    lambda ids: (
        Evidence.objects.filter(claim_id__any=ids)
        .order_by("added_at", "id")
        .values_list(
            "claim_id",
            *EVIDENCE_ROW_FIELDS[:-1],
            f"added_by__{get_user_model().USERNAME_FIELD}",
        )
    ),
    markers={"ids": [-1]},
    adapt={"ids": int_array},
)


def attach_lists(claims: Iterable[Claim]) -> None:
    """Give each claim its amounts and evidence links as the representation
    lists them (``quantity_rows``, ``evidence_rows``): rows of values, two
    queries whatever the number of claims.

    Rather than ``prefetch_related``, which made a model object for every
    amount, every link and the user who added it, and a related manager
    and a queryset per claim to hold them: for a page of 50 published
    claims at a million claims the two lists took 7-9 ms, now 3.5 (their
    SQL included). ``tests/api/test_fast_representation.py`` checks that a
    row is written as its model object is."""
    claims = list(claims)
    ids = {claim.pk for claim in claims}
    quantities: dict[int, list[dict]] = defaultdict(list)
    evidence: dict[int, list[dict]] = defaultdict(list)
    if ids:
        names = QuantitySerializer.Meta.fields
        for claim_id, *values in _QUANTITY_ROWS.list(ids=ids):
            quantities[claim_id].append(dict(zip(names, values, strict=True)))
        names = EVIDENCE_ROW_FIELDS
        for claim_id, *values in _EVIDENCE_ROWS.list(ids=ids):
            evidence[claim_id].append(dict(zip(names, values, strict=True)))
    for claim in claims:
        claim.quantity_rows = quantities.get(claim.pk, [])
        claim.evidence_rows = evidence.get(claim.pk, [])


def serializer_context(view) -> dict:
    context = generics.GenericAPIView.get_serializer_context(view)
    context["reviewer"] = is_reviewer(view.request.user)
    return context


def claim_detail_data(request, pk: int) -> dict:
    """A claim as the detail endpoint shows it, read afresh (after a step)."""
    claim = get_object_or_404(
        claim_rows(request.user).prefetch_related("mentions"), pk=pk
    )
    attach_lists([claim])
    reviewer = is_reviewer(request.user)
    offers = workflow.available_steps(claim, request.user) if reviewer else {}
    return ClaimDetailSerializer(
        claim,
        context={"request": request, "reviewer": reviewer, "offers": offers},
    ).data


YES_NO_PARAMETERS = [
    OpenApiParameter(name, str, enum=["yes", "no"], description=description)
    for name, description in (
        ("approved", "Verdict approved (reviewers only; readers see approved ones)."),
        ("has_evidence", "Has at least one evidence link."),
    )
]


@extend_schema(
    tags=["claims"],
    parameters=YES_NO_PARAMETERS,
    responses={200: ClaimSerializer, **ERROR_RESPONSES},
)
class ClaimList(generics.ListAPIView):
    """Claims, filtered and sorted like the claim list page (`/claims/`),
    in keyset pages. Readers who are not reviewers see published verdicts
    only, and may filter and sort as the page lets them."""

    serializer_class = ClaimSerializer
    filter_backends = [ClaimFilterBackend]
    filterset_class = ClaimFilterSet
    pagination_class = KeysetPagination

    def get_queryset(self):
        return claim_rows(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_lists(page)
        return page

    def get_serializer_context(self):
        return serializer_context(self)


@extend_schema(
    tags=["claims"], responses={200: ClaimDetailSerializer, **ERROR_RESPONSES}
)
class ClaimDetail(generics.RetrieveAPIView):
    """A claim with its evidence, figures, other passages, verdict, and the
    workflow steps this user may take now (`steps`: where to POST each)."""

    serializer_class = ClaimDetailSerializer

    def get_queryset(self):
        return claim_rows(self.request.user).prefetch_related("mentions")

    def get_object(self):
        claim = super().get_object()
        attach_lists([claim])
        return claim

    def get_serializer_context(self):
        context = serializer_context(self)
        context["offers"] = {}
        return context

    def get_serializer(self, instance=None, *args, **kwargs):
        serializer = super().get_serializer(instance, *args, **kwargs)
        if isinstance(instance, Claim) and serializer.context["reviewer"]:
            serializer.context["offers"] = workflow.available_steps(
                instance, self.request.user
            )
        return serializer


@extend_schema(
    tags=["claims"],
    responses={
        200: EventSerializer,
        401: error("Send a token or sign in: history is for reviewers."),
        403: error("Not a reviewer or editor (not_reviewer)."),
        **ERROR_RESPONSES,
    },
)
class ClaimHistory(generics.ListAPIView):
    """Every recorded change of a claim, its evidence, notes and figures,
    newest first: who, what changed (old → new), why. For reviewers and
    editors; a claim the client may not see is a 404, as everywhere."""

    serializer_class = EventSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        user = self.request.user
        claim = get_object_or_404(
            Claim.objects.visible_to(user).only("id"), pk=self.kwargs["pk"]
        )
        if not is_reviewer(user):
            if not user.is_authenticated:
                raise exceptions.NotAuthenticated(
                    "A claim's history is for reviewers and editors: send a "
                    "token or sign in."
                )
            raise exceptions.PermissionDenied(
                "A claim's history is for members of the Reviewer or Editor group.",
                code="not_reviewer",
            )
        return Event.objects.about(claim).for_timeline()


@extend_schema(exclude=True)
class NotFound(APIView):
    """Any address under /api/ that is none of the API's: its JSON 404.

    An address that is one of the API's but for its final slash is Django's
    redirect for a read; a write is not redirected (a client may drop the
    body, and Django refuses with a RuntimeError, a 500, under DEBUG): a 404
    that names the address to use."""

    def get(self, request, *args, **kwargs):
        path = request.path_info
        match = not path.endswith("/") and is_valid_path(
            f"{path}/", getattr(request, "urlconf", None)
        )
        if match and getattr(match.func, "view_class", None) is not NotFound:
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(
                    request.get_full_path(force_append_slash=True)
                )
            raise exceptions.NotFound(
                f"No such address: {request.method} to {request.path}/ "
                "(the API's addresses end with a slash)."
            )
        raise Http404

    # OPTIONS too: DRF's answer (200, this class's docstring) said that
    # an address that is none of the API's exists.
    post = put = patch = delete = options = get
