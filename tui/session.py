"""What the app knows and asks, kept outside the widgets; the database work, off the UI thread.

The session owns the filter, the marks, the search and the event shown, and asks the store
through two lanes: threads with a connection each, running requests in order. The query lane
runs what may take seconds at a million events (the filtered index, counts, search, export);
the fetch lane runs what a key waits for (a page of rows, an event's detail, a star), so
scrolling never queues behind a search. Every request answers the app with a typed message;
an answer that a newer request of its kind has superseded is dropped, and a superseded query
still running is interrupted. The UI thread runs no SQL.

    session.set_filter(f)     # -> Indexed, then Counted
    session.search("killed")  # -> Searched;  session.cancel() (Escape) drops it
"""

from __future__ import annotations

import bisect
import queue
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from textual.message import Message
from textual.message_pump import MessagePump

from db import queries
from db.export import ExportError, details, to_markdown, write_atomic
from db.queries import EventDetail, EventRow, Facets, Filter, QueryError, TimelineIndex
from db.schema import DatabaseError, connect

CONTEXT_CHARS = 240  # of the article around each quote in the detail pane
QUERY, FETCH = "query", "fetch"
CANCELLABLE = ("index", "search", "export")  # the requests Escape gives up on


# ---- answers: what a request found, posted to the app ---------------------------------------

class Answer(Message):
    """`request` names the request, so that the session can drop a superseded answer."""

    request: Request


class Opened(Answer):
    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total


class Indexed(Answer):
    """The filtered timeline; `keep` is the row id of the event the cursor stays on."""

    def __init__(self, f: Filter, index: TimelineIndex, keep: int | None) -> None:
        super().__init__()
        self.filter, self.index, self.keep = f, index, keep


class Counted(Answer):
    def __init__(self, facets: Facets, months: list[tuple[str, int]]) -> None:
        super().__init__()
        self.facets, self.months = facets, months


class Rows(Answer):
    def __init__(self, token: int, page: int, rows: list[EventRow]) -> None:
        super().__init__()
        self.token, self.page, self.rows = token, page, rows


class Detail(Answer):
    def __init__(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.detail, self.contexts = detail, contexts


class Searched(Answer):
    """`positions`: where the hits are in the timeline searched, in order."""

    def __init__(self, text: str, hits: set[int], positions: array) -> None:
        super().__init__()
        self.text, self.hits, self.positions = text, hits, positions


class Saved(Answer):
    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id


class Article(Answer):
    def __init__(self, title: str, text: str, start: int, end: int) -> None:
        super().__init__()
        self.title, self.text, self.start, self.end = title, text, start, end


class Done(Answer):
    """A request that ends in a sentence for the user: an export, a copy, a change seen."""

    def __init__(self, text: str, title: str = "", markdown: str | None = None) -> None:
        super().__init__()
        self.text, self.title, self.markdown = text, title, markdown


class Failed(Answer):
    def __init__(self, text: str, severity: str = "error") -> None:
        super().__init__()
        self.text, self.severity = text, severity


# ---- requests and lanes ---------------------------------------------------------------------

@dataclass(eq=False)
class Request:
    """One piece of database work. A request with a `kind` is superseded by a newer one of that kind."""

    kind: str | None
    number: int
    work: Callable[[sqlite3.Connection], Answer | None]
    session: Session

    @property
    def stale(self) -> bool:
        return self.kind is not None and self.session.latest.get(self.kind) != self.number


_REOPEN = object()


class Lane:
    """A thread with its own connection, running requests in the order given."""

    def __init__(self, name: str, db_path: str, deliver: Callable[[Request, Answer | None], None]) -> None:
        self.db_path, self.deliver = db_path, deliver
        self.conn: sqlite3.Connection | None = None
        self.running: Request | None = None
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()  # Request, _REOPEN, or None to stop
        self._lock = threading.Lock()  # guards `running` against an interrupt meant for another request
        self._thread = threading.Thread(target=self._loop, name=f"timeline-{name}", daemon=True)
        self._thread.start()

    def submit(self, request: Request) -> None:
        self._jobs.put(request)

    def interrupt_stale(self) -> None:
        """Stop the running request if a newer one has superseded it (sqlite3 allows this from any thread)."""
        with self._lock:
            if self.running is not None and self.running.stale and self.conn is not None:
                self.conn.interrupt()

    def reopen(self) -> None:
        """The next request opens a new connection: a reload sees what another process wrote."""
        self._jobs.put(_REOPEN)

    def stop(self) -> None:
        self._jobs.put(None)

    def _loop(self) -> None:
        while (request := self._jobs.get()) is not None:
            if request is _REOPEN:
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
                continue
            answer = None
            if not request.stale:
                with self._lock:
                    self.running = request
                answer = self._run(request)
                with self._lock:
                    self.running = None
            self.deliver(request, answer)
        if self.conn is not None:
            self.conn.close()

    def _run(self, request: Request) -> Answer | None:
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = connect(self.db_path)
                return request.work(self.conn)
            except sqlite3.OperationalError as e:
                if "interrupt" in str(e):  # superseded, or hit by an interrupt meant for its predecessor
                    if request.stale or attempt:
                        return None
                    continue
                return Failed(f"Database busy, try again: {e}", "warning")
            except QueryError as e:
                return Failed(str(e))
            except (DatabaseError, ExportError) as e:
                return Failed(f"Not done: {e}")
        return None


# ---- the session ----------------------------------------------------------------------------

class Session:
    """The state of one exploration of one store, and every request made of it.

    Methods are called on the UI thread and return at once; answers arrive as messages to
    `target`, which hands each to `accept` before using it.
    """

    def __init__(self, db_path: str | Path, target: MessagePump) -> None:
        self.db_path, self.target = str(db_path), target
        self.filter = Filter()
        self.shown_filter = self.filter  # the filter of the timeline on screen
        self.total = 0
        self.index = TimelineIndex(array("q"), [])  # the timeline on screen
        self.marked: set[str] = set()  # stable event ids, so marks survive a reload
        self.search_text = ""
        self.hits: set[int] = set()  # row ids of the search's events
        self.positions = array("q")  # their places in `index`, in order
        self.detail: EventDetail | None = None
        self.latest: dict[str, int] = {}
        self._numbers = 0
        self._outstanding = 0
        self._lock = threading.Lock()
        self._slow: list[Request] = []  # cancellable requests not yet answered
        self._busy_since = 0.0
        self._seen_version: tuple[int, int] | None = None  # touched by the fetch lane only
        self.lanes: dict[str, Lane] = {}  # started by `open`

    # -- bookkeeping

    def _ask(self, lane: str, kind: str | None, work: Callable[[sqlite3.Connection], Answer | None]) -> None:
        self._numbers += 1
        if kind is not None:
            self.latest[kind] = self._numbers
        request = Request(kind, self._numbers, work, self)
        with self._lock:
            self._outstanding += 1
            if kind in CANCELLABLE:
                if not self._slow:
                    self._busy_since = time.monotonic()
                self._slow.append(request)
        self.lanes[lane].submit(request)
        self.lanes[lane].interrupt_stale()

    def _deliver(self, request: Request, answer: Answer | None) -> None:
        """On a lane's thread: post the answer, unless superseded meanwhile."""
        if answer is not None and not request.stale:
            answer.request = request
            self.target.post_message(answer)
        with self._lock:
            self._outstanding -= 1
            if request in self._slow:
                self._slow.remove(request)

    def accept(self, answer: Answer) -> bool:
        """On the UI thread: is this answer still wanted? A newer request of its kind supersedes it."""
        return not answer.request.stale

    @property
    def idle(self) -> bool:
        """No request is queued or running, and every answer is posted: what tests wait for."""
        with self._lock:
            return self._outstanding == 0

    def busy_for(self) -> float:
        """Seconds that slow requests (index, search, export) have kept the user waiting, else 0."""
        with self._lock:
            waiting = any(not r.stale for r in self._slow)
        return time.monotonic() - self._busy_since if waiting else 0.0

    def cancel(self) -> set[str]:
        """Give up the slow requests under way (Escape); say which kinds. A filter given up
        goes back to the one the timeline shows; a search given up is forgotten."""
        with self._lock:
            live = {r.kind for r in self._slow if not r.stale}
        for kind in live:
            self.latest[kind] = -1
        if "index" in live:
            self.filter = self.shown_filter
            self.latest["counts"] = -1
        if "search" in live:
            self.search_text = ""
        for lane in self.lanes.values():
            lane.interrupt_stale()
        return live

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.stop()

    # -- the store

    def open(self, keep: str | None = None) -> None:
        """(Re)open the store and show the timeline under the current filter."""
        if not self.lanes:
            self.lanes = {name: Lane(name, self.db_path, self._deliver) for name in (QUERY, FETCH)}
        for lane in self.lanes.values():
            lane.reopen()

        def count(conn: sqlite3.Connection) -> Answer:
            return Opened(queries.count_events(conn))

        def baseline(conn: sqlite3.Connection) -> None:
            self._seen_version = _version(conn)

        self._ask(FETCH, None, baseline)
        self._ask(QUERY, "open", count)
        self.query(keep)

    def check_for_changes(self) -> None:
        """Has another process committed to the store or to the annotations since we opened it?"""
        def check(conn: sqlite3.Connection) -> Answer | None:
            version = _version(conn)
            if version == self._seen_version:
                return None
            self._seen_version = version
            return Done("The database has changed: press r to reload.", "New data")

        self._ask(FETCH, "changes", check)

    # -- the timeline

    def set_filter(self, f: Filter) -> None:
        self.filter = f
        self.query()

    def query(self, keep: str | None = None) -> None:
        """The filtered index (the rows first, so the timeline moves while counts are made), then
        the facet and month counts. `keep`: the stable id of the event to stay on."""
        f = self.filter

        def index(conn: sqlite3.Connection) -> Answer:
            found = queries.timeline_index(conn, f)
            rowid = next(iter(queries.rowids_of(conn, [keep])), None) if keep else None
            return Indexed(f, found, rowid)

        def counts(conn: sqlite3.Connection) -> Answer:
            return Counted(queries.facets(conn, f), queries.month_counts(conn, f))

        self.latest["search"] = -1  # hits are placed in the index searched: search the new one
        self._ask(QUERY, "index", index)
        self._ask(QUERY, "counts", counts)

    def indexed(self, answer: Indexed) -> None:
        self.index, self.shown_filter = answer.index, answer.filter
        self.hits, self.positions = set(), array("q")
        if self.search_text:
            self.search(self.search_text)

    def rows(self, token: int, page: int, rowids: array) -> None:
        self._ask(FETCH, None, lambda conn: Rows(token, page, queries.events_by_rowids(conn, rowids)))

    def show(self, rowid: int | None) -> None:
        """The detail of the event at the cursor, with each quote in its context."""
        def detail(conn: sqlite3.Connection) -> Answer:
            found = queries.events_by_rowids(conn, [rowid]) if rowid is not None else []
            shown = queries.event_detail(conn, found[0].id) if found else None
            contexts = [queries.quote_in_context(conn, s, CONTEXT_CHARS) for s in shown.sources] if shown else []
            return Detail(shown, contexts)

        self._ask(FETCH, "detail", detail)

    # -- search

    def search(self, text: str) -> None:
        """Full-text search within the current filter; hits are marked, n/N moves between them."""
        self.search_text = text
        if not text:
            self.latest["search"] = -1
            self.hits, self.positions = set(), array("q")
            return
        f, timeline = replace(self.filter, search=text), self.index.rowids

        def run(conn: sqlite3.Connection) -> Answer:
            hits = set(queries.timeline_index(conn, f).rowids)
            return Searched(text, hits, array("q", (i for i, r in enumerate(timeline) if r in hits)))

        self._ask(QUERY, "search", run)

    def searched(self, answer: Searched) -> None:
        self.hits, self.positions = answer.hits, answer.positions

    def next_hit(self, cursor: int, direction: int, include_current: bool = False) -> int | None:
        """The position of the next (or previous) hit from `cursor`, round the end."""
        if not self.positions:
            return None
        if direction > 0:
            i = bisect.bisect_left(self.positions, cursor) if include_current else bisect.bisect_right(self.positions, cursor)
            return self.positions[i % len(self.positions)]
        i = bisect.bisect_right(self.positions, cursor) if include_current else bisect.bisect_left(self.positions, cursor)
        return self.positions[(i - 1) % len(self.positions)]

    # -- annotations

    def star(self, event_id: str, starred: bool) -> None:
        self._write(event_id, lambda conn: queries.set_starred(conn, event_id, starred))

    def annotate(self, event_id: str, **fields) -> None:
        self._write(event_id, lambda conn: queries.annotate(conn, event_id, **fields))

    def _write(self, event_id: str, write: Callable[[sqlite3.Connection], None]) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            try:
                write(conn)
            except QueryError as e:  # the event went away in a reload by another process
                return Failed(f"{e}: press r to reload", "warning")
            return Saved(event_id)

        self._ask(FETCH, None, run)

    # -- out of the app

    def export(self, path: Path) -> None:
        """The marked events, or else the filtered ones, to a Markdown file."""
        f, marked = self.filter, set(self.marked)

        def run(conn: sqlite3.Connection) -> Answer:
            ids = queries.event_ids(conn, f)
            ids = [i for i in ids if i in marked] if marked else ids
            write_atomic(path, to_markdown(details(conn, ids), queries.describe_filter(conn, f)))
            return Done(f"Wrote {len(ids)} events to {path.resolve()}", "Exported")

        self._ask(QUERY, "export", run)

    def copy(self, event_id: str) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            return Done("Event copied as Markdown", markdown=to_markdown(details(conn, [event_id]), "Event"))

        self._ask(FETCH, None, run)

    def article(self, event_id: str) -> None:
        """The source article of an event, at its first quote."""
        def run(conn: sqlite3.Connection) -> Answer | None:
            shown = queries.event_detail(conn, event_id)
            if not shown or not shown.sources:
                return None
            s = shown.sources[0]
            title, text = queries.document_text(conn, s.document_id)
            return Article(title or s.path, text, s.start, s.end)

        self._ask(FETCH, None, run)


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when another connection commits to the store or to the user's annotations."""
    return (conn.execute("PRAGMA main.data_version").fetchone()[0],
            conn.execute("PRAGMA user.data_version").fetchone()[0])
