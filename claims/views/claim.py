"""The claim page with its review forms.

Reads go through ``ClaimQuerySet.visible_to``: anyone who is not a reviewer
or an editor sees approved verdicts only, and a claim they may not see is a
404, the same answer as for a claim that does not exist. Writes go through
``claims.workflow`` only; the page shows a step's form when the step applies,
but the workflow is the guard, and its refusals (a role, a transition, a
stale version) come back as errors of the form that was posted, with the
user's input kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from claimdesk.roles import is_editor, is_reviewer
from claims import workflow
from claims.extraction.sentences import sentence_spans
from claims.forms import (
    ApproveForm,
    EvidenceForm,
    NoteForm,
    ReopenForm,
    StartResearchForm,
    StepForm,
    VerdictForm,
)
from claims.models import Claim, Quantity, Stance, Status

# Characters of source read either side of a quote, then cut to sentences.
CONTEXT_CHARS = 400
# Whole sentences shown before and after the sentences of the quote.
CONTEXT_SENTENCES = 1


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a POST, GET the page again (a reload does not post twice)."""

    status_code = 303


# --- small presentation helpers -----------------------------------------------


@dataclass(frozen=True)
class Timestamp:
    """A point in the recording, as hh:mm:ss and as an ISO 8601 duration."""

    seconds: int

    @property
    def clock(self) -> str:
        hours, rest = divmod(self.seconds, 3600)
        return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"

    @property
    def duration(self) -> str:
        hours, rest = divmod(self.seconds, 3600)
        return f"PT{hours}H{rest // 60}M{rest % 60}S"


def timestamp(seconds: int | None) -> Timestamp | None:
    return None if seconds is None else Timestamp(seconds)


def _amount(value: Decimal) -> str:
    # 5000000000.000000 (the stored scale) reads as 5,000,000,000.
    return format(value.normalize(), ",f")


def quantity_value(quantity: Quantity) -> str:
    """The parsed value of a quantity: "about 5,000,000,000–6,000,000,000 USD"."""
    low, high = quantity.low, quantity.high
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        value = _amount(low if low is not None else high)
    else:
        value = f"{_amount(low)}–{_amount(high)}"
    if quantity.unit:
        value += quantity.unit if quantity.unit in {"%", "x"} else f" {quantity.unit}"
    return f"about {value}" if quantity.approx else value


@dataclass(frozen=True)
class QuoteInContext:
    before: str
    quote: str
    after: str
    # Whether the source goes on beyond what is shown (the page shows "…").
    more_before: bool = False
    more_after: bool = False


_WORD = re.compile(r"[^\W\d_]{2,}")


def _is_prose(sentence: str) -> bool:
    """Not a summary page's markup: a lone "-" bullet or a "— Speaker" line."""
    sentence = sentence.strip()
    return bool(_WORD.search(sentence)) and not sentence.startswith(("—", "–"))


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``; a line break also ends a sentence (a new
    speaker's turn, a caption, a bullet)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(sentence_spans(line, offset))
        offset += len(line) + 1
    return spans


def quote_in_context(claim: Claim) -> QuoteInContext:
    """The quote with the sentences around it: the rest of the sentences it
    is part of, and one more either side."""
    before, quote, after = claim.quote_context(CONTEXT_CHARS)
    if claim.quote_start is None:
        return QuoteInContext("", quote, "")
    window = before + quote + after
    q_start, q_end = len(before), len(before) + len(quote)
    # Markup lines of a summary page (a lone "-", "— Speaker") are no context.
    spans = [
        (s, e)
        for s, e in _sentences(window)
        if (s < q_end and e > q_start) or _is_prose(window[s:e])
    ]
    touching = [i for i, (s, e) in enumerate(spans) if s < q_end and e > q_start]
    cut_start, cut_end = q_start, q_end
    if touching:
        first = max(touching[0] - CONTEXT_SENTENCES, 0)
        last = min(touching[-1] + CONTEXT_SENTENCES, len(spans) - 1)
        cut_start, cut_end = min(spans[first][0], q_start), max(spans[last][1], q_end)
    source = claim.episode.source_text
    window_start = claim.quote_start - len(before)
    return QuoteInContext(
        before=window[cut_start:q_start],
        quote=quote,
        after=window[q_end:cut_end],
        more_before=bool(source[: window_start + cut_start].strip()),
        more_after=bool(source[window_start + cut_end :].strip()),
    )


# --- the claim page -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A review step of the claim page: its form and the workflow call."""

    form_class: type[StepForm]
    # (claim, actor, cleaned data, version the page showed) → workflow call.
    run: Callable[[Claim, object, dict, int | None], object]
    done: Callable[[dict], str]
    # Status steps carry the version the page showed: a claim changed since
    # is a conflict, never a silent overwrite. Evidence and notes only add.
    needs_version: bool = True
    # Where the page opens after a success.


STEPS: dict[str, Step] = {
    "evidence": Step(
        EvidenceForm,
        lambda claim, actor, data, _v: workflow.evidence_add(
            claim=claim, actor=actor, **data
        ),
        lambda data: "Evidence added.",
        needs_version=False,
    ),
    "note": Step(
        NoteForm,
        lambda claim, actor, data, _v: workflow.note_add(
            claim=claim, actor=actor, body=data["body"]
        ),
        lambda data: "Note added.",
        needs_version=False,
    ),
    "research": Step(
        StartResearchForm,
        lambda claim, actor, data, version: workflow.claim_start_research(
            claim=claim, actor=actor, note=data["note"], expected_version=version
        ),
        lambda data: "Research started; the claim is now researching.",
    ),
    "verdict": Step(
        VerdictForm,
        lambda claim, actor, data, version: workflow.claim_set_verdict(
            claim=claim,
            verdict=data["verdict"],
            note=data["rationale"],
            actor=actor,
            expected_version=version,
        ),
        lambda data: (
            f"Verdict “{Status(data['verdict']).label}” proposed. "
            "It is published once another editor approves it."
        ),
    ),
    "approve": Step(
        ApproveForm,
        lambda claim, actor, data, version: workflow.claim_approve(
            claim=claim, actor=actor, note=data["note"], expected_version=version
        ),
        lambda data: "Verdict approved: it is now published.",
    ),
    "reopen": Step(
        ReopenForm,
        lambda claim, actor, data, version: workflow.claim_reopen(
            claim=claim, actor=actor, note=data["note"], expected_version=version
        ),
        lambda data: "Claim reopened for research; its verdict is no longer published.",
    ),
}
STEP_TITLES = {
    "evidence": "Adding evidence",
    "note": "The note",
    "research": "Starting research",
    "verdict": "The verdict",
    "approve": "The approval",
    "reopen": "Reopening",
}


def _auto_id(action: str) -> str:
    # Several forms share the page: ids stay unique, names stay plain.
    return f"id_{action}_%s"


def _posted_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _step_forms(claim: Claim, user) -> dict[str, StepForm]:
    """Blank forms of the steps that apply to the claim for this user."""
    forms: dict[str, StepForm] = {
        "evidence": EvidenceForm(auto_id=_auto_id("evidence")),
        "note": NoteForm(auto_id=_auto_id("note")),
    }
    unapproved_verdict = claim.is_verdict and not claim.is_approved
    if claim.status == Status.UNREVIEWED:
        forms["research"] = StartResearchForm(auto_id=_auto_id("research"))
    if claim.status in (Status.UNREVIEWED, Status.RESEARCHING) or unapproved_verdict:
        initial = (
            {"verdict": claim.status, "rationale": claim.rationale}
            if unapproved_verdict
            else {}
        )
        forms["verdict"] = VerdictForm(
            auto_id=_auto_id("verdict"),
            initial=initial,
            only_not_checkable=claim.status == Status.UNREVIEWED,
        )
    if is_editor(user):
        if unapproved_verdict and claim.verdict_by_id != user.pk:
            forms["approve"] = ApproveForm(auto_id=_auto_id("approve"))
        if claim.is_verdict:
            forms["reopen"] = ReopenForm(auto_id=_auto_id("reopen"))
    return forms


def _claim_page(
    request: HttpRequest,
    claim: Claim,
    *,
    posted: tuple[str, StepForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    reviewer = is_reviewer(user)
    mentions = list(claim.mentions.all())
    for mention in mentions:
        mention.clock = timestamp(mention.timestamp_seconds)
    quantities = list(claim.quantities.all())
    for quantity in quantities:
        quantity.value = quantity_value(quantity)
    by_stance: dict[str, list] = {stance: [] for stance in Stance.values}
    for evidence in claim.evidence.select_related("added_by"):
        by_stance[evidence.stance].append(evidence)
    evidence_groups = [
        {"stance": stance, "label": label, "items": by_stance[stance]}
        for stance, label in (
            (Stance.SUPPORTS, "Supports the claim"),
            (Stance.REFUTES, "Refutes the claim"),
            (Stance.CONTEXT, "Context"),
        )
        if by_stance[stance]
    ]
    forms = _step_forms(claim, user) if reviewer else {}
    if posted is not None:
        # The posted form, with its errors and everything typed, is shown
        # even where the step does not apply (that is what the error says).
        action, form = posted
        forms[action] = form
    context = {
        "claim": claim,
        "is_reviewer": reviewer,
        "clock": timestamp(claim.timestamp_seconds),
        "in_context": quote_in_context(claim),
        "mentions": mentions,
        "quantities": quantities,
        "evidence_groups": evidence_groups,
        "forms": forms,
        "review_steps": [
            a for a in ("research", "verdict", "approve", "reopen") if a in forms
        ],
        "failed_step": STEP_TITLES[posted[0]] if posted else "",
        "failed_action": posted[0] if posted else "",
        "own_verdict_waits": (
            is_editor(user)
            and claim.is_verdict
            and not claim.is_approved
            and claim.verdict_by_id == user.pk
        ),
    }
    if reviewer:
        # Notes and history are the newsroom's: never on the public page.
        context["notes"] = list(claim.notes.select_related("author"))
        context["history"] = list(claim.history.select_related("actor"))
    return render(request, "claims/claim_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user)
        .select_related(
            "episode__show",
            "speaker",
            "claimant",
            "verdict_by",
            "approved_by",
            "assignee",
        )
        .defer("search_vector"),
        pk=pk,
    )
    if request.method != "POST":
        return _claim_page(request, claim)
    if not is_reviewer(request.user):
        # The workflow would refuse each step anyway; answer plainly instead
        # of rendering review forms to someone who has none.
        raise PermissionDenied("Only reviewers and editors can change claims.")

    action = request.POST.get("action", "")
    step = STEPS.get(action)
    if step is None:
        messages.error(
            request, "That form is not one this page knows; reload the page."
        )
        return HttpResponseSeeOther(claim.get_absolute_url())
    form = step.form_class(request.POST, auto_id=_auto_id(action))
    status = 200
    if form.is_valid():
        version = _posted_version(request)
        if step.needs_version and version is None:
            form.add_error(
                None,
                ValidationError(
                    "The form did not say which version of the claim it was "
                    "filled in on. Reload the page and submit again.",
                    code="no_version",
                ),
            )
        else:
            try:
                step.run(claim, request.user, form.cleaned_data, version)
            except ValidationError as error:
                form.add_workflow_error(error)
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                messages.success(request, step.done(form.cleaned_data))
                # The page top, where the success message is.
                return HttpResponseSeeOther(claim.get_absolute_url())
    # The claim was read before the attempt, which wrote nothing: the page
    # shows its current state and version, so a deliberate resubmit (after a
    # conflict) applies to what the user now sees.
    return _claim_page(request, claim, posted=(action, form), status=status)


# --- episodes -----------------------------------------------------------------
