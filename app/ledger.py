"""The ledger file (台帐) and the one facade through which the UI and the CLI change data.

Opening a ledger, in order: refuse network paths; take the single-writer lock; check the file
(SQLite header, `quick_check`, application_id) and raise LedgerDamaged naming the newest good
backup; narrow its permissions to the owner (app.private_files); set WAL, synchronous=FULL
and foreign keys; back up at the first open of the day at this path (a copy opened from
another folder takes its own, since the backups live beside it); back up again and apply
pending migrations in one transaction; refuse a newer schema.
Creating a ledger (mode 0600) applies every migration, writes its meta rows and fills the
attendance holiday calendar with every year the bundled calendar knows, all in one transaction,
whose 创建台帐 entry is the audit log's genesis row (id 1; app/audit.py).

Every change runs through `write()`: one transaction per user action, with its audit entries
inside the same transaction, so a change and its record land together or not at all.

The ledger file alone is complete after every action: when the outermost transaction of
`write()`/`audit()` commits, the WAL is checkpointed into `ledger.db` (`checkpoint()`), so
copying only `ledger.db`, or losing `-wal` after a crash, loses nothing committed. A bulk
import commits through `write()` like any action and truncates the WAL afterwards. Each
outermost transaction also writes a fresh meta `state_id`, which the backup rotation uses to
tell distinct states apart; bookkeeping (`note()`) writes none.

The acting user is `ledger.user` (set at sign-in: the window's login, the command line's
`--user`); core functions check it with `require(permission)` against the one role table
(app.accounts.PERMISSIONS). Without a signed-in user a check passes only on a ledger that has no
accounts yet (a fresh `init`: there is nobody to tell apart); once accounts exist it refuses.

Views refresh by re-reading: core functions return plain values, not a change set; after an
action that changed the ledger the window calls `refresh()` on every tab
(ui.shell_actions.refresh_tabs), and a dialog re-reads what it shows.

Background work uses `worker()` (reads and writes) or `reader()` (reads only): a context manager
yielding a Ledger on its own connection, with the same signed-in user, that never holds or
releases the single-writer lock (the window's ledger holds it for the process).
"""

from __future__ import annotations

import getpass
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from app import __version__, accounts, audit, audit_anchors, backups, integrity, migrations
from app.accounts import User
from app.atomic import staged, write_atomic
from app.errors import LedgerDamaged, UserInputError
from app.locking import LedgerLock, refuse_network_path
from app.paths import backup_dir_for
from app.private_files import create_private, private_dir, restrict

DEFAULT_STAT_YEAR_START = 10


def cli_actor() -> str:
    """How the command line appears in the audit log while nobody is signed in (a ledger
    without accounts, a login attempt): `cli:<os user>`; a signed-in person is `NAME（命令行）`."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - getuser raises several types when no name is set
        return "cli:unknown"


class _LockHeldElsewhere:
    """The lock of a worker view: the window's ledger holds the real one for the process."""

    def release(self) -> None:
        pass


PAGE_SIZE = 8192
BUSY_TIMEOUT_MS = 10_000
# How long a checkpoint waits for a reader still on an older snapshot (the GUI's worker
# connection between two statements of a report) before it leaves the rest to the next action.
CHECKPOINT_WAIT_MS = 500


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("pragma foreign_keys = on")
    return conn


class BackupBeside:
    """An automatic backup taken on a helper thread while the caller does work that does not
    touch the database — e.g. an import parsing its workbook (calamine and the SQLite backup
    API both run without the GIL, so a district ledger's ~0.3 s copy costs no time). `wait()`
    waits for it and raises its error (the caller may use the connection again afterwards);
    `keep()` (the work was committed) waits, rotates the folder and records it as the
    ledger's last backup; `discard()` (the work was refused at any stage, nothing was
    written) waits and deletes it — rotation has not run, so no older backup was dropped for
    it."""

    def __init__(self, ledger: Ledger, reason: str) -> None:
        self._ledger, self._folder = ledger, backup_dir_for(ledger.path)
        self._made: backups.Backup | None = None
        self._error: BaseException | None = None
        self._copied = threading.Event()
        self._thread = threading.Thread(target=self._take, args=(reason,), name="backup-beside", daemon=True)
        self._thread.start()

    def _take(self, reason: str) -> None:
        try:
            self._made = backups.make_backup(self._ledger.conn, self._folder, self._ledger.path.stem, reason,
                                             copied=self._copied)
        except BaseException as exc:  # noqa: BLE001 - raised by keep() on the caller's thread
            self._error = exc
        finally:
            self._copied.set()

    def copied(self) -> None:
        """Wait until the copy no longer uses the ledger's connection (the caller may write
        again); its verification (a thorough backup's `integrity_check`: ~2 s on a district
        ledger) goes on beside the caller's work, on the copy's own connection — `wait()`
        before committing, so a backup that fails it (or failed to copy) still refuses the work."""
        self._copied.wait()

    def wait(self) -> backups.Backup:
        """Wait for the copy (the connection is the caller's again); raise its error. The
        caller then keeps or discards it, e.g. once it knows whether anything was written."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._made is not None  # the thread made it or set the error
        return self._made

    def keep(self) -> backups.Backup:
        made = self.wait()
        audit_anchors.record_backup(made, self._folder)
        backups.rotate(self._folder)
        self._ledger.last_backup = made
        if made.reason in backups.THOROUGH:  # it passed integrity_check: a full check
            integrity.record(self._ledger, integrity.OK, made.taken_at)
        return made

    def discard(self) -> None:
        self._thread.join()
        if self._made is not None:
            self._made.path.unlink(missing_ok=True)


class Ledger:
    """An open ledger. Use `Ledger.open()` / `Ledger.create()`; always `close()` (or `with`)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: LedgerLock | _LockHeldElsewhere,
                 actor: str) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._lock = lock
        self.actor = actor
        self.user: User | None = None
        self.channel = ""  # how the user signed in, as the audit log shows it: "" (window) or "命令行"
        self.last_backup: backups.Backup | None = None

    # ---- opening and closing -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, office: str, stat_year_start: int = DEFAULT_STAT_YEAR_START,
               actor: str | None = None) -> Ledger:
        refuse_network_path(path)  # before resolve(): it turns //server/share into /server/share
        path = Path(path).resolve()
        if not 1 <= stat_year_start <= 12:
            raise UserInputError("统计年度起始月份应为 1–12。")
        if not office.strip():
            raise UserInputError("单位名称（办公室名称）不能为空。")
        if path.exists() and path.stat().st_size > 0:
            raise UserInputError(f"文件“{path}”已存在，不能覆盖。")
        path.parent.mkdir(parents=True, exist_ok=True)
        refuse_network_path(path)
        lock = LedgerLock(path)
        lock.acquire()
        try:
            create_private(path)  # SQLite gives -wal and -shm the database file's mode
            conn = _connect(path)
            # Set before the file gets its first page. 8 KiB pages: a 100,000-card import inserts
            # and commits ~10% faster than with the default 4 KiB (fewer pages, fewer WAL frames);
            # ledgers created before this keep their 4 KiB pages.
            conn.execute(f"pragma page_size = {PAGE_SIZE}")
            conn.execute("pragma journal_mode = wal")
            conn.execute("pragma synchronous = full")
            ledger = cls(path, conn, lock, actor or cli_actor())
            with ledger._transaction():
                conn.execute(f"pragma application_id = {backups.APPLICATION_ID}")
                migrations.apply(ledger.db, migrations.pending(ledger.db))
                now = datetime.now().isoformat(timespec="seconds")
                for key, value in {
                    "office_name": office.strip(), "stat_year_start": str(stat_year_start),
                    "ledger_id": str(uuid.uuid4()), "created_at": now,
                    "created_by_version": __version__,
                }.items():
                    ledger.db.execute("insert into meta (key, value) values (?, ?)", [key, value])
                # DOMAIN.md §8: a new ledger's holiday calendar holds every year the bundled
                # calendar knows (a few ms; recorded in the creation entry), so no month is
                # counted without its 国庆 or 春节.
                from app.attendance.calendar import fill_builtin

                holidays = fill_builtin(ledger.db)
                audit.record(ledger.db, ledger.actor, audit.GENESIS_ACTION, "ledger", None,
                             after={"office_name": office.strip(), "stat_year_start": stat_year_start,
                                    "holidays": holidays})
            return ledger
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, path: str | Path, actor: str | None = None, daily_backup: bool = True) -> Ledger:
        refuse_network_path(path)  # before resolve(): it turns //server/share into /server/share
        path = Path(path).resolve()
        refuse_network_path(path)
        if not path.exists():
            raise UserInputError(f"台帐文件“{path}”不存在。请先新建台帐（文件 › 新建台帐）。")
        lock = LedgerLock(path)
        lock.acquire()
        try:
            problem = backups.verify_file(path)
            if problem:
                good = backups.newest_good(backup_dir_for(path))
                hint = (f"最近一份完好的备份是“{good.path}”（{good.taken_at:%Y-%m-%d %H:%M}），"
                        "可用“恢复”把它恢复回来。") if good else "没有找到可用的备份。"
                raise LedgerDamaged(f"台帐文件“{path}”无法使用：{problem}。{hint}",
                                    str(good.path) if good else None)
            for name in (path, f"{path}-wal", f"{path}-shm"):
                restrict(name)
            conn = _connect(path)
            conn.execute("pragma journal_mode = wal")
            conn.execute("pragma synchronous = full")
            ledger = cls(path, conn, lock, actor or cli_actor())
            todo = migrations.pending(ledger.db)
            if daily_backup:
                ledger._daily_backup()
            if todo:
                ledger.backup("升级前")
                with ledger._transaction():
                    migrations.apply(ledger.db, todo)
                    audit.record(ledger.db, ledger.actor, "升级台帐结构", "ledger", None,
                                 after={"migrations": [m.name for m in todo]})
            ledger._fill_missing_holidays()
            return ledger
        except BaseException:
            lock.release()
            raise

    def _fill_missing_holidays(self) -> None:
        """A ledger made before new ledgers got the bundled holiday calendar (DOMAIN.md §8) has an
        empty holiday table: fill it once, as `create` does, in one audited transaction. A table
        with any day in it is the office's and is left alone."""
        from app.attendance.calendar import fill_builtin

        if "att_holidays" not in self.db.table_names():
            return
        if self.conn.execute("select 1 from att_holidays limit 1").fetchone():
            return
        with self.db.atomic():
            filled = fill_builtin(self.db)
            audit.record(self.db, self.actor, "填充节假日", "att_holiday", None, after=filled)

    def close(self) -> None:
        try:
            self.conn.execute("pragma optimize")
            self.conn.close()
        except sqlite3.Error:
            pass
        finally:
            self._lock.release()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def worker(self) -> Iterator[Ledger]:
        """This ledger on its own connection for one background task, closed on leaving.

        Same signed-in user, actor and channel; its writes go through the same `write()`/audit
        path and SQLite serialises them against this connection (WAL). It never holds the
        single-writer lock, so closing it (or leaving the `with`) releases nothing."""
        conn = _connect(self.path)
        conn.execute("pragma synchronous = full")
        view = Ledger(self.path, conn, _LockHeldElsewhere(), self.actor)
        view.user, view.channel, view.last_backup = self.user, self.channel, self.last_backup
        try:
            yield view
        finally:
            conn.close()

    @contextmanager
    def reader(self) -> Iterator[Ledger]:
        """Like `worker()`, but the connection refuses writes (`query_only`)."""
        with self.worker() as view:
            view.conn.execute("pragma query_only = on")
            yield view

    # ---- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Change one ledger setting (needs `manage_settings`; audited, one transaction)."""
        self.require("manage_settings")
        with self.write("修改设置", "setting", key, before=self.setting(key), after=str(value)):
            self.db.execute("insert or replace into meta (key, value) values (?, ?)", [key, str(value)])

    @property
    def office_name(self) -> str:
        return self.setting("office_name", "") or ""

    @property
    def stat_year_start(self) -> int:
        return int(self.setting("stat_year_start", "") or DEFAULT_STAT_YEAR_START)

    @property
    def ledger_id(self) -> str:
        return self.setting("ledger_id", "") or ""

    # ---- who acts ----------------------------------------------------------------------------
    @property
    def actor_name(self) -> str:
        """The audit log's name for whoever acts: the user name (`NAME（命令行）` from the command
        line); without a signed-in user (a ledger without accounts) the OS-level actor."""
        if self.user is None:
            return self.actor
        return f"{self.user.username}（{self.channel}）" if self.channel else self.user.username

    @property
    def has_accounts(self) -> bool:
        return accounts.has_users(self.db)

    def may(self, permission: str, user: User | None = None) -> bool:
        """Whether `user` (default: the signed-in user) may do `permission`; see `require`."""
        acting = user if user is not None else self.user
        if acting is None:
            return not self.has_accounts
        return acting.may(permission)

    def require(self, permission: str, user: User | None = None) -> None:
        """Raise PermissionDenied unless `user` (default: the signed-in user) holds `permission`
        in app.accounts.PERMISSIONS. Without a user this passes only while the ledger has no
        accounts; once it has any, a login is needed."""
        acting = user if user is not None else self.user
        if acting is None and not self.has_accounts:
            return
        accounts.require(acting, permission)

    # ---- changing data ---------------------------------------------------------------------

    @contextmanager
    def write(self, action: str | None = None, object_type: str | None = None,
              object_id: Any = None, before: Any = None, after: Any = None) -> Iterator[sqlite_utils.Database]:
        """One transaction per user action; with `action`, one audit entry inside it.

        Nested calls become savepoints of the outer transaction. When the outermost one
        commits, the WAL is checkpointed into the ledger file (`checkpoint()`).
        """
        with self._transaction():
            yield self.db
            if action:
                audit.record(self.db, self.actor_name, action, object_type, object_id, before, after)

    def audit_head(self) -> dict[str, Any]:
        """The audit log's head as an export manifest records it (an anchor, app/audit_anchors.py)."""
        head = audit.head(self.db)
        return {"rows": head.rows, "hash": head.hash}

    def audit(self, action: str, object_type: str | None = None, object_id: Any = None,
              before: Any = None, after: Any = None) -> None:
        """Record an action that changes nothing (an export, a view of a full record)."""
        with self._transaction():
            audit.record(self.db, self.actor_name, action, object_type, object_id, before, after)

    def note(self, **values: str) -> None:
        """Keep bookkeeping values in meta (the last daily backup, the last integrity check):
        not a user action, so no audit entry and no new state for the backup rotation."""
        with self._transaction(new_state=False):
            for key, value in values.items():
                self.db.execute("insert or replace into meta (key, value) values (?, ?)", [key, value])

    @contextmanager
    def _transaction(self, new_state: bool = True) -> Iterator[None]:
        """The outermost transaction names the state it commits (meta `state_id`, a fresh
        UUID), so two backups with the same `state_id` hold the same data (app.backups
        rotation); after the commit it checkpoints."""
        outermost = not self.conn.in_transaction
        with self.db.atomic():
            yield
            if outermost and new_state:
                self.db.execute("insert or replace into meta (key, value) values ('state_id', ?)",
                                [str(uuid.uuid4())])
        if outermost:
            self.checkpoint()

    def checkpoint(self, truncate: bool = False) -> bool:
        """Copy every committed page from the WAL into the ledger file (fsynced: synchronous=FULL);
        True when the file alone now holds every commit.

        A PASSIVE checkpoint first: it never waits and copies only the pages the last actions
        changed. When a reader on another connection still holds an older snapshot, the pages
        it may read cannot be overwritten yet: a FULL checkpoint then waits for it up to
        CHECKPOINT_WAIT_MS, and if it is still busy the next action's checkpoint copies the
        rest (False). `truncate` (after a bulk import) also empties the WAL file, whose size
        a 100,000-card import leaves at hundreds of MB.
        """
        try:
            busy, logged, copied = self.conn.execute("pragma wal_checkpoint(PASSIVE)").fetchone()
            complete = logged == copied
            if complete and not truncate:
                return True
            self.conn.execute(f"pragma busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                mode = "TRUNCATE" if truncate else "FULL"
                busy, logged, copied = self.conn.execute(f"pragma wal_checkpoint({mode})").fetchone()
            finally:
                self.conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.OperationalError:  # "database table is locked" and the like: next time
            return False
        return complete or (busy == 0 and logged == copied)

    # ---- backups ---------------------------------------------------------------------------
    def backup(self, reason: str = "手动", dest: Path | None = None) -> backups.Backup:
        """Back up through the SQLite backup API; automatic ones are rotated afterwards. Every
        backup, a copy to `dest` too, appends its audit anchor to the backup folder.

        A copy verified with integrity_check (every reason but the daily one: backups.THOROUGH)
        counts as this ledger's full check; one that failed it is recorded as the check's
        outcome before BackupRefused is raised."""
        thorough = reason in backups.THOROUGH
        folder = backup_dir_for(self.path)
        try:
            if dest is not None:
                backups.copy_database(self.conn, Path(dest), thorough)
                result = backups.Backup(Path(dest), datetime.now(), reason)
                audit_anchors.record_backup(result, folder)
            else:
                result = backups.make_backup(self.conn, folder, self.path.stem, reason, thorough=thorough)
                audit_anchors.record_backup(result, folder)
                backups.rotate(folder)
        except backups.BackupRefused as exc:
            integrity.record(self, str(exc))
            raise
        self.last_backup = result
        if thorough:
            integrity.record(self, integrity.OK, result.taken_at)
        return result

    def backup_beside(self, reason: str) -> BackupBeside:
        """Start an automatic backup on a helper thread (see `BackupBeside`); until it is kept
        or discarded the caller must not use this ledger's connection."""
        return BackupBeside(self, reason)

    def _daily_backup(self) -> None:
        """Back up unless this path's backup folder already holds one taken today: the day is
        kept per place, not in the file, so a copy opened elsewhere takes its own."""
        today = date.today()
        found = backups.list_backups(backup_dir_for(self.path))
        if found and found[0].taken_at.date() == today:
            self.last_backup = found[0]
            return
        self.backup("每日")
        self.note(last_daily_backup=today.isoformat())

    def quick_check(self) -> str:
        return self.conn.execute("pragma quick_check").fetchone()[0]


def restore(ledger_path: str | Path, backup_file: str | Path, actor: str | None = None) -> Path:
    """Replace the ledger with a backup: verify it, back up the current file, swap atomically.

    Works on a damaged ledger too (its bytes are kept as `...-恢复前.db` when the backup API
    cannot read it). Returns the path of the safety copy of the replaced ledger.
    """
    refuse_network_path(ledger_path)
    ledger_path = Path(ledger_path).resolve()
    backup_file = Path(backup_file).resolve()
    refuse_network_path(ledger_path)
    problem = backups.verify_file(backup_file, thorough=True)
    if problem:
        raise UserInputError(f"备份文件“{backup_file}”不能用于恢复：{problem}。")
    probe = sqlite_utils.Database(backups.connect_read_only(backup_file))
    try:
        migrations.pending(probe)
        restored = audit.head(probe)  # recorded, so anchors of the replaced log read as superseded
    finally:
        probe.conn.close()
    lock = LedgerLock(ledger_path)
    lock.acquire()
    try:
        folder = private_dir(backup_dir_for(ledger_path))
        safety = folder / f"{ledger_path.stem}-{datetime.now():%Y%m%d-%H%M%S}-恢复前.db"
        if ledger_path.exists():
            if backups.verify_file(ledger_path, thorough=True) is None:
                current = _connect(ledger_path)
                try:
                    backups.copy_database(current, safety, thorough=False)  # checked fully just above
                    current.execute("pragma wal_checkpoint(truncate)")
                finally:
                    current.close()
            else:
                safety = safety.with_name(safety.stem + "-已损坏.bin")
                write_atomic(safety, ledger_path.read_bytes())
        source = backups.connect_read_only(backup_file)
        try:
            with staged(ledger_path) as temp:  # takes the ledger's name when complete (app.atomic)
                backups.copy_into(source, temp)  # a copy of the backup checked fully
                problem = backups.verify_file(temp, thorough=False)
                if problem:
                    raise backups.BackupRefused(f"备份校验失败：{problem}")
                # A stale -wal beside the new file could be replayed onto it: remove it first.
                for suffix in ("-wal", "-shm"):
                    Path(str(ledger_path) + suffix).unlink(missing_ok=True)
        finally:
            source.close()
    finally:
        lock.release()
    with Ledger.open(ledger_path, actor=actor, daily_backup=False) as ledger:
        ledger.conn.execute("pragma journal_mode = wal")
        ledger.audit(audit.RESTORE_ACTION, "ledger", None,
                     after={"from_backup": str(backup_file), "safety_copy": str(safety),
                            "restored_head": {"rows": restored.rows, "hash": restored.hash}})
    return safety


