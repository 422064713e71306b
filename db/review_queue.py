"""What the app's review asks of the analyst's layer (db/corrections.py): the events rejected, as
the row numbers the app's timeline and counts are made of; the unreviewed events in the order a
review walks them (the doubtful first); an event found by its id or the start of it.

Plain functions taking a connection, for the app's workers; they read, never write.
"""

from __future__ import annotations

import json

from pyroaring import BitMap

from db.annotations import tagged
from db.corrections import merged, progress, rejected_ids, reviewed_ids
from db.queries import QueryError, rowids_of

__all__ = ["find_event", "merged_rowids", "progress", "rejected_rowids", "unreviewed", "untagged_rowids"]

SHORTEST_ID = 4  # characters of an id typed before it is looked up: fewer match too many


def rejected_rowids(conn) -> BitMap:
    """The row numbers of the events rejected (and not taken back): hidden unless asked for."""
    hidden = rejected_ids(conn)
    return BitMap(rowids_of(conn, sorted(hidden))) if hidden else BitMap()


def merged_rowids(conn) -> BitMap:
    """The row numbers of the events merged into another: always hidden, for the event they are
    part of shows their sources."""
    parts = merged(conn)
    return BitMap(rowids_of(conn, sorted(parts))) if parts else BitMap()


def untagged_rowids(conn, tag: str) -> BitMap:
    """The row numbers of the events without the tag: left out while the app shows one tag's."""
    every = BitMap(r[0] for r in conn.execute("SELECT seq FROM events"))
    return every - BitMap(rowids_of(conn, sorted(tagged(conn, tag))))


def unreviewed(conn, limit: int) -> list[str]:
    """Ids of the events not yet confirmed, rejected or edited, the least likely right first (no
    confidence, as ACLED's rows: last), then in date order: the order a review walks them."""
    done = [i for i, r in reviewed_ids(conn).items() if r.reviewed]
    rows = conn.execute(
        "SELECT id FROM events WHERE id NOT IN (SELECT value FROM json_each(?))"
        " ORDER BY confidence IS NULL, confidence, date_start IS NULL, date_start, id LIMIT ?",
        (json.dumps(done), limit),
    )
    return [r[0] for r in rows]


def find_event(conn, typed: str) -> str:
    """The id of the event whose id is `typed` or begins with it; a QueryError says why not."""
    typed = typed.strip()
    if not typed:
        raise QueryError("give an event id (the detail pane shows it)")
    exact = conn.execute("SELECT id FROM events WHERE id = ?", (typed,)).fetchone()
    if exact:
        return exact[0]
    if len(typed) < SHORTEST_ID:
        raise QueryError(f"no event {typed!r}: give at least {SHORTEST_ID} characters of its id")
    found = [
        r[0] for r in conn.execute("SELECT id FROM events WHERE substr(id, 1, ?) = ? LIMIT 2", (len(typed), typed))
    ]
    if not found:
        raise QueryError(f"no event with an id beginning {typed!r}")
    if len(found) > 1:
        raise QueryError(f"more than one event's id begins {typed!r}: type more of it")
    return found[0]
