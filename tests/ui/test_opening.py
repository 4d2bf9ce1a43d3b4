"""Opening a library that needs work first — an older version's file to upgrade, a search index to
rebuild: the window is on screen at once and the work shows its progress; the command line prints its
progress on stderr. Either way the library is usable afterwards."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.services.casebook import Casebook
from desktop.services.sample import add_sample_cases
from desktop.store import db
from desktop.ui.case_table import UUID_ROLE
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.conftest import TEST_EDITOR
from tests.ui.user import cli, wait


def library_needing_work(path: Path, cases: int) -> None:
    """A library at the previous schema revision whose index was built by another tokeniser."""
    book = Casebook.open(path, create=True, editor=TEST_EDITOR)
    try:
        add_sample_cases(book.ctx, cases, workers=1)
        with book.library.engine.begin() as conn:
            conn.execute(text("UPDATE library_meta SET value = '1' WHERE key = 'search_index_version'"))
            cfg = db._alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
    finally:
        book.close()


def test_the_window_shows_first_then_the_work_with_progress(qtbot: QtBot, tmp_path: Path, cjk: object) -> None:
    path = tmp_path / "old.sqlite"
    library_needing_work(path, 3000)
    book = Casebook.open(path, prepare=False)
    assert book.needs_preparing()
    progress: list[tuple[int, int, str]] = []
    w = MainWindow(book, Settings.in_file(str(tmp_path / "s.ini")), prepare=True)
    w.workers.progress.connect(lambda _job, done, total, what: progress.append((done, total, what)))
    qtbot.addWidget(w)
    w.show()
    try:
        assert w.isVisible() and w.model.rowCount() == 0  # on screen before anything is read
        wait(qtbot, lambda: w.model.rowCount() == 3000 and w.model.index(0, 0).data(UUID_ROLE), timeout=60_000)
        whats = {what for _d, _t, what in progress}
        assert {"正在升级案例库结构", "正在重建检索索引"} <= whats
        assert any(done == total for done, total, what in progress if what == "正在重建检索索引")
        assert not book.needs_preparing()
        assert list(path.parent.glob("old.backup-0006-*.sqlite"))  # the older file was kept first
        assert book.maintenance.check() == []
    finally:
        w.workers.shutdown()
        book.close()


def test_the_command_line_prints_the_work_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    library_needing_work(path, 1500)
    result = cli(path, "search", "共富", "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert "正在升级案例库结构" in result.stderr and "正在重建检索索引：1500/1500" in result.stderr
    assert "共找到" in result.stdout
    again = cli(path, "search", "共富", "--limit", "1")
    assert again.returncode == 0 and again.stderr == ""  # nothing left to do the second time
