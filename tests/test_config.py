"""Settings precedence: defaults < config file < environment < command-line flags."""

from __future__ import annotations

import contextlib

import pytest

from coop import paths
from coop.config import load_settings
from coop.errors import InvalidInput


def write_config(text: str) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(text, encoding="utf-8")


def test_defaults_use_the_sqlite_file_in_the_data_folder():
    settings = load_settings(environ={})
    assert settings.language == "fr"
    assert settings.resolved_database_url() == f"sqlite:///{paths.data_dir()}/comptoir.sqlite3"
    assert settings.members.max_household_size == 3


def test_precedence_file_then_environment_then_flags():
    write_config(
        'language = "en"\n[database]\nurl = "sqlite:///file.db"\n[members]\ncard_prefix = "024"\n'
    )
    from_file = load_settings(environ={})
    assert (from_file.database_url, from_file.language) == ("sqlite:///file.db", "en")
    assert from_file.members.card_prefix == "024"
    env = {"COOP_DATABASE_URL": "sqlite:///env.db", "COOP_LANG": "fr_FR.UTF-8"}
    from_env = load_settings(environ=env)
    assert (from_env.database_url, from_env.language) == ("sqlite:///env.db", "fr")
    flags = load_settings(database_url="sqlite:///flag.db", language="en", environ=env)
    assert (flags.database_url, flags.language) == ("sqlite:///flag.db", "en")


def test_unknown_keys_and_wrong_types_are_errors():
    write_config('langage = "fr"\n[members]\nmax_household_size = "three"\n')
    with pytest.raises(InvalidInput) as excinfo:
        load_settings(environ={})
    text = str(excinfo.value)
    assert "langage" in text and "max_household_size" in text
    assert str(paths.config_file()) in text


def test_broken_toml_names_the_file():
    write_config("language = \n")
    with pytest.raises(InvalidInput, match=r"config\.toml"):
        load_settings(environ={})


def test_a_config_file_saved_with_a_bom_is_read(tmp_path):
    """Windows Notepad writes a BOM at the start of a UTF-8 file."""
    from coop.config import read_config_file

    path = tmp_path / "config.toml"
    path.write_bytes('\ufeffcoop_name = "Épicerie"\n[till]\nbackups_kept = 3\n'.encode())
    settings = read_config_file(path)
    assert settings.coop_name == "Épicerie" and settings.till.backups_kept == 3


def test_a_full_log_disk_prints_no_traceback(tmp_path, capsys):
    import logging

    from coop import logs

    handler = logs.quiet_file_handler(tmp_path / "x.log", maxBytes=0, backupCount=1)
    with open("/dev/full", "w", encoding="utf-8", buffering=1) as full:  # writes: ENOSPC
        handler.stream = full
        record = logging.LogRecord("coop", logging.ERROR, __file__, 1, "boom\n" * 9, None, None)
        handler.emit(record)
        handler.stream = None
        with contextlib.suppress(OSError):
            full.close()
    assert capsys.readouterr().err == ""


def test_the_log_file_opens_with_the_first_record(tmp_path, monkeypatch):
    """A command that logs nothing creates no file (and never imports logging.handlers); the
    first record opens the file, in the configured folder, and later ones follow it."""
    import logging

    from coop import logs

    folder = tmp_path / "logs"
    monkeypatch.setenv("COOP_LOG_DIR", str(folder))
    handler = logs._FirstRecordOpens()
    assert not folder.exists()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("coop.till", logging.INFO, __file__, 1, message, None, None)

    handler.handle(record("first"))
    handler.handle(record("second"))
    handler.close()
    lines = (folder / "comptoir.log").read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["first", "second"]
    assert all(" INFO coop.till: " in line for line in lines)


def test_a_log_folder_that_cannot_be_made_only_disables_logging(tmp_path, monkeypatch):
    import logging

    from coop import logs

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("COOP_LOG_DIR", str(blocker / "logs"))
    handler = logs._FirstRecordOpens()
    handler.handle(logging.LogRecord("coop", logging.ERROR, __file__, 1, "lost", None, None))
    assert isinstance(handler.target, logging.NullHandler)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
