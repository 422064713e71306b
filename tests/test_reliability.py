"""Bad input, hostile text, crashes: each guarantee of the reliability issue as a test."""

# The tests of what a store holds or answers after bad input (hostile text, ACLED rows, front-matter,
# the analyst's marks, exports, the app) run on both stores (seed_store, empty_store: a SQLite file,
# a PostgreSQL database); the PostgreSQL forms of a killed writer, a dropped connection and parallel
# writers are at the end of the file and in tests/test_postgres.py. On SQLite alone, what is about
# SQLite's file: a kill -9 at a point of the file's WAL or its lock (held with sqlite3), a full disk,
# a file-size limit, a read-only file, folder or file system, damaged pages, files of older versions
# and files that are not ours, the staged bulk import (SQLite's alone), where a new file goes. The
# generated ACLED files (hypothesis) each make a new store too: on SQLite, a file in a folder.

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from cli import main
from db import annotations, queries
from db.export import to_markdown
from db.schema import SCHEMA_VERSION, connect
from ingest.dates import parse_published
from ingest.extract import extract
from ingest.model import Article
from pipeline import load
from tests.helpers import (
    CLI,
    ROOT,
    SEED,
    kill_when_written,
    pg_writer_inside_its_transaction,
    settle,
    store_v4,
    without_bytecode,
    write_article,
)
from tui.app import TimelineApp
from tui.timeline_view import TimelineView

HOSTILE = (
    "Gunmen attacked a checkpoint in Hajin on Monday \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 "
    "\x1b]52;c;ZXZpbA==\x07 [bold]loud[/] [link=http://evil]x[/link] \u202eevil\u202c killing 3 soldiers.\n"
)


def hostile_db(tmp_path, db: Path | str) -> Path | str:
    seed = tmp_path / "seed"
    write_article(seed / "articles", "hostile.md", HOSTILE, title='"[red]Title\\e[2J"', published="2019-03-20")
    assert load(seed, db).ok
    return db


def test_cli_list_and_explain_show_escape_sequences_literally(tmp_path, empty_store):
    db = hostile_db(tmp_path, empty_store)
    out = CliRunner().invoke(main, ["list", "--db", str(db), "--search", "checkpoint"]).stdout
    assert "\x1b" not in out and "\u202e" not in out
    path = tmp_path / "seed" / "articles" / "hostile.md"
    explained = CliRunner().invoke(main, ["explain", str(path)]).stdout
    assert "\x1b" not in explained and "\x07" not in explained
    assert "[bold]loud[/]" in explained.replace("\n", " ") or "␛" in explained


def test_markdown_export_escapes_what_would_break_the_document(tmp_path, empty_store):
    conn = connect(hostile_db(tmp_path, empty_store))
    md = to_markdown(queries.event_details(conn, queries.event_ids(conn, queries.Filter())), "Hostile")
    assert "\x1b" not in md and "\u202e" not in md
    assert "\\[link=http://evil\\]" in md


async def test_the_app_shows_hostile_text_literally(tmp_path, empty_store):
    app = TimelineApp(hostile_db(tmp_path, empty_store))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        detail = app.query_one("#detail-body").render()
        shown = str(detail)
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "␛[31mRED" in shown and "[bold]loud[/]" in shown
        lines = [app.query_one("#timeline").render_line(y).text for y in range(5)]
        assert not any("\x1b" in line for line in lines)


def test_cp1252_text_is_read_with_a_warning(tmp_path, empty_store):
    seed = tmp_path / "seed"
    (seed / "articles").mkdir(parents=True)
    (seed / "articles" / "latin.txt").write_bytes("Clashes in Hajin on Monday \u2013 caf\u00e9.\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["load", str(seed), "--db", str(empty_store)])
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "latin.txt" in result.stderr and "cp1252" in result.stderr


def test_future_dates_and_arabic_only_files_are_reported(tmp_path, empty_store):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "future.md", "Clashes in Hajin.\n", published="2999-01-01")
    write_article(seed / "articles", "arabic.md", "اشتباكات في هجين\n", published="2019-01-01")
    report = load(seed, empty_store)
    assert [Path(f).name for f, _ in report.errors] == ["future.md"]
    assert "in the future" in report.errors[0][1]
    assert [Path(f).name for f, _ in report.warnings] == ["arabic.md"]


def test_html_page_without_an_article_is_an_error(tmp_path, empty_store):
    seed = tmp_path / "seed"
    (seed / "articles").mkdir(parents=True)
    (seed / "articles" / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    report = load(seed, empty_store)
    assert report.errors and "no article text" in report.errors[0][1]


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.sampled_from([None, "2017-06-19", "2018-10", "2021"]),
)
def test_random_text_never_breaks_the_extractor_and_offsets_hold(text, published):
    article = Article(path="random.txt", text=text, published=parse_published(published))
    for event in extract(article)[0]:
        for ev in event.evidence:
            assert text[ev.start : ev.end] == ev.text


NEWSY = st.lists(
    st.sampled_from(
        [
            "Clashes erupted in Hajin on Monday",
            "ISIS fighters attacked",
            "near Deir Ezzor",
            "killing 3 soldiers",
            "last week",
            "the SDF said",
            "Sept. 22",
            "U.S.-led coalition airstrikes hit",
            "al-Bukamal",
            ".",
            ",",
            "\n",
            "Syrias",
            "in late 2017",
            "two dozen",
            "\u00a0",
            "\u2019s",
            "Daesh",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(NEWSY)
def test_newsy_random_text_keeps_the_offset_invariant(text):
    article = Article(path="r.txt", text=text, published=parse_published("2019-03-20"))
    for event in extract(article)[0]:
        assert all(text[ev.start : ev.end] == ev.text for ev in event.evidence)


def many_articles(folder: Path, copies: int) -> Path:
    """A corpus of `copies` times the seed articles, each copy a text of its own."""
    (folder / "articles").mkdir(parents=True)
    for i, path in enumerate(sorted((SEED / "articles").iterdir()) * copies):
        (folder / "articles" / f"{i:04d}_{path.name}").write_text(path.read_text() + f"\nCopy {i}.\n")
    return folder


@pytest.mark.parametrize("wal_bytes", [0, 100_000])
def test_load_and_import_killed_inside_their_transaction_leave_the_store_as_it_was(tmp_path, seed_db, wal_bytes):
    from bench.generate_acled import generate

    corpus = many_articles(tmp_path / "big", 60)
    conn = connect(seed_db)
    before = queries.count_events(conn)
    starred = queries.event_ids(conn, queries.Filter())[0]
    annotations.set_starred(conn, starred, True)
    conn.close()
    csv_path = generate(60000, tmp_path / "acled.csv")
    for command in (["load", str(corpus), "--force"], ["import", "acled", str(csv_path)]):
        kill_when_written([*CLI, *command, "--db", str(seed_db)], seed_db, wal_bytes)
        conn = connect(seed_db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert queries.count_events(conn) == before
        assert queries.event_ids(conn, queries.Filter(starred=True)) == [starred]
        conn.close()
    assert load(corpus, seed_db, drop_others=True).ok  # the next load finishes


def test_a_full_disk_stops_a_write_in_one_line_and_the_store_stays_as_it_was(tmp_path, seed_db):
    import resource

    corpus = many_articles(tmp_path / "big", 60)
    before = seed_db.read_bytes()
    limit = len(before) + 64_000  # a disk with room for 64 KB more: a file-size limit, per process

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [*CLI, "ingest", str(corpus / "articles"), "--db", str(seed_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        env=without_bytecode(),
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "could not be written" in done.stderr
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(list((SEED / "articles").iterdir()))


def unprivileged(command: list[str]) -> list[str]:
    """The command as a user that file permissions bind (root's writes ignore them)."""
    if os.geteuid() != 0:
        return command
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        usable = subprocess.run([*as_nobody, sys.executable, "-c", "import cli"], cwd=ROOT).returncode == 0
    except FileNotFoundError:
        usable = False
    if not usable:
        pytest.skip("running as root, with no way to run as another user")
    return [*as_nobody, *command]


@pytest.fixture
def shared_folder(seed_db):
    """A folder other users may enter, holding a copy of the seed database and its user database."""
    import shutil
    import tempfile

    from db.schema import user_path

    connect(seed_db).close()  # makes the user database
    folder = Path(tempfile.mkdtemp())
    shutil.copy(seed_db, folder / "t.db")
    shutil.copy(user_path(seed_db), folder / "t.user.db")
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize("protect", ["file", "folder", "folder without a user database"])
def test_a_read_only_database_is_read_and_a_write_says_why(shared_folder, protect):
    db = shared_folder / "t.db"
    if protect == "folder without a user database":  # the stars would have nowhere to go
        (shared_folder / "t.user.db").unlink()
    shared_folder.chmod(0o777 if protect == "file" else 0o755)
    databases = [p for p in (db, shared_folder / "t.user.db") if p.exists()]
    for path in databases:
        path.chmod(0o644 if protect == "file" else 0o666)  # "folder": files may be written, not created
    before = [p.read_bytes() for p in databases]
    listed = subprocess.run(unprivileged([*CLI, "export", "--db", str(db)]), cwd=ROOT, capture_output=True, text=True)
    assert listed.returncode == 0 and listed.stdout.strip().startswith("["), listed.stderr
    target = json.loads(listed.stdout)[0]["id"]
    for command, says in (
        (["annotate", target, "--star"], "read-only"),
        (["view", "save", "daily", "--starred"], "read-only"),
        (["load", str(SEED)], "read-only"),
        (["ingest", str(SEED / "articles")], "read-only"),
    ):
        done = subprocess.run(unprivileged([*CLI, *command, "--db", str(db)]), cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 1 and says in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert [p.read_bytes() for p in databases] == before


def test_load_beside_an_open_connection_keeps_the_file_and_what_that_connection_writes(seed_db):
    app = connect(seed_db)  # as the app holds it, across a load in another process
    inode = os.stat(seed_db).st_ino
    result = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "load", str(SEED), "--db", str(seed_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert os.stat(seed_db).st_ino == inode  # rebuilt inside the file, not renamed over it
    target = queries.event_ids(app, queries.Filter())[0]
    annotations.set_starred(app, target, True)
    app.close()
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [target]


def test_a_newer_schema_is_refused(tmp_path, seed_db):
    raw = sqlite3.connect(seed_db)
    raw.execute("UPDATE schema_version SET version = 99")
    raw.commit()
    raw.close()
    result = CliRunner().invoke(main, ["stats", "--db", str(seed_db)])
    assert result.exit_code == 1 and "newer than this program" in result.stderr


async def test_the_app_notices_another_writer_and_reloads(seed_store, tmp_path):
    from pipeline import ingest

    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        before = len(app.query_one("#timeline", TimelineView).ids)
        article = write_article(
            tmp_path,
            "new.md",
            "Clashes broke out between the SDF and ISIS in Hajin on Sunday.\n",
            published="2018-12-10",
        )
        assert ingest([article], seed_store).ok  # another writer, while the app is open
        app.session.check_for_changes()
        await settle(pilot, app)  # read again at once: the writer is this analyst, so nothing is said
        assert len(app.query_one("#timeline", TimelineView).ids) == before + 1


def test_a_huge_file_is_refused_and_the_others_load(tmp_path):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "good.md", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    (seed / "articles" / "huge.txt").write_text("Clashes erupted in Hajin. " * 2_000_000)
    report = load(seed, tmp_path / "t.db")
    assert [Path(f).name for f, _ in report.errors] == ["huge.txt"] and "too big" in report.errors[0][1]
    assert len(report.added) == 1


def test_a_version_1_database_is_migrated_keeping_its_data(tmp_path):
    db = store_v4(tmp_path / "timeline.db")
    raw = sqlite3.connect(db)  # version 1 had no origin, kind or published_source
    ids = sorted(r[0] for r in raw.execute("SELECT id FROM events"))
    raw.executescript(
        "ALTER TABLE events DROP COLUMN origin; ALTER TABLE documents DROP COLUMN kind;"
        "ALTER TABLE documents DROP COLUMN published_source; UPDATE schema_version SET version = 1;"
    )
    raw.close()
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert sorted(queries.event_ids(conn, queries.Filter())) == ids
    annotations.set_starred(conn, ids[0], True)
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [ids[0]]
    assert queries.event_ids(conn, queries.Filter(search="clashed")), "the search index is rebuilt"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_stars_tags_and_notes_survive_load_ingest_and_import(seed_store, tmp_path):
    from db.acled import import_acled
    from pipeline import ingest

    conn = connect(seed_store)
    target = queries.event_ids(conn, queries.Filter())[2]
    conn.close()
    result = CliRunner().invoke(
        main,
        [
            "annotate",
            target,
            "--db",
            str(seed_store),
            "--star",
            "--tag",
            "verify",
            "--tag",
            "ahvaz",
            "--note",
            "Check against SOHR",
        ],
    )
    assert result.exit_code == 0, result.output
    article = write_article(tmp_path, "new.md", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    assert load(SEED, seed_store).ok
    assert ingest([article], seed_store).ok
    import_acled(Path(__file__).parent / "fixtures" / "acled_current.csv", seed_store)
    detail = queries.event_detail(connect(seed_store), target)
    assert detail.event.starred and detail.tags == ("verify", "ahvaz") and detail.note == "Check against SOHR"


@pytest.mark.parametrize("flag", ["--tag", "--star"])
def test_annotating_an_unknown_event_is_a_usage_error_and_stores_nothing(seed_store, flag):
    value = ["x"] if flag == "--tag" else []
    result = CliRunner().invoke(main, ["annotate", "nope", "--db", str(seed_store), flag, *value])
    assert result.exit_code == 2 and "no event 'nope'" in result.stderr
    assert connect(seed_store).execute("SELECT count(*) FROM annotations").fetchone()[0] == 0


@pytest.mark.parametrize(
    "args, says",
    [
        (["--type", "Riotz"], "--type: no event of type 'Riotz'"),
        (["--since", "2020-13"], "--since: "),
        (["--until", "soon"], "--until: "),
    ],
)
def test_a_filter_asked_wrongly_is_a_usage_error_naming_the_option(seed_store, args, says):
    result = CliRunner().invoke(main, ["list", "--db", str(seed_store), *args])
    assert result.exit_code == 2 and says in result.stderr


@pytest.mark.parametrize("kind", ["foreign", "damaged", "newer"])
def test_load_refuses_a_database_that_is_not_ours_and_leaves_it_byte_for_byte(tmp_path, seed_db, kind):
    target = tmp_path / "other.db"
    if kind == "foreign":
        raw = sqlite3.connect(target)
        raw.execute("CREATE TABLE notes (body TEXT)")
        raw.execute("INSERT INTO notes VALUES ('mine')")
        raw.commit()
        raw.close()
    elif kind == "damaged":
        target.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    else:
        target.write_bytes(seed_db.read_bytes())
        raw = sqlite3.connect(target)
        raw.execute("PRAGMA journal_mode=DELETE")
        raw.execute("UPDATE schema_version SET version = 99")
        raw.commit()
        raw.close()
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["load", str(SEED), "--db", str(target)])
    assert result.exit_code == 1 and str(target) in result.stderr
    assert target.read_bytes() == before
    assert not Path(f"{target}-wal").exists()


def test_export_writes_through_a_symlink_to_its_target(seed_store, tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = CliRunner().invoke(main, ["export", "--db", str(seed_store), "--format", "md", "-o", str(link), "--force"])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and target.read_text().startswith("#")


@pytest.mark.parametrize("where, says", [("/dev/null", "not a regular file"), ("missing/out.md", "no such folder")])
def test_export_refuses_what_is_not_a_regular_file_and_a_missing_folder(seed_store, tmp_path, where, says):
    out = where if where.startswith("/") else str(tmp_path / where)
    result = CliRunner().invoke(main, ["export", "--db", str(seed_store), "-o", out, "--force"])
    assert result.exit_code == 2 and says in result.stderr and len(result.stderr.splitlines()) == 1


def test_export_creates_missing_folders_when_asked(seed_store, tmp_path):
    out = tmp_path / "a" / "b" / "out.json"
    result = CliRunner().invoke(main, ["export", "--db", str(seed_store), "-o", str(out), "--parents"])
    assert result.exit_code == 0 and out.exists()


def test_export_to_a_full_disk_says_so_in_one_line(seed_store):
    command = [sys.executable, "-c", "from cli import main; main()", "export", "--db", str(seed_store)]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1 and done.stderr.strip().startswith("timeline: stdout:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_annotation_never_waits_behind_a_long_write_to_the_store(seed_store):
    import_ = connect(seed_store)  # as a long import or load does: the store's write lock, held
    import_.execute("BEGIN")
    import_.execute("DELETE FROM events_fts")
    annotator = connect(seed_store)
    annotator.execute("PRAGMA busy_timeout = 0")  # any wait for a lock would fail at once
    target = queries.event_ids(annotator, queries.Filter())[0]
    annotations.set_starred(annotator, target, True)
    annotations.annotate(annotator, target, ["verify"], "check")
    import_.rollback()
    assert queries.event_ids(connect(seed_store), queries.Filter(starred=True)) == [target]


def test_annotations_of_a_version_3_database_move_to_the_user_database(tmp_path):
    db = store_v4(tmp_path / "timeline.db")
    raw = sqlite3.connect(db)  # as version 3 kept them: in the store
    target = raw.execute("SELECT id FROM events ORDER BY id").fetchone()[0]
    raw.executescript(
        "CREATE TABLE annotations (event_id TEXT PRIMARY KEY, starred INTEGER NOT NULL DEFAULT 0,"
        " tags TEXT, note TEXT, updated TEXT); UPDATE schema_version SET version = 3;"
    )
    raw.execute("INSERT INTO annotations (event_id, starred) VALUES (?, 1)", (target,))
    raw.commit()
    raw.close()
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM main.sqlite_master WHERE name = 'annotations'").fetchone()[0] == 0
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [target]


def test_load_force_replaces_a_damaged_database_and_keeps_it_as_a_backup(tmp_path):
    target = tmp_path / "t.db"
    target.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    damaged = target.read_bytes()
    result = CliRunner().invoke(main, ["load", str(SEED), "--db", str(target), "--force"])
    assert result.exit_code == 0, result.stderr
    (backup,) = tmp_path.glob("t.db.bak-*")
    assert backup.read_bytes() == damaged
    assert queries.count_events(connect(target)) > 0


def test_a_writer_behind_another_says_so_in_one_line_after_the_wait_it_is_given(seed_store):
    holder = connect(seed_store, user=False)
    holder.execute("BEGIN IMMEDIATE")  # another command writing, for as long as this test runs
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from cli import run; run()", "load", str(SEED), "--db", str(seed_store)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "TIMELINE_BUSY_SECONDS": "0.5"},
        )
    finally:
        holder.rollback()
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "writing to it for over 0.5 s" in done.stderr and "TIMELINE_BUSY_SECONDS" in done.stderr


def test_load_force_never_sets_aside_a_good_store_for_a_damaged_user_database(seed_db):
    from db.schema import user_path

    before = seed_db.read_bytes()
    user_path(seed_db).write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    result = CliRunner().invoke(main, ["load", str(SEED), "--db", str(seed_db), "--force"])
    assert result.exit_code == 1 and str(user_path(seed_db)) in result.stderr
    assert list(seed_db.parent.glob("*.bak-*")) == [] and seed_db.read_bytes() == before


def app_in_a_terminal(db: Path) -> tuple[subprocess.Popen, int, bytes]:
    """The app in a process of its own on a pseudo-terminal, once it has drawn its title: the
    process, the terminal's side to read, and what the app wrote so far."""
    import pty

    master, terminal = pty.openpty()
    app = subprocess.Popen(
        [*CLI, "--db", str(db)],
        cwd=ROOT,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""
    try:
        while b"events" not in seen:  # the app is up and drew its title
            seen += os.read(master, 65536)
    except BaseException:
        app.kill()
        os.close(master)
        raise
    return app, master, seen


def test_the_app_quits_when_its_terminal_goes(seed_store):
    """A closed window or a killed tmux: the app must not live on, reading a dead terminal."""
    app, master, _ = app_in_a_terminal(seed_store)
    try:
        os.close(master)  # the terminal goes
        assert app.wait(timeout=30) is not None
    finally:
        app.kill()


# ---- issue 29 point 1: parallel annotations lose nothing ------------------------------------


def test_parallel_tags_and_a_note_in_other_processes_lose_nothing(seed_store):
    target = queries.event_ids(connect(seed_store), queries.Filter())[0]
    for round_ in range(3):
        tags = [f"r{round_}-t{i}" for i in range(12)]
        writers = [
            subprocess.Popen(
                [*CLI, "annotate", target, "--tag", tag, "--db", str(seed_store)], cwd=ROOT, stderr=subprocess.PIPE
            )
            for tag in tags
        ]
        writers.append(
            subprocess.Popen(
                [*CLI, "annotate", target, "--note", f"note {round_}", "--db", str(seed_store)],
                cwd=ROOT,
                stderr=subprocess.PIPE,
            )
        )
        assert [w.wait() for w in writers] == [0] * 13, [w.stderr.read() for w in writers]
        detail = queries.event_detail(connect(seed_store), target)
        assert set(tags) <= set(detail.tags), f"round {round_}: lost {set(tags) - set(detail.tags)}"
        assert detail.note == f"note {round_}"
    assert len(queries.event_detail(connect(seed_store), target).tags) == 36


def test_a_tag_may_hold_a_comma_and_stars_tags_and_notes_carry_their_author(seed_store):
    target = queries.event_ids(connect(seed_store), queries.Filter())[0]
    env = {**os.environ, "TIMELINE_AUTHOR": "Configured Name"}
    run = [*CLI, "annotate", target, "--db", str(seed_store)]
    assert subprocess.run([*run, "--tag", "Raqqa, east bank", "--star"], cwd=ROOT, env=env).returncode == 0
    assert subprocess.run([*run, "--note", "check", "--author", "Dana"], cwd=ROOT, env=env).returncode == 0
    conn = connect(seed_store)
    assert queries.event_detail(conn, target).tags == ("Raqqa, east bank",)
    assert [r[0] for r in conn.execute("SELECT author FROM tags")] == ["Configured Name"]
    row = conn.execute("SELECT starred_by, note_by, noted_at FROM annotations").fetchone()
    assert row[0] == "Configured Name" and row[1] == "Dana" and row[2]
    env.pop("TIMELINE_AUTHOR")
    assert subprocess.run([*run, "--tag", "login"], cwd=ROOT, env=env).returncode == 0
    import getpass

    login = getattr(conn, "role", None) or getpass.getuser()  # PostgreSQL's: the database role
    assert conn.execute("SELECT author FROM tags WHERE tag = 'login'").fetchone()[0] == login


def test_an_older_user_database_opens_and_its_comma_joined_tags_become_rows(seed_db):
    from db.schema import USER_VERSION, user_path

    target = queries.event_ids(connect(seed_db), queries.Filter())[0]
    user_path(seed_db).unlink()
    old = sqlite3.connect(user_path(seed_db))  # as the user database was before it had a version
    old.executescript(
        "CREATE TABLE annotations (event_id TEXT PRIMARY KEY, starred INTEGER NOT NULL DEFAULT 0, tags TEXT,"
        " note TEXT, updated TEXT);"
        "CREATE TABLE views (name TEXT PRIMARY KEY, filter TEXT NOT NULL, created TEXT, updated TEXT);"
    )
    old.execute("INSERT INTO annotations VALUES (?, 1, 'verify,ahvaz', 'Check', '2026-01-02 03:04:05')", (target,))
    old.commit()
    old.close()
    conn = connect(seed_db)
    detail = queries.event_detail(conn, target)
    assert detail.tags == ("verify", "ahvaz") and detail.note == "Check" and detail.event.starred
    assert conn.execute("PRAGMA user.user_version").fetchone()[0] == USER_VERSION
    annotations.add_tags(conn, target, ["third"])
    assert queries.event_detail(conn, target).tags == ("verify", "ahvaz", "third")


def test_an_older_user_database_that_cannot_be_written_is_read_as_it_is(shared_folder):
    db, user_db = shared_folder / "t.db", shared_folder / "t.user.db"
    target = queries.event_ids(connect(db), queries.Filter())[0]
    user_db.unlink()
    old = sqlite3.connect(user_db)  # before tag rows; the store's user cannot write it, so it is not migrated
    old.execute(
        "CREATE TABLE annotations (event_id TEXT PRIMARY KEY, starred INTEGER NOT NULL DEFAULT 0, tags TEXT,"
        " note TEXT, updated TEXT)"
    )
    old.execute("INSERT INTO annotations VALUES (?, 1, 'verify,ahvaz', 'Check', NULL)", (target,))
    old.commit()
    old.close()
    shared_folder.chmod(0o755)
    before = user_db.read_bytes()
    done = subprocess.run(unprivileged([*CLI, "export", "--db", str(db)]), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (event,) = [e for e in json.loads(done.stdout) if e["id"] == target]
    assert (event["tags"], event["note"], event["starred"]) == (["verify", "ahvaz"], "Check", True)
    assert user_db.read_bytes() == before


# Issue 29, the store's points: opening on a full disk (3), a read-only file system (4), a damaged
# page (5), stdout on /dev/full, --since 0001 and odd schema versions (9), version 0 and -1, a --db
# that cannot hold a store, a missing folder, SIGTERM in the app (15).


def run_cli(*args: str, **options) -> subprocess.CompletedProcess:
    """The `timeline` command in a process of its own, its stderr and stdout as text."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, **{"cwd": ROOT, "timeout": 120, **options})


def said_in_one_line(done: subprocess.CompletedProcess) -> str:
    """The command failed (status 1) with one line on stderr, no traceback: that line."""
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("timeline: "), done.stderr
    return done.stderr


@pytest.fixture
def tmpfs(tmp_path):
    """A file system of 1 MB of its own (a tmpfs), unmounted after the test: a disk that can be
    filled or made read-only for real. Mounting needs root (CI runs as root)."""
    where = tmp_path / "disk"
    where.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def store_on(folder: Path, seed_db: Path) -> Path:
    """A copy of the seed store and its user database in `folder`, no -wal or -shm beside them."""
    import shutil

    from db.schema import user_path

    connect(seed_db).close()  # makes the user database
    shutil.copy(seed_db, folder / "t.db")
    shutil.copy(user_path(seed_db), folder / "t.user.db")
    return folder / "t.db"


def fill(folder: Path) -> None:
    """Write into `folder` until its file system has no block left."""
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def no_file_size() -> None:
    """In the child: a file-size limit of 0 (a disk with no room), its signal ignored so that a
    write fails with an error SQLite sees instead of killing the process."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


STORE_COMMANDS = [
    ["stats"],
    ["list"],
    ["list", "--long"],
    ["load", str(SEED)],
    ["load", str(SEED), "--force"],
    ["import", "acled", str(ROOT / "tests" / "fixtures" / "acled_current.csv")],
]


@pytest.mark.parametrize("disk", ["tmpfs", "file-size limit"])
def test_a_full_disk_at_opening_is_said_as_such_and_force_never_replaces_the_store(request, tmp_path, seed_db, disk):
    if disk == "tmpfs":
        db = store_on(request.getfixturevalue("tmpfs"), seed_db)
        fill(db.parent)
        says, limit = "the disk is full", None
    else:
        db, says, limit = seed_db, "an I/O error", no_file_size
    before = db.read_bytes()
    for command in STORE_COMMANDS:
        line = said_in_one_line(run_cli(*command, "--db", str(db), preexec_fn=limit, env=without_bytecode()))
        assert f"{db}: cannot be opened: {says}" in line and "not a timeline database" not in line, line
    assert db.read_bytes() == before
    assert list(db.parent.glob("*.bak-*")) == []  # --force set nothing aside, and made no empty store


def test_a_store_on_a_read_only_file_system_is_read_and_a_write_says_why(tmpfs, seed_db):
    db = store_on(tmpfs, seed_db)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    exported = run_cli("export", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    target = json.loads(exported.stdout)[0]["id"]
    for command in (["stats"], ["list", "--long"], ["view", "list"], ["list", "--starred"]):
        done = run_cli(*command, "--db", str(db))
        assert done.returncode == 0 and done.stderr == "", done.stderr
    for command, says in (
        (["load", str(SEED)], "read-only"),
        (["ingest", str(SEED / "articles")], "read-only"),
        (["import", "acled", str(ROOT / "tests" / "fixtures" / "acled_current.csv")], "read-only"),
        (["annotate", target, "--star"], "read-only"),
    ):
        assert says in said_in_one_line(run_cli(*command, "--db", str(db)))


async def test_the_app_reads_a_store_on_a_read_only_file_system(tmpfs, seed_db):
    db = store_on(tmpfs, seed_db)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    app = TimelineApp(db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        assert len(app.query_one("#timeline", TimelineView).ids) == queries.count_events(connect(seed_db))


def test_a_read_only_store_whose_wal_holds_changes_is_refused_not_read_stale(tmpfs, seed_db):
    import shutil

    db = store_on(tmpfs, seed_db)
    writer = sqlite3.connect(db)  # open: the -wal file stays, holding the change
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE events SET summary = 'changed' WHERE seq = (SELECT min(seq) FROM events)")
    writer.commit()
    shutil.copy(f"{db}-wal", tmpfs / "kept-wal")
    writer.close()  # merges and deletes the -wal: put it back, as a crash would leave it
    shutil.copy(tmpfs / "kept-wal", f"{db}-wal")
    Path(f"{db}-shm").unlink(missing_ok=True)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    line = said_in_one_line(run_cli("stats", "--db", str(db)))
    assert f"{db}: cannot be read: its -wal file holds changes" in line


def damage_a_page_past_the_schema(db: Path) -> None:
    """Overwrite the root page of the events table: the schema reads, the events do not."""
    raw = sqlite3.connect(db)
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    page = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with open(db, "r+b") as f:
        f.seek(page * (root - 1))
        f.write(b"\xff" * page)


def test_a_damaged_page_is_one_line_and_load_force_replaces_the_store_keeping_it(seed_db):
    damage_a_page_past_the_schema(seed_db)
    damaged = seed_db.read_bytes()
    for command in [c for c in STORE_COMMANDS if "--force" not in c]:
        line = said_in_one_line(run_cli(*command, "--db", str(seed_db)))
        assert f"{seed_db}: damaged (database disk image is malformed" in line, line
    assert seed_db.read_bytes() == damaged
    done = run_cli("load", str(SEED), "--force", "--db", str(seed_db))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    (backup,) = seed_db.parent.glob("timeline.db.bak-*")
    assert backup.read_bytes() == damaged
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and queries.count_events(conn) > 0


@pytest.mark.parametrize("command", [["stats"], ["list", "--long"]])
def test_stats_and_the_long_list_to_a_full_stdout_say_so_in_one_line(seed_store, command):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*CLI, *command, "--db", str(seed_store)], cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert said_in_one_line(done).startswith("timeline: stdout: No space left on device")


@pytest.mark.parametrize("command", [["list"], ["stats"], ["export", "--format", "json"]])
def test_output_to_a_reader_that_stopped_reading_ends_quietly(seed_store, command):
    # `timeline list | head -1`: the reader is gone before the command writes (its end closed
    # before the command has started), so every write meets a closed pipe
    process = subprocess.Popen(
        [*CLI, *command, "--db", str(seed_store)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    said = process.stderr.read()
    assert process.wait() == 0 and said == ""


def test_since_year_one_is_a_working_filter(seed_store):
    result = CliRunner().invoke(main, ["list", "--since", "0001", "--db", str(seed_store)])
    assert result.exit_code == 0, result.stderr
    dated = connect(seed_store).execute("SELECT count(*) FROM events WHERE date_start IS NOT NULL").fetchone()[0]
    assert len(result.stdout.splitlines()) == 1 + dated  # the header, and every dated event


@pytest.mark.parametrize("version", ["x", 2.5, 0, -1])
def test_a_schema_version_this_program_never_wrote_is_not_ours_and_left_as_it_is(seed_db, version):
    raw = sqlite3.connect(seed_db)
    raw.execute("UPDATE schema_version SET version = ?", (version,))
    raw.commit()
    raw.close()
    for command in (["stats"], ["load", str(SEED)]):
        line = said_in_one_line(run_cli(*command, "--db", str(seed_db)))
        assert f"{seed_db}: not a timeline database: schema version {version!r}" in line, line
    assert sqlite3.connect(seed_db).execute("SELECT version FROM schema_version").fetchone()[0] == version


@pytest.mark.parametrize("given", ["file:m.db?mode=memory", ":memory:", "/dev/null"])
def test_a_db_that_cannot_hold_a_store_is_refused(tmp_path, given):
    for command in (["load", str(SEED)], ["stats"]):
        elsewhere = {"cwd": tmp_path, "env": {**os.environ, "PYTHONPATH": str(ROOT)}}  # this checkout's code
        line = said_in_one_line(run_cli(*command, "--db", given, **elsewhere))
        assert "not a file's path" in line or "not a regular file" in line, line
    assert list(tmp_path.iterdir()) == []  # no file named after the URI either


def test_a_db_in_a_folder_that_does_not_exist_says_so(tmp_path):
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    for command in (["load", str(SEED)], ["import", "acled", str(ROOT / "tests" / "fixtures" / "acled_current.csv")]):
        line = said_in_one_line(run_cli(*command, "--db", str(db)))
        assert f"its folder {db.parent} does not exist" in line and "read-only" not in line, line


def test_sigterm_quits_the_app_and_restores_the_terminal(seed_store):
    import select
    import signal

    app, master, seen = app_in_a_terminal(seed_store)
    try:
        app.send_signal(signal.SIGTERM)
        while select.select([master], [], [], 30)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app is gone, and the terminal with it
                break
            if not chunk:
                break
            seen += chunk
        assert app.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        app.kill()
        os.close(master)
    assert seen.rfind(b"\x1b[?1049l") > seen.rfind(b"\x1b[?1049h")  # out of the alternate screen
    assert seen.rfind(b"\x1b[?1000l") > seen.rfind(b"\x1b[?1000h")  # mouse reporting off


# ---- issue 29, the input points (2, 6, 7, 8, 10, 11, 12, 13, 14, 15): hostile or careless input ----

ACLED_HEADER = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,"
    "latitude,longitude,source,notes,fatalities,timestamp"
)


def acled_row(event_id: str, **fields: str) -> dict:
    """A plain ACLED row (an armed clash in Hajin), with `fields` replacing its values."""
    row = {
        "event_id_cnty": event_id,
        "event_date": "2019-01-10",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Islamic State (Syria)",
        "actor2": "Syrian Democratic Forces",
        "country": "Syria",
        "admin1": "Deir ez-Zor",
        "location": "Hajin",
        "latitude": "34.6917",
        "longitude": "40.8333",
        "source": "SOHR",
        "notes": "Clashes between IS and SDF in Hajin.",
        "fatalities": "2",
        "timestamp": "1",
    }
    return {**row, **fields}


def write_acled(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, ACLED_HEADER.split(","), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_prune_keeps_a_stored_event_whose_row_is_still_in_the_file_but_failed_validation(tmp_path, empty_store):
    db = empty_store
    rows = [acled_row("SYR1"), acled_row("SYR2", event_date="2019-01-12")]
    assert run_cli("import", "acled", str(write_acled(tmp_path / "a.csv", rows)), "--db", str(db)).returncode == 0
    assert run_cli("annotate", "acled:SYR2", "--star", "--db", str(db)).returncode == 0
    rows[1]["fatalities"] = "n/a"  # the row is still there, only unreadable now
    done = run_cli("import", "acled", str(write_acled(tmp_path / "b.csv", rows)), "--prune", "--db", str(db))
    assert done.returncode == 1 and "b.csv:3: fatalities 'n/a' is not a number" in done.stderr
    assert "0 removed" in done.stderr
    conn = connect(db)
    assert queries.event_ids(conn, queries.Filter(starred=True)) == ["acled:SYR2"]
    # A row whose id cannot be read at all: the prune cannot know what the file holds, and removes nothing.
    blank = [acled_row("SYR1"), acled_row("", event_date="2019-01-12")]
    done = run_cli("import", "acled", str(write_acled(tmp_path / "c.csv", blank)), "--prune", "--db", str(db))
    assert "0 removed" in done.stderr and "nothing pruned" in done.stderr
    assert queries.event_ids(connect(db), queries.Filter(starred=True)) == ["acled:SYR2"]


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"notes": "x" * 10_000_000}, "unreadable CSV (field larger than field limit"),
        ({"fatalities": "99999999999999999999999"}, "fatalities 99999999999999999999999 is over"),
        ({"event_date": "9999-12-29", "time_precision": "2"}, "event_date 9999-12-29 is in the future"),
        ({"latitude": "inf"}, "latitude 'inf' is not within -90 and 90"),
        ({"longitude": "nan"}, "longitude 'nan' is not within -180 and 180"),
        ({"latitude": "91"}, "latitude '91' is not within -90 and 90"),
    ],
)
def test_one_hostile_acled_row_is_named_in_one_line_and_the_others_load(tmp_path, empty_store, fields, says):
    path = write_acled(tmp_path / "a.csv", [acled_row("SYR1"), acled_row("SYR2", **fields), acled_row("SYR3")])
    done = run_cli("import", "acled", str(path), "--db", str(empty_store))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: {path}:3: ") and says in line and len(line) < 200
    conn = connect(empty_store)
    assert sorted(queries.event_ids(conn, queries.Filter())) == ["acled:SYR1", "acled:SYR3"]


def test_exports_never_hold_infinity_and_rows_sharing_an_acled_made_place_keep_their_points(tmp_path):
    from db.export import export

    db = tmp_path / "t.db"
    rows = [
        acled_row("SYR1", location="Zzyzx Farms", latitude="35.0000", longitude="40.0000"),
        acled_row("SYR2", location="Zzyzx Farms", latitude="35.0010", longitude="40.0010"),  # the same farms
        acled_row("SYR3", location="Zzyzx Farms", latitude="36.0000", longitude="39.0000"),  # a namesake, far away
        acled_row("SYR4", latitude="-inf"),
    ]
    import_acled_file = __import__("db.acled", fromlist=["import_acled"]).import_acled
    report = import_acled_file(write_acled(tmp_path / "a.csv", rows), db)
    assert [line for line, _ in report.bad_rows] == [5]
    conn = connect(db)
    points = {
        d.event.id: (d.places[0].lat, d.places[0].lon)
        for d in queries.event_details(conn, ["acled:SYR1", "acled:SYR2", "acled:SYR3"])
    }
    assert points == {"acled:SYR1": (35.0, 40.0), "acled:SYR2": (35.0, 40.0), "acled:SYR3": (36.0, 39.0)}
    conn.execute("UPDATE places SET lat = 9e999 WHERE lat = 36.0")  # as an older import stored "inf"
    conn.commit()
    assert queries.event_detail(conn, "acled:SYR3").places[0].lat is None
    for fmt in ("json", "geojson", "timesketch"):
        text = export(conn, queries.event_ids(conn, queries.Filter()), fmt, "all").text
        assert "Infinity" not in text and "NaN" not in text


def test_a_latin1_acled_file_is_refused_in_one_line_never_stored_garbled(tmp_path, empty_store):
    path = write_acled(tmp_path / "a.csv", [acled_row("SYR1", actor2="Forces Armées"), acled_row("SYR2")], "latin-1")
    done = run_cli("import", "acled", str(path), "--db", str(empty_store))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "not UTF-8" in done.stderr, done.stderr
    assert queries.count_events(connect(empty_store)) == 0


def test_a_nul_in_an_acled_note_keeps_the_quote_and_the_words_after_it_searchable(tmp_path, empty_store):
    db = empty_store
    write_acled(tmp_path / "a.csv", [acled_row("SYR1", notes="Clashes in Hajin.\x00 Zanzibarite gunmen fled.")])
    assert run_cli("import", "acled", str(tmp_path / "a.csv"), "--db", str(db)).returncode == 0
    conn = connect(db)
    (source,) = queries.event_detail(conn, "acled:SYR1").sources
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (source.document_id,)).fetchone()[0]
    start, end = conn.execute('SELECT start, "end" FROM evidence WHERE event_id = ?', ("acled:SYR1",)).fetchone()
    assert text[start:end] == source.quote and source.quote.endswith("gunmen fled.")
    assert conn.execute("SELECT length(text) FROM documents WHERE id = ?", (source.document_id,)).fetchone()[0] == len(
        text
    )
    assert queries.event_ids(conn, queries.Filter(search="Zanzibarite")) == ["acled:SYR1"]


def test_acled_dates_of_year_1_and_9999_leave_the_chart_a_sensible_period(tmp_path, empty_store):
    db = empty_store
    rows = [acled_row("SYR1"), acled_row("SYR2", event_date="9999-12-28"), acled_row("SYR3", event_date="0001-01-01")]
    run_cli("import", "acled", str(write_acled(tmp_path / "a.csv", rows)), "--db", str(db))
    chart = run_cli("stats", "--db", str(db)).stdout
    assert "events per" in chart and "9999 years" not in chart and "9999" not in chart.split("events per")[1]


def test_an_article_past_the_extraction_bound_is_not_extracted_again_at_each_later_ingest(tmp_path):
    from pipeline import ingest, rebuild_events

    sentence = "Rebels attacked a checkpoint near Idlib on Monday, killing 12 soldiers, officials said. "
    slow = write_article(tmp_path, "slow.txt", sentence * 3500, published="2019-03-20")
    db = tmp_path / "t.db"
    ingest([slow], db)
    conn = connect(db, user=False)
    with conn:  # as a slower machine would: the bound is reached
        report = pipeline_report()
        rebuild_events(conn, report=report, seconds_per_article=0.001)  # warm caches make it quick: 1 ms is not enough
    conn.close()
    quick = write_article(tmp_path, "quick.txt", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    later = ingest([quick], db)  # the bound is 20 s now: an extraction of slow.txt would give events
    assert any(Path(p).name == "slow.txt" and "not tried again" in w for p, w in later.warnings)
    quoted = connect(db).execute(
        "SELECT count(*) FROM evidence v JOIN documents d ON d.id = v.document_id WHERE d.path LIKE '%slow.txt'"
    )
    assert quoted.fetchone()[0] == 0 and later.events >= 1


def pipeline_report():
    from pipeline import LoadReport

    return LoadReport()


def test_a_yaml_timestamp_is_read_as_the_publication_day(tmp_path, empty_store):
    article = write_article(tmp_path, "a.md", "Clashes erupted in Hajin on Monday.\n", published="2019-02-03 10:00:00")
    explained = run_cli("explain", str(article))
    assert explained.returncode == 0 and "published: 2019-02-03 (from the front-matter)" in explained.stdout
    done = run_cli("ingest", str(article), "--db", str(empty_store))
    assert done.returncode == 0, done.stderr
    assert connect(empty_store).execute("SELECT published FROM documents").fetchone()[0] == "2019-02-03"


@pytest.mark.parametrize(
    "head, says",
    [
        ("published: 0001-01-01\n", "published 0001-01-01 is before 1600"),
        ("date: 0001-01-02 00:00:00\n", "published 0001-01-02 is before 1600"),
        ("published: 2019-02-30\n", "broken YAML front-matter: day is out of range for month"),
        ("x: " + "[" * 5000 + "\n", "broken YAML front-matter"),
        ("date: 2019-03-04\nprecision: month\n", None),  # read by its `date`, then cut to its month
    ],
    ids=["year 1", "timestamp of year 1", "no such day", "deep nesting", "date and precision"],
)
def test_hostile_front_matter_is_one_line_never_a_traceback(tmp_path, head, says):
    article = tmp_path / "a.md"
    article.write_text(f"---\n{head}---\nClashes erupted in Hajin on Monday, killing 3.\n")
    for command in (["explain", str(article)], ["ingest", str(article), "--db", str(tmp_path / "t.db")]):
        done = run_cli(*command)
        assert "Traceback" not in done.stderr, done.stderr[-1500:]
        if says:
            assert done.returncode == 1 and says in done.stderr and len(done.stderr.splitlines()) <= 2
        else:
            assert done.returncode == 0, done.stderr


def test_a_nul_byte_anywhere_in_an_article_keeps_the_quote_contract_and_search(tmp_path, empty_store):
    filler = "Officials met to discuss the harvest and the price of bread in the markets of the province. " * 60
    after = "\x00Zanzibarite rebels killed 4 soldiers in Hajin on Monday.\n"
    body = f"Gunmen at\x00tacked a checkpoint in Hajin on Monday.\n{filler}\n{after}"
    assert body.index("Zanzibarite") > 4096
    db = empty_store
    done = run_cli("ingest", str(write_article(tmp_path, "nul.md", body, published="2019-03-20")), "--db", str(db))
    assert done.returncode == 0 and "NUL" in done.stderr, done.stderr
    conn = connect(db)
    quoted = conn.execute(
        'SELECT d.text, v.start, v."end", substr(d.text, v.start + 1, v."end" - v.start) FROM evidence v'
        " JOIN documents d ON d.id = v.document_id"
    ).fetchall()
    assert quoted and all(text[start:end] == quote for text, start, end, quote in quoted)
    assert queries.event_ids(conn, queries.Filter(search="Zanzibarite"))


def test_a_fifo_or_a_device_is_refused_at_once_and_a_folder_names_what_it_skips(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    explained = run_cli("explain", str(fifo))  # before the fix: waits for a writer for ever (the timeout fails it)
    ingested = run_cli("ingest", str(fifo), "/dev/zero", "--db", str(tmp_path / "t.db"))
    for done in (explained, ingested):
        assert done.returncode == 1 and "not a regular file (a FIFO)" in done.stderr, done.stderr
    assert "/dev/zero: not a regular file (a device)" in ingested.stderr
    folder = tmp_path / "articles"
    write_article(folder, "good.md", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")
    done = run_cli("ingest", str(folder), "--db", str(tmp_path / "t.db"))
    assert done.returncode == 1 and "1 added" in done.stderr
    assert f"{folder / 'pipe.txt'}: not a regular file (a FIFO)" in done.stderr
    assert f"{folder / 'gone.md'}: a link to nothing" in done.stderr


async def test_markup_in_the_apps_notices_is_shown_literally_and_never_runs(seed_store, tmp_path, monkeypatch):
    from textual.widgets import Input
    from textual.widgets._toast import Toast

    from db import views
    from db.acled import import_acled

    monkeypatch.chdir(tmp_path)
    import_acled(write_acled(tmp_path / "a.csv", [acled_row("SYR1", actor1="Militia [/] Group")]), seed_store)
    conn = connect(seed_store)
    views.save_view(conn, "[/]daily", queries.Filter(starred=True))
    militia = queries.resolve_actor(conn, "Militia [/] Group")
    (tmp_path / "[").mkdir()
    app = TimelineApp(seed_store)

    def notices() -> list[str]:
        return [str(n.message) for n in app._notifications]

    async with app.run_test(size=(160, 48), notifications=True) as pilot:  # notices drawn, as on a terminal
        await settle(pilot, app)
        for text in ("[/bold]", "[@click=app.quit]quit[/]"):
            await pilot.press("slash", *text, "enter")
            await settle(pilot, app)
            assert any(f"“{text}”" in n for n in notices())
        shown = [Toast(n).render().plain for n in app._notifications]  # what a toast draws: words, no action
        assert any("“[@click=app.quit]quit[/]”" in text for text in shown)
        for _ in range(2):  # written, then the question whether to overwrite it names it
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#prompt-input", Input).value = "[/]x.md"
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press(*"y", "enter")
        await settle(pilot, app)
        assert (tmp_path / "[" / "]x.md").read_text().startswith("#")
        assert any("[/]x.md" in n for n in notices())
        await pilot.press("v")  # the saved views: the first is "[/]daily"
        await settle(pilot, app)
        await pilot.press("delete", "escape")
        await settle(pilot, app)
        assert any("Deleted view “[/]daily”" in n for n in notices())
        app.session.set_filter(queries.Filter(actors=(militia,)))
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        await pilot.press(*"militia", "enter")
        await settle(pilot, app)
        assert any("Militia [/] Group" in n for n in notices())
        assert app.is_running
    assert [v.name for v in views.saved_views(connect(seed_store))] == ["militia"]


def test_terminal_escapes_from_data_never_reach_the_terminal_raw(tmp_path, empty_store):
    osc = "\x1b]0;pwned\x07"
    db = empty_store
    rows = [acled_row("SYR1", country=f"Syr{osc}ia", admin1=f"Deir{osc}", actor1=f"Militia{osc}")]
    rows.append(acled_row("SYR2", fatalities=f"n/a{osc}"))
    done = run_cli("import", "acled", str(write_acled(tmp_path / f"a{osc}.csv", rows)), "--db", str(db))
    militia = queries.resolve_actor(connect(db), f"Militia{osc}")
    outputs = [
        done,
        run_cli("stats", "--db", str(db)),
        run_cli("view", "save", f"v{osc}\nforged line", "--actor", militia, "--db", str(db)),
        run_cli("view", "list", "--db", str(db)),
        run_cli("view", "delete", f"v{osc}\nforged line", "--db", str(db)),
    ]
    folder = tmp_path / "articles"
    write_article(folder, f"empty{osc}.md", "", published="2019-01-01")  # an error names it
    (folder / f"latin{osc}.txt").write_bytes("Clashes in Hajin on Monday, café.\n".encode("cp1252"))  # a warning
    outputs.append(run_cli("ingest", str(folder), "--db", str(db)))
    assert "Syr␛]0;pwned␇ia" in outputs[1].stdout and "forged line" in outputs[3].stdout
    assert "empty␛]0;pwned␇.md" in outputs[-1].stderr and "latin␛]0;pwned␇.txt" in outputs[-1].stderr
    for out in outputs:
        for text in (out.stdout, out.stderr):
            assert "\x1b" not in text and "\x07" not in text, text
    assert len(outputs[3].stdout.splitlines()) == 1  # a newline in a view's name does not forge a line


def test_searches_and_names_are_taken_literally_and_a_huge_window_is_every_day(seed_store):
    def listed(*args: str) -> list[str]:
        result = CliRunner().invoke(main, ["list", "--db", str(seed_store), *args])
        assert result.exit_code == 0, result.stderr
        return [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]

    everything = listed()
    assert listed("--search", " ") == everything  # no word: no search, not an fts5 syntax error
    saved = CliRunner().invoke(main, ["view", "save", "quote", "--search", '"', "--db", str(seed_store)])
    assert saved.exit_code == 0, saved.stderr
    assert listed("--view", "quote") == everything
    assert CliRunner().invoke(main, ["view", "list", "--db", str(seed_store)]).exit_code == 0
    assert listed("--search", '"Hajin') == listed("--search", "Hajin") != []  # a quote left open: the words
    for option, pattern in (("--actor", "%"), ("--place", "_"), ("--actor", "Islamic%")):
        result = CliRunner().invoke(main, ["list", "--db", str(seed_store), option, pattern])
        assert result.exit_code == 2 and f"no {option[2:]} called {pattern!r}" in result.stderr
    target = everything[0]
    assert listed("--around", target, "--days", "3000000") == listed("--around", target, "--days", "300000") != []


HOSTILE_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", " ", "n/a", "inf", "-nan", "1e999", "99999999999999999999999", "[/]", "\x00", "\x1b]0;x\x07", '"', "%", "_"]
)
ACLED_DATES = st.dates().map(str) | st.sampled_from(["0001-01-01", "9999-12-31", "31 December 9999", "2019-02-30", ""])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "event_id_cnty": st.sampled_from(["SYR1", "SYR2", ""]) | HOSTILE_TEXT,
                "event_date": ACLED_DATES | HOSTILE_TEXT,
                "time_precision": st.sampled_from(["1", "2", "3", "", "x"]),
                "actor1": HOSTILE_TEXT,
                "country": st.sampled_from(["Syria", "Iraq", ""]) | HOSTILE_TEXT,
                "admin1": HOSTILE_TEXT,
                "location": st.sampled_from(["Hajin", "Zzyzx"]) | HOSTILE_TEXT,
                "latitude": st.floats(allow_nan=True, allow_infinity=True).map(str) | HOSTILE_TEXT,
                "longitude": st.floats(allow_nan=True, allow_infinity=True).map(str) | HOSTILE_TEXT,
                "notes": HOSTILE_TEXT,
                "fatalities": st.integers(min_value=-1, max_value=10**25).map(str) | HOSTILE_TEXT,
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_acled_row_makes_a_traceback(rows):
    """Any row is imported or reported in one line; the store stays whole and searchable."""
    import tempfile

    from db.acled import import_acled

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "t.db"
        report = import_acled(
            write_acled(Path(folder) / "a.csv", [acled_row("OK1")] + [acled_row("X", **r) for r in rows]),
            db,
            prune=True,
        )
        assert report.rows == len(rows) + 1 and all("\n" not in problem for _, problem in report.bad_rows)
        conn = connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for d in queries.event_details(conn, queries.event_ids(conn, queries.Filter())):
            assert all(p.lat is None or -90 <= p.lat <= 90 for p in d.places)
        conn.close()


FRONT_MATTER_VALUES = (
    HOSTILE_TEXT
    | st.dates().map(str)
    | st.datetimes().map(lambda d: d.isoformat(sep=" "))
    | st.integers().map(str)
    | st.sampled_from(["[1, 2]", "{a: b}", "2019-02-30", "0001-01-01 00:00:00", "[[[[[[", "*x", "&a 1", "!!binary x"])
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["published", "date", "title", "publisher", "precision", "url", "author", "note"]),
        FRONT_MATTER_VALUES,
        max_size=4,
    ),
    st.sampled_from(["", "month", "year", "day"]),
)
def test_no_front_matter_makes_a_traceback(meta, precision):
    """Any front-matter gives an article or one line saying why not; the extractor takes what it gives."""
    import tempfile

    from ingest.read import ArticleError, read_article

    head = "".join(f"{k}: {v}\n" for k, v in meta.items()) + (f"precision: {precision}\n" if precision else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.md"
        path.write_text(f"---\n{head}---\nClashes erupted in Hajin on Monday, killing 3.\n", encoding="utf-8")
        try:
            article = read_article(path)
        except ArticleError as e:
            assert "\n" not in str(e)
            return
        extract(article)


# ---- issue 25: a correction is never lost (kill -9, a full disk, parallel writers) -------------

# A child that runs `timeline` commands one after the other in one process, and kills itself with
# SIGKILL as SQLite begins the `at`-th statement starting with `prefix`: a kill -9 at a point of
# the test's choosing inside the real code (between the statements of one transaction, between
# the user database's commit and the store's), which a kill from outside hits only by luck. Each
# command that returns is reported, one JSON line, to the file `saved`.
KILLED_AT_A_STATEMENT = """
import json, os, signal, sqlite3, sys
from cli import main

commands, prefix, at, saved = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
seen = 0


def count(statement):
    global seen
    if statement.startswith(prefix):
        seen += 1
        if seen == at:
            os.kill(os.getpid(), signal.SIGKILL)


connect = sqlite3.connect


def traced(*args, **kwargs):
    conn = connect(*args, **kwargs)
    conn.set_trace_callback(count)
    return conn


sqlite3.connect = traced
with open(saved, "a", buffering=1) as report:
    for args in commands:
        try:
            main(args, standalone_mode=False)
        except SystemExit as e:
            if e.code:
                continue  # refused, said on stderr: not saved
        report.write(json.dumps(args) + "\\n")
"""


def kill_at_statement(db: Path, commands: list[list[str]], prefix: str, at: int, saved: Path) -> None:
    """Run `commands` against `db` in one process killed -9 at the `at`-th statement of `prefix`."""
    commands_json = json.dumps([[*c, "--db", str(db)] for c in commands])
    child = subprocess.run(
        [sys.executable, "-c", KILLED_AT_A_STATEMENT, commands_json, prefix, str(at), str(saved)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == -9, f"not killed ({child.returncode}): {child.stderr[-2000:]}"


def user_rows(db: Path) -> list[sqlite3.Row]:
    """The user database's corrections, read as a file on disk holds them (none of our code)."""
    from db.schema import user_path

    raw = sqlite3.connect(user_path(db))
    raw.row_factory = sqlite3.Row
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = raw.execute("SELECT * FROM corrections ORDER BY id").fetchall()
    raw.close()
    return rows


def analyst_events_stored(db: Path) -> set[str]:
    """The ids of the analyst's events the store holds, read as the file holds them (no opening
    of ours, which would mend them)."""
    raw = sqlite3.connect(db)
    found = {r[0] for r in raw.execute("SELECT id FROM events WHERE origin = 'analyst'")}
    raw.close()
    return found


def analyst_events_shown(db: Path) -> tuple[set[str], set[str]]:
    """After an opening of the store (`timeline export`, which mends it): the ids of the events the
    user database says the analyst added or split off, and of those the store holds."""
    from db.corrections import added

    exported = run_cli("export", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    conn = connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    wanted = {a["id"] for a in added(conn)}
    stored = {r[0] for r in conn.execute("SELECT id FROM events WHERE origin = 'analyst'")}
    conn.close()
    assert stored <= {e["id"] for e in json.loads(exported.stdout)}
    return wanted, stored


ADD_CITED = ["add", "--date", "2018-12-09", "--type", "Armed clash", "--place", "Hajin", "--actor1", "Islamic State"]


@pytest.mark.parametrize(
    "prefix, most",
    [
        ("INSERT INTO user.corrections", 20),  # inside a correction's transaction: an edit of two fields
        ("COMMIT", 12),  # as a transaction commits, of either database
        ("BEGIN IMMEDIATE", 4),  # an add's or split's correction saved, its store copy not yet begun
        ("INSERT INTO events (", 4),  # inside the store's transaction writing the copies
    ],
)
def test_corrections_killed_at_a_random_statement_are_whole_and_every_one_reported_is_there(seed_db, prefix, most):
    import random

    (shared, document), *_ = connect(seed_db).execute(
        "SELECT event_id, max(document_id) FROM evidence GROUP BY event_id HAVING count(DISTINCT document_id) > 1"
    )
    ids = [i for i in queries.event_ids(connect(seed_db), queries.Filter()) if i != shared]
    commands = [["split", shared, "--source", str(document)], ["merge", ids[0], ids[1], ids[2]]]
    for i in range(4):
        event = ids[3 + i]
        commands += [
            ["edit", event, "--fatalities", str(i), "--summary", f"summary {i}"],
            [*ADD_CITED, "--citation", f"citation {i}"],
            ["reject", event],
            ["undo", event],
            ["confirm", event],
        ]
    at = random.Random().randint(1, most)
    kill_at_statement(seed_db, commands, prefix, at, seed_db.parent / "saved")
    saved = [json.loads(line)[:-2] for line in (seed_db.parent / "saved").read_text().splitlines()]
    rows = user_rows(seed_db)
    said = f"killed at {prefix} #{at}"
    edits = {(r["event_id"], r["field"], json.loads(r["analyst"])) for r in rows if r["action"] == "edit"}
    for event, field, value in edits:  # an edit of two fields is saved whole, or not at all
        other = ("summary", f"summary {value}") if field == "fatalities" else ("fatalities", int(value.split()[1]))
        assert (event, *other) in edits, said
    merged = [r["event_id"] for r in rows if r["action"] == "merge"]
    assert sorted(merged) in ([], sorted(ids[1:3])), said  # both events merged, or neither
    citations = {json.loads(r["analyst"])["citation"] for r in rows if r["action"] == "add"}
    for args in saved:  # every command reported saved is there
        if args[0] == "edit":
            assert (args[1], "fatalities", int(args[3])) in edits, said
        elif args[0] == "add":
            assert args[-1] in citations, said
        else:  # a merge's corrections are those of the events merged into the first
            event = args[-1] if args[0] == "merge" else args[1]
            mine = [r for r in rows if r["action"] == args[0] and r["event_id"] == event]
            assert len(mine) >= saved.count(args), said
    wanted, stored = analyst_events_shown(seed_db)
    assert stored == wanted, said  # no copy missing, none left over: nothing half-applied shows
    assert len(wanted) == len(citations) + any(r["action"] == "split" for r in rows)


def corrections_of_every_kind(db: Path) -> None:
    """Confirm, reject, edit, merge, split and add, on the seed store."""
    conn = connect(db)
    ids = queries.event_ids(conn, queries.Filter())
    (shared, document), *_ = conn.execute(
        "SELECT event_id, max(document_id) FROM evidence GROUP BY event_id HAVING count(DISTINCT document_id) > 1"
    )
    (quoted, start, end), *_ = conn.execute(
        'SELECT v.document_id, v.start, v."end" FROM evidence v JOIN documents d ON d.id = v.document_id'
        " WHERE d.kind = 'article'"
    )
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (quoted,)).fetchone()[0]
    conn.close()
    for command in (
        ["confirm", ids[0]],
        ["reject", ids[1]],
        ["edit", ids[2], "--fatalities", "41", "--summary", "corrected by hand"],
        ["merge", ids[3], ids[4]],
        ["split", shared, "--source", str(document)],
        [*ADD_CITED, "--document", str(quoted), "--quote", text[start:end]],
        [*ADD_CITED, "--citation", "SOHR by telephone"],
    ):
        done = run_cli(*command, "--db", str(db))
        assert done.returncode == 0, done.stderr


def corrected_view(db: Path) -> list[dict]:
    """What the export shows of the analyst's work: each event's id, values and review, by id."""
    done = run_cli("export", "--rejected", "--db", str(db))
    assert done.returncode == 0, done.stderr
    keep = ("id", "date", "sub_type", "fatalities", "summary", "reviewed", "review", "corrected", "sources")
    return sorted(({k: e.get(k) for k in keep} for e in json.loads(done.stdout)), key=lambda e: e["id"])


def test_load_and_import_killed_while_corrections_exist_keep_them_and_the_next_load_applies_them(tmp_path, seed_db):
    import random

    from bench.generate_acled import generate

    machine = queries.count_events(connect(seed_db))
    corrections_of_every_kind(seed_db)
    before = corrected_view(seed_db)
    assert len(before) == machine - 1 + 1 + 2  # one merged into another, one split off, two added
    assert [e["review"] for e in before if e["reviewed"]].count("rejected") == 1
    assert any(e["fatalities"] == 41 and e["summary"] == "corrected by hand" for e in before)
    csv_path = generate(5000, tmp_path / "acled.csv")
    for command, evidence in (
        (["load", str(SEED), "--force"], "stored_evidence"),
        (["import", "acled", str(csv_path)], "staging_events"),  # staged; an ACLED quote is its event's
    ):
        at = random.Random().randint(1, 10)  # inside the transaction, its old events deleted, new ones begun
        kill_at_statement(seed_db, [command], f"INSERT INTO {evidence} (", at, tmp_path / "saved")
        assert corrected_view(seed_db) == before, (command, at)
    done = run_cli("load", str(SEED), "--db", str(seed_db))  # the next load finishes
    assert done.returncode == 0, done.stderr
    assert len(analyst_events_stored(seed_db)) == 3, "the load wrote the added and split-off events again"
    assert corrected_view(seed_db) == before
    assert run_cli("review", "--orphans", "--db", str(seed_db)).stdout == ""


def test_a_full_disk_while_writing_a_correction_is_one_line_naming_the_user_database(tmpfs, seed_db):
    from db.schema import user_path

    db = store_on(tmpfs, seed_db)
    target = queries.event_ids(connect(db), queries.Filter())[0]
    assert run_cli("edit", target, "--fatalities", "7", "--db", str(db)).returncode == 0
    before = [tuple(r) for r in user_rows(db)]
    holding = connect(db)  # open, as the app would be: the -wal and -shm files stay, made before the disk fills
    fill(tmpfs)
    for command in (
        ["edit", target, "--fatalities", "8", "--summary", "longer " * 500],
        ["reject", target],
        [*ADD_CITED, "--citation", "SOHR by telephone"],
    ):
        line = said_in_one_line(run_cli(*command, "--db", str(db)))
        assert f"{user_path(db)}: could not be written: the disk is full" in line, line
    holding.close()
    (tmpfs / "filler").unlink()
    assert [tuple(r) for r in user_rows(db)] == before  # the earlier correction intact, nothing half-written
    assert queries.event_detail(connect(db), target).event.fatalities == 7


def holds_the_write_lock(db: Path) -> bool:
    """Whether another process holds the store's write lock now (a probe that never waits)."""
    probe = sqlite3.connect(db, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def test_corrections_in_parallel_processes_during_an_import_lose_nothing(tmp_path, seed_db):
    from bench.generate_acled import generate

    csv_path = generate(60000, tmp_path / "acled.csv")
    ids = queries.event_ids(connect(seed_db), queries.Filter())
    importer = subprocess.Popen(
        [*CLI, "import", "acled", str(csv_path), "--db", str(seed_db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    while importer.poll() is None and not holds_the_write_lock(seed_db):  # until the import holds it
        pass
    commands = [["edit", ids[i], "--fatalities", str(i), "--summary", f"summary {i}"] for i in range(4)]
    commands += [["reject", ids[4]], ["confirm", ids[5]], ["merge", ids[6], ids[7]]]
    adds = [[*ADD_CITED, "--citation", f"citation {i}"] for i in range(2)]  # these wait for the store: their copies
    writers = [
        subprocess.Popen([*CLI, *c, "--db", str(seed_db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in commands + adds
    ]
    done = [(w.wait(), w.stdout.read().decode(), w.stderr.read().decode()) for w in writers[: len(commands)]]
    still_importing = holds_the_write_lock(seed_db)
    done += [(w.wait(), w.stdout.read().decode(), w.stderr.read().decode()) for w in writers[len(commands) :]]
    assert importer.wait() == 0, importer.stderr.read()
    assert [status for status, _, _ in done] == [0] * len(writers), done
    assert still_importing, "the corrections waited for the import"
    assert len(user_rows(seed_db)) == 4 * 2 + 1 + 1 + 1 + 2, "every correction saved"
    wanted, stored = analyst_events_shown(seed_db)
    assert stored == wanted and len(wanted) == 2
    exported = {e["id"]: e for e in json.loads(run_cli("export", "--rejected", "--db", str(seed_db)).stdout)}
    assert [exported[ids[i]]["fatalities"] for i in range(4)] == [0, 1, 2, 3]
    assert exported[ids[4]]["review"] == "rejected" and ids[7] not in exported
    assert sum(1 for e in exported.values() if e["id"].startswith("acled:")) == 60000


def test_adds_in_parallel_processes_waiting_for_the_store_each_keep_their_copy(seed_db):
    """Three adds, each saved while another process holds the store's write lock, then let through
    at once: whichever writes the store's copies last reads the others' events too (it reads them
    under the lock), so none is dropped. The first has waited longest: SQLite's wait between tries
    has grown, and the later ones take the lock before it."""
    import time

    from db.schema import user_path

    connect(seed_db).close()  # makes the user database
    lock = sqlite3.connect(seed_db)
    lock.execute("BEGIN IMMEDIATE")  # as an import would, for a moment
    user = sqlite3.connect(user_path(seed_db))
    adds = []
    for i in range(3):
        adds.append(
            subprocess.Popen(
                [*CLI, *ADD_CITED, "--citation", f"citation {i}", "--db", str(seed_db)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        while user.execute("SELECT count(*) FROM corrections").fetchone()[0] < len(adds):  # saved, now waiting
            assert all(a.poll() is None for a in adds), [a.stderr.read() for a in adds if a.poll() is not None]
            time.sleep(0.005)
    user.close()
    lock.rollback()
    lock.close()
    made = [(a.wait(), a.stdout.read().strip(), a.stderr.read()) for a in adds]
    assert [status for status, _, _ in made] == [0] * len(adds), made
    written = [event for _, event, said in made if "busy" not in said]  # a wait past BUSY_SECONDS leaves it to mend
    assert written and set(written) <= analyst_events_stored(seed_db), "one add's copy dropped another's"


def test_an_add_split_or_undo_killed_between_its_two_writes_is_mended_at_the_next_opening(seed_db):
    """The correction is saved in the user database, the store's copy not yet: the store's write
    lock held here keeps the command between its two writes, where it is killed -9."""
    import signal
    import time

    from db.schema import user_path

    conn = connect(seed_db)
    (shared, document), *_ = conn.execute(
        "SELECT event_id, max(document_id) FROM evidence GROUP BY event_id HAVING count(DISTINCT document_id) > 1"
    )
    conn.close()

    def killed_between(*command: str) -> None:
        user = sqlite3.connect(user_path(seed_db))
        (before,) = user.execute("SELECT count(*) FROM corrections").fetchone()
        lock = sqlite3.connect(seed_db)
        lock.execute("BEGIN IMMEDIATE")
        proc = subprocess.Popen([*CLI, *command, "--db", str(seed_db)], cwd=ROOT, stderr=subprocess.DEVNULL)
        while user.execute("SELECT count(*) FROM corrections").fetchone()[0] == before:
            assert proc.poll() is None, "the command ended without saving its correction"
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lock.rollback()
        lock.close()
        user.close()

    killed_between(*ADD_CITED, "--citation", "SOHR by telephone")
    killed_between("split", shared, "--source", str(document))
    assert analyst_events_stored(seed_db) == set(), "killed before the store's copy was written"
    listed = run_cli("list", "--db", str(seed_db))
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    wanted, now = analyst_events_shown(seed_db)
    assert len(wanted) == 2 and now == wanted
    assert all(event in listed.stdout for event in wanted), "the first opening shows them"
    split_off = next(e for e in wanted if e in run_cli("history", shared, "--db", str(seed_db)).stdout)
    killed_between("undo", shared)  # the split taken back: its copy must go too
    assert analyst_events_stored(seed_db) == wanted
    assert split_off not in run_cli("list", "--db", str(seed_db)).stdout
    assert analyst_events_stored(seed_db) == wanted - {split_off}


def test_a_split_made_twice_is_refused_and_two_made_at_once_give_one_event(seed_db):
    """Before: a second split of the same quotes was saved, and its copy broke every later write of
    the store's copies (and every load) on the events' unique id."""
    from db.schema import user_path

    conn = connect(seed_db)
    (shared, document), *_ = conn.execute(
        "SELECT event_id, max(document_id) FROM evidence GROUP BY event_id HAVING count(DISTINCT document_id) > 1"
    )
    conn.close()
    made = run_cli("split", shared, "--source", str(document), "--db", str(seed_db))
    assert made.returncode == 0, made.stderr
    again = run_cli("split", shared, "--source", str(document), "--db", str(seed_db))
    assert again.returncode == 2 and f"split off already, as {made.stdout.strip()}" in again.stderr
    raw = sqlite3.connect(user_path(seed_db))  # as two processes splitting at once leave it: the row twice
    raw.execute(
        "INSERT INTO corrections (event_id, action, analyst, author, created) SELECT event_id, action,"
        " analyst, author, created FROM corrections WHERE action = 'split'"
    )
    raw.commit()
    raw.close()
    loaded = run_cli("load", str(SEED), "--db", str(seed_db))
    assert loaded.returncode == 0, loaded.stderr
    assert analyst_events_stored(seed_db) == {made.stdout.strip()}


def store_state(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """What a reader sees of the timeline, in one statement (one snapshot): its events, the texts
    its search index holds and the events its counts count."""
    return conn.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events_fts_docsize),"
        " (SELECT coalesce(sum(n), 0) FROM month_counts WHERE facet = 'types' AND month = '*')"
    ).fetchone()


def test_readers_see_the_old_timeline_until_a_bulk_import_switches_and_the_whole_new_one_after(tmp_path, seed_db):
    from bench.generate_acled import generate

    csv_path = generate(30_000, tmp_path / "acled.csv")  # a bulk import: thousands of times the seed store
    reader = sqlite3.connect(seed_db)  # another process's view of the store: a plain connection
    old = store_state(reader)
    listed_before = run_cli("list", "--db", str(seed_db)).stdout
    wal = Path(f"{seed_db}-wal")
    importing = subprocess.Popen(
        [*CLI, "import", "acled", str(csv_path), "--db", str(seed_db)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    seen, staged_unseen, listed_while_staged, peak_wal = set(), 0, None, 0
    while importing.poll() is None:
        state = store_state(reader)
        seen.add(state)
        assert state == old or state[0] == state[1] == state[2] == old[0] + 30_000, state
        peak_wal = max(peak_wal, wal.stat().st_size if wal.exists() else 0)
        try:  # rows the import committed that no reader's timeline holds
            staged = reader.execute("SELECT count(*) FROM staging_events").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # not made yet, or switched in
        if state == old and staged > old[0]:
            staged_unseen += 1
            if listed_while_staged is None:  # the app's command, in a process of its own, meanwhile
                listed_while_staged = run_cli("list", "--db", str(seed_db)).stdout
    assert importing.returncode == 0
    new = store_state(reader)
    assert new[0] == old[0] + 30_000 and seen <= {old, new}
    assert staged_unseen and listed_while_staged == listed_before
    # The log held batches, indexes and windows, never the import: a third of the store at most.
    assert peak_wal < seed_db.stat().st_size / 3, (peak_wal, seed_db.stat().st_size)


@pytest.mark.parametrize(
    ("prefix", "most"),
    [
        ("COMMIT", 16),  # a batch, an index, a window of the search index and counts, the switch
        ("ALTER TABLE", 8),  # inside the switch, some staged tables renamed in
        ("DROP TABLE", 8),  # inside the switch, some live tables dropped
        ("CREATE INDEX", 8),  # building the staged tables' indexes
        ("INSERT INTO staging_events_fts", 1),  # the staged search index
    ],
)
def test_a_bulk_import_killed_at_a_random_statement_leaves_the_old_timeline_and_the_next_import_cleans_up(
    tmp_path, seed_db, prefix, most
):
    import random

    from bench.generate_acled import generate

    csv_path = generate(30_000, tmp_path / "acled.csv")
    conn = connect(seed_db)
    old = store_state(conn)
    starred = queries.event_ids(conn, queries.Filter())[0]
    annotations.set_starred(conn, starred, True)
    conn.close()
    listed = run_cli("list", "--db", str(seed_db)).stdout
    at = random.Random().randint(1, most)
    said = f"killed at {prefix} #{at}"
    kill_at_statement(seed_db, [["import", "acled", str(csv_path)]], prefix, at, tmp_path / "saved")
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", said
    assert store_state(conn) == old, said
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [starred], said
    conn.close()
    assert run_cli("list", "--db", str(seed_db)).stdout == listed, said
    # a load deletes and writes events while staged rows are left: none of them references a live one
    loaded = run_cli("load", str(SEED), "--force", "--db", str(seed_db))
    assert loaded.returncode == 0, said + loaded.stderr
    done = run_cli("import", "acled", str(csv_path), "--db", str(seed_db))
    assert done.returncode == 0, said + done.stderr
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", said
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], said
    assert store_state(conn)[0] == old[0] + 30_000 and len(set(store_state(conn))) == 1, said
    assert not conn.execute("SELECT name FROM sqlite_schema WHERE name LIKE 'staging%' AND type = 'table'").fetchall()
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [starred], said
    # the search index holds the imported notes
    assert len(queries.event_ids(conn, queries.Filter(search="Place"))) >= 30_000, said


def import_stalled_between_batches(seed_db: Path, csv_path: Path) -> tuple[subprocess.Popen, sqlite3.Connection]:
    """A bulk import in a process of its own, held between two of its batches by a connection that
    takes SQLite's write lock without the store's writer lock (as the sqlite3 shell would): the
    import holds the writer lock and waits for that connection, whose `rollback` lets it go on."""
    other = sqlite3.connect(seed_db, timeout=60)
    old = store_state(other)
    importing = subprocess.Popen(
        [*CLI, "import", "acled", str(csv_path), "--db", str(seed_db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TIMELINE_BUSY_SECONDS": "600"},  # the import waits for `other` however long
    )
    while importing.poll() is None:
        try:
            if other.execute("SELECT count(*) FROM staging_events").fetchone()[0] > old[0]:
                break  # a batch staged and committed
        except sqlite3.OperationalError:
            pass  # not made yet
    other.execute("BEGIN IMMEDIATE")  # between two batches: the import waits for it
    assert importing.poll() is None, importing.stderr.read() if importing.stderr else ""
    return importing, other


def waiting_writer(*command: str, busy_seconds: str = "600") -> subprocess.Popen:
    """A command that writes the store, started now; it returns once the command says on stderr
    that it waits for the store's writer lock, and fails if it says nothing so in 120 s."""
    import select
    import time

    writer = subprocess.Popen(
        [*CLI, *command],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "TIMELINE_BUSY_SECONDS": busy_seconds},
    )
    assert writer.stderr is not None
    said, deadline = b"", time.monotonic() + 120
    while b"is writing it; waiting for it to finish" not in said:
        ready, _, _ = select.select([writer.stderr], [], [], max(0.0, deadline - time.monotonic()))
        more = os.read(writer.stderr.fileno(), 4096) if ready else b""
        assert more, f"it said no wait: {said.decode(errors='replace')}"  # at its end, or in 120 s
        said += more
    return writer


def test_a_load_during_a_bulk_import_waits_says_so_and_lands_after_the_switch(tmp_path, seed_db):
    from bench.generate_acled import generate

    csv_path = generate(30_000, tmp_path / "acled.csv")
    importing, other = import_stalled_between_batches(seed_db, csv_path)
    old = store_state(other)
    target = queries.event_ids(connect(seed_db), queries.Filter())[0]
    starred = run_cli("annotate", target, "--star", "--db", str(seed_db))  # never waits for the store
    assert starred.returncode == 0, starred.stderr
    loading = waiting_writer("load", str(SEED), "--db", str(seed_db))  # behind the import's writer lock
    assert store_state(other) == old  # nothing written: it waits before it writes
    other.rollback()  # the import goes on; the load waits for its end
    _, stderr = importing.communicate(timeout=600)
    assert importing.returncode == 0, stderr  # it switched: no other command wrote between its batches
    _, stderr = loading.communicate(timeout=600)
    assert loading.returncode == 0, stderr
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the imported rows and the load's articles, each counted and searched
    assert tuple(store_state(conn)) == (old[0] + 30_000,) * 3
    assert conn.execute("SELECT count(*) FROM events WHERE origin = 'article'").fetchone()[0] > 0
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [target]


@pytest.mark.parametrize("killed", ["the waiting load", "the import"])
def test_kill_9_of_a_bulk_import_or_of_a_load_waiting_for_it_leaves_the_store_whole(tmp_path, seed_db, killed):
    import signal

    from bench.generate_acled import generate

    csv_path = generate(30_000, tmp_path / "acled.csv")
    importing, other = import_stalled_between_batches(seed_db, csv_path)
    old = store_state(other)
    loading = waiting_writer("load", str(SEED), "--db", str(seed_db))
    victim, survivor = (loading, importing) if killed == "the waiting load" else (importing, loading)
    victim.send_signal(signal.SIGKILL)  # its writer lock goes with it
    victim.wait()
    other.rollback()
    _, stderr = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, stderr
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # the import's rows all switched in, or none of them: the load of the same articles changes no count
    assert tuple(store_state(conn)) == ((old[0] + 30_000,) * 3 if survivor is importing else old)
    conn.close()
    done = run_cli("import", "acled", str(csv_path), "--db", str(seed_db))  # drops what a killed import left
    assert done.returncode == 0, done.stderr
    conn = connect(seed_db)
    assert tuple(store_state(conn)) == (old[0] + 30_000,) * 3
    assert not conn.execute("SELECT name FROM sqlite_schema WHERE name LIKE 'staging%' AND type = 'table'").fetchall()


def test_a_bulk_import_a_tool_wrote_beside_refuses_to_switch_and_a_second_import_waits_its_turn(tmp_path, seed_db):
    from bench.generate_acled import generate

    csv_path = generate(30_000, tmp_path / "acled.csv")
    importing, other = import_stalled_between_batches(seed_db, csv_path)
    old = store_state(other)
    second = waiting_writer("import", "acled", str(csv_path), "--db", str(seed_db), busy_seconds="1.5")
    _, stderr = second.communicate(timeout=120)  # one at a time: it gave up after its wait
    assert second.returncode == 1 and b"busy: another command has been writing to it for over 1.5 s" in stderr
    # a tool that does not take the writer lock writes between two batches
    other.execute("UPDATE events SET summary = 'written meanwhile' WHERE seq = (SELECT min(seq) FROM events)")
    other.commit()
    _, stderr = importing.communicate(timeout=600)
    assert importing.returncode == 1 and "another command wrote the store during the import" in stderr, stderr
    assert store_state(other) == old  # the old timeline, with the other command's write
    assert other.execute("SELECT count(*) FROM events WHERE summary = 'written meanwhile'").fetchone()[0] == 1
    assert not other.execute("SELECT name FROM sqlite_schema WHERE name LIKE 'staging%' AND type = 'table'").fetchall()


def test_a_store_set_aside_leaves_its_writer_lock_at_its_name(tmp_path):
    from db.locks import store_writer
    from db.schema import set_aside

    db = tmp_path / "t.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)  # damaged: `load --force` sets it aside
    with store_writer(db):  # a writer of that name, as the load that sets it aside would be
        backup = set_aside(db)
        # the next writer of the name waits for it, as it would if the lock had gone with the file
        done = run_cli("load", str(SEED), "--db", str(db), env={**os.environ, "TIMELINE_BUSY_SECONDS": "0.5"})
    assert done.returncode == 1 and "busy" in done.stderr, done.stderr
    assert not Path(f"{backup}-writer").exists()


def test_openers_of_a_new_store_at_once_all_open_it(seed_db_master, tmp_path):
    """The app's two lanes open a store whose user database does not exist yet at the same moment.
    Made in place, the user database was in rollback mode until each opener switched it to WAL, and
    a switch while another opener held its write lock failed at once with "database is locked" (the
    app said "Database busy" on a plain read). Opened by eight threads at once, 60 times: some 3 in
    800 opens failed so; none may."""
    import shutil
    import threading

    from db.schema import user_path

    failed: list[str] = []
    for round_ in range(60):
        db = tmp_path / f"{round_}" / "timeline.db"
        db.parent.mkdir()
        shutil.copy(seed_db_master, db)
        start = threading.Barrier(8)

        def open_and_read(db: Path = db, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                conn = connect(db)
                try:
                    annotations.tagged(conn, "checked")  # a read of the user database
                finally:
                    conn.close()
            except Exception as e:  # said after the threads end
                failed.append(str(e))

        openers = [threading.Thread(target=open_and_read) for _ in range(8)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
        assert sqlite3.connect(user_path(db)).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [p.name for p in db.parent.iterdir() if ".new" in p.name] == []  # nothing left beside it
    assert failed == []


# --- the same guarantees on the shared store (PostgreSQL) ---------------------------------------------


def _timeline_state(location) -> tuple:
    """What a reader sees of a timeline: its events, in order, and the stars on them."""
    conn = connect(location)
    state = (queries.event_ids(conn, queries.Filter()), queries.event_ids(conn, queries.Filter(starred=True)))
    conn.close()
    return state


def test_kill_9_of_a_writer_inside_its_transaction_leaves_the_store_and_the_next_writer_goes_on(tmp_path, seed_store):
    """On both stores: an import killed inside its transaction leaves the timeline as it was, and
    its lock goes with it (on PostgreSQL, the advisory lock is released with the session), so the
    next import runs at once."""
    from bench.generate_acled import generate

    conn = connect(seed_store)
    annotations.set_starred(conn, queries.event_ids(conn, queries.Filter())[0], True)
    conn.close()
    before = _timeline_state(seed_store)
    csv_path = generate(20_000, tmp_path / "acled.csv")
    command = [*CLI, "import", "acled", str(csv_path), "--db", str(seed_store)]
    if isinstance(seed_store, str):
        writer, _ = pg_writer_inside_its_transaction(command, seed_store)
        assert _timeline_state(seed_store) == before, "killed after its commit"
        writer.kill()
        writer.communicate()
    else:
        kill_when_written(command, seed_store, 100_000)
    assert _timeline_state(seed_store) == before
    done = run_cli(
        "import", "acled", str(csv_path), "--db", str(seed_store), env={**os.environ, "TIMELINE_BUSY_SECONDS": "5"}
    )
    assert done.returncode == 0, done.stderr
    events, starred = _timeline_state(seed_store)
    assert len(events) == len(before[0]) + 20_000 and starred == before[1]


def test_a_writer_whose_connection_is_dropped_says_so_in_one_line_and_the_store_stays(tmp_path, seed_pg_copy):
    """The server ends the writer's session inside its transaction (an administrator's
    pg_terminate_backend, a restart): the writer says so in one line and exits with status 1;
    the store is as it was, and the next writer goes on."""
    from bench.generate_acled import generate

    before = _timeline_state(seed_pg_copy)
    csv_path = generate(20_000, tmp_path / "acled.csv")
    writer, backend = pg_writer_inside_its_transaction(
        [*CLI, "import", "acled", str(csv_path), "--db", seed_pg_copy], seed_pg_copy
    )
    with psycopg.connect(seed_pg_copy, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (backend,)).fetchone() == (True,)
    _, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 1 and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and "connection to the server was lost" in stderr, stderr
    assert _timeline_state(seed_pg_copy) == before
    assert run_cli("import", "acled", str(csv_path), "--db", seed_pg_copy).returncode == 0
    assert len(_timeline_state(seed_pg_copy)[0]) == len(before[0]) + 20_000


# --- issue 27: the loose ends a team meets ----------------------------------------------------------


def _hold_writer_lock(db: Path) -> subprocess.Popen:
    """Another process holding the store's writer lock (db/locks.py) until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom db.locks import store_writer\nwith store_writer(sys.argv[1]):\n"
            "    print('held', flush=True)\n    sys.stdin.read()",
            str(db),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.mark.parametrize("writer", ["import acled", "load"])
def test_a_writer_takes_the_writer_lock_before_it_makes_a_new_store(tmp_path, writer):
    """A second writer starting while another holds the lock waits for it before it makes the
    store's file: it never opens a file the first is making."""
    db = tmp_path / "new.db"
    folder = tmp_path / "folder"
    (folder / "articles").mkdir(parents=True)
    given = [str(ROOT / "tests" / "fixtures" / "acled_world.csv")] if writer == "import acled" else [str(folder)]
    holder = _hold_writer_lock(db)
    try:
        waiting = subprocess.Popen(
            [*CLI, *writer.split(), *given, "--db", str(db)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert waiting.stderr is not None
        said = ""
        while "waiting for it to finish" not in said and waiting.poll() is None:
            said += waiting.stderr.readline()
        assert "waiting for it to finish" in said, said
        assert not db.exists() and not Path(f"{db}-wal").exists(), "made before the lock was taken"
    finally:
        holder.communicate("")
    _, rest = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, said + rest
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM actors").fetchone()[0] > 0, "the writer wrote its store"
    conn.close()


def test_stats_counts_the_events_with_several_sources_that_list_shows(seed_store):
    """An event rejected, or merged into another, is not counted among those with several sources;
    an event others were merged into counts with the sources of all, as `list` shows it."""
    from tests.test_review import listed, run

    rows = listed(seed_store)
    alone = [i for i, r in rows.items() if r["sources"] == "1"]
    several = [i for i, r in rows.items() if int(r["sources"]) > 1]
    assert len(alone) >= 5 and several
    run(seed_store, "merge", alone[0], alone[1])  # one event of two sources, from two of one
    run(seed_store, "merge", alone[2], alone[3])
    run(seed_store, "reject", alone[2])  # two sources, rejected
    run(seed_store, "merge", alone[4], several[0])  # one of several sources merged away, its sources kept
    shown = sum(int(r["sources"]) > 1 for r in listed(seed_store).values())
    assert shown == 2 + len(several) - 1
    said = run(seed_store, "stats").stdout
    assert f"sources     {shown} events with several" in said.splitlines(), said
    conn = connect(seed_store)
    assert queries.stats(conn).multi_source_events == shown
    conn.close()
