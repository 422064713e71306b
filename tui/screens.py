"""Modal screens: help, a one-line prompt (date range, search), the export prompt (format and
path), the saved views, the full article."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from db.export import FORMAT_NAMES, FORMATS, SUFFIXES
from db.labels import SHORT_TYPES, SUB_TYPES_OF
from db.queries import EventDetail, Filter
from tui.panes import DetailPane
from tui.session import SavedViews, ViewsListed
from tui.text import visible
from tui.timeline_view import TYPE_COLOURS, TimelineView
from tui.workers import Failed


class HelpScreen(ModalScreen[None]):
    """The keys, and a legend of the short type names the timeline shows. Side by side where the
    terminal is wide enough, one under the other where not; up and down scroll."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]
    SIDE_BY_SIDE_FROM = 130  # columns

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        keys = Text("Keys\n\n", style="bold")
        for key, description in self.rows:
            keys.append(f"  {key:<18}", style="bold cyan")
            keys.append(f"{description}\n")
        with VerticalScroll(id="help-box"):
            with Horizontal(id="help-columns"):
                yield Static(keys, id="help-keys")
                yield Static(type_legend(), id="help-legend")
            yield Static(Text("Esc closes this help; up and down scroll it.", style="dim"))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.SIDE_BY_SIDE_FROM, "stacked")


def type_legend() -> Text:
    """The short names of the timeline's type column, each with ACLED's name, by type."""
    t = Text("Type names in the timeline\n", style="bold")
    t.append("(the sub-type where the column has room, else the type)\n\n", style="dim")
    for type_, subs in SUB_TYPES_OF.items():
        t.append(f"  {SHORT_TYPES[type_]:<17}", style=f"bold {TYPE_COLOURS.get(type_, 'white')}")
        t.append(f"{type_}\n", style="bold")
        for sub, short in subs.items():
            t.append(f"    {short:<15}", style=TYPE_COLOURS.get(type_, "white"))
            t.append(f"{sub}\n")
    t.append("\n  ≠", style="bold red")
    t.append("  after a summary: its sources disagree on the date, place, perpetrator or toll (! shows only those)\n")
    return t


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text; Enter answers, Escape cancels. `check` returns an error or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", check=None) -> None:
        super().__init__()
        self.question, self.value, self.check = question, value, check

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Label(self.question, markup=False)  # it may quote a path: brackets are no markup
            yield Input(self.value, id="prompt-input")
            yield Label("", id="prompt-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#prompt-error", Label).update(Text(problem, style="bold red"))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Ask before doing what cannot be undone: the question (wrapped, whole), y does it, n or
    Escape does not."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Text(visible(self.question)), id="confirm-question")
            yield Label("y: yes · n or Esc: no", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ExportPrompt(ModalScreen[tuple[str, str] | None]):
    """Ask for an export's format and file: Enter in the file field answers (format, path), Escape
    cancels. The format starts at Markdown; choosing another changes the file's suffix to match."""

    DEFAULT_CSS = "ExportPrompt { align: center middle; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, question: str, stem: str = "timeline-export") -> None:
        super().__init__()
        self.question, self.stem, self.fmt = question, stem, "md"

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Label(self.question, markup=False)
            yield Select([(FORMAT_NAMES[f], f) for f in FORMATS], value=self.fmt, allow_blank=False, id="export-format")
            yield Label("File (Enter writes it; shift+tab: the format)")
            yield Input(self.stem + SUFFIXES[self.fmt], id="prompt-input")
            yield Label("", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        new = str(event.value)
        field = self.query_one(Input)
        if field.value.endswith(SUFFIXES[self.fmt]):  # a suffix the user did not type follows the format
            field.value = field.value.removesuffix(SUFFIXES[self.fmt]) + SUFFIXES[new]
        self.fmt = new

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#prompt-error", Label).update(Text("a file name, please", style="bold red"))
            return
        self.dismiss((self.fmt, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ViewsScreen(ModalScreen[Filter | None]):
    """The saved views, to pick one (Enter) or delete it (Delete); under them, a field that saves
    the current filter as a view. The field has the focus when there is a filter to save (letters
    typed on the list go to it); Tab or down goes to the list. Answers the filter picked, or None."""

    DEFAULT_CSS = """
    ViewsScreen { align: center middle; }
    ViewsScreen OptionList { height: auto; max-height: 16; margin: 1 0; }
    ViewsScreen Label { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="views.cancel"),
        Binding("delete", "delete", "Delete the view", id="views.delete"),
    ]

    def __init__(self, views: SavedViews, current: Filter) -> None:
        super().__init__()
        self.views, self.current = views, current
        self.filters: dict[str, Filter] = {}  # by name, as listed

    def compose(self) -> ComposeResult:
        empty = self.current.is_empty
        with Vertical(id="prompt-box"):
            yield Label("Nothing is filtered: no view to save" if empty else "Save the current filter as (Enter saves)")
            yield Input(placeholder="a name", id="prompt-input", disabled=empty)
            yield Label("", id="prompt-error")
            yield Label("Saved views (Tab): Enter shows one, Delete deletes it")
            yield OptionList(id="views-list")

    def on_mount(self) -> None:
        self.views.fetch(self)
        self.query_one(Input if not self.current.is_empty else OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        """Down from the name goes to the list; a letter typed on the list goes to the name, or is
        told why nothing can be saved."""
        field, options = self.query_one(Input), self.query_one(OptionList)
        if field.has_focus and event.key == "down":
            event.stop()
            options.focus()
        elif options.has_focus and event.is_printable and event.character not in (None, " "):
            event.stop()
            if field.disabled:
                error = Text("Nothing is filtered: choose a filter first, then save it", style="bold red")
                self.query_one("#prompt-error", Label).update(error)
            else:
                field.focus()
                field.insert_text_at_cursor(event.character or "")

    def on_views_listed(self, answer: ViewsListed) -> None:
        if answer.request.stale:
            return
        options = self.query_one(OptionList)
        options.clear_options()
        self.filters = {name: f for name, f, _ in answer.views}
        for name, _, words in answer.views:
            options.add_option(Option(Text.assemble((visible(name), "bold"), "  ", (visible(words), "dim")), name))
        if not answer.views:
            options.add_option(Option(Text("No saved views yet", style="dim"), disabled=True))
        else:
            options.highlighted = 0

    def on_failed(self, answer: Failed) -> None:
        self.query_one("#prompt-error", Label).update(Text(answer.text, style="bold red"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.filters:
            self.dismiss(self.filters[event.option.id])

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        option = options.highlighted_option if options.has_focus else None
        if option is not None and option.id in self.filters:
            self.views.delete(option.id)
            del self.filters[option.id]
            options.remove_option(option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#prompt-error", Label).update(Text("a name, please", style="bold red"))
            return
        self.views.save(event.value, self.current)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DetailScreen(ModalScreen[None]):
    """The event at the cursor on a screen of its own: where the terminal is too narrow for the
    detail pane beside the timeline, or to read a long one. Up, down and the page keys scroll it;
    j and k go to the next and previous event, whose detail follows."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Back to the timeline", id="detail.close"),
        Binding("j", "step(1)", "Next", id="detail.next"),
        Binding("k", "step(-1)", "Previous", id="detail.previous"),
        Binding("C", "app.review('confirm')", "Confirm", id="detail.confirm"),
        Binding("R", "app.review('reject')", "Reject", id="detail.reject"),
        Binding("E", "app.review('edit')", "Edit", id="detail.edit"),
        Binding("u", "app.review('undo')", "Undo", show=False, id="detail.undo"),
        Binding("S", "app.review('split')", "Split", id="detail.split"),
        Binding("D", "app.review('remove')", "Remove", show=False, id="detail.remove"),
        Binding("M", "app.review('merge')", "Merge marked", show=False, id="detail.merge"),
        Binding("A", "app.review('add')", "Add", show=False, id="detail.add"),
    ]

    def __init__(self, view: TimelineView, shown: DetailPane) -> None:
        super().__init__()
        self.view, self.pane = view, DetailPane(id="detail-screen")
        self.pane.shown = shown.shown

    def compose(self) -> ComposeResult:
        yield self.pane
        yield Footer(compact=True)  # its keys fit in 80 columns

    def on_mount(self) -> None:
        self.pane.focus()

    def show(self, detail: EventDetail | None, contexts: list[tuple[str, str, str]]) -> None:
        self.pane.show(detail, contexts)

    def action_step(self, delta: int) -> None:
        self.view.action_cursor(delta)


class ArticleScreen(ModalScreen[None]):
    """The whole article, scrolled to the quote, the quote selected."""

    BINDINGS = [Binding("escape,q,o", "dismiss", "Close", id="article.close")]

    def __init__(self, title: str, text: str, start: int, end: int) -> None:
        super().__init__()
        self.title_text, self.text, self.start, self.end = title, text, start, end

    def compose(self) -> ComposeResult:
        with Vertical(id="article-box"):
            yield Label(Text(visible(self.title_text), style="bold"))
            yield TextArea(visible(self.text), read_only=True, soft_wrap=True, id="article-text")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.selection = Selection(_location(self.text, self.start), _location(self.text, self.end))
        area.scroll_cursor_visible(center=True, animate=False)
        area.focus()


def _location(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    row = before.count("\n")
    return row, offset - (before.rfind("\n") + 1)
