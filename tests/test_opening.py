"""The app's opening order (tui/session.py): its first rows, with their events, are drawn before
the whole timeline, the counts and the totals are read, so that reading them does not slow the
drawing of the first screen."""

import asyncio
import time
from typing import cast

from textual.message_pump import MessagePump

from db import queries
from db.schema import connect
from tests.helpers import SETTLE_SECONDS, settle
from tui import session
from tui.app import TimelineApp
from tui.session import Counted, Indexed, Opened, Session
from tui.timeline_view import TimelineView
from tui.workers import FETCH, QUERY, Workers


class Inbox:
    """Where the app stands: takes the session's answers as they are posted, from the lanes'
    threads; which of them the session is handed (`indexed`) is the test's to say."""

    def __init__(self) -> None:
        self.answers: list = []

    def post_message(self, message) -> bool:
        self.answers.append(message)
        return True

    def indexed(self, complete: bool) -> list[Indexed]:
        return [a for a in self.answers if isinstance(a, Indexed) and a.complete is complete]


def until(done, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not answered"
        time.sleep(0.01)


def test_the_whole_timeline_is_read_once_the_first_rows_are_drawn(seed_db, monkeypatch):
    monkeypatch.setattr(session, "FIRST_WAIT", 600)  # the bound, for first rows that never come, not reached
    inbox = Inbox()
    opened = Session(seed_db, cast(MessagePump, inbox))
    opened.open()
    until(lambda: inbox.indexed(complete=False) and any(isinstance(a, Opened) for a in inbox.answers))
    lane = opened.workers.lanes[QUERY]
    until(lambda: lane.running is not None and lane.running.kind is None)  # holding, the index next
    assert not inbox.indexed(complete=True) and not any(isinstance(a, Counted) for a in inbox.answers)

    first = inbox.indexed(complete=False)[0]
    assert [r.rowid for r in first.rows] == list(first.index.rowids[: session.FIRST_SCREEN])  # with their rows
    opened.indexed(first)  # the app takes the first rows: the lane holds until they are drawn
    assert not opened.first_shown.is_set() and lane.running is not None and lane.running.kind is None

    opened.drawn()  # the timeline drew them
    until(lambda: any(isinstance(a, Counted) for a in inbox.answers))
    assert len(inbox.indexed(complete=True)) == 1
    opened.workers.close()


async def test_the_app_draws_its_first_rows_then_reads_the_whole_timeline(seed_db, monkeypatch):
    """The first rows come with their events (no page asked for before they are drawn), and
    drawn, they let the query lane read the whole timeline, with no wait for FIRST_WAIT."""
    monkeypatch.setattr(session, "FIRST_WAIT", 600)
    app = TimelineApp(seed_db)
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.query_one(TimelineView)
        async with asyncio.timeout(SETTLE_SECONDS):
            while not view.ids:
                await pilot.pause()
            assert view.pages.rows and not view.pages.asked  # drawn from the rows that came with them
            while app.session.shown_filter is None:  # the whole timeline, read once they are drawn
                await pilot.pause()


def test_answers_held_while_the_screen_is_built_are_handed_over_then_posted(seed_db):
    """The app opens the store before its screen exists: the answers are kept, not posted, and
    handed over when it does (those superseded meanwhile left out); later ones are posted."""
    inbox = Inbox()
    workers = Workers(str(seed_db), cast(MessagePump, inbox))
    workers.hold_answers()
    workers.ask(QUERY, None, lambda conn: Opened(queries.count_events(conn)))
    workers.ask(FETCH, "first", lambda conn: Opened(-1))
    until(lambda: workers.idle)
    workers.ask(FETCH, "first", lambda conn: Opened(-2))  # supersedes the one held
    until(lambda: workers.idle)
    assert inbox.answers == []

    held = workers.answer()
    assert [cast(Opened, a).total for a in held] == [queries.count_events(connect(seed_db)), -2]
    workers.ask(QUERY, None, lambda conn: Opened(-3))
    until(lambda: inbox.answers)
    assert [a.total for a in inbox.answers] == [-3]
    workers.close()


async def test_the_whole_timeline_keeps_the_rows_its_first_rows_brought(seed_db):
    """The whole timeline, come after its first rows, draws the rows they brought at once: no
    frame of placeholders ("…") between the two while their page is asked for again."""
    app = TimelineApp(seed_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        conn = connect(seed_db)
        first = queries.first_rows(conn, queries.Filter(), 5)
        view.set_index(first, partial=True, rows=queries.events_by_rowids(conn, first.rowids))
        view.set_index(app.session.index)
        assert [view.pages.get(0, rowid) is not None for rowid in first.rowids] == [True] * 5
        assert view.pages.get(0, view.ids[-1]) is None  # not brought: asked for as ever
