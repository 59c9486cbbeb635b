"""The importer end to end: import_episode and load_seeds on real files."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from rapidfuzz import fuzz

from audit.models import Event, Kind
from claims import workflow
from claims.ingest.save import MAX_COMPARED, SAME_QUOTE_SCORE, _key, _match_claims
from claims.models import Claim, ClaimType, Mention, QuantityKind, Status
from episodes.models import Appearance, Episode, Role, Show
from people.loading import PeopleFileError, load_people
from people.models import Person, PossibleDuplicate
from tests.conftest import add_evidence, events, make_user

SEEDS = Path(settings.BASE_DIR) / "seeds"
SAMPLE = SEEDS / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
DARIO_QUOTE = (
    "Dario Amade, the chief executive of Anthropic, said on Wednesday that his "
    "artificial intelligence company had planned for growing about 10 times as big "
    "this year."
)


def run(*args: str) -> tuple[str, str]:
    """call_command, returning (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> str:
    """Run a command that must exit non-zero; return its stderr."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises((CommandError, SystemExit)) as exc:
        call_command(*args, stdout=out, stderr=err)
    if isinstance(exc.value, SystemExit):
        assert exc.value.code not in (0, None)
    return err.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def core_counts() -> tuple[int, int, int, int]:
    return (
        Episode.objects.count(),
        Claim.objects.count(),
        Show.objects.count(),
        Person.objects.count(),
    )


@pytest.fixture
def known_people(db) -> None:
    load_people(json.loads((SEEDS / "people.json").read_text("utf-8")))


@pytest.fixture
def imported(known_people) -> Episode:
    out, err = run("import_episode", str(SAMPLE))
    assert err == ""
    return Episode.objects.get()


def claim_quoting(episode: Episode, start: str) -> Claim:
    return episode.claims.get(quote__startswith=start)


# --- importing the sample -------------------------------------------------------


@pytest.mark.django_db
def test_import_prints_one_line_naming_the_file_and_the_claims(known_people):
    out, err = run("import_episode", str(SAMPLE))
    assert err == ""
    assert out.count("\n") == 1
    assert out.startswith(f"imported {SAMPLE}: episode 'Ranjan Roy: SpaceX’s")
    assert out.rstrip().endswith("11 claims (11 quotes)")


@pytest.mark.django_db
def test_import_creates_the_show_and_episode_with_its_source_verbatim(imported):
    assert imported.show.name == "Big Technology"
    assert imported.show.slug == "big-technology"
    assert imported.slug == "big-technology-2026-05-08-ranjan-roy"
    assert str(imported.published_on) == "2026-05-08"
    assert imported.source_format == "summary"
    assert imported.source_name == SAMPLE.name
    assert imported.source_text == SAMPLE.read_text("utf-8")
    assert imported.subtitle.startswith("SpaceX's new role in AI computing")


@pytest.mark.django_db
def test_guest_appears_and_no_host_is_invented(imported):
    appearances = list(Appearance.objects.values_list("person__name", "role"))
    assert appearances == [("Ranjan Roy", Role.GUEST)]


@pytest.mark.django_db
def test_every_quote_is_a_claim_by_ranjan_roy_whose_offsets_slice_the_source(imported):
    claims = list(imported.claims.in_source_order().select_related("speaker"))
    assert len(claims) == 11
    for claim in claims:
        assert claim.speaker.name == "Ranjan Roy"
        assert imported.source_text[claim.quote_start : claim.quote_end] == claim.quote
        assert claim.timestamp_seconds is None
        assert claim.status == Status.UNREVIEWED
        assert 0 <= claim.checkworthiness <= 1


@pytest.mark.django_db
def test_reported_words_have_dario_amodei_as_claimant_through_the_alias(imported):
    claim = claim_quoting(imported, "Dario Amade")
    assert claim.quote == DARIO_QUOTE
    assert claim.speaker.name == "Ranjan Roy"
    assert claim.claimant == Person.objects.get(name="Dario Amodei")
    # Reported words about a plan for this year: a forecast, due at year end.
    assert claim.claim_type == ClaimType.FORECAST
    assert str(claim.resolves_on) == "2026-12-31"


@pytest.mark.django_db
def test_without_the_alias_the_misspelt_claimant_is_flagged_not_merged():
    amodei = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    run("import_episode", str(SAMPLE))
    claim = Claim.objects.get(quote=DARIO_QUOTE)
    assert claim.claimant.name == "Dario Amade"
    assert claim.claimant != amodei
    flag = PossibleDuplicate.objects.get()
    assert (flag.person, flag.similar_to) == (claim.claimant, amodei)
    assert flag.score > 85
    assert flag.resolved_at is None


@pytest.mark.django_db
def test_the_three_quantities_are_on_the_right_claims(imported):
    def quantities(start: str) -> list[tuple]:
        return list(
            claim_quoting(imported, start).quantities.values_list(
                "kind", "low", "high", "unit", "approx", "text"
            )
        )

    billion = Decimal(10**9)
    assert quantities("The data center that they") == [
        (
            QuantityKind.MONEY,
            5 * billion,
            6 * billion,
            "USD",
            False,
            "5 to $6,000,000,000",
        )
    ]
    assert quantities("I hope that 80 times") == [
        (QuantityKind.MULTIPLIER, 80, 80, "x", False, "80 times")
    ]
    assert quantities("Dario Amade") == [
        (QuantityKind.MULTIPLIER, 10, 10, "x", True, "about 10 times")
    ]
    assert sum(claim.quantities.count() for claim in imported.claims.all()) == 3


@pytest.mark.django_db
def test_vague_bullets_do_not_become_claims(imported):
    vague = (
        "The AI industry’s landscape is becoming increasingly competitive and dynamic."
    )
    assert vague in imported.source_text
    assert not Claim.objects.filter(quote__contains="increasingly competitive").exists()
    assert not Claim.objects.filter(quote=vague).exists()


@pytest.mark.django_db
def test_every_claim_has_its_created_event_naming_the_file(imported):
    (import_event,) = Event.objects.filter(kind=Kind.EPISODE_IMPORTED)
    assert (import_event.topic_id, import_event.actor) == (imported.pk, None)
    assert import_event.changes["claims"] == [None, imported.claims.count()]
    for claim in imported.claims.all():
        (change,) = events(claim)
        assert (change.kind, change.changes["status"]) == (
            Kind.CLAIM_CREATED,
            [None, Status.UNREVIEWED],
        )
        assert change.actor is None
        assert change.note == f"Imported from {SAMPLE.name}"
        # Part of the import: the dashboard shows the import as one line.
        assert change.cause == import_event


@pytest.mark.django_db
def test_a_checkable_bullet_becomes_a_claim_and_a_vague_one_does_not(tmp_path):
    source = tmp_path / "deal.txt"
    source.write_text(
        "Ann Example: compute deals | Some Show\n"
        "Add us on Google by Editorial Team Jan. 2, 2025Key takeaways\n"
        "- Compute is becoming important.\n"
        "Deals\n"
        "- Anthropic raised $2.5 billion in new funding.\n"
        "- Partnerships are reshaping the sector.\n"
        "-\n"
        "We signed it last week.\n"
        "— Ann Example\n",
        encoding="utf-8",
    )
    out, _ = run("import_episode", str(source))
    assert "2 claims (1 quote, 1 bullet)" in out
    bullet = Claim.objects.get(quote="Anthropic raised $2.5 billion in new funding.")
    assert bullet.speaker is None
    assert bullet.claim_type == ClaimType.FINANCIAL
    assert bullet.quantities.get().low == Decimal("2500000000")


@pytest.mark.django_db
def test_show_option_overrides_the_files_show(known_people):
    run("import_episode", str(SAMPLE), "--show", "Margins")
    assert Episode.objects.get().show.name == "Margins"
    assert Episode.objects.get().slug == "margins-2026-05-08-ranjan-roy"


# --- doing nothing twice --------------------------------------------------------


@pytest.mark.django_db
def test_reimporting_the_same_file_writes_no_rows(imported):
    before = row_counts()
    out, err = run("import_episode", str(SAMPLE))
    assert row_counts() == before
    assert out == (
        f"unchanged {SAMPLE}: already imported as episode "
        "'big-technology-2026-05-08-ranjan-roy'\n"
    )
    assert err == ""


@pytest.mark.django_db
def test_reimporting_into_another_show_says_where_the_episode_is(imported):
    before = row_counts()
    out, _err = run("import_episode", str(SAMPLE), "--show", "Other Show")
    assert row_counts() == before
    assert out == (
        f"unchanged {SAMPLE}: already imported as episode "
        "'big-technology-2026-05-08-ranjan-roy'; it is in the show “Big "
        "Technology”, not “Other Show”: a file is imported once, so to move "
        "it, change the episode's show in the desk\n"
    )
    # The show it is in, named in any case, is no other show.
    out, _err = run("import_episode", str(SAMPLE), "--show", "big  technology")
    assert out.endswith("'big-technology-2026-05-08-ranjan-roy'\n")


def corrected_copy(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = SAMPLE.read_text("utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / ("corrected-" + SAMPLE.name)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def worked_on(imported) -> Claim:
    """The 80-times claim with research, evidence, a note and a verdict."""
    reviewer = make_user("rev", "Reviewer")
    claim = claim_quoting(imported, "I hope that 80 times")
    workflow.claim_start_research(claim=claim, actor=reviewer)
    workflow.evidence_add(
        claim=claim, actor=reviewer, url="https://example.org/g", stance="context"
    )
    workflow.note_add(claim=claim, actor=reviewer, body="Asked for the source.")
    return workflow.claim_set_verdict(
        claim=claim, verdict="unverifiable", note="No figures.", actor=reviewer
    )


@pytest.mark.django_db
def test_corrected_version_updates_the_episode_in_place_and_keeps_the_work(
    worked_on, tmp_path
):
    episode = worked_on.episode
    claims_before = Claim.objects.count()
    history_before = events(worked_on).count()
    # The page was corrected: a typo fixed above the quote (everything after
    # it moves) and the figure in the quote itself.
    path = corrected_copy(
        tmp_path,
        ("Ranjan Roy is the founder of Margins.", "Ranjan Roy founded Margins."),
        ("I hope that 80 times growth", "I hope that 70 times growth"),
    )
    out, _err = run("import_episode", str(path))
    assert out.startswith(f"updated {path}:")
    episode.refresh_from_db()
    assert "Ranjan Roy founded Margins." in episode.source_text
    assert Episode.objects.count() == 1
    assert Claim.objects.count() == claims_before
    claim = Claim.objects.get(pk=worked_on.pk)
    # Same claim, same work, pointing at its corrected words.
    assert claim.quote.startswith("I hope that 70 times growth")
    assert episode.source_text[claim.quote_start : claim.quote_end] == claim.quote
    assert claim.evidence.count() == 1 and claim.notes.count() == 1
    # The proposed verdict rated other words: back to research, its
    # rationale kept in the event (found by the third new-user run: it
    # stayed approvable for the corrected figure).
    assert (claim.status, claim.rationale) == ("researching", "")
    assert events(claim).count() == history_before + 1
    followed = events(claim).last()
    assert followed.kind == Kind.REOPENED
    assert followed.changes["rationale"] == ["No figures.", ""]
    assert followed.cause.kind == Kind.EPISODE_CORRECTED
    assert followed.changes["quote"][1].startswith("I hope that 70 times growth")
    assert [(q.kind, q.low) for q in claim.quantities.all()] == [
        (QuantityKind.MULTIPLIER, Decimal(70))
    ]
    # Every other claim follows its quote to the new place.
    for other in Claim.objects.filter(episode=episode):
        assert episode.source_text[other.quote_start : other.quote_end] == other.quote


CHIPS = (
    "Chips weekly\n"
    "May 8, 2026\n"
    "Show: Signal Check\n"
    "Ann Example: Intel lost $18.7 billion in 2024, the worst year in its history.\n"
    "Guest (Bob): The EU Chips Act is worth 43 billion euros, about 20% of all "
    "subsidies.\n"
    "Ann Example: Nvidia sold 3 million data center chips last year, says the "
    "filing.\n"
)


@pytest.mark.django_db
def test_a_corrected_transcript_corrects_speakers_and_the_imports_wording(
    tmp_path,
):
    """Found by the third new-user run: a corrected file fixed a speaker and
    a figure, and the claims kept the old speaker and a text that no longer
    matched their quote; a text a person wrote stays."""
    editor = make_user("ed", "Editor")
    first = tmp_path / "chips.txt"
    first.write_text(CHIPS, encoding="utf-8")
    run("import_episode", str(first))
    episode = Episode.objects.get()
    intel = claim_quoting(episode, "Intel lost")
    chips_act = claim_quoting(episode, "The EU Chips Act")
    nvidia = claim_quoting(episode, "Nvidia sold")
    assert chips_act.speaker.name == "Bob"
    workflow.claim_update(
        claim=nvidia,
        actor=editor,
        expected_version=nvidia.version,
        changes={"text": "Nvidia sold 3 million data center chips (filing)."},
    )
    corrected = tmp_path / "chips-corrected.txt"
    corrected.write_text(
        CHIPS.replace("$18.7 billion", "$16.7 billion")
        .replace("Guest (Bob)", "Guest (Priya Natarajan)")
        .replace("3 million data center", "4 million data center"),
        encoding="utf-8",
    )
    out, _err = run("import_episode", str(corrected))
    assert out.startswith(f"updated {corrected}:")
    intel, chips_act, nvidia = (
        Claim.objects.get(pk=c.pk) for c in (intel, chips_act, nvidia)
    )
    assert "$16.7 billion" in intel.quote and "$16.7 billion" in intel.text
    assert chips_act.speaker.name == "Priya Natarajan"
    assert events(chips_act).last().note.endswith("the speaker is Priya Natarajan.")
    assert "4 million" in nvidia.quote
    assert nvidia.text == "Nvidia sold 3 million data center chips (filing)."


@pytest.mark.django_db
def test_a_second_correction_still_follows_and_a_chosen_speaker_stays(tmp_path):
    """Found by review: the first correction's own reopening (a proposed
    verdict's claim) was read as a person's edit of the text, freezing it;
    and a speaker an editor chose was reset to the file's label."""
    editor, reviewer = make_user("ed", "Editor"), make_user("rev", "Reviewer")
    first = tmp_path / "chips.txt"
    first.write_text(CHIPS, encoding="utf-8")
    run("import_episode", str(first))
    episode = Episode.objects.get()
    intel = claim_quoting(episode, "Intel lost")
    workflow.claim_start_research(claim=intel, actor=reviewer)
    add_evidence(intel, reviewer)
    workflow.claim_set_verdict(
        claim=intel, verdict="false", note="Lower.", actor=reviewer
    )
    chips_act = claim_quoting(episode, "The EU Chips Act")
    chosen = Person.objects.create(name="Bob Jones", slug="bob-jones")
    workflow.claim_update(
        claim=chips_act,
        actor=editor,
        expected_version=chips_act.version,
        changes={"speaker": chosen},
    )
    text = CHIPS.replace("Guest (Bob)", "Guest (Priya Natarajan)")
    for figure in ("$16.7 billion", "$15.7 billion"):
        corrected = tmp_path / f"chips-{figure[1:3]}.txt"
        corrected.write_text(text.replace("$18.7 billion", figure), encoding="utf-8")
        run("import_episode", str(corrected))
        # Each import's deferred checks, as its commit would run them (the
        # test holds both imports in one transaction).
        connection.check_constraints()
        intel = Claim.objects.get(pk=intel.pk)
        assert figure in intel.quote and figure in intel.text
    assert Claim.objects.get(pk=chips_act.pk).speaker == chosen


@pytest.mark.django_db
def test_claim_whose_passage_is_gone_keeps_its_quote_without_offsets(
    worked_on, tmp_path
):
    removed = (
        "I hope that 80 times growth doesn’t continue because that’s just crazy "
        "and it’s too hard to handle."
    )
    path = corrected_copy(tmp_path, (removed, "We will see how growth goes."))
    run("import_episode", str(path))
    claim = Claim.objects.get(pk=worked_on.pk)
    assert claim.quote == removed
    assert (claim.quote_start, claim.quote_end) == (None, None)
    assert "no longer in the source" in events(claim).last().note
    assert claim.evidence.count() == 1


@pytest.mark.django_db
def test_dry_run_lists_the_claims_whose_passage_the_correction_removes(
    worked_on, tmp_path
):
    """The preview named the verdicts a correction sends back to research,
    but not a claim whose passage it removes: a published verdict stayed
    published, its page saying the quote is not in the source, and the
    editor confirming was never told (noted in the seventeenth session)."""
    removed = (
        "I hope that 80 times growth doesn’t continue because that’s just crazy "
        "and it’s too hard to handle."
    )
    path = corrected_copy(tmp_path, (removed, "We will see how growth goes."))
    before = row_counts()
    out, err = run("import_episode", "--dry-run", str(path))
    assert err == ""
    assert "  no verdict goes back to research\n" in out
    assert (
        "  1 claim whose passage is not in the corrected source (each keeps its "
        "quote, without its place in the source; a published verdict stays "
        f"published):\n    claim {worked_on.pk}, Unverifiable, awaiting approval: "
    ) in out
    assert row_counts() == before
    assert Claim.objects.get(pk=worked_on.pk).quote_start is not None
    # A correction that keeps every passage says nothing of them.
    out, _err = run(
        "import_episode",
        "--dry-run",
        str(corrected_copy(tmp_path, ("80 times", "90 times"))),
    )
    assert "whose passage is not in the corrected source" not in out


@pytest.mark.django_db
def test_the_preview_of_a_correction_without_verdicts_reads_and_locks_nothing_more(
    imported, tmp_path, django_assert_num_queries
):
    """Found in review: listing the claims a correction removes made every
    preview rehearse the whole update (about 11 queries a claim, the
    episode's claims locked meanwhile), where before only an episode with
    verdicts paid for it. The claims it no longer places come from the
    update's own matching, in one query."""
    from claims.ingest import plan_import, rehearse_correction

    removed = (
        "I hope that 80 times growth doesn’t continue because that’s just crazy "
        "and it’s too hard to handle."
    )
    path = corrected_copy(tmp_path, (removed, "We will see how growth goes."))
    plan = plan_import(path.read_bytes(), name=path.name)
    gone = claim_quoting(imported, "I hope that 80 times")
    with django_assert_num_queries(1):
        rehearsal = rehearse_correction(plan, imported)
    assert rehearsal.reopened == []
    assert [c.pk for c in rehearsal.lost] == [gone.pk]


@pytest.mark.django_db
def test_dry_run_of_a_corrected_version_says_it_would_update(imported, tmp_path):
    path = corrected_copy(tmp_path, ("80 times", "90 times"))
    before = row_counts()
    out, _err = run("import_episode", "--dry-run", str(path))
    assert out.startswith(f"would update {path}:")
    assert f"a corrected version of episode '{imported.slug}'" in out
    assert row_counts() == before


@pytest.mark.django_db
def test_dry_run_of_a_corrected_version_lists_the_verdicts_it_would_reopen(
    worked_on, tmp_path
):
    """As the admin's preview does (found missing by a new user)."""
    path = corrected_copy(
        tmp_path, ("I hope that 80 times growth", "I hope that 70 times growth")
    )
    before = row_counts()
    out, err = run("import_episode", "--dry-run", str(path))
    assert err == ""
    assert "  sends 1 verdict back to research" in out
    assert f"    claim {worked_on.pk}, Unverifiable, awaiting approval: " in out
    assert row_counts() == before
    assert Claim.objects.get(pk=worked_on.pk).status == "unverifiable"
    # A correction the verdict does not rate sends nothing back.
    path = corrected_copy(
        tmp_path,
        ("Ranjan Roy is the founder of Margins.", "Ranjan Roy founded Margins."),
    )
    out, _err = run("import_episode", "--dry-run", str(path))
    assert "  no verdict goes back to research" in out
    assert row_counts() == before


def quoted(pk: int | None, quote: str) -> SimpleNamespace:
    """What matching reads of a claim (pk, quote) or a candidate (quote)."""
    return SimpleNamespace(pk=pk, quote=quote)


def matching_one_with_every_other(claims, candidates):
    """The matching before it was linear: exact quotes, then each new quote
    against every remaining claim (the reference the linear one keeps to)."""
    matched, unmatched, new = {}, [], []
    for candidate in candidates:
        same = next(
            (
                c
                for c in claims
                if c.pk not in matched and _key(c.quote) == _key(candidate.quote)
            ),
            None,
        )
        if same is None:
            unmatched.append(candidate)
        else:
            matched[same.pk] = candidate
    for candidate in unmatched:
        rest = [c for c in claims if c.pk not in matched]
        best = max(rest, key=lambda c: fuzz.ratio(_key(c.quote), _key(candidate.quote)))
        if fuzz.ratio(_key(best.quote), _key(candidate.quote)) >= SAME_QUOTE_SCORE:
            matched[best.pk] = candidate
        else:
            new.append(candidate)
    return matched, new


def test_matching_takes_exact_quotes_first_then_the_closest_then_the_first():
    claims = [
        quoted(1, "Revenue grew 45% to $2.5 billion."),
        quoted(2, "Revenue  grew 45% to $2.5 BILLION."),
        quoted(3, "They shipped 230 million iPhones last year."),
        quoted(4, "They shipped 230 million iPads last year."),
        quoted(5, "Inference costs halved every year."),
    ]
    candidates = [
        quoted(None, "revenue grew 45% to $2.5 billion."),  # exact: the first
        quoted(None, "They shipped 231 million iPhones last year."),  # closest
        quoted(None, "Inference costs halved every year."),  # exact
        quoted(None, "Welcome to the show."),  # new
        quoted(None, "Revenue grew 45% to $2.5 billion."),  # exact: the second
    ]
    matched, new = _match_claims(claims, candidates)
    assert {pk: c.quote for pk, c in matched.items()} == {
        1: candidates[0].quote,
        2: candidates[4].quote,
        3: candidates[1].quote,
        5: candidates[2].quote,
    }
    assert new == [candidates[3]]
    # Two claims as close as each other: the first one.
    twins = [quoted(1, "It grew 80 times."), quoted(2, "It grew 60 times.")]
    matched, new = _match_claims(twins, [quoted(None, "It grew 70 times.")])
    assert list(matched) == [1] and not new


def corrected_claims(count: int, seed: int = 8):
    """``count`` distinct claims from a small vocabulary, and a corrected
    file: most quotes as they were, some with a figure or a word changed,
    some gone, some new, in another order."""
    rng = random.Random(seed)
    words = "revenue grew fell costs the company chips data center in by".split()
    claims = [
        quoted(
            pk,
            " ".join(rng.choice(words) for _ in range(rng.randint(5, 12)))
            + f" {rng.randint(1, 999)} million in {rng.randint(1990, 2030)}.",
        )
        for pk in range(1, count + 1)
    ]
    candidates = []
    for claim in claims:
        roll = rng.random()
        if roll < 0.1:
            continue  # gone
        quote = claim.quote
        if roll < 0.5:  # a corrected figure or a word
            quote = quote.replace("million", "billion", 1)
            quote = re.sub(r"\d", lambda _: str(rng.randint(0, 9)), quote, count=1)
        candidates.append(quoted(None, quote))
    candidates += [quoted(None, f"A new claim number {n}.") for n in range(count // 10)]
    rng.shuffle(candidates)
    return claims, candidates


@pytest.mark.parametrize("count", [200, 600])
def test_matching_finds_what_comparing_with_every_claim_finds(count):
    claims, candidates = corrected_claims(count)
    assert _match_claims(claims, candidates) == matching_one_with_every_other(
        claims, candidates
    )


def test_matching_compares_each_quote_with_a_bounded_number_of_claims(monkeypatch):
    """Counted, not timed: every claim of a 5,000-claim file changed, each
    compared with at most MAX_COMPARED claims, not 5,000."""
    from claims.ingest import save

    claims = [
        quoted(n, f"Project{n} alpha{n} revenue grew {n % 90}% to ${n} million.")
        for n in range(5000)
    ]
    candidates = [quoted(None, c.quote.replace("million", "billion")) for c in claims]
    compared = []
    extract_one = save.process.extractOne

    def counting(query, choices, **kwargs):
        compared.append(len(choices))
        return extract_one(query, choices, **kwargs)

    monkeypatch.setattr(save.process, "extractOne", counting)
    matched, new = _match_claims(claims, candidates)
    assert max(compared) <= MAX_COMPARED
    assert {pk: c.quote for pk, c in matched.items()} == {
        c.pk: candidates[c.pk].quote for c in claims
    }
    assert not new


@pytest.mark.django_db
def test_reimporting_the_corrected_version_again_changes_nothing(worked_on, tmp_path):
    path = corrected_copy(tmp_path, ("80 times", "90 times"))
    run("import_episode", str(path))
    before = row_counts()
    out, _err = run("import_episode", str(path))
    assert out.startswith(f"unchanged {path}")
    assert row_counts() == before


WEEK_ONE = (
    "Weekly Roundup\n"
    "Show: Roundup Two\n"
    "Ann Example: Intel lost $18.7 billion in 2024, the worst year in its history.\n"
    "Bob Sample: The EU Chips Act is worth 43 billion euros, about 20% of it.\n"
)
WEEK_TWO = (
    "Weekly Roundup\n"
    "Show: Roundup Two\n"
    "Ann Example: Netflix added 19 million subscribers in the last quarter.\n"
    "Bob Sample: Solar output grew 30 percent in Texas since the launch.\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True])
def test_another_episode_with_the_same_show_date_and_title_is_refused(
    tmp_path, dry_run
):
    """Found by a new user: two undated "Weekly Roundup" transcripts (or two
    untitled captions.vtt) were taken for one episode and its corrected
    version: the second replaced the first one's source, published verdicts'
    quotes included. Now refused, naming the episode and what to change."""
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = tmp_path / "one" / "week.txt"
    first.write_text(WEEK_ONE, encoding="utf-8")
    run("import_episode", str(first))
    episode = Episode.objects.get()
    source = episode.source_text
    before = row_counts()
    second = tmp_path / "two" / "week.txt"
    second.write_text(WEEK_TWO, encoding="utf-8")
    err = run_failing(
        "import_episode", *(["--dry-run"] if dry_run else []), str(second)
    )
    assert (
        "it has the show, no date and title (“Weekly Roundup”) of the episode "
        "imported from week.txt, but only 16% of its wording, so it is no "
        "corrected version of it; nothing was written. If it is another "
        "episode, give it its own title"
    ) in err
    assert row_counts() == before
    assert Episode.objects.get().source_text == source
    # With its own title it is another episode.
    second.write_text(WEEK_TWO.replace("Weekly Roundup", "Weekly Roundup 2"))
    out, _err = run("import_episode", str(second))
    assert out.startswith(f"imported {second}")
    assert Episode.objects.count() == 2
    assert Episode.objects.get(pk=episode.pk).source_text == source


SPONSOR = (
    "This episode is brought to you by Acme Mattress, the best mattress company "
    "in the world, use code ROUNDUP for twenty percent off your first order at "
    "acme dot com, and remember to subscribe to the show, rate us five stars on "
    "every podcast app, tell your friends and family, and join our newsletter "
    "for weekly updates on everything happening in business and technology."
)


def _brief(news: str) -> str:
    return (
        f"Daily Brief\nShow: Boiler\n\nAnn Lee: {SPONSOR}\nBob Ray: {news}\n"
        f"Ann Lee: Again, {SPONSOR}\n"
    )


@pytest.mark.django_db
def test_another_episode_that_is_mostly_the_same_sponsor_read_is_refused(tmp_path):
    """Found by a second new-user pass: two undated "Daily Brief" episodes
    that are mostly the same sponsor read share most of their wording, and
    the second replaced the first; their claims' passages differ."""
    first = tmp_path / "boil1.txt"
    first.write_text(
        _brief(
            "The Fed raised rates by 0.5 percent in March, the biggest hike since 2000."
        )
    )
    run("import_episode", str(first))
    episode = Episode.objects.get()
    source = episode.source_text
    assert episode.claims.exists()
    second = tmp_path / "boil2.txt"
    second.write_text(
        _brief("Amazon cut 18,000 jobs in January, its largest layoff ever recorded.")
    )
    err = run_failing("import_episode", str(second))
    assert "but the passages of only 0 of its" in err
    assert "so it is no corrected version of it; nothing was written" in err
    assert Episode.objects.get().source_text == source
    # A real correction of the same episode (a figure) still updates it.
    fixed = tmp_path / "boil1-fixed.txt"
    fixed.write_text(first.read_text().replace("0.5 percent", "0.75 percent"))
    out, _err = run("import_episode", str(fixed))
    assert out.startswith(f"updated {fixed}")


@pytest.mark.django_db
def test_cp1252_file_imports_with_a_warning(known_people, tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(SAMPLE.read_text("utf-8").replace("’", "'").encode("cp1252"))
    path.write_bytes(path.read_bytes().replace(b"Roy is the", b"Roy\xe9 is the"))
    out, err = run("import_episode", str(path))
    assert out.startswith(f"imported {path}")
    assert err.startswith(f"warning: {path}: not UTF-8")
    assert "read as cp1252" in err


# --- refusing bad input ---------------------------------------------------------

BAD_FILES = {
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n\n", "the file is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary (it contains NUL"),
    "prose": (
        b"It was a bright cold day in April, and the clocks were striking.\n",
        "unrecognised format",
    ),
    "no date": (
        "Ann Example: topics | Show\n- A bullet.\n-\nQuote.\n— Ann\n".encode(),
        "no publication date",
    ),
    "no quotes": (
        b"Ann Example: topics | Show\nJan. 2, 2025Key takeaways\n- A bullet.\n",
        "no quotes found",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_input_exits_non_zero_with_one_line_and_writes_nothing(kind, tmp_path):
    content, reason = BAD_FILES[kind]
    path = tmp_path / "episode.txt"
    path.write_bytes(content)
    before = core_counts()
    err = run_failing("import_episode", str(path))
    assert err.count("\n") == 1
    assert err.startswith(f"error: {path}: ")
    assert reason in err
    assert "Traceback" not in err
    assert core_counts() == before


@pytest.mark.django_db
def test_an_oversize_file_is_refused_before_it_is_read(settings):
    settings.CLAIMDESK_MAX_SOURCE_BYTES = 1000
    before = core_counts()
    err = run_failing("import_episode", str(SAMPLE))
    assert err.startswith(f"error: {SAMPLE}: the file is 8,758 bytes, over the 1,000")
    assert "CLAIMDESK_MAX_SOURCE_BYTES" in err
    assert core_counts() == before


@pytest.mark.django_db
def test_a_missing_file_is_reported_by_name():
    err = run_failing("import_episode", "/nonexistent/episode.txt")
    assert err == "error: /nonexistent/episode.txt: no such file; check the path\n"


@pytest.mark.django_db
def test_one_bad_file_does_not_stop_the_good_one_but_the_exit_is_non_zero(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_episode", str(bad), str(SAMPLE), stdout=out, stderr=err)
    assert exc.value.code == 1
    assert err.getvalue().startswith(f"error: {bad}: the file is empty")
    assert out.getvalue().startswith(f"imported {SAMPLE}")
    assert Episode.objects.count() == 1
    assert Claim.objects.count() == 11


# --- dry run and seeds ----------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_lists_what_would_be_created_and_writes_nothing():
    before = row_counts()
    out, err = run("import_episode", "--dry-run", str(SAMPLE))
    assert row_counts() == before
    assert err == ""
    assert out.startswith(f"would import {SAMPLE}: episode 'Ranjan Roy: SpaceX’s")
    assert "11 claims (11 quotes)" in out
    assert "money 5,000,000,000–6,000,000,000 USD" in out
    assert "reporting Dario Amade" in out


@pytest.mark.django_db
def test_load_seeds_imports_the_sample_with_known_people_and_is_idempotent():
    out, err = run("load_seeds")
    assert err == ""
    assert "people: 3 created, 1 aliases added" in out
    assert f"imported {SAMPLE}" in out
    episode = Episode.objects.get()
    assert claim_quoting(episode, "Dario Amade").claimant.name == "Dario Amodei"
    assert Person.objects.get(slug="ranjan-roy").description == "founder of Margins"

    before = row_counts()
    out, err = run("load_seeds")
    assert row_counts() == before
    assert "people: 0 created, 0 aliases added" in out
    assert f"unchanged {SAMPLE}" in out


@pytest.mark.django_db
def test_load_people_adds_missing_aliases_and_keeps_written_descriptions():
    Person.objects.create(name="Dario Amodei", slug="dario-amodei", description="CEO")
    loaded = load_people(
        [{"name": "Dario Amodei", "description": "other", "aliases": ["Dario Amade"]}]
    )
    assert (loaded.created, loaded.aliases_added) == (0, 1)
    person = Person.objects.matching_name("dario amade").get()
    assert person.description == "CEO"


@pytest.mark.django_db
def test_an_alias_that_is_another_persons_name_stops_the_people_file():
    Person.objects.create(name="Ranjan Roy", slug="ranjan-roy")
    with pytest.raises(PeopleFileError) as refused:
        load_people(
            [
                {
                    "name": "Alex Kantrowitz",
                    "aliases": ["Alex Kantrowitz", "ranjan roy"],
                }
            ]
        )
    assert str(refused.value) == (
        "entry 1 (Alex Kantrowitz): the alias “ranjan roy” is the name of another "
        "person, Ranjan Roy (ranjan-roy); merge the two or drop the alias"
    )
    # The name listed again as an alias is not an alias; nothing else is wrong.
    assert load_people([{"name": "Alex K", "aliases": ["alex k"]}]).aliases_added == 0
    # A new person named as someone's alias is refused too; a file loaded
    # before loads again.
    load_people([{"name": "Kara Swisher", "aliases": ["K. Swisher"]}])
    with pytest.raises(PeopleFileError, match="the name is an alias of Kara"):
        load_people([{"name": "K. Swisher"}])
    assert load_people([{"name": "Kara Swisher", "aliases": ["K. Swisher"]}]) == (
        load_people([])
    )


@pytest.mark.django_db
def test_load_seeds_stops_on_a_broken_people_file(settings, tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "people.json").write_text("{not json", encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "seeds")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="people.json"):
        run("load_seeds")
    assert core_counts() == (0, 0, 0, 0)


FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.django_db
def test_each_format_imports_with_timestamps_and_speakers(known_people):
    for name in ("signal-check-2026-05-08.txt", "signal-check-2026-05-08.vtt"):
        out, _err = run(
            "import_episode", "--show", f"Signal {name[-3:]}", str(FIXTURES / name)
        )
        assert out.startswith("imported")
    for episode in Episode.objects.all():
        claims = list(episode.claims.all())
        assert claims, episode
        assert all(c.timestamp_seconds is not None for c in claims)
        assert all(c.speaker is not None for c in claims)
        assert all(
            episode.source_text[c.quote_start : c.quote_end] == c.quote for c in claims
        )


@pytest.mark.django_db
def test_forced_format_that_does_not_fit_is_refused(tmp_path):
    path = FIXTURES / "signal-check-2026-05-08.txt"
    err = run_failing("import_episode", "--format", "srt", str(path))
    assert err.startswith(f"error: {path}: ")
    assert not Episode.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("score", ["2", "-0.1", "high"])
def test_min_score_outside_0_to_1_is_a_usage_error(score):
    with pytest.raises(CommandError, match="--min-score"):
        call_command("import_episode", "--min-score", score, str(SAMPLE))


@pytest.mark.django_db
def test_higher_min_score_stores_fewer_claims(known_people):
    path = FIXTURES / "signal-check-2026-05-08.txt"
    out, _ = run("import_episode", "--dry-run", "--min-score", "0.9", str(path))
    strict = int(out.split(" claims")[0].rsplit(" ", 1)[1])
    out, _ = run("import_episode", "--dry-run", "--min-score", "0.3", str(path))
    lenient = int(out.split(" claims")[0].rsplit(" ", 1)[1])
    assert strict < lenient


@pytest.mark.django_db
def test_several_files_end_with_a_summary_table(known_people, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(SystemExit):
        call_command(
            "import_episode",
            str(SAMPLE),
            str(SAMPLE),
            str(bad),
            stdout=(out := io.StringIO()),
            stderr=io.StringIO(),
        )
    table = out.getvalue().splitlines()[-6:]
    assert [line.split()[0] for line in table] == [
        "files", "imported", "updated", "skipped", "errors", "claims",
    ]  # fmt: skip
    assert (
        table[0].endswith(" 3") and table[3].endswith(" 1") and table[4].endswith(" 1")
    )


def dense_transcript(turns: int, speakers: int) -> bytes:
    """A transcript of ``turns`` distinct checkable sentences by ``speakers``
    people, like the densest file the import limits let through."""
    lines = [
        f"Speaker {i % speakers}: Project{i} alpha{i} revenue grew {i % 90 + 5}% "
        f"to ${i % 900 + 10} million in {2000 + i % 25}, said the filing."
        for i in range(turns)
    ]
    lines.append(lines[0])  # said again: a mention
    header = f"Dense {turns}\nRecorded May 8, 2026\nShow: Signal Check\n\n"
    return (header + "\n".join(lines)).encode()


QUERIES = 30


@pytest.mark.django_db
def test_an_import_takes_the_same_queries_for_ten_claims_or_three_hundred(
    django_assert_num_queries,
):
    """Set-wise writes: people in one go, then one COPY per table (claims,
    amounts, mentions, events), however many claims and speakers."""
    from claims.ingest import import_episode

    # Both files name a known person and a known show.
    Show.objects.create(name="Signal Check", slug="signal-check")
    Person.objects.create(name="Speaker 0", slug="speaker-0")
    # the file is new (checksum, twice) + the workflow's mark + an earlier
    # version (show, episode) + the show + the episode and its slug + the
    # names (exact, those people, free slugs, new people, look-alikes, their
    # people and aliases, flags) + appearances (existing, new) + the import's
    # event + its people's events (COPY) + the claims (mark, ids, COPY of
    # claims, amounts, mentions and events, mark off) + the mark off, and
    # the savepoints of the import and of its claims
    with django_assert_num_queries(QUERIES):
        import_episode(dense_transcript(10, 3), name="small.txt")
    with django_assert_num_queries(QUERIES):
        result = import_episode(dense_transcript(300, 60), name="large.txt")
    # Some sentences state a fact said before (same speaker and amounts):
    # mentions, not claims.
    assert result.episode.claims.count() > 150
    assert Mention.objects.filter(claim__episode=result.episode).count() > 1
    assert Person.objects.count() == 60
    # Every row recorded: each claim and each new person has its event.
    assert Event.objects.filter(kind=Kind.CLAIM_CREATED).count() == (
        Claim.objects.count()
    )
    assert Event.objects.filter(kind=Kind.PERSON_ADDED).count() == 59


@pytest.mark.django_db
def test_a_claim_the_database_refuses_refuses_the_import_and_writes_nothing():
    """The claims go in with COPY: a quote the database's check refuses (here
    a plan tampered with after planning) ends the import with one line and
    leaves no episode, person, claim or event behind."""
    from dataclasses import replace

    from claims.ingest import ImportRefused, import_plan, plan_import

    plan = plan_import(dense_transcript(20, 4), name="tampered.txt")
    last = plan.candidates[-1]
    tampered = replace(
        plan, candidates=(*plan.candidates[:-1], replace(last, start=last.start + 1))
    )
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_plan(tampered)
    message = str(refused.value)
    assert message.startswith("the database refused it (claim ")
    assert "is not the quote" in message and "nothing was written" in message
    assert row_counts() == before


@pytest.mark.django_db
def test_two_hours_of_captions_without_voices_import(tmp_path):
    """Found by a new user: generated captions (no voice tags) of a two-hour
    talk were refused as one 121,406-character passage; now paragraphs."""
    from tests.episodes.test_parse_vtt import _lecture

    path = tmp_path / "longtalk.vtt"
    path.write_text(_lecture(1800), encoding="utf-8")
    out, _err = run("import_episode", "--show", "Lecture", str(path))
    assert out.startswith(f"imported {path}")
    episode = Episode.objects.get()
    assert episode.source_text.count("\n") > 10
    assert episode.claims.exists()
