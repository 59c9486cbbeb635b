"""The yardstick for ``manage.py bench``: the claim list as a plain
``ModelAdmin`` with Django's defaults would serve it, on its own admin site
(``claims.bench_urls`` mounts it at /plain-admin/, only while the bench
runs). Same columns, filters and search fields as Claimdesk's; nothing
tuned.
"""

from __future__ import annotations

from django.contrib import admin

from claims.models import Claim

plain_site = admin.AdminSite(name="plain_admin")


class PlainClaimAdmin(admin.ModelAdmin):
    list_display = ("text", "speaker", "episode", "status")
    list_filter = ("status", "claim_type", "episode__show", "speaker")
    search_fields = ("text", "quote", "speaker__name", "claimant__name")
    list_per_page = 50


plain_site.register(Claim, PlainClaimAdmin)
