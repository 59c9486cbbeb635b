"""Instances from rows already read (claimdesk.instances.from_rows): the
instances a raw query builds, without Model.__init__."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import signals

from claimdesk.instances import from_rows
from claims.models import Claim

SQL = (
    "SELECT id, text, status, checkworthiness_reasons, speaker_id, "
    "approved_at, 42 AS extra FROM claims_claim WHERE id = %s"
)


def read(claim):
    with connection.cursor() as cursor:
        cursor.execute(SQL, [claim.pk])
        columns = [column.name for column in cursor.description]
        return columns, cursor.fetchall()


@pytest.fixture
def scored(claim):
    Claim.objects.filter(pk=claim.pk).update(
        checkworthiness_reasons=["a number", "a growth word"]
    )
    return Claim.objects.get(pk=claim.pk)


def test_the_instances_are_a_raw_querys(scored):
    [built] = from_rows(Claim, "default", *read(scored))
    [raw] = Claim.objects.raw(SQL, [scored.pk])
    assert built.__dict__.keys() == raw.__dict__.keys()
    for name in raw.__dict__.keys() - {"_state"}:
        assert getattr(built, name) == getattr(raw, name), name
    # The JSON column went through the field's converter, as Django's does.
    assert built.checkworthiness_reasons == ["a number", "a growth word"]
    assert built.extra == 42
    assert built._state.adding is False
    assert built._state.db == "default"
    assert built.get_deferred_fields() == raw.get_deferred_fields()
    assert "quote" in built.get_deferred_fields()
    # A deferred field loads on first use; the related object through its id.
    assert built.quote == scored.quote
    assert built.speaker == scored.speaker
    assert built == scored


def test_an_instance_saves_what_it_loaded(scored):
    [built] = from_rows(Claim, "default", *read(scored))
    built.refresh_from_db(fields=["text"])
    assert built.text == scored.text


def test_a_model_with_init_receivers_gets_djangos_from_db(scored):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Claim)
    try:
        [built] = from_rows(Claim, "default", *read(scored))
    finally:
        signals.post_init.disconnect(receiver, sender=Claim)
    assert seen == [built]
    assert built.checkworthiness_reasons == ["a number", "a growth word"]
    assert built.extra == 42
    assert "quote" in built.get_deferred_fields()


def test_rows_without_the_primary_key_are_refused():
    with pytest.raises(ValueError, match="no id column"):
        from_rows(Claim, "default", ["text"], [("a claim",)])
