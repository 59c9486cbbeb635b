"""The workflow's steps as POST endpoints, one per step.

Each runs the same call as the admin and the claim page: the step's spec in
``claims.steps.SPECS`` (its form from ``claims.forms`` validates the body,
its ``run`` calls the workflow function), so the API refuses what the pages
refuse. The workflow decides: it locks the claim, checks the role and the
state, refuses a stale ``version``, and its refusal comes back with its own
code (``api.errors``: 409 stale with ``current_version``, 403 a role, 422
anything else). Nothing is decided here that the workflow does not decide.

A body is a JSON object of the form's fields, plus ``version`` (the claim's
version the client read) for the steps that change the claim's state.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ROLE_CODES, form_errors_response, refusal_response
from api.schema import step_errors
from api.serializers import (
    ClaimDetailSerializer,
    EvidenceSerializer,
    NoteSerializer,
)
from api.views.claims import claim_detail_data
from claimdesk.limits import as_id
from claims import workflow
from claims.forms import ClaimForm, last_change_sentence
from claims.models import Claim, Status
from claims.steps import SPECS
from claims.workflow import Step, rules

VERSION = "version"


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        help_text="The claim's version you read (GET /api/claims/<id>/): a "
        "claim changed since is a 409, never a silent overwrite."
    )


class StepView(APIView):
    """One workflow step on one claim."""

    permission_classes = [permissions.IsAuthenticated]
    step: Step
    # Body fields besides the form's: "version" for the status steps.
    extra_fields: frozenset[str] = frozenset()

    # --- reading the request -----------------------------------------------------

    def claim(self, pk: int) -> Claim:
        """The claim, if this user may see it (else 404, as for reading it);
        with the evidence count the rules ask for."""
        return get_object_or_404(
            Claim.objects.visible_to(self.request.user).for_list(), pk=pk
        )

    def body(self) -> dict[str, Any]:
        data = self.request.data
        if not isinstance(data, dict):
            raise _BadBody("The body must be a JSON object of the step's fields.")
        return data

    def form_data(self, body: dict[str, Any], fields: set[str]) -> dict[str, str]:
        """The body as a form's data: text, as a browser would send it."""
        unknown = sorted(set(body) - fields - self.extra_fields)
        if unknown:
            raise ValidationError(
                f"Unknown field{'s' if len(unknown) > 1 else ''}: "
                f"{', '.join(unknown)}. This step takes "
                f"{', '.join(sorted(fields | self.extra_fields)) or 'no fields'}.",
                code="unknown_field",
            )
        data = {}
        for name, value in body.items():
            if value is None or name in self.extra_fields:
                continue
            if isinstance(value, dict | list):
                raise ValidationError(
                    f"{name}: give text, a number or null, not a list or object.",
                    code="invalid",
                )
            data[name] = str(value).lower() if isinstance(value, bool) else str(value)
        return data

    def version(self, body: dict[str, Any]) -> int:
        value = body.get(VERSION)
        if value is None:
            raise ValidationError(
                'Send the claim\'s version you read ("version": an integer from '
                "GET /api/claims/<id>/), so a change made since is not overwritten.",
                code="no_version",
            )
        version = None if isinstance(value, bool) else as_id(value)
        if version is None:
            shown = json.dumps(value, ensure_ascii=False)
            raise ValidationError(
                f"version: {shown if len(shown) <= 40 else shown[:39] + '…'} is no "
                "claim's version; send the whole number you read as the claim's "
                '"version" (GET /api/claims/<id>/).',
                code="invalid_version",
            )
        return version

    def role_refusal(self, claim: Claim) -> ValidationError | None:
        """The workflow's refusal when the user's role alone rules the step
        out: said before the input is looked at, as the pages do."""
        if rules.has_role_for(self.step, self.request.user):
            return None
        error = workflow.refusal(self.step, claim, self.request.user)
        return error if getattr(error, "code", None) in ROLE_CODES else None

    # --- answering ---------------------------------------------------------------

    def refused(self, error: ValidationError, claim: Claim) -> Response:
        if getattr(error, "code", None) == "stale":
            current = Claim.objects.filter(pk=claim.pk).values("version").first()
            return refusal_response(error, current_version=current["version"])
        return refusal_response(error)

    def post(self, request, pk: int) -> Response:
        claim = self.claim(pk)
        try:
            body = self.body()
        except _BadBody as error:
            return Response(
                {"code": "parse_error", "detail": str(error)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refusal = self.role_refusal(claim)
        if refusal is not None:
            return self.refused(refusal, claim)
        try:
            return self.take(claim, body)
        except ValidationError as error:
            return self.refused(error, claim)

    def take(self, claim: Claim, body: dict[str, Any]) -> Response:
        """Validate ``body`` with the step's form and run its spec."""
        spec = SPECS[self.step]
        form = spec.make_form(data=self.form_data(body, set(spec.form.base_fields)))
        version = self.version(body) if spec.needs_version else None
        if not form.is_valid():
            return form_errors_response(form)
        result = spec.run(claim, self.request.user, form.cleaned_data, version)
        return self.done(claim, result)

    def done(self, claim: Claim, result: Any) -> Response:
        return Response(claim_detail_data(self.request, claim.pk))


class _BadBody(Exception):
    pass


def _step_schema(
    name: str, fields: dict[str, serializers.Field], *, version: bool, ok
) -> dict:
    if version:
        fields = {**fields, VERSION: _version_field()}
    return {
        "tags": ["steps"],
        "request": inline_serializer(name=name, fields=fields),
        "responses": {**ok, **step_errors(version=version)},
    }


NOTE_OPTIONAL = serializers.CharField(required=False, allow_blank=True)


@extend_schema(
    summary="Start research (unreviewed → researching; takes the claim on "
    "if nobody has it)",
    **_step_schema(
        "StartResearchRequest",
        {"note": NOTE_OPTIONAL},
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class StartResearch(StepView):
    step = Step.START_RESEARCH
    extra_fields = frozenset({VERSION})


@extend_schema(
    summary="Propose a verdict, with its rationale (`note`); published once "
    "another editor approves it",
    **_step_schema(
        "VerdictRequest",
        {
            "verdict": serializers.ChoiceField(
                choices=[s.value for s in Status if s in rules.VERDICTS]
            ),
            "note": serializers.CharField(help_text="The rationale."),
        },
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class SetVerdict(StepView):
    step = Step.SET_VERDICT
    extra_fields = frozenset({VERSION})


@extend_schema(
    summary="Approve a proposed verdict (Editors; not the proposer): it is published",
    **_step_schema(
        "ApproveRequest",
        {"note": NOTE_OPTIONAL},
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class Approve(StepView):
    step = Step.APPROVE
    extra_fields = frozenset({VERSION})


@extend_schema(
    summary="Reopen a verdict for research (Editors), with the reason (`note`)",
    **_step_schema(
        "ReopenRequest",
        {"note": serializers.CharField(help_text="Why reopen.")},
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class Reopen(StepView):
    step = Step.REOPEN
    extra_fields = frozenset({VERSION})


@extend_schema(
    summary="Add an evidence link",
    **_step_schema(
        "EvidenceRequest",
        {
            "url": serializers.URLField(help_text="http:// or https:// only."),
            "stance": serializers.ChoiceField(
                choices=["supports", "refutes", "context"]
            ),
            "title": serializers.CharField(required=False, allow_blank=True),
            "publisher": serializers.CharField(required=False, allow_blank=True),
            "published_on": serializers.DateField(required=False, allow_null=True),
            "excerpt": serializers.CharField(required=False, allow_blank=True),
        },
        version=False,
        ok={201: EvidenceSerializer},
    ),
)
class AddEvidence(StepView):
    step = Step.ADD_EVIDENCE

    def done(self, claim: Claim, result: Any) -> Response:
        # Only reviewers and editors take this step: who added it is shown.
        data = EvidenceSerializer(result, context={"reviewer": True}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Add a note (reviewers and editors only ever see notes)",
    **_step_schema(
        "NoteRequest",
        {"body": serializers.CharField()},
        version=False,
        ok={201: NoteSerializer},
    ),
)
class AddNote(StepView):
    step = Step.ADD_NOTE

    def done(self, claim: Claim, result: Any) -> Response:
        return Response(NoteSerializer(result).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Assign the claim: to yourself (no `assignee`), or, for editors, "
    "to anyone in the Reviewer or Editor group (`assignee`: a username, or "
    "null for nobody)",
    **_step_schema(
        "AssignRequest",
        {
            "assignee": serializers.CharField(
                required=False,
                allow_null=True,
                help_text="A username; null: nobody; left out: you.",
            )
        },
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class Assign(StepView):
    step = Step.ASSIGN_TO_ME
    extra_fields = frozenset({VERSION, "assignee"})

    def take(self, claim: Claim, body: dict[str, Any]) -> Response:
        if "assignee" not in body:
            return super().take(claim, body)
        self.form_data(body, set())
        version = self.version(body)
        name = body["assignee"]
        assignee = None
        if name is not None and not isinstance(name, str):
            # A list's text (['reviewer']) named no user anyone has.
            raise ValidationError(
                "assignee: give a username, or null for nobody.", code="invalid"
            )
        if name is not None and "\x00" in name:
            # PostgreSQL refuses NUL in text: the look-up was a 500.
            raise ValidationError(
                "assignee: Null characters are not allowed.",
                code="null_characters_not_allowed",
            )
        if name is not None:
            assignee = (
                get_user_model()
                .objects.filter(username=str(name), is_active=True)
                .first()
            )
            if assignee is None:
                raise ValidationError(
                    f"No active user is called “{str(name)[:150]}”.",
                    code="unknown_user",
                )
        workflow.claim_assign(
            claim=claim,
            assignee=assignee,
            actor=self.request.user,
            expected_version=version,
        )
        return self.done(claim, None)


@extend_schema(
    summary="Edit the claim's summary (what is being checked, in a line); on "
    "a published claim only an editor may, with a reason (`note`), and the "
    "claim goes back to research, as it does on a proposed verdict",
    **_step_schema(
        "SummaryRequest",
        {
            "summary": serializers.CharField(
                allow_blank=True, max_length=Claim._meta.get_field("summary").max_length
            ),
            "note": NOTE_OPTIONAL,
        },
        version=True,
        ok={200: ClaimDetailSerializer},
    ),
)
class EditSummary(StepView):
    """The edit step, for the summary alone: the claim form (``ClaimForm``)
    with every other field left out, as the claim page leaves out what it
    does not offer, then ``workflow.claim_update``."""

    step = Step.EDIT
    extra_fields = frozenset({VERSION})
    FIELDS = ("summary", "note")

    def take(self, claim: Claim, body: dict[str, Any]) -> Response:
        data = self.form_data(body, set(self.FIELDS))
        data["loaded_version"] = str(self.version(body))
        if "summary" not in data:
            raise ValidationError("summary: give the new summary.", code="required")
        if data["summary"].strip() != claim.summary:
            # Who may change it on this claim (a published one: editors only)
            # before whether a reason is missing, as for every step.
            rules.check_edit(claim, self.request.user, frozenset({"summary"}))
        # The form checks the version under a row lock: the check and the
        # save share one transaction. (It sets what it cleaned on the claim.)
        summary = claim.summary
        with transaction.atomic():
            form = ClaimForm(data, instance=claim)
            for name in list(form.fields):
                if name not in {*self.FIELDS, "loaded_version"}:
                    del form.fields[name]
            if not form.is_valid():
                stale = [
                    error
                    for error in form.non_field_errors().as_data()
                    if error.code == "stale"
                ]
                if stale:
                    # The form's message speaks to a page ("what you typed
                    # is kept below"); a client gets the API's.
                    current = Claim.objects.get(pk=claim.pk)
                    return self.refused(
                        ValidationError(
                            "This claim changed since version "
                            f"{data['loaded_version']} (it is now version "
                            f"{current.version}). {last_change_sentence(current)}"
                            "Nothing was saved: read the claim again, then send "
                            "your change with its current version.",
                            code="stale",
                        ),
                        claim,
                    )
                return form_errors_response(form)
            changes = form.changes()
            if changes.get("summary") == summary:
                # As assigning the assignee again is: the client learns that
                # nothing was written (no event, the same version).
                return self.refused(
                    ValidationError(
                        "The summary is "
                        + (f"“{summary}”" if summary else "empty")
                        + " already: nothing was saved.",
                        code="no_change",
                    ),
                    claim,
                )
            workflow.claim_update(
                claim=claim,
                actor=self.request.user,
                expected_version=form.cleaned_data["loaded_version"],
                changes=changes,
                note=form.cleaned_data.get("note", ""),
            )
        return self.done(claim, None)
