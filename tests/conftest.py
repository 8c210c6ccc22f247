"""Shared fixtures: real databases (SQLite file and PostgreSQL server), a fixed clock, an actor.

Database tests run once per backend. PostgreSQL needs COOP_TEST_POSTGRES_URL (`.ci/run` starts
a server and sets it); without it those tests are skipped on a laptop, and fail under CI.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coop import migrate
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings, Settings
from coop.db import make_engine
from coop.i18n import set_language
from coop.rights import Role

POSTGRES_URL = os.environ.get("COOP_TEST_POSTGRES_URL", "")
IN_CI = bool(os.environ.get("CI"))
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


hypothesis_settings.register_profile("comptoir", deadline=None)
hypothesis_settings.load_profile("comptoir")
"""No per-example time limit for the property tests: they assert results, and Hypothesis's
200 ms default fails them spuriously when two test workers share a loaded 2-core machine.
Speed is measured by the benchmarks in ``bench/``, not here."""


ONE_PROCESS_GROUPS = {"sync": "odoo"}
"""Test folders whose tests run in one and the same worker process under pytest-xdist (`-n 2
--dist loadgroup` in pyproject.toml): the sync's tests share the one real Odoo, its journals and
its sequences, so they never run two at a time."""


@pytest.hookimpl(tryfirst=True)  # the marker must be there before xdist's hook reads it
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        path = item.path.resolve()
        if not path.is_relative_to(tests):
            continue
        parts = path.relative_to(tests).parts
        group = ONE_PROCESS_GROUPS.get(parts[0]) if len(parts) > 1 else None
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


SHARED_BUILDS = "COMPTOIR_TESTS_SHARED_BUILDS"
"""A folder of the whole run, which every worker process sees (set by the first process, which
xdist's workers inherit): the migrated templates and the demo are built there once per run."""
_made_here = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or os.environ.get(SHARED_BUILDS):
        return  # an xdist worker, or a run inside a run: the folder is its parent's
    folder = Path(tempfile.mkdtemp(prefix="comptoir-tests-"))
    os.environ[SHARED_BUILDS] = str(folder)
    config.stash[_made_here] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    """After the workers stopped: the PostgreSQL templates built for the run go, then the folder."""
    folder = config.stash.get(_made_here, None)
    if folder is None:
        return
    try:
        for built in sorted(folder.glob("postgres*.done")):
            url = make_url(POSTGRES_URL).set(database=built.read_text())
            drop_postgres_database(url.render_as_string(hide_password=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(SHARED_BUILDS, None)


def built_once(name: str, build: Callable[[Path], str], wait: float = 1800.0) -> str:
    """What ``build(folder)`` returns (a file's path or a database's name), built by the first
    process of the run that asks; the others wait for it. Names of PostgreSQL databases start
    with "postgres": they are dropped at the end of the run, not by the tests."""
    folder = Path(os.environ.get(SHARED_BUILDS) or tempfile.mkdtemp(prefix="comptoir-tests-"))
    done, failed = folder / f"{name}.done", folder / f"{name}.failed"
    try:
        (folder / f"{name}.lock").mkdir()
    except FileExistsError:
        deadline = time.monotonic() + wait
        while not done.exists():
            if failed.exists():
                pytest.fail(f"another test process failed to build {name}: {failed.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} was not built by another test process within {wait:.0f} s")
            time.sleep(0.1)
        return done.read_text()
    try:
        value = build(folder)
    except BaseException as error:
        failed.write_text(repr(error))
        raise
    (folder / f"{name}.partial").write_text(value)
    (folder / f"{name}.partial").replace(done)
    return value


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never read or write the developer's own config, data or logs.

    Tests assert on English message ids; tests of the French wording switch language themselves.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COOP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COOP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COOP_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("COOP_CACHE_DIR", str(home / "cache"))
    for name in ("COOP_DATABASE_URL", "COOP_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COOP_LANG", "en")
    set_language("en")
    yield
    set_language("en")


def require_postgres() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if IN_CI:
        pytest.fail("COOP_TEST_POSTGRES_URL is not set: CI must test PostgreSQL")
    pytest.skip("no PostgreSQL server (set COOP_TEST_POSTGRES_URL)")


def _admin_engine() -> Engine:
    return make_engine(require_postgres()).execution_options(isolation_level="AUTOCOMMIT")


def create_postgres_database(template: str | None = None) -> str:
    """A new empty (or copied) database on the test server; returns its URL."""
    name = f"comptoir_t{os.getpid()}_{next(_counter)}"
    admin = _admin_engine()
    with admin.connect() as connection:
        clause = f" TEMPLATE {template}" if template else ""
        connection.execute(text(f"CREATE DATABASE {name}{clause}"))
    admin.dispose()
    return make_url(require_postgres()).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _migrated_sqlite(folder: Path) -> str:
    path = folder / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return str(path)


def _migrated_postgres(folder: Path) -> str:
    url = create_postgres_database()
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return str(make_url(url).database)


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    """A migrated SQLite file (one per run), copied for each test that needs its own committed
    database."""
    return Path(built_once("sqlite-template", _migrated_sqlite))


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """The name of a migrated PostgreSQL database (one per run), the template of each test's."""
    require_postgres()
    return built_once("postgres-template", _migrated_postgres)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database of its own for this test (commits are real)."""
    if request.param == "sqlite":
        target = tmp_path / "comptoir.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    require_postgres()
    url = create_postgres_database(template=request.getfixturevalue("postgres_template"))
    yield url
    drop_postgres_database(url)


@pytest.fixture
def postgres_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh migrated PostgreSQL database, for tests of row-level locking only it has."""
    require_postgres()
    url = create_postgres_database(template=request.getfixturevalue("postgres_template"))
    yield url
    drop_postgres_database(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A Session on a migrated database; services may commit, the test's writes stay its own."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 21, 10, 30, tzinfo=SHOP_TIMEZONE)


@pytest.fixture
def actor() -> Actor:
    """A person at the till holding every role, for tests about something else than rights
    (the rights themselves: tests/staff/)."""
    return Actor("test:cashier", roles=frozenset({Role.ADMINISTRATOR}))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, members=MemberSettings())


@pytest.fixture
def sample_data() -> Path:
    return Path(__file__).resolve().parent.parent / "sample_data"
