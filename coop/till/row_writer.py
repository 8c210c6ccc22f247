"""A sale's many rows (its 40 lines) written by the driver's ``executemany``, through an
``INSERT`` compiled once per database.

SQLAlchemy's own ``executemany`` builds and converts each row's parameters through the compiled
statement (``construct_params``, every column's processor): for a 40-line sale that was more
than the insert itself. Here the insert is compiled once per dialect, each value goes through
its column type's own ``bind_processor`` for that dialect (so the stored values are the ones
SQLAlchemy would have written; columns without one are passed as they are) and the driver gets
plain tuples (or dicts, for a driver with named parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    """The parameters in the statement's order."""
    positional: bool
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]
    """(position, the column type's bind processor) of the columns that have one."""


class RowWriter:
    """``INSERT INTO table (names…)`` for one table and one set of column names (by default
    all the table's columns)."""

    def __init__(self, table: Table, names: Sequence[str] | None = None) -> None:
        self._table = table
        self._names = tuple(names) if names is not None else tuple(table.c.keys())
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = insert(self._table).compile(dialect=dialect, column_keys=list(self._names))
        assert isinstance(compiled, SQLCompiler)
        names = tuple(compiled.positiontup or ()) if compiled.positional else self._names
        if sorted(names) != sorted(self._names):
            raise ValueError(f"the insert's parameters {names} are not {self._names}")
        converters = []
        for position, name in enumerate(names):
            impl = self._table.c[name].type.dialect_impl(dialect)
            processor = impl.bind_processor(dialect)
            if processor is not None:
                converters.append((position, processor))
        return _Compiled(str(compiled), names, compiled.positional, tuple(converters))

    def write(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (each with at least the writer's column names) in one executemany."""
        if not rows:
            return
        dialect = connection.dialect
        key = (dialect.name, dialect.driver)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(dialect)
        names = compiled.names
        get: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        )
        values: list[Any] = [get(row) for row in rows]
        if compiled.converters:
            for index, row_values in enumerate(values):
                converted = list(row_values)
                for position, processor in compiled.converters:
                    converted[position] = processor(converted[position])
                values[index] = tuple(converted)
        params: Any = values
        if not compiled.positional:
            params = [dict(zip(compiled.names, row, strict=True)) for row in values]
        connection.exec_driver_sql(compiled.sql, params)
