"""Modal screens: help, a one-line prompt (date range, search), the export prompt (format and
path), the full article."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.text_area import Selection

from db.export import FORMAT_NAMES, FORMATS, SUFFIXES
from db.labels import SHORT_TYPES, SUB_TYPES_OF
from tui.text import visible
from tui.timeline_view import TYPE_COLOURS


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
            yield Label(self.question)
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
            yield Label(self.question)
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
