"""``{% fast_result_list cl %}``: the admin list's rows, written in one pass.

Django's ``{% result_list %}`` builds every cell through ``items_for_result``:
per cell a field lookup, a display-type dispatch and ``format_html``; per
row a ``reverse`` and the preserved filters re-parsed into the link; per
boolean a static-file lookup. On a 50-row claim list that was most of the
page's time above its SQL. This tag writes the same markup (same headers,
same cell classes, same link) for a list whose columns are all
``ModelAdmin`` methods, with what is the same for every row worked out
once. A list it does not cover (list_editable, popups, model-field
columns, custom links) gets Django's own tag, unchanged.
"""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    admin_list_filter,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# A pk no row has; replaced by each row's own in the change link.
_PLACEHOLDER = "__claimdesk_pk__"


class _Row(list):
    """A row for change_list_results.html: its one item, the row's cells.
    ``form`` is there for the template's ``{% if result.form %}``: looked
    up on a plain list it fails three ways (and calls ``dir``) per row."""

    form = None


def _columns(cl) -> list[tuple] | None:
    """(method, boolean, empty value, cell class) per column, or None when a
    column is not a plain ModelAdmin method (Django's tag renders those)."""
    admin = cl.model_admin
    columns = []
    for name in cl.list_display:
        attr = getattr(admin, name, None) if isinstance(name, str) else None
        if attr is None or not callable(attr):
            return None
        columns.append(
            (
                attr,
                getattr(attr, "boolean", False),
                getattr(attr, "empty_value_display", admin.get_empty_value_display()),
                "action-checkbox" if name == "action_checkbox" else f"field-{name}",
            )
        )
    return columns


def fast_rows(cl) -> list[list[str]] | None:
    """Each row's HTML (one string, as the one item of its row), or None if
    this list is not one the fast path covers."""
    links = cl.list_display_links
    if cl.formset or cl.is_popup or cl.to_field or links is None:
        return None
    columns = _columns(cl)
    if columns is None:
        return None
    names = list(cl.list_display)
    # The linked column (Django's default: the first of list_display, which
    # the admin has already put in list_display_links); a <th>, as Django's.
    linked = [n for n in names if n in links]
    if len(linked) != 1:
        return None
    link_index = names.index(linked[0])
    opts = cl.opts
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=(_PLACEHOLDER,),
        current_app=cl.model_admin.admin_site.name,
    )
    url = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": opts}, url
    )
    before, after = (conditional_escape(part) for part in url.split(_PLACEHOLDER))
    icons = {value: _boolean_icon(value) for value in (True, False, None)}
    rows = []
    for result in cl.result_list:
        cells = []
        for index, (method, boolean, empty, css) in enumerate(columns):
            value = method(result)
            if boolean:
                shown = icons[value]
            elif value is None or value == "":
                shown = empty
            else:
                shown = conditional_escape(value)
            if index == link_index:
                pk = conditional_escape(quote(result.pk))
                cells.append(
                    f'<th class="{css}"><a href="{before}{pk}{after}">{shown}</a></th>'
                )
            else:
                cells.append(f'<td class="{css}">{shown}</td>')
        rows.append(_Row([mark_safe("".join(cells))]))  # noqa: S308 (escaped above)
    return rows


def fast_result_list(cl):
    rows = fast_rows(cl)
    if rows is None:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


@register.simple_tag
def fast_list_filter(cl, spec):
    """Django's ``{% admin_list_filter cl spec %}`` for a filter drawn with
    the default admin/filter.html: the same markup, written in Python (the
    claim list's six filters took 0.8 ms of template rendering a view). A
    filter with its own template gets Django's tag."""
    if spec.template != "admin/filter.html":
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    items = "".join(
        ('<li class="selected">' if choice["selected"] else "<li>")
        + f'<a href="{conditional_escape(iri_to_uri(choice["query_string"]))}">'
        + f"{conditional_escape(choice['display'])}</a></li>"
        for choice in spec.choices(cl)
    )
    summary = gettext(" By %(filter_title)s ") % {"filter_title": title}
    return mark_safe(  # noqa: S308 (escaped above)
        f'<details data-filter-title="{title}" open><summary>{summary}</summary>'
        f"<ul>{items}</ul></details>"
    )


@register.simple_tag
def fast_action_fields(action_form):
    """The admin action form's fields (the action's select and the hidden
    "select across"), as admin/actions.html draws them through the form
    renderer's widget templates (0.4 ms a view): the same markup."""
    action, across = action_form["action"], action_form["select_across"]
    current = str(action.value() or "")
    options = "".join(
        f'<option value="{conditional_escape(value)}"'
        f"{' selected' if str(value) == current else ''}>"
        f"{conditional_escape(label)}</option>"
        for value, label in action.field.choices
    )
    return mark_safe(  # noqa: S308 (escaped above)
        f"<label>{conditional_escape(action.label)} "
        f'<select name="{action.html_name}" required>{options}</select></label>'
        f'<input type="hidden" name="{across.html_name}" '
        f'value="{conditional_escape(across.value())}" class="select-across">'
    )


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=fast_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
