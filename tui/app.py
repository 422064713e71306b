"""The timeline explorer. Calls db/ query functions only; queries run in thread workers."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from db import queries
from db.export import ExportError, details, to_markdown, write_atomic
from db.queries import Filter, QueryError
from db.schema import DatabaseError, connect
from tui.panes import DetailPane, FacetPane, Histogram
from tui.screens import ArticleScreen, HelpScreen, Prompt
from tui.timeline_view import TimelineView

CONTEXT_CHARS = 240


class TimelineApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "timeline"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="app.next_match"),
        Binding("N", "next_match(-1)", "Prev match", show=False, id="app.prev_match"),
        Binding("a", "focus_pane('actors')", "Actors", id="app.actors"),
        Binding("p", "focus_pane('places')", "Places", id="app.places"),
        Binding("t", "focus_pane('types')", "Types", id="app.types"),
        Binding("d", "date_range", "Dates", id="app.dates"),
        Binding("c", "clear_filters", "Clear", id="app.clear"),
        Binding("space", "mark", "Mark", id="app.mark"),
        Binding("s", "star", "Star", id="app.star"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("o", "open_source", "Open", id="app.open"),
        Binding("escape", "focus_timeline", "Timeline", show=False, id="app.timeline"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
    ]
    CHECK_SECONDS = 2.0  # how often to look for another process's writes

    def __init__(self, db_path: str | Path) -> None:
        super().__init__()
        self.db_path = str(db_path)
        self.filter = Filter()
        self.total = 0
        self.conn = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield FacetPane("actors", "Actors (a)", id="actors")
                yield FacetPane("places", "Places (p)", id="places")
                yield FacetPane("types", "Types (t)", id="types")
            with Vertical(id="centre"):
                yield Histogram()
                yield TimelineView(self._fetch, id="timeline")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.open_database()
        self.set_interval(self.CHECK_SECONDS, self.check_for_changes)
        self.query_one(TimelineView).focus()
        self.run_query()

    def open_database(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = connect(self.db_path)
        self.seen = self._version()
        self.total = queries.count_events(self.conn)
        self.sub_title = f"{self.total:,} events · {self.db_path}"

    def _version(self) -> tuple[int, int]:
        """Changes when another process commits to the store or to the user's annotations."""
        return (self.conn.execute("PRAGMA main.data_version").fetchone()[0],
                self.conn.execute("PRAGMA user.data_version").fetchone()[0])

    def check_for_changes(self) -> None:
        version = self._version()
        if version != self.seen:
            self.seen = version
            self.notify("The database has changed: press r to reload.", title="New data", timeout=10)

    def action_reload(self) -> None:
        keep = self.view.current_id
        self.open_database()
        self.view.invalidate()
        self.run_query(keep)

    def _fetch(self, rowids):
        return queries.events_by_rowids(self.conn, rowids)

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    # ---- queries off the UI thread ------------------------------------------------------

    @work(thread=True, exclusive=True, group="query")
    def run_query(self, keep: str | None = None) -> None:
        worker = get_current_worker()
        f = self.filter
        conn = connect(self.db_path)
        try:
            index = queries.timeline_index(conn, f)
            if worker.is_cancelled or f != self.filter:
                return
            # Rows first: the timeline updates while the counts are still being made.
            self.call_from_thread(self._apply_index, f, index, keep)
            facets = queries.facets(conn, f)
            months = queries.month_counts(conn, f)
        except QueryError as e:
            self.call_from_thread(self.notify, str(e), severity="error")
            return
        except sqlite3.OperationalError as e:  # busy beyond the connection's 10 s wait
            self.call_from_thread(self.notify, f"Database busy, try again: {e}", severity="warning")
            return
        finally:
            conn.close()
        if not worker.is_cancelled and f == self.filter:  # a newer filter makes this stale
            self.call_from_thread(self._apply_counts, f, facets, months)

    def _apply_index(self, f: Filter, index: queries.TimelineIndex, keep: str | None) -> None:
        """`keep`: the stable id of the event to stay on (row ids change when `load` rebuilds)."""
        if f != self.filter:
            return
        view = self.view
        rowid = next(iter(queries.rowids_of(self.conn, [keep])), None) if keep else view.current_rowid
        view.set_index(index, keep=rowid)
        self.sub_title = f"{len(index.rowids):,} of {self.total:,} events" + (" (filtered)" if not f.is_empty else "")

    def _apply_counts(self, f: Filter, facets, months) -> None:
        for pane, values in (("actors", facets.actors), ("places", facets.places), ("types", facets.types)):
            self.query_one(f"#{pane}", FacetPane).set_values(values)
        span = f"{f.since or '…'}..{f.until or '…'}" if (f.since or f.until) else ""
        self.query_one(Histogram).set_counts(months, span)

    def set_filter(self, f: Filter) -> None:
        self.filter = f
        self.run_query()

    # ---- events from widgets ------------------------------------------------------------

    def on_facet_pane_changed(self, message: FacetPane.Changed) -> None:
        self.set_filter(replace(self.filter, **{message.facet: message.selected}))

    def on_timeline_view_highlighted(self, message: TimelineView.Highlighted) -> None:
        self.show_detail(message.event_id)

    def show_detail(self, event_id: str | None) -> None:
        detail = queries.event_detail(self.conn, event_id) if event_id else None
        contexts = [queries.quote_in_context(self.conn, s, CONTEXT_CHARS) for s in detail.sources] if detail else []
        self.query_one(DetailPane).show(detail, contexts)

    def on_resize(self, event) -> None:
        self.screen.set_class(event.size.width < 120, "narrow")

    # ---- actions ------------------------------------------------------------------------

    def action_help(self) -> None:
        rows = [(b.key.replace("question_mark", "?").replace("slash", "/"), b.description)
                for b in self.BINDINGS + TimelineView.BINDINGS]
        rows.append(("ctrl+p", "Command palette"))
        self.push_screen(HelpScreen(rows))

    def action_focus_timeline(self) -> None:
        self.view.focus()

    def action_focus_pane(self, facet: str) -> None:
        self.query_one(f"#{facet}", FacetPane).focus_list()

    def action_clear_filters(self) -> None:
        for pane in self.query(FacetPane):
            pane.clear()
        self.view.matches = set()
        self.set_filter(Filter())

    def action_date_range(self) -> None:
        def check(value: str) -> str | None:
            try:
                self._parse_range(value)
            except QueryError as e:
                return str(e)
            return None

        def done(value: str | None) -> None:
            if value is not None:
                since, until = self._parse_range(value)
                self.set_filter(replace(self.filter, since=since, until=until))

        current = f"{self.filter.since or ''}..{self.filter.until or ''}" if self.filter.since or self.filter.until else ""
        self.push_screen(Prompt("Date range, e.g. 2017-06..2018-10 (empty for all)", current, check), done)

    @staticmethod
    def _parse_range(value: str):
        value = value.strip()
        if not value:
            return None, None
        first, _, last = value.partition("..")
        if not _:
            last = first
        since = queries.parse_date_bound(first, end=False) if first.strip() else None
        until = queries.parse_date_bound(last, end=True) if last.strip() else None
        return since, until

    def action_search(self) -> None:
        def done(value: str | None) -> None:
            if not value:
                self.view.matches = set()
                self.view.refresh()
                return
            try:
                found = set(queries.timeline_index(self.conn, replace(self.filter, search=value)).rowids)
            except QueryError as e:
                self.notify(str(e), severity="error")
                return
            self.view.matches = found
            self.notify(f"{len(found)} events match “{value}” (n/N to move)")
            self.action_next_match(1, include_current=True)

        self.push_screen(Prompt("Search the events (full text)"), done)

    def action_next_match(self, direction: int, include_current: bool = False) -> None:
        view = self.view
        if not view.matches:
            return
        n = len(view.ids)
        start = view.cursor if include_current else view.cursor + direction
        for step in range(n):
            i = (start + direction * step) % n
            if view.ids[i] in view.matches:
                view.move_to(i)
                return

    def action_mark(self) -> None:
        view = self.view
        if view.current_id:
            view.marked ^= {view.current_id}
            view.move_to(view.cursor + 1)
            view.refresh()

    def action_star(self) -> None:
        view = self.view
        if not view.current_id:
            return
        row = view.row(view.cursor)
        if not self._saved(queries.set_starred, view.current_id, not row.starred):
            return
        view.invalidate()
        self.show_detail(view.current_id)

    def _saved(self, write, event_id: str, *args, **kwargs) -> bool:
        """Write an annotation, or say in a notification why it was not saved."""
        try:
            write(self.conn, event_id, *args, **kwargs)
            return True
        except QueryError as e:  # the event went away in a reload by another process
            self.notify(f"{e}: press r to reload", severity="warning")
        except (DatabaseError, sqlite3.OperationalError) as e:  # read-only, or busy beyond the wait
            self.notify(f"Not saved: {e}", severity="error")
        return False

    def action_tag(self) -> None:
        self._annotate("Tags for this event (comma-separated)", lambda v: {"tags": v.split(",")})

    def action_note(self) -> None:
        detail = queries.event_detail(self.conn, self.view.current_id) if self.view.current_id else None
        self._annotate("Note on this event", lambda v: {"note": v}, detail.note if detail else "")

    def _annotate(self, question: str, fields, value: str = "") -> None:
        event_id = self.view.current_id
        if not event_id:
            return

        def done(answer: str | None) -> None:
            if answer is not None and self._saved(queries.annotate, event_id, **fields(answer)):
                self.show_detail(event_id)

        self.push_screen(Prompt(question, value or ""), done)

    def selection_ids(self) -> list[str]:
        view = self.view
        ids = queries.event_ids(self.conn, self.filter)
        return [i for i in ids if i in view.marked] if view.marked else ids

    def action_export(self) -> None:
        ids = self.selection_ids()
        what = f"{len(ids)} marked" if self.view.marked else f"{len(ids)} filtered"

        def write(path: str) -> None:
            content = to_markdown(details(self.conn, ids), queries.describe_filter(self.conn, self.filter))
            try:
                write_atomic(Path(path), content)
            except ExportError as e:
                self.notify(str(e), title="Not exported", severity="error")
                return
            self.notify(f"Wrote {len(ids)} events to {Path(path).resolve()}", title="Exported")

        def confirmed(answer: str | None, path: str) -> None:
            if answer and answer.strip().lower() in ("y", "yes"):
                write(path)

        def chosen(path: str | None) -> None:
            if not path:
                return
            if Path(path).exists():
                self.push_screen(Prompt(f"{path} exists. Overwrite it? (y/n)"), lambda a: confirmed(a, path))
            else:
                write(path)

        self.push_screen(Prompt(f"Export {what} events to Markdown file:", "timeline-export.md"), chosen)

    def action_copy(self) -> None:
        if self.view.current_id:
            self.copy_to_clipboard(to_markdown(details(self.conn, [self.view.current_id]), "Event"))
            self.notify("Event copied as Markdown")

    def action_open_source(self) -> None:
        detail = queries.event_detail(self.conn, self.view.current_id) if self.view.current_id else None
        if detail and detail.sources:
            s = detail.sources[0]
            title, text = queries.document_text(self.conn, s.document_id)
            self.push_screen(ArticleScreen(title or s.path, text, s.start, s.end))

    def action_jump_to_date(self) -> None:
        def done(value: str | None) -> None:
            if value:
                try:
                    self.view.jump_to_date(queries.parse_date_bound(value, end=False).isoformat())
                except QueryError as e:
                    self.notify(str(e), severity="error")

        self.push_screen(Prompt("Jump to date (YYYY, YYYY-MM or YYYY-MM-DD)"), done)

    def action_toggle(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").toggle_class("hidden")

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: commands that fit what is on screen now."""
        yield from super().get_system_commands(screen)
        n = len(self.view.marked)
        yield SystemCommand("Export to Markdown", f"Export {'the ' + str(n) + ' marked' if n else 'the filtered'} events",
                            self.action_export)
        if not self.filter.is_empty:
            yield SystemCommand("Clear filters", "Show every event", self.action_clear_filters)
        yield SystemCommand("Jump to date", "Move the cursor to a date", self.action_jump_to_date)
        yield SystemCommand("Toggle filter panes", "Show or hide the actor, place and type panes",
                            lambda: self.action_toggle("sidebar"))
        yield SystemCommand("Toggle detail pane", "Show or hide the event detail", lambda: self.action_toggle("detail"))
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and dark themes", self.action_toggle_theme)
        if self.view.current_id:
            yield SystemCommand("Star or unstar this event", "Stars survive reloads", self.action_star)
            yield SystemCommand("Tag this event", "Add tags, separated by commas", self.action_tag)
            yield SystemCommand("Note on this event", "Write or replace the event's note", self.action_note)
            yield SystemCommand("Open the source article", "The full text, at the quote", self.action_open_source)
