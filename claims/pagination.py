"""Keyset ("cursor") pagination: every page costs the same, however deep.

OFFSET pagination makes the database read and throw away every row before
the page, and a page count needs a COUNT over the whole filtered table. Here
a page is "the next N rows after this sort key": the link to the next page
carries the last row's sort key, and the query asks for rows that sort after
it (``WHERE key < last OR (key = last AND id > last_id) … LIMIT N+1``). The
extra row only says whether there is a next page.

The queryset must be ordered by plain names (fields or annotations, ``-`` for
descending) ending on the primary key, so that no two rows share a key. The
cursor is signed (``django.core.signing``): a changed or truncated one is
refused as a whole (``InvalidCursor``) instead of reaching the database, and
it names the order it was made for, so it cannot be replayed under another.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, Q, QuerySet

SALT = "claimdesk.keyset-cursor"
UNIQUE_KEYS = frozenset({"id", "pk"})


class InvalidCursor(Exception):
    """The cursor was not made by this paginator for this order."""


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    is_first: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _encode(value: Any) -> Any:
    # JSON has no dates; tag them so they come back as the same type.
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, bool) or value is None:
        raise TypeError(f"cannot page on a {value!r} sort key; coalesce it")
    if isinstance(value, int | float | str):
        return value
    raise TypeError(f"cannot page on a sort key of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        parse = {
            "dt": datetime.datetime.fromisoformat,
            "d": datetime.date.fromisoformat,
            "n": Decimal,
        }.get(tag)
        if parse is not None and isinstance(text, str):
            return parse(text)
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return value
    raise InvalidCursor("unexpected value in cursor")


class KeysetPaginator:
    def __init__(self, queryset: QuerySet, *, per_page: int) -> None:
        ordering = list(queryset.query.order_by)
        if not ordering or not all(isinstance(key, str) for key in ordering):
            raise ValueError("order the queryset by field or annotation names")
        if ordering[-1].lstrip("-") not in UNIQUE_KEYS:
            raise ValueError("the last sort key must be the primary key")
        self.queryset = queryset
        self.per_page = per_page
        self.ordering = ordering
        self.keys = [(key.lstrip("-"), key.startswith("-")) for key in ordering]

    def cursor_for(self, row: Model) -> str:
        values = [_encode(getattr(row, name)) for name, _ in self.keys]
        return signing.dumps({"o": self.ordering, "v": values}, salt=SALT)

    def _position(self, cursor: str) -> list[Any]:
        try:
            payload = signing.loads(cursor, salt=SALT)
        except (signing.BadSignature, ValueError, UnicodeError) as error:
            raise InvalidCursor("cursor is damaged") from error
        if not isinstance(payload, dict) or payload.get("o") != self.ordering:
            raise InvalidCursor("cursor belongs to another sort order")
        values = payload.get("v")
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise InvalidCursor("cursor has the wrong number of keys")
        try:
            decoded = [_decode(value) for value in values]
            # Signed by this site, but perhaps with a key of the wrong type:
            # each value must be what its sort key's column holds.
            return [
                self._typed(name, value)
                for (name, _), value in zip(self.keys, decoded, strict=True)
            ]
        except (TypeError, ValueError, ArithmeticError, ValidationError) as error:
            raise InvalidCursor("cursor has a malformed key") from error

    def _typed(self, name: str, value: Any) -> Any:
        """``value`` as the column or annotation ``name`` holds it."""
        annotation = self.queryset.query.annotations.get(name)
        field = (
            annotation.output_field
            if annotation is not None
            else self.queryset.model._meta.get_field(name)
        )
        if field.is_relation:
            field = field.target_field
        if isinstance(field, models.IntegerField | models.AutoField):
            if not isinstance(value, int) or not -(2**63) <= value < 2**63:
                raise ValueError(f"{name}: not an integer in range")
            return value
        if isinstance(field, models.FloatField):
            if not isinstance(value, int | float):
                raise ValueError(f"{name}: not a number")
            return float(value)
        if isinstance(field, models.DateTimeField):
            if not isinstance(value, datetime.datetime):
                raise ValueError(f"{name}: not a date and time")
            return value
        if isinstance(field, models.DateField):
            if type(value) is not datetime.date:
                raise ValueError(f"{name}: not a date")
            return value
        if isinstance(field, models.DecimalField):
            if not isinstance(value, Decimal) or not value.is_finite():
                raise ValueError(f"{name}: not a finite decimal")
            return value
        if isinstance(field, models.CharField | models.TextField):
            if not isinstance(value, str) or "\x00" in value:
                raise ValueError(f"{name}: not text")
            return value
        raise ValueError(f"{name}: a sort key of an unknown type")

    def _after(self, values: list[Any]) -> Q:
        """Rows that sort after ``values``: for keys k1..kn, the OR over i of
        (k1 = v1 AND … AND k(i-1) = v(i-1) AND ki beyond vi).

        ANDed with the bound every such row meets, "k1 at or beyond v1": the
        OR alone gives the planner no range to start the index walk from,
        so a page deep in the list read every row before it.
        """
        condition = Q()
        equal_so_far = Q()
        for (name, descending), value in zip(self.keys, values, strict=True):
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            condition |= equal_so_far & beyond
            equal_so_far &= Q(**{name: value})
        (first, descending), first_value = self.keys[0], values[0]
        bound = Q(**{f"{first}__{'lte' if descending else 'gte'}": first_value})
        return bound & condition

    def page(self, cursor: str | None = None) -> Page:
        """The page after ``cursor`` (the first page without one).

        Raises ``InvalidCursor`` for a cursor this paginator did not make.
        """
        queryset = self.queryset
        if cursor:
            queryset = queryset.filter(self._after(self._position(cursor)))
        # One row more than a page: its presence is the "there is a next page".
        rows = list(queryset[: self.per_page + 1])
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        return Page(
            rows=rows,
            next_cursor=self.cursor_for(rows[-1]) if has_next else None,
            is_first=not cursor,
        )
