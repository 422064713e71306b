"""Fixtures. Plain helpers are in tests/helpers.py."""

import shutil
from pathlib import Path

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
