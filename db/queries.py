"""Read queries over timeline.db, one function per question. The app and the CLI share them."""

from __future__ import annotations

import contextlib
import difflib
import itertools
import json
import re
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from pyroaring import BitMap

from db import counts, store
from db.schema import date_sql, day_sql, quotes_of
from ingest.fold import alias_key
from ingest.intervals import parse_published

if TYPE_CHECKING:
    from db.corrections import Facts, Overlay, Review

MAX_SPAN_DAYS = 366  # the longest interval an event can have: a year
AROUND_DAYS = 7  # the context of an event: the events this many days either side of it


class QueryError(ValueError):
    """A filter the user typed that cannot be run: an unknown name, a bad date, bad search syntax."""


@dataclass(frozen=True)
class Filter:
    actors: tuple[str, ...] = ()  # actor ids; several = any of them
    places: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # ACLED event types or sub-types
    since: date | None = None
    until: date | None = None
    search: str | None = None
    starred: bool = False
    around: tuple[str, int] | None = None  # (event id, days): its context, see `_around`
    disputed: bool = False  # only events whose sources differ on a date, place, perpetrator or toll
    min_sources: int = 1  # only events with at least this many independent sources
    min_confidence: float = 0.0  # only events at least this likely right (ingest/confidence.py)

    def without(self, facet: str) -> Filter:
        """The filter with nothing chosen in one facet: "actors", "places" or "types"."""
        cleared: dict[str, Any] = {facet: ()}
        return replace(self, **cleared)

    @property
    def is_empty(self) -> bool:
        return self == Filter()


@dataclass
class EventRow:
    rowid: int  # position key in the app's index; `id` is the stable id
    id: str
    date: str | None
    date_start: str | None
    date_end: str | None
    precision: str | None
    type: str
    sub_type: str
    summary: str
    fatalities: int | None
    confidence: float
    sources: int
    publishers: int
    starred: bool
    actors: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    places: list[str] = field(default_factory=list)
    independent_sources: int = 1  # a wire dispatch and its copies, one publisher's reports: one
    disputed: tuple[str, ...] = ()  # the fields its sources differ on: date, place, perpetrator, fatalities
    review: Review | None = None  # the analyst's corrections, laid over the machine's fields (db/corrections.py)


@dataclass
class Says:
    """What one source reported of an event, before the reports were merged."""

    date: str | None
    precision: str | None
    date_expression: str | None  # the words that date it: its quote
    type: str
    sub_type: str
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    fatalities_raw: str | None  # the words that count the dead: its quote
    actors: list[tuple[str, str]]  # (name, role)
    places: list[str]  # names, where it happened first


@dataclass
class Source:
    document_id: int
    path: str
    title: str | None
    publisher: str | None
    published: str | None
    quote: str
    start: int
    end: int
    says: Says | None = None
    wire: str | None = None  # the news agency whose dispatch the document runs
    counted_with: int | None = None  # the document of the event's earlier source this one repeats


@dataclass
class PlaceInfo:
    id: str
    name: str
    country: str | None  # ISO 3166 code
    country_name: str | None
    admin1: str | None  # the first-level division's name (its own, for a division)
    lat: float | None
    lon: float | None
    kind: str = "city"  # country | admin1 | capital | city | town...: how precise its point is


@dataclass
class EventDetail:
    event: EventRow
    date_expression: str | None
    date_source: str | None
    fatalities_low: int | None
    fatalities_high: int | None
    fatalities_raw: str | None
    trigger: str | None
    places: list[PlaceInfo]
    sources: list[Source]
    note: str | None
    tags: tuple[str, ...]  # in the order they were added (db/annotations.py)
    as_named: dict[str, str] = field(default_factory=dict)  # actor name -> as the source wrote it, where it differs

    @property
    def documents(self) -> int:
        """The event's sources, counted as everywhere: the documents that report it, however many
        of their sentences are quoted."""
        return len({s.document_id for s in self.sources})


@dataclass
class FacetValue:
    id: str
    name: str
    count: int
    parent: str | None = None  # the value's parent in its tree (a place's division, an actor's group)


@dataclass
class Facets:
    actors: list[FacetValue]
    places: list[FacetValue]
    types: list[FacetValue]


# ---- resolving what the user typed ----------------------------------------------------------


def resolve_actor(conn: sqlite3.Connection, name: str) -> str:
    return _resolve(conn, name, "actor")


def resolve_place(conn: sqlite3.Connection, name: str) -> str:
    return _resolve(conn, name, "place")


def named_like(conn: sqlite3.Connection, kind: str, text: str) -> frozenset[str]:
    """The actors (kind "actor") or places with an alias that holds `text` ("Daesh", "isis": Islamic
    State), and the one the command line's filters resolve it to: what the app's panes narrow to."""
    ids = {r[0] for r in conn.execute(f"SELECT {kind}_id FROM {kind}_aliases WHERE instr(key, ?)", (alias_key(text),))}
    with contextlib.suppress(QueryError):  # no entity, or several: the substring matches stand
        ids.add(_resolve(conn, text, kind))
    return frozenset(ids)


# "Deir ez-Zor (city)", "Tripoli (Lebanon)": a qualifier narrows a name to a kind of place, a
# country or a division.
_QUALIFIED = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
_PLACE_KINDS = {
    "country": ("country",),
    "city": ("city", "capital", "town"),
    "town": ("city", "capital", "town"),
    "village": ("city", "capital", "town"),
    "capital": ("capital",),
    **dict.fromkeys(("division", "governorate", "province", "state", "region", "admin1"), ("admin1",)),
}


def _resolve(conn, name: str, kind: str) -> str:
    """Any alias, in any spelling, or the id itself. A name several entities share resolves to the
    one that holds the others (the governorate over its namesake city); any other clash is an error
    that lists the choices with their counts."""
    table = f"{kind}s"
    row = conn.execute(f"SELECT id FROM {table} WHERE id = ?", (name,)).fetchone()
    if row:
        return row[0]
    ids = _named(conn, kind, name)
    qualified = _QUALIFIED.match(name)
    if not ids and qualified:
        ids = _narrowed(conn, kind, _named(conn, kind, qualified[1]), qualified[2])
    if len(ids) > 1:
        counts = dict(
            conn.execute(
                f"SELECT t.id, count(*) FROM event_{kind}s l JOIN {table} t ON t.seq = l.{kind}_seq"
                f" WHERE t.id IN ({_marks(ids)}) GROUP BY 1",
                ids,
            ).fetchall()
        )
        ids = [i for i in ids if counts.get(i)] or ids  # places and actors no event names any more
        held = _descendants(conn, table, ids)
        ids = [i for i in ids if i not in held]
        if len(ids) > 1:
            choices = "; ".join(f"{_label(conn, kind, i)} [{i}] ({counts.get(i, 0)} events)" for i in ids)
            raise QueryError(f"{name!r} names several {table}: {choices}; give an id or a qualifier in brackets")
    if not ids:
        close = close_names(conn, kind, name)
        raise QueryError(
            f"no {kind} called {name!r} in this database" + (f"; close: {', '.join(close)}" if close else "")
        )
    return ids[0]


def close_names(conn, kind: str, name: str, n: int = 3) -> list[str]:
    """Names of the {kind}s some event names, spelt close to `name`: what to offer when a name is
    unknown or names no event. Only on such a miss: it reads every name that has events."""
    rows = conn.execute(
        f"SELECT a.key, e.name FROM {kind}_aliases a JOIN {kind}s e ON e.id = a.{kind}_id"
        f" WHERE e.seq IN (SELECT DISTINCT {kind}_seq FROM event_{kind}s) ORDER BY a.key, e.name"
    ).fetchall()
    named: dict[str, str] = {}  # an alias's key -> its entity's own name: of several, the first by name
    for key, entity_name in rows:
        named.setdefault(key, entity_name)
    close = difflib.get_close_matches(alias_key(name), named, n=4 * n, cutoff=0.6)
    return list(dict.fromkeys(named[k] for k in close))[:n]


def no_events_hint(conn, kind: str, name: str) -> str | None:
    """Why a filter on a known name found nothing, when it is that no event names it at all, with
    the close names that some event does name; None when events name it."""
    entity = _resolve(conn, name, kind)
    if conn.execute(
        f"SELECT 1 FROM event_{kind}s WHERE {kind}_seq {_seqs(f'{kind}s', [entity])} LIMIT 1", (entity,)
    ).fetchone():
        return None
    close = [c for c in close_names(conn, kind, name) if alias_key(c) != alias_key(name)]
    return f"no event here names the {kind} {name!r}" + (
        f"; close names that some do: {', '.join(close)}" if close else ""
    )


def _named(conn, kind: str, name: str) -> list[str]:
    rows = conn.execute(f"SELECT DISTINCT {kind}_id FROM {kind}_aliases WHERE key = ?", (alias_key(name),)).fetchall()
    if not rows:
        literal = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")  # a name, never a pattern
        rows = conn.execute(f"SELECT id FROM {kind}s WHERE name LIKE ? ESCAPE '\\'", (f"%{literal}%",)).fetchall()
    return sorted(r[0] for r in rows)


def _narrowed(conn, kind: str, ids: list[str], qualifier: str) -> list[str]:
    """The entities among `ids` that a qualifier describes: a kind of place, its country (name or
    code) or its division; an actor's group."""
    key = alias_key(qualifier)
    out = []
    for i in ids:
        if kind == "place":
            r = conn.execute("SELECT kind, country, admin1 FROM places WHERE id = ?", (i,)).fetchone()
            words = {r["country"] or "", r["admin1"] or "", _country_name(conn, r["country"]) or ""}
            if r["kind"] in _PLACE_KINDS.get(key, ()) or key in {alias_key(w) for w in words if w}:
                out.append(i)
        elif (parent := conn.execute("SELECT parent FROM actors WHERE id = ?", (i,)).fetchone()[0]) and alias_key(
            _label(conn, "actor", parent)
        ) == key:
            out.append(i)
    return out


def _descendants(conn, table: str, ids: list[str]) -> set[str]:
    """Those of `ids` that lie under another of them in the tree."""
    rows = conn.execute(
        f"WITH RECURSIVE up(id, ancestor) AS (SELECT id, parent FROM {table} WHERE id IN ({_marks(ids)})"
        f" UNION SELECT up.id, t.parent FROM up JOIN {table} t ON t.id = up.ancestor WHERE t.parent IS NOT NULL)"
        " SELECT id, ancestor FROM up",
        ids,
    ).fetchall()
    return {r[0] for r in rows if r[1] in ids}


def _label(conn, kind: str, entity_id: str) -> str:
    """A name that tells entities apart: "Tripoli (Lebanon)", "Deir ez-Zor (Deir ez-Zor, Syria)"."""
    if kind == "actor":
        return conn.execute("SELECT name FROM actors WHERE id = ?", (entity_id,)).fetchone()[0]
    r = conn.execute("SELECT name, kind, country, admin1 FROM places WHERE id = ?", (entity_id,)).fetchone()
    where = [w for w in (r["admin1"], _country_name(conn, r["country"])) if w and r["kind"] != "country"]
    return f"{r['name']} ({r['kind']}{', ' if where else ''}{', '.join(where)})"


def _country_names(conn, codes: set[str]) -> dict[str, str]:
    """`_country_name` of each code, in one statement."""
    names: dict[str, str] = {}
    for code, name in conn.execute(
        f"SELECT country, name FROM places WHERE kind = 'country' AND {_one_of('country')} ORDER BY seq",
        (json.dumps(sorted(codes)),),
    ):
        names.setdefault(code, name)
    return names


def _country_name(conn, code: str | None) -> str | None:
    row = code and conn.execute("SELECT name FROM places WHERE kind = 'country' AND country = ?", (code,)).fetchone()
    return row[0] if row else None


def parse_date_bound(text: str, end: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD: the first day of it, or with end=True the last."""
    try:
        interval = parse_published(text)
    except ValueError as e:
        raise QueryError(str(e)) from None
    if interval is None:
        raise QueryError("empty date")
    return interval.end if end else interval.start


def parse_date_range(text: str) -> tuple[date | None, date | None]:
    """ "2017-06..2018-10", "2017" (that year), "..2018" or "2017.." (open), "" (all dates)."""
    text = text.strip()
    if not text:
        return None, None
    first, dots, last = text.partition("..")
    if not dots:
        last = first
    since = parse_date_bound(first, end=False) if first.strip() else None
    until = parse_date_bound(last, end=True) if last.strip() else None
    return since, until


def known_types(conn) -> set[str]:
    """The event types and sub-types the database holds, and those the analyst gave events."""
    corrected = {v for facts in _overlay(conn).analyst.values() for v in (facts.type, facts.sub_type)}
    return corrected | {v for row in conn.execute("SELECT DISTINCT type, sub_type FROM events") for v in row}


def make_filter(
    conn,
    actors=(),
    places=(),
    types=(),
    since=None,
    until=None,
    search=None,
    starred=False,
    around=None,
    days=None,
    disputed=False,
    sources=1,
    min_confidence=0.0,
) -> Filter:
    return Filter(
        actors=tuple(resolve_actor(conn, a) for a in actors),
        places=tuple(resolve_place(conn, p) for p in places),
        types=tuple(types),
        since=parse_date_bound(since, end=False) if since else None,
        until=parse_date_bound(until, end=True) if until else None,
        search=(search or "").strip() or None,
        starred=starred,
        around=around_event(conn, around, AROUND_DAYS if days is None else days) if around else None,
        disputed=disputed,
        min_sources=sources,
        min_confidence=min_confidence,
    )


def around_event(conn, event_id: str, days: int) -> tuple[str, int]:
    """The context of an event, for `Filter.around`: an unknown or undated event has none."""
    row = conn.execute("SELECT date_start FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise QueryError(f"no event {event_id!r}")
    if row[0] is None:
        raise QueryError(f"event {event_id!r} is undated: no events are around it")
    if days < 0:
        raise QueryError(f"days around an event: {days} is below 0")
    return event_id, days


# ---- the filter as SQL ----------------------------------------------------------------------

_FTS_SYNTAX = re.compile(r'["*():^]|\b(?:AND|OR|NOT|NEAR)\b')


def fts_query(text: str) -> str | None:
    """Plain words are searched as words (all of them); FTS5 syntax is passed through, unless a
    quote is left open ('"'), which FTS5 cannot parse: then the words are searched. None when
    no word is left to search (' ', '"'): no search at all."""
    text = text.replace("\x00", " ")  # FTS5 ends a query at a NUL
    if _FTS_SYNTAX.search(text) and text.count('"') % 2 == 0:
        return text
    words = [w.replace('"', "") for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w) or None


def _where(f: Filter) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[object] = []
    if f.actors:
        clauses.append(f"e.seq IN (SELECT event_seq FROM event_actors WHERE actor_seq {_seqs('actors', f.actors)})")
        params += f.actors
    if f.places:
        clauses.append(f"e.seq IN (SELECT event_seq FROM event_places WHERE place_seq {_seqs('places', f.places)})")
        params += f.places
    if f.types:
        clauses.append(f"(e.type IN ({_marks(f.types)}) OR e.sub_type IN ({_marks(f.types)}))")
        params += [*f.types, *f.types]
    if f.since:
        # An event from `since` on begins then or later, or began less than a year before (none
        # lasts longer) and lasts into it: those few are read from the index of the events that
        # last more than a day, so the date index walk never reads the events themselves.
        span = timedelta(days=MAX_SPAN_DAYS)
        since, back = f.since.isoformat(), (max(f.since, date.min + span) - span).isoformat()  # 0001: from 0001
        # Both walks begin at the month the first event lasting into `since` begins in, which the
        # month counts know (db/counts.py: the events by the months they begin and end in), not a
        # year before: at 3M worldwide events, a month's first rows took 85 ms, 65 of them walking
        # the year before it.
        begun, begun_params = (
            "(SELECT CASE WHEN m > ? THEN m ELSE ? END FROM (SELECT coalesce(min(month), ?) || '-01' AS m"
            " FROM month_counts WHERE facet = 'types' AND month >= ? AND month <= ? AND last >= ?) AS b)",
            [back, back, since[:7], back[:7], since[:7], since[:7]],
        )
        clauses.append(
            f"e.date_start >= {begun} AND (e.date_start >= ? OR e.seq IN (SELECT seq FROM events"
            f" WHERE date_end > date_start AND date_start >= {begun} AND date_start < ? AND date_end >= ?))"
        )
        params += [*begun_params, since, *begun_params, since, since]
    if f.until:
        clauses.append("e.date_start <= ?")
        params.append(f.until.isoformat())
    if f.search and (words := fts_query(f.search)):
        clauses.append("e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
        params.append(words)
    if f.starred:
        clauses.append("e.id IN (SELECT event_id FROM annotations WHERE starred = 1)")
    if f.around:
        clause, more = _around(*f.around)
        clauses.append(clause)
        params += more
    if f.disputed:
        clauses.append("e.disputed IS NOT NULL")  # as written: the partial index events_disputed
    if f.min_sources > 1:  # "> 1" as written, a literal: the partial index events_corroborated
        clauses.append(f"e.independent_sources > 1 AND e.independent_sources >= {int(f.min_sources)}")
    if f.min_confidence > 0:
        clauses.append("e.confidence >= ?")
        params.append(f.min_confidence)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _around(event_id: str, days: int) -> tuple[str, list]:
    """The events that begin within `days` of an event's span, at one of its places (a town's
    first-level division: the town and the towns near it) or with one of its own actors (not
    their groups, which would take in a whole state's forces). Each half is one walk of a link
    index over a few days per value, without the events; the event itself is read by
    subqueries, so a filter stays plain data that a saved view can hold."""
    seq = "(SELECT seq FROM events WHERE id = ?)"
    # a window past the calendar's ends (--days 3000000) is cut at them, where date() gives NULL:
    # at 0001-01-01 (PostgreSQL has no year 0) and 9999-12-31
    since = "coalesce(date((SELECT date_start FROM events WHERE id = ?), ?), '0001-01-01')"
    until = "coalesce(date((SELECT coalesce(date_end, date_start) FROM events WHERE id = ?), ?), '9999-12-31')"
    near = f"day BETWEEN {day_sql(since)} AND {day_sql(until)}"  # the links' day numbers
    places = (
        "SELECT CASE WHEN p.kind <> 'admin1' AND up.kind = 'admin1' THEN up.seq ELSE p.seq END"
        " FROM event_places ep JOIN places p ON p.seq = ep.place_seq LEFT JOIN places up ON up.id = p.parent"
        f" WHERE ep.event_seq = {seq} AND ep.direct"
    )
    actors = f"SELECT actor_seq FROM event_actors WHERE event_seq = {seq} AND direct"
    sql = (
        f"e.seq IN (SELECT event_seq FROM event_places WHERE place_seq IN ({places}) AND {near}"
        f" UNION SELECT event_seq FROM event_actors WHERE actor_seq IN ({actors}) AND {near})"
    )
    window = [event_id, f"-{days} days", event_id, f"+{days} days"]
    return sql, [event_id, *window, event_id, *window]


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _one_of(column: str) -> str:
    """`column` is one of the values of a JSON array, the statement's parameter: one statement
    text whatever their number, which PostgreSQL's driver parses once and the server plans once
    (`?` marks, one each, made as many texts as there are lengths, each a long parse on PostgreSQL)."""
    return f"{column} IN (SELECT value FROM json_each(?))"


def _seqs(table: str, ids) -> str:
    """What a link's place_seq or actor_seq is, for these ids of places or actors: `= (one)`, so that
    a walk of its date index stays in date order, or `IN (several)`."""
    if len(ids) == 1:
        return f"= (SELECT seq FROM {table} WHERE id = ?)"
    return f"IN (SELECT seq FROM {table} WHERE id IN ({_marks(ids)}))"


@dataclass(frozen=True)
class _Source:
    """Where a filtered, date-ordered walk starts: the events' own date index, or the date index
    of the chosen actors (or places), which holds only their events, already in date order."""

    tables: str
    where: str
    params: list
    date: str
    id: str
    distinct: bool
    month: str  # the YYYY-MM of `date`


def _source(f: Filter, need_events: bool = True) -> _Source:
    """`need_events=False`: the caller reads only the driving index, so when nothing else is
    filtered the join to events is left out (counting a big actor's months reads one index)."""
    for facet, table, column in (("actors", "event_actors", "actor_seq"), ("places", "event_places", "place_seq")):
        values = getattr(f, facet)
        if values:
            rest, params = _where(f.without(facet))
            where = f" WHERE d.{column} {_seqs(facet, values)}" + (
                " AND " + rest.removeprefix(" WHERE ") if rest else ""
            )
            tables = f"{table} d" + (" JOIN events e ON e.seq = d.event_seq" if need_events or rest else "")
            month = f"substr({date_sql('d.day')}, 1, 7)"
            return _Source(tables, where, [*values, *params], "d.day", "d.event_seq", len(values) > 1, month)
    where, params = _where(f)
    return _Source("events e", where, params, "e.date_start", "e.seq", False, "substr(e.date_start, 1, 7)")


def _in_date_order(conn, columns: str, f: Filter, limit: int | None = None, plain: bool = False) -> list:
    """Rows in date order, undated last. Two queries, because "ORDER BY date_start IS NULL, …"
    cannot walk a date index and sorts every row instead."""
    dated, undated, params = _date_order_sql(columns, f, conn)
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = _run(conn, dated + tail, params, plain)
    if limit is None or len(rows) < limit:
        rest = f" LIMIT {int(limit) - len(rows)}" if limit else ""
        rows += _run(conn, undated + rest, params, plain)
    return rows


def _date_order_sql(columns: str | None, f: Filter, conn=None) -> tuple[str, str, list]:
    """The queries for the dated rows in date order and for the undated ones, and their parameters.
    `columns` None: the events' row numbers only, read from the driving index without the events.
    With `conn`, the analyst's corrections read from it: each query is then the machine's walk
    without the events corrected (`Overlay.moved`), merged by SQLite with those of them the filter
    picks, at their corrected date: two ordered streams, no sort of the whole."""
    src = _source(f, need_events=columns is not None)
    columns = columns or src.id
    distinct = "DISTINCT " if src.distinct else ""
    select = f"SELECT {distinct}{columns} FROM {src.tables}{src.where}"
    glue = " AND " if src.where else " WHERE "
    layer = _overlay(conn) if conn is not None else None
    moved = layer.moved(f) if layer else set()
    if layer is None or not moved:
        return (
            f"{select}{glue}{src.date} IS NOT NULL ORDER BY {src.date}, {src.id}",
            f"{select}{glue}{src.date} IS NULL ORDER BY {src.id}",
            src.params,
        )
    picked = [(seq, layer.analyst[seq].date_start) for seq in layer.matching(conn, f, moved)]
    keys = f", {src.date} AS sort_date, {src.id} AS sort_seq"
    machine = (
        f"SELECT {distinct}{columns}{keys} FROM {src.tables}{src.where}{glue}{src.id}"
        " NOT IN (SELECT value FROM json_each(?))"
    )
    corrected = (  # the corrected events, under the names the columns read: `d` the link, `e` the event
        "SELECT {columns}{keys} FROM (SELECT j.value ->> 0 AS event_seq, {day} AS day"
        " FROM json_each(?) j) d JOIN events e ON e.seq = d.event_seq"
        if src.id == "d.event_seq"
        else "SELECT {columns}{keys} FROM (SELECT v.seq, v.id, j.value ->> 1 AS date_start FROM json_each(?) j"
        " JOIN events v ON v.seq = j.value ->> 0) e"
    ).format(columns=columns, keys=keys, day=day_sql("j.value ->> 1"))
    params = [*src.params, json.dumps(sorted(moved))]
    return (
        f"{machine} AND {src.date} IS NOT NULL UNION ALL {corrected} WHERE {src.date} IS NOT NULL"
        " ORDER BY sort_date, sort_seq",
        f"{machine} AND {src.date} IS NULL UNION ALL {corrected} WHERE {src.date} IS NULL ORDER BY sort_seq",
        [*params, json.dumps(picked)],
    )


def _overlay(conn) -> Overlay:
    """The events the analyst corrected, with the machine's facts and the analyst's (db/corrections.py)."""
    from db.corrections import overlay  # the analyst's layer, which reads the store through this module

    return overlay(conn)


def seqs_matching(conn, f: Filter, seqs: list[int], ids: list[str] | None = None) -> list[int]:
    """Those of these row numbers that `f` picks, by the machine's values (and with `ids`, whose id
    is one of them)."""
    where, params = _where(f)
    where += (" AND " if where else " WHERE ") + "e.seq IN (SELECT value FROM json_each(?))"
    params.append(json.dumps(seqs))
    if ids is not None:
        where += " AND e.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    return [r[0] for r in _run(conn, "SELECT e.seq FROM events e" + where, params, plain=True)]


def _months(conn, picked: BitMap | None, hidden: BitMap | None = None) -> list[tuple[str | None, int]]:
    """Events per month they begin in, in order, the undated (None) last: of the events `picked`,
    or of every event (None), which `month_counts` holds; those `hidden` not counted."""
    if picked is None and not hidden:  # every event has one type: the types' counts per month are the events'
        rows = conn.execute(
            "SELECT nullif(month, ?), sum(n) FROM month_counts WHERE facet = 'types' AND month <> ?"
            " GROUP BY month ORDER BY month = ?, month",
            (counts.UNDATED, counts.ALL_TIME, counts.UNDATED),
        ).fetchall()
        found = [(m, n) for m, n in rows]
    else:
        found = [(m or None, _size(s, picked, hidden)) for m, (_, s) in counts.event_sets(conn, "months").items()]
    layer = _overlay(conn)
    if layer:  # an event whose date the analyst corrected is counted in the month it begins in now
        by_month = dict(found)
        for seq, fields in layer.edited.items():
            if "date" in fields and (picked is None or seq in picked) and not (hidden and seq in hidden):
                was, now = layer.machine[seq].date_start, layer.analyst[seq].date_start
                by_month[was and was[:7]] = by_month.get(was and was[:7], 0) - 1
                by_month[now and now[:7]] = by_month.get(now and now[:7], 0) + 1
        found = list(by_month.items())
    return sorted(((m, n) for m, n in found if n > 0), key=lambda r: (r[0] is None, r[0] or ""))


def _run(conn, sql: str, params: list, plain: bool = False):
    """Run a query; `plain` gives bare tuples, much cheaper than sqlite3.Row for a million rows."""
    cursor = conn.cursor()
    if plain:
        cursor.row_factory = None
    try:
        return cursor.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        raise _search_error(e, sql) from None


def _search_error(e: sqlite3.OperationalError, sql: str) -> Exception:
    """A search the full-text index cannot parse is the user's to fix; anything else is the database's."""
    if "MATCH" in sql and "locked" not in str(e) and "interrupt" not in str(e):
        return QueryError(f"search: {e} (put words in double quotes to search them literally)")
    return e


# ---- events ---------------------------------------------------------------------------------


@dataclass
class TimelineIndex:
    """The app's view of a filter: row ids in date order, and how many fall in each month.

    Integers in an array, not a list of strings, so a million events cost 8 MB; the months
    give the headings without a Python loop over the events."""

    rowids: array
    months: list[tuple[str | None, int]]  # ("2017-06", count) in order; None: undated, last


def whole_year_rowids(conn) -> set[int]:
    """The row numbers of the events dated only to a year (1 January to 31 December): they begin
    in January, but the app heads them with their year, not with that month. A walk of the index
    of spanning events, which holds both dates."""
    rows = conn.execute(
        "SELECT seq FROM events WHERE date_end > date_start"
        " AND substr(date_start, 6) = '01-01' AND substr(date_end, 6) = '12-31'"
        " AND substr(date_start, 1, 4) = substr(date_end, 1, 4)"
    )
    return {r[0] for r in rows}


PAGE_ROWS = 10_000  # rows fetched at a time for a timeline index


def timeline_index(conn, f: Filter, hidden: BitMap | None = None) -> TimelineIndex:
    """The row ids of the matching events in date order, and their count per month; the events
    `hidden` (the rejected: db/review_queue.py) left out."""
    rowids = timeline_rowids(conn, f)
    if hidden:
        rowids = array("q", (r for r in rowids if r not in hidden))
    return TimelineIndex(rowids, _months(conn, None if f.is_empty else BitMap(array("I", rowids)), hidden))


def timeline_rowids(conn, f: Filter) -> array:
    """The row ids of the matching events in date order. Read in pages: a million rows never sit
    in one list, whose freeing would hold the interpreter for a tenth of a second (the app's UI
    thread waits on that, not on SQLite)."""
    layer = _overlay(conn)
    moved = layer.moved(f) if layer else set()
    walks = []
    dated, undated, params = _date_order_sql(None, f, None if moved else conn)  # the corrected merged in below
    for sql in (dated, undated):
        walk = array("q")
        for page in _pages(conn, sql, params):
            walk.extend(page)
        walks.append(walk)
    if moved:  # the analyst's corrected events: out of the machine's places, into their own
        machine, analyst = layer.machine, layer.analyst
        picked = layer.matching(conn, f, moved)
        walks = [
            _spliced(
                conn,
                walk,
                [(machine[seq].date_start or "", seq) for seq in moved if (machine[seq].date_start is None) != dated],
                [(analyst[seq].date_start or "", seq) for seq in picked if (analyst[seq].date_start is None) != dated],
            )
            for walk, dated in zip(walks, (True, False), strict=True)
        ]
    return walks[0] + walks[1]


def _spliced(conn, walk: array, out: list[tuple[str, int]], into: list[tuple[str, int]]) -> array:
    """A walk in (date, row number) order (undated: date ""), with the events `out` taken out
    where they are and those `into` put in at their keys: the few found by bisection (a statement
    per step, for all of them at once), the million rows copied in slices."""
    found = _bisected(conn, walk, [*out, *into])
    taken = {p for p, (_, seq) in zip(found, out, strict=False) if p < len(walk) and walk[p] == seq}
    put: dict[int, list[int]] = {}  # position -> the events put in before the row there, in order
    for p, (_, seq) in sorted(zip(found[len(out) :], into, strict=True)):
        put.setdefault(p, []).append(seq)
    spliced, start = array("q"), 0
    for p in sorted(taken | set(put)):
        spliced.extend(walk[start:p])
        spliced.extend(put.get(p, ()))
        start = p + 1 if p in taken else p
    spliced.extend(walk[start:])
    return spliced


def _bisected(conn, walk: array, keys: list[tuple[str, int]]) -> list[int]:
    """Where each (date, row number) key goes in a walk in that order (bisect_left): the dates of
    the rows probed read a step at a time for all the keys, ~20 statements for a million rows."""
    low, high = [0] * len(keys), [len(walk)] * len(keys)
    dates: dict[int, str] = {}  # row number -> its date, of the rows probed (the first steps probe the same few)
    while probing := [i for i in range(len(keys)) if low[i] < high[i]]:
        middle = {i: (low[i] + high[i]) // 2 for i in probing}
        unread = {walk[m] for m in middle.values()} - dates.keys()
        dates |= conn.execute(
            "SELECT seq, coalesce(date_start, '') FROM events WHERE seq IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unread)),),
        ).fetchall()
        for i, m in middle.items():
            if (dates.get(walk[m], ""), walk[m]) < keys[i]:
                low[i] = m + 1
            else:
                high[i] = m
    return low


def _pages(conn, sql: str, params: list) -> Iterator[list[int]]:
    """The first column of a query's rows (row numbers), PAGE_ROWS at a time."""
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        cursor.execute(sql, params)
        while page := cursor.fetchmany(PAGE_ROWS):
            yield [r[0] for r in page]
    except sqlite3.OperationalError as e:
        raise _search_error(e, sql) from None


# A search for a common word: its first rows come from walking the date order and asking the
# search index about each event (~30 us each), not from collecting its half a million hits first.
SEARCH_PROBE = 2000  # hits read in the index's own order, to tell how common the words are
SEARCH_WALK = 3000  # events asked about at most, ~0.1 s; a rarer search collects its hits


def first_rows(conn, f: Filter, limit: int) -> TimelineIndex:
    """The first `limit` matching events in date order, as a short index: a LIMIT walk of a date
    index, what the screen shows while `timeline_index` reads them all."""
    src = _source(f, need_events=False)
    columns = f"{src.id} AS seq, {src.month} AS month"
    rows = _common_search(conn, f, columns, limit)
    if rows is None:
        rows = _in_date_order(conn, columns, f, limit, plain=True)
    months = [(m, sum(1 for _ in group)) for m, group in itertools.groupby(r[1] for r in rows)]
    return TimelineIndex(array("q", (r[0] for r in rows)), months)


def _common_search(conn, f: Filter, columns: str, limit: int) -> list | None:
    """The first dated rows of a search whose words are common enough that walking the date order
    finds `limit` of them within SEARCH_WALK events; None if not (then collecting the hits is cheaper)."""
    words = fts_query(f.search) if f.search else None
    if not words or any("summary" in fields for fields in _overlay(conn).edited.values()):
        return None  # a corrected summary is searched apart: collect the hits
    probe = _run(conn, "SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?", [words, SEARCH_PROBE], True)
    if len(probe) < SEARCH_PROBE:
        return None  # few hits: collecting them is fast
    share = SEARCH_PROBE / (probe[-1][0] - probe[0][0] + 1)  # of the events, in the row numbers read
    if limit / share > SEARCH_WALK:
        return None
    dated, _, params = _date_order_sql(columns, replace(f, search=None), conn)
    rows = _run(
        conn,
        f"SELECT * FROM ({dated} LIMIT {SEARCH_WALK}) AS walked"
        " WHERE EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ? AND rowid = walked.seq)"
        f" LIMIT {int(limit)}",
        [*params, words],
        plain=True,
    )
    return rows if len(rows) == limit else None  # fewer: the walk ended early, the answer is elsewhere


def event_ids(conn, f: Filter, limit: int | None = None) -> list[str]:
    """Ids of the matching events in date order (undated last)."""
    return [r[0] for r in _in_date_order(conn, "e.id", f, limit, plain=True)]


def count_events(conn, f: Filter = Filter(), among: list[str] | None = None) -> int:
    """How many events match, with the analyst's values of the fields corrected; with `among`,
    how many of those ids do."""
    where, params = _where(f)
    if among is not None:
        where += (" AND " if where else " WHERE ") + "e.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(among))
    layer = _overlay(conn) if not f.is_empty else None  # no filter: a correction changes no count
    moved = layer.moved(f) if layer else set()
    if not moved:
        return _run(conn, "SELECT count(*) FROM events e" + where, params)[0][0]
    where += (" AND " if where else " WHERE ") + "e.seq NOT IN (SELECT value FROM json_each(?))"
    machine = _run(conn, "SELECT count(*) FROM events e" + where, [*params, json.dumps(sorted(moved))])[0][0]
    assert layer is not None
    corrected = layer.matching(conn, f, moved)
    if among is not None:
        corrected = seqs_matching(conn, Filter(), corrected, among)
    return machine + len(corrected)


_ROW_COLUMNS = (  # in EventRow's order: _positional_row reads them by position
    "e.seq AS rowid, e.id, e.date, e.date_start, e.date_end, e.precision, e.type, e.sub_type, e.summary,"
    " e.fatalities, e.confidence, e.sources, e.publishers, coalesce(a.starred, 0) AS starred,"
    " e.independent_sources, e.disputed"
)
_FROM = " FROM events e LEFT JOIN annotations a ON a.event_id = e.id"
_ROW = f"SELECT {_ROW_COLUMNS}{_FROM}"
# What a detail adds to a row, last in _DETAIL_ROW (then the note), as EventDetail's fields of these names.
_DETAIL_COLUMNS = ("date_expression", "date_source", "fatalities_low", "fatalities_high", "fatalities_raw", "trigger")
_DETAIL_ROW = f"SELECT {_ROW_COLUMNS}, {', '.join(f'e.{c}' for c in _DETAIL_COLUMNS)}, a.note{_FROM}"


def list_events(conn, f: Filter = Filter(), limit: int | None = None) -> list[EventRow]:
    return [row for page in list_pages(conn, f, limit) for row in page]


def list_pages(conn, f: Filter = Filter(), limit: int | None = None, size: int = 500) -> Iterator[list[EventRow]]:
    """The events in date order (undated last), `size` at a time, read as they are asked for: the
    first page comes at once and memory stays flat, whatever the number of events."""
    for seqs in _walk(conn, f, "e.seq", limit, size):
        yield events_by_rowids(conn, seqs)


def id_pages(conn, f: Filter = Filter(), limit: int | None = None, size: int = 500) -> Generator[list[str]]:
    """The ids `list_pages` gives the rows of, without reading the rows: an export reads their details."""
    yield from _walk(conn, f, "e.id", limit, size)


def _walk(conn, f: Filter, column: str, limit: int | None, size: int) -> Iterator[list]:
    """The first column of the dated rows in date order, then of the undated, `size` at a time,
    each page read as it is asked for (store.batches: on PostgreSQL a server-side cursor)."""
    dated, undated, params = _date_order_sql(column, f, conn)
    left = limit
    for sql in (dated, undated):
        try:
            for batch in store.batches(conn, sql + (f" LIMIT {int(left)}" if left is not None else ""), params, size):
                yield [r[0] for r in batch]
                left = None if left is None else left - len(batch)
        except sqlite3.OperationalError as e:
            raise _search_error(e, sql) from None
        if left == 0:
            return


def events_by_ids(conn, ids: list[str], layer: bool = True) -> list[EventRow]:
    """Rows for a page of ids, in the order given; `layer=False`: the machine's, uncorrected."""
    return _page(conn, "e.id", ids, lambda r: r.id, layer)


def events_by_rowids(conn, rowids) -> list[EventRow]:
    """Rows for a page of the app's index, in the order given."""
    return _page(conn, "e.seq", list(rowids), lambda r: r.rowid)


def _page(conn, column: str, keys: list, key_of, layer: bool = True) -> list[EventRow]:
    if not keys:
        return []
    rows = {
        key_of(row): row
        for row in map(_event_row, conn.execute(_ROW + f" WHERE {_one_of(column)}", (json.dumps(keys),)))
    }
    page = [rows[k] for k in keys if k in rows]
    _entities(conn, page)
    if layer:
        from db import corrections  # the analyst's layer, which reads the store through this module

        corrections.apply(conn, page)
    return page


def rowids_of(conn, ids) -> set[int]:
    """The index positions' keys for a set of event ids (search hits, marks)."""
    ids = list(ids)
    return {
        r[0]
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500))
        for r in conn.execute(f"SELECT seq FROM events WHERE id IN ({_marks(chunk)})", chunk)
    }


def _event_row(r) -> EventRow:
    return EventRow(
        r["rowid"],
        r["id"],
        r["date"],
        r["date_start"],
        r["date_end"],
        r["precision"],
        r["type"],
        r["sub_type"],
        r["summary"],
        r["fatalities"],
        r["confidence"],
        r["sources"],
        r["publishers"],
        bool(r["starred"]),
        independent_sources=r["independent_sources"],
        disputed=tuple(r["disputed"].split(",")) if r["disputed"] else (),
    )


def _positional_row(r: tuple) -> EventRow:
    """`_event_row` of a tuple whose columns begin as _ROW_COLUMNS do, read by position: their
    order is the dataclass's own (an export makes 10k of these; a Row is read by name slowly)."""
    columns = (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12])  # mypy counts these
    disputed = tuple(r[15].split(",")) if r[15] else ()
    return EventRow(*columns, bool(r[13]), independent_sources=r[14], disputed=disputed)


def _entities(conn, rows: list[EventRow]) -> tuple[dict[int, list], dict[int, list]]:
    """Fill each row's actors and places (direct links, in order), 500 events a statement; and
    return the link rows by event, for the detail: (seq, name, role, named) and (seq, id, name,
    country, admin1, lat, lon, kind)."""
    by_seq = {r.rowid: r for r in rows}
    seqs = list(by_seq)
    actors: dict[int, list] = {}
    places: dict[int, list] = {}
    cursor = conn.cursor()
    cursor.row_factory = None  # tuples: ten thousand events' links in an export
    for r in cursor.execute(
        "SELECT ea.event_seq, a.name, ea.role, ea.named FROM event_actors ea JOIN actors a ON a.seq = ea.actor_seq"
        f" WHERE {_one_of('ea.event_seq')} AND ea.direct"
        " ORDER BY ea.event_seq, CASE ea.role WHEN 'actor1' THEN 0 WHEN 'actor2' THEN 1 ELSE 2 END, a.name",
        (json.dumps(seqs),),
    ):
        by_seq[r[0]].actors.append((r[1], r[2]))
        actors.setdefault(r[0], []).append(r)
    for r in cursor.execute(
        "SELECT ep.event_seq, p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.kind FROM event_places ep"
        f" JOIN places p ON p.seq = ep.place_seq WHERE {_one_of('ep.event_seq')} AND ep.direct"
        " ORDER BY ep.event_seq, ep.position",
        (json.dumps(seqs),),
    ):
        by_seq[r[0]].places.append(r[2])
        places.setdefault(r[0], []).append(r)
    return actors, places


def event_detail(conn, event_id: str) -> EventDetail | None:
    found = event_details(conn, [event_id])
    return found[0] if found else None


DETAIL_CHUNK = 500  # events read per statement: an export of 10k events is a few dozen statements


def event_details(conn, ids: list[str]) -> list[EventDetail]:
    """The detail of each event (the unknown left out), in the order given."""
    out: list[EventDetail] = []
    for i in range(0, len(ids), DETAIL_CHUNK):
        out += _details(conn, ids[i : i + DETAIL_CHUNK])
    return out


def _details(conn, ids: list[str]) -> list[EventDetail]:
    cursor = conn.cursor()
    cursor.row_factory = None  # tuples: a Row is read by name slowly, and an export reads 10k of these
    events = {r[1]: r for r in cursor.execute(_DETAIL_ROW + f" WHERE {_one_of('e.id')}", (json.dumps(ids),))}
    rows = [_positional_row(events[i]) for i in ids if i in events]
    if not rows:
        return []
    actors, places = _entities(conn, rows)
    found = list(events)
    quoted: dict[str, list[Source]] = {}
    for event_id, *source in cursor.execute(
        "SELECT v.event_id, v.document_id, v.path, v.title, v.publisher, v.published,"
        ' substr(v.text, v.start + 1, v."end" - v.start), v.start, v."end"'  # evidence with its document
        f" FROM ({quotes_of(_one_of)}) v ORDER BY v.id",
        (json.dumps(found),) * 2,
    ):
        quoted.setdefault(event_id, []).append(Source(*source))
    told: dict[str, list] = {}  # what each source said: its row, its actors' and places' ids
    for r in conn.execute(f"SELECT * FROM event_sources WHERE {_one_of('event_id')}", (json.dumps(found),)):
        told.setdefault(r["event_id"], []).append((r, json.loads(r["actors"]), json.loads(r["places"])))
    named = _names(conn, "actors", {a for rs in told.values() for _, actors, _ in rs for a, _ in actors})
    named |= _names(conn, "places", {p for rs in told.values() for _, _, place_ids in rs for p in place_ids})
    countries = _country_names(conn, {r[3] for rs in places.values() for r in rs if r[3]})
    from db.annotations import tags_of  # the user layer, which reads the store through this module

    tags = tags_of(conn, found)
    details = []
    for row in rows:
        date_expression, date_source, low, high, raw, trigger, note = events[row.id][-len(_DETAIL_COLUMNS) - 1 :]
        place_infos = [
            PlaceInfo(
                pid,
                name,
                country,
                countries.get(country),
                name if kind == "admin1" else admin1,
                *_point(lat, lon),
                kind,
            )
            for _, pid, name, country, admin1, lat, lon, kind in places.get(row.rowid, [])
        ]
        detail = EventDetail(
            row,
            date_expression,
            date_source,
            low,
            high,
            raw,
            trigger,
            place_infos,
            quoted.get(row.id, []),
            note,
            tags.get(row.id, ()),
            {r[1]: r[3] for r in actors.get(row.rowid, []) if r[3] and r[3] != r[1]},
        )
        _add_says(detail, told.get(row.id, []), named)
        details.append(detail)
    from db import corrections

    corrections.apply_details(conn, details)  # after what each source said: the machine's words
    return details


def _add_says(d: EventDetail, told: list, names: dict[str, str]) -> None:
    """What each of the detail's sources said (`told`: its event_sources rows, each with its
    actors' and places' ids, whose `names` are read for a page of events at once). An event's only
    source says what the event says (an ACLED row); the several sources of a store not reloaded
    since version 9 say nothing yet."""
    row, sources = d.event, d.sources
    if not told and (len(sources) == 1 or len({s.document_id for s in sources}) == 1):
        says = Says(
            row.date,
            row.precision,
            d.date_expression,
            row.type,
            row.sub_type,
            row.fatalities,
            d.fatalities_low,
            d.fatalities_high,
            d.fatalities_raw,
            row.actors,
            [p.name for p in d.places],
        )
        for s in sources:
            s.says = says
        return
    by_document = {}
    for r, actors, place_ids in told:
        says = Says(
            r["date"],
            r["precision"],
            r["date_expression"],
            r["type"],
            r["sub_type"],
            r["fatalities"],
            r["fatalities_low"],
            r["fatalities_high"],
            r["fatalities_raw"],
            [(names.get(a, a), role) for a, role in actors],
            [names.get(p, p) for p in place_ids],
        )
        by_document[r["document_id"]] = (says, r["wire"], r["counted_with"])
    for s in sources:
        if s.document_id in by_document:
            s.says, s.wire, s.counted_with = by_document[s.document_id]


def _point(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """A place's point, or none if it is not on the globe (an import before version 11 took "inf"):
    exports are JSON, which holds no Infinity or NaN."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN compares False
        return None, None
    return lat, lon


def _names(conn, table: str, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(
        conn.execute(f"SELECT id, name FROM {table} WHERE {_one_of('id')}", (json.dumps(sorted(ids)),)).fetchall()
    )


def quote_in_context(conn, source: Source, chars: int) -> tuple[str, str, str]:
    """The quote with up to `chars` characters either side, cut at word boundaries; read by
    substr, so a keypress never loads a whole article."""
    row = conn.execute(
        "SELECT substr(text, ?, ?), substr(text, ?, ?) FROM documents WHERE id = ?",
        (max(1, source.start - chars + 1), min(chars, source.start), source.end + 1, chars, source.document_id),
    ).fetchone()
    before, after = (row[0] or "", row[1] or "") if row else ("", "")
    if len(before) == chars:
        before = before[before.find(" ") + 1 :]
    if len(after) == chars:
        after = after[: after.rfind(" ")]
    return before, source.quote, after


def document_text(conn, document_id: int) -> tuple[str | None, str]:
    row = conn.execute("SELECT title, text FROM documents WHERE id = ?", (document_id,)).fetchone()
    return (row["title"], row["text"]) if row else (None, "")


# ---- facets and counts ----------------------------------------------------------------------


def counts_under(conn, f: Filter, hidden: BitMap | None = None) -> tuple[Facets, list[tuple[str, int]]]:
    """The panes' counts and the events per month under a filter (the app's Counted answer), the
    filter's events read once for both (a common word's half a million hits take a second); the
    events `hidden` (the rejected) not counted."""
    picked: dict[Filter, BitMap | None] = {}
    return facets(conn, f, picked=picked, hidden=hidden), month_counts(conn, f, picked, hidden)


def facets(
    conn,
    f: Filter,
    counted: bool = True,
    picked: dict[Filter, BitMap | None] | None = None,
    hidden: BitMap | None = None,
) -> Facets:
    """Values with counts under the filter; each pane ignores its own selection, so choosing
    ISIS does not hide the other actors you could add. Links to ancestors count too: a country's
    count is the events in it. With nothing but whole months chosen, the counts are read from
    `month_counts`; under any other filter they are the sizes of the values' sets of events
    intersected with the filter's (`counted=False`: always so)."""
    out: dict[str, list] = {}
    picked = {} if picked is None else picked  # a filter's events, read once (the panes' filters are often one)
    layer = _overlay(conn)
    for facet in ("actors", "places", "types"):
        facet_filter = f.without(facet)
        months = _whole_months(facet_filter) if counted and not hidden else None  # the table counts all
        for name in (facet, "sub_types") if facet == "types" else (facet,):
            if months is not None:
                out[name] = _summed(conn, name, months, facet_filter)
                if layer:  # the corrected events, counted where the machine's dates and values put them: moved
                    in_window = partial(_in_window, window=_window(months, facet_filter.since is not None))
                    out[name] = _recounted(conn, name, out[name], layer, in_window, dated=True)
                continue
            events = _picked(conn, facet_filter, picked)
            out[name] = _intersected(conn, name, events, hidden)
            if layer:
                among = partial(_among, picked=events, hidden=hidden)
                out[name] = _recounted(conn, name, out[name], layer, among, dated=False)
    type_names = {r[0] for r in out["types"]}
    sub_types = [r for r in out["sub_types"] if r[0] not in type_names]  # one named as a type is that type
    return Facets(
        *([FacetValue(*r) for r in rows] for rows in (out["actors"], out["places"], out["types"] + sub_types))
    )


def _picked(conn, f: Filter, memo: dict[Filter, BitMap | None]) -> BitMap | None:
    """The events a filter picks, as a set (None: every event), remembered in `memo`. The chosen
    values' sets are read; the rest of the filter (dates, search, stars…) is asked of SQL."""
    if f not in memo:
        memo[f] = _picked_now(conn, f)
    return memo[f]


def _picked_now(conn, f: Filter) -> BitMap | None:
    chosen = []
    for kinds, values in ((("actors",), f.actors), (("places",), f.places), (("types", "sub_types"), f.types)):
        if values:  # a type chosen by name picks a type or a sub-type of that name
            sets = [s for kind in kinds for _, s in counts.event_sets(conn, kind, list(values)).values()]
            chosen.append(BitMap.union(BitMap(), *sets))
    rest = replace(f, actors=(), places=(), types=())
    if not rest.is_empty:
        where, params = _where(rest)
        events = BitMap()
        for page in _pages(conn, f"SELECT e.seq FROM events e{where}", params):  # not a list of 500k rows: 45 MB
            events.update(page)
        chosen.append(events)
    machine = BitMap.intersection(*chosen) if len(chosen) > 1 else chosen[0] if chosen else None
    layer = _overlay(conn) if machine is not None else None
    moved = layer.moved(f) if layer else set()
    if not moved:
        return machine
    assert layer is not None and machine is not None
    return (machine - BitMap(moved)) | BitMap(layer.matching(conn, f, moved))


def _intersected(conn, facet: str, picked: BitMap | None, hidden: BitMap | None = None) -> list[tuple]:
    """(value, name, count, parent) of each value with events among those picked and not hidden,
    most first."""
    found = {}
    for value, (parent, events) in counts.event_sets(conn, facet, stored=True).items():
        n = _size(events, picked, hidden)
        if n:
            found[value] = (value, value, n, parent)
    if facet in ("actors", "places"):  # named, and placed in their tree, by their tables (stored by seq, as text)
        rows = conn.execute(
            f"SELECT {counts.as_stored('seq')}, id, name, parent FROM {facet}"
            " WHERE seq IN (SELECT value FROM json_each(?))",
            (json.dumps(list(found)),),
        )
        found = {i: (i, name, found[seq][2], parent) for seq, i, name, parent in rows}
    return sorted(found.values(), key=lambda r: (-r[2], r[1]))


def _recounted(
    conn, facet: str, rows: list, layer: Overlay, counted: Callable[[int, Facts], bool], dated: bool
) -> list[tuple]:
    """A facet's counts (value, name, count, parent), with each corrected event taken from the values
    the machine gave it and counted under the analyst's: `counted(seq, facts)` says whether the rows
    count it with those facts (inside the window, among the events picked). `dated`: the rows count
    by date (a window of `month_counts`), so a corrected date moves an event in or out too."""
    delta, parents = moved_counts(layer, facet, counted, dated)
    if not any(delta.values()):
        return rows
    found = {r[0]: tuple(r) for r in rows}
    new = [v for v, n in delta.items() if n > 0 and v not in found]
    if facet in ("actors", "places"):
        found |= {
            i: (i, name, 0, parent)
            for i, name, parent in conn.execute(
                f"SELECT id, name, parent FROM {facet} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(new),)
            )
        }
    else:
        found |= {v: (v, v, 0, parents[v]) for v in new}
    out = [(v, name, n + delta.get(v, 0), parent) for v, name, n, parent in found.values()]
    return sorted((r for r in out if r[2] > 0), key=lambda r: (-r[2], r[1]))


def moved_counts(
    layer: Overlay, facet: str, counted: Callable[[int, Facts], bool], dated: bool
) -> tuple[dict[str, int], dict[str, str | None]]:
    """What the analyst's corrections change in a facet's counts: value -> events gained (negative:
    lost), and the parent of each value gained (a sub-type's type). `counted` and `dated` as
    `_recounted` takes them."""
    fields = {"types": "type", "sub_types": "type"}.get(facet, facet), *(("date",) if dated else ())
    delta: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    for seq, edited in layer.edited.items():
        if edited.isdisjoint(fields):
            continue
        machine, analyst = layer.machine[seq], layer.analyst[seq]
        before = _facet_values(machine, facet) if counted(seq, machine) else set()
        after = _facet_values(analyst, facet) if counted(seq, analyst) else set()
        for value in before - after:
            delta[value] = delta.get(value, 0) - 1
        for value in after - before:
            delta[value] = delta.get(value, 0) + 1
            parents[value] = analyst.type if facet == "sub_types" else None
    return delta, parents


def _facet_values(facts: Facts, facet: str) -> set[str]:
    """The values of a facet an event of these facts is counted under (as db/counts.py's FACETS)."""
    if facet == "types":
        return {facts.type}
    if facet == "sub_types":
        return {facts.sub_type} if facts.sub_type != facts.type else set()
    return set(getattr(facts, facet))


def _among(seq: int, _: Facts, picked: BitMap | None, hidden: BitMap | None) -> bool:
    """Whether the counts under a filter count an event: it is picked (None: every event), not hidden."""
    return (picked is None or seq in picked) and not (hidden and seq in hidden)


def _window(months: tuple[str, str], since: bool) -> tuple[str, str, str] | None:
    """The months `_summed` reads for a window: (from, first, last): an event begun from `from` on
    and up to `last` is counted if it begins in `first` or later, or ends then; None: all time."""
    first, last = months
    if first == counts.ALL_TIME:
        return None
    return counts.months_before(first, counts.SPAN_MONTHS) if since else first, first, last


def _in_window(_: int, facts: Facts, window: tuple[str, str, str] | None) -> bool:
    """Whether `month_counts` counts an event of these dates in a window of whole months (as
    `_summed` reads it): it begins inside, or in the year before and ends inside or after."""
    if window is None:
        return True
    back, first, last = window
    begins, ends = (facts.date_start or "")[:7], (facts.date_end or "")[:7]
    return bool(begins) and back <= begins <= last and (begins >= first or ends >= first)


def _size(events: BitMap, picked: BitMap | None, hidden: BitMap | None) -> int:
    """How many of `events` are picked (None: every event) and not hidden (a few: the rejected)."""
    n = len(events) if picked is None else picked.intersection_cardinality(events)
    if hidden:
        n -= (hidden if picked is None else hidden & picked).intersection_cardinality(events)
    return n


def _whole_months(f: Filter) -> tuple[str, str] | None:
    """The months `month_counts` answers a filter with, or None: ("*", "*") for no filter."""
    if f != Filter(since=f.since, until=f.until):
        return None
    if not (f.since or f.until):
        return (counts.ALL_TIME, counts.ALL_TIME)
    return counts.whole_months(f.since, f.until)


def _summed(conn, facet: str, months: tuple[str, str], f: Filter) -> list:
    """A facet's counts from `month_counts`: the events that begin in the window, and those that
    begin in the year before it and end inside or after its first month."""
    first, last = months
    back = counts.months_before(first, counts.SPAN_MONTHS) if f.since else first
    named = facet in ("actors", "places")  # values with a table of their names and parents, stored by seq
    value, name, parent, join = (  # each row's place or actor looked up by its key, the seq
        ("t.id", "t.name", "t.parent", f" JOIN {facet} t ON t.seq = {counts.stored_seq('m.value')}")
        if named
        else ("m.value", "m.value", "m.parent", "")
    )
    return conn.execute(
        f"SELECT {value}, {name}, sum(m.n) AS n, {parent} FROM month_counts m{join}"
        " WHERE m.facet = ? AND m.month BETWEEN ? AND ? AND (m.month >= ? OR m.last >= ?)"
        f" GROUP BY {value}, {name}, {parent} ORDER BY n DESC, {name}",  # one name and parent a value
        (facet, back, last, first, first),
    ).fetchall()


def month_counts(
    conn, f: Filter = Filter(), picked: dict[Filter, BitMap | None] | None = None, hidden: BitMap | None = None
) -> list[tuple[str, int]]:
    """Events per month (YYYY-MM) under the filter, dated events only, in order; `hidden` not counted."""
    events = None if f.is_empty else _picked(conn, f, {} if picked is None else picked)
    return [(m, n) for m, n in _months(conn, events, hidden) if m is not None]


@dataclass
class Headline:
    """What `stats` reads at once, whatever the store's size: the events, types and places from the
    all-time counts kept by every write (db/counts.py), the dates from the date index; the events
    the analyst rejected or merged into another left out, those corrected counted with the analyst's values."""

    events: int
    undated_events: int
    first: str | None
    last: str | None
    types: list[tuple[str, int]]
    countries: list[tuple[str, int]]  # the most eventful, with their event counts
    divisions: list[tuple[str, int]]  # first-level divisions, "Deir ez-Zor, Syria"


@dataclass
class Stats(Headline):
    """The headline and the figures counted by a pass over a table (`scanned_figures`)."""

    documents: int
    quotes: int  # quoted sentences; a document is one source however many it gives
    multi_source_events: int
    actors: int
    places: int


TOP = 10  # countries and divisions listed by `stats`


def stats(conn) -> Stats:
    """The store in figures; the events the analyst rejected or merged into another are not counted
    among the events."""
    figures: dict[str, Any] = dict(scanned_figures(conn))
    return Stats(**vars(headline(conn)), **figures)


def headline(conn) -> Headline:
    """The figures of `stats` that the counts kept answer: the machine's all-time rows of
    `month_counts`, less the few events the analyst does not see (rejected, or merged into
    another: the events `list` and the app show), with the few corrected moved to the analyst's
    values; no pass over the events."""
    from db.corrections import merged, rejected_ids  # the analyst's layer, which reads the store through this module

    layer = _overlay(conn)
    unseen = conn.execute(  # the merged away too: the event they are part of counts them once
        "SELECT seq, type, date_start FROM events WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(rejected_ids(conn) | set(merged(conn)))),),
    ).fetchall()
    gone = {seq for seq, _, _ in unseen}
    shown = [seq for seq in layer.edited if seq not in gone]  # corrected and counted
    types = Counter(
        dict(
            conn.execute(  # every event has one type: the types' all-time rows count the events
                "SELECT value, n FROM month_counts WHERE facet = 'types' AND month = ? AND last = ?",
                (counts.ALL_TIME, counts.ALL_TIME),
            )
        )
    )
    types.subtract(kind for _, kind, _ in unseen)
    types.subtract(layer.machine[seq].type for seq in shown)
    types.update(layer.analyst[seq].type for seq in shown)
    undated = conn.execute(
        "SELECT coalesce(sum(n), 0) FROM month_counts WHERE facet = 'types' AND month = ? AND last = ?",
        (counts.UNDATED, counts.UNDATED),
    ).fetchone()[0]
    undated -= sum(start is None for _, _, start in unseen)
    undated += sum((layer.analyst[s].date_start is None) - (layer.machine[s].date_start is None) for s in shown)
    dates = [d for seq in layer.edited for d in (layer.analyst[seq].date_start, layer.analyst[seq].date_end) if d]
    moved = json.dumps([seq for seq, fields in layer.edited.items() if "date" in fields])
    first = conn.execute(  # a walk of the date index to the first event not moved
        "SELECT date_start FROM events WHERE date_start IS NOT NULL AND seq NOT IN"
        " (SELECT value FROM json_each(?)) ORDER BY date_start LIMIT 1",
        (moved,),
    ).fetchone()
    return Headline(
        events=sum(types.values()),
        undated_events=undated,
        first=min(filter(None, (first and first[0], *dates)), default=None),
        last=max(filter(None, (_last_end(conn, moved), *dates)), default=None),
        types=sorted(((t, n) for t, n in types.items() if n > 0), key=lambda r: (-r[1], r[0])),  # ties by name
        countries=_top_places(conn, "country", layer, gone),
        divisions=_top_places(conn, "admin1", layer, gone),
    )


def _last_end(conn, moved: str) -> str | None:
    """The latest end of the events not `moved` (a JSON list of row numbers), without a pass over
    them: two walks back from the latest start, each ended by the first start too early to end
    later than the latest end found: the events of a day by the date index (each ends by its
    start), those lasting longer by their own index (each ends within a year of its start)."""
    not_moved = "seq NOT IN (SELECT value FROM json_each(?))"
    latest = conn.execute(  # an end without a start, if any: the undated events, found by the date index
        f"SELECT max(date_end) FROM events WHERE date_start IS NULL AND {not_moved}", (moved,)
    ).fetchone()[0]
    for lasting, span in (
        ("NOT date_end > date_start", timedelta(0)),
        ("date_end > date_start", timedelta(MAX_SPAN_DAYS)),
    ):
        earliest = None  # a start this early or earlier ends by the latest end found
        walk = store.rows(  # read as it goes (on PostgreSQL too): the walk stops after a few rows
            conn,
            f"SELECT date_start, date_end FROM events WHERE date_start IS NOT NULL AND {lasting} AND {not_moved}"
            " ORDER BY date_start DESC",
            (moved,),
        )
        with contextlib.closing(walk):
            for start, end in walk:
                if earliest is not None and start <= earliest:
                    break
                if latest is None or end > latest:
                    latest = end
                earliest = (max(date.fromisoformat(latest), date.min + span) - span).isoformat()
    return latest


def _top_places(conn, kind: str, layer: Overlay, gone: set[int]) -> list[tuple[str, int]]:
    """The places of a kind with the most events (their all-time rows of `month_counts`, a country's
    counting the events in it), less the events `gone` (row numbers: rejected or merged away), the
    analyst's places counted for an event corrected."""
    rows = conn.execute(  # the places of the kind first (a few thousand divisions, of 300k places with events)
        "SELECT p.id, p.name, p.country, m.n FROM places p CROSS JOIN month_counts m WHERE p.kind = ?"
        f" AND m.facet = 'places' AND m.month = ? AND m.last = ? AND m.value = {counts.as_stored('p.seq')}",
        (kind, counts.ALL_TIME, counts.ALL_TIME),
    ).fetchall()
    n = Counter({r[0]: r[3] for r in rows})
    n.subtract(
        place
        for (place,) in conn.execute(
            "SELECT p.id FROM event_places ep JOIN places p ON p.seq = ep.place_seq"
            " WHERE ep.event_seq IN (SELECT value FROM json_each(?)) AND p.kind = ?",
            (json.dumps(sorted(gone)), kind),
        )
    )
    for seq, fields in layer.edited.items():
        if "places" in fields and seq not in gone:
            n.subtract(layer.machine[seq].places)
            n.update(layer.analyst[seq].places)
    named = {r[0]: (r[1], r[2]) for r in rows}
    new = [p for p in n if p not in named]
    if new:  # the places the analyst gave, by their ids alone (asked their kind too, a store may scan the kind)
        found = conn.execute(
            "SELECT id, name, country, kind FROM places WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(new),),
        )
        named |= {r[0]: (r[1], r[2]) for r in found if r[3] == kind}
    top = sorted(((named[p], c) for p, c in n.items() if c > 0 and p in named), key=lambda r: (-r[1], r[0][0]))[:TOP]
    if kind == "country":
        return [(name, c) for (name, _), c in top]
    return [(", ".join(filter(None, (name, _country_name(conn, country)))), c) for (name, country), c in top]


def scanned_figures(conn) -> Iterator[tuple[str, int]]:
    """The figures of `stats` no kept count answers, each a pass over a table (seconds at millions
    of events): (its name in `Stats`, the figure), one at a time, for a reader to show as each comes."""
    yield "documents", conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    yield "quotes", conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    yield "multi_source_events", _multi_source_events(conn)
    for name, links, value in (("actors", "event_actors", "actor_seq"), ("places", "event_places", "place_seq")):
        # every row numbered from 1: the links read in their key's order, where the planner may walk
        # the index by value and look up each link's `direct` (2.9 s for 900k links, 0.2 s in order)
        found = conn.execute(f"SELECT count(DISTINCT {value}) FROM {links} WHERE direct AND event_seq > 0")
        yield name, found.fetchone()[0]


def _multi_source_events(conn) -> int:
    """The events with several sources as `list` and the app show them: not those rejected or
    merged into another (as the headline), and the few whose sources the analyst changed (an
    event others were merged into has the sources of all, one split has fewer) counted by theirs."""
    from db.corrections import merged, rejected_ids, reviewed_ids

    into = merged(conn)
    gone = rejected_ids(conn) | set(into)
    several = conn.execute(
        "SELECT count(*) FROM events WHERE sources > 1 AND id NOT IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(gone)),),
    ).fetchone()[0]
    split = {event_id for event_id, review in reviewed_ids(conn).items() if review.splits}
    changed = sorted((split | set(into.values())) - gone)
    several -= sum(r.sources > 1 for r in events_by_ids(conn, changed, layer=False))  # counted by the machine's
    return several + sum(r.sources > 1 for r in events_by_ids(conn, changed))


def describe_filter(conn, f: Filter) -> str:
    """The filter in words, for export headings: "Timeline: Islamic State; Deir ez-Zor; 2017"."""

    def names(table: str, ids) -> list[str]:  # by id where the name is gone (a view saved long ago)
        found = [conn.execute(f"SELECT name FROM {table} WHERE id = ?", (i,)).fetchone() for i in ids]
        return [row[0] if row else i for row, i in zip(found, ids, strict=True)]

    parts = []
    if f.actors:
        parts.append(" or ".join(names("actors", f.actors)))
    if f.places:
        parts.append(" or ".join(names("places", f.places)))
    if f.types:
        parts.append(" or ".join(f.types))
    if f.since or f.until:
        parts.append(f"{f.since or '…'} to {f.until or '…'}")
    if f.search:
        parts.append(f"matching “{f.search}”")
    if f.starred:
        parts.append("starred")
    if f.around:
        event_id, days = f.around
        row = conn.execute("SELECT date FROM events WHERE id = ?", (event_id,)).fetchone()
        when = f"{row[0]} ({event_id})" if row and row[0] else event_id
        parts.append(f"within {days} days of the event of {when}, at its places or with its actors")
    if f.disputed:
        parts.append("disputed")
    if f.min_sources > 1:
        parts.append(f"{f.min_sources}+ independent sources")
    if f.min_confidence > 0:
        parts.append(f"confidence {f.min_confidence:g}+")
    return "Timeline" + (": " + "; ".join(parts) if parts else "")
