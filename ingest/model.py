"""Records that cross layers: what the extractor produces and the store keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ingest.dates import Interval
from ingest.gazetteer import Actor, Place
from ingest.headline import headline


@dataclass
class Article:
    path: str
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: Interval | None = None
    published_source: str | None = None  # front-matter | dateline | page metadata | command line
    note: str | None = None
    warnings: list[str] = field(default_factory=list)  # readable, but not as the file claimed

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Fatalities:
    best: int | None
    low: int | None
    high: int | None
    raw: str
    vague: bool = False  # told by a word ("dozens", "hundreds"), not a number


@dataclass(frozen=True)
class Evidence:
    document: str  # the document's sha256
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Telling:
    """What one source (a document) reported of an event, before its reports were merged."""

    document: str  # the document's sha256
    date: Interval | None
    date_expression: str | None
    type: str
    sub_type: str
    actors: tuple[tuple[Actor, str], ...]
    places: tuple[Place, ...]
    fatalities: Fatalities | None
    wire: str | None = None  # the news agency whose dispatch the document runs (ingest/wires.py)
    counted_with: str | None = None  # the document of an earlier source of the event this one repeats


@dataclass
class Event:
    id: str
    date: Interval | None
    date_expression: str | None
    date_source: str  # sentence | context | published | none
    type: str
    sub_type: str
    trigger: str
    actors: list[tuple[Actor, str]]  # (actor, role): actor1 | actor2 | associated
    places: list[Place]
    fatalities: Fatalities | None
    confidence: float
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    vague: bool = False  # told by a general word ("attack", "killed"): it may retell a sharper telling
    tellings: list[Telling] = field(default_factory=list)  # what each source said (set by merging across sources)
    disputed: list[str] = field(default_factory=list)  # the fields the sources differ on (DISPUTABLE)
    independent_sources: int = 1


def telling_of(event: Event) -> Telling:
    """What the event's one source says of it: the event's own fields, before any other source is merged in."""
    return Telling(
        event.evidence[0].document,
        event.date,
        event.date_expression,
        event.type,
        event.sub_type,
        tuple(event.actors),
        tuple(event.places),
        event.fatalities,
    )


def event_id(document_sha: str, start: int, end: int, sub_type: str) -> str:
    """Stable across reloads: the same sentence of the same text gives the same id."""
    return hashlib.sha256(f"{document_sha}:{start}:{end}:{sub_type}".encode()).hexdigest()[:16]


def summary_of(event: Event) -> str:
    """One line in a headline's words: who did what to whom, where (its first town, else its first
    place), with how many killed."""
    doer = next((a.name for a, r in event.actors if r == "actor1"), None)
    target = next((a.name for a, r in event.actors if r == "actor2"), None)
    place = next((p for p in event.places if p.kind not in ("country", "admin1")), None) or next(
        iter(event.places), None
    )
    fatal = event.fatalities
    killed = f"{fatal.best}{'+' if fatal.high is None else ''}" if fatal and fatal.best else None
    return headline(event.sub_type, doer, target, place.name if place else None, killed)
