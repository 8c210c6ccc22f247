"""``coop sync odoo``: push the outbox to Odoo, in batches, idempotently.

One run: take the push lock (one push at a time per database: a PostgreSQL advisory lock, or
a file lock beside the SQLite file, both released by the system if the process dies); map the
pending rows to entries (``coop.sync.rules``); run the setup check (nothing is pushed until it
passes); upsert the partners by external id (``load``); then per batch of at most 50 moves:

1. look every move up by its external id (``coopsync.<kind>_<key>``), then by ``ref``
   (a timeout or a crash may have left a move Odoo committed without our knowing);
2. create the missing ones in one call, then their external ids;
3. read back what Odoo holds and compare it with our figures (refuse to post on any
   difference: the auto-balancing-line trap, a rounding difference);
4. post the drafts in one call (one by one if Odoo refuses the batch, so one bad move does not
   hold the others); a posted move is never written again;
5. record the state, Odoo's id and number locally, and commit.

Transport errors retry the whole batch from step 1 with exponential backoff (the lookups make
it safe); after the last try the run stops with a sentence, and rows stay pending. Business
errors (Odoo's UserError, ValidationError...) put that row in "needs attention" with Odoo's
message; the rest of the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from coop.i18n import _
from coop.outbox import OutboxRow, OutboxState
from coop.sync import odoo_values
from coop.sync.check import Setup, TaxKey, check
from coop.sync.odoo import Odoo, OdooRefused, OdooUnreachable
from coop.sync.rules import (
    MODULE,
    Entry,
    MappingRefused,
    Partner,
    entries_of,
    expected_totals,
    partners_of,
)
from coop.sync.settings import SyncSettings

LOCK_KEY = 7_301_400_014
"""PostgreSQL advisory lock id of the push (any constant unique to this use)."""


class SetupIncomplete(OdooRefused):
    """The check did not pass: nothing was pushed."""


@dataclass
class PushReport:
    rows: int = 0
    posted: int = 0
    attention: int = 0
    created: int = 0
    found: int = 0
    nothing_to_book: int = 0
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@contextmanager
def push_lock(engine: Engine) -> Iterator[None]:
    """One push at a time on one database; a second one waits for the first."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            # wait for the first push however long it takes (Odoo may take minutes): the
            # database's per-transaction lock_timeout is for rows, not for this queue
            connection.execute(text("SET LOCAL lock_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
        return
    import fcntl

    database = engine.url.database or "memory"
    path = Path(f"{database}.sync-lock")
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class _Item:
    row_id: int
    entries: list[Entry]


def _candidates(session: Session, settings: SyncSettings, limit: int | None) -> list[OutboxRow]:
    query = (
        select(OutboxRow)
        .where(
            OutboxRow.state.in_([OutboxState.PENDING.value, OutboxState.SENT.value]),
            OutboxRow.kind.in_(settings.push),
        )
        .order_by(OutboxRow.id)
    )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def pending_entries(session: Session, settings: SyncSettings) -> list[Entry]:
    """The entries of the rows waiting to be pushed (what the check must find ready)."""
    entries: list[Entry] = []
    for row in _candidates(session, settings, None):
        try:
            entries.extend(
                entries_of(row.kind, row.key, row.snapshot, row.event_date, settings.chart)
            )
        except MappingRefused:
            continue
    return entries


def pending_taxes(session: Session, settings: SyncSettings) -> set[TaxKey]:
    """The taxes the rows waiting to be pushed need (what the check must find active)."""
    return taxes_needed(pending_entries(session, settings))


def accounts_needed(entries: Sequence[Entry]) -> set[str]:
    return {line.account for entry in entries for line in entry.lines}


def taxes_needed(entries: Sequence[Entry]) -> set[TaxKey]:
    needed: set[TaxKey] = set()
    for entry in entries:
        needed |= odoo_values.taxes_of(entry)
    return needed


class Pusher:
    """One push run (see the module's docstring)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        odoo: Odoo,
        settings: SyncSettings,
        *,
        now: Callable[[], datetime],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sessions = sessions
        self.odoo = odoo
        self.settings = settings
        self.chart = settings.chart
        self.now = now
        self.sleep = sleep
        self.report = PushReport()
        self.setup = Setup()
        self.partners: dict[str, int] = {}

    # --- the run ---------------------------------------------------------------------------

    def run(self, *, limit: int | None = None, dry_run: bool = False) -> PushReport:
        self.report.dry_run = dry_run
        with self.sessions() as session:
            rows = _candidates(session, self.settings, limit)
            items: list[_Item] = []
            refused: dict[int, str] = {}
            for row in rows:
                try:
                    items.append(
                        _Item(
                            row.id,
                            entries_of(row.kind, row.key, row.snapshot, row.event_date, self.chart),
                        )
                    )
                except MappingRefused as error:
                    refused[row.id] = str(error)
        self.report.rows = len(rows)
        entries = [entry for item in items for entry in item.entries]
        self.setup = self._retrying(
            lambda: check(
                self.odoo,
                self.chart,
                taxes_needed(entries),
                accounts_needed=accounts_needed(entries),
            )
        )
        if not self.setup.passes:
            lines = [_("Nothing was pushed: Odoo's setup is incomplete."), *self.setup.problems]
            raise SetupIncomplete("SetupIncomplete", "\n  - ".join(lines))
        if dry_run:
            self.report.created = len(entries)
            return self.report
        for row_id, message in refused.items():
            self._mark(row_id, OutboxState.ATTENTION, error=message)
        blocked = self._upsert_partners(partners_of(entries))
        batch: list[_Item] = []
        size = 0
        for item in items:
            if not item.entries:
                self._mark(item.row_id, OutboxState.POSTED, number="—")
                self.report.nothing_to_book += 1
                continue
            if any(p.key in blocked for p in partners_of(item.entries)):
                message = next(
                    blocked[p.key] for p in partners_of(item.entries) if p.key in blocked
                )
                self._mark(item.row_id, OutboxState.ATTENTION, error=message)
                continue
            if size + len(item.entries) > self.settings.odoo.batch_size and batch:
                self._push_batch(batch)
                batch, size = [], 0
            batch.append(item)
            size += len(item.entries)
        if batch:
            self._push_batch(batch)
        return self.report

    # --- transport retries -----------------------------------------------------------------

    def _retrying(self, step: Callable[[], Any], rows: Sequence[int] = ()) -> Any:
        tries = self.settings.odoo.retries + 1
        for attempt in range(tries):
            try:
                return step()
            except OdooUnreachable as error:
                if attempt == tries - 1:
                    if rows:
                        self._note_attempt(rows, str(error))
                    raise
                self.sleep(self.settings.odoo.backoff * 2**attempt)
        raise AssertionError("unreachable")

    # --- partners --------------------------------------------------------------------------

    def _upsert_partners(self, partners: list[Partner]) -> dict[str, str]:
        """Members and suppliers by external id, 200 per ``load``; returns refused ones."""
        refused: dict[str, str] = {}
        for supplier in (False, True):
            group = [p for p in partners if p.supplier is supplier]
            rank = "supplier_rank" if supplier else "customer_rank"
            for start in range(0, len(group), 200):
                chunk = group[start : start + 200]
                prefix = f"{MODULE}.{self.chart.namespace}"
                rows = [[f"{prefix}{p.key}", p.name, p.email or "", "1"] for p in chunk]
                columns = ["id", "name", "email", rank]
                result = self._retrying(
                    partial(self.odoo.call, "res.partner", "load", columns, rows)
                )
                if not result.get("ids"):
                    message = "; ".join(str(m.get("message")) for m in result.get("messages", []))
                    refused |= {
                        p.key: _("Odoo refused the partner: {error}").format(error=message)
                        for p in chunk
                    }
                    continue
                self.partners |= {p.key: int(i) for p, i in zip(chunk, result["ids"], strict=True)}
        return refused

    # --- one batch -------------------------------------------------------------------------

    def _push_batch(self, batch: list[_Item]) -> None:
        row_ids = [item.row_id for item in batch]
        outcome = self._retrying(lambda: self._batch_once(batch), rows=row_ids)
        with self.sessions() as session, session.begin():
            for item in batch:
                state, error, moves = outcome[item.row_id]
                row = session.get(OutboxRow, item.row_id)
                assert row is not None
                self._apply(row, state, error=error, moves=moves)
        for state, _error, _moves in outcome.values():
            if state is OutboxState.POSTED:
                self.report.posted += 1
            elif state is OutboxState.ATTENTION:
                self.report.attention += 1

    def _batch_once(
        self, batch: list[_Item]
    ) -> dict[int, tuple[OutboxState, str | None, list[dict[str, Any]]]]:
        entries = [entry for item in batch for entry in item.entries]
        found = self._lookup(entries)
        self.report.found += sum(1 for e in entries if e.xmlid in found)
        failed: dict[str, str] = {}
        missing = [e for e in entries if e.xmlid not in found]
        if missing:
            created, failed = self._create(missing)
            found |= created
            self.report.created += len(created)
        moves = self._read(list(found.values()))
        to_post: list[int] = []
        for entry in entries:
            move = moves.get(found.get(entry.xmlid, -1))
            if move is None or entry.xmlid in failed:
                continue
            if move["state"] == "draft":
                ours, theirs = expected_totals(entry), move["totals"]
                if ours != theirs:
                    failed[entry.xmlid] = _(
                        "Odoo's figures for {reference} differ from ours (ours: {ours}; Odoo's:"
                        " {theirs}); the draft {name} was left unposted."
                    ).format(reference=entry.reference, ours=ours, theirs=theirs, name=move["name"])
                else:
                    to_post.append(move["id"])
            elif move["state"] != "posted":
                failed[entry.xmlid] = _("The move {name} is “{state}” in Odoo.").format(
                    name=move["name"], state=move["state"]
                )
        failed |= self._post(to_post, entries, found)
        moves = self._read(list(found.values())) if to_post else moves
        outcome: dict[int, tuple[OutboxState, str | None, list[dict[str, Any]]]] = {}
        for item in batch:
            errors = [failed[e.xmlid] for e in item.entries if e.xmlid in failed]
            done = [
                moves[found[e.xmlid]]
                for e in item.entries
                if e.xmlid in found and found[e.xmlid] in moves
            ]
            if errors:
                outcome[item.row_id] = (OutboxState.ATTENTION, " ".join(errors), done)
            elif len(done) == len(item.entries) and all(m["state"] == "posted" for m in done):
                outcome[item.row_id] = (OutboxState.POSTED, None, done)
            else:
                outcome[item.row_id] = (OutboxState.SENT, None, done)
        return outcome

    def _lookup(self, entries: list[Entry]) -> dict[str, int]:
        """External id first, then ``ref`` (and then the missing external id is written)."""
        names = [e.xmlid for e in entries]
        rows = self.odoo.search_read(
            "ir.model.data",
            [("module", "=", MODULE), ("model", "=", "account.move"), ("name", "in", names)],
            ["name", "res_id"],
        )
        found = {row["name"]: int(row["res_id"]) for row in rows}
        rest = {e.odoo_ref: e for e in entries if e.xmlid not in found}
        if rest:
            moves = self.odoo.search_read("account.move", [("ref", "in", sorted(rest))], ["ref"])
            healed = {rest[m["ref"]].xmlid: int(m["id"]) for m in moves if m["ref"] in rest}
            if healed:
                self._write_xmlids(healed)
                found |= healed
        return found

    def _write_xmlids(self, moves: dict[str, int]) -> None:
        values = [
            {
                "module": MODULE,
                "name": name,
                "model": "account.move",
                "res_id": move_id,
                "noupdate": True,
            }
            for name, move_id in moves.items()
        ]
        self.odoo.call("ir.model.data", "create", values)

    def _create(self, entries: list[Entry]) -> tuple[dict[str, int], dict[str, str]]:
        """Create the moves in one call; if Odoo refuses the batch, one by one."""
        values = [
            odoo_values.move_values(e, self.setup, self.chart, self.partners) for e in entries
        ]
        if len(entries) > 1:
            try:
                ids = self.odoo.call("account.move", "create", values)
            except OdooRefused:
                pass
            else:
                created = {e.xmlid: int(i) for e, i in zip(entries, ids, strict=True)}
                self._write_xmlids(created)
                return created, {}
        created, failed = {}, {}
        for entry, value in zip(entries, values, strict=True):
            try:
                [move_id] = self.odoo.call("account.move", "create", [value])
            except OdooRefused as error:
                failed[entry.xmlid] = _("Odoo refused {reference}: {error}").format(
                    reference=entry.reference, error=error.message
                )
                continue
            self._write_xmlids({entry.xmlid: int(move_id)})
            created[entry.xmlid] = int(move_id)
        return created, failed

    def _read(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        fields = ["name", "state", "move_type", "amount_untaxed", "amount_tax", "amount_total"]
        moves = {int(m["id"]): m for m in self.odoo.call("account.move", "read", ids, fields)}
        lines = self.odoo.search_read(
            "account.move.line",
            [("move_id", "in", ids)],
            ["move_id", "account_id", "debit", "credit"],
        )
        codes = {i: code for code, i in self.setup.accounts.items()}
        by_move: dict[int, list[dict[str, Any]]] = {}
        for line in lines:
            by_move.setdefault(int(line["move_id"][0]), []).append(line)
        for move_id, move in moves.items():
            move["totals"] = odoo_values.odoo_totals(move, by_move.get(move_id, []), codes)
        return moves

    def _post(self, ids: list[int], entries: list[Entry], found: dict[str, int]) -> dict[str, str]:
        """Post in one call; if Odoo refuses the batch, one by one (the others go on)."""
        if len(ids) > 1:
            try:
                self.odoo.call("account.move", "action_post", ids)
                return {}
            except OdooRefused:
                pass
        by_id = {found[e.xmlid]: e for e in entries if e.xmlid in found}
        failed: dict[str, str] = {}
        for move_id in ids:
            try:
                self.odoo.call("account.move", "action_post", [move_id])
            except OdooRefused as error:
                entry = by_id[move_id]
                failed[entry.xmlid] = _("Odoo refused to post {reference}: {error}").format(
                    reference=entry.reference, error=error.message
                )
        return failed

    # --- local state -----------------------------------------------------------------------

    def _apply(
        self,
        row: OutboxRow,
        state: OutboxState,
        *,
        error: str | None = None,
        moves: Sequence[dict[str, Any]] = (),
        number: str | None = None,
    ) -> None:
        row.state = state.value
        row.attempts += 1
        row.last_error = error
        row.updated_at = self.now()
        if moves:
            row.odoo_id = int(moves[0]["id"])
            row.odoo_number = ", ".join(str(m["name"]) for m in moves)[:64]
        elif number:
            row.odoo_number = number

    def _mark(
        self,
        row_id: int,
        state: OutboxState,
        *,
        error: str | None = None,
        number: str | None = None,
    ) -> None:
        with self.sessions() as session, session.begin():
            row = session.get(OutboxRow, row_id)
            assert row is not None
            self._apply(row, state, error=error, number=number)
        if state is OutboxState.ATTENTION:
            self.report.attention += 1

    def _note_attempt(self, row_ids: Sequence[int], error: str) -> None:
        with self.sessions() as session, session.begin():
            for row_id in row_ids:
                row = session.get(OutboxRow, row_id)
                assert row is not None
                row.attempts += 1
                row.last_error = error
                row.updated_at = self.now()


def push(
    engine: Engine,
    settings: SyncSettings,
    *,
    now: Callable[[], datetime],
    limit: int | None = None,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """One push run under the push lock (``OdooUnreachable``/``SetupIncomplete`` stop it)."""
    if not settings.odoo.configured:
        raise OdooRefused(
            "NotConfigured",
            _(
                "Odoo is not configured: set url, database, login under [sync.odoo] in the config"
                " file and the API key in COOP_ODOO_API_KEY (see `coop locate`)."
            ),
        )
    sessions = sessionmaker(engine, expire_on_commit=False)
    odoo = Odoo(settings.odoo)
    try:
        with push_lock(engine):
            return Pusher(sessions, odoo, settings, now=now, sleep=sleep).run(
                limit=limit, dry_run=dry_run
            )
    except OdooUnreachable as error:
        later = _("What was not pushed stays pending; run `coop sync odoo` again later.")
        raise OdooUnreachable(f"{error} {later}") from error
    finally:
        odoo.close()
