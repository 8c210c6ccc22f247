"""An export interrupted half-way (Ctrl+C, or a failure while writing) leaves neither a hidden
``.part`` file nor a half-written target; one killed outright (kill -9, no chance to clean)
is cleaned by the next export (issue 17 §6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coop.cli import data
from coop.cli.main import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_export_interrupted_while_writing_leaves_nothing(
    database_url, tmp_path, monkeypatch, failure
):
    assert main(["--database", database_url, "import", "members", str(SAMPLE / "members.csv")]) == 0
    columns, rows_of = data._exporter("members")

    def half_then_fail(session):
        for index, row in enumerate(rows_of(session)):
            if index == 50:
                raise failure("interrupted")
            yield row

    monkeypatch.setattr(data, "_exporter", lambda kind: (columns, half_then_fail))
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "membres.csv"
    code = main(["--database", database_url, "export", "members", "--out", str(target)])
    assert code != 0
    assert sorted(p.name for p in folder.iterdir()) == []  # no target, no .part


def test_an_export_killed_outright_is_cleaned_by_the_next(database_url, tmp_path):
    """A real process, stopped with SIGKILL while its part file exists."""
    assert main(["--database", database_url, "import", "members", str(SAMPLE / "members.csv")]) == 0
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "membres.csv"
    script = (
        "import sys, time\n"
        "from coop.cli import data\n"
        "columns, rows_of = data._exporter('members')\n"
        "def slow(session):\n"
        "    for row in rows_of(session):\n"
        "        time.sleep(0.05)\n"
        "        yield row\n"
        "data._exporter = lambda kind: (columns, slow)\n"
        "from coop.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            "--database",
            database_url,
            "export",
            "members",
            "--out",
            str(target),
        ],
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while not list(folder.glob(".membres.csv.*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(folder.glob(".membres.csv.*.part")), "the export never started writing"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert list(folder.glob(".membres.csv.*.part"))  # what kill -9 leaves
    assert main(["--database", database_url, "export", "members", "--out", str(target)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["membres.csv"]
