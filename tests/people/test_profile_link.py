"""A person's profile link: published as their ``sameAs``, so only http(s),
checked alike by the workflow, the admin and the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import Kind
from people import workflow
from people.models import Person
from tests.conftest import events


@pytest.fixture
def amodei(db) -> Person:
    return workflow.person_create(name="Dario Amodei", actor=None)


def test_an_editor_sets_a_profile_link_and_the_log_records_it(amodei, editor):
    person = workflow.person_update(
        person=amodei,
        actor=editor,
        changes={"profile_url": " HTTPS://en.wikipedia.org/wiki/Dario_Amodei "},
    )
    assert person.profile_url == "https://en.wikipedia.org/wiki/Dario_Amodei"
    event = events(person).last()
    assert (event.kind, event.actor) == (Kind.PERSON_EDITED, editor)
    assert event.changes == {
        "profile_url": ["", "https://en.wikipedia.org/wiki/Dario_Amodei"]
    }


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x", "x y"]
)
def test_a_link_that_is_not_http_is_refused(amodei, editor, url):
    with pytest.raises(ValidationError) as refused:
        workflow.person_update(
            person=amodei, actor=editor, changes={"profile_url": url}
        )
    assert refused.value.code == "bad_url"
    amodei.refresh_from_db()
    assert amodei.profile_url == ""


def test_only_editors_set_it(amodei, reviewer):
    with pytest.raises(ValidationError) as refused:
        workflow.person_update(
            person=amodei, actor=reviewer, changes={"profile_url": "https://x.org"}
        )
    assert refused.value.code == "not_editor"


def test_the_database_refuses_another_scheme(amodei):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=amodei.pk).update(profile_url="javascript:x")


def test_the_admin_form_sets_it(client, amodei, editor):
    client.force_login(editor)
    url = reverse("admin:people_person_change", args=[amodei.pk])
    data = {
        "name": amodei.name,
        "slug": amodei.slug,
        "description": "",
        "profile_url": "javascript:alert(1)",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "starts with http:// or https://" in response.content.decode()
    data["profile_url"] = "https://www.wikidata.org/wiki/Q1"
    assert client.post(url, data).status_code == 302
    amodei.refresh_from_db()
    assert amodei.profile_url == "https://www.wikidata.org/wiki/Q1"
