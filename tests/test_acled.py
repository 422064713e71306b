"""ACLED import on small fixtures written with ACLED's exact headers (never ACLED's own data)."""

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate_acled import generate
from bench.generate_world import generate as generate_world
from cli import main
from db import acled, annotations, dialect, queries
from db.acled import ImportFileError, import_acled
from db.schema import connect, quotes_of
from pipeline import load
from tests.helpers import CLI, SEED, bytes_read, kill_inside_transaction, new_pg_database

FIXTURES = Path(__file__).parent / "fixtures"


def _schema(conn) -> list:
    """The store's live tables, views and indexes as made: what each makes, its name quoted or not;
    an index by what it indexes (a bulk import's indexes alternate between two names, db/acled.py).
    A bulk import's staging tables are no part of it (`_staging`)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%'"
        " AND substr(tbl_name, 1, 8) <> 'staging_'"
    )
    made = []
    for kind, name, sql in rows:
        sql = sql and re.sub(r"[\"'](\w+)[\"']", r"\1", sql)
        if kind == "index":
            name = name.removeprefix("staging_")
            sql = sql and re.sub(r"^CREATE INDEX (staging_)?", "CREATE INDEX ", sql)
        made.append((kind, name, sql))
    return sorted(made)


def _staging(conn) -> list[str]:
    """The tables a bulk import stages its rows in, while it runs (or left, killed)."""
    found = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 8) = 'staging_'")
    return [r[0] for r in found]


def test_current_header_rows_become_events_with_actors_places_and_evidence(tmp_path, empty_store):
    db = empty_store
    fresh = _schema(connect(db, create=True))
    report = import_acled(FIXTURES / "acled_current.csv", db)
    assert (report.added, report.unchanged, report.rows) == (3, 0, 5)
    assert report.bad_rows == [(4, "unreadable event_date 'not a date'"), (6, "latitude 'north' is not a number")]
    conn = connect(db)
    # A file ten times the store is a bulk import, staged: what it switches in is made as the live tables were.
    assert _schema(conn) == fresh
    assert _staging(conn) == []
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    (clash,) = queries.list_events(conn, queries.make_filter(conn, places=["Thiban"]))
    assert (clash.date, clash.type, clash.sub_type, clash.fatalities) == ("2023-01-31", "Battles", "Armed clash", 3)
    # ACLED's "Islamic State (Syria)" is a wing of the gazetteer's Islamic State; its "Military Forces
    # of Syria (2000-)" is the gazetteer's Syrian government forces by an alias.
    assert ("Islamic State (Syria)", "actor1") in clash.actors and (
        "Syrian government forces",
        "actor2",
    ) in clash.actors
    assert clash.id in queries.event_ids(conn, queries.make_filter(conn, actors=["Islamic State"]))
    detail = queries.event_detail(conn, clash.id)
    (source,) = detail.sources
    assert source.publisher == "SOHR" and source.quote.startswith("On 31 January 2023")
    assert detail.places[0].lat == pytest.approx(35.0111)
    (strike,) = queries.list_events(conn, queries.make_filter(conn, types=["Air/drone strike"]))
    assert strike.precision == "week" and strike.date == "2023-W04"


def test_2020_api_and_old_headers_and_date_forms(tmp_path, empty_store):
    db = empty_store
    assert import_acled(FIXTURES / "acled_2020_api.csv", db).added == 2
    assert import_acled(FIXTURES / "acled_old.csv", db).added == 1
    conn = connect(db)
    dates = {r.date for r in queries.list_events(conn)}
    assert dates == {"2020-03-21", "2020-05", "2015-01-01"}
    (old,) = queries.list_events(conn, queries.make_filter(conn, places=["Kobani"]))
    assert (old.type, old.sub_type) == ("Battles", "Armed clash")
    assert ("YPG", "actor1") in old.actors


def test_reimport_adds_nothing(tmp_path, empty_store):
    db = empty_store
    import_acled(FIXTURES / "acled_current.csv", db)
    again = import_acled(FIXTURES / "acled_current.csv", db)
    assert (again.added, again.unchanged) == (0, 3)
    assert queries.count_events(connect(db)) == 3


def test_a_file_missing_columns_is_refused_with_their_names(tmp_path):
    with pytest.raises(ImportFileError, match="missing columns event_type, location"):
        import_acled(FIXTURES / "acled_missing_columns.csv", tmp_path / "t.db")
    result = CliRunner().invoke(
        main, ["import", "acled", str(FIXTURES / "acled_missing_columns.csv"), "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 1 and "acled_missing_columns.csv: not an ACLED export" in result.stderr


def test_cli_reports_bad_rows_with_line_numbers(tmp_path):
    result = CliRunner().invoke(
        main, ["import", "acled", str(FIXTURES / "acled_current.csv"), "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 1
    assert "acled_current.csv:4: unreadable event_date" in result.stderr
    assert "3 events added" in result.stderr


def test_imported_events_and_stars_survive_a_reload_from_articles(seed_store):
    import_acled(FIXTURES / "acled_current.csv", seed_store)
    conn = connect(seed_store)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    acled = [i for i in queries.event_ids(conn, queries.Filter()) if i.startswith("acled:")]
    annotations.set_starred(conn, acled[0], True)
    conn.close()
    assert load(SEED, seed_store).ok
    conn = connect(seed_store)
    assert [i for i in queries.event_ids(conn, queries.Filter()) if i.startswith("acled:")] == acled
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [acled[0]]
    assert queries.event_detail(conn, acled[0]).sources[0].quote


@pytest.mark.parametrize("stored_rows", [0, 10_000])
def test_import_killed_midway_leaves_the_database_as_it_was(tmp_path, seed_db, stored_rows):
    if not Path("/proc/self/fdinfo").is_dir():
        pytest.skip("tells how far the import has read from Linux's /proc")
    csv_path = generate(60_000, tmp_path / "big.csv")
    if stored_rows:  # a store the file is not ten times bigger than: one transaction, not staged
        import_acled(generate(stored_rows, tmp_path / "first.csv"), seed_db)
    staged = not stored_rows
    before = queries.count_events(connect(seed_db))
    schema = _schema(connect(seed_db))
    half = csv_path.stat().st_size // 2  # midway: half the rows read, inside the import's transaction
    kill_inside_transaction(
        [*CLI, "import", "acled", str(csv_path), "--db", str(seed_db)],
        seed_db,
        lambda proc: bytes_read(proc.pid, csv_path) >= half,
    )
    conn = connect(seed_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert queries.count_events(conn) == before
    assert _schema(conn) == schema
    assert ("staging_events" in _staging(conn)) == staged  # a staged import's copies, left by the kill
    conn.close()
    assert import_acled(FIXTURES / "acled_current.csv", seed_db).added == 3  # the next import drops it
    conn = connect(seed_db)
    assert _staging(conn) == []
    assert _schema(conn) == schema


def test_a_long_import_reports_its_progress_in_bytes_read(tmp_path):
    csv_path = generate(12000, tmp_path / "acled.csv")
    seen: list[int] = []
    report = import_acled(csv_path, tmp_path / "t.db", seen.append)
    assert report.added == 12000
    assert seen and seen == sorted(seen) and 0 < seen[-1] <= csv_path.stat().st_size


def _acled_cli(*args):
    return CliRunner().invoke(main, ["import", "acled", *map(str, args)])


def test_a_reimport_revises_changed_rows_adds_new_ones_and_prunes_the_gone_keeping_annotations(tmp_path, empty_store):
    db = empty_store
    assert import_acled(FIXTURES / "acled_week.csv", db).added == 4
    conn = connect(db)
    annotations.set_starred(conn, "acled:SYR100001", True)  # to be revised
    annotations.annotate(conn, "acled:SYR100002", tags=["check"])  # to be pruned
    conn.close()
    revised = FIXTURES / "acled_week_revised.csv"

    dry = _acled_cli(revised, "--prune", "--dry-run", "--db", db)
    assert dry.exit_code == 0, dry.stderr
    assert "dry run, nothing written: 1 events added, 1 revised, 1 removed, 1 unchanged" in dry.stderr
    assert "acled:SYR100002" in dry.stderr  # a removed event with an annotation is named
    conn = connect(db)
    assert queries.event_detail(conn, "acled:SYR100001").event.fatalities == 3 and queries.count_events(conn) == 4

    done = _acled_cli(revised, "--prune", "--db", db)
    assert "1 events added, 1 revised, 1 removed, 1 unchanged" in done.stderr
    conn = connect(db)
    ids = set(queries.event_ids(conn, queries.Filter()))
    # Turkey is not in the file: its row is not the file's to prune.
    assert ids == {"acled:SYR100001", "acled:SYR100004", "acled:SYR100006", "acled:TUR100007"}
    clash = queries.event_detail(conn, "acled:SYR100001")
    assert clash.event.fatalities == 5 and "5 soldiers" in clash.sources[0].quote
    assert queries.event_ids(conn, queries.Filter(starred=True)) == ["acled:SYR100001"]
    assert conn.execute("SELECT tag FROM tags WHERE event_id = 'acled:SYR100002'").fetchone()[0] == "check"
    assert not queries.event_ids(conn, queries.Filter(search="convoy"))  # the pruned row's note is not searched
    assert queries.event_ids(conn, queries.Filter(search="soldiers")) == ["acled:SYR100001"]
    conn.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert queries.facets(conn, queries.Filter()) == queries.facets(conn, queries.Filter(), counted=False)
    conn.close()

    again = import_acled(revised, db, prune=True)
    assert (again.added, again.revised, again.removed, again.unchanged) == (0, 0, [], 3)


def test_without_prune_a_row_gone_from_the_file_stays(tmp_path, empty_store):
    db = empty_store
    import_acled(FIXTURES / "acled_week.csv", db)
    report = import_acled(FIXTURES / "acled_week_revised.csv", db)
    assert (report.added, report.revised, report.removed) == (1, 1, [])
    assert queries.count_events(connect(db)) == 5


def test_list_reads_a_result_larger_than_a_statement_can_name(tmp_path):
    """SQLite bounds a statement's variables (32,766 in its default build, 250,000 in Debian's; a
    country of ACLED holds more events): a list of more events than the bound works."""
    db = tmp_path / "t.db"
    import_acled(generate(3000, tmp_path / "acled.csv"), db)
    conn = connect(db)
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000)
    assert len(queries.list_events(conn)) == 3000


def test_export_and_stats_read_a_result_larger_than_a_statement_can_name(tmp_path):
    """The same bound for what `export` and `stats` read: every event of the result is exported
    and counted, in every format that reads more than the events' rows."""
    import json

    from db.corrections import Shown, pick
    from db.export import export

    db = tmp_path / "t.db"
    import_acled(generate(3000, tmp_path / "acled.csv"), db)
    conn = connect(db)
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000)
    picked = pick(conn, queries.Filter(), Shown())
    assert len(picked.ids) == 3000
    exported = export(conn, picked.ids, "json", "all")
    assert sorted(e["id"] for e in json.loads(exported.text)) == sorted(picked.ids)
    assert export(conn, picked.ids, "acled", "all").text.count("\n") == 3001  # the header and a row each
    assert queries.stats(conn).events == 3000


def test_an_import_leaves_no_copy_of_itself_in_the_log_while_the_app_holds_the_store_open(tmp_path):
    """The write-ahead log holds a whole import until its commit; with the store open elsewhere
    (the app) it is not deleted at the importer's close, so the import cuts it back itself."""
    db = tmp_path / "t.db"
    import_acled(generate(10, tmp_path / "small.csv"), db)
    app = connect(db)
    assert queries.count_events(app) == 10  # the app has read the store, and keeps it open
    import_acled(generate(3000, tmp_path / "acled.csv"), db)
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size == 0
    assert queries.count_events(app) == 3000  # and the app reads the new state


def test_a_row_repeated_batches_later_in_one_file_counts_once_and_its_first_version_stays(tmp_path, empty_store):
    """The file's ids are remembered across batches (on disk, not in memory): a repeat far down
    the file, even with another version, is the first row's."""
    import csv

    from db.acled import BATCH

    path = generate(BATCH + 10, tmp_path / "acled.csv")
    with path.open(newline="", encoding="utf-8") as f:
        header, first = list(csv.reader(f))[:2]
    repeat = dict(zip(header, first, strict=True)) | {"timestamp": "1999999999", "notes": "a later version"}
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow([repeat[c] for c in header])
    db = empty_store
    report = import_acled(path, db)
    assert (report.rows, report.added, report.unchanged) == (BATCH + 11, BATCH + 10, 1)
    conn = connect(db)
    event_id = f"acled:{repeat['event_id_cnty']}"
    assert conn.execute("SELECT revision FROM events WHERE id = ?", (event_id,)).fetchone()[0] != "1999999999"


def test_a_row_repeated_within_one_batch_counts_once_and_its_first_version_stays(tmp_path, empty_store):
    """A batch's ids go to the file's list in one statement: an id twice in it is one entry (on
    PostgreSQL, one statement may not update a row twice), and the first row counts."""
    import csv

    path = generate(10, tmp_path / "acled.csv")
    with path.open(newline="", encoding="utf-8") as f:
        header, first = list(csv.reader(f))[:2]
    repeat = dict(zip(header, first, strict=True)) | {"timestamp": "1999999999", "notes": "a later version"}
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow([repeat[c] for c in header])
    report = import_acled(path, empty_store, prune=True)
    assert (report.rows, report.added, report.unchanged, report.removed) == (11, 10, 1, [])
    conn = connect(empty_store)
    event_id = f"acled:{repeat['event_id_cnty']}"
    assert conn.execute("SELECT revision FROM events WHERE id = ?", (event_id,)).fetchone()[0] != "1999999999"


def test_a_staged_bulk_reimport_revises_prunes_and_keeps_the_analysts_stars(tmp_path):
    import csv

    db = tmp_path / "t.db"
    assert import_acled(generate(100, tmp_path / "first.csv"), db).added == 100
    conn = connect(db)
    annotations.set_starred(conn, "acled:SYR5", True)
    schema = _schema(conn)
    conn.close()
    # The export a year later, eleven times bigger (a bulk import, staged): its first hundred rows
    # are the same events, one of them revised (its toll) and one gone (ACLED deleted it).
    rows = list(csv.reader(generate(1100, tmp_path / "later.csv").open(newline="", encoding="utf-8")))
    toll, version = rows[0].index("fatalities"), rows[0].index("timestamp")
    rows[1 + 5][toll], rows[1 + 5][version] = "77", "1900000000"
    del rows[1 + 7]
    with (tmp_path / "later.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    dry = import_acled(tmp_path / "later.csv", db, prune=True, dry_run=True)
    assert (dry.added, dry.revised, dry.removed) == (1000, 1, ["acled:SYR7"])
    conn = connect(db)
    assert _staging(conn) == [] and queries.count_events(conn) == 100  # a dry run leaves nothing
    assert _schema(conn) == schema
    conn.close()
    report = import_acled(tmp_path / "later.csv", db, prune=True)
    assert (report.added, report.revised, report.removed) == (1000, 1, ["acled:SYR7"])
    conn = connect(db)
    assert _staging(conn) == []
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert queries.event_detail(conn, "acled:SYR5").fatalities_high == 77
    assert queries.event_detail(conn, "acled:SYR7") is None
    assert queries.event_ids(conn, queries.Filter(starred=True)) == ["acled:SYR5"]
    events, searched, counted = conn.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events_fts_docsize),"
        " (SELECT sum(n) FROM month_counts WHERE facet = 'types' AND month = '*')"
    ).fetchone()
    assert events == searched == counted == 1099
    assert len(queries.event_ids(conn, queries.Filter(search="Place"))) == 1099  # the search index, made again


def test_the_schema_counts_a_bulk_imports_index_as_the_one_it_stands_for(tmp_path):
    from db.schema import make_missing

    db = tmp_path / "t.db"
    import_acled(generate(1000, tmp_path / "acled.csv"), db)  # bulk: its indexes are named staging_...
    conn = connect(db)
    indexes = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    assert any(name.startswith("staging_") for (name,) in indexes)
    make_missing(conn)  # what a migration does after its steps: no index made twice under two names
    assert conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").fetchall() == indexes


# What the detail pane and the export read of an event's sources, and the reads by a document's id:
# each must reach the events by an index through the views of version 14, never read them all.
_BY_INDEX = (
    'SELECT v.event_id, v.path, substr(v.text, v.start + 1, v."end" - v.start) FROM quotes v'
    " WHERE v.event_id IN ('acled:SYR100001', 'acled:SYR100002') ORDER BY v.id",
    "SELECT title, text FROM documents WHERE id = -1",
    "SELECT event_id FROM evidence WHERE document_id = -1",
    "SELECT key FROM documents WHERE key = 'acled:SYR100001'",
    "SELECT event_id FROM evidence WHERE event_id IN ('acled:SYR100001', 'acled:SYR100002')",
)
# The export's, of a list of events given as JSON: a filter holding a subquery, which SQLite pushes
# into no part of the view `quotes`, written into each part. (PostgreSQL takes it into each part;
# it plans the list as of 100 values, and at 3 or 5k events reads them whole for it, as for the
# events' own filter by such a list: db/queries.py's _one_of.)
_BY_INDEX_OF_A_LIST = (
    "SELECT v.event_id, v.text FROM ("
    + quotes_of(lambda column: f"{column} IN (SELECT value FROM json_each('[\"acled:SYR100001\"]'))")
    + ") v ORDER BY v.id",
)


def _reads_all(db, sql: str) -> list[str]:
    """The parts of a statement's plan that read the events whole, or a view's rows whole before
    filtering them: a filter not pushed into the view's parts (SQLite's co-routine of a view's own
    rows, which the filter made, is not one)."""
    if isinstance(db, str):  # PostgreSQL: which index it takes of a few rows is its costs'; the filter is in the part
        import psycopg

        with psycopg.connect(db) as pg:
            pg.execute("SET enable_seqscan = off")
            text = "\n".join(line for (line,) in pg.execute(f"EXPLAIN {dialect.postgres_sql(sql, lambda table: [])}"))
        nodes = re.split(r"\n\s*->\s*", text)  # each node with its conditions
        return [
            node
            for node in nodes
            if (
                re.search(r"Scan (using \w+ )?on (events|acled_notes)\b", node)
                and not re.search(r"(Cond|Filter): .*\b(id|seq)\b", node)
            )
            or (re.match(r"Subquery Scan on (documents|evidence|quotes)\b", node.strip()) and "Filter:" in node)
        ]
    conn = sqlite3.connect(db, isolation_level=None)
    # planned without the statistics, which at three rows make a scan cheapest (a large store's, the indexes)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM sqlite_stat1")
    conn.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    conn.execute("ROLLBACK")
    conn.close()
    return [
        line
        for line in plan
        if re.match(r"SCAN (?!(documents|evidence|quotes|v)$|json_each )", line) or "AUTOMATIC" in line
    ]


def test_an_acled_rows_document_and_quote_are_derived_from_its_event_and_read_by_index(tmp_path, empty_store):
    """Version 14 stores no document or quote for an ACLED row: the views derive them from its
    event and its note (`acled_notes`), numbered -seq, read as stored ones are, and by an index;
    they go with it."""
    db = empty_store
    import_acled(FIXTURES / "acled_current.csv", db)
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM stored_documents").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM stored_evidence").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM documents WHERE kind = 'acled'").fetchone()[0] == 3
    detail = queries.event_detail(conn, "acled:SYR100001")
    (source,) = detail.sources
    seq = conn.execute("SELECT seq FROM events WHERE id = 'acled:SYR100001'").fetchone()[0]
    assert (source.document_id, source.path, source.title) == (-seq, "acled:acled:SYR100001", "ACLED acled:SYR100001")
    assert (source.start, source.end) == (0, len(source.quote)) and source.quote.startswith("On 31 January 2023")
    assert queries.document_text(conn, source.document_id) == ("ACLED acled:SYR100001", source.quote)
    assert queries.quote_in_context(conn, source, 20) == ("", source.quote, "")
    from db.load import find_document

    found = [find_document(conn, given) for given in ("acled:SYR100001", "acled:acled:SYR100001", str(-seq))]
    assert found == [(-seq, "acled", "acled:acled:SYR100001")] * 3
    conn.close()
    for sql in _BY_INDEX + (() if isinstance(db, str) else _BY_INDEX_OF_A_LIST):
        assert _reads_all(db, sql) == [], sql
    result = CliRunner().invoke(main, ["remove", "acled:SYR100001", "--db", str(db)])
    assert result.exit_code == 0, result.output
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM documents WHERE key = 'acled:SYR100001'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM acled_notes").fetchone()[0] == 2
    conn.close()


class _Counted:
    """A store connection that counts the statements sent through it: each execute, and each
    executemany as one (on PostgreSQL psycopg sends an executemany's statements in one pipeline,
    one round trip)."""

    def __init__(self, conn, sent: list[str]) -> None:
        self._conn, self._sent = conn, sent

    def execute(self, sql, *params):
        self._sent.append(sql)
        return self._conn.execute(sql, *params)

    def executemany(self, sql, rows):
        self._sent.append(sql)
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _statements_of_import(path: Path, db, monkeypatch) -> int:
    sent: list[str] = []
    monkeypatch.setattr(acled, "connect", lambda *a, **k: _Counted(connect(*a, **k), sent))
    import_acled(path, db)
    return len(sent)


def test_an_import_sends_a_few_statements_a_batch_not_some_for_each_row(tmp_path, empty_store, monkeypatch):
    # Each new place, actor and alias was a statement of its own (on PostgreSQL a round trip, 13 a
    # row): the trees write them and read what they need a batch at a time. Two imports of the
    # same kind of rows, one twice the other: what the second sends more is what its rows cost.
    small, large = generate_world(1000, tmp_path / "small.csv"), generate_world(2000, tmp_path / "large.csv")
    with contextlib.ExitStack() as stack:
        other = tmp_path / "other.db" if isinstance(empty_store, Path) else stack.enter_context(new_pg_database())
        more = _statements_of_import(large, other, monkeypatch) - _statements_of_import(small, empty_store, monkeypatch)
    assert more / 1000 <= 0.05  # statements a row (each new place, actor and alias its own: 9.5)


def test_the_statistics_after_an_import_leave_the_search_indexs_own_tables_out(tmp_path):
    """ANALYZE counts a table without an index row by row whatever its sampling limit: the search
    index's data (`events_fts_data`, read only by FTS5, by key) was read whole after every write,
    200 MB at 1M events. The tables the planner chooses plans for have their statistics."""
    db = tmp_path / "timeline.db"
    import_acled(FIXTURES / "acled_world.csv", db)
    import_acled(FIXTURES / "acled_week.csv", db)
    conn = sqlite3.connect(db)
    analysed = {table for (table,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    conn.close()
    assert {"events", "event_places", "event_actors", "month_counts", "event_sets", "places"} <= analysed
    assert not {table for table in analysed if table.startswith("events_fts")}


def test_a_reimport_finds_each_rows_stored_version_by_index(tmp_path):
    """A re-import asks the store for the versions and row numbers of each batch's ids: each by
    the events' key on `id`, never a pass over the events (a time growing with the store)."""
    db = tmp_path / "timeline.db"
    import_acled(FIXTURES / "acled_world.csv", db)
    ids = '\'["acled:SYR100001", "acled:TUR300002"]\''
    for sql in (acled._REVISIONS_OF_IDS, acled._SEQS_OF_IDS):
        assert _reads_all(db, sql.format(to="").replace("?", ids)) == [], sql
