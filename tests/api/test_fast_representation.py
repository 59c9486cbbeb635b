"""``FastRepresentation`` writes what DRF's own ``to_representation`` writes,
for every serializer that uses it, on claims in every state (a published
verdict, a proposed one, none; with and without speaker, amounts, evidence),
for readers and for reviewers."""

from __future__ import annotations

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from api.serializers import (
    ClaimSerializer,
    EpisodeRefSerializer,
    EvidenceSerializer,
    FastRepresentation,
    QuantitySerializer,
    VerdictSerializer,
)
from api.views.claims import attach_lists, claim_rows
from claims.models import Claim, Quantity
from tests.api.conftest import propose, publish
from tests.conftest import make_claim


def drf(serializer, instance):
    """The same serializer's output, as DRF writes it field by field."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def claims(episode, speaker, reviewer, editor):
    published = make_claim(episode, quote="80 times growth")
    publish(published, reviewer, editor)
    proposed = make_claim(episode, quote="a 5 to $6,000,000,000 data center")
    propose(proposed, reviewer, "false")
    bare = make_claim(episode, quote="planned for growing about 10 times")
    Claim.objects.filter(pk=bare.pk).update(speaker=None)
    Quantity.objects.create(
        claim=published, kind="multiplier", low=80, high=80, unit="x", text="80 times"
    )
    Quantity.objects.create(
        claim=proposed, kind="money", low=5e9, high=6.5e9, unit="USD", text="5 to 6"
    )
    return [published.pk, proposed.pk, bare.pk]


@pytest.mark.parametrize("who", ["reader", "reviewer"])
def test_fast_representation_writes_what_drf_writes(claims, reviewer, who):
    request = APIRequestFactory().get("/api/claims/")
    reader = who == "reader"
    rows = list(claim_rows(reviewer).filter(pk__in=claims).order_by("pk"))
    assert len(rows) == 3
    attach_lists(rows)
    context = {"request": request, "reviewer": not reader}
    compared = 0
    for claim in rows:
        pairs = [
            (ClaimSerializer(context=context), claim),
            (EpisodeRefSerializer(context=context), claim.episode),
            (VerdictSerializer(context=context), claim),
            *((QuantitySerializer(context=context), q) for q in claim.quantities.all()),
            *((EvidenceSerializer(context=context), e) for e in claim.evidence.all()),
        ]
        for serializer, instance in pairs:
            assert isinstance(serializer, FastRepresentation)
            fast = FastRepresentation.to_representation(serializer, instance)
            assert fast == drf(serializer, instance)
            assert list(fast) == list(drf(serializer, instance))  # same order
            compared += 1
    assert compared >= 3 * 3 + 2  # claims, episodes, verdicts, amounts, links
    # The nested values are there too (not all null): a real comparison.
    first = ClaimSerializer(rows[0], context=context).data
    assert first["verdict"]["status"] == "verified"
    assert first["quantities"][0]["low"] == 80
    assert first["url"].endswith(f"/api/claims/{rows[0].pk}/")
    assert first["url"].startswith("http://testserver/")
    assert first["page_url"] == rows[0].get_absolute_url()
    assert ClaimSerializer(rows[1], context=context).data["page_url"] == (
        rows[1].get_absolute_url()
    )
    assert ClaimSerializer(rows[2], context=context).data["speaker"] is None


def test_listed_rows_are_written_as_their_model_objects(claims, reviewer, editor):
    """A claim's amounts and links, listed as rows of values
    (``attach_lists``), are written exactly as the same Quantity and
    Evidence objects are (the evidence step answers with the object)."""
    from claims import workflow

    claim = Claim.objects.get(pk=claims[0])
    workflow.evidence_add(
        claim=claim,
        actor=editor,
        url="https://example.org/second",
        title="A second source",
        stance="refutes",
        publisher="Example",
        excerpt="It says otherwise.",
        published_on=datetime.date(2026, 1, 2),
    )
    rows = list(claim_rows(reviewer).filter(pk__in=claims).order_by("pk"))
    attach_lists(rows)
    context = {"reviewer": True}
    compared = 0
    for row in rows:
        quantities = list(Quantity.objects.filter(claim=row).order_by("id"))
        evidence = list(row.evidence.order_by("added_at", "id"))
        assert len(row.quantity_rows) == len(quantities)
        assert len(row.evidence_rows) == len(evidence)
        for listed, model in [
            *zip(row.quantity_rows, quantities, strict=True),
            *zip(row.evidence_rows, evidence, strict=True),
        ]:
            serializer = (
                QuantitySerializer
                if isinstance(model, Quantity)
                else EvidenceSerializer
            )(context=context)
            assert serializer.to_representation(listed) == (
                serializer.to_representation(model)
            )
            compared += 1
    assert compared >= 4  # two amounts and at least two links
    assert [e["title"] for e in rows[0].evidence_rows][-1] == "A second source"
    assert rows[0].evidence_rows[-1]["added_by_name"] == editor.username


def test_source_values_are_what_drfs_get_attribute_reads(claims):
    """Methods, partialmethods (get_status_display), related objects, mappings
    holding callables or not, and a missing speaker: each read as DRF
    reads it, row after row (the decision to call is cached per class
    and attribute, never per mapping key)."""
    from rest_framework.fields import get_attribute

    from api.serializers import _source_value

    rows = list(Claim.objects.filter(pk__in=claims).order_by("pk"))
    sources = [
        ["get_status_display"],
        ["get_absolute_url"],
        ["is_approved"],
        ["speaker", "name"],
        ["episode", "show", "name"],
        ["text"],
    ]

    def read(function, claim, attrs):
        try:
            return function(claim, attrs)
        except AttributeError:  # no speaker: both raise; the field says null
            return AttributeError

    for claim in rows * 2:
        for attrs in sources:
            expected = read(get_attribute, claim, attrs)
            assert read(_source_value, claim, attrs) == expected, attrs
    assert read(_source_value, rows[2], ["speaker", "name"]) is AttributeError
    # A mapping is read by key; a callable it holds is called when simple,
    # whatever another mapping held under the same key.
    assert _source_value({"a": lambda: 3}, ["a"]) == 3
    assert _source_value({"a": 4}, ["a"]) == 4
    assert _source_value({"a": lambda x: x}, ["a"])(5) == 5
    assert _source_value({"a": {"b": lambda: "deep"}}, ["a", "b"]) == "deep"


def test_date_times_are_written_in_the_current_time_zone_of_the_response():
    """DateTimeField looks the time zone up once per field, so a response
    made under another active time zone (a new field) writes in that one;
    the values are DRF's own."""
    from django.utils import timezone
    from rest_framework import serializers as drf_serializers

    from api.serializers import DateTimeField

    moment = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    assert DateTimeField().to_representation(moment) == (
        drf_serializers.DateTimeField().to_representation(moment)
    )
    with timezone.override("America/New_York"):
        field = DateTimeField()
        assert field.to_representation(moment) == "2026-03-01T07:30:00-05:00"
        assert field.to_representation(moment) == (
            drf_serializers.DateTimeField().to_representation(moment)
        )
    with timezone.override("Asia/Tokyo"):
        assert DateTimeField().to_representation(moment) == (
            "2026-03-01T21:30:00+09:00"
        )
