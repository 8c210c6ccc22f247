"""Logging goes to a rotating file in the log folder, never to the terminal (the TUI owns it)."""

from __future__ import annotations

import logging
import logging.handlers

from coop import paths

_configured = False


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file, whose write failures (a full disk, a removed folder) never print a
    traceback over a command's answer: the record is dropped, the command goes on."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


def configure_logging(level: int = logging.INFO) -> None:
    """Attach the rotating file handler once; a read-only log folder only disables logging."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(level)
    try:
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.captureWarnings(True)
