"""Every link the editorial desk and the public site draw leads somewhere: a
crawl of the admin, as an editor, a reviewer and a superuser, and of the
public pages, anonymous and signed in, following each link it finds
(sidebar filters, date drill-downs, sort headers, pages, change forms,
history) and asserting that none answers with an error.

The lists refuse any parameter their filters do not read
(claimdesk/admin_tools.OfferedLookupsOnly); this holds that refusal to the
links the desk itself makes, so it never refuses one of them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model

from claims import workflow
from tests.conftest import add_evidence, make_claim, make_episode

# A bound on the crawl: the desk's pages of this data, by shape, are about
# 220 for an editor and 450 for a superuser.
MOST_PAGES = 1000
# Links that act rather than show (GET is safe everywhere in the desk, but
# logging out would end the crawl), and the desk seen from the public site
# (crawled apart, above).
SKIPPED = ("/admin/logout/", "/accounts/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _shape(url: str) -> tuple:
    """A page and the names of its parameters: one visit each, so the
    filters' combinations (every filter's links on every filtered page) do
    not multiply the crawl, while each filter, sort and page link is
    followed at least once."""
    parts = urlsplit(url)
    return parts.path, frozenset(name for name, _ in parse_qsl(parts.query))


def _crawl(client, start: str, within: str = "/admin/") -> dict[str, int]:
    seen: dict[str, int] = {}
    shapes: set[tuple] = set()
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen or _shape(url) in shapes:
            continue
        assert len(seen) < MOST_PAGES, "the desk has more pages than the crawl allows"
        shapes.add(_shape(url))
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            link = urljoin(url, href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith(within):
                continue
            if parts.path.startswith(SKIPPED) or "/delete/" in parts.path:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                came_from.setdefault(target, url)
                queue.append(target)
    _crawl.came_from = came_from
    return seen


@pytest.fixture
def desk(show, speaker, reviewer, editor):
    """A desk with something in every list: claims in each state, two
    episodes a year apart (the date drill-down), evidence and notes."""
    first = make_episode(show, slug="ep-a", published_on="2026-05-08")
    second = make_episode(show, slug="ep-b", published_on="2025-02-01")
    claims = [make_claim(first), make_claim(second, quote="80 times growth")]
    researched = claims[0]
    workflow.claim_start_research(claim=researched, actor=reviewer)
    add_evidence(researched, reviewer)
    workflow.note_add(claim=researched, actor=reviewer, body="Checked the filing.")
    workflow.claim_set_verdict(
        claim=researched, verdict="verified", note="Checked.", actor=reviewer
    )
    workflow.claim_approve(claim=researched, actor=editor)
    return claims


@pytest.mark.parametrize("who", ["editor", "reviewer", "superuser"])
def test_every_link_of_the_desk_answers_without_an_error(client, desk, who, request):
    if who == "superuser":
        user = get_user_model().objects.create_superuser(
            "root", "root@example.org", "x"
        )
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    seen = _crawl(client, "/admin/")
    failed = {url: status for url, status in seen.items() if status >= 400}
    assert not failed, {url: _crawl.came_from.get(url) for url in failed}
    # The crawl reached the lists' own links, not just the index.
    assert any("status__exact=" in url for url in seen)
    assert any("?o=" in url or "&o=" in url for url in seen)
    if who != "reviewer":  # the episodes' list is an editor's
        assert any("published_on__year=" in url for url in seen)


def test_who_did_what_is_a_name_unless_the_viewer_may_open_the_user(
    client, desk, editor, reviewer
):
    """Django linked each read-only user (the verdict's, the approval's,
    each evidence link's and note's) to the users' admin, a 403 for the
    editors and reviewers who read the page."""
    claim = desk[0]
    url = f"/admin/claims/claim/{claim.pk}/change/"
    for user in (editor, reviewer):
        client.force_login(user)
        page = client.get(url).text
        assert "/admin/auth/user/" not in page
        assert '<div class="readonly">rita</div>' in page  # the verdict's
        assert '<div class="readonly">edna</div>' in page  # the approval's
        assert re.search(r'<td class="field-added_by">\s*<p>rita</p>', page)
        # The blank row for a new link or note: Django's empty value, as the
        # date beside it, not "None".
        assert not re.search(
            r'<td class="field-(added_by|author)">\s*<p>None</p>', page
        )
        assert re.search(r'<td class="field-added_by">\s*<p>-</p>', page)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    page = client.get(url).text
    assert f'<a href="/admin/auth/user/{reviewer.pk}/change/">rita</a>' in page


@pytest.mark.parametrize("who", ["anonymous", "reviewer"])
def test_every_link_of_the_public_site_answers_without_an_error(
    client, desk, who, request
):
    """The same crawl over the public pages (the lists, their filters, sorts
    and pages, claims, episodes, people, the exports and feeds), anonymous
    and signed in; the desk's own pages are crawled above."""
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    seen = _crawl(client, "/", within="/")
    seen = {
        url: status for url, status in seen.items() if not url.startswith("/admin/")
    }
    failed = {url: status for url, status in seen.items() if status >= 400}
    assert not failed, {url: _crawl.came_from.get(url) for url in failed}
    # The crawl reached the lists, a claim, an episode, a person, an export.
    assert {"/claims/", "/episodes/", "/people/", "/claims/export.csv"} <= set(seen)
    assert any(re.fullmatch(r"/claims/\d+/", url) for url in seen)
    assert any(re.fullmatch(r"/episodes/[\w-]+/", url) for url in seen)
