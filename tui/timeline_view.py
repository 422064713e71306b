"""The timeline: a virtual list that draws only the lines on screen.

The filtered view is an array of event row ids (lnav's technique); its lines interleave year
and month headings with events (`Lines`). Events are drawn from a small cache of pages
(`Pages`): a page not in it is asked for with a `NeedRows` message and drawn as a placeholder
until `add_rows` brings it. A million events cost one id array, not a million widgets, and
drawing never waits on the database.
"""

from __future__ import annotations

import bisect
import time
from array import array
from collections import OrderedDict
from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.labels import SHORT_SUB_TYPE_WIDTH, SHORT_TYPE_WIDTH, short_type
from db.queries import EventRow, TimelineIndex
from tui.session import Hits
from tui.text import clip, visible

PAGE = 200  # events per page fetched
PAGES_KEPT = 8
ANNOUNCE_AFTER = 0.05  # seconds the cursor rests before the event under it is announced
TYPE_COLOURS = {
    "Battles": "red",
    "Explosions/Remote violence": "dark_orange",
    "Violence against civilians": "magenta",
    "Protests": "green",
    "Riots": "yellow",
    "Strategic developments": "cyan",
}


class Lines:
    """Where each event and heading of a timeline stands, from its (month, count) groups. A group
    labelled with a year alone ("1967") holds the events dated only to that year: it has the
    year's heading and no month's."""

    def __init__(self, months: list[tuple[str | None, int]]) -> None:
        self.months = months
        # Per month group: its first line, its first event, the headings above it.
        self.first_line: list[int] = []
        self.first_event: list[int] = []
        self.headings: list[list[str]] = []
        line = event = 0
        last_year = None
        for label, count in months:
            year = label[:4] if label else "Undated"
            headings = ([year] if year != last_year else []) + ([label] if label and len(label) > 4 else [])
            last_year = year
            self.first_line.append(line)
            self.first_event.append(event)
            self.headings.append(headings)
            line += len(headings) + count
            event += count
        self.height = line

    def group(self, index: int) -> int:
        return bisect.bisect_right(self.first_event, index) - 1

    def month_of(self, index: int) -> str:
        """The month (YYYY-MM) the event at `index` begins in (January for one dated to a year),
        or "" when undated."""
        label = (self.months[self.group(index)][0] or "") if self.months else ""
        return f"{label}-01" if len(label) == 4 else label

    def first_of_month(self, month: str) -> int:
        """The first event of that month, or of the next month that has events."""
        labels = [label for label, _ in self.months if label]
        g = min(bisect.bisect_left(labels, month), len(self.months) - 1)
        return self.first_event[g]

    def line_of(self, index: int) -> int:
        g = self.group(index)
        return self.first_line[g] + len(self.headings[g]) + index - self.first_event[g]

    def at(self, line: int) -> tuple[str | None, int | None]:
        """What line `line` shows: a heading's label, or the index of an event."""
        g = bisect.bisect_right(self.first_line, line) - 1
        offset = line - self.first_line[g]
        headings = self.headings[g]
        if offset < len(headings):
            return headings[offset], None
        return None, self.first_event[g] + offset - len(headings)

    def period_start(self, index: int, direction: int, prefix: int) -> int | None:
        """The first event of the next (direction 1) or this-or-previous (-1) month (prefix 7:
        YYYY-MM) or year (prefix 4): pressed again at a period's start, the one before."""
        labels = [(label or "")[:prefix] for label, _ in self.months]
        g = self.group(index)
        here = labels[g]
        if direction > 0:
            later = next((i for i in range(g + 1, len(labels)) if labels[i] != here), None)
            return self.first_event[later] if later is not None else None
        while g > 0 and labels[g - 1] == here:
            g -= 1
        if self.first_event[g] == index and g > 0:
            previous = labels[g - 1]
            g -= 1
            while g > 0 and labels[g - 1] == previous:
                g -= 1
        return self.first_event[g]


class Pages:
    """The rows of a few pages of the timeline, the most recently drawn kept."""

    def __init__(self) -> None:
        self.rows: OrderedDict[int, dict[int, EventRow]] = OrderedDict()
        self.asked: set[int] = set()  # pages asked for and not yet come

    def get(self, page: int, rowid: int) -> EventRow | None:
        if page not in self.rows:
            return None
        self.rows.move_to_end(page)
        return self.rows[page].get(rowid)

    def put(self, page: int, rows: list[EventRow]) -> None:
        self.asked.discard(page)
        self.rows[page] = {r.rowid: r for r in rows}
        if len(self.rows) > PAGES_KEPT:
            self.rows.popitem(last=False)

    def carry(self, other: Pages, ids: array, page: int) -> None:
        """Take the rows `other` holds of page `page` of the timeline `ids`: those drawn at once,
        the others asked for as ever."""
        known = {rowid: row for rows in other.rows.values() for rowid, row in rows.items()}
        rows = [known[rowid] for rowid in ids[page * PAGE : (page + 1) * PAGE] if rowid in known]
        if rows:
            self.put(page, rows)


DATE_WIDTH = 10  # "2017-06-07"; a span shows its start month, "~2017-09"
SUB_TYPES_FROM = 60  # columns beside the date from which sub-types are shown, not types
PLACES_SHOWN = 3
DISPUTED_MARK = " ≠"  # after the summary of an event whose sources disagree
REJECTED_MARK = "✗"  # in place of the space after the star: an event the analyst rejected (shown with H)
# Below this confidence an event is doubtful, drawn dim. From `make eval`'s calibration on the dev
# gold, out of sample: of the events at 0.5 or more 0.92 are right on date and place, of the 2
# under it none (0.91 of all 159); the levels above 0.5 differ little (0.92 at each).
DOUBTFUL_BELOW = 0.5


def doubtful(r: EventRow) -> bool:
    """Likely wrong: the machine's confidence is low, and the analyst has not confirmed it. ACLED's
    rows (no confidence, or 1) and the analyst's own events (1) never are."""
    confidence: float | None = r.confidence  # NULL in the store for a row imported without one
    confirmed = r.review is not None and r.review.status == "confirmed"
    return confidence is not None and confidence < DOUBTFUL_BELOW and not confirmed


class RowLayout:
    """The columns of an event's line at a width: mark and star, date, short type (its sub-type
    where the width allows), then the summary in all that is left, cut at a word with an
    ellipsis, and ≠ if its sources disagree; its places and source count follow only where the
    whole summary leaves room."""

    def __init__(self, width: int) -> None:
        self.width = width
        rest = width - 3 - (DATE_WIDTH + 1)
        self.sub_types = rest >= SUB_TYPES_FROM
        self.type_width = SHORT_SUB_TYPE_WIDTH if self.sub_types else SHORT_TYPE_WIDTH
        self.summary_width = max(1, rest - self.type_width - 1)

    def line(self, r: EventRow, marked: bool) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        rejected = r.review is not None and r.review.rejected  # shown only when asked for (H)
        line.append(f"{'●' if marked else ' '}{'★' if r.starred else ' '}", style="bold yellow")
        if rejected:
            line.append(REJECTED_MARK, style="bold red")
        else:
            line.append(" ", style="bold yellow")
        shown = r.date or "undated"
        if len(shown) > DATE_WIDTH:  # a span: its start month, marked approximate
            shown = f"~{(r.date_start or '')[:7]}"
        line.append(f"{shown:<{DATE_WIDTH}} ", style="bold" if r.precision == "day" else "dim")
        kind = clip(visible(short_type(r.type, r.sub_type, self.type_width)), self.type_width)
        line.append(f"{kind:<{self.type_width}} ", style=TYPE_COLOURS.get(r.type, "white"))
        disputed = DISPUTED_MARK if r.disputed else ""  # always shown: the summary gives way
        summary = clip(visible(r.summary), max(1, self.summary_width - len(disputed)))
        line.append(summary, style="strike dim" if rejected else "")
        line.append(disputed, style="bold red")
        room = self.summary_width - cell_len(summary) - len(disputed)
        unsaid = [visible(p) for p in r.places[:PLACES_SHOWN] if p not in r.summary]  # the summary names most
        for extra, style in (
            (f"  @ {', '.join(unsaid)}" if unsaid else "", "cyan"),
            (f"  [{r.sources} reports, {r.independent_sources} independent]" if r.sources > 1 else "", "bold green"),
        ):
            if extra and cell_len(extra) <= room:
                line.append(extra, style=style)
                room -= cell_len(extra)
        if doubtful(r):  # dim from the date on: the marks and stars keep their colour
            line.stylize("dim", 3)
        return line


class TimelineView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="timeline.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="timeline.up"),
        Binding("pagedown", "cursor(0, 1)", "Page down", show=False, id="timeline.page_down"),
        Binding("pageup", "cursor(0, -1)", "Page up", show=False, id="timeline.page_up"),
        Binding("home", "jump(0)", "Top", show=False, id="timeline.top"),
        Binding("G,end", "jump(-1)", "Bottom", show=False, id="timeline.bottom"),
        Binding("right_square_bracket", "period(1, 7)", "Next month", show=False, id="timeline.next_month"),
        Binding("left_square_bracket", "period(-1, 7)", "Prev month", show=False, id="timeline.prev_month"),
        Binding("right_curly_bracket", "period(1, 4)", "Next year", show=False, id="timeline.next_year"),
        Binding("left_curly_bracket", "period(-1, 4)", "Prev year", show=False, id="timeline.prev_year"),
    ]

    cursor = reactive(0)  # index into self.ids

    class Highlighted(Message):
        """The cursor is on the event with this row id (None: the timeline is empty)."""

        def __init__(self, rowid: int | None) -> None:
            super().__init__()
            self.rowid = rowid

    class NeedRows(Message):
        """Draw these rows: page `page` of the timeline `token`."""

        def __init__(self, token: int, page: int, rowids: array) -> None:
            super().__init__()
            self.token, self.page, self.rowids = token, page, rowids

    class Drawn(Message):
        """The rows of the timeline set last are on screen: drawn from its rows, not placeholders."""

    def __init__(self, marked: set[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ids = array("q")  # event row ids in date order
        self.lines = Lines([])
        self.pages = Pages()
        self.token = 0  # which timeline `ids` is: pages of an older one are dropped
        self.marked = marked if marked is not None else set()  # stable event ids
        self.matches = Hits()  # row numbers of search hits
        self.announced: int | None = None  # the row id last announced with Highlighted
        self.moved_at = 0.0  # when the cursor last moved
        self._before_partial: tuple[int | None, int] | None = None  # (event kept, cursor) of first rows
        self.columns = RowLayout(0)  # the columns at the width last drawn
        self.drawn_token = 0  # the last timeline whose rows were drawn (`Drawn` posted)

    # ---- data ---------------------------------------------------------------------------

    def set_index(
        self, index: TimelineIndex, keep: int | None = None, partial: bool = False, rows: Sequence[EventRow] = ()
    ) -> None:
        """A new filtered timeline. The cursor stays on its event (row id `keep`, else the one it
        is on), or goes to the month it was in, or the nearest one after it. A `partial` timeline
        (its first rows, while the whole is read) remembers the event, for the whole one to
        return to unless the user moved meanwhile. `rows`: the timeline's first rows, when they
        came with it (drawn at once, their page not asked for)."""
        if keep is None:
            keep = self.current_rowid
            if self._before_partial is not None and self.cursor == self._before_partial[1]:
                keep = self._before_partial[0]
        old_month = self.lines.month_of(self.cursor) if self.ids else None
        # the whole timeline after its first rows: the rows they brought stay drawn, not "…" again
        first_rows = self.pages if self._before_partial is not None and not partial else None
        self.ids, self.lines, self.pages = index.rowids, Lines(index.months), Pages()
        self.token += 1
        if rows:
            self.pages.put(0, list(rows))
        self.virtual_size = Size(self.size.width, self.lines.height)
        target = 0
        if keep is not None and keep in self.ids:
            target = self.ids.index(keep)
        elif old_month and self.ids:
            target = self.lines.first_of_month(old_month)
        self.cursor = min(target, max(0, len(self.ids) - 1))
        if first_rows is not None:
            self.pages.carry(first_rows, self.ids, self.cursor // PAGE)
        self._before_partial = (keep, self.cursor) if partial else None
        self._announce(now=True)
        self.refresh()

    @property
    def current_rowid(self) -> int | None:
        return self.ids[self.cursor] if self.ids else None

    @property
    def current_id(self) -> str | None:
        row = self.row(self.cursor) if self.ids else None
        return row.id if row else None

    def row(self, index: int) -> EventRow | None:
        """The row at `index`, or None while its page is being fetched."""
        row = self.pages.get(index // PAGE, self.ids[index])
        if row is None:
            self._ask(index // PAGE)
        return row

    def add_rows(self, token: int, page: int, rows: list[EventRow]) -> None:
        if token == self.token:
            self.pages.put(page, rows)
            self.refresh()

    def refetch(self) -> None:
        """Ask again for the pages kept (a star changed one); they stay drawn until the new ones come."""
        for page in list(self.pages.rows):
            self._ask(page)

    def _ask(self, page: int) -> None:
        if page not in self.pages.asked:
            self.pages.asked.add(page)
            message = (self.token, page, self.ids[page * PAGE : (page + 1) * PAGE])
            # made in the view's own context, not the renderer's: a message bubbles up to the app
            # only past the widget that sent it
            self.call_later(lambda: self.post_message(self.NeedRows(*message)))

    # ---- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_size.width  # less the scrollbar: a line is never cut under it
        line = self.scroll_offset.y + y
        if not self.ids or line >= self.lines.height:
            return Strip.blank(width)
        label, index = self.lines.at(line)
        if index is not None:
            return self._event_strip(index, width)
        label = label or ""
        is_year = len(label) == 4 or label == "Undated"
        text = Text(f" {label} " if is_year else f"   {label}", style=Style(bold=True, reverse=is_year))
        return Strip(text.render(self.app.console)).adjust_cell_length(width)

    def _event_strip(self, i: int, width: int) -> Strip:
        r = self.row(i)
        if r is None:
            return Strip(Text("   …", style="dim").render(self.app.console)).adjust_cell_length(width)
        if self.drawn_token != self.token:
            self.drawn_token = self.token
            self.call_later(lambda: self.post_message(self.Drawn()))  # as `_ask`: from the view's context
        if self.columns.width != width:
            self.columns = RowLayout(width)
        line = self.columns.line(r, r.id in self.marked)
        if r.rowid in self.matches:
            line.stylize("underline")
        strip = Strip(line.render(self.app.console)).adjust_cell_length(width)
        if i == self.cursor:
            strip = strip.apply_style(Style(reverse=True) if self.has_focus else Style(bgcolor="grey30"))
        return strip

    # ---- movement -----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.moved_at = time.monotonic()
        if self.ids:  # keep the cursor's line on screen, with one line of context
            line, top, height = self.lines.line_of(self.cursor), self.scroll_offset.y, self.size.height
            if line < top + 1:
                self.scroll_to(y=max(0, line - 1), animate=False)
            elif line >= top + height - 1:
                self.scroll_to(y=line - height + 2, animate=False)
        self.refresh()

    def on_mount(self) -> None:
        self.set_interval(ANNOUNCE_AFTER, self._announce)

    def _announce(self, now: bool = False) -> None:
        """Post Highlighted for the event under the cursor once the cursor rests (or `now`): keys
        held down move it without a relayout of the detail pane, a repaint of the whole screen,
        after every step."""
        rowid = self.current_rowid
        if now or (rowid != self.announced and time.monotonic() - self.moved_at >= ANNOUNCE_AFTER):
            self.announced = rowid
            self.post_message(self.Highlighted(rowid))

    def move_to(self, index: int | None) -> None:
        if self.ids and index is not None:
            self.cursor = max(0, min(len(self.ids) - 1, index))

    def action_cursor(self, delta: int, pages: int = 0) -> None:
        """Move `delta` events, and `pages` screens."""
        self.move_to(self.cursor + delta + pages * max(1, self.size.height - 2))

    def action_jump(self, index: int) -> None:
        """To the first event (0) or the last (-1)."""
        self.move_to(index if index >= 0 else len(self.ids) + index)

    def action_period(self, direction: int, prefix: int) -> None:
        """Next or previous month (prefix 7: YYYY-MM) or year (prefix 4)."""
        if self.ids:
            self.move_to(self.lines.period_start(self.cursor, direction, prefix))

    def jump_to_date(self, iso: str) -> None:
        if self.ids:
            self.move_to(self.lines.first_of_month(iso[:7]))

    def on_click(self, event) -> None:
        line = self.scroll_offset.y + event.y
        if self.ids and line < self.lines.height:
            self.move_to(self.lines.at(line)[1])

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.virtual_size.height)
