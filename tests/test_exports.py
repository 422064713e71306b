"""Exports other tools open: each checked by a reader of its format (geojson for RFC 7946, JSON
Schema written from the TimelineJS3 and Timesketch documentation, and for ACLED's columns our own
`timeline import acled`), on the seed database and on ACLED rows imported from real files."""

# Each test of what an export holds runs on both stores (seed_store, empty_store); on SQLite
# alone: a write cut by a file-size limit (RLIMIT_FSIZE on the child, which writes SQLite's
# shared-memory file too).

import csv
import json
import re
import resource
import signal
import subprocess
from datetime import datetime
from pathlib import Path

import geojson
import jsonschema
import pytest
from click.testing import CliRunner
from textual.widgets import Input

from bench.generate_acled import generate
from cli import main
from db import queries
from db.acled import import_acled
from db.annotations import add_tags
from db.schema import connect
from tests.helpers import CLI, ROOT, settle, without_bytecode
from tui.app import TimelineApp
from tui.screens import ExportPrompt

FIXTURES = Path(__file__).parent / "fixtures"
ACLED_HEADER = (FIXTURES / "acled_current.csv").read_text().splitlines()[0]


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["export", "--db", str(db), *args])


def export(db: Path, fmt: str, *args: str) -> tuple[str, str]:
    result = run(db, "--format", fmt, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


@pytest.fixture
def odd_rows(tmp_path, empty_store) -> Path | str:
    """ACLED rows with what the formats must escape or leave empty: markup and an ampersand in the
    notes, a place the gazetteer lacks and without a point, a week, a month. On each store."""
    csv_path = tmp_path / "odd.csv"
    csv_path.write_text(
        ACLED_HEADER
        + "\n"
        + "TST1,2023-02-01,2023,1,Political violence,Violence against civilians,Attack,Unidentified Armed Group"
        " (Syria),,3,Civilians (Syria),,7,37,Civilian targeting,760,Middle East,Syria,Idlib,,,Qaryat Nowhere,,,2,"
        'SOHR,National,"Gunmen <script>alert(1)</script> shot a man & his son.",2,,1675728000\n'
        + "TST2,2023-02-08,2023,2,Demonstrations,Protests,Peaceful protest,Protesters (Syria),,6,,,0,60,,760,"
        "Middle East,Syria,As-Suwayda,,,As-Suwayda,32.70,36.56,1,Suwayda 24,Local,Residents protested.,0,,1675728000\n"
        + "TST3,2023-03-15,2023,3,Political violence,Battles,Armed clash,Islamic State (Syria),,2,"
        "Military Forces of Syria (2000-),,1,12,,760,Middle East,Syria,Deir ez-Zor,,,Thiban,35.0111,40.5617,1,"
        "SOHR,National,Clashes near Thiban.,,,1675728000\n",
        encoding="utf-8",
    )
    db = empty_store
    assert import_acled(csv_path, db).added == 3
    return db


# ---- GeoJSON --------------------------------------------------------------------------------


def test_geojson_is_a_valid_feature_collection_with_lon_lat_points(seed_store):
    text, _ = export(seed_store, "geojson")
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    events = json.loads(export(seed_store, "json")[0])
    assert [f["id"] for f in collection["features"]] == [e["id"] for e in events]
    for feature, event in zip(collection["features"], events, strict=True):
        props = feature["properties"]
        at = next(p for p in event["places"] if p["name"] == props["place"])
        assert feature["geometry"]["coordinates"] == [at["lon"], at["lat"]]  # RFC 7946: longitude first
        assert (props["date"], props["precision"], props["type"], props["sub_type"]) == (
            event["date"],
            event["precision"],
            event["type"],
            event["sub_type"],
        )
        assert (
            props["source_count"] == len({s["document"] for s in event["sources"]})
            and props["summary"] == event["summary"]
        )
        assert [p["admin1"] for p in props["places"]] == [p["admin1"] for p in event["places"]]
        assert props["country"] == at["country"] and props["fatalities"] == event["fatalities"]


def test_geojson_event_without_a_point_has_null_geometry(odd_rows):
    collection = geojson.loads(export(odd_rows, "geojson")[0])
    assert collection.is_valid, collection.errors()
    nowhere = next(f for f in collection["features"] if f["id"] == "acled:TST1")
    assert nowhere["geometry"] is None and nowhere["properties"]["place"] is None
    assert nowhere["properties"]["places"][0]["name"] == "Qaryat Nowhere"


# ---- TimelineJS -----------------------------------------------------------------------------

# TimelineJS3's JSON format as its documentation describes it (timeline.knightlab.com/docs/json-format):
# a date is an object with a required year and optional month and day, as numbers or numeric
# strings; a slide has a start_date, optional end_date, text {headline, text}, group and unique_id.
# unique_id: TimelineJS slugs an id into the page's address; an id already a slug is kept as written.
_TL_DATE = {
    "type": "object",
    "required": ["year"],
    "properties": {
        "year": {"type": "string", "pattern": r"^-?\d+$"},
        "month": {"type": "string", "pattern": r"^([1-9]|1[0-2])$"},
        "day": {"type": "string", "pattern": r"^([1-9]|[12]\d|3[01])$"},
        "display_date": {"type": "string"},
    },
    "additionalProperties": False,
}
_TL_TEXT = {
    "type": "object",
    "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
    "additionalProperties": False,
}
TIMELINEJS = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "title": {"type": "object", "properties": {"text": _TL_TEXT}, "required": ["text"]},
        "events": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["start_date", "text"],
                "properties": {
                    "start_date": _TL_DATE,
                    "end_date": _TL_DATE,
                    "text": _TL_TEXT,
                    "group": {"type": "string"},
                    "unique_id": {"type": "string", "pattern": r"^[a-z_][a-z0-9-]*$"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def test_timelinejs_follows_the_documented_format_at_each_events_precision(seed_store):
    text, err = export(seed_store, "timelinejs")
    timeline = json.loads(text)
    jsonschema.validate(timeline, TIMELINEJS)
    events = [e for e in json.loads(export(seed_store, "json")[0]) if e["date"]]
    slides = timeline["events"]
    assert len(slides) == len(events) and len({s["unique_id"] for s in slides}) == len(slides)
    assert "1 undated event left out" in err
    for slide, event in zip(slides, events, strict=True):
        start = slide["start_date"]
        parts = {"year": 1, "month": 2, "season": 2, "week": 3, "day": 3}[event["precision"]]
        assert list(start) == ["year", "month", "day"][:parts]
        y, m, d = (int(x) for x in event["date_start"].split("-"))
        assert [int(v) for v in start.values()] == [y, m, d][:parts]
        assert ("end_date" in slide) == (event["precision"] in ("week", "season"))
        assert slide["group"] == event["type"]
        assert slide["text"]["text"].count("<blockquote>") == len(event["sources"])


def test_timelinejs_escapes_the_quotes_html(odd_rows):
    slide = next(s for s in json.loads(export(odd_rows, "timelinejs")[0])["events"] if "tst1" in s["unique_id"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in slide["text"]["text"] and "<script>" not in slide["text"]["text"]
    assert "&amp; his son" in slide["text"]["text"] and "SOHR" in slide["text"]["text"]


# ---- Timesketch -----------------------------------------------------------------------------

# Timesketch's JSONL import (timesketch.org, "Create timeline from JSONL or CSV file"): each line a
# JSON object with message, datetime (ISO 8601) and timestamp_desc; timestamp in microseconds.
TIMESKETCH_LINE = {
    "type": "object",
    "required": ["message", "datetime", "timestamp_desc", "timestamp"],
    "properties": {
        "message": {"type": "string", "minLength": 1},
        "datetime": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"},
        "timestamp_desc": {"type": "string", "minLength": 1},
        "timestamp": {"type": "integer"},
    },
}


def test_timesketch_lines_have_its_fields_and_skip_undated_events_saying_how_many(seed_store):
    text, err = export(seed_store, "timesketch")
    lines = [json.loads(line) for line in text.splitlines()]
    events = json.loads(export(seed_store, "json")[0])
    dated = [e for e in events if e["date_start"]]
    assert len(lines) == len(dated) < len(events)
    assert err.splitlines()[0] == "timeline: 1 undated event left out: Timesketch needs a date"
    for line, event in zip(lines, dated, strict=True):
        jsonschema.validate(line, TIMESKETCH_LINE)
        when = datetime.fromisoformat(line["datetime"])
        assert line["timestamp"] == int(when.timestamp()) * 1_000_000
        assert when.date().isoformat() == event["date_start"]
        assert (line["event_id"], line["event_type"], line["message"]) == (event["id"], event["type"], event["summary"])
        assert all(not isinstance(v, dict | list) for v in line.values())  # flat attributes


# ---- ACLED's columns ------------------------------------------------------------------------


def store(db: Path) -> dict[str, tuple]:
    """Each event as the store holds it: dates, types, fatalities, actors (name as written, role,
    kind and group), places, quotes and sources."""
    conn = connect(db)
    out = {}
    for e in conn.execute("SELECT * FROM events"):
        detail = queries.event_detail(conn, e["id"])
        actors = sorted(
            (tuple("" if v is None else v for v in r))
            for r in conn.execute(
                "SELECT a.name, ea.named, ea.role, a.id, a.kind, a.parent FROM event_actors ea"
                " JOIN actors a ON a.seq = ea.actor_seq WHERE ea.event_seq = ?",
                (e["seq"],),
            )
        )
        out[e["id"]] = (
            (e["date"], e["date_start"], e["date_end"], e["precision"], e["type"], e["sub_type"], e["fatalities"]),
            actors,
            [(p.id, p.name, p.country, p.admin1, p.lat, p.lon) for p in detail.places],
            [(s.quote, s.publisher) for s in detail.sources],
        )
    return out


def test_acled_export_of_acled_rows_imports_back_to_the_same_events(tmp_path, odd_rows):
    for fixture in ("acled_current.csv", "acled_world.csv", "acled_2020_api.csv"):
        import_acled(FIXTURES / fixture, odd_rows)
    out = tmp_path / "export.csv"
    result = run(odd_rows, "--format", "acled", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text().splitlines()[0] == ACLED_HEADER
    again = tmp_path / "again.db"
    report = import_acled(out, again)
    assert report.bad_rows == [] and report.added == len(store(odd_rows))
    assert store(again) == store(odd_rows)


def test_acled_export_of_articles_gives_back_their_dates_types_actors_and_places(seed_store, tmp_path):
    out = tmp_path / "seed.acled.csv"
    result = run(seed_store, "--format", "acled", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # undated, and a season (Sep-Dec): ACLED dates to a day, a week or a month
    assert "1 undated event left out" in result.stderr and "2 events spanning more than a month" in result.stderr
    assert "1 event written at ACLED's week or month" in result.stderr  # an 8-day span: its month
    back = store_by_article_id(tmp_path / "back.db", out)
    original = store(seed_store)
    assert len(back) == len(original) - 3
    for event_id, (facts, actors, places, quotes) in back.items():
        was_facts, was_actors, was_places, was_quotes = original[event_id]
        if was_facts[3] in ("day", "month"):
            assert facts == was_facts
        else:  # widened to the month that holds it
            assert facts[1] <= was_facts[1] and facts[2] >= was_facts[2] and facts[4:] == was_facts[4:]
        assert {a[0] for a in actors} <= {a[0] for a in was_actors}
        assert [a[0] for a in actors if a[2] == "actor1"][:1] == [a[0] for a in was_actors if a[2] == "actor1"][:1]
        assert places[0][:4] in [p[:4] for p in was_places]
        assert quotes[0][0] == " ".join(dict.fromkeys(q for q, _ in was_quotes))


def store_by_article_id(db: Path, csv_path: Path) -> dict[str, tuple]:
    assert import_acled(csv_path, db).bad_rows == []
    return {event_id.removeprefix("acled:"): value for event_id, value in store(db).items()}


# ---- bad input ------------------------------------------------------------------------------


def test_an_unknown_format_is_one_line_and_status_2(seed_store):
    result = run(seed_store, "--format", "kml")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "unknown format 'kml'" in result.stderr and "geojson" in result.stderr


@pytest.mark.parametrize("fmt", ["geojson", "timelinejs", "timesketch", "acled"])
def test_an_existing_file_is_kept_without_force_and_replaced_with_it(seed_store, tmp_path, fmt):
    out = tmp_path / "out"
    out.write_text("mine")
    refused = run(seed_store, "--format", fmt, "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr and out.read_text() == "mine"
    assert len(refused.stderr.splitlines()) == 1
    assert run(seed_store, "--format", fmt, "-o", str(out), "--force").exit_code == 0
    assert out.read_text() == export(seed_store, fmt)[0]


@pytest.mark.parametrize("where", ["folder", "under-a-file/out.json", "/proc/version"])
def test_a_path_that_cannot_be_written_is_one_line_and_status_2(seed_store, tmp_path, where):
    (tmp_path / "folder").mkdir()
    (tmp_path / "under-a-file").write_text("a file, not a folder")
    target = where if where.startswith("/") else str(tmp_path / where)
    result = run(seed_store, "--format", "geojson", "-o", target, "--force")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"timeline: {target}:")


def test_a_write_that_fails_midway_leaves_no_file_and_says_so(tmp_path):
    """A file-size limit makes the write fail after its first 64 KB, as a full disk does (the
    database's own shared-memory file needs 32 KB)."""
    db, out = tmp_path / "t.db", tmp_path / "out" / "big.geojson"
    import_acled(generate(2000, tmp_path / "acled.csv"), db)
    out.parent.mkdir()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    done = subprocess.run(
        [*CLI, "export", "--db", str(db), "--format", "geojson", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        env=without_bytecode(),
    )
    assert done.returncode == 1 and "nothing written" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and list(out.parent.iterdir()) == []


def test_an_export_of_more_events_than_a_page_is_whole_and_in_order_in_every_format(tmp_path, empty_store):
    """An export is written a page of details at a time (memory flat whatever its size): the
    pages join into one document, in the timeline's order, and what counts the events (a report's
    "N events.", the TimelineJS title, the footnotes' numbers) counts them all."""
    db = empty_store
    n = 2 * queries.DETAIL_CHUNK + 100
    import_acled(generate(n, tmp_path / "acled.csv"), db)
    order = queries.event_ids(connect(db), queries.Filter())
    assert len(order) == n

    assert [e["id"] for e in json.loads(export(db, "json")[0])] == order
    assert [f["id"] for f in geojson.loads(export(db, "geojson")[0])["features"]] == order
    assert [r["id"] for r in csv.DictReader(export(db, "csv")[0].splitlines())] == order
    assert [json.loads(line)["event_id"] for line in export(db, "timesketch")[0].splitlines()] == order
    assert ["acled:" + r["event_id_cnty"] for r in csv.DictReader(export(db, "acled")[0].splitlines())] == order
    slides = json.loads(export(db, "timelinejs")[0])
    assert len(slides["events"]) == n and slides["title"]["text"]["text"] == f"<p>{n} events</p>"
    report = export(db, "md")[0]
    assert f"\n{n} events.\n" in report and report.count("\n- **") == n
    assert [int(x) for x in re.findall(r"^\[\^(\d+)\]:", report, re.M)] == list(range(1, n + 1))


def test_each_events_tags_are_exported_in_the_order_added_whatever_its_page(tmp_path, empty_store):
    """An export reads a page's tags in one statement: each event gets its own, in the order they
    were added (not by name), on the first page and the last."""
    db = empty_store
    import_acled(generate(queries.DETAIL_CHUNK + 10, tmp_path / "acled.csv"), db)
    conn = connect(db)
    order = queries.event_ids(conn, queries.Filter())
    first, last = order[0], order[-1]
    add_tags(conn, last, ["zeta"])
    add_tags(conn, first, ["beta"])
    add_tags(conn, last, ["alpha", "mu"])
    tags = {e["id"]: e["tags"] for e in json.loads(export(db, "json")[0])}
    assert tags[first] == ["beta"] and tags[last] == ["zeta", "alpha", "mu"]
    assert [i for i, t in tags.items() if t] == [first, last]


# ---- the app --------------------------------------------------------------------------------


async def test_e_asks_a_format_and_a_file_and_writes_it_off_the_ui_thread(seed_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportPrompt)
        # shift+tab to the format, open it, down to GeoJSON (md, json, csv, geojson), choose, back to the file
        await pilot.press("shift+tab", "enter", "down", "down", "down", "enter", "tab")
        await pilot.pause()
        assert app.screen.query_one("#prompt-input", Input).value == "timeline-export.geojson"
        await pilot.press("enter")
        await settle(pilot, app)
    collection = geojson.loads((tmp_path / "timeline-export.geojson").read_text())
    assert collection.is_valid and len(collection["features"]) == queries.count_events(connect(seed_store))


def test_a_source_is_a_document_in_every_format_however_many_of_its_sentences_are_quoted(tmp_path, empty_store):
    """Two articles, each telling one car bombing in its headline and twice in its text: two sources,
    one footnote each in Markdown, each sentence quoted once."""
    from pipeline import ingest
    from tests.helpers import write_article

    body = (
        "Car bomb kills five in Azaz\n\nA car bomb killed five people at a market in Azaz on Monday,"
        " the local council said. The car bomb in Azaz also wounded twelve people.\n"
    )
    files = [
        write_article(
            tmp_path, f"{name}.md", f"{body}{name}\n", published="2020-01-02", publisher=name, title=f"{name} report"
        )
        for name in ("Courier", "Herald")
    ]
    db = empty_store
    ingest(files, db)
    (event,) = json.loads(export(db, "json")[0])
    assert len(event["sources"]) > 2  # quotes: more than the documents
    (row,) = list(csv.DictReader(export(db, "csv")[0].splitlines()))
    assert row["sources"] == "2" and row["source_titles"] == "Courier report; Herald report"
    (feature,) = json.loads(export(db, "geojson")[0])["features"]
    assert feature["properties"]["source_count"] == 2
    markdown = export(db, "md")[0]
    assert "2 reports, 1 independent." in markdown  # near-identical texts: one counted with the other
    assert [line for line in markdown.splitlines() if line.startswith("[^")] == [
        "[^1]: Courier report, Courier, 2020-01-02.",
        "[^2]: Herald report, Herald, 2020-01-02.",
    ]
    quotes = [line for line in markdown.splitlines() if line.startswith("  > ")]
    assert len(quotes) == len(set(quotes))
    stats = CliRunner().invoke(main, ["stats", "--db", str(db)]).stdout
    assert f"quotes      {len(event['sources'])}" in stats and "documents   2" in stats


def test_an_export_file_takes_the_umask_or_the_mode_of_the_file_it_replaces(tmp_path, empty_store):
    db = empty_store
    import_acled(FIXTURES / "acled_current.csv", db)
    run_with_umask = [*CLI, "export", "--db", str(db), "--format", "csv", "-o"]
    subprocess.run(["sh", "-c", 'umask 022 && exec "$@"', "sh", *run_with_umask, str(tmp_path / "a.csv")], check=True)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
    (tmp_path / "b.csv").write_text("old")
    (tmp_path / "b.csv").chmod(0o640)
    subprocess.run([*run_with_umask, str(tmp_path / "b.csv"), "--force"], check=True)
    assert (tmp_path / "b.csv").stat().st_mode & 0o777 == 0o640


def test_a_geojson_point_is_at_the_events_most_precise_place_and_says_how_precise(tmp_path, empty_store):
    from pipeline import ingest
    from tests.helpers import write_article

    body = "Government forces in Idlib province shelled Saraqib on Monday, killing three people.\n"
    ingest([write_article(tmp_path, "a.md", body, published="2020-01-08")], empty_store)
    (event,) = json.loads(export(empty_store, "json")[0])
    assert [p["name"] for p in event["places"]] == ["Idlib", "Saraqib"]  # the division first
    (feature,) = json.loads(export(empty_store, "geojson")[0])["features"]
    saraqib = event["places"][1]
    assert feature["geometry"]["coordinates"] == [saraqib["lon"], saraqib["lat"]]
    assert (feature["properties"]["place"], feature["properties"]["point_precision"]) == ("Saraqib", "town")
