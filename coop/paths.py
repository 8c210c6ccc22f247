"""Where Comptoir keeps its files: one function per folder, created on first use (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "comptoir"


def _dirs() -> PlatformDirs:
    return PlatformDirs(appname=APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Folder of config.toml; COOP_CONFIG_DIR moves it (tests, portable installs)."""
    return Path(os.environ.get("COOP_CONFIG_DIR") or _dirs().user_config_path)


def data_dir() -> Path:
    """Folder of the default SQLite database and the demo database."""
    return Path(os.environ.get("COOP_DATA_DIR") or _dirs().user_data_path)


def log_dir() -> Path:
    """Folder of the rotating log file."""
    return Path(os.environ.get("COOP_LOG_DIR") or _dirs().user_log_path)


def config_file() -> Path:
    """The TOML configuration file; COOP_CONFIG names another one."""
    explicit = os.environ.get("COOP_CONFIG")
    return Path(explicit) if explicit else config_dir() / "config.toml"


def default_database_file() -> Path:
    return data_dir() / "comptoir.sqlite3"


def demo_database_file() -> Path:
    return data_dir() / "demo.sqlite3"


def log_file() -> Path:
    return log_dir() / "comptoir.log"


def sample_data_dir() -> Path:
    """The demo CSVs: beside the source tree in a checkout, inside the package once installed."""
    installed = Path(__file__).parent / "_sample_data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "sample_data"


def cache_dir() -> Path:
    """Folder of files Comptoir can rebuild (the compiled catalogue, the name index);
    COOP_CACHE_DIR moves it."""
    return Path(os.environ.get("COOP_CACHE_DIR") or _dirs().user_cache_path)
