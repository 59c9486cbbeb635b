"""The workflow steps as a user takes them, for every surface.

For each ``Step`` of ``claims.workflow.rules``: its label, its form
(``claims.forms``) and the call that hands the form's cleaned data to the
workflow function. The admin, the claim page and the API look steps up here
and show the ones ``workflow.available_steps`` offers; none of them decides
on its own who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from claimdesk.roles import User
from claims import workflow
from claims.forms import (
    ApproveForm,
    AssignToMeForm,
    EvidenceForm,
    NoteForm,
    ReopenForm,
    StartResearchForm,
    VerdictForm,
)
from claims.models import Claim, Status
from claims.workflow import Offer, Step


@dataclass(frozen=True)
class StepSpec:
    step: Step
    label: str
    # The form of the step (None: taken from the claim's own form).
    form: type[forms.BaseForm] | None
    # (claim, actor, cleaned data, version the user saw) → the workflow call.
    run: Callable[[Claim, User, dict, int | None], Any]
    done: Callable[[dict], str]
    # Status steps carry the version the user saw: a claim changed since is a
    # conflict, never a silent overwrite. Evidence and notes only add.
    needs_version: bool = True
    # Whether the step asks for input before it runs (an intermediate page
    # in the admin); the others are one button.
    asks: bool = True

    def make_form(self, offer: Offer | None = None, **kwargs) -> forms.BaseForm:
        if self.form is VerdictForm and offer is not None:
            kwargs["offered"] = offer.choices
        return self.form(**kwargs)


def _status_step(function: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the form's data to a status step, with the version the user saw."""
    return lambda claim, actor, data, version: function(
        claim=claim, actor=actor, expected_version=version, **data
    )


def _addition(function: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the form's data to a step that only adds (no version to check)."""
    return lambda claim, actor, data, _version: function(
        claim=claim, actor=actor, **data
    )


def _verdict_done(data: dict) -> str:
    return (
        f"Verdict “{Status(data['verdict']).label}” proposed. It is published "
        "once another editor approves it."
    )


SPECS: dict[Step, StepSpec] = {
    spec.step: spec
    for spec in (
        StepSpec(
            Step.START_RESEARCH,
            "Start research",
            StartResearchForm,
            _status_step(workflow.claim_start_research),
            lambda data: "Research started; the claim is now researching.",
            asks=False,
        ),
        StepSpec(
            Step.SET_VERDICT,
            "Propose a verdict",
            VerdictForm,
            _status_step(workflow.claim_set_verdict),
            _verdict_done,
        ),
        StepSpec(
            Step.APPROVE,
            "Approve the verdict",
            ApproveForm,
            _status_step(workflow.claim_approve),
            lambda data: "Verdict approved: it is now published.",
        ),
        StepSpec(
            Step.REOPEN,
            "Reopen for research",
            ReopenForm,
            _status_step(workflow.claim_reopen),
            lambda data: (
                "Claim reopened for research; its verdict is no longer published."
            ),
        ),
        StepSpec(
            Step.ASSIGN_TO_ME,
            "Assign to me",
            AssignToMeForm,
            lambda claim, actor, data, version: workflow.claim_assign(
                claim=claim, assignee=actor, actor=actor, expected_version=version
            ),
            lambda data: "The claim is assigned to you.",
            asks=False,
        ),
        StepSpec(
            Step.ADD_EVIDENCE,
            "Add evidence",
            EvidenceForm,
            _addition(workflow.evidence_add),
            lambda data: "Evidence added.",
            needs_version=False,
        ),
        StepSpec(
            Step.ADD_NOTE,
            "Add a note",
            NoteForm,
            _addition(workflow.note_add),
            lambda data: "Note added.",
            needs_version=False,
        ),
    )
}
