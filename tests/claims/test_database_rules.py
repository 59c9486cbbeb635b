"""Rules the database keeps on its own, whatever code (or raw SQL) writes."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from audit.log import record, writes
from audit.models import Event, Kind
from claims import workflow
from claims.models import (
    Claim,
    Evidence,
    Mention,
    Quantity,
    ReviewNote,
)
from episodes.models import Episode
from tests.conftest import events, make_claim, make_episode


def violates(fn) -> str:
    """Run fn in a savepoint, assert the database refuses it, return the message."""
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        fn()
    return str(exc.value)


def with_its_event(claim, fn):
    """``fn`` as the workflow runs it: with the event of a status change of
    ``claim`` in the same transaction, so the constraints below are reached."""

    @writes
    def run():
        record(kind=Kind.REOPENED, actor=None, obj=claim)
        fn()

    return run


# --- check constraints -----------------------------------------------------------


def test_status_must_be_known(claim):
    msg = violates(
        with_its_event(
            claim, lambda: Claim.objects.filter(pk=claim.pk).update(status="done")
        )
    )
    assert "claims_claim_status_valid" in msg


def test_claim_type_must_be_known(claim):
    msg = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(claim_type="gossip")
    )
    assert "claims_claim_type_valid" in msg


def test_checkworthiness_is_between_0_and_1(claim):
    msg = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(checkworthiness=1.5)
    )
    assert "claims_claim_checkworthiness_0_1" in msg


def test_claim_text_cannot_be_blank(claim):
    msg = violates(lambda: Claim.objects.filter(pk=claim.pk).update(text="  "))
    assert "claims_claim_text_not_blank" in msg


def test_offsets_come_in_order(claim):
    msg = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(quote_start=10, quote_end=5)
    )
    assert "claims_claim_offsets_ordered" in msg
    msg = violates(lambda: Claim.objects.filter(pk=claim.pk).update(quote_end=None))
    assert "claims_claim_offsets_ordered" in msg


def test_only_a_verdict_can_carry_an_approval(claim, editor):
    msg = violates(
        with_its_event(
            claim,
            lambda: Claim.objects.filter(pk=claim.pk).update(
                approved_by=editor, approved_at="2026-01-01T00:00Z"
            ),
        )
    )
    assert "claims_claim_approval_of_verdict" in msg


def test_four_eyes_rule_holds_in_the_database(proposed_claim, reviewer):
    msg = violates(
        with_its_event(
            proposed_claim,
            lambda: Claim.objects.filter(pk=proposed_claim.pk).update(
                approved_by=reviewer, approved_at="2026-01-01T00:00Z"
            ),
        )
    )
    assert "claims_claim_four_eyes" in msg


def test_evidence_url_must_be_http(claim, reviewer):
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org"):
        msg = violates(
            lambda url=url: Evidence.objects.create(
                claim=claim, url=url, stance="supports", added_by=reviewer
            )
        )
        assert "claims_evidence_http_url" in msg


def test_evidence_stance_must_be_known(claim, reviewer):
    msg = violates(
        lambda: Evidence.objects.create(
            claim=claim, url="https://x.org", stance="meh", added_by=reviewer
        )
    )
    assert "claims_evidence_stance_valid" in msg


def test_quantity_low_must_not_exceed_high(claim):
    msg = violates(
        lambda: Quantity.objects.create(
            claim=claim, kind="money", low=Decimal(6), high=Decimal(5), text="6 to 5"
        )
    )
    assert "claims_quantity_low_le_high" in msg


def test_quantity_kind_must_be_known(claim):
    msg = violates(
        lambda: Quantity.objects.create(claim=claim, kind="vibes", text="lots")
    )
    assert "claims_quantity_kind_valid" in msg


def test_event_kinds_and_labels_must_be_known(claim):
    msg = violates(
        lambda: Event.objects.create(
            kind="claim.vanished",
            object_type="claims.claim",
            topic_type="claims.claim",
            topic_id=claim.pk,
        )
    )
    assert "audit_event_kind_valid" in msg
    msg = violates(
        lambda: Event.objects.create(
            kind=Kind.CLAIM_EDITED,
            object_type="x",
            topic_type="claims.claim",
            topic_id=1,
        )
    )
    assert "audit_event_labels_valid" in msg


def test_show_and_episode_urls_must_be_http(show, episode):
    msg = violates(
        lambda: type(show).objects.filter(pk=show.pk).update(url="javascript:x")
    )
    assert "episodes_show_http_url" in msg
    msg = violates(
        lambda: Episode.objects.filter(pk=episode.pk).update(
            source_url="file:///etc/passwd"
        )
    )
    assert "episodes_episode_http_source_url" in msg


# --- quote offsets (trigger) -----------------------------------------------------


def test_quote_offsets_must_lie_inside_the_source(claim):
    length = len(claim.episode.source_text)
    msg = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(
            quote_start=length - 2, quote_end=length + 40
        )
    )
    assert "is not the quote (the source has" in msg


def test_quote_must_be_the_source_text_at_its_offsets(claim):
    msg = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(quote="90 times growth")
    )
    assert "is not the quote" in msg


def test_offsets_count_characters_not_bytes(show):
    source = "Intro “curly” – dash… then “80 times growth” here."
    episode = make_episode(show, source=source, slug="unicode")
    claim = make_claim(episode, quote="80 times growth")
    assert source[claim.quote_start : claim.quote_end] == "80 times growth"


def test_source_text_cannot_change_under_its_quotes(claim):
    msg = violates(
        lambda: Episode.objects.filter(pk=claim.episode_id).update(source_text="gone")
    )
    assert "no longer holds the quote" in msg


def test_claim_without_offsets_is_allowed(episode):
    claim = workflow.claim_create(
        episode=episode, text="Said on air", quote="not in source"
    )
    assert claim.quote_start is None


# Inserted quotes are checked once per statement, against the source cut into
# chunks of QUOTE_CHUNK characters (claims/dbrules.py, misquoted).

LONG_LINE = "Zoë said “the 😀 figure” – grew 5% to €3 million, naïvely… 北京.\n"


def long_source(lines: int = 4000) -> str:
    """About 250,000 characters, multi-byte throughout (accents, curly
    quotes, an emoji outside the BMP, CJK)."""
    return "".join(f"{i:05} {LONG_LINE}" for i in range(lines))


def draft_at(source: str, start: int, end: int, quote: str | None = None):
    return workflow.ClaimDraft(
        text="A claim far into a long source",
        quote=source[start:end] if quote is None else quote,
        quote_start=start,
        quote_end=end,
    )


def test_a_quote_far_into_a_long_multibyte_source_is_checked_by_characters(show):
    source = long_source()
    episode = make_episode(show, source=source, slug="long")
    start = source.index("03999 ")  # the last line, 250,000 characters in
    end = start + len(f"03999 {LONG_LINE}") - 1
    good = [draft_at(source, start, end), draft_at(source, 10, 40)]
    created = workflow.claims_create(episode=episode, drafts=good)
    assert [Claim.objects.get(pk=pk).quote for pk in created] == [
        source[start:end],
        source[10:40],
    ]
    # One character further on, the same words are no longer at the offsets.
    wrong = draft_at(source, start + 1, end + 1, quote=source[start:end])
    message = violates(
        lambda: workflow.claims_create(
            episode=episode, drafts=[draft_at(source, 0, 5), wrong]
        )
    )
    assert f"the source text at {start + 1}..{end + 1} is not the quote" in message
    assert f"(the source has {len(source)} characters)" in message
    assert episode.claims.count() == 2


def test_quotes_spanning_chunk_boundaries_are_checked_whole(show):
    from claims.dbrules import QUOTE_CHUNK

    source = long_source(50)
    episode = make_episode(show, source=source, slug="chunks")
    spans = [
        (QUOTE_CHUNK - 1, QUOTE_CHUNK + 1),  # one character either side
        (QUOTE_CHUNK, 2 * QUOTE_CHUNK),  # exactly one chunk
        (QUOTE_CHUNK - 3, 4 * QUOTE_CHUNK + 7),  # over four boundaries
        (len(source) - 10, len(source)),  # to the very end
    ]
    workflow.claims_create(
        episode=episode, drafts=[draft_at(source, s, e) for s, e in spans]
    )
    assert episode.claims.count() == len(spans)
    # A wrong last character, in the last chunk a long quote spans.
    start, end = QUOTE_CHUNK - 3, 4 * QUOTE_CHUNK + 7
    quote = source[start : end - 1] + "#"
    message = violates(
        lambda: workflow.claims_create(
            episode=episode, drafts=[draft_at(source, start, end, quote=quote)]
        )
    )
    assert f"at {start}..{end} is not the quote" in message


def test_offsets_running_past_the_end_of_the_source_are_refused(episode):
    """What the source holds from the start matches, but the offsets claim
    more characters than the quote has, past the end of the source."""
    source = episode.source_text
    start = len(source) - 6
    for insert in (
        lambda: workflow.claims_create(
            episode=episode,
            drafts=[draft_at(source, start, start + 40, quote=source[start:])],
        ),
        lambda: workflow.claims_create(
            episode=episode,
            drafts=[draft_at(source, len(source) + 5, len(source) + 8, quote="abc")],
        ),
    ):
        assert "is not the quote" in violates(insert)
    claim = make_claim(episode)
    message = violates(
        lambda: Claim.objects.filter(pk=claim.pk).update(
            quote=source[start:], quote_start=start, quote_end=start + 40
        )
    )
    assert "is not the quote" in message


def test_inserted_mentions_far_into_a_long_source_are_checked(show):
    source = long_source()
    episode = make_episode(show, source=source, slug="long-mentions")
    claim = make_claim(episode, quote="00001 Zoë")
    start = source.index("03998 Zoë")
    good = Mention(
        claim=claim, quote="03998 Zoë", quote_start=start, quote_end=start + 9
    )
    Mention.objects.bulk_create([good])
    other = source.index("03997 Zoë")
    bad = Mention(
        claim=claim, quote="03997 Zoe", quote_start=other, quote_end=other + 9
    )
    message = violates(lambda: Mention.objects.bulk_create([bad]))
    assert f"of claim {claim.pk}: the source text at {other}..{other + 9}" in message
    # The source cannot change under the mention either.
    changed = source.replace("03998 Zoë", "03998 Zoe")
    message = violates(
        lambda: Episode.objects.filter(pk=episode.pk).update(source_text=changed)
    )
    assert f"no longer holds the quote of claim {claim.pk}" in message


# --- append-only history (trigger) -----------------------------------------------


def test_notes_cannot_be_updated_or_deleted_even_with_raw_sql(claim, reviewer):
    note = workflow.note_add(claim=claim, actor=reviewer, body="Original")
    assert "append-only" in violates(
        lambda: ReviewNote.objects.filter(pk=note.pk).update(body="Rewritten")
    )
    assert "append-only" in violates(
        lambda: ReviewNote.objects.filter(pk=note.pk).delete()
    )

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_reviewnote SET body = 'x' WHERE id = %s", [note.pk]
            )

    assert "append-only" in violates(raw_update)
    note.refresh_from_db()
    assert note.body == "Original"


def test_the_log_cannot_be_updated_or_deleted(claim):
    event = events(claim).get()
    assert "append-only" in violates(
        lambda: Event.objects.filter(pk=event.pk).update(note="rewritten")
    )

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_event WHERE topic_id = %s", [claim.pk])

    assert "append-only" in violates(raw_delete)
    assert events(claim).count() == 1


def test_claims_are_never_deleted(claim):
    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM claims_claim WHERE id = %s", [claim.pk])

    assert "claims are never deleted" in violates(raw_delete)
    assert Claim.objects.filter(pk=claim.pk).exists()


# --- status and approval change only with their event (trigger) ---------------------


def test_a_raw_sql_verdict_change_of_a_published_claim_is_refused(
    claim, reviewer, editor
):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    workflow.evidence_add(
        claim=claim, actor=reviewer, url="https://example.org", stance="refutes"
    )
    workflow.claim_set_verdict(
        claim=claim, verdict="misleading", note="Leaves out costs.", actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)
    before = events(claim).count()

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim SET status = 'false' WHERE id = %s", [claim.pk]
            )

    message = violates(raw_update)
    assert "change only through the workflow" in message
    claim.refresh_from_db()
    assert (claim.status, claim.is_approved) == ("misleading", True)
    assert events(claim).count() == before


def test_an_orm_approval_without_its_event_is_refused(proposed_claim, editor):
    message = violates(
        lambda: Claim.objects.filter(pk=proposed_claim.pk).update(
            approved_by=editor, approved_at="2026-01-01T00:00Z"
        )
    )
    assert "change only through the workflow" in message


def test_a_bulk_insert_of_a_published_claim_is_refused(episode, editor, reviewer):
    message = violates(
        lambda: Claim.objects.bulk_create(
            [
                Claim(
                    episode=episode,
                    text="Published behind the desk's back",
                    quote="x",
                    status="verified",
                    verdict_by=reviewer,
                    approved_by=editor,
                    approved_at="2026-01-01T00:00Z",
                )
            ]
        )
    )
    assert "change only through the workflow" in message
    assert not Claim.objects.exists()


# --- concurrency -------------------------------------------------------------------


# serialized_rollback: the flush after a transactional test would otherwise
# take the groups that a data migration made away from later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_from_one_version_never_both_win(episode, reviewer, editor):
    """Two editors save at the same moment: the row lock queues them, and the
    second finds the version moved on and is refused — never a silent overwrite."""
    claim = make_claim(episode)
    loaded = claim.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(actor, text):
        try:
            barrier.wait(timeout=10)
            workflow.claim_update(
                claim=claim,
                actor=actor,
                expected_version=loaded,
                changes={"text": text},
            )
            outcomes[text] = "saved"
        except ValidationError as exc:
            outcomes[text] = exc.code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(reviewer, "From reviewer")),
        threading.Thread(target=save, args=(editor, "From editor")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["saved", "stale"]
    claim.refresh_from_db()
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    assert claim.text == winner
    assert claim.version == loaded + 1


# --- mentions ---------------------------------------------------------------------


def add_mention(claim, quote: str):
    start = claim.episode.source_text.index(quote)
    return Mention.objects.create(
        claim=claim, quote=quote, quote_start=start, quote_end=start + len(quote)
    )


def test_mention_quote_must_be_the_source_text_at_its_offsets(claim):
    mention = add_mention(claim, "about 10 times")
    msg = violates(
        lambda: Mention.objects.filter(pk=mention.pk).update(quote="about 11 times")
    )
    assert "is not the quote" in msg
    msg = violates(
        lambda: Mention.objects.filter(pk=mention.pk).update(quote_end=10**6)
    )
    assert "is not the quote" in msg


def test_source_text_cannot_change_under_a_mention(claim):
    add_mention(claim, "about 10 times")
    source = claim.episode.source_text.replace("about 10 times", "about 12 times")
    msg = violates(
        lambda: Episode.objects.filter(pk=claim.episode_id).update(source_text=source)
    )
    assert "no longer holds the quote" in msg


# --- episode date copied onto claims (trigger) -------------------------------------


def test_claim_carries_its_episodes_date_and_follows_changes(claim, show):
    claim.refresh_from_db()  # set by the database, not by the ORM
    assert str(claim.episode_date) == "2026-05-08"
    Episode.objects.filter(pk=claim.episode_id).update(published_on="2026-06-01")
    claim.refresh_from_db()
    assert str(claim.episode_date) == "2026-06-01"
    # Even a raw write cannot set it out of step with the episode.
    Claim.objects.filter(pk=claim.pk).update(episode_date="1999-01-01")
    claim.refresh_from_db()
    assert str(claim.episode_date) == "2026-06-01"


def test_claims_of_undated_episodes_sort_last(show):
    undated = make_episode(show, slug="undated", published_on=None)
    claim = make_claim(undated)
    claim.refresh_from_db()
    assert str(claim.episode_date) == "0001-01-01"


def test_a_new_episode_date_does_not_count_as_a_change_of_its_claims(claim):
    Episode.objects.filter(pk=claim.episode_id).update(published_on="2026-06-01")
    claim.refresh_from_db()
    assert claim.version == 1


# --- versions kept by the database (trigger) ---------------------------------------


def test_a_raw_change_of_a_claim_bumps_its_version(claim):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET text = 'Fixed by hand' WHERE id = %s", [claim.pk]
        )
    claim.refresh_from_db()
    assert claim.version == 2
    # An update that changes nothing is no new version.
    Claim.objects.filter(pk=claim.pk).update(text="Fixed by hand")
    claim.refresh_from_db()
    assert claim.version == 2


def test_a_write_that_sets_the_version_itself_is_not_bumped_twice(claim, reviewer):
    updated = workflow.claim_update(
        claim=claim, actor=reviewer, expected_version=1, changes={"text": "New"}
    )
    assert updated.version == 2


def test_a_claimant_who_is_the_speaker_is_no_separate_claimant(claim, speaker):
    Claim.objects.filter(pk=claim.pk).update(claimant=speaker)
    claim.refresh_from_db()
    assert claim.claimant is None


def search_vectors(*pks: int) -> list[tuple[str, str]]:
    """(stored, computed from scratch) search vector of each claim."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text,"
            " (setweight(to_tsvector('claimdesk_english', text), 'A')"
            "  || setweight(to_tsvector('claimdesk_english', quote), 'B')"
            "  || setweight(to_tsvector('claimdesk_english', summary), 'A'))::text"
            " FROM claims_claim WHERE id = ANY(%s) ORDER BY id",
            [list(pks)],
        )
        return cursor.fetchall()


def test_the_search_vector_weighs_text_over_quote_whether_they_differ_or_not(
    episode,
):
    same = make_claim(episode, text="80 times growth")
    other = make_claim(episode, text="Growth of eighty times a year")
    for stored, computed in search_vectors(same.pk, other.pk):
        assert stored == computed
    assert search_vectors(same.pk)[0][0] == "'80':1A,4B 'growth':3A,6B 'time':2A,5B"
    # A new quote or text is parsed again.
    Claim.objects.filter(pk=same.pk).update(text="Eighty times growth")
    Claim.objects.filter(pk=other.pk).update(text="80 times growth")
    for stored, computed in search_vectors(same.pk, other.pk):
        assert stored == computed


def test_the_summary_is_searched_as_the_text_is(episode, reviewer):
    """The headline readers see is found by its words, weighted as the text,
    from the moment it is written, and not after it is taken away."""
    claim = make_claim(episode, text="80 times growth")
    assert not Claim.objects.search("doubling")
    claim = workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"summary": "Doubling every year"},
    )
    ((stored, computed),) = search_vectors(claim.pk)
    assert stored == computed
    assert "'doubl':7A" in stored
    assert [c.pk for c in Claim.objects.search("doubling")] == [claim.pk]
    # Text and quote keep their weights and stay searchable.
    assert [c.pk for c in Claim.objects.search("growth")] == [claim.pk]
    workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"summary": ""},
    )
    assert not Claim.objects.search("doubling")
    assert search_vectors(claim.pk)[0][0] == ("'80':1A,4B 'growth':3A,6B 'time':2A,5B")


# --- the rules are what the code declares ------------------------------------------


def test_every_declared_trigger_is_installed_and_current(db):
    import pgtrigger

    triggers = pgtrigger.registered()
    assert len(triggers) >= 10
    for model, trigger in triggers:
        status, enabled = trigger.get_installation_status(model)
        assert (status, enabled) == ("INSTALLED", True), trigger.get_uri(model)


def test_truncate_of_notes_or_the_log_is_refused(claim, reviewer):
    workflow.note_add(claim=claim, actor=reviewer, body="Kept.")
    for table in ("claims_reviewnote", "audit_event"):

        def truncate(table=table):
            with connection.cursor() as cursor:
                # As a separate session would see it: no checks still pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {table} CASCADE")  # noqa: S608

        assert "append-only: TRUNCATE refused" in violates(truncate)
    assert claim.notes.count() == 1
    assert events(claim).count() == 2
