"""Name search: accent-insensitive fuzzy matching over an in-memory index of folded names.

The index is rebuilt only when the members table changed (a cheap signature query), so a
search at the counter costs one small query plus a rapidfuzz pass, not a table scan per key.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

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
    row = session.execute(
        select(func.count(Member.id), func.max(Member.updated_at), func.max(Member.id))
    ).one()
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
    rows = session.execute(
        select(Member.id, Member.number, Member.search_name)
        .where(Member.erased_at.is_(None))
        .order_by(Member.number)
    ).all()
    index = NameIndex([(row.id, row.number, row.search_name) for row in rows])
    with _lock:
        _cache[engine] = (signature, index)
    return index


def invalidate(session: Session) -> None:
    """Forget the cached index (called by services that change names in this process)."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with _lock:
        _cache.pop(engine, None)
