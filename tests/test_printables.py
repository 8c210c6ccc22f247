"""One registry of printable documents (``coop.printables``): `coop print` and the Print window
both offer exactly what it declares, and ``coop.printouts`` builds each one for both."""

from __future__ import annotations

import inspect

import pytest

from coop import printouts
from coop.cli.main import build_parser
from coop.printables import DOCUMENTS, ENTRIES, MENUS, Kind
from tui import printing


def test_every_declared_document_is_built_once_and_printed_by_the_window():
    assert set(printouts.BUILDERS) == set(DOCUMENTS)
    assert set(printing.PRINTERS) == set(DOCUMENTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_window_s_printer_takes_each_field_of_its_document(name):
    """``print_document`` passes the window's values by field name: each must be a keyword."""
    taken = set(inspect.signature(printing.PRINTERS[name]).parameters)
    asked = {field.name for field in DOCUMENTS[name].screen_fields}
    fixed = {key for entry in ENTRIES.values() if entry.document == name for key, _ in entry.fixed}
    assert asked | fixed <= taken
    batches = {entry.batch for entry in ENTRIES.values() if entry.document == name}
    assert ("progress" in taken) == (True in batches)


def test_every_menu_lists_declared_entries_of_declared_documents():
    for keys in MENUS.values():
        assert keys and set(keys) <= set(ENTRIES)
    for entry in ENTRIES.values():
        document = DOCUMENTS[entry.document]
        assert entry.fields(), entry.key
        for name, value in entry.fixed:
            field = document.field(name)
            assert field.kind is not Kind.CHOICE or value in field.choices


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_coop_print_takes_every_field_of_the_document(name):
    parser = build_parser()
    document = DOCUMENTS[name]
    argv = ["print", name, "--out", "x.pdf"]
    for field in document.fields:
        value = {Kind.NUMBER: "7", Kind.NUMBERS: "7", Kind.DAY: "21/11/2026"}.get(field.kind, "X")
        if field.kind is Kind.CHOICE:
            value = field.choices[-1]
        if field.option is None:
            argv.append(value)
        elif field.kind is Kind.YES_NO:
            argv.append(field.option)
        else:
            argv += [field.option, value]
    args = parser.parse_args(argv)
    assert args.document == name
    for field in document.fields:
        got = getattr(args, field.name)
        if field.kind is Kind.YES_NO:
            assert got is True
        elif field.kind is Kind.NUMBER:
            assert got == 7
        elif field.kind is Kind.NUMBERS:
            assert got == [7]
        else:
            assert got not in (None, "")
