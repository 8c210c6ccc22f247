"""`coop init`, `coop locate`, `coop demo` and `coop tui`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coop import paths
from coop.cli.context import Context, context_from, print_json
from coop.i18n import _


def init(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from coop import migrate
    from coop.db import check_connection, unavailable

    context = context_from(args)
    check_connection(context.engine)
    before = migrate.current_revision(context.engine)
    try:
        migrate.upgrade(context.engine)
    except OperationalError as error:  # e.g. a read-only file or a server gone mid-upgrade
        raise unavailable(context.engine, error) from error
    where = context.describe_database()
    if before is None:
        print(_("Database created: {where}").format(where=where))
    elif before == migrate.head_revision():
        print(_("Database already up to date: {where}").format(where=where))
    else:
        print(_("Database upgraded: {where}").format(where=where))
    from coop import signing

    key, created = signing.create_key()
    if created:
        print(
            _("Key signing the till closures created (keep a copy apart): {path}").format(path=key)
        )
    return 0


def locate(args: argparse.Namespace) -> int:
    context = context_from(args)
    found = {
        "config": str(paths.config_file()),
        "data": str(paths.data_dir()),
        "logs": str(paths.log_file()),
        "database": context.describe_database(),
        "odoo": _odoo_sync(),
    }
    if args.what:
        print(found[args.what])
    elif args.json:
        print_json(found)
    else:
        labels = {
            "config": _("Configuration"),
            "data": _("Data folder"),
            "logs": _("Log file"),
            "database": _("Database"),
            "odoo": _("Odoo sync"),
        }
        width = max(len(label) for label in labels.values())
        for key, value in found.items():
            print(f"{labels[key]:<{width}}  {value}")
    return 0


def _odoo_sync() -> str:
    """Where the accounting push goes ([sync.odoo] and COOP_ODOO_*), never the API key."""
    from coop.sync.settings import load

    odoo = load().odoo
    if not odoo.url:
        return _("not configured ([sync.odoo] in the config file, API key in COOP_ODOO_API_KEY)")
    key = _("API key set") if odoo.api_key else _("API key missing (COOP_ODOO_API_KEY)")
    return f"{odoo.url} · {odoo.database} · {odoo.login} · {key}"


def demo(args: argparse.Namespace) -> int:
    import os

    from coop import signing
    from coop.config import demo_settings, load_settings
    from coop.demo import build_demo

    context = context_from(args)
    # the coop's own settings (COOP_DEMO left out), so the demo never overwrites its database
    own = load_settings(
        database_url=args.database,
        language=args.lang,
        environ={key: value for key, value in os.environ.items() if key != "COOP_DEMO"},
    )
    target = paths.demo_database_file()
    signing.create_key()  # the demo's Zs are signed as a real till's
    summary = build_demo(target, settings=demo_settings(own), real=own, now=context.clock())
    print(_("Demo database ready: {path}").format(path=target))
    for label, count in summary.items():
        print("  " + _("{label}: {count}").format(label=label, count=count))
    print(
        _(
            "To use the demo from the command line (the README's tour), type this line once in "
            "this terminal: export COOP_DEMO=1 (or write coop --demo before each command)."
        )
    )
    if args.no_tui:
        return 0
    return _run_tui(Context(demo_settings(own)), args.mode)


def tui(args: argparse.Namespace) -> int:
    context = context_from(args)
    context.require_schema()
    return _run_tui(context, args.mode)


def _run_tui(context: Context, mode: str) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print(_("The terminal interface needs a terminal (stdin and stdout are not one)."))
        return 2
    from tui.app import make_app

    app = make_app(context.settings, context.sessions, context.clock, mode=mode)
    app.run()
    return app.return_code or 0


def do_backup(args: argparse.Namespace) -> int:
    """`coop backup [--out FILE]`: a consistent copy while tills run."""
    from coop import backup

    context = context_from(args)
    url = context.settings.resolved_database_url()
    now = context.clock()
    out = (
        Path(args.out) if args.out else paths.data_dir() / "backups" / backup.default_name(url, now)
    )
    made = backup.backup(url, out)
    print(_("Backup written: {path}").format(path=made))
    return 0


def _verifier(url: str) -> list[str]:
    from sqlalchemy.orm import Session

    from coop.accounts.verify import verify_accounts
    from coop.db import READ_ONLY, make_engine
    from coop.till import verify

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.connection(execution_options={READ_ONLY: True})
            problems = [v.message() for v in verify.verify(session) if not v.ok]
            accounts = verify_accounts(session)
            return problems + ([] if accounts.ok else accounts.messages())
    finally:
        engine.dispose()


def do_restore(args: argparse.Namespace) -> int:
    """`coop restore FILE`: checked first, the current database kept aside."""
    from coop import backup

    context = context_from(args)
    url = context.settings.resolved_database_url()
    aside = backup.restore(url, Path(args.file), context.clock(), _verifier)
    print(
        _("Restored {path} into {where}.").format(path=args.file, where=context.describe_database())
    )
    if aside is not None:
        print(_("The database as it was is kept in {path}.").format(path=aside))
    return 0
