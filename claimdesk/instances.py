"""Model instances from rows already read, without ``Model.__init__``.

Django builds every instance a query returns through ``Model.from_db``,
which calls ``Model.__init__``: a walk of every concrete field of the
model, loaded or deferred, with ``setattr`` per value, and the
``pre_init`` and ``post_init`` signals. For the admin claim list's 50 rows
of 11 columns (the claim has 30 fields) that was 1.7 ms above the query's
SQL and fetch on the slow two-core VM of docs/performance.md, as much again
as the query itself; the public list and the API make four instances a row.

``build`` makes the instance ``from_db`` makes (the loaded fields in its
``__dict__``, the others deferred, ``_state`` not adding, of ``db``)
directly, for a model whose instances are plain: no ``pre_init`` or
``post_init`` receiver, no ``__init__`` of its own, and every concrete
field behind Django's plain descriptors (which store the value as given).
Any other model, or one with a receiver connected later, gets Django's
``from_db``. ``QuickLoading`` puts it under the ORM (``from_db`` is
Django's documented hook for this); ``from_rows`` under a raw query's rows.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from functools import cache

from django.db import connections
from django.db.models import DEFERRED, Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@cache
def _plain_class(model: type[Model]) -> bool:
    """What does not change while the process runs: no ``__init__`` or
    ``from_db`` but Django's and this module's, plain field descriptors."""
    from_db = inspect.getattr_static(model, "from_db").__func__
    return (
        model.__init__ is Model.__init__
        and from_db in (Model.from_db.__func__, QuickLoading.from_db.__func__)
        and all(
            type(inspect.getattr_static(model, field.attname)) in _PLAIN_DESCRIPTORS
            for field in model._meta.concrete_fields
        )
    )


def is_plain(model: type[Model]) -> bool:
    """Whether ``build`` may stand for ``from_db`` for ``model`` now."""
    return (
        _plain_class(model)
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


@cache
def _all_attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@cache
def _attnames(model: type[Model], field_names: tuple[str, ...]) -> tuple[str, ...]:
    # from_db places values by the model's field order, whatever the order
    # of field_names: the loaded fields, in that order.
    loaded = set(field_names)
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.attname in loaded
    )


def build(model: type[Model], db: str, attnames: Sequence[str], values: Sequence):
    """The instance ``model.from_db`` makes of ``values`` for ``attnames``
    (in the model's field order), for a plain model (``is_plain``)."""
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = db
    fields = instance.__dict__
    fields["_state"] = state
    fields.update(zip(attnames, values, strict=True))
    return instance


class QuickLoading:
    """A model mixin: the ORM's instances built by ``build`` when the model
    is plain, by Django's ``from_db`` otherwise."""

    @classmethod
    def from_db(cls, db, field_names, values):
        if not is_plain(cls):
            return super().from_db(db, field_names, values)
        attnames = _all_attnames(cls)
        if len(values) == len(attnames):
            # Django's from_db: every field, in the model's order; a
            # DEFERRED value leaves its field deferred.
            if DEFERRED in values:
                pairs = [
                    (name, value)
                    for name, value in zip(attnames, values, strict=True)
                    if value is not DEFERRED
                ]
                return build(cls, db, [n for n, _ in pairs], [v for _, v in pairs])
        else:
            attnames = _attnames(cls, tuple(field_names))
        return build(cls, db, attnames, values)


def from_rows(
    model: type[Model], db: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> list[Model]:
    """An instance of ``model`` per row of ``columns`` (a query's result),
    as a raw query makes them: the columns that are the model's fields (by
    attname) loaded, through the fields' converters; the others set as
    attributes. The primary key must be among them."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    if model._meta.pk.attname not in columns:
        raise ValueError(f"The rows have no {model._meta.pk.attname} column.")
    # In the model's field order, which from_db's values follow.
    order = {name: n for n, name in enumerate(fields)}
    loaded = sorted(
        ((at, name) for at, name in enumerate(columns) if name in fields),
        key=lambda column: order[column[1]],
    )
    extra = [(at, name) for at, name in enumerate(columns) if name not in fields]
    connection = connections[db]
    table = model._meta.db_table
    converters = [
        (at, fields[name], converters)
        for at, name in loaded
        if (
            converters := fields[name].get_db_converters(connection)
            + connection.ops.get_db_converters(fields[name].get_col(table))
        )
    ]
    names = [name for _, name in loaded]
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for at, field, functions in converters:
                for convert in functions:
                    row[at] = convert(row[at], field.get_col(table), connection)
        # The model's own from_db: QuickLoading's for the desk's models.
        instance = model.from_db(db, names, [row[at] for at, _ in loaded])
        for at, name in extra:
            setattr(instance, name, row[at])
        instances.append(instance)
    return instances
