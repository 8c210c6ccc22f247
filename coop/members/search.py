"""Name search: accent-insensitive fuzzy matching over an in-memory index of folded names.

The index is rebuilt only when the members table changed (a cheap signature query), so a
search at the counter costs one small query plus a rapidfuzz pass, not a table scan per key.
A command-line process starts without it: the index is also kept in a file of the cache folder
(one per database, with the signature it was built for), read instead of the table when the
signature still matches, and removed by ``invalidate``.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from coop.db import driver_rows
from coop.members.models import Member
from coop.text import fold


@dataclass(frozen=True)
class NameHit:
    member_id: int
    number: int
    name: str
    score: float


class NameIndex:
    """Folded names of all members, searchable with rapidfuzz (pure: built from plain rows)."""

    def __init__(self, rows: Sequence[tuple[int, int, str]]) -> None:
        self.ids = [row[0] for row in rows]
        self.numbers = [row[1] for row in rows]
        self.names = [row[2] for row in rows]

    def search(self, query: str, limit: int = 10, cutoff: float = 60) -> list[NameHit]:
        """Best matches first; at equal scores, names that start like the query, then by number."""
        from rapidfuzz import fuzz, process  # loaded by a search, not by every member command

        folded = fold(query)
        if not folded:
            return []
        found = process.extract(
            folded,
            self.names,
            scorer=fuzz.WRatio,
            processor=None,
            limit=max(limit * 3, 30),
            score_cutoff=cutoff,
        )
        ranked = sorted(
            found,
            key=lambda hit: (
                -round(hit[1], 6),
                not self.names[hit[2]].startswith(folded),
                self.numbers[hit[2]],
            ),
        )
        return [
            NameHit(self.ids[i], self.numbers[i], self.names[i], score)
            for _name, score, i in ranked[:limit]
        ]


_cache: weakref.WeakKeyDictionary[Engine, tuple[tuple[Any, ...], NameIndex]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _signature(session: Session) -> tuple[Any, ...]:
    """What changes when a member is added, renamed or erased, from any till.

    Every service that changes a name stamps ``updated_at`` (indexed), so the newest stamp and
    the count tell whether the index is stale without reading the names themselves.
    """
    # three scalar subqueries, not one aggregate: SQLite answers each from an index (or the
    # table's count) in microseconds, where the combined aggregate scans every row (2 ms at 20k)
    count = select(func.count()).select_from(Member).scalar_subquery()
    newest = select(func.max(Member.updated_at)).scalar_subquery()
    highest = select(func.max(Member.id)).scalar_subquery()
    row = session.execute(select(count, newest, highest)).one()
    return tuple(row)


def name_index(session: Session) -> NameIndex:
    """The index for this database, rebuilt when members were added, renamed or erased."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    signature = _signature(session)
    with _lock:
        cached = _cache.get(engine)
        if cached and cached[0] == signature:
            return cached[1]
    stored = _read_file(engine, signature)
    if stored is not None:
        with _lock:
            _cache[engine] = (signature, stored)
        return stored
    # plain driver tuples: building 20,000 SQLAlchemy rows cost more than the query
    rows = list(
        driver_rows(
            session,
            select(Member.id, Member.number, Member.search_name)
            .where(Member.erased_at.is_(None))
            .order_by(Member.number),
        )
    )
    index = NameIndex(rows)
    with _lock:
        _cache[engine] = (signature, index)
    _write_file(engine, signature, index)
    return index


def _file(engine: Engine) -> Path:
    from coop.paths import cache_dir

    url = engine.url.render_as_string(hide_password=True)
    return cache_dir() / f"names-{hashlib.sha256(url.encode()).hexdigest()[:16]}.marshal"


def _read_file(engine: Engine, signature: tuple[Any, ...]) -> NameIndex | None:
    """The stored index if it was built for this signature (anything else: None, rebuild)."""
    try:
        stored = marshal.loads(_file(engine).read_bytes())
        if stored[0] != _FORMAT or stored[1] != repr(signature):
            return None
        index = NameIndex([])
        index.ids, index.numbers, index.names = stored[2], stored[3], stored[4]
        return index
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None


def _write_file(engine: Engine, signature: tuple[Any, ...], index: NameIndex) -> None:
    """Keep the index for the next process (best effort: a read-only cache folder is fine)."""
    path = _file(engine)
    data = (_FORMAT, repr(signature), index.ids, index.numbers, index.names)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(data))
        temporary.replace(path)  # atomic: a reader never sees half a file
    except OSError:
        pass


_FORMAT = "comptoir-names-1"


def invalidate(session: Session) -> None:
    """Forget the cached index (called by services that change names in this process)."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with _lock:
        _cache.pop(engine, None)
    with contextlib.suppress(OSError):
        _file(engine).unlink()
