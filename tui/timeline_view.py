"""The timeline: a virtual list that draws only the lines on screen.

The filtered view is an array of event ids (lnav's technique); rows interleave year and month
headings with events. Lines are drawn from a small page cache filled on demand, so a million
events cost one id array, not a million widgets.
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from typing import Callable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.queries import EventRow, TimelineIndex
from tui.text import visible

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

    def __init__(self, fetch: Callable[[list[int]], list[EventRow]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.fetch = fetch
        self.ids = array("q")  # event row ids in date order
        self.months: list[tuple[str | None, int]] = []
        # Per month group: its first row on screen, its first event, the headings above it.
        self._first_row: list[int] = []
        self._first_event: list[int] = []
        self._headings: list[list[str]] = []
        self.marked: set[str] = set()  # stable event ids
        self.matches: set[int] = set()  # row ids of search hits
        self._cache: OrderedDict[int, dict[int, EventRow]] = OrderedDict()

    # ---- data ---------------------------------------------------------------------------

    def set_index(self, index: TimelineIndex, keep: int | None = None) -> None:
        """A new filtered view. The cursor stays on its event (row id `keep`), or goes to the
        month it was in, or the nearest one after it."""
        old_month = self.month_of(self.cursor) if self.ids else None
        self.ids, self.months = index.rowids, index.months
        self._cache.clear()
        self._first_row, self._first_event, self._headings = [], [], []
        row = event = 0
        last_year = None
        for label, count in self.months:
            year = label[:4] if label else "Undated"
            headings = ([year] if year != last_year else []) + ([label] if label else [])
            last_year = year
            self._first_row.append(row)
            self._first_event.append(event)
            self._headings.append(headings)
            row += len(headings) + count
            event += count
        self.virtual_size = Size(self.size.width, row)
        target = 0
        if keep is not None:
            try:
                target = self.ids.index(keep)
            except ValueError:
                keep = None
        if keep is None and old_month and self.ids:
            target = self._first_of_month(old_month)
        self.cursor = min(target, max(0, len(self.ids) - 1))
        self._announce()
        self.refresh()

    def _group(self, index: int) -> int:
        return bisect.bisect_right(self._first_event, index) - 1

    def month_of(self, index: int) -> str:
        """The month (YYYY-MM) of the event at `index`, or "" when undated."""
        return (self.months[self._group(index)][0] or "") if self.ids else ""

    def _first_of_month(self, month: str) -> int:
        labels = [label for label, _ in self.months if label]
        g = min(bisect.bisect_left(labels, month), len(self.months) - 1)
        return self._first_event[g]

    def _row_of(self, index: int) -> int:
        g = self._group(index)
        return self._first_row[g] + len(self._headings[g]) + index - self._first_event[g]

    @property
    def current_rowid(self) -> int | None:
        return self.ids[self.cursor] if self.ids else None

    @property
    def current_id(self) -> str | None:
        row = self.row(self.cursor) if self.ids else None
        return row.id if row else None

    def row(self, index: int) -> EventRow | None:
        page = index // PAGE
        if page not in self._cache:
            self._cache[page] = {r.rowid: r for r in self.fetch(self.ids[page * PAGE:(page + 1) * PAGE])}
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
        row = self.scroll_offset.y + y
        if not self.ids or row >= self.virtual_size.height:
            return Strip.blank(width)
        g = bisect.bisect_right(self._first_row, row) - 1
        offset = row - self._first_row[g]
        headings = self._headings[g]
        if offset >= len(headings):
            return self._event_strip(self._first_event[g] + offset - len(headings), width)
        label = headings[offset]
        is_year = len(label) == 4 or label == "Undated"
        text = Text(f" {label} " if is_year else f"   {label}", style=Style(bold=True, reverse=is_year))
        return Strip(text.render(self.app.console)).adjust_cell_length(width)

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
        if r.rowid in self.matches:
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
        row = self._row_of(self.cursor)
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
        labels = [(label or "")[:prefix] for label, _ in self.months]
        g = self._group(self.cursor)
        here = labels[g]
        if direction > 0:
            g = next((i for i in range(g + 1, len(labels)) if labels[i] != here), None)
            if g is not None:
                self.move_to(self._first_event[g])
            return
        while g > 0 and labels[g - 1] == here:  # the start of this period…
            g -= 1
        if self._first_event[g] == self.cursor and g > 0:  # …or, from there, of the one before
            previous = labels[g - 1]
            g -= 1
            while g > 0 and labels[g - 1] == previous:
                g -= 1
        self.move_to(self._first_event[g])

    def jump_to_date(self, iso: str) -> None:
        if self.ids:
            self.move_to(self._first_of_month(iso[:7]))

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y
        if not self.ids or row >= self.virtual_size.height:
            return
        g = bisect.bisect_right(self._first_row, row) - 1
        offset = row - self._first_row[g] - len(self._headings[g])
        if offset >= 0:
            self.move_to(self._first_event[g] + offset)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.virtual_size.height)
