"""The panes' counts kept per month by every write (db/counts.py) agree with counting every link."""

import csv
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
]


def same_counts(conn) -> None:
    every_month = conn.execute(
        "SELECT substr(date_start, 1, 7) AS m, count(*) FROM events GROUP BY m ORDER BY m IS NULL, m"
    ).fetchall()
    assert queries.timeline_index(conn, Filter()).months == [tuple(r) for r in every_month]
    for f in WINDOWS:
        kept, counted = queries.facets(conn, f), queries.facets(conn, f, counted=False)
        for facet in ("actors", "places", "types"):
            assert sorted(getattr(kept, facet), key=lambda v: v.id) == sorted(
                getattr(counted, facet), key=lambda v: v.id
            ), (f, facet)


def test_counts_follow_imports_ingests_and_loads(seed_db, tmp_path):
    rows = list(csv.DictReader((FIXTURES / "acled_current.csv").open(encoding="utf-8")))
    across = tmp_path / "across.csv"
    with across.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow(rows[0] | {"event_id_cnty": "SYR199999", "event_date": "2023-01-31", "time_precision": "2"})
    import_acled(FIXTURES / "acled_world.csv", seed_db)
    import_acled(across, seed_db)
    conn = connect(seed_db)
    assert queries.facets(conn, WINDOWS[2]).types, "the week across the month is counted in February"
    same_counts(conn)
    conn.close()
    article = write_article(
        tmp_path / "new", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest([article], seed_db).ok
    same_counts(connect(seed_db))
    assert load(SEED, seed_db).ok
    same_counts(connect(seed_db))
