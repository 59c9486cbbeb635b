"""A person's or an episode's old address keeps working: after an edit of
its slug or a merge of the person into another, the old page redirects
(301) to the current one, found in the log (``Event.objects.now_at``)."""

from __future__ import annotations

from django.test import Client

from episodes import workflow as episodes_workflow
from people import workflow as people_workflow
from people.models import Person


def test_a_person_whose_slug_changed_is_found_at_the_old_address(db, editor, speaker):
    people_workflow.person_update(
        person=speaker, actor=editor, changes={"slug": "ranjan-roy-margins"}
    )
    response = Client().get("/people/ranjan-roy/", {"page": "2"})
    assert response.status_code == 301
    assert response["Location"] == "/people/ranjan-roy-margins/?page=2"
    # Browsers keep it a day: the address may be given to another page.
    assert response["Cache-Control"] == "max-age=86400"
    assert Client().get("/people/ranjan-roy-margins/").status_code == 200


def test_a_merged_persons_address_leads_to_the_person_kept(db, editor):
    people = [
        people_workflow.person_create(name=name, actor=None)
        for name in ("Dario Amodei", "Dario Amade", "D. Amodei")
    ]
    keep, first, second = people
    # "D. Amodei" into "Dario Amade", then that one into "Dario Amodei".
    people_workflow.person_merge(keep=first, duplicate=second, actor=editor)
    people_workflow.person_merge(keep=keep, duplicate=first, actor=editor)
    for old in (first.slug, second.slug):
        response = Client().get(f"/people/{old}/")
        assert (response.status_code, response["Location"]) == (
            301,
            keep.get_absolute_url(),
        )
    # A new person given a freed address gets it: the live row wins.
    Person.objects.create(name="Dario Amade II", slug=first.slug)
    assert Client().get(f"/people/{first.slug}/").status_code == 200


def test_an_episode_whose_slug_changed_is_found_at_the_old_address(db, editor, episode):
    episode.slug = "ep-1-renamed"
    episodes_workflow.episode_save(episode=episode, actor=editor)
    response = Client().get("/episodes/ep-1/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/episodes/ep-1-renamed/",
    )


def test_an_address_nobody_had_is_still_not_found(db, speaker):
    assert Client().get("/people/nobody-here/").status_code == 404
    assert Client().get("/episodes/nothing-here/").status_code == 404


def test_a_slug_changed_outside_the_workflow_is_followed_too(db, speaker):
    # The log's trigger records the change ("db.update"), as it records any.
    Person.objects.filter(pk=speaker.pk).update(slug="changed-by-sql")
    response = Client().get("/people/ranjan-roy/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/people/changed-by-sql/",
    )
