"""Many rows written by the driver's ``executemany``, through a statement compiled once per
database: a sale's 40 lines, its stock moves and their levels' upsert, its journal record.

SQLAlchemy's own ``executemany`` builds and converts each row's parameters through the compiled
statement (``construct_params``, every column's processor): for a 40-line sale that was more
than the insert itself. Here the statement (by default ``INSERT INTO table (names…)``; any
other one, e.g. an ``INSERT … ON CONFLICT`` or an ``UPDATE``, from ``build``) is compiled once
per dialect, each value goes through its column type's own ``bind_processor`` for that dialect
(so the stored values are the ones SQLAlchemy would have written; columns without one are
passed as they are) and the driver gets plain tuples (or dicts, for a driver with named
parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    """The parameters in the statement's order."""
    positional: bool
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]
    """(position, the column type's bind processor) of the columns that have one."""
    order: tuple[int, ...] | None
    """Where each of the statement's parameters sits in a row given in the writer's order
    (None: the same order)."""


class RowWriter:
    """``INSERT INTO table (names…)`` for one table and one set of column names (by default
    all the table's columns), or the statement ``build`` makes for a dialect, whose bound
    parameters are ``names`` (e.g. an ``UPDATE`` with ``bindparam("seq")``)."""

    def __init__(
        self,
        table: Table,
        names: Sequence[str] | None = None,
        *,
        build: Callable[[Dialect], ClauseElement] | None = None,
    ) -> None:
        self._table = table
        self._names = tuple(names) if names is not None else tuple(table.c.keys())
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in the order ``write_tuples`` expects them."""
        return self._names

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self._build(dialect) if self._build is not None else insert(self._table)
        compiled = statement.compile(dialect=dialect, column_keys=list(self._names))
        assert isinstance(compiled, SQLCompiler)
        names = tuple(compiled.positiontup or ()) if compiled.positional else self._names
        if sorted(names) != sorted(self._names):
            raise ValueError(f"the statement's parameters {names} are not {self._names}")
        converters = []
        for position, name in enumerate(names):
            impl = compiled.binds[name].type.dialect_impl(dialect)
            processor = impl.bind_processor(dialect)
            if processor is not None:
                converters.append((position, processor))
        order = tuple(self._names.index(name) for name in names)
        same = order == tuple(range(len(names)))
        return _Compiled(
            str(compiled), names, compiled.positional, tuple(converters), None if same else order
        )

    def _compiled_for(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(dialect)
        return compiled

    def write(
        self, connection: Connection, rows: Sequence[Mapping[str, Any]]
    ) -> CursorResult[Any] | None:
        """Run the statement for ``rows`` (each with at least the writer's column names) in one
        executemany (its result, e.g. a ``RETURNING``; None when there is no row)."""
        if not rows:
            return None
        names = self._compiled_for(connection.dialect).names
        get: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        )
        return self._run(connection, [get(row) for row in rows], ordered=True)

    def write_tuples(
        self, connection: Connection, rows: Sequence[Sequence[Any]]
    ) -> CursorResult[Any] | None:
        """``write`` for rows given as tuples of values in the order of ``names``."""
        return self._run(connection, rows, ordered=False) if rows else None

    def _run(
        self, connection: Connection, rows: Sequence[Any], *, ordered: bool
    ) -> CursorResult[Any]:
        compiled = self._compiled_for(connection.dialect)
        values: list[Any] = list(rows)
        if not ordered and compiled.order is not None:
            values = [tuple(row[index] for index in compiled.order) for row in values]
        if compiled.converters:
            # a value repeated down the rows (a sale's time, its id) is converted once
            previous: dict[int, tuple[Any, Any]] = {}
            for index, row_values in enumerate(values):
                converted = list(row_values)
                for position, processor in compiled.converters:
                    value = converted[position]
                    seen = previous.get(position)
                    if seen is not None and seen[0] is value:
                        converted[position] = seen[1]
                    else:
                        converted[position] = result = processor(value)
                        previous[position] = (value, result)
                values[index] = tuple(converted)
        params: Any = values
        if not compiled.positional:
            params = [dict(zip(compiled.names, row, strict=True)) for row in values]
        # one row: the driver's execute (its executemany costs more for a single row)
        return connection.exec_driver_sql(compiled.sql, params[0] if len(params) == 1 else params)
