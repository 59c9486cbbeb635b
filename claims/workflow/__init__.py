"""Every write to a claim, in one place: the one door.

The admin, the pages, the importer and the API call these functions and
nothing else to write claims, their amounts, evidence, notes, assignment and
approval. Each function:

- takes keyword arguments and the acting user;
- locks the claim row (``SELECT … FOR UPDATE``) so concurrent editors queue
  up instead of overwriting each other, and refuses a stale version;
- asks ``rules`` whether the user may take the step, the same predicate that
  ``rules.available_steps`` asks when a page decides what to offer, and
  raises ``ValidationError`` with a ``code`` otherwise;
- writes one event to the log (``audit``) in the same transaction, with who,
  what changed (old → new) and why.

Modules: ``rules.py`` (who may do what: the predicates and
``available_steps``), ``review.py`` (status steps), ``edits.py`` (creating
and changing claims), ``sources.py`` (evidence and notes). README has the
table of rules.
"""

from claims.workflow.edits import (
    ClaimDraft,
    MentionLike,
    claim_assign,
    claim_create,
    claim_follow_source,
    claim_update,
    claims_create,
    quantities_save,
)
from claims.workflow.review import (
    claim_approve,
    claim_reopen,
    claim_set_verdict,
    claim_start_research,
)
from claims.workflow.rules import (
    EDITABLE_FIELDS,
    RATED_FIELDS,
    Offer,
    Step,
    available_steps,
    can,
    editable_fields,
    refusal,
    verdict_choices,
)
from claims.workflow.sources import (
    EvidenceDraft,
    evidence_add,
    evidence_add_many,
    evidence_remove,
    note_add,
)

__all__ = [
    "EDITABLE_FIELDS",
    "RATED_FIELDS",
    "ClaimDraft",
    "EvidenceDraft",
    "MentionLike",
    "Offer",
    "Step",
    "available_steps",
    "can",
    "claim_approve",
    "claim_assign",
    "claim_create",
    "claim_follow_source",
    "claim_reopen",
    "claim_set_verdict",
    "claim_start_research",
    "claim_update",
    "claims_create",
    "editable_fields",
    "evidence_add",
    "evidence_add_many",
    "evidence_remove",
    "note_add",
    "quantities_save",
    "refusal",
    "verdict_choices",
]
