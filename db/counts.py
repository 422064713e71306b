"""Events per month and per value of each facet (actor, place, type, sub-type), kept by every write.

The panes' counts for the whole store, or for a date window of whole months, are then sums of a
few rows of `month_counts` instead of a pass over a million links. Each write adds the counts of
the events it stores and takes away those of the events it removes, in its own transaction.

    month '*' : all time;  '' : undated;  'YYYY-MM' : events that start in that month
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

ALL_TIME, UNDATED = "*", ""
# facet -> (value counted, its parent, table, its event column, which rows)
FACETS = {
    "actors": ("actor_id", "NULL", "event_actors", "event_seq", "true"),
    "places": ("place_id", "NULL", "event_places", "event_seq", "true"),
    "types": ("type", "NULL", "events", "seq", "true"),
    "sub_types": ("sub_type", "type", "events", "seq", "sub_type <> type"),  # one named as its type is that type
}


def add(conn: sqlite3.Connection, picked: str, params: tuple = (), sign: int = 1) -> None:
    """Count in the events whose seq the query `picked` gives, or with sign=-1 count them out."""
    for facet, (value, parent, table, seq, rows) in FACETS.items():
        for month in (f"coalesce(substr(date_start, 1, 7), '{UNDATED}')", f"'{ALL_TIME}'"):
            conn.execute(
                "INSERT INTO month_counts (facet, month, value, parent, n)"
                f" SELECT ?, {month}, {value}, {parent}, ? * count(*) FROM {table}"
                f" WHERE {seq} IN ({picked}) AND {rows} GROUP BY 2, 3"
                " ON CONFLICT (facet, month, value) DO UPDATE SET n = n + excluded.n",
                (facet, sign, *params),
            )
    conn.execute("DELETE FROM month_counts WHERE n = 0")


def whole_months(since: date | None, until: date | None) -> tuple[str, str] | None:
    """The months a date window covers, if it begins on a first and ends on a last of a month
    (or is open); None for a window the table cannot answer exactly."""
    if since is not None and since.day != 1:
        return None
    if until is not None and (until + timedelta(days=1)).day != 1:
        return None
    first = since.isoformat()[:7] if since else "0000-00"
    last = until.isoformat()[:7] if until else "9999-99"
    return first, last
