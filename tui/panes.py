"""The side and detail panes: facet lists with counts, the histogram, the event's sources, and
the line that says a slow query is under way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from db.corrections import by_analyst, describe_value
from db.facet_window import SHOWN, FacetWindow
from db.labels import Period, bars, period_of, periods, year_ticks
from db.queries import EventDetail, EventRow, FacetValue, Says, Source
from tui.session import Windowed
from tui.text import visible
from tui.timeline_view import DOUBTFUL_BELOW, doubtful


class FacetTree(Tree[str]):
    """A facet's values as a tree: space chooses a node (and so all under it) and stays, to choose
    more; enter chooses it and goes back to the timeline. Right or + opens a node, left or - closes
    it (or goes up to its parent)."""

    BINDINGS = [
        Binding("space", "choose", "Choose (all under it)"),
        Binding("enter", "choose(True)", "Choose, back to the timeline"),
        Binding("right,plus", "open", "Open"),
        Binding("left,minus", "close", "Close / up"),
    ]

    @dataclass
    class Chosen(Message):
        value: str
        leave: bool = False  # and go back to the timeline

    def action_choose(self, leave: bool = False) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.Chosen(node.data, leave))

    def action_open(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            if node.is_expanded:
                self.action_cursor_down()
            else:
                node.expand()

    def action_close(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and node.is_expanded:
            node.collapse()
        else:
            self.action_cursor_parent()


class FacetPane(Vertical):
    """A facet's values with counts under the current filter, as a tree (a country holds its
    divisions and towns; a group its actors; a type its sub-types). Type to narrow: a value
    matches by its name or by any of its aliases ("Daesh" finds Islamic State). Enter in the
    field chooses the first match and goes back to the timeline.

    The pane holds a window of the values (db/facet_window.py), never all of them (323k places
    worldwide): the most frequent SHOWN under each node open, and what matches the text typed.
    A node opened, or a text typed, asks the explorer for the window again (`Asked`); the session
    answers the pane (`Windowed`); meanwhile the text narrows what the pane holds."""

    SHOWN = SHOWN  # values shown under one node, most frequent first: typing narrows to the rest

    @dataclass
    class Changed(Message):
        """The values chosen in this pane are now `selected`; `leave`: and go back to the timeline."""

        facet: str
        selected: tuple[str, ...]
        leave: bool = False

    @dataclass
    class Asked(Message):
        """The nodes open are now `opened` and the narrowing text `needle`: (`fetch`) the values
        to show them, please."""

        facet: str
        opened: frozenset[str]
        needle: str
        fetch: bool = True

    def __init__(self, facet: str, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.facet = facet
        self.border_title = title
        self.window = FacetWindow(facet)
        self.total: int | None = 0  # values with events under the filter (None: being counted)
        self.selected: set[str] = set()
        self._by_id: dict[str, FacetValue] = {}
        self._children: dict[str | None, list[FacetValue]] = {}
        self._open: set[str] = set()  # the nodes the user opened, kept across new counts

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to narrow", id=f"{self.facet}-narrow", select_on_focus=False)
        tree = FacetTree("", id=f"{self.facet}-list")
        tree.show_root = False
        tree.auto_expand = False
        tree.guide_depth = 2  # a narrow pane: names before guides
        yield tree

    @property
    def values(self) -> list[FacetValue]:
        """The values the pane holds, most frequent first."""
        return self.window.values

    def set_window(self, window: FacetWindow) -> None:
        """New counts, for the filter the timeline shows (a window of another is dropped unseen)."""
        self.remove_class("counting")
        self.window = window
        self._by_id = {v.id: v for v in window.values}
        self._children = {}
        for v in window.values:
            parent = v.parent if v.parent in self._by_id else None
            self._children.setdefault(parent, []).append(v)
        self._rebuild()
        if self._open - window.opened or window.needle != self._needle():  # asked for since
            self._ask()

    def set_total(self, total: int) -> None:
        """How many values have events under the filter: counted after the values shown."""
        self.total = total
        self._show_count()

    def on_windowed(self, answer: Windowed) -> None:
        if not answer.request.stale:
            self.set_window(answer.window)

    def _ask(self, fetch: bool = True) -> None:
        self.post_message(self.Asked(self.facet, frozenset(self._open), self._needle(), fetch))

    def choose(self, values) -> None:
        """Show these values as the chosen ones (a filter cleared, or given up with Escape)."""
        self.selected = set(values)
        self._rebuild()

    def clear_narrowing(self) -> None:
        """Forget the text typed to narrow (the filters cleared: the pane shows every value)."""
        narrow = self.query_one(Input)
        with narrow.prevent(Input.Changed):
            narrow.value = ""
        self._rebuild()
        self._ask(fetch=False)

    def _needle(self) -> str:
        return self.query_one(Input).value.strip()

    def _ancestors(self, value_id: str) -> list[str]:
        out: list[str] = []
        v = self._by_id.get(value_id)
        while v is not None and (parent := v.parent) in self._by_id and parent not in out:
            out.append(parent)
            v = self._by_id[parent]
        return out

    def _rebuild(self) -> None:
        """Redraw the tree: the nodes the user opened stay open; while narrowing, the values that
        match are shown inside their (opened) ancestors."""
        needle = self._needle().lower()
        tree = self.query_one(FacetTree)
        cursor = tree.cursor_node.data if tree.cursor_node else None
        if needle:
            if self.window.needle.strip().lower() == needle:  # by name or alias, among all values
                matches = list(self.window.matched)
            else:  # among those held, until the window for this text comes
                matches = [v.id for v in self.values if needle in v.name.lower()]
            cursor = matches[0] if matches else None  # Enter chooses the first match
            keep = {*matches, *self.selected} | {a for m in [*matches, *self.selected] for a in self._ancestors(m)}
            opened = {a for m in matches for a in self._ancestors(m)}
        else:
            keep, opened = None, self._open | {a for s in self.selected for a in self._ancestors(s)}
        tree.clear()
        lines: dict[str, int] = {}

        chosen = {*self.selected, *(a for s in self.selected for a in self._ancestors(s))}

        def add(node: TreeNode[str], parent: str | None) -> None:
            shown = [v for v in self._children.get(parent, []) if keep is None or v.id in keep]
            shown = shown[: self.SHOWN] + [v for v in shown[self.SHOWN :] if v.id in chosen]  # the chosen always
            for v in shown:
                is_open = v.id in opened
                child = node.add(self._label(v), v.id, expand=is_open, allow_expand=v.id in self.window.expandable)
                lines[v.id] = len(lines)
                if is_open:
                    add(child, v.id)

        add(tree.root, None)
        for missing in sorted(self.selected - self._by_id.keys()):  # chosen, but no event under the filter
            tree.root.add_leaf(self._label(FacetValue(missing, missing, 0)), data=missing)
        tree.root.expand()
        if cursor in lines:
            tree.cursor_line = lines[cursor]
        self._show_count()

    def _label(self, v: FacetValue) -> Text:
        """ "18 Syria": the count first, so a name too long for the pane never hides it."""
        chosen = v.id in self.selected
        return Text.assemble(
            ("✔ " if chosen else "", "bold"), (f"{v.count:,} ", "dim"), (visible(v.name), "bold" if chosen else "")
        )

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        """A node opened by the user: its children are added now (a country's towns only when asked)."""
        event.stop()
        node = event.node
        if node.data is not None:
            self._open.add(node.data)
            if node.children:
                return
            if node.data not in self.window.opened:  # its children are not held: asked for
                self._ask()
            for v in self._children.get(node.data, [])[: self.SHOWN]:
                node.add(self._label(v), v.id, allow_expand=v.id in self.window.expandable)

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed) -> None:
        event.stop()
        self._open.discard(event.node.data or "")
        self._ask(fetch=False)

    def on_facet_tree_chosen(self, event: FacetTree.Chosen) -> None:
        event.stop()
        self.selected ^= {event.value}
        tree = self.query_one(FacetTree)
        if tree.cursor_node is not None and event.value in self._by_id:
            tree.cursor_node.set_label(self._label(self._by_id[event.value]))
        self._show_count()
        self.post_message(self.Changed(self.facet, tuple(sorted(self.selected)), event.leave))

    def set_counting(self) -> None:
        """The timeline shows a new filter whose counts are still being made (seconds, when it keeps
        most of a million events): the counts shown are the last filter's, dimmed, and say so."""
        self.add_class("counting")
        self.total = None
        self._show_count()

    def _show_count(self) -> None:
        if self.has_class("counting"):
            self.border_subtitle = "counting…"
        elif self.selected:
            self.border_subtitle = f"{len(self.selected)} chosen"
        else:
            self.border_subtitle = "counting…" if self.total is None else f"{self.total}"

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._rebuild()
        self._ask()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the field: the first match chosen, and back to the timeline (not a second Enter)."""
        event.stop()
        tree = self.query_one(FacetTree)
        if tree.cursor_node is not None and tree.cursor_node.data is not None:
            tree.action_choose(leave=True)
        else:
            typed = visible(event.value.strip())
            self.notify(f"Nothing here matches “{typed}”", severity="warning", timeout=3, markup=False)

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the tree narrows it, rather than reaching the app's keys ("e" exports);
        down in the field goes to the list. A letter that comes here came from the tree, whatever
        has the focus now (the field keeps the letters typed in it): the letters typed at once after
        the first were handed to the tree with it, and reach the tree after the field took the focus."""
        narrow = self.query_one(Input)
        if narrow.has_focus and event.key == "down":
            event.stop()
            self.focus_list()
            return
        if event.is_printable and event.character not in (None, " ", "+", "-"):
            event.stop()
            event.prevent_default()
            self.screen.set_focus(narrow)  # now: the keys typed after this one must reach the field
            narrow.insert_text_at_cursor(event.character)

    def focus_list(self) -> None:
        tree = self.query_one(FacetTree)
        if tree.cursor_node is None and tree.root.children:
            tree.cursor_line = 0
        # Now, not after the keys already typed (widget.focus() waits its turn): "a" then "isl"
        # typed at once must narrow the pane, not star the event.
        self.screen.set_focus(tree)


class Histogram(Widget, can_focus=True):
    """The bar of time above the timeline: a column for every month (or quarter, or year: the
    finest that fits the width) from the first event to the last, empty ones included, under
    year names. The cursor's period is marked; focused, left and right choose a period and the
    timeline jumps to it, enter goes back to the timeline there."""

    BINDINGS = [
        Binding("left", "step(-1)", "Earlier", id="bar.earlier"),
        Binding("right", "step(1)", "Later", id="bar.later"),
        Binding("home", "step(-1_000_000)", "First period", show=False, id="bar.first"),
        Binding("end", "step(1_000_000)", "Last period", show=False, id="bar.last"),
        Binding("enter", "choose", "Jump there", id="bar.choose"),
    ]

    class Chosen(Message):
        """Move the timeline to the first event of the period starting at `month` (or after it);
        `done`: and give it the focus back."""

        def __init__(self, month: str, done: bool = False) -> None:
            super().__init__()
            self.month, self.done = month, done

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.months: list[tuple[str, int]] = []
        self.span = ""  # the filter's date range, as typed
        self.cursor_month = ""  # the month of the event under the timeline's cursor
        self.chosen = ""  # the first month of the period chosen on the bar, while it has focus
        self._periods: tuple[tuple[int, int], list[Period], str] | None = None  # (key, periods, unit)

    def set_counts(self, months: list[tuple[str, int]], span: str = "") -> None:
        """New counts per month (the session's answer for the current filter)."""
        self.months, self.span, self._periods = months, span, None
        self.refresh()

    def mark(self, month: str) -> None:
        """The timeline's cursor is in this month ("" for an undated event)."""
        if month != self.cursor_month:
            self.cursor_month = month
            self.refresh()

    def periods(self) -> tuple[list[Period], str]:
        """The columns at the present width, and their unit ("month", "quarter", "year", ...)."""
        key = (id(self.months), self.content_size.width)
        if self._periods is None or self._periods[0] != key:
            self._periods = (key, *periods(self.months, self.content_size.width))
        return self._periods[1], self._periods[2]

    def render(self) -> Content:
        found, unit = self.periods()
        if not found:
            return Content.assemble(("no dated events" + (f"   range: {self.span}" if self.span else ""), "dim"))
        here = period_of(found, self.cursor_month)
        chosen = period_of(found, self.chosen) if self.has_focus else None
        parts: list[str | tuple[str, str]] = []
        for i, (p, bar) in enumerate(zip(found, bars([p.count for p in found])[0], strict=True)):
            if i == chosen:
                parts.append((bar if p.count else " ", "reverse bold $accent"))
            elif i == here:
                parts.append((bar if p.count else " ", "reverse bold $warning"))
            else:
                parts.append((bar, "$accent") if p.count else ("·", "dim"))
        parts.append(("\n" + year_ticks(found, self.content_size.width) + "\n", "bold"))
        if self.span:  # first: at 80 columns the end of the line is cut
            parts.append((f"range {self.span}", "bold"))
            parts.append(("  ", ""))
        total = sum(p.count for p in found)
        parts.append(
            (
                f"{found[0].label} … {found[-1].label}, per {unit}: {total:,} dated event{'s' if total != 1 else ''}",
                "dim",
            )
        )
        if chosen is not None:
            p = found[chosen]
            parts.append((f"   {p.label}: {p.count:,} event{'s' if p.count != 1 else ''}", "reverse $accent"))
        elif here is not None:
            parts.append((f"   cursor in {found[here].label}", "$warning"))
        return Content.assemble(*parts)

    def on_focus(self) -> None:
        self.chosen = self.chosen if self.chosen else self.cursor_month
        found, _ = self.periods()
        if found and period_of(found, self.chosen) is None:
            self.chosen = found[0].first
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, delta: int) -> None:
        found, _ = self.periods()
        if not found:
            return
        at = period_of(found, self.chosen)
        at = max(0, min(len(found) - 1, (at if at is not None else 0) + delta))
        self.chosen = found[at].first
        self.refresh()
        self.post_message(self.Chosen(self.chosen))

    def action_choose(self) -> None:
        if self.chosen:
            self.post_message(self.Chosen(self.chosen, done=True))

    def on_click(self, event: events.Click) -> None:
        found, _ = self.periods()
        column = event.x - self.styles.padding.left
        if event.y == 0 and 0 <= column < len(found):
            self.chosen = found[column].first
            self.refresh()
            self.post_message(self.Chosen(self.chosen))


class DetailPane(VerticalScroll):
    """Every field of the event under the cursor, and each source with its quote in context.
    Focused (Tab, or on its own screen), up and down scroll it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[EventDetail | None, list[tuple[str, str, str]]] = (None, [])

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="detail-body")

    def show(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        self.shown = (detail, contexts)
        for body in self.query("#detail-body").results(Static):  # none before it is composed
            body.update(self._text())
            self.scroll_home(animate=False)

    def _text(self) -> Text:
        detail, contexts = self.shown
        return Text("No event selected.") if detail is None else self.describe(detail, contexts)

    @staticmethod
    def describe(detail: EventDetail, contexts: list[tuple[str, str, str]]) -> Text:
        """What the store knows of the event, and nothing it does not: no placeholder for an
        absent figure, publisher or date. Every string from an article goes through visible():
        it is shown, never obeyed."""
        e = detail.event
        t = Text()
        t.append(f"{e.date or 'undated'}", style="bold")
        how = [e.precision] if e.precision else []
        if detail.date_expression:
            how.append(f"from “{detail.date_expression}”")
        elif detail.date_source == "published":
            how.append("reported on publication date")
        t.append(f"  ({', '.join(how)})" if how else "")
        _corrected(t, e, "date")
        t.append("\n")
        t.append(e.type if e.sub_type in ("", e.type) else f"{e.type} / {e.sub_type}", style="bold")
        _corrected(t, e, "type")
        t.append(f"\n{e.summary}")
        _corrected(t, e, "summary")
        t.append("\n")
        _field(t, "id", e.id)
        for name, role in e.actors:
            _field(t, role, name)
            if name in detail.as_named:
                t.append(f"  as “{detail.as_named[name]}”", style="dim")
        _corrected(t, e, "actors")
        for p in detail.places:
            where = dict.fromkeys(x for x in (p.name, p.admin1, p.country_name or p.country) if x)
            _field(t, "place", ", ".join(where))
            if p.lat is not None and p.lon is not None:
                t.append(f"  ({p.lat:.3f}, {p.lon:.3f})", style="dim")
        _corrected(t, e, "places")
        if e.fatalities is not None:
            _field(t, "killed", _toll(detail))
            if detail.fatalities_raw and not (e.review and "fatalities" in e.review.edits):
                t.append(f"  “{detail.fatalities_raw}”")
        _corrected(t, e, "fatalities")
        if by_analyst(detail):  # the analyst's own, not a guess: its stored 1 is not news either
            _field(t, "confidence", "the analyst's event, not scored")
        elif not _from_acled(e.id):  # ACLED gives no confidence: the importer's constant is not news
            _field(t, "confidence", f"{e.confidence:.2f}")
            if doubtful(e):  # as the timeline dims it
                t.append(f" · doubtful (under {DOUBTFUL_BELOW})", style="bold yellow")
        if e.review and e.review.status:
            _field(t, "review", e.review.status, "bold red" if e.review.rejected else "bold green")
        if e.starred:
            _field(t, "starred", "★")
        if detail.tags:
            _field(t, "tags", ", ".join(detail.tags), "bold magenta")
        if detail.note:
            _field(t, "note", detail.note, "italic")
        t.append("\n")
        numbers: dict[int, int] = {}  # document -> its number: a source is a document, with one quote or more
        for s in detail.sources:
            numbers.setdefault(s.document_id, len(numbers) + 1)
        if len(numbers) > 1:
            SourcesSay(detail, numbers).describe(t)
        if numbers:
            n, independent = len(numbers), e.independent_sources
            heading = f"{n} reports, {independent} independent" if n > 1 else "1 source"
            t.append(f"\n{heading}\n", style="bold underline")
        by_number = {v: k for k, v in numbers.items()}
        shown: set[int] = set()
        for s, context in zip(detail.sources, contexts, strict=True):
            if s.document_id in shown:
                _quote(t, s, context)
                continue
            shown.add(s.document_id)
            repeats = numbers.get(s.counted_with) if s.counted_with else None
            _source(t, numbers[s.document_id], s, context, _why_counted_with(s, detail, by_number, repeats))
        return Text(visible(t.plain), spans=t.spans)


def _from_acled(key: str) -> bool:
    """An ACLED row (event id, or its notes' document path), as db/acled.py names them."""
    return key.startswith("acled:")


def _corrected(t: Text, e: EventRow, name: str) -> None:
    """After a field the analyst corrected: who, when, and what the machine said (a conflict: the
    machine has said something else since)."""
    c = e.review.edits.get(name) if e.review else None
    if c is None:
        return
    conflict = " (the machine's value changed since)" if e.review and name in e.review.conflicts else ""
    was = describe_value(c.machine, name)
    t.append(f"\n  ✎ corrected by {c.author} on {c.created[:10]}, was {was}{conflict}", style="italic yellow")


def _field(t: Text, name: str, value: str, style: str = "") -> None:
    t.append(f"\n{name:<11}", style="dim")
    t.append(value, style=style)


def _toll(detail: EventDetail) -> str:
    """The toll, with its span where it was reported loosely ("scores dead": 40 (40–99); "over a
    hundred": at least 101)."""
    low, high, toll = detail.fatalities_low, detail.fatalities_high, detail.event.fatalities
    if detail.event.review and "fatalities" in detail.event.review.edits:  # the analyst's: no span reported
        return str(toll)
    if high is None and low is not None:
        return f"at least {low}" if low == toll else f"{toll} (at least {low})"
    if low is not None and high is not None and (low, high) != (toll, toll):
        return f"{toll} ({low}–{high})"
    return str(toll)


def _source(t: Text, n: int, s: Source, context: tuple[str, str, str], repeats: str = "") -> None:
    """A source: an article's title, publisher and date, the agency whose dispatch it runs, the
    earlier source it repeats, and the quote in its context; ACLED's notes, whole, with the
    sources ACLED names."""
    quote = context[1]
    where = " · ".join(x for x in (s.publisher, s.published) if x)
    if _from_acled(s.path):
        t.append(f"\n[{n}] ACLED notes\n", style="bold")
        if where:
            t.append(f"    source: {where}\n", style="dim")
        t.append(" ".join(quote.split()) + "\n", style="italic")
        return
    t.append(f"\n[{n}] {s.title or s.path}\n    ", style="bold")
    for part in (s.publisher, s.published, f"{s.wire} dispatch" if s.wire else ""):
        if part:
            t.append(f"{part} · ", style="dim")
    if repeats:
        t.append(repeats, style="yellow")
        t.append(" · ", style="dim")
    _quote(t, s, context, indent="")


def _quote(t: Text, s: Source, context: tuple[str, str, str], indent: str = "    ") -> None:
    """One quote of a source, where it is in the document, in its context."""
    before, quote, after = context
    t.append(f"{indent}chars {s.start}–{s.end}\n", style="dim")
    if before.strip():
        t.append(" ".join(before.split()) + " ", style="dim")
    t.append(" ".join(quote.split()), style="bold reverse")
    t.append(" " + " ".join(after.split()) + "\n" if after.strip() else "\n", style="dim")


def _why_counted_with(s: Source, detail: EventDetail, by_number: dict[int, int], repeats: int | None) -> str:
    """ "counted with [1]: same agency", and why: one publisher, one wire agency, or the same text."""
    if repeats is None:
        return ""
    first = next((x for x in detail.sources if x.document_id == by_number[repeats]), None)
    if first is not None and first.publisher and first.publisher == s.publisher:
        why = "same publisher"
    elif first is not None and s.wire and first.wire == s.wire:
        why = f"same {s.wire} dispatch"
    else:
        why = "near-identical text"
    return f"counted with [{repeats}]: {why}"


# The detail pane's names of the fields sources may dispute (ingest/merge.py DISPUTABLE)
DISPUTED_WORDS = {"date": "the date", "place": "the place", "perpetrator": "the perpetrator", "fatalities": "the toll"}


class SourcesSay:
    """What each source of an event said, field by field: each value with the numbers of the
    sources behind it ("killed 12 [2] · 31 [1]"), the fields they dispute marked."""

    def __init__(self, detail: EventDetail, numbers: dict[int, int]) -> None:
        self.disputed = detail.event.disputed
        self.says = {numbers[s.document_id]: s.says for s in detail.sources if s.says is not None}

    def describe(self, t: Text) -> None:
        if len(self.says) < 2:
            return
        t.append("\nWhat the sources say", style="bold underline")
        if self.disputed:
            words = [DISPUTED_WORDS.get(d, d) for d in self.disputed]
            differ = ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]
            t.append(f"  they differ on {differ}", style="bold red")
        t.append("\n")
        self._field(t, "date", "date", lambda s: s.date)
        self._field(t, "type", "", lambda s: s.sub_type)
        self._field(t, "place", "place", lambda s: s.places[0] if s.places else None)
        self._field(t, "perpetrator", "perpetrator", lambda s: _in_role(s.actors, "actor1"))
        self._field(t, "target", "", lambda s: _in_role(s.actors, "actor2"))
        self._field(t, "killed", "fatalities", _told_toll)
        t.append("\n")

    def _field(self, t: Text, name: str, disputable: str, value_of: Callable) -> None:
        """One field: each value the sources give, with their numbers; nothing if none gives one."""
        values: dict[str, list[int]] = {}
        for n, says in sorted(self.says.items()):
            value = value_of(says)
            if value:
                values.setdefault(value, []).append(n)
        if not values:
            return
        disputed = disputable in self.disputed
        t.append(f"\n{name:<12}", style="bold red" if disputed else "dim")
        for i, (value, numbers) in enumerate(values.items()):
            t.append(" · " if i else "", style="dim")
            t.append(value, style="bold" if disputed else "")
            t.append(f" [{','.join(map(str, numbers))}]", style="dim")
        if disputed:
            t.append("  ≠", style="bold red")


def _in_role(actors: list[tuple[str, str]], role: str) -> str:
    return " and ".join(name for name, r in actors if r == role)


def _told_toll(says: Says) -> str | None:
    """A source's toll as it gave it: "12", "at least 40", "40–99"."""
    toll, low, high = says.fatalities, says.fatalities_low, says.fatalities_high
    if toll is None:
        return None
    if high is None and low is not None:
        return f"at least {low}"
    if low is not None and high is not None and low != high:
        return f"{low}–{high}"
    return str(toll)


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
