"""The core stays free of the UI and the PDF renderer, and `coop --help` stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_and_cli_start_without_textual_or_reportlab():
    code = (
        "import sys, coop.cli.main, coop.members.service, coop.members.exchange, coop.money;"
        "coop.cli.main.build_parser();"
        "bad = [m for m in ('textual', 'reportlab', 'tui', 'invoices', 'sqlalchemy', 'babel')"
        " if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    # The service modules need SQLAlchemy; what must never load is the UI and the PDF stack.
    loaded = set(filter(None, result.stdout.strip().split(",")))
    assert loaded.isdisjoint({"textual", "reportlab", "tui", "invoices"})


def test_help_loads_neither_the_database_layer_nor_babel():
    code = (
        "import sys, coop.cli.main; coop.cli.main.build_parser();"
        "heavy = ('sqlalchemy', 'textual', 'reportlab', 'rapidfuzz', 'babel');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    # The first run compiles the French catalogue into the cache; later runs only read it.
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def _modules_after(argv: list[str], *, full: bool = False) -> tuple[int, set[str], str]:
    """Run `coop ARGV` in a fresh interpreter; its exit code, the top-level packages it loaded
    (with ``full``, every module's whole name) and what it wrote on stderr."""
    code = (
        "import sys\n"
        "from coop.cli.main import main\n"
        "try:\n"
        f"    code = main({argv!r})\n"
        "except SystemExit as done:\n"
        "    code = done.code or 0\n"
        f"names = {{m if {full} else m.split('.')[0] for m in sys.modules}}\n"
        "print('MODULES', ' '.join(sorted(names)))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    marker = [line for line in result.stdout.splitlines() if line.startswith("MODULES ")]
    assert marker, result.stdout + result.stderr
    return result.returncode, set(marker[-1].split()[1:]), result.stderr


def test_coop_help_process_loads_no_heavy_package():
    heavy = {"sqlalchemy", "alembic", "textual", "reportlab", "babel", "rapidfuzz"}
    _modules_after(["--help"])  # the first run may compile the catalogue into the cache
    code, loaded, err = _modules_after(["--help"])
    assert code == 0, err
    assert loaded & heavy == set()


def _import_one_member(database_url: str, tmp_path: Path) -> None:
    from coop.cli.main import main

    members = tmp_path / "members.csv"
    members.write_text(
        "number;first_name;last_name;email;joined_on;left_on;household;card\n"
        "1;Hélène;Dupont;;15/03/2021;;;\n",
        encoding="utf-8",
    )
    assert main(["--database", database_url, "import", "members", str(members)]) == 0


def test_desk_check_process_loads_neither_alembic_nor_the_ui_nor_pdf(database_url, tmp_path):
    _import_one_member(database_url, tmp_path)
    code, loaded, err = _modules_after(["--database", database_url, "desk", "check", "1", "--json"])
    assert code == 0, err
    assert "sqlalchemy" in loaded  # it did read the database
    assert loaded & {"alembic", "textual", "reportlab", "tui", "invoices", "rapidfuzz"} == set()


def test_desk_check_on_sqlite_loads_neither_the_postgresql_dialect_nor_other_contexts(tmp_path):
    """The partial indexes' PostgreSQL condition is kept aside (``coop.db.partial_unique_index``),
    so a SQLite command does not import the PostgreSQL dialect; the check imports what it
    reads with and nothing of the till, orders or AMAP."""
    from coop.cli.main import main

    database_url = f"sqlite:///{tmp_path / 'coop.sqlite3'}"
    assert main(["--database", database_url, "init"]) == 0
    _import_one_member(database_url, tmp_path)
    argv = ["--database", database_url, "desk", "check", "1", "--json"]
    code, loaded, err = _modules_after(argv, full=True)
    assert code == 0, err
    assert "sqlalchemy.dialects.sqlite" in loaded
    assert not {m for m in loaded if m.startswith(("sqlalchemy.dialects.postgresql", "psycopg"))}
    # the check reads with Core (coop.shifts.desk_reads): the shifts service, the shares and
    # the other contexts stay unloaded
    assert loaded.isdisjoint({"coop.shifts.service", "coop.members.shares", "alembic"})
    assert not {m for m in loaded if m.startswith(("coop.till", "coop.orders", "coop.amap"))}


def test_a_command_runs_with_the_garbage_collector_on_again(tmp_path):
    """Start-up pauses the collector (``coop.cli.main._collect_again``); the command itself, the
    counter or a long verify, runs with it on, the start-up's objects frozen out of it."""
    code = (
        "import gc, sys\n"
        "from coop.cli import main as cli\n"
        "seen = []\n"
        "def locate(args):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "    return 0\n"
        "sys.modules['coop.cli.system'].locate = locate\n"
        "sys.argv = ['coop', 'locate']\n"
        "code = cli.main()\n"
        "print(seen, gc.isenabled())\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "COOP_DATA_DIR": str(tmp_path), "COOP_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import coop.cli.system\n" + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(True, True)] True"


SAMPLE = ROOT / "sample_data"


def _sample_till(tmp_path: Path) -> str:
    """A SQLite database with the sample members and products, its till open: its URL."""
    from coop.cli.main import main

    database_url = f"sqlite:///{tmp_path / 'coop.sqlite3'}"
    assert main(["--database", database_url, "init"]) == 0
    for kind in ("members", "producers", "products"):
        assert main(["--database", database_url, "import", kind, str(SAMPLE / f"{kind}.csv")]) == 0
    assert main(["--database", database_url, "till", "open", "--coins", "20x5"]) == 0
    return database_url


def test_a_one_item_sale_on_sqlite_loads_only_what_selling_needs(tmp_path):
    """`coop till sell` of one item paid in cash: the prepaid accounts, the shares' ledger (with
    the accounting outbox), the Z's reads and signing, the PostgreSQL dialect, alembic and the
    other contexts stay unloaded; they are imported by the sales and commands that use them."""
    database_url = _sample_till(tmp_path)
    argv = ["--database", database_url, "till", "sell", "PAIN-CAMP-1KG", "--member", "42"]
    code, loaded, err = _modules_after([*argv, "--pay", "cash=10"], full=True)
    assert code == 0, err
    assert {"coop.till.selling", "coop.shifts.desk", "sqlalchemy.dialects.sqlite"} <= loaded
    assert not {
        m
        for m in loaded
        if m.startswith(
            (
                "coop.accounts",
                "coop.outbox",
                "coop.signing",
                "cryptography",
                "coop.orders",
                "coop.amap",
                "alembic",
                "textual",
                "reportlab",
                "sqlalchemy.dialects.postgresql",
                "psycopg",
            )
        )
    }
    assert loaded.isdisjoint({"coop.members.shares", "coop.till.closing", "coop.till.sessions"})
    # it maps only the classes it loads (tills, members, products, stock): the desk check reads
    # the shifts' Core tables and the sale writes its rows and journal through the till's, so no
    # shift class, no sale, line, payment, VAT or journal class, no closure, signature, cash
    # movement, inventory, share movement or fee is declared (issue 18, target 5)
    assert {"coop.shifts.tables", "coop.till.tables", "coop.till.till_models"} <= loaded
    # nor the stock's two classes: the sale writes its moves and levels through the stock's
    # Core tables
    assert "coop.stock.tables" in loaded
    assert loaded.isdisjoint(
        {
            "coop.stock.models",
            "coop.shifts.models",
            "coop.shifts.slot_models",
            "coop.till.models",
            "coop.till.closure_models",
            "coop.stock.inventory_models",
            "coop.members.share_models",
        }
    )
    # nor the Z report's print data, nor the reads of a refund (the receipt's barcode aside)
    assert {"coop.till.documents", "coop.till.receipt_code"} <= loaded
    assert loaded.isdisjoint({"coop.till.z_documents", "coop.till.refund_reads"})
    # nor the shift calendar (templates, holidays' dates): the words take the holidays' codes
    # from their own module and the rules import the calendar where the cycles are counted
    assert "coop.shifts.holidays" in loaded
    assert "coop.shifts.calendar" not in loaded
    # nor python-stdnum (it loads pydoc: the kernel computes the GS1 check digits itself) nor
    # the rotating log file's module (a sale logs nothing; the file opens with a first record)
    assert not {m for m in loaded if m.startswith(("stdnum", "pydoc"))}
    assert "logging.handlers" not in loaded
    # nor the chain's checking (its verdict, breaks and anchors): a sale only seals
    assert "coop.till.journal" in loaded and "coop.till.chain" not in loaded
    # nor the stock's use cases (receipts, losses, levels, reorders): it writes its moves
    # through coop.stock.moves
    assert "coop.stock.moves" in loaded and "coop.stock.service" not in loaded
    # the catalogue's, the members', the tills' and the staff's classes stand on Core tables
    # (declared as ``Table``s, cheaper than annotated columns), and the audit log is
    # written through its table: its mapped class (coop.audit_entries) is not declared
    assert {"coop.catalog.tables", "coop.members.tables", "coop.audit"} <= loaded
    assert {"coop.till.till_tables", "coop.staff.tables"} <= loaded
    assert "coop.audit_entries" not in loaded
    # nor the shift rules' events, their outcome and the ledger fold (coop.shifts.values), nor
    # the rules that apply them: the desk check reads the state values (coop.shifts.state) and
    # asks the family's grace rule itself (issue 18, target 5, start8)
    assert {"coop.shifts.state", "coop.shifts.desk_rules"} <= loaded
    assert loaded.isdisjoint({"coop.shifts.values", "coop.shifts.rules"})
    # nor the staff's use cases (PINs, log-in, roles) and their mapped classes: a command that
    # names no actor asks coop.staff.first_setup whether an administrator exists
    assert "coop.staff.first_setup" in loaded
    assert loaded.isdisjoint({"coop.staff.service", "coop.staff.models", "coop.staff.rules"})
    # nor the families of shift rules the coop does not follow (the sample's policy is La
    # Louve's), nor the members' name index (the member is typed by number)
    assert "coop.shifts.status.louve" in loaded
    assert loaded.isdisjoint({"coop.shifts.status.bees", "coop.shifts.status.tapir"})
    assert "coop.members.search" not in loaded
    # a sale on the prepaid account does import the accounts (and still sells)
    paid = [*argv, "--top-up", "20", "--pay", "cash=30"]
    code, loaded, err = _modules_after(paid, full=True)
    assert code == 0, err
    assert "coop.accounts.service" in loaded


def test_a_members_command_declares_no_shift_models(tmp_path):
    """Every command resolves its actor through ``coop.staff.service``, which imports the shift
    skills' model only where a member's roles are read: `coop members show` declares none of
    the shifts' thirteen mapped classes."""
    from coop.cli.main import main

    database_url = f"sqlite:///{tmp_path / 'coop.sqlite3'}"
    assert main(["--database", database_url, "init"]) == 0
    _import_one_member(database_url, tmp_path)
    code, loaded, err = _modules_after(
        ["--database", database_url, "members", "show", "1"], full=True
    )
    assert code == 0, err
    assert "coop.members.models" in loaded
    assert loaded.isdisjoint({"coop.shifts.models", "coop.accounts.models", "coop.till.models"})


def test_a_handlers_own_imports_run_with_the_collector_paused():
    """`coop till sell` and `coop orders close` import their use cases inside the handler
    (``coop.cli.collector.imports_paused``): in a process whose start-up paused the collector
    it is paused for those imports and on again afterwards, what they loaded frozen; in a
    test's call of ``main([...])`` (no pause at start) the collector is left as it is."""
    code = (
        "import gc\n"
        "from coop.cli import collector\n"
        "seen = []\n"
        "with collector.imports_paused():\n"
        "    seen.append(gc.isenabled())\n"  # not paused at start: left alone
        "collector.pause()\n"
        "collector.collect_again()\n"
        "frozen = gc.get_freeze_count()\n"
        "with collector.imports_paused():\n"
        "    seen.append(gc.isenabled())\n"
        "    loaded = [[i] for i in range(1000)]\n"
        "seen.append(gc.isenabled())\n"
        "print(seen, gc.get_freeze_count() >= frozen + 1000)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, False, True] True"


def _collector_during(argv: list[str], names: tuple[str, ...], env: dict[str, str]) -> str:
    """Run `coop ARGV` through the command's entry point (``coop.cli.run``, as the `coop` script
    and `python -m coop` do) in a fresh interpreter; print whether the collector was on when
    each of ``names`` was imported, and whether it is on after the command."""
    code = (
        "import gc, sys\n"
        "states = {}\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name in {names!r} and name not in states:\n"
        "            states[name] = gc.isenabled()\n"
        "sys.meta_path.insert(0, Spy())\n"
        f"sys.argv = ['coop', *{argv!r}]\n"
        "from coop.cli.run import main\n"
        "code = main()\n"
        "print(sorted(states.items()), gc.isenabled())\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_command_line_and_a_receipt_load_with_the_collector_paused(tmp_path):
    """The entry point pauses the collector before importing the command line (argparse,
    gettext, the errors), and a sale prints its receipt (Babel and its locale data, loaded
    once and kept) with it paused too; the collector is on again after each."""
    env = {**os.environ, "COOP_DATA_DIR": str(tmp_path), "COOP_CONFIG_DIR": str(tmp_path)}
    env["COOP_LANG"] = "en"
    start = ("argparse", "gettext", "coop.errors", "coop.cli.main")
    assert _collector_during(["locate", "data"], start, env) == (
        "[('argparse', False), ('coop.cli.main', False), ('coop.errors', False),"
        " ('gettext', False)] True"
    )
    database_url = _sample_till(tmp_path)
    sale = ["--database", database_url, "till", "sell", "PAIN-CAMP-1KG", "--member", "42"]
    receipt = ("babel.dates", "babel.numbers", "coop.till.receipt_text")
    assert _collector_during([*sale, "--pay", "cash=10"], receipt, env) == (
        "[('babel.dates', False), ('babel.numbers', False), ('coop.till.receipt_text', False)] True"
    )


def test_the_audit_entry_class_is_mapped_on_first_use():
    """``from coop.audit import AuditEntry`` keeps working: the class comes from
    ``coop.audit_entries``, mapped onto the same Core table ``record`` writes through."""
    code = (
        "import sys\n"
        "import coop.audit as audit\n"
        "before = 'coop.audit_entries' in sys.modules\n"
        "from coop.audit import AuditEntry\n"
        "from coop.audit_entries import AuditEntry as Mapped\n"
        "assert AuditEntry is Mapped and AuditEntry.__table__ is audit.AUDIT_ENTRIES\n"
        "try:\n"
        "    audit.NoSuchName\n"
        "except AttributeError:\n"
        "    print(before, 'ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ok"
