"""Any text and attributes: the widgets the form renderer writes itself
(claimdesk/forms_renderer.py) come out as Django's templates write them."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from hypothesis import given
from hypothesis import strategies as st

from claimdesk.forms_renderer import FormRenderer

OURS, DJANGO = FormRenderer(), DjangoTemplates()
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(), st.floats(allow_nan=False)
)
attrs = st.dictionaries(st.text(min_size=1).filter(lambda k: k != "items"), scalars)
keys = st.one_of(st.integers(), st.text())
choices = st.lists(st.tuples(keys, st.text()), max_size=5)


@given(name=st.text(), value=scalars, attrs=attrs)
def test_inputs_and_textareas(name, value, attrs):
    widgets = (forms.TextInput(attrs), forms.HiddenInput(attrs), forms.Textarea(attrs))
    for widget in widgets:
        assert widget.render(name, value, renderer=OURS) == widget.render(
            name, value, renderer=DJANGO
        )


@given(name=st.text(), value=scalars, attrs=attrs, choices=choices, group=st.text())
def test_selects(name, value, attrs, choices, group):
    for widget in (
        forms.Select(attrs, choices=choices),
        forms.Select(attrs, choices=[*choices, (group, choices)]),
        forms.SelectMultiple(attrs, choices=choices),
    ):
        assert widget.render(name, value, renderer=OURS) == widget.render(
            name, value, renderer=DJANGO
        )
