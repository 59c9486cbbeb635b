"""``{% url %}`` that remembers the addresses it has worked out.

Installed as a template builtin (``TEMPLATES`` in settings), after Django's
own, so every template's ``{% url %}`` is this one, Django's admin
templates included; it is Django's tag (same syntax, same output, same
errors) with a memo in front of ``reverse``.

Django reverses on every use: it walks the namespaces, picks the pattern,
substitutes the arguments and checks the result against the pattern's
regular expression. The admin's chrome asks for about ten addresses a view
(home, the app, log out, the add link, the action script's catalogue...):
about 1 ms of a 26 ms admin list on the slow two-core VM of
docs/performance.md. An address depends only on the URL patterns, the
script prefix, the view's name, its arguments and the current app, so it is
kept under those, the patterns standing for themselves: a resolver lives
as long as its URL configuration (``clear_url_caches`` makes new ones). A
failed reversal is not kept; neither is a call whose arguments cannot be a
key (a model instance, a list). A name that reverses to nothing (the
admin asks for admindocs' address, which is not installed) is kept as
such, and raises Django's error again on each use. The memo keeps the most recent
``REMEMBERED`` addresses: the chrome's few dozen stay, a list's per-row
addresses pass through.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.html import conditional_escape

register = template.Library()

REMEMBERED = 1024


@lru_cache(maxsize=REMEMBERED)
def _reverse(resolver, prefix, urlconf, view_name, args, kwargs, current_app):
    """The address, or the NoReverseMatch's message. resolver and prefix
    are part of the key, not used: the address is Django's reverse of the
    rest under them."""
    try:
        return django_reverse(
            view_name,
            urlconf=urlconf,
            args=args,
            kwargs=dict(kwargs),
            current_app=current_app,
        )
    except NoReverseMatch as error:
        return _Failed(str(error))


class _Failed(str):
    """A reversal that failed, by its message."""


def remembered_reverse(view_name, args=(), kwargs=None, current_app=None) -> str:
    """Django's ``reverse`` for the current URL configuration, kept (above)."""
    urlconf = get_urlconf()
    items = tuple(sorted((kwargs or {}).items()))
    try:
        url = _reverse(
            get_resolver(urlconf),
            get_script_prefix(),
            urlconf,
            view_name,
            tuple(args),
            items,
            current_app,
        )
    except TypeError:
        # An argument that is no key: reversed each time.
        return django_reverse(
            view_name, args=args, kwargs=kwargs, current_app=current_app
        )
    if isinstance(url, _Failed):
        raise NoReverseMatch(str(url))
    return url


class RememberedURLNode(URLNode):
    def render(self, context):
        # Django's URLNode.render, through remembered_reverse.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = remembered_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    """Django's ``{% url %}``, remembering its addresses (above)."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
