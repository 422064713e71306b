"""The timeline: a virtual list that draws only the lines on screen.

The filtered view is an array of event ids (lnav's technique); rows interleave year and month
headings with events. Lines are drawn from a small page cache filled on demand, so a million
events cost one id array, not a million widgets.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from typing import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.queries import EventRow
from ingest.text import visible

PAGE = 200
TYPE_COLOURS = {
    "Battles": "red", "Explosions/Remote violence": "dark_orange", "Violence against civilians": "magenta",
    "Protests": "green", "Riots": "yellow", "Strategic developments": "cyan",
}


class TimelineView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="timeline.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="timeline.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="timeline.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="timeline.page_up"),
        Binding("g,home", "jump_start", "Top", show=False, id="timeline.top"),
        Binding("G,end", "jump_end", "Bottom", show=False, id="timeline.bottom"),
        Binding("right_square_bracket", "period(1, 7)", "Next month", show=False, id="timeline.next_month"),
        Binding("left_square_bracket", "period(-1, 7)", "Prev month", show=False, id="timeline.prev_month"),
        Binding("right_curly_bracket", "period(1, 4)", "Next year", show=False, id="timeline.next_year"),
        Binding("left_curly_bracket", "period(-1, 4)", "Prev year", show=False, id="timeline.prev_year"),
    ]

    cursor = reactive(0)  # index into self.ids

    class Highlighted(Message):
        def __init__(self, event_id: str | None) -> None:
            super().__init__()
            self.event_id = event_id

    def __init__(self, fetch: Callable[[list[str]], list[EventRow]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.fetch = fetch
        self.ids: list[str] = []
        self.dates: list[str] = []  # date_start per id, "" when undated
        self.rows: list[int] = []  # >= 0: index into ids; < 0: -1 - index into headings
        self.headings: list[str] = []
        self.row_of: list[int] = []  # ids index -> row
        self.marked: set[str] = set()
        self.matches: set[str] = set()
        self._cache: OrderedDict[int, dict[str, EventRow]] = OrderedDict()

    # ---- data ---------------------------------------------------------------------------

    def set_events(self, ids: list[str], dates: list[str | None], keep: str | None = None) -> None:
        """A new filtered view. The cursor stays on its event, or goes to the nearest date."""
        old_date = self.dates[self.cursor] if self.ids and self.cursor < len(self.dates) else None
        self.ids, self.dates = ids, [d or "" for d in dates]
        self._cache.clear()
        self.rows, self.headings, self.row_of = [], [], []
        last_year = last_month = None
        for i, d in enumerate(self.dates):
            year, month = (d[:4], d[:7]) if d else ("Undated", None)
            if year != last_year:
                self.headings.append(year)
                self.rows.append(-len(self.headings))
                last_year, last_month = year, None
            if month and month != last_month:
                self.headings.append(month)
                self.rows.append(-len(self.headings))
                last_month = month
            self.row_of.append(len(self.rows))
            self.rows.append(i)
        self.virtual_size = Size(self.size.width, len(self.rows))
        target = 0
        if keep is not None and keep in ids:
            target = ids.index(keep)
        elif old_date and ids:
            dated = [d for d in self.dates if d]
            target = min(bisect.bisect_left(dated, old_date), len(ids) - 1)
        self.cursor = target
        self._announce()
        self.refresh()

    @property
    def current_id(self) -> str | None:
        return self.ids[self.cursor] if self.ids else None

    def row(self, index: int) -> EventRow | None:
        page = index // PAGE
        if page not in self._cache:
            chunk = self.ids[page * PAGE:(page + 1) * PAGE]
            self._cache[page] = {r.id: r for r in self.fetch(chunk)}
            if len(self._cache) > 8:
                self._cache.popitem(last=False)
        self._cache.move_to_end(page)
        return self._cache[page].get(self.ids[index])

    def invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # ---- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        if index >= len(self.rows):
            return Strip.blank(width)
        item = self.rows[index]
        if item < 0:
            label = self.headings[-1 - item]
            style = Style(bold=True, reverse=len(label) == 4 or label == "Undated")
            text = Text(f" {label} " if len(label) == 4 or label == "Undated" else f"   {label}", style=style)
            return Strip(text.render(self.app.console)).adjust_cell_length(width)
        return self._event_strip(item, width)

    def _event_strip(self, i: int, width: int) -> Strip:
        r = self.row(i)
        if r is None:
            return Strip.blank(width)
        mark = "●" if r.id in self.marked else " "
        star = "★" if r.starred else " "
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {mark}{star} ", style="bold yellow")
        shown = r.date or "undated"
        if len(shown) > 10:  # a span: its start month, marked approximate
            shown = f"~{r.date_start[:7]}"
        line.append(f"{shown:<11}", style="bold" if r.precision == "day" else "dim")
        colour = TYPE_COLOURS.get(r.type, "white")
        line.append(f"{r.sub_type[:24]:<25}", style=colour)
        line.append(visible(r.summary))
        if r.places:
            line.append(visible(f"  @ {', '.join(r.places[:3])}"), style="cyan")
        if r.sources > 1:
            line.append(f"  [{r.sources} sources]", style="bold green")
        if r.id in self.matches:
            line.stylize("underline")
        segments = list(line.render(self.app.console))
        strip = Strip(segments).adjust_cell_length(width)
        if i == self.cursor:
            strip = strip.apply_style(Style(reverse=True) if self.has_focus else Style(bgcolor="grey30"))
        return strip

    # ---- movement -----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._announce()
        self._scroll_to_cursor()
        self.refresh()

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self.current_id))

    def _scroll_to_cursor(self) -> None:
        if not self.ids:
            return
        row = self.row_of[self.cursor]
        top, height = self.scroll_offset.y, self.size.height
        if row < top + 1:
            self.scroll_to(y=max(0, row - 1), animate=False)
        elif row >= top + height - 1:
            self.scroll_to(y=row - height + 2, animate=False)

    def move_to(self, index: int) -> None:
        if self.ids:
            self.cursor = max(0, min(len(self.ids) - 1, index))

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 2))

    def action_jump_start(self) -> None:
        self.move_to(0)

    def action_jump_end(self) -> None:
        self.move_to(len(self.ids) - 1)

    def action_period(self, direction: int, prefix: int) -> None:
        """Next or previous month (prefix 7: YYYY-MM) or year (prefix 4)."""
        if not self.ids:
            return
        here = self.dates[self.cursor][:prefix]
        if direction > 0:
            i = self.cursor
            while i < len(self.ids) and self.dates[i][:prefix] == here:
                i += 1
            self.move_to(i)
        else:
            i = self.cursor
            while i > 0 and self.dates[i - 1][:prefix] == here:
                i -= 1
            if i > 0:
                previous = self.dates[i - 1][:prefix]
                while i > 0 and self.dates[i - 1][:prefix] == previous:
                    i -= 1
            self.move_to(i)

    def jump_to_date(self, iso: str) -> None:
        dated = [d for d in self.dates if d]
        self.move_to(bisect.bisect_left(dated, iso))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows) and self.rows[index] >= 0:
            self.move_to(self.rows[index])

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
