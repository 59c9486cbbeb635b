"""Claims' full-text search without accents (migration 0032): "jose" finds
"José" and "José" finds "Jose", on the public list, the admin and the API,
as the people lookup already did."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import Event
from claims.models import Claim
from tests.claims.test_search_summary_migration import vector
from tests.conftest import make_claim, make_episode

SOURCE = "José Andrés said the café grew 80 times. Zoe Brown said revenue doubled."


@pytest.fixture
def accented(show):
    episode = make_episode(show, source=SOURCE, slug="accents")
    return (
        make_claim(
            episode, quote="José Andrés said the café grew 80 times", text="Café growth"
        ),
        make_claim(
            episode, quote="Zoe Brown said revenue doubled", text="Revenue doubled"
        ),
    )


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("jose", 0),
        ("JOSÉ", 0),
        ("andres cafe", 0),
        ("cafés", 0),
        ("zoë", 1),
        ("Zoe", 1),
        ("-café revenue", 1),
    ],
)
def test_a_search_finds_its_words_with_or_without_accents(accented, search, found):
    assert list(Claim.objects.search(search)) == [accented[found]]


def test_the_public_list_and_the_api_find_them_too(client, accented, editor):
    claim = accented[0]
    # Signed in: the desk's lists show claims not yet published.
    client.force_login(editor)
    page = client.get(reverse("claims:claim_list"), {"q": "jose cafe"})
    assert page.status_code == 200
    assert claim.get_absolute_url() in page.text
    admin = client.get(reverse("admin:claims_claim_changelist"), {"q": "andres"})
    assert admin.status_code == 200
    assert [c.pk for c in admin.context["cl"].result_list] == [claim.pk]
    api = client.get(reverse("api:claim-list"), {"q": "JOSE"})
    assert api.status_code == 200
    assert [row["id"] for row in api.json()["results"]] == [claim.pk]


def test_the_stored_vectors_are_unaccented(accented):
    stored = vector(accented[0].pk)
    assert "'jose'" in stored and "'cafe'" in stored
    assert "é" not in stored


BEFORE = ("claims", "0031_published_changed_index")
AFTER = ("claims", "0032_search_without_accents")


# serialized_rollback: as tests/test_history_migration.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_remakes_every_vector_and_changes_nothing_else(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    Show = old.apps.get_model("episodes", "Show")
    Episode = old.apps.get_model("episodes", "Episode")
    OldClaim = old.apps.get_model("claims", "Claim")
    show = Show.objects.create(name="Show", slug="show")
    episode = Episode.objects.create(
        show=show,
        title="Episode",
        slug="episode",
        source_format="summary",
        source_text=SOURCE,
        source_checksum="0" * 64,
    )
    claim = OldClaim.objects.create(
        episode=episode,
        text="Café growth",
        quote="José Andrés said the café grew 80 times",
        summary="Zoë's résumé",
    )
    assert "'josé'" in vector(claim.pk)
    before = OldClaim.objects.values("version", "updated_at").get(pk=claim.pk)
    events = Event.objects.count()

    migrator.apply_tested_migration(AFTER)
    new = vector(claim.pk)
    assert "'jose'" in new and "'cafe'" in new and "'zoe'" in new
    assert "é" not in new and "ë" not in new
    assert OldClaim.objects.values("version", "updated_at").get(pk=claim.pk) == before
    assert Event.objects.count() == events
    # The column's statistics hold the new words (the admin search's bound).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text FROM pg_stats"
            " WHERE tablename = 'claims_claim' AND attname = 'search_vector'"
        )
        (words,) = cursor.fetchone()
    assert "jose" in words and "josé" not in words

    migrator.apply_tested_migration(BEFORE)
    assert "'josé'" in vector(claim.pk)


@pytest.mark.parametrize(
    ("search", "speaker"),
    [
        ("Zoe Muller", "Zoë Müller"),
        ("zoë müller", "Zoë Müller"),
        ("Jose Nunez", "José Núñez"),
        ("Pepe Nunez", "José Núñez"),  # an alias, without its accent
    ],
)
def test_a_speakers_name_is_found_without_its_accents(
    client, episode, editor, search, speaker
):
    """Found by a new user: the claim search's name look-up (pg_trgm) was
    not accent-insensitive: "Zoe Muller" found none of Zoë Müller's claims
    (people migration 0007: trigram indexes on claimdesk_unaccent(name))."""
    from people.models import Person, PersonAlias

    zoe = Person.objects.create(name="Zoë Müller", slug="zoe-muller")
    jose = Person.objects.create(name="José Núñez", slug="jose-nunez")
    PersonAlias.objects.create(person=jose, name="Pepe Núñez")
    claims = {
        person.name: make_claim(episode, speaker=person) for person in (zoe, jose)
    }
    assert list(Claim.objects.search(search)) == [claims[speaker]]
    client.force_login(editor)
    page = client.get(reverse("claims:claim_list"), {"q": search})
    assert claims[speaker].get_absolute_url() in page.text
