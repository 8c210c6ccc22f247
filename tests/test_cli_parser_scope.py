"""`coop till ACTION` builds the arguments of that action alone (a sale's start): what a person
sees — help, usage errors, the parsed arguments — is what the whole parser gives."""

from __future__ import annotations

import argparse

import pytest

from coop.cli import main as cli_main
from coop.i18n import set_language


def _actions(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    (found,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return found


def _till(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    till = _actions(parser).choices["till"]
    assert isinstance(till, argparse.ArgumentParser)
    return till


def _till_actions() -> list[str]:
    return list(_actions(_till(cli_main.build_parser())).choices)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        cli_main.main(argv)
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_till_action_helps_as_the_whole_parser(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language(language)
    whole = _actions(_till(cli_main.build_parser())).choices
    names = _till_actions()
    assert {"sell", "open", "close", "z", "price-rule"} <= set(names)
    for name in names:
        code, out, _err = _run(["--lang", language, "till", name, "--help"], capsys)
        assert code == 0
        assert out == whole[name].format_help(), name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_till_help_and_usage_errors_are_unchanged(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language(language)
    till = _till(cli_main.build_parser())
    code, out, _err = _run(["--lang", language, "till", "--help"], capsys)
    assert (code, out) == (0, till.format_help())
    for argv in (
        ["till", "bogus"],
        ["till"],
        ["till", "sell", "--bogus"],
        ["till", "sell", "--pay"],
    ):
        code, _out, err = _run(["--lang", language, *argv], capsys)
        with pytest.raises(SystemExit) as whole:
            cli_main.build_parser().parse_args(["--lang", language, *argv])
        assert code == whole.value.code == 2
        assert err == capsys.readouterr().err, argv


def test_a_sale_builds_the_sell_arguments_alone() -> None:
    argv = ["till", "sell", "--till", "T1", "--member", "7", "123", "456:2", "--pay", "cash=10"]
    scoped = cli_main._parser_for(argv)
    others = _actions(_till(scoped)).choices
    assert others["sell"]._actions != [] and len(others["sell"]._actions) > 10
    assert all(len(others[name]._actions) == 0 for name in others if name != "sell")
    parsed = vars(scoped.parse_args(argv))
    whole = vars(cli_main.build_parser().parse_args(argv))
    assert parsed.pop("handler").__qualname__ == whole.pop("handler").__qualname__
    assert parsed == whole
    assert parsed["items"] == ["123", "456:2"] and parsed["member"] == "7"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_price_rule_actions_help(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`coop till price-rule set --help` printed its help (its "10 %" once stopped argparse)."""
    for name in ("set", "remove", "list"):
        code, out, err = _run(["--lang", language, "till", "price-rule", name, "--help"], capsys)
        assert (code, err) == (0, ""), name
        assert "price-rule" in out and name in out
    code, out, _err = _run(["--lang", language, "till", "price-rule", "set", "--help"], capsys)
    assert ("20 % more" if language == "en" else "20\u00a0% de plus") in out
