"""What every admin of the desk shares: writes through a workflow, bounded
searches, lists filtered only through what they offer."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, url_params_from_lookup_dict
from django.contrib.auth import get_user_model
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
)
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from claimdesk.limits import search_error
from claimdesk.media import remembered


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, which re-renders a form with the value
    posted: a value that is no key of the related model (``abc``, ``NaN``
    for an id) was a 500 (ValueError in its look-up of the selected row);
    it is left out, and the form's own error says what is wrong."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", opts.pk.attname))
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteMixin:
    """ModelAdmin and inlines: their autocomplete fields drawn with
    ``SafeAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _Refused(Exception):  # noqa: N818 (not an error: ends a refused save)
    """Ends a desk save the workflow refused: the admin's transaction rolls
    back around it (``WorkflowWritesMixin.changeform_view``)."""


REFUSED_SAVE = (
    "Nothing was saved: see the messages above. What you typed is still here: "
    "change what they name and save again."
)


class WorkflowWritesMixin:
    """Admin saves that go through a workflow function.

    ``write`` runs one write and turns the workflow's refusal into an error
    message. When the object itself is refused (``whole=True``), nothing is
    written beside it: its inlines are skipped (``skip_formset``). After any
    refusal the whole save is rolled back (the admin runs it in one
    transaction) and the form comes back bound to what was posted, with
    ``REFUSED_SAVE`` as its error: nothing saved, nothing typed lost. A form
    whose new evidence link was refused had saved its summary and note all
    the same (found by a new user); the first answer, a redirect, lost what
    was typed (found in review).
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused:
            # Rolled back. Again, to show the form: its clean refuses
            # (get_form), so nothing is written this time.
            request.claimdesk_show_refused = True
            request.claimdesk_refused = request.claimdesk_object_refused = False
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not getattr(request, "claimdesk_show_refused", False):
            return form

        class Refused(form):
            def clean(self):
                super().clean()
                raise ValidationError(REFUSED_SAVE, code="refused")

        Refused.__name__ = form.__name__
        return Refused

    def write(
        self,
        request: HttpRequest,
        failure: str,
        function: Callable[..., Any],
        *,
        whole: bool = False,
        **kwargs: Any,
    ) -> bool:
        try:
            function(**kwargs)
        except ValidationError as exc:
            text = " ".join(exc.messages)
            self.message_user(
                request, f"{failure}: {text}" if failure else text, messages.ERROR
            )
            request.claimdesk_refused = True
            if whole:
                request.claimdesk_object_refused = True
            return False
        return True

    @staticmethod
    def object_refused(request: HttpRequest) -> bool:
        return getattr(request, "claimdesk_object_refused", False)

    @staticmethod
    def skip_formset(formset) -> None:
        """Write nothing of ``formset`` (its object was refused)."""
        formset.save(commit=False)
        formset.new_objects = formset.changed_objects = []
        formset.deleted_objects = []

    def response_change(self, request, obj):
        if getattr(request, "claimdesk_refused", False):
            raise _Refused
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "claimdesk_refused", False):
            raise _Refused
        return super().response_add(request, obj, post_url_continue)


class BoundedSearchMixin:
    """An admin search past ``claimdesk.limits`` is refused with a message,
    not run: 30,000 words once kept PostgreSQL busy for 19 minutes."""

    def get_search_results(self, request, queryset, search_term):
        if self.search_refused(request, search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def search_refused(self, request, search_term: str) -> bool:
        """Whether ``search_term`` is past the limits (the user is told)."""
        error = search_error(search_term)
        if error:
            self.message_user(request, f"Not searched: {error}", messages.ERROR)
        return bool(error)


class ActionsOncePerRequestMixin:
    """``get_actions`` worked out once per request, not three times.

    Django asks for a list's actions three times a view (the columns, the
    action choices, the action itself), each time building every action's
    description and asking the user's permissions for each: 0.2 ms of a
    claim list's view on the two-core VM. The answer depends only on the
    request (its user and its query), so it is kept on the request.
    """

    def get_actions(self, request):
        kept = request.__dict__.setdefault("_claimdesk_actions", {})
        if self not in kept:
            kept[self] = super().get_actions(request)
        # A copy, as Django returns a new dict each time: a caller that
        # takes an action out of it changes nothing for the next caller.
        return dict(kept[self])


class ActionCheckboxMixin:
    """The list's row checkbox written as HTML, not rendered as a form widget.

    Django renders each row's checkbox through the form renderer's templates
    (``CheckboxInput.render``): about 0.1 ms a row, a fifth of a 50-row
    claim list's time above its SQL. The HTML is the same markup.
    """

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj, label_format: str | None = None):
        # label_format: checkbox_label_format(), looked up once for a page
        # by the one-pass rows (a translation lookup per row was 0.1 ms).
        if label_format is None:
            label_format = self.checkbox_label_format()
        label = label_format.format(str(obj))
        return SafeString(
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" '
            f'value="{escape(str(obj.pk))}" class="action-select" '
            f'aria-label="{escape(label)}">'
        )

    @staticmethod
    def checkbox_label_format() -> str:
        return _("Select this object for an action - {}")


def _pair_key(name, value):
    """A key naming what ``name=value`` encodes to, or None for a value
    whose encoding is not worth remembering (or that a key would confuse:
    ``True == 1`` yet they encode apart)."""
    kind = type(value)
    if kind is str or kind is int:
        return name, kind, value
    if kind is list and all(type(item) is str for item in value):
        return name, kind, tuple(value)
    return None


class EncodedLinksMixin:
    """``ChangeList.get_query_string``, each parameter encoded once a view.

    Every link of the filter sidebar, the sort headers and the pages is
    Django's ``get_query_string``: the whole query string of the view,
    sorted and encoded again, with one parameter changed (about 90 links on
    the claim list, each encoding every parameter). The string is the same
    ``&``-joined list of ``name=value`` pairs in name order; here each
    pair's encoding is kept for the view's next link.
    """

    def get_query_string(self, new_params=None, remove=None):
        # Django's steps (django/contrib/admin/views/main.py), unchanged.
        p = self.filter_params.copy()
        for r in remove or ():
            for k in list(p):
                if k.startswith(r):
                    del p[k]
        for k, v in (new_params or {}).items():
            if v is None:
                if k in p:
                    del p[k]
            else:
                p[k] = v
        try:
            encoded = self._encoded_pairs
        except AttributeError:
            encoded = self._encoded_pairs = {}
        parts = []
        for name, value in sorted(p.items()):
            key = _pair_key(name, value)
            part = encoded.get(key) if key else None
            if part is None:
                # What urlencode(sorted(p.items()), doseq=True) writes for it.
                part = urlencode([(name, value)], doseq=True)
                if key:
                    encoded[key] = part
            if part:  # an empty list writes nothing, not an empty pair
                parts.append(part)
        return "?" + "&".join(parts)


class RememberedMediaMixin:
    """The list's and the form's scripts and stylesheets written once per
    process, not on every view (``claimdesk.media``)."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "media" in context:
            context["media"] = remembered(context["media"])
        return response

    def render_change_form(self, request, context, *args, **kwargs):
        if "media" in context:
            context["media"] = remembered(context["media"])
        return super().render_change_form(request, context, *args, **kwargs)


class UnofferedLookup(DisallowedModelAdminLookup):
    """A list parameter that none of the list's filters reads."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"Filtering by {name} not allowed")


class OfferedLookupsChangeList:
    """A ``ChangeList`` that filters only through what its page offers.

    Django's admin applies any parameter no filter claims as a lookup on
    the model: ``?text__regex=[`` (PostgreSQL's "invalid regular
    expression", a 500), ``?resolves_on__year__gte=10000`` (an
    OverflowError), ``?text__icontains=a`` (a scan of every claim). Here a
    parameter is used only if one of the list's filters reads it, or it is
    the date drill-down's own range, or a raw-id popup's
    ``limit_choices_to``; anything else is refused (``UnofferedLookup``).
    """

    def get_filters(self, request):
        result = super().get_filters(request)
        # Django's list filters have taken the parameters they read; what
        # is left would be applied as lookups on the model.
        left = result[2]
        allowed = set()
        if self.date_hierarchy:
            # Django turns the drill-down's year, month and day into these.
            allowed |= {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        for lookups in self.model._meta.related_fkey_lookups:
            if callable(lookups):
                lookups = lookups()
            allowed |= set(url_params_from_lookup_dict(lookups))
        for name in left:
            if name not in allowed:
                raise UnofferedLookup(name)
        return result


@cache
def _offered_only(changelist: type) -> type:
    if issubclass(changelist, OfferedLookupsChangeList):
        return changelist
    return type(changelist.__name__, (OfferedLookupsChangeList, changelist), {})


class SelectedRowsChecked:
    """A list action run on a selection that is no row's key ("abc", an
    empty value, a NUL: only a crafted POST sends one) is refused with a
    message on the list, not Django's 500 (its ``pk__in`` filter raises
    ValueError). The desk's admin site (claimdesk/admin_site.py) gives
    every admin registered on it this, Django's and third parties' too."""

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
            try:
                # A NUL is in no key PostgreSQL stores, of any type.
                if "\x00" in value or pk.to_python(value) in (None, ""):
                    raise ValidationError("no key")
            except ValidationError:
                # Escaped as the message is shown (Django's messages are).
                shown = repr(value)[1:-1][:40]
                self.message_user(
                    request,
                    f"The selection holds “{shown}”, which is no row of this "
                    "list; nothing was changed. Tick the rows again and rerun "
                    "the action.",
                    messages.ERROR,
                )
                return None
        selected = set(request.POST.getlist(ACTION_CHECKBOX_NAME))
        if selected and request.POST.get("select_across") not in ("1", "True"):
            # A key of no row the list holds now (deleted, or changed out of
            # the list's filter by someone else since it was shown; or made
            # up): Django ran the action on the rest, or on nothing, silently.
            found = queryset.filter(pk__in=selected).count()
            if found < len(selected):
                missing = len(selected) - found
                self.message_user(
                    request,
                    f"{missing} of the {len(selected)} selected rows "
                    f"{'is' if missing == 1 else 'are'} no longer on this list "
                    "(deleted, or changed by someone else since it was "
                    "shown); nothing was changed. Look at the list again and "
                    "rerun the action.",
                    messages.ERROR,
                )
                return None
        return super().response_action(request, queryset)


class OfferedLookupsOnly:
    """A ``ModelAdmin`` whose list refuses, with a 400 that names it, a
    parameter its page does not offer (``OfferedLookupsChangeList``), and
    a lookup across a relation Django's own check refuses (a bare 400 from
    Django, a traceback page with DEBUG on). The desk's admin site
    (claimdesk/admin_site.py) gives every admin registered on it this."""

    def get_changelist(self, request, **kwargs):
        return _offered_only(super().get_changelist(request, **kwargs))

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DisallowedModelAdminLookup as refused:
            # Django's own refusal names the parameter in its message.
            name = getattr(refused, "name", None) or str(refused).removeprefix(
                "Filtering by "
            ).removesuffix(" not allowed")
            message = (
                f"This list cannot be filtered by “{name[:60]}”. Nothing was "
                "changed; use the filters beside the list or its search box."
            )
            return render(
                request,
                "400.html",
                {"message": message, "back": request.path},
                status=400,
            )


@cache
def _user_as_name(model: type, name: str) -> Callable:
    """A read-only field's stand-in: the user's name, without a link. One
    function per field, so the fieldsets and the read-only fields hold the
    same object; named as the field, so the page keeps its ``field-…``
    class and label."""
    field = model._meta.get_field(name)

    def show(obj):
        # Nobody (a blank inline row): Django's own empty value ("-"), which
        # it shows for a lookup that raises this.
        user = getattr(obj, name, None)
        if user is None:
            raise ObjectDoesNotExist
        return user.get_username()

    show.__name__ = name
    show.short_description = capfirst(field.verbose_name)
    return show


class ReadOnlyUsersAsNames:
    """Who proposed, approved, added or wrote something, shown as a name to
    whoever may not open the users' admin (editors and reviewers).

    Django links every read-only foreign key to the related object's change
    page without asking whether the viewer may open it: on a claim's page
    the verdict's and the approval's users, each evidence link's and each
    note's, were links an editor followed to a 403 (found by the crawl in
    tests/test_links.py). A superuser keeps Django's links.
    """

    def _users_as_names(self, request, names) -> dict:
        user_model = get_user_model()
        users_admin = self.admin_site._registry.get(user_model)
        if users_admin is not None and users_admin.has_view_permission(request):
            return {}
        swapped = {}
        for name in names:
            if not isinstance(name, str):
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.related_model is user_model:
                swapped[name] = _user_as_name(self.model, name)
        return swapped

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        swapped = self._users_as_names(request, fields)
        return tuple(swapped.get(name, name) for name in fields)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        swapped = self._users_as_names(
            request, super().get_readonly_fields(request, obj)
        )
        if not swapped:
            return fieldsets

        def swap(names):
            return tuple(
                swap(name)
                if isinstance(name, list | tuple)
                else swapped.get(name, name)
                for name in names
            )

        return [
            (title, {**options, "fields": swap(options["fields"])})
            for title, options in fieldsets
        ]
