"""Who changed what: the activity log of the analyst's layer (`user.activity`, db/schema.py), for
`timeline activity` and a team sharing one store (issue 27).

A row is appended by the one function that makes each change, in the transaction of the change
itself, signed with the author the change is signed with: a star or an unstar, a tag added or
taken off, a note (db/annotations.py), each correction (db/corrections.py), a view saved or
deleted (db/views.py). `annotations` holds only the current state; this log keeps who unstarred
an event or took a tag off, and when. A store write (load, ingest, import, remove) appends one
row after its own commit (`record_store_write`): what it was and how many it changed. Rows are
never changed or deleted (the schema's triggers refuse it).

Here: the statements that append a row, for the writers to run with their change, and the reading.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from db.store import Store

_INSERT = "INSERT INTO user.activity (created, author, action, field, subject, detail)"
NOTE_WORDS = 8  # how much of a note the log keeps: enough to tell it, not a copy of it


@dataclass
class Entry:
    created: str  # UTC, "YYYY-MM-DD HH:MM:SS"
    author: str
    action: str
    field: str | None
    subject: str | None  # the event's id, a view's name, what a store write read
    detail: str | None

    @property
    def what(self) -> str:
        """The action, with an edit's field: "edit fatalities"."""
        return f"{self.action} {self.field}" if self.field else self.action


def logged(action: str, author: str, subject: str | None, detail: str | None = None, field: str | None = None):
    """The statement appending a row to the log, with its parameters: run it in the transaction
    of the change it records (db/annotations.write_user)."""
    return f"{_INSERT} VALUES (datetime('now'), ?, ?, ?, ?, ?)", (author, action, field, subject, detail)


def logged_if(
    condition: str, parameters: tuple, action: str, author: str, subject: str | None, detail: str | None = None
):
    """`logged`, for a change that may change nothing (a tag already there, a star on an event
    already starred): the row is appended where `condition` (SQL, its `?` given by `parameters`)
    holds. Run before the change, in its transaction: it reads the state the change replaces."""
    return (
        f"{_INSERT} SELECT datetime('now'), ?, ?, NULL, ?, ? WHERE {condition}",
        (author, action, subject, detail, *parameters),
    )


def first_words(text: str | None, words: int = NOTE_WORDS) -> str:
    """A note's first words, on one line: "Two sources differ on the toll …"."""
    split = (text or "").split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def record_store_write(db_path: Store, action: str, subject: str, detail: str) -> None:
    """Append one row for a write to the store (load, ingest, import acled, remove), after its
    own commit: the bulk writer's connection holds the store's lock and, on SQLite, not the
    user database, where the log is."""
    from db.annotations import author_name, write_user  # they append rows by this module's statements
    from db.schema import connect

    conn = connect(db_path)
    try:
        write_user(conn, [logged(action, author_name(None, conn), subject, detail)], "the activity is not logged")
    finally:
        conn.close()


def since_bound(given: str) -> str:
    """`--since`'s date (YYYY, YYYY-MM or YYYY-MM-DD), checked, as the text the log's times
    compare with: "2026-12" is before every time of December 2026 and after November's."""
    try:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", given):
            raise ValueError("not a date")
        year, month, day = [*given.split("-"), "01", "01"][:3]
        date(int(year), int(month), int(day))  # a month 13, a 31 February
    except ValueError as e:
        raise ValueError(f"{given!r}: {e}; give a date as YYYY, YYYY-MM or YYYY-MM-DD") from None
    return given


def activity(conn, author: str | None = None, since: str | None = None, limit: int | None = None) -> list[Entry]:
    """The log, newest first: of one author, from a date (`since_bound`), at most `limit` rows.
    A user database older than the log, attached read-only, has none."""
    if not conn.execute("SELECT 1 FROM user.sqlite_master WHERE name = 'activity'").fetchone():
        return []
    where, params = [], []
    if author is not None:
        where.append("author = ?")
        params.append(author)
    if since is not None:
        where.append("created >= ?")
        params.append(since)
    sql = "SELECT created, author, action, field, subject, detail FROM user.activity"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"  # the order they were written in: a time holds whole seconds only
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [Entry(*r) for r in conn.execute(sql, params)]


def newest_id(conn) -> int:
    """The number of the log's newest row (0: none yet): where an open app begins to watch it."""
    if not conn.execute("SELECT 1 FROM user.sqlite_master WHERE name = 'activity'").fetchone():
        return 0
    return conn.execute("SELECT coalesce(max(id), 0) FROM user.activity").fetchone()[0]


def written_after(conn, seen: int) -> tuple[list[Entry], int]:
    """The rows appended after row `seen`, oldest first, and the number of the newest now: what an
    open app tells of another analyst's changes (tui/session.py)."""
    if not conn.execute("SELECT 1 FROM user.sqlite_master WHERE name = 'activity'").fetchone():
        return [], seen
    rows = conn.execute(
        "SELECT id, created, author, action, field, subject, detail FROM user.activity WHERE id > ? ORDER BY id",
        (seen,),
    ).fetchall()
    return [Entry(*r[1:]) for r in rows], (rows[-1][0] if rows else seen)


def past_activity(conn) -> list[tuple]:
    """What a user database of version 2 says of who did what, as rows of the log (created,
    author, action, field, subject, detail), oldest first: for the migration that makes the log
    (db/schema.py). A star or a tag without an author (written before they had one) is "unknown"."""
    from db.corrections import change_in_words  # a correction's words; db.corrections imports this module

    rows: list[tuple] = []
    for event_id, starred, by, at in conn.execute(
        "SELECT event_id, starred, starred_by, coalesce(starred_at, updated) FROM annotations"
        " WHERE (starred OR starred_by IS NOT NULL) AND coalesce(starred_at, updated) IS NOT NULL"
    ):
        rows.append((at, by or "unknown", "star" if starred else "unstar", None, event_id, None))
    for event_id, note, by, at in conn.execute(
        "SELECT event_id, note, note_by, coalesce(noted_at, updated) FROM annotations"
        " WHERE note IS NOT NULL AND coalesce(noted_at, updated) IS NOT NULL"
    ):
        rows.append((at, by or "unknown", "note", None, event_id, first_words(note)))
    for event_id, tag, by, at in conn.execute("SELECT event_id, tag, author, created FROM tags ORDER BY rowid"):
        rows.append((at, by or "unknown", "tag", None, event_id, tag))
    for event_id, action, field, machine, analyst, undoes, by, at in conn.execute(
        "SELECT event_id, action, field, machine, analyst, undoes, author, created FROM corrections ORDER BY id"
    ):
        values = [json.loads(v) if v is not None else None for v in (machine, analyst)]
        detail = f"takes back #{undoes}" if action == "undo" else change_in_words(action, field, *values)
        rows.append((at, by, action, field, event_id, detail))
    return sorted(rows, key=lambda r: r[0])  # a stable sort: the same second keeps each table's order
