"""Printed documents: a sample coop on a real database, driven through the CLI with a fixed
clock, and helpers that read PDFs back (pypdf, whitespace normalised)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from coop import paths
from coop.cli.main import main
from coop.clock import SHOP_TIMEZONE

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=SHOP_TIMEZONE)


def pdf_text(path: Path | bytes) -> str:
    """Every page's text, with runs of whitespace (U+202F and U+00A0 included) as one space."""
    import io

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_texts(path: Path | bytes) -> list[str]:
    import io

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pages(path: Path | bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path).pages)


def flat(text: str) -> str:
    """Babel output with its no-break spaces made plain, to compare with extracted text."""
    return " ".join(text.split())


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """`coop ...` in-process on the sample members, producers, products and shift templates."""
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(
        'coop_name = "Épicerie <La Louve> & Cie"\n'
        'coop_address = "12 rue des Lilas\\n69001 Lyon"\n'
        'coop_siret = "123 456 789 00012"\n'
        "[shifts]\nweek_anchor = 2026-11-02\n",
        encoding="utf-8",
    )
    now = {"value": NOW}
    from coop.cli import context as context_module

    original = context_module.context_from

    def with_clock(args):
        context = original(args)
        context.clock = lambda: now["value"]
        return context

    import importlib

    for name in ("till", "stock", "accounts", "shifts", "data", "print", "members", "orders"):
        module = importlib.import_module(f"coop.cli.{name}")
        if hasattr(module, "context_from"):
            monkeypatch.setattr(module, "context_from", with_clock)

    def run(*args: str) -> int:
        return main(["--database", database_url, *args])

    def out(*args: str):
        capsys.readouterr()
        code = run(*args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def data(*args: str):
        code, stdout, stderr = out(*args, "--json")
        assert code == 0, stderr
        return json.loads(stdout)

    def later(**delta: int) -> None:
        now["value"] += timedelta(**delta)

    def at(moment: datetime) -> None:
        now["value"] = moment

    run.out = out  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    run.later = later  # type: ignore[attr-defined]
    run.at = at  # type: ignore[attr-defined]
    run.url = database_url  # type: ignore[attr-defined]
    assert run("init") == 0
    for kind in ("members", "producers", "products"):
        assert run("import", kind, str(SAMPLE / f"{kind}.csv")) == 0
    assert run("import", "shift-templates", str(SAMPLE / "shift_templates.csv")) == 0
    capsys.readouterr()
    return run
