"""Shared fixtures. Test data is built through the real workflow functions, so
it carries real history."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Group, User

from audit.models import Event
from claimdesk.roles import EDITOR, REVIEWER
from claims import workflow
from claims.models import Claim, ClaimType, Stance
from episodes.models import Episode, Show, SourceFormat
from people.models import Person

SOURCE = (
    "Intro line.\n"
    "The data center is a 5 to $6,000,000,000 data center that's fully built.\n"
    "I hope that 80 times growth doesn't continue.\n"
    "Anthropic had planned for growing about 10 times as big this year.\n"
)


# CI runs the property-based tests on a fixed sequence of examples, so a
# green run stays green; `make test` elsewhere explores new ones each run.
import os  # noqa: E402

from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def events(obj):
    """The log's events on ``obj``'s timeline, oldest first."""
    return Event.objects.about(obj).order_by("at", "id")


def make_user(username: str, *groups: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        is_staff=True,
        **extra,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def editor(db) -> User:
    return make_user("edna", EDITOR)


@pytest.fixture
def editor2(db) -> User:
    return make_user("eddie", EDITOR)


@pytest.fixture
def reviewer(db) -> User:
    return make_user("rita", REVIEWER)


@pytest.fixture
def outsider(db) -> User:
    """Staff, but in no editorial group."""
    return make_user("otto")


@pytest.fixture
def show(db) -> Show:
    return Show.objects.create(name="Big Technology", slug="big-technology")


@pytest.fixture
def speaker(db) -> Person:
    return Person.objects.create(name="Ranjan Roy", slug="ranjan-roy")


def make_episode(
    show: Show, source: str = SOURCE, slug: str = "ep-1", **extra
) -> Episode:
    return Episode.objects.create(
        show=show,
        title=extra.pop("title", f"Episode {slug}"),
        slug=slug,
        published_on=extra.pop("published_on", "2026-05-08"),
        source_format=SourceFormat.SUMMARY,
        source_text=source,
        source_checksum=hashlib.sha256((slug + source).encode()).hexdigest(),
        **extra,
    )


@pytest.fixture
def episode(show) -> Episode:
    return make_episode(show)


def make_claim(episode: Episode, quote: str = "80 times growth", **extra) -> Claim:
    start = episode.source_text.index(quote)
    return workflow.claim_create(
        episode=episode,
        text=extra.pop("text", f"Growth claim: {quote}"),
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        claim_type=extra.pop("claim_type", ClaimType.STATISTIC),
        **extra,
    )


@pytest.fixture
def claim(episode, speaker) -> Claim:
    return make_claim(episode, speaker=speaker)


def add_evidence(
    claim: Claim, actor: User, url: str = "https://example.org/report"
) -> None:
    workflow.evidence_add(claim=claim, actor=actor, url=url, stance=Stance.SUPPORTS)


@pytest.fixture
def proposed_claim(claim, reviewer) -> Claim:
    """A claim with a verified verdict proposed by the reviewer, not yet approved."""
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    return workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Matches the filing.", actor=reviewer
    )


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_truncate_guards():
    """Transactional tests end with Django's flush, a TRUNCATE of every table.
    The append-only tables refuse TRUNCATE (claims/dbrules.py); only this
    flush is let through, and only in the tests."""
    import pgtrigger
    from django.db.backends.postgresql.operations import DatabaseOperations

    from claims.dbrules import TRUNCATE_GUARDS

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore(*TRUNCATE_GUARDS):
            return original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness buys nothing in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_upload_folder(settings, tmp_path):
    """Each test its own folder of uploads awaiting confirmation: the default
    one in /tmp outlives a run, and a file left there by a preview a test
    never confirmed was taken, in a later run, for one of a user with the
    same id (a fresh clone's CI failed on it)."""
    settings.CLAIMDESK_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached aggregates (the admin's top speakers, …) start empty in each test."""
    from django.core.cache import cache

    cache.clear()
