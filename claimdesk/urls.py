from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claimdesk.accounts import sign_out
from claimdesk.login_forms import LoginForm
from claims.admin.evidence_upload import import_evidence_view
from claims.admin.upload import import_view
from claims.urls import episode_urlpatterns, person_urlpatterns

admin.site.site_header = "Claimdesk editorial desk"
admin.site.site_title = "Claimdesk"
admin.site.index_title = "Claims, evidence and verdicts"
admin.site.site_url = "/"

urlpatterns = [
    # Before admin.site.urls, whose catch-all would otherwise take it.
    path(
        "admin/claims/import/",
        admin.site.admin_view(import_view),
        name="claims_import_episode",
    ),
    path(
        "admin/claims/import-evidence/",
        admin.site.admin_view(import_evidence_view),
        name="claims_import_evidence",
    ),
    # A GET asks before signing out (claimdesk/accounts.py); the admin's own
    # link posts here as it did to the admin's view.
    path("admin/logout/", sign_out),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", sign_out, name="logout"),
    path("episodes/", include((episode_urlpatterns, "episodes"))),
    path("people/", include((person_urlpatterns, "people"))),
    path("", include("claims.urls")),
]
