"""The public claim list's rows, written in Python: ``{% claim_list_rows %}``.

The list's 25 rows were about 40 % of the page's time (cProfile of
``/claims/`` at a million claims): per row some fifteen variable lookups,
three ``reverse`` calls, date and plural filters, the amounts' loop. This
tag writes the same markup (``tests/claims/test_claim_rows.py`` compares it
with the template loop it replaced, kept there as the reference), with what
is the same for every row worked out once: the claim's address pattern,
and each person's and episode's address once per page.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import mark_safe

from claimdesk.reversing import id_url_pattern

register = template.Library()


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


@register.simple_tag(takes_context=True)
def claim_list_rows(context, rows) -> str:
    """Each of ``rows`` (claims read by ``ClaimQuerySet.for_list``) as the
    list's ``<li>``; ``is_reviewer`` from the page's context."""
    reviewer = context.get("is_reviewer")
    claim_url = id_url_pattern(reverse, "claims:claim_detail")
    addresses: dict[tuple[type, int], str] = {}

    def address(obj) -> str:
        key = (type(obj), obj.pk)
        url = addresses.get(key)
        if url is None:
            url = addresses[key] = escape(obj.get_absolute_url())
        return url

    out = []
    for claim in rows:
        meta = [
            f'<span class="badge badge-{escape(claim.status)}">'
            f"{escape(claim.get_status_display())}</span>"
        ]
        if claim.is_demo_review:
            meta.append('<span class="badge badge-demo">demo review</span>')
        if reviewer and claim.is_verdict and not claim.is_approved:
            meta.append('<span class="badge badge-proposed">awaiting approval</span>')
        speaker = claim.speaker
        if speaker:
            meta.append(
                f'· said by <a href="{address(speaker)}">{escape(speaker.name)}</a>'
            )
        claimant = claim.claimant
        if claimant and claim.claimant_id != claim.speaker_id:
            meta.append(
                f'· claim first made by <a href="{address(claimant)}">'
                f"{escape(claimant.name)}</a>"
            )
        episode = claim.episode
        published = episode.published_on
        when = (
            f', <time datetime="{format_date(published, "Y-m-d")}">'
            f"{format_date(published, 'j M Y')}</time>"
            if published
            else ""
        )
        meta.append(
            f'· <a href="{address(episode)}">{escape(episode.title)}</a> '
            f"({escape(episode.show.name)}{when})"
        )
        figures = ""
        quantities = claim.listed_quantities
        if quantities:
            figures = " · Figures: " + "; ".join(
                f'{escape(quantity.text)} <span class="muted">'
                f"({escape(quantity.get_kind_display().lower())})</span>"
                for quantity in quantities
            )
        count = claim.evidence_count
        out.append(
            "<li>"
            f'<p class="claim-text"><a href="{claim_url.format(claim.pk)}">'
            f"{escape(claim.headline)}</a></p>"
            f'<p class="claim-meta">{" ".join(meta)}</p>'
            f'<p class="claim-meta">{count} evidence link{_plural(count)}'
            f"{figures}</p>"
            "</li>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
