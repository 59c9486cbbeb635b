"""Model instances from rows already read, without ``Model.__init__``.

A raw query (``Model.objects.raw``) builds each row's instance through
``Model.from_db``: ``__init__`` walks every concrete field of the model,
loaded or deferred, and sends ``pre_init`` and ``post_init``. For the admin
claim list's 50 rows of 11 columns (the claim has 30 fields) that was 1.7
ms above its SQL and fetch on the slow two-core VM of docs/performance.md,
as much again as the query. ``from_rows`` builds the same instances as
``from_db`` does (the loaded fields in the instance's ``__dict__``, the
others deferred, ``_state`` not adding, of ``db``) and sets every other
column as an attribute, as a raw query sets its annotations; it applies the
same converters. A model whose instances are not plain (a ``pre_init`` or
``post_init`` receiver, its own ``from_db``) gets Django's ``from_db``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState


def _plain(model: type[Model]) -> bool:
    return (
        model.from_db.__func__ is Model.from_db.__func__
        and model.__init__ is Model.__init__
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


def from_rows(
    model: type[Model], db: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> list[Model]:
    """An instance of ``model`` per row of ``columns`` (a query's result):
    the columns that are the model's fields (by attname) loaded, the others
    set as attributes. The primary key must be among them."""
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
    plain = _plain(model)
    names = [name for _, name in loaded]
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for at, field, functions in converters:
                for convert in functions:
                    row[at] = convert(row[at], field.get_col(table), connection)
        if plain:
            instance = model.__new__(model)
            state = ModelState()
            state.adding = False
            state.db = db
            values = instance.__dict__
            values["_state"] = state
            for at, name in loaded:
                values[name] = row[at]
        else:
            instance = model.from_db(db, names, [row[at] for at, _ in loaded])
        for at, name in extra:
            setattr(instance, name, row[at])
        instances.append(instance)
    return instances
