"""Import of ACLED event exports (CSV): the current, 2020-API and older headers.

Rows stream through in batches inside one transaction, so memory does not grow with the file and
a killed import leaves the database as it was. A bulk import (a file ten times the store or more,
the first import of the whole of ACLED among them) is staged instead, so that the write-ahead log
stays a few batches long: it writes a copy of the store's event tables (`staging_events`...),
committing each batch, and makes them live in one short transaction at the end (`_Importer.switch`).
It holds the store's writer lock (db/locks.py) from start to end, so no other writer of this program
gets in between two batches: they wait, and say so. Readers see the old timeline until the switch,
the whole new one after; a killed bulk import leaves staging tables no reader names, which the
next import drops. Nothing is kept per row in Python across batches: the ids the file holds (for its
duplicates and for a prune) go to a temporary table, each batch asks the store for the versions of
its own ids, and the counts and sets of the new events are made in windows of rows. The file's
places, actors and dates are each resolved once, and remembered in
bounded memos (what the trees let go is read back from the store): memory is flat in the file's
size, whatever its places. Bad rows are skipped and reported with their line
numbers (a field over the CSV reader's limit, an impossible date, coordinate or toll included);
the other rows load. A file that is not UTF-8 is refused in one line, never stored garbled.

ACLED revises its data every week. A row already imported (same ACLED id) is left alone if its
version (ACLED's `timestamp`, else a digest of the row) is the one stored, and replaced if not;
the event keeps its id, so its stars, tags and notes follow it. With `prune`, the stored rows of
the countries and dates the file covers that the file no longer holds are removed (their
annotations stay); a row still in the file that failed validation is not removed, and when a bad
row's id cannot be read at all nothing is pruned. A dry run does all of it and rolls back.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from db import counts, store
from db.activity import record_store_write
from db.hierarchy import PERIOD, Trees
from db.load import analyze, remove_events
from db.locks import store_writer
from db.schema import TABLES, DatabaseError, connect
from ingest.headline import headline
from ingest.intervals import month, week_of

BATCH = 5000
COUNT_WINDOW = 100_000  # the new events' counts and sets are made for this many rows at a time
# and their search index (a staged import commits each window: at 100k worldwide rows, a window of
# 100k put 40 MB in the log, search index and counts together; 20k rows of it take about 8 MB)
SEARCH_WINDOW = 20_000
CACHE_PAGES_KB = 100_000  # the page cache of an import: 100 MB at most
SORT_KB = 25_000  # then the memory each sort of its end (index builds, counts) takes in one piece
ROW_BYTES = 400  # about what an ACLED row takes in a CSV: a file's size tells how many rows it brings
# A file this many times bigger than the store is a bulk import, which is staged: it writes copies
# of the tables below, whose indexes are built once at the end, several times faster than kept up
# to date row by row (a smaller import's revisions read them); the evidence's is made first, as
# the end reads it. Copying the store's rows costs a tenth of the import at most.
BULK = 10
STAGING = "staging_"
COPIED = ("stored_documents", "events", "acled_notes", "event_actors", "event_places", "stored_evidence")
# made again over all the staged events at the end: the counts, the sets and the search index
STAGED = (*COPIED, "month_counts", "event_sets", "events_fts")
KEPT_INDEXES = ("evidence_by_event",)
VIEWS = tuple(re.findall(r"CREATE VIEW IF NOT EXISTS (\w+)", TABLES))  # of the tables above: made again after a switch
# The columns of an imported event, in the order `_Importer.write` gives them.
EVENT_COLUMNS = (
    *("seq", "id", "date_start", "date_end", "precision", "date", "date_source", "type", "sub_type", "summary"),
    *("fatalities", "fatalities_low", "fatalities_high", "confidence", "sources", "publishers", "origin", "revision"),
)
# Older exports name some columns differently.
HEADER_ALIASES = {
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    "event_id_no_cnty": "event_id_no_cnty",
}
REQUIRED = ("event_date", "event_type", "actor1", "location")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%d-%B-%Y", "%d-%b-%Y", "%d/%m/%Y", "%m/%d/%Y", "%d %b %Y")
PRECISION = {"1": "day", "2": "week", "3": "month"}
MAX_FATALITIES = 10_000_000  # more than any event has killed: a bigger figure is junk, not a toll
# Event types of exports made before ACLED's 2019 revision: (type, sub-type) today.
OLD_TYPES = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "remote violence": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "violence against civilians": ("Violence against civilians", "Attack"),
    "riots/protests": ("Protests", "Peaceful protest"),
    "strategic development": ("Strategic developments", "Other"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
}
# ACLED's inter codes: the kind of actor.
INTER_KINDS = {
    "1": "state forces",
    "2": "armed group",
    "3": "militia",
    "4": "militia",
    "5": "rioters",
    "6": "protesters",
    "7": "civilians",
    "8": "external forces",
}


class ImportFileError(ValueError):
    """A file that cannot be imported at all (not ACLED-shaped): the message says why."""


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # the ids pruned
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (line number, problem)
    not_pruned: str = ""  # why a prune removed nothing, when a bad row kept it from knowing what the file holds


def read_header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("empty file: no header row") from None
    columns = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if not ("event_id_cnty" in columns or "data_id" in columns):
        missing.append("event_id_cnty (or data_id)")
    if missing:
        raise ImportFileError(
            f"not an ACLED export: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    return columns


def parse_date(text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text)  # the current format, and the fast path
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable event_date {text[:40]!r}")


def import_acled(
    path: Path,
    db_path: store.Store,
    progress: Callable[[int], None] | None = None,
    prune: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import one ACLED CSV into the database (created if missing), all or nothing. It holds the
    store's writer lock throughout (db/locks.py): another writer waits for its end, so none writes
    between a staged import's batches, and it is taken before the store is opened, which makes a new
    one: another writer never meets it half-made."""
    with store_writer(db_path):
        conn = connect(db_path, create=True, user=False)
        try:
            report = _import(conn, path, db_path, progress, prune, dry_run)
        finally:
            conn.close()
    if not dry_run:
        how_many = f"{report.added} added, {report.revised} revised, {len(report.removed)} removed"
        record_store_write(db_path, "import acled", path.name, f"{how_many} of {report.rows} rows")
    return report


def _import(
    conn: sqlite3.Connection,
    path: Path,
    db_path: store.Store,
    progress: Callable[[int], None] | None,
    prune: bool,
    dry_run: bool,
) -> ImportReport:
    report = ImportReport()
    try:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as f:
            # A NUL would end the text for SQLite's functions and the search index: one character for one
            reader = csv.reader(line.replace("\x00", "\ufffd") for line in f)
            columns = read_header(reader)
            # Index pages of a big import stay in memory, up to a bound that keeps the import's peak
            # memory flat whatever the file's size (400 MB made 1.3 GB at 1M rows, without being faster).
            conn.execute(f"PRAGMA cache_size = -{CACHE_PAGES_KB}")
            # The importer writes each row with what it refers to, so checking every reference by
            # index lookup only costs time (tests run `foreign_key_check` after imports).
            conn.execute("PRAGMA foreign_keys = OFF")
            _drop_staging(conn)  # what a killed bulk import left: under the writer lock, no import runs
            # a bulk import; PostgreSQL's readers see the state before a long transaction without staged copies
            staged = path.stat().st_size // ROW_BYTES > BULK * _stored(conn) and not store.is_url(db_path)
            conn.execute("BEGIN IMMEDIATE")  # wait for another writer now, not fail on a stale read later
            importer = _Importer(conn, staged=staged, prune=prune)
            batch: list[tuple[int, dict]] = []
            for row in _rows(reader, report):
                if len(row) != len(columns):
                    report.bad_rows.append((reader.line_num, f"{len(row)} fields, the header has {len(columns)}"))
                    importer.unreadable(dict(zip(columns, row, strict=False)))
                    continue
                batch.append((reader.line_num, dict(zip(columns, row, strict=True))))
                if len(batch) >= BATCH:
                    importer.write(batch, report)
                    importer.step()
                    batch = []
                    if progress:
                        progress(raw.tell())  # bytes read so far (the text layer cannot tell while iterating)
            importer.write(batch, report)
            importer.finish(report)
            if dry_run:
                conn.rollback()
                if staged:
                    _drop_staging(conn)
            else:
                if staged:
                    importer.switch(db_path)
                conn.commit()
                _shrink_log(conn)
    except UnicodeDecodeError as e:
        conn.rollback()
        _drop_staging_after_failure(conn)
        raise ImportFileError(
            f"not UTF-8 text (byte 0x{e.object[e.start]:02x} after row {report.rows}): ACLED exports are UTF-8;"
            " save the file as UTF-8 and import it again. Nothing was imported"
        ) from None
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        _drop_staging_after_failure(conn)
        raise
    return report


def _rows(reader, report: ImportReport):
    """The reader's rows, counted; a row the CSV reader refuses (a field over its limit, a stray
    quote) is reported and skipped, and reading goes on after it."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            report.rows += 1
            report.bad_rows.append((reader.line_num, f"unreadable CSV ({e})"))
            report.not_pruned = report.not_pruned or f"line {reader.line_num} could not be read"
            continue
        report.rows += 1
        yield row


class _Importer:
    """Turns batches of rows into rows of the event tables; places and actors join their trees."""

    def __init__(self, conn: sqlite3.Connection, staged: bool, prune: bool) -> None:
        self.conn, self.prune, self.staged = conn, prune, staged
        # the prefix of the tables it writes, and the indexes it builds at the end
        self.to, self.indexes = (STAGING, _stage(conn)) if staged else ("", [])
        # Every writer of this program waits for the import's writer lock, but a tool that does not
        # take it (the sqlite3 shell, an older timeline) may commit between a staged import's
        # batches: its rows would not be in the copy, so the switch refuses to drop them (`PRAGMA
        # data_version` counts others' commits).
        self.data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        self.trees = Trees(conn)
        self.trees.gazetteer_actors()
        # Every id the file holds, on disk: `loaded` for a row read (the first of its id counts),
        # 0 for a bad row's (still in the file, so never pruned).
        conn.execute("DROP TABLE IF EXISTS temp.file_ids")
        conn.execute("CREATE TEMP TABLE file_ids (id TEXT PRIMARY KEY, loaded INTEGER NOT NULL) WITHOUT ROWID")
        self.rows_loaded = 0
        self.unknown_bad_rows = 0  # bad rows whose id cannot be read: a prune cannot know what the file holds
        self.countries: set[str] = set()  # the place ids of the file's countries
        self.first_day, self.last_day = "9999-12-31", "0000-01-01"
        self.first_seq = self.next_seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM events").fetchone()[0]
        if staged:  # the search index, counts and sets of the staged tables are made over all their events
            self.first_seq = 1
        else:  # a revision's old version is counted out with the new events, in the same writes
            counts.hold_removals(conn)

    def step(self) -> None:
        """A staged import commits each batch, and copies it into the database at once, so the log
        holds a batch, not the import; nothing live names the staging tables."""
        if self.staged:
            self.conn.commit()
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for a reader
            self.conn.execute("BEGIN IMMEDIATE")

    def write(self, batch: list[tuple[int, dict]], report: ImportReport) -> None:
        events, notes, links, places, revised = [], [], [], [], []
        named_by: list[tuple[list, str]] = []  # each new event's (actor, role, name)s and place
        parsed = []
        for line, r in batch:
            try:
                parsed.append((r, self._event(r)))
            except ValueError as e:
                report.bad_rows.append((line, str(e)))
                self.unreadable(r)
        ids = json.dumps([row["id"] for _, row in parsed])
        # what the store and the file's earlier batches know of this batch's ids
        seen = {i for (i,) in self.conn.execute(_LOADED_OF_IDS, (ids,))}  # twice in one file: the first counts
        known = dict(self.conn.execute(_REVISIONS_OF_IDS.format(to=self.to), (ids,)))
        # the rows whose places and actors are resolved below (a prune reads the places of all)
        names: dict[str, tuple] = {}  # event id -> its row's place names and (actor, kind, role)s
        for r, row in parsed:
            if row["id"] not in seen and (self.prune or known.get(row["id"]) != row["revision"]):
                names.setdefault(row["id"], (_place_names(r), _actors_named(r)))
        self.trees.read_ahead(
            [place for place, _ in names.values()], [name for _, actors in names.values() for name, _, _ in actors]
        )
        for r, row in parsed:
            if row["id"] in seen:
                report.unchanged += 1
                continue
            seen.add(row["id"])
            self.first_day, self.last_day = min(self.first_day, row["date_start"]), max(self.last_day, row["date_end"])
            if row["id"] in known:
                if known[row["id"]] == row["revision"]:
                    if self.prune:  # its country is the file's, which only a prune reads
                        self.countries.add(self.trees.root(self.trees.named_place(*names[row["id"]][0])))
                    report.unchanged += 1
                    continue
                revised.append(row["id"])
            row["seq"], self.next_seq = self.next_seq, self.next_seq + 1
            events.append(row)
            place_names, named = names[row["id"]]
            actors = [(self.trees.named_actor(name, kind), role, name) for name, kind, role in named]
            place = self.trees.named_place(*place_names)
            named_by.append((actors, place))
            self.countries.add(self.trees.root(place))
            # its note, which its document and quote are derived from (db/schema.py's DERIVED_DOCUMENT)
            notes.append(
                (row["seq"], r.get("notes", "").strip() or row["summary"], r.get("source", "").strip() or None)
            )
        # The batch's new places, actors and aliases in a few statements; then the links, which
        # hold their row numbers.
        self.trees.flush()
        for row, (actors, place) in zip(events, named_by, strict=True):
            links += self.trees.actor_links(row["seq"], row["date_start"], actors)
            places += self.trees.place_links(row["seq"], row["date_start"], [place])
        # the batch's ids in one statement (a statement each took 3 s of 100k rows on PostgreSQL);
        # DISTINCT, as an id twice in a batch would be updated twice by one statement
        self.conn.execute(
            "INSERT INTO temp.file_ids (id, loaded) SELECT DISTINCT value, 1"
            " FROM (SELECT value FROM json_each(?)) AS batch_ids WHERE true ON CONFLICT (id) DO UPDATE SET loaded = 1",
            (ids,),
        )
        self.rows_loaded += len(parsed)
        if not events:
            return
        if revised:  # the old version goes, the new one comes in under the same id
            self._remove(_SEQS_OF_IDS.format(to=self.to), (json.dumps(revised),))
            report.revised += len(revised)
        # rows new to the store, every one: COPY on PostgreSQL (store.insert_rows)
        store.insert_rows(
            self.conn,
            f"{self.to}events",
            EVENT_COLUMNS,
            [_event_values(row) for row in events],
        )
        store.insert_rows(self.conn, f"{self.to}acled_notes", ("seq", "text", "source"), notes)
        store.insert_rows(
            self.conn, f"{self.to}event_actors", ("event_seq", "actor_seq", "role", "day", "direct", "named"), links
        )
        store.insert_rows(
            self.conn, f"{self.to}event_places", ("event_seq", "place_seq", "day", "direct", "position"), places
        )
        report.added += len(events) - len(revised)

    def unreadable(self, r: dict) -> None:
        """A bad row: its event is still in the file, so a prune keeps it (or, without an id, keeps all)."""
        acled_id = (r.get("event_id_cnty") or r.get("data_id") or "").strip()
        if acled_id:
            self.conn.execute("INSERT OR IGNORE INTO temp.file_ids (id, loaded) VALUES (?, 0)", (f"acled:{acled_id}",))
        else:
            self.unknown_bad_rows += 1

    def _event(self, r: dict) -> dict:
        acled_id = (r.get("event_id_cnty") or r.get("data_id") or "").strip()
        if not acled_id:
            raise ValueError("no event id")
        if not r["event_type"].strip() or not r["location"].strip():
            raise ValueError("no event_type or location")
        start, end, precision, shown = _when(r["event_date"], r.get("time_precision", "1"))
        fatalities = r.get("fatalities", "").strip()
        if fatalities and not (fatalities.isascii() and fatalities.isdigit()):
            raise ValueError(f"fatalities {fatalities[:40]!r} is not a number")
        if fatalities and (len(fatalities) > len(str(MAX_FATALITIES)) or int(fatalities) > MAX_FATALITIES):
            raise ValueError(f"fatalities {fatalities[:40]} is over {MAX_FATALITIES:,}: not a toll")
        for column, limit in (("latitude", 90), ("longitude", 180)):
            if r.get(column, "").strip() and _coordinate(r[column], limit) is None:
                said = "is not a number" if _float(r[column]) is None else f"is not within -{limit} and {limit}"
                raise ValueError(f"{column} {r[column][:40]!r} {said}")
        event_type, sub_type = _types(r["event_type"], r.get("sub_event_type", ""))
        who, whom = (_without_period(r.get(column, "")) for column in ("actor1", "actor2"))
        killed = fatalities if fatalities and int(fatalities) > 0 else None
        summary = headline(sub_type, who or None, whom or None, r["location"].strip() or None, killed)
        return {
            "id": f"acled:{acled_id}",
            "date_start": start,
            "date_end": end,
            "precision": precision,
            "date": shown,
            "type": event_type,
            "sub_type": sub_type,
            "summary": summary,
            "fatalities": int(fatalities) if fatalities else None,
            # ACLED's time of the row's last change; a file without it: a digest of the row
            "revision": r.get("timestamp", "").strip() or _digest(r),
        }

    def finish(self, report: ImportReport) -> None:
        """A staged import's indexes, the rows pruned, the search index and the counts of the new
        events, in one pass each at the end, then the planner's statistics."""
        # An index build (and a GROUP BY) sorts in memory up to the page cache's size, beside the
        # cache, which the memory the rows took keeps: a small bound for the sorts keeps the end
        # of an import within that (1M worldwide rows peaked here, 100 MB over the rows).
        # A staged import commits each step: the log holds the largest index, or a window's rows.
        self.conn.execute(f"PRAGMA cache_size = -{SORT_KB}")
        for sql in self.indexes:
            self.conn.execute(sql)
            self.step()
        if self.prune and self.rows_loaded:
            if self.unknown_bad_rows:
                report.not_pruned = report.not_pruned or f"{self.unknown_bad_rows} bad rows without a readable id"
            if not report.not_pruned:
                report.removed = self._prune()
        text = "event_text"
        if self.staged:  # the same view, of the staged tables; a temporary one, which no reader sees
            text = "temp.staging_event_text"
            self.conn.execute(_staged_view())
        for start in range(self.first_seq, self.next_seq, SEARCH_WINDOW):
            self.conn.execute(
                f"INSERT INTO {self.to}events_fts (rowid, summary, quotes)"
                f" SELECT seq, summary, quotes FROM {text} WHERE seq >= ? AND seq < ?",
                (start, start + SEARCH_WINDOW),
            )
            self.step()
        # each window's rows read once, then let go; the removals held go with the first (or alone)
        windows = range(self.first_seq, self.next_seq, COUNT_WINDOW) or range(self.next_seq, self.next_seq + 1)
        for start in windows:
            held = not self.staged and start == windows[0]
            counts.add(
                self.conn, _SEQS_FROM.format(to=self.to), (start, start + COUNT_WINDOW), prefix=self.to, held=held
            )
            self.step()
        self.conn.execute("DROP TABLE temp.file_ids")
        self.conn.execute("DROP VIEW IF EXISTS temp.staging_event_text")
        analyze(self.conn)

    def switch(self, db_path: store.Store) -> None:
        """Make the staged tables live, in the transaction the import commits: drop the live ones
        and rename the staged ones in. It writes the schema and the list of free pages, not the rows."""
        self.step()  # the statistics committed, and the lock taken again for the switch
        if self.conn.execute("PRAGMA data_version").fetchone()[0] != self.data_version:
            raise DatabaseError(
                f"{db_path}: another command wrote the store during the import, so the import changed"
                " nothing: run it again"
            )
        for view in VIEWS:  # a view naming a dropped table stops a rename
            self.conn.execute(f"DROP VIEW {view}")
        for table in STAGED:
            self.conn.execute(f'DROP TABLE "{table}"')
        for table in STAGED:
            self.conn.execute(f'ALTER TABLE "{STAGING}{table}" RENAME TO "{table}"')
        for view in VIEWS:
            self.conn.execute(_statement("VIEW", view))
        # The planner's statistics of the staged tables (dropping a table drops its own) are theirs
        # now; a rename leaves them under the old name.
        self.conn.execute(
            "UPDATE sqlite_stat1 SET tbl = substr(tbl, ?) WHERE tbl IN (SELECT value FROM json_each(?))",
            (len(STAGING) + 1, json.dumps([STAGING + table for table in STAGED])),
        )

    def _prune(self) -> list[str]:
        """Remove the stored rows the file no longer holds, of its countries and dates."""
        gone = [
            event_id
            for (event_id,) in self.conn.execute(
                f"SELECT e.id FROM {self.to}events e WHERE e.origin = 'acled' AND e.date_start BETWEEN ? AND ?"
                f" AND e.seq IN (SELECT event_seq FROM {self.to}event_places WHERE place_seq IN"
                " (SELECT seq FROM places WHERE id IN (SELECT value FROM json_each(?))))"
                " AND e.id NOT IN (SELECT id FROM temp.file_ids) ORDER BY e.id",
                (self.first_day, self.last_day, json.dumps(sorted(self.countries))),
            )
        ]
        if gone:
            self._remove(_SEQS_OF_IDS.format(to=self.to), (json.dumps(gone),))
        return gone

    def _remove(self, picked: str, params: tuple) -> None:
        """Remove the events `picked` gives. Staged, from the staged tables: their search index,
        counts and sets are made at the end, and an ACLED event has no sources of its own."""
        if not self.staged:
            remove_events(self.conn, picked, params, held=True)
            return
        for table in ("event_places", "event_actors"):
            self.conn.execute(f"DELETE FROM {STAGING}{table} WHERE event_seq IN ({picked})", params)
        ids = f"SELECT id FROM {STAGING}events WHERE seq IN ({picked})"
        documents = f"SELECT document_id FROM {STAGING}stored_evidence WHERE event_id IN ({ids})"
        self.conn.execute(f"DELETE FROM {STAGING}stored_documents WHERE kind = 'acled' AND id IN ({documents})", params)
        self.conn.execute(f"DELETE FROM {STAGING}stored_evidence WHERE event_id IN ({ids})", params)
        self.conn.execute(f"DELETE FROM {STAGING}acled_notes WHERE seq IN ({picked})", params)
        self.conn.execute(f"DELETE FROM {STAGING}events WHERE seq IN ({picked})", params)


def _event_values(row: dict) -> tuple:
    """An imported event's values in EVENT_COLUMNS' order: its date ACLED's, its toll exact, one
    source (the row), the confidence ACLED's rows are given."""
    toll = row["fatalities"]
    return (
        *(row["seq"], row["id"], row["date_start"], row["date_end"], row["precision"], row["date"], "acled"),
        *(row["type"], row["sub_type"], row["summary"], toll, toll, toll, 0.9, 1, 1, "acled", row["revision"]),
    )


def _place_names(r: dict) -> tuple:
    """What a row names its place by: country, division, location, latitude, longitude."""
    return (
        r.get("country", ""),
        r.get("admin1", ""),
        r["location"].strip(),
        _coordinate(r.get("latitude"), 90),
        _coordinate(r.get("longitude"), 180),
    )


def _actors_named(r: dict) -> list[tuple[str, str, str]]:
    """The (name, kind, role) of each actor a row names: its two actors and their associates."""
    named = []
    for column, assoc, inter, role in (
        ("actor1", "assoc_actor_1", "inter1", "actor1"),
        ("actor2", "assoc_actor_2", "inter2", "actor2"),
    ):
        kind = INTER_KINDS.get(r.get(inter, "").strip()[:1], "unknown")
        if r.get(column, "").strip():
            named.append((r[column].strip(), kind, role))
        named += [(name, "unknown", "associated") for name in filter(None, map(str.strip, r.get(assoc, "").split(";")))]
    return named


# {to}: the prefix of the tables an import writes ("staging_" or none)
_SEQS_OF_IDS = "SELECT seq FROM {to}events WHERE id IN (SELECT value FROM json_each(?))"
_SEQS_FROM = "SELECT seq FROM {to}events WHERE seq >= ? AND seq < ?"
_LOADED_OF_IDS = "SELECT id FROM temp.file_ids WHERE loaded AND id IN (SELECT value FROM json_each(?))"
_REVISIONS_OF_IDS = "SELECT id, revision FROM {to}events WHERE id IN (SELECT value FROM json_each(?))"


# A million rows name a few thousand dates, types and actors: each is worked out once (a third of
# an import's Python time went to working them out again). Bounded, so a file of ever new values
# cannot grow them with its rows.
@lru_cache(maxsize=1 << 16)
def _when(event_date: str, time_precision: str) -> tuple[str, str, str, str]:
    """A row's (first day, last day, precision, date as shown): its day, or the week or month
    ACLED gives it ("2019-W05", "2019-03")."""
    day = parse_date(event_date)
    if day > date.today():  # ACLED records what happened
        raise ValueError(f"event_date {day.isoformat()} is in the future")
    precision = PRECISION.get(time_precision.strip(), "day")
    if precision == "day":
        return day.isoformat(), day.isoformat(), precision, day.isoformat()
    try:
        interval = week_of(day) if precision == "week" else month(day.year, day.month)
    except OverflowError:  # the week of 0001-01-01 began before the calendar
        raise ValueError(f"event_date {day.isoformat()}: its {precision} falls outside the calendar") from None
    return interval.start.isoformat(), interval.end.isoformat(), precision, interval.display()


@lru_cache(maxsize=1 << 16)
def _types(event_type: str, sub_event_type: str) -> tuple[str, str]:
    event_type = event_type.strip()
    return OLD_TYPES.get(event_type.lower(), (event_type, sub_event_type.strip() or event_type))


@lru_cache(maxsize=1 << 16)
def _without_period(actor: str) -> str:
    """ "Military Forces of Turkey (2016-)" -> "Military Forces of Turkey" """
    return PERIOD.sub("", actor).strip()


def _digest(r: dict) -> str:
    """A row's version where the file gives none: any change to any field changes it."""
    return hashlib.blake2b("\x1f".join(f"{k}={v}" for k, v in sorted(r.items())).encode(), digest_size=8).hexdigest()


def _shrink_log(conn: sqlite3.Connection) -> None:
    """Copy the committed import into the database and cut the write-ahead log back to nothing, so
    the disk does not keep a second copy of the store. A reader still on the old state holds the
    log (its pages are what it reads): then the log is left, and the next writer reuses it."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def _stored(conn: sqlite3.Connection) -> int:
    """About how many events the store holds (the highest row number, without counting)."""
    return conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]


def _stage(conn: sqlite3.Connection) -> list[str]:
    """Make the staging tables, as the live ones are made (their own SQL), holding the live rows of
    COPIED, and commit them; the statements of their indexes, to build at the end.

    SQLite cannot rename an index, and an index built under its live name once the live one is
    dropped, inside the switch, would be written into the log whole: the nine indexes are 18 MB
    of a 164 MB store at 100k worldwide rows, which beside the 164 MB the disk holds puts the
    import at about 1.2x the store where staged names keep it at 1.1x. So a staged index takes the
    live one's name with the prefix `staging_` added, or taken off if it has it, and keeps it. Names
    alternate from one bulk import to the next; the code names no index (KEPT_INDEXES is matched
    without the prefix, a migration counts `staging_NAME` as NAME: schema.make_missing)."""
    for table in STAGED:
        (sql,) = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (table,)).fetchone()
        # A staged table references the staged ones, so that no live row is a parent of a staged
        # one (a load deleting its events would fail the foreign key); the rename of a parent
        # renames the references to it, so the switch leaves them as the live tables had them.
        parents = "|".join(STAGED)
        sql = re.sub(rf'(REFERENCES )"?({parents})"?(?=\s*\()', rf'\g<1>"{STAGING}\g<2>"', sql)
        conn.execute(_renamed(sql, r"CREATE (?:VIRTUAL )?TABLE ", STAGING + table))
    later = []
    for name, table, sql in conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN (SELECT value FROM json_each(?))",
        (json.dumps(STAGED),),
    ).fetchall():
        staged_name = name.removeprefix(STAGING) if name.startswith(STAGING) else STAGING + name
        staged = _renamed(sql, r"CREATE (?:UNIQUE )?INDEX ", staged_name)
        staged, found = re.subn(rf'( ON )(?:"{table}"|{table}\b)', rf'\g<1>"{STAGING}{table}"', staged, count=1)
        assert found, sql
        if name.removeprefix(STAGING) in KEPT_INDEXES:
            conn.execute(staged)
        else:
            later.append(staged)
    for table in COPIED:
        conn.execute(f'INSERT INTO "{STAGING}{table}" SELECT * FROM "{table}"')
    conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    return later


def _renamed(sql: str, create: str, name: str) -> str:
    """A CREATE statement as sqlite_schema keeps it, making `name` instead."""
    renamed, found = re.subn(rf'^({create})(?:"[^"]+"|\w+)', rf'\g<1>"{name}"', sql, count=1)
    assert found, sql
    return renamed


def _statement(kind: str, name: str) -> str:
    """The statement of TABLES that makes the view or table `name`."""
    return next(s for s in TABLES.split(";\n") if re.search(rf"CREATE {kind} IF NOT EXISTS {name}\b", s))


def _staged_view() -> str:
    """The view the search index reads (`event_text`), of the staged tables, as a temporary view."""
    view = _statement("VIEW", "event_text").replace(
        "CREATE VIEW IF NOT EXISTS event_text", "CREATE TEMP VIEW staging_event_text"
    )
    return re.sub(r"\b(events|acled_notes|stored_evidence|stored_documents) (?=[envd]\b)", rf"main.{STAGING}\1 ", view)


def _drop_staging(conn: sqlite3.Connection) -> None:
    """Drop the staging tables a bulk import left (killed, or a dry run's), in a transaction of its
    own. The search index's first: dropping it drops its own tables."""
    if not conn.execute(_STAGING_TABLES).fetchone():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        while found := conn.execute(_STAGING_TABLES + " ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC").fetchone():
            conn.execute(f'DROP TABLE "{found[0]}"')
        conn.commit()
    finally:
        if conn.in_transaction:
            conn.rollback()


_STAGING_TABLES = (
    f"SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, {len(STAGING)}) = '{STAGING}'"
)


def _drop_staging_after_failure(conn: sqlite3.Connection) -> None:
    """After a failed import, its staging tables go now if they can; the next import drops them if
    not (a full disk may refuse even this)."""
    with contextlib.suppress(sqlite3.Error):
        _drop_staging(conn)


def _coordinate(value, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (180) as a number; None if it is none, or not finite
    ("inf", "nan"), or out of range: it would put the event nowhere, and JSON cannot hold it."""
    number = _float(value)
    return number if number is not None and math.isfinite(number) and -limit <= number <= limit else None


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
