"""The timeline.db schema: plain SQLite tables any tool can read (sqlite3 shell, Datasette)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from db import counts, store

SCHEMA_VERSION = 14


class DatabaseError(RuntimeError):
    """A database this program cannot use, said in one line naming the file."""


class NotOurs(DatabaseError):
    """Not a timeline database this program can use: not a database at all, a foreign schema, or a
    newer one. `load --force` may set it aside and build a new store in its place."""


class Damaged(DatabaseError):
    """A timeline database with a damaged page: `load --force` may set it aside, as one not ours."""


class Unreadable(DatabaseError):
    """A database that could not be read or written for a reason outside it: a full disk, an I/O
    error, a file that cannot be opened. It may be intact: nothing ever replaces it for this."""


def database_error(path: str | Path, e: sqlite3.Error, opening: bool = False) -> DatabaseError | None:
    """What an SQLite error says about the database at `path`, as one of ours (None when another
    process holds the lock: a wait that ran out, not a file that is wrong). The one place that
    reads SQLite's result codes; `opening`: raised while the file was being opened."""
    if _busy(e):
        return None
    if store.is_url(path):
        path = store.shown(str(path))  # a URL's password is never printed
    code, primary = getattr(e, "sqlite_errorcode", None), _result(e)
    detail = f"{e}, {e.sqlite_errorname}" if code is not None else str(e)
    if primary == sqlite3.SQLITE_NOTADB:
        return NotOurs(f"{path}: not a database ({detail}); left as it is")
    if primary == sqlite3.SQLITE_CORRUPT:
        return Damaged(f"{path}: damaged ({detail}); left as it is")
    if primary in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        full = primary == sqlite3.SQLITE_FULL or _disk_full(Path(path))
        why = "the disk is full" if full else "an I/O error"
        if opening:
            return Unreadable(f"{path}: cannot be opened: {why} ({detail}); left as it is")
        done = "read" if code in (sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_IOERR_SHORT_READ) else "written"
        return Unreadable(
            f"{path}: could not be {done}: {why} ({detail}); this command stored nothing, and what was"
            " stored before is as it was"
        )
    if primary == sqlite3.SQLITE_CANTOPEN:
        return Unreadable(f"{path}: cannot be opened ({detail}); left as it is")
    if primary == sqlite3.SQLITE_READONLY:
        return DatabaseError(f"{path}: read-only ({detail}); nothing written")
    return DatabaseError(f"{path}: {detail}")


def about_the_file(e: sqlite3.Error) -> bool:
    """Whether an error is the database file's (damaged, not a database, a full disk, an I/O error,
    cannot be opened or written), not the statement's: no other row or file would fare better."""
    return _result(e) in (
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_READONLY,
    )


def _disk_full(path: Path) -> bool:
    """Whether the file system holding `path` has no block left for this process."""
    try:
        return os.statvfs(path if path.exists() else path.parent).f_bavail == 0
    except OSError:
        return False


EPOCH = date(1970, 1, 1).toordinal()


def day(iso: str | None) -> int | None:
    """The day number the link tables keep for an event's ISO date: days from 1970-01-01, in the
    date's order, two bytes a row where the text takes ten. None (undated) stays None."""
    return None if iso is None else date.fromisoformat(iso).toordinal() - EPOCH


def day_sql(iso: str) -> str:
    """`day` in SQL, of an expression giving an ISO date (NULL stays NULL)."""
    return f"CAST(julianday({iso}) - 2440587.5 AS INTEGER)"


def date_sql(day_number: str) -> str:
    """The ISO date of an expression giving a day number, in SQL."""
    return f"date({day_number} * 86400, 'unixepoch')"


# Version 14 stores no document and no quote for an imported ACLED row (a third of a store at
# 100k worldwide rows, the row's text and a row repeating its event): both are derived from its
# event and its note (`acled_notes`). The views `documents` and `evidence` give the stored
# rows and one derived row per ACLED event, numbered -seq (a stored row's id is positive), as
# version 13 stored them; `quotes` is a quote with its document, which a reader joining the two
# reads instead (SQLite reads a view of UNION ALL joined to another whole: it pushes a filter into
# the parts, never a join). A filter on an id, a key or an event's id reaches each part by an index.
DERIVED_DOCUMENT = {  # the columns of a document, and what an ACLED event's derived one holds
    "id": "-n.seq",
    "path": "'acled:' || e.id",
    "title": "'ACLED ' || e.id",
    "publisher": "n.source",
    "author": "NULL",
    "url": "NULL",
    "published": "e.date",
    "published_start": "NULL",
    "published_end": "NULL",
    "precision": "NULL",
    "note": "NULL",
    "text": "n.text",
    "kind": "'acled'",
    "published_source": "NULL",
    "key": "e.id",
    "unextracted": "NULL",
}
DERIVED_QUOTE = {"id": "-n.seq", "event_id": "e.id", "document_id": "-n.seq", "start": "0", '"end"': "length(n.text)"}
QUOTED = ("key", "path", "title", "publisher", "published", "text", "kind")  # the document's columns `quotes` has


_DERIVED_FROM = "FROM acled_notes n JOIN events e ON e.seq = n.seq"  # an ACLED row's note and its event


def quotes_of(condition: Callable[[str], str] | None = None) -> str:
    """The rows of the view `quotes`; with `condition`, those of the events it holds of, made of an
    event id's column and written into each part: SQLite (3.40) pushes a filter holding a subquery
    (`IN (SELECT value FROM json_each(?))`) into no part of a view, and would read every note. Each
    part takes the condition's parameters: give them twice."""
    stored, derived = (f" WHERE {condition('v.event_id')}", f" WHERE {condition('e.id')}") if condition else ("", "")
    document = {**DERIVED_QUOTE, **{c: DERIVED_DOCUMENT[c] for c in QUOTED}}
    return (
        f"SELECT {', '.join(f'v.{c}' for c in DERIVED_QUOTE)}, {', '.join(f'd.{c}' for c in QUOTED)}"
        f" FROM stored_evidence v JOIN stored_documents d ON d.id = v.document_id{stored}"
        f" UNION ALL SELECT {', '.join(f'{v} AS {k}' for k, v in document.items())} {_DERIVED_FROM}{derived}"
    )


def _derived_views() -> str:
    """The statements of the views `documents`, `evidence` and `quotes` (see DERIVED_DOCUMENT)."""
    acled = _DERIVED_FROM
    return "\n".join(
        (
            f"CREATE VIEW IF NOT EXISTS documents AS SELECT {', '.join(DERIVED_DOCUMENT)} FROM stored_documents"
            f" UNION ALL SELECT {', '.join(f'{v} AS {k}' for k, v in DERIVED_DOCUMENT.items())} {acled};",
            f"CREATE VIEW IF NOT EXISTS evidence AS SELECT {', '.join(DERIVED_QUOTE)} FROM stored_evidence"
            f" UNION ALL SELECT {', '.join(f'{v} AS {k}' for k, v in DERIVED_QUOTE.items())} {acled};",
            f"CREATE VIEW IF NOT EXISTS quotes AS {quotes_of()};",
        )
    )


TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
-- The documents stored: articles and the analysts' citations (an imported ACLED row's is derived
-- from its event: the view `documents`, below, gives both).
CREATE TABLE IF NOT EXISTS stored_documents (
    id INTEGER PRIMARY KEY,
    path TEXT, title TEXT, publisher TEXT, author TEXT, url TEXT,
    published TEXT, published_start TEXT, published_end TEXT, precision TEXT, note TEXT,
    text TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'article',  -- article | acled | citation (an analyst's source)
    published_source TEXT,  -- front-matter | dateline | page metadata | command line
    key TEXT NOT NULL UNIQUE,  -- what makes it itself: an article's sha256, a data row's event id
    unextracted TEXT  -- why an article gives no events ("took over 20 s"): it is not extracted again
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,  -- the event's row number, kept by VACUUM: links and the search index use it
    id TEXT NOT NULL UNIQUE,  -- its stable id: annotations, exports and the command line use it
    date_start TEXT, date_end TEXT, precision TEXT, date TEXT, date_expression TEXT, date_source TEXT,
    type TEXT NOT NULL, sub_type TEXT NOT NULL, summary TEXT NOT NULL, trigger TEXT,
    fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER, fatalities_raw TEXT,
    confidence REAL, sources INTEGER NOT NULL DEFAULT 1, publishers INTEGER NOT NULL DEFAULT 1,
    origin TEXT NOT NULL DEFAULT 'article',  -- article: extracted, rebuilt on load; acled: imported,
    -- analyst: an event the analyst added or split off (db/corrections.py), written again on load
    revision TEXT,  -- an imported row's version (ACLED's timestamp): a re-import replaces a row that changed
    independent_sources INTEGER NOT NULL DEFAULT 1,  -- sources, a wire dispatch and its copies once
    disputed TEXT  -- the fields its sources differ on ("perpetrator,fatalities"); NULL when they agree
);
-- An imported ACLED row's note and its `source` column (who reported it), by its event's row
-- number: the row's document and quote are derived from them (the views `documents` and
-- `evidence`). A table of its own, not columns of `events`: a note is most of an ACLED row's
-- bytes, and each walk of the events through an index reads their rows (version 14 first had
-- them in `events`: a year's walk at 100k worldwide rows took 112-130 ms, 48-80 without).
CREATE TABLE IF NOT EXISTS acled_notes (
    seq INTEGER PRIMARY KEY REFERENCES events(seq), text TEXT NOT NULL, source TEXT
);
-- Places and actors form trees (db/hierarchy.py): `parent` is the division or country of a place,
-- the group of an actor. An event's links repeat for each ancestor with direct = 0. Each has a row
-- number (`seq`) the links reference: a few bytes in each of millions of links, where its id takes 20.
CREATE TABLE IF NOT EXISTS actors (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT, country TEXT, parent TEXT REFERENCES actors(id)
);
-- The aliases of a name, in the order of their key (`alias_key`): no rowid table beside them. The
-- key's columns come first (SQLite 3.40's integrity_check misreads a WITHOUT ROWID table's
-- NOT NULL column declared before one of its key's).
CREATE TABLE IF NOT EXISTS actor_aliases (
    key TEXT NOT NULL, actor_id TEXT NOT NULL REFERENCES actors(id), alias TEXT NOT NULL,
    PRIMARY KEY (key, actor_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS places (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, country TEXT, admin1 TEXT, lat REAL, lon REAL, kind TEXT,
    parent TEXT REFERENCES places(id)  -- country: ISO 3166 code; admin1: the division's name
);
CREATE TABLE IF NOT EXISTS place_aliases (
    key TEXT NOT NULL, place_id TEXT NOT NULL REFERENCES places(id), alias TEXT NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
-- An event's links to actors and places: its own key, no rowid table beside it. `day` is the
-- event's start as a day number (`day`, below), in the order of its date; NULL: undated.
CREATE TABLE IF NOT EXISTS event_actors (
    event_seq INTEGER NOT NULL REFERENCES events(seq), actor_seq INTEGER NOT NULL REFERENCES actors(seq),
    role TEXT NOT NULL, day INTEGER, direct INTEGER NOT NULL DEFAULT 1,
    named TEXT,  -- the name as the source wrote it: "Military Forces of Turkey (2016-)"
    PRIMARY KEY (event_seq, actor_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_places (
    event_seq INTEGER NOT NULL REFERENCES events(seq), place_seq INTEGER NOT NULL REFERENCES places(seq),
    day INTEGER, direct INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,  -- the order the event names its places in, where it happened first
    PRIMARY KEY (event_seq, place_seq)
) WITHOUT ROWID;
-- A quote is its document's text[start:end], stored once: substr(text, start + 1, "end" - start).
-- The quotes stored: an article's and a citation's (an ACLED row's is derived: the view `evidence`).
CREATE TABLE IF NOT EXISTS stored_evidence (
    id INTEGER PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
    -- BIGINT: a row number, as PostgreSQL keeps the derived quotes' (-seq), so that it pushes a
    -- filter on it into both parts of the view `evidence` (SQLite reads it as INTEGER)
    document_id BIGINT NOT NULL REFERENCES stored_documents(id), start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
-- Date order: (date_start, seq), seq being in every index; the link tables' indexes end alike.
CREATE INDEX IF NOT EXISTS events_by_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_by_type ON events(type, date_start);
-- The events lasting more than a day (a week, a month): those a date window can begin inside.
CREATE INDEX IF NOT EXISTS events_spanning ON events(date_start, date_end) WHERE date_end > date_start;
CREATE INDEX IF NOT EXISTS event_actors_by_actor ON event_actors(actor_seq, day, event_seq);
CREATE INDEX IF NOT EXISTS event_places_by_place ON event_places(place_seq, day, event_seq);
CREATE INDEX IF NOT EXISTS places_by_country ON places(country, kind);
-- A facet pane's window asks for the children of the nodes open (db/facet_window.py).
CREATE INDEX IF NOT EXISTS places_by_parent ON places(parent);
CREATE INDEX IF NOT EXISTS actors_by_parent ON actors(parent);
CREATE INDEX IF NOT EXISTS evidence_by_event ON stored_evidence(event_id);
CREATE INDEX IF NOT EXISTS evidence_by_document ON stored_evidence(document_id);
-- An ACLED row's derived document and quote by their id (`documents`, `evidence`: -seq).
CREATE INDEX IF NOT EXISTS acled_notes_by_document ON acled_notes((-seq));
-- The filters on trust walk these in date order; they hold only the few events they pick.
CREATE INDEX IF NOT EXISTS events_disputed ON events(date_start) WHERE disputed IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_corroborated ON events(date_start) WHERE independent_sources > 1;
-- What each source (document) of an extracted event said before its reports were merged, and
-- the earlier source it repeats, if any (one publisher, one wire agency's dispatch, or the same text).
CREATE TABLE IF NOT EXISTS event_sources (
    event_id TEXT NOT NULL REFERENCES events(id), document_id INTEGER NOT NULL REFERENCES stored_documents(id),
    date TEXT, date_start TEXT, date_end TEXT, precision TEXT, date_expression TEXT,
    type TEXT NOT NULL, sub_type TEXT NOT NULL,
    fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER, fatalities_raw TEXT,
    actors TEXT NOT NULL,  -- JSON: [[actor id, role], ...]
    places TEXT NOT NULL,  -- JSON: [place id, ...], where it happened first
    wire TEXT,  -- the news agency whose dispatch the document runs (seed/lexicon/wires.yaml)
    counted_with INTEGER REFERENCES stored_documents(id),
    PRIMARY KEY (event_id, document_id)
) WITHOUT ROWID;
-- Events per facet value, by the months they begin and end in ('*' all time, '' undated), kept by
-- every write (db/counts.py). A place's or an actor's `value` is its seq's decimal text, a type's
-- or a month's its text: one type for every facet, which both stores declare alike.
CREATE TABLE IF NOT EXISTS month_counts (
    facet TEXT NOT NULL, month TEXT NOT NULL, last TEXT NOT NULL, value TEXT NOT NULL, parent TEXT,
    n INTEGER NOT NULL, PRIMARY KEY (facet, month, last, value)
) WITHOUT ROWID;
-- The events of each facet value, as a roaring bitmap of their seq (db/counts.py), kept by every
-- write; `value` as in month_counts.
CREATE TABLE IF NOT EXISTS event_sets (
    facet TEXT NOT NULL, value TEXT NOT NULL, parent TEXT, events BLOB NOT NULL, PRIMARY KEY (facet, value)
);
{DERIVED_VIEWS}
-- What full-text search reads: an event's summary and quotes (an ACLED row's quote is its whole
-- note, first). The index keeps no copy of them (external content). It keeps
-- each word's positions (detail=full): a phrase ("Deir ez-Zor" is one) is answered by the index,
-- where detail=column, 40 % smaller, would have each hit's text read to check it.
CREATE VIEW IF NOT EXISTS event_text AS SELECT e.seq AS seq, e.summary AS summary, (
    SELECT group_concat(q.quote, char(10)) FROM (
        SELECT n.text AS quote FROM acled_notes n WHERE n.seq = e.seq
        UNION ALL SELECT substr(d.text, v.start + 1, v."end" - v.start)
        FROM stored_evidence v JOIN stored_documents d ON d.id = v.document_id WHERE v.event_id = e.id
    ) AS q
) AS quotes FROM events e;
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
    summary, quotes, content='event_text', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
"""
TABLES = TABLES.replace("{DERIVED_VIEWS}", _derived_views())


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 keeps imported ACLED events beside extracted ones."""
    conn.execute("ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'article'")
    conn.execute("ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT 'article'")


# The user's stars, tags, notes, views and corrections, keyed by the stable event id, live in a
# database of their own beside the store (`user_path`), attached as `user`: a load or an import
# that holds the store's write lock for minutes never makes an annotation wait, and never touches
# one. It has its own version (`PRAGMA user_version`) and migrations (`_upgrade_user`). Every write
# to it is one statement that computes the new state in the database (db/annotations.py,
# db/corrections.py): parallel writers never lose each other's work. `{u}` is the schema prefix.
USER_VERSION = 3
USER_TABLES = """
CREATE TABLE IF NOT EXISTS {u}annotations (
    event_id TEXT PRIMARY KEY, starred INTEGER NOT NULL DEFAULT 0, note TEXT, updated TEXT,
    starred_by TEXT, starred_at TEXT, note_by TEXT, noted_at TEXT  -- who starred it, who wrote the note, when
);
-- One row per tag: a tag may hold a comma, and two analysts tagging at once both keep theirs.
CREATE TABLE IF NOT EXISTS {u}tags (
    event_id TEXT NOT NULL, tag TEXT NOT NULL, author TEXT, created TEXT NOT NULL, UNIQUE (event_id, tag)
);
CREATE INDEX IF NOT EXISTS {u}tags_by_tag ON tags(tag, event_id);
-- Saved views: a filter by name, as JSON (db/views.py).
CREATE TABLE IF NOT EXISTS {u}views (
    name TEXT PRIMARY KEY, filter TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL
);
-- The analyst's corrections of the machine's events (db/corrections.py): appended, never changed.
-- A correction names the event by its id and by its anchor, the evidence it rested on (the
-- document's key and the quote's offsets, its words and the document's path) and the event's
-- sub-type (a sentence may tell two events), so it finds the event again when a re-extraction
-- gives it another id, or an edited article another key. `machine` and `analyst` are JSON: the
-- field's value before and after.
CREATE TABLE IF NOT EXISTS {u}corrections (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL, document_key TEXT, start INTEGER, "end" INTEGER,
    sub_type TEXT, quote TEXT, document_path TEXT,
    action TEXT NOT NULL,  -- confirm | reject | edit | undo
    field TEXT,  -- an edit's: date | type | places | actors | fatalities | summary
    machine TEXT, analyst TEXT,
    undoes INTEGER REFERENCES corrections(id),  -- an undo's: the correction it takes back
    author TEXT NOT NULL, created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {u}corrections_by_event ON corrections(event_id);
CREATE TRIGGER IF NOT EXISTS {u}corrections_kept BEFORE UPDATE ON corrections
    BEGIN SELECT RAISE(ABORT, 'corrections are append-only: undo is a new correction'); END;
CREATE TRIGGER IF NOT EXISTS {u}corrections_never_deleted BEFORE DELETE ON corrections
    BEGIN SELECT RAISE(ABORT, 'corrections are append-only: undo is a new correction'); END;
-- Who changed what (db/activity.py), appended in the transaction of the change it records, never
-- changed: `annotations` holds only the current state, so who unstarred or untagged is kept here.
-- `subject`: the event's id, a view's name, or what a store write read (a folder, a file).
CREATE TABLE IF NOT EXISTS {u}activity (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,  -- UTC, "YYYY-MM-DD HH:MM:SS"
    author TEXT NOT NULL,  -- as the change is signed
    action TEXT NOT NULL,  -- star | unstar | tag | untag | note | a correction's | view saved | view deleted
    -- | load | ingest | import acled | remove
    field TEXT,  -- an edit's (and its undo's) field
    subject TEXT, detail TEXT  -- the tag, the note's first words, before -> after, how many
);
CREATE INDEX IF NOT EXISTS {u}activity_by_author ON activity(author, id);
CREATE TRIGGER IF NOT EXISTS {u}activity_kept BEFORE UPDATE ON activity
    BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {u}activity_never_deleted BEFORE DELETE ON activity
    BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
"""


def _user_statements(prefix: str) -> list[str]:
    """USER_TABLES for a connection that has the user database as `prefix` ("user." or "")."""
    return [
        s.strip().rstrip(";").replace("{u}", prefix) + ";" for s in re.split(r";\n(?=\S)", USER_TABLES) if s.strip()
    ]


def _upgrade_user(path: Path) -> None:
    """Bring the user database at `path` to USER_VERSION, in a transaction of its own connection:
    `BEGIN IMMEDIATE` there locks the user database alone (on the store's connection it would lock
    the store too, and wait behind a long import), and the version read under that lock makes the
    upgrade happen once however many processes open the database at the same moment."""
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > USER_VERSION:
            raise DatabaseError(
                f"{path}: user database version {version} is newer than this program's ({USER_VERSION})"
            )
        if version < USER_VERSION:
            user_steps(conn, version)
            conn.execute(f"PRAGMA user_version = {USER_VERSION}")
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def user_steps(conn: sqlite3.Connection, version: int) -> None:
    """The user database's steps from `version` to USER_VERSION, then what USER_TABLES has that it
    lacks, inside the caller's transaction, on a connection where the user's tables are named
    without a prefix (the user file's own; on PostgreSQL, db/store.py puts the user layer's schema
    first). A step written in plain SQL runs on both stores as it is."""
    if version == 0:
        _user_v0_to_v1(conn)
    if version <= 1:
        _user_v1_to_v2(conn)
    if version <= 2:
        _user_v2_to_v3(conn)
    for statement in _user_statements(""):
        conn.execute(statement)


def _user_v0_to_v1(conn: sqlite3.Connection) -> None:
    """Version 1 keeps a row per tag (they were joined by commas, so a tag could not hold one) and
    the author and time of stars and notes. A database that had no annotations yet is simply made."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(annotations)")}
    if "tags" not in columns:
        return
    for statement in _user_statements(""):
        if "TABLE IF NOT EXISTS tags" in statement:
            conn.execute(statement)
    rows = conn.execute("SELECT event_id, tags, coalesce(updated, datetime('now')) FROM annotations WHERE tags <> ''")
    conn.executemany(
        "INSERT OR IGNORE INTO tags (event_id, tag, created) VALUES (?, ?, ?)",
        [
            (event_id, tag.strip(), when)
            for event_id, tags, when in rows.fetchall()
            for tag in tags.split(",")
            if tag.strip()
        ],
    )
    conn.execute("ALTER TABLE annotations DROP COLUMN tags")
    for column in ("starred_by", "starred_at", "note_by", "noted_at"):
        conn.execute(f"ALTER TABLE annotations ADD COLUMN {column} TEXT")


def _user_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 keeps more of a correction's anchor: its event's sub-type, the quote's words and
    the document's path. The corrections made before have none, and follow their evidence as
    they did."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(corrections)")}
    for column in ("sub_type", "quote", "document_path"):
        if columns and column not in columns:
            conn.execute(f"ALTER TABLE corrections ADD COLUMN {column} TEXT")


def _user_v2_to_v3(conn: sqlite3.Connection) -> None:
    """Version 3 keeps an activity log (db/activity.py). It begins with what the database already
    says of who did what and when: each correction, star, unstar, tag and note, oldest first. The
    views say no author, and the unstars and notes replaced before are gone: those it cannot tell."""
    from db.activity import past_activity  # the corrections' words, which only this step needs

    for statement in _user_statements(""):  # the log, and the tables it reads in a database new here
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO activity (created, author, action, field, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
        past_activity(conn),
    )


def user_path(path: str | Path) -> Path:
    """timeline.db -> timeline.user.db"""
    path = Path(path)
    return path.with_name(f"{path.stem}.user{path.suffix or '.db'}")


def _copy_annotations_to_user(conn: sqlite3.Connection) -> None:
    """Before version 4, annotations lived in the store. They are copied to the user database in a
    transaction of their own, committed before the migration drops them: a transaction across two
    WAL files is not atomic, and a crash between the two steps must leave a copy, not none."""
    if conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'annotations'").fetchone():
        with conn:
            conn.execute(
                "INSERT OR IGNORE INTO user.annotations (event_id, starred, note, updated)"
                " SELECT event_id, starred, note, updated FROM main.annotations"
            )
            rows = conn.execute("SELECT event_id, tags, coalesce(updated, datetime('now')) FROM main.annotations")
            conn.executemany(  # one row per tag, as the user database keeps them
                "INSERT OR IGNORE INTO user.tags (event_id, tag, created) VALUES (?, ?, ?)",
                [
                    (e, tag.strip(), when)
                    for e, tags, when in rows.fetchall()
                    for tag in (tags or "").split(",")
                    if tag.strip()
                ],
            )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Version 4 keeps annotations in the user database (copied there by `_copy_annotations_to_user`)."""
    if conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'annotations'").fetchone():
        conn.execute("DROP TABLE main.annotations")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Version 3 says where a document's publication date came from."""
    conn.execute("ALTER TABLE documents ADD COLUMN published_source TEXT")
    conn.execute(
        "UPDATE documents SET published_source = 'front-matter' WHERE published IS NOT NULL AND kind = 'article'"
    )


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Version 5 puts places and actors in trees, and links events to every ancestor too."""
    for table, column in (
        ("places", "parent TEXT REFERENCES places(id)"),
        ("actors", "parent TEXT REFERENCES actors(id)"),
        ("event_places", "direct INTEGER NOT NULL DEFAULT 1"),
        ("event_actors", "direct INTEGER NOT NULL DEFAULT 1"),
        ("event_actors", "named TEXT"),
    ):
        if column.split()[0] not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    from db.hierarchy import grow_trees  # the gazetteer, which only this old a store needs: not at every start

    grow_trees(conn)


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """Version 6 stores text once and links by number: events get a row number VACUUM keeps, the
    link tables key on it (no rowid table beside them), a quote is read from its document, and the
    search index reads the text through a view instead of keeping a copy."""
    conn.execute("DROP TABLE IF EXISTS events_fts")
    moved = ("events", "event_actors", "event_places", "evidence")
    for table in moved:
        conn.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
    for statement in _tables_before_14():
        if "CREATE INDEX" not in statement and "TABLE IF NOT EXISTS event_" not in statement:  # the old tables
            conn.execute(statement)  # still hold the indexes' names; the links are made as version 6 had them
    conn.executescript(_V6_LINKS)
    old = {c[1] for c in conn.execute("PRAGMA table_info(old_events)")}
    events = [c[1] for c in conn.execute("PRAGMA table_info(events)") if c[1] in old]  # a later version's: empty
    conn.execute(f"INSERT INTO events (seq, {', '.join(events)}) SELECT rowid, {', '.join(events)} FROM old_events")
    conn.execute(
        "INSERT INTO event_actors SELECT e.seq, a.actor_id, a.role, a.date_start, a.direct, a.named"
        " FROM old_event_actors a JOIN events e ON e.id = a.event_id"
    )
    conn.execute(
        "INSERT INTO event_places SELECT e.seq, p.place_id, p.date_start, p.direct, p.rowid"
        " FROM old_event_places p JOIN events e ON e.id = p.event_id"
    )
    conn.execute('INSERT INTO evidence SELECT id, event_id, document_id, start, "end" FROM old_evidence')
    for table in reversed(moved):  # the links before the events they point to
        conn.execute(f"DROP TABLE old_{table}")
    for statement in _tables_before_14():
        if " ON event_" not in statement:  # the links' indexes are version 12's (made by its step)
            conn.execute(statement)
    conn.execute("INSERT INTO events_fts (events_fts) VALUES ('rebuild')")


# The link tables from version 6 to 11: by place and actor id, with the event's start as ISO text.
_V6_LINKS = """
CREATE TABLE event_actors (
    event_seq INTEGER NOT NULL REFERENCES events(seq), actor_id TEXT NOT NULL REFERENCES actors(id),
    role TEXT NOT NULL, date_start TEXT, direct INTEGER NOT NULL DEFAULT 1, named TEXT,
    PRIMARY KEY (event_seq, actor_id)
) WITHOUT ROWID;
CREATE TABLE event_places (
    event_seq INTEGER NOT NULL REFERENCES events(seq), place_id TEXT NOT NULL REFERENCES places(id),
    date_start TEXT, direct INTEGER NOT NULL DEFAULT 1, position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_seq, place_id)
) WITHOUT ROWID;
"""


# The quotes, their indexes and the search index's view as versions 6 to 13 made them, before
# version 14 derived an ACLED row's document and quote (the steps before its own make these).
_V6_QUOTES = """
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
    document_id INTEGER NOT NULL REFERENCES documents(id), start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_by_event ON evidence(event_id);
CREATE INDEX IF NOT EXISTS evidence_by_document ON evidence(document_id);
CREATE VIEW IF NOT EXISTS event_text AS SELECT e.seq AS seq, e.summary AS summary, (
    SELECT group_concat(substr(d.text, v.start + 1, v."end" - v.start), char(10))
    FROM evidence v JOIN documents d ON d.id = v.document_id WHERE v.event_id = e.id
) AS quotes FROM events e;
"""
_MADE_BY_14 = (
    "stored_documents",
    "stored_evidence",
    "documents",
    "evidence",
    "quotes",
    "event_text",
    "evidence_by_event",
    "evidence_by_document",
    "acled_notes",
    "acled_notes_by_document",
)


def _tables_before_14() -> list[str]:
    """TABLES' statements for a step before version 14's: its documents, quotes and views as
    versions 6 to 13 had them (`_V6_QUOTES`)."""
    made = re.compile(rf"CREATE (?:TABLE|INDEX|VIEW) IF NOT EXISTS ({'|'.join(_MADE_BY_14)})\b")
    return [s for s in _statements(TABLES) if not made.search(s)] + _statements(_V6_QUOTES)


def _v13_to_v14(conn: sqlite3.Connection) -> None:
    """Version 14 stores no document and no quote for an imported ACLED row: `acled_notes` keeps
    the row's note (and its source) by its event, and the views `documents`, `evidence` and
    `quotes` derive both (DERIVED_DOCUMENT). The tables keep the articles', the citations' and any
    ACLED row's that is not what the views derive (none that this program wrote since version 8),
    as they were."""
    made = [s for s in _statements(TABLES) if re.search(r"CREATE (TABLE|INDEX) IF NOT EXISTS acled_notes\b", s)]
    for statement in made:
        conn.execute(statement)
    conn.execute("DROP VIEW IF EXISTS event_text")  # SQLite would rename the tables it reads
    conn.execute("ALTER TABLE documents RENAME TO stored_documents")
    conn.execute("ALTER TABLE evidence RENAME TO stored_evidence")
    # a row's document quoted whole by its event alone, holding what the views derive, moves
    derived = " AND ".join(
        f"d.{column} = {expression}" if expression != "NULL" else f"d.{column} IS NULL"
        for column, expression in DERIVED_DOCUMENT.items()
        if column not in ("id", "publisher", "text")  # the note's: the rest is the event's
    )
    conn.execute(
        "INSERT INTO acled_notes (seq, text, source) SELECT e.seq, d.text, d.publisher"
        " FROM stored_evidence v JOIN stored_documents d ON d.id = v.document_id JOIN events e ON e.id = v.event_id"
        f' WHERE v.start = 0 AND v."end" = length(d.text) AND {derived}'
        " AND NOT EXISTS (SELECT 1 FROM stored_evidence w WHERE w.document_id = d.id AND w.id <> v.id)"
    )
    moved = (
        "SELECT d.id FROM stored_documents d JOIN events e ON e.id = d.key JOIN acled_notes n ON n.seq = e.seq"
        " WHERE d.kind = 'acled'"
    )
    conn.execute(f"DELETE FROM stored_evidence WHERE document_id IN ({moved})")
    conn.execute(f"DELETE FROM stored_documents WHERE id IN ({moved})")
    if isinstance(conn, store.PostgresConnection):  # as TABLES declares it (SQLite's INTEGER is the same)
        conn.execute("ALTER TABLE stored_evidence ALTER COLUMN document_id TYPE BIGINT")
    for statement in _statements(TABLES):
        if "CREATE VIEW" in statement:
            conn.execute(statement)


def make_missing(conn: sqlite3.Connection) -> None:
    """Make what TABLES has that the store lacks. An index a bulk import built is named
    `staging_` + its name (db/acled.py, which cannot rename an index): it is that index, there."""
    there = {name.removeprefix("staging_") for (name,) in conn.execute("SELECT name FROM main.sqlite_master")}
    for statement in _statements(TABLES):
        index = re.search(r"CREATE INDEX IF NOT EXISTS (\w+)", statement)
        if not (index and index.group(1) in there):
            conn.execute(statement)
    conn.commit()


def _statements(script: str) -> list[str]:
    """The statements of a script (TABLES), to run one by one inside a transaction."""
    return [s for s in script.split(";\n") if "CREATE" in s]


def _v6_to_v7(conn: sqlite3.Connection) -> None:
    """Version 7 keeps the panes' counts per month (db/counts.py), counted by version 13's step,
    after version 12's has given the links the shape the counts read."""
    for statement in _statements(TABLES):
        if "month_counts" in statement:
            conn.execute(statement)


def _v7_to_v8(conn: sqlite3.Connection) -> None:
    """Version 8 keeps the version of each imported row, so that a re-import can tell a revised
    row (the rows imported before have none: the next import of them replaces them once), and
    indexes the events that last more than a day, for date windows. A document is known by its
    `key`: an article's sha256 as before, a data row's event id (short, and in order: a million
    of them cost a third of the hashes' space and time)."""
    if "revision" not in {c[1] for c in conn.execute("PRAGMA table_info(events)")}:  # made by version 6's step
        conn.execute("ALTER TABLE events ADD COLUMN revision TEXT")
    conn.execute("ALTER TABLE documents RENAME COLUMN sha256 TO key")
    conn.execute(
        "UPDATE documents SET key = (SELECT event_id FROM evidence WHERE document_id = documents.id)"
        " WHERE kind = 'acled'"
    )
    for statement in _statements(TABLES):
        if "events_spanning" in statement:
            conn.execute(statement)


def _v8_to_v9(conn: sqlite3.Connection) -> None:
    """Version 9 keeps what each source of an event said, and on events how many sources are
    independent and what they dispute. ACLED rows are one source each: the defaults hold. The
    articles' events get theirs at the next `timeline load` or `ingest` (they are re-extracted);
    until then a publisher counts as an independent source."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(events)")}  # version 6 made events as they are now
    for column in ("independent_sources INTEGER NOT NULL DEFAULT 1", "disputed TEXT"):
        if column.split()[0] not in have:
            conn.execute(f"ALTER TABLE events ADD COLUMN {column}")
    conn.execute("UPDATE events SET independent_sources = publishers WHERE origin = 'article' AND publishers > 1")
    for statement in _statements(TABLES):
        if "event_sources" in statement or "events_disputed" in statement or "events_corroborated" in statement:
            conn.execute(statement)


def _v9_to_v10(conn: sqlite3.Connection) -> None:
    """Version 10 keeps the set of events of each facet value, for the counts under a filter
    (made by version 13's step, as the counts)."""
    for statement in _statements(TABLES):
        if "event_sets" in statement:
            conn.execute(statement)


def _v10_to_v11(conn: sqlite3.Connection) -> None:
    """Version 11 remembers an article the extractor gave up on (over its time bound), so that no
    later load or ingest spends that time on it again while holding the write lock."""
    if "unextracted" not in {c[1] for c in conn.execute("PRAGMA table_info(documents)")}:
        conn.execute("ALTER TABLE documents ADD COLUMN unextracted TEXT")


def _v11_to_v12(conn: sqlite3.Connection) -> None:
    """Version 12 narrows the links, a third of a store: places and actors get a row number (`seq`,
    their rowid until now), which the links reference instead of their text id, and the links keep
    the event's start as a day number instead of its ISO date. (The counts and sets of a store older
    than versions 7 and 10 are made by version 13's step, in the shape it gives them.)"""
    for table in ("places", "actors"):
        columns = ", ".join(c[1] for c in conn.execute(f"PRAGMA table_info({table})"))
        _rebuilt(conn, table, f"seq, {columns}", f"SELECT rowid, {columns} FROM {table} ORDER BY rowid")
    for kind, kept in (("place", ("direct", "position")), ("actor", ("role", "direct", "named"))):
        _rebuilt(
            conn,
            f"event_{kind}s",
            f"event_seq, {kind}_seq, day, {', '.join(kept)}",
            f"SELECT l.event_seq, t.seq, {day_sql('l.date_start')}, {', '.join(f'l.{c}' for c in kept)}"
            f" FROM event_{kind}s l JOIN {kind}s t ON t.id = l.{kind}_id",
        )
    for statement in _tables_before_14():
        if "CREATE INDEX" in statement:
            conn.execute(statement)
    for table in ("places", "actors", "event_places", "event_actors"):
        conn.execute(f"ANALYZE {table}")


def _v12_to_v13(conn: sqlite3.Connection) -> None:
    """Version 13 narrows the panes' counts and the aliases: `month_counts` and `event_sets` keep a
    place or an actor by its seq's text instead of its id (a third of their size), and the aliases
    are kept in their key's order with no rowid table beside them (half their size). A store older
    than versions 7 and 10 has empty counts and sets (their steps made the tables): they are
    counted here, from the links version 12's step narrowed, in this shape."""
    for table in ("month_counts", "event_sets"):  # rows written before this version name an id
        names = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
        columns, kept = ", ".join(names), ", ".join("{}" if c == "value" else f"{table}.{c}" for c in names)
        rows = " UNION ALL ".join(
            f"SELECT {kept.format(counts.as_stored('t.seq'))} FROM {table} JOIN {facet} t ON t.id = {table}.value"
            f" WHERE {table}.facet = '{facet}'"
            for facet in counts.NAMED
        )
        others = ", ".join(f"'{facet}'" for facet in counts.NAMED)
        rows += f" UNION ALL SELECT {kept.format('value')} FROM {table} WHERE {table}.facet NOT IN ({others})"
        _rebuilt(conn, table, columns, rows)
    if not conn.execute("SELECT 1 FROM month_counts LIMIT 1").fetchone():
        counts.add_months(conn, "SELECT seq FROM events")
    if not conn.execute("SELECT 1 FROM event_sets LIMIT 1").fetchone():
        counts.add_sets(conn, "SELECT seq FROM events")
    for kind in ("actor", "place"):
        if not _without_rowid(conn, f"{kind}_aliases"):
            columns = f"key, alias, {kind}_id"
            _rebuilt(conn, f"{kind}_aliases", columns, f"SELECT {columns} FROM {kind}_aliases")


# --- the migrations' SQLite-only work, and its PostgreSQL form ----------------------------------------
# A step is written once, for SQLite: on PostgreSQL its statements are translated as every other's
# (db/dialect.py). What SQLite alone needs (a table rebuilt to change it, WITHOUT ROWID) has its
# PostgreSQL form here, and nowhere else.


def _without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    """Whether a table keeps its rows by its key alone (WITHOUT ROWID): read from its SQL, as
    SQLite before 3.37 has no pragma_table_list. A PostgreSQL table has no rowid to drop."""
    if isinstance(conn, store.PostgresConnection):
        return True
    sql = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    return bool(re.search(r"\)\s*WITHOUT\s+ROWID\s*$", sql, re.I))


def _rebuilt(conn: sqlite3.Connection, table: str, columns: str, rows: str) -> None:
    """`table` made again as TABLES has it, holding the `rows` of a query into its `columns`:
    made as new_TABLE, filled, the old dropped, the new renamed (SQLite's way to change a table
    that others reference; ensure_schema turns the foreign keys off for it)."""
    create = next(s for s in _statements(TABLES) if f"TABLE IF NOT EXISTS {table} (" in s)
    conn.execute(create.replace(f"TABLE IF NOT EXISTS {table} (", f"TABLE new_{table} (", 1))
    conn.execute(f"INSERT INTO new_{table} ({columns}) {rows}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE new_{table} RENAME TO {table}")
    if isinstance(conn, store.PostgresConnection):
        _named_as_made(conn, table)


def _named_as_made(conn: sqlite3.Connection, table: str) -> None:
    """PostgreSQL names a table's key index and identity sequence after the table (new_x_pkey): a
    rebuilt table's are named as the table's own were, so the next rebuild can make new_x again.
    (A table other tables reference cannot be dropped there: a step rebuilding one, as version
    12's did, needs a PostgreSQL form of its own.)"""
    for kind, old in conn.execute(
        "SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'INDEX' END, c.relname::text FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname LIKE ?",
        (f"new\\_{table}\\_%",),
    ).fetchall():
        conn.execute(f"ALTER {kind} {old} RENAME TO {old.removeprefix('new_')}")


def _seconds(given: str | None, default: float) -> float:
    """A number of seconds from the environment; what is not a positive number is the default."""
    try:
        seconds = float(given) if given else default
    except ValueError:
        return default
    return seconds if 0 < seconds < float("inf") else default


# from version N to N + 1
MIGRATIONS = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
    10: _v10_to_v11,
    11: _v11_to_v12,
    12: _v12_to_v13,
    13: _v13_to_v14,
}


# How long a writer waits for another (a load behind a long import) before it says so: a script
# that would rather wait for a whole import sets TIMELINE_BUSY_SECONDS.
BUSY_SECONDS = _seconds(os.environ.get("TIMELINE_BUSY_SECONDS"), default=10.0)


def connect(path: str | Path, create: bool = False, user: bool = True) -> sqlite3.Connection:
    """Open a timeline database: WAL, foreign keys, a bounded wait for other writers, the user's
    annotations attached as `user`. Bulk writers (load, ingest, import) pass create=True and
    user=False: their `BEGIN IMMEDIATE` then takes the store's write lock alone, and annotations
    never wait. A store or user database this process cannot write is opened read-only: every view
    works, and a write says `read_only` is why. What goes wrong while opening is said as what it
    is (`database_error`): a full disk is never taken for a file that is not ours. A postgresql://
    URL opens the shared store instead (db/store.py), behind the same surface."""
    if store.is_url(path):
        return store.connect(str(path), create, user)  # type: ignore[return-value]
    refuse_what_cannot_hold_a_store(str(path))
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no such database (run `timeline load` first)")
    why_read_only = read_only(path)
    if create and why_read_only:
        raise DatabaseError(f"{path}: {why_read_only}; nothing written")
    conn = None
    try:
        conn = _open(path, why_read_only)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        try:
            refuse_foreign(conn)  # first: a file that is not ours is refused before anything changes it
        except NotOurs as e:
            raise NotOurs(f"{path}: {e}; left as it is") from None
        _attach_user(conn, user_path(path))
        if why_read_only:
            _refuse_upgrade(conn, path, why_read_only)
        else:
            ensure_schema(conn)
        for schema, file in (("main", path), ("user", user_path(path))):
            if not read_only(file):
                conn.execute(f"PRAGMA {schema}.journal_mode=WAL")
                conn.execute(f"PRAGMA {schema}.synchronous=NORMAL")
        if not user:
            conn.execute("DETACH DATABASE user")
    except sqlite3.Error as e:
        if conn is not None:
            conn.close()
        raise (database_error(path, e, opening=True) or e) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return conn


def refuse_what_cannot_hold_a_store(given: str) -> None:
    """A store is a file that lasts: not SQLite's `:memory:` or a URI (`file:x.db?mode=memory`
    would load into memory and keep nothing), not a device, a folder or a pipe."""
    if given in ("", ":memory:") or given.startswith("file:"):
        raise DatabaseError(f"{given!r}: not a file's path (a URI or :memory: keeps nothing); give a file's path")
    if os.path.exists(given) and not os.path.isfile(given):
        raise DatabaseError(f"{given}: not a regular file, so it cannot hold a store")


def read_only(path: Path) -> str | None:
    """Why this process cannot write the database at `path` (None when it can). SQLite writes
    NAME-wal and NAME-shm beside NAME, so the folder must be writable too."""
    folder = path.parent
    if not folder.is_dir():
        return f"its folder {folder} does not exist"
    if os.statvfs(path if path.exists() else folder).f_flag & os.ST_RDONLY:
        return f"its file system ({folder}) is mounted read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only"
    return None


def _uri(path: Path, immutable: bool = False) -> str:
    return f"{path.absolute().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def _open(path: Path, why_read_only: str | None) -> sqlite3.Connection:
    if not why_read_only:
        return sqlite3.connect(path, timeout=BUSY_SECONDS)  # a file's path, never read as a URI
    conn = sqlite3.connect(_uri(path), timeout=BUSY_SECONDS, uri=True)
    if not _readable(conn, "main"):
        conn.close()
        _refuse_pending_wal(path, why_read_only)
        conn = sqlite3.connect(_uri(path, immutable=True), timeout=BUSY_SECONDS, uri=True)
    return conn


def _readable(conn: sqlite3.Connection, schema: str) -> bool:
    """A read-only WAL database needs its -shm file, which SQLite cannot create read-only
    (SQLITE_READONLY, or SQLITE_CANTOPEN on a read-only file system); without it, the file is
    read as `immutable` (no -shm means no other connection is open, and the last to close left
    the WAL merged into the file: `_refuse_pending_wal` makes sure)."""
    try:
        conn.execute(f"SELECT count(*) FROM {schema}.sqlite_master").fetchone()
        return True
    except sqlite3.OperationalError as e:
        if _result(e) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
        return False


def _refuse_pending_wal(path: Path, why_read_only: str) -> None:
    """Read as `immutable`, a database would silently miss what its -wal file still holds."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise Unreadable(
            f"{path}: cannot be read: its -wal file holds changes not yet merged into it, and {why_read_only},"
            " so SQLite cannot make the -shm file it needs to read them"
        )


def _attach_user(conn: sqlite3.Connection, path: Path) -> None:
    """Attach the user's annotations. One this process cannot write is attached read-only, or, if it
    does not exist yet, as an empty one in memory (a read-only store has no stars to show), and
    then the connection writes nothing: a star would vanish with the process. One that cannot be
    read is said in one line naming it: never a reason to set the store aside."""
    try:
        _attach_user_database(conn, path)
    except sqlite3.Error as e:
        error = database_error(path, e, opening=True)
        if error is None:
            raise
        raise DatabaseError(f"{error}: it holds the stars, tags and notes") from None


def _make_user(path: Path) -> None:
    """A new user database, made whole beside `path` (its tables, its version, write-ahead logging)
    and linked there, unless another opener linked one first. Made in place, it was in rollback
    mode until each opener switched it to WAL, and a switch while another opener held its write
    lock (upgrading it, or switching it too) failed at once with SQLITE_BUSY, no wait: the app's
    two lanes open a new store at the same moment."""
    made = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.new")
    try:
        conn = sqlite3.connect(made, timeout=BUSY_SECONDS)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        _upgrade_user(made)  # its connection closed: the log is merged into the file, which stays WAL
        # Another opener's, linked first, is kept; where the file system has no hard links, ATTACH
        # makes it in place, as it did before.
        with contextlib.suppress(OSError):
            os.link(made, path)
    finally:
        for leftover in (made, Path(f"{made}-wal"), Path(f"{made}-shm")):
            leftover.unlink(missing_ok=True)


def _attach_user_database(conn: sqlite3.Connection, path: Path) -> None:
    why_read_only = read_only(path)
    if not why_read_only:
        if not path.exists():
            _make_user(path)
        conn.execute("ATTACH DATABASE ? AS user", (str(path),))
        if conn.execute("PRAGMA user.user_version").fetchone()[0] != USER_VERSION:
            _upgrade_user(path)
        return
    if not path.exists():
        conn.execute("ATTACH DATABASE ':memory:' AS user")
        for statement in _user_statements("user."):
            conn.execute(statement)
        conn.execute("PRAGMA query_only = ON")  # its folder is read-only, and so is the store beside it
        return
    try:
        conn.execute("ATTACH DATABASE ? AS user", (_uri(path),))
        if _readable(conn, "user"):
            return
    except sqlite3.OperationalError as e:
        if _result(e) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
    if conn.execute("SELECT 1 FROM pragma_database_list WHERE name = 'user'").fetchone():
        conn.execute("DETACH DATABASE user")
    _refuse_pending_wal(path, why_read_only)
    conn.execute("ATTACH DATABASE ? AS user", (_uri(path, immutable=True),))


def _refuse_upgrade(conn: sqlite3.Connection, path: Path, why_read_only: str) -> None:
    """A read-only store is read as it is, or not at all: it cannot be created or migrated."""
    has_version = conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'schema_version'").fetchone()
    row = has_version and conn.execute("SELECT version FROM schema_version").fetchone()
    if not row or row[0] != SCHEMA_VERSION:
        state = f"schema version {row[0]} must be upgraded" if row else "an empty database"
        raise DatabaseError(f"{path}: {state}, and {why_read_only}")


def _result(e: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (SQLITE_IOERR for SQLITE_IOERR_SHMSIZE)."""
    code = getattr(e, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def _busy(e: sqlite3.Error) -> bool:
    """Another process holds the lock: a wait that ran out, not a file that is wrong."""
    return _result(e) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def set_aside(path: Path) -> Path:
    """Rename a database this program cannot use to NAME.bak-TIMESTAMP (with its -wal and -shm),
    so that a new one can take its name: asked for explicitly (`load --force`), never by default.
    Its writer lock (db/locks.py) stays: it is the lock of the name, which the next writer takes."""
    backup = path.with_name(f"{path.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{backup}{suffix}")
    return backup


def refuse_foreign(conn: sqlite3.Connection) -> None:
    """Raise NotOurs for a database that is not a timeline database, or of a schema version this
    program never wrote (newer, or not a version at all: 0, -1, 'x', 2.5); read only. An empty
    schema_version table is a store whose creation was cut short: ensure_schema finishes it."""
    tables = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table'")}
    if tables and "schema_version" not in tables:
        raise NotOurs("not a timeline database: it has tables but no schema_version")
    if "schema_version" in tables:
        row = conn.execute("SELECT version FROM main.schema_version").fetchone()
        if row and not (isinstance(row[0], int) and row[0] >= 1):
            raise NotOurs(f"not a timeline database: schema version {row[0]!r} is none this program wrote")
        if row and row[0] > SCHEMA_VERSION:
            raise NotOurs(f"schema version {row[0]} is newer than this program's ({SCHEMA_VERSION})")


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create a new schema, accept the current one or bring an older one up to date."""
    refuse_foreign(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table'")}
    if "schema_version" in tables:
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else 0
        if version == SCHEMA_VERSION:
            return
        if version >= 1:
            _copy_annotations_to_user(conn)
            # A step may rebuild a table others reference (`_rebuilt`): SQLite wants the foreign
            # keys off for that, set outside the transaction. Each step keeps its references.
            conn.execute("PRAGMA foreign_keys=OFF")
            try:
                conn.execute("BEGIN IMMEDIATE")  # a migration happens whole or not at all, and once
                version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](conn)
                conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
                conn.commit()
            finally:
                if conn.in_transaction:
                    conn.rollback()
                conn.execute("PRAGMA foreign_keys=ON")
            make_missing(conn)  # indexes and tables new in this version
            return
    conn.executescript(TABLES)
    conn.execute("DELETE FROM schema_version")
    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
    conn.commit()
