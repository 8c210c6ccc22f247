"""The SQL that writes a sale's sealed data from its rows, for `coop till verify`'s fast pass.

``sale_sql`` is ``coop.till.records.sale_data`` followed by ``journal.plain_canonical_bytes``,
written as one SQL expression over ``sales s``: on SQLite with its JSON functions (arrays
written in C), on PostgreSQL by concatenating texts (``to_json`` quotes the strings). The
database leaves non-ASCII characters unescaped, except the product names of the temporary
table ``LABELS`` on SQLite (``fill_labels``); the caller compares what still differs in
Python (``verify_fast``).
"""

from __future__ import annotations

from typing import Any

from coop.till import records
from coop.till.journal import plain_canonical_bytes


class _Sql:
    """SQL fragments that write a column as its canonical JSON text, in one dialect."""

    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"

    def integer(self, column: str) -> str:
        if self.postgresql:
            return f"COALESCE(CAST({column} AS TEXT), 'null')"
        return f"COALESCE({column}, 'null')"  # SQLite's printf writes the integer itself

    def text(self, column: str) -> str:
        if self.postgresql:
            return f"COALESCE(to_json({column})::text, 'null')"
        return f"json_quote({column})"

    @staticmethod
    def boolean(column: str) -> str:
        return f"CASE WHEN {column} THEN 'true' ELSE 'false' END"

    def rate_digits(self, bp: str) -> str:
        """Basis points as ``records.rate_text`` writes them, unquoted (550 → 5.5)."""

        def mod(divisor: int) -> str:  # psycopg takes a bare % for a placeholder
            return f"mod({bp}, {divisor})" if self.postgresql else f"({bp} % {divisor})"

        return (
            f"CAST({bp} / 100 AS TEXT) || CASE WHEN {mod(100)} = 0 THEN ''"
            f" WHEN {mod(10)} = 0 THEN '.' || CAST({mod(100)} / 10 AS TEXT)"
            f" ELSE '.' || CAST({mod(100)} / 10 AS TEXT) || CAST({mod(10)} AS TEXT) END"
        )

    def rate(self, bp: str) -> str:
        """The rate as a JSON string ("5.5")."""
        return f"'\"' || {self.rate_digits(bp)} || '\"'"

    def terms(self, prefix: str) -> str:
        """A discount's terms (``records._terms``), keys in code-point order."""
        return (
            f"CASE WHEN {prefix}discount_reason IS NULL THEN 'null' ELSE"
            f" '{{\"amount\":' || {self.integer(prefix + 'discount_amount_cents')}"
            f" || ',\"note\":' || {self.text(f'COALESCE({prefix}discount_note, {_EMPTY})')}"
            f" || ',\"percent\":' || {self.text(prefix + 'discount_percent')}"
            f" || ',\"reason\":' || {self.text(prefix + 'discount_reason')}"
            f" || ',\"rounding\":' || {self.text(prefix + 'discount_rounding')} || '}}' END"
        )

    def aggregate(self, text: str, table: str, order: str) -> str:
        """The rows' texts of one sale joined by commas, in ``order``."""
        if self.postgresql:
            return (
                f"(SELECT string_agg({text}, ',' ORDER BY {order}) FROM {table}"
                " WHERE x.sale_id = s.id)"
            )
        return (
            f"(SELECT group_concat(t, ',') FROM (SELECT {text} AS t FROM {table}"
            f" WHERE x.sale_id = s.id ORDER BY {order}))"
        )


_EMPTY = "''"


_COMMON_RATES = (0, 210, 550, 850, 1000, 2000)


def _rate_text(q: _Sql, bp: str) -> str:
    """Basis points as ``records.rate_text`` writes them, unquoted (550 → 5.5): the usual
    French rates by a CASE, any other one computed."""
    known = " ".join(f"WHEN {rate} THEN '{records.rate_text(rate)}'" for rate in _COMMON_RATES)
    return f"CASE {bp} {known} ELSE {q.rate_digits(bp)} END"


LABELS = "coop_verify_labels"
"""A temporary table (SQLite): the non-ASCII product names as ``json`` escapes them."""


def _sqlite_sale_sql() -> str:
    """``sale_sql`` on SQLite: its JSON functions write an array in C, much faster than
    concatenating texts (a million sales have six million lines)."""
    q = _Sql("sqlite")

    def terms(prefix: str) -> str:
        return (
            f"CASE WHEN {prefix}discount_reason IS NULL THEN NULL ELSE json_object("
            f"'amount', {prefix}discount_amount_cents, 'note', COALESCE({prefix}discount_note,"
            f" ''), 'percent', {prefix}discount_percent, 'reason', {prefix}discount_reason,"
            f" 'rounding', {prefix}discount_rounding) END"
        )

    label = (
        "CASE WHEN length(x.label) = length(CAST(x.label AS BLOB)) THEN x.label ELSE"
        f" COALESCE(json((SELECT e.quoted FROM temp.{LABELS} e WHERE e.label = x.label)),"
        " x.label) END"
    )
    line = (
        f"json_array(x.line_no, x.kind, x.product_id, {label}, {_rate_text(q, 'x.vat_rate_bp')},"
        " x.quantity, CASE WHEN x.weighed THEN json('true') ELSE json('false') END,"
        " x.list_price_cents, x.unit_price_cents, x.rule_code, x.gross_cents,"
        f" x.line_discount_cents, {terms('x.')}, x.sale_discount_cents, x.amount_cents,"
        " CASE WHEN x.refund_line_no IS NULL THEN NULL ELSE json_array(x.refund_till_id,"
        " x.refund_sale_number, x.refund_line_no) END)"
    )

    def group(text: str, table: str) -> str:
        return f"(SELECT json_group_array({text}) FROM {table} x WHERE x.sale_id = s.id)"

    return _sale_object(
        q,
        lines=group(line, "sale_lines"),
        payments=group("json_array(x.means, x.amount_cents, x.reference)", "sale_payments"),
        vat=group(
            f"json_array({_rate_text(q, 'x.vat_rate_bp')}, x.excl_vat_cents, x.vat_cents)",
            "sale_vat",
        ),
        discount=f"COALESCE({terms('s.')}, 'null')",
    )


def sale_sql(dialect: str) -> str:
    """An SQL expression (over ``sales s``) for the canonical bytes of the data the sale's
    journal record sealed: ``records.sale_data`` written by the database (non-ASCII
    characters unescaped, except the product names of ``LABELS`` on SQLite)."""
    if dialect != "postgresql":
        return _sqlite_sale_sql()
    q = _Sql(dialect)
    line = " || ',' || ".join(
        [
            q.integer("x.line_no"),
            q.text("x.kind"),
            q.integer("x.product_id"),
            q.text("x.label"),
            q.rate("x.vat_rate_bp"),
            q.integer("x.quantity"),
            q.boolean("x.weighed"),
            q.integer("x.list_price_cents"),
            q.integer("x.unit_price_cents"),
            q.text("x.rule_code"),
            q.integer("x.gross_cents"),
            q.integer("x.line_discount_cents"),
            q.terms("x."),
            q.integer("x.sale_discount_cents"),
            q.integer("x.amount_cents"),
            "CASE WHEN x.refund_line_no IS NULL THEN 'null' ELSE '[' || "
            + " || ',' || ".join(
                q.integer(f"x.refund_{name}") for name in ("till_id", "sale_number", "line_no")
            )
            + " || ']' END",
        ]
    )

    def array(text: str, table: str, order: str) -> str:
        return f"'[' || COALESCE({q.aggregate(text, table, order)}, '') || ']'"

    return _sale_object(
        q,
        lines=array(f"'[' || {line} || ']'", "sale_lines x", "x.line_no"),
        payments=array(
            f"'[' || {q.text('x.means')} || ',' || {q.integer('x.amount_cents')}"
            f" || ',' || {q.text('x.reference')} || ']'",
            "sale_payments x",
            "x.position",
        ),
        vat=array(
            f"'[' || {q.rate('x.vat_rate_bp')} || ',' || {q.integer('x.excl_vat_cents')}"
            f" || ',' || {q.integer('x.vat_cents')} || ']'",
            "sale_vat x",
            "x.vat_rate_bp",
        ),
        discount=q.terms("s."),
    )


def _sale_object(q: _Sql, *, lines: str, payments: str, vat: str, discount: str) -> str:
    """The sale's object, keys in code-point order, around its arrays' texts."""

    def moved(table: str, column: str) -> str:
        if not q.postgresql:  # one C call rather than four concatenations
            return (
                f"(SELECT json_array(count(*), COALESCE(sum(x.{column}), 0)) FROM {table} x"
                " WHERE x.sale_id = s.id)"
            )
        return (
            f"(SELECT '[' || CAST(count(*) AS TEXT) || ',' || CAST(COALESCE(sum(x.{column}), 0)"
            f" AS TEXT) || ']' FROM {table} x WHERE x.sale_id = s.id)"
        )

    fields = {
        "account": moved("account_movements", "amount_cents"),
        "authorised_by": q.integer("s.authorised_by_id"),
        "cash_tendered": q.integer("s.cash_tendered_cents"),
        "cashier": q.text("s.cashier"),
        "change": q.integer("s.change_cents"),
        "discount": discount,
        "goods": q.integer("s.goods_cents"),
        "lines": lines,
        "member": q.integer("s.member_id"),
        "override": q.text("s.override_reason"),
        "payments": payments,
        "session": q.integer("s.session_id"),
        "shopper": q.integer("s.shopper_id"),
        "stock": moved("stock_moves", "quantity"),
        "top_up": q.integer("s.top_up_cents"),
        "total": q.integer("s.total_cents"),
        "vat": vat,
    }
    assert list(fields) == sorted(fields)
    if not q.postgresql:  # SQLite: one printf writes the object (no chain of concatenations)
        keys, values = [], []
        for key, value in fields.items():
            keys.append(f'"{key}":%s%s' if key == "member" else f'"{key}":%s')
            values.append(value)
            if key == "member":
                values.append(_membership(q))
        template = "{" + ",".join(keys) + "}"
        return f"printf('{template}', {', '.join(values)})"
    parts = []
    for index, (key, value) in enumerate(fields.items()):
        opening = "{" if index == 0 else ","
        parts.append(f"'{opening}\"{key}\":' || {value}")
        if key == "member":
            parts.append(_membership(q))
    return "(" + " || ".join(parts) + " || '}')"


def _membership(q: _Sql) -> str:
    """Shares and fee paid at the till: the optional ``membership`` key, right after
    ``member`` (coop.till.sales.membership_data), absent when both are 0."""
    return (
        "(CASE WHEN s.share_cents = 0 AND s.fee_cents = 0 THEN '' ELSE"
        f' \',"membership":{{"fee":\' || {q.integer("s.fee_cents")}'
        f" || ',\"fee_year\":' || {q.integer('s.fee_year')}"
        f" || ',\"shares\":' || {q.integer('s.share_cents')} || '}}' END)"
    )


def fill_labels(cursor: Any) -> None:
    """The temporary table of ``LABELS``: each non-ASCII product name and its canonical JSON
    text (a sale line's label is its product's name; any other label is compared in Python)."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {LABELS} (label TEXT PRIMARY KEY, quoted TEXT)"
    )
    cursor.execute(f"DELETE FROM temp.{LABELS}")
    names = [row[0] for row in cursor.execute("SELECT DISTINCT name FROM products")]
    cursor.executemany(
        f"INSERT INTO temp.{LABELS} VALUES (?, ?)",
        [
            (name, plain_canonical_bytes(name).decode("ascii"))
            for name in names
            if isinstance(name, str) and not name.isascii()
        ],
    )
