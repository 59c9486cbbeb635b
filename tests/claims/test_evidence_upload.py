"""Importing evidence from the admin: upload, dry-run preview, confirm;
reviewers and editors only; a bad file lists its bad rows and adds nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Event, Kind
from claimdesk import limits
from claims.admin.upload import pending_dir
from claims.models import Evidence

URL = "/admin/claims/import-evidence/"
HEADER = "claim_id,url,title,publisher,published_on,stance,excerpt\n"


def upload(client, data: str | bytes, name: str = "evidence.csv"):
    data = data.encode() if isinstance(data, str) else data
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    return client.post(URL, {**preview.context["confirm_form"].initial, "confirm": "1"})


def two_links(claim) -> str:
    return (
        HEADER
        + f"{claim.pk},https://example.org/filing,10-K,SEC,2026-02-01,supports,\n"
        + f"{claim.pk},https://example.org/denial,,,,refutes,\n"
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_reviewer_or_editor_previews_then_confirms(client, claim, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(URL).status_code == 200
    preview = upload(client, two_links(claim))
    assert preview.status_code == 200
    assert "Preview: evidence.csv" in preview.text
    assert "https://example.org/filing" in preview.text
    assert 'value="Add 2 evidence links"' in preview.text
    assert not Evidence.objects.exists()

    posted = confirm(client, preview)
    assert posted.status_code == 302
    assert posted["Location"] == reverse("admin:claims_claim_changelist")
    assert list(Evidence.objects.values_list("url", "added_by")) == [
        ("https://example.org/filing", user.pk),
        ("https://example.org/denial", user.pk),
    ]
    events = Event.objects.filter(kind=Kind.EVIDENCE_ADDED).order_by("id")
    assert [(e.actor, e.note) for e in events] == [
        (user, "imported from evidence.csv, line 2"),
        (user, "imported from evidence.csv, line 3"),
    ]
    assert {e.request_id for e in events} == {posted["X-Request-ID"]}
    # The previewed file is gone once confirmed.
    assert not any(pending_dir().glob(f"{user.pk}-*"))
    response = client.get(posted["Location"])
    assert messages_of(response) == ["evidence.csv: added 2 evidence links."]
    # As written: not "Evidence.csv" (Django's admin capitalises messages).
    assert (
        '<li class="as-written success">evidence.csv: added 2 evidence links.</li>'
        in response.text
    )


def test_preview_says_which_rows_are_skipped(client, claim, reviewer):
    client.force_login(reviewer)
    confirm(client, upload(client, two_links(claim)))
    more = two_links(claim) + f"{claim.pk},https://example.org/new,,,,context,\n"
    preview = upload(client, more)
    assert preview.text.count("skip: already on the claim") == 2
    assert 'value="Add 1 evidence link"' in preview.text
    confirm(client, preview)
    assert Evidence.objects.count() == 3


def test_a_file_with_nothing_new_says_so(client, claim, reviewer):
    client.force_login(reviewer)
    confirm(client, upload(client, two_links(claim)))
    response = upload(client, two_links(claim))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert messages_of(response)[-1] == (
        "Every link in evidence.csv is already on its claim; nothing to import."
    )
    assert Evidence.objects.count() == 2


def test_a_bad_file_lists_each_bad_row_with_its_line_and_adds_nothing(
    client, claim, reviewer
):
    client.force_login(reviewer)
    data = (
        HEADER
        + f"{claim.pk},https://example.org/ok,,,,supports,\n"
        + f"{claim.pk},ftp://example.org/x,,,,supports,\n"
        + "424242,https://example.org/y,,,,maybe,\n"
    )
    response = upload(client, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "evidence.csv: 2 bad rows, nothing imported; correct them and import the "
        "whole file again.",
        "line 3: url “ftp://example.org/x”: Enter a web address that starts with "
        "http:// or https://",
        "line 4: no claim has the id 424242; check the id on the claim's page; "
        "stance “maybe” is not one of supports, refutes, context",
    ]
    assert response.context["plan"] is None
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # UTF-16 with its mark (a spreadsheet's "Unicode text") is read: a
        # file of "hi" then lacks the columns; without the mark, binary.
        (
            b"\xff\xfeh\x00i\x00",
            "evidence.csv: line 1: missing columns: claim_id, url, stance; "
            "unknown columns: 'hi'",
        ),
        (b"h\x00i\x00", "evidence.csv: line 1: the file holds a NUL byte"),
        (
            "claim_id;url;stance\n",
            "evidence.csv: line 1: missing columns: claim_id, url, stance; the "
            "columns must be separated by commas",
        ),
        ("", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_evidence_csv_is_a_form_error(
    client, claim, reviewer, data, message
):
    client.force_login(reviewer)
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, claim, reviewer, monkeypatch):
    monkeypatch.setattr(limits, "EVIDENCE_FILE_MAX_BYTES", 50)
    client.force_login(reviewer)
    response = upload(client, two_links(claim))
    assert "over the 50-byte limit; split it into smaller files" in response.text
    assert not Evidence.objects.exists()


def test_confirm_with_a_forged_or_expired_preview_adds_nothing(client, claim, reviewer):
    client.force_login(reviewer)
    for digest in ("0" * 64, "../../etc/passwd"):
        response = client.post(
            URL, {"digest": digest, "name": "x.csv", "confirm": "1"}, follow=True
        )
        assert messages_of(response) == [
            "The preview has expired; upload the file again."
        ]
    assert not Evidence.objects.exists()


def test_confirm_of_another_users_preview_adds_nothing(client, claim, reviewer, editor):
    client.force_login(reviewer)
    preview = upload(client, two_links(claim))
    client.force_login(editor)
    response = client.post(
        URL, {**preview.context["confirm_form"].initial, "confirm": "1"}, follow=True
    )
    assert "The preview has expired" in messages_of(response)[0]
    assert not Evidence.objects.exists()


def test_staff_without_a_role_is_refused(client, claim, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert upload(client, two_links(claim)).status_code == 403
    assert not Evidence.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_the_claim_list_links_to_the_evidence_import(client, claim, who, request):
    client.force_login(request.getfixturevalue(who))
    assert URL in client.get(reverse("admin:claims_claim_changelist")).text
