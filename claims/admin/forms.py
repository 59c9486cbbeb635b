"""Forms of the claim admin: the claim form with its stale-edit check, the
inline forms, and the small forms of the verdict and reopen pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AdminRadioSelect, AdminTextareaWidget
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from claims.models import (
    VERDICTS,
    ChangeKind,
    Claim,
    Evidence,
    Quantity,
    ReviewNote,
    Status,
)
from episodes.forms import HttpURLField


class NewlineTextField(forms.CharField):
    """Text whose line breaks are stored as the source has them (``\\n``).

    Browsers send a textarea's line breaks as CRLF; a quote that spans lines
    would otherwise no longer match the episode source it was taken from.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def last_recorded_change(claim: Claim) -> str:
    """Who last did what to the claim: the newer of the latest admin log entry
    and the latest workflow event."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Claim),
            object_id=str(claim.pk),
        )
        .select_related("user")
        .order_by("-action_time", "-id")
        .first()
    )
    event = claim.history.select_related("actor").order_by("-at", "-id").first()
    candidates = []
    if entry is not None:
        what = entry.get_change_message() or "changed it"
        candidates.append((entry.action_time, entry.user, what[0].lower() + what[1:]))
    if event is not None:
        if event.kind == ChangeKind.APPROVAL:
            what = "approved the verdict"
        elif event.kind == ChangeKind.CREATED:
            what = "created the claim"
        else:
            what = (
                f"moved it from {event.get_from_status_display().lower()} "
                f"to {event.get_to_status_display().lower()}"
            )
        candidates.append((event.at, event.actor or "the importer", what))
    if not candidates:
        return ""
    at, who, what = max(candidates, key=lambda candidate: candidate[0])
    when = date_format(timezone.localtime(at), "DATETIME_FORMAT")
    return f"The last recorded change: {who} {what.rstrip('.')} ({when}). "


def _current_values(form: forms.ModelForm, current: Claim) -> str:
    """The saved values of the fields the user changed, to compare with."""
    shown = []
    for name in ("text", "quote", "claim_type", "checkworthiness", "resolves_on"):
        if name in form.cleaned_data and form.cleaned_data[name] != getattr(
            current, name
        ):
            value = getattr(current, name)
            shown.append(f"{form.fields[name].label}: “{value}”")
    return f"Saved now — {'; '.join(shown)}. " if shown else ""


class ClaimForm(forms.ModelForm):
    """The claim form. On a change it carries the version it was loaded at.

    ``clean()`` locks the claim row and compares versions, so a stale save is
    a form error (everything typed is kept) rather than a lost update. It must
    run inside a transaction, as the admin's change view does, so the lock
    holds until the save.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = NewlineTextField(
        widget=AdminTextareaWidget(attrs={"rows": 2}),
        help_text=Claim._meta.get_field("text").help_text,
    )
    quote = NewlineTextField(
        widget=AdminTextareaWidget(attrs={"rows": 3}),
        help_text="The verbatim passage from the source. When it changes, Claimdesk "
        "looks it up in the episode source again to find where it is.",
    )
    checkworthiness = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text=Claim._meta.get_field("checkworthiness").help_text,
    )

    class Meta:
        model = Claim
        fields = [
            "episode",
            "text",
            "quote",
            "speaker",
            "claimant",
            "claim_type",
            "checkworthiness",
            "timestamp_seconds",
            "assignee",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("loaded_version", self.instance.version)
        # (quote_start, quote_end) to save, or None to leave them as they are.
        self.quote_offsets: tuple[int | None, int | None] | None = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_version()
        self._locate_quote()
        return cleaned

    def _check_version(self) -> None:
        current = Claim.objects.select_for_update().get(pk=self.instance.pk)
        loaded = self.cleaned_data.get("loaded_version")
        if loaded == current.version:
            return
        # A deliberate second submit, after reading the message, goes through.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = current.version
        self.data = data
        raise ValidationError(
            "Someone else changed this claim while you were editing it (you "
            f"loaded version {loaded or '?'}, it is now version {current.version}). "
            f"{last_recorded_change(current)}{_current_values(self, current)}"
            "Nothing was saved; what you typed is kept below. Compare, then save "
            "again to apply your version over theirs, or reload the page to "
            "drop your edits.",
            code="stale",
        )

    def _locate_quote(self) -> None:
        quote = self.cleaned_data.get("quote")
        if self.instance.pk is not None:
            episode = self.instance.episode
            if quote is None or quote == self.instance.quote:
                return
        else:
            episode = self.cleaned_data.get("episode")
        if not quote or episode is None:
            return
        start = episode.source_text.find(quote)
        # A quote that is not in the source (a paraphrase, another format)
        # is still a claim; it just has no offsets.
        self.quote_offsets = (start, start + len(quote)) if start >= 0 else (None, None)


class PlainNumberInput(forms.TextInput):
    """5000000000.000000 shows as 5000000000: the stored scale is not the figure.

    Only the display changes; the initial value stays a Decimal, so an
    untouched row is not seen as changed."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().format_value(value)


class QuantityForm(forms.ModelForm):
    class Meta:
        model = Quantity
        fields = ["kind", "text", "low", "high", "unit", "approx"]
        widgets = {
            "text": forms.TextInput(attrs={"size": 24}),
            "low": PlainNumberInput(attrs={"size": 14, "inputmode": "decimal"}),
            "high": PlainNumberInput(attrs={"size": 14, "inputmode": "decimal"}),
            "unit": forms.TextInput(attrs={"size": 5}),
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("low"), cleaned.get("high")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                "Low is greater than high; swap them or correct one.",
                code="low_above_high",
            )
        return cleaned


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["url", "stance", "title", "publisher", "published_on", "excerpt"]
        field_classes = {"url": HttpURLField}
        widgets = {
            "url": forms.URLInput(attrs={"size": 28}),
            "title": forms.TextInput(attrs={"size": 18}),
            "publisher": forms.TextInput(attrs={"size": 12}),
            "excerpt": forms.Textarea(attrs={"rows": 2, "cols": 24}),
        }


class ReviewNoteForm(forms.ModelForm):
    class Meta:
        model = ReviewNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2, "cols": 60})}


VERDICT_CHOICES = [(s.value, s.label) for s in Status if s in VERDICTS]


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=VERDICT_CHOICES, widget=AdminRadioSelect(attrs={"class": "radiolist"})
    )
    note = forms.CharField(
        label="Rationale",
        widget=AdminTextareaWidget(attrs={"rows": 5}),
        help_text="Why this verdict: what the evidence shows. Readers of the "
        "history and the approving editor see it.",
    )

    def __init__(self, *args, only_not_checkable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if only_not_checkable:
            # An unreviewed claim gets a verdict only after research, except
            # "not checkable" (an opinion, an unresolvable prediction).
            self.fields["verdict"].choices = [
                (Status.NOT_CHECKABLE.value, Status.NOT_CHECKABLE.label)
            ]
            self.fields[
                "verdict"
            ].help_text = "Start research first to give any other verdict."


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=AdminTextareaWidget(attrs={"rows": 3}),
        help_text="Kept in the status history with your approval.",
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label="Why reopen",
        widget=AdminTextareaWidget(attrs={"rows": 5}),
        help_text="What is wrong with the current verdict or what to check again.",
    )
