"""``{% claim_list_rows %}`` writes what the template loop it replaced wrote
(kept below as the reference), for readers and reviewers, on claims with
and without speaker, claimant, amounts, an episode date, a demo review and
characters that must be escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from claims.demo_data import generate
from claims.models import Claim
from claims.templatetags.claim_rows import claim_list_rows
from claims.views.lists import _list_rows
from episodes.models import Episode

# The loop of templates/claims/claim_list.html before the tag, as it was.
REFERENCE = Template(
    (Path(__file__).parent / "reference" / "claim_list_rows.html").read_text()
)


def normalized(html: str) -> str:
    """Whitespace as a browser reads it: a run of it is one space, and none
    counts around the block tags (li, p)."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(</?(?:li|p)\b[^>]*>)\s*", r"\1", html).strip()


@pytest.fixture
def rows(db):
    generate(300, seed=5)
    odd = Claim.objects.order_by("id")[:3]
    Claim.objects.filter(pk=odd[0].pk).update(summary="<b>\"Growth\" & 'more'</b>")
    Claim.objects.filter(pk=odd[1].pk).update(speaker=None)
    Episode.objects.filter(pk=odd[2].episode_id).update(published_on=None)
    claims = list(_list_rows(Claim.objects.order_by("-id")))
    # As the demo's published claim is labelled (read from the rationale).
    claims[5].rationale = "Demo review: shown"
    claims[6].evidence_count = 1  # the generator adds none or two to five
    assert any(c.claimant_id and c.claimant_id != c.speaker_id for c in claims)
    assert any(not c.listed_quantities for c in claims)
    assert any(c.is_verdict and not c.is_approved for c in claims)
    assert any(c.evidence_count == 1 for c in claims)
    assert any(c.episode.published_on is None for c in claims)
    return claims


@pytest.mark.parametrize("reviewer", [False, True])
def test_the_rows_are_the_templates(rows, reviewer):
    context = {"page": {"rows": rows}, "is_reviewer": reviewer}
    expected = normalized(REFERENCE.render(Context(context)))
    written = normalized(claim_list_rows(Context(context), rows))
    assert written == expected
    assert written.count("<li>") == len(rows) == 300
    assert "&lt;b&gt;&quot;Growth&quot; &amp; &#x27;more&#x27;&lt;/b&gt;" in written
    assert ("awaiting approval" in written) is reviewer


def test_the_list_page_shows_the_rows(client, rows):
    response = client.get("/claims/")
    assert response.status_code == 200
    assert response.text.count('<p class="claim-text">') == len(
        response.context["page"].rows
    )
