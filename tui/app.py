"""The timeline explorer. The app wires messages: what widgets ask goes to the session, what the
session's workers answer goes to the widgets. It runs no SQL (see tui/session.py)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.collector import REST, Collector
from tui.explorer import Explorer, Navigator, TimePane
from tui.panes import FacetPane, Histogram
from tui.session import (
    FACETS,
    Article,
    Changed,
    Counted,
    Detail,
    Done,
    Hits,
    Indexed,
    Opened,
    RemoveDocument,
    Rows,
    Saved,
    Searched,
    Session,
    Totalled,
)
from tui.text import visible
from tui.timeline_view import TimelineView
from tui.workers import Answer, Failed


class TimelineApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "timeline"
    TERMINAL_GRACE = 2.0  # seconds for the app to quit itself once its terminal has gone
    CHECK_SECONDS = 1.0  # how often to look for another process's writes: seen within 2 s, with the reload

    def __init__(self, db_path: str | Path, remove_document: RemoveDocument | None = None) -> None:
        """`remove_document`: what removes an article and derives the events again without it
        (pipeline.remove, given by the command line); without it, `D` says to use `timeline remove`."""
        super().__init__()
        self.db_path = str(db_path)
        self.session = Session(db_path, self, remove_document)
        self.explorer = Explorer(self.session)
        self.collector = Collector()
        self._last_failure: tuple[str, SeverityLevel, float] = ("", "information", 0.0)  # on_failed's

    def get_default_screen(self) -> Screen:
        return self.explorer

    def on_load(self) -> None:
        """Open the store as Textual starts: its first rows are read while the screen is built, and
        answered once it is (Explorer.on_mount)."""
        self.session.workers.hold_answers()
        self.session.open()

    def on_mount(self) -> None:
        self.in_terminal = os.isatty(0)
        if self.in_terminal:
            threading.Thread(target=self._end_if_stuck_without_terminal, name="terminal-watch", daemon=True).start()
        self.set_interval(self.CHECK_SECONDS, self.check)
        self.collector.start()
        self.set_interval(REST, self.collector.tick)

    def check(self) -> None:
        """Has another process written to the store? Has our terminal gone (a closed window, a
        killed tmux)? Then quit: Textual would go on reading the dead terminal at full speed."""
        if self.in_terminal and not os.isatty(0):
            self.exit()
            return
        self.session.check_for_changes()

    def _end_if_stuck_without_terminal(self) -> None:
        """The process ends if its terminal went and the app has not quit within TERMINAL_GRACE.
        Textual's writer thread dies on the dead terminal's first failed write, and once its queue
        of 30 frames is full the UI thread blocks on the 31st for good, so `check` never comes to
        quit. Nothing is lost: every write of the store is one transaction, committed or not."""
        while os.isatty(0):
            time.sleep(self.CHECK_SECONDS)
        time.sleep(self.TERMINAL_GRACE)
        os._exit(0)

    def on_unmount(self) -> None:
        self.session.workers.close()
        self.collector.stop()

    # ---- what widgets ask -----------------------------------------------------------------

    def on_timeline_view_highlighted(self, message: TimelineView.Highlighted) -> None:
        self.session.show(message.rowid)

    def on_timeline_view_need_rows(self, message: TimelineView.NeedRows) -> None:
        self.session.rows(message.token, message.page, message.rowids)

    def on_timeline_view_drawn(self, _: TimelineView.Drawn) -> None:
        self.session.drawn()

    # ---- what the session answers ---------------------------------------------------------

    def _wanted(self, answer: Answer) -> bool:
        """Not superseded, and the app not quitting (an answer may arrive while the screen goes)."""
        return self.is_running and self.session.accept(answer)

    def on_opened(self, answer: Opened) -> None:
        if self._wanted(answer):
            self.session.total = answer.total
            self.sub_title = f"{answer.total:,} events · {self.db_path}"

    def on_indexed(self, answer: Indexed) -> None:
        if not self._wanted(answer) or not self.session.indexed(answer):
            return
        view = self.explorer.view
        view.matches = Hits()
        view.set_index(answer.index, keep=answer.keep, partial=not answer.complete, rows=answer.rows)
        if answer.complete:
            if self.session.counting:
                for facet in FACETS:
                    self.explorer.query_one(f"#{facet}", FacetPane).set_counting()
            filtered = " (filtered)" if not answer.filter.is_empty else ""
            self.sub_title = f"{len(answer.index.rowids):,} of {self.session.total:,} events{filtered}"
        else:
            self.sub_title = f"first {len(answer.index.rowids):,} events… of {self.session.total:,}"

    def on_counted(self, answer: Counted) -> None:
        if not self._wanted(answer):
            return
        self.session.counting = False
        for facet in FACETS:
            self.explorer.query_one(f"#{facet}", FacetPane).set_window(answer.windows[facet])
        f = self.session.filter
        span = f"{f.since or '…'}..{f.until or '…'}" if (f.since or f.until) else ""
        self.explorer.query_one(Histogram).set_counts(answer.months, span)

    def on_totalled(self, answer: Totalled) -> None:
        if self._wanted(answer):
            for facet in FACETS:
                self.explorer.query_one(f"#{facet}", FacetPane).set_total(answer.totals[facet])

    def on_rows(self, answer: Rows) -> None:
        if self._wanted(answer):
            self.explorer.view.add_rows(answer.token, answer.page, answer.rows)

    def on_detail(self, answer: Detail) -> None:
        if self._wanted(answer):
            self.session.detail = answer.detail
            self.explorer.show_detail(answer.detail, answer.contexts)

    def on_searched(self, answer: Searched) -> None:
        if not self._wanted(answer):
            return
        self.session.searched(answer)
        self.explorer.view.matches = answer.hits
        self.explorer.view.refresh()
        n = len(answer.hits)
        self.notify(f"{n} event{'' if n == 1 else 's'} match{'es' if n == 1 else ''} “{answer.text}” (n/N to move)")
        self.explorer.action_next_match(1, include_current=True)

    def on_saved(self, answer: Saved) -> None:
        if not self._wanted(answer):
            return
        view = self.explorer.view
        view.refetch()
        self.session.show(view.current_rowid)

    def on_article(self, answer: Article) -> None:
        from tui.screens import ArticleScreen  # a screen a key opens: imported then, not at start

        if not self._wanted(answer):
            return
        self.push_screen(ArticleScreen(answer.title, answer.text, answer.start, answer.end))

    def on_changed(self, answer: Changed) -> None:
        """Another process wrote: the timeline, its counts and the detail are read again, the
        cursor kept on its event (as `r` does), and the notice says who did what."""
        if not self._wanted(answer):
            return
        if answer.news:
            self.notify(answer.news, title="Changed by another analyst", timeout=8)
        self.session.open(keep=self.explorer.view.current_id, reconnect=False)

    def on_done(self, answer: Done) -> None:
        if not self._wanted(answer):
            return
        if answer.markdown is not None:
            self.copy_to_clipboard(answer.markdown)
        self.notify(answer.text, title=answer.title, timeout=3)

    def on_failed(self, answer: Failed) -> None:
        """A failure is not said again while its notice is still shown: the check for others'
        changes asks every second, and a server that is down fails each one the same way."""
        if not self._wanted(answer):
            return
        now, (text, severity, said_at) = time.monotonic(), self._last_failure
        if (answer.text, answer.severity) == (text, severity) and now - said_at < self.NOTIFICATION_TIMEOUT:
            return
        self._last_failure = (answer.text, answer.severity, now)
        self.notify(answer.text, severity=answer.severity)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice of the app and its widgets comes here, and is plain text: notices quote
        searches, paths, view and actor names (a CSV plants those), whose brackets as markup would
        crash the app ("[/]daily") or run an action ("[@click=app.quit]")."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def notify_undoable(self, text: str, *event_ids: str) -> None:
        """A notice of a correction with a link that takes it back (as `u` does): the one notice
        in markup, its text escaped."""
        ids = ", ".join(json.dumps(i) for i in event_ids)  # an id is hex or "acled:…", quoted
        undo = f"[@click=app.undo({ids})]undo[/]"
        super().notify(f"{escape(visible(text))} · {undo} (u)", title="Corrected", timeout=8, markup=True)

    def action_undo(self, *event_ids: str) -> None:
        """The notice's link: take back the correction it tells of."""
        self.explorer.action_undo(*event_ids)

    def action_review(self, action: str) -> None:
        """A review key on a screen over the explorer's (the detail's own): acts on the cursor's event."""
        getattr(self.explorer, f"action_{action}")()

    # ---- the command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Commands that fit what is on screen now."""
        yield from super().get_system_commands(screen)
        explorer, n = self.explorer, len(self.session.marked)
        marked = f"the {n} marked" if n else "the filtered"
        yield SystemCommand(
            "Export", f"Export {marked} events: Markdown, JSON, CSV, GeoJSON, TimelineJS, …", explorer.action_export
        )
        if not self.session.filter.is_empty:
            yield SystemCommand("Clear filters", "Show every event", explorer.action_clear_filters)
        yield SystemCommand("Jump to date", "Move the cursor to a date", explorer.action_jump_to_date)
        yield SystemCommand("Go to an event (g)", "By its id, or the first characters of it", explorer.action_go_to)
        yield SystemCommand("Review walk (w)", "The unreviewed events, the doubtful first", explorer.action_walk)
        yield SystemCommand("Add an event (A)", "One the machine missed, with its source", explorer.action_add)
        yield SystemCommand(
            "Show or hide rejected events (H)", "Rejected events are hidden unless shown", explorer.action_show_rejected
        )
        navigator = explorer.query_one(Navigator)
        yield SystemCommand("Saved views", "Pick a saved view, delete one, or save this filter", navigator.action_views)
        if self.session.history:
            yield SystemCommand("Back", "The filter before, the cursor on its event", navigator.action_back)
        trust = explorer.query_one(TimePane)
        yield SystemCommand(
            "Disputed events (!)", "Only events whose sources differ, or all again", trust.action_disputed
        )
        yield SystemCommand(
            "Independent sources (i)", "At least 2, then 3 independent sources, then any", trust.action_independent
        )
        yield SystemCommand(
            "Toggle filter panes",
            "Show or hide the actor, place and type panes",
            lambda: explorer.query_one("#sidebar").toggle_class("hidden"),
        )
        yield SystemCommand(
            "Toggle detail pane",
            "Show or hide the event detail",
            lambda: explorer.query_one("#detail").toggle_class("hidden"),
        )
        other_theme = "textual-dark" if self.theme == "textual-light" else "textual-light"
        yield SystemCommand(
            "Toggle light/dark theme",
            "Switch between the light and dark themes",
            lambda: setattr(self, "theme", other_theme),
        )
        if explorer.view.current_id:
            yield SystemCommand(
                "Context of this event",
                "The events 7 days either side, at its places or with its actors",
                navigator.action_context,
            )
            yield SystemCommand("Star or unstar this event", "Stars survive reloads", explorer.action_star)
            yield SystemCommand(
                "Tag this event",
                "Add a tag, typed whole (commas and all), or take one off by typing it",
                lambda: explorer.action_annotate("tags"),
            )
            yield SystemCommand("Confirm this event (C)", "Reviewed: right as it is", explorer.action_confirm)
            yield SystemCommand("Reject this event (R)", "Not an event: hidden, u undoes", explorer.action_reject)
            yield SystemCommand(
                "Edit this event (E)", "Correct its fields, the machine's value beside", explorer.action_edit
            )
            yield SystemCommand("Undo a correction (u)", "The last made here, else this event's", explorer.action_undo)
            yield SystemCommand(
                "Merge the marked events into this one (M)", "One event, the sources of all", explorer.action_merge
            )
            yield SystemCommand(
                "Split sources off this event (S)", "Chosen quotes become an event of their own", explorer.action_split
            )
            yield SystemCommand(
                "Remove a source's article (D)",
                "Its evidence and the events it alone supports go",
                explorer.action_remove,
            )
            yield SystemCommand(
                "Note on this event", "Write or replace the event's note", lambda: explorer.action_annotate("note")
            )
            yield SystemCommand("Open the source article", "The full text, at the quote", explorer.action_open_source)
