from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from claims.admin.upload import import_view

admin.site.site_header = "Claimdesk editorial desk"
admin.site.site_title = "Claimdesk"
admin.site.index_title = "Claims, evidence and verdicts"
# No public site yet: "View site" would only lead back here.
admin.site.site_url = None

urlpatterns = [
    # Before admin.site.urls, whose catch-all would otherwise take it.
    path(
        "admin/claims/import/",
        admin.site.admin_view(import_view),
        name="claims_import_episode",
    ),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
