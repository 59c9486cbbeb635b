"""The site's URLs plus the plain ModelAdmin yardstick, for ``manage.py bench``."""

from django.urls import path

from claimdesk.urls import urlpatterns as site_urlpatterns
from claims.bench_admin import plain_site

urlpatterns = [path("plain-admin/", plain_site.urls), *site_urlpatterns]
