"""The form renderer writes what Django's writes, less the renders of empty
error lists (claimdesk/forms_renderer.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.utils import ErrorList

from claimdesk.forms_renderer import FormRenderer


class Example(forms.Form):
    name = forms.CharField(max_length=5)
    url = forms.URLField(required=False, assume_scheme="https")

    def clean(self):
        raise forms.ValidationError("The whole form is refused.")


def test_it_is_the_sites_renderer():
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.parametrize(
    "data",
    [
        None,  # unbound: no errors anywhere
        {"name": "ok"},  # the form's own error only
        {"name": "far too long", "url": "ftp://x"},  # field errors and the form's
    ],
)
def test_a_form_renders_as_with_djangos_renderer(data):
    ours = Example(data, renderer=FormRenderer())
    django = Example(data, renderer=DjangoTemplates())
    for render in (str, lambda f: f.as_p(), lambda f: f.as_ul(), lambda f: f.as_div()):
        assert render(ours) == render(django)
    for name in ("name", "url"):
        assert str(ours[name].errors) == str(django[name].errors)
    assert str(ours.non_field_errors()) == str(django.non_field_errors())


def test_an_empty_error_list_is_not_rendered(monkeypatch):
    rendered = []
    parent = DjangoTemplates.render

    def render(self, template_name, context, request=None):
        rendered.append(template_name)
        return parent(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", render)
    renderer = FormRenderer()
    assert str(ErrorList(renderer=renderer)) == ""
    assert rendered == []
    assert "<li>Wrong.</li>" in str(ErrorList(["Wrong."], renderer=renderer))
    assert rendered == ["django/forms/errors/list/default.html"]
