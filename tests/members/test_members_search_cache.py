"""The name index kept in the cache folder: a new process (here: the in-memory index
forgotten) reads the file instead of every member's name; a change of names is never missed."""

from __future__ import annotations

from sqlalchemy import event

from coop.config import MemberSettings
from coop.members import search
from coop.members import service as members


def names_read(session) -> list[str]:
    """Run a search in a 'fresh process' and return the statements that read the names."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args):
        sent.append(statement)

    engine = session.get_bind()
    search._cache.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        found = members.search_by_name(session, "helene dupnot")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert found and found[0].last_name == "Dupont"
    index_query = "SELECT members.id, members.number, members.search_name \nFROM members"
    return [s for s in sent if s.startswith(index_query)]


def create(session, actor, now, first: str, last: str):
    return members.create_member(
        session, actor=actor, now=now, settings=MemberSettings(), first_name=first, last_name=last
    )


def test_a_new_process_reads_the_stored_index_until_names_change(session, actor, now):
    create(session, actor, now, "Hélène", "Dupont")
    other = create(session, actor, now, "Paul", "Martin")
    assert names_read(session)  # first process: built from the table, then stored
    assert names_read(session) == []  # the next one reads the file
    members.update_member(session, other, {"last_name": "Dupond"}, actor=actor, now=now)
    assert names_read(session)  # renamed: the stored index was dropped
    # a change made elsewhere (the file kept): the signature no longer matches
    search._cache.clear()
    create(session, actor, now, "Hélène", "Dupontel")
    search._cache.clear()
    assert names_read(session)
    hits = [m.last_name for m in members.search_by_name(session, "helene dupont")]
    assert "Dupontel" in hits and "Dupond" not in hits[:1]
