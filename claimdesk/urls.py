from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Claimdesk editorial desk"
admin.site.site_title = "Claimdesk"
admin.site.index_title = "Claims, evidence and verdicts"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
