"""Hand-written SQL that still speaks the ORM's language, for the statements on a hot
path (every API booking runs each of them once).

Compiling a query is most of what the ORM costs on a short statement: on the 2-core
benchmark machine an ORM look-up with one join took 0.5–0.6 ms of CPU and the same
statement written out 0.08 ms (ADR 0011). These helpers keep everything else the ORM
would do: table and column names come from the model, values are
prepared and converted by the fields and the backend (JSON, UUID, dates on SQLite…),
instances are built with :meth:`Model.from_db` and saved with the model's signals.
The database constraints, not this code, carry the guarantees, so a statement written
here cannot bypass them.

- :func:`model_columns` — the select list for a model (or some of its fields) under a
  table alias, and a loader that turns the fetched values into an instance.
- :func:`insert_returning_pk` — ``INSERT … RETURNING id`` for one new instance.
- :func:`storable_id` — whether an id from a request fits a database's 64-bit key.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def storable_id(value: int) -> bool:
    """Whether ``value`` fits a signed 64-bit key column. An id beyond that names no row
    any database could hold, and SQLite cannot even bind it: callers answer "not found"
    at once instead of asking."""
    return ID_MIN <= value <= ID_MAX


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class ModelColumns:
    """A model's columns under a table alias: ``sql`` for the select list and
    :meth:`load` for one row's values, in the same order."""

    model: type[Model]
    sql: str
    width: int
    attnames: tuple[str, ...]
    _converters: tuple[tuple[tuple[Converter, ...], Any], ...]

    def load(self, values: Sequence[Any]) -> Any:
        """An instance from the ``width`` values selected by ``sql``, as the ORM would
        build it (converters applied; fields not selected are deferred)."""
        return self.model.from_db(connection.alias, list(self.attnames), self.convert(values))

    def convert(self, values: Sequence[Any]) -> list[Any]:
        """The ``width`` values selected by ``sql`` as the ORM's ``values_list()``
        would give them (the backend's and the fields' converters applied)."""
        converted = []
        for value, (converters, column) in zip(values, self._converters, strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            converted.append(value)
        return converted


# Converters are bound to a connection (each thread has its own), so they are cached
# per connection object and dropped with it.
_COLUMNS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], ModelColumns]] = (
    weakref.WeakKeyDictionary()
)


def model_columns(
    model: type[Model], alias: str, fields: Sequence[str] | None = None, *, pk: bool = True
) -> ModelColumns:
    """The columns of ``model`` (all concrete fields, or the ``fields`` named, the
    primary key first unless ``pk=False``) as ``alias."column"`` for a hand-written
    SELECT. Without the key, only :meth:`ModelColumns.convert` makes sense (a GROUP BY,
    say): the values come in the model's field order."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    cache = _COLUMNS.setdefault(wrapper, {})
    key = (model, alias, tuple(fields) if fields is not None else None, pk)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _build_columns(wrapper, model, alias, fields, pk)
    return found


def _build_columns(
    wrapper: Any, model: type[Model], alias: str, fields: Sequence[str] | None, pk: bool
) -> ModelColumns:
    meta = model._meta
    chosen: list[Field[Any, Any]] = list(meta.concrete_fields)
    if fields is not None:
        wanted = {_field(model, name).attname for name in fields}
        chosen = [f for f in chosen if (f.primary_key and pk) or f.attname in wanted]
    elif not pk:
        chosen = [f for f in chosen if not f.primary_key]
    quote = wrapper.ops.quote_name
    converters = []
    for field in chosen:
        column = field.get_col(alias)
        found = wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)
        converters.append((tuple(found), column))
    return ModelColumns(
        model=model,
        sql=", ".join(f"{alias}.{quote(column_of(field))}" for field in chosen),
        width=len(chosen),
        attnames=tuple(field.attname for field in chosen),
        _converters=tuple(converters),
    )


def sql_literal(value: str) -> str:
    """A constant (a status, say: plain lowercase words) written into a statement
    instead of passed as a parameter, so that PostgreSQL can match a partial index
    (``WHERE status <> 'cancelled'``) in the plan it prepares once. Anything but a
    plain word is refused."""
    if not value.isascii() or not value.replace("_", "").isalnum():
        raise ValueError(f"not a plain word: {value!r}")
    return f"'{value}'"


def column_of(field: Any) -> str:
    """The database column of a concrete field."""
    if not field.column:
        raise TypeError(f"{field!r} has no column")
    return str(field.column)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model._meta.label}.{name} is not a column")
    return field


_INSERTS: dict[tuple[type[Model], str], tuple[str, tuple[Field[Any, Any], ...]]] = {}


def insert_returning_pk(obj: M) -> M:
    """Save a new ``obj`` with one ``INSERT … RETURNING``, like ``obj.save()`` for a
    new instance: fields' ``pre_save`` (``auto_now_add``…), ``pre_save``/``post_save``
    signals, the primary key and ``_state`` set. Only for models with an automatic
    primary key, no parent model and nothing else the database fills in."""
    model = type(obj)
    vendor = connection.vendor
    found = _INSERTS.get((model, vendor))
    if found is None:
        found = _INSERTS[(model, vendor)] = _insert_sql(model)
    sql, fields = found
    using = connection.alias
    if pre_save.has_listeners(model):
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    if post_save.has_listeners(model):
        post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )
    return obj


def _insert_sql(model: type[Model]) -> tuple[str, tuple[Field[Any, Any], ...]]:
    meta = model._meta
    auto = meta.auto_field
    if auto is None or meta.parents:
        raise TypeError(f"{meta.label}: only models with an automatic primary key and no parent")
    fields = tuple(f for f in meta.local_concrete_fields if f is not auto)
    if any(getattr(f, "generated", False) or f.db_returning for f in fields):
        raise TypeError(f"{meta.label}: a field is filled in by the database")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column_of(f)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) "  # noqa: S608 - names from the model
        f"RETURNING {quote(column_of(auto))}"
    )
    return sql, fields
