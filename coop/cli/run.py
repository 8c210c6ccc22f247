"""The `coop` command's entry point (and `python -m coop`'s): it pauses the cyclic garbage
collector before importing the command line, so that the start-up's first imports (argparse,
gettext, the catalogue's module, the errors) run paused like the rest (``coop.cli.collector``);
``coop.cli.main.main`` then runs the command."""

from __future__ import annotations


def main() -> int:
    """Run the process's own command line (``sys.argv``)."""
    from coop.cli import collector

    collector.pause()
    from coop.cli.main import main as run_command

    return run_command()
