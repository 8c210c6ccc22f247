"""Textual speaks English only: our catalogue translates what it shows.

Bindings are declared at class level with ``N_`` (extracted, not translated at import time, when
the language may not be chosen yet); ``translate_bindings(node)`` translates a node's binding
descriptions and tooltips once, in its ``__init__``, in the language of the running app.
"""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from coop.i18n import N_, _

TEXTUAL_STRINGS = (
    # textual.app / textual.command / textual.widgets._input: shown in the footer, the command
    # palette and the keys panel
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Open the command palette"),
    N_("Exit the command palette"),
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Submit"),
    N_("Select all"),
    N_("Copy selected text"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
)


def translate_bindings(node: DOMNode) -> None:
    """Translate the descriptions and tooltips of ``node``'s bindings (call in ``__init__``)."""
    bindings = node._bindings  # Textual keeps them per instance, copied from the class
    bindings.key_to_bindings = {
        key: [
            dataclasses.replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            )
            for binding in group
        ]
        for key, group in bindings.key_to_bindings.items()
    }
