"""The panes' counts kept by every write (db/counts.py: per month, and each value's set of events)
agree with counting every link of the events a filter picks."""

import csv
import json
from datetime import date
from pathlib import Path

from db import queries
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
