"""The list's filter set, made once per class where it can be: each filter
set still has its own filters and its own form fields."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from claims.filters import ClaimFilterSet, claim_filterset
from claims.models import Claim


@pytest.mark.django_db
def test_each_filter_set_has_its_own_filters_and_form_fields():
    public = claim_filterset(
        QueryDict("status=verified"), Claim.objects.all(), public=True
    )
    staff = claim_filterset(
        QueryDict("status=researching"), Claim.objects.all(), public=False
    )
    again = claim_filterset(QueryDict(""), Claim.objects.all(), public=True)
    # limit_to_public changed the public forms' fields, not the staff form's
    # nor the class's.
    public_approved = {value for value, _ in public.form.fields["approved"].choices}
    staff_approved = {value for value, _ in staff.form.fields["approved"].choices}
    assert public_approved == {"", "yes"}
    assert staff_approved == {"", "yes", "no"}
    assert public.form.fields["approved"] is not again.form.fields["approved"]
    assert public.form.unlisted_fields == {"approved"}
    assert not hasattr(staff.form, "unlisted_fields")
    staff_statuses = {value for value, _ in staff.form.fields["status"].choices}
    public_statuses = {value for value, _ in public.form.fields["status"].choices}
    assert "researching" in staff_statuses
    assert "researching" not in public_statuses
    assert public.form.fields["status"] is not again.form.fields["status"]
    # Each filter set's filters are its own copies, pointing back at it; the
    # class's are never handed out.
    for filterset in (public, staff, again):
        for name, filter_ in filterset.filters.items():
            assert filter_.parent is filterset
            assert filter_ is not ClaimFilterSet.base_filters[name]
    assert not hasattr(ClaimFilterSet.base_filters["q"], "parent")
    # And each filters what it was given.
    assert public.form.is_valid() and staff.form.is_valid()
    assert public.form.cleaned_data["status"] == ["verified"]
    assert staff.form.cleaned_data["status"] == ["researching"]
    invalid = claim_filterset(
        QueryDict("status=researching"), Claim.objects.all(), public=True
    )
    assert not invalid.form.is_valid()
    assert "status" in invalid.form.errors


@pytest.mark.django_db
def test_a_filter_with_a_method_calls_its_own_filter_sets(claim):
    # ``q`` filters through ClaimFilterSet.search: its copy must find the
    # filter set it belongs to, not the class's filter (which has none).
    for _ in range(2):
        found = claim_filterset(
            QueryDict("q=growth"), Claim.objects.all(), public=False
        )
        assert list(found.qs) == [claim]


def test_an_empty_status_means_any_on_the_page_the_api_and_the_downloads(
    client, claim, reviewer
):
    # It was refused with "Select a valid choice.  is not one of the
    # available choices.", quoting nothing; every other filter takes an
    # empty value as "any".
    from claims import workflow

    researching = workflow.claim_start_research(claim=claim, actor=reviewer)
    client.force_login(reviewer)
    for path in ("/claims/", "/api/claims/", "/claims/export.json"):
        assert client.get(path, {"status": ""}).status_code == 200, path
    rows = client.get("/api/claims/", {"status": ["", "researching"]}).json()
    assert [row["id"] for row in rows["results"]] == [researching.pk]
    rows = client.get("/api/claims/", {"status": ["", "verified"]}).json()
    assert rows["results"] == []
    filterset = claim_filterset(QueryDict("status="), Claim.objects.all(), public=True)
    assert filterset.is_valid()
    assert filterset.form.cleaned_data["status"] == []
