"""`timeline copy SRC DST`: a whole timeline copied from one store to another (a SQLite file to a
PostgreSQL database and back, or either to its own kind), losslessly: every table of the store and
of the analyst's layer, row by row with its row numbers (an event's seq, a document's id, a tag's
rowid), which annotations, corrections, links and sets refer to. The search index alone is built
again on DST, by the statement the load builds it with: FTS5's index and a tsvector column hold
the same words in two forms that cannot be copied into each other.

SRC is read in one snapshot (a read transaction; REPEATABLE READ on PostgreSQL), table by table,
BATCH rows at a time: the memory stays flat however big the store. DST's activity log gains one
entry, the copy's own (who, when, from which store, how many events): a team's log says who
brought the timeline in; every other row is SRC's. DST must hold no timeline, and it never holds
half of one: a PostgreSQL DST is written in one transaction, its tables made in it if it has none
(a copy that fails leaves the database as it was); a SQLite DST is built beside its name, under
the store's writer lock, and linked in when whole, or renamed where the file system has no links
(the user file first: a crash between the two leaves that file alone, which a copy then refuses,
naming it). Both are opened as every command opens them, so an older SQLite store is migrated
first and a PostgreSQL one of another version refused: the copy is always between stores of this
program's schema. The progress told is of the whole copy: the rows, then the steps after them
(keys, search index, statistics), each weighed by its cost (STEP_COSTS).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from db import dialect, store
from db.load import analyze
from db.locks import clear_staged, staged as staged_path, store_writer
from db.schema import TABLES, USER_TABLES, DatabaseError, connect, user_path

BATCH = 5_000  # rows read and written at a time
SEARCH_WINDOW = 20_000  # events whose search index is built at a time (each a transaction on a SQLite DST)

# The tables copied, in the order of their references (a document before the evidence quoting
# it), as the schema names them (`user.` for the analyst's layer). Every table of db/schema.py is
# copied as rows, the derived ones too, since their rows mean the same on both stores: the
# counts and sets of `month_counts` and `event_sets` (keyed by the seq that survives the copy, a
# value's text and a roaring bitmap's bytes alike on both), and the trees of db/hierarchy.py (the
# `parent` of a place or actor, the links with direct = 0). Counting again would cost what the
# import's count takes, for the same rows. The search index (events_fts, a virtual table in
# SQLite: not in this list) is built again instead; schema_version is DST's own.
COPIED = [
    *(name for name in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", TABLES) if name != "schema_version"),
    *(f"user.{name}" for name in re.findall(r"CREATE TABLE IF NOT EXISTS \{u\}(\w+)", USER_TABLES)),
]

Entry = Callable[[object], tuple[str, tuple]]  # DST's connection -> the copy's entry in its log, with its parameters
Progress = Callable[[int, int, str], None]  # work done so far, work in all (in rows copied), the step under way

# What each step after the rows costs, in rows copied, on each kind of DST: the bar is full when
# DST is whole, not when its last row is sent. Measured by timing each step of a copy of 20k
# worldwide ACLED rows (bench/generate_world: 361k rows, 20k events): into SQLite a row took 23 µs,
# an event indexed 36 µs, ANALYZE (sampled) nothing to speak of; into PostgreSQL a row 13 µs, the
# keys, indexes and references made again 0.7 of the rows' time, an event indexed 143 µs, ANALYZE
# 0.55 of the rows' time (before, the bar stood full for 8.7 s of the 13.4 s copy into PostgreSQL).
STEP_COSTS = {
    "sqlite": {"keys": 0.0, "search": 1.5, "statistics": 0.01},  # keys per row, search per event, statistics per row
    "postgresql": {"keys": 0.7, "search": 11.0, "statistics": 0.55},
}


@dataclass
class Copied:
    tables: int
    rows: int
    seconds: float


def copy(src: store.Store, dst: store.Store, progress: Progress = lambda done, total, step: None) -> Copied:
    """Copy the timeline at `src` into `dst`, which must hold none. Raises DatabaseError (one
    line naming the store) when a store cannot be used, DST holds a timeline, or the copy fails;
    DST is then as it was."""
    started = time.monotonic()
    source = connect(src)  # an older SQLite store migrated as every command does
    try:
        with _snapshot(source):
            totals = {table: _count(source, table) for table in COPIED}
            rows = sum(totals.values())
            bar = _Bar(progress, rows, totals["events"], STEP_COSTS["postgresql" if store.is_url(dst) else "sqlite"])
            entry = functools.partial(_the_copys_entry, source, totals["events"])
            if store.is_url(dst):
                _to_postgres(source, str(dst), bar, entry)
            else:
                _to_sqlite(source, Path(dst), bar, entry)
    finally:
        source.close()
    return Copied(len(COPIED), rows, time.monotonic() - started)


class _Bar:
    """The copy's progress, step by step, each step's share of the bar its cost in rows copied
    (STEP_COSTS): `at(step, part)` reports the part of a step done, the steps before it whole."""

    def __init__(self, progress: Progress, rows: int, events: int, costs: dict[str, float]) -> None:
        self.progress = progress
        self.shares = {
            "rows": rows,
            "keys and indexes": round(rows * costs["keys"]),
            "search index": round(events * costs["search"]),
            "statistics": round(rows * costs["statistics"]),
        }
        self.total = max(1, sum(self.shares.values()))

    def at(self, step: str, part: float = 1.0) -> None:
        names = list(self.shares)
        before = sum(self.shares[name] for name in names[: names.index(step)])
        self.progress(min(self.total, before + round(self.shares[step] * part)), self.total, step)


def _the_copys_entry(source, events: int, dst) -> tuple[str, tuple]:
    """The row of DST's activity log that says who copied the timeline in (signed as DST's writes
    are: on PostgreSQL, its role unless configured), from where: written in the copy's
    transaction, after SRC's rows (db/activity.py's statement)."""
    from db.activity import logged
    from db.annotations import author_name

    kind = "a PostgreSQL database" if isinstance(source, store.PostgresConnection) else "a SQLite file"
    return logged("copy", author_name(None, dst), _name(source), f"copied from {kind}, {events:,} events")


# --- reading SRC ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot(conn) -> Iterator[None]:
    """Every table read as of one moment, while other commands write on: a read transaction, begun
    through the connection (so it knows one is open, as for any transaction); on PostgreSQL its
    isolation set REPEATABLE READ before its first read, where READ COMMITTED's would see each
    table as of its own read."""
    conn.execute("BEGIN")
    if isinstance(conn, store.PostgresConnection):
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    try:
        yield
    finally:
        conn.rollback()


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _rows(conn, table: str, columns: list[str], key: list[str]) -> Iterator[list[tuple]]:
    """A table's rows in batches of plain tuples, in the order of `key` (a SQLite DST's B-trees
    then fill in order). On PostgreSQL through a server-side cursor, which sends a batch at a time
    where a plain one sends the whole table. What goes wrong reading is said as SRC's."""
    with _said_as(_name(conn), f"{table} could not be read"):
        yield from _batches(conn, table, columns, key)


def _batches(conn, table: str, columns: list[str], key: list[str]) -> Iterator[list[tuple]]:
    order = f" ORDER BY {', '.join(_quoted(key))}" if key else ""
    select = f"SELECT {', '.join(_quoted(columns))} FROM {_postgres_name(table)}{order}"
    if isinstance(conn, store.PostgresConnection):
        cursor = conn.raw.cursor(name="timeline_copy")
        cursor.execute(select)
    else:
        cursor = conn.cursor()
        cursor.row_factory = None
        cursor.execute(select.replace(_postgres_name(table), table))
    try:
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def _postgres_name(table: str) -> str:
    """`user.tags` as PostgreSQL names it (dialect.USER_SCHEMA)."""
    return table.replace("user.", f"{dialect.USER_SCHEMA}.")


def _quoted(columns: list[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _columns(conn, table: str) -> list[str]:
    """A table's columns as DST has them; with the rowid where the code reads a table's order of
    insertion (dialect.ROWID_READ: SQLite's hidden rowid, a column on PostgreSQL)."""
    cursor = conn.execute(f"SELECT * FROM {table} LIMIT 0")
    columns = [d[0] for d in cursor.description]
    if table.split(".")[-1] in dialect.ROWID_READ and "rowid" not in columns:
        columns.insert(0, "rowid")
    return columns


# --- writing DST ---------------------------------------------------------------------------------------


def _refuse_a_timeline(conn, name: str) -> None:
    """DST holds no row of a timeline (its tables may exist, empty: a copy that failed left them).
    A store with rows but no events (`timeline load` of no articles keeps the lexicon's actors)
    is refused too: the copy's rows keep their row numbers, which rows already there may hold."""
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    if events:
        raise DatabaseError(f"{name}: already holds a timeline ({events:,} events); nothing copied")
    for table in COPIED:
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            raise DatabaseError(
                f"{name}: holds no events but is not empty ({table} has rows); copy fills only an empty store;"
                " nothing copied"
            )


def _to_postgres(source, url: str, bar: _Bar, entry: Entry) -> None:
    """Into a PostgreSQL database, in one transaction under the store's write lock: COPY for each
    table (265k links of event_actors in 0.8-1.0 s, where executemany in batches of 5,000 took
    20-24 s), its keys, indexes and references laid aside meanwhile and made
    again at the end (each built in one pass where COPY kept them row by row: 265k links of
    event_actors took 9.3 s with them, 1.2 s without and 0.9 s to make them again); then the search
    index, the identities' sequences set past the rows copied (as the store does after an import
    that numbers its own rows), the copy's entry in the log, the statistics. Until it commits, a
    reader of DST waits; a database without a timeline's tables gets them in this transaction too."""
    name = store.shown(url)
    conn = _postgres_destination(url, name)
    try:
        with _said_as(name, "could not be written"):
            _refuse_a_timeline(conn, name)
            made_again = _laid_aside(conn)
        done, rows = 0, bar.shares["rows"]

        def counted(batches: Iterator[list]) -> Iterator:
            nonlocal done
            for batch in batches:
                yield from batch
                done += len(batch)
                bar.at("rows", done / rows)

        for table in COPIED:
            columns = _columns(conn, table)
            with _said_as(name, table):
                conn.copy_rows(table, columns, counted(_rows(source, table, columns, [])))
        search = [statement for table, statement in made_again if table == "events_fts"]
        keys = [statement for table, statement in made_again if table != "events_fts"]
        for i, statement in enumerate(keys, 1):
            with _said_as(name, statement):  # a key two rows share, a reference to no row: SRC's fault
                conn.raw.execute(statement)
            bar.at("keys and indexes", i / len(keys))
        with _said_as(name, "the search index"):
            _index_the_search(conn, lambda part: bar.at("search index", part))  # through the evidence's index
            for statement in search:  # the search index's GIN index built once, over all its rows
                conn.raw.execute(statement)
        identities = conn.raw.execute(
            "SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns"
            " WHERE is_identity = 'YES' AND table_schema IN ('public', %s)",
            (dialect.USER_SCHEMA,),
        ).fetchall()
        for table, key in identities:
            conn.keys_given(table, key)
        with _said_as(name, "could not be written"):
            conn.advance_keys()  # before the log's entry, which the database numbers
            conn.execute(*entry(conn))
            analyze(conn)  # type: ignore[arg-type]  # a PostgresConnection has sqlite3's surface
            bar.at("statistics")
            conn.commit()
    finally:
        conn.rollback()
        conn.close()


def _postgres_destination(url: str, name: str) -> store.PostgresConnection:
    """DST in a write transaction (BEGIN IMMEDIATE: the store's writers' lock). A database without
    a timeline's tables gets them in it, so a copy that fails leaves none; one with them is opened
    as every command opens it (an older one migrated, a newer one refused)."""
    from db.schema import SCHEMA_VERSION, TABLES, USER_TABLES, USER_VERSION

    conn = store.PostgresConnection(url)
    try:
        with _said_as(name, "could not be written"):
            conn.execute("BEGIN IMMEDIATE")
            if store.made_in_this_transaction(conn, TABLES, USER_TABLES, SCHEMA_VERSION, USER_VERSION):
                return conn
    except BaseException:
        conn.close()
        raise
    conn.rollback()
    conn.close()
    conn = store.connect(url, create=True)
    try:
        with _said_as(name, "could not be written"):
            conn.execute("BEGIN IMMEDIATE")
    except BaseException:
        conn.close()
        raise
    return conn


def _laid_aside(conn) -> list[tuple[str, str]]:
    """Drop the store's keys, unique constraints, indexes and references, in this transaction;
    give each table's statements that make them again as they were (read from the catalog: the
    schema's own definitions), keys first and references last."""
    schemas = ("public", dialect.USER_SCHEMA)
    constraints = conn.raw.execute(
        "SELECT conrelid::regclass::text, quote_ident(conname), contype, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE connamespace::regnamespace::text = ANY(%s) AND contype IN ('p', 'u', 'f')",
        (list(schemas),),
    ).fetchall()
    indexes = conn.raw.execute(
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace::regnamespace::text = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        (list(schemas),),
    ).fetchall()
    references = [c for c in constraints if c[2] == "f"]
    keys = [c for c in constraints if c[2] != "f"]
    for table, constraint, _, _ in references + keys:
        conn.raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
    for _, index, _ in indexes:
        conn.raw.execute(f"DROP INDEX {index}")
    return [
        *(
            (table, f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {definition}")
            for table, constraint, _, definition in keys
        ),
        *((table, definition) for table, _, definition in indexes),
        *(
            (table, f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {definition}")
            for table, constraint, _, definition in references
        ),
    ]


def _to_sqlite(source, path: Path, bar: _Bar, entry: Entry) -> None:
    """Into a new SQLite store: built as NAME.copying beside it, then linked in under its name,
    the user file first. Built under the name's writer lock, so no other writer makes a store
    there meanwhile, and a leftover of a killed copy is cleared first."""
    name = str(path)
    staged = staged_path(path)
    if not path.parent.is_dir():  # said here, as DST: the staged file's name is not one the user gave
        raise DatabaseError(f"{path}: its folder {path.parent} does not exist; nothing copied")
    with store_writer(path):  # which clears a killed copy's staged files
        for taken in (path, user_path(path)):
            if taken.exists():
                raise DatabaseError(f"{taken}: already exists; copy makes a new store: give a new file's path")
        try:
            with _said_as(name, "could not be made"):
                conn = connect(staged, create=True)
            try:
                _fill_sqlite(conn, source, bar, entry, name)
            finally:
                conn.close()  # the log merged into the file
            _link(staged, path)
        finally:
            clear_staged(path)


def _fill_sqlite(conn: sqlite3.Connection, source, bar: _Bar, entry: Entry, name: str) -> None:
    """Each table in a transaction of its own (the staged file is thrown away if any fails), its
    references checked at its commit: a place's parent may come after it; then the search index,
    the copy's entry in the log, the statistics."""
    conn.row_factory = None
    done, rows = 0, bar.shares["rows"]
    for table in COPIED:
        columns = _columns(conn, table)
        key = [r[0] for r in conn.execute(_KEY, (table.split(".")[-1], "user" if "." in table else "main"))]
        insert = f"INSERT INTO {table} ({', '.join(_quoted(columns))}) VALUES ({', '.join('?' * len(columns))})"
        with _said_as(name, table), conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            for batch in _rows(source, table, columns, key or (["rowid"] if "rowid" in columns else [])):
                conn.executemany(insert, batch)
                done += len(batch)
                bar.at("rows", done / rows)
    with _said_as(name, "the search index"):
        _index_the_search(conn, lambda part: bar.at("search index", part))
    with _said_as(name, "could not be written"), conn:
        conn.execute(*entry(conn))
        analyze(conn)
    bar.at("statistics")


# A table's primary key, in its order, on SQLite.
_KEY = "SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk"


def _index_the_search(conn, indexed: Callable[[float], None]) -> None:
    """The search index, built from the events' text as a load builds it, a window at a time,
    telling `indexed` the part done after each."""
    last = conn.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
    for start in range(0, last + 1, SEARCH_WINDOW):
        conn.execute(
            "INSERT INTO events_fts (rowid, summary, quotes)"
            " SELECT seq, summary, quotes FROM event_text WHERE seq >= ? AND seq < ?",
            (start, start + SEARCH_WINDOW),
        )
        if not isinstance(conn, store.PostgresConnection):
            conn.commit()
        indexed(min(1.0, (start + SEARCH_WINDOW) / (last + 1)))


def _link(staged: Path, path: Path) -> None:
    """The staged store under its name, its user file first; never over a file made meanwhile."""
    _put(user_path(staged), user_path(path))
    try:
        _put(staged, path)
    except DatabaseError:
        user_path(path).unlink()  # the one just put: that store keeps its own
        raise


def _put(staged: Path, path: Path) -> None:
    """A staged file under its name: a hard link, which refuses a name taken; on a file system
    without them (FAT or exFAT: the USB stick a timeline is taken offline on) a rename, which would
    replace a file there, so the name is looked at again just before: a store made since the look at
    the copy's start is refused, as the link refuses it (only one made in the instant between this
    look and the rename is not: a load makes its file before it takes the writer lock we hold)."""
    try:
        os.link(staged, path)
        return
    except FileExistsError:
        raise DatabaseError(f"{path}: made while the copy ran; nothing copied") from None
    except OSError:
        pass  # links refused (EPERM on FAT): renamed instead
    if path.exists():
        raise DatabaseError(f"{path}: made while the copy ran; nothing copied")
    try:
        os.rename(staged, path)
    except OSError as e:
        raise DatabaseError(f"{path}: could not be put in place: {e.strerror or e}; nothing copied") from None


@contextlib.contextmanager
def _said_as(name: str, what: str) -> Iterator[None]:
    """A store's error inside the block as one line naming the store and what was being done."""
    try:
        yield
    except Exception as e:
        if not _database_error(e):
            raise
        raise DatabaseError(f"{name}: {what}: {_first_line(e)}; nothing copied") from e


def _database_error(e: BaseException) -> bool:
    """Whether an error is a store's (SQLite's, or psycopg's, imported only where one is open)."""
    psycopg = sys.modules.get("psycopg")
    return isinstance(e, sqlite3.Error) or (psycopg is not None and isinstance(e, psycopg.Error))


def _name(conn) -> str:
    """A store's name as messages give it (a URL without its password)."""
    if isinstance(conn, store.PostgresConnection):
        return store.shown(conn.url)
    return conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()[0]


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
