"""Workflow steps in the claim admin: list actions and claim-page buttons.

What is offered comes from ``workflow.available_steps`` (buttons, the forms
of the intermediate pages) and ``rules.has_role_for`` (the list actions'
permissions); the forms and calls from ``claims.steps``. Each step runs the
workflow once per claim; a refusal becomes an error message naming the
claim, never a traceback. The buttons post to ``<id>/workflow/<step>/``,
which runs the same action on that one claim. Steps that ask for input (a
verdict and its rationale, the reason to reopen, a look at what is approved)
show an intermediate page first.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_format_dict, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claimdesk.limits import as_id
from claims import workflow
from claims.forms import for_admin
from claims.models import Claim, ClaimQuerySet, Status
from claims.steps import SPECS
from claims.workflow import Step, rules

# The steps the claim admin offers, as list actions and as buttons.
ADMIN_STEPS = (
    Step.START_RESEARCH,
    Step.SET_VERDICT,
    Step.APPROVE,
    Step.REOPEN,
    Step.ASSIGN_TO_ME,
)
# A step's button on the claim page, what its refusal calls it, how its
# success message starts ("{}" is the verdict chosen), its page's title.
ACTION_LABELS = {
    Step.START_RESEARCH: (
        "Start research",
        "Start research",
        "Started research on",
        "Start research",
    ),
    Step.SET_VERDICT: (
        "Set verdict…",
        "Verdict “{}”",
        "Proposed the verdict “{}” for",
        "Set a verdict",
    ),
    Step.APPROVE: (
        "Approve verdict…",
        "Approval",
        "Approved the verdict of",
        "Approve",
    ),
    Step.REOPEN: ("Reopen…", "Reopen", "Reopened", "Reopen"),
    Step.ASSIGN_TO_ME: ("Assign to me", "Assign to me", "Took on", "Assign to me"),
}


# The most claims one step works on from the list. A step that asks for
# input posts two fields per claim back from its page (the selection and the
# version shown); past about 490 claims that form was over Django's 1,000
# fields and refused, with what was typed (found by the second new-user
# review). One request also stays bounded: "Select all" across a million
# claims would read every one.
MOST_CLAIMS = 400


def _label(step: Step, which: int, data: dict) -> str:
    verdict = data.get("verdict")
    return ACTION_LABELS[step][which].format(Status(verdict).label if verdict else "")


# Refusals for the user's role rather than the claim's state.
ROLE_REFUSALS = frozenset({"not_reviewer", "not_editor"})


def _claims(count: int) -> str:
    return f"{count} claim" if count == 1 else f"{count} claims"


def _shown_versions(request: HttpRequest) -> dict[int, int]:
    """claim id → the version an intermediate page showed (``version_<id>``)."""
    versions = {}
    for key, value in request.POST.items():
        if not key.startswith("version_"):
            continue
        claim_id, version = as_id(key.removeprefix("version_")), as_id(value)
        if claim_id is not None and version is not None:
            versions[claim_id] = version
    return versions


def _action_name(step: Step) -> str:
    return step.value.replace("-", "_")


class WorkflowStepsMixin:
    """Actions and buttons for a ModelAdmin of claims."""

    def response_action(self, request, queryset):
        # An action the list does not offer this user (a page from before a
        # role was taken away, a hand-made request) is named and refused;
        # Django's own message for it is "No action selected."
        name = request.POST.get("action", "")
        if name and name not in self.get_actions(request):
            # Described as the action list names it (get_action_choices).
            described = {
                action: str(description) % model_format_dict(self.opts)
                for _func, action, description in self._get_base_actions()
            }
            if name in described and name in {_action_name(step) for step in Step}:
                needs = (
                    "the Editor group"
                    if name in {_action_name(step) for step in rules.EDITOR_STEPS}
                    else "the Reviewer or Editor group"
                )
                self.message_user(
                    request,
                    f"“{described[name].rstrip('…')}” needs {needs}, "
                    "which you are not in; nothing was changed. Ask an editor "
                    "if you need it.",
                    messages.ERROR,
                )
                return None
            if name in described:
                # The site's own actions this list leaves out (claims are
                # never deleted: "Delete selected claims").
                self.message_user(
                    request,
                    f"“{described[name]}” is not offered on this list; nothing "
                    "was changed.",
                    messages.ERROR,
                )
                return None
        return super().response_action(request, queryset)

    # --- who may use each list action: the step's role (the workflow still
    # decides per claim)

    def has_start_research_permission(self, request: HttpRequest) -> bool:
        return rules.has_role_for(Step.START_RESEARCH, request.user)

    def has_set_verdict_permission(self, request: HttpRequest) -> bool:
        return rules.has_role_for(Step.SET_VERDICT, request.user)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return rules.has_role_for(Step.APPROVE, request.user)

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        return rules.has_role_for(Step.REOPEN, request.user)

    def has_assign_to_me_permission(self, request: HttpRequest) -> bool:
        return rules.has_role_for(Step.ASSIGN_TO_ME, request.user)

    # --- the actions

    @admin.action(description="Start research", permissions=["start_research"])
    def start_research(self, request, queryset):
        return self._step(request, queryset, Step.START_RESEARCH)

    @admin.action(description="Set a verdict…", permissions=["set_verdict"])
    def set_verdict(self, request, queryset):
        return self._step(request, queryset, Step.SET_VERDICT)

    @admin.action(description="Approve the proposed verdict…", permissions=["approve"])
    def approve(self, request, queryset):
        return self._step(request, queryset, Step.APPROVE)

    @admin.action(description="Reopen the verdict…", permissions=["reopen"])
    def reopen(self, request, queryset):
        return self._step(request, queryset, Step.REOPEN)

    @admin.action(description="Assign to me", permissions=["assign_to_me"])
    def assign_to_me(self, request, queryset):
        return self._step(request, queryset, Step.ASSIGN_TO_ME)

    def _step(
        self, request: HttpRequest, queryset: ClaimQuerySet, step: Step
    ) -> TemplateResponse | None:
        """Run ``step`` on each claim, first showing its page if it asks for
        input; show the page again with the reasons if every claim was
        refused, keeping what the user typed."""
        spec = SPECS[step]
        claims = list(queryset[: MOST_CLAIMS + 1])
        if len(claims) > MOST_CLAIMS:
            self.message_user(
                request,
                f"“{ACTION_LABELS[step][3]}” works on at most {MOST_CLAIMS} "
                f"claims at a time, and more than {MOST_CLAIMS} are selected. "
                "Nothing was changed: narrow the list with its filters or "
                "search, or select fewer claims.",
                messages.ERROR,
            )
            return None
        offers = {c.pk: workflow.available_steps(c, request.user) for c in claims}
        submitted = "apply" in request.POST or not spec.asks
        form = for_admin(
            spec.make_form(
                self._combined_offer(step, claims, offers),
                data=request.POST if submitted else None,
            )
        )
        if not form.is_valid():
            return self._step_page(request, claims, offers, form, step)
        # From a page, only what the page showed can change: approving a
        # verdict revised in the meantime is refused as stale, never done
        # unseen (no version, no approval).
        versions = _shown_versions(request) if spec.asks else {}
        count = 0
        refusals = []
        for claim in claims:
            version = versions.get(claim.pk)
            if step == Step.APPROVE and version is None:
                version = -1
            try:
                updated = spec.run(claim, request.user, form.cleaned_data, version)
            except ValidationError as exc:
                what = _label(step, 1, form.cleaned_data)
                refusal = f"“{claim}”: {what} refused. {' '.join(exc.messages)}"
                refusals.append(refusal)
                self.message_user(request, refusal, messages.ERROR)
            else:
                count += 1
                self.log_change(request, updated, f"{spec.label}.")
        if count:
            done = _label(step, 2, form.cleaned_data)
            self.message_user(request, f"{done} {_claims(count)}.", messages.SUCCESS)
        if spec.asks and refusals and len(refusals) == len(claims):
            # The messages would repeat the form errors on the page itself.
            list(messages.get_messages(request))
            for refusal in refusals:
                form.add_error(None, refusal)
            fresh = list(
                self.get_queryset(request).filter(pk__in=[c.pk for c in claims])
            )
            offers = {c.pk: workflow.available_steps(c, request.user) for c in fresh}
            return self._step_page(request, fresh, offers, form, step)
        return None

    @staticmethod
    def _combined_offer(
        step: Step, claims: list[Claim], offers: dict[int, dict]
    ) -> workflow.Offer | None:
        """For a verdict on several claims: the verdicts each of them may get."""
        if step != Step.SET_VERDICT:
            return None
        choices = None
        for claim in claims:
            offer = offers[claim.pk].get(step)
            allowed = set(offer.choices) if offer else set()
            choices = allowed if choices is None else choices & allowed
        ordered = tuple(s for s in Status if s in (choices or set()))
        return workflow.Offer(step, choices=ordered)

    def _step_page(
        self,
        request: HttpRequest,
        claims: list[Claim],
        offers: dict[int, dict],
        form,
        step: Step,
    ) -> TemplateResponse:
        """The intermediate page of a step that asks for input.

        It posts back to where it came from: the list (with the action and
        the selected claims as hidden fields, as Django's delete confirmation
        does) or a claim's own workflow URL. Each claim says whether the step
        is open to this user; the submit button shows only if it is for one.
        """
        rows = [
            {
                "url": reverse(
                    f"{self.admin_site.name}:claims_claim_change", args=[claim.pk]
                ),
                "claim": claim,
                "refusal": rules.refusal(step, claim, request.user),
            }
            for claim in claims
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": ACTION_LABELS[step][3],
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "action": _action_name(step),
            "rows": rows,
            "can_submit": any(row["refusal"] is None for row in rows),
            # From a claim's own page (one claim) rather than the list.
            "single": request.resolver_match.url_name == "claims_claim_workflow",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        template = f"admin/claims/claim/{_action_name(step)}.html"
        return TemplateResponse(request, template, context)

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

        Runs the same action as the list. A step the workflow does not offer
        this user is refused before any input is asked for.
        """
        try:
            step = Step(step)
        except ValueError:
            raise Http404(f"No workflow step “{step}”.") from None
        if step not in ADMIN_STEPS:
            raise Http404(f"No workflow step “{step}” here.")
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        change_url = reverse(
            f"{self.admin_site.name}:claims_claim_change", args=[claim.pk]
        )
        refusal = rules.refusal(step, claim, request.user)
        if refusal is not None and (
            request.method != "POST" or refusal.code in ROLE_REFUSALS
        ):
            # Say so before the user types a note the workflow would refuse;
            # a step the user's role never allows gets no page at all.
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method != "POST" and not SPECS[step].asks:
            return HttpResponseRedirect(change_url)
        # The list's queryset: the rules read the evidence count it carries.
        response = self._step(
            request, self.get_queryset(request).filter(pk=claim.pk), step
        )
        if response is not None:
            return response
        return HttpResponseRedirect(change_url)

    def workflow_buttons(self, request: HttpRequest, claim: Claim) -> list[dict]:
        """The steps the workflow offers this user on this claim."""
        offered = workflow.available_steps(claim, request.user)
        return [
            {
                "url": reverse(
                    f"{self.admin_site.name}:claims_claim_workflow",
                    args=[claim.pk, step.value],
                ),
                "label": ACTION_LABELS[step][0],
                "has_page": SPECS[step].asks,
            }
            for step in ADMIN_STEPS
            if step in offered
        ]

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and self.has_change_permission(request, obj):
            context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
