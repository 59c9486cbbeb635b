"""The form renderer: Django's, less the template renders of empty error
lists.

Every field of every form and inline on an admin page renders its error
list through a template (``{% if errors %}…{% endif %}``), which writes
nothing when there are no errors: 56 of the 430 template renders of the
admin claim change page. An empty list is written here as what that
template gives, an empty string, without rendering it.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

# The templates of ErrorList.as_ul() and str(ErrorList), which render ""
# for an empty list (django/forms/templates/django/forms/errors/list/).
EMPTY_WHEN_NO_ERRORS = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in EMPTY_WHEN_NO_ERRORS and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)
