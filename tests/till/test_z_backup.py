"""The automatic backup after a Z (coop.till.z_backup), shared by the CLI and the counter
screen: written once the Z's transaction commits, rotated, never for a rolled-back Z, and a
backup that cannot be written leaves the Z standing with a sentence (issue 17 §2)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from coop.till import z_backup
from coop.till.models import TillSession


def test_the_backup_is_written_after_the_commit_and_rotated(shop, tmp_path):
    folder = tmp_path / "backups"
    outcomes = []
    for day in range(4):
        moment = shop.now + timedelta(days=day)
        outcome = z_backup.after_commit(shop.session, folder=folder, keep=3, now=moment)
        written = len(list(folder.glob("*"))) if folder.exists() else 0
        assert not outcome.done and written == min(day, 3)  # nothing before the commit
        shop.session.commit()
        assert outcome.done and outcome.problem is None and outcome.path.is_file()
        outcomes.append(outcome)
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == sorted(outcome.path.name for outcome in outcomes[1:])  # the oldest removed


def test_a_rolled_back_z_writes_no_backup(shop, tmp_path):
    folder = tmp_path / "backups"
    outcome = z_backup.after_commit(shop.session, folder=folder, keep=3, now=shop.now)
    shop.session.rollback()
    shop.session.commit()  # a later transaction of the same session is not this Z's
    assert outcome.done and outcome.path is None and not folder.exists()


def test_a_backup_that_cannot_be_written_leaves_the_work_saved_and_says_why(shop, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    shop.open()
    outcome = z_backup.after_commit(shop.session, folder=blocked, keep=3, now=shop.now)
    shop.session.commit()
    assert outcome.path is None
    assert outcome.warning().startswith("The Z is saved, but the automatic backup was not: ")
    assert shop.session.scalar(select(func.count()).select_from(TillSession)) == 1  # committed


def test_no_backup_when_none_are_kept(shop, tmp_path):
    outcome = z_backup.after_commit(shop.session, folder=tmp_path / "b", keep=0, now=shop.now)
    shop.session.commit()
    assert outcome.warning() is None and not (tmp_path / "b").exists()
