"""The bench's PostgreSQL side: a server to import into (BENCH_PG_URL's, or a throwaway one that
scripts/pg_server.sh starts in a temporary folder and stops at the end), a new database on it for
each run, the floor an import is held to (the CSV into one table by `COPY`, no index), and the
store's size on disk.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = ROOT / "scripts" / "pg_server.sh"


@contextmanager
def server() -> Iterator[str]:
    """A PostgreSQL server's URL: BENCH_PG_URL if set (left running), else a throwaway server in a
    temporary folder, stopped and removed when the bench is done with it."""
    given = os.environ.get("BENCH_PG_URL")
    if given:
        yield given
        return
    # a short folder: a unix socket's path has a bound of about 100 bytes
    with tempfile.TemporaryDirectory(prefix="timeline-bench-pg.", dir="/tmp") as folder:
        started = subprocess.run([str(PG_SERVER), "start", folder], check=True, capture_output=True, text=True)
        try:
            yield started.stdout.strip().splitlines()[-1]
        finally:
            subprocess.run([str(PG_SERVER), "stop", folder], check=False, capture_output=True)


def fresh_database(server_url: str, name: str) -> str:
    """An empty database `name` on the server (one left by an earlier run is dropped): its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def bare_copy(csv_path: Path, url: str) -> tuple[float, int]:
    """The floor for this store: the CSV's rows into one table of text columns by `COPY`, no index,
    one transaction (the table is dropped after). Its seconds, the CSV read as it is sent, and the
    rows it copied."""
    import psycopg

    with csv_path.open(encoding="utf-8") as f:
        header = f.readline()
    columns = len(header.split(","))  # the generators' header names hold no comma
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE bare_rows ({', '.join(f'c{i} text' for i in range(columns))})")
        start = time.perf_counter()
        with conn.cursor() as cursor:
            with (
                conn.transaction(),
                csv_path.open("rb") as f,
                cursor.copy("COPY bare_rows FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            seconds = time.perf_counter() - start  # the copy ended and committed
            copied = cursor.rowcount
        conn.execute("DROP TABLE bare_rows")
    return seconds, copied


def database_size(url: str) -> int:
    """Bytes the database holds on disk: its tables, their indexes and TOAST."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return int(row[0])
