"""The panes' counts kept by every write (db/counts.py: per month, and each value's set of events)
agree with counting every link of the events a filter picks."""

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyroaring import BitMap

from cli import main
from db import corrections, queries
from db.acled import import_acled
from db.queries import Filter
from db.schema import connect
from pipeline import ingest, load
from tests.helpers import SEED, write_article

FIXTURES = Path(__file__).parent / "fixtures"
WINDOWS = [
    Filter(),
    Filter(since=date(2017, 6, 1), until=date(2018, 10, 31)),
    Filter(since=date(2023, 2, 1)),  # a week that begins in January and ends in February
    Filter(until=date(2018, 12, 31)),
    Filter(since=date(2017, 1, 1), until=date(9999, 12, 31)),  # the last day a date can be
]


def by_links(conn, f: Filter) -> dict[str, dict[str, int]]:
    """Each value's events among those the timeline shows under `f`, counted link by link."""
    picked = "SELECT seq FROM events WHERE id IN (SELECT value FROM json_each(?))"
    ids = (json.dumps(queries.event_ids(conn, f)),)
    count = "SELECT {value}, count(*) FROM {table} WHERE {seq} IN ({picked}) GROUP BY 1"
    return {
        facet: dict(conn.execute(count.format(value=value, table=table, seq=seq, picked=picked), ids).fetchall())
        for facet, value, table, seq in (
            ("actors", "(SELECT id FROM actors WHERE seq = actor_seq)", "event_actors", "event_seq"),
            ("places", "(SELECT id FROM places WHERE seq = place_seq)", "event_places", "event_seq"),
            ("types", "type", "events", "seq"),
        )
    }


def same_counts(conn) -> None:
    every_month = conn.execute(
        "SELECT substr(date_start, 1, 7) AS m, count(*) FROM events GROUP BY m ORDER BY min(date_start) IS NULL, m"
    ).fetchall()
    assert queries.timeline_index(conn, Filter()).months == [tuple(r) for r in every_month]
    for f in WINDOWS:
        kept, counted = queries.facets(conn, f), queries.facets(conn, f, counted=False)
        for facet in ("actors", "places", "types"):
            assert sorted(getattr(kept, facet), key=lambda v: v.id) == sorted(
                getattr(counted, facet), key=lambda v: v.id
            ), (f, facet)
    top = queries.facets(conn, Filter())
    actor, place = top.actors[0].id, top.places[-1].id
    for f in (
        Filter(actors=(actor,)),
        Filter(places=(place,), since=date(2018, 1, 10)),
        Filter(types=(top.types[0].id,), search="killed"),
        Filter(actors=(actor,), places=(top.places[0].id,), until=date(2018, 12, 20)),
    ):
        shown = queries.facets(conn, f)
        months = conn.execute(
            "SELECT substr(date_start, 1, 7) AS m, count(*) FROM events WHERE id IN (SELECT value FROM json_each(?))"
            " GROUP BY m ORDER BY min(date_start) IS NULL, m",
            (json.dumps(queries.event_ids(conn, f)),),
        ).fetchall()
        assert queries.timeline_index(conn, f).months == [tuple(r) for r in months], f
        assert queries.month_counts(conn, f) == [tuple(r) for r in months if r[0]], f
        for facet in ("actors", "places", "types"):
            expected = by_links(conn, f.without(facet))[facet]
            got = {v.id: v.count for v in getattr(shown, facet) if v.parent is None or facet != "types"}
            assert got == expected, (f, facet)


def test_counts_follow_imports_ingests_and_loads(seed_store, tmp_path):
    rows = list(csv.DictReader((FIXTURES / "acled_current.csv").open(encoding="utf-8")))
    across = tmp_path / "across.csv"
    with across.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow(rows[0] | {"event_id_cnty": "SYR199999", "event_date": "2023-01-31", "time_precision": "2"})
    import_acled(FIXTURES / "acled_world.csv", seed_store)
    import_acled(across, seed_store)
    conn = connect(seed_store)
    assert queries.facets(conn, WINDOWS[2]).types, "the week across the month is counted in February"
    same_counts(conn)
    conn.close()
    article = write_article(
        tmp_path / "new", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest([article], seed_store).ok
    same_counts(connect(seed_store))
    assert load(SEED, seed_store, drop_others=True).ok
    same_counts(connect(seed_store))


def run(db, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def reviewed(seed_store):
    """The seed and a few countries' ACLED rows, with an event corrected (to the latest date, a
    type no machine event has, a place in another country), one rejected, one corrected then rejected,
    and one merged into another (two reports of Turkey's arrests)."""
    import_acled(FIXTURES / "acled_world.csv", seed_store)
    run(
        seed_store,
        "edit",
        "9f93ed0d7ef74d82",
        "--date",
        "2031-03-04",
        "--type",
        "Peaceful protest",
        "--place",
        "Istanbul",
    )
    run(seed_store, "reject", "acled:SYR200002")
    run(seed_store, "edit", "acled:SYR200003", "--type", "Mob violence", "--place", "Tehran")
    run(seed_store, "reject", "acled:SYR200003")
    run(seed_store, "merge", "acled:TUR300002", "acled:TUR300003")
    return seed_store


def scanned_headline(conn) -> queries.Headline:
    """What `stats` says of the events, counted the slow way: each event read, with the analyst's
    values where corrected; those the analyst does not see (rejected, or merged into another) left
    out of the counts, their dates kept."""
    layer, gone = corrections.overlay(conn), corrections.rejected_ids(conn) | set(corrections.merged(conn))
    kinds = {
        i: (kind, name, country)
        for i, kind, name, country in conn.execute("SELECT id, kind, name, country FROM places")
    }
    links: dict[int, set[str]] = {}
    for seq, place in conn.execute(
        "SELECT ep.event_seq, p.id FROM event_places ep JOIN places p ON p.seq = ep.place_seq"
    ):
        links.setdefault(seq, set()).add(place)
    types: Counter[str] = Counter()
    places: Counter[str] = Counter()
    starts, ends, events, undated = [], [], 0, 0
    for seq, event_id, kind, start, end in conn.execute("SELECT seq, id, type, date_start, date_end FROM events"):
        at = links.get(seq, set())
        if seq in layer.analyst:
            facts = layer.analyst[seq]
            kind, start, end, at = facts.type, facts.date_start, facts.date_end, set(facts.places)
        starts += [start] if start else []
        ends += [end] if end else []
        if event_id in gone:
            continue
        events, undated = events + 1, undated + (start is None)
        types[kind] += 1
        places.update(at)
    country_name = {country: name for kind, name, country in kinds.values() if kind == "country"}

    def top(kind: str) -> list[tuple[str, int]]:
        named = [(kinds[p], n) for p, n in places.items() if kinds[p][0] == kind]
        ranked = sorted(named, key=lambda r: (-r[1], r[0][1]))[: queries.TOP]
        if kind == "country":
            return [(name, n) for (_, name, _), n in ranked]
        return [(", ".join(filter(None, (name, country_name.get(c)))), n) for (_, name, c), n in ranked]

    return queries.Headline(
        events=events,
        undated_events=undated,
        first=min(starts, default=None),
        last=max(ends, default=None),
        types=sorted(types.items(), key=lambda r: (-r[1], r[0])),
        countries=top("country"),
        divisions=top("admin1"),
    )


def test_stats_read_from_the_kept_counts_say_what_a_scan_of_every_event_says(reviewed):
    conn = connect(reviewed)
    head = queries.headline(conn)
    assert head == scanned_headline(conn)
    assert head.last == "2031-03-04" and dict(head.types)["Protests"] == 2  # Turkey's and the one corrected
    assert dict(head.types)["Riots"] == 1  # Lebanon's: the rejected event's corrected type counts nowhere
    assert head.events == corrections.pick(conn, Filter()).total, "stats counts the events `list` shows"
    assert f"({head.events - head.undated_events:,} dated)" in run(reviewed, "stats"), "its bar of time too"
    whole = queries.stats(conn)
    assert whole.events == head.events and whole.countries == head.countries
    assert whole.documents == conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def steps(conn, work) -> int:
    """How many thousand steps of SQLite's machine `work(conn)` takes: its reading, whatever the plan."""
    taken = [0]

    def step() -> int:
        taken[0] += 1
        return 0  # go on

    conn.set_progress_handler(step, 1000)
    work(conn)
    conn.set_progress_handler(None, 0)
    return taken[0]


def test_the_stats_headline_takes_as_long_at_any_number_of_events(seed_db, tmp_path):
    """The headline reads the counts kept, the date index and the few events rejected: 3,000 more
    events leave its work as it was, where the figures counted by a scan grow with them. (The
    corrected events are read by the analyst's layer, db/corrections.py, as every reader reads them.)"""
    from bench.generate_acled import generate

    import_acled(FIXTURES / "acled_world.csv", seed_db)
    run(seed_db, "reject", "acled:SYR200002")
    small = (
        steps(connect(seed_db), queries.headline),
        steps(connect(seed_db), lambda c: list(queries.scanned_figures(c))),
    )
    import_acled(generate(3000, tmp_path / "more.csv"), seed_db)
    large = (
        steps(connect(seed_db), queries.headline),
        steps(connect(seed_db), lambda c: list(queries.scanned_figures(c))),
    )
    assert large[1] > 10 * small[1], (small, large)  # the measure sees a scan
    assert large[0] <= 2 * small[0] + 20, (small, large)


def _acled_file(path: Path, ids: tuple[str, ...], changed: dict[str, dict] | None = None) -> Path:
    """An ACLED file of the fixture's rows of these ids, with the changes given of some."""
    rows = {r["event_id_cnty"]: r for r in csv.DictReader((FIXTURES / "acled_current.csv").open(encoding="utf-8"))}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows["SYR100001"]))
        w.writeheader()
        w.writerows(rows[i] | (changed or {}).get(i, {}) for i in ids)
    return path


def test_a_revision_that_takes_a_values_last_event_leaves_no_count_at_none(tmp_path, empty_store):
    """A row revised to another type, month and place takes its old values' last event: their rows
    of `month_counts` go (found by the keys the removal changed), and their sets."""
    import_acled(_acled_file(tmp_path / "first.csv", ("SYR100001", "SYR100004")), empty_store)
    conn = connect(empty_store)
    assert conn.execute("SELECT n FROM month_counts WHERE facet = 'types' AND value = 'Battles'").fetchall()
    conn.close()
    elsewhere = {
        "event_type": "Riots",
        "sub_event_type": "Mob violence",
        "event_date": "2022-11-30",
        "location": "Hajin",
        "timestamp": "1675728001",
    }
    revised = _acled_file(tmp_path / "revised.csv", ("SYR100001", "SYR100004"), {"SYR100001": elsewhere})
    assert import_acled(revised, empty_store).revised == 1
    conn = connect(empty_store)
    assert conn.execute("SELECT facet, month, value FROM month_counts WHERE n = 0").fetchall() == []
    gone = "SELECT value FROM {} WHERE facet = 'types' AND value = 'Battles'"
    assert conn.execute(gone.format("month_counts")).fetchall() == []
    assert conn.execute(gone.format("event_sets")).fetchall() == []
    same_counts(conn)
    conn.close()


def test_a_prune_that_adds_nothing_counts_out_what_it_removes(tmp_path, empty_store):
    """The removals of an import are counted out with its additions: one that adds none counts them
    out all the same."""
    import_acled(_acled_file(tmp_path / "three.csv", ("SYR100001", "SYR100002", "SYR100004")), empty_store)
    two = _acled_file(tmp_path / "two.csv", ("SYR100001", "SYR100004"))
    report = import_acled(two, empty_store, prune=True)
    assert (report.added, report.revised, report.removed) == (0, 0, ["acled:SYR100002"])
    conn = connect(empty_store)
    assert conn.execute("SELECT facet, month, value FROM month_counts WHERE n = 0").fetchall() == []
    strike = "SELECT value FROM {} WHERE facet = 'sub_types' AND value = 'Air/drone strike'"
    assert conn.execute(strike.format("month_counts")).fetchall() == []
    assert conn.execute(strike.format("event_sets")).fetchall() == []
    same_counts(conn)
    conn.close()


def kept_counts(conn) -> tuple[list, list]:
    """`month_counts` and `event_sets` as the readers know them: places and actors by id, a set by
    its events' ids (row numbers differ between two stores of the same events)."""
    value = (
        "CASE facet WHEN 'actors' THEN (SELECT id FROM actors WHERE seq = CAST(value AS INTEGER))"
        " WHEN 'places' THEN (SELECT id FROM places WHERE seq = CAST(value AS INTEGER)) ELSE value END"
    )
    months = conn.execute(f"SELECT facet, month, last, {value}, parent, n FROM month_counts").fetchall()
    ids = dict(conn.execute("SELECT seq, id FROM events").fetchall())
    sets = [
        (facet, v, parent, sorted(ids[seq] for seq in BitMap.deserialize(events)))
        for facet, v, parent, events in conn.execute(f"SELECT facet, {value}, parent, events FROM event_sets")
    ]
    return sorted(map(tuple, months)), sorted(sets)


def test_a_sub_type_two_types_share_is_counted_once_as_a_fresh_import_counts_it(tmp_path, empty_store):
    """A file may give one sub-type under two types (ACLED's never does): its counts are one row a
    month, not one per type (PostgreSQL refused to update a row twice in one statement), and a
    revision that moves a row to the other type leaves the counts and sets a fresh import of the
    revised file makes, the sub-type's parent included."""
    riot = {"event_type": "Riots", "sub_event_type": "Armed clash", "event_date": "2023-01-31"}
    both = _acled_file(tmp_path / "both.csv", ("SYR100001", "SYR100004"), {"SYR100004": riot})
    import_acled(both, empty_store)
    conn = connect(empty_store)
    shared = "SELECT month, parent, n FROM month_counts WHERE facet = 'sub_types' AND value = 'Armed clash'"
    assert sorted(map(tuple, conn.execute(shared))) == [("*", "Riots", 2), ("2023-01", "Riots", 2)]
    conn.close()
    moved = {"SYR100001": {"event_type": "Riots", "timestamp": "1675728001"}, "SYR100004": riot}
    revised = _acled_file(tmp_path / "revised.csv", ("SYR100001", "SYR100004"), moved)
    assert import_acled(revised, empty_store).revised == 1
    fresh = tmp_path / "fresh.db"
    import_acled(revised, fresh)
    conn, fresh_conn = connect(empty_store), connect(fresh)
    assert kept_counts(conn) == kept_counts(fresh_conn)
    same_counts(conn)
    conn.close()
    fresh_conn.close()
