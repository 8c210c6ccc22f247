"""`coop`: argument parsing and dispatch. Command modules are imported only when used, so
`coop --help` stays fast and commands that print never load the terminal UI; a run builds
the arguments of its own command only (the others are listed by name and help)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import cast

from coop import __version__
from coop.cli import collector
from coop.errors import CoopError
from coop.i18n import _, set_language

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str, function: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        from importlib import import_module

        handler: Handler = getattr(import_module(f"coop.cli.{module}"), function)
        _collect_again()
        return handler(args)

    return run


def _collect_again() -> None:
    """Start-up paused the cyclic garbage collector: imports allocate hundreds of thousands of
    objects that live as long as the process, and each full collection walked them all again
    (≈ 0.1 s of a short command). They are frozen out of later collections and the collector
    runs again for the command itself (the counter, a long verify): ``coop.cli.collector``."""
    collector.collect_again()


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def build_parser(
    only: frozenset[str] | None = None, action: str | None = None
) -> argparse.ArgumentParser:
    """Every command's arguments, or with ``only`` those of the named commands alone; with
    ``action`` too, of that action alone (`coop till sell`: the other actions of `coop till` are
    listed by name and help, their arguments not built)."""
    from coop.cli.whole import CoopParser, Unused

    parser = CoopParser(
        prog="coop",
        formatter_class=_Formatter,
        description=_("Comptoir: the counter, shifts, grouped orders and AMAP of a food coop."),
        epilog=_("Without a command, `coop` opens the counter (like `coop tui`)."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"comptoir {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=_("database address (overrides COOP_DATABASE_URL and the config file)"),
    )
    parser.add_argument("--lang", choices=["fr", "en"], help=_("language (overrides COOP_LANG)"))
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("use the demo database built by `coop demo` (like COOP_DEMO=1)"),
    )
    parser.add_argument(
        "--as",
        dest="as_member",
        type=int,
        metavar=_("MEMBER_NO"),
        help=_("act as this member (their PIN is asked; see the README, “Logging in”)"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    def command(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        if only is not None and name not in only:
            commands.add_parser(name, help=help_text, add_help=False)
            return cast(argparse.ArgumentParser, Unused())
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", _("create the database or upgrade it to this version"), _lazy("system", "init"))
    locate = command(
        "locate", _("print where the config, data and logs live"), _lazy("system", "locate")
    )
    locate.add_argument(
        "what", nargs="?", choices=["config", "data", "logs", "database"], help=_("only this path")
    )
    locate.add_argument("--json", action="store_true", help=_("print JSON"))

    backing = command(
        "backup",
        _("write a consistent backup of the database (while tills run)"),
        _lazy("system", "do_backup"),
    )
    backing.add_argument("--out", metavar=_("FILE"), help=_("the new file (default: backups/)"))
    restoring = command(
        "restore",
        _("replace the database by a checked backup, keeping the current one aside"),
        _lazy("system", "do_restore"),
    )
    restoring.add_argument("file", metavar=_("FILE"))

    demo = command(
        "demo",
        _("build a fresh demo database from sample_data/ and open the counter on it"),
        _lazy("system", "demo"),
    )
    demo.add_argument("--no-tui", action="store_true", help=_("only load the data and say where"))
    demo.add_argument("--mode", default="counter", help=_("screen to open"))

    tui = command("tui", _("open the terminal user interface"), _lazy("system", "tui"))
    tui.add_argument(
        "--mode",
        default="counter",
        choices=["counter", "desk", "shifts", "distribution", "coordinator"],
        help=_("screen to open"),
    )

    importing = command(
        "import", _("import a CSV file (all or nothing)"), _lazy("data", "do_import")
    )
    importing.add_argument("kind", choices=["members", "producers", "products", "shift-templates"])
    importing.add_argument("file", metavar=_("FILE"))
    importing.add_argument(
        "--dry-run", action="store_true", help=_("check the file and report, change nothing")
    )
    importing.add_argument("--json", action="store_true", help=_("print the report as JSON"))

    exporting = command("export", _("export data as CSV or JSON"), _lazy("sync", "do_export"))
    exporting.add_argument(
        "kind", choices=["members", "producers", "products", "shift-templates", "fec"]
    )
    exporting.add_argument("--format", choices=["csv", "json"], default="csv")
    exporting.add_argument("--out", metavar=_("FILE"), help=_("write to FILE instead of stdout"))
    from coop.cli import sync

    sync.add_fec_arguments(exporting)
    sync.add_parsers(command, _lazy)

    members = command("members", _("look up and manage members"), _lazy("members", "dispatch"))
    actions = members.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    show = actions.add_parser("show", help=_("show a member by number or card"))
    show.add_argument("query", metavar=_("NUMBER_OR_CARD"))
    show.add_argument("--json", action="store_true")
    find = actions.add_parser("search", help=_("find members by name, number or card"))
    find.add_argument("query", metavar=_("TEXT"))
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--json", action="store_true")
    export_data = actions.add_parser(
        "export-data", help=_("write everything held on one person (JSON)")
    )
    export_data.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    export_data.add_argument("--out", metavar=_("FILE"))
    erase = actions.add_parser(
        "erase", help=_("anonymise a person who left, keeping accounting records")
    )
    erase.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    lost = actions.add_parser("card-lost", help=_("block a lost card and issue a new one"))
    lost.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    lost.add_argument("--json", action="store_true")
    from coop.cli import members_parsers

    members_parsers.add_parsers(actions)

    from coop.cli import staff_parsers

    staff_parsers.add_parsers(command, _lazy)
    from coop.cli.shift_parsers import add_parsers

    add_parsers(command, _lazy)
    from coop.cli import shop_parsers

    shop_parsers.add_parsers(command, _lazy, action=action)
    from coop.cli import order_parsers

    order_parsers.add_parsers(command, _lazy)
    from coop.cli import amap_parsers

    amap_parsers.add_parsers(command, _lazy)
    from coop.cli import print_parsers

    print_parsers.add_parsers(command, _lazy)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit code 0 on success, 2 on bad input or refusal, 1 on a bug."""
    if argv is None:  # the process's own command line (not a test's call)
        collector.pause()  # until the command's module is imported: see _collect_again
    argv = list(sys.argv[1:] if argv is None else argv)
    language = _peek_option(argv, "--lang")
    if language:
        set_language(language)
    else:
        from coop.i18n import current_language

        set_language(current_language())
    from coop.cli.argparse_strings import install

    install()
    args = _parser_for(argv).parse_args(argv)
    if getattr(args, "handler", None) is None:
        args = build_parser(frozenset({"tui"})).parse_args([*argv, "tui"])
    from coop.logs import configure_logging

    configure_logging()
    try:
        handler: Handler = args.handler  # made by _lazy: it turns the collector on again
        return handler(args)
    except CoopError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # `coop ... | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(_("Interrupted; nothing was changed."), file=sys.stderr)
        return 130
    except Exception as error:
        import logging

        from coop.db import out_of_range

        refused = out_of_range(error)
        if refused is not None:  # a value the database cannot hold: bad input, not a bug
            logging.getLogger(__name__).warning("refused by the database: %s", error)
            print(refused, file=sys.stderr)
            return 2
        logging.getLogger(__name__).exception("unexpected error in `coop %s`", " ".join(argv))
        from coop.paths import log_file

        print(
            _("Unexpected error; nothing was changed. Details are in {log}.").format(
                log=log_file()
            ),
            file=sys.stderr,
        )
        return 1


def _peek_option(argv: Sequence[str], name: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser with the arguments of the command named on the line (global options skipped);
    every command's when the first word is no command (e.g. an abbreviated option's value)."""
    words = iter(argv)
    for word in words:
        if word in ("--database", "--lang", "--as"):
            next(words, None)
        elif not word.startswith("-"):
            following = next(words, "-")  # the action, unless an option (`coop till --help`)
            action = None if following.startswith("-") else following
            parser = build_parser(frozenset({word}), action)
            return parser if word in _command_names(parser) else build_parser()
    return build_parser(frozenset())


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }
