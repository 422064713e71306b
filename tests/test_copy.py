"""`timeline copy SRC DST` (db/copy.py): a whole timeline, its annotations, corrections, views and
activity, from SQLite to PostgreSQL and back, the same after the round trip; a DST holding a
timeline refused; a copy that fails or is killed leaves no half timeline. Real stores, the real
command in real processes; the PostgreSQL tests skip without a server (tests/helpers.py)."""

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from db import queries
from db.acled import import_acled
from db.copy import COPIED
from db.schema import SCHEMA_VERSION, connect, user_path
from tests.helpers import CLI, ROOT, drop_pg_database, pg_database, write_article
from tests.test_review import run

KILL_WAIT_SECONDS = 60  # far beyond a copy of the test store: one stuck this long fails


def _seeded(db: Path) -> Path:
    """The seed articles and an ACLED import, starred, tagged (twice, the first tag taken off again),
    noted, a view saved, and corrected in every way: reject, edit, merge, split, add, undo."""
    import_acled(ROOT / "tests" / "fixtures" / "acled_world.csv", db)
    conn = connect(db)
    (shared, document), *_ = conn.execute(
        "SELECT event_id, max(document_id) FROM evidence GROUP BY event_id HAVING count(DISTINCT document_id) > 1"
    )
    ids = [i for i in queries.event_ids(conn, queries.Filter()) if i != shared]
    conn.close()
    run(db, "annotate", ids[0], "--star", "--tag", "verify", "--tag", "later", "--note", "check against SOHR")
    run(db, "annotate", ids[0], "--untag", "verify")  # the tags' row numbers then have a gap, kept by the copy
    run(db, "annotate", ids[1], "--tag", "verify")
    run(db, "view", "save", "verified", "--type", "Battles", "--since", "2017")
    run(db, "reject", ids[2])
    run(db, "edit", ids[3], "--fatalities", "13", "--summary", "An edited summary")
    run(db, "merge", ids[4], ids[5])
    run(db, "split", shared, "--source", str(document))
    run(db, "add", "--date", "2018-12-09", "--type", "Armed clash", "--place", "Hajin", "--actor1", "Islamic State",
        "--citation", "a report read offline")  # fmt: skip
    run(db, "confirm", ids[6])
    run(db, "undo", ids[6])
    return db


@pytest.fixture(scope="module")
def seeded_master(tmp_path_factory, seed_db_master) -> Path:
    db = tmp_path_factory.mktemp("copy") / "timeline.db"
    shutil.copy(seed_db_master, db)
    return _seeded(db)


@pytest.fixture
def seeded(seeded_master, tmp_path) -> Path:
    """A private copy of the seeded store and its user file (what their logs hold too)."""
    db = tmp_path / "source.db"
    for master, private in ((seeded_master, db), (user_path(seeded_master), user_path(db))):
        source, target = sqlite3.connect(master), sqlite3.connect(private)
        source.backup(target)
        source.close()
        target.close()
    return db


@pytest.fixture
def pg_url():
    url = pg_database()
    yield url
    drop_pg_database(url)


def copy(src, dst, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*CLI, "copy", str(src), str(dst)], cwd=ROOT, capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def exported(store) -> list:
    return json.loads(run(store, "export", "--format", "json").stdout)


def user_layer(store) -> dict[str, list[tuple]]:
    """The analyst's tables, each row whole, in the order of its row number (the tags' order of
    insertion, which the app shows them in)."""
    conn = connect(store)
    order = {"annotations": "event_id", "views": "name", "tags": "rowid", "corrections": "id", "activity": "id"}
    found = {}
    for table, key in order.items():
        columns = "rowid, event_id, tag, author, created" if table == "tags" else "*"
        found[table] = [tuple(r) for r in conn.execute(f"SELECT {columns} FROM user.{table} ORDER BY {key}")]
    conn.close()
    return found


def every_row(db: Path) -> dict[str, list[tuple]]:
    """Each copied table of a SQLite store, every row in its key's order."""
    conn = sqlite3.connect(db)
    conn.execute("ATTACH DATABASE ? AS user", (str(user_path(db)),))
    found = {}
    for table in COPIED:
        schema, name = table.split(".") if "." in table else ("main", table)
        key = [
            r[0]
            for r in conn.execute("SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk", (name, schema))
        ]
        order = ", ".join(f'"{k}"' for k in key) if key else "rowid"
        found[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    conn.close()
    return found


def answers(store) -> tuple:
    """What a reader sees beyond the export: a search's events, the panes' counts under a search
    and under a type, the statistics."""
    conn = connect(store)
    searched = queries.event_ids(conn, queries.Filter(search="killed"))
    counted = [
        queries.counts_under(conn, f) for f in (queries.Filter(search="attack*"), queries.Filter(types=("Battles",)))
    ]
    conn.close()
    return searched, repr(counted), run(store, "stats").stdout


def test_a_round_trip_through_postgresql_gives_the_same_timeline(seeded, pg_url, tmp_path):
    back = tmp_path / "back.db"
    said = copy(seeded, pg_url).stderr
    assert f"copied {len(COPIED)} tables" in said and "rows in" in said
    copy(pg_url, back)
    before = exported(seeded)
    assert len(before) > 20 and exported(pg_url) == before and exported(back) == before
    layer = user_layer(seeded)
    assert {t for t, rows in layer.items() if not rows} == set(), "every analyst's table holds rows"
    assert {c[8] for c in layer["corrections"]} >= {"reject", "edit", "merge", "split", "add", "confirm", "undo"}
    assert user_layer(pg_url) == layer and user_layer(back) == layer
    assert every_row(back) == every_row(seeded), "every table, the counts and sets too, row for row"
    assert answers(pg_url) == answers(seeded) and answers(back) == answers(seeded)
    assert answers(seeded)[0], "the search finds events"


def test_after_a_copy_a_new_star_tag_correction_and_article_take_new_numbers(seeded, pg_url, tmp_path):
    copy(seeded, pg_url)
    conn = connect(pg_url)
    events, tags, corrections = (
        conn.execute(f"SELECT max({key}) FROM {table}").fetchone()[0]
        for table, key in (("events", "seq"), ("user.tags", "rowid"), ("user.corrections", "id"))
    )
    unstarred = conn.execute(
        "SELECT id FROM events WHERE id NOT IN (SELECT event_id FROM user.annotations)"
    ).fetchone()[0]
    conn.close()
    run(pg_url, "annotate", unstarred, "--star", "--tag", "after-the-copy")
    run(pg_url, "reject", unstarred)
    article = write_article(tmp_path / "new", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n")
    run(pg_url, "ingest", str(article), "--published", "2021-01-13")
    conn = connect(pg_url)
    assert conn.execute("SELECT min(seq) FROM events WHERE seq > ?", (events,)).fetchone()[0] is not None
    assert conn.execute("SELECT rowid FROM user.tags WHERE tag = 'after-the-copy'").fetchone()[0] == tags + 1
    assert conn.execute("SELECT max(id) FROM user.corrections").fetchone()[0] == corrections + 1
    conn.close()
    back = tmp_path / "back.db"
    copy(pg_url, back)
    run(back, "annotate", unstarred, "--tag", "offline")
    assert [t for _, _, t, *_ in user_layer(back)["tags"]][-2:] == ["after-the-copy", "offline"]


def test_a_store_holding_a_timeline_is_refused_and_left_as_it_is(seeded, seed_store, tmp_path):
    before = exported(seed_store)
    refused = copy(seeded, seed_store, ok=False)
    assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1
    shown = str(seed_store) if isinstance(seed_store, Path) else seed_store.split("?")[0].split("/")[-1]
    assert shown in refused.stderr, refused.stderr
    assert exported(seed_store) == before
    user_alone = tmp_path / "alone.db"
    user_path(user_alone).write_bytes(user_path(seeded).read_bytes())  # stars left without their store
    refused = copy(seeded, user_alone, ok=False)
    assert str(user_path(user_alone)) in refused.stderr and not user_alone.exists()


def test_a_bad_row_fails_the_copy_and_postgresql_holds_no_timeline(seeded, pg_url, tmp_path):
    writer = sqlite3.connect(user_path(seeded))  # SQLite keeps text in an integer column; PostgreSQL refuses it
    writer.execute(
        "INSERT INTO corrections (event_id, start, action, author, created) VALUES ('x', 'twelve', 'confirm', 'a', 'b')"
    )
    writer.commit()
    writer.close()
    failed = copy(seeded, pg_url, ok=False)
    assert failed.returncode == 1 and "user.corrections" in failed.stderr and "twelve" in failed.stderr
    assert _rows_in(pg_url) == 0, "the tables copied before the bad row are not kept either"
    good = tmp_path / "good.db"
    shutil.copy(seeded, good)
    user_path(good).unlink(missing_ok=True)
    copy(good, pg_url)  # the empty timeline the failed copy left takes a copy
    assert exported(pg_url) == exported(good)


def _rows_in(url: str) -> int:
    conn = connect(url)
    found = sum(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COPIED)
    conn.close()
    return found


@pytest.fixture(scope="module")
def big_source(tmp_path_factory) -> Path:
    """A store whose copy takes long enough to be killed inside (some 15k rows)."""
    from bench.generate_world import generate

    folder = tmp_path_factory.mktemp("big")
    db = folder / "big.db"
    import_acled(generate(1500, folder / "world.csv"), db)
    return db


def _kill_when(command: list[str], ready, what: str) -> None:
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    try:
        while proc.poll() is None and not ready() and time.monotonic() < deadline:
            time.sleep(0.002)
        assert proc.poll() is None, f"the copy finished before {what}"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_a_copy_killed_midway_leaves_postgresql_without_a_timeline(big_source, pg_url):
    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    watcher = psycopg.connect(pg_url, autocommit=True)

    def past_the_events() -> bool:  # the documents and events sent; the transaction not committed
        return bool(
            watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND query ~ %s",
                (
                    database,
                    "^(COPY (event_|evidence|month|user_layer)|INSERT INTO events_fts)",
                ),
            ).fetchone()
        )

    try:
        _kill_when([*CLI, "copy", str(big_source), pg_url], past_the_events, "it copied the events")
    finally:
        watcher.close()
    assert _rows_in(pg_url) == 0
    copy(big_source, pg_url)  # the server ended the killed one's transaction: nothing waits
    assert exported(pg_url) == exported(big_source)


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except FileNotFoundError:
        return 0


def test_a_copy_killed_midway_leaves_no_sqlite_store(big_source, tmp_path):
    dst = tmp_path / "copy.db"
    staged = tmp_path / "copy.db.copying"
    _kill_when(
        [*CLI, "copy", str(big_source), str(dst)],
        lambda: _size(staged) + _size(Path(f"{staged}-wal")) > 1_000_000,
        "its staged file grew",
    )
    assert staged.exists() and not dst.exists() and not user_path(dst).exists()
    copy(big_source, dst)  # the killed one's staged file cleared
    assert exported(dst) == exported(big_source) and not staged.exists()


def test_a_copy_into_sqlite_keeps_every_row(seeded, tmp_path):
    dst = tmp_path / "copy.db"
    copy(seeded, dst)
    assert every_row(dst) == every_row(seeded) and user_layer(dst) == user_layer(seeded)
    assert answers(dst) == answers(seeded)


def test_a_missing_source_is_one_line_naming_it(tmp_path):
    failed = copy(tmp_path / "none.db", tmp_path / "copy.db", ok=False)
    assert failed.returncode == 1 and f"{tmp_path / 'none.db'}: no such database" in failed.stderr
    assert not (tmp_path / "copy.db").exists()


def test_an_older_sqlite_store_is_migrated_then_copied(tmp_path, pg_url):
    from tests.test_migrations import store_v11

    old = store_v11(tmp_path / "old.db", version=12)
    copy(old, pg_url)
    assert connect(old).execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert exported(pg_url) == exported(old) and user_layer(pg_url) == user_layer(old)
    assert exported(old), "the old store has events"
