"""The admin's take on the shared forms (``claims.forms``): the same forms
with the admin's widgets and sizes. Nothing here decides anything."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from claims import forms as shared
from claims.models import Stance


class PlainNumberInput(forms.TextInput):
    """5000000000.000000 shows as 5000000000: the stored scale is not the figure.

    Only the display changes; the initial value stays a Decimal, so an
    untouched row is not seen as changed."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().format_value(value)


class ClaimForm(shared.ClaimForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared.for_admin(self)


class QuantityForm(shared.QuantityForm):
    class Meta(shared.QuantityForm.Meta):
        widgets = {
            "text": forms.TextInput(attrs={"size": 24}),
            "low": PlainNumberInput(attrs={"size": 14, "inputmode": "decimal"}),
            "high": PlainNumberInput(attrs={"size": 14, "inputmode": "decimal"}),
            "unit": forms.TextInput(attrs={"size": 5}),
        }


class EvidenceForm(shared.EvidenceForm):
    """An inline row: a select for the stance fits a table row better."""

    class Meta(shared.EvidenceForm.Meta):
        widgets = {
            "url": forms.URLInput(attrs={"size": 28}),
            "stance": forms.Select,
            "title": forms.TextInput(attrs={"size": 18}),
            "publisher": forms.TextInput(attrs={"size": 12}),
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "excerpt": forms.Textarea(attrs={"rows": 2, "cols": 24}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank extra row stays blank (and unsaved) until a stance is chosen.
        self.fields["stance"].choices = [("", "---------"), *Stance.choices]


class NoteForm(shared.NoteForm):
    class Meta(shared.NoteForm.Meta):
        widgets = {"body": forms.Textarea(attrs={"rows": 2, "cols": 60})}
