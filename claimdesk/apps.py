"""``django.contrib.admin`` with the desk's own site as ``admin.site``.

Apart from ``claimdesk.admin_site``, which imports forms and models: an app
config's module is imported while the app registry is being filled.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class ClaimdeskAdminConfig(AdminConfig):
    default_site = "claimdesk.admin_site.AdminSite"
