"""The import pipeline: a source file → a saved episode with its show, people
and claims.

- ``plan.py``: read, decode, parse and extract, without the database; a dry
  run is this step alone.
- ``save.py``: write one plan in one transaction, through the workflow
  (``claims.workflow``, ``people.resolver``); a corrected version of an
  imported episode updates it in place.
- ``batch.py``: many files, planned in worker processes if asked, saved in
  order, reported line by line; also the demo seeds.

The management commands and the admin's upload are thin callers of these.
"""

from claims.ingest.plan import (
    DEFAULT_MIN_SCORE,
    ImportPlan,
    ImportRefused,
    check_size,
    checksum,
    plan_import,
)
from claims.ingest.save import (
    ImportResult,
    Outcome,
    Rehearsal,
    import_episode,
    import_plan,
    rehearse_correction,
    save_plan,
)

__all__ = [
    "DEFAULT_MIN_SCORE",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Outcome",
    "check_size",
    "checksum",
    "import_episode",
    "import_plan",
    "plan_import",
    "save_plan",
    "Rehearsal",
    "rehearse_correction",
]
