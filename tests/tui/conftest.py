"""The terminal UI on demo-like data: the demo's members, products and a week of till history
(``coop.demo.load_sample_data``), loaded once per backend and copied for each test.

``counter_app(language="en", **till)`` builds the app exactly as ``coop tui`` does
(``tui.app.make_app``) on that copy, with the clock stopped at ``now``. ``press``/``scan``
press keys and wait until the workers are done and their messages handled, so tests never race the
database work. A scan is its characters then Enter (``scan(pilot, "0420000000013")``).

Demo facts used by the tests (sample_data/members.csv, products.csv, at 21/11/2026 10:30):
member 1 (card 0420000000013) may shop; member 2 (card 0420000000020) is suspended; member 43
(0420000000433) has 100,00 € on their prepaid account; member 14 is a shift leader (may
authorise discounts). Statuses drawn at random differ between backends: ``card_of`` finds one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from coop import migrate
from coop.clock import fixed_clock
from coop.config import Settings, TillSettings, demo_settings
from coop.db import make_engine, make_session_factory
from coop.demo import load_sample_data
from coop.rights import Actor, Role
from tests.conftest import (
    built_once,
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)
from tui.app import ComptoirApp, make_app

ALICE_CARD = "0420000000013"  # member 1, may shop
SUSPENDED_CARD = "0420000000020"  # member 2, suspended
ACCOUNT_CARD = "0420000000433"  # member 43, 100,00 € on the prepaid account
LEADER = 14  # a shift leader
MESCLUN = "3763812014326"  # Mesclun 150 g, 2,90 €
SPAGHETTI = "3153600608514"  # Spaghetti 500 g, 2,15 €
MILK = "3765457300574"  # Lait cru 1 L, 1,60 € + bottle deposit 0,20 €
BOTTLE = "2000000000022"  # the 75 cl / 1 L bottle deposit, 0,20 €
APPLES_LABEL = "2101001012349"  # Pommes Golden 1,234 kg at 3,20 €/kg = 3,95 €
AT_TERMINAL = Actor(
    "Éric Dumont", member_number=1, roles=frozenset({Role.CASHIER, Role.ADMINISTRATOR})
)
"""The person logged in at the terminal in tests about something else than logging in (the demo's
administrator, ``coop.staff.sample``); tests/tui/test_login.py logs in for real."""
AZERTY = str.maketrans("1234567890", "&é\"'(-è_çà")


def azerty(code: str) -> str:
    """What a US-configured scanner types on a French AZERTY keyboard."""
    return code.translate(AZERTY)


IDLE_CHECK_SECONDS = 0.002
"""How often Textual's test pilot looks whether the app went idle (``textual._wait``: after each key
press and each ``pilot.pause()``). Textual looks every 20 ms, so each key waited 40 ms at least and
a scan of 13 digits half a second, most of the TUI tests' time on an idle machine. Every 2 ms with
the same ratio (idle = less than 1/20 of that slice used) is the same test, decided sooner; our own
``settle`` still waits for the workers and the messages they post."""


@pytest.fixture(scope="session", autouse=True)
def quick_idle_checks() -> Iterator[None]:
    import textual._wait as idle

    if not hasattr(idle, "SLEEP_GRANULARITY") or not hasattr(idle, "SLEEP_IDLE"):
        yield  # another Textual: its own pace, the same tests (slower)
        return
    before = idle.SLEEP_GRANULARITY, idle.SLEEP_IDLE
    idle.SLEEP_GRANULARITY = IDLE_CHECK_SECONDS
    idle.SLEEP_IDLE = IDLE_CHECK_SECONDS / 20
    yield
    idle.SLEEP_GRANULARITY, idle.SLEEP_IDLE = before


def _load(factory: Any, now: datetime) -> None:
    load_sample_data(factory, settings=Settings(), now=now)


def _demo_in(url: str) -> None:
    from coop.clock import SHOP_TIMEZONE

    now = datetime(2026, 11, 21, 10, 30, tzinfo=SHOP_TIMEZONE)
    engine = make_engine(url)
    migrate.upgrade(engine)
    _load(make_session_factory(engine), now)
    engine.dispose()


def _demo_sqlite(folder: Path) -> str:
    path = folder / "demo.sqlite3"
    _demo_in(f"sqlite:///{path}")
    return str(path)


def _demo_postgres(folder: Path) -> str:
    url = create_postgres_database()
    _demo_in(url)
    return str(make_url(url).database)


@pytest.fixture(scope="session")
def demo_sqlite() -> Path:
    """The demo in a SQLite file, built once per run (shared by xdist's workers)."""
    return Path(built_once("sqlite-demo", _demo_sqlite))


@pytest.fixture(scope="session")
def demo_postgres() -> str:
    """The name of a PostgreSQL database holding the demo, built once per run."""
    require_postgres()
    return built_once("postgres-demo", _demo_postgres)


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the demo data for this test (commits are real)."""
    if request.param == "sqlite":
        target = tmp_path / "demo.sqlite3"
        shutil.copy(request.getfixturevalue("demo_sqlite"), target)
        yield f"sqlite:///{target}"
        return
    require_postgres()
    url = create_postgres_database(template=request.getfixturevalue("demo_postgres"))
    yield url
    drop_postgres_database(url)


@pytest.fixture
def demo_engine(demo_url: str) -> Iterator[Engine]:
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()


@pytest.fixture
def counter_app(demo_url: str, demo_engine: Engine, now: datetime) -> Callable[..., ComptoirApp]:
    def build(language: str = "en", mode: str = "counter", **till: Any) -> ComptoirApp:
        settings = replace(
            demo_settings(Settings()),  # the demo coop's name, address and SIRET, as `coop demo`
            database_url=demo_url,
            language=language,
            till=replace(TillSettings(), **till),
        )
        return make_app(
            settings, make_session_factory(demo_engine), fixed_clock(now), mode, AT_TERMINAL
        )

    return build


def card_of(
    engine: Engine, now: datetime, wanted: Callable[[Any], bool], category: str | None = None
) -> str:
    """The active card of the first household main member whose desk check is ``wanted``
    (the demo's shift history is drawn at random: statuses differ between backends)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from coop.members.models import Member, MemberCard, MemberCategory
    from coop.shifts import desk

    with Session(engine) as session:
        query = select(Member).where(Member.main_member_id.is_(None)).order_by(Member.number)
        if category is not None:
            query = query.join(MemberCategory, Member.category_id == MemberCategory.id).where(
                MemberCategory.code == category
            )
        members = session.scalars(query)
        for member in members:
            check = desk.check(session, str(member.number), at=now, settings=Settings().shifts)
            if wanted(check):
                card = session.scalar(
                    select(MemberCard.barcode).where(
                        MemberCard.member_id == member.id, MemberCard.ended_on.is_(None)
                    )
                )
                if card:
                    return card
    raise AssertionError("no such member in the demo data")


@pytest.fixture
def shopper(demo_engine: Engine, now: datetime) -> str:
    """The card of a member at list prices (category standard) who may shop, no warning."""
    return card_of(
        demo_engine,
        now,
        lambda check: check.can_shop and not check.warnings,
        category="standard",
    )


async def settle(pilot: Any) -> None:
    """Wait until every worker finished and the messages they posted are handled."""
    for _round in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
    raise AssertionError("workers did not settle")


async def press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def scan(pilot: Any, code: str) -> None:
    """A scanner: the characters of the code, then Enter."""
    await pilot.press(*code, "enter")
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)
