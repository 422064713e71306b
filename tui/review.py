"""The analyst's review in the app: the form that corrects an event's fields, the machine's value
beside each; the form that adds an event the machine missed, with its source; the chooser of an
event's sources (to split some off, or to remove one's article); and the review walk through the
unreviewed events, the doubtful first.

Each screen owns its widgets and the answers to what it asked: a correction is written by the
session's workers (db/corrections.py, by the configured author), never on the UI thread.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from db.corrections import FIELDS, ROLES, describe_value, machine_value
from db.queries import EventDetail, EventRow
from tui.panes import DetailPane
from tui.session import Failed, Reviewed, Session, Walked
from tui.text import clip, visible

SEPARATOR = ";"  # between places and between actors typed in one field: a name may hold a comma
# The inputs of the form, each (its name, its label); `actors` is typed role by role.
INPUTS = (
    ("date", "date"),
    ("type", "type"),
    ("sub_type", "sub-type"),
    ("places", "places"),
    *((role, role) for role in ROLES),
    ("fatalities", "killed"),
    ("summary", "summary"),
)


@runtime_checkable
class UndoNotices(Protocol):
    """The app: a notice of a correction, with a link that takes it back."""

    def notify_undoable(self, text: str, event_id: str) -> None: ...


def as_texts(name: str, value: Any) -> dict[str, str]:
    """A field's value (as corrections keep it) as the text of the form's inputs it fills."""
    if name == "date":
        return {"date": (value or {}).get("date") or ""}
    if name == "type":
        return {"type": value["type"] or "", "sub_type": value["sub_type"] or ""}
    if name == "places":
        return {"places": f"{SEPARATOR} ".join(p["name"] if isinstance(p, dict) else p for p in value)}
    if name == "actors":
        return {role: f"{SEPARATOR} ".join(n for n, r in value if r == role) for role in ROLES}
    return {name: "" if value is None else str(value)}


def _machine_words(name: str, value: Any) -> dict[str, str]:
    """The machine's value beside each input: the date with its precision, the others as typed."""
    texts = as_texts(name, value)
    if name == "date":
        texts["date"] = describe_value(value, "date")
    return texts


Answered = TypeVar("Answered")  # what a form answers when it closes


class SavingForm(ModalScreen[Answered]):
    """A form that stays until the store answers, says a refusal in place (`#edit-error`: an
    unknown place, a quote not in its document), and leaves on Escape with no answer."""

    # Tab moves to the next field before the keys typed after it are handed on: a binding of the
    # screen's own (not a priority one) is reached only once the field has taken those keys too.
    BINDINGS = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def on_failed(self, answer: Failed) -> None:
        answer.stop()
        self._problem(answer.text)

    def _problem(self, text: str) -> None:
        self.query_one("#edit-error", Label).update(Text(text, style="bold red"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditForm(SavingForm[str | None]):
    """Correct an event's fields: each input holds the value shown now (the analyst's where
    corrected), the machine's value beside it. Enter saves the fields changed, one correction
    each; the form stays until the store answers, and says a refusal (an unknown place) in place.
    Escape leaves without a change. Answers the text of what was saved."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit.cancel")]

    def __init__(self, session: Session, detail: EventDetail) -> None:
        super().__init__()
        self.session, self.event = session, detail.event
        self.shown, self.machine = self.values(self.event)

    @staticmethod
    def values(e: EventRow) -> tuple[dict[str, str], dict[str, str]]:
        """The inputs' texts: shown now, and the machine's (where a field is corrected, the value
        the machine gave then)."""
        shown: dict[str, str] = {}
        machine: dict[str, str] = {}
        edits = e.review.edits if e.review else {}
        for name in FIELDS:
            now = machine_value(e, name)
            shown |= as_texts(name, now)
            machine |= _machine_words(name, edits[name].machine if name in edits else now)
        return shown, machine

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-box"):
            yield Label(f"Correct {self.event.id}", id="edit-title", markup=False)
            yield Label(
                f"Date: YYYY, YYYY-MM or YYYY-MM-DD (the form is the precision). Names apart by “{SEPARATOR}”.",
                id="edit-hint",
                markup=False,
            )
            with Horizontal(classes="edit-row edit-head"):
                yield Label("", classes="edit-name")
                yield Label("yours", classes="edit-input")
                yield Label("the machine's", classes="edit-machine")
            for name, label in INPUTS:
                with Horizontal(classes="edit-row"):
                    yield Label(label, classes="edit-name", markup=False)
                    yield Input(self.shown[name], id=f"edit-{name}", classes="edit-input", compact=True)
                    differs = self.shown[name] != self.machine[name] and name != "date"
                    style = "bold yellow" if differs else "dim"
                    said = self.machine[name] or ("none" if differs else "")  # the machine gave none: said so
                    yield Static(Text(visible(said), style=style), classes="edit-machine")
            yield Label("Enter saves · Tab next field · Esc cancels", id="edit-keys")
            yield Label("", id="edit-error")

    def changes(self) -> dict[str, Any] | str:
        """What the analyst changed, as corrections.edit takes it; or a problem found before asking."""
        typed = {name: self.query_one(f"#edit-{name}", Input).value.strip() for name, _ in INPUTS}
        changed = {name for name, value in typed.items() if value != self.shown[name].strip()}
        out: dict[str, Any] = {}
        for name in changed & {"date", "type", "sub_type", "summary"}:
            out[name] = typed[name]
        if "places" in changed:
            out["places"] = [p.strip() for p in typed["places"].split(SEPARATOR) if p.strip()]
        roles = {r: [n.strip() for n in typed[r].split(SEPARATOR) if n.strip()] for r in ROLES if r in changed}
        if roles:
            out["actors"] = roles
        if "fatalities" in changed:
            if not typed["fatalities"].isdecimal():
                return "killed: a number, 0 or more"
            out["fatalities"] = int(typed["fatalities"])
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        changes = self.changes()
        if isinstance(changes, str):
            self._problem(changes)
        elif not changes:
            self.dismiss(None)
            self.notify("Nothing changed", timeout=2)
        else:
            self._problem("Saving…")
            self.session.edit(self.event.id, changes, target=self)

    def on_reviewed(self, answer: Reviewed) -> None:
        answer.stop()
        if self.session.accept(answer):
            self.dismiss(answer.text)


# The add form's inputs beyond the event's fields, each (its name, its label, what to type)
SOURCE_INPUTS = (
    ("document", "document", "a stored document: its id, path or key"),
    ("quote", "quote", "words of that document that tell it, exactly as written"),
    ("citation", "or cite", "a source not stored, instead of document and quote"),
)
FIELD_HINTS = {
    "date": "YYYY, YYYY-MM or YYYY-MM-DD: the form is the precision",
    "type": "an ACLED type, or a sub-type",
    "sub_type": "an ACLED sub-type (needed with a type alone)",
    "places": f"where it happened, the first first; apart by “{SEPARATOR}”",
    "actor1": "who acted (needed)",
    "actor2": "who was acted on",
    "associated": "associated actors",
    "fatalities": "the toll, a number",
    "summary": "its headline (default: its sub-type and place)",
}


class AddForm(SavingForm[Reviewed | None]):
    """An event the machine missed: its fields, and its source, a stored document with a quote
    found in it word for word (the document of the event at the cursor to begin with), or a free
    citation. Enter saves; the form stays until the store answers, and says a refusal (an unknown
    place, a quote not in the document) in place. Escape leaves. Answers the correction saved."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="add.cancel")]

    def __init__(self, session: Session, at: EventDetail | None) -> None:
        super().__init__()
        self.session = session
        first = at.sources[0] if at and at.sources else None
        self.document = str(first.document_id) if first else ""
        self.document_title = (first.title or first.path) if first else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-box"):
            yield Label("Add an event the machine missed", id="edit-title")
            for name, label in INPUTS:
                yield from self._row(name, label, FIELD_HINTS[name])
            for name, label, hint in SOURCE_INPUTS:
                value = self.document if name == "document" else ""
                yield from self._row(name, label, hint, value)
            yield Label("Enter saves · Tab next field · Esc cancels", id="edit-keys")
            yield Label("", id="edit-error")

    def _row(self, name: str, label: str, hint: str, value: str = "") -> ComposeResult:
        with Horizontal(classes="edit-row"):
            yield Label(label, classes="edit-name", markup=False)
            yield Input(value, id=f"add-{name}", classes="edit-input", compact=True)
            said = f"{self.document_title} ({hint})" if name == "document" and self.document_title else hint
            yield Static(Text(visible(said), style="dim"), classes="edit-machine")

    def on_mount(self) -> None:
        self.query_one("#add-date", Input).focus()

    def typed(self, name: str) -> str:
        return self.query_one(f"#add-{name}", Input).value.strip()

    def request(self) -> tuple[dict[str, Any], dict[str, str]] | str:
        """The event's fields and its source as corrections.add takes them; or what is missing."""
        names = {
            name: [n.strip() for n in self.typed(name).split(SEPARATOR) if n.strip()] for name in ("places", *ROLES)
        }
        for needed, label in (("date", "a date"), ("type", "a type")):
            if not self.typed(needed) and not (needed == "type" and self.typed("sub_type")):
                return f"{label}, please"
        if not names["places"] or not names["actor1"]:
            return "a place and an actor1, please"
        toll = self.typed("fatalities")
        if toll and not toll.isdecimal():
            return "killed: a number, 0 or more"
        citation, quote = self.typed("citation"), self.typed("quote")
        if citation and quote:
            return "its source: a quote of the document, or a citation, not both"
        if citation:
            source = {"citation": citation}
        elif quote and self.typed("document"):
            source = {"document": self.typed("document"), "quote": quote}
        else:
            return "its source, please: a document and a quote from it, or a citation"
        changes = {
            "date": self.typed("date"),
            "type": self.typed("type") or None,
            "sub_type": self.typed("sub_type") or None,
            "places": names["places"],
            "actors": {role: names[role] for role in ROLES},
            "fatalities": int(toll) if toll else None,
            "summary": self.typed("summary") or None,
        }
        return changes, source

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        asked = self.request()
        if isinstance(asked, str):
            self._problem(asked)
        else:
            self._problem("Saving…")
            self.session.add(*asked, target=self)

    def on_reviewed(self, answer: Reviewed) -> None:
        answer.stop()
        if self.session.accept(answer):
            self.session.added(answer)
            self.dismiss(answer)


class SourcePicker(ModalScreen[list[int] | None]):
    """An event's sources, to choose from: its quotes, to split some off as an event of their own
    (space chooses, Enter splits those chosen, or the one under the cursor); or its documents, to
    remove one's article (Enter). Answers the indices in the detail's sources."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sources.cancel"),
        Binding("enter", "done", "Done", priority=True, id="sources.done"),
    ]

    def __init__(self, detail: EventDetail, split: bool) -> None:
        super().__init__()
        self.detail, self.split = detail, split

    def compose(self) -> ComposeResult:
        numbers: dict[int, int] = {}  # document -> its number in the detail pane
        options = []
        for i, s in enumerate(self.detail.sources):
            first = s.document_id not in numbers
            n = numbers.setdefault(s.document_id, len(numbers) + 1)
            if not self.split and not first:
                continue  # an article is removed whole: one line for it
            title = visible(s.title or s.path)
            what = f"[{n}] {title}" if not self.split else f"[{n}] “{clip(visible(s.quote), 56)}” · {title}"
            options.append((Text(what), i))
        with Vertical(id="prompt-box"):
            if self.split:
                yield Label(f"Split quotes of {self.detail.event.id} off as an event of their own", markup=False)
                yield Label("space chooses · Enter splits them off · Esc cancels")
            else:
                yield Label("Remove the article of which source? (it asks first)", markup=False)
                yield Label("Enter chooses · Esc cancels")
            if self.split:
                yield SelectionList[int](*options, id="sources-list")
            else:
                yield OptionList(*(Option(text, id=str(i)) for text, i in options), id="sources-list")

    def on_mount(self) -> None:
        chooser = self.query_one("#sources-list", OptionList)  # a SelectionList is one too
        chooser.highlighted = 0
        chooser.focus()

    def action_done(self) -> None:
        if self.split:
            quotes = self.query_one(SelectionList)
            picked = sorted(quotes.selected)
            if not picked and quotes.highlighted is not None:
                picked = [quotes.get_option_at_index(quotes.highlighted).value]
            self.dismiss(picked or None)
        else:
            option = self.query_one(OptionList).highlighted_option
            self.dismiss([int(option.id)] if option is not None and option.id is not None else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewWalk(Screen[None]):
    """The review walk: one unreviewed event after another, the least likely right first, each
    confirmed, rejected, corrected or passed over with one key; the header says how far the review
    is ("312 of 1,381 reviewed"). An event passed over comes back in the next walk."""

    BINDINGS = [
        Binding("c,C", "review('confirm')", "Confirm", id="walk.confirm"),
        Binding("r,R", "review('reject')", "Reject", id="walk.reject"),
        Binding("e,E", "edit", "Edit", id="walk.edit"),
        Binding("space,n", "skip", "Pass", id="walk.skip"),
        Binding("u", "undo", "Undo", id="walk.undo"),
        Binding("escape,q", "dismiss", "Leave", id="walk.leave"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.pane = DetailPane(id="walk-detail")
        self.detail: EventDetail | None = None
        self.skipped: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.pane
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "review: finding the unreviewed events…"
        self.pane.focus()
        self.session.walk(self.skipped, self)

    def on_walked(self, answer: Walked) -> None:
        answer.stop()
        if not self.session.accept(answer):
            return
        self.detail = answer.detail
        self.sub_title = f"{answer.reviewed:,} of {answer.total:,} reviewed"
        if answer.detail is None:
            self.pane.show(None, [])
            left = "every event is reviewed" if not self.skipped else "none left but those passed over"
            self.notify(f"Review: {left} (Esc leaves)", timeout=4)
        else:
            self.pane.show(answer.detail, answer.contexts)

    def _current(self) -> str | None:
        return self.detail.event.id if self.detail else None

    def action_review(self, action: str) -> None:
        if event_id := self._current():
            self.detail = None  # one key, one correction: a second press waits for the next event
            self.session.review(event_id, action, target=self)

    def action_edit(self) -> None:
        if self.detail is None:
            return

        def saved(text: str | None) -> None:
            if text:
                self.notify(text, timeout=3)
                self.session.walk(self.skipped, self)

        self.app.push_screen(EditForm(self.session, self.detail), saved)

    def action_skip(self) -> None:
        if event_id := self._current():
            self.skipped.add(event_id)
            self.session.walk(self.skipped, self)

    def action_undo(self) -> None:
        if self.session.corrected:
            self.session.undo(target=self)

    def on_reviewed(self, answer: Reviewed) -> None:
        answer.stop()
        self.notify(answer.text, timeout=2)
        self.session.walk(self.skipped, self)

    def on_failed(self, answer: Failed) -> None:
        answer.stop()
        self.notify(answer.text, severity=answer.severity)
        self.session.walk(self.skipped, self)
