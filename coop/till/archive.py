"""The archive of a period: the journal and what it seals, in files anyone can check.

``export_archive`` writes into a new folder:

- ``journal.jsonl``: every journal record of the period, one JSON object per line, in till then
  seq order: ``till``, ``till_id``, ``seq``, ``kind``, ``number``, ``at`` (UTC, as hashed),
  ``previous_hash``, ``hash`` and ``data`` (the sealed data, in its canonical form);
- ``sales.csv``, ``sale_lines.csv``, ``payments.csv``, ``closures.csv``, ``sessions.csv``: the
  same facts as tables for a spreadsheet (French Excel: ``;``, UTF-8 with BOM, CRLF);
- ``manifest.json``: the period, the software version, for each till the first record's
  ``previous_hash`` and the last record's ``hash`` (so the archive chains onto the previous
  one and the next one chains onto it), and every file's size, row count and SHA-256;
- ``SHA256SUMS``: the SHA-256 of every file, manifest included, in the format of
  ``sha256sum -c``.

The folder is written beside its target and renamed when complete. ``verify_archive`` checks
an archive without the database: the files' hashes, then each record's hash recomputed from
its data (``coop.till.journal.document_bytes``), the links and the seqs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import __version__
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.csvio import write_table
from coop.errors import CoopError
from coop.i18n import _
from coop.members.models import Member
from coop.money import bp_to_rate
from coop.till import registry
from coop.till.closing import day_bounds
from coop.till.closure_models import TillClosure
from coop.till.journal import (
    GENESIS_HASH,
    RecordKind,
    canonical_bytes,
    document_bytes,
    hash_bytes,
)
from coop.till.models import JournalEntry, Sale, SaleLineRow, SalePayment, Till, TillSession

FORMAT = "comptoir-till-archive/1"


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(SHOP_TIMEZONE).isoformat()


@dataclass
class _File:
    name: str
    rows: int = 0


def _write_csv(
    folder: Path, name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> _File:
    with (folder / name).open("w", encoding="utf-8-sig", newline="") as handle:
        count = write_table(rows, columns, handle)
    return _File(name, count)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_archive(
    session: Session,
    *,
    first: date,
    last: date,
    out: Path | str,
    now: datetime,
    till_code: str | None = None,
) -> dict[str, Any]:
    """Write the archive of ``first``..``last`` (shop days) into the new folder ``out``;
    returns the manifest."""
    target = Path(out)
    if last < first:
        raise CoopError(_("The period ends before it starts."))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CoopError(
            _("{path} already exists: an archive goes into a new folder.").format(path=target)
        )
    chosen = [registry.get_till(session, till_code)] if till_code else registry.tills(session)
    start, _unused = day_bounds(first)
    _unused, end = day_bounds(last)
    temporary = target.with_name(f".{target.name}.part")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    try:
        manifest = _write(session, temporary, chosen, start, end, first, last, now)
        if target.exists():
            target.rmdir()
        temporary.replace(target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return manifest


def _write(
    session: Session,
    folder: Path,
    tills: Sequence[Till],
    start: datetime,
    end: datetime,
    first: date,
    last: date,
    now: datetime,
) -> dict[str, Any]:
    ids = [till.id for till in tills]
    codes = {till.id: till.code for till in tills}
    files: list[_File] = []
    chains: dict[int, dict[str, Any]] = {}
    journal = _File("journal.jsonl")
    with (folder / journal.name).open("w", encoding="utf-8", newline="\n") as handle:
        entries = session.execute(
            select(JournalEntry)
            .where(JournalEntry.till_id.in_(ids), JournalEntry.at >= start, JournalEntry.at < end)
            .order_by(JournalEntry.till_id, JournalEntry.seq)
            .execution_options(yield_per=5000)
        ).scalars()
        for entry in entries:
            record = {
                "till": codes[entry.till_id],
                "till_id": entry.till_id,
                "seq": entry.seq,
                "kind": entry.kind,
                "number": entry.number,
                "at": _utc_text(entry.at),
                "previous_hash": entry.previous_hash,
                "hash": entry.hash,
                "data": json.loads(entry.data),
            }
            handle.write(json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n")
            journal.rows += 1
            chain = chains.setdefault(
                entry.till_id,
                {
                    "code": codes[entry.till_id],
                    "till_id": entry.till_id,
                    "first_seq": entry.seq,
                    "first_previous_hash": entry.previous_hash,
                    "records": 0,
                },
            )
            chain["last_seq"] = entry.seq
            chain["last_hash"] = entry.hash
            chain["records"] += 1
    files.append(journal)
    files.extend(_tables(session, folder, ids, codes, start, end))
    manifest = {
        "format": FORMAT,
        "software": f"comptoir {__version__}",
        "generated_at": _local(now),
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "time_zone": str(SHOP_TIMEZONE),
        "hash": _(
            "SHA-256 of each record's canonical document; see coop/till/journal.py and the README"
        ),
        "tills": [chains[till_id] for till_id in ids if till_id in chains],
        "files": [
            {
                "name": item.name,
                "rows": item.rows,
                "bytes": (folder / item.name).stat().st_size,
                "sha256": _sha256(folder / item.name),
            }
            for item in files
        ],
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sums = [(_sha256(folder / item.name), item.name) for item in files]
    sums.append((_sha256(folder / "manifest.json"), "manifest.json"))
    (folder / "SHA256SUMS").write_text(
        "".join(f"{digest}  {name}\n" for digest, name in sums), encoding="utf-8"
    )
    return manifest


SALE_COLUMNS = [
    "till",
    "number",
    "seq",
    "at",
    "member",
    "cashier",
    "goods",
    "top_up",
    "shares",
    "fee",
    "total",
    "cash_tendered",
    "change",
    "discount_reason",
    "override_reason",
]
LINE_COLUMNS = [
    "till",
    "sale",
    "line",
    "kind",
    "product",
    "label",
    "vat_rate",
    "quantity",
    "weighed",
    "unit_price",
    "discount",
    "amount",
    "refund_of",
]
PAYMENT_COLUMNS = ["till", "sale", "position", "means", "amount", "reference"]
CLOSURE_COLUMNS = [
    "till",
    "period",
    "number",
    "start",
    "end",
    "sales",
    "first_sale",
    "last_sale",
    "total",
    "perpetual",
    "hash",
]
SESSION_COLUMNS = [
    "till",
    "opened_at",
    "opened_by",
    "float",
    "closed_at",
    "closed_by",
    "counted",
    "expected",
    "difference",
]


def _euros(cents: int | None) -> str | None:
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def _tables(
    session: Session,
    folder: Path,
    ids: list[int],
    codes: dict[int, str],
    start: datetime,
    end: datetime,
) -> list[_File]:
    in_period = (Sale.till_id.in_(ids), Sale.at >= start, Sale.at < end)
    numbers = dict(session.execute(select(Member.id, Member.number)).all())
    sales = session.execute(
        select(Sale).where(*in_period).order_by(Sale.till_id, Sale.number)
    ).scalars()
    sale_rows = [
        {
            "till": codes[sale.till_id],
            "number": sale.number,
            "seq": sale.seq,
            "at": _local(sale.at),
            "member": numbers.get(sale.member_id) if sale.member_id is not None else None,
            "cashier": sale.cashier,
            "goods": _euros(sale.goods_cents),
            "top_up": _euros(sale.top_up_cents),
            "shares": _euros(sale.share_cents),
            "fee": _euros(sale.fee_cents),
            "total": _euros(sale.total_cents),
            "cash_tendered": _euros(sale.cash_tendered_cents),
            "change": _euros(sale.change_cents),
            "discount_reason": sale.discount_reason,
            "override_reason": sale.override_reason,
        }
        for sale in sales
    ]
    products = {
        product_id: code
        for product_id, barcode, internal in session.execute(
            select(Product.id, Product.barcode, Product.internal_code)
        )
        for code in [barcode or internal]
    }
    lines = session.execute(
        select(Sale.till_id, Sale.number, SaleLineRow)
        .join(SaleLineRow, SaleLineRow.sale_id == Sale.id)
        .where(*in_period)
        .order_by(Sale.till_id, Sale.number, SaleLineRow.line_no)
    ).all()
    line_rows = [
        {
            "till": codes[till_id],
            "sale": number,
            "line": line.line_no,
            "kind": line.kind,
            "product": products.get(line.product_id),
            "label": line.label,
            "vat_rate": str(bp_to_rate(line.vat_rate_bp)).replace(".", ","),
            "quantity": line.quantity,
            "weighed": "oui" if line.weighed else "non",
            "unit_price": _euros(line.unit_price_cents),
            "discount": _euros(line.line_discount_cents + line.sale_discount_cents),
            "amount": _euros(line.amount_cents),
            "refund_of": None
            if line.refund_line_no is None
            else f"{codes.get(line.refund_till_id or 0, line.refund_till_id)}/"
            f"{line.refund_sale_number}/{line.refund_line_no}",
        }
        for till_id, number, line in lines
    ]
    payments = session.execute(
        select(Sale.till_id, Sale.number, SalePayment)
        .join(SalePayment, SalePayment.sale_id == Sale.id)
        .where(*in_period)
        .order_by(Sale.till_id, Sale.number, SalePayment.position)
    ).all()
    payment_rows = [
        {
            "till": codes[till_id],
            "sale": number,
            "position": payment.position,
            "means": payment.means,
            "amount": _euros(payment.amount_cents),
            "reference": payment.reference,
        }
        for till_id, number, payment in payments
    ]
    closures = session.execute(
        select(TillClosure, JournalEntry.hash)
        .join(JournalEntry, JournalEntry.closure_id == TillClosure.id)
        .where(TillClosure.till_id.in_(ids), TillClosure.at >= start, TillClosure.at < end)
        .order_by(TillClosure.till_id, TillClosure.seq)
    ).all()
    closure_rows = [
        {
            "till": codes[closure.till_id],
            "period": closure.period,
            "number": closure.number,
            "start": closure.starts_on.isoformat(),
            "end": closure.ends_on.isoformat(),
            "sales": closure.sale_count,
            "first_sale": closure.first_sale_number,
            "last_sale": closure.last_sale_number,
            "total": _euros(closure.total_cents),
            "perpetual": _euros(closure.perpetual_cents),
            "hash": digest,
        }
        for closure, digest in closures
    ]
    sessions = session.scalars(
        select(TillSession)
        .where(
            TillSession.till_id.in_(ids),
            TillSession.opened_at >= start,
            TillSession.opened_at < end,
        )
        .order_by(TillSession.till_id, TillSession.opened_at)
    )
    session_rows = [
        {
            "till": codes[row.till_id],
            "opened_at": _local(row.opened_at),
            "opened_by": row.opened_by,
            "float": _euros(row.opening_cents),
            "closed_at": _local(row.closed_at),
            "closed_by": row.closed_by,
            "counted": _euros(row.counted_cents),
            "expected": _euros(row.expected_cents),
            "difference": _euros(row.difference_cents),
        }
        for row in sessions
    ]
    return [
        _write_csv(folder, "sales.csv", SALE_COLUMNS, sale_rows),
        _write_csv(folder, "sale_lines.csv", LINE_COLUMNS, line_rows),
        _write_csv(folder, "payments.csv", PAYMENT_COLUMNS, payment_rows),
        _write_csv(folder, "closures.csv", CLOSURE_COLUMNS, closure_rows),
        _write_csv(folder, "sessions.csv", SESSION_COLUMNS, session_rows),
    ]


# --- checking an archive ------------------------------------------------------------------------


@dataclass
class ArchiveCheck:
    folder: str
    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "ok": self.ok,
            "records": self.records,
            "problems": self.problems,
        }


def verify_archive(folder: Path | str) -> ArchiveCheck:
    """Check an archive without the database (see the module docstring)."""
    root = Path(folder)
    check = ArchiveCheck(str(root))
    sums_path = root / "SHA256SUMS"
    if not sums_path.is_file():
        check.problems.append(_("{name} is missing.").format(name="SHA256SUMS"))
        return check
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        digest, _sep, name = line.partition("  ")
        path = root / name
        if not path.is_file():
            check.problems.append(_("{name} is missing.").format(name=name))
        elif _sha256(path) != digest:
            check.problems.append(_("{name} was changed (its SHA-256 differs).").format(name=name))
    if check.problems:
        return check
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    listed = {item["name"]: item["sha256"] for item in manifest.get("files", [])}
    for name, digest in listed.items():
        if _sha256(root / name) != digest:
            check.problems.append(_("{name} was changed (its SHA-256 differs).").format(name=name))
    starts = {chain["till_id"]: chain for chain in manifest.get("tills", [])}
    previous: dict[int, tuple[int, str]] = {}
    with (root / "journal.jsonl").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            record = json.loads(line)
            where = _("journal line {n} (till {till}, record {seq})").format(
                n=number, till=record["till"], seq=record["seq"]
            )
            at = datetime.strptime(record["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            document = document_bytes(
                record["till_id"],
                record["seq"],
                RecordKind(record["kind"]),
                record["number"],
                at,
                canonical_bytes(record["data"]),
                record["previous_hash"],
            )
            if hash_bytes(document) != record["hash"]:
                check.problems.append(
                    _("{where}: its content does not give its hash.").format(where=where)
                )
                break
            till_id = record["till_id"]
            if till_id in previous:
                last_seq, last_hash = previous[till_id]
                expected = (last_seq + 1, last_hash)
            else:
                chain = starts.get(till_id, {})
                expected = (
                    chain.get("first_seq", record["seq"]),
                    chain.get("first_previous_hash", GENESIS_HASH),
                )
            if (record["seq"], record["previous_hash"]) != expected:
                check.problems.append(
                    _("{where}: it does not follow the record before it.").format(where=where)
                )
                break
            previous[till_id] = (record["seq"], record["hash"])
            check.records += 1
    for till_id, chain in starts.items():
        if not check.problems and previous.get(till_id) != (chain["last_seq"], chain["last_hash"]):
            check.problems.append(
                _("The journal of till {till} does not end where the manifest says.").format(
                    till=chain["code"]
                )
            )
    return check
