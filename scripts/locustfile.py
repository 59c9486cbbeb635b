"""The load test's clients, for ``manage.py load_test`` (which starts the
server and runs this headless; see that command for the figures).

Two kinds of client share the run: readers (anonymous: the public claim
list, a claim page, a search) and editors (signed in: the admin claim list,
filtered and searched, and the JSON API). Each waits 0.5–1.5 s between
requests, as a person clicking does not; with 50 clients that is about 50
requests a second offered, and the server's answer time decides the rest.

The command passes what the clients need in the environment:
CLAIMDESK_LOAD_SESSION (a signed-in editor's session cookie),
CLAIMDESK_LOAD_CLAIMS (published claim ids) and CLAIMDESK_LOAD_TERMS
(search words), so this file holds no database access.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

CLAIMS = [int(pk) for pk in os.environ.get("CLAIMDESK_LOAD_CLAIMS", "1").split(",")]
TERMS = os.environ.get("CLAIMDESK_LOAD_TERMS", "data").split(",")
SESSION = os.environ.get("CLAIMDESK_LOAD_SESSION", "")
# Seconds each client waits between requests (--wait of load_test).
WAIT = [float(s) for s in os.environ.get("CLAIMDESK_LOAD_WAIT", "1,3").split(",")]
# Which page a client asks for next: no secret, so the plain generator.
pick = random.choice  # noqa: S311
STATUSES = ["unreviewed", "researching", "verified", "false", "disputed"]


class Reader(HttpUser):
    weight = 3
    wait_time = between(*WAIT)

    @task(3)
    def claim_list(self):
        self.client.get("/claims/", name="/claims/")

    @task(3)
    def claim_page(self):
        self.client.get(f"/claims/{pick(CLAIMS)}/", name="/claims/<id>/")

    @task(2)
    def search(self):
        self.client.get("/claims/", params={"q": pick(TERMS)}, name="/claims/?q=…")


class Editor(HttpUser):
    weight = 2
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.cookies.set("sessionid", SESSION)

    @task(3)
    def admin_list(self):
        self.client.get("/admin/claims/claim/", name="/admin/claims/claim/")

    @task(2)
    def admin_filtered(self):
        self.client.get(
            "/admin/claims/claim/",
            params={"status__exact": pick(STATUSES)},
            name="/admin/claims/claim/?status__exact=…",
        )

    @task(1)
    def admin_search(self):
        self.client.get(
            "/admin/claims/claim/",
            params={"q": pick(TERMS)},
            name="/admin/claims/claim/?q=…",
        )

    @task(2)
    def api(self):
        self.client.get("/api/claims/", name="/api/claims/")
