"""Pure rules about members: names, e-mail addresses, card numbers and household limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from coop.i18n import _
from coop.scanning import check_digit, valid_gtin
from coop.text import fold

EMAIL = re.compile(r"^[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[A-Za-z]{2,}$")


class CardEndReason(StrEnum):
    LOST = "lost"
    REPLACED = "replaced"
    LEFT = "left"
    ERASED = "erased"


def search_name(first_name: str, last_name: str) -> str:
    """What name search compares against: "Hélène Dupont" → "helene dupont"."""
    return fold(f"{first_name} {last_name}")


def check_email(value: str) -> str:
    """A plausible e-mail address, lower-cased, or ValueError saying what was expected."""
    value = value.strip()
    if not EMAIL.match(value):
        raise ValueError(
            _("“{value}” is not an e-mail address (expected name@example.org)").format(value=value)
        )
    return value.lower()


def check_card(value: str) -> str:
    """A member card is an EAN-13 whose check digit is right."""
    digits = value.strip()
    if not re.fullmatch(r"\d{13}", digits):
        raise ValueError(
            _("“{value}” is not an EAN-13 card number (expected 13 digits)").format(value=value)
        )
    if not valid_gtin(digits):  # what ``ean.is_valid`` says of 13 digits, without its cleaning
        raise ValueError(
            _("“{value}” has a wrong check digit (the last digit should be {digit})").format(
                value=value, digit=check_digit(digits[:12])
            )
        )
    return digits


def card_for_number(prefix: str, number: int, series: int = 0) -> str:
    """The card barcode a coop prints: prefix, series digit, zero-padded number, check digit.

    Series 0 is the first card; a lost card's replacement takes series 1, then 2... so the
    number stays readable in the barcode and an old card can never scan as the new one.
    """
    width = 12 - len(prefix) - 1
    if not 0 <= series <= 9 or number < 0 or len(str(number)) > width:
        raise ValueError(_("member number {number} does not fit on a card").format(number=number))
    body = f"{prefix}{series}{number:0{width}d}"
    return body + check_digit(body)


def household_problems(main_of: Mapping[int, int | None], max_size: int) -> list[tuple[int, str]]:
    """Problems with a whole set of household links (member number → main member number).

    An associated person's main member must exist and be a main member themselves (no chains),
    and a household may not exceed ``max_size`` people. Returns (member number, message) pairs.
    """
    problems: list[tuple[int, str]] = []
    sizes: dict[int, int] = {}
    for number, main in main_of.items():
        if main is None:
            sizes[number] = sizes.get(number, 0) + 1
            continue
        if main == number:
            problems.append((number, _("a member cannot be their own main member")))
        elif main not in main_of:
            problems.append((number, _("main member {main} does not exist").format(main=main)))
        elif main_of[main] is not None:
            problems.append(
                (
                    number,
                    _(
                        "member {main} is not a main member (they belong to household {other})"
                    ).format(main=main, other=main_of[main]),
                )
            )
        else:
            sizes[main] = sizes.get(main, 0) + 1
    for main, size in sizes.items():
        if size > max_size:
            problems.append(
                (
                    main,
                    _("household of member {main} has {size} people (at most {max})").format(
                        main=main, size=size, max=max_size
                    ),
                )
            )
    return problems
