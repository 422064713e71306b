"""Which sources of an event are independent: a wire dispatch and the outlets that run it are one
source, and so are near-identical texts and one publisher's several reports. The agencies and
their spellings are in seed/lexicon/wires.yaml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from ingest.lexicon import load_lexicon
from ingest.model import Article, Event

OPENING = 300  # characters at the top that hold a dateline and a byline ("BEIRUT (AFP) -")
CLOSING = 80  # characters at the end that hold a sign-off ("- Reuters", "(AFP)")
SHINGLE = 5  # words per shingle: long enough that independent writers rarely share one
# Two texts are copies when this share of the shorter one's shingles is in the other. A dispatch
# an outlet trims or adds a paragraph to keeps nearly all of them; two reporters writing of one
# incident share names and stock phrases ("the Syrian Observatory for Human Rights said"), which
# make up well under a fifth of their shingles.
COPY_SHARE = 0.5


@cache
def _lexicon() -> tuple[list[tuple[str, str]], re.Pattern, re.Pattern, re.Pattern]:
    """(spelling, agency) longest first, the pattern of any spelling, and the cue words around a
    name that make it a citation rather than a credit."""
    data = load_lexicon("wires")
    spellings = sorted(
        ((s, agency) for agency, names in data["agencies"].items() for s in names), key=lambda p: -len(p[0])
    )
    names = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s, _ in spellings) + r")(?![\w-])")

    def words(cues: list[str]) -> str:
        return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))

    before = re.compile(r"(?:^|\W)(?:" + words(data["cited_before"]) + r")\s*$", re.IGNORECASE)
    after = re.compile(r"^\s*(?:" + words(data["cited_after"]) + r")(?!\w)", re.IGNORECASE)
    return spellings, names, before, after


def wire_of(article: Article) -> str | None:
    """The agency whose dispatch the article is: its publisher or author, or the agency credited
    in its dateline or sign-off (named there, not cited: "told AFP" is not AFP's dispatch)."""
    spellings, names, cited_before, cited_after = _lexicon()
    agency = dict(spellings)
    for byline in (article.publisher, article.author):
        found = byline and names.search(byline)
        if found:
            return agency[found[1]]
    text = article.text
    for start, end in ((0, OPENING), (max(0, len(text) - CLOSING), len(text))):
        for m in names.finditer(text, start, end):
            cited = cited_before.search(text[max(0, m.start() - 20) : m.start()]) or cited_after.search(
                text[m.end() : m.end() + 20]
            )
            if not cited:
                return agency[m[1]]
    return None


def shingles(text: str) -> frozenset[int]:
    """The text's runs of SHINGLE words, lowercased, punctuation ignored (scrapers strip it)."""
    words = re.findall(r"\w+", text.lower())
    return frozenset(hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def near_identical(a: frozenset[int], b: frozenset[int]) -> bool:
    """Are two texts (as shingles) one text, trimmed or extended? Measured on the shorter one."""
    smaller = min(len(a), len(b))
    return smaller > 0 and len(a & b) >= COPY_SHARE * smaller


def independent(publishers: Sequence[str], wires: Sequence[str | None], texts: Sequence[frozenset[int]]) -> list[int]:
    """For each source of one event, the first source it counts with (itself when independent):
    sources with one publisher, one wire agency or near-identical texts count once."""
    first = list(range(len(publishers)))

    def root(i: int) -> int:
        while first[i] != i:
            i = first[i]
        return i

    for j in range(len(publishers)):
        for i in range(j):
            same = publishers[i] == publishers[j] or (wires[i] is not None and wires[i] == wires[j])
            if same or near_identical(texts[i], texts[j]):
                a, b = sorted((root(i), root(j)))
                first[b] = a
    return [root(i) for i in range(len(publishers))]


def mark_independent(events: list[Event], articles: dict[str, Article]) -> None:
    """Say, for each event, how many of its sources are independent, and which source each other
    one repeats. `articles` by their sha256; texts are compared only within an event."""
    wires: dict[str, str | None] = {}
    texts: dict[str, frozenset[int]] = {}
    for event in events:
        docs = [t.document for t in event.tellings]
        for sha in docs:
            if sha not in wires:
                wires[sha] = wire_of(articles[sha])
        if len(docs) > 1:
            for sha in docs:
                if sha not in texts:
                    texts[sha] = shingles(articles[sha].text)
            publishers = [articles[sha].publisher or articles[sha].path for sha in docs]
            firsts = independent(publishers, [wires[sha] for sha in docs], [texts[sha] for sha in docs])
        else:
            firsts = [0]
        event.tellings = [
            replace(t, wire=wires[t.document], counted_with=None if first == i else docs[first])
            for i, (t, first) in enumerate(zip(event.tellings, firsts, strict=True))
        ]
        event.independent_sources = sum(first == i for i, first in enumerate(firsts))
