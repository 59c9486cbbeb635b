"""Forms of the claim page's review steps.

Each form is one step, posted to the claim page with a hidden ``action`` and
the claim ``version`` the page showed. The forms check what a form can (a
web address, a choice, a required text, lengths the database would refuse);
the view then hands the cleaned data to ``claims.workflow``, which has the
last word on roles, transitions, evidence and stale versions. Its refusals
come back as errors of these forms (``add_workflow_error``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from claims.models import VERDICTS, Evidence, Stance, Status
from episodes.forms import HttpURLField

VERDICT_CHOICES = [(s.value, s.label) for s in Status if s in VERDICTS]


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class StepForm(forms.Form):
    """A review step. The page renders each field as Django's field group:
    a label, help and errors tied to the control (``aria-describedby``,
    ``aria-invalid``), radio groups in a fieldset with a legend."""

    # Workflow error code → the field it is about (others are form-wide).
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_workflow_error(self, error: ValidationError) -> None:
        self.add_error(self.error_fields.get(error.code), error)


class EvidenceForm(StepForm):
    url = HttpURLField(
        label="Web address",
        max_length=_max_length(Evidence, "url"),
        help_text="The source itself, starting with http:// or https://.",
    )
    stance = forms.ChoiceField(
        label="What the source does to the claim",
        choices=Stance.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="Title", required=False, max_length=_max_length(Evidence, "title")
    )
    publisher = forms.CharField(
        label="Publisher",
        required=False,
        max_length=_max_length(Evidence, "publisher"),
    )
    published_on = forms.DateField(
        label="Published on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="As YYYY-MM-DD, when the source gives a date.",
    )
    excerpt = forms.CharField(
        label="Excerpt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The passage of the source that matters, word for word.",
    )
    error_fields = {"bad_url": "url", "bad_stance": "stance"}

    def clean_url(self) -> str:
        # "HTTPS://…" passes the validator, but the database's check
        # (``^https?://``) is case-sensitive: store the scheme in lower case.
        scheme, separator, rest = self.cleaned_data["url"].partition("://")
        return scheme.lower() + separator + rest


class NoteForm(StepForm):
    body = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by reviewers and editors only. Notes cannot be edited "
        "or deleted later.",
    )
    error_fields = {"note_required": "body"}


class StartResearchForm(StepForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the status history. The claim is assigned to you "
        "if nobody has it.",
    )


class VerdictForm(StepForm):
    verdict = forms.ChoiceField(
        label="Verdict", choices=VERDICT_CHOICES, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this verdict: what the evidence shows. Readers see it "
        "once an editor approves the verdict.",
    )
    error_fields = {"not_a_verdict": "verdict", "note_required": "rationale"}

    def __init__(self, *args, only_not_checkable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if only_not_checkable:
            # Offer what the workflow allows on an unreviewed claim. Only the
            # offer: a posted verdict is still checked by the workflow, whose
            # message says what to do ("Start research …").
            self.fields["verdict"].widget.choices = [
                (Status.NOT_CHECKABLE.value, Status.NOT_CHECKABLE.label)
            ]
            self.fields["verdict"].help_text = (
                "An unreviewed claim can only be marked not checkable; start "
                "research to give any other verdict."
            )


class ApproveForm(StepForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the status history with your approval.",
    )


class ReopenForm(StepForm):
    note = forms.CharField(
        label="Why reopen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is wrong with the current verdict or what to check "
        "again. Reopening takes the verdict off the public page.",
    )
    error_fields = {"note_required": "note"}
