"""The values a facet pane shows, counted under a filter: a window of them, never all of them.

Worldwide, a million ACLED events name some 323k places and tens of thousands of actors. A pane
shows a tree (a country's divisions and towns, a group's actors, a type's sub-types) with at most
SHOWN values under each node, most events first, so it needs only: the values under the nodes it
has open, those matching the text typed to narrow it (the most frequent SHOWN, by name or by
alias, with their ancestors), the chosen ones, and which of them have children to open. Only
those are counted and named; how many values have events in all (`facet_total`) is counted a
value at a time as its row is read, nothing kept. The memory is the window's, whatever the
number of values, and the window comes before the total: a second at 323k places.

The counts are those of `queries.facets` (it stays for the command line and the tests): read
from `month_counts` for whole months, else the sizes of the values' sets of events intersected
with the filter's; the analyst's corrections moved as it moves them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from pyroaring import BitMap

from db import counts
from db.queries import (
    FacetValue,
    Filter,
    _among,
    _in_window,
    _overlay,
    _picked,
    _size,
    _whole_months,
    _window,
    moved_counts,
    named_like,
)

SHOWN = 200  # values shown under one node, and matches of the text typed: typing narrows to the rest
NAMED = {"actors": "actor", "places": "place"}  # facets whose values have a table of names, parents and aliases
STORED_SEQ = counts.as_stored("seq")  # a named value as `month_counts` and `event_sets` keep it


@dataclass
class FacetWindow:
    """What a pane shows of a facet under a filter. `values`: most events first; the children of
    each node in `opened` (None: the top), SHOWN at most each; the values matching `needle` (in
    `matched`) and their ancestors; the chosen values that have events. `expandable`: those of
    `values` with children that have events. How many values have events is `facet_total`'s."""

    facet: str
    values: list[FacetValue] = field(default_factory=list)
    expandable: frozenset[str] = frozenset()
    opened: frozenset[str | None] = frozenset({None})
    needle: str = ""
    matched: tuple[str, ...] = ()  # most events first


def facet_window(
    conn: sqlite3.Connection,
    facet: str,
    f: Filter,
    opened: Iterable[str] = (),
    needle: str = "",
    hidden: BitMap | None = None,
    picked: dict[Filter, BitMap | None] | None = None,
) -> FacetWindow:
    """The window of a facet pane ("actors", "places", "types") under `f`, its own choice ignored
    (choosing ISIS does not hide the other actors you could add): the children of the top and of
    the `opened` nodes and of the chosen values' ancestors, and the values whose name or alias holds
    `needle`. Only these values are counted. `picked`: a memo of the filters' events, shared
    between the panes."""
    conn.create_function("holds", 2, _holds, deterministic=True)
    chosen = set(getattr(f, facet))
    facet_filter = f.without(facet)
    memo = {} if picked is None else picked
    parts = ("types", "sub_types") if facet == "types" else (facet,)
    count = partial(_counted, conn, f=facet_filter, hidden=hidden, memo=memo)
    ancestry = _ancestry(conn, facet, chosen)
    asked: set[str | None] = {None, *opened, *(a for c in chosen for a in _chain(c, ancestry))}
    kept: dict[str, FacetValue] = {}
    type_names: set[str] = set()
    for part in parts:
        children, stored = _children(conn, part, asked)
        under: dict[str | None, list[tuple[int, str, str]]] = {}
        for value, n in count(part, among=stored):
            if part == "sub_types" and value in type_names:  # one named as a type is that type
                continue
            if part == "types":
                type_names.add(value)
            name, parent = children[value]
            _push(under.setdefault(parent, []), (-n, name, value))
        for node in under.values():
            kept |= {value: FacetValue(value, name, -n, children[value][1]) for n, name, value in sorted(node)[:SHOWN]}

    wanted = chosen - kept.keys()  # the chosen values, and the values matching the text typed
    matched: list[str] = []
    if needle.strip():
        aliased = named_like(conn, NAMED[facet], needle.strip()) if facet in NAMED else frozenset()
        found: list[tuple[int, str]] = []
        for part in parts:
            typed = [needle.strip().lower(), json.dumps(sorted(aliased))]
            if part in NAMED:
                sql = (
                    f"SELECT {STORED_SEQ}, id FROM {part}"
                    " WHERE holds(name, ?) OR id IN (SELECT value FROM json_each(?))"
                )
            else:  # types have no aliases: their names are matched as typed
                sql, typed = "SELECT value, value FROM event_sets WHERE facet = ? AND holds(value, ?)", [part, typed[0]]
            for value, n in count(part, among=dict(_tuples(conn, sql, typed))):
                if not (part == "sub_types" and value in type_names):
                    _push(found, (-n, value))
        found = sorted(found)[: 2 * SHOWN]  # ties cut by name below
        names = _names(conn, facet, {value for _, value in found})
        best = sorted((n, names[value][0], value) for n, value in found if value in names)[:SHOWN]
        matched = [value for _, _, value in best]
        wanted |= set(matched)
    ancestry |= _ancestry(conn, facet, wanted)
    wanted |= {a for v in wanted for a in _chain(v, ancestry)}
    wanted -= kept.keys()
    if wanted:
        names = _names(conn, facet, wanted)
        for part in parts:
            for value, n in count(part, among=_stored(conn, part, wanted)):
                if value in names:
                    kept.setdefault(value, FacetValue(value, names[value][0], n, names[value][1]))
    values = sorted(kept.values(), key=lambda v: (-v.count, v.name))
    expandable = _expandable(conn, facet, kept, count)
    return FacetWindow(facet, values, expandable, frozenset(asked), needle, tuple(matched))


def facet_total(
    conn: sqlite3.Connection,
    facet: str,
    f: Filter,
    hidden: BitMap | None = None,
    picked: dict[Filter, BitMap | None] | None = None,
) -> int:
    """How many values of a facet have events under `f`, its own choice ignored: the number a pane
    shows under its values. Every value is counted (323k places' sets read, a second at 1M events
    worldwide), so the app asks it after the windows, which show first."""
    count = partial(_counted, conn, f=f.without(facet), hidden=hidden, memo={} if picked is None else picked)
    if facet != "types":
        return sum(1 for _ in count(facet))
    types = {value for value, _ in count("types")}
    return len(types) + sum(1 for value, _ in count("sub_types") if value not in types)


def _holds(name: str | None, needle: str) -> bool:
    """SQL's `holds(name, needle)`: the name holds the text typed, whatever its case (Unicode's)."""
    return name is not None and needle in name.lower()


def _push(rows: list, row: tuple) -> None:
    """Keep `row` among the SHOWN first of `rows` (sorted and cut when twice as many)."""
    rows.append(row)
    if len(rows) >= 2 * SHOWN:
        rows.sort()
        del rows[SHOWN:]


def _chain(value: str, ancestry: dict[str, str | None]) -> Iterator[str]:
    """The ancestors of a value, its parent first (as far as `ancestry` knows them)."""
    seen = {value}
    while (parent := ancestry.get(value)) is not None and parent not in seen:
        seen.add(parent)
        yield parent
        value = parent


def _names(conn: sqlite3.Connection, facet: str, values: set[str]) -> dict[str, tuple[str, str | None]]:
    """value -> (its name, its parent), for a few values."""
    if facet in NAMED:
        sql = f"SELECT id, name, parent FROM {facet} WHERE id IN (SELECT value FROM json_each(?))"
    else:
        return {
            value: (value, parent)
            for part in ("types", "sub_types")
            for value, parent in _types(conn, part)
            if value in values
        }
    return {value: (name, parent) for value, name, parent in conn.execute(sql, (json.dumps(sorted(values)),))}


def _types(conn: sqlite3.Connection, part: str) -> set[tuple[str, str | None]]:
    """(value, parent) of the types ("types") or sub-types with events: the machine's, and those the
    analyst gave an event (a sub-type's parent is its type)."""
    found = set(_tuples(conn, "SELECT value, parent FROM event_sets WHERE facet = ?", (part,)))
    for facts in _overlay(conn).analyst.values():
        found.add((facts.type, None) if part == "types" else (facts.sub_type, facts.type))
    return found


def _ancestry(conn: sqlite3.Connection, facet: str, values: set[str]) -> dict[str, str | None]:
    """value -> its parent, for these values and all their ancestors (a type for a sub-type)."""
    found: dict[str, str | None] = {}
    todo = set(values)
    while todo:
        named = _names(conn, facet, todo)
        found |= {value: parent for value, (_, parent) in named.items()}
        todo = {parent for _, parent in named.values() if parent is not None and parent not in found}
    return found


def _children(
    conn: sqlite3.Connection, part: str, asked: set[str | None]
) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """value -> (name, parent) of the values under the nodes asked (None: the top), whatever their
    events: a table's rows read once, the children of the nodes open kept; and their values as
    stored -> the values (`_stored`)."""
    nodes = json.dumps(sorted(node for node in asked if node is not None))
    if part not in NAMED:
        children = {value: (value, parent) for value, parent in _types(conn, part) if parent in asked}
        return children, {value: value for value in children}
    sql = (
        f"SELECT {STORED_SEQ}, id, name, parent FROM {part}"
        " WHERE parent IS NULL OR parent IN (SELECT value FROM json_each(?))"
    )
    rows = [row for row in _tuples(conn, sql, (nodes,)) if row[3] in asked]
    return {value: (name, parent) for _, value, name, parent in rows}, {seq: value for seq, value, _, _ in rows}


def _stored(conn: sqlite3.Connection, part: str, values: Iterable[str]) -> dict[str, str]:
    """The values of `month_counts` and `event_sets` that stand for these: a place's or an actor's
    seq as text (value as stored -> value)."""
    if part not in NAMED:
        return {value: value for value in values}
    sql = f"SELECT {STORED_SEQ}, id FROM {part} WHERE id IN (SELECT value FROM json_each(?))"
    return dict(_tuples(conn, sql, (json.dumps(sorted(values)),)))


def _expandable(conn: sqlite3.Connection, facet: str, kept: dict[str, FacetValue], count: Callable) -> frozenset[str]:
    """Those of the values kept with children that have events under the filter (`count` counts them)."""
    if facet in NAMED:
        sql = f"SELECT {STORED_SEQ}, id, parent FROM {facet} WHERE parent IN (SELECT value FROM json_each(?))"
        part = facet
        rows = _tuples(conn, sql, (json.dumps(sorted(kept)),)).fetchall()
        parent_of, among = {value: parent for _, value, parent in rows}, {seq: value for seq, value, _ in rows}
    else:
        part = "sub_types"
        parent_of = {value: parent for value, parent in _types(conn, part) if parent in kept}
        among = {value: value for value in parent_of}
    return frozenset(parent_of[value] for value, _ in count(part, among=among))


def _tuples(conn: sqlite3.Connection, sql: str, params: Iterable = ()) -> sqlite3.Cursor:
    """The rows as tuples: a row object for each of 300k values costs a third more."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, tuple(params))


def _counted(
    conn: sqlite3.Connection,
    part: str,
    f: Filter,
    hidden: BitMap | None,
    memo: dict[Filter, BitMap | None],
    among: dict[str, str] | None = None,
) -> Iterator[tuple[str, int]]:
    """Each value of a facet (or sub_types) with events under `f`, and how many, a row at a time,
    as `queries.facets` counts them; `among`: only these values (as stored -> as given, `_stored`).
    A place or an actor is stored by its seq's text, and given by its id; without `among`, as stored:
    the total only counts them, and looking up 323k places' ids would double its time."""
    restrict, params = (
        (" AND value IN (SELECT value FROM json_each(?))", [json.dumps(list(among))]) if among is not None else ("", [])
    )
    months = _whole_months(f) if not hidden else None  # the table counts every event, hidden or not
    layer = _overlay(conn)
    rows: Iterable[tuple[str, int]]
    if months == (counts.ALL_TIME, counts.ALL_TIME):  # a row a value: no sort to group them
        sql = f"SELECT value, n FROM month_counts WHERE facet = ? AND month = ? AND last = ?{restrict}"
        rows = _tuples(conn, sql, (part, counts.ALL_TIME, counts.ALL_TIME, *params))
        moved = partial(_in_window, window=None)
    elif months is not None:
        first, last = months
        back = counts.months_before(first, counts.SPAN_MONTHS) if f.since else first
        rows = _tuples(
            conn,
            "SELECT value, sum(n) FROM month_counts WHERE facet = ? AND month BETWEEN ? AND ?"
            f" AND (month >= ? OR last >= ?){restrict} GROUP BY value",
            (part, back, last, first, first, *params),
        )
        moved = partial(_in_window, window=_window(months, f.since is not None))
    else:
        events = _picked(conn, f, memo)
        found = _tuples(conn, f"SELECT value, events FROM event_sets WHERE facet = ?{restrict}", (part, *params))
        if events is not None and not hidden:  # the common case, its loop kept short: 300k values
            cardinality = events.intersection_cardinality
            rows = ((value, cardinality(BitMap.deserialize(blob))) for value, blob in found)
        else:
            rows = ((value, _size(BitMap.deserialize(blob), events, hidden)) for value, blob in found)
        moved = partial(_among, picked=events, hidden=hidden)
    delta = moved_counts(layer, part, moved, dated=months is not None)[0] if layer else {}
    if delta and among is None and part in NAMED:  # the corrected values, as stored
        sql = f"SELECT id, {STORED_SEQ} FROM {part} WHERE id IN (SELECT value FROM json_each(?))"
        stored = dict(_tuples(conn, sql, (json.dumps(sorted(delta)),)))
        delta = {stored.get(value, value): n for value, n in delta.items()}
    for value, n in rows:
        if among is not None:
            value = among[value]
        n += delta.pop(value, 0)
        if n > 0:
            yield value, n
    if delta and among is not None:  # values the machine gave none of the events picked
        wanted = set(among.values())
        delta = {value: n for value, n in delta.items() if value in wanted}
    yield from ((value, n) for value, n in delta.items() if n > 0)
