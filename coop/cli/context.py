"""What every command needs, built once per run: settings, database, actor, clock, output."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from coop.audit import Actor
from coop.clock import Clock, system_clock
from coop.config import Settings
from coop.errors import DatabaseUnavailable
from coop.i18n import _
from coop.rights import NotAllowed


@dataclass
class Context:
    settings: Settings
    clock: Clock = system_clock
    acting_member: int | None = None
    """``--as MEMBER_NO`` (None: the config's ``[members] acting_member``, if any)."""

    @cached_property
    def actor(self) -> Actor:
        """The named person the command acts as (``coop.cli.acting``), or ``cli:<user>``: an
        administrator while the coop has none (the first set-up), no role afterwards."""
        from coop.cli.acting import acting_actor, unnamed_actor

        named = acting_actor(self)
        if named is not None:
            return named
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return unnamed_actor(self, f"cli:{user}")

    @cached_property
    def engine(self) -> Engine:
        from coop.db import make_engine

        return make_engine(
            self.settings.resolved_database_url(),
            create_folder=not self.settings.database_url,
        )

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from coop.db import make_session_factory

        return make_session_factory(self.engine)

    def require_schema(self) -> None:
        """Refuse to run on a database that `coop init` has not created or upgraded."""
        from coop import migrate
        from coop.db import check_connection

        check_connection(self.engine)
        try:
            up_to_date = migrate.is_up_to_date(self.engine)
        except OperationalError as error:
            from coop.db import unavailable

            raise unavailable(self.engine, error) from error
        if not up_to_date:
            raise DatabaseUnavailable(
                _(
                    "The database {where} is not initialised or is out of date: run `coop init`."
                ).format(where=self.describe_database())
            )

    def _record_refusal(self, refusal: NotAllowed) -> None:
        """The refused action rolled back; its refusal is audited in a transaction of its own."""
        from coop.audit import record_refusal

        with self.sessions() as session, session.begin():
            record_refusal(session, refusal, at=self.clock())

    def describe_database(self) -> str:
        from coop.db import describe

        return describe(self.settings.resolved_database_url())

    @contextmanager
    def transaction(self, *, dry_run: bool = False) -> Iterator[Session]:
        """One command = one transaction; a dry run rolls everything back at the end."""
        from coop.db import unavailable

        self.require_schema()
        self.actor  # noqa: B018 -- a PIN is checked (and counted) before this transaction begins
        try:
            with self.sessions() as session:
                session.begin()
                if dry_run:
                    from coop.db import READ_ONLY

                    session.connection(execution_options={READ_ONLY: True})
                try:
                    yield session
                except NotAllowed as refusal:
                    session.rollback()
                    self._record_refusal(refusal)
                    raise
                except BaseException:
                    session.rollback()
                    raise
                if dry_run:
                    session.rollback()
                else:
                    session.commit()
        except OperationalError as error:
            raise unavailable(self.engine, error) from error


def print_json(data: Any) -> None:
    # one write (``json.dump`` to a stream writes every token: 550,000 writes for 15,000 members)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


class Progress:
    """A progress bar on a terminal (rich), nothing when output is piped or redirected."""

    def __init__(self, label: str, total: int | None) -> None:
        self.label = label
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def advance(self, steps: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, steps)

    def update(self, done: int, total: int) -> None:
        """Set the bar to ``done`` of ``total`` (for callbacks that count for themselves)."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def context_from(args: Any) -> Context:
    """Settings from the config file, the environment and this command's flags."""
    from coop.config import load_settings
    from coop.i18n import set_language

    settings = load_settings(
        database_url=args.database, language=args.lang, demo=getattr(args, "demo", False)
    )
    set_language(settings.language)
    return Context(settings, acting_member=getattr(args, "as_member", None))
