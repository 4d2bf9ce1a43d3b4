"""Opening a library: checks before touching it, migrations with a backup, engine set-up.

A library is one SQLite file (WAL, foreign keys on, ``synchronous=FULL``, a busy timeout that
``CASEBOOK_BUSY_TIMEOUT_MS`` may override). Before anything is written, the file is probed
read-only: a file that is not a library, a damaged file and a library made by a newer version
are refused with a Chinese message and left byte-for-byte as they were; so is a library whose
folder does not let SQLite create its companion files. A library made by an older version is
copied beside itself, then upgraded.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.changes import ChangeSet
from desktop.domain.i18n import _
from desktop.domain.validation import DomainError
from desktop.files import sweep_temporaries
from desktop.store import changelog, media
from desktop.store.schema import LibraryMeta, PhotoRow

#: Progress of long work: (done, total, what is being done); it may raise to stop the work.
Progress = Callable[[int, int, str], None]

APPLICATION_ID = "pilot-casebook"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BUSY_TIMEOUT_ENV = "CASEBOOK_BUSY_TIMEOUT_MS"
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Files up to this size (about 12,000 cases) have every page checked when they are opened (about
#: 0.15 s at the limit); bigger ones before the first write of the session (``Library.unit_of_work``).
QUICK_CHECK_AT_OPEN_BYTES = 160 * 1024 * 1024


class LibraryError(DomainError):
    """A library file cannot be opened; the message says why, in Chinese."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(_("无法打开案例库 {path}：{reason}").format(path=path, reason=reason))


class LibraryNotFoundError(LibraryError):
    """No library at the given path."""


class NotALibraryError(LibraryError):
    """The file exists but is not a casebook library."""


class DamagedLibraryError(LibraryError):
    """The file looks like a library but cannot be read."""


class LibraryInUseError(LibraryError):
    """Another window or command has the library open, and the work needs it to itself."""


class NewerLibraryError(LibraryError):
    """The library was written by a newer version of the application."""


class FileAccessError(DomainError):
    """A file (a backup, a copy being written) cannot be opened or written; the message names it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(_("无法打开或写入文件：{path}（{reason}）").format(path=path, reason=reason))


class LibraryWriteError(DomainError):
    """A change could not be written because of the file, not the change: another program holds the
    library's lock longer than the busy timeout, the file or its folder became read-only, or the disk
    is full. Nothing of the change was written; trying again later may succeed (``retry_later``)."""

    def __init__(self, path: Path, message: str, *, retry_later: bool) -> None:
        self.path = path
        self.retry_later = retry_later
        super().__init__(message)


def write_fault(exc: BaseException, path: Path | str | None) -> LibraryWriteError | None:
    """The ``LibraryWriteError`` an SQLite error met while writing stands for, or None when it is
    not one of those faults (damage, a bug). One wording for the window and the CLI."""
    original = getattr(exc, "orig", None) or exc
    message = str(original).lower()
    name = getattr(original, "sqlite_errorname", "")
    where = path if path is not None else ""
    if is_busy(original) or name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return LibraryWriteError(Path(where), _("案例库正被其他程序使用，请稍后再试"), retry_later=True)
    if "readonly" in message or name.startswith("SQLITE_READONLY"):
        return LibraryWriteError(
            Path(where), _("案例库文件或所在文件夹只读，无法写入：{p}").format(p=where), retry_later=True
        )
    if "disk is full" in message or name == "SQLITE_FULL":
        return LibraryWriteError(
            Path(where),
            _("磁盘空间不足，未能写入案例库（已写入的内容不受影响）：{p}").format(p=where),
            retry_later=True,
        )
    return None


def busy_timeout_ms() -> int:
    """How long a connection waits for another program's lock: ``CASEBOOK_BUSY_TIMEOUT_MS`` or 10 s."""
    try:
        value = int(os.environ.get(BUSY_TIMEOUT_ENV, ""))
    except ValueError:
        return BUSY_TIMEOUT_MS
    return value if value >= 0 else BUSY_TIMEOUT_MS


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error only means another program holds the file locked."""
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message or "busy" in message


def is_access_problem(exc: BaseException) -> bool:
    """Whether an SQLite error means the file or its folder cannot be opened or written."""
    message = str(exc).lower()
    return "readonly" in message or "unable to open" in message


def explain_sqlite_error(exc: BaseException) -> str:
    """A short Chinese reason for an SQLite error (the original text when it is not a known one)."""
    message = str(exc).lower()
    if is_busy(exc):
        return _("正被其他程序使用，请稍后再试")
    if "readonly" in message:
        return _("文件或所在文件夹只读")
    if "unable to open" in message:
        return _("文件或所在文件夹不存在、只读或无权访问")
    if "disk is full" in message:
        return _("磁盘空间不足")
    if "disk i/o error" in message:
        return _("磁盘读写出错")
    if "malformed" in message or "not a database" in message:
        return _("文件已损坏")
    return str(exc)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def schema_head() -> str:
    """The newest schema revision this version knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


@dataclass(frozen=True)
class Probe:
    """What a read-only look at an existing library file found."""

    revision: str
    library_id: str


@contextmanager
def _tidy_on_refusal(path: Path) -> Iterator[None]:
    """Reading a WAL-mode file makes SQLite create ``-wal``/``-shm`` files beside it; when the
    file is refused, remove the ones this look created, leaving the folder as it was."""
    sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in sidecars]
    try:
        yield
    except LibraryError:
        for sidecar, was_there in zip(sidecars, existed, strict=True):
            if not was_there and sidecar.is_file():
                sidecar.unlink(missing_ok=True)
        raise


def probe(path: Path, *, thorough: bool = False) -> Probe:
    """Look at an existing file without changing it; raise ``LibraryError`` if unusable.

    The look reads the first pages only; ``thorough`` also runs SQLite's quick check over every
    page, so that a file damaged further in (a backup about to replace a library) is refused too.
    """
    with _tidy_on_refusal(path):
        found = _probe(path)
        if thorough:
            _quick_check(path)
        return found


def _quick_check(path: Path) -> None:
    try:
        with closing(_connect_read_only(path)) as conn:
            found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)")]
    except sqlite3.OperationalError as exc:
        raise _read_failure(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found != ["ok"]:
        raise DamagedLibraryError(path, _("文件已损坏，完整性检查未通过（{err}）").format(err=_("；").join(found[:3])))


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)


def _read_failure(path: Path, exc: sqlite3.DatabaseError) -> LibraryError:
    """The refusal for an SQLite error met while reading ``path`` read-only."""
    if isinstance(exc, sqlite3.OperationalError):
        if is_busy(exc):
            return LibraryError(path, _("案例库正被其他程序使用，请稍后再试"))
        if "disk is full" in str(exc).lower() or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
            return LibraryError(path, _("磁盘空间不足，无法打开案例库（SQLite 需要在文件旁建立临时文件）"))
        if is_access_problem(exc):
            # SQLite needs to create ``-shm`` (and ``-wal``) beside a WAL-mode file even to read it.
            return LibraryError(
                path,
                _("案例库所在文件夹只读或无法访问，无法在文件旁建立所需的临时文件（{err}）").format(err=exc),
            )
    return DamagedLibraryError(path, _("文件已损坏，无法读取（{err}）").format(err=exc))


def _probe(path: Path) -> Probe:
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise LibraryError(path, _("文件无法读取（{err}）").format(err=exc.strerror)) from exc
    if not header:
        raise NotALibraryError(path, _("文件是空的，不是案例库文件"))
    if header != SQLITE_MAGIC:
        raise NotALibraryError(path, _("不是案例库文件"))
    try:
        with closing(_connect_read_only(path)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"library_meta", "alembic_version"} <= tables:
                raise NotALibraryError(path, _("是数据库文件，但不是案例库"))
            meta = dict(conn.execute("SELECT key, value FROM library_meta").fetchall())
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _read_failure(path, exc) from exc
    if meta.get("application") != APPLICATION_ID:
        raise NotALibraryError(path, _("是数据库文件，但不是案例库"))
    if len(rows) != 1:
        raise DamagedLibraryError(path, _("版本记录缺失或重复"))
    revision = str(rows[0][0])
    if revision not in _known_revisions():
        raise NewerLibraryError(
            path, _("该案例库由更新版本的软件创建（结构版本 {rev}），请升级软件后再打开").format(rev=revision)
        )
    return Probe(revision=revision, library_id=meta.get("library_id", ""))


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def make_engine(path: Path) -> Engine:
    """An engine on a library file with the pragmas every connection needs."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def backup_file(path: Path, target: Path) -> None:
    """Copy a live SQLite file consistently (SQLite's online backup), even while in use.

    ``target`` must be a new file; ``FileAccessError`` when it cannot be created or written.
    Errors reading ``path`` are SQLite's own (``sqlite3.Error``).
    """
    with closing(_connect_read_only(path)) as src:
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a source that cannot be read fails here
        try:
            dst = sqlite3.connect(target, timeout=busy_timeout_ms() / 1000)
        except sqlite3.Error as exc:
            raise FileAccessError(target, explain_sqlite_error(exc)) from exc
        with closing(dst):
            try:
                src.backup(dst)
            except sqlite3.OperationalError as exc:
                if is_access_problem(exc) or "disk is full" in str(exc).lower():
                    raise FileAccessError(target, explain_sqlite_error(exc)) from exc
                raise


def checkpoint(path: Path) -> None:
    """Move everything of the write-ahead log into the library file itself (best effort: a file too
    damaged to read keeps its log, which the caller keeps a copy of)."""
    with suppress(sqlite3.Error), closing(sqlite3.connect(path, timeout=busy_timeout_ms() / 1000)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def others_have_open(path: Path) -> bool:
    """Whether another connection — another window, a command, a helper — has the library file open.

    SQLite lets a connection take the file for itself (exclusive locking mode) only while no other
    connection holds the shared memory of its write-ahead log, which every open reader does.
    """
    try:
        conn = sqlite3.connect(path, timeout=0.2)
    except sqlite3.Error:
        return False
    with closing(conn):
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            return is_busy(exc)
        except sqlite3.DatabaseError:
            return False
    return False


def _pending_revisions(current: str | None) -> list[str]:
    """The revisions an upgrade from ``current`` (None: an empty file) applies, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config())
    steps = [s.revision for s in script.iterate_revisions("head", current or "base") if s.revision != current]
    return list(reversed(steps))


def _upgrade(engine: Engine, progress: Progress | None = None, current: str | None = None) -> None:
    cfg = _alembic_config()
    steps = _pending_revisions(current)
    done: list[str] = []

    def applied(**_kw: Any) -> None:
        done.append("")
        if progress is not None:
            progress(len(done), len(steps), _("正在升级案例库结构"))

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        cfg.attributes["on_version_apply"] = applied
        if progress is not None:
            progress(0, len(steps), _("正在升级案例库结构"))
        try:
            command.upgrade(cfg, "head")
        except CommandError as exc:  # pragma: no cover - refused earlier by probe()
            raise RuntimeError(str(exc)) from exc


class Library:
    """An open library: its engine and the unit of work every service uses.

    Every unit of work records what it changes (``desktop.store.changelog``) and logs it with the
    commit under this library's ``writer_id``, a fresh one each time a library is opened; the changes
    other writers made are read back with ``changes_since``.
    """

    def __init__(self, path: Path, engine: Engine, library_id: str, *, pending_upgrade: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self.library_id = library_id
        self.writer_id = str(uuid.uuid4())
        #: The schema revision the file is at while an upgrade is still due (see ``upgrade``); else None.
        self.pending_upgrade = pending_upgrade
        #: Whether every page has been checked this session (see ``unit_of_work``).
        self.checked = False
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        event.listen(self._sessions, "after_flush", changelog.capture_flush)
        event.listen(self._sessions, "before_commit", lambda s: changelog.write_log(s, self.writer_id))
        event.listen(self._sessions, "after_rollback", lambda s: changelog.recorder(s).clear())

    @property
    def needs_upgrade(self) -> bool:
        """Whether the file was made by an older version and is still to be upgraded."""
        return self.pending_upgrade is not None

    def upgrade(self, progress: Progress | None = None) -> None:
        """Upgrade a library made by an older version: a copy is kept beside it first
        (``<name>.backup-<revision>-<time>.sqlite``); ``progress`` hears of each step."""
        if self.pending_upgrade is None:
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.path
        backup_file(path, path.with_name(f"{path.stem}.backup-{self.pending_upgrade}-{stamp}{path.suffix}"))
        _upgrade(self.engine, progress, self.pending_upgrade)
        self.pending_upgrade = None

    def log_position(self) -> changelog.LogPosition:
        """Where the change log stands now (the point to read other writers' changes from)."""
        with self.reading() as s:
            return changelog.log_position(s)

    def changes_since(self, since: changelog.LogPosition) -> tuple[changelog.LogPosition, ChangeSet]:
        """What other writers committed after ``since`` (an external change set), and the new position."""
        with self.reading() as s:
            return changelog.read_since(s, since, self.writer_id)

    @property
    def dialect(self) -> str:
        """The database dialect's name (``sqlite`` or ``postgresql``)."""
        return self.engine.dialect.name

    @property
    def media_dir(self) -> Path:
        """The folder beside the library file where its photos are kept."""
        return media.media_dir_of(self.path)

    def referenced_photos(self, names: Iterable[str]) -> set[str]:
        """Which of these media file names a photo row refers to."""
        wanted = list(dict.fromkeys(names))
        found: set[str] = set()
        with self.reading() as s:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(s.execute(select(PhotoRow.file_name).where(PhotoRow.file_name.in_(chunk))).scalars())
        return found

    def photo_names(self) -> set[str]:
        """Every media file name a photo row refers to (the trash's cases included)."""
        with self.reading() as s:
            return set(s.execute(select(PhotoRow.file_name)).scalars())

    def recover(self) -> list[Path]:
        """Finish what killed processes left: roll back their photo journals, remove their temporaries."""
        removed = media.recover(self.media_dir, self.referenced_photos)
        return removed + sweep_temporaries()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One session for one user action: committed when the block ends, rolled back on error.

        An SQLite error that only says the file cannot be written now (a lock held too long, a
        read-only file, a full disk) is raised as ``LibraryWriteError``, in the user's words.

        The first unit of work of a session on a file not checked when it was opened runs SQLite's
        quick check over every page first (1.1–1.4 s on 100,000 cases): a damaged file is refused
        (``DamagedLibraryError``) before anything is written into it.

        On SQLite the transaction takes the write lock as it begins (``BEGIN IMMEDIATE``): what the
        action reads to decide what to write is what it writes over. Two writers — two imports, a
        sample beside an import — then take turns instead of the second writing on a stale reading
        (its rows clashing with the first's) or failing half-way.
        """
        if not self.checked and self.dialect == "sqlite":
            _quick_check(self.path)  # the first write of a session: never into a damaged file
            self.checked = True
        session = self._sessions()
        try:
            if self.dialect == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.commit()
        except BaseException as exc:
            with suppress(Exception):  # a rollback on a full disk or a vanished folder may fail too
                session.rollback()
            if isinstance(exc, sqlite3.Error | DatabaseError) and (fault := write_fault(exc, self.path)):
                raise fault from exc
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only; nothing is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay usable

    def close(self) -> None:
        """Release every connection (the WAL is checkpointed by SQLite on the last close)."""
        self.engine.dispose()


def create_library(path: Path) -> Library:
    """Create an empty library at ``path`` (which must not exist)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    _upgrade(engine)
    library_id = str(uuid.uuid4())
    with Session(engine) as s, s.begin():
        s.add_all(
            [
                LibraryMeta(key="application", value=APPLICATION_ID),
                LibraryMeta(key="library_id", value=library_id),
                LibraryMeta(key="created_at", value=datetime.now(UTC).isoformat()),
            ]
        )
    library = Library(path, engine, library_id)
    library.checked = True  # just made
    return library


def open_library(path: Path, *, create: bool = False, upgrade: bool = True, verify: bool = True) -> Library:
    """Open the library at ``path``; create it when missing and ``create`` is set.

    An older library is first copied to ``<name>.backup-<revision>-<time>.sqlite`` beside
    itself and then upgraded — at once, or, with ``upgrade`` False, when the caller runs
    ``Library.upgrade`` (with progress); no service may use the library before. Anything
    unusable raises ``LibraryError`` and is left untouched. A file up to
    ``QUICK_CHECK_AT_OPEN_BYTES`` has every page checked first, unless ``verify`` is off (``check``
    opens a damaged library to report on it); a bigger one is checked before its first write.
    """
    path = path.expanduser()
    if not path.exists():
        if not create:
            raise LibraryNotFoundError(path, _("文件不存在；可先运行 casebook init 创建"))
        return create_library(path)
    if path.is_dir():
        raise NotALibraryError(path, _("这是一个文件夹，不是案例库文件"))
    thorough = verify and path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES
    found = probe(path, thorough=thorough)
    pending = found.revision if found.revision != schema_head() else None
    library = Library(path, make_engine(path), found.library_id, pending_upgrade=pending)
    library.checked = thorough
    if upgrade:
        library.upgrade()
    if pending is None or upgrade:
        with suppress(OSError, DatabaseError):  # leftovers wait for the next open or ``check --repair``
            library.recover()
    return library
