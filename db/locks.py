"""The store's writer lock: one command writes a store at a time, for the whole of its write.

SQLite's write lock lasts a transaction, and a bulk import commits many (db/acled.py stages its
rows and commits each batch, so that the write-ahead log stays small): between two of them another
writer would get in, and its write would be lost to the import's switch. So every writer of the
store (load, ingest, remove, an ACLED import, the store's copy of the analyst's added events)
holds this lock for as long as it writes, and takes it here, in `store_writer`, before SQLite's.
Readers and the user database (stars, tags, notes, corrections) never take it.

On SQLite it is a flock on `NAME-writer` beside the store: the kernel lets it go when the process
ends, however it ends (kill -9), so a killed writer never leaves the store locked. The file stays
where it is when the store is set aside (schema.set_aside): the lock is the lock of the store's
name, and a writer waiting on it must meet the writer of the new store there. A PostgreSQL store
needs no lock here: every write there, an import included, is one transaction, and its BEGIN takes
the store's advisory lock (db/store.py), which waits and says busy as this one does.

The lock also tells a copy's leftover (`staged`): `timeline copy` builds a new SQLite store as
NAME.copying under NAME's lock, so a NAME.copying found by the lock's holder is a killed copy's,
and every writer clears it, saying nothing, when it takes the lock.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from db import store
from db.schema import BUSY_SECONDS, refuse_what_cannot_hold_a_store, user_path

NOTICE_SECONDS = 1.0  # a writer kept waiting this long says so, once
POLL_SECONDS = 0.05  # how often a waiting writer tries the lock again


class StoreBusy(sqlite3.OperationalError):
    """Another command held the store's writer lock for the whole wait. It is SQLite's own busy
    error, so every caller says it as it says a busy store (db.schema.database_error: None)."""

    sqlite_errorcode = sqlite3.SQLITE_BUSY
    sqlite_errorname = "SQLITE_BUSY"


def lock_path(db_path: str | Path) -> Path:
    """The file whose flock is the store's writer lock."""
    return Path(f"{db_path}-writer")


def staged(db_path: str | Path) -> Path:
    """Where `timeline copy` builds a new store before it is linked in as `db_path` (db/copy.py);
    its user file is NAME.user.copying: names no store has."""
    path = Path(db_path)
    return path.with_name(f"{path.name}.copying")


def clear_staged(db_path: str | Path) -> None:
    """Remove a staged copy of `db_path` and its user file, with their logs: only under the lock."""
    for file in (staged(db_path), user_path(staged(db_path))):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{file}{suffix}").unlink(missing_ok=True)


def say_on_stderr(line: str) -> None:
    print(f"timeline: {line}", file=sys.stderr, flush=True)


@contextmanager
def store_writer(
    db_path: store.Store, wait: bool = True, waiting: Callable[[str], None] = say_on_stderr
) -> Iterator[None]:
    """Hold the store's writer lock for the block. A writer kept waiting over NOTICE_SECONDS tells
    `waiting` once (stderr by default); after BUSY_SECONDS, or at once without `wait`, StoreBusy.
    Not re-entrant: a process taking it twice waits for itself. A store whose folder cannot hold
    the lock file (read-only, missing) gets no lock: no writer can write it, and opening it for a
    write says why in one line (db.schema.connect); what cannot hold a store at all (`:memory:`, a
    URI, a device) is refused here, as connect refuses it. A killed copy's staged files are
    cleared once the lock is held (`staged`)."""
    if store.is_url(db_path):
        yield
        return
    refuse_what_cannot_hold_a_store(str(db_path))  # before a lock file is named after it
    try:
        # read-only is enough to flock, and opens a lock file another user of a shared store made
        lock = os.open(lock_path(db_path), os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        _take(lock, db_path, wait, waiting)
        clear_staged(db_path)  # no copy to this name runs: it would hold the lock
        yield
    finally:
        os.close(lock)  # and the lock with it


def _take(lock: int, db_path: str | Path, wait: bool, waiting: Callable[[str], None]) -> None:
    started = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - started
        if not wait or waited >= BUSY_SECONDS:
            raise StoreBusy(f"{db_path}: another command is writing it")
        if not told and waited >= NOTICE_SECONDS:
            told = True
            waiting(
                f"{db_path}: another command (an import, a load) is writing it; waiting for it to finish"
                f" (up to {BUSY_SECONDS:g} s, TIMELINE_BUSY_SECONDS) …"
            )
        time.sleep(POLL_SECONDS)
