"""One form per workflow step, shared by the admin, the pages and the API.

Each form's fields are the keyword arguments of its workflow function, so a
surface hands ``form.cleaned_data`` to the function unchanged (``steps.py``).
The forms check what a form can (a web address, a choice, a required text,
lengths the database would refuse); the workflow has the last word on roles,
transitions, evidence and stale versions, and its refusals come back as
errors of the form that was posted (``add_workflow_error``). A surface only
changes widgets (the admin's, through ``for_admin``) and templates.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Event
from claimdesk import limits
from claimdesk.concurrent_forms import as_posted
from claims.extraction.types import QuantityKind, day_number, number_day
from claims.models import VERDICTS, Claim, Evidence, Quantity, ReviewNote, Status
from claims.workflow import rules, sources
from claims.workflow.rules import EDITABLE_FIELDS
from episodes.forms import HttpURLField

VERDICT_CHOICES = [(s.value, s.label) for s in Status if s in VERDICTS]


class StepForm(forms.Form):
    """A workflow step. The page renders each field as Django's field group:
    a label, help and errors tied to the control (``aria-describedby``,
    ``aria-invalid``), radio groups in a fieldset with a legend."""

    # Workflow error code → the field it is about (others are form-wide).
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_workflow_error(self, error: ValidationError) -> None:
        field = self.error_fields.get(getattr(error, "code", None))
        self.add_error(field if field in self.fields else None, error)


class StartResearchForm(StepForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the claim's history. The claim is assigned to you "
        "if nobody has it.",
    )


class VerdictForm(StepForm):
    verdict = forms.ChoiceField(
        label="Verdict", choices=VERDICT_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this verdict: what the evidence shows. Readers see it "
        "once an editor approves the verdict.",
    )
    error_fields = {
        "not_a_verdict": "verdict",
        "evidence_required": "verdict",
        "note_required": "note",
    }

    def __init__(self, *args, offered: Iterable[Status] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if offered is None:
            return
        offered = list(offered)
        # Offer what the workflow allows now (``rules.verdict_choices``). Only
        # the offer: a posted verdict is still checked by the workflow, whose
        # message says what to do ("Add the source first").
        self.fields["verdict"].widget.choices = [(s.value, s.label) for s in offered]
        missing = [s for s in Status if s in VERDICTS and s not in offered]
        if Status.NOT_CHECKABLE in offered and len(offered) == 1:
            self.fields["verdict"].help_text = (
                "An unreviewed claim can only be marked not checkable; start "
                "research to give any other verdict."
            )
        elif missing:
            self.fields["verdict"].help_text = (
                f"{', '.join(s.label for s in missing)} need at least one evidence "
                "link: add the source first."
            )


class ApproveForm(StepForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the claim's history with your approval.",
    )


class ReopenForm(StepForm):
    note = forms.CharField(
        label="Why reopen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is wrong with the current verdict or what to check "
        "again. Reopening a published verdict takes it off the public page.",
    )
    error_fields = {"note_required": "note"}


class AssignToMeForm(StepForm):
    """Take the claim on: nothing to fill in."""


class EvidenceForm(forms.ModelForm):
    """A new evidence link: the claim page's form and the admin's inline row."""

    class Meta:
        model = Evidence
        fields = ["url", "stance", "title", "publisher", "published_on", "excerpt"]
        field_classes = {"url": HttpURLField}
        labels = {"url": "Web address", "stance": "What the source does to the claim"}
        help_texts = {
            "url": "The source itself, starting with http:// or https://.",
            "published_on": "As YYYY-MM-DD, when the source gives a date.",
            "excerpt": "The passage of the source that matters, word for word.",
        }
        widgets = {
            "stance": forms.RadioSelect,
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "excerpt": forms.Textarea(
                attrs={"rows": 3, "maxlength": limits.EXCERPT_MAX_CHARS}
            ),
        }

    error_fields = {
        "bad_url": "url",
        "bad_stance": "stance",
        "excerpt_too_long": "excerpt",
        "duplicate_source": "url",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # A radio list has no empty choice; a blank inline row stays blank.
        self.fields["stance"].choices = Evidence._meta.get_field("stance").choices

    add_workflow_error = StepForm.add_workflow_error


# The workflow's limit (evidence_add), checked by the form too, so that an
# evidence import's row checks (claims.ingest.evidence.RowForm, which copies
# these fields) name the line.
EvidenceForm.base_fields["excerpt"].validators.append(limits.validate_excerpt)
EvidenceForm.base_fields["published_on"].validators.append(sources.check_published_on)


class NoteForm(forms.ModelForm):
    """A review note: the claim page's form and the admin's inline row."""

    class Meta:
        model = ReviewNote
        fields = ["body"]
        labels = {"body": "Note"}
        help_texts = {
            "body": "Seen by reviewers and editors only. Notes cannot be edited "
            "or deleted later."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    error_fields = {"note_required": "body"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    add_workflow_error = StepForm.add_workflow_error


class NewlineTextField(forms.CharField):
    """Text whose line breaks are stored as the source has them (``\\n``).

    Browsers send a textarea's line breaks as CRLF; a quote that spans lines
    would otherwise no longer match the episode source it was taken from.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def post_back_shown_values(form: forms.BaseForm, skip: Iterable[str] = ()) -> None:
    """Render each field's value as the page shows it in a hidden
    ``initial-<name>`` input beside the field (Django's
    ``show_hidden_initial``), so that a save can tell the fields the user
    changed from those someone else changed meanwhile (``refresh_untouched``)."""
    for name, field in form.fields.items():
        if name not in skip:
            field.show_hidden_initial = True


def refresh_untouched(form: forms.BaseForm, saved: dict) -> list[str]:
    """After a stale save, give each field the user left as the page showed
    it the value saved since (``saved``, by field name), and keep what the
    user typed in the others; returns the names of the fields that took a
    newer value.

    Saving again then applies only the user's changes: before, the second
    save also wrote back the page's old values of the fields the other
    editor had changed. A field posted without its initial value (a client
    that does not send it) keeps what was posted, as before.
    """
    data = form.data.copy()
    changed = set(form.changed_data)
    refreshed = []
    for name, field in form.fields.items():
        bound = form[name]
        if not field.show_hidden_initial or bound.html_initial_name not in data:
            continue
        shown = form._widget_data_value(field.hidden_widget(), bound.html_initial_name)
        value = as_posted(field, saved.get(name))
        if name not in changed and field.has_changed(saved.get(name), shown):
            data[bound.html_name] = value
            refreshed.append(name)
        # The next save compares with what is saved now.
        data[bound.html_initial_name] = value
    form.data = data
    return refreshed


QUOTE_NOT_IN_SOURCE = (
    "The quote is not in the episode's source word for word, so it is saved "
    "without a place in it: no highlight on the episode page and no link to "
    "its moment. If it is meant to be verbatim, copy it from the source."
)


def verdict_before(claim: Claim) -> tuple[str, bool, bool]:
    """What ``verdict_sent_back`` needs of a claim before a save."""
    return claim.get_status_display(), claim.is_verdict, claim.is_approved


def verdict_sent_back(before: tuple[str, bool, bool], status_now: str) -> str | None:
    """What to say when a save sent the verdict the claim had (``before``,
    from ``verdict_before``) back to research (``workflow.rules.sends_back``),
    which "saved" alone did not say; None when it did not."""
    label, was_verdict, published = before
    if not was_verdict or status_now in VERDICTS:
        return None
    return (
        f"What the {'published' if published else 'proposed'} verdict "
        f"“{label}” rated changed, so the claim is back in research: "
        "a verdict is proposed and approved again for what it says now"
        + (", and readers no longer see it meanwhile." if published else ".")
    )


def last_change_sentence(claim: Claim) -> str:
    """“The last recorded change: edna edited the claim (text), 3 Dec 2026, 10:04.”"""
    event = Event.objects.about(claim).for_timeline().first()
    if event is None:
        return ""
    when = date_format(timezone.localtime(event.at), "DATETIME_FORMAT")
    fields = ", ".join(name.replace("_", " ") for name in sorted(event.changes))
    what = event.get_kind_display() + (f" ({fields})" if fields else "")
    # "2:51 a.m." already ends the sentence: no second full stop.
    stop = "" if when.endswith(".") else "."
    return f"The last recorded change: {event.who} {what}, {when}{stop} "


def _current_values(
    form: forms.ModelForm, current: Claim, skip: Iterable[str] = ()
) -> str:
    """The saved values of the fields the user changed, to compare with."""
    shown = []
    for name in (
        "text",
        "summary",
        "quote",
        "claim_type",
        "checkworthiness",
        "resolves_on",
    ):
        if (
            name not in skip
            and name in form.cleaned_data
            and form.cleaned_data[name] != getattr(current, name)
        ):
            label = form.fields[name].label or pretty_name(name)
            shown.append(f"{label}: “{getattr(current, name)}”")
    return f"Saved now — {'; '.join(shown)}. " if shown else ""


class ClaimForm(forms.ModelForm):
    """The edit step: what a claim says. On a change it carries the version
    it was loaded at, and ``note``, the reason, which a change of what a
    published verdict rates needs (``workflow.claim_update``)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = NewlineTextField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Claim._meta.get_field("text").help_text,
    )
    quote = NewlineTextField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The verbatim passage from the source. When it changes, Claimdesk "
        "looks it up in the episode source again to find where it is.",
    )
    checkworthiness = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text=Claim._meta.get_field("checkworthiness").help_text,
    )
    note = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the claim's history. Required when the verdict is "
        "published and you change what it rates: the claim then goes back to "
        "research, to be approved again.",
    )

    class Meta:
        model = Claim
        # What the claim page shows; the admin's fieldsets add the episode,
        # the speaker and claimant (searched among all people), the score and
        # the assignee.
        fields = [
            "text",
            "summary",
            "quote",
            "claim_type",
            "timestamp_seconds",
            "resolves_on",
        ]

    error_fields = {"note_required": "note", "no_text": "text"}

    def clean_summary(self) -> str:
        # As the workflow keeps it, so that an unchanged summary compares
        # equal (rules.one_line).
        return rules.one_line(self.cleaned_data.get("summary", ""))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("loaded_version", self.instance.version)
            # Each field's value as the page showed it is posted back beside
            # what was typed (Django's initial-<name> inputs), so a stale
            # save can tell the fields the user changed from the ones the
            # other editor did (_refresh_untouched).
            post_back_shown_values(self, skip=self._NOT_REFRESHED)
        # (quote_start, quote_end) to save, or None to leave them as they are.
        self.quote_offsets: tuple[int | None, int | None] | None = None

    add_workflow_error = StepForm.add_workflow_error

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._refuse_unoffered()
            self._check_version()
        self._locate_quote()
        if self.instance.pk is not None:
            self._check_reason()
        return cleaned

    def _refuse_unoffered(self) -> None:
        """A field the surface did not offer (read-only in the admin, left
        out of the page) but posted anyway is refused, not ignored."""
        posted = [
            name
            for name in EDITABLE_FIELDS
            if name not in self.fields and self.add_prefix(name) in self.data
        ]
        if posted:
            raise ValidationError(
                f"You cannot change {', '.join(sorted(posted))} on this claim "
                "here; nothing was saved.",
                code="not_editable",
            )

    def _check_reason(self) -> None:
        """A change of what a published verdict rates needs a reason (the
        workflow's rule, asked here so the form shows it next to the field)."""
        changed = {
            name
            for name, value in self.changes().items()
            if getattr(self.instance, name) != value
        }
        try:
            rules.check_reopen_reason(
                self.instance, changed, self.cleaned_data.get("note")
            )
        except ValidationError as error:
            self.add_error("note", error)

    def _check_version(self) -> None:
        """Refuse a save from an older version, keeping what was typed.

        Locks the row, so it must run inside the transaction that saves (the
        admin's change view is one; the claim page's is the workflow's).
        """
        current = Claim.objects.select_for_update().get(pk=self.instance.pk)
        loaded = self.cleaned_data.get("loaded_version")
        if loaded == current.version:
            return
        # A deliberate second submit, after reading the message, goes through.
        refreshed = self._refresh_untouched(current)
        self.data[self.add_prefix("loaded_version")] = current.version
        taken = ""
        if refreshed:
            labels = ", ".join(self[name].label for name in refreshed)
            taken = (
                f"Their changes to fields you had left alone are now in the form "
                f"({labels}). "
            )
        raise ValidationError(
            "This claim changed while you were editing it (you "
            f"loaded version {loaded or '?'}, it is now version {current.version}). "
            f"{last_change_sentence(current)}{taken}"
            f"{_current_values(self, current, skip=refreshed)}"
            "Nothing was saved; what you typed is kept below. Compare, then save "
            "again to apply your changes over theirs, or reload the page to "
            "drop your edits.",
            code="stale",
        )

    # Fields that are not the claim's: the version and the reason.
    _NOT_REFRESHED = frozenset({"loaded_version", "note"})

    def _refresh_untouched(self, current: Claim) -> list[str]:
        return refresh_untouched(self, model_to_dict(current, fields=list(self.fields)))

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
        source = episode.source_text
        start = source.find(quote)
        if start >= 0 and self.instance.quote_start is not None:
            # Said more than once: the place nearest where the old quote was.
            near = self.instance.quote_start
            later = source.find(quote, near)
            earlier = source.rfind(quote, 0, near + len(quote))
            start = min(
                (found for found in (earlier, later) if found >= 0),
                key=lambda found: abs(found - near),
            )
        # A quote that is not in the source (a paraphrase, another format)
        # is still a claim; it just has no offsets (and the page says so:
        # QUOTE_NOT_IN_SOURCE).
        self.quote_offsets = (start, start + len(quote)) if start >= 0 else (None, None)

    @property
    def quote_not_found(self) -> bool:
        """Whether the quote saved is one the source does not hold."""
        return self.quote_offsets == (None, None)

    def changes(self) -> dict:
        """The form's fields as ``workflow.claim_update`` takes them (it keeps
        the ones that differ)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in EDITABLE_FIELDS
        }
        if self.quote_offsets is not None:
            data["quote_start"], data["quote_end"] = self.quote_offsets
        return data


_ISO_DAY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")
NOT_A_DAY = "A date amount is a day: write it as YYYY-MM-DD, e.g. 2028-12-31."


class AmountField(forms.DecimalField):
    """A quantity's low or high. A date amount (kind Date) is stored as the
    number YYYYMMDD, so that ranges compare; the desk writes and reads it
    as a day, YYYY-MM-DD (``as_date``, set by the form for a date row)."""

    as_date = False

    def prepare_value(self, value):
        if self.as_date and isinstance(value, Decimal | int):
            day = number_day(value)
            if day is not None:
                return day.isoformat()
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                return day_number(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                raise ValidationError(
                    "%(value)s is not a day of the calendar: write a date as "
                    "YYYY-MM-DD, e.g. 2028-12-31.",
                    code="invalid_day",
                    params={"value": value.strip()},
                ) from None
        try:
            return super().to_python(value)
        except ValidationError:
            if not self.as_date:
                raise
            # "2028-1-5", "31/12/2028": a day, mistyped, not a number.
            raise ValidationError(NOT_A_DAY, code="not_a_day") from None


class QuantityForm(forms.ModelForm):
    class Meta:
        model = Quantity
        fields = ["kind", "text", "low", "high", "unit", "approx"]
        field_classes = {"low": AmountField, "high": AmountField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A saved amount, edited beside its claim: see ClaimForm.
            post_back_shown_values(self)
        self._show_amounts_for_kind()

    def _show_amounts_for_kind(self) -> None:
        """Low and high written as days on a date row, as numbers on any
        other (a read-only row, whose fields the admin leaves out, has
        none)."""
        kind = self["kind"].value() if "kind" in self.fields else self.instance.kind
        as_date = kind == QuantityKind.DATE
        for name in {"low", "high"} & set(self.fields):
            field = self.fields[name]
            field.as_date = as_date
            attrs = field.widget.attrs
            if not as_date:
                attrs.pop("placeholder", None)
                if attrs.get("inputmode") == "text":
                    attrs["inputmode"] = "decimal"
                continue
            if isinstance(field.widget, forms.NumberInput):
                # A number input takes no day.
                field.widget = forms.TextInput(attrs={"size": 10})
                attrs = field.widget.attrs
            attrs["placeholder"] = "YYYY-MM-DD"
            if "inputmode" in attrs:
                # A phone's decimal keypad has no "-".
                attrs["inputmode"] = "text"

    def refreshed(self, names: Iterable[str]) -> None:
        """After ``refresh_untouched`` gave this row what was saved since
        (``names``, the fields it refreshed): its amounts written for the
        kind it has now (another editor may have made it a date, or a
        number). What the user typed stays as typed (a day typed on a row
        made a number since is refused when saved: ``_check_days``)."""
        self._show_amounts_for_kind()
        data = self.data.copy()
        for name in {"low", "high"} & set(self.fields):
            field, bound = self.fields[name], self[name]
            keys = [bound.html_initial_name]
            if name in names:
                keys.append(bound.html_name)
            for key in keys:
                written = data.get(key)
                if not written:
                    continue
                try:
                    value = field.to_python(written)
                except ValidationError:
                    continue  # what the user typed, left as typed
                data[key] = str(field.prepare_value(value))
        self.data = data

    def clean(self):
        cleaned = super().clean()
        self._check_days(cleaned)
        low, high = cleaned.get("low"), cleaned.get("high")
        if low is not None and high is not None and low > high:
            # On the high field: a field in error is left out of the model's
            # checks, so Django does not add "Constraint
            # “claims_quantity_low_le_high” is violated." to this message.
            self.add_error(
                "high",
                ValidationError(
                    "Low is greater than high; swap them or correct one.",
                    code="low_above_high",
                ),
            )
        return cleaned

    def _check_days(self, cleaned: dict) -> None:
        """A date amount is a day, and a day is only a date amount. Checked
        where the user wrote it (a changed bound or kind): an amount saved
        before is left as it is."""
        kind = cleaned.get("kind")
        changed = set(self.changed_data)
        for name in ("low", "high"):
            value = cleaned.get(name)
            if value is None or not ({name, "kind"} & changed):
                continue
            written = self[name].data
            if kind == QuantityKind.DATE and number_day(value) is None:
                self.add_error(name, ValidationError(NOT_A_DAY, code="not_a_day"))
            elif (
                kind != QuantityKind.DATE
                and isinstance(written, str)
                and _ISO_DAY.fullmatch(written)
            ):
                self.add_error(
                    name,
                    ValidationError(
                        "%(value)s is a day: choose the kind Date for it, or "
                        "write a number.",
                        code="day_for_a_number",
                        params={"value": written.strip()},
                    ),
                )


# --- the admin's widgets -------------------------------------------------------------

_ADMIN_WIDGETS = {
    forms.Textarea: admin_widgets.AdminTextareaWidget,
    forms.RadioSelect: admin_widgets.AdminRadioSelect,
}


def for_admin(form: forms.BaseForm) -> forms.BaseForm:
    """The same form with the admin's widgets (only the widgets change)."""
    for field in form.fields.values():
        admin_class = _ADMIN_WIDGETS.get(type(field.widget))
        if admin_class is None:
            continue
        widget = admin_class(attrs=field.widget.attrs)
        widget.choices = getattr(field.widget, "choices", ())
        if admin_class is admin_widgets.AdminRadioSelect:
            widget.attrs["class"] = "radiolist"
        field.widget = widget
    return form
