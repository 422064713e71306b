"""What each source of an event says, which sources are independent, and the filters on trust:
on articles written for these tests (tests/fixtures/sources/articles): two outlets that disagree
on who struck Saraqib and how many died, and an AFP dispatch run by three outlets (one of them
without the credit) beside a local report of the same car bomb."""

import csv
import io
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import queries
from db.acled import import_acled
from db.schema import SCHEMA_VERSION, connect
from ingest.dates import Interval
from ingest.geo import Place
from ingest.merge import disputes
from ingest.model import Article, Fatalities, Telling
from ingest.wires import near_identical, shingles, wire_of
from pipeline import load
from tests.helpers import ROOT, settle, store_v4
from tui.app import TimelineApp
from tui.timeline_view import TimelineView

SOURCES = ROOT / "tests" / "fixtures" / "sources"
ACLED = ROOT / "tests" / "fixtures" / "acled_current.csv"


@pytest.fixture(scope="module")
def sources_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sources") / "timeline.db"
    assert load(SOURCES, path).ok
    return path


@pytest.fixture
def db(sources_master, tmp_path) -> Path:
    path = tmp_path / "timeline.db"
    shutil.copy(sources_master, path)
    return path


def event_at(conn, place: str) -> queries.EventDetail:
    (event_id,) = queries.event_ids(conn, queries.make_filter(conn, places=[place]))
    detail = queries.event_detail(conn, event_id)
    assert detail is not None
    return detail


def by_publisher(detail: queries.EventDetail) -> dict[str, queries.Source]:
    return {s.publisher or "": s for s in detail.sources}


# ---- what each source says --------------------------------------------------------------------


def test_each_source_keeps_what_it_said_and_the_event_marks_what_they_dispute(db):
    conn = connect(db)
    saraqib = event_at(conn, "Saraqib")
    assert saraqib.event.disputed == ("perpetrator", "fatalities")
    told = {p: s.says for p, s in by_publisher(saraqib).items()}
    rescuers, observatory = told["Syria Direct"], told["Levant Monitor"]
    assert rescuers and observatory
    assert (rescuers.fatalities, rescuers.fatalities_raw) == (12, "killing 12")
    assert (observatory.fatalities, observatory.fatalities_raw) == (31, "killed 31")
    assert rescuers.actors == [("Syrian government forces", "actor1")]
    assert observatory.actors == [("Russian forces", "actor1")]
    for says in (rescuers, observatory):  # what they agree on, each with the words that dated it
        assert (says.date, says.precision, says.date_expression) == ("2019-05-10", "day", "on Friday")
        assert says.places[0] == "Saraqib" and says.sub_type == "Air/drone strike"
    # the event's toll is the range of the counts; the higher of two is its figure
    assert (saraqib.event.fatalities, saraqib.fatalities_low, saraqib.fatalities_high) == (31, 12, 31)


def test_sources_that_agree_within_the_rules_dispute_nothing(db):
    """The car bomb in Azaz: 9 dead in the AFP dispatch, 11 in the local report (less than x1.5
    apart); the local report names no target, which disputes nothing."""
    conn = connect(db)
    azaz = event_at(conn, "Azaz")
    assert azaz.event.disputed == ()
    assert sorted(s.says.fatalities or 0 for s in by_publisher(azaz).values() if s.says) == [9, 9, 9, 11]
    assert not queries.event_ids(conn, queries.Filter(disputed=True, places=(azaz.places[0].id,)))


def telling(doc: str, *, day: date | None = None, place: Place | None = None, toll: int | None = None, doer=None):
    return Telling(
        doc,
        Interval(day, day, "day") if day else None,
        None,
        "Explosions/Remote violence",
        "Air/drone strike",
        ((doer, "actor1"),) if doer else (),
        (place,) if place else (),
        Fatalities(toll, toll, toll, str(toll)) if toll is not None else None,
    )


def place(pid: str, name: str, kind: str, admin1: str | None) -> Place:
    return Place(pid, name, "SY", admin1, None, None, 0, kind)


def test_the_rules_of_a_dispute():
    """A week apart, a place neither inside the other, counts more than x1.5 apart. The merge
    never joins reports dated a week apart, so the date rule is taken on its own."""
    aleppo_city = place("gn:1", "Aleppo", "city", "Aleppo")
    aleppo = place("a1:SY.09", "Aleppo", "admin1", "Aleppo")
    homs = place("gn:2", "Homs", "city", "Homs")
    may = date(2019, 5, 10)
    assert disputes([telling("a", day=may), telling("b", day=date(2019, 5, 16))]) == []
    assert disputes([telling("a", day=may), telling("b", day=date(2019, 5, 17))]) == ["date"]
    assert disputes([telling("a", place=aleppo_city), telling("b", place=aleppo)]) == []
    assert disputes([telling("a", place=aleppo_city), telling("b", place=homs)]) == ["place"]
    assert disputes([telling("a", toll=10), telling("b", toll=15)]) == []
    assert disputes([telling("a", toll=10), telling("b", toll=16), telling("c")]) == ["fatalities"]


# ---- independent sources ----------------------------------------------------------------------


def test_a_wire_dispatch_and_its_copies_count_once(db):
    conn = connect(db)
    azaz = event_at(conn, "Azaz")
    assert (azaz.event.sources, azaz.event.publishers, azaz.event.independent_sources) == (4, 4, 2)
    sources = by_publisher(azaz)
    first = sources["Ahram Online"]
    assert first.wire == "AFP" and first.counted_with is None
    assert sources["France 24"].wire == "AFP" and sources["France 24"].counted_with == first.document_id
    # no credit, the same text: a copy all the same
    assert sources["The New Arab"].wire is None and sources["The New Arab"].counted_with == first.document_id
    assert sources["Hawar News"].counted_with is None
    saraqib = event_at(conn, "Saraqib")
    assert (saraqib.event.sources, saraqib.event.independent_sources) == (2, 2)


@pytest.mark.parametrize(
    "publisher, author, text, agency",
    [
        ("Ahram Online", None, "BEIRUT (AFP) - A car bomb killed nine.", "AFP"),
        ("Ahram Online", None, "Saturday 6 Aug 2016 Air raids kill 10 near hospital Monitor AFP A barrage", "AFP"),
        ("Reuters", None, "A car bomb killed nine.", "Reuters"),
        ("Daily Star", "By The Associated Press", "A car bomb killed nine.", "AP"),
        ("Daily Star", None, "A car bomb killed nine, the police said.\n\n- Reuters", "Reuters"),
        ("Daily Star", None, "A car bomb killed nine, state news agency SANA said.", None),
        ("Daily Star", None, "A car bomb killed nine, a witness told AFP.", None),
        ("Daily Star", None, "A car bomb killed nine, according to Reuters.", None),
        ("Daily Star", None, "A snapshot of the wrap on the map.", None),  # "ap", "AP" inside words
    ],
)
def test_a_wire_dispatch_is_told_by_its_byline_or_dateline_not_by_a_citation(publisher, author, text, agency):
    assert wire_of(Article("a.txt", text, publisher=publisher, author=author)) == agency


def test_near_identical_texts_are_a_trimmed_or_extended_copy_not_a_report_of_the_same_incident():
    articles = {p.stem: p.read_text(encoding="utf-8").split("---", 2)[2] for p in (SOURCES / "articles").iterdir()}
    assert near_identical(shingles(articles["azaz_ahram"]), shingles(articles["azaz_france24"]))  # trimmed
    assert near_identical(shingles(articles["azaz_new_arab"]), shingles(articles["azaz_ahram"]))
    assert not near_identical(shingles(articles["azaz_hawar"]), shingles(articles["azaz_ahram"]))
    assert not near_identical(shingles(articles["saraqib_rescuers"]), shingles(articles["saraqib_observatory"]))


# ---- the filters, the export, the store -------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def summaries(db: Path, *options: str) -> list[str]:
    code, out = run("list", "--db", str(db), *options)
    assert code == 0, out
    return [line.split("\t")[-1] for line in out.splitlines()[1:]]


def test_list_and_export_filter_on_disputes_and_independent_sources(db):
    assert len(summaries(db)) == 2
    (disputed,) = summaries(db, "--disputed")
    assert "Saraqib" in disputed
    assert len(summaries(db, "--sources", "2")) == 2
    assert summaries(db, "--sources", "3") == []
    assert summaries(db, "--sources", "2", "--place", "Azaz", "--disputed") == []
    code, out = run("export", "--db", str(db), "--disputed", "--format", "json")
    assert code == 0
    (event,) = json.loads(out)
    assert event["disputed"] == ["perpetrator", "fatalities"] and event["independent_sources"] == 2
    says = sorted((s["says"]["fatalities"], s["says"]["fatalities_quote"], s["publisher"]) for s in event["sources"])
    assert says == [(12, "killing 12", "Syria Direct"), (31, "killed 31", "Levant Monitor")]
    code, out = run("export", "--db", str(db), "--place", "Azaz")
    (azaz,) = json.loads(out)
    assert (
        azaz["disputed"] == []
        and azaz["independent_sources"] == 2
        and len({s["document"] for s in azaz["sources"]}) == 4
    )
    code, out = run("list", "--db", str(db), "--sources", "0")
    assert code == 2 and "--sources" in out


def test_csv_and_markdown_say_how_many_sources_are_independent_and_what_they_dispute(db):
    code, out = run("export", "--db", str(db), "--format", "csv")
    assert code == 0, out
    rows = {r["places"].split("; ")[0]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["Saraqib"]["independent_sources"], rows["Saraqib"]["disputed"]) == ("2", "perpetrator; fatalities")
    assert (rows["Azaz"]["independent_sources"], rows["Azaz"]["disputed"]) == ("2", "")
    code, out = run("export", "--db", str(db), "--format", "md")
    assert (
        code == 0 and "4 reports, 2 independent." in out and "Its sources disagree on: perpetrator, fatalities." in out
    )


def test_an_acled_row_is_one_source_that_says_what_it_holds(db):
    assert import_acled(ACLED, db).added == 3
    code, out = run("export", "--db", str(db), "--sources", "1")
    assert code == 0
    rows = [e for e in json.loads(out) if e["id"].startswith("acled:")]
    assert len(rows) == 3
    for e in rows:
        assert e["disputed"] == [] and e["independent_sources"] == 1
        (source,) = e["sources"]
        assert source["says"]["fatalities"] == e["fatalities"] and source["says"]["date"] == e["date"]
        assert source["says"]["actors"] == [{"name": a["name"], "role": a["role"]} for a in e["actors"]]
    corroborated = json.loads(run("export", "--db", str(db), "--sources", "2")[1])
    assert len(corroborated) == 2 and not any(e["id"].startswith("acled:") for e in corroborated)


def test_the_filters_on_trust_walk_their_own_small_indexes(db):
    conn = connect(db)
    for f, index in (
        (queries.Filter(disputed=True), "events_disputed"),
        (queries.Filter(min_sources=3), "events_corroborated"),
    ):
        dated, _, params = queries._date_order_sql("e.seq", f)
        plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + dated, params))
        assert index in plan, plan


def test_a_store_of_version_4_is_migrated_and_a_load_fills_in_what_each_source_says(tmp_path):
    db = store_v4(tmp_path / "timeline.db")
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert {r[0] for r in conn.execute("SELECT DISTINCT independent_sources FROM events")} == {1}
    assert conn.execute("SELECT count(*) FROM events WHERE disputed IS NOT NULL").fetchone()[0] == 0
    assert queries.event_ids(conn, queries.Filter(disputed=True)) == []
    conn.close()
    assert load(SOURCES, db, drop_others=True).ok
    conn = connect(db)
    assert len(queries.event_ids(conn, queries.Filter(disputed=True))) == 1
    told = conn.execute("SELECT count(*), count(DISTINCT document_id) FROM event_sources").fetchone()
    assert tuple(told) == (6, 6)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---- the app ----------------------------------------------------------------------------------


async def test_the_detail_pane_shows_each_source_behind_each_value_and_the_keys_filter_on_trust(db):
    app = TimelineApp(db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        assert len(view.ids) == 2
        await pilot.press("exclamation_mark")
        await settle(pilot, app)
        assert len(view.ids) == 1 and app.session.filter.disputed
        shown = str(app.query_one("#detail-body").render())
        lines = [" ".join(line.split()) for line in shown.splitlines()]
        assert "What the sources say they differ on the perpetrator and the toll" in lines
        assert "killed 31 [1] · 12 [2] ≠" in lines
        assert "perpetrator Russian forces [1] · Syrian government forces [2] ≠" in lines
        assert "place Saraqib [1,2]" in lines and "2 reports, 2 independent" in lines
        await pilot.press("exclamation_mark", "i")  # all again; then 2+ independent sources
        await settle(pilot, app)
        assert len(view.ids) == 2 and app.session.filter.min_sources == 2
        await pilot.press("i")
        await settle(pilot, app)
        assert len(view.ids) == 0
        await pilot.press("i")
        await settle(pilot, app)
        assert len(view.ids) == 2 and app.session.filter.is_empty
        await pilot.press("G")
        await settle(pilot, app)
        shown = str(app.query_one("#detail-body").render())
        assert "4 reports, 2 independent" in shown
        assert "counted with [1]: same AFP dispatch" in shown and "counted with [1]: near-identical text" in shown
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Disputed only: sources disagree" in keys and "independent sources" in keys
