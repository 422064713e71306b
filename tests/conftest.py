"""Fixtures. Plain helpers are in tests/helpers.py."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from db.acled import import_acled
from db.schema import connect
from pipeline import load
from tests.helpers import ROOT, SEED


@pytest.fixture(scope="session")
def seed_db_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "timeline.db"
    report = load(SEED, path)
    assert report.ok, report.errors
    return path


@pytest.fixture
def seed_db(seed_db_master, tmp_path) -> Path:
    """A private copy of the seed database, for tests that write."""
    path = tmp_path / "timeline.db"
    shutil.copy(seed_db_master, path)
    return path


@pytest.fixture
def conn(seed_db):
    c = connect(seed_db)
    yield c
    c.close()


@pytest.fixture
def context_db(tmp_path) -> Path:
    """Eight ACLED rows around acled:CTX001 (IS against regime forces at Thiban, Deir ez-Zor,
    2023-03-10), each row's notes saying how it stands to it (tests/fixtures/acled_context.csv)."""
    db = tmp_path / "context.db"
    import_acled(ROOT / "tests" / "fixtures" / "acled_context.csv", db)
    return db


# --- both stores: the tests of the store run on SQLite and on a real PostgreSQL ----------------------
# `make test` (scripts/pg_server.sh run) starts a throwaway server and names it in TIMELINE_TEST_PG.
# Without one, the PostgreSQL half skips, saying why; under CI (CI=true) it fails instead.
TEST_PG = os.environ.get("TIMELINE_TEST_PG")


def _pg_server() -> str:
    if TEST_PG:
        return TEST_PG
    why = "no PostgreSQL server for the tests (TIMELINE_TEST_PG unset: run them through scripts/pg_server.sh run)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; under CI the PostgreSQL tests must run", pytrace=False)
    pytest.skip(why)


def pg_database(template: str | None = None) -> str:
    """A new database on the test server (a copy of `template`'s, if given): its URL."""
    server = _pg_server()
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return database_url(server, name)


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_pg_database(url: str) -> None:
    with psycopg.connect(_pg_server(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')} WITH (FORCE)")


STORES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def seed_pg_template() -> Iterator[str]:
    """The seed articles loaded once into a PostgreSQL database, the template of each test's copy."""
    url = pg_database()
    report = load(SEED, url)
    assert report.ok, report.errors
    yield urlsplit(url).path.lstrip("/")
    drop_pg_database(url)


@pytest.fixture(params=STORES)
def seed_store(request, tmp_path) -> Iterator[Path | str]:
    """A private copy of the seed timeline on each store: a SQLite file's path, or a PostgreSQL
    database's URL (a copy of a template database: no load per test)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("seed_db")
        return
    url = pg_database(template=request.getfixturevalue("seed_pg_template"))
    yield url
    drop_pg_database(url)


@pytest.fixture(params=STORES)
def empty_store(request, tmp_path) -> Iterator[Path | str]:
    """Where a new timeline goes on each store: a file's path, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "timeline.db"
        return
    url = pg_database()
    yield url
    drop_pg_database(url)


@pytest.fixture
def store_conn(seed_store):
    """A connection to a private copy of the seed timeline, on each store."""
    c = connect(seed_store)
    yield c
    c.close()
