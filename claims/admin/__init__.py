"""The editorial desk: the claim admin.

Status, verdicts and approvals are never form fields. They change through
admin actions (on the list and as buttons on the claim page, ``steps.py``)
that call ``claims.workflow``; the workflow enforces the roles and rules, the
admin only hides what would be refused and shows refusals as messages. Field
edits, evidence and notes go through the workflow too (``claim.py``:
``save_model`` and ``save_formset``).

- ``claim.py``: ClaimAdmin, its list, form and writes
- ``steps.py``: the workflow steps as list actions and claim-page buttons
- ``forms.py``: the claim form (stale-edit check), inline and step forms
- ``inlines.py``: quantities, evidence, notes, status history
- ``filters.py``: list filters
- ``episodes.py``: the episode admin, with its claims listed
"""

from claims.admin.claim import ClaimAdmin
from claims.admin.episodes import EpisodeWithClaimsAdmin

__all__ = ["ClaimAdmin", "EpisodeWithClaimsAdmin"]
