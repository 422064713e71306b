"""The explorer screen: filter panes, histogram, timeline and detail, and the keys that act on
them. Every key answers at once: what needs the database is asked of the session, and its
answer comes back to the app as a message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from db.queries import AROUND_DAYS, EventDetail, Filter, QueryError, parse_date_bound, parse_date_range
from tui.panes import BusyLine, DetailPane, FacetPane, FacetTree, Histogram
from tui.session import FACETS, DocumentRemoved, Found, Hits, RemovalAsked, Reviewed, Session
from tui.timeline_view import TimelineView

# The screens a key opens (tui/screens.py, tui/review.py), and the widgets only they use, are
# imported by the key that opens them, not at start: the first screen comes without them.
if TYPE_CHECKING:
    from tui.screens import DetailScreen


class TimePane(Vertical):
    """The bar of time above the timeline, kept in step with it: the bar marks the period of the
    cursor's event, and a period chosen on the bar moves the cursor there. Its keys also filter
    on trust: the events whose sources disagree, and those with several independent sources.
    Bound here, not on the explorer's body, they act and show only while the timeline or the bar
    has the focus: in a pane, "i" narrows the pane."""

    # Priority: the pane takes the focus as the key arrives, so letters typed at once after it
    # ("a" then "isl") narrow the pane instead of reaching the timeline ("s" would star). Bound
    # here, these keys act only while the timeline or the bar has the focus, never in a field.
    BINDINGS = [
        Binding(
            "enter",
            "detail",
            "Detail",
            tooltip="The detail on its own screen (narrow)",
            id="app.detail",
        ),
        Binding("a", "screen.focus_pane('actors')", "Actors", id="app.actors", priority=True),
        Binding("p", "screen.focus_pane('places')", "Places", id="app.places", priority=True),
        Binding("t", "screen.focus_pane('types')", "Types", id="app.types", priority=True),
        Binding(
            "exclamation_mark",
            "disputed",
            "Disputed",
            tooltip="Disputed only: sources disagree (again: all)",
            id="app.disputed",
        ),
        Binding(
            "i",
            "independent",
            "Sources",
            tooltip="2+, then 3+ independent sources, then any",
            id="app.independent",
        ),
    ]
    MOST_SOURCES = 3  # `i` cycles the least number of independent sources: any, 2, 3

    def __init__(self, view: TimelineView, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.view = view
        self.session = session

    def action_disputed(self) -> None:
        """Only the events whose sources differ on the date, place, perpetrator or toll, or all again."""
        disputed = not self.session.filter.disputed
        self.session.set_filter(replace(self.session.filter, disputed=disputed), at=self.view.current_id)
        self.notify("Only events whose sources disagree" if disputed else "Disputed or not", timeout=2)

    def action_independent(self) -> None:
        """At least 2, then 3 independent sources, then any number."""
        least = self.session.filter.min_sources % self.MOST_SOURCES + 1
        self.session.set_filter(replace(self.session.filter, min_sources=least), at=self.view.current_id)
        self.notify(f"At least {least} independent sources" if least > 1 else "Any number of sources", timeout=2)

    def compose(self) -> ComposeResult:
        yield Histogram(id="histogram")
        yield self.view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter shows the detail on its own screen only where the detail pane is not beside the timeline."""
        return self.screen.has_class("narrow") if action == "detail" else True

    def action_detail(self) -> None:
        explorer = self.screen
        assert isinstance(explorer, Explorer)
        explorer.action_detail()

    def on_timeline_view_highlighted(self, message: TimelineView.Highlighted) -> None:
        # not stopped: the app shows the event's detail too
        self.query_one(Histogram).mark(self.view.lines.month_of(self.view.cursor) if self.view.ids else "")

    def on_histogram_chosen(self, message: Histogram.Chosen) -> None:
        message.stop()
        self.view.jump_to_date(message.month)
        if message.done:
            self.view.focus()


class Navigator(Horizontal):
    """The explorer's body (panes, timeline, detail), and the keys that move between filters: the
    context of the event at the cursor, back to the filter before, saved views. Bound here, they
    act wherever the focus is but in a text field. A number typed first is a count: `30x` shows
    thirty days either side."""

    # Out of the footer, so that "? Help" still fits in 80 columns; `?` and the palette list them.
    BINDINGS = [
        Binding("x", "context", "Context: ±7 days, same places or actors", show=False, id="app.context"),
        Binding("X", "context(True)", "Context, asking the days", show=False, id="app.context_days"),
        Binding("backspace", "back", "Back to the filter and event before", show=False, id="app.back"),
        Binding("v", "views", "Saved views: pick, delete, save this filter", show=False, id="app.views"),
    ]
    MAX_COUNT = 100_000

    def __init__(self, session: Session, view: TimelineView, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session, self.view = session, view
        self.typed = 0  # the digits typed so far
        self.count = 0  # those typed before the key being answered

    def on_key(self, event: events.Key) -> None:
        # Before the bindings: a key's count is taken here, and the digits go no further.
        if event.character and event.character.isdecimal():
            self.typed = min(self.typed * 10 + int(event.character), self.MAX_COUNT)
            event.stop()
            event.prevent_default()
        else:
            self.count, self.typed = self.typed, 0

    def action_context(self, ask: bool = False) -> None:
        """The events that begin within some days of the one at the cursor (a count, else 7), at
        its places or with its actors; backspace comes back."""
        from tui.screens import Prompt

        row = self.view.row(self.view.cursor) if self.view.ids else None
        if row is None:
            return
        if not row.date_start:
            self.notify("This event is undated: nothing is around it", severity="warning")
            return
        days = self.count or AROUND_DAYS

        def check(value: str) -> str | None:
            return None if value.strip().isdecimal() else "a number of days, e.g. 7"

        def done(value: str | None) -> None:
            if value is not None:
                self._around(row.id, row.date or "", min(int(value), self.MAX_COUNT))

        if ask:
            self.app.push_screen(Prompt("Days either side of the event", str(days), check), done)
        else:
            self._around(row.id, row.date or "", days)

    def _around(self, event_id: str, when: str, days: int) -> None:
        self.session.set_filter(Filter(around=(event_id, days)), at=event_id)
        self._show_filter()
        self.notify(f"Within {days} days of {when}, at its places or with its actors (backspace: back)", timeout=4)

    def action_back(self) -> None:
        if self.session.back():
            self._show_filter()
        else:
            self.notify("No earlier filter to go back to", timeout=2)

    def action_views(self) -> None:
        from tui.screens import ViewsScreen

        def chosen(f: Filter | None) -> None:
            if f is not None:
                self.session.set_filter(f, at=self.view.current_id)
                self._show_filter()

        self.app.push_screen(ViewsScreen(self.session.views, self.session.filter), chosen)

    def _show_filter(self) -> None:
        explorer = self.screen
        assert isinstance(explorer, Explorer)
        explorer.show_filter()


class Explorer(Screen):
    """The screen, and the one owner of its widgets: what they post (a value chosen, a pane
    narrowed) is answered here. Below NARROW columns the panes and the detail take turns with the
    timeline: `a`, `p`, `t` show one pane in the timeline's place until a value is chosen or Esc,
    and Enter shows the event's detail on a screen of its own."""

    NARROW = 120  # columns: below, the panes and the detail do not fit beside the timeline
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="app.next_match"),
        Binding("N", "next_match(-1)", "Prev match", show=False, id="app.prev_match"),
        Binding("d", "date_range", "Dates", id="app.dates"),
        Binding("b", "bar", "Time bar", id="app.bar"),
        Binding("c", "clear_filters", "Clear", id="app.clear"),
        Binding("space", "mark", "Mark", id="app.mark"),
        Binding("s", "star", "Star", id="app.star"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("o", "open_source", "Open", id="app.open"),
        Binding("escape", "escape", "Cancel / timeline", show=False, id="app.timeline"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
        # The review (db/corrections.py): out of the footer, `?` and the palette list them
        Binding("C", "confirm", "Confirm: the event is right as it is", show=False, id="app.confirm"),
        Binding("R", "reject", "Reject: not an event, hidden (u undoes)", show=False, id="app.reject"),
        Binding("E", "edit", "Edit: its fields, the machine's value beside", show=False, id="app.edit"),
        Binding("u", "undo", "Undo the last correction made here", show=False, id="app.undo"),
        Binding("M", "merge", "Merge the marked events into this one", show=False, id="app.merge"),
        Binding("S", "split", "Split chosen sources off as a new event", show=False, id="app.split"),
        Binding("A", "add", "Add an event the machine missed", show=False, id="app.add"),
        Binding("D", "remove", "Remove a source's article (asks first)", show=False, id="app.remove"),
        Binding("w", "walk", "Review walk: the unreviewed, doubtful first", show=False, id="app.walk"),
        Binding("H", "show_rejected", "Show the rejected, marked ✗ (again: hide)", show=False, id="app.rejected"),
        Binding("g", "go_to", "Go to an event by its id", show=False, id="app.go_to"),
        Binding("T", "annotate('tags')", "Tag (one it has: taken off)", show=False, id="app.tag_add"),
        Binding("m", "annotate('note')", "Memo: the event's note", show=False, id="app.note"),
        Binding("number_sign", "tag_filter", "Only the events with a tag (empty: all)", show=False, id="app.tag"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.view = TimelineView(marked=session.marked, id="timeline")
        self.after_reject: dict[str, str | None] = {}  # event rejected -> the event the cursor goes to
        self.detail_screen: DetailScreen | None = None  # the detail on a screen of its own (narrow), once opened

    def compose(self) -> ComposeResult:
        yield Header()
        with Navigator(self.session, self.view, id="body"):
            with Vertical(id="sidebar"):
                yield FacetPane("actors", "Actors (a)", id="actors")
                yield FacetPane("places", "Places (p)", id="places")
                yield FacetPane("types", "Types (t)", id="types")
            yield TimePane(self.view, self.session, id="centre")
            yield DetailPane(id="detail")
        yield BusyLine(self.session.workers.waiting_for, id="busy")
        yield Footer()

    def on_mount(self) -> None:
        """The store, opened by the app as Textual started (TimelineApp.on_load), answers widgets
        that now exist: what it answered meanwhile (the first rows) is taken at once, in the first
        frame, not behind it."""
        self.view.focus()
        for answer in self.session.workers.answer():  # to whoever asked: the app, unless a screen did
            getattr(answer.request.target or self.app, answer.handler_name)(answer)

    def on_resize(self, event) -> None:
        narrow = event.size.width < self.NARROW
        self.set_class(narrow, "narrow")
        self.refresh_bindings()  # enter shows the detail only when narrow
        footer = self.query_one(Footer)  # "⏎ Detail" to "? Help" in 80 columns; help names ctrl+p
        footer.compact, footer.show_command_palette = narrow, not narrow
        if narrow and (pane := self._pane_focused()) is not None:  # made narrow while in a pane: still shown
            self._show_alone(pane)

    def _pane_focused(self) -> FacetPane | None:
        focused = self.focused
        return next((w for w in focused.ancestors if isinstance(w, FacetPane)), None) if focused else None

    def _show_alone(self, pane: FacetPane) -> None:
        """Narrow: this pane alone, in the timeline's place, until the focus leaves it."""
        for other in self.query(FacetPane):
            other.set_class(other is pane, "open")
        self.query_one(Navigator).add_class("pane-open")

    # ---- what the widgets post ------------------------------------------------------------

    def on_facet_pane_changed(self, message: FacetPane.Changed) -> None:
        message.stop()
        chosen: dict[str, Any] = {message.facet: message.selected}
        self.session.set_filter(replace(self.session.filter, **chosen), at=self.view.current_id)
        if message.leave:
            self.view.focus()

    def on_facet_pane_asked(self, message: FacetPane.Asked) -> None:
        message.stop()
        pane = self.query_one(f"#{message.facet}", FacetPane)
        self.session.pane(message.facet, message.opened, message.needle, target=pane, ask=message.fetch)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A pane shown in the timeline's place (narrow) goes when the focus leaves it."""
        body = self.query_one(Navigator)
        if body.has_class("pane-open") and self.query_one("#sidebar") not in event.widget.ancestors:
            body.remove_class("pane-open")

    # The actions of printable keys: in a pane, those keys narrow it (FacetPane.on_key)
    LETTER_ACTIONS = {"quit", "help", "search", "next_match", "date_range", "bar", "clear_filters"}
    LETTER_ACTIONS |= {"mark", "star", "export", "copy", "open_source", "reload"}
    LETTER_ACTIONS |= {"confirm", "reject", "edit", "undo", "walk", "show_rejected", "go_to", "tag_filter"}
    LETTER_ACTIONS |= {"merge", "split", "add", "remove", "annotate"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a pane, letters are typed to narrow it, not commands: the footer does not offer them
        (it offers the pane's keys)."""
        return not (action in self.LETTER_ACTIONS and self._pane_focused() is not None)

    def action_quit(self) -> None:
        self.app.exit()

    def action_bar(self) -> None:
        self.query_one(Histogram).focus()

    def show_detail(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        """The detail of the event at the cursor, in the pane and on its own screen if that is open."""
        self.query_one(DetailPane).show(detail, contexts)
        if self.detail_screen is not None and self.detail_screen in self.app.screen_stack:
            self.detail_screen.show(detail, contexts)

    def show_filter(self) -> None:
        """The panes show the session's filter (after a clear, or a filter given up)."""
        for facet in FACETS:
            self.query_one(f"#{facet}", FacetPane).choose(getattr(self.session.filter, facet))

    # ---- keys ---------------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens import HelpScreen

        def keys(b: Binding) -> str:  # "g,home" -> "g home", "right_square_bracket" -> "]"
            return " ".join(self.app.get_key_display(replace(b, key=k)) for k in b.key.split(","))

        bindings = self.BINDINGS + TimePane.BINDINGS + Navigator.BINDINGS
        rows = [(keys(b), b.tooltip or b.description) for b in bindings if isinstance(b, Binding)]
        rows.append(("0-9 then x", "Context, that many days either side"))
        rows.append(("tab", "To the detail pane: up and down scroll it"))
        rows += [(keys(b), b.description) for b in TimelineView.BINDINGS if isinstance(b, Binding)]
        rows += [(keys(b), f"{b.description} (in a pane)") for b in FacetTree.BINDINGS if isinstance(b, Binding)]
        rows += [(keys(b), f"{b.description} (on the time bar)") for b in Histogram.BINDINGS if isinstance(b, Binding)]
        rows.append(("ctrl+p", "Command palette"))
        self.app.push_screen(HelpScreen(rows))

    def action_escape(self) -> None:
        """Give up a slow query, or else go back to the timeline."""
        cancelled = self.session.cancel()
        if "index" in cancelled:
            self.show_filter()
            if self.view.ids is not self.session.index.rowids:  # first rows of the filter given up
                self.view.set_index(self.session.index)
        if "search" in cancelled:
            self.view.matches = Hits()
            self.view.refresh()
        if cancelled:
            self.notify("Cancelled", timeout=2)
        else:
            self.view.focus()

    def action_focus_pane(self, facet: str) -> None:
        pane = self.query_one(f"#{facet}", FacetPane)
        if self.has_class("narrow"):
            self._show_alone(pane)
        pane.focus_list()

    def action_detail(self) -> None:
        """The event's detail on a screen of its own (Escape comes back)."""
        from tui.screens import DetailScreen

        if self.view.ids:
            self.detail_screen = DetailScreen(self.view, self.query_one(DetailPane))
            self.app.push_screen(self.detail_screen)

    def action_clear_filters(self) -> None:
        self.session.search("")
        self.view.matches = Hits()
        self.session.set_filter(Filter(), at=self.view.current_id)
        self.show_filter()
        for pane in self.query(FacetPane):
            pane.clear_narrowing()

    def action_date_range(self) -> None:
        from tui.screens import Prompt

        def check(value: str) -> str | None:
            try:
                parse_date_range(value)
            except QueryError as e:
                return str(e)
            return None

        def done(value: str | None) -> None:
            if value is not None:
                since, until = parse_date_range(value)
                if since and until and since > until:  # "2018..2016": meant the other way round
                    since, until = parse_date_range(f"{value.partition('..')[2]}..{value.partition('..')[0]}")
                    self.notify(f"Dates swapped: {since}..{until}", timeout=3)
                self.session.set_filter(replace(self.session.filter, since=since, until=until), self.view.current_id)

        f = self.session.filter
        current = f"{f.since or ''}..{f.until or ''}" if f.since or f.until else ""
        self.app.push_screen(Prompt("Date range, e.g. 2017-06..2018-10 (empty for all)", current, check), done)

    def action_search(self) -> None:
        from tui.screens import Prompt

        def done(value: str | None) -> None:
            if value is not None:
                self.session.search(value.strip())
                if not value.strip():
                    self.view.matches = Hits()
                    self.view.refresh()

        self.app.push_screen(Prompt("Search the events (full text)", self.session.search_text), done)

    def action_next_match(self, direction: int, include_current: bool = False) -> None:
        hit = self.session.next_hit(self.view.cursor, direction, include_current)
        if hit is not None:
            self.view.move_to(hit)

    def action_mark(self) -> None:
        view = self.view
        if view.current_id:
            view.marked ^= {view.current_id}
            view.move_to(view.cursor + 1)
            view.refresh()

    def action_star(self) -> None:
        row = self.view.row(self.view.cursor) if self.view.ids else None
        if row is not None:
            self.session.star(row.id, not row.starred)

    def action_annotate(self, field: str) -> None:
        """Write the event's tags or its note."""
        from tui.screens import Prompt

        event_id = self.view.current_id
        if not event_id:
            return
        detail = self.session.detail
        shown = detail if detail and detail.event.id == event_id else None
        note, tags = (shown.note, shown.tags) if shown else ("", ())

        def done(answer: str | None) -> None:
            if answer is None:
                return
            if field == "note":
                self.session.annotate(event_id, note=answer)
            elif answer.strip() in tags:  # typing a tag the event has takes it off: one key for both
                self.session.untag(event_id, answer.strip())
            else:  # a tag is taken whole: it may hold a comma
                self.session.annotate(event_id, tags=[answer])

        if field == "note":
            question = "Note on this event"
        elif tags:
            question = f"A tag, typed whole; typing {' or '.join(tags)} takes it off"
        else:
            question = "A tag for this event (one tag, typed whole)"
        self.app.push_screen(Prompt(question, (note or "") if field == "note" else ""), done)

    def action_export(self) -> None:
        """Ask a format (Markdown by default) and a file; the session writes it off the UI thread."""
        from tui.screens import ExportPrompt, Prompt

        n = len(self.session.marked)
        what = f"the {n} marked" if n else "the filtered"

        def confirmed(answer: str | None, fmt: str, path: str) -> None:
            if answer and answer.strip().lower() in ("y", "yes"):
                self.session.export(Path(path), fmt)

        def chosen(choice: tuple[str, str] | None) -> None:
            if not choice:
                return
            fmt, path = choice
            if Path(path).exists():
                self.app.push_screen(Prompt(f"{path} exists. Overwrite it? (y/n)"), lambda a: confirmed(a, fmt, path))
            else:
                self.session.export(Path(path), fmt)

        self.app.push_screen(ExportPrompt(f"Export {what} events"), chosen)

    def action_copy(self) -> None:
        if self.view.current_id:
            self.session.copy(self.view.current_id)

    def action_open_source(self) -> None:
        if self.view.current_id:
            self.session.article(self.view.current_id)

    def action_jump_to_date(self) -> None:
        from tui.screens import Prompt

        def done(value: str | None) -> None:
            if value:
                try:
                    self.view.jump_to_date(parse_date_bound(value, end=False).isoformat())
                except QueryError as e:
                    self.notify(str(e), severity="error")

        self.app.push_screen(Prompt("Jump to date (YYYY, YYYY-MM or YYYY-MM-DD)"), done)

    def action_reload(self) -> None:
        self.session.open(keep=self.view.current_id)

    # ---- review: the analyst's corrections, written by the session's workers ----------------

    def action_confirm(self) -> None:
        if self.view.current_id:
            self.session.review(self.view.current_id, "confirm", target=self)

    def action_reject(self) -> None:
        event_id = self.view.current_id
        if not event_id:
            return
        neighbours = [
            self.view.row(i) for i in (self.view.cursor + 1, self.view.cursor - 1) if 0 <= i < len(self.view.ids)
        ]
        self.after_reject[event_id] = next((r.id for r in neighbours if r is not None), None)
        self.session.review(event_id, "reject", target=self)

    def action_edit(self) -> None:
        """The form correcting the event at the cursor, from its detail (the machine's values in it)."""
        from tui.review import EditForm

        detail = self.session.detail
        if not self.view.current_id or detail is None or detail.event.id != self.view.current_id:
            return

        def saved(text: str | None) -> None:
            if text:
                self.notify(text, title="Corrected", timeout=3)
                self._corrections_shown()

        self.app.push_screen(EditForm(self.session, detail), saved)

    def action_undo(self, *event_ids: str) -> None:
        """Take back a correction: of `event_ids` (a notice's link), else the last made here, else
        the latest of the event at the cursor."""
        at = self.view.current_id
        self.session.undo(event_ids or (() if self.session.corrected or not at else (at,)), target=self)

    def action_merge(self) -> None:
        """The marked events become part of the one at the cursor: one event, the sources of all."""
        keep = self.view.current_id
        others = sorted(self.session.marked - {keep}) if keep else []
        if not others:
            self.notify("Mark the events to merge (space), then M on the one they join", timeout=4)
            return
        self.session.merge(keep or "", others, target=self)  # the marks go once the merge is saved

    def _shown_detail(self) -> EventDetail | None:
        """The detail of the event at the cursor, once it has come."""
        detail = self.session.detail
        return detail if detail is not None and detail.event.id == self.view.current_id else None

    def action_split(self) -> None:
        """Choose quotes of the event at the cursor to make an event of their own."""
        from tui.review import SourcePicker

        detail = self._shown_detail()
        if detail is None:
            return
        if len(detail.sources) < 2:
            self.notify("This event rests on one quote: nothing to split off", timeout=3)
            return

        def chosen(picked: list[int] | None) -> None:
            if picked:
                quotes = [f"{detail.sources[i].document_id}:{detail.sources[i].start}" for i in picked]
                self.session.split(detail.event.id, quotes, target=self)

        self.app.push_screen(SourcePicker(detail, split=True), chosen)

    def action_add(self) -> None:
        """The form of an event the machine missed; its source starts as the cursor's event's document."""
        from tui.review import AddForm

        def saved(answer: Reviewed | None) -> None:
            if answer is not None:
                self._reviewed(answer)

        self.app.push_screen(AddForm(self.session, self._shown_detail()), saved)

    def action_remove(self) -> None:
        """Remove the article of one of the event's sources: what goes is said, and asked, first."""
        from tui.review import SourcePicker

        detail = self._shown_detail()
        if detail is None or not detail.sources:
            return
        if self.session.remove_document is None:
            self.notify("Removing an article re-derives the events: use `timeline remove DOCUMENT_ID`", timeout=5)
            return

        def chosen(picked: list[int] | None) -> None:
            if picked:
                self.session.ask_removal(detail.sources[picked[0]].document_id, target=self)

        self.app.push_screen(SourcePicker(detail, split=False), chosen)

    def on_removal_asked(self, asked: RemovalAsked) -> None:
        from tui.screens import Confirm

        asked.stop()
        if not self.session.accept(asked):
            return
        n, stay = len(asked.alone), len(asked.others)
        kept = (
            f", {len(asked.annotated)} of them with your stars, tags, notes or corrections (kept)"
            if asked.annotated
            else ""
        )
        question = (
            f"Remove {asked.path}? Its evidence goes, and the {n} event(s) resting on it alone{kept};"
            f" {stay} event(s) keep their other sources. There is no undo: `timeline ingest` adds it again."
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.notify(f"Removing {asked.path}…", timeout=3)
                self.session.remove(asked, target=self)

        self.app.push_screen(Confirm(question), confirmed)

    def on_document_removed(self, answer: DocumentRemoved) -> None:
        answer.stop()
        self.notify(answer.text, title="Removed", timeout=12)
        at = self.view.current_id
        self.session.open(keep=answer.renamed.get(at, at) if at else None)

    def action_walk(self) -> None:
        """The review walk on a screen of its own; back here, the timeline shows what it changed."""
        from tui.review import ReviewWalk

        self.app.push_screen(ReviewWalk(self.session), lambda _: self.session.open(keep=self.view.current_id))

    def action_show_rejected(self) -> None:
        self.session.show_rejected = not self.session.show_rejected
        self.session.open(keep=self.view.current_id)
        shown = self.session.show_rejected
        self.notify("Rejected events shown, marked ✗ (H hides them)" if shown else "Rejected events hidden", timeout=3)

    def action_tag_filter(self) -> None:
        """Only the events with a tag, typed whole (commas and all); empty: every event again."""
        from tui.screens import Prompt

        def done(value: str | None) -> None:
            if value is not None:
                self.session.tag = value.strip() or None
                self.session.query(keep=self.view.current_id)
                tag = self.session.tag
                self.notify(
                    f"Only the events tagged “{tag}” (# then empty: all)" if tag else "Tagged or not", timeout=3
                )

        self.app.push_screen(Prompt("Only the events with the tag (empty: all)", self.session.tag or ""), done)

    def action_go_to(self) -> None:
        from tui.screens import Prompt

        def done(value: str | None) -> None:
            if value and value.strip():
                self.session.find(value.strip(), target=self)

        self.app.push_screen(Prompt("Go to the event with the id (or its first characters)"), done)

    def on_found(self, answer: Found) -> None:
        answer.stop()
        if not self.session.accept(answer):
            return
        if answer.rowid in self.view.ids:
            self.view.move_to(self.view.ids.index(answer.rowid))
            return
        if answer.rejected and not self.session.show_rejected:
            self.session.show_rejected = True
            self.notify(f"{answer.event_id} is rejected: rejected events shown (H hides them)", timeout=4)
        elif not self.session.filter.is_empty:
            self.notify(f"{answer.event_id} is not under the filter: filters cleared (backspace: back)", timeout=4)
        self.session.set_filter(Filter(), at=self.view.current_id, keep=answer.event_id)
        self.show_filter()

    def on_reviewed(self, answer: Reviewed) -> None:
        answer.stop()
        if self.session.accept(answer):
            self._reviewed(answer)

    def _reviewed(self, answer: Reviewed) -> None:
        """A correction saved: said (with an undo link where it hides or makes an event), and shown."""
        from tui.review import UndoNotices

        self.session.marked.difference_update(answer.unmarked)
        if answer.undoable:
            app = self.app
            assert isinstance(app, UndoNotices)  # the notice's link undoes, as u does
            app.notify_undoable(answer.text, *answer.undoable)
        else:
            self.notify(answer.text, timeout=3)
        if answer.hides:  # the timeline and its counts change: read again, the cursor on a neighbour
            keep = answer.event_id
            if answer.rejected and not self.session.show_rejected:
                keep = self.after_reject.pop(answer.event_id, None) or ""
            self.session.open(keep=keep or None)
        else:
            self._corrections_shown()

    def _corrections_shown(self) -> None:
        """The rows and the detail again, with the corrections laid over them."""
        self.view.refetch()
        self.session.show(self.view.current_rowid)
