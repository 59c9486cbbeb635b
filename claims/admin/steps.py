"""Workflow steps in the claim admin: list actions and claim-page buttons.

Each step runs ``claims.workflow`` once per claim; a refusal becomes an error
message naming the claim, never a traceback. The buttons post to
``<id>/workflow/<step>/``, which runs the same action on that one claim.
Steps that need input (a verdict and its rationale, the reason to reopen)
show an intermediate page first.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claimdesk.roles import is_editor
from claims import workflow
from claims.admin.forms import ApproveForm, ReopenForm, VerdictForm
from claims.models import Claim, ClaimQuerySet, Status

# URL slug → (action method, button label, needs an intermediate page).
# Approval has a page too: the editor sees the verdict and rationale being
# approved, and the page carries the version it showed (a verdict revised in
# the meantime is refused as stale, never approved unseen).
WORKFLOW_STEPS = {
    "start-research": ("start_research", "Start research", False),
    "set-verdict": ("set_verdict", "Set verdict…", True),
    "approve": ("approve", "Approve verdict…", True),
    "reopen": ("reopen", "Reopen…", True),
    "assign-to-me": ("assign_to_me", "Assign to me", False),
}
EDITOR_ACTIONS = ("approve", "reopen")
EDITOR_STEPS = ("approve", "reopen")


def _claims(count: int) -> str:
    return f"{count} claim" if count == 1 else f"{count} claims"


def _shown_versions(request: HttpRequest) -> dict[int, int]:
    """claim id → the version an intermediate page showed (``version_<id>``)."""
    versions = {}
    for key, value in request.POST.items():
        if key.startswith("version_") and key[8:].isdigit() and value.isdigit():
            versions[int(key[8:])] = int(value)
    return versions


class WorkflowStepsMixin:
    """Actions and buttons for a ModelAdmin of claims."""

    def get_actions(self, request):
        # Only hides them: the workflow refuses these steps to non-editors.
        actions = super().get_actions(request)
        if not is_editor(request.user):
            for name in EDITOR_ACTIONS:
                actions.pop(name, None)
        return actions

    def _run(
        self,
        request: HttpRequest,
        queryset: ClaimQuerySet,
        call: Callable[[Claim, int | None], Claim],
        *,
        step: str,
        done: str,
        versions: dict[int, int] | None = None,
    ) -> list[str]:
        """Apply one workflow step to each claim; return the refusals.

        ``call`` gets the claim and the version the user saw (None from a
        plain list action). Refusals are reported one by one, naming the
        claim; successes in one message (``done`` followed by the number of
        claims), and each in the claim's admin history.
        """
        count = 0
        refusals = []
        for claim in queryset:
            try:
                updated = call(claim, (versions or {}).get(claim.pk))
            except ValidationError as exc:
                refusal = f"“{claim}”: {step} refused. {' '.join(exc.messages)}"
                refusals.append(refusal)
                self.message_user(request, refusal, messages.ERROR)
            else:
                count += 1
                self.log_change(request, updated, f"{done} the claim.")
        if count:
            self.message_user(request, f"{done} {_claims(count)}.", messages.SUCCESS)
        return refusals

    @admin.action(description="Start research", permissions=["change"])
    def start_research(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda claim, _version: workflow.claim_start_research(
                claim=claim, actor=request.user
            ),
            step="Start research",
            done="Started research on",
        )

    @admin.action(description="Set a verdict…", permissions=["change"])
    def set_verdict(self, request, queryset):
        # Unreviewed claims can only be marked not checkable; offer no more.
        only_unreviewed = not queryset.exclude(status=Status.UNREVIEWED).exists()
        form = VerdictForm(
            request.POST if "apply" in request.POST else None,
            only_not_checkable=only_unreviewed,
        )
        if not form.is_valid():
            return self._step_page(
                request, queryset, form, "set_verdict", "Set a verdict"
            )
        label = Status(form.cleaned_data["verdict"]).label
        return self._run_or_show_again(
            request,
            queryset,
            form,
            "set_verdict",
            "Set a verdict",
            lambda claim, version: workflow.claim_set_verdict(
                claim=claim,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                actor=request.user,
                expected_version=version,
            ),
            step=f"Verdict “{label}”",
            done=f"Proposed the verdict “{label}” for",
        )

    @admin.action(description="Approve the proposed verdict…", permissions=["change"])
    def approve(self, request, queryset):
        form = ApproveForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._step_page(request, queryset, form, "approve", "Approve")
        versions = _shown_versions(request)
        # Only what the page showed can be approved: no version, no approval.
        return self._run_or_show_again(
            request,
            queryset,
            form,
            "approve",
            "Approve",
            lambda claim, version: workflow.claim_approve(
                claim=claim,
                actor=request.user,
                note=form.cleaned_data["note"],
                expected_version=version if version is not None else -1,
            ),
            step="Approval",
            done="Approved the verdict of",
            versions=versions,
        )

    @admin.action(description="Reopen the verdict…", permissions=["change"])
    def reopen(self, request, queryset):
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._step_page(request, queryset, form, "reopen", "Reopen")
        return self._run_or_show_again(
            request,
            queryset,
            form,
            "reopen",
            "Reopen",
            lambda claim, version: workflow.claim_reopen(
                claim=claim,
                note=form.cleaned_data["note"],
                actor=request.user,
                expected_version=version,
            ),
            step="Reopen",
            done="Reopened",
        )

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda claim, _version: workflow.claim_assign(
                claim=claim, assignee=request.user, actor=request.user
            ),
            step="Assign to me",
            done="Took on",
        )

    def _run_or_show_again(
        self,
        request: HttpRequest,
        queryset: ClaimQuerySet,
        form: forms.Form,
        action: str,
        title: str,
        call: Callable[[Claim, int | None], Claim],
        *,
        step: str,
        done: str,
        versions: dict[int, int] | None = None,
    ) -> TemplateResponse | None:
        """Run a step from its page; if every claim was refused, show the
        page again with the reasons, keeping what the user typed."""
        claims = list(queryset)
        refusals = self._run(
            request,
            claims,
            call,
            step=step,
            done=done,
            versions=_shown_versions(request) if versions is None else versions,
        )
        if refusals and len(refusals) == len(claims):
            # The messages would repeat the form errors on the page itself.
            list(messages.get_messages(request))
            for refusal in refusals:
                form.add_error(None, refusal)
            return self._step_page(
                request,
                queryset.model.objects.filter(pk__in=[c.pk for c in claims]),
                form,
                action,
                title,
            )
        return None

    def _step_page(
        self,
        request: HttpRequest,
        queryset: ClaimQuerySet,
        form: forms.Form,
        action: str,
        title: str,
    ) -> TemplateResponse:
        """The intermediate page of an action that needs input.

        It posts back to where it came from: the list (with the action and
        the selected claims as hidden fields, as Django's delete confirmation
        does) or a claim's own workflow URL.
        """
        claims = list(queryset)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "action": action,
            "claims": [
                (
                    reverse(
                        f"{self.admin_site.name}:claims_claim_change",
                        args=[claim.pk],
                    ),
                    claim,
                )
                for claim in claims
            ],
            # From a claim's own page (one claim) rather than the list.
            "single": request.resolver_match.url_name == "claims_claim_workflow",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"admin/claims/claim/{action}.html", context)

    # --- workflow buttons on the claim page

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="claims_claim_workflow",
            ),
            *super().get_urls(),
        ]

    def workflow_view(
        self, request: HttpRequest, object_id: str, step: str
    ) -> HttpResponse:
        """One workflow step on one claim, from a button on its page.

        Runs the same action as the list, so the workflow decides; a step the
        page does not offer (approve for a reviewer) is refused there.
        """
        if step not in WORKFLOW_STEPS:
            raise Http404(f"No workflow step “{step}”.")
        method, _label, has_page = WORKFLOW_STEPS[step]
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        change_url = reverse(
            f"{self.admin_site.name}:claims_claim_change", args=[claim.pk]
        )
        if step in EDITOR_STEPS and not is_editor(request.user):
            # Say so before the user types a note the workflow would refuse.
            self.message_user(
                request,
                f"Only members of the Editor group can {step.replace('-', ' ')}.",
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        if request.method != "POST" and not has_page:
            return HttpResponseRedirect(change_url)
        response = getattr(self, method)(request, Claim.objects.filter(pk=claim.pk))
        if response is not None:
            return response
        return HttpResponseRedirect(change_url)

    def workflow_buttons(self, request: HttpRequest, claim: Claim) -> list[dict]:
        """The steps the workflow would allow this user on this claim."""
        user = request.user
        editor = is_editor(user)
        offered = []
        if claim.status == Status.UNREVIEWED:
            offered.append("start-research")
        if not claim.is_approved:
            offered.append("set-verdict")
        if (
            editor
            and claim.is_verdict
            and not claim.is_approved
            and claim.verdict_by_id != user.pk
        ):
            offered.append("approve")
        if editor and claim.is_verdict:
            offered.append("reopen")
        if claim.assignee_id != user.pk:
            offered.append("assign-to-me")
        return [
            {
                "url": reverse(
                    f"{self.admin_site.name}:claims_claim_workflow",
                    args=[claim.pk, step],
                ),
                "label": WORKFLOW_STEPS[step][1],
                "has_page": WORKFLOW_STEPS[step][2],
            }
            for step in offered
        ]

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and self.has_change_permission(request, obj):
            context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
