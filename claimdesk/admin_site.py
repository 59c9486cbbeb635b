"""The desk's admin site: Django's, with its sidebar's app list built only
when a page draws it; every list filtered only through what it offers and
every read-only user a name, not a link, for whoever may not open the
users' admin (``register``, claimdesk/admin_tools).

``AdminSite.each_context`` lists every app and model the user may see
(``get_app_list``: a permission check per model) on every admin page, for
the navigation sidebar. The claim list, the desk's most opened page, draws
no sidebar (``ClaimAdmin.changelist_view``), so the list was built for
nothing: 0.8 ms of each view at a million claims. Here it is built on first
use; a page that draws it gets the same list as before.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.functional import SimpleLazyObject

from claimdesk.admin_tools import (
    OfferedLookupsOnly,
    ReadOnlyUsersAsNames,
    SelectedRowsChecked,
)
from claimdesk.login_forms import AdminLoginForm


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin on the desk, Django's own (users, groups) included,
        # lists only through the filters it offers, and shows a read-only
        # user as a name to whoever may not open the users' admin
        # (admin_tools). Outermost, so they see the admin's own fieldsets
        # and read-only fields (inlines take ReadOnlyUsersAsNames themselves).
        # And an action run on a selection that is no row's key is refused
        # with a message (admin_tools.SelectedRowsChecked).
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (SelectedRowsChecked, OfferedLookupsOnly, ReadOnlyUsersAsNames)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        # Django's each_context (5.2), with available_apps made lazy.
        # tests/test_admin_site.py compares the two, key for key.
        script_name = request.META["SCRIPT_NAME"]
        site_url = (
            script_name if self.site_url == "/" and script_name else self.site_url
        )
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }
