"""The shared store (db/store.py, db/dialect.py) on a real PostgreSQL server: the same timeline as
SQLite's, the analyst's layer in its own schema, each annotation signed by the database role."""

import json
import re
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from click.testing import CliRunner

from cli import main
from db import annotations, dialect, queries, store
from db.activity import activity
from db.schema import connect, user_path
from tests.helpers import CLI, ROOT, new_pg_database, pg_server


def cli(store, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", str(store)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_seed_timeline_exports_the_same_on_both_stores(seed_db, seed_pg_copy, tmp_path):
    url = seed_pg_copy
    sqlite_events, pg_events = (json.loads(cli(s, "export", "--format", "json")) for s in (seed_db, url))
    assert len(pg_events) >= 12
    assert pg_events == sqlite_events
    assert cli(url, "stats") == cli(seed_db, "stats")
    assert cli(url, "list", "--place", "Tehran") == cli(seed_db, "list", "--place", "Tehran")


def test_stars_tags_and_notes_live_in_the_user_schema_signed_by_the_role(seed_store):
    if not isinstance(seed_store, str):
        pytest.skip("the database role is PostgreSQL's")
    conn = connect(seed_store)
    first = queries.event_ids(conn, queries.Filter())[0]
    annotations.set_starred(conn, first, True)
    annotations.annotate(conn, first, tags=["checked", "wire"], note="two sources")
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [first]
    assert annotations.tags_of(conn, [first]) == {first: ("checked", "wire")}
    with psycopg.connect(seed_store) as raw:
        row = raw.execute(
            f"SELECT starred, starred_by, note, note_by FROM {dialect.USER_SCHEMA}.annotations WHERE event_id = %s",
            (first,),
        ).fetchone()
        authors = raw.execute(f"SELECT DISTINCT author FROM {dialect.USER_SCHEMA}.tags").fetchall()
    assert row == (1, "postgres", "two sources", "postgres")  # the role the tests sign in as
    assert authors == [("postgres",)]
    annotations.set_note(conn, first, "named", author="amira")  # a configured name wins
    assert conn.execute("SELECT note_by FROM user.annotations WHERE event_id = ?", (first,)).fetchone()[0] == "amira"


def test_corrections_stay_append_only(seed_store):
    conn = connect(seed_store)
    conn.execute(
        "INSERT INTO user.corrections (event_id, action, author, created) VALUES (?, 'confirm', 'x', datetime('now'))",
        ("e1",),
    )
    conn.commit()
    with pytest.raises(Exception, match="append-only"):
        conn.execute("DELETE FROM user.corrections")
    conn.rollback()
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE user.corrections SET author = 'y'")
    conn.rollback()
    assert conn.execute("SELECT count(*) FROM user.corrections").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT a FROM t WHERE b = ? AND c = :name", "SELECT a FROM t WHERE b = %s AND c = %(name)s"),
        (
            "SELECT '?', '50%', x FROM t WHERE y LIKE '%a' AND z = ?",
            "SELECT '?', '50%%', x FROM t WHERE y LIKE '%%a' AND z = %s",
        ),
        ("SELECT 1 WHERE 5 % 2 = ?", "SELECT 1 WHERE 5 %% 2 = %s"),
        ("SELECT tag FROM user.tags", f"SELECT tag FROM {dialect.USER_SCHEMA}.tags"),
        (
            "DELETE FROM event_places WHERE event_seq IN (SELECT value FROM json_each(?))",
            "DELETE FROM event_places WHERE event_seq IN (SELECT CAST(value AS BIGINT) FROM"
            " json_array_elements_text(CAST(%s AS json)))",
        ),
        (
            "SELECT id FROM places WHERE id IN (SELECT value FROM json_each(?))",
            "SELECT id FROM places WHERE CAST(id AS text) IN"
            " (SELECT value FROM json_array_elements_text(CAST(%s AS json)))",
        ),
        ("INSERT OR IGNORE INTO tags (a) VALUES (?)", "INSERT INTO tags (a) VALUES (%s) ON CONFLICT DO NOTHING"),
        ("SELECT x FROM t WHERE a AND l.direct", "SELECT x FROM t WHERE a AND (l.direct <> 0)"),
        ("SELECT x FROM t WHERE id IN ()", "SELECT x FROM t WHERE id = ANY('{}')"),
        ("SELECT n FROM (SELECT 1 AS n) WHERE n > 0", "SELECT n FROM (SELECT 1 AS n) AS subquery_14 WHERE n > 0"),
        (
            "SELECT 1 FROM t WHERE a IS ? AND b IS NOT NULL",
            "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM %s AND b IS NOT NULL",
        ),
    ],
)
def test_statements_are_translated_once_by_rule(sqlite, postgres):
    assert dialect.postgres_sql(sqlite, lambda table: ["id"]) == postgres


def test_the_postgres_schema_is_derived_from_the_sqlite_one():
    from db.schema import TABLES

    made = dialect.postgres_schema(TABLES)
    tables = [s for s in made if s.startswith("CREATE TABLE")]
    assert len(tables) == TABLES.count("CREATE TABLE") + TABLES.count("CREATE VIRTUAL TABLE")
    assert not any("WITHOUT ROWID" in s or "BLOB" in s or "fts5" in s for s in made)
    assert any("USING gin (words)" in s for s in made)


def test_a_read_only_role_reads_everything_and_each_write_says_so_in_one_line(seed_pg_copy):
    url = seed_pg_copy
    reader = f"reader_{url.split('/t_')[1][:8]}"
    with psycopg.connect(url, autocommit=True) as admin:  # as the README tells an administrator
        admin.execute(f"CREATE ROLE {reader} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA public, {dialect.USER_SCHEMA} TO {reader}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public, {dialect.USER_SCHEMA} TO {reader}")
    try:
        as_reader = url.replace("postgres@", f"{reader}@")
        events = json.loads(cli(as_reader, "export", "--format", "json"))
        assert events == json.loads(cli(url, "export", "--format", "json"))
        for verb in (
            ["annotate", events[0]["id"], "--star"],
            ["confirm", events[0]["id"]],
            ["view", "save", "v", "--place", "Tehran"],
        ):
            result = CliRunner().invoke(main, [*verb, "--db", as_reader])
            assert result.exit_code == 1 and "read-only" in result.stderr, result.output
            assert len(result.stderr.strip().splitlines()) == 1
        assert json.loads(cli(url, "export", "--format", "json")) == events  # nothing written
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {reader}")
            admin.execute(f"DROP ROLE {reader}")


def test_a_team_made_as_the_readme_says_shares_one_timeline_each_change_signed_by_its_login():
    """README "A shared timeline": a group role owns the timeline, each analyst logs in as
    themselves and acts as the group; a reader is given what the group makes. Amira loads, Bob
    imports and stars, the reader reads all of it and writes nothing."""
    suffix = uuid.uuid4().hex[:8]
    team, amira, bob, reader = (f"{name}_{suffix}" for name in ("analysts", "amira", "bob", "reader"))
    try:
        with new_pg_database() as url:
            database = urlsplit(url).path.lstrip("/")
            with psycopg.connect(url, autocommit=True) as admin:
                for statement in (
                    f"CREATE ROLE {team} NOLOGIN",
                    f"ALTER DATABASE {database} OWNER TO {team}",
                    f"CREATE ROLE {amira} LOGIN IN ROLE {team}",
                    f"ALTER ROLE {amira} SET role = {team}",
                    f"CREATE ROLE {bob} LOGIN IN ROLE {team}",
                    f"ALTER ROLE {bob} SET role = {team}",
                    f"CREATE ROLE {reader} LOGIN",
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {team} GRANT USAGE ON SCHEMAS TO {reader}",
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {team} GRANT SELECT ON TABLES TO {reader}",
                ):
                    admin.execute(statement)
            as_ = {name: url.replace("postgres@", f"{name}@") for name in (amira, bob, reader)}
            cli(as_[amira], "load")
            cli(as_[bob], "import", "acled", str(ROOT / "tests/fixtures/acled_world.csv"))
            events = json.loads(cli(as_[reader], "export", "--format", "json"))
            cli(as_[bob], "annotate", events[0]["id"], "--star")
            cli(as_[amira], "reject", events[1]["id"])
            log = [line.split()[2:4] for line in cli(as_[reader], "activity").splitlines()]
            assert log == [[amira, "reject"], [bob, "star"], [bob, "import"], [amira, "load"]]
            refused = CliRunner().invoke(main, ["annotate", events[0]["id"], "--note", "x", "--db", as_[reader]])
            assert refused.exit_code == 1 and "read-only" in refused.stderr
    finally:  # roles outlive a database: dropped once it has gone, with what it held of theirs
        with psycopg.connect(pg_server(), autocommit=True) as admin:
            for role in (amira, bob, reader, team):
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_row_written_with_its_number_moves_the_numbering_past_it(empty_store):
    """An import numbers its events itself; the next row the database numbers takes the next one."""
    conn = connect(empty_store, create=True)
    conn.execute("INSERT INTO stored_documents (id, key, text) VALUES (?, ?, ?)", (41, "a", "text a"))
    conn.commit()
    cursor = conn.execute("INSERT INTO stored_documents (key, text) VALUES (?, ?)", ("b", "text b"))
    conn.commit()
    assert cursor.lastrowid == 42
    assert [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")] == [41, 42]


def test_rows_written_in_bulk_are_stored_numbered_and_announced_as_inserts_are(empty_store):
    """store.insert_rows (COPY on PostgreSQL): the values come back as given (a tab, a newline, a
    backslash, NULL, a quote), in a transaction it begins, which another connection sees once it
    commits (its data_version moves, as an open app watches); a row given its number moves the
    numbering past it, as an INSERT's does."""
    conn = connect(empty_store, create=True)
    watcher = connect(empty_store)
    seen = watcher.execute("PRAGMA data_version").fetchone()[0]
    rows = [(41, "a", "tab\there, line\nthen \\N and 'quoted'"), (7, "b", "Ḥama"), (9, "c", "")]
    store.insert_rows(conn, "stored_documents", ("id", "key", "text"), rows)
    assert conn.in_transaction
    assert watcher.execute("SELECT count(*) FROM stored_documents").fetchone()[0] == 0
    conn.commit()
    assert watcher.execute("PRAGMA data_version").fetchone()[0] != seen
    assert [tuple(r) for r in watcher.execute("SELECT id, key, text FROM stored_documents ORDER BY id")] == sorted(rows)
    cursor = conn.execute("INSERT INTO stored_documents (key, text) VALUES (?, ?)", ("d", "numbered by the store"))
    conn.commit()
    assert cursor.lastrowid == 42
    watcher.close()
    conn.close()


def test_a_failed_bulk_write_keeps_nothing_and_leaves_the_connection_usable(empty_store):
    """Rows written in bulk that break a key: sqlite3's IntegrityError, and none of them kept once
    the caller rolls back. On PostgreSQL the transaction the write began is rolled back by the
    write itself, as a failed statement's is (SQLite's executemany keeps the rows before the failing
    one in the open transaction, as it does for any statement); the connection goes on."""
    conn = connect(empty_store, create=True)
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_rows(conn, "stored_documents", ("key", "text"), [("a", "x"), ("a", "y")])
    if isinstance(empty_store, str):  # PostgreSQL
        assert not conn.in_transaction
    conn.rollback()
    conn.execute("INSERT INTO stored_documents (key, text) VALUES ('b', 'z')")
    conn.commit()
    assert [r[0] for r in conn.execute("SELECT key FROM documents")] == ["b"]
    conn.close()


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ('"missile"', "'missile'"),
        ("missile strike", "'missile' & 'strike'"),
        ("Deir OR Raqqa", "('Deir') | ('Raqqa')"),
        ('kill* NOT "car bomb"', "'kill':* & !('car' <-> 'bomb')"),
        ("(a OR b) AND c", "(('a') | ('b')) & 'c'"),
        ('"O\'Brien"', "'O''Brien'"),
    ],
)
def test_a_search_in_fts5_syntax_is_the_same_tsquery(search, expected):
    assert dialect.tsquery(search) == expected


@pytest.mark.parametrize("search", ["(unbalanced", "a AND", "OR b", "NEAR(a b)"])
def test_a_search_fts5_cannot_parse_is_refused(search):
    with pytest.raises(ValueError, match="fts5: syntax error"):
        dialect.tsquery(search)


def test_searches_find_the_same_events_on_both_stores(seed_db, seed_pg_copy):
    url = seed_pg_copy
    searches = ("missile", "Tehran OR Raqqa", "kill*", '"Islamic State" NOT Tehran', "(strike OR attack) AND Deir")
    for search in (*searches, "Tehran\\"):  # a backslash is a word's character to FTS5, an escape to to_tsquery
        on_sqlite, on_pg = (cli(s, "list", "--search", search) for s in (seed_db, url))
        assert on_pg == on_sqlite, search
        assert len(on_sqlite.splitlines()) > 1, search


def test_a_search_ignores_diacritics_as_fts5_does(empty_store):
    conn = connect(empty_store, create=True)
    conn.execute(
        "INSERT INTO events (id, type, sub_type, summary) VALUES ('e1', 'Battles', 'Armed clash', 'Clash in Ḥamā')"
    )
    conn.execute("INSERT INTO events_fts (rowid, summary, quotes) SELECT seq, summary, quotes FROM event_text")
    conn.commit()
    for search in ("Hama", "ḥamā", "HAMA"):
        assert [r[0] for r in conn.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", (search,))] == [1]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://amira:secret@db.example.org/timeline",
        "postgresql://amira:se/cr@et@db.example.org:5432/timeline",  # a password may hold / and @
        "postgresql://amira@/timeline?host=/run/pg&password=secret&sslmode=require",
    ],
)
def test_a_store_is_named_without_its_password(url):
    named = store.shown(url)
    assert "secret" not in named and "se/cr" not in named and "amira" in named and "timeline" in named


def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(tmp_path):
    result = CliRunner().invoke(main, ["list", "--db", f"postgresql://amira:secret@/timeline?host={tmp_path}"])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "cannot connect" in result.stderr and "amira:***@" in result.stderr and "secret" not in result.stderr


def test_articles_and_imports_give_the_same_timeline_on_both_stores(tmp_path, seed_db, seed_pg_copy):
    """The seed articles, ACLED's fixture and 500 generated rows imported with --prune: the same
    JSON export, stats and searches on both stores."""
    from bench.generate_acled import generate

    url = seed_pg_copy
    rows = generate(500, tmp_path / "acled.csv")
    for location in (seed_db, url):
        cli(location, "import", "acled", str(Path(__file__).parent / "fixtures" / "acled_world.csv"))
        cli(location, "import", "acled", str(rows), "--prune")
    assert cli(url, "export", "--format", "json") == cli(seed_db, "export", "--format", "json")
    assert cli(url, "stats") == cli(seed_db, "stats")
    for search in ("killing", "Aleppo OR Idlib", "shell*"):
        assert cli(url, "list", "--search", search) == cli(seed_db, "list", "--search", search), search


@pytest.mark.parametrize("table", ["schema_version", "events", f"{dialect.USER_SCHEMA}.annotations"])
def test_a_role_that_may_not_read_a_table_is_told_in_one_line(seed_pg_copy, table):
    """The statements the store sends for itself (its version, the catalog) are translated as the
    code's are: a role without SELECT on a table gets one line and status 1, never a traceback."""
    url = seed_pg_copy
    role = f"partial_{url.split('/t_')[1][:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA public, {dialect.USER_SCHEMA} TO {role}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public, {dialect.USER_SCHEMA} TO {role}")
        admin.execute(f"REVOKE SELECT ON {table} FROM {role}")
    try:
        result = CliRunner().invoke(main, ["list", "--starred", "--db", url.replace("postgres@", f"{role}@")])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert len(result.stderr.strip().splitlines()) == 1 and "permission denied" in result.stderr, result.stderr
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_a_failed_executemany_leaves_the_connection_usable(empty_store):
    """SQLite undoes the failed statement alone and goes on; on PostgreSQL the transaction the
    statement began is rolled back, not left aborted for every statement after it."""
    conn = connect(empty_store, create=True)
    with pytest.raises(sqlite3.IntegrityError):
        conn.executemany("INSERT INTO stored_documents (key, text) VALUES (?, ?)", [("a", "x"), ("a", "y")])
    conn.execute("INSERT INTO stored_documents (key, text) VALUES ('b', 'z')")
    conn.commit()
    assert "b" in [r[0] for r in conn.execute("SELECT key FROM documents")]
    conn.close()


def test_a_commit_after_a_failed_statement_never_says_a_lost_write_was_kept(empty_store):
    """A statement fails inside a transaction begun before it. SQLite keeps the rest and commits
    it; PostgreSQL has aborted the whole transaction, and answers COMMIT with a rollback: commit()
    raises the failed statement's error again, so the caller knows nothing was written."""
    conn = connect(empty_store, create=True)
    conn.execute("INSERT INTO stored_documents (key, text) VALUES ('a', 'x')")  # begins the transaction
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO stored_documents (key, text) VALUES ('a', 'y')")
    if isinstance(empty_store, str):
        with pytest.raises(sqlite3.IntegrityError, match="rolled back"):
            conn.commit()
        kept = []
    else:
        conn.commit()
        kept = ["a"]
    assert not conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT key FROM documents")] == kept
    conn.execute("INSERT INTO stored_documents (key, text) VALUES ('b', 'z')")  # the connection goes on
    conn.commit()
    assert [r[0] for r in conn.execute("SELECT key FROM documents ORDER BY key")] == [*kept, "b"]
    conn.close()


def _waiting_for_locks(url: str) -> int:
    """How many sessions of this database wait for a lock (a table's or an advisory one)."""
    with psycopg.connect(url, autocommit=True) as probe:
        (waiting,) = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone() or (0,)
        return waiting


def _until(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.01)


@pytest.mark.parametrize(("verb", "action"), [(["--star"], "star"), (["--tag", "checked"], "tag")])
def test_two_analysts_making_one_change_at_once_log_it_once(seed_pg_copy, verb, action):
    """Two processes star (tag) one event at the same moment: one changes it, the other finds it
    done, and the log says it once. The first is held inside its transaction, after its log
    statement read the state, by an administrator's lock on the user tables; the second starts
    then. Under READ COMMITTED, without the user layer's lock, the second read the state the first
    was changing, and logged a second star."""
    url = seed_pg_copy
    with connect(url) as conn:
        target = queries.event_ids(conn, queries.Filter())[0]
    with psycopg.connect(url) as holder:  # a transaction: its lock holds until the block ends
        holder.execute(
            f"LOCK TABLE {dialect.USER_SCHEMA}.annotations, {dialect.USER_SCHEMA}.tags IN SHARE ROW EXCLUSIVE MODE"
        )
        command = [*CLI, "annotate", target, *verb, "--db", url]
        first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _until(lambda: _waiting_for_locks(url) == 1, "the first writer to wait inside its transaction")
        second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _until(lambda: _waiting_for_locks(url) == 2, "the second writer to wait")
    for proc in (first, second):
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with connect(url) as conn:
        logged = [e for e in activity(conn) if e.action == action and e.subject == target]
    assert len(logged) == 1, logged


def test_pg_server_run_ends_its_command_and_the_server_when_it_is_terminated(tmp_path):
    """A CI timeout sends SIGTERM to `scripts/pg_server.sh run CMD`: CMD and what it started end,
    and so does the server, its folder removed."""
    said = tmp_path / "said"
    command = f'sleep 600 & echo "$! $TIMELINE_TEST_PG" > {said}.new && mv {said}.new {said}; wait'
    runner = subprocess.Popen(["scripts/pg_server.sh", "run", "sh", "-c", command], cwd=ROOT)
    try:
        _until(lambda: said.exists() or runner.poll() is not None, "the command to start", seconds=120)
        assert said.exists(), "pg_server.sh ended before its command started"
        child, url = said.read_text().split()
        server_folder = Path(url.split("host=", 1)[1])
        assert (server_folder / "data" / "postmaster.pid").exists()
        runner.terminate()
        assert runner.wait(timeout=60) == 128 + 15
        _until(lambda: not Path(f"/proc/{child}").exists(), "the command's own child to end")
        assert not server_folder.exists()
    finally:
        if runner.poll() is None:
            runner.kill()


def _schema_of(dump: Path) -> str:
    """The CREATE statements of a SQLite store's dump, as a schema script like db/schema.py's
    (FTS5's own tables as the virtual table that makes them): the schema that version had."""
    from db.schema import TABLES

    statements = [s for s in dump.read_text(encoding="utf-8").split(";\n") if s.lstrip().startswith("CREATE")]
    statements = [
        re.sub(r"^(\s*CREATE (?:TABLE|TRIGGER)) (?!IF NOT EXISTS)", r"\1 IF NOT EXISTS ", s)
        for s in statements
        if "events_fts" not in s
    ]
    if any(" events(" in s or " events (" in s for s in statements):
        statements.append(next(s for s in TABLES.split(";\n") if "VIRTUAL TABLE" in s))
    return "".join(f"{s.strip()};\n" for s in statements)


def _rows_into_pg(sqlite_db: Path, url: str) -> None:
    """Every row of a SQLite store and of its user database, written into the PostgreSQL store at
    `url`, whose tables have the same columns; its search index made from its text."""
    pg = store.PostgresConnection(url)
    for file, prefix in ((sqlite_db, ""), (user_path(sqlite_db), "user.")):
        source = sqlite3.connect(file)
        tables = source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'events_fts%'"
            " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'"
        ).fetchall()
        for (table,) in tables:
            columns = ", ".join(
                f'"{c[1]}"' if c[1] == "end" else c[1] for c in source.execute(f"PRAGMA table_info({table})")
            )
            try:
                rows = source.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID
                rows = source.execute(f"SELECT {columns} FROM {table}").fetchall()
            marks = ", ".join("?" * len(rows[0])) if rows else ""
            if rows:
                pg.executemany(f"INSERT INTO {prefix}{table} ({columns}) VALUES ({marks})", rows)
        source.close()
    pg.execute("INSERT INTO events_fts (rowid, summary, quotes) SELECT seq, summary, quotes FROM event_text")
    pg.commit()
    pg.close()


@pytest.mark.parametrize("version, user_version", [(12, 2), (13, 3)])
def test_an_older_store_and_user_layer_are_migrated_on_postgresql(tmp_path, version, user_version):
    """tests/fixtures/store_v12*.sql's store (schema 12, user layer 2, before the activity log),
    and store_v13*.sql's (schema 13, before the ACLED rows' documents were derived), each
    made on PostgreSQL with that version's schema, then opened by this program: it answers as a
    new store holding the same timeline (SQLite's migration of the same store, its rows written
    into a store made by this version), and its activity log says what the user layer told and
    goes on logging."""
    from db.schema import SCHEMA_VERSION, USER_VERSION
    from tests.test_migrations import FIXTURES, answers, store_v11

    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    with new_pg_database() as migrated, new_pg_database() as fresh:
        made = store.PostgresConnection(migrated)
        tables, user_tables = (_schema_of(FIXTURES / f"store_v{version}{part}.sql") for part in ("", ".user"))
        store._make(made, tables, user_tables, version, user_version)
        made.close()
        _rows_into_pg(store_v11(tmp_path / "old" / "timeline.db", version=version), migrated)
        reference = store_v11(tmp_path / "new" / "timeline.db", version=version)
        connect(reference).close()  # migrated by SQLite
        connect(fresh, create=True).close()
        _rows_into_pg(reference, fresh)

        after = answers(migrated)  # its first opening migrates it
        assert after == answers(fresh)
        assert len(after["export"]) == 32 and sum(e["starred"] for e in after["export"]) == 2
        for args in (["stats"], ["list", "--search", "Deir"], ["list", "--starred"], ["activity"]):
            assert cli(migrated, *args) == cli(fresh, *args), args
        with psycopg.connect(migrated) as raw:
            versions = raw.execute(
                f"SELECT (SELECT version FROM schema_version), (SELECT version FROM {dialect.USER_SCHEMA}.user_version)"
            ).fetchone()
            rebuilt = raw.execute("SELECT relname FROM pg_class WHERE relname LIKE 'new!_%' ESCAPE '!'").fetchall()
        assert versions == (SCHEMA_VERSION, USER_VERSION)
        assert rebuilt == []  # a rebuilt table's index named as its own was: the next rebuild can make new_x
        with connect(migrated) as conn:
            logged = len(activity(conn))
            assert logged > 0  # what version 2 told of who starred, tagged and corrected
            target = after["export"][0]["id"]
        cli(migrated, "annotate", target, "--tag", "after the migration")
        with connect(migrated) as conn:
            newest = activity(conn)[0]
            assert (newest.action, newest.subject, newest.detail, len(activity(conn))) == (
                "tag",
                target,
                "after the migration",
                logged + 1,
            )


def _as_made_before_their_time(url: str) -> dict[str, str]:
    """Undo in a store what a store made before they were added lacks, no schema version marking
    them: the SQL functions emulating SQLite's date(), and each index's table key after its
    columns (made again as SQLite's schema text says). The definitions undone: index -> definition."""
    from db.schema import TABLES, USER_TABLES

    with psycopg.connect(url, autocommit=True) as raw:
        raw.execute("DROP FUNCTION date(bigint, text)")
        raw.execute("DROP FUNCTION date(text, text)")
        undone = {}
        for schema, script in (("public", TABLES), (dialect.USER_SCHEMA, USER_TABLES.replace("{u}", ""))):
            for statement in re.findall(r"CREATE INDEX IF NOT EXISTS \w+ ON [^;]+", script):
                name = f"{schema}.{statement.split()[5]}"
                (widened,) = raw.execute("SELECT pg_get_indexdef(to_regclass(%s))", (name,)).fetchall()[0]
                older = dialect._ddl(statement)  # as made then: without the key
                if older.split(" ON ", 1)[1].replace(" ", "") not in widened.replace(" ", ""):
                    raw.execute(f"DROP INDEX {name}")
                    raw.execute(f"SET search_path TO {schema}")
                    raw.execute(older)
                    undone[name] = widened
    assert {"public.events_by_date", "public.event_places_by_place"} <= undone.keys()
    return undone


def _definitions(url: str, indexes) -> dict[str, str]:
    with psycopg.connect(url) as raw:
        return {
            name: raw.execute("SELECT pg_get_indexdef(to_regclass(%s))", (name,)).fetchall()[0][0] for name in indexes
        }


def test_a_store_made_before_the_date_functions_and_keyed_indexes_gets_them_when_opened(seed_pg_copy):
    url = seed_pg_copy
    undone = _as_made_before_their_time(url)
    place = queries.make_filter(connect(url), places=["Tehran"])
    conn = connect(url)  # a reader's opening: list
    assert _definitions(url, undone) == undone  # every index as a store made now has it
    assert queries.first_rows(conn, place, 5).rowids  # the first rows of a place read date(): there
    assert conn.execute("SELECT date('2024-02-28', '+2 days')").fetchone()[0] == "2024-03-01"
    with psycopg.connect(url) as raw:
        oids = raw.execute("SELECT array_agg(oid ORDER BY oid) FROM pg_class WHERE relkind = 'i'").fetchone()
    connect(url).close()
    with psycopg.connect(url) as raw:  # opened again: nothing to do, nothing done
        assert raw.execute("SELECT array_agg(oid ORDER BY oid) FROM pg_class WHERE relkind = 'i'").fetchone() == oids


def test_a_store_is_mended_by_a_later_opening_when_a_writer_is_at_work_or_the_role_may_not(seed_pg_copy):
    url = seed_pg_copy
    undone = _as_made_before_their_time(url)
    reader = f"reader_{url.split('/t_')[1][:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {reader} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA public, {dialect.USER_SCHEMA} TO {reader}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public, {dialect.USER_SCHEMA} TO {reader}")
    try:
        assert cli(url.replace("postgres@", f"{reader}@"), "list", "--place", "Tehran")  # reads, mends nothing
        with psycopg.connect(url) as writer:  # an import at work: its transaction holds the writer's lock
            writer.execute("SELECT pg_advisory_xact_lock(%s)", (store.WRITE_LOCK,))
            started = time.monotonic()
            connect(url).close()  # does not wait for it
            assert time.monotonic() - started < 5
            assert _definitions(url, undone) != undone
        connect(url).close()
        assert _definitions(url, undone) == undone
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {reader}")
            admin.execute(f"DROP ROLE {reader}")
