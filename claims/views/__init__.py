"""Reader and reviewer pages (server-rendered, readable without JavaScript).

- ``lists.py``: the dashboard and the claim list (FilterSet, search, keyset pages)
- ``claim.py``: a claim with its review forms
- ``episodes.py``: episodes (highlighted source) and people
- ``exports.py``: the claim list's CSV and JSON downloads

Reads go through ``ClaimQuerySet`` methods (``visible_to`` decides what a
visitor may see); writes only through ``claims.workflow``.
"""

from claims.views.claim import claim_detail
from claims.views.episodes import (
    episode_detail,
    episode_list,
    person_detail,
    person_list,
)
from claims.views.exports import claim_export
from claims.views.lists import claim_list, dashboard
from claims.views.publishing import claimreview_feed, corrections_log

__all__ = [
    "claim_detail",
    "claim_export",
    "claim_list",
    "claimreview_feed",
    "corrections_log",
    "dashboard",
    "episode_detail",
    "episode_list",
    "person_detail",
    "person_list",
]
