"""The README's tours, run as written on a fresh demo: every `coop …` line of a tour section
(a heading with "tour" in it) runs through bash in a temporary folder, after `coop demo --no-tui`,
with the `export` lines before it; its exit code must be 0, or 2 when its comment says the line
is refused, and its French output must hold no raw code, Python value or English sentence
(``untranslated``). An output block (a fence whose first line is `$ coop …`) runs that command
at that point of the tour and must show each of its lines, in order (dates masked: the demo is
built relative to the day it runs).

Lines of other engineers' tours are picked up the same way, so a README example that stops being
true on the demo fails here. Left out, each for a stated reason: blocks that install software
(`pip install`) and blocks that need the treasurer's own Odoo (`COOP_ODOO_API_KEY`)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .untranslated import untranslated

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\s*$")
HEADING = re.compile(r"^(#+)\s+(.*)$")
DATES = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:\w+,? )?\d{1,2}(?:er)? (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
    r"octobre|novembre|décembre) \d{4}\b"
)
SKIPPED_BLOCKS = ("pip install", "COOP_ODOO_API_KEY")


@dataclass
class Step:
    """One line to run (``expect`` its exit code), or an output block to compare (``shown``)."""

    line: str
    where: int
    expect: int = 0
    shown: list[str] = field(default_factory=list)


def _logical_lines(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Backslash-continued lines joined, blank lines dropped."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, text in block:
        if pending is not None:
            number, text = pending[0], pending[1] + " " + text.strip()
        if text.rstrip().endswith("\\"):
            pending = (number, text.rstrip()[:-1].rstrip())
            continue
        pending = None
        if text.strip():
            joined.append((number, text.strip()))
    return joined


def tour_steps(text: str) -> list[Step]:
    """The steps of every tour section of a README, in order."""
    steps: list[Step] = []
    headings: list[tuple[int, str]] = []
    in_block: str | None = None
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if in_block is None:
            heading = HEADING.match(line)
            if heading:
                level = len(heading.group(1))
                headings = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
            elif fence:
                in_block, block = fence.group(1), []
            continue
        if not fence:
            block.append((number, line))
            continue
        kind, in_block = in_block, None
        if not any("tour" in title.lower() for _, title in headings):
            continue
        steps.extend(_block_steps(kind, block))
    return steps


def _block_steps(kind: str, block: list[tuple[int, str]]) -> list[Step]:
    body = "\n".join(line for _, line in block)
    if kind in ("sh", "bash", "shell"):
        if any(marker in body for marker in SKIPPED_BLOCKS):
            return []
        steps = []
        for number, line in _logical_lines(block):
            words = shlex.split(line, comments=True)
            if not words or words[0] not in ("coop", "export"):
                continue
            comment = line.partition(" #")[2].lower()
            refused = "refused" in comment or "exit 2" in comment
            steps.append(Step(line, number, expect=2 if refused else 0))
        return steps
    if kind in ("", "text") and block and block[0][1].startswith("$ coop"):
        shown = [line for _, line in block[1:] if line.strip()]
        return [Step(block[0][1][2:], block[0][0], shown=shown)]
    return []


def _normal(text: str) -> str:
    return " ".join(DATES.sub("<date>", text).split())


def test_the_tours_are_found_and_read() -> None:
    steps = tour_steps(README.read_text(encoding="utf-8"))
    lines = [step.line for step in steps]
    assert any(line.startswith("coop members show") for line in lines)
    assert any(step.shown for step in steps), "the desk check's sample output is compared"
    assert not any("pip install" in line for line in lines)
    sample = "```sh\ncoop till sell A \\\n  --member 42   # refused\necho no\n```\n"
    parsed = tour_steps("## A tour\n" + sample + "## Other\n" + sample)
    assert [(s.line, s.expect) for s in parsed] == [("coop till sell A --member 42   # refused", 2)]


def test_every_tour_line_of_the_readme_works_on_a_fresh_demo(tmp_path: Path) -> None:
    coop = Path(sys.executable).parent / "coop"
    assert coop.exists(), f"the `coop` command is not installed beside {sys.executable}"
    work = tmp_path / "tour"
    work.mkdir()
    (work / "sample_data").symlink_to(ROOT / "sample_data")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("COOP_") and not key.startswith("ODOO_")
    }
    env.update(
        PATH=f"{coop.parent}{os.pathsep}{env.get('PATH', '')}",
        COOP_CONFIG_DIR=str(tmp_path / "config"),
        COOP_DATA_DIR=str(tmp_path / "data"),
        COOP_LOG_DIR=str(tmp_path / "logs"),
    )
    exports: list[str] = []

    def run(line: str) -> subprocess.CompletedProcess[str]:
        script = "\n".join([*exports, line])
        return subprocess.run(
            ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )

    steps = tour_steps(README.read_text(encoding="utf-8"))
    assert steps[0].line.startswith("coop demo --no-tui"), "the tour starts by building the demo"
    built = run(steps[0].line)
    assert built.returncode == 0, built.stderr
    assert "COOP_DEMO=1" in built.stdout, "the demo says how to point the commands at it"
    failures: list[str] = []
    for step in steps[1:]:
        if step.line.startswith("export "):
            exports.append(step.line)
            continue
        done = run(step.line)
        where = f"README.md:{step.where}: {step.line}"
        if step.shown:
            got = _normal(done.stdout)
            position = 0
            for expected in step.shown:
                found = got.find(_normal(expected), position)
                if found < 0:
                    failures.append(f"{where}\n  shows {expected!r}\n  got:\n{done.stdout}")
                    break
                position = found
        elif done.returncode != step.expect:
            failures.append(
                f"{where}\n  exit {done.returncode} (expected {step.expect})\n"
                f"{done.stdout[-600:]}{done.stderr[-600:]}"
            )
        machine = ("--json", "--format", "--lang en")  # JSON and English on purpose
        exported = step.line.startswith("coop export") and "--out" not in step.line
        if not exported and not any(flag in step.line for flag in machine):
            # French by default: no raw code, Python value or English sentence on any line
            failures.extend(f"{where}\n  {problem}" for problem in untranslated(done.stdout))
            failures.extend(f"{where}\n  {problem}" for problem in untranslated(done.stderr))
    assert not failures, "\n".join(failures)
