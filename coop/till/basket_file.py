"""A basket written down: the JSON file and the command-line words `coop till sell` reads.

Both give a ``coop.till.requests.SaleRequest``; every mistake is reported with where it is (the
JSON path such as ``payments[1].amount``, or the argument) as ``InvalidInput``. Amounts are
written in euros as text (``"12,35"`` or ``"12.35"``) or as whole cents (``"amount_cents":
1235``); a JSON number with decimals is refused, never rounded: it would be a float.

JSON file::

    {
      "member": "42",                       card or member number; omit for a non-member
      "override_reason": "a prévenu",       only when the desk check refuses the member
      "items": [
        {"code": "3017620422003", "quantity": 2},
        {"code": "VRAC-LENTILLES", "grams": 750},
        {"code": "2101001012349"},          a scale label carries its weight
        {"code": "PAIN-CAMP", "discount": {"reason": "damaged", "percent": "30", "note": "..."}}
      ],
      "returns": [{"code": "2000000000015", "count": 2}],
      "refunds": [{"till": "CAISSE-1", "sale": 12, "line": 2, "quantity": 1, "restock": true}],
      "discount": {"reason": "goodwill", "amount": "2,00", "note": "attente"},
      "authorised_by": 43,
      "top_up": "20,00",
      "shares": "owed",                     capital shares: "owed", "3p" (shares) or "30,00"
      "fee": "due",                         the yearly fee: "due" (or true) or "15,00"
      "payments": [{"means": "card", "amount": "10,00", "reference": "TPE 0412"},
                   {"means": "cash", "amount": "20,00"}],
      "token": "2c1f0a9e-..."
    }

Command line: ``CODE`` (one piece), ``CODE:3`` (three), ``CODE:750g`` / ``CODE:0,750kg``
(weighed goods without a label), ``--return CODE:2``, ``--refund 12/2`` (all that is left of
line 2 of sale 12), ``--refund CAISSE-2/12/2:1``, ``--pay cash=20,00``, ``--pay card=12,35/REF``,
``--discount 10%`` or ``--discount 2,00`` with ``--reason``, ``--shares`` (what is owed),
``--shares 3p``, ``--shares 30,00``, ``--fee`` (this year's), ``--fee 15,00``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import MoneyError, parse_amount
from coop.till.membership_words import ask_from_words
from coop.till.payments import Means, Tender
from coop.till.pricing import Discount, DiscountReason
from coop.till.refusals import Refused
from coop.till.requests import DepositReturn, ItemRequest, RefundRequest, SaleRequest
from coop.till.words import refusal

_KEYS = {
    "member",
    "override_reason",
    "items",
    "returns",
    "refunds",
    "discount",
    "authorised_by",
    "top_up",
    "top_up_cents",
    "shares",
    "fee",
    "payments",
    "token",
}


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(message, source=self.source, column=where))

    def mapping(self, value: Any, where: str, keys: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(where, _("expected an object {...}"))
            return None
        for key in value:
            if key not in keys:
                self.fail(f"{where}.{key}" if where else key, _("unknown key"))
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, _("expected a list [...]"))
            return []
        return value

    def integer(self, value: Any, where: str, *, required: bool = False) -> int | None:
        if value is None:
            if required:
                self.fail(where, _("a value is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, _("expected a whole number"))
            return None
        return value

    def text(self, value: Any, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(where, _("expected text"))
            return None
        return value

    def cents(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        """``key`` in euros as text, or ``key_cents`` as a whole number."""
        if f"{key}_cents" in data:
            return self.integer(data[f"{key}_cents"], f"{where}{key}_cents")
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(
                f"{where}{key}",
                _('write amounts as text ("12,35") or in cents ({key}_cents)').format(key=key),
            )
            return None
        try:
            return parse_amount(str(value))
        except MoneyError as error:
            self.fail(f"{where}{key}", str(error))
            return None


def _discount(reader: _Reader, value: Any, where: str) -> Discount | None:
    data = reader.mapping(value, where, {"reason", "percent", "amount", "amount_cents", "note"})
    if data is None:
        return None
    reason = data.get("reason")
    try:
        terms = DiscountReason(str(reason) if reason is not None else "")
    except ValueError:
        reader.fail(
            f"{where}.reason",
            _("“{value}” is not one of: {options}").format(
                value=reason, options=", ".join(r.value for r in DiscountReason)
            ),
        )
        return None
    percent = None
    if data.get("percent") is not None:
        try:
            percent = Decimal(str(data["percent"]).replace(",", ".").rstrip("%").strip())
        except InvalidOperation:
            reader.fail(
                f"{where}.percent", _("“{text}” is not a number").format(text=data["percent"])
            )
            return None
        if isinstance(data["percent"], float):
            reader.fail(f"{where}.percent", _('write the percent as text, e.g. "12,5"'))
            return None
    amount = reader.cents(data, "amount", f"{where}.")
    try:
        return Discount(terms, percent=percent, amount_cents=amount, note=data.get("note") or "")
    except Refused as error:
        reader.fail(where, refusal(error))
        return None


def _means(value: Any, local_currency: str | None) -> Means | None:
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    if local_currency and word == local_currency.strip().lower():
        return Means.LOCAL_CURRENCY
    aliases = {
        "cb": Means.CARD,
        "carte": Means.CARD,
        "especes": Means.CASH,
        "espèces": Means.CASH,
        "cheque": Means.CHEQUE,
        "chèque": Means.CHEQUE,
        "compte": Means.ACCOUNT,
    }
    if word in aliases:
        return aliases[word]
    try:
        return Means(word)
    except ValueError:
        return None


def _items(reader: _Reader, top: Mapping[str, Any]) -> list[ItemRequest]:
    items = []
    for index, value in enumerate(reader.items(top.get("items"), "items")):
        where = f"items[{index + 1}]"
        entry = reader.mapping(value, where, {"code", "quantity", "grams", "discount"})
        if entry is None:
            continue
        code = reader.text(entry.get("code"), f"{where}.code")
        if not code:
            reader.fail(f"{where}.code", _("a value is required"))
            continue
        discount = (
            _discount(reader, entry["discount"], f"{where}.discount")
            if entry.get("discount") is not None
            else None
        )
        items.append(
            ItemRequest(
                code,
                quantity=reader.integer(entry.get("quantity"), f"{where}.quantity"),
                grams=reader.integer(entry.get("grams"), f"{where}.grams"),
                discount=discount,
            )
        )
    return items


def _returns(reader: _Reader, top: Mapping[str, Any]) -> list[DepositReturn]:
    returns = []
    for index, value in enumerate(reader.items(top.get("returns"), "returns")):
        where = f"returns[{index + 1}]"
        entry = reader.mapping(value, where, {"code", "count"})
        if entry is None:
            continue
        code = reader.text(entry.get("code"), f"{where}.code") or ""
        count = reader.integer(entry.get("count", 1), f"{where}.count")
        returns.append(DepositReturn(code, count if count is not None else 1))
    return returns


def _refunds(reader: _Reader, top: Mapping[str, Any]) -> list[RefundRequest]:
    refunds = []
    for index, value in enumerate(reader.items(top.get("refunds"), "refunds")):
        where = f"refunds[{index + 1}]"
        entry = reader.mapping(value, where, {"till", "sale", "line", "quantity", "restock"})
        if entry is None:
            continue
        sale = reader.integer(entry.get("sale"), f"{where}.sale", required=True)
        line = reader.integer(entry.get("line"), f"{where}.line", required=True)
        restock = entry.get("restock", True)
        if not isinstance(restock, bool):
            reader.fail(f"{where}.restock", _("expected true or false"))
        if sale is not None and line is not None:
            refunds.append(
                RefundRequest(
                    sale,
                    line,
                    quantity=reader.integer(entry.get("quantity"), f"{where}.quantity"),
                    till=reader.text(entry.get("till"), f"{where}.till"),
                    restock=bool(restock),
                )
            )
    return refunds


def _tenders(reader: _Reader, top: Mapping[str, Any], local_currency: str | None) -> list[Tender]:
    tenders = []
    for index, value in enumerate(reader.items(top.get("payments"), "payments")):
        where = f"payments[{index + 1}]"
        entry = reader.mapping(value, where, {"means", "amount", "amount_cents", "reference"})
        if entry is None:
            continue
        means = _means(entry.get("means"), local_currency)
        if means is None:
            reader.fail(
                f"{where}.means",
                _("“{value}” is not one of: {options}").format(
                    value=entry.get("means"), options=", ".join(m.value for m in Means)
                ),
            )
            continue
        cents = reader.cents(entry, "amount", f"{where}.")
        if cents is None:
            if "amount" not in entry and "amount_cents" not in entry:
                reader.fail(f"{where}.amount", _("a value is required"))
            continue
        tenders.append(Tender(means, cents, reader.text(entry.get("reference"), where) or ""))
    return tenders


def _word(value: Any) -> str | None:
    """A JSON ``shares``/``fee`` value as the command line's word (true: what is owed)."""
    if value is None or value is False:
        return None
    return "owed" if value is True else str(value)


def request_from_json(data: Any, *, source: str, local_currency: str | None = None) -> SaleRequest:
    """A basket from parsed JSON (see the module docstring), or InvalidInput."""
    reader = _Reader(source)
    top = reader.mapping(data, "", _KEYS)
    if top is None:
        raise InvalidInput(reader.problems)
    items = _items(reader, top)
    returns = _returns(reader, top)
    refunds = _refunds(reader, top)
    tenders = _tenders(reader, top, local_currency)
    discount = (
        _discount(reader, top["discount"], "discount") if top.get("discount") is not None else None
    )
    top_up = reader.cents(top, "top_up", "") or 0
    membership, problems = ask_from_words(
        _word(top.get("shares")), _word(top.get("fee")), shares_column="shares", fee_column="fee"
    )
    reader.problems.extend(problems)
    member = top.get("member")
    if isinstance(member, int) and not isinstance(member, bool):
        member = str(member)
    request = SaleRequest(
        items=items,
        member=reader.text(member, "member"),
        override_reason=reader.text(top.get("override_reason"), "override_reason"),
        returns=returns,
        refunds=refunds,
        discount=discount,
        top_up_cents=top_up,
        membership=membership,
        tenders=tenders,
        authorised_by=reader.integer(top.get("authorised_by"), "authorised_by"),
        token=reader.text(top.get("token"), "token"),
    )
    if reader.problems:
        raise InvalidInput(reader.problems)
    return request


def read_file(path: str, *, local_currency: str | None = None) -> SaleRequest:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem(str(error), source=path)]) from error
    try:
        data = json.loads(text, parse_float=_no_float)
    except json.JSONDecodeError as error:
        raise InvalidInput([Problem(error.msg, source=path, line=error.lineno)]) from error
    except _FloatFound as error:
        raise InvalidInput(
            [
                Problem(
                    _('“{text}”: write amounts as text ("12,35") or in cents').format(
                        text=error.args[0]
                    ),
                    source=path,
                )
            ]
        ) from error
    return request_from_json(data, source=path, local_currency=local_currency)


class _FloatFound(ValueError):
    pass


def _no_float(text: str) -> Any:
    raise _FloatFound(text)


_ITEM = re.compile(r"(?P<code>.+?)(?::(?P<qty>[^:]+))?")


def item_from_word(word: str, where: str) -> ItemRequest:
    """``CODE``, ``CODE:3``, ``CODE:750g``, ``CODE:0,750kg``."""
    match = _ITEM.fullmatch(word.strip())
    if match is None or not match.group("code"):
        raise InvalidInput([Problem(_("“{text}” is not a scan").format(text=word), column=where)])
    code, quantity = match.group("code"), match.group("qty")
    if quantity is None:
        return ItemRequest(code)
    text = quantity.strip().lower().replace(",", ".")
    grams_match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(kg|g)", text)
    if grams_match is not None:
        number = Decimal(grams_match.group(1)) * (1000 if grams_match.group(2) == "kg" else 1)
        if number != number.to_integral_value():
            raise InvalidInput(
                [Problem(_("“{text}” is finer than a gram").format(text=quantity), column=where)]
            )
        return ItemRequest(code, grams=int(number))
    if re.fullmatch(r"-?\d+", text):
        return ItemRequest(code, quantity=int(text))
    raise InvalidInput(
        [Problem(_("“{text}” is not a quantity").format(text=quantity), column=where)]
    )


def _discount_from_words(
    discount: str | None, reason: str | None, note: str | None, problems: list[Problem]
) -> Discount | None:
    """``--discount 10%`` or ``--discount 2,50`` with its ``--reason``; problems appended."""
    if discount is None:
        return None
    if reason is None:
        problems.append(Problem(_("give the reason"), column="--reason"))
        return None
    text = discount.strip()
    try:
        if text.endswith("%"):
            percent = Decimal(text[:-1].strip().replace(",", "."))
            return Discount(DiscountReason(reason), percent=percent, note=note or "")
        return Discount(DiscountReason(reason), amount_cents=parse_amount(text), note=note or "")
    except (InvalidOperation, MoneyError):
        problems.append(
            Problem(
                _("“{text}” is not 10% nor an amount").format(text=discount),
                column="--discount",
            )
        )
    except Refused as error:
        problems.append(Problem(refusal(error), column="--discount"))
    return None


def request_from_words(
    *,
    items: Sequence[str],
    member: str | None,
    override: str | None,
    returns: Sequence[str],
    refunds: Sequence[str],
    restock: bool,
    discount: str | None,
    reason: str | None,
    note: str | None,
    authorised_by: int | None,
    top_up: str | None,
    payments: Sequence[str],
    shares: str | None = None,
    fee: str | None = None,
    token: str | None,
    local_currency: str | None = None,
) -> SaleRequest:
    """A basket from `coop till sell`'s arguments (see the module docstring)."""
    problems: list[Problem] = []
    parsed_items = []
    for index, word in enumerate(items):
        try:
            parsed_items.append(item_from_word(word, _("scan {n}").format(n=index + 1)))
        except InvalidInput as error:
            problems.extend(error.problems)
    parsed_returns = []
    for word in returns:
        code, _sep, count = word.partition(":")
        if count and not count.isdigit():
            problems.append(
                Problem(_("“{text}” is not a quantity").format(text=count), column="--return")
            )
            continue
        parsed_returns.append(DepositReturn(code, int(count) if count else 1))
    parsed_refunds = []
    for word in refunds:
        match = re.fullmatch(r"(?:([^/]+)/)?(\d+)/(\d+)(?::(\d+))?", word.strip())
        if match is None:
            problems.append(
                Problem(
                    _("“{text}” is not SALE/LINE[:QUANTITY] (e.g. 12/2:1)").format(text=word),
                    column="--refund",
                )
            )
            continue
        parsed_refunds.append(
            RefundRequest(
                int(match.group(2)),
                int(match.group(3)),
                quantity=int(match.group(4)) if match.group(4) else None,
                till=match.group(1),
                restock=restock,
            )
        )
    tenders = []
    for word in payments:
        name, _sep, rest = word.partition("=")
        means = _means(name, local_currency)
        amount_text, _slash, reference = rest.partition("/")
        if means is None or not amount_text:
            problems.append(
                Problem(
                    _("“{text}” is not MEANS=AMOUNT (e.g. cash=20,00)").format(text=word),
                    column="--pay",
                )
            )
            continue
        try:
            tenders.append(Tender(means, parse_amount(amount_text), reference))
        except MoneyError as error:
            problems.append(Problem(str(error), column="--pay"))
    sale_discount = _discount_from_words(discount, reason, note, problems)
    top_up_cents = 0
    if top_up is not None:
        try:
            top_up_cents = parse_amount(top_up)
        except MoneyError as error:
            problems.append(Problem(str(error), column="--top-up"))
    membership, wrong = ask_from_words(shares, fee, shares_column="--shares", fee_column="--fee")
    problems.extend(wrong)
    if problems:
        raise InvalidInput(problems)
    return SaleRequest(
        items=parsed_items,
        member=member,
        override_reason=override,
        returns=parsed_returns,
        refunds=parsed_refunds,
        discount=sale_discount,
        top_up_cents=top_up_cents,
        membership=membership,
        tenders=tenders,
        authorised_by=authorised_by,
        token=token,
    )
