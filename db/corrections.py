"""The analyst's corrections of the machine's events, and the one place they are applied.

A correction is a row of `user.corrections` (db/schema.py), appended and never changed: confirm,
reject, an edit of one field (the machine's value then, and the analyst's), or an undo of an
earlier correction. The store's events are never edited: `apply` lays the corrections over the rows
and details db/queries.py reads, so the command line, the exports and the app all show the
machine's event with the analyst's layer on it (design.md, "Two layers of truth").

A correction names its event by id and by its anchor: the document (its key: an article's sha256,
an ACLED row's id) and the offsets of the quote the event rested on. A re-extraction that gives
the event another id (a changed lexicon gives it another type, and the id holds the type) leaves
its evidence where it was, and the correction follows the evidence there. A correction whose
event is gone is an orphan: kept, shown by `orphans`, and applied again if the event comes back.
When the machine's value of a corrected field changes (an ACLED revision, a better extractor), the
field is flagged as a conflict: the analyst corrected a value that is no longer the machine's.

Plain functions taking a connection (the store, with the user database attached), for the
command line and the app's workers alike. Every write is one statement (db/annotations.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from db import store
from db.activity import logged
from db.annotations import author_name, require_event, tagged, user_table, write_user
from db.labels import SUB_TYPES_OF
from db.queries import (
    MAX_SPAN_DAYS,
    EventDetail,
    EventRow,
    Filter,
    PlaceInfo,
    QueryError,
    count_events,
    event_details,
    event_ids,
    events_by_ids,
    fts_query,
    id_pages as queries_id_pages,
    list_pages,
    resolve_actor,
    resolve_place,
    seqs_matching,
)
from ingest.intervals import parse_published

FIELDS = ("date", "type", "places", "actors", "fatalities", "summary")  # what an edit may change
ROLES = ("actor1", "actor2", "associated")
ACTIONS = ("confirm", "reject", "edit", "merge", "add", "split", "undo")


@dataclass
class Correction:
    id: int
    event_id: str  # the event's id when it was corrected
    action: str  # confirm | reject | edit | merge | undo
    field: str | None  # an edit's (and its undo's): one of FIELDS
    machine: Any  # the field's value as the machine gave it then
    analyst: Any  # the analyst's value
    author: str
    created: str  # UTC, "YYYY-MM-DD HH:MM:SS"
    undoes: int | None = None
    undone: bool = False  # taken back by a later undo
    target: str | None = None  # the event it applies to now; None: the event is gone (an orphan)


@dataclass
class Review:
    """What an event's corrections come to."""

    status: str | None = None  # confirmed | rejected | None (edited only, or all undone)
    edits: dict[str, Correction] = field(default_factory=dict)  # field -> the edit in force
    conflicts: list[str] = field(default_factory=list)  # fields the machine changed since they were corrected
    merged_into: Correction | None = None  # the merge in force that made this event part of another
    absorbed: list[str] = field(default_factory=list)  # the events merged into this one, by their ids now
    splits: list[Correction] = field(default_factory=list)  # the splits in force: sources made an event of their own

    @property
    def reviewed(self) -> bool:
        return self.status is not None or bool(self.edits) or self.merged_into is not None

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"


# ---- writing ---------------------------------------------------------------------------------

ANCHOR = 'document_key, start, "end", sub_type, quote, document_path'  # the columns `_anchor` gives, in order
_INSERT = (
    f"INSERT INTO user.corrections (event_id, {ANCHOR}, action, field, machine, analyst, author, created)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, datetime('now'))"
)


def confirm(conn, event_id: str, author: str | None = None) -> None:
    """The event is right as it is."""
    _record(conn, event_id, [("confirm", None, None, None)], author)


def reject(conn, event_id: str, author: str | None = None) -> None:
    """The event is not an event: hidden everywhere unless asked for."""
    _record(conn, event_id, [("reject", None, None, None)], author)


def edit(conn, event_id: str, changes: dict[str, Any], author: str | None = None) -> list[str]:
    """Correct fields of an event, one correction each, written together. `changes` holds what
    the user typed: date ("2017", "2017-06", "2017-06-03": the form is the precision), type (a
    type or a sub-type; sub_type beside it), places (names), actors ({role: [names]}: those roles
    replaced, the others kept), fatalities, summary. The fields changed, in order."""
    require_event(conn, event_id)
    (machine,) = events_by_ids(conn, [event_id], layer=False)
    values = _analyst_values(conn, machine, changes)
    if not values:
        raise QueryError("nothing to edit: give a field to change")
    _record(conn, event_id, [("edit", name, machine_value(machine, name), v) for name, v in values.items()], author)
    return list(values)


def undo(conn, event_id: str, author: str | None = None) -> Correction:
    """Take back the event's latest correction still in force, by appending an undo: one
    statement, so two analysts undoing at once take back two corrections, not one twice."""
    require_event(conn, event_id)
    mine = [c.id for c in corrections_of(conn, [event_id])]
    anchor = _anchor(conn, event_id)
    who = author_name(author, conn)
    # The correction it takes back: read twice, by the log's row and then the undo's, in one
    # transaction that no other undo enters between the two.
    latest = (
        " FROM user.corrections c WHERE c.id IN (SELECT value FROM json_each(?))"
        " AND c.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM user.corrections u WHERE u.undoes = c.id)"
        " ORDER BY c.id DESC LIMIT 1"
    )
    cursor = conn.cursor()
    write_user(
        conn,
        [
            (
                "INSERT INTO user.activity (created, author, action, field, subject, detail)"
                f" SELECT datetime('now'), ?, 'undo', c.field, ?, 'takes back #' || c.id{latest}",
                (who, event_id, json.dumps(mine)),
            ),
            (
                f"INSERT INTO user.corrections (event_id, {ANCHOR}, action, field, machine, analyst, undoes, author,"
                f" created) SELECT ?, ?, ?, ?, ?, ?, ?, 'undo', c.field, c.analyst, c.machine, c.id, ?, datetime('now')"
                f"{latest}",
                (event_id, *anchor, who, json.dumps(mine)),
            ),
        ],
        "the undo is not saved",
        cursor,
    )
    if not cursor.rowcount:
        raise QueryError("no correction to undo")
    row = conn.execute("SELECT undoes FROM user.corrections WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return next(c for c in corrections_of(conn, [event_id]) if c.id == row[0])


def merge(conn, keep: str, others: list[str], author: str | None = None) -> None:
    """Make `others` part of `keep`: one event, the sources of all. Each other event gets a
    correction naming `keep` and the evidence it rests on (so the merge follows both through a
    re-extraction); the others are hidden as merged, and `undo` on one takes it out again."""
    for event_id in (keep, *others):
        require_event(conn, event_id)
    if keep in others or len(set(others)) < len(others):
        raise QueryError("merge: give each event once")
    into = merged(conn)
    if keep in into:
        raise QueryError(f"{keep} is merged into {into[keep]}: merge into that one")
    key, start, end, sub_type, quote, path = _anchor(conn, keep)
    target = {"into": keep, "key": key, "start": start, "end": end, "sub_type": sub_type, "quote": quote, "path": path}
    who = author_name(author, conn)
    write_user(
        conn,
        [
            statement
            for other in others
            for statement in (
                logged("merge", who, other, change_in_words("merge", None, None, target)),
                (_INSERT, (other, *_anchor(conn, other), "merge", None, None, _json(target), who)),
            )
        ],
        "the merge is not saved",
    )


def add(
    conn,
    changes: dict[str, Any],
    document: str | None = None,
    quote: str | None = None,
    citation: str | None = None,
    author: str | None = None,
) -> str:
    """Record an event the machine missed, with its source: a stored document and a quote found
    in it (its offsets kept: the document's text[start:end] is the quote), or a free citation.
    `changes` as for `edit`; date, type, a place and an actor1 are needed. Its id. The store's
    copy is written by pipeline.sync_added, from these corrections: a load keeps it, and an
    opening of the store writes it again if a crash cut it short (pipeline.mend_added)."""
    from db.load import find_document

    for needed, given in (("--date", changes.get("date")), ("--type", changes.get("type"))):
        if not given:
            raise QueryError(f"{needed} is needed")
    if not changes.get("places") or not (changes.get("actors") or {}).get("actor1"):
        raise QueryError("--place and --actor1 are needed")
    if (citation is None) == (document is None):
        raise QueryError("give its source, --document ID --quote WORDS or --citation TEXT")
    if citation is not None:
        if not citation.strip():
            raise QueryError("--citation cannot be empty")
        key = "citation:" + hashlib.sha256(citation.encode("utf-8")).hexdigest()[:16]
        start, end, path = 0, len(citation), None
    else:
        found = find_document(conn, str(document))
        if found is None:
            raise QueryError(f"{document}: no such document stored")
        key, text, path = conn.execute("SELECT key, text, path FROM documents WHERE id = ?", (found[0],)).fetchone()
        start = text.find(quote) if quote else -1
        if start < 0:
            raise QueryError(f"the quote is not in document {document}, word for word (--quote)")
        end = start + len(quote or "")
    blank = EventRow(0, "", None, None, None, None, "", "", "", None, 1.0, 1, 1, False)
    values = _analyst_values(conn, blank, changes)
    actors = [
        [resolve_actor(conn, name), role] for role in ROLES for name in (changes.get("actors") or {}).get(role) or []
    ]
    kind = values["type"]
    event_id = hashlib.sha256(f"analyst:{key}:{start}:{end}:{kind['sub_type']}".encode()).hexdigest()[:16]
    if any(a["id"] == event_id for a in added(conn)):
        raise QueryError(f"{event_id} is added already, from this source and of this type")
    event = {
        "date": values["date"],
        "type": kind,
        "places": values["places"],
        "actors": actors,
        "fatalities": values.get("fatalities"),
        "summary": values.get("summary") or f"{kind['sub_type']} in {values['places'][0]['name']}",
        "citation": citation,
    }
    anchor = (key, start, end, kind["sub_type"], quote, path)
    who = author_name(author, conn)
    write_user(
        conn,
        [
            logged("add", who, event_id, change_in_words("add", None, None, event)),
            (_INSERT, (event_id, *anchor, "add", None, None, _json(event), who)),
        ],
        "the event is not saved",
    )
    return event_id


def added(conn) -> list[dict]:
    """The events the analyst added or split off and did not take back, in the order made: each
    with its id and its sources' spans ([document key, start, end])."""
    if not user_table(conn, "corrections"):
        return []
    out: dict[str, dict] = {}
    for event_id, action, key, start, end, analyst in conn.execute(
        'SELECT event_id, action, document_key, start, "end", analyst FROM user.corrections c WHERE action IN'
        " ('add', 'split') AND NOT EXISTS (SELECT 1 FROM user.corrections u WHERE u.undoes = c.id) ORDER BY id"
    ):
        event = json.loads(analyst)
        if action == "add":
            event |= {"id": event_id, "spans": [[key, start, end]]}
        out.setdefault(event["id"], event)  # two processes splitting the same quotes at once: one event
    return list(out.values())


def by_analyst(detail: EventDetail) -> bool:
    """Whether the event is one the analyst added or split off: the analyst's, not the machine's
    guess, so it has no confidence to show. Its store copy (db/load.write_added) says so where
    the machine's events say how their date was found, and holds a confidence of 1 only so that
    `--min-confidence` keeps it."""
    return detail.date_source == "analyst"


def added_in_step(conn) -> bool:
    """Whether the store holds a copy of exactly the events `added` gives (those whose sources are
    stored: write_added leaves the others out): its ids compared, the copies are never changed.
    A copy's id is one an add or split ever made, so the store is asked for those ids by its
    index, not walked (this runs as every command opens the store)."""
    if not user_table(conn, "corrections"):
        return True
    made = [
        event_id if action == "add" else json.loads(analyst)["id"]
        for event_id, action, analyst in conn.execute(
            "SELECT event_id, action, analyst FROM user.corrections WHERE action IN ('add', 'split')"
        )
    ]
    wanted = {
        a["id"]
        for a in added(conn)
        if a["citation"] is not None
        or any(  # key by key: SQLite reads the view `documents` whole for a subquery's list
            conn.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone() for key, _, _ in a["spans"]
        )
    }
    copies = conn.execute(
        "SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?)) AND origin = 'analyst'", (json.dumps(made),)
    )
    return wanted == {r[0] for r in copies}


def split(conn, event_id: str, sources: list[str], author: str | None = None) -> str:
    """Make sources of an event an event of their own, with the machine's values for them (what
    the first of them said). A source is DOCUMENT_ID (its every quote) or DOCUMENT_ID:QUOTE_START.
    The new event's id; the event keeps the others."""
    require_event(conn, event_id)
    rows = conn.execute(
        'SELECT v.document_id, v.key, v.start, v."end" FROM quotes v WHERE v.event_id = ? ORDER BY v.id',
        (event_id,),
    ).fetchall()
    chosen = []
    for given in sources:
        document, _, start = given.partition(":")
        picked = [r for r in rows if str(r[0]) == document and (not start or str(r[2]) == start)]
        if not picked:
            theirs = ", ".join(f"{r[0]}:{r[2]}" for r in rows)
            raise QueryError(f"{given} is not a source of {event_id} (its sources: {theirs})")
        chosen += [r for r in picked if r not in chosen]
    if len(chosen) == len(rows):
        raise QueryError("leave the event at least one source (--source names those to take out)")
    said = conn.execute(
        "SELECT * FROM event_sources WHERE event_id = ? AND document_id = ?", (event_id, chosen[0][0])
    ).fetchone()
    if said is None:
        raise QueryError(f"{event_id}: the store does not say what each source told (load it again)")
    place_ids = json.loads(said["places"])
    names = dict(conn.execute(f"SELECT id, name FROM places WHERE id IN ({','.join('?' * len(place_ids))})", place_ids))
    places = [{"id": p, "name": names.get(p, p)} for p in place_ids]
    spans = [[r[1], r[2], r[3]] for r in chosen]
    new = hashlib.sha256(("split:" + ";".join(f"{k}:{a}:{b}" for k, a, b in spans)).encode()).hexdigest()[:16]
    if any(a["id"] == new for a in added(conn)):
        raise QueryError(f"these sources are split off already, as {new}")
    event = {
        "id": new,
        "spans": spans,
        "date": {
            "date": said["date"],
            "start": said["date_start"],
            "end": said["date_end"],
            "precision": said["precision"],
        },
        "type": {"type": said["type"], "sub_type": said["sub_type"]},
        "places": places,
        "actors": json.loads(said["actors"]),
        "fatalities": said["fatalities"],
        "summary": f"{said['sub_type']} in {places[0]['name']}" if places else said["sub_type"],
        "citation": None,
    }
    _record(conn, event_id, [("split", None, None, event)], author)
    return new


def _record(conn, event_id: str, rows: list[tuple[str, str | None, Any, Any]], author: str | None) -> None:
    require_event(conn, event_id)
    anchor = _anchor(conn, event_id)
    who = author_name(author, conn)
    write_user(
        conn,
        [
            statement
            for action, name, machine, analyst in rows
            for statement in (
                logged(action, who, event_id, change_in_words(action, name, machine, analyst), name),
                (_INSERT, (event_id, *anchor, action, name, _json(machine), _json(analyst), who)),
            )
        ],
        "the correction is not saved",
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def change_in_words(action: str, name: str | None, machine: Any, analyst: Any) -> str | None:
    """What a correction changes, for the activity log (db/activity.py): an edit's value before
    -> after, the event a merge makes it part of, an added event's summary, the event a split makes."""
    if action == "edit":
        return f"{describe_value(machine, name)} -> {describe_value(analyst, name)}"
    if action == "merge" and analyst:
        return f"into {analyst['into']}"
    if action == "add" and analyst:
        return analyst["summary"]
    if action == "split" and analyst:
        return f"{len(analyst['spans'])} quote(s) into {analyst['id']}"
    return None


def _anchor(conn, event_id: str) -> tuple:
    """The evidence an event rests on first (ANCHOR's columns): its document's key and the quote's
    offsets; the event's sub-type, which tells it from another event the same sentence tells; and
    the quote's words and the document's path (or URL), which find the quote again in an edited
    article stored anew under another key (`_follow`)."""
    row = conn.execute(
        'SELECT v.key, v.start, v."end", e.sub_type, substr(v.text, v.start + 1, v."end" - v.start), v.path'
        " FROM quotes v JOIN events e ON e.id = v.event_id WHERE v.event_id = ? ORDER BY v.id LIMIT 1",
        (event_id,),
    ).fetchone()
    return tuple(row) if row else (None,) * 6


# ---- the fields: the machine's value, the analyst's, and laying one over the other --------------


def machine_value(row: EventRow, name: str) -> Any:
    """A field of an event as a JSON value, to keep beside a correction and compare later."""
    if name == "date":
        return {"date": row.date, "start": row.date_start, "end": row.date_end, "precision": row.precision}
    if name == "type":
        return {"type": row.type, "sub_type": row.sub_type}
    if name == "places":
        return list(row.places)
    if name == "actors":
        return [[n, r] for n, r in row.actors]
    return getattr(row, name)  # fatalities, summary


def _analyst_values(conn, machine: EventRow, changes: dict[str, Any]) -> dict[str, Any]:
    """The analyst's values of the fields given, checked and resolved (names to the store's)."""
    out: dict[str, Any] = {}
    if changes.get("date"):
        try:
            when = parse_published(changes["date"])
        except ValueError as e:
            raise QueryError(f"--date: {e}") from None
        assert when is not None
        out["date"] = {
            "date": when.display(),
            "start": when.start.isoformat(),
            "end": when.end.isoformat(),
            "precision": when.precision,
        }
    if changes.get("type") or changes.get("sub_type"):
        out["type"] = _type_value(changes.get("type"), changes.get("sub_type"), machine)
    if changes.get("places"):
        ids = [resolve_place(conn, name) for name in changes["places"]]
        names = dict(conn.execute(f"SELECT id, name FROM places WHERE id IN ({','.join('?' * len(ids))})", ids))
        out["places"] = [{"id": i, "name": names[i]} for i in dict.fromkeys(ids)]
    roles = {r: names for r, names in (changes.get("actors") or {}).items() if names}
    if roles:
        kept = [[n, r] for n, r in machine.actors if r not in roles]
        given = []
        for role, names in roles.items():
            for name in names:
                actor = resolve_actor(conn, name)
                given.append([conn.execute("SELECT name FROM actors WHERE id = ?", (actor,)).fetchone()[0], role])
        out["actors"] = sorted(given + kept, key=lambda a: ROLES.index(a[1]) if a[1] in ROLES else len(ROLES))
    if changes.get("fatalities") is not None:
        if changes["fatalities"] < 0:
            raise QueryError("--fatalities: a toll is 0 or more")
        out["fatalities"] = changes["fatalities"]
    if changes.get("summary") is not None:
        if not changes["summary"].strip():
            raise QueryError("--summary: a summary cannot be empty")
        out["summary"] = changes["summary"].strip()
    return out


def _type_value(given: str | None, sub_type: str | None, machine: EventRow) -> dict:
    """ACLED's taxonomy (db/labels.py): a sub-type says its type; a type alone keeps the
    machine's sub-type if it is one of that type's."""
    parent = {sub: t for t, subs in SUB_TYPES_OF.items() for sub in subs}
    for name in (given, sub_type):
        if name and name not in parent and name not in SUB_TYPES_OF:
            known = "; ".join(f"{t}: {', '.join(subs)}" for t, subs in SUB_TYPES_OF.items())
            raise QueryError(f"no ACLED type or sub-type {name!r} (they are {known})")
    if given in parent:
        given, sub_type = parent[given], sub_type or given
    type_ = given or parent.get(sub_type or "", machine.type)
    sub = sub_type or (machine.sub_type if parent.get(machine.sub_type) == type_ else None)
    if sub is None or parent.get(sub) != type_:
        raise QueryError(f"--type: give a sub-type of {type_} ({', '.join(SUB_TYPES_OF[type_])})")
    return {"type": type_, "sub_type": sub}


def _lay(row: EventRow, name: str, value: Any) -> None:
    if name == "date":
        row.date, row.date_start, row.date_end, row.precision = (
            value["date"],
            value["start"],
            value["end"],
            value["precision"],
        )
    elif name == "type":
        row.type, row.sub_type = value["type"], value["sub_type"]
    elif name == "places":
        row.places = [p["name"] for p in value]
    elif name == "actors":
        row.actors = [(n, r) for n, r in value]
    else:
        setattr(row, name, value)


# ---- reading ---------------------------------------------------------------------------------


def corrections_of(conn, event_ids: list[str]) -> list[Correction]:
    """The corrections of these events (by the ids they have now), in the order written."""
    wanted = set(event_ids)
    return [c for c in _resolved(conn, event_ids) if c.target in wanted]


def history(conn, event_id: str) -> list[Correction]:
    """The corrections of an event, or, for an id no event has now, those made on it (an orphan's);
    with the merges of other events into it."""
    found = _resolved(conn, [event_id])
    own = [c for c in found if c.target == event_id or (c.target is None and c.event_id == event_id)]
    merges = _resolved(conn, None, ("merge", "split", "undo"))
    into = {
        c.id
        for c in merges
        if _merge_target(conn, c) == event_id or (c.action == "split" and (c.analyst or {}).get("id") == event_id)
    }
    mine = {c.id for c in own}
    theirs = [c for c in merges if c.id not in mine and (c.id in into or c.undoes in into)]
    return sorted(own + theirs, key=lambda c: c.id)


def merged(conn) -> dict[str, str]:
    """The events merged into another (and not taken back), by their ids now: the event each is
    part of now (a merge into a merged event goes on to the one that holds it)."""
    by_event: dict[str, list[Correction]] = {}
    for c in _resolved(conn, None, ("merge", "undo")):
        if c.target is not None:
            by_event.setdefault(c.target, []).append(c)
    direct = {}
    for event_id, cs in by_event.items():
        merge_ = _fold(cs).merged_into
        if merge_ is not None and (into := _merge_target(conn, merge_)) not in (None, event_id):
            direct[event_id] = into
    out = {}
    for event_id, into in direct.items():
        seen = {event_id}
        while into in direct and into not in seen:
            seen.add(into)
            into = direct[into]
        out[event_id] = into
    return out


def _merge_target(conn, c: Correction) -> str | None:
    """The event a merge correction names, by its id now: its id while it exists, else the event
    resting on the evidence it rested on."""
    if c.action != "merge" or not c.analyst:
        return None
    into = c.analyst["into"]
    if conn.execute("SELECT 1 FROM events WHERE id = ?", (into,)).fetchone():
        return into
    a = c.analyst
    return _follow(conn, a["key"], a["start"], a["end"], a.get("sub_type"), a.get("quote"), a.get("path"))


def orphans(conn) -> list[Correction]:
    """The corrections whose event cannot be found: by its id, nor by the evidence it rested on;
    and the merges in force into an event that cannot be found (the event merged is shown again)."""
    found = _resolved(conn, None)
    undone = {c.undoes for c in found if c.action == "undo"}
    taken_back = {c.event_id for c in found if c.action == "add" and c.id in undone}  # gone, as asked
    return [
        c
        for c in found
        if (c.target is None and c.event_id not in taken_back)
        or (c.action == "merge" and c.id not in undone and _merge_target(conn, c) is None)
    ]


def reviews(conn, event_ids: list[str]) -> dict[str, Review]:
    """What the corrections of each of these events come to; an event without any is left out."""
    by_event: dict[str, list[Correction]] = {}
    for c in corrections_of(conn, event_ids):
        by_event.setdefault(c.target or "", []).append(c)
    return {event_id: _fold(cs) for event_id, cs in by_event.items()}


def reviewed_ids(conn) -> dict[str, Review]:
    """Every corrected event that can be found, by its id now, with what its corrections come to."""
    by_event: dict[str, list[Correction]] = {}
    for c in _resolved(conn, None):
        if c.target is not None:
            by_event.setdefault(c.target, []).append(c)
    return {event_id: _fold(cs) for event_id, cs in by_event.items()}


def rejected_ids(conn) -> set[str]:
    """The events rejected (and not taken back), by their ids now: hidden unless asked for."""
    by_event: dict[str, list[Correction]] = {}
    for c in _resolved(conn, None, ("confirm", "reject", "undo")):  # an edit does not change the status
        if c.target is not None:
            by_event.setdefault(c.target, []).append(c)
    return {event_id for event_id, cs in by_event.items() if _fold(cs).rejected}


def _fold(cs: list[Correction]) -> Review:
    review = Review()
    for c in cs:
        if c.action == "undo" or c.undone:
            continue
        if c.action in ("confirm", "reject"):
            review.status = "confirmed" if c.action == "confirm" else "rejected"
        elif c.action == "edit" and c.field:
            review.edits[c.field] = c
        elif c.action == "merge":
            review.merged_into = c
        elif c.action == "split":
            review.splits.append(c)
    return review


def _resolved(conn, event_ids: list[str] | None, actions: tuple[str, ...] = ACTIONS) -> list[Correction]:
    """Corrections with the event each applies to now: its own id while that event exists, else
    the event whose evidence overlaps the quote it rested on (the same quote first). With
    `event_ids`, only the corrections that may be theirs: made on them, or on an id gone since
    (a walk of the corrections' index, not of the corrections: ~0.5 ms for a thousand)."""
    if not user_table(conn, "corrections"):
        return []
    gone = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT event_id FROM user.corrections c"
            " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = c.event_id)"
        )
    }
    kinds = f"action IN ({','.join('?' * len(actions))})"
    if event_ids is None:
        rows = conn.execute(f"SELECT * FROM user.corrections WHERE {kinds} ORDER BY id", actions).fetchall()
    else:
        rows = conn.execute(
            f"SELECT * FROM user.corrections WHERE event_id IN (SELECT value FROM json_each(?)) AND {kinds}"
            " ORDER BY id",
            (json.dumps([*event_ids, *gone]), *actions),
        ).fetchall()
    undone = {r["undoes"] for r in rows if r["undoes"] is not None}
    if event_ids is not None and undone - {r["id"] for r in rows}:  # an undo of a row left out: read them all
        return _resolved(conn, None, actions)
    return [
        Correction(
            r["id"],
            r["event_id"],
            r["action"],
            r["field"],
            json.loads(r["machine"]) if r["machine"] else None,
            json.loads(r["analyst"]) if r["analyst"] else None,
            r["author"],
            r["created"],
            r["undoes"],
            r["id"] in undone,
            r["event_id"]
            if r["event_id"] not in gone
            else None
            if r["action"] == "add"
            else _follow(conn, *_anchor_of(r)),  # an added event is its own
        )
        for r in rows
    ]


def _anchor_of(row: sqlite3.Row) -> tuple:
    """A correction's anchor, ANCHOR's columns: those a user database of version 1 (attached
    read-only, so not migrated) lacks are None."""
    found = dict(row)
    return tuple(found.get(c.strip('" ')) for c in ANCHOR.split(","))


def _follow(
    conn,
    key: str | None,
    start: int | None,
    end: int | None,
    sub_type: str | None = None,
    quote: str | None = None,
    path: str | None = None,
) -> str | None:
    """The event that rests on this quote now: the same span first, then one overlapping it; and
    among those, one of the anchor's sub-type first (one sentence may tell two events: "gunmen
    ambushed a convoy and a suicide bomber killed five" is a clash and a bombing, on one quote).
    When the document is gone, the quote is looked for in the document stored at its path since
    (an edited article stored again has another key), and the event resting on it there."""
    if key is None or start is None or end is None:
        return None
    found = _resting_on(conn, key, start, end, sub_type)
    gone = found is None and not conn.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone()
    if gone and quote and path and (moved := _quote_moved(conn, path, quote, start)):
        found = _resting_on(conn, *moved, sub_type)
    return found


def _resting_on(conn, key: str, start: int, end: int, sub_type: str | None) -> str | None:
    row = conn.execute(
        "SELECT v.event_id FROM quotes v JOIN events e ON e.id = v.event_id"
        ' WHERE v.key = ? AND v.start < ? AND v."end" > ?'
        ' ORDER BY v.start = ? AND v."end" = ? DESC, e.sub_type IS ? DESC, v.id LIMIT 1',
        (key, end, start, start, end, sub_type),
    ).fetchone()
    return row[0] if row else None


def _quote_moved(conn, path: str, quote: str, start: int) -> tuple[str, int, int] | None:
    """Where the quote is now in the newest document stored at `path` that holds it word for word:
    its key, and the span of the occurrence nearest the quote's old offset."""
    row = conn.execute(
        # an article's: an ACLED row's document is found by its key, its path being made of it
        "SELECT key, text FROM stored_documents WHERE path = ? AND instr(text, ?) > 0 ORDER BY id DESC LIMIT 1",
        (path, quote),
    ).fetchone()
    if row is None:
        return None
    key, text = row
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    nearest = min(found, key=lambda at: abs(at - start))
    return key, nearest, nearest + len(quote)


# ---- the corrected values filters, counts and the date order read ----------------------------

FILTERED = {
    "date": "date",
    "type": "types",
    "places": "places",
    "actors": "actors",
    "summary": "search",
}  # field -> the filter on it


@dataclass(frozen=True)
class Facts:
    """What a filter, a count or the date order reads of an event: its dates, type, the ids of its
    actors and places with their groups, divisions and countries (as the link tables hold them)."""

    date_start: str | None
    date_end: str | None
    type: str
    sub_type: str
    actors: frozenset[str]
    places: frozenset[str]
    summary: str


@dataclass
class Overlay:
    """The events whose filtered fields the analyst corrected (few, beside a million), by row
    number: what the machine's indexes and sets say of them, what the analyst's layer says, and
    which fields differ. The readers keep the machine's fast paths and adjust by these alone."""

    machine: dict[int, Facts] = field(default_factory=dict)
    analyst: dict[int, Facts] = field(default_factory=dict)
    edited: dict[int, frozenset[str]] = field(default_factory=dict)  # row number -> its fields corrected

    def __bool__(self) -> bool:
        return bool(self.edited)

    def moved(self, f: Filter) -> set[int]:
        """The events whose place in `f`'s timeline may differ from the machine's: those with another
        date (they move in the order), and those with another value of a field `f` filters on."""
        asked = {"date"} | {name for name, part in FILTERED.items() if _filters_on(f, part)}
        return {seq for seq, fields in self.edited.items() if fields & asked}

    def matching(self, conn, f: Filter, among: set[int]) -> list[int]:
        """Those of `among` (row numbers here) that `f` picks with the analyst's values: the fields
        corrected read from them, the rest (stars, sources, confidence, context) asked of the store."""
        found = [seq for seq in among if _matches(self.analyst[seq], f)]
        if not found:
            return []
        rest = replace(f, actors=(), places=(), types=(), since=None, until=None, search=None)
        if not rest.is_empty:
            kept = set(seqs_matching(conn, rest, found))
            found = [seq for seq in found if seq in kept]
        if f.search and found:
            found = _searched(
                conn,
                f.search,
                found,
                {seq: self.analyst[seq].summary for seq in found if "summary" in self.edited[seq]},
            )
        return sorted(found)


def _filters_on(f: Filter, part: str) -> bool:
    if part == "date":
        return bool(f.since or f.until)
    if part == "search":
        return bool(f.search)
    return bool(getattr(f, part))


def _matches(facts: Facts, f: Filter) -> bool:
    """Whether an event of these facts passes the parts of `f` a correction can change (as
    db/queries.py's `_where` says them in SQL)."""
    if f.actors and facts.actors.isdisjoint(f.actors):
        return False
    if f.places and facts.places.isdisjoint(f.places):
        return False
    if f.types and facts.type not in f.types and facts.sub_type not in f.types:
        return False
    start, end = facts.date_start, facts.date_end
    if f.since:
        since = f.since.isoformat()
        back = (max(f.since, date.min + timedelta(days=MAX_SPAN_DAYS)) - timedelta(days=MAX_SPAN_DAYS)).isoformat()
        if start is None or start < back or (start < since and not (end and end > start and end >= since)):
            return False
    return not (f.until and (start is None or start > f.until.isoformat()))


def _searched(conn, words: str, seqs: list[int], summaries: dict[int, str]) -> list[int]:
    """Those of `seqs` a search finds: in the store's index, or for a corrected summary (`summaries`)
    in a copy of their text with the analyst's summary, indexed as the store's is."""
    query = fts_query(words)
    if not query:
        return seqs
    plain = [seq for seq in seqs if seq not in summaries]
    hits = set(seqs_matching(conn, Filter(search=words), plain)) if plain else set()
    if summaries:
        was_open, changes_before = conn.in_transaction, conn.total_changes  # a copy in the connection's temp store
        try:
            conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.corrected_text USING fts5(summary, quotes,"
                " tokenize='unicode61 remove_diacritics 2')"  # as the store's events_fts (db/schema.py)
            )
            conn.execute("DELETE FROM temp.corrected_text")
            conn.execute(
                "INSERT INTO temp.corrected_text (rowid, summary, quotes) SELECT t.seq, s.value, t.quotes"
                " FROM json_each(?) s JOIN event_text t ON t.seq = CAST(s.key AS INTEGER)",
                (json.dumps({str(seq): text for seq, text in summaries.items()}),),
            )
            found = conn.execute("SELECT rowid FROM temp.corrected_text WHERE corrected_text MATCH ?", (query,))
            hits |= {r[0] for r in found}
        except sqlite3.OperationalError as e:
            raise QueryError(f"search: {e} (put words in double quotes to search them literally)") from None
        finally:
            if not was_open:  # the copy's rows began a transaction: end it, so no snapshot of the store stays open
                conn.commit()
            _written_to_temp(conn, changes_before)
    return [seq for seq in seqs if seq in hits]


def overlay(conn) -> Overlay:
    """The events whose date, type, places, actors or summary the analyst corrected, with the
    machine's facts and the analyst's. Made once while neither database changes: a count of the
    panes reads it a dozen times, and making it reads every correction (~80 ms for a thousand)."""
    try:
        if not user_table(conn, "corrections"):
            return Overlay()
    except sqlite3.OperationalError:  # no user database attached: a bulk writer's connection reads the machine's
        return Overlay()
    state = (
        conn.execute("PRAGMA main.data_version").fetchone()[0],  # changed by another connection's commit
        conn.execute("PRAGMA user.data_version").fetchone()[0],
        conn.total_changes,  # and by this one's
    )
    cached = _OVERLAYS.get(id(conn))
    if cached is not None and cached[0] is conn and cached[1] == state:
        return cached[2]
    made = _overlay(conn)
    with _CACHE_LOCK:  # the app's workers are threads
        _OVERLAYS.pop(id(conn), None)
        _OVERLAYS[id(conn)] = (conn, state, made)  # the connection held: its id is not another's while cached
        while len(_OVERLAYS) > _CONNECTIONS_CACHED:
            _OVERLAYS.pop(next(iter(_OVERLAYS)))
    return made


def _written_to_temp(conn, changes_before: int) -> None:
    """The overlay made before a write to the connection's temp store still holds: nothing of the
    databases changed."""
    with _CACHE_LOCK:
        cached = _OVERLAYS.get(id(conn))
        if cached is not None and cached[0] is conn and cached[1][2] == changes_before:
            _OVERLAYS[id(conn)] = (conn, (*cached[1][:2], conn.total_changes), cached[2])


_OVERLAYS: dict[int, tuple[Any, tuple[int, int, int], Overlay]] = {}  # id(connection) -> (it, state, overlay)
_CONNECTIONS_CACHED = 8  # the app's few workers, a command's one
_CACHE_LOCK = threading.Lock()


def _overlay(conn) -> Overlay:
    by_event: dict[str, list[Correction]] = {}
    for c in _resolved(conn, None, ("edit", "undo")):  # the edits in force: a confirm or a reject changes no field
        if c.target is not None:
            by_event.setdefault(c.target, []).append(c)
    edits = {event_id: edits for event_id, cs in by_event.items() if set(edits := _fold(cs).edits) & set(FILTERED)}
    if not edits:
        return Overlay()
    ids = json.dumps(sorted(edits))
    rows = conn.execute(
        "SELECT seq, id, date_start, date_end, type, sub_type, summary FROM events"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (ids,),
    ).fetchall()
    seqs = json.dumps([r[0] for r in rows])
    links: dict[str, dict[int, set[str]]] = {"actor": {}, "place": {}}
    direct: dict[int, list[tuple[str, str, str]]] = {}  # seq -> (actor id, name, role) of its own actors
    for kind in links:
        for seq, value in conn.execute(
            f"SELECT l.event_seq, t.id FROM event_{kind}s l JOIN {kind}s t ON t.seq = l.{kind}_seq"
            " WHERE l.event_seq IN (SELECT value FROM json_each(?))",
            (seqs,),
        ):
            links[kind].setdefault(seq, set()).add(value)
    for seq, actor, name, role in conn.execute(
        "SELECT ea.event_seq, a.id, a.name, ea.role FROM event_actors ea JOIN actors a ON a.seq = ea.actor_seq"
        " WHERE ea.event_seq IN (SELECT value FROM json_each(?)) AND ea.direct",
        (seqs,),
    ):
        direct.setdefault(seq, []).append((actor, name, role))
    out = Overlay()
    named: dict[int, list[str | None]] = {}  # seq -> the ids of the analyst's actors (None: gone)
    placed: dict[int, list[str]] = {}
    for seq, event_id, start, end, type_, sub_type, summary in rows:
        machine = Facts(
            start,
            end,
            type_,
            sub_type,
            frozenset(links["actor"].get(seq, ())),
            frozenset(links["place"].get(seq, ())),
            summary,
        )
        out.machine[seq], out.edited[seq] = machine, frozenset(edits[event_id])
        analyst = {name: c.analyst for name, c in edits[event_id].items()}
        if "actors" in analyst:
            named[seq] = [_actor_id(conn, direct.get(seq, []), name, role) for name, role in analyst["actors"]]
        if "places" in analyst:
            placed[seq] = [p["id"] for p in analyst["places"]]
        when = analyst.get("date") or {"start": start, "end": end}
        typed = analyst.get("type") or {"type": type_, "sub_type": sub_type}
        out.analyst[seq] = Facts(
            when["start"],
            when["end"],
            typed["type"],
            typed["sub_type"],
            machine.actors,
            machine.places,
            analyst.get("summary", summary),
        )
    groups = _with_ancestors(conn, "actors", {i for actor_ids in named.values() for i in actor_ids if i})
    for seq, actor_ids in named.items():
        out.analyst[seq] = replace(out.analyst[seq], actors=frozenset(a for i in actor_ids if i for a in groups[i]))
    within = _with_ancestors(conn, "places", {i for place_ids in placed.values() for i in place_ids})
    for seq, place_ids in placed.items():
        out.analyst[seq] = replace(out.analyst[seq], places=frozenset(a for i in place_ids for a in within[i]))
    return out


def _actor_id(conn, own: list[tuple[str, str, str]], name: str, role: str) -> str | None:
    """The id of an actor an edit names: the machine's own actor of that name and role (a role the
    edit kept), else the actor of that name."""
    for actor, their_name, their_role in own:
        if their_name == name and their_role == role:
            return actor
    row = conn.execute("SELECT min(id) FROM actors WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _with_ancestors(conn, table: str, ids: set[str]) -> dict[str, set[str]]:
    """Each id with the ids above it in its tree (a town's division and country, an actor's group),
    as the link tables repeat an event's links for them."""
    out: dict[str, set[str]] = {i: {i} for i in ids}
    for start, ancestor in conn.execute(
        f"WITH RECURSIVE up(id, ancestor) AS (SELECT id, parent FROM {table}"
        " WHERE id IN (SELECT value FROM json_each(?))"
        f" UNION SELECT up.id, t.parent FROM up JOIN {table} t ON t.id = up.ancestor WHERE t.parent IS NOT NULL)"
        " SELECT id, ancestor FROM up WHERE ancestor IS NOT NULL",
        (json.dumps(sorted(ids)),),
    ):
        out[start].add(ancestor)
    return out


# ---- choosing what is shown ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What the analyst's layer picks beside a filter: rejected events are left out unless asked for."""

    rejected: bool = False  # show the rejected events too (marked)
    tag: str | None = None  # only the events with this tag
    reviewed: bool | None = None  # True: only the reviewed (confirmed, rejected or edited); False: only the others


@dataclass
class Picked:
    ids: list[str]  # in date order, at most the limit asked
    total: int  # how many match in all
    rejected_left_out: int  # how many matching events were left out as rejected


def pick(conn, f: Filter, shown: Shown = Shown(), limit: int | None = None) -> Picked:
    """The ids of the events a filter and the analyst's layer pick, in date order. Without a tag
    or a review filter, a limit reads a few rows more than it shows (the rejected are few), not
    every match."""
    rejected = set() if shown.rejected else rejected_ids(conn)
    hidden = rejected | set(merged(conn))  # a merged event is shown as part of another
    if shown.tag is None and shown.reviewed is None and limit is not None:
        ids = event_ids(conn, f, limit + len(hidden))
        kept = [i for i in ids if i not in hidden][:limit]
        left_out = count_events(conn, f, among=sorted(rejected)) if rejected else 0
        gone = count_events(conn, f, among=sorted(hidden)) if hidden else 0
        total = len(kept) if len(kept) < limit else count_events(conn, f) - gone
        return Picked(kept, total, left_out)
    ids = event_ids(conn, f)
    kept = [i for i in ids if i not in hidden]
    left_out = sum(1 for i in ids if i in rejected)
    if shown.tag is not None:
        with_tag = tagged(conn, shown.tag)
        kept = [i for i in kept if i in with_tag]
    if shown.reviewed is not None:
        done = {i for i, review in reviewed_ids(conn).items() if review.reviewed}
        kept = [i for i in kept if (i in done) == shown.reviewed]
    return Picked(kept[:limit] if limit else kept, len(kept), left_out)


def pages(conn, f: Filter, shown: Shown = Shown(), limit: int | None = None) -> Iterator[list[EventRow]]:
    """The rows `pick` gives, a page at a time: the store's own walk (`list_pages`: the first page
    at once, memory flat) when the layer hides nothing, as with no rejected event."""
    if _hides_nothing(conn, shown):
        yield from list_pages(conn, f, limit)
        return
    ids = pick(conn, f, shown, limit).ids
    for i in range(0, len(ids), PAGE):
        yield events_by_ids(conn, ids[i : i + PAGE])


def id_pages(conn, f: Filter, shown: Shown = Shown()) -> Iterator[list[str]]:
    """The ids of `pages`, a page at a time, without their rows (an export reads their details)."""
    if _hides_nothing(conn, shown):
        yield from queries_id_pages(conn, f)
        return
    ids = pick(conn, f, shown).ids
    for i in range(0, len(ids), PAGE):
        yield ids[i : i + PAGE]


def _hides_nothing(conn, shown: Shown) -> bool:
    """Whether the layer leaves the store's walk as it is: no tag or review filter, and no rejected
    (unless shown) or merged event to leave out."""
    return (
        shown.tag is None and shown.reviewed is None and (shown.rejected or not rejected_ids(conn)) and not merged(conn)
    )


PAGE = 500  # rows read at a time


def progress(conn) -> tuple[int, int]:
    """How many events are reviewed (confirmed, rejected or edited), of how many."""
    return sum(1 for r in reviewed_ids(conn).values() if r.reviewed), count_events(conn)


def queue(conn, n: int) -> list[EventRow]:
    """The next `n` unreviewed events, the least confident first (the doubtful are worth a look
    first), then in date order: the review queue."""
    done = {i for i, review in reviewed_ids(conn).items() if review.reviewed}
    picked: list[str] = []
    # Read as it is walked, and no further than the n-th unreviewed (on PostgreSQL a server-side
    # cursor: a whole result is otherwise read at once, every event's id).
    with contextlib.closing(store.rows(conn, "SELECT id FROM events ORDER BY confidence, date_start, seq")) as ids:
        for (event_id,) in ids:
            if event_id not in done:
                picked.append(event_id)
                if len(picked) == n:
                    break
    return events_by_ids(conn, picked)


# ---- applying ---------------------------------------------------------------------------------


def apply(conn, rows: list[EventRow]) -> None:
    """Lay the analyst's corrections over the machine's rows (in place): each corrected field
    takes the analyst's value, and `row.review` says what was done, by whom, and what the
    machine said; a field whose machine value changed since it was corrected is a conflict."""
    if not rows:
        return
    found = reviews(conn, [r.id for r in rows])
    into = merged(conn)
    for other, keep in into.items():
        if any(r.id == keep for r in rows):
            found.setdefault(keep, Review()).absorbed.append(other)
    for row in rows:
        review = found.get(row.id)
        if review is None:
            continue
        if review.splits:  # the sources split off are another event's now
            row.sources -= len(_split_off(conn, row.id, review)[1])
        if review.absorbed:  # one event, the sources of all
            row.sources += sum(
                r[0]
                for r in conn.execute(
                    "SELECT sources FROM events WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(review.absorbed),),
                )
            )
        for name, c in review.edits.items():
            if machine_value(row, name) != c.machine:
                review.conflicts.append(name)
            _lay(row, name, c.analyst)
        row.review = review


def apply_details(conn, details: list[EventDetail]) -> None:
    """`apply` for details: the places an analyst gave are read whole (coordinates, country)."""
    apply(conn, [d.event for d in details])
    for d in details:
        if d.event.review and d.event.review.splits:
            spans, _ = _split_off(conn, d.event.id, d.event.review)
            d.sources = [s for s in d.sources if (s.document_id, s.start, s.end) not in spans]
        if d.event.review and d.event.review.absorbed:  # every quote of the events merged into it
            have = {(s.document_id, s.start, s.end) for s in d.sources}
            for other in event_details(conn, d.event.review.absorbed):
                d.sources += [s for s in other.sources if (s.document_id, s.start, s.end) not in have]
        edit_ = d.event.review.edits.get("places") if d.event.review else None
        if edit_ is None:
            continue
        ids = [p["id"] for p in edit_.analyst]
        rows = conn.execute(
            "SELECT p.id, p.name, p.country, c.name, p.admin1, p.lat, p.lon, p.kind FROM places p LEFT JOIN places c"
            f" ON c.kind = 'country' AND c.country = p.country WHERE p.id IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall()
        by_id = {r[0]: r for r in rows}
        d.places = [
            PlaceInfo(i, r[1], r[2], r[3], r[1] if r[7] == "admin1" else r[4], r[5], r[6], r[7])
            for i in ids
            if (r := by_id.get(i))
        ]


def _split_off(conn, event_id: str, review: Review) -> tuple[set[tuple[int, int, int]], set[int]]:
    """The event's quotes split off, as (document id, start, end), and the documents it no longer
    rests on at all."""
    keys = {k for c in review.splits for k, _, _ in (c.analyst or {}).get("spans", [])}
    ids = dict(conn.execute(f"SELECT key, id FROM documents WHERE key IN ({','.join('?' * len(keys))})", list(keys)))
    spans = {(ids[k], a, b) for c in review.splits for k, a, b in (c.analyst or {}).get("spans", []) if k in ids}
    kept = {
        (r[0], r[1], r[2])
        for r in conn.execute('SELECT document_id, start, "end" FROM evidence WHERE event_id = ?', (event_id,))
    } - spans
    return spans, {d for d, _, _ in spans} - {d for d, _, _ in kept}


def review_fields(e: EventRow) -> dict[str, Any]:
    """What an export carries of the analyst's review of an event: whether it was reviewed, how
    (confirmed, rejected), and for each corrected field the machine's value, who corrected it and
    when, and whether the machine's value changed since (a conflict)."""
    review = e.review or Review()
    return {
        "reviewed": review.reviewed,
        "review": review.status,
        "corrected": {
            name: {"machine": c.machine, "by": c.author, "on": c.created[:10], "conflict": name in review.conflicts}
            for name, c in review.edits.items()
        },
    }


def describe(c: Correction) -> str:
    """A correction in words, for `timeline history`: "edit fatalities: 3 -> 5"."""
    if c.action == "edit":
        return f"edit {c.field}: {describe_value(c.machine, c.field)} -> {describe_value(c.analyst, c.field)}"
    if c.action == "undo":
        return f"undo #{c.undoes}" + (f" (edit {c.field})" if c.field else "")
    if c.action == "add":
        return f"add: {c.analyst['summary']}" if c.analyst else "add"
    if c.action == "split":
        return (
            f"split {len(c.analyst['spans'])} quote(s) of {c.event_id} into {c.analyst['id']}" if c.analyst else "split"
        )
    if c.action == "merge":
        return f"merge {c.event_id} into {c.analyst['into']}" if c.analyst else "merge"
    return c.action


def describe_value(value: Any, name: str | None) -> str:
    """A field's value in words: "2017-06 (month)", "Battles / Armed clash"."""
    if value is None:
        return "none"
    if name == "date":
        return f"{value['date'] or 'undated'} ({value['precision'] or '-'})"
    if name == "type":
        return f"{value['type']} / {value['sub_type']}"
    if name == "places":
        return "; ".join(p["name"] if isinstance(p, dict) else p for p in value) or "none"
    if name == "actors":
        return "; ".join(f"{n} ({r})" for n, r in value) or "none"
    return str(value)
