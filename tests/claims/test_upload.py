"""Importing an episode from the admin: upload, dry-run preview, confirm."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event, Kind
from claims.models import Claim
from episodes.models import Episode
from tests.conftest import events

SAMPLE = next((Path(__file__).parents[2] / "seeds").glob("big-technology-*.txt"))
URL = "/admin/claims/import/"


def upload(client, data: bytes, name: str = "episode.txt", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def test_editor_previews_then_confirms_an_import(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 200
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert preview.status_code == 200
    assert "Preview:" in preview.text
    assert "5 to $6,000,000,000" in preview.text
    assert not Episode.objects.exists() and not Claim.objects.exists()

    confirm = preview.context["confirm_form"].initial
    posted = client.post(URL, {**confirm, "confirm": "1"})
    response = client.get(posted["Location"], follow=True)
    response.redirect_chain.insert(0, (posted["Location"], posted.status_code))
    episode = Episode.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"/episode/{episode.pk}/change/")
    assert Claim.objects.filter(episode=episode).count() == len(
        preview.context["plan"].candidates
    )
    # The uploader is the actor of each claim's "created" event, and of the
    # import, which carries the request's id.
    assert {events(c).get().actor for c in Claim.objects.all()} == {editor}
    imported = Event.objects.get(kind=Kind.EPISODE_IMPORTED)
    assert imported.actor == editor
    assert imported.request_id == posted["X-Request-ID"]


def test_bad_file_is_a_form_error_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = upload(client, b"\x00\x01binary\x00", name="audio.mp3")
    assert response.status_code == 200
    assert "audio.mp3: line 1: the file is binary" in response.text
    assert not Episode.objects.exists()


def test_file_over_the_size_limit_is_refused(client, editor, settings):
    settings.CLAIMDESK_MAX_SOURCE_BYTES = 100
    client.force_login(editor)
    response = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert "over the 100-byte limit" in response.text
    assert not Episode.objects.exists()


def test_confirm_with_a_forged_or_expired_token_imports_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        URL, {"digest": "0" * 64, "name": "x.txt", "confirm": "1"}, follow=True
    )
    assert "The preview has expired" in response.text
    response = client.post(
        URL,
        {"digest": "../../etc/passwd", "name": "x.txt", "confirm": "1"},
        follow=True,
    )
    assert "The preview has expired" in response.text
    assert not Episode.objects.exists()


def test_already_imported_file_says_so(client, editor):
    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    response = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert response.status_code == 302
    assert Episode.objects.count() == 1


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_editors_import(client, db, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert upload(client, SAMPLE.read_bytes()).status_code == 403
    assert not Episode.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_claim_and_episode_lists_link_to_the_import_for_editors(
    client, editor, reviewer
):
    for url in ("/admin/claims/claim/", "/admin/episodes/episode/"):
        client.force_login(editor)
        assert URL in client.get(url).text
        client.force_login(reviewer)
        assert URL not in client.get(url).text


def test_preview_of_a_corrected_version_says_it_updates(client, editor, tmp_path):
    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    corrected = SAMPLE.read_bytes().replace(b"80 times", b"90 times")
    preview = upload(client, corrected, name="corrected.txt")
    assert "is a corrected version of" in preview.text
    response = client.post(
        URL, {**preview.context["confirm_form"].initial, "confirm": "1"}, follow=True
    )
    assert "updated as" in response.text
    # The file's name as written (Django's admin capitalises messages).
    count = Claim.objects.count()
    assert '<li class="as-written success">corrected.txt: updated as “' in (
        response.text
    )
    assert f"with {count} claim{'s' if count != 1 else ''}.</li>" in response.text
    assert Episode.objects.count() == 1
    assert Claim.objects.filter(quote__contains="90 times").count() == 1


def test_the_preview_of_a_corrected_version_lists_the_verdicts_it_reopens(
    client, editor, reviewer
):
    from claims import workflow
    from tests.conftest import add_evidence

    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    episode = Episode.objects.get()
    rated = Claim.objects.get(quote__contains="80 times")
    kept = Claim.objects.exclude(pk=rated.pk).filter(quote__contains="10 times").first()
    for claim in (rated, kept):
        workflow.claim_start_research(claim=claim, actor=reviewer)
        add_evidence(claim, reviewer)
        workflow.claim_set_verdict(
            claim=claim, verdict="false", note="Not in the filing.", actor=reviewer
        )
        workflow.claim_approve(claim=claim, actor=editor)
    logged = Event.objects.count()
    source = Episode.objects.get().source_text

    corrected = SAMPLE.read_bytes().replace(b"80 times", b"90 times")
    preview = upload(client, corrected, name="corrected.txt")
    assert [c.pk for c in preview.context["reopens"]] == [rated.pk]
    listed = preview.text.split('<ul class="reopens">')[1].split("</ul>")[0]
    assert f'/admin/claims/claim/{rated.pk}/change/"' in listed
    assert "False, published" in listed
    assert "Confirming also sends 1 verdict back to research" in preview.text
    # The rehearsal left nothing behind.
    rated.refresh_from_db()
    assert rated.is_approved and rated.status == "false"
    assert Event.objects.count() == logged
    assert Episode.objects.get().source_text == source

    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    rated.refresh_from_db()
    kept.refresh_from_db()
    assert (rated.status, rated.is_approved) == ("researching", False)
    assert (kept.status, kept.is_approved) == ("false", True)
    assert episode.pk == Episode.objects.get().pk


def test_the_preview_says_when_no_verdict_goes_back(client, editor):
    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    corrected = SAMPLE.read_bytes().replace(b"80 times", b"90 times")
    preview = upload(client, corrected, name="corrected.txt")
    assert preview.context.get("reopens") == []
    assert "No verdict goes back to research." in preview.text


def test_the_preview_lists_the_claims_whose_passage_the_correction_removes(
    client, editor, reviewer
):
    from claims import workflow
    from tests.conftest import add_evidence

    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    gone = Claim.objects.get(quote__contains="80 times")
    workflow.claim_start_research(claim=gone, actor=reviewer)
    add_evidence(gone, reviewer)
    workflow.claim_set_verdict(
        claim=gone, verdict="false", note="Not in the filing.", actor=reviewer
    )
    workflow.claim_approve(claim=gone, actor=editor)
    corrected = SAMPLE.read_bytes().replace(gone.quote.encode(), b"We will see.")
    preview = upload(client, corrected, name="corrected.txt")
    assert preview.context["reopens"] == []
    assert [c.pk for c in preview.context["lost"]] == [gone.pk]
    assert (
        "1 claim quotes a passage that is not in the corrected source: it keeps "
        "its quote, without its place in the source, and a published verdict "
        "stays published." in preview.text
    )
    listed = preview.text.split('<ul class="lost">')[1].split("</ul>")[0]
    assert f'/admin/claims/claim/{gone.pk}/change/"' in listed
    assert "False, published" in listed
    gone.refresh_from_db()
    assert gone.quote_start is not None  # the rehearsal left nothing behind


def test_upload_honours_format_and_minimum_score(client, editor):
    transcript = (
        Path(__file__).parents[1] / "fixtures" / "signal-check-2026-05-08.txt"
    ).read_bytes()
    client.force_login(editor)
    strict = upload(client, transcript, format="transcript", min_score="0.9")
    lenient = upload(client, transcript, format="transcript", min_score="0.3")
    assert len(strict.context["plan"].candidates) < len(
        lenient.context["plan"].candidates
    )
    wrong = upload(client, transcript, format="srt", min_score="0.5")
    assert "errorlist" in wrong.text
    assert not Episode.objects.exists()


def test_uploading_an_imported_file_for_another_show_says_where_it_is(client, editor):
    client.force_login(editor)
    preview = upload(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    again = upload(client, SAMPLE.read_bytes(), name="copy.txt", show="Other Show")
    assert again.status_code == 302
    page = client.get(again["Location"]).text
    assert "copy.txt is already imported as “" in page
    assert "it is in the show “Big Technology”, not “Other Show”" in page
    assert Episode.objects.count() == 1


def test_another_episode_under_the_same_title_is_a_form_error(client, editor):
    """Two undated "Weekly Roundup" files: the second is no corrected
    version of the first (claims/ingest/save.py ``_earlier_version``)."""
    from tests.claims.test_import import WEEK_ONE, WEEK_TWO

    client.force_login(editor)
    preview = upload(client, WEEK_ONE.encode(), name="week.txt")
    client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})
    source = Episode.objects.get().source_text
    response = upload(client, WEEK_TWO.encode(), name="week.txt")
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["file"])
    assert "so it is no corrected version of it; nothing was written" in error
    assert Episode.objects.get().source_text == source
