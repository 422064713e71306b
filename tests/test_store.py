import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import annotations, queries
from db.schema import DatabaseError, connect
from pipeline import ingest, load
from tests.helpers import SEED, write_article


def export_json(db, *args):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_exported_quote_round_trips_against_the_document_text(seed_store):
    conn = connect(seed_store)
    events = export_json(seed_store)
    assert len(events) >= 12  # the seed articles report 17 incidents (tests/gold)
    for event in events:
        assert event["sources"], event
        for s in event["sources"]:
            text = conn.execute("SELECT text FROM documents WHERE id = ?", (s["document"],)).fetchone()[0]
            assert text[s["start"] : s["end"]] == s["quote"]


def test_json_contract_fields_and_date_order(seed_store):
    events = export_json(seed_store)
    assert set(events[0]) == {
        "id",
        "date",
        "date_start",
        "date_end",
        "precision",
        "type",
        "sub_type",
        "summary",
        "fatalities",
        "independent_sources",
        "disputed",
        "confidence",
        "by_analyst",  # an event the analyst added or split off: confidence null
        "actors",
        "places",
        "sources",
        "reviewed",  # the analyst's layer: db/corrections.py, db/annotations.py
        "review",
        "corrected",
        "starred",
        "tags",
        "note",
    }
    dated = [e["date_start"] for e in events if e["date_start"]]
    assert dated == sorted(dated)
    assert all(e["date"] is None for e in events[len(dated) :])
    assert {e["precision"] for e in events if e["date"]} <= {"day", "week", "month", "season", "year"}


def test_actor_aliases_select_the_same_events(seed_store):
    daesh, isil, isis = (export_json(seed_store, "--actor", a) for a in ("Daesh", "ISIL", "ISIS"))
    assert daesh and daesh == isil == isis


def test_place_spellings_select_the_same_events(seed_store):
    a, b = export_json(seed_store, "--place", "Deir az-Zur"), export_json(seed_store, "--place", "deir ezzor")
    assert a and a == b


def test_the_tehran_attacks_of_june_2017_are_one_event_with_two_sources(seed_store):
    events = export_json(seed_store, "--place", "Tehran", "--since", "2017-06", "--until", "2017-06")
    (attack,) = [e for e in events if e["type"] == "Violence against civilians" or e["sub_type"] == "Attack"]
    assert attack["date"] == "2017-06-07"
    assert len({s["document"] for s in attack["sources"]}) == 2


def test_loading_twice_gives_the_same_ids_and_keeps_stars(seed_store):
    conn = connect(seed_store)
    ids = queries.event_ids(conn, queries.Filter())
    annotations.set_starred(conn, ids[3], True)
    conn.close()
    load(SEED, seed_store)
    conn = connect(seed_store)
    assert queries.event_ids(conn, queries.Filter()) == ids
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [ids[3]]


def test_ingest_adds_an_article_once(seed_store, tmp_path):
    article = write_article(
        tmp_path,
        "new.md",
        "Clashes broke out between the SDF and ISIS in Hajin on Sunday.\n",
        title="Hajin clashes",
        publisher="Test Wire",
        published="2018-12-10",
    )
    first = ingest([article], seed_store)
    assert len(first.added) == 1 and first.ok
    conn = connect(seed_store)
    hajin = queries.event_ids(conn, queries.make_filter(conn, places=["Hajin"], since="2018-12-09", until="2018-12-09"))
    assert len(hajin) == 1
    count = queries.count_events(conn)
    again = ingest([article], seed_store)
    assert again.added == [] and len(again.unchanged) == 1
    assert queries.count_events(connect(seed_store)) == count


def test_bad_files_are_reported_and_the_others_still_load(tmp_path, empty_store):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "good.txt", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    write_article(seed / "articles", "broken.txt", "Text.\n", title="[unclosed", published="2018-12-10")
    write_article(seed / "articles", "impossible.txt", "Text.\n", published="2021-02-30")
    (seed / "articles" / "empty.txt").write_text("")
    (seed / "articles" / "binary.txt").write_bytes(b"\x00\x01\x02")
    report = load(seed, empty_store)
    problems = dict(report.errors)
    bad = ("broken.txt", "impossible.txt", "empty.txt", "binary.txt")
    assert set(problems) == {str(seed / "articles" / n) for n in bad}
    assert "YAML" in problems[str(seed / "articles" / "broken.txt")]
    assert len(report.added) == 1 and report.events == 1


def test_cli_load_exits_1_naming_the_bad_file(tmp_path, empty_store):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "good.txt", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    write_article(seed / "articles", "bad.txt", "x\n", published="yesterday")
    result = CliRunner().invoke(main, ["load", str(seed), "--db", str(empty_store)])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "published" in result.stderr


def test_a_foreign_database_is_refused_not_changed(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE customers (name TEXT)")
    other.commit()
    other.close()
    with pytest.raises(DatabaseError, match="not a timeline database"):
        connect(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_facets_count_under_the_filter_but_ignore_their_own_selection(store_conn):
    isis = queries.resolve_actor(store_conn, "ISIS")
    f = queries.Filter(actors=(isis,))
    facets = queries.facets(store_conn, f)
    total = queries.count_events(store_conn, f)
    assert max(v.count for v in facets.types) <= total
    assert sum(v.count for v in facets.types if v.parent is None) == total
    for v in facets.types:  # each sub-type counts within its type
        assert v.parent is None or v.count <= next(t.count for t in facets.types if t.id == v.parent)
    assert len(facets.actors) == len(queries.facets(store_conn, queries.Filter()).actors)


def test_the_search_index_follows_loads_ingests_and_imports(seed_store, tmp_path):
    """The index keeps no copy of the text: it forgets an event's words only when told them again.
    Its own integrity check compares it with the text, after each kind of write."""
    from db.acled import import_acled

    def check(conn) -> None:
        conn.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")  # raises if they differ

    article = write_article(
        tmp_path / "new", "new.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest([article], seed_store).ok
    conn = connect(seed_store)
    check(conn)
    assert queries.event_ids(conn, queries.Filter(search="ambushed"))
    conn.close()
    assert load(SEED, seed_store, drop_others=True).ok  # the ingested article is not in the seed folder: its events go
    import_acled(Path(__file__).parent / "fixtures" / "acled_current.csv", seed_store)
    conn = connect(seed_store)
    check(conn)
    assert not queries.event_ids(conn, queries.Filter(search="ambushed"))
    assert queries.event_ids(conn, queries.Filter(search="Sweida"))  # an ACLED note


def test_search_syntax_errors_are_clear(store_conn):
    with pytest.raises(queries.QueryError, match="search"):
        queries.event_ids(store_conn, queries.Filter(search="(unbalanced"))
    assert queries.event_ids(store_conn, queries.Filter(search="missile"))
    # a quote left open cannot be FTS5 syntax: its words are searched
    assert queries.event_ids(store_conn, queries.Filter(search='"missile')) == queries.event_ids(
        store_conn, queries.Filter(search="missile")
    )


def test_unknown_actor_is_a_clear_cli_error(seed_store):
    result = CliRunner().invoke(main, ["list", "--db", str(seed_store), "--actor", "Nobody Brigade"])
    assert result.exit_code == 2 and "no actor called 'Nobody Brigade'" in result.stderr


def test_markdown_export_has_headings_quotes_and_footnotes(seed_store, tmp_path):
    out = tmp_path / "out.md"
    result = CliRunner().invoke(
        main, ["export", "--db", str(seed_store), "--actor", "IRGC", "--format", "md", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    md = out.read_text()
    assert md.startswith("# Timeline: Islamic Revolutionary Guard Corps")
    assert "## 2017" in md and "### 2017-06" in md
    assert "  > " in md and "[^1]: " in md
    again = CliRunner().invoke(main, ["export", "--db", str(seed_store), "--format", "md", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert out.read_text() == md


def test_csv_export_has_a_header_and_a_row_per_event(seed_store):
    result = CliRunner().invoke(main, ["export", "--db", str(seed_store), "--format", "csv", "--place", "Albu Kamal"])
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,date,date_start")
    assert len(lines) - 1 == len(export_json(seed_store, "--place", "Albu Kamal"))


def test_a_search_shows_as_first_rows_what_its_whole_timeline_begins_with(tmp_path):
    """A common word's first rows come from a walk of the date order (each event asked of the search
    index), a rare word's from its collected hits: either way the rows the whole timeline begins with."""
    from bench.generate_acled import generate
    from db.acled import import_acled

    db = tmp_path / "t.db"
    import_acled(generate(6000, tmp_path / "acled.csv"), db)
    conn = connect(db)
    walks: list[str] = []
    conn.set_trace_callback(lambda sql: walks.append(sql) if "AS walked" in sql else None)
    army = queries.make_filter(conn, actors=["Syrian government forces"]).actors
    for f in (
        queries.Filter(search="killing"),  # in most notes
        queries.Filter(search="killing", actors=army),
        queries.Filter(search="975"),  # one place's number: a few events
        queries.Filter(search="killing", since=date(2021, 3, 1)),
    ):
        first = queries.first_rows(conn, f, 200)
        whole = queries.timeline_index(conn, f)
        assert list(first.rowids) == list(whole.rowids[:200]), f
        assert sum(n for _, n in first.months) == len(first.rowids)
    assert len(walks) == 3


def test_a_date_window_holds_every_event_overlapping_it_and_no_other(empty_store, tmp_path):
    """Weeks across the first of a month come from the index of events lasting more than a day,
    and an event of a whole year (an analyst's, dated by its year) from the year before the window:
    the walks begin at the month the month counts say the first event lasting into it begins in."""
    from bench.generate_acled import generate
    from db import corrections
    from db.acled import import_acled
    from pipeline import sync_added

    db = empty_store
    import_acled(generate(3000, tmp_path / "acled.csv"), db)
    conn = connect(db)
    spans = conn.execute("SELECT id, date_start, date_end FROM events").fetchall()
    across = next(date.fromisoformat(end).replace(day=1) for _, start, end in spans if start[:7] != end[:7])
    year = across.year  # an event of a whole year, which lasts into its July from its January
    place, actor = conn.execute(
        "SELECT p.id, a.id FROM event_places lp JOIN places p ON p.seq = lp.place_seq, event_actors la"
        " JOIN actors a ON a.seq = la.actor_seq WHERE lp.direct AND la.direct LIMIT 1"
    ).fetchone()
    changes = {"date": str(year), "type": "Armed clash", "places": [place], "actors": {"actor1": [actor]}}
    corrections.add(conn, changes, citation="a report")
    sync_added(db)
    spans = conn.execute("SELECT id, date_start, date_end FROM events").fetchall()
    assert (f"{year}-01-01", f"{year}-12-31") in {(start, end) for _, start, end in spans}
    windows = [(across, across.replace(day=28)), (across, None), (date(2001, 1, 1), date(2001, 1, 1))]
    windows += [
        (date(year, 7, 1), date(year, 7, 31)),
        (date(year, 12, 15), None),
        (date(year, 6, 30), date(year, 7, 1)),
    ]
    for since, until in windows:
        expected = {
            i for i, start, end in spans if end >= since.isoformat() and (until is None or start <= until.isoformat())
        }
        assert set(queries.event_ids(conn, queries.Filter(since=since, until=until))) == expected
    assert any(start < across.isoformat() <= end for _, start, end in spans)  # the window begins inside a week


def test_a_list_longer_than_a_page_comes_whole_in_order_its_first_page_before_the_rest_is_read(empty_store, tmp_path):
    """`list` and `export` walk the date order a page at a time (store.batches): every event, in
    order, the first page read before the rest. On SQLite the cursor steps through the result as
    it is read (counted in the engine's steps); on PostgreSQL the rest waits in a cursor on the
    server, where psycopg's own cursor would receive the whole result before the first row. A
    commit between pages (a star) does not end the walk; a walk given up leaves no cursor open."""
    from bench.generate_acled import generate
    from db.acled import import_acled

    import_acled(generate(1200, tmp_path / "acled.csv"), empty_store)
    conn = connect(empty_store)
    expected = queries.event_ids(conn, queries.Filter())
    postgres = isinstance(empty_store, str)

    def open_cursors() -> list[str]:
        return [r[0] for r in conn.execute("SELECT statement FROM pg_cursors")] if postgres else []

    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # go on

    if not postgres:
        conn.set_progress_handler(step, 100)
    pages = queries.id_pages(conn, queries.Filter(), size=100)
    first = next(pages)
    read_first = steps[0]
    assert first == expected[:100]
    if postgres:
        (walk,) = open_cursors()
        assert walk.startswith("DECLARE") and "ORDER BY" in walk
    annotations.set_starred(conn, first[0], True)  # a write, committed, between two pages
    rest = [i for page in pages for i in page]
    assert first + rest == expected
    assert open_cursors() == [] and not conn.in_transaction
    if not postgres:
        assert read_first * 5 < steps[0]
    given_up = queries.id_pages(conn, queries.Filter(), size=100)
    next(given_up)
    given_up.close()
    assert open_cursors() == [] and not conn.in_transaction
    listed = CliRunner().invoke(main, ["list", "--db", str(empty_store)])
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()[1:]] == expected


def _statements_run(conn, read) -> int:
    """How many statements `read(conn)` sends: SQLite's traced statements, or PostgreSQL's wire
    messages that end one (libpq's trace of the protocol: a Sync, or a simple Query)."""
    import tempfile

    if isinstance(conn, sqlite3.Connection):
        sent: list[str] = []
        conn.set_trace_callback(sent.append)
        read(conn)
        conn.set_trace_callback(None)
        return len(sent)
    with tempfile.TemporaryFile("w+") as trace:
        conn.raw.pgconn.trace(trace.fileno())
        read(conn)
        conn.raw.pgconn.untrace()
        trace.seek(0)
        wire = trace.read()
    return wire.count("\tSync") + wire.count("\tQuery\t")


def test_the_details_of_a_page_of_events_take_the_same_statements_however_many_it_holds(seed_store):
    """An export reads its events' details a page at a time: a statement per kind of detail (rows,
    links, quotes, what each source said, their names, countries, tags), never one per event or per
    country, which on PostgreSQL is a round trip each."""
    from db.acled import import_acled

    import_acled(Path(__file__).parent / "fixtures" / "acled_world.csv", seed_store)  # four countries
    conn = connect(seed_store)
    ids = queries.event_ids(conn, queries.Filter())
    details = queries.event_details(conn, ids)
    several = next(d.event.id for d in details if d.sources and any(s.says for s in d.sources) and d.event.sources > 1)
    assert len({p.country for d in details for p in d.places}) >= 4
    two = _statements_run(conn, lambda c: queries.event_details(c, [several, ids[-1]]))
    assert _statements_run(conn, lambda c: queries.event_details(c, ids)) == two


def test_a_cursor_told_no_row_factory_gives_plain_tuples_else_rows_read_by_name(store_conn):
    """As sqlite3's: `row_factory = None` gives plain tuples, made by the driver without a call
    in Python per row (a search's hundred thousand hits, the app's index); a cursor left as it
    is gives rows read by name too."""
    plain = store_conn.cursor()
    plain.row_factory = None
    rows = plain.execute("SELECT seq, id FROM events ORDER BY seq").fetchmany(5)
    assert rows and all(type(r) is tuple for r in rows)
    named = store_conn.cursor().execute("SELECT seq, id FROM events ORDER BY seq").fetchone()
    assert (named["seq"], named["id"]) == tuple(rows[0]) == tuple(named)


def test_a_place_and_an_actor_only_one_source_names_are_stored_with_it(store_conn):
    """A source may name a place or an actor its event, merged from several sources, does not
    keep: what that source said is stored beside the event, and the names it points at with it
    (the trees write a batch at a time: these come after the event's own links were sent)."""
    from dataclasses import replace

    from db.load import stored_articles, write_events
    from ingest.extract import extract
    from ingest.geo import Place
    from ingest.merge import merge

    docs = stored_articles(store_conn)
    events = merge([e for _, a in docs for e in extract(a)[0]])
    event = next(e for e in events if e.tellings)
    hamlet = Place("test:only-one-source", "Only One Source Hamlet", "SY", None, 35.0, 38.0, 0, "town")
    event.tellings[0] = replace(event.tellings[0], places=(*event.tellings[0].places, hamlet))
    with store_conn:
        write_events(store_conn, events, docs)
    stored = store_conn.execute("SELECT name FROM places WHERE id = ?", (hamlet.id,)).fetchall()
    assert [tuple(r) for r in stored] == [("Only One Source Hamlet",)]
    said = store_conn.execute("SELECT places FROM event_sources WHERE places LIKE '%only-one-source%'").fetchall()
    assert len(said) == 1
