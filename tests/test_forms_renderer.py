"""The form renderer writes what Django's writes, without the renders of empty
error lists or of the common widgets' templates (claimdesk/forms_renderer.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.utils import ErrorList
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from claimdesk.forms_renderer import SOURCES, WRITERS, FormRenderer
from tests.conftest import add_evidence


class Example(forms.Form):
    name = forms.CharField(max_length=5)
    url = forms.URLField(required=False, assume_scheme="https")

    def clean(self):
        raise forms.ValidationError("The whole form is refused.")


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The names of the templates the form renderer renders, in order."""
    names = []
    parent = DjangoTemplates.render

    def render(self, template_name, context, request=None):
        names.append(template_name)
        return parent(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", render)
    return names


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


def test_an_empty_error_list_is_not_rendered(rendered):
    renderer = FormRenderer()
    assert str(ErrorList(renderer=renderer)) == ""
    assert rendered == []
    assert "<li>Wrong.</li>" in str(ErrorList(["Wrong."], renderer=renderer))
    assert rendered == ["django/forms/errors/list/default.html"]


# --- Widgets written without their templates --------------------------------

VALUES = [
    None,
    "",
    "0",
    "plain",
    "<b>\"quoted\" & 'single'</b>",
    "line one\nline two\r\n",
    mark_safe("<i>already safe</i>"),
    0,
    7,
    -1.5,
    Decimal("1234.50"),
    datetime.date(2026, 1, 2),
    datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    True,
    False,
    gettext_lazy("A lazy <string>"),
    ("a", "b"),
    ["x", "<y>"],
]
ATTRS = [
    None,
    {},
    {"maxlength": 200, "required": True, "disabled": False, "id": "id_x"},
    {"placeholder": gettext_lazy("e.g. <this>"), "data-x": "<&>\"'", "aria-x": None},
    {"class": mark_safe("a<b"), "step": Decimal("0.01"), "min": 0, "size": 1.5},
    {"data-when": datetime.datetime(2026, 5, 6, 7, 8, tzinfo=datetime.UTC)},
    {"<odd name>": "v", "multiple": True},
]
CHOICES = [
    ("", "---------"),
    (1, "one"),
    ("2", '<two> & "two"'),
    (3, 3),
    (4, mark_safe("<em>four</em>")),
    ("Group <g>", [(5, "five"), ("6", gettext_lazy("six"))]),
    (7, gettext_lazy("seven")),
    (None, "none"),
]
WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.Textarea,
    forms.ColorInput,
    forms.SearchInput,
    forms.TelInput,
    lambda attrs: forms.PasswordInput(attrs, render_value=True),
    lambda attrs: forms.Select(attrs, choices=CHOICES),
    lambda attrs: forms.SelectMultiple(attrs, choices=CHOICES),
    forms.NullBooleanSelect,
    admin_widgets.AdminTextInputWidget,
    admin_widgets.AdminURLFieldWidget,
    admin_widgets.AdminDateWidget,
    admin_widgets.AdminIntegerFieldWidget,
    admin_widgets.AdminTextareaWidget,
]


@pytest.mark.parametrize("make", WIDGETS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_a_widget_is_written_as_its_template_writes_it(make, attrs):
    ours, django = FormRenderer(), DjangoTemplates()
    for value in VALUES:
        widget = make(attrs)
        for extra in (None, {"id": "id_field", "data-extra": "<x>"}):
            try:
                expected = widget.render("field<name>", value, extra, renderer=django)
            except Exception as error:  # a value the widget itself refuses
                with pytest.raises(type(error)):
                    widget.render("field<name>", value, extra, renderer=ours)
                continue
            assert widget.render("field<name>", value, extra, renderer=ours) == expected


def test_every_template_written_here_is_djangos_as_installed():
    renderer = FormRenderer()
    for name, source in SOURCES.items():
        assert renderer.get_template(name).template.source == source, name
    assert all(renderer._writer(name) is not None for name in WRITERS)


def test_the_common_widgets_render_no_template(rendered):
    renderer = FormRenderer()
    for widget in (
        forms.TextInput(),
        forms.HiddenInput(),
        forms.Textarea(),
        forms.Select(choices=CHOICES),
        forms.CheckboxInput(),
    ):
        widget.render("x", "y", renderer=renderer)
    assert rendered == []
    # A widget of its own template is rendered by it, as before.
    admin_widgets.AdminURLFieldWidget().render("x", "https://a", renderer=renderer)
    assert rendered == ["admin/widgets/url.html"]


class CallsItsValue:
    """A value a template calls when it looks it up."""

    def __call__(self):
        return "<called>"

    def __str__(self):
        return "<not called>"


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(attrs={"data-x": CallsItsValue()}), "v"),
        (forms.TextInput(attrs={"items": "a key the template reads first"}), "v"),
        (forms.Textarea(), CallsItsValue()),
        (forms.Select(choices=[(CallsItsValue(), "a")]), None),
    ],
)
def test_what_the_writers_were_not_written_for_goes_to_the_template(widget, value):
    try:
        expected = widget.render("x", value, renderer=DjangoTemplates())
    except ValueError:  # an attribute named "items" breaks the template's loop
        with pytest.raises(ValueError):
            widget.render("x", value, renderer=FormRenderer())
        return
    assert widget.render("x", value, renderer=FormRenderer()) == expected


def test_a_custom_option_template_is_used():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    widget = Custom(choices=[(1, "one")])
    expected = widget.render("x", 1, renderer=DjangoTemplates())
    assert widget.render("x", 1, renderer=FormRenderer()) == expected
    assert "<option" not in expected


def test_an_overridden_widget_template_is_rendered_not_written(tmp_path):
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "input.html").write_text('<input class="ours" name="{{ widget.name }}">')

    class Overridden(FormRenderer):
        @property
        def engine(self):
            engine = super().engine
            engine.engine.dirs = [str(tmp_path), *engine.engine.dirs]
            return engine

    renderer = Overridden()
    assert forms.TextInput().render("x", "y", renderer=renderer) == (
        '<input class="ours" name="x">'
    )
    # select.html is still Django's (its own includes are): still written.
    assert renderer._writer("django/forms/widgets/select.html") is not None


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # The CSRF token is masked differently on every response.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@pytest.mark.django_db
def test_the_claim_pages_are_the_same_with_djangos_renderer(
    client, editor, proposed_claim, reviewer
):
    add_evidence(proposed_claim, reviewer, url="https://example.org/<second>")
    client.force_login(editor)
    urls = [
        f"/admin/claims/claim/{proposed_claim.pk}/change/",
        "/admin/claims/claim/add/",
        "/admin/claims/claim/",
        proposed_claim.get_absolute_url(),
    ]
    ours = [_page(client, url) for url in urls]
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        django = [_page(client, url) for url in urls]
    assert ours == django
    assert b"<select" in ours[0] and b'type="hidden"' in ours[0]
