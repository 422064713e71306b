"""Every reader uses the analyst's values (issue 25): the filters of `list`, `export` and `stats`,
the app's pane counts and histogram, and the date order, for an event whose date, type, places,
actors or summary were corrected. Real SQLite, real corrections, the real CLI."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import corrections, queries, review_queue
from db.queries import Filter
from db.schema import connect

EDITED = "9f93ed0d7ef74d82"  # the seed's Tehran attack: 2017-06-07, Violence against civilians, Iran, Islamic State


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def listed(db: Path, *args: str) -> list[str]:
    """The ids `timeline list` prints, in its order."""
    return [r["id"] for r in csv.DictReader(io.StringIO(run(db, "list", *args)), delimiter="\t")]


@pytest.fixture
def corrected(seed_store) -> Path:
    """The seed store, its Tehran attack corrected in every field a filter reads."""
    run(
        seed_store,
        "edit",
        EDITED,
        "--date",
        "2019-03-04",
        "--type",
        "Peaceful protest",
        "--place",
        "Raqqa",
        "--actor1",
        "YPG",
        "--summary",
        "Zebra herders march in Raqqa",
    )
    return seed_store


def test_a_type_filter_finds_an_event_by_its_corrected_type(corrected):
    assert EDITED in listed(corrected, "--type", "Protests")  # no machine event has that type
    assert EDITED in listed(corrected, "--type", "Peaceful protest")
    assert EDITED not in listed(corrected, "--type", "Violence against civilians")
    assert EDITED not in listed(corrected, "--type", "Attack")


def test_place_and_country_filters_find_an_event_by_its_corrected_places(corrected):
    assert EDITED in listed(corrected, "--place", "Raqqa")
    assert EDITED in listed(corrected, "--place", "Syria")  # the country of the place the analyst gave
    assert EDITED not in listed(corrected, "--place", "Iran")
    assert EDITED not in listed(corrected, "--place", "Tehran")


def test_an_actor_filter_finds_an_event_by_its_corrected_actors(corrected):
    assert EDITED in listed(corrected, "--actor", "YPG")
    assert EDITED not in listed(corrected, "--actor", "Islamic State")  # it was actor1, replaced


def test_a_date_window_and_the_order_use_the_corrected_date(corrected):
    assert listed(corrected, "--since", "2019", "--until", "2019") == [EDITED]
    assert EDITED not in listed(corrected, "--until", "2018")
    order = listed(corrected)
    # between the last event of 2018 and the first of 2021, as its new date puts it
    assert order.index("36afce9cf92cdd7f") + 1 == order.index(EDITED) == order.index("a3eb8f79a1c37554") - 1
    exported = [e["id"] for e in json.loads(run(corrected, "export", "--format", "json"))]
    assert exported == order


def test_a_limited_list_is_in_corrected_order_and_counts_the_corrected_match(corrected):
    result = CliRunner().invoke(main, ["list", "--since", "2018-06", "--limit", "3", "--db", str(corrected)])
    assert [r["id"] for r in csv.DictReader(io.StringIO(result.stdout), delimiter="\t")] == [
        "55e3702050355090",
        "b283dc63c5f90a3c",
        "36afce9cf92cdd7f",
    ]
    assert "3 of 9 events shown" in result.stderr  # the 8 machine events from 2018-06 on, and the moved one


def test_a_search_finds_the_corrected_summary(corrected):
    assert listed(corrected, "--search", "zebra") == [EDITED]
    assert listed(corrected, "--search", "zebra", "--place", "Syria") == [EDITED]
    conn = connect(corrected)
    (hit,) = queries.timeline_rowids(conn, Filter(search="zebra"))  # the app's search
    assert queries.events_by_rowids(conn, [hit])[0].id == EDITED
    assert not conn.in_transaction  # the corrected text searched in the temp store holds no snapshot open


def test_the_app_panes_count_the_corrected_values(corrected, seed_db_master):
    since_2017 = Filter(since=queries.parse_date_bound("2017", False))
    tehran, iran, syria, raqqa = (
        queries.resolve_place(connect(corrected), p) for p in ("Tehran", "Iran", "Syria", "Raqqa")
    )
    for count in (
        lambda conn: queries.counts_under(conn, Filter(), review_queue.rejected_rowids(conn))[0],  # the events' sets
        lambda conn: queries.facets(conn, Filter()),  # the month table, all time
        lambda conn: queries.facets(conn, since_2017),  # the month table, a window
        lambda conn: queries.facets(conn, since_2017, counted=False),  # the sets, a window
    ):
        before, after = (
            {kind: {v.id: v.count for v in getattr(facets, kind)} for kind in ("types", "places")}
            | {"actors": {v.name: v.count for v in facets.actors}}
            for facets in (count(connect(seed_db_master)), count(connect(corrected)))
        )
        assert after["types"]["Protests"] == after["types"]["Peaceful protest"] == 1
        assert "Violence against civilians" not in after["types"] and "Attack" not in after["types"]
        assert tehran not in after["places"]
        assert after["places"][iran] == before["places"][iran] - 1
        assert after["places"][syria] == before["places"][syria] + 1
        assert after["places"][raqqa] == before["places"].get(raqqa, 0) + 1
        assert after["actors"]["YPG"] == before["actors"]["YPG"] + 1
        assert after["actors"]["Islamic State"] == before["actors"]["Islamic State"] - 1


def test_counts_under_a_filter_count_the_events_it_picks_with_corrected_values(corrected):
    conn = connect(corrected)
    syria = queries.resolve_place(conn, "Syria")
    facets, months = queries.counts_under(conn, Filter(places=(syria,)))
    assert {v.id: v.count for v in facets.types}["Protests"] == 1
    assert ("2019-03", 1) in months
    facets, _ = queries.counts_under(conn, Filter(types=("Protests",)))
    assert [(v.name, v.count) for v in facets.places if v.name in ("Raqqa", "Syria", "Iran")] == [
        ("Raqqa", 1),
        ("Syria", 1),
    ]


def test_the_histogram_counts_the_event_in_its_corrected_month(corrected, seed_db_master):
    before = dict(queries.month_counts(connect(seed_db_master)))
    conn = connect(corrected)
    for months in (
        queries.month_counts(conn),
        queries.timeline_index(conn, Filter()).months,
        queries.counts_under(conn, Filter(), review_queue.rejected_rowids(conn))[1],
    ):
        after = dict(months)
        assert after.get("2017-06", 0) == before["2017-06"] - 1
        assert after["2019-03"] == 1


def test_the_app_timeline_places_the_event_at_its_corrected_date(corrected):
    conn = connect(corrected)
    index = queries.timeline_index(conn, Filter())
    ids = [r.id for r in queries.events_by_rowids(conn, index.rowids)]
    assert ids == listed(corrected)
    assert ids[ids.index(EDITED) - 1] == "36afce9cf92cdd7f"
    first = queries.first_rows(conn, Filter(since=queries.parse_date_bound("2019", False)), 2)
    assert queries.events_by_rowids(conn, first.rowids)[0].id == EDITED
    assert first.months[0] == ("2019-03", 1)


def test_stats_count_the_corrected_type_and_place(corrected):
    conn = connect(corrected)
    s = queries.stats(conn)
    assert dict(s.types)["Protests"] == 1 and "Violence against civilians" not in dict(s.types)
    assert dict(s.countries) == {"Syria": 16, "Iran": 1}
    out = run(corrected, "stats")
    assert "Protests" in out and "Violence against civilians" not in out


def test_an_undone_edit_gives_the_machine_values_back_to_every_reader(corrected):
    for _ in range(5):  # the edit wrote five corrections: date, type, places, actors, summary
        corrections.undo(connect(corrected), EDITED)
    assert EDITED in listed(corrected, "--type", "Violence against civilians", "--place", "Iran")
    assert listed(corrected)[0] == EDITED
    conn = connect(corrected)
    assert "Protests" not in {v.id for v in queries.facets(conn, Filter()).types}


def test_a_rejected_corrected_event_is_counted_nowhere(corrected):
    run(corrected, "reject", EDITED)
    conn = connect(corrected)
    hidden = review_queue.rejected_rowids(conn)
    facets, months = queries.counts_under(conn, Filter(), hidden)
    assert "Protests" not in {v.id for v in facets.types}
    assert "2019-03" not in dict(months)
    assert "Protests" not in dict(queries.stats(conn).types)


def test_many_moved_events_stand_in_date_order_in_every_walk(seed_store):
    """Dates corrected onto other events' days (ties are ordered by row number, as the machine's
    walk orders them), the undated event dated, a dated one moved to the first day: the app's index,
    `list` and the order of the corrected dates agree."""
    conn = connect(seed_store)
    rows = queries.list_events(conn)
    moves = {rows[0].id: "2021-01-13", rows[3].id: "2017-06-18", rows[-1].id: "2018-10-01", rows[9].id: "2016-01-01"}
    for event_id, day in moves.items():
        corrections.edit(conn, event_id, {"date": day})
    conn = connect(seed_store)
    corrected = queries.events_by_rowids(conn, [r.rowid for r in rows])
    expected = [r.id for r in sorted(corrected, key=lambda r: (r.date_start is None, r.date_start or "", r.rowid))]
    assert [r.id for r in queries.events_by_rowids(conn, queries.timeline_index(conn, Filter()).rowids)] == expected
    assert listed(seed_store) == expected
    assert expected[0] == rows[9].id and rows[-1].id != expected[-1]  # the undated one is dated now


def test_the_panes_windows_count_the_corrected_values_as_every_value_is_counted(corrected):
    """What a pane holds (db/facet_window.py), every node open, is what `facets` counts: the
    corrected events moved by the same rule, from the month table and from the sets."""
    from db.facet_window import facet_total, facet_window

    conn = connect(corrected)
    syria = queries.resolve_place(conn, "Syria")
    since_2017 = Filter(since=queries.parse_date_bound("2017", False))
    for f in (Filter(), since_2017, Filter(places=(syria,)), Filter(types=("Protests",))):
        for facet in ("actors", "places", "types"):
            every = getattr(queries.facets(conn, f), facet)
            window = facet_window(conn, facet, f, opened={v.id for v in every})
            assert sorted(window.values, key=lambda v: v.id) == sorted(every, key=lambda v: v.id), (f, facet)
            assert facet_total(conn, facet, f) == len(every)
