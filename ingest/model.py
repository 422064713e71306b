"""Records that cross layers: what the extractor produces and the store keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ingest.dates import Interval
from ingest.gazetteer import Actor, Place


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


@dataclass(frozen=True)
class Evidence:
    document: str  # the document's sha256
    start: int
    end: int
    text: str


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


def event_id(document_sha: str, start: int, end: int, sub_type: str) -> str:
    """Stable across reloads: the same sentence of the same text gives the same id."""
    return hashlib.sha256(f"{document_sha}:{start}:{end}:{sub_type}".encode()).hexdigest()[:16]
