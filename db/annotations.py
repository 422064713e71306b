"""The analyst's stars, tags and notes on events, in the user database (attached as `user`), each
with its author and time. Plain functions taking a connection, for the command line and the app's
workers alike.

Every write is one SQL statement that computes the new state in the database, never a value read
in Python and written back: a dozen processes tagging one event at once keep every tag, and a note
written meanwhile stays. The statements write the user database alone, so they never wait for a
load or an import holding the store's write lock.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Iterable

from db import store
from db.activity import first_words, logged, logged_if
from db.queries import QueryError
from db.schema import DatabaseError, about_the_file, database_error

AUTHOR_VARIABLE = "TIMELINE_AUTHOR"  # the configured name of the analyst, when --author is not given


def author_name(given: str | None = None, conn=None) -> str:
    """Who writes: `--author`, else the configured name (TIMELINE_AUTHOR), else, on a shared store
    (db/store.py), the database role the analyst signs in as, else the login."""
    for name in (given, os.environ.get(AUTHOR_VARIABLE), getattr(conn, "role", None)):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


_HAS_TAG = "EXISTS (SELECT 1 FROM user.tags WHERE event_id = ? AND tag = ?)"


def add_tags(conn, event_id: str, tags: Iterable[str], author: str | None = None) -> list[str]:
    """Tag an event (a tag already there stays as it was, and is not logged again); the tags
    given, cleaned."""
    cleaned = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    require_event(conn, event_id)
    who = author_name(author, conn)
    statements = []
    for tag in cleaned:
        statements += [
            logged_if(f"NOT {_HAS_TAG}", (event_id, tag), "tag", who, event_id, tag),
            (
                "INSERT OR IGNORE INTO user.tags (event_id, tag, author, created) VALUES (?, ?, ?, datetime('now'))",
                (event_id, tag, who),
            ),
        ]
    write_user(conn, statements)
    return cleaned


def remove_tags(conn, event_id: str, tags: Iterable[str], author: str | None = None) -> list[str]:
    """Take tags off an event (one it does not have is no change); the tags it had, of those given."""
    cleaned = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    require_event(conn, event_id)
    had = [tag for tag in cleaned if conn.execute(f"SELECT {_HAS_TAG}", (event_id, tag)).fetchone()[0]]
    who = author_name(author, conn)
    statements = []
    for tag in cleaned:
        statements += [
            logged_if(_HAS_TAG, (event_id, tag), "untag", who, event_id, tag),
            ("DELETE FROM user.tags WHERE event_id = ? AND tag = ?", (event_id, tag)),
        ]
    write_user(conn, statements, "the tags are not taken off")
    return had


def set_note(conn, event_id: str, note: str, author: str | None = None) -> None:
    """Write (or replace) an event's note; its star stays as it is."""
    require_event(conn, event_id)
    who = author_name(author, conn)
    write_user(
        conn,
        [
            logged("note", who, event_id, first_words(note) or "(emptied)"),
            (
                "INSERT INTO user.annotations (event_id, note, note_by, noted_at, updated)"
                " VALUES (?, ?, ?, datetime('now'), datetime('now')) ON CONFLICT(event_id) DO UPDATE SET"
                " note = excluded.note, note_by = excluded.note_by, noted_at = excluded.noted_at,"
                " updated = excluded.updated",
                (event_id, note, who),
            ),
        ],
    )


def set_starred(conn, event_id: str, starred: bool, author: str | None = None) -> None:
    """Star or unstar an event; its note stays as it is. A star on a starred event (an unstar on
    one that is not) is written, and not logged: it changes nothing."""
    require_event(conn, event_id)
    who = author_name(author, conn)
    starred_now = "coalesce((SELECT starred FROM user.annotations WHERE event_id = ?), 0)"  # never annotated: 0
    write_user(
        conn,
        [
            logged_if(f"{starred_now} <> ?", (event_id, int(starred)), "star" if starred else "unstar", who, event_id),
            (
                "INSERT INTO user.annotations (event_id, starred, starred_by, starred_at, updated)"
                " VALUES (?, ?, ?, datetime('now'), datetime('now')) ON CONFLICT(event_id) DO UPDATE SET"
                " starred = excluded.starred, starred_by = excluded.starred_by, starred_at = excluded.starred_at,"
                " updated = excluded.updated",
                (event_id, int(starred), who),
            ),
        ],
    )


def annotate(
    conn, event_id: str, tags: list[str] | None = None, note: str | None = None, author: str | None = None
) -> None:
    """Tags (added to those already there) and a note (replacing it) on an event."""
    if tags:
        add_tags(conn, event_id, tags, author)
    if note is not None:
        set_note(conn, event_id, note, author)
    if not tags and note is None:
        require_event(conn, event_id)


def tags_of(conn, event_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The tags of each event, in the order they were added; an event without any is left out.
    One statement, the ids one JSON parameter: one statement text whatever their number (PostgreSQL
    plans it once; a `?` an id made a text for each length, and a statement for each 500)."""
    if not event_ids:
        return {}
    if not user_table(conn, "tags"):
        return _legacy_tags(conn, event_ids)
    found: dict[str, list[str]] = {}
    rows = conn.execute(
        "SELECT event_id, tag FROM user.tags WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        (json.dumps(event_ids),),
    )
    for event_id, tag in rows:
        found.setdefault(event_id, []).append(tag)
    return {event_id: tuple(tags) for event_id, tags in found.items()}


def _legacy_tags(conn, event_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The tags of a user database older than tag rows, attached read-only (so not migrated):
    joined by commas in `annotations.tags`."""
    if "tags" not in {r[1] for r in conn.execute("PRAGMA user.table_info(annotations)")}:
        return {}
    rows = conn.execute(
        "SELECT event_id, tags FROM user.annotations WHERE tags <> '' AND event_id IN (SELECT value FROM json_each(?))",
        (json.dumps(event_ids),),
    )
    return {event_id: tuple(t for t in tags.split(",") if t) for event_id, tags in rows}


def tagged(conn, tag: str) -> set[str]:
    """The ids of the events tagged `tag`."""
    if not user_table(conn, "tags"):
        return set()
    return {r[0] for r in conn.execute("SELECT event_id FROM user.tags WHERE tag = ?", (tag,))}


def orphaned(conn) -> list[tuple[str, bool, tuple[str, ...], str | None]]:
    """The stars, tags and notes of events the store no longer holds (an article removed, a load
    without it): kept, for the event may come back, and listed so none is lost in silence.
    (event id, starred, tags, note), by event id."""
    gone = "NOT EXISTS (SELECT 1 FROM events e WHERE e.id = {t}.event_id)"
    ids = {
        r[0]
        for r in conn.execute(
            f"SELECT event_id FROM user.annotations a WHERE (starred OR note IS NOT NULL) AND {gone.format(t='a')}"
        )
    }
    if user_table(conn, "tags"):
        ids |= {r[0] for r in conn.execute(f"SELECT event_id FROM user.tags t WHERE {gone.format(t='t')}")}
    found = {
        r[0]: (bool(r[1]), r[2])
        for r in conn.execute(
            f"SELECT event_id, starred, note FROM user.annotations WHERE event_id IN ({','.join('?' * len(ids))})",
            sorted(ids),
        )
    }
    tags = tags_of(conn, sorted(ids)) if user_table(conn, "tags") else {}
    return [(i, found.get(i, (False, None))[0], tags.get(i, ()), found.get(i, (False, None))[1]) for i in sorted(ids)]


def user_table(conn, name: str) -> bool:
    """Whether the user database has this table: one older than it, attached read-only, does not."""
    return bool(conn.execute("SELECT 1 FROM user.sqlite_master WHERE name = ?", (name,)).fetchone())


def require_event(conn, event_id: str) -> None:
    """An annotation is kept only for an event that exists: an unknown id is a usage error."""
    if not conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
        raise QueryError(f"no event {event_id!r}")


def write_user(
    conn, statements: list[tuple[str, tuple]], lost: str = "the annotation is not saved", cursor=None
) -> None:
    """Run statements that write the user database alone, in one transaction (on `cursor`, to
    read its rowcount after). It begins deferred: the first write takes the user database's
    lock, never the store's. On PostgreSQL it begins under the user layer's own lock, which
    SQLite's file lock is: a change logged if it changes something reads a state no other writer
    is changing."""
    cursor = cursor or conn.cursor()
    try:
        with conn:
            if isinstance(conn, store.PostgresConnection):
                conn.begin_user_write()
            for sql, params in statements:
                cursor.execute(sql, params)
    except sqlite3.OperationalError as e:
        where = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'user'").fetchone()[0]
        if "readonly" in str(e):
            raise DatabaseError(f"{where or 'the annotations'}: read-only, {lost}") from None
        error = database_error(where, e) if where and about_the_file(e) else None  # a full disk: this file's
        if error is None:
            raise
        raise error from None
