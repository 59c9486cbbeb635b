"""The claim page with its review forms.

Reads go through ``ClaimQuerySet.visible_to``: anyone who is not a reviewer
or an editor sees approved verdicts only, and a claim they may not see is a
404, the same answer as for a claim that does not exist. Writes go through
``claims.workflow`` only; the page shows the form of each step that
``workflow.available_steps`` offers the user, and the workflow, asking the
same predicates, is the guard: its refusals (a role, a transition, a stale
version) come back as errors of the form that was posted, with the user's
input kept.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from audit import timeline
from audit.models import Event
from claimdesk.limits import as_id
from claimdesk.methods import takes
from claimdesk.roles import is_reviewer
from claims import workflow
from claims.claimreview import claim_review, json_ld, share_metadata, site_url
from claims.corrections import corrections_of
from claims.extraction.sentences import sentence_spans
from claims.extraction.types import QuantityKind, number_day, shown_amount
from claims.forms import (
    QUOTE_NOT_IN_SOURCE,
    ClaimForm,
    verdict_before,
    verdict_sent_back,
)
from claims.models import Claim, Quantity, Stance
from claims.steps import SPECS
from claims.workflow import Step

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


def _date_value(low: Decimal | None, high: Decimal | None) -> str | None:
    """A date amount in words: "2027", "June 2027", "8 May 2026", "1 May –
    30 June 2026", "until 31 December 2027"; None when a bound is no day."""
    first, last = number_day(low), number_day(high)
    if (low is not None and first is None) or (high is not None and last is None):
        return None

    def day(d: datetime.date) -> str:
        return f"{d.day} {d:%B %Y}"

    if first is None or last is None:
        return f"from {day(first)}" if last is None else f"until {day(last)}"
    if first == last:
        return day(first)
    whole_years = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    if whole_years:
        return (
            str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
        )
    month_end = calendar.monthrange(last.year, last.month)[1]
    if first.day == 1 and last.day == month_end:
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%B %Y}"
        return f"{first:%B %Y} – {last:%B %Y}"
    return f"{day(first)} – {day(last)}"


def quantity_value(quantity: Quantity) -> str:
    """The parsed value of a quantity: "about 5,000,000,000–6,000,000,000 USD";
    a date's in words ("by June 2027": "June 2027"), not as the YYYYMMDD
    numbers it is stored as."""
    low, high = quantity.low, quantity.high
    if low is None and high is None:
        return ""
    # Extraction's dates say so in their unit; a date typed at the desk
    # may have none.
    if quantity.kind == QuantityKind.DATE or quantity.unit == "date":
        words = _date_value(low, high)
        if words is not None:
            return f"about {words}" if quantity.approx else words
    if low is None or high is None or low == high:
        value = shown_amount(low if low is not None else high)
    else:
        value = f"{shown_amount(low)}–{shown_amount(high)}"
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

# The steps the claim page offers, in the order of its sections.
PAGE_STEPS = (
    Step.ADD_EVIDENCE,
    Step.START_RESEARCH,
    Step.SET_VERDICT,
    Step.APPROVE,
    Step.REOPEN,
    Step.ASSIGN_TO_ME,
    Step.EDIT,
    Step.ADD_NOTE,
)
# Headings and buttons of the page's forms; what a failed step is called.
PAGE_TEXT = {
    Step.ADD_EVIDENCE: ("Add evidence", "Add evidence", "Adding evidence"),
    Step.START_RESEARCH: ("Start research", "Start research", "Starting research"),
    Step.SET_VERDICT: ("Propose a verdict", "Propose verdict", "The verdict"),
    Step.APPROVE: ("Approve the verdict", "Approve and publish", "The approval"),
    Step.REOPEN: ("Reopen for research", "Reopen", "Reopening"),
    Step.ASSIGN_TO_ME: ("Take this claim on", "Assign to me", "Assigning"),
    Step.EDIT: ("Edit the claim", "Save the claim", "The edit"),
    Step.ADD_NOTE: ("Add a note", "Add note", "The note"),
}
REVIEW_STEPS = (Step.START_RESEARCH, Step.SET_VERDICT, Step.APPROVE, Step.REOPEN)


def _auto_id(action: str) -> str:
    # Several forms share the page: ids stay unique, names stay plain.
    return f"id_{action}_%s"


def _posted_version(request: HttpRequest) -> int | None:
    return as_id(request.POST.get("version"))


def _edit_form(claim: Claim, offer: workflow.Offer, data=None) -> ClaimForm:
    """The edit step's form, with the fields the workflow lets this user change."""
    form = ClaimForm(data, instance=claim, auto_id=_auto_id(Step.EDIT), label_suffix="")
    shown = {name for name in ClaimForm.Meta.fields if name in offer.fields}
    for name in list(form.fields):
        # The score is the desk's business (the admin shows why it is what
        # it is); the reason and the version always come along.
        if name not in shown | {"note", "loaded_version"}:
            del form.fields[name]
    return form


def _step_forms(claim: Claim, offers: dict[Step, workflow.Offer]) -> dict[str, object]:
    """Blank forms of the steps offered on the page (by step value)."""
    forms: dict[str, object] = {}
    for step in PAGE_STEPS:
        offer = offers.get(step)
        if offer is None:
            continue
        if step == Step.EDIT:
            forms[step.value] = _edit_form(claim, offer)
            continue
        initial = {}
        if step == Step.SET_VERDICT and claim.is_verdict:
            initial = {"verdict": claim.status, "note": claim.rationale}
        forms[step.value] = SPECS[step].make_form(
            offer, auto_id=_auto_id(step), initial=initial
        )
    return forms


def _claim_page(
    request: HttpRequest,
    claim: Claim,
    *,
    posted: tuple[Step, object] | None = None,
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
    # The evidence just read saves the verdict rule its own count.
    claim.evidence_count = sum(len(items) for items in by_stance.values())
    offers = workflow.available_steps(claim, user) if reviewer else {}
    forms = _step_forms(claim, offers)
    if posted is not None:
        # The posted form, with its errors and everything typed, is shown
        # even where the step is no longer offered (that is what the error says).
        step, form = posted
        forms[step.value] = form
    steps = [
        {
            "action": step.value,
            "form": forms[step.value],
            "heading": PAGE_TEXT[step][0],
            "button": PAGE_TEXT[step][1],
            # The edit form is long and seldom needed: folded until opened,
            # or until it comes back with errors.
            "folded": step == Step.EDIT and not (posted and posted[0] == step),
        }
        for step in PAGE_STEPS
        if step.value in forms
    ]
    # Keyed for the template: "set_verdict" for the step "set-verdict".
    by_action = {item["action"].replace("-", "_"): item for item in steps}
    if "set_verdict" in by_action and claim.is_verdict:
        by_action["set_verdict"]["heading"] = "Revise the proposed verdict"
    context = {
        "claim": claim,
        "is_reviewer": reviewer,
        "clock": timestamp(claim.timestamp_seconds),
        "in_context": quote_in_context(claim),
        "mentions": mentions,
        "quantities": quantities,
        "evidence_groups": evidence_groups,
        "steps": by_action,
        "review_steps": [
            item for item in steps if Step(item["action"]) in REVIEW_STEPS
        ],
        "failed_step": PAGE_TEXT[posted[0]][2] if posted else "",
        "failed_action": posted[0].value if posted else "",
        # Why an editor is not offered the approval of a proposed verdict.
        "approval_refusal": (
            workflow.refusal(Step.APPROVE, claim, user)
            if reviewer and claim.is_verdict and not claim.is_approved
            else None
        ),
    }
    context["corrections"] = corrections_of(claim) if claim.is_approved else []
    review = claim_review(claim, base_url=site_url(request), mentions=mentions)
    if review is not None:
        context["claim_review"] = json_ld(review)
        context["share"] = share_metadata(claim, review)
    if reviewer:
        # Notes and history are the newsroom's: never on the public page.
        context["notes"] = list(claim.notes.select_related("author"))
        context["history"] = timeline.render(Event.objects.about(claim))
    return render(request, "claims/claim_detail.html", context, status=status)


@takes("GET", "HEAD", "POST")
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
    try:
        step = Step(request.POST.get("action", ""))
    except ValueError:
        step = None
    if step not in PAGE_STEPS:
        messages.error(
            request, "That form is not one this page knows; reload the page."
        )
        return HttpResponseSeeOther(claim.get_absolute_url())
    if step == Step.EDIT:
        return _edit(request, claim)
    spec = SPECS[step]
    offer = workflow.available_steps(claim, request.user).get(step)
    form = spec.make_form(offer, data=request.POST, auto_id=_auto_id(step))
    status = 200
    if form.is_valid():
        version = _posted_version(request)
        if spec.needs_version and version is None:
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
                spec.run(claim, request.user, form.cleaned_data, version)
            except ValidationError as error:
                form.add_workflow_error(error)
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                messages.success(request, spec.done(form.cleaned_data))
                # The page top, where the success message is.
                return HttpResponseSeeOther(claim.get_absolute_url())
    # The claim was read before the attempt, which wrote nothing: the page
    # shows its current state and version, so a deliberate resubmit (after a
    # conflict) applies to what the user now sees.
    return _claim_page(request, claim, posted=(step, form), status=status)


def _edit(request: HttpRequest, claim: Claim) -> HttpResponse:
    """The edit step: the form checks the version under a row lock, so the
    check and the save share one transaction."""
    offer = workflow.available_steps(claim, request.user).get(
        Step.EDIT, workflow.Offer(Step.EDIT)
    )
    status = 200
    with transaction.atomic():
        form = _edit_form(claim, offer, data=request.POST)
        if form.is_valid():
            before = verdict_before(claim)
            try:
                saved = workflow.claim_update(
                    claim=claim,
                    actor=request.user,
                    expected_version=form.cleaned_data["loaded_version"],
                    changes=form.changes(),
                    note=form.cleaned_data.get("note", ""),
                )
            except ValidationError as error:
                form.add_workflow_error(error)
            else:
                messages.success(request, "The claim is saved.")
                if said := verdict_sent_back(before, saved.status):
                    messages.warning(request, said)
                if form.quote_not_found:
                    messages.warning(request, QUOTE_NOT_IN_SOURCE)
                return HttpResponseSeeOther(claim.get_absolute_url())
        elif any(e.code == "stale" for e in form.non_field_errors().as_data()):
            status = 409
    claim.refresh_from_db()
    return _claim_page(request, claim, posted=(Step.EDIT, form), status=status)


# --- episodes -----------------------------------------------------------------
