"""Plain helpers for the tests (fixtures live in conftest.py)."""

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from textual.pilot import Pilot

from tui.app import TimelineApp

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"
CLI = [sys.executable, "-c", "from cli import run; run()"]  # the `timeline` command, from this checkout


def without_bytecode() -> dict[str, str]:
    """The environment of a child under a file-size limit: it writes no bytecode of our modules,
    which the limit would cut short, and CPython keeps a cut file: every later import fails."""
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


SETTLE_SECONDS = 60  # far beyond any query of the seed database: a test stuck this long fails instead of hanging


def store_v4(path: Path) -> Path:
    """A store as schema version 4 wrote it (tests/fixtures/store_v4.sql): three ACLED rows and an
    article event, before places and actors formed trees and before text was stored once."""
    old = sqlite3.connect(path)
    old.executescript((ROOT / "tests" / "fixtures" / "store_v4.sql").read_text(encoding="utf-8"))
    old.close()
    return path


def write_article(folder: Path, name: str, body: str, **meta: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path = folder / name
    path.write_text(f"---\n{head}---\n{body}" if meta else body, encoding="utf-8")
    return path


SNAPSHOT_APP = str(ROOT / "tests" / "snapshot_app.py")  # the app on $TIMELINE_DB, for snapshot tests


async def press_and_settle(pilot: Pilot, keys: list[str]) -> None:
    """Let the app settle, then press each key and let it settle again: a snapshot's picture is
    of the app at rest."""
    app = pilot.app
    assert isinstance(app, TimelineApp)
    await settle(pilot, app)
    for key in keys:
        await pilot.press(key)
        await settle(pilot, app)


async def settle(pilot: Pilot, app: TimelineApp) -> None:
    """Wait until the session has answered every request and the app has handled the answers
    (an answer may ask for more: rows for the new timeline, the detail of its first event)."""
    async with asyncio.timeout(SETTLE_SECONDS):
        quiet = 0
        while quiet < 2:
            await pilot.pause()
            view = app.explorer.view
            resting = view.announced == view.current_rowid  # the detail is asked once the cursor rests
            quiet = quiet + 1 if app.session.workers.idle and resting else 0


def kill_when_written(command: list[str], db: Path, wal_bytes: int) -> None:
    """Run a writer and kill -9 it once it holds the store's write lock and has written
    `wal_bytes` of its transaction to the WAL: a point inside the transaction, not a guess in time."""
    wal = Path(f"{db}-wal")
    kill_inside_transaction(command, db, lambda _: wal.exists() and wal.stat().st_size >= wal_bytes)


def kill_inside_transaction(command: list[str], db: Path, ready: Callable[[subprocess.Popen], bool]) -> None:
    """Run a writer and kill -9 it at the first moment `ready(process)` is true while it holds
    the store's write lock. Fails if the writer ends first, or had committed when killed."""
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = sqlite3.connect(db, timeout=0)
    events = probe.execute("SELECT count(*) FROM events").fetchone()[0]
    try:
        while proc.poll() is None:
            if ready(proc):
                try:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.rollback()  # no writer holds the lock yet
                except sqlite3.OperationalError:
                    break  # locked: the writer is inside its transaction (or closing after it)
            time.sleep(0.005)
        assert proc.poll() is None, "the writer finished before the point it was to be killed at"
        assert probe.execute("SELECT count(*) FROM events").fetchone()[0] == events, "killed after its commit"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        probe.close()


def bytes_read(pid: int, path: Path) -> int:
    """How far process `pid` has read into the file at `path`: its file offset, from Linux's
    /proc; 0 while it does not have the file open."""
    target = path.resolve()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if Path(os.readlink(fd)) == target:
                    info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                    return int(info.split("pos:", 1)[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue  # closed meanwhile, or not a file
    except OSError:
        pass  # the process is gone
    return 0


# --- both stores: the tests of the store run on SQLite and on a real PostgreSQL ----------------------
# `make test` (scripts/pg_server.sh run) starts a throwaway server and names it in TIMELINE_TEST_PG.
# Without one, the PostgreSQL half skips, saying why; under CI (CI=true) it fails instead.
TEST_PG = os.environ.get("TIMELINE_TEST_PG")


def pg_server() -> str:
    if TEST_PG:
        return TEST_PG
    why = "no PostgreSQL server for the tests (TIMELINE_TEST_PG unset: run them through scripts/pg_server.sh run)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; under CI the PostgreSQL tests must run", pytrace=False)
    pytest.skip(why)


MADE: set[str] = set()  # the databases made on the test server and not yet dropped (their URLs)


def pg_database(template: str | None = None) -> str:
    """A new database on the test server (a copy of `template`'s, if given): its URL. Dropped by
    `drop_pg_database`; one a test leaves is dropped at the session's end (conftest.py)."""
    server = pg_server()
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    url = database_url(server, name)
    MADE.add(url)
    return url


@contextlib.contextmanager
def new_pg_database(template: str | None = None) -> Iterator[str]:
    """`pg_database`, dropped when the block ends, however it ends (a fixture whose setup fails too)."""
    url = pg_database(template)
    try:
        yield url
    finally:
        drop_pg_database(url)


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_pg_database(url: str) -> None:
    with psycopg.connect(pg_server(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')} WITH (FORCE)")
    MADE.discard(url)


STORES = ["sqlite", "postgresql"]


def writer_backend(url: str) -> int | None:
    """The server process of the session that holds a PostgreSQL store's writer lock and has
    written inside its transaction (its transaction has an id): None while there is none."""
    from db.store import WRITE_LOCK

    with psycopg.connect(url, autocommit=True) as probe:
        row = probe.execute(
            "SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND a.backend_xid IS NOT NULL",
            (WRITE_LOCK,),
        ).fetchone()
    return row[0] if row else None


def pg_writer_inside_its_transaction(command: list[str], url: str) -> tuple[subprocess.Popen, int]:
    """Run a writer of the PostgreSQL store at `url` until it holds the writer lock and has written
    inside its transaction: the writer's process and its session's server process. Fails if the
    writer ends first."""
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while (backend := writer_backend(url)) is None:
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the writer finished before the point it was to be stopped at: {err}")
        time.sleep(0.005)
    return proc, backend
