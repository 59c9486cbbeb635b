"""The claim list's admin page, written in Python where Django's templates
were most of its time above its SQL: ``{% fast_result_list cl %}`` (the
results table), ``{% fast_list_filter %}`` (each filter of the sidebar),
``{% fast_action_fields %}`` (the action form's fields),
``{% fast_add_link %}`` (the "Add claim" object tool), ``{% fast_search_form
%}`` and ``{% fast_pagination %}``. Each writes the
markup of the Django tag or template it stands for (tests compare them);
a list or filter it does not cover gets Django's own.

Django's ``{% result_list %}`` builds every cell through ``items_for_result``:
per cell a field lookup, a display-type dispatch and ``format_html``; per
row a ``reverse`` and the preserved filters re-parsed into the link; per
boolean a static-file lookup. On a 50-row claim list that was most of the
page's time above its SQL. This tag writes the same table (same headers,
same cell classes, same link) for a list whose columns are all
``ModelAdmin`` methods, with what is the same for every row worked out
once. A list it does not cover (list_editable, popups, model-field
columns, custom links) gets Django's own tag, unchanged.
"""

from __future__ import annotations

import functools
from html import escape
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from django import template
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    admin_list_filter,
    pagination,
    paginator_number,
    result_headers,
    result_list,
    search_form,
)
from django.contrib.admin.utils import quote
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

register = template.Library()

# A pk no row has; replaced by each row's own in the change link.
_PLACEHOLDER = "__claimdesk_pk__"


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # other URLs (tests, the bench)
        _url_name.cache_clear()


@functools.lru_cache(maxsize=256)
def _url_name(path: str) -> str | None:
    """``app_name:url_name`` of ``path``, or None: resolved once per
    process and path (a resolve walks the URL patterns, 0.1 ms)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.app_name}:{match.url_name}"


def add_preserved_filters(context, url, popup=False, to_field=None):
    """Django's ``{% add_preserved_filters %}`` (admin_urls, 5.2), step for
    step, with the link's path resolved once per process (``_url_name``):
    the claim list resolved the same two paths on every view."""
    opts = context.get("opts")
    preserved_filters = context.get("preserved_filters")
    preserved_qsl = context.get("preserved_qsl")
    parsed_url = list(urlsplit(url))
    parsed_qs = dict(parse_qsl(parsed_url[3]))
    merged_qs = {}
    if preserved_qsl:
        merged_qs.update(preserved_qsl)
    if opts and preserved_filters:
        preserved_filters = dict(parse_qsl(preserved_filters))
        match_url = "/" + unquote(url).partition(get_script_prefix())[2]
        current_url = _url_name(match_url)
        changelist_url = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        if current_url == changelist_url and "_changelist_filters" in preserved_filters:
            preserved_filters = dict(
                parse_qsl(preserved_filters["_changelist_filters"])
            )
        merged_qs.update(preserved_filters)
    if popup:
        from django.contrib.admin.options import IS_POPUP_VAR

        merged_qs[IS_POPUP_VAR] = 1
    if to_field:
        from django.contrib.admin.options import TO_FIELD_VAR

        merged_qs[TO_FIELD_VAR] = to_field
    merged_qs.update(parsed_qs)
    parsed_url[3] = urlencode(merged_qs)
    return urlunsplit(parsed_url)


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
    # The row checkbox's label, translated once for the page.
    label_format = getattr(cl.model_admin, "checkbox_label_format", None)
    checkbox = {"label_format": label_format()} if label_format else {}
    rows = []
    for result in cl.result_list:
        cells = []
        for index, (method, boolean, empty, css) in enumerate(columns):
            if css == "action-checkbox":
                value = method(result, **checkbox)
            else:
                value = method(result)
            if boolean:
                shown = icons[value]
            elif value is None or value == "":
                shown = empty
            elif hasattr(value, "__html__"):  # conditional_escape, inlined
                shown = value.__html__()
            else:
                shown = escape(str(value))
            if index == link_index:
                pk = conditional_escape(quote(result.pk))
                cells.append(
                    f'<th class="{css}"><a href="{before}{pk}{after}">{shown}</a></th>'
                )
            else:
                cells.append(f'<td class="{css}">{shown}</td>')
        rows.append([mark_safe("".join(cells))])  # noqa: S308 (escaped above)
    return rows


def _header_html(header: dict, num_sorted: int) -> str:
    """One column header as change_list_results.html draws it."""
    sort = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = ""
        if num_sorted > 1:
            title = conditional_escape(
                gettext("Sorting priority: %(priority_number)s")
                % {"priority_number": header["sort_priority"]}
            )
            priority = (
                f'<span class="sortpriority" title="{title}">'
                f"{header['sort_priority']}</span>"
            )
        direction = "ascending" if header["ascending"] else "descending"
        sort = (
            '<div class="sortoptions">'
            f'<a class="sortremove" href="{conditional_escape(header["url_remove"])}" '
            f'title="{conditional_escape(gettext("Remove from sorting"))}"></a>'
            f"{priority}"
            f'<a href="{conditional_escape(header["url_toggle"])}" '
            f'class="toggle {direction}" '
            f'title="{conditional_escape(gettext("Toggle sorting"))}"></a></div>'
        )
    text = capfirst(header["text"])
    if isinstance(header["text"], SafeData):  # as the capfirst filter keeps it
        text = mark_safe(text)  # noqa: S308 (safe before capfirst)
    text = conditional_escape(text)
    if header["sortable"]:
        text = f'<a href="{conditional_escape(header["url_primary"])}">{text}</a>'
    else:
        text = f"<span>{text}</span>"
    return (
        f'<th scope="col"{header["class_attrib"]}>{sort}'
        f'<div class="text">{text}</div><div class="clear"></div></th>'
    )


@register.simple_tag
def fast_result_list(cl):
    """Django's ``{% result_list cl %}`` (change_list_results.html): the
    same table, its headers and rows written in Python. A list the one-pass
    rows do not cover gets Django's tag and template."""
    rows = fast_rows(cl)
    if rows is None:
        return get_template("admin/change_list_results.html").render(result_list(cl))
    if not rows:
        return ""
    headers = list(result_headers(cl))
    num_sorted = sum(1 for h in headers if h["sortable"] and h["sorted"])
    head = "".join(_header_html(header, num_sorted) for header in headers)
    body = "".join(f"<tr>{row[0]}</tr>" for row in rows)
    return mark_safe(  # noqa: S308 (escaped above)
        '<div class="results"><table id="result_list">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


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


@register.simple_tag(takes_context=True)
def fast_add_link(context):
    """Django's ``{% change_list_object_tools %}`` (the "Add claim" link of
    admin/change_list_object_tools.html): the same markup, without
    rendering a template for one link (0.4 ms a view)."""
    if not context.get("has_add_permission"):
        return ""
    cl = context["cl"]
    opts = cl.opts
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_add",
        current_app=cl.model_admin.admin_site.name,
    )
    url = add_preserved_filters(
        context, url, context.get("is_popup"), context.get("to_field")
    )
    label = gettext("Add %(name)s") % {"name": opts.verbose_name}
    return mark_safe(  # noqa: S308 (escaped here)
        # The spaces the template leaves around the label, as one each.
        f'<li><a href="{conditional_escape(url)}" class="addlink"> '
        f"{conditional_escape(label)} </a></li>"
    )


@register.simple_tag
def fast_search_form(cl):
    """Django's ``{% search_form cl %}`` (admin/search_form.html): the same
    markup, written in Python (the template took 0.2 ms a view)."""
    if not cl.search_fields:
        return ""
    found = search_form(cl)
    search_var = found["search_var"]
    described = ' aria-describedby="searchbar_helptext"' if cl.search_help_text else ""
    parts = [
        '<div id="toolbar"><form id="changelist-search" method="get" role="search">'
        "<div><!-- DIV needed for valid HTML -->"
        f'<label for="searchbar"><img src="{conditional_escape(static(_ICON))}" '
        'alt="Search"></label>'
        f'<input type="text" size="40" name="{conditional_escape(search_var)}" '
        f'value="{conditional_escape(cl.query)}" id="searchbar"{described}>'
        f'<input type="submit" value="{conditional_escape(gettext("Search"))}">'
    ]
    if found["show_result_count"]:
        count = ngettext(
            "%(counter)s result", "%(counter)s results", cl.result_count
        ) % {"counter": cl.result_count}
        if getattr(cl.paginator, "estimated", False):
            # As the pagination says it (Django's form says an estimate as
            # if it were counted: found by a new user).
            count = f"about {count}"
        query = ""
        if cl.is_popup:
            query = f"{found['is_popup_var']}=1" + ("&" if cl.add_facets else "")
        if cl.add_facets:
            query += found["is_facets_var"]
        if cl.show_full_result_count:
            total = gettext("%(full_result_count)s total") % {
                "full_result_count": cl.full_result_count
            }
        else:
            total = gettext("Show all")
        parts.append(
            f'<span class="small quiet">{conditional_escape(count)} '
            f'(<a href="?{conditional_escape(query)}">{conditional_escape(total)}'
            "</a>)</span>"
        )
    for name, value in cl.params.items():
        if name != search_var:
            parts.append(
                f'<input type="hidden" name="{conditional_escape(name)}" '
                f'value="{conditional_escape(value)}">'
            )
    parts.append("</div>")
    if cl.search_help_text:
        parts.append(
            '<br class="clear"><div class="help" id="searchbar_helptext">'
            f"{conditional_escape(cl.search_help_text)}</div>"
        )
    parts.append("</form></div>")
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


_ICON = "admin/img/search.svg"


@register.simple_tag
def fast_pagination(cl):
    """The claim list's pagination (templates/admin/claims/claim/
    pagination.html, Django's admin/pagination.html saying "about" for an
    estimated count): the same markup, written in Python."""
    found = pagination(cl)
    parts = ['<p class="paginator">']
    if found["pagination_required"]:
        parts += [str(paginator_number(cl, i)) for i in found["page_range"]]
    about = "about " if getattr(cl.paginator, "estimated", False) else ""
    opts = cl.opts
    name = opts.verbose_name if cl.result_count == 1 else opts.verbose_name_plural
    parts.append(f"{about}{cl.result_count} {conditional_escape(name)}")
    if found["show_all_url"]:
        parts.append(
            f'<a href="{conditional_escape(found["show_all_url"])}" class="showall">'
            f"{conditional_escape(gettext('Show all'))}</a>"
        )
    if cl.formset and cl.result_count:
        parts.append(
            '<input type="submit" name="_save" class="default" '
            f'value="{conditional_escape(gettext("Save"))}">'
        )
    parts.append("</p>")
    return mark_safe(" ".join(parts))  # noqa: S308 (escaped above)
