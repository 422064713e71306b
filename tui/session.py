"""What the app knows and asks, kept outside the widgets.

The session owns the filter, the marks, the search and the event shown. Each of its requests
runs on a worker lane (tui/workers.py) and answers the app with a typed message below, which
the app hands to `accept` before using: a superseded answer is dropped. The UI thread runs no SQL.

    session.set_filter(f)     # -> Indexed, then Counted, then Totalled
    session.search("killed")  # -> Searched;  session.cancel() (Escape) gives it up
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from pyroaring import BitMap
from textual.message_pump import MessagePump

from db import activity, annotations as user_layer, corrections, queries, review_queue
from db.facet_window import FacetWindow, facet_total, facet_window
from db.labels import SHORT_SUB_TYPE_WIDTH, short_type
from db.queries import EventDetail, EventRow, Filter, QueryError, TimelineIndex
from db.schema import DatabaseError
from db.store import Store, location
from tui.workers import FETCH, QUERY, Answer, Failed, Workers

CONTEXT_CHARS = 240  # of the article around each quote in the detail pane
FIRST_ROWS = 200  # shown while a filter's whole timeline is read: more than a screen holds
# Of those, the events that come with them, drawn at once: more lines than a tall terminal shows.
# More cost more than their share: at 100k events 64 take 1 ms, 200 take 19 ms (SQLite's plan for
# the longer lists of ids); the rest of their page is asked for when drawn.
FIRST_SCREEN = 64
FIRST_WAIT = 2.0  # seconds the query lane waits at most, at opening, for the first rows to be drawn
HISTORY = 50  # filters that back (backspace) can return to
FACETS = ("actors", "places", "types")


# ---- answers: what a request found, posted to the app ---------------------------------------


class Opened(Answer):
    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total


class Indexed(Answer):
    """The filtered timeline; `keep` is the row id of the event the cursor stays on. `complete`
    is False for its first rows only, shown while the whole is read; those come with the events
    of a screen (`rows`, FIRST_SCREEN), drawn without asking for their page."""

    def __init__(
        self, f: Filter, index: TimelineIndex, keep: int | None, complete: bool = True, rows: Sequence[EventRow] = ()
    ) -> None:
        super().__init__()
        self.filter, self.index, self.keep, self.complete, self.rows = f, index, keep, complete, rows


class Counted(Answer):
    """The filter's counts: what each facet pane shows of its values, and the events per month."""

    def __init__(self, windows: dict[str, FacetWindow], months: list[tuple[str, int]]) -> None:
        super().__init__()
        self.windows, self.months = windows, months


class Totalled(Answer):
    """How many values of each facet have events under the filter (after its Counted)."""

    def __init__(self, totals: dict[str, int]) -> None:
        super().__init__()
        self.totals = totals


class Rows(Answer):
    def __init__(self, token: int, page: int, rows: list[EventRow]) -> None:
        super().__init__()
        self.token, self.page, self.rows = token, page, rows


class Detail(Answer):
    def __init__(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.detail, self.contexts = detail, contexts


class Hits:
    """The events a search found, by row number: a byte for each number up to the largest, so
    half a million hits take half a megabyte, where a set of them takes some 35."""

    def __init__(self, rowids: array | None = None) -> None:
        rowids = rowids if rowids is not None else array("q")
        self.flags = bytearray(max((max(chunk) for _, chunk in _paced(rowids)), default=-1) + 1)
        for _, chunk in _paced(rowids):
            for rowid in chunk:
                self.flags[rowid] = 1
        self.count = len(rowids)

    def __contains__(self, rowid: object) -> bool:
        return isinstance(rowid, int) and 0 <= rowid < len(self.flags) and self.flags[rowid] == 1

    def __len__(self) -> int:
        return self.count

    def positions_in(self, timeline: array) -> array:
        """Where the hits are in `timeline`, in order."""
        flags, end = self.flags, len(self.flags)
        positions = array("q")
        for start, chunk in _paced(timeline):
            positions.extend(i for i, r in enumerate(chunk, start) if r < end and flags[r])
        return positions


def years_apart(index: TimelineIndex, whole_years: set[int]) -> TimelineIndex:
    """The timeline with the events dated only to a year put first in their January, as a group
    of their own labelled with the year ("1967"): the timeline heads them with the year, not with
    "1967-01". Their order among themselves, and every other event's, is kept."""
    if not whole_years:
        return index
    rowids, months = array("q"), list[tuple[str | None, int]]()
    start = 0
    for label, count in index.months:
        group = index.rowids[start : start + count]
        start += count
        years = array("q", (r for r in group if r in whole_years)) if label and label.endswith("-01") else array("q")
        if label and years:
            rowids.extend(years)
            months.append((label[:4], len(years)))
            group = array("q", (r for r in group if r not in whole_years))
        rowids.extend(group)
        if group:
            months.append((label, len(group)))
    return TimelineIndex(rowids, months)


PACE_ROWS, PACE_PAUSE = 20_000, 0.0005


def _paced(rowids: array) -> Iterator[tuple[int, array]]:
    """`rowids` in chunks (with where each starts), a moment's sleep between them. A worker's loop
    over a million row numbers is pure Python: a thread that waits for the interpreter gets it
    after 5 ms, and must give it back 5 ms later, so the UI thread would take twice as long to
    draw. Asleep, the worker lets it draw at once."""
    for start in range(0, len(rowids), PACE_ROWS):
        if start:
            time.sleep(PACE_PAUSE)
        yield start, rowids[start : start + PACE_ROWS]


class Searched(Answer):
    """`positions`: where the hits are in the timeline searched, in order."""

    def __init__(self, text: str, hits: Hits, positions: array) -> None:
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


class ViewsListed(Answer):
    """The saved views, each (name, filter, the filter in words)."""

    def __init__(self, views: list[tuple[str, Filter, str]]) -> None:
        super().__init__()
        self.views = views


@dataclass
class Windowed(Answer):
    """A facet pane's values again, for the pane that asked: a node opened, a text typed."""

    window: FacetWindow


@dataclass
class Reviewed(Answer):
    """A correction saved (confirm, reject, edit, merge, split, add, undo) of `event_id`, said in
    `text`. `hides`: the timeline and its counts change (an event rejected, merged, split off,
    added, or one of those taken back); the cursor goes to `event_id`. `undoable`: the events whose
    latest correction the notice's undo link takes back (none: the notice has no link)."""

    event_id: str
    text: str
    hides: bool = False
    rejected: bool = False  # the event is rejected now
    undoable: tuple[str, ...] = ()
    unmarked: tuple[str, ...] = ()  # events no longer shown on their own (merged away): their marks go


@dataclass
class RemovalAsked(Answer):
    """What removing a document would do, asked before it is done: the events resting on it alone
    (they go), those other sources support too (they stay), and those of the first kind that
    carry the analyst's stars, tags, notes or corrections (kept, as orphans)."""

    document: str  # as `timeline remove` takes it: the document's id
    path: str  # its path, or an ACLED row's id
    alone: list[str]
    others: list[str]
    annotated: list[str]


@dataclass
class DocumentRemoved(Answer):
    """A document removed, said in `text`: what went, and what of the analyst's was kept.
    `renamed`: the events it shared with other sources, whose ids changed without it (old -> new)."""

    text: str
    renamed: dict[str, str]


class Removal(Protocol):
    """What removing a document did (pipeline.Removed): the events gone, those kept, by id."""

    @property
    def document(self) -> str: ...
    @property
    def gone(self) -> list[str]: ...
    @property
    def kept(self) -> dict[str, str | None]: ...


# Removes a stored document and derives the events again without it (pipeline.remove). The app
# is given it by the command line: the app reads the store and never extracts (.importlinter).
RemoveDocument = Callable[[str, Store], Removal]


@dataclass
class Found(Answer):
    """The event an id typed names: its row number, and whether it is rejected (hidden unless shown)."""

    event_id: str
    rowid: int
    rejected: bool


@dataclass
class Walked(Answer):
    """The review walk's next event (None: none is left unreviewed), and the progress."""

    detail: EventDetail | None
    contexts: list[tuple[str, str, str]]
    reviewed: int
    total: int


class Changed(Answer):
    """Another process committed to the store or to the analyst's layer: the timeline is read
    again. `news`: who did what, in a sentence (None: nothing of another analyst's is logged)."""

    def __init__(self, news: str | None) -> None:
        super().__init__()
        self.news = news


class Done(Answer):
    """A request that ends in a sentence for the user: an export, a copy, a view saved."""

    def __init__(self, text: str, title: str = "", markdown: str | None = None) -> None:
        super().__init__()
        self.text, self.title, self.markdown = text, title, markdown


# ---- the session ----------------------------------------------------------------------------


class Session:
    """The state of one exploration of one store, and every request made of it.

    Methods are called on the UI thread and return at once; answers arrive as messages to
    `target`, which hands each to `accept` before using it.
    """

    def __init__(self, db_path: str | Path, target: MessagePump, remove_document: RemoveDocument | None = None) -> None:
        self.db_path = str(db_path)
        self.remove_document = remove_document
        self.filter = Filter()
        self.shown_filter: Filter | None = None  # the filter of `index`, the last whole timeline shown
        self.total = 0
        self.index = TimelineIndex(array("q"), [])  # the timeline on screen (or under its first rows)
        self.marked: set[str] = set()  # stable event ids, so marks survive a reload
        self.search_text = ""
        self.hits = Hits()  # row numbers of the search's events
        self.positions = array("q")  # their places in `index`, in order
        self.detail: EventDetail | None = None
        self._seen_version: tuple[int, int] | None = None  # touched by the fetch lane only
        self._seen_activity: int | None = None  # the activity log's newest row told of (fetch lane only)
        self.workers = Workers(self.db_path, target)
        self.history: deque[tuple[Filter, str | None]] = deque(maxlen=HISTORY)  # (filter, event id), newest last
        self.counting = False  # the counts of the last filter asked for are still to come
        self.views = SavedViews(self.workers)
        self.first_shown = threading.Event()  # the first rows of the store opened are drawn (`drawn`)
        self.show_rejected = False  # the events the analyst rejected are hidden unless this is set
        self.tag: str | None = None  # only the events with this tag (the command line's --tag)
        self.corrected: list[
            tuple[str, ...]
        ] = []  # the events each key corrected here, latest last: what `u` takes back
        # facet -> (the nodes open in its pane, the text typed to narrow it): what its counts show
        self.panes: dict[str, tuple[frozenset[str], str]] = dict.fromkeys(FACETS, (frozenset(), ""))

    def accept(self, answer: Answer) -> bool:
        """Is this answer still wanted? A newer request of its kind supersedes it."""
        return not answer.request.stale

    def cancel(self) -> set[str]:
        """Give up the slow requests under way (Escape); say which kinds. A filter given up
        goes back to the one the timeline shows; a search given up is forgotten."""
        live = self.workers.slow_kinds()
        if "index" in live and self.shown_filter is not None:
            self.filter = self.shown_filter
            live |= {"first", "counts"}
        if "search" in live:
            self.search_text = ""
        self.workers.supersede(*live)
        return live

    # -- the store

    def open(self, keep: str | None = None, reconnect: bool = True) -> None:
        """(Re)open the store and show the timeline under the current filter. Without `reconnect`
        (another process's change seen), the lanes keep their connections: the fetch lane's, which
        watches for changes, misses none between two looks."""
        self.first_shown.clear()
        shown_rejected, first_shown = self.show_rejected, self.first_shown

        def count(conn: sqlite3.Connection) -> Answer:
            hidden = set(corrections.merged(conn)) | (set() if shown_rejected else corrections.rejected_ids(conn))
            return Opened(queries.count_events(conn) - len(hidden))  # an event rejected then merged: once

        def after_first_rows(_: sqlite3.Connection) -> None:
            """The whole timeline, its counts and totals wait (the lane runs in order) until the first
            rows are drawn: read meanwhile, their Python takes turns with the UI thread, which is
            laying out and drawing the app's first screen (first rows 0.3-0.45 s later at 100k-300k
            events)."""
            first_shown.wait(FIRST_WAIT)  # bounded: first rows that fail let the rest be read

        def baseline(conn: sqlite3.Connection) -> None:
            self._seen_version = _version(conn)
            if self._seen_activity is None:  # a reload tells of nothing twice, and misses nothing
                self._seen_activity = activity.newest_id(conn)

        if reconnect:
            self.workers.reopen()
            self.workers.ask(FETCH, None, baseline)
        self.workers.ask(QUERY, "open", count)
        self.workers.ask(QUERY, None, after_first_rows)
        self.query(keep)

    def check_for_changes(self) -> None:
        """Has another process committed to the store or to the annotations since we last looked?
        Then answer Changed, telling of what the activity log has from other analysts since: the
        analyst's own changes made elsewhere (another terminal) reload the timeline unsaid. A
        check is never superseded, so a change it saw is never dropped (checks behind a slow request
        wait in line: each is two PRAGMAs)."""

        def check(conn: sqlite3.Connection) -> Answer | None:
            version = _version(conn)
            if version == self._seen_version:
                return None
            self._seen_version = version
            entries, self._seen_activity = activity.written_after(conn, self._seen_activity or 0)
            me = user_layer.author_name(None, conn)
            return Changed(news(conn, [e for e in entries if e.author != me]))

        self.workers.ask(FETCH, None, check)

    # -- the timeline

    def set_filter(self, f: Filter, at: str | None = None, keep: str | None = None) -> None:
        """Show the timeline under `f`, the cursor on `keep` if given. The filter left is kept for
        `back`, with `at`, the event the cursor was on."""
        if f != self.filter:
            self.history.append((self.filter, at))
        self.filter = f
        self.query(keep)

    def back(self) -> bool:
        """Return to the filter before the last change, the cursor on the event it was on; False
        when there is none. A filter given up with Escape was never shown: it is passed over."""
        while self.history and self.history[-1][0] == self.filter:
            self.history.pop()
        if not self.history:
            return False
        self.filter, at = self.history.pop()
        self.query(keep=at)
        return True

    def query(self, keep: str | None = None) -> None:
        """The filtered index (the rows first, so the timeline moves while counts are made), then
        the facet panes' values and the month counts, then each pane's number of values. `keep`:
        the stable id of the event to stay on. The events the analyst rejected are left out of all
        of them unless `show_rejected`, those merged into another always, and with a `tag` those
        without it."""
        f, hidden, panes = self.filter, self._hidden(), dict(self.panes)

        def index(conn: sqlite3.Connection) -> Answer:
            found = years_apart(queries.timeline_index(conn, f, hidden(conn)), queries.whole_year_rowids(conn))
            rowid = next(iter(queries.rowids_of(conn, [keep])), None) if keep else None
            return Indexed(f, found, rowid)

        def first(conn: sqlite3.Connection) -> Answer:
            found = _without(queries.first_rows(conn, f, FIRST_ROWS), hidden(conn))
            rows = queries.events_by_rowids(conn, found.rowids[:FIRST_SCREEN])  # a round trip fewer before drawn
            return Indexed(f, found, None, complete=False, rows=rows)

        def counts(conn: sqlite3.Connection) -> Answer:
            left_out, picked = hidden(conn), dict[Filter, BitMap | None]()  # the filters' events, read once
            windows = {
                facet: facet_window(conn, facet, f, opened, needle, left_out, picked)
                for facet, (opened, needle) in panes.items()
            }
            return Counted(windows, queries.month_counts(conn, f, picked, left_out))

        def totals(conn: sqlite3.Connection) -> Answer:
            left_out, picked = hidden(conn), dict[Filter, BitMap | None]()
            return Totalled({facet: facet_total(conn, facet, f, left_out, picked) for facet in FACETS})

        # the hits are placed in the index searched: search the new one; the counts bring the panes'
        self.workers.supersede("search", *(f"window-{facet}" for facet in FACETS))
        self.workers.ask(FETCH, "first", first)  # the fast lane: rows on screen before the whole index
        self.workers.ask(QUERY, "index", index)
        self.workers.ask(QUERY, "counts", counts)
        self.workers.ask(QUERY, "totals", totals)
        self.counting = True

    def indexed(self, answer: Indexed) -> bool:
        """Take a new timeline. First rows are only shown (False when the whole timeline came
        first); the session keeps the last whole one, which Escape returns to. First rows to be
        shown let the query lane go on once drawn (`drawn`); any other answer, at once."""
        if not answer.complete:
            shown = answer.filter != self.shown_filter
            if not shown or not answer.index.rowids:  # nothing will be drawn: nothing to wait for
                self.first_shown.set()
            return shown
        self.first_shown.set()
        self.workers.supersede("first")
        self.index, self.shown_filter = answer.index, answer.filter
        self.hits, self.positions = Hits(), array("q")
        if self.search_text:
            self.search(self.search_text)
        return True

    def drawn(self) -> None:
        """The timeline's first rows are on screen: the query lane may read the whole of it."""
        self.first_shown.set()

    def rows(self, token: int, page: int, rowids: array) -> None:
        self.workers.ask(FETCH, None, lambda conn: Rows(token, page, queries.events_by_rowids(conn, rowids)))

    def show(self, rowid: int | None) -> None:
        """The detail of the event at the cursor, with each quote in its context."""

        def detail(conn: sqlite3.Connection) -> Answer:
            found = queries.events_by_rowids(conn, [rowid]) if rowid is not None else []
            shown = queries.event_detail(conn, found[0].id) if found else None
            contexts = [queries.quote_in_context(conn, s, CONTEXT_CHARS) for s in shown.sources] if shown else []
            return Detail(shown, contexts)

        self.workers.ask(FETCH, "detail", detail)

    def _hidden(self) -> Callable[[sqlite3.Connection], BitMap]:
        """What the timeline and its counts leave out: the events the analyst rejected unless
        `show_rejected`, those merged into another always, and with a `tag` those without it."""
        shown_rejected, tag = self.show_rejected, self.tag

        def hidden(conn: sqlite3.Connection) -> BitMap:
            left_out = review_queue.merged_rowids(conn) | (
                BitMap() if shown_rejected else review_queue.rejected_rowids(conn)
            )
            return left_out | review_queue.untagged_rowids(conn, tag) if tag is not None else left_out

        return hidden

    def pane(self, facet: str, opened: frozenset[str], needle: str, target: MessagePump, ask: bool = True) -> None:
        """A facet pane's open nodes or the text typed in it changed: kept for the counts of the
        filters to come, and (`ask`) its values under the current filter answered to `target` as
        Windowed: the values it may show alone are counted, the actors or places matched by name
        or by any alias ("Daesh" finds Islamic State), as the command line resolves names."""
        self.panes[facet] = (opened, needle)
        if not ask:
            return
        f, hidden = self.filter, self._hidden()

        def run(conn: sqlite3.Connection) -> Answer:
            return Windowed(facet_window(conn, facet, f, opened, needle, hidden(conn)))

        self.workers.ask(FETCH, f"window-{facet}", run, target)

    # -- search

    def search(self, text: str) -> None:
        """Full-text search within the current filter; hits are marked, n/N moves between them."""
        self.search_text = text
        if not text:
            self.workers.supersede("search")
            self.hits, self.positions = Hits(), array("q")
            return
        f, timeline = replace(self.filter, search=text), self.index.rowids

        def run(conn: sqlite3.Connection) -> Answer:
            hits = Hits(queries.timeline_rowids(conn, f))  # not their months: they are placed in `timeline`
            return Searched(text, hits, hits.positions_in(timeline))

        self.workers.ask(QUERY, "search", run)

    def searched(self, answer: Searched) -> None:
        self.hits, self.positions = answer.hits, answer.positions

    def next_hit(self, cursor: int, direction: int, include_current: bool = False) -> int | None:
        """The position of the next (or previous) hit from `cursor`, round the end."""
        if not self.positions:
            return None
        find = bisect.bisect_right if (direction > 0) != include_current else bisect.bisect_left
        i = find(self.positions, cursor) - (direction < 0)
        return self.positions[i % len(self.positions)]

    # -- annotations

    def star(self, event_id: str, starred: bool) -> None:
        self._write(event_id, lambda conn: user_layer.set_starred(conn, event_id, starred))

    def annotate(self, event_id: str, **fields) -> None:
        self._write(event_id, lambda conn: user_layer.annotate(conn, event_id, **fields))

    def untag(self, event_id: str, tag: str) -> None:
        self._write(event_id, lambda conn: user_layer.remove_tags(conn, event_id, [tag]))

    def _write(self, event_id: str, write: Callable[[sqlite3.Connection], object]) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            try:
                write(conn)
            except QueryError as e:  # the event went away in a reload by another process
                return Failed(f"{e}: press r to reload", "warning")
            return Saved(event_id)

        self.workers.ask(FETCH, None, run)

    # -- review: the analyst's corrections (db/corrections.py), by the configured author

    def review(self, event_id: str, action: str, target: MessagePump | None = None) -> None:
        """Confirm or reject an event (`action`), answered as Reviewed to `target` (else the app)."""
        verb = {"confirm": corrections.confirm, "reject": corrections.reject}[action]

        def write(conn: sqlite3.Connection) -> Reviewed:
            verb(conn, event_id)
            if action == "confirm":
                return Reviewed(event_id, f"Confirmed {event_id}")
            return Reviewed(event_id, f"Rejected {event_id}: hidden", hides=True, rejected=True, undoable=(event_id,))

        self._correct((event_id,), write, target)

    def edit(self, event_id: str, changes: dict, target: MessagePump | None = None) -> None:
        """Correct fields of an event (corrections.edit's `changes`); a refusal answers Failed."""

        def write(conn: sqlite3.Connection) -> Reviewed:
            fields = corrections.edit(conn, event_id, changes)
            return Reviewed(event_id, f"Corrected {event_id}: {', '.join(fields)}")

        self._correct((event_id,), write, target)

    def merge(self, keep: str, others: list[str], target: MessagePump | None = None) -> None:
        """Make `others` part of `keep`: one event, the sources of all (the others hidden as merged)."""

        def write(conn: sqlite3.Connection) -> Reviewed:
            corrections.merge(conn, keep, others)
            n = len(others)
            text = f"Merged {n} event{'s' if n > 1 else ''} into {keep}: one event, the sources of all"
            return Reviewed(keep, text, hides=True, undoable=tuple(others), unmarked=tuple(others))

        self._correct(tuple(others), write, target)

    def split(self, event_id: str, quotes: list[str], target: MessagePump | None = None) -> None:
        """Make these quotes of an event (DOCUMENT_ID:QUOTE_START) an event of their own; the
        cursor goes to it, and undo takes the split back."""

        def write(conn: sqlite3.Connection) -> Reviewed:
            new = corrections.split(conn, event_id, quotes)
            self._store_added(conn, "the split")
            n = len(quotes)
            text = f"Split {n} quote{'s' if n > 1 else ''} of {event_id} into {new}, an event of their own"
            return Reviewed(new, text, hides=True, undoable=(event_id,))

        self._correct((event_id,), write, target)

    def add(self, changes: dict[str, Any], source: dict[str, str], target: MessagePump | None = None) -> None:
        """Add an event the machine missed (corrections.add's `changes`), with its `source`: a
        stored document and a quote found in it, or a citation. The cursor goes to it. Its id is
        known only from the answer: `added` records it for `u`."""

        def write(conn: sqlite3.Connection) -> Reviewed:
            new = corrections.add(conn, changes, **source)
            self._store_added(conn, "the event")
            return Reviewed(new, f"Added {new}", hides=True, undoable=(new,))

        self.workers.ask(FETCH, None, lambda conn: _refused("add", write, conn), target)

    def added(self, answer: Reviewed) -> None:
        """An event added (the answer to `add`): `u` takes it back."""
        self.corrected.append((answer.event_id,))

    def undo(self, event_ids: Sequence[str] = (), target: MessagePump | None = None) -> None:
        """Take back the latest correction of each of `event_ids` (a merge's: each event merged),
        else of the events a key corrected here last."""
        chosen = tuple(event_ids) or (self.corrected[-1] if self.corrected else ())
        if not chosen:
            return
        if chosen in self.corrected:  # its latest correction made here is the one taken back
            del self.corrected[len(self.corrected) - 1 - self.corrected[::-1].index(chosen)]

        def write(conn: sqlite3.Connection) -> Reviewed:
            undone = [corrections.undo(conn, event_id) for event_id in chosen]
            actions = {c.action for c in undone}
            if actions & {"add", "split"}:  # the store's copy of the event added or split off goes
                self._store_added(conn, "the undo")
            what = " and ".join(sorted({f"edit of {c.field}" if c.action == "edit" else c.action for c in undone}))
            hides = bool(actions & {"reject", "merge", "add", "split"})
            return Reviewed(chosen[0], f"Undid the {what} of {', '.join(chosen)}", hides=hides)

        self.workers.ask(FETCH, None, lambda conn: _refused(chosen[0], write, conn), target)

    def _correct(self, event_ids: tuple[str, ...], write: Callable[[sqlite3.Connection], Reviewed], target) -> None:
        self.corrected.append(event_ids)
        self.workers.ask(FETCH, None, lambda conn: _refused(event_ids[0], write, conn), target)

    def _store_added(self, conn: sqlite3.Connection, kept: str) -> None:
        """Write the store's copy of the analyst's added and split-off events, where every view reads
        them (as `timeline add` does); run on the fetch lane, whose version of the store is then
        taken as seen: the app's own write is no news from another process."""
        from db.load import write_added, writing  # sqlite-utils: kept out of the app's start-up

        added = corrections.added(conn)
        try:
            with writing(location(self.db_path)) as store:
                write_added(store, added)
        except DatabaseError as e:
            raise DatabaseError(f"{e} ({kept} is kept in the user database: the next load writes it)") from None
        self._seen_version = _version(conn)

    # -- removing a document: asked first, then done by the command line's remover

    def ask_removal(self, document_id: int, target: MessagePump) -> None:
        """What removing this document would do, answered as RemovalAsked to `target`."""

        def run(conn: sqlite3.Connection) -> Answer:
            from db.load import find_document, resting_on

            found = find_document(conn, str(document_id))
            if found is None:
                return Failed(f"Document {document_id} is no longer stored: press r to reload", "warning")
            alone, others = resting_on(conn, document_id)
            noted = {d.event.id for d in queries.event_details(conn, alone) if d.event.starred or d.tags or d.note}
            kept = noted | set(corrections.reviews(conn, alone))
            return RemovalAsked(str(document_id), found[2], alone, others, sorted(kept))

        self.workers.ask(FETCH, "removal", run, target)

    def remove(self, asked: RemovalAsked, target: MessagePump | None = None) -> None:
        """Remove the document (its evidence, and the events it alone supported; the others derived
        again without it), answered as DocumentRemoved: what went, and what was kept. On the fetch
        lane, whose version of the store is then taken as seen (the app's own write is no news);
        an article's removal derives every article's events again (seconds at the 542 FA-KES
        articles), and pages of rows wait for it: the timeline is read again after it anyway."""
        remove_document, db_path = self.remove_document, location(self.db_path)
        if remove_document is None:
            return

        def run(conn: sqlite3.Connection) -> Answer:
            try:
                removed = remove_document(asked.document, db_path)
            except LookupError as e:
                return Failed(str(e), "warning")
            self._seen_version = _version(conn)  # the app's own write: no news from another process
            renamed = {old: new for old, new in removed.kept.items() if new and new != old}
            gone, left = set(removed.gone), set(removed.gone) | set(renamed)  # ids no event has now
            kept = sorted(
                {c.event_id for c in corrections.orphans(conn) if c.event_id in left}
                | {i for i, *_ in user_layer.orphaned(conn) if i in left}
            )
            said = [f"Removed {removed.document}: {len(gone)} event(s) it alone supported gone"]
            said.append(
                f"{len(removed.kept)} kept with their other sources"
                + "".join(f"; {old} is now {new}" for old, new in renamed.items())
            )
            if kept:
                said.append(
                    f"your stars, tags, notes or corrections of {', '.join(kept)} kept (timeline review --orphans)"
                )
            return DocumentRemoved("; ".join(said), renamed)

        self.workers.ask(FETCH, None, run, target)

    def find(self, typed: str, target: MessagePump | None = None) -> None:
        """The event whose id is `typed` or begins with it, answered as Found (Failed: none)."""

        def run(conn: sqlite3.Connection) -> Answer:
            event_id = review_queue.find_event(conn, typed)
            (rowid,) = queries.rowids_of(conn, [event_id])
            return Found(event_id, rowid, event_id in corrections.rejected_ids(conn))

        self.workers.ask(FETCH, "find", run, target)

    def walk(self, skipped: set[str], target: MessagePump) -> None:
        """The next event of the review walk: the unreviewed, the doubtful first, but those
        `skipped` in this walk; answered as Walked to `target`, with the progress."""
        passed = set(skipped)

        def run(conn: sqlite3.Connection) -> Answer:
            ids = [i for i in review_queue.unreviewed(conn, len(passed) + 1) if i not in passed]
            shown = queries.event_detail(conn, ids[0]) if ids else None
            contexts = [queries.quote_in_context(conn, s, CONTEXT_CHARS) for s in shown.sources] if shown else []
            return Walked(shown, contexts, *review_queue.progress(conn))

        self.workers.ask(FETCH, "walk", run, target)

    # -- out of the app

    def export(self, path: Path, fmt: str = "md") -> None:
        """The marked events, or else the filtered ones, to a file in one of db.export's formats;
        what the format left out (undated events in a timeline, rejected events unless shown) is
        said with the result."""
        f, marked, shown = self.filter, set(self.marked), corrections.Shown(rejected=self.show_rejected, tag=self.tag)

        def run(conn: sqlite3.Connection) -> Answer:
            from db.export import ExportError, atomic_file, write  # the exports: not imported at start

            picked = corrections.pick(conn, f, shown)
            ids = [i for i in picked.ids if i in marked] if marked else picked.ids
            try:
                with atomic_file(path) as out:
                    done = write(conn, [ids], fmt, queries.describe_filter(conn, f), out)
            except ExportError as e:  # the file refused: said, the lane goes on
                return Failed(f"Not done: {e}")
            wrote = f"Wrote {len(ids) - done.left_out} events to {path.resolve()}"
            rejected = [f"{picked.rejected_left_out} rejected left out"] if picked.rejected_left_out else []
            return Done("; ".join([wrote, *done.notes, *rejected]), "Exported")

        self.workers.ask(QUERY, "export", run)

    def copy(self, event_id: str) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            from db.export import to_markdown

            return Done(
                "Event copied as Markdown", markdown=to_markdown(queries.event_details(conn, [event_id]), "Event")
            )

        self.workers.ask(FETCH, None, run)

    def article(self, event_id: str) -> None:
        """The source article of an event, at its first quote."""

        def run(conn: sqlite3.Connection) -> Answer | None:
            shown = queries.event_detail(conn, event_id)
            if not shown or not shown.sources:
                return None
            s = shown.sources[0]
            title, text = queries.document_text(conn, s.document_id)
            return Article(title or s.path, text, s.start, s.end)

        self.workers.ask(FETCH, None, run)


class SavedViews:
    """Requests about saved views: filters kept by name in the user's database (db/views.py,
    imported by the first request: the first screen comes without it)."""

    def __init__(self, workers: Workers) -> None:
        self.workers = workers

    def fetch(self, target: MessagePump) -> None:
        """The views, answered to `target` (the screen that shows them) as ViewsListed."""

        def run(conn: sqlite3.Connection) -> Answer:
            from db import views

            saved = views.saved_views(conn)
            return ViewsListed([(v.name, v.filter, views.in_words(conn, v.filter)) for v in saved])

        self.workers.ask(FETCH, "views", run, target)

    def save(self, name: str, f: Filter) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            from db import views

            replaced = views.save_view(conn, name, f)
            was = f" (it was: {views.in_words(conn, replaced)})" if replaced else ""
            return Done(f"Saved view “{name.strip()}”: {views.in_words(conn, f)}{was}", "Saved")

        self.workers.ask(FETCH, None, run)

    def delete(self, name: str) -> None:
        def run(conn: sqlite3.Connection) -> Answer:
            from db import views

            views.delete_view(conn, name)
            return Done(f"Deleted view “{name}”", "Deleted")

        self.workers.ask(FETCH, None, run)


# What each logged action did, as the app tells of it: to an event, to a view, to the store.
EVENT_VERBS = {
    "star": "starred",
    "unstar": "unstarred",
    "tag": "tagged",
    "untag": "untagged",
    "note": "wrote a note on",
    "confirm": "confirmed",
    "reject": "rejected",
    "edit": "edited",
    "merge": "merged",
    "add": "added",
    "split": "split",
    "undo": "took back a correction of",
}
OTHER_VERBS = {
    "view saved": "saved the view",
    "view deleted": "deleted the view",
    "load": "loaded",
    "ingest": "ingested",
    "import acled": "imported the ACLED file",
    "remove": "removed",
}


def news(conn: sqlite3.Connection, entries: list[activity.Entry]) -> str | None:
    """Other analysts' changes in a sentence: "amira starred 2024-03-01 Airstrike · Idlib", "amira
    and 2 others changed 5 events", "bob imported the ACLED file acled.csv (…)". None: no entry."""
    if not entries:
        return None
    on_events = [e for e in entries if e.action in EVENT_VERBS and e.subject]
    said = [_other_in_words(e) for e in entries if not (e.action in EVENT_VERBS and e.subject)]
    if on_events:
        events = list(dict.fromkeys(e.subject for e in on_events))
        authors = list(dict.fromkeys(e.author for e in on_events))
        who = authors[0] + (f" and {len(authors) - 1} other{'s' * (len(authors) > 2)}" if len(authors) > 1 else "")
        if len(events) == 1:
            verbs = " and ".join(dict.fromkeys(EVENT_VERBS[e.action] for e in on_events))
            said.insert(0, f"{who} {verbs} {_event_in_words(conn, events[0])}")
        else:
            said.insert(0, f"{who} changed {len(events)} events")
    return "; ".join(said)


def _other_in_words(e: activity.Entry) -> str:
    """A change to a view or to the store: "bob saved the view Raqqa (…)"."""
    words = [e.author, OTHER_VERBS.get(e.action, e.what), e.subject, f"({e.detail})" if e.detail else None]
    return " ".join(w for w in words if w)


def _event_in_words(conn: sqlite3.Connection, event_id: str | None) -> str:
    """An event as a notice names it: its date, type and first place ("2024-03-01 Airstrike ·
    Idlib"); its id if it is gone."""
    found = queries.event_details(conn, [event_id]) if event_id else []
    if not found:
        return event_id or "an event"
    e = found[0].event
    return " · ".join([f"{e.date or 'undated'} {short_type(e.type, e.sub_type, SHORT_SUB_TYPE_WIDTH)}", *e.places[:1]])


def _refused(event_id: str, write: Callable[[sqlite3.Connection], Reviewed], conn: sqlite3.Connection) -> Answer:
    """A correction's answer; a refusal (no such event, a bad value) said as a warning."""
    try:
        return write(conn)
    except QueryError as e:
        return Failed(f"{event_id}: {e}", "warning")


def _without(index: TimelineIndex, hidden: BitMap) -> TimelineIndex:
    """A short index (first rows) with the `hidden` events taken out, its months recounted."""
    if not hidden:
        return index
    rowids, months, start = array("q"), list[tuple[str | None, int]](), 0
    for label, count in index.months:
        kept = [r for r in index.rowids[start : start + count] if r not in hidden]
        start += count
        rowids.extend(kept)
        if kept:
            months.append((label, len(kept)))
    return TimelineIndex(rowids, months)


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when another connection commits to the store or to the user's annotations."""
    return (
        conn.execute("PRAGMA main.data_version").fetchone()[0],
        conn.execute("PRAGMA user.data_version").fetchone()[0],
    )
