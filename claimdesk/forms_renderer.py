"""The form renderer: Django's, writing its commonest widgets without their
templates.

The admin claim change page rendered about 430 templates a view, 319 of
them Django's widget templates: ``attrs.html`` 127 times, ``input.html``
65, ``select_option.html`` 47, ``hidden.html`` 37 (the inlines' ids and
management forms). Each is a few lines of markup, and rendering it through
the template engine (a context, variable lookups, an ``{% include %}`` per
input and per option) costs far more than writing the same markup. So:

- an empty error list is written as what its template gives, an empty
  string, without rendering it (56 renders of that page);
- the inputs (``text``, ``hidden``, ``number``, ``url``, ``date``,
  ``checkbox``… each ``{% include "django/forms/widgets/input.html" %}``),
  ``select`` with its options, and ``textarea`` are written here, by the
  same steps their templates take: each value through
  ``render_value_in_context`` (localised, escaped unless safe), each
  ``stringformat:'s'`` through the filter itself.

Byte for byte Django's output, and kept so: a template is written here only
while its source, and those of the templates it includes, are the ones
these functions were written from (``SOURCES``, checked once per template
and renderer). A Django release that changes one, or a project or app
template that overrides one, sends that widget back to its template; so
does anything the functions were not written for (another key in the
context, a request, a callable value, a custom option template).
``tests/test_forms_renderer.py`` compares both ways of rendering over the
widgets and values the site uses and many it does not.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# The templates of ErrorList.as_ul() and str(ErrorList), which render ""
# for an empty list (django/forms/templates/django/forms/errors/list/).
EMPTY_WHEN_NO_ERRORS = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)

WIDGETS = "django/forms/widgets/"
ATTRS = WIDGETS + "attrs.html"
INPUT = WIDGETS + "input.html"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
TEXTAREA = WIDGETS + "textarea.html"
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
# Django 5.2's templates, as the functions below write them.
SOURCES = {
    ATTRS: (
        "{% for name, value in widget.attrs.items %}{% if value is not False %}"
        " {{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\""
        "{% endif %}{% endif %}{% endfor %}"
    ),
    INPUT: (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"'
        "{% if widget.value != None %} value=\"{{ widget.value|stringformat:'s' }}\""
        '{% endif %}{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    SELECT: (
        '<select name="{{ widget.name }}"'
        '{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        "{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n"
        "  {% include option.template_name with widget=option %}{% endfor %}"
        "{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n"
        "</select>\n"
    ),
    OPTION: (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    TEXTAREA: (
        '<textarea name="{{ widget.name }}"'
        '{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
}
# The input types whose template is only the include of input.html.
INPUT_TYPES = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
SOURCES.update({f"{WIDGETS}{kind}.html": INCLUDES_INPUT for kind in INPUT_TYPES})

# What the renderer's templates are rendered with: autoescaping on, the
# project's time zone and localisation settings (use_tz, use_l10n unset).
_CONTEXT = Context(autoescape=True)


class Unusual(Exception):
    """A value the functions below were not written for: use the template."""


def _get(mapping, key):
    """``{{ mapping.key }}``'s lookup, for the values a widget holds.

    A template calls a callable it looks up (unless it says not to); that
    and a missing key are left to the template."""
    try:
        value = mapping[key]
    except (KeyError, TypeError) as missing:
        raise Unusual from missing
    if callable(value):
        raise Unusual
    return value


def _text(value) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    out = stringformat(value, "s")
    # Safe only when the value was: as FilterExpression.resolve does.
    return _text(mark_safe(out) if isinstance(value, SafeData) else out)  # noqa: S308


def _attrs(widget) -> str:
    attrs = _get(widget, "attrs")
    # ``widget.attrs.items`` is the key "items" first, for a template.
    if type(attrs) is not dict or "items" in attrs:
        raise Unusual
    out = []
    for name, value in attrs.items():
        if callable(value):
            raise Unusual
        if value is not False:
            out.append(f" {_text(name)}")
            if value is not True:
                out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget) -> str:
    value = _get(widget, "value")
    # The template's ``!= None`` (not ``is not None``), which reads as false
    # when the comparison raises (django/template/smartif.py).
    try:
        present = value != None  # noqa: E711
    except Exception as error:
        raise Unusual from error
    shown = f' value="{_formatted(value)}"' if present else ""
    kind, name = _text(_get(widget, "type")), _text(_get(widget, "name"))
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget)}>\n'


def _option(option) -> str:
    if _get(option, "template_name") != OPTION:
        raise Unusual
    return (
        f'<option value="{_formatted(_get(option, "value"))}"{_attrs(option)}>'
        f"{_text(_get(option, 'label'))}</option>\n"
    )


def _select(widget) -> str:
    out = [f'<select name="{_text(_get(widget, "name"))}"{_attrs(widget)}>']
    for group in _get(widget, "optgroups"):
        if type(group) not in (tuple, list) or len(group) != 3:
            raise Unusual
        group_name, group_choices, _index = group
        if callable(group_name) or callable(group_choices):
            raise Unusual
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out.append(f"\n  {_option(option)}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _textarea(widget) -> str:
    value = _get(widget, "value")
    shown = _text(value) if value else ""
    name = _text(_get(widget, "name"))
    return f'<textarea name="{name}"{_attrs(widget)}>\n{shown}</textarea>\n'


# Each template written here, and the templates whose sources it relies on.
WRITERS = {
    SELECT: (_select, (SELECT, OPTION, ATTRS)),
    TEXTAREA: (_textarea, (TEXTAREA, ATTRS)),
    INPUT: (_input, (INPUT, ATTRS)),
    **{
        f"{WIDGETS}{kind}.html": (_input, (f"{WIDGETS}{kind}.html", INPUT, ATTRS))
        for kind in INPUT_TYPES
    },
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in EMPTY_WHEN_NO_ERRORS and not context.get("errors"):
            return ""
        write = self._writer(template_name)
        if write is not None and request is None and context.keys() == {"widget"}:
            try:
                # The renderer strips what a template gives (BaseRenderer.render).
                return write(context["widget"]).strip()
            except Unusual:
                pass
        return super().render(template_name, context, request)

    def _writer(self, template_name):
        """The function writing ``template_name``, while the templates it
        stands for are Django's as written above; else None."""
        try:
            return self._writers[template_name]
        except AttributeError:
            self._writers = {}
        except KeyError:
            pass
        write = None
        if template_name in WRITERS:
            write, sources = WRITERS[template_name]
            if any(self._source(name) != SOURCES[name] for name in sources):
                write = None
        self._writers[template_name] = write
        return write

    def _source(self, template_name) -> str | None:
        return self.get_template(template_name).template.source
