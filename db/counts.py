"""Events per month and per value of each facet (actor, place, type, sub-type), kept by every write.

The panes' counts for the whole store, or for a date window of whole months, are then sums of a
few rows of `month_counts` instead of a pass over a million links. Each write adds the counts of
the events it stores and takes away those of the events it removes, in its own transaction.

A row counts the events that begin in `month` and end in `last` ('*' in both: all time; '' in
both: undated). An event overlaps a window of whole months when it begins inside it, or begins in
the year before and ends inside or after it (a week across the first of a month, a season).

Each value also keeps the set of its events (`event_sets`: the events' row numbers as a compressed
bitmap, a roaring bitmap as pyroaring writes it). The counts under any other filter are then sizes
of intersections, made in C: under an actor in 800k of a million events, the places' counts take
milliseconds where a pass over its events' links took seconds.
"""

from __future__ import annotations

import calendar
import json
import sqlite3
from datetime import date

from pyroaring import BitMap

ALL_TIME, UNDATED = "*", ""
SPAN_MONTHS = 13  # an event lasts a year at most (db.queries.MAX_SPAN_DAYS): begun at most this long before
# facet -> (value counted, its parent, the link table it is in (none: the events), which events count)
FACETS = {
    "actors": ("l.actor_seq", "NULL", "event_actors l", "true"),
    "places": ("l.place_seq", "NULL", "event_places l", "true"),
    "types": ("e.type", "NULL", "", "true"),
    "sub_types": ("e.sub_type", "e.type", "", "e.sub_type <> e.type"),  # one named as its type is that type
}
# The sets are kept for these, and for the month each event begins in ('' undated): the histogram.
SETS = {**FACETS, "months": ("coalesce(substr(e.date_start, 1, 7), '')", "NULL", "", "true")}
# A place or an actor is counted and stored by its row number, as the links hold it (a few bytes
# where its id takes 20, in 323k places' rows); `event_sets` gives it back by its id. The stored
# value is text whatever the facet: the row number's decimal digits (`as_stored`), so that one
# column type serves both stores (PostgreSQL compares no text with a number uncast).
NAMED = ("actors", "places")


def add(
    conn: sqlite3.Connection, picked: str, params: tuple = (), sign: int = 1, prefix: str = "", held: bool = False
) -> None:
    """Count in the events whose seq the query `picked` gives, or with sign=-1 count them out.
    `prefix`: the counts of the tables so named ("staging_events"...), kept in their own (db/acled.py's
    staged import); places and actors are always the live ones. `held`: with the removals `hold`
    kept since `hold_removals`, counted out in the same writes (their tables go then)."""
    add_months(conn, picked, params, sign, prefix, held)
    add_sets(conn, picked, params, sign, prefix, held)
    if held:
        for table in HELD:
            conn.execute(f"DROP TABLE {table}")


# A re-import's revised rows are removed, then added again under a new seq: counted out and in,
# each write reading and writing the same rows of `month_counts` and the same sets, whose sizes grow
# with the store (a country's set). Held, the removals are counted with the additions: a row's net
# change is written once (none at all for a revision in the same month and values), a set once.
HELD = ("temp.month_counts_held", "temp.event_sets_held")


def hold_removals(conn: sqlite3.Connection) -> None:
    """Make (empty) the tables `hold` keeps the removals of a write in, for `add(held=True)`."""
    for table in HELD:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(
        f"CREATE TEMP TABLE {HELD[0].removeprefix('temp.')}"
        " (facet TEXT NOT NULL, month TEXT NOT NULL, last TEXT NOT NULL, value TEXT, parent TEXT, n INTEGER NOT NULL)"
    )
    conn.execute(
        f"CREATE TEMP TABLE {HELD[1].removeprefix('temp.')}"
        " (facet TEXT NOT NULL, value TEXT NOT NULL, parent TEXT, seq INTEGER NOT NULL)"
    )


def hold(conn: sqlite3.Connection, picked: str, params: tuple = ()) -> None:
    """Keep what removing the events `picked` takes from the counts and the sets, read now, while
    their rows are there: the next `add(held=True)` counts it out."""
    for facet in FACETS:
        conn.execute(
            f"INSERT INTO {HELD[0]} (facet, month, last, value, parent, n)"
            f" SELECT ?, month, last, value, parent, n FROM ({_by_month(facet, picked)}) AS c",
            (facet, -1, *params),
        )
    for facet, (value, parent, links, rows) in SETS.items():
        source, seq = _members(links)
        conn.execute(
            f"INSERT INTO {HELD[1]} (facet, value, parent, seq) SELECT ?, {as_stored(value)}, {parent}, {seq}"
            f" FROM {source} WHERE {seq} IN ({picked}) AND {rows}",
            (facet, *params),
        )


def _by_month(facet: str, picked: str, prefix: str = "") -> str:
    """SQL counting the events `picked` of each value of a facet by the months they begin and end
    in ('' undated), the count multiplied by its first parameter (1 in, -1 out)."""
    value, parent, links, rows = FACETS[facet]
    source = f"{prefix}events e JOIN {prefix}{links} ON l.event_seq = e.seq" if links else f"{prefix}events e"
    return (
        "SELECT coalesce(substr(e.date_start, 1, 7), '') AS month, coalesce(substr(e.date_end, 1, 7), '') AS last,"
        f" {as_stored(value)} AS value, {parent} AS parent, ? * count(*) AS n"
        f" FROM {source} WHERE e.seq IN ({picked}) AND {rows} GROUP BY 1, 2, 3, 4"
    )


def _members(links: str, prefix: str = "") -> tuple[str, str]:
    """What a set's events are read from (a facet's links, else the events) and their seq there."""
    return (prefix + links, "l.event_seq") if links else (f"{prefix}events e", "e.seq")


def add_months(
    conn: sqlite3.Connection, picked: str, params: tuple = (), sign: int = 1, prefix: str = "", held: bool = False
) -> None:
    """The counts per month alone (a migration from before the sets), and each value's all-time row
    by the same change: summing the months again would read every row, a time growing with the
    store (1.4 s of a 5k-row re-import at 300k events)."""
    for facet in FACETS:
        # The events' links are grouped by month once (the CTE, named twice, is made once by both
        # stores: grouping the links again took a third); with the removals held, each row's net change.
        grouped = _by_month(facet, picked, prefix)
        args: tuple = (sign, *params)
        if held:
            grouped += f" UNION ALL SELECT month, last, value, parent, n FROM {HELD[0]} WHERE facet = ?"
            args += (facet,)
        changed = conn.execute(
            f"INSERT INTO {prefix}month_counts (facet, month, last, value, parent, n)"
            f" WITH changes AS ({grouped})"
            " SELECT ?, month, last, value, parent, n FROM ("
            f"SELECT month, last, value, {_PARENT}, sum(n) AS n FROM changes GROUP BY 1, 2, 3 HAVING {_CHANGED}"
            f" UNION ALL SELECT '{ALL_TIME}', '{ALL_TIME}', value, {_PARENT}, sum(n) FROM changes GROUP BY value"
            f" HAVING {_CHANGED}"
            ") AS c WHERE true"  # one row a value and month, and one a value
            " ON CONFLICT (facet, month, last, value) DO UPDATE SET n = n + excluded.n, parent = excluded.parent"
            # Only a removal can bring a row to none: the rows it changed come back, and those at
            # none go by their key (a pass over every row for `n = 0` grew with the store).
            + (" RETURNING month, last, value, n" if sign < 0 or held else ""),
            (*args, facet),
        )
        if sign < 0 or held:
            emptied = [(facet, month, last, v) for month, last, v, n in changed.fetchall() if n == 0]
            conn.executemany(
                f"DELETE FROM {prefix}month_counts WHERE facet = ? AND month = ? AND last = ? AND value = ? AND n = 0",
                emptied,
            )


# One row a value (and month), whatever the parents its events give: a sub-type two types share (a
# file's own) is one value, under the type its added events give (or the one it had). A row whose
# events come and go in one write is written when its parent changes, though its count does not.
_PARENT = "coalesce(max(CASE WHEN n > 0 THEN parent END), max(parent)) AS parent"
_CHANGED = "sum(n) <> 0 OR count(DISTINCT parent) > 1"


def add_sets(
    conn: sqlite3.Connection, picked: str, params: tuple = (), sign: int = 1, prefix: str = "", held: bool = False
) -> None:
    """Put the events `picked` in the sets of their values, or with sign=-1 take them out; with
    `held`, take the removals held out of the same sets in the same write."""
    assert sign > 0 or not held, "the removals held go with additions"
    for facet, (value, parent, links, rows) in SETS.items():
        source, seq = _members(links, prefix)
        found = conn.execute(  # each value's events as a JSON list: json.loads reads it in C
            f"SELECT {as_stored('value')} AS value, parent, events FROM ("
            f"SELECT {value} AS value, max({parent}) AS parent, json_group_array({seq}) AS events FROM {source}"
            f" WHERE {seq} IN ({picked}) AND {rows} GROUP BY 1) AS c",  # a value's events whatever their parents
            params,
        ).fetchall()
        # value -> (parent, events in, events out)
        changes: dict[str, tuple[str | None, str, str]] = {
            v: (up, seqs, "[]") if sign > 0 else (up, "[]", seqs) for v, up, seqs in found
        }
        if held:
            for v, up, seqs in conn.execute(
                f"SELECT value, max(parent), json_group_array(seq) FROM {HELD[1]} WHERE facet = ? GROUP BY 1",
                (facet,),
            ).fetchall():
                taken_in = changes.get(v, (up, "[]", "[]"))[1]
                changes[v] = (changes[v][0] if v in changes else up, taken_in, seqs)
        stored = dict(
            conn.execute(
                f"SELECT value, events FROM {prefix}event_sets"
                " WHERE facet = ? AND value IN (SELECT value FROM json_each(?))",
                (facet, json.dumps(list(changes))),
            ).fetchall()
        )
        emptied, written = [], []  # written in two statements, not one a value (48k places at 100k rows)
        for v in sorted(changes):  # stored in their order: faster
            up, taken_in, taken_out = changes[v]
            events = BitMap.deserialize(stored[v]) if v in stored else BitMap()
            events -= BitMap(json.loads(taken_out))
            events |= BitMap(json.loads(taken_in))
            if not events:
                emptied.append((facet, v))
                continue
            events.run_optimize()  # a run of consecutive rows (one import's) as two numbers
            written.append((facet, v, up, events.serialize()))
        conn.executemany(f"DELETE FROM {prefix}event_sets WHERE facet = ? AND value = ?", emptied)
        conn.executemany(
            f"INSERT INTO {prefix}event_sets (facet, value, parent, events) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (facet, value) DO UPDATE SET events = excluded.events, parent = excluded.parent",
            written,
        )


def event_sets(
    conn: sqlite3.Connection, facet: str, values: list[str] | None = None, stored: bool = False
) -> dict[str, tuple[str | None, BitMap]]:
    """The events of each value of a facet (or of the values given): value -> (parent, events). A
    place or an actor is given and named by its id, or with `stored` by its seq's text as stored
    (no lookup of each of 323k places' ids, for a reader that names only the few it keeps)."""
    shown = "value" if stored else stored_as_id(facet)
    sql, params = f"SELECT {shown}, parent, events FROM event_sets WHERE facet = ?", [facet]
    if values is not None:
        sql += f" AND value IN ({ids_as_stored(facet, 'SELECT value FROM json_each(?)')})"
        params.append(json.dumps(values))
    return {v: (parent, BitMap.deserialize(blob)) for v, parent, blob in conn.execute(sql, params)}


def as_stored(value: str) -> str:
    """SQL giving what `month_counts` and `event_sets` store for a value: its text (a row number's
    decimal digits; a type's name as it is)."""
    return f"CAST({value} AS TEXT)"


def stored_seq(value: str) -> str:
    """SQL giving the row number of the place or actor a stored value names (`as_stored` undone):
    what a join to its table compares with its `seq`, the table's key."""
    return f"CAST({value} AS INTEGER)"


def stored_as_id(facet: str, value: str = "value") -> str:
    """SQL giving the value a facet's row of `month_counts` or `event_sets` stores (`value`) as the
    readers know it: a place's or an actor's id (its row number's text is stored), a type's name."""
    return f"(SELECT id FROM {facet} WHERE seq = {stored_seq(value)})" if facet in NAMED else value


def ids_as_stored(facet: str, ids: str) -> str:
    """SQL giving the values stored for what a query `ids` gives (places' or actors' ids, types):
    text, as the stored column, so that `value IN (...)` is looked up in its key."""
    return f"SELECT {as_stored('seq')} FROM {facet} WHERE id IN ({ids})" if facet in NAMED else ids


def months_before(month: str, count: int) -> str:
    """ "2018-03", 13 -> "2017-02"."""
    year, m = int(month[:4]), int(month[5:7]) - count
    while m < 1:
        year, m = year - 1, m + 12
    return f"{year:04d}-{m:02d}"


def whole_months(since: date | None, until: date | None) -> tuple[str, str] | None:
    """The months a date window covers, if it begins on a first and ends on a last of a month
    (or is open); None for a window the table cannot answer exactly."""
    if since is not None and since.day != 1:
        return None
    if until is not None and until.day != calendar.monthrange(until.year, until.month)[1]:
        return None
    first = since.isoformat()[:7] if since else "0000-01"
    last = until.isoformat()[:7] if until else "9999-12"
    return first, last
