"""Database work off the UI thread: lanes that run requests, and the answers they post.

A lane is a thread with its own connection to the store, running requests in the order given.
`Workers` keeps two: the query lane for what may take seconds at a million events (the
filtered index, counts, search, export) and the fetch lane for what a key waits for (a page of
rows, an event's detail, a star), so scrolling never queues behind a search. A request with a
`kind` is superseded by a newer request of that kind: it is skipped if not begun, interrupted
if running (sqlite3 allows that from any thread), and its answer dropped if already posted.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel

from db.queries import QueryError
from db.schema import DatabaseError, about_the_file, connect, database_error
from db.store import ConnectionLost

QUERY, FETCH = "query", "fetch"
SLOW = ("index", "search", "export")  # kinds of request a spinner waits for, and Escape gives up


class Answer(Message):
    """What a request found; `request` names it, to tell whether a newer one superseded it."""

    request: Request


class Failed(Answer):
    def __init__(self, text: str, severity: SeverityLevel = "error") -> None:
        super().__init__()
        self.text, self.severity = text, severity


Work = Callable[[sqlite3.Connection], Answer | None]


@dataclass(eq=False)
class Request:
    kind: str | None
    number: int
    work: Work
    latest: dict[str, int]  # kind -> the number of its newest request
    target: MessagePump | None = None  # who gets the answer, if not the app (a screen that asked)

    @property
    def stale(self) -> bool:
        return self.kind is not None and self.latest.get(self.kind) != self.number


_REOPEN = object()


class Lane:
    """A thread with its own connection, running requests in the order given."""

    def __init__(self, name: str, db_path: str, deliver: Callable[[Request, Answer | None], None]) -> None:
        self.db_path, self.deliver = db_path, deliver
        self.conn: sqlite3.Connection | None = None
        self.running: Request | None = None
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()  # Request, _REOPEN, or None to stop
        self._lock = threading.Lock()  # an interrupt must hit the request it was meant for
        threading.Thread(target=self._loop, name=f"timeline-{name}", daemon=True).start()

    def submit(self, request: Request) -> None:
        self._jobs.put(request)

    def reopen(self) -> None:
        """The next request opens a new connection: a reload sees what another process wrote."""
        self._jobs.put(_REOPEN)

    def stop(self) -> None:
        self._jobs.put(None)

    def interrupt_stale(self) -> None:
        with self._lock:
            if self.running is not None and self.running.stale and self.conn is not None:
                self.conn.interrupt()

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
            except ConnectionLost as e:  # the server ended the session, not the request: again, on a new one
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    return Failed(str(e), "warning")
            except sqlite3.OperationalError as e:
                if about_the_file(e):  # a full disk, an I/O error: not a wait
                    return Failed(f"Not done: {database_error(self.db_path, e)}")
                if "interrupt" not in str(e):
                    return Failed(f"Database busy, try again: {e}", "warning")
                if request.stale or attempt:  # superseded; or hit by an interrupt meant for its predecessor: again
                    return None
            except sqlite3.DatabaseError as e:  # a damaged page met in the middle of a query
                return Failed(f"Not done: {database_error(self.db_path, e) or e}")
            except QueryError as e:
                return Failed(str(e))
            except DatabaseError as e:
                return Failed(f"Not done: {e}")
            except Exception as e:  # a bug must cost one answer, not the lane and every request after it
                return Failed(f"Not done, an error in timeline: {type(e).__name__}: {e}")
        return None


class Workers:
    """The two lanes, and the bookkeeping of what was asked of them. Called on the UI thread,
    except `_deliver`, which the lanes call."""

    def __init__(self, db_path: str, target: MessagePump) -> None:
        self.db_path, self.target = db_path, target
        self.latest: dict[str, int] = {}
        self.lanes: dict[str, Lane] = {}
        self._numbers = 0
        self._lock = threading.Lock()  # the two counts below change on the lanes' threads too
        self._outstanding = 0
        self._slow: list[Request] = []  # slow requests not yet answered
        self._waiting_since = 0.0
        self._held: list[Answer] | None = None  # answers kept, not posted, until `answer` (`hold_answers`)

    def ask(self, lane: str, kind: str | None, work: Work, target: MessagePump | None = None) -> None:
        if not self.lanes:
            self.lanes = {name: Lane(name, self.db_path, self._deliver) for name in (QUERY, FETCH)}
        self._numbers += 1
        if kind is not None:
            self.latest[kind] = self._numbers
        request = Request(kind, self._numbers, work, self.latest, target)
        with self._lock:
            self._outstanding += 1
            if kind in SLOW:
                if not self._slow:
                    self._waiting_since = time.monotonic()
                self._slow.append(request)
        self.lanes[lane].submit(request)
        self.lanes[lane].interrupt_stale()

    def supersede(self, *kinds: str) -> None:
        """Drop the requests of these kinds under way."""
        for kind in kinds:
            self.latest[kind] = -1
        for lane in self.lanes.values():
            lane.interrupt_stale()

    def hold_answers(self) -> None:
        """Keep the answers, unposted, until `answer`: the app asks before its screen exists, so
        the store is read while Textual builds it."""
        with self._lock:
            self._held = []

    def answer(self) -> list[Answer]:
        """The answers kept, in order, for the caller to take now; those to come are posted."""
        with self._lock:
            held, self._held = self._held or [], None
        return [a for a in held if not a.request.stale]

    def _deliver(self, request: Request, answer: Answer | None) -> None:
        if answer is not None and not request.stale:
            answer.request = request
            with self._lock:
                held = self._held
                if held is not None:
                    held.append(answer)
            if held is None:
                (request.target or self.target).post_message(answer)
        with self._lock:
            self._outstanding -= 1
            if request in self._slow:
                self._slow.remove(request)

    def reopen(self) -> None:
        for lane in self.lanes.values():
            lane.reopen()

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.stop()

    @property
    def idle(self) -> bool:
        """No request is queued or running, and every answer is posted: what tests wait for."""
        with self._lock:
            return self._outstanding == 0

    def slow_kinds(self) -> set[str]:
        """The kinds of slow request under way and still wanted."""
        with self._lock:
            return {r.kind for r in self._slow if not r.stale and r.kind}

    def waiting_for(self) -> float:
        """Seconds that slow requests have kept the user waiting, else 0."""
        return time.monotonic() - self._waiting_since if self.slow_kinds() else 0.0
