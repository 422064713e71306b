"""`timeline copy SRC DST` (db/copy.py): a whole timeline, its annotations, corrections, views and
activity, from SQLite to PostgreSQL and back, the same after the round trip; a DST holding a
timeline refused; a copy that fails or is killed leaves no half timeline. Real stores, the real
command in real processes; the PostgreSQL tests skip without a server (tests/helpers.py)."""

import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from db import queries, store
from db.acled import import_acled
from db.annotations import author_name
from db.copy import COPIED, _snapshot, copy as store_copy
from db.schema import SCHEMA_VERSION, DatabaseError, connect, user_path
from tests.helpers import CLI, ROOT, drop_pg_database, pg_database, write_article
from tests.test_live import versions, wait_for_change
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


def beyond_the_log(found: dict[str, list[tuple]], source: dict[str, list[tuple]], log: str) -> list[tuple]:
    """A copy's tables (`found`) are its source's, row for row, but for the activity log (`log`, as
    they name it), which holds the source's rows and then one for each copy: those, as (author,
    action, subject, detail)."""
    assert {t: rows for t, rows in found.items() if t != log} == {t: rows for t, rows in source.items() if t != log}
    assert found[log][: len(source[log])] == source[log]
    return [(r[2], r[3], r[5], r[6]) for r in found[log][len(source[log]) :]]


def the_copys_entry(src, dst) -> tuple:
    """The entry a copy from `src` writes in `dst`'s log: signed as DST's writes are."""
    conn = connect(src)
    events = _count_events(conn)
    conn.close()
    conn = connect(dst)
    author = author_name(None, conn)
    conn.close()
    kind = "a SQLite file" if isinstance(src, Path) else "a PostgreSQL database"
    name = str(src) if isinstance(src, Path) else store.shown(src)
    return (author, "copy", name, f"copied from {kind}, {events:,} events")


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
    into_pg, back_again = the_copys_entry(seeded, pg_url), the_copys_entry(pg_url, back)
    assert beyond_the_log(user_layer(pg_url), layer, "activity") == [into_pg]
    assert beyond_the_log(user_layer(back), layer, "activity") == [into_pg, back_again]
    assert beyond_the_log(every_row(back), every_row(seeded), "user.activity") == [into_pg, back_again], (
        "every table, the counts and sets too, row for row"
    )
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
    if not isinstance(seed_store, Path):  # a file is refused for being there; a database for its events
        conn = connect(seed_store)
        events = _count_events(conn)
        conn.close()
        assert f"already holds a timeline ({events:,} events)" in refused.stderr, refused.stderr
    assert exported(seed_store) == before
    user_alone = tmp_path / "alone.db"
    user_path(user_alone).write_bytes(user_path(seeded).read_bytes())  # stars left without their store
    refused = copy(seeded, user_alone, ok=False)
    assert str(user_path(user_alone)) in refused.stderr and not user_alone.exists()


@pytest.mark.parametrize("tables", [False, True], ids=["a new database", "its tables made, empty"])
def test_a_bad_row_fails_the_copy_and_postgresql_is_left_as_it_was(seeded, pg_url, tmp_path, tables):
    """The copy's transaction holds everything it writes, the tables it makes too: a database it
    fails to fill is left as it was, with no tables if it had none."""
    if tables:  # as an app opened on the new team database leaves it
        connect(pg_url, create=True).close()
    before = _catalog(pg_url)
    writer = sqlite3.connect(user_path(seeded))  # SQLite keeps text in an integer column; PostgreSQL refuses it
    writer.execute(
        "INSERT INTO corrections (event_id, start, action, author, created) VALUES ('x', 'twelve', 'confirm', 'a', 'b')"
    )
    writer.commit()
    writer.close()
    failed = copy(seeded, pg_url, ok=False)
    assert failed.returncode == 1 and "user.corrections" in failed.stderr and "twelve" in failed.stderr
    assert _catalog(pg_url) == before, "no table, function or search configuration made is kept"
    assert any(kind == "table" for kind, _ in before) == tables
    if tables:
        assert _rows_in(pg_url) == 0, "the tables copied before the bad row are not kept either"
    good = tmp_path / "good.db"
    shutil.copy(seeded, good)
    user_path(good).unlink(missing_ok=True)
    copy(good, pg_url)
    assert exported(pg_url) == exported(good) and ("table", "events") in _catalog(pg_url)


def _catalog(url: str) -> list[tuple[str, str]]:
    """What a database holds beyond PostgreSQL's own: its schemas, tables, views, indexes,
    sequences, functions, search configurations and extensions, by kind and name."""
    ours = "NOT LIKE 'pg\\_%' AND {} <> 'information_schema'"
    with psycopg.connect(url) as conn:
        return conn.execute(
            f"SELECT 'schema', nspname FROM pg_namespace WHERE nspname {ours.format('nspname')}"
            " UNION ALL SELECT CASE c.relkind WHEN 'r' THEN 'table' ELSE c.relkind::text END, c.oid::regclass::text"
            f" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname {ours.format('n.nspname')}"
            " UNION ALL SELECT 'function', p.oid::regprocedure::text FROM pg_proc p"
            f" JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname {ours.format('n.nspname')}"
            " UNION ALL SELECT 'search', cfgname FROM pg_ts_config WHERE cfgnamespace <> 'pg_catalog'::regnamespace"
            " UNION ALL SELECT 'extension', extname FROM pg_extension ORDER BY 1, 2"
        ).fetchall()


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

    before = _catalog(pg_url)
    try:
        _kill_when([*CLI, "copy", str(big_source), pg_url], past_the_events, "it copied the events")
    finally:
        watcher.close()
    assert _catalog(pg_url) == before, "the database as it was: no tables"
    copy(big_source, pg_url)  # the server ended the killed one's transaction: nothing waits
    assert exported(pg_url) == exported(big_source)


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except FileNotFoundError:
        return 0


def _copy_killed_midway(source: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of `source` into FOLDER/copy.db killed once its staged file has grown: (DST, staged)."""
    dst, staged = folder / "copy.db", folder / "copy.db.copying"
    _kill_when(
        [*CLI, "copy", str(source), str(dst)],
        lambda: _size(staged) + _size(Path(f"{staged}-wal")) > 1_000_000,
        "its staged file grew",
    )
    return dst, staged


def test_a_copy_killed_midway_leaves_no_sqlite_store(big_source, tmp_path):
    dst, staged = _copy_killed_midway(big_source, tmp_path)
    assert staged.exists() and not dst.exists() and not user_path(dst).exists()
    said = copy(big_source, dst).stderr  # the killed one's staged file cleared, without a word
    assert exported(dst) == exported(big_source) and not staged.exists()
    assert "copying" not in said, said


async def test_a_load_clears_a_killed_copys_staged_files_and_the_app_opens_its_store(big_source, tmp_path):
    """A writer that takes the store's writer lock finds a NAME.copying no copy is writing: a
    killed copy's. The load clears it and its user file, saying nothing of them, and the app opens
    the store the load made."""
    from tests.helpers import settle
    from tui.app import TimelineApp
    from tui.timeline_view import TimelineView

    dst, staged = _copy_killed_midway(big_source, tmp_path)
    assert staged.exists() and user_path(staged).exists()
    folder = tmp_path / "news"
    write_article(
        folder / "articles", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2021-01-13"
    )
    said = run(dst, "load", str(folder)).stderr
    assert "copying" not in said, said
    assert sorted(f.name for f in tmp_path.iterdir() if "copying" in f.name) == []
    app = TimelineApp(dst)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        assert len(app.query_one("#timeline", TimelineView).ids) == len(exported(dst)) > 0


def test_a_copy_into_sqlite_keeps_every_row(seeded, tmp_path):
    dst = tmp_path / "copy.db"
    copy(seeded, dst)
    entry = the_copys_entry(seeded, dst)
    assert beyond_the_log(every_row(dst), every_row(seeded), "user.activity") == [entry]
    assert beyond_the_log(user_layer(dst), user_layer(seeded), "activity") == [entry]
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
    assert exported(pg_url) == exported(old)
    assert beyond_the_log(user_layer(pg_url), user_layer(old), "activity") == [the_copys_entry(old, pg_url)]
    assert exported(old), "the old store has events"


def test_a_file_system_without_hard_links_gets_the_copy_renamed_in_place(seeded, tmp_path, monkeypatch):
    """FAT and exFAT (a USB stick) refuse link() with EPERM: the staged files are renamed instead,
    never over a file made while the copy ran. The refusal is the OS's, so os.link is what fails."""

    def refused(staged, path):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(path))

    monkeypatch.setattr(os, "link", refused)
    dst = tmp_path / "stick" / "field.db"
    dst.parent.mkdir()
    store_copy(seeded, dst)
    assert len(beyond_the_log(every_row(dst), every_row(seeded), "user.activity")) == 1
    assert sorted(f.name for f in dst.parent.iterdir() if "copying" in f.name) == []

    made_meanwhile = tmp_path / "stick" / "other.db"

    def refused_while_a_store_is_made(staged, path):
        if Path(path) == made_meanwhile:  # the store's own file: another store took its name meanwhile
            made_meanwhile.write_bytes(b"another store")
        refused(staged, path)

    monkeypatch.setattr(os, "link", refused_while_a_store_is_made)
    with pytest.raises(DatabaseError, match=f"^{made_meanwhile}: made while the copy ran"):
        store_copy(seeded, made_meanwhile)
    assert made_meanwhile.read_bytes() == b"another store", "never renamed over it"
    assert not user_path(made_meanwhile).exists(), "the user file put first is taken away again"


def test_a_copy_into_postgresql_tells_an_open_app(seeded, pg_url):
    """COPY goes round the statements that note a write: the copy's commit NOTIFYs both layers all
    the same, so an app open on the empty team database sees the timeline arrive."""
    watcher = connect(pg_url, create=True)
    start = versions(watcher)  # its first ask LISTENs
    copy(seeded, pg_url)
    main, user = wait_for_change(watcher, start)
    assert main != start[0] and user != start[1]
    watcher.close()


def test_the_source_is_read_in_one_transaction_the_connection_knows_of(seeded, pg_url):
    copy(seeded, pg_url)
    reader = connect(pg_url)
    tags = _count_tags(reader)
    event = reader.execute("SELECT id FROM events LIMIT 1").fetchone()[0]
    with _snapshot(reader):
        assert reader.in_transaction
        assert _count_tags(reader) == tags
        run(pg_url, "annotate", event, "--tag", "meanwhile")  # another connection's commit
        assert _count_tags(reader) == tags, "the snapshot does not see a commit made after it began"
    assert not reader.in_transaction
    assert _count_tags(reader) == tags + 1
    reader.close()


def _count_tags(conn) -> int:
    return conn.execute("SELECT count(*) FROM user.tags").fetchone()[0]


def _count_events(conn) -> int:
    return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_missing_folder_is_said_of_dst(seeded, tmp_path):
    dst = tmp_path / "no-such-folder" / "field.db"
    failed = copy(seeded, dst, ok=False)
    assert failed.returncode == 1 and len(failed.stderr.splitlines()) == 1
    assert f"{dst}: its folder {dst.parent} does not exist" in failed.stderr and "copying" not in failed.stderr


def test_a_store_with_places_but_no_events_is_refused_as_what_it_is(seeded, pg_url, tmp_path):
    """`timeline load` of a folder without articles stores the lexicon's actors and no event."""
    empty = tmp_path / "empty"
    (empty / "articles").mkdir(parents=True)
    run(pg_url, "load", str(empty))
    refused = copy(seeded, pg_url, ok=False)
    assert refused.returncode == 1 and "holds no events but is not empty" in refused.stderr, refused.stderr
    assert len(refused.stderr.splitlines()) == 1 and "already holds a timeline" not in refused.stderr


def test_the_progress_is_full_only_when_the_copy_is_whole(seeded, pg_url, tmp_path):
    """The steps after the rows (the keys, the search index, the statistics) are part of the
    progress told: it is full when they are done, not when the last row is sent. Into SQLite the
    staged file shows them, each committed; into PostgreSQL, the copy's transaction is open until
    after its last report, whose last statement is then its ANALYZE."""
    dst = tmp_path / "copy.db"
    staged = tmp_path / "copy.db.copying"
    events = len(every_row(seeded)["events"])
    reports: list[tuple] = []

    def into_sqlite(done: int, total: int, step: str) -> None:
        look = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        indexed = look.execute("SELECT count(*) FROM events_fts_docsize").fetchone()[0]
        statistics = look.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0]
        look.close()
        reports.append((done, total, step, indexed, statistics))

    store_copy(seeded, dst, into_sqlite)
    assert [r[:2] for r in reports] == sorted(r[:2] for r in reports), "it never goes back"
    assert [r[2] for r in reports if r[0] == r[1]] == ["statistics"], "full once, at the end"
    assert reports[-1][3:] == (events, 1), "the search index and the statistics made when it is full"
    assert any(step == "search index" and done < total for done, total, step, *_ in reports)

    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    watcher = psycopg.connect(pg_url, autocommit=True)
    last_statements: list[tuple] = []

    def into_postgresql(done: int, total: int, step: str) -> None:
        if done == total:
            last_statements.extend(
                watcher.execute(
                    "SELECT state, query FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (database,),
                ).fetchall()
            )

    try:
        store_copy(seeded, pg_url, into_postgresql)
    finally:
        watcher.close()
    assert last_statements == [("idle in transaction", "ANALYZE")], last_statements
