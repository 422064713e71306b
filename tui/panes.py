"""The side and detail panes: facet lists with counts, the histogram, the event's sources, and
the line that says a slow query is under way."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Sparkline, Static, Tree
from textual.widgets.tree import TreeNode

from db.queries import EventDetail, FacetValue
from tui.text import visible


class FacetTree(Tree[str]):
    """A facet's values as a tree: space or enter chooses a node (and so all under it), right or +
    opens it, left or - closes it (or goes up to its parent)."""

    BINDINGS = [
        Binding("space,enter", "choose", "Choose a node and all under it", show=False),
        Binding("right,plus", "open", "Open a node", show=False),
        Binding("left,minus", "close", "Close a node, or go up", show=False),
    ]

    class Chosen(Message):
        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def action_choose(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.Chosen(node.data))

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
    divisions and towns; a group its actors; a type its sub-types). Type to narrow."""

    SHOWN = 200  # values shown under one node, most frequent first: typing narrows to the rest

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

    def set_values(self, values: list[FacetValue]) -> None:
        """New counts (most frequent first, as the query gives them)."""
        self.values = values
        self._by_id = {v.id: v for v in values}
        self._children = {}
        for v in values:
            parent = v.parent if v.parent in self._by_id else None
            self._children.setdefault(parent, []).append(v)
        self._rebuild()

    def choose(self, values) -> None:
        """Show these values as the chosen ones (a filter cleared, or given up with Escape)."""
        self.selected = set(values)
        self._rebuild()

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
        needle = self.query_one(Input).value.strip().lower()
        tree = self.query_one(FacetTree)
        cursor = tree.cursor_node.data if tree.cursor_node else None
        if needle:
            matches = [v.id for v in self.values if needle in v.name.lower()]
            keep = {*matches, *self.selected} | {a for m in [*matches, *self.selected] for a in self._ancestors(m)}
            opened = {a for m in matches for a in self._ancestors(m)}
        else:
            keep, opened = None, self._open | {a for s in self.selected for a in self._ancestors(s)}
        tree.clear()
        lines: dict[str, int] = {}

        def add(node: TreeNode[str], parent: str | None) -> None:
            shown = [v for v in self._children.get(parent, []) if keep is None or v.id in keep][: self.SHOWN]
            for v in shown:
                is_open = v.id in opened
                child = node.add(self._label(v), v.id, expand=is_open, allow_expand=bool(self._children.get(v.id)))
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
        chosen = v.id in self.selected
        return Text(visible(f"{'✔ ' if chosen else ''}{v.name} ({v.count:,})"), style="bold" if chosen else "")

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        """A node opened by the user: its children are added now (a country's towns only when asked)."""
        event.stop()
        node = event.node
        if node.data is not None:
            self._open.add(node.data)
            if not node.children:
                for v in self._children.get(node.data, [])[: self.SHOWN]:
                    node.add(self._label(v), v.id, allow_expand=bool(self._children.get(v.id)))

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed) -> None:
        event.stop()
        self._open.discard(event.node.data or "")

    def on_facet_tree_chosen(self, event: FacetTree.Chosen) -> None:
        event.stop()
        self.selected ^= {event.value}
        tree = self.query_one(FacetTree)
        if tree.cursor_node is not None and event.value in self._by_id:
            tree.cursor_node.set_label(self._label(self._by_id[event.value]))
        self._show_count()
        self.post_message(self.Changed(self.facet, tuple(sorted(self.selected))))

    def _show_count(self) -> None:
        self.border_subtitle = f"{len(self.selected)} chosen" if self.selected else f"{len(self.values)}"

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._rebuild()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the tree narrows it, rather than reaching the app's keys ("e" exports)."""
        narrow = self.query_one(Input)
        if event.is_printable and event.character not in (None, " ", "+", "-") and not narrow.has_focus:
            event.stop()
            event.prevent_default()
            narrow.focus()
            narrow.insert_text_at_cursor(event.character)

    def focus_list(self) -> None:
        tree = self.query_one(FacetTree)
        if tree.cursor_node is None and tree.root.children:
            tree.cursor_line = 0
        tree.focus()


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
            t.append(name)
            t.append(f"  as “{detail.as_named[name]}”\n" if name in detail.as_named else "\n", style="dim")
        for p in detail.places:
            coords = f"  ({p.lat:.3f}, {p.lon:.3f})" if p.lat is not None else "  (no coordinates)"
            t.append("place      ", style="dim")
            t.append(", ".join(dict.fromkeys(x for x in (p.name, p.admin1, p.country_name or p.country) if x)))
            t.append(f"{coords}\n", style="dim")
        if e.fatalities is not None:
            t.append("killed     ", style="dim")
            high = (
                ""
                if detail.fatalities_high == e.fatalities
                else f" (range {detail.fatalities_low}–{detail.fatalities_high or '?'})"
            )
            t.append(f"{e.fatalities}{high}" + (f"  “{detail.fatalities_raw}”\n" if detail.fatalities_raw else "\n"))
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
