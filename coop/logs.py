"""Logging goes to a rotating file in the log folder, never to the terminal (the TUI owns it).

The file is opened by the first record logged, not when the command starts: most commands
(a sale, a desk check) log nothing, and ``logging.handlers`` costs a process 5 ms to import.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from coop import paths

_configured = False

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def quiet_file_handler(path: Path, **options: Any) -> logging.Handler:
    """The rotating log file, whose write failures (a full disk, a removed folder) never
    print a traceback over a command's answer: the record is dropped, the command goes on."""
    import logging.handlers

    class _QuietFileHandler(logging.handlers.RotatingFileHandler):
        def handleError(self, record: logging.LogRecord) -> None:
            return

    return _QuietFileHandler(path, **options)


class _FirstRecordOpens(logging.Handler):
    """Opens the log file when the first record comes; a folder that cannot be written to
    (read-only, removed) only disables logging."""

    def __init__(self) -> None:
        super().__init__()
        self.target: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.target is None:
            try:
                paths.log_dir().mkdir(parents=True, exist_ok=True)
                self.target = quiet_file_handler(
                    paths.log_file(), maxBytes=1_000_000, backupCount=5, encoding="utf-8"
                )
            except OSError:
                self.target = logging.NullHandler()
            self.target.setFormatter(logging.Formatter(_FORMAT))
        self.target.emit(record)

    def flush(self) -> None:
        if self.target is not None:
            self.target.flush()

    def close(self) -> None:
        if self.target is not None:
            self.target.close()
        super().close()


def configure_logging(level: int = logging.INFO) -> None:
    """Attach the log file's handler once (the file opens with the first record)."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(_FirstRecordOpens())
    logging.captureWarnings(True)
