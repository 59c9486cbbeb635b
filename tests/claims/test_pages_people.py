"""The public people index: everyone, A to Z, with the claims a visitor may see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims import workflow
from people import workflow as people_workflow
from tests.conftest import make_claim

URL = reverse("people:list")


def test_the_navigation_links_to_people(db):
    html = Client().get(reverse("claims:dashboard")).content.decode()
    assert f'<a href="{URL}">People</a>' in html


def test_people_a_to_z_with_only_published_claims_counted_for_readers(
    client, episode, speaker, proposed_claim, editor, reviewer
):
    people_workflow.person_create(name="aaron <b>Early</b>", actor=None)
    make_claim(episode, quote="80 times", speaker=speaker)  # unreviewed
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    response = Client().get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("aaron &lt;b&gt;Early&lt;/b&gt;") < html.index(speaker.name)
    row = html[html.index(speaker.name) :]
    assert '<td class="number">1</td>' in row.split("</tr>")[0]
    client.force_login(reviewer)
    row = client.get(URL).content.decode().split(speaker.name, 1)[1]
    assert '<td class="number">2</td>' in row.split("</tr>")[0]


def test_pages_follow_on_from_the_last_name_shown(db, django_assert_max_num_queries):
    for n in range(55):
        people_workflow.person_create(name=f"Person {n:02d}", actor=None)
    with django_assert_max_num_queries(3):
        first = Client().get(URL)
    names = [p.name for p in first.context["people"]]
    assert names == [f"Person {n:02d}" for n in range(50)]
    after = first.context["next_after"]
    second = Client().get(URL, {"after": after}).context["people"]
    assert [p.name for p in second] == [f"Person {n:02d}" for n in range(50, 55)]
    assert Client().get(URL, {"after": "²"}).context["people"][0].name == "Person 00"


def test_a_name_search_finds_aliases_and_a_long_one_is_a_form_error(db):
    person = people_workflow.person_create(name="Dario Amodei", actor=None)
    people_workflow.person_create(name="Sam Altman", actor=None)
    people_workflow.alias_add(person=person, name="D. Amodei", actor=None)
    found = Client().get(URL, {"q": "d. amo"}).context["people"]
    assert [p.name for p in found] == ["Dario Amodei"]
    response = Client().get(URL, {"q": "word " * 20})
    assert response.status_code == 400
    assert "use at most 12" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Łukasz Ødegaard", "lukasz-odegaard"),
        ("Đorđe Æsir", "dorde-aesir"),
        ("Straße Müller", "strasse-muller"),
        ("Zoë Œuvre", "zoe-oeuvre"),
    ],
)
def test_a_persons_address_keeps_letters_that_have_no_accent_to_drop(db, name, slug):
    # slugify drops Ł, Ø, Đ, Æ, ß: "Łukasz Ødegaard" was /people/ukasz-degaard/.
    person = people_workflow.person_create(name=name, actor=None)
    assert person.slug == slug
