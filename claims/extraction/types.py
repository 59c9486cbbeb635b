"""The data types and enums extraction produces.

They live here, not in ``claims.models`` or ``claims.workflow``, so that
extraction stays pure Python over text: it imports neither the models nor
the workflow, and runs without a database (in worker processes, in the
evaluation script). The models take their choices from these enums.
``TextChoices`` is a plain ``enum`` with labels; importing it touches no
database.
"""

from __future__ import annotations

import datetime
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


def day_number(day: datetime.date) -> Decimal:
    """A day as a date amount stores it: the number YYYYMMDD, so that ranges
    of days compare as numbers."""
    return Decimal(day.year * 10000 + day.month * 100 + day.day)


def number_day(value: Decimal | int | None) -> datetime.date | None:
    """The day a date amount's number (YYYYMMDD) stands for, or None when
    it is none (no value, a fraction, no such day)."""
    if value is None or value != int(value):
        return None
    number = int(value)
    if not 10000101 <= number <= 99991231:  # no year from 1000 to 9999
        return None
    try:
        return datetime.date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def shown_amount(value: Decimal | None, kind: str = "") -> str:
    """An amount as the desk reads it: a date amount's day as YYYY-MM-DD,
    any other number without the stored scale's zeros, with thousands
    separators (5000000000.000000: 5,000,000,000); "…" for none."""
    if value is None:
        return "…"
    if kind == QuantityKind.DATE:
        day = number_day(value)
        if day is not None:
            return day.isoformat()
    return f"{value.normalize():,f}"


@dataclass(frozen=True)
class QuantityData:
    """A parsed quantity: what extraction finds and the workflow stores."""

    kind: str
    text: str
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    approx: bool = False
