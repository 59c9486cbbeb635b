"""The data types and enums extraction produces.

They live here, not in ``claims.models`` or ``claims.workflow``, so that
extraction stays pure Python over text: it imports neither the models nor
the workflow, and runs without a database (in worker processes, in the
evaluation script). The models take their choices from these enums.
``TextChoices`` is a plain ``enum`` with labels; importing it touches no
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models.enums import TextChoices


class ClaimType(TextChoices):
    STATISTIC = "statistic", "Statistic"
    FINANCIAL = "financial", "Financial"
    FORECAST = "forecast", "Forecast"
    ATTRIBUTION = "attribution", "Attribution"
    CAUSAL = "causal", "Causal"
    OTHER = "other", "Other"


class QuantityKind(TextChoices):
    MONEY = "money", "Money"
    PERCENT = "percent", "Percent"
    MULTIPLIER = "multiplier", "Multiplier"
    COUNT = "count", "Count"
    POWER = "power", "Power"
    DURATION = "duration", "Duration"
    DATE = "date", "Date"
    OTHER = "other", "Other"


@dataclass(frozen=True)
class QuantityData:
    """A parsed quantity: what extraction finds and the workflow stores."""

    kind: str
    text: str
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    approx: bool = False
