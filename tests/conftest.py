"""Fixtures. Plain helpers are in tests/helpers.py."""

import shutil
from pathlib import Path

import pytest

from db.schema import connect
from pipeline import load
from tests.helpers import SEED


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
