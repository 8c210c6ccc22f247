"""Fuzzing the amount and quantity arguments (issue 17 §3): whatever is typed, the answer is a
value within its bounds or a sentence naming the field; never a traceback, never "unexpected
error", never an out-of-bounds value stored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from coop.money import AMOUNT_LIMIT_CENTS, MoneyError, parse_amount
from coop.stock.rules import QUANTITY_LIMIT, parse_quantity

from .conftest import BREAD
from .test_till_cli import cli  # noqa: F401  (the fixture)

NASTY = [
    "1e9",
    "1E2",
    "1_000",
    "٣",
    "１２",
    "9223372036854775807",
    "1e30",
    "NaN",
    "Infinity",
    "-0",
    "21474836,48",
    "0x10",
    "1,2,3",
    "\x00",
    "",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.from_regex(r"-?[0-9 ._,]{0,25}(e[0-9]{1,3})?( ?€)?", fullmatch=True),
)


@given(TEXT)
def test_amounts_are_bounded_or_refused(text):
    try:
        cents = parse_amount(text)
    except MoneyError:
        return
    assert isinstance(cents, int) and abs(cents) <= AMOUNT_LIMIT_CENTS


@pytest.mark.parametrize("text", ["1e9", "1_000", "٣", "１２", "1e30", "NaN", "21474836,48"])
def test_the_reported_amounts_are_refused(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


@given(TEXT, st.booleans())
def test_quantities_are_bounded_or_refused(text, weighed):
    try:
        value = parse_quantity(text, by_weight=weighed, name="Pain", allow_negative=True)
    except ValueError:
        return
    assert isinstance(value, int) and 0 < abs(value) <= QUANTITY_LIMIT


def _run(cli, *args: str) -> None:  # noqa: F811
    try:
        code, _out, err = cli.out(*args)
    except SystemExit as usage:  # argparse: "-:" looks like an option; a usage line, exit 2
        code, err = int(usage.code or 0), ""
    assert code in (0, 2, 3), err
    assert "nexpected" not in err and "Traceback" not in err


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=TEXT, quantity=TEXT)
def test_the_cli_never_crashes_on_amounts_and_quantities(cli, database_url, amount, quantity):  # noqa: F811
    if "\x00" in amount + quantity:
        return  # the operating system refuses NUL in arguments before Comptoir sees them
    cli("till", "open", "--cash", "100")
    _run(cli, "till", "sell", BREAD, "--member", "42", "--pay", f"cash={amount}")
    _run(cli, "stock", "add", BREAD, quantity)
    _run(cli, "till", "sell", f"{BREAD}:{quantity}", "--pay", f"card={amount}")
    engine = create_engine(database_url)
    with engine.connect() as connection:
        worst = connection.execute(
            text(
                "SELECT max(abs(amount_cents)) FROM sale_payments"
                " UNION ALL SELECT max(abs(quantity)) FROM stock_levels"
                " UNION ALL SELECT max(abs(change_cents)) FROM sales"
            )
        ).scalars()
        payment, level, change = (value or 0 for value in worst)
    engine.dispose()
    assert payment <= 500_000 and change <= 500_000 and level <= QUANTITY_LIMIT
