"""Fixtures. Plain helpers are in tests/helpers.py."""

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from db.acled import import_acled
from db.schema import connect
from pipeline import load
from tests.helpers import MADE, ROOT, SEED, STORES, drop_pg_database, new_pg_database


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


# --- both stores: the tests of the store run on SQLite and on a real PostgreSQL (tests/helpers.py) ---


@pytest.fixture(scope="session")
def seed_pg_template() -> Iterator[str]:
    """The seed articles loaded once into a PostgreSQL database, the template of each test's copy."""
    with new_pg_database() as url:
        report = load(SEED, url)
        assert report.ok, report.errors
        yield urlsplit(url).path.lstrip("/")


@pytest.fixture(params=STORES)
def seed_store(request, tmp_path) -> Iterator[Path | str]:
    """A private copy of the seed timeline on each store: a SQLite file's path, or a PostgreSQL
    database's URL (a copy of a template database: no load per test)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("seed_db")
        return
    with new_pg_database(template=request.getfixturevalue("seed_pg_template")) as url:
        yield url


@pytest.fixture(params=STORES)
def empty_store(request, tmp_path) -> Iterator[Path | str]:
    """Where a new timeline goes on each store: a file's path, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "timeline.db"
        return
    with new_pg_database() as url:
        yield url


@pytest.fixture
def store_conn(seed_store):
    """A connection to a private copy of the seed timeline, on each store."""
    c = connect(seed_store)
    yield c
    c.close()


@pytest.fixture
def seed_pg_copy(seed_pg_template) -> Iterator[str]:
    """A private copy of the seed timeline on PostgreSQL alone: its URL."""
    with new_pg_database(template=seed_pg_template) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def no_pg_database_left() -> Iterator[None]:
    """A database a test made on the server and did not drop (it failed first) is dropped at the end."""
    yield
    for url in sorted(MADE):
        drop_pg_database(url)


@pytest.fixture
def context_store(empty_store) -> Path | str:
    """`context_db`'s eight ACLED rows, on each store."""
    import_acled(ROOT / "tests" / "fixtures" / "acled_context.csv", empty_store)
    return empty_store
