"""The claim page's inlines. Only quantities are edited in place: evidence
and notes are added through the workflow (``ClaimAdmin.save_formset``) and
read-only once saved. The history is a read-only timeline of the log
(``ClaimAdmin.history``), not an inline."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from claimdesk.admin_tools import ReadOnlyUsersAsNames
from claimdesk.roles import is_editor
from claims import workflow
from claims.admin.forms import EvidenceForm, NoteForm, QuantityForm
from claims.extraction.types import shown_amount
from claims.models import Evidence, Quantity, ReviewNote
from claims.workflow import Step, rules
from claims.workflow.sources import url_identity


class QuantityFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        claim = self.instance
        changed = any(form.has_changed() for form in self.forms) or any(
            form in self.deleted_forms for form in self.forms
        )
        # The workflow's rule, asked before anything is saved, so the form
        # comes back with what was typed rather than a refusal afterwards.
        # The reason is the claim form's field, posted with the inlines.
        if claim.pk and changed:
            rules.check_reopen_reason(claim, {"quantities"}, self.data.get("note"))


class QuantityInline(admin.TabularInline):
    model = Quantity
    form = QuantityForm
    formset = QuantityFormSet
    fields = ("kind", "text", "low", "high", "unit", "approx")
    extra = 0


class ReadOnlyQuantityInline(QuantityInline):
    """The amounts of a published claim, for a reviewer: what the verdict
    rates changes only by an editor (``workflow.editable_fields``)."""

    fields = ("kind", "text", "low_shown", "high_shown", "unit", "approx")
    readonly_fields = fields
    can_delete = False

    # The amounts as the desk reads them (a date amount as its day), not
    # as the stored numbers (20281231.000000).
    @admin.display(description="low")
    def low_shown(self, quantity):
        return "" if quantity.low is None else shown_amount(quantity.low, quantity.kind)

    @admin.display(description="high")
    def high_shown(self, quantity):
        return (
            "" if quantity.high is None else shown_amount(quantity.high, quantity.kind)
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceFormSet(BaseInlineFormSet):
    def clean(self):
        """One source typed twice in one save is a row error here, before
        the workflow: it refused the second as "already linked … added
        today", a link that, the save rolled back, did not exist (found in
        review)."""
        super().clean()
        seen: set[str] = set()
        for form in self.extra_forms:
            if not hasattr(form, "cleaned_data") or not form.has_changed():
                continue
            url = form.cleaned_data.get("url")
            if not url:
                continue
            identity = url_identity(url)
            if identity in seen:
                form.add_error(
                    "url", "This source is in another new row of this form; keep one."
                )
            seen.add(identity)


class EvidenceInline(ReadOnlyUsersAsNames, admin.TabularInline):
    """Saved evidence is read-only; new rows go through ``workflow.evidence_add``
    and deletions (Editors only) through ``workflow.evidence_remove``."""

    model = Evidence
    form = EvidenceForm
    formset = EvidenceFormSet
    fields = (
        "url",
        "stance",
        "title",
        "publisher",
        "published_on",
        "excerpt",
        "added_by",
        "added_at",
    )
    readonly_fields = ("added_by", "added_at")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # ``obj`` is the claim: offered as the workflow would take it (editors,
        # and never the last link of a sourced verdict).
        if obj is None:
            return super().has_delete_permission(request, obj) and is_editor(
                request.user
            )
        return super().has_delete_permission(request, obj) and workflow.can(
            Step.REMOVE_EVIDENCE, obj, request.user
        )


class ReviewNoteInline(ReadOnlyUsersAsNames, admin.TabularInline):
    """Notes are append-only (a database trigger refuses changes): written
    notes are read-only, new ones go through ``workflow.note_add``."""

    model = ReviewNote
    form = NoteForm
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    can_delete = False
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
