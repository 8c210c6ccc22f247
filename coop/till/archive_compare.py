"""An archive compared with the live database (`coop till verify --archive A`): every record the
archive holds must still be in the database with the same hash. An archive kept apart (a USB
key, the accountant's copy) then shows a journal rewritten and recomputed since it was made."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.i18n import _
from coop.till.models import JournalEntry


def compare_with_database(session: Session, folder: Path | str) -> list[str]:
    """The differences between the archive's journal and the live one (empty: they agree)."""
    root = Path(folder)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    live: dict[int, dict[int, str]] = {}
    for chain in manifest.get("tills", []):
        till_id = chain["till_id"]
        rows = session.execute(
            select(JournalEntry.seq, JournalEntry.hash).where(
                JournalEntry.till_id == till_id,
                JournalEntry.seq >= chain.get("first_seq", 1),
                JournalEntry.seq <= chain["last_seq"],
            )
        ).all()
        live[till_id] = {seq: digest for seq, digest in rows}
    problems: list[str] = []
    with (root / "journal.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            found = live.get(record["till_id"], {}).get(record["seq"])
            if found == record["hash"]:
                continue
            where = _("till {till}, record {seq} ({kind} {number})").format(
                till=record["till"],
                seq=record["seq"],
                kind=record["kind"],
                number=record["number"],
            )
            if found is None:
                problems.append(
                    _("{where}: in the archive but no longer in the database.").format(where=where)
                )
            else:
                problems.append(
                    _(
                        "{where}: the database's record differs from the archive's (the journal"
                        " was rewritten after the archive was made)."
                    ).format(where=where)
                )
            break  # the first difference is named; everything after it follows from it
    return problems
