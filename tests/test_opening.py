"""The app's opening order (tui/session.py): its first rows before the whole timeline, the counts
and the totals are read, so that reading them does not slow the drawing of the first screen."""

import time
from typing import cast

from textual.message_pump import MessagePump

from tui import session
from tui.session import Counted, Indexed, Opened, Session
from tui.workers import QUERY


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


def test_the_whole_timeline_is_read_once_the_first_rows_are_taken(seed_db, monkeypatch):
    monkeypatch.setattr(session, "FIRST_WAIT", 600)  # the bound, for first rows that never come, not reached
    inbox = Inbox()
    opened = Session(seed_db, cast(MessagePump, inbox))
    opened.open()
    until(lambda: inbox.indexed(complete=False) and any(isinstance(a, Opened) for a in inbox.answers))
    lane = opened.workers.lanes[QUERY]
    until(lambda: lane.running is not None and lane.running.kind is None)  # holding, the index next
    assert not inbox.indexed(complete=True) and not any(isinstance(a, Counted) for a in inbox.answers)

    opened.indexed(inbox.indexed(complete=False)[0])  # the app takes the first rows
    until(lambda: any(isinstance(a, Counted) for a in inbox.answers))
    assert len(inbox.indexed(complete=True)) == 1
    opened.workers.close()
