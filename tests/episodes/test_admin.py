"""Admin for shows, people and episodes: aliases, the episode's claim list,
autocomplete for the claim form, read-only sources."""

from __future__ import annotations

import pytest
from django.urls import reverse

from episodes.models import Episode, Show
from people.models import Person, PersonAlias
from tests.conftest import make_claim


def episode_url(episode: Episode) -> str:
    return reverse("admin:episodes_episode_change", args=[episode.pk])


def test_editor_adds_an_alias_to_a_person(client, editor, speaker):
    client.force_login(editor)
    url = reverse("admin:people_person_change", args=[speaker.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": speaker.name,
            "slug": speaker.slug,
            "description": "Founder of Margins.",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "  Ranjan   Roy Jr ",
        },
    )
    assert response.status_code == 302
    assert list(speaker.aliases.values_list("name", flat=True)) == ["Ranjan Roy Jr"]
    assert list(Person.objects.matching_name("ranjan roy jr")) == [speaker]


def add_alias(client, person, alias: str):
    """Post the person's change form with one new alias row."""
    return client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        {
            "name": person.name,
            "slug": person.slug,
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": alias,
        },
    )


def test_an_alias_of_someone_else_is_a_form_error(client, editor, speaker):
    other = Person.objects.create(name="Alex Kantrowitz", slug="alex-kantrowitz")
    PersonAlias.objects.create(person=other, name="Alex K")
    client.force_login(editor)
    response = add_alias(client, speaker, "alex k")
    assert response.status_code == 200
    assert "is already an alias of Alex Kantrowitz" in response.text
    assert not speaker.aliases.exists()


def test_an_alias_that_is_another_persons_name_is_a_form_error(client, editor, speaker):
    Person.objects.create(name="Alex Kantrowitz", slug="alex-kantrowitz")
    client.force_login(editor)
    response = add_alias(client, speaker, "ALEX  kantrowitz")
    assert response.status_code == 200
    assert (
        "“ALEX kantrowitz” is the name of another person (alex-kantrowitz). If "
        "they are one person, merge the two" in response.text.replace("&ldquo;", "“")
    )
    assert not speaker.aliases.exists()


def test_person_list_shows_aliases(client, reviewer, speaker):
    PersonAlias.objects.create(person=speaker, name="Ranjan")
    client.force_login(reviewer)
    response = client.get(reverse("admin:people_person_changelist"))
    assert response.status_code == 200
    assert "Ranjan Roy" in response.text
    assert '<td class="field-alias_names">Ranjan</td>' in response.text


def test_reviewer_can_look_but_not_edit_people(client, reviewer, speaker):
    client.force_login(reviewer)
    url = reverse("admin:people_person_change", args=[speaker.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.post(url, {"name": "Renamed", "slug": "x"}).status_code == 403


def test_episode_page_lists_its_claims_with_links(client, reviewer, episode, speaker):
    first = make_claim(episode, speaker=speaker, text="<b>Growth</b> claim")
    second = make_claim(episode, quote="10 times as big")
    client.force_login(reviewer)
    response = client.get(episode_url(episode))
    assert response.status_code == 200
    for claim in (first, second):
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        assert f'<a href="{url}">' in response.text
    assert "&lt;b&gt;Growth&lt;/b&gt; claim" in response.text
    assert "<b>Growth</b>" not in response.text
    assert "Ranjan Roy" in response.text


def test_episode_page_query_count_does_not_grow_with_claims(
    client, editor, episode, django_assert_num_queries
):
    make_claim(episode)
    client.force_login(editor)
    client.get(episode_url(episode))  # warms the per-process content type cache
    # session + the user with their roles and permissions (one query:
    # claimdesk.roles.RoleModelBackend.get_user) + the episode with its show (claim
    # count annotated, source deferred) + the deferred source text for its
    # read-only display + the claims with their speakers + the appearances +
    # the selected show for its autocomplete
    with django_assert_num_queries(7):
        assert client.get(episode_url(episode)).status_code == 200
    for quote in ("Intro line.", "10 times as big", "fully built", "I hope"):
        make_claim(episode, quote=quote)
    with django_assert_num_queries(7):
        response = client.get(episode_url(episode))
    assert response.text.count("/admin/claims/claim/") >= 5


def test_episode_source_is_read_only_after_import(client, editor, episode, show):
    client.force_login(editor)
    response = client.post(
        episode_url(episode),
        {
            "show": show.pk,
            "title": "Renamed episode",
            "slug": episode.slug,
            "published_on": "2026-05-08",
            "source_text": "Something else entirely.",
            "appearances-TOTAL_FORMS": "0",
            "appearances-INITIAL_FORMS": "0",
            "appearances-MIN_NUM_FORMS": "0",
            "appearances-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.title == "Renamed episode"
    assert episode.source_text.startswith("Intro line.")


def test_episode_list_shows_claim_counts(client, reviewer, episode):
    make_claim(episode)
    client.force_login(reviewer)
    response = client.get(reverse("admin:episodes_episode_changelist"))
    assert response.status_code == 200
    assert '<td class="field-claim_count">1</td>' in response.text


def autocomplete(client, field: str, term: str):
    """The claim form's person autocomplete for ``field``, given ``term``."""
    return client.get(
        "/admin/autocomplete/",
        {
            "app_label": "claims",
            "model_name": "claim",
            "field_name": field,
            "term": term,
        },
    )


def test_person_autocomplete_works_for_a_reviewer(client, reviewer, speaker):
    Person.objects.create(name="Alex Kantrowitz", slug="alex-kantrowitz")
    client.force_login(reviewer)
    response = autocomplete(client, "speaker", "ran")
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(speaker.pk), "text": "Ranjan Roy"}]


def test_person_autocomplete_finds_aliases(client, reviewer, speaker):
    PersonAlias.objects.create(person=speaker, name="RR")
    client.force_login(reviewer)
    response = autocomplete(client, "claimant", "rr")
    assert [result["text"] for result in response.json()["results"]] == ["Ranjan Roy"]


def test_episode_autocomplete_searches_title_and_show(client, reviewer, episode):
    client.force_login(reviewer)
    response = autocomplete(client, "episode", "big tech")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(episode.pk), "text": episode.title}
    ]


def test_autocomplete_refuses_staff_without_a_role(client, outsider, speaker):
    client.force_login(outsider)
    response = autocomplete(client, "speaker", "ran")
    assert response.status_code == 403


def test_show_url_must_be_http(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:episodes_show_add"),
        {"name": "Hard Fork", "slug": "hard-fork", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert "http:// or https://" in response.text
    assert not Show.objects.filter(slug="hard-fork").exists()


def add_episode_data(show: Show, slug: str, source_text: str) -> dict[str, str]:
    return {
        "show": str(show.pk),
        "title": f"Episode {slug}",
        "slug": slug,
        "source_format": "summary",
        "source_text": source_text,
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_an_episode_by_hand_once(client, editor, show, episode):
    client.force_login(editor)
    url = reverse("admin:episodes_episode_add")
    response = client.post(url, add_episode_data(show, "by-hand", "A new source.\n"))
    assert response.status_code == 302
    added = Episode.objects.get(slug="by-hand")
    assert len(added.source_checksum) == 64
    response = client.post(url, add_episode_data(show, "again", "A new source.\n"))
    assert response.status_code == 200
    assert "This source text is already imported as “Episode by-hand”" in (
        response.text
    )
    assert not Episode.objects.filter(slug="again").exists()


def test_desk_edits_of_episodes_and_shows_are_recorded_with_who(
    client, editor, episode, speaker
):
    from audit.models import Kind
    from tests.conftest import events

    client.force_login(editor)
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    page = client.get(url)
    data = {
        "show": str(episode.show_id),
        "title": "A better title",
        "slug": episode.slug,
        "subtitle": "",
        "published_on": "2026-05-09",
        "source_url": "",
        "appearances-TOTAL_FORMS": "1",
        "appearances-INITIAL_FORMS": "0",
        "appearances-0-person": str(speaker.pk),
        "appearances-0-role": "guest",
    }
    assert page.status_code == 200
    assert client.post(url, data).status_code == 302
    edited = [e for e in events(episode) if e.actor == editor]
    assert [e.kind for e in edited] == [Kind.EPISODE_EDITED, Kind.EPISODE_EDITED]
    assert edited[0].changes == {
        "title": ["Episode ep-1", "A better title"],
        "published_on": ["2026-05-08", "2026-05-09"],
    }
    assert edited[1].changes == {"appearances": [[], ["Ranjan Roy (guest)"]]}
    show_url = reverse("admin:episodes_show_change", args=[episode.show_id])
    client.post(show_url, {"name": "Big Technology Podcast", "slug": "big-technology"})
    renamed = events(episode.show).last()
    assert (renamed.kind, renamed.actor) == (Kind.SHOW_EDITED, editor)
    assert renamed.changes == {"name": ["Big Technology", "Big Technology Podcast"]}


@pytest.mark.parametrize(
    ("name", "typed"),
    [("Zoë Schiffer", "zoe"), ("Conan O’Brien", "o'brien"), ("Jose Sanchez", "josé")],
)
def test_names_are_found_without_their_accents_or_curly_apostrophes(
    client, reviewer, name, typed
):
    person = Person.objects.create(name=name, slug="someone")
    Person.objects.create(name="Somebody Else", slug="somebody-else")
    client.force_login(reviewer)
    # The claim form's speaker autocomplete.
    response = autocomplete(client, "speaker", typed)
    assert response.json()["results"] == [{"id": str(person.pk), "text": name}]
    # The admin's people list.
    listed = client.get("/admin/people/person/", {"q": typed}).context["cl"]
    assert list(listed.result_list) == [person]
    # The public people list.
    page = client.get("/people/", {"q": typed})
    assert [p.pk for p in page.context["people"]] == [person.pk]


def test_an_alias_is_found_without_its_accents_too(client, speaker):
    # "Ranjan Roy" does not hold "roy ranjan"; the alias does, but for its
    # accent.
    assert client.get("/people/", {"q": "roy ranjan"}).context["people"] == []
    PersonAlias.objects.create(person=speaker, name="Ròy Ranjàn")
    page = client.get("/people/", {"q": "ROY RANJAN"})
    assert [p.pk for p in page.context["people"]] == [speaker.pk]


# --- concurrent edits in the desk ---------------------------------------------------


def opened_before(client, user, url: str, their_save) -> dict[str, str]:
    """What ``url``'s form posts as ``user`` opened it, before another
    editor's ``their_save()``."""
    from tests.claims.test_admin import form_data

    client.force_login(user)
    stale = form_data(client.get(url))
    their_save()
    return stale


def their_episode_save(episode, actor, **values):
    """Another editor's save of ``episode`` with ``values``, in the desk's way."""
    from episodes import workflow as episodes_workflow

    def save():
        theirs = Episode.objects.get(pk=episode.pk)
        for name, value in values.items():
            setattr(theirs, name, value)
        episodes_workflow.episode_save(episode=theirs, actor=actor)

    return save


def test_a_person_form_opened_before_anothers_save_keeps_their_changes(
    client, editor, editor2, speaker
):
    """Found by a new user: an editor saving a person's page opened before
    another's rename wrote the old name and profile link back, both told
    "changed successfully"."""
    from people import workflow as people_workflow

    url = reverse("admin:people_person_change", args=[speaker.pk])
    stale = opened_before(
        client,
        editor,
        url,
        lambda: people_workflow.person_update(
            person=speaker,
            actor=editor2,
            changes={"name": "Ranjan Roy Jr", "profile_url": "https://example.org/rr"},
        ),
    )
    stale["description"] = "Founder of Margins."
    assert client.post(url, stale).status_code == 302
    speaker.refresh_from_db()
    assert (speaker.name, speaker.profile_url, speaker.description) == (
        "Ranjan Roy Jr",
        "https://example.org/rr",
        "Founder of Margins.",
    )


def test_a_field_both_editors_changed_is_a_conflict_that_keeps_what_was_typed(
    client, editor, editor2, episode
):
    from tests.claims.test_admin import form_data

    stale = opened_before(
        client,
        editor,
        episode_url(episode),
        their_episode_save(episode, editor2, published_on="2026-05-09"),
    )
    stale["published_on"] = "2026-06-01"
    stale["title"] = "My title"
    response = client.post(episode_url(episode), stale)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["published_on"] == [
        "Someone else changed this while you were editing it. Your value is kept "
        "here: save again to keep it, or reload the page to see theirs."
    ]
    episode.refresh_from_db()
    assert (str(episode.published_on), episode.title) == ("2026-05-09", "Episode ep-1")
    # Saved again, as the page now stands: the user's values are kept.
    again = form_data(response)
    assert (again["published_on"], again["title"]) == ("2026-06-01", "My title")
    assert client.post(episode_url(episode), again).status_code == 302
    episode.refresh_from_db()
    assert (str(episode.published_on), episode.title) == ("2026-06-01", "My title")


def test_both_editors_setting_a_field_to_the_same_value_is_no_conflict(
    client, editor, editor2, episode
):
    stale = opened_before(
        client,
        editor,
        episode_url(episode),
        their_episode_save(episode, editor2, title="Same"),
    )
    stale["title"] = "Same"
    assert client.post(episode_url(episode), stale).status_code == 302
    episode.refresh_from_db()
    assert episode.title == "Same"


def test_both_editors_renaming_a_person_alike_is_no_conflict_and_no_error(
    client, editor, editor2, speaker
):
    # Found in review: a KeyError (a 500) on the person form.
    from people import workflow as people_workflow

    url = reverse("admin:people_person_change", args=[speaker.pk])
    stale = opened_before(
        client,
        editor,
        url,
        lambda: people_workflow.person_update(
            person=speaker, actor=editor2, changes={"name": "Ranjan Roy Jr"}
        ),
    )
    stale["name"] = "Ranjan Roy Jr"
    stale["description"] = "Founder of Margins."
    assert client.post(url, stale).status_code == 302
    speaker.refresh_from_db()
    assert (speaker.name, speaker.description) == (
        "Ranjan Roy Jr",
        "Founder of Margins.",
    )
