"""The shared store: a timeline in a PostgreSQL database (`--db postgresql://user@host/dbname`),
behind the same surface as the sqlite3 connection the rest of db/ uses (execute, executemany,
fetchone/fetchall, iteration, rows read by index or by name, `with conn:` transactions, sqlite3's
exceptions). The statements are written once, in the SQLite dialect; db/dialect.py turns each SQL
text into PostgreSQL's once, and this module remembers the result.

The analyst's layer (annotations, tags, views, corrections) is the schema `user_layer` of the same
database, where SQLite keeps a second file. Its author is the database role unless configured
(TIMELINE_AUTHOR or --author, db/annotations.py). Writers take, as SQLite's BEGIN IMMEDIATE does,
one lock per store: a transaction-level advisory lock, so two loads never interleave while readers
and annotations go on. A commit that wrote NOTIFYs the layers it wrote; a connection asked for
`PRAGMA data_version` LISTENs, and counts the other connections' (an open app's look for changes).
psycopg (the `postgres` extra) is imported only when a URL is opened.
TIMELINE_PG_DEBUG=1 prints each statement PostgreSQL refuses, as sent, to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
import zlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from db import dialect

URL_SCHEMES = ("postgresql://", "postgres://")
# The one advisory lock key of a store's writers (BEGIN IMMEDIATE): the same number in every process.
WRITE_LOCK = zlib.crc32(b"timeline store writer")
# The advisory lock of the user layer's writers (db/annotations.write_user), apart from the store's:
# a star never waits for an import.
USER_LOCK = zlib.crc32(b"timeline user layer writer")
# The channel a commit that wrote NOTIFYs, its payload the layer written ("main": the store, "user":
# the analyst's): what another connection's PRAGMA data_version counts (`_data_version`).
CHANGES_CHANNEL = "timeline_changes"


Store = Path | str  # where a timeline is: a SQLite file's path, or a PostgreSQL database's URL


def is_url(location: Store) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def location(given: Store) -> Store:
    """A --db value as the store functions take it: a URL as it is (a Path would fold its `//`),
    else a file's Path."""
    return given if is_url(given) else Path(given)


class Row(tuple):
    """A row read by index, unpacked as a tuple, or read by column name (as sqlite3.Row)."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    cls = type("Row", (Row,), {"_names": {d.name: i for i, d in enumerate(description)}})
    return lambda values: cls(values)


# psycopg logs, on stderr when nothing else takes its records, what it ignores while it gives up
# a broken pipeline ("error ignored terminating <psycopg.Pipeline [BAD]>"): the store says the
# error itself, once, as the sqlite3 error its callers say in one line (_translated_error).
logging.getLogger("psycopg").addHandler(logging.NullHandler())


def _translated_error(e: Exception, statement: str = "") -> sqlite3.Error:
    """A psycopg error as the sqlite3 error the code catches, with SQLite's result code, so that
    db/schema.py's reading of codes says it as it says SQLite's: a lock not granted in time is
    SQLITE_BUSY, a role without the right to write SQLITE_READONLY (to read: SQLITE_PERM, when the
    `statement` refused is a read), a constraint SQLITE_CONSTRAINT, a cancelled query
    SQLITE_INTERRUPT. The psycopg error is kept as the cause."""
    import psycopg

    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    error: sqlite3.Error
    if isinstance(e, psycopg.errors.IntegrityError):
        error, code = sqlite3.IntegrityError(text), "SQLITE_CONSTRAINT"
    elif isinstance(e, psycopg.errors.LockNotAvailable):
        error, code = sqlite3.OperationalError(f"database is locked ({text})"), "SQLITE_BUSY"
    elif isinstance(e, psycopg.errors.QueryCanceled):  # interrupt(): a query the app no longer wants
        error, code = sqlite3.OperationalError(f"interrupted ({text})"), "SQLITE_INTERRUPT"
    elif isinstance(e, psycopg.errors.InsufficientPrivilege) and re.match(r"\s*(SELECT|WITH)\b", statement, re.I):
        error, code = sqlite3.OperationalError(f"access permission denied ({text})"), "SQLITE_PERM"
    elif isinstance(e, (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction)):
        error, code = sqlite3.OperationalError(f"attempt to write a readonly database ({text})"), "SQLITE_READONLY"
    else:
        return sqlite3.OperationalError(text)
    error.sqlite_errorcode = getattr(sqlite3, code)
    error.sqlite_errorname = code
    return error


class Cursor:
    """A psycopg cursor with sqlite3's: `lastrowid` of an INSERT, iteration, fetches."""

    def __init__(self, store: PostgresConnection) -> None:
        self.store = store
        if store.raw.closed:  # the server ended the session: said as it was when it happened
            raise store._lost(None)
        self.raw = store.raw.cursor(row_factory=_row_factory)
        self._row_factory: Any = Row
        self._lastrowid: int | None = None
        self._inserted = False  # the last statement was an INSERT: lastrowid may be asked for
        self._returned_key = False
        self._began = False  # the last statement began the transaction (a write outside one)

    @property
    def row_factory(self) -> Any:
        """sqlite3's: None gives plain tuples, psycopg's own, made in C (a search's hits, the app's
        index: a hundred thousand rows and more read without a call in Python each, which the
        app's UI thread waited for); else rows readable by name too, as sqlite3.Row, what every
        cursor gives until told otherwise (the code's SQLite connections ask for sqlite3.Row)."""
        return self._row_factory

    @row_factory.setter
    def row_factory(self, factory: Any) -> None:
        from psycopg.rows import tuple_row

        self._row_factory = factory
        self.raw.row_factory = tuple_row if factory is None else _row_factory

    @property
    def lastrowid(self) -> int | None:
        """The row number of the last row the last INSERT wrote (an INSERT of one row asked for it
        with RETURNING; an INSERT ... SELECT has it from its sequence, as lastval())."""
        if self._lastrowid is None and self._inserted:
            self._lastrowid = self.store._last_value()
        return self._lastrowid

    def execute(self, sql: str, params: Sequence | dict = ()) -> Cursor:
        self.store._run(self, sql, params)
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence | dict]) -> Cursor:
        self.store._run_many(self, sql, seq)
        return self

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount

    @property
    def description(self) -> Any:
        return self.raw.description

    def fetchone(self) -> Any:
        if self._returned_key or self.raw.description is None:
            return None
        return self.raw.fetchone()

    def fetchall(self) -> list:
        if self._returned_key or self.raw.description is None:
            return []
        return self.raw.fetchall()

    def fetchmany(self, size: int = 1) -> list:
        if self._returned_key or self.raw.description is None:
            return []
        return self.raw.fetchmany(size)

    def __iter__(self) -> Iterator:
        return iter(self.fetchall() if self._returned_key else (self.raw if self.raw.description else ()))

    def close(self) -> None:
        self.raw.close()


class ConnectionLost(sqlite3.OperationalError):
    """The server ended the session (an administrator's pg_terminate_backend, a restart, the
    network): not a wait that passes, as a busy store's is. A new connection is the way on."""


class PostgresConnection:
    """A timeline store in PostgreSQL, used as the code uses a sqlite3.Connection. As sqlite3 does,
    a write statement begins a transaction when none is open, and reads run outside one, so an
    open app holds no lock and sees each commit at its next read."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        try:
            self.raw = psycopg.connect(_conninfo(url), autocommit=True)
        except psycopg.Error as e:
            from db.schema import Unreadable

            raise Unreadable(f"{shown(url)}: cannot connect: {str(e).strip().splitlines()[0]}") from None
        self._raw_execute(f"SET search_path TO public, {dialect.USER_SCHEMA}")
        # The login who signs the analyst's changes: session_user, not current_user, since a team's
        # analysts log in as themselves and act as the group owning the timeline (README: A shared
        # timeline, `ALTER ROLE amira SET role = analysts`).
        self.role: str = self._raw_execute("SELECT session_user").fetchone()[0]
        self.row_factory: Any = None  # rows are always readable by name, as sqlite3.Row
        self.wait_seconds: float | None = None  # PRAGMA busy_timeout: None waits as BUSY_SECONDS
        self._in_transaction = False
        self._keys: dict[str, list[str]] = {}
        self.total_changes = 0  # rows this connection wrote (sqlite3's): the app's caches key on it
        self._keys_given: set[tuple[str, str]] = set()  # (table, key): rows written with their row number
        self._searches: tuple[int, ...] = ()  # the last statement's parameters that are searches
        self._identities: dict[tuple[str, str], bool] = {}  # (table, key): numbered by the database
        self._failed: sqlite3.Error | None = None  # the error of the statement that aborted the transaction
        self._lost_by: sqlite3.Error | None = None  # how the server ended the session, once it has
        self._heard: dict[str, int] | None = None  # others' commits heard, by layer; None: not listening yet
        self._written: set[str] = set()  # the layers this transaction wrote rows of: its commit NOTIFYs them
        self._cursors = 0  # server-side cursors opened (`batches`): each one's name is its number
        self._reading = False  # in the read transaction a server-side cursor lives in (`batches`)

    # sqlite3's surface ----------------------------------------------------------------------------
    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, sql: str, params: Sequence | dict = ()) -> Cursor:
        return Cursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence | dict]) -> Cursor:
        return Cursor(self).executemany(sql, seq)

    def executescript(self, script: str) -> None:
        for statement in dialect.split(script):
            self.execute(statement)

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def commit(self) -> None:
        if self._in_transaction:
            self._refuse_aborted()
            self.advance_keys()
            self._announce_writes()
            self._in_transaction = False
            self._raw_execute("COMMIT")

    def _announce_writes(self) -> None:
        """Tell the other connections which layers this transaction wrote rows of: a NOTIFY sent
        inside it is delivered only when it commits, and not at all if it fails."""
        for layer in sorted(self._written):
            self._raw_execute("SELECT pg_notify(%s, %s)", (CHANGES_CHANNEL, layer))
        self._written.clear()

    def _note_written(self, statement: str, rows: int) -> None:
        """A statement wrote `rows` rows: note its table's layer (a temp table's is none; a form
        not read here counts as the store's: a NOTIFY too many only makes an app look again)."""
        if rows <= 0:
            return
        table = re.match(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([\w.]+)", statement, re.I)
        name = table[1] if table else ""
        if not name.startswith("pg_temp."):
            self._written.add("user" if name.startswith(f"{dialect.USER_SCHEMA}.") else "main")

    def _data_version(self, layer: str) -> int:
        """SQLite's PRAGMA data_version of a layer ("main" or "user"): a number that changes when
        another connection commits a write to it. Counted from the NOTIFYs of such commits
        (`_announce_writes`), listened for from the first ask; this connection's own are not
        counted, as SQLite does not count its own commits. A LISTEN inside a transaction would be
        undone by its rollback: it waits for the first ask outside one. Each connection counts from
        a number of its own (its server process's), so a watcher that had to connect again (the
        server ended its session, and with it what it was LISTENing for) always sees a change."""
        import psycopg

        own = self.raw.info.backend_pid
        if self._heard is None:
            if self._in_transaction:
                return 0
            self._raw_execute(f"LISTEN {CHANGES_CHANNEL}")
            self._heard = {"main": own << 32, "user": own << 32}
        else:
            # A round trip first: the server sends what was NOTIFYed before it says it is ready, so a
            # commit that returned before this ask is counted now, as SQLite counts it (the app takes
            # its own write, made on another connection, as seen: heard later, it would be news).
            self._raw_execute("SELECT 1")
        try:
            for heard in self.raw.notifies(timeout=0):
                if heard.pid != own and heard.payload in self._heard:
                    self._heard[heard.payload] += 1
        except psycopg.Error as e:
            raise (self._lost(e) if self.raw.closed else _translated_error(e, "LISTEN")) from e
        return self._heard[layer]

    def keys_given(self, table: str, key: str) -> None:
        """Rows of `table` were written with their own `key` by a way round this connection's
        statements (a COPY): the commit sets its sequence past them, as for an INSERT (`advance_keys`)."""
        self._keys_given.add((table, key))

    def wrote(self, *layers: str) -> None:
        """Rows of these layers ("main", "user") were written by a way round this connection's
        statements (a COPY): the commit NOTIFYs them, as for an INSERT (`_announce_writes`)."""
        self._written.update(layers)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """New rows into `table` (its name as the code writes it: `temp.`, `user.`) by one COPY,
        as an executemany of a plain INSERT writes them: in the transaction, begun if none is
        (and rolled back if it fails, as a statement's), the key's sequence set past rows that give
        their own, the commit NOTIFYing the layer. COPY streams the rows, one statement for all:
        psycopg's executemany sends each row as a statement of its own (`insert_rows`)."""
        import psycopg

        cursor = Cursor(self)
        cursor._began = not self._in_transaction
        if cursor._began:
            self._begin(immediate=False)
        name = re.sub(r"^temp\.", "pg_temp.", re.sub(r"^user\.", f"{dialect.USER_SCHEMA}.", table))
        names = ", ".join(f'"{c}"' for c in columns)  # quoted: "end" is a word of SQL
        statement = f"COPY {name} ({names}) FROM STDIN"
        try:
            with cursor.raw.copy(statement) as pipe:
                for row in rows:
                    pipe.write_row(row)
        except psycopg.Error as e:
            raise self._failure(cursor, e, statement) from e
        key = self._key_of(table)
        if len(key) == 1 and key[0] in columns and self._numbered(name, key[0]):
            self._keys_given.add((name, key[0]))
        self.total_changes += max(cursor.raw.rowcount, 0)
        self._note_written(f"INSERT INTO {name}", cursor.raw.rowcount)

    def advance_keys(self) -> None:
        """A row written with its row number (an import numbers its events itself) leaves the
        identity's sequence behind it: set it past the highest, so the next row numbered by the
        database does not take one already used (SQLite's rowid is always max + 1). The commit
        does it; a writer that numbers rows by the database after such rows, in the same
        transaction, does it first (a copy's entry in the log it copied)."""
        for table, key in sorted(self._keys_given):
            self._raw_execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({key}), 1), max({key}) IS NOT NULL)"
                f" FROM {table}",
                (table, key),
            )
        self._keys_given.clear()

    def _refuse_aborted(self) -> None:
        """A transaction a failed statement aborted, which PostgreSQL would roll back at COMMIT while
        answering as if it had committed: rolled back here, raising that statement's error again
        (SQLite raised it at the statement, and kept the rest), so no caller takes the writes for
        kept."""
        from psycopg import pq

        if self.raw.info.transaction_status != pq.TransactionStatus.INERROR:
            return
        failed = self._failed
        self.rollback()
        kind: type[sqlite3.Error] = type(failed) if failed else sqlite3.OperationalError
        error = kind(f"{failed or 'a statement failed'}: the transaction was rolled back, nothing it wrote was kept")
        for name in ("sqlite_errorcode", "sqlite_errorname"):
            if hasattr(failed, name):
                setattr(error, name, getattr(failed, name))
        raise error

    def rollback(self) -> None:
        self._keys_given.clear()
        self._failed = None
        self._written.clear()
        if self._in_transaction:
            self._in_transaction = False
            if not self.raw.closed:  # a session the server ended took its transaction with it
                self._raw_execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()

    def interrupt(self) -> None:
        """Stop the query running on this connection, from another thread (sqlite3's)."""
        self.raw.cancel_safe()

    def batches(self, sql: str, params: Sequence | dict, sizes: Iterator[int]) -> Generator[list[tuple]]:
        """`batches` on PostgreSQL: a server-side cursor (DECLARE, then FETCH a batch's rows at a
        time), where psycopg's client-side cursor receives the whole result before its first row.
        Outside a transaction, the cursor lives in a read transaction of its own (`_reading`),
        which the caller does not see, as sqlite3's reads are in none; a write meanwhile ends it
        first (`_begin`), the cursor WITH HOLD going on with the rows left, kept on the server."""
        import psycopg

        statement, searches = _translated(sql, self._key_of)
        params = _searches_read(params, searches)
        began = not (self._in_transaction or self._reading)
        if began:
            self._raw_execute("BEGIN")
            self._reading = True
        self._cursors += 1
        cursor = self.raw.cursor(name=f"timeline_batches_{self._cursors}", withhold=True)
        try:
            cursor.execute(statement, _params(params))
            while batch := cursor.fetchmany(next(sizes)):
                yield batch
        except psycopg.Error as e:
            if self.raw.closed:
                raise self._lost(e) from e
            error = _translated_error(e, statement)
            if self._in_transaction:  # the caller's, aborted: its commit says so (`_refuse_aborted`)
                self._failed = self._failed or error
            raise error from e
        finally:
            if not self.raw.closed:
                with contextlib.suppress(psycopg.Error):  # in an aborted transaction, its end drops it
                    cursor.close()
                if began and self._reading:
                    self._end_reading()

    def _end_reading(self) -> None:
        """End the read transaction of the server-side cursors (`batches`): a COMMIT, which keeps a
        LISTEN sent in it, and holds a cursor still open (the rows it has left, on the server)."""
        self._reading = False
        if not self.raw.closed:
            self._raw_execute("COMMIT")

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """SQLite runs Python functions inside its queries; a server cannot: the code that asks is
        told so by the query that calls one."""

    # the work ------------------------------------------------------------------------------------
    def _raw_execute(self, sql: str, params: Any = None) -> Any:
        """Run a statement as PostgreSQL's text, its error as sqlite3's (`_translated_error`): every
        statement this module sends for itself goes this way, so none ends in a traceback."""
        import psycopg

        try:
            return self.raw.execute(sql, params)
        except psycopg.Error as e:
            raise (self._lost(e) if self.raw.closed else _translated_error(e, sql)) from e

    def _lost(self, e: Exception | None) -> sqlite3.Error:
        """The session the server ended (an administrator's pg_terminate_backend, a restart, the
        network), said the same at each statement after: what was not committed is not stored."""
        if self._lost_by is None:
            why = str(e).strip().splitlines()[0] if e is not None and str(e).strip() else "closed"
            self._lost_by = ConnectionLost(
                f"the connection to the server was lost ({why}); what was not committed is not stored"
            )
        return self._lost_by

    def begin_user_write(self) -> None:
        """Begin a write of the user layer, its writers taking turns as SQLite's lock of the user
        file has them do: under READ COMMITTED, two that star (or tag) one event at once would
        each read the state before the other's change, and both log a change only one made."""
        if not self._in_transaction:
            self._begin(immediate=True, lock=USER_LOCK)

    def _begin(self, immediate: bool, lock: int = WRITE_LOCK) -> None:
        if self._reading:  # the caller's transaction begins where the cursors' read one ends
            self._end_reading()
        self._raw_execute("BEGIN")
        self._in_transaction = True
        if not immediate:
            return
        if self.wait_seconds == 0:
            got = self._raw_execute("SELECT pg_try_advisory_xact_lock(%s)", (lock,)).fetchone()
            if not (got and got[0]):
                self.rollback()
                raise sqlite3.OperationalError("database is locked (another process is writing)")
            return
        from db.schema import BUSY_SECONDS

        seconds = BUSY_SECONDS if self.wait_seconds is None else self.wait_seconds
        self._raw_execute(f"SET LOCAL lock_timeout = '{int(seconds * 1000)}ms'")
        try:
            self._raw_execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
        except sqlite3.Error:
            self.rollback()
            raise
        self._raw_execute("SET LOCAL lock_timeout = 0")

    def _statement(self, cursor: Cursor, sql: str) -> str | None:
        """What to send for `sql` (None: handled here, nothing to send)."""
        head = sql.lstrip()[:24].upper()
        if head.startswith("BEGIN"):
            if not self._in_transaction:
                self._begin(immediate=head.startswith(("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")))
            return None
        if head.startswith(("COMMIT", "END")):
            self.commit()
            return None
        if head.startswith("ROLLBACK") and not head.startswith("ROLLBACK TO"):
            self.rollback()
            return None
        if head.startswith("PRAGMA"):
            return self._pragma(sql)
        if not self._in_transaction and re.match(r"(INSERT|UPDATE|DELETE|REPLACE)\b", head):
            self._begin(immediate=False)  # as sqlite3: a write opens a transaction; commit() ends it
            cursor._began = True
        statement, self._searches = _translated(sql, self._key_of)
        given = re.match(r"\s*INSERT INTO ([\w.]+)\s*\(([^)]*)\)", statement)
        if given:
            key = self._key_of(given[1].replace("pg_temp.", "temp.").replace(f"{dialect.USER_SCHEMA}.", "user."))
            if (
                len(key) == 1
                and key[0] in {c.strip() for c in given[2].split(",")}
                and self._numbered(given[1], key[0])
            ):
                self._keys_given.add((given[1], key[0]))
        return statement

    def _pragma(self, sql: str) -> str | None:
        """The PRAGMAs the code sends: the wait for a writer is kept, what asks for a number is
        answered, the rest (WAL, caches, checkpoints: the server's own business) is done."""
        m = re.match(r"\s*PRAGMA\s+(?:(\w+)\.)?(\w+)\s*(?:=\s*(\S+))?", sql, re.I)
        layer, name, value = ((m[1] or "main").lower(), m[2].lower(), m[3]) if m else ("main", "", None)
        if name == "busy_timeout" and value is not None:
            self.wait_seconds = int(value) / 1000
        if name == "data_version":
            return f"SELECT {self._data_version('user' if layer == 'user' else 'main')}"
        if name in ("user_version", "schema_version"):
            return "SELECT 0"
        if name == "wal_checkpoint":
            return "SELECT 0, 0, 0"
        if name == "table_info":
            return dialect.table_info(sql)
        return None

    def _last_value(self) -> int | None:
        """The last value a sequence gave this session (None before any): inside a transaction,
        behind a savepoint, so that asking before any insert never aborts it."""
        import psycopg

        if self._in_transaction:
            self._raw_execute("SAVEPOINT last_value")
        try:
            row = self.raw.execute("SELECT lastval()").fetchone()
        except psycopg.errors.ObjectNotInPrerequisiteState:
            row = None
            if self._in_transaction:
                self._raw_execute("ROLLBACK TO SAVEPOINT last_value")
        except psycopg.Error as e:
            raise _translated_error(e) from e
        if self._in_transaction:
            self._raw_execute("RELEASE SAVEPOINT last_value")
        return row[0] if row else None

    def _numbered(self, table: str, key: str) -> bool:
        """Whether the database numbers this key itself (an identity column), once per table."""
        if (table, key) not in self._identities:
            row = self._raw_execute("SELECT pg_get_serial_sequence(%s, %s)", (table, key)).fetchone()
            self._identities[(table, key)] = bool(row and row[0])
        return self._identities[(table, key)]

    def _key_of(self, table: str) -> list[str]:
        """A table's primary key columns, from the catalog."""
        if table not in self._keys:
            name = table.replace("temp.", "pg_temp.").replace("user.", f"{dialect.USER_SCHEMA}.")
            rows = self._raw_execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(%s) AND i.indisprimary",
                (name,),
            ).fetchall()
            self._keys[table] = [r[0] for r in rows]
        return self._keys[table]

    def _failure(self, cursor: Cursor, e: Exception, statement: str) -> sqlite3.Error:
        """A statement's error, as sqlite3's. SQLite undoes the failed statement alone; PostgreSQL
        aborts the transaction: one the statement began is rolled back (the connection goes on),
        one begun before is remembered as aborted by this error, which its commit() raises again."""
        if self.raw.closed:
            self.rollback()  # nothing to send: the transaction went with the session
            return self._lost(e)
        error = _translated_error(e, statement)
        if cursor._began:
            self.rollback()
        elif self._in_transaction:
            self._failed = self._failed or error
        return error

    def _run(self, cursor: Cursor, sql: str, params: Sequence | dict) -> None:
        import psycopg

        cursor._began = False
        statement = self._statement(cursor, sql)
        cursor._returned_key = False
        cursor._lastrowid, cursor._inserted = None, False
        if statement is None:
            return
        returning = _integer_key_returning(statement, self._key_of)
        params = _searches_read(params, self._searches)
        try:
            cursor.raw.execute(returning or statement, _params(params))
        except psycopg.Error as e:
            if os.environ.get("TIMELINE_PG_DEBUG"):
                print("PG FAILED:", returning or statement, params, file=sys.stderr)
            raise self._failure(cursor, e, statement) from e
        if (cursor.raw.rowcount > 0 and cursor.raw.description is None) or returning:
            self.total_changes += max(cursor.raw.rowcount, 0)
            self._note_written(statement, cursor.raw.rowcount)
        cursor._inserted = statement.lstrip().upper().startswith("INSERT")
        if returning:
            row = cursor.raw.fetchone()
            cursor._lastrowid = row[0] if row else None
            cursor._returned_key = True

    def _run_many(self, cursor: Cursor, sql: str, seq: Iterable[Sequence | dict]) -> None:
        import psycopg

        cursor._began = False
        statement = self._statement(cursor, sql)
        if statement is None:
            return
        try:
            cursor.raw.executemany(statement, [_params(p) for p in seq])
        except psycopg.Error as e:
            raise self._failure(cursor, e, statement) from e
        self.total_changes += max(cursor.raw.rowcount, 0)
        self._note_written(statement, cursor.raw.rowcount)


_TRANSLATED: dict[str, tuple[str, tuple[int, ...]]] = {}


def _translated(sql: str, keys: Any) -> tuple[str, tuple[int, ...]]:
    """The PostgreSQL text of a statement, and which of its parameters are searches, made once per
    SQL text (the keys a table's INSERT OR REPLACE updates on are the same in every connection)."""
    found = _TRANSLATED.get(sql)
    if found is None:
        found = _TRANSLATED[sql] = (dialect.postgres_sql(sql, keys), dialect.search_parameters(sql))
    return found


def _searches_read(params: Sequence | dict, searches: tuple[int, ...]) -> Sequence | dict:
    """The parameters, each search's FTS5 text as a tsquery's (an error in it as SQLite's)."""
    if not searches or isinstance(params, dict):
        return params
    given = list(params)
    for i in searches:
        try:
            given[i] = dialect.tsquery(given[i])
        except ValueError as e:
            raise sqlite3.OperationalError(str(e)) from None
    return given


def _integer_key_returning(statement: str, keys: Any) -> str | None:
    """An INSERT of one row into a table whose key is a row number, asking for that number back
    (sqlite3's `lastrowid`)."""
    m = re.match(r"\s*INSERT INTO ([\w.]+)\s*\([^)]*\)\s*VALUES\s*\([^;]*\)\s*$", statement, re.S)
    if not m or "RETURNING" in statement:
        return None
    key = keys(m[1].replace("pg_temp.", "temp.").replace(f"{dialect.USER_SCHEMA}.", "user."))
    return f"{statement} RETURNING {key[0]}" if len(key) == 1 and key[0] in ("id", "seq") else None


def _params(params: Sequence | dict) -> Sequence | dict:
    return params if isinstance(params, dict) else tuple(params)


def _conninfo(url: str) -> str:
    """psycopg reads postgresql:// URLs as they are; postgres:// is its other spelling."""
    return "postgresql://" + url.split("://", 1)[1]


def batches(
    conn: Any, sql: str, params: Sequence | dict = (), size: int = 500, most: int | None = None
) -> Generator[list[tuple]]:
    """A query's rows as plain tuples, `size` at a time (with `most`: `size` first, then twice as
    many each time, up to `most`), each batch read when it is asked for, on either store: the first
    comes once the first rows are found, however many follow, and the memory stays flat. Other
    statements may run on the connection between batches. SQLite's cursor steps through the result
    as it is read; PostgreSQL's is a server-side cursor (PostgresConnection.batches)."""
    sizes = _doubling(size, most or size)
    if isinstance(conn, PostgresConnection):
        yield from conn.batches(sql, params, sizes)
        return
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(next(sizes)):
            yield batch
    finally:
        cursor.close()


def insert_rows(conn: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write new rows (a tuple of the `columns`' values each) into `table`, on either store: what
    `INSERT INTO table (columns) VALUES (...)` run for each row does, in the caller's transaction.
    SQLite runs that statement by executemany; PostgreSQL takes the rows by COPY
    (PostgresConnection.copy_rows), where an executemany's statement a row was most of a bulk
    write's time (an ACLED import's links: 100k worldwide rows' 560k in 29 s, by COPY in 15 s; most
    of what is left is PostgreSQL's check of each row's references, a query a row)."""
    if isinstance(conn, PostgresConnection):
        conn.copy_rows(table, columns, rows)
        return
    names = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)


def _doubling(size: int, most: int) -> Iterator[int]:
    while True:
        yield size
        size = min(2 * size, most)


def rows(conn: Any, sql: str, params: Sequence | dict = (), size: int = 20, most: int = 2000) -> Generator[tuple]:
    """`batches`' rows one at a time, for a reader that may stop early (a walk back from the latest
    date to the first row it needs not): it reads few rows past the last it takes, and if it reads
    on, in fewer and larger batches (round trips, on PostgreSQL). Closing it (or dropping it) ends
    the cursor."""
    with contextlib.closing(batches(conn, sql, params, size, most)) as read:
        for batch in read:
            yield from batch


# --- opening a store ---------------------------------------------------------------------------------


def connect(url: str, create: bool = False, user: bool = True) -> PostgresConnection:
    """Open the timeline in the PostgreSQL database at `url`, made (tables, the user layer) if it
    has none and `create` (a writer: load, ingest, import). The user layer is always there: `user`
    is accepted for the SQLite connect's signature (a bulk writer there detaches the user file)."""
    from db.schema import SCHEMA_VERSION, TABLES, USER_TABLES, USER_VERSION, DatabaseError, NotOurs, ensure_schema

    conn = PostgresConnection(url)
    try:
        version = _version(conn, "public.schema_version")
        if version is None:
            if not create:  # as a SQLite file that does not exist: a reader makes nothing
                raise DatabaseError(f"{shown(url)}: no timeline in this database (run `timeline load` first)")
            _make(conn, TABLES, USER_TABLES, SCHEMA_VERSION, USER_VERSION)
        elif version > SCHEMA_VERSION:
            raise NotOurs(f"{shown(url)}: schema version {version} is newer than this program's ({SCHEMA_VERSION})")
        elif version < SCHEMA_VERSION:
            ensure_schema(conn)  # type: ignore[arg-type]  # SQLite's migration, its statements translated (db/schema.py)
        _upgrade_user_layer(conn)
        _mend_derived(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _version(conn: PostgresConnection, table: str) -> int | None:
    if conn._raw_execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is None:
        return None
    row = conn._raw_execute(f"SELECT version FROM {table}").fetchone()
    return row[0] if row else None


def _upgrade_user_layer(conn: PostgresConnection) -> None:
    """Bring the user layer to USER_VERSION by SQLite's steps (db/schema.py's `user_steps`), its
    schema first in the search path as the user file is SQLite's main database, under the user
    layer's lock: the version read under it makes the upgrade happen once however many open it."""
    from db.schema import USER_VERSION, DatabaseError, user_steps

    table = f"{dialect.USER_SCHEMA}.user_version"
    version = _version(conn, table)
    if version is None or version == USER_VERSION:
        return
    if version > USER_VERSION:
        raise DatabaseError(
            f"{shown(conn.url)}: user layer version {version} is newer than this program's ({USER_VERSION})"
        )
    conn.begin_user_write()
    try:
        conn._raw_execute(f"SET LOCAL search_path TO {dialect.USER_SCHEMA}, public")
        version = _version(conn, table) or 0
        if version < USER_VERSION:
            user_steps(conn, version)  # type: ignore[arg-type]
            conn._raw_execute(f"UPDATE {table} SET version = %s", (USER_VERSION,))
        conn.commit()
    finally:
        conn.rollback()


# The store's btree indexes without all of their table's key columns (`dialect.with_key`): their
# definitions, and the key columns each lacks, in the key's order.
_INDEXES_WITHOUT_KEY = f"""
SELECT pg_get_indexdef(i.indexrelid), n.nspname || '.' || c.relname,
       ARRAY(SELECT a.attname::text FROM unnest(k.indkey::int2[]) WITH ORDINALITY AS u(attnum, place)
             JOIN pg_attribute a ON a.attrelid = k.indrelid AND a.attnum = u.attnum
             WHERE u.attnum <> ALL (i.indkey::int2[]) ORDER BY u.place)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am m ON m.oid = c.relam JOIN pg_index k ON k.indrelid = i.indrelid AND k.indisprimary
WHERE n.nspname IN ('public', '{dialect.USER_SCHEMA}') AND m.amname = 'btree' AND NOT i.indisunique
  AND NOT k.indkey::int2[] <@ i.indkey::int2[]
ORDER BY 2
"""
MEND_LOCK_SECONDS = 1  # how long the mending waits for a table's readers before leaving it to a later opening


def _mend_derived(conn: PostgresConnection) -> None:
    """What a store made by an earlier version of this program lacks, which no schema version
    marks: SQLite's functions as SQL functions (dialect.COMPAT_FUNCTIONS; one missing, or with an
    older body, is made again), and indexes that end with their table's key (dialect._index_key;
    one without it is made again with it). Checked at each opening by two catalog reads; mended
    once, in one transaction under the writer's lock, by a role that may. The mending is put off
    to a later opening, silently, when another writer holds the lock, when a reader of a table
    keeps its index from being replaced for a second, or when the role may not change the schema
    (a reader's store reads as it did, more slowly)."""
    if not (_stale_functions(conn) or conn._raw_execute(_INDEXES_WITHOUT_KEY).fetchall()):
        return
    waits, conn.wait_seconds = conn.wait_seconds, 0  # a writer at work: not now
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn._raw_execute(f"SET LOCAL lock_timeout = '{MEND_LOCK_SECONDS}s'")
        for statement in _stale_functions(conn):  # read again under the lock: another may have mended it
            conn._raw_execute(statement)
        # Each index made beside the old one (its table's readers go on; its writers wait), then
        # swapped for it at the end: readers wait only for the swaps and the commit.
        swaps = []
        for definition, index, key in conn._raw_execute(_INDEXES_WITHOUT_KEY).fetchall():
            schema, name = index.split(".")
            keyed = dialect.with_key(definition, key).replace(f" INDEX {name} ON ", f" INDEX {name}_keyed ON ", 1)
            conn._raw_execute(keyed)
            swaps.append((index, f"{schema}.{name}_keyed", name))
        for index, keyed, name in swaps:
            conn._raw_execute(f"DROP INDEX {index}")
            conn._raw_execute(f"ALTER INDEX {keyed} RENAME TO {name}")
        conn.commit()
    except sqlite3.Error:
        conn.rollback()
    finally:
        conn.wait_seconds = waits


def _stale_functions(conn: PostgresConnection) -> list[str]:
    """The CREATE statements of the COMPAT_FUNCTIONS this store lacks, or has with another body."""
    wanted = dialect.compat_functions()
    rows = conn._raw_execute(
        "SELECT signature, (SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(signature))"
        " FROM unnest(CAST(%s AS text[])) AS signature",
        (list(wanted),),
    ).fetchall()
    return [wanted[signature][1] for signature, body in rows if body != wanted[signature][0]]


def _make(conn: PostgresConnection, tables: str, user_tables: str, version: int, user_version: int) -> None:
    """The store's tables, functions and user layer, made in one transaction, once: two processes
    opening a new database at once both wait for the first."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        made_in_this_transaction(conn, tables, user_tables, version, user_version)
        conn.commit()
    finally:
        conn.rollback()
        conn._raw_execute(f"SET search_path TO public, {dialect.USER_SCHEMA}")


def made_in_this_transaction(
    conn: PostgresConnection, tables: str, user_tables: str, version: int, user_version: int
) -> bool:
    """Make the store's tables, functions and user layer if the database has none, in the write
    transaction `conn` has begun (BEGIN IMMEDIATE: under the writers' lock, so once), and say
    whether it did. A copy (db/copy.py) makes them in the transaction that fills them: one that
    fails leaves the database as it was."""
    if _version(conn, "public.schema_version") is not None:
        return False
    for statement in dialect.split(dialect.COMPAT_FUNCTIONS):
        conn._raw_execute(statement)
    _make_search_config(conn)
    for statement in dialect.postgres_schema(tables):
        conn._raw_execute(statement)
    conn._raw_execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
    for name in ("sqlite_master", "sqlite_schema"):
        conn._raw_execute(dialect.CATALOG_VIEW.format(schema="public", name=name))
    conn._raw_execute(dialect.DATABASE_LIST_VIEW)
    conn._raw_execute(f"CREATE SCHEMA IF NOT EXISTS {dialect.USER_SCHEMA}")
    conn._raw_execute(f"SET LOCAL search_path TO {dialect.USER_SCHEMA}, public")
    for statement in dialect.postgres_schema(user_tables.replace("{u}", "")):
        conn._raw_execute(statement)
    conn._raw_execute("CREATE TABLE IF NOT EXISTS user_version (version BIGINT NOT NULL)")
    conn._raw_execute("INSERT INTO user_version (version) VALUES (%s)", (user_version,))
    conn._raw_execute(dialect.CATALOG_VIEW.format(schema=dialect.USER_SCHEMA, name="sqlite_master"))
    conn._raw_execute(f"SET LOCAL search_path TO public, {dialect.USER_SCHEMA}")  # the session's, for the rest
    return True


def _make_search_config(conn: PostgresConnection) -> None:
    """The search index's reading of words; without diacritics where the server has the unaccent
    extension and this role may add it to the database (else with them: a search for "Hama" then
    misses "Ḥama", which FTS5 finds)."""
    conn._raw_execute(dialect.SEARCH_CONFIG_DDL)
    conn._raw_execute("SAVEPOINT unaccent")
    try:
        for statement in dialect.SEARCH_UNACCENT_DDL:
            conn._raw_execute(statement)
    except sqlite3.Error:
        conn._raw_execute("ROLLBACK TO SAVEPOINT unaccent")
    conn._raw_execute("RELEASE SAVEPOINT unaccent")


def shown(url: str) -> str:
    """A store's name as messages give it: a URL without its password (in the user part, up to the
    last @ as a password may hold / or @, or as a `password=` parameter); a file's path as it is."""
    if not is_url(url):
        return url
    url = re.sub(r"^(\w+://[^:@/?]*):.*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)
