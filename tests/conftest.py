import shutil
from pathlib import Path

import pytest

from db.schema import connect
from pipeline import load

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"


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


def write_article(folder: Path, name: str, body: str, **meta) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path = folder / name
    path.write_text(f"---\n{head}---\n{body}" if meta else body, encoding="utf-8")
    return path


async def settle(pilot, app) -> None:
    """Wait until the session has answered every request and the app has handled the answers
    (an answer may ask for more: rows for the new timeline, the detail of its first event)."""
    quiet = 0
    for _ in range(5000):
        await pilot.pause()
        quiet = quiet + 1 if app.session.workers.idle else 0
        if quiet == 2:
            return
    raise AssertionError("the app's session never became idle")
