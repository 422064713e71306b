"""The side and detail panes: facet lists with counts, the histogram, the event's sources, and
the line that says a slow query is under way."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, SelectionList, Sparkline, Static
from textual.widgets.selection_list import Selection

from db.queries import EventDetail, FacetValue
from tui.text import visible


class FacetPane(Vertical):
    """Values with counts under the current filter; type to narrow, space or enter to toggle."""

    SHOWN = 200

    class Changed(Message):
        def __init__(self, facet: str, selected: tuple[str, ...]) -> None:
            super().__init__()
            self.facet = facet
            self.selected = selected

    def __init__(self, facet: str, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.facet = facet
        self.border_title = title
        self.values: list[FacetValue] = []
        self.selected: set[str] = set()
        self._rebuilding = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to narrow", id=f"{self.facet}-narrow", select_on_focus=False)
        yield SelectionList[str](id=f"{self.facet}-list")

    def set_values(self, values: list[FacetValue]) -> None:
        self.values = values
        self._rebuild()

    def choose(self, values) -> None:
        """Show these values as the chosen ones (a filter cleared, or given up with Escape)."""
        self.selected = set(values)
        self._rebuild()

    def _rebuild(self) -> None:
        needle = self.query_one(Input).value.strip().lower()
        options = self.query_one(SelectionList)
        self._rebuilding = True
        options.clear_options()
        # The most frequent values: typing narrows to the rest. Thousands of rows help nobody
        # and cost a layout pass on every key.
        shown = [v for v in self.values if needle in v.name.lower() or v.id in self.selected][: self.SHOWN]
        known = {v.id for v in shown}
        shown += [FacetValue(i, i, 0) for i in sorted(self.selected - known)]
        options.add_options(
            [Selection(Text(visible(f"{v.name} ({v.count})")), v.id, v.id in self.selected) for v in shown]
        )
        self._rebuilding = False
        self._show_count()

    def _show_count(self) -> None:
        self.border_subtitle = f"{len(self.selected)} chosen" if self.selected else f"{len(self.values)}"

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._rebuild()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(SelectionList).focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """A toggle by the user. Rebuilding the list also sends this message, later: a message
        that changes nothing is one of those, and is dropped."""
        event.stop()
        if self._rebuilding:
            return
        visible = {
            str(o.value)
            for o in [event.selection_list.get_option_at_index(i) for i in range(event.selection_list.option_count)]
        }
        selected = (self.selected - visible) | set(event.selection_list.selected)
        if selected == self.selected:
            return
        self.selected = selected
        self._show_count()
        self.post_message(self.Changed(self.facet, tuple(sorted(self.selected))))

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list narrows it, rather than reaching the app's keys ("e" exports)."""
        narrow = self.query_one(Input)
        if event.is_printable and event.character not in (None, " ") and not narrow.has_focus:
            event.stop()
            event.prevent_default()
            narrow.focus()
            narrow.insert_text_at_cursor(event.character)

    def focus_list(self) -> None:
        options = self.query_one(SelectionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()


class Histogram(Vertical):
    """Events per month under the current filter (per year when the range is long)."""

    def compose(self) -> ComposeResult:
        yield Sparkline([], id="spark")
        yield Label("", id="spark-range")

    def set_counts(self, months: list[tuple[str, int]], date_range: str) -> None:
        spark, label = self.query_one(Sparkline), self.query_one(Label)
        if not months:
            spark.data, label.content = [], Text("no dated events")
            return
        per_year = len(months) > 48
        buckets: dict[str, int] = {}
        for month, n in months:
            key = month[:4] if per_year else month
            buckets[key] = buckets.get(key, 0) + n
        spark.data = list(buckets.values())
        first, last = next(iter(buckets)), list(buckets)[-1]
        unit = "year" if per_year else "month"
        label.update(
            Text(
                f"{first} … {last}  ({sum(buckets.values())} dated events, per {unit})"
                + (f"   range: {date_range}" if date_range else ""),
                style="dim",
            )
        )


class DetailPane(VerticalScroll):
    """Every field of the event under the cursor, and each source with its quote in context."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No event selected."), id="detail-body")

    def show(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        body = self.query_one("#detail-body", Static)
        if detail is None:
            body.update(Text("No event selected."))
            return
        body.update(self.describe(detail, contexts))
        self.scroll_home(animate=False)

    @staticmethod
    def describe(detail: EventDetail, contexts: list[tuple[str, str, str]]) -> Text:
        """Every string from an article goes through visible(): it is shown, never obeyed."""
        e = detail.event
        t = Text()
        t.append(f"{e.date or 'undated'}", style="bold")
        t.append(f"  ({e.precision or 'no date'}")
        if detail.date_expression:
            t.append(f", from “{detail.date_expression}”")
        elif detail.date_source == "published":
            t.append(", reported on publication date")
        t.append(")\n")
        t.append(f"{e.type} / {e.sub_type}\n", style="bold")
        t.append(f"{e.summary}\n\n")
        for name, role in e.actors:
            t.append(f"{role:<11}", style="dim")
            t.append(f"{name}\n")
        for p in detail.places:
            coords = f"  ({p.lat:.3f}, {p.lon:.3f})" if p.lat is not None else "  (no coordinates)"
            t.append("place      ", style="dim")
            t.append(f"{p.name}, {p.country or '?'}{coords}\n")
        if e.fatalities is not None:
            t.append("killed     ", style="dim")
            high = (
                ""
                if detail.fatalities_high == e.fatalities
                else f" (range {detail.fatalities_low}–{detail.fatalities_high or '?'})"
            )
            t.append(f"{e.fatalities}{high}  “{detail.fatalities_raw}”\n")
        t.append("confidence ", style="dim")
        t.append(f"{e.confidence:.2f}   {'★ starred' if e.starred else ''}\n")
        if detail.tags:
            t.append("tags       ", style="dim")
            t.append(detail.tags.replace(",", ", ") + "\n", style="bold magenta")
        if detail.note:
            t.append("note       ", style="dim")
            t.append(detail.note + "\n", style="italic")
        t.append(
            f"\n{len(detail.sources)} source{'s' if len(detail.sources) != 1 else ''}"
            f" ({e.publishers} publisher{'s' if e.publishers != 1 else ''})\n",
            style="bold underline",
        )
        for n, (s, (before, quote, after)) in enumerate(zip(detail.sources, contexts, strict=True), 1):
            t.append(f"\n[{n}] {s.title or s.path}\n", style="bold")
            where = f"{s.publisher or 'unknown publisher'} · {s.published or 'undated'} · chars {s.start}–{s.end}"
            t.append(f"    {where}\n", style="dim")
            t.append(" ".join(before.split()) + " ", style="dim")
            t.append(" ".join(quote.split()), style="bold reverse")
            t.append(" " + " ".join(after.split()) + "\n", style="dim")
        return Text(visible(t.plain), spans=t.spans)


class BusyLine(Static):
    """A spinner while a slow query keeps the user waiting; `waiting` says for how long."""

    AFTER = 0.3  # seconds: a query quicker than this shows nothing
    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, waiting: Callable[[], float], **kwargs) -> None:
        super().__init__("", **kwargs)
        self.waiting = waiting
        self.text = ""

    def on_mount(self) -> None:
        self.set_interval(0.1, self.tick)

    def tick(self) -> None:
        seconds = self.waiting()
        text = (
            f" {self.FRAMES[int(seconds * 10) % len(self.FRAMES)]} Working… {seconds:.0f} s   Esc cancels"
            if seconds >= self.AFTER
            else ""
        )
        if text != self.text:
            self.text = text
            self.update(text, layout=False)  # one line, always: no layout of the screen to redo
