"""The top of an article: its headline and its dateline, which the prose follows.

Text from scrapers and datasets often arrives as one paragraph that opens with the headline and
a dateline ("Wed 05 Apr 2017 Syria attack symptoms … WHO. Victims of …", "Date of publication
27 June 2016 At least 22 people …"). The dateline is the publication date when the front-matter
has none; the headline is a sentence of its own, not a part of the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.dates import Interval, find_dates
from ingest.lexicon import load_lexicon
from ingest.text import fold, squash, without_furniture

HEADER_CHARS = 240  # a dateline stands within the first few lines of a page
MAX_HEADER_WORDS = 6  # words of a dateline before its date: "Date of publication", "AFP Sunday"


@dataclass(frozen=True)
class Header:
    headline: tuple[int, int] | None  # the title, where the body repeats it at the top
    dateline: tuple[int, int] | None  # the date and the words around it
    published: Interval | None  # the dateline's date

    def spans(self) -> list[tuple[int, int]]:
        return [s for s in (self.headline, self.dateline) if s]


def read_header(text: str, title: str | None) -> Header:
    """The headline and dateline at the top of `text`, in either order."""
    pos = _skip_space(text, 0)
    headline = _title_at(text, pos, title) or _title_at(text, _after_header_words(text, pos), title)
    if headline:
        pos = _skip_space(text, headline[1])
    dateline, published = _dateline_at(text, pos)
    if dateline:
        pos = _skip_space(text, dateline[1])
        headline = headline or _title_at(text, pos, title)
    return Header(headline, dateline, published or _wire_dateline(text) or _page_stamp(text))


def _wire_dateline(text: str) -> Interval | None:
    """Without a dateline at the top, a wire service's after the headline and its summary: "20 dead in
    air raids in Syria's Latakia NGO At least 20 people are reportedly killed by air strikes AFP Saturday
    10 Aug 2013 Air strikes by ...". The agency's name right before a full date marks the dateline."""
    window = text[: 3 * HEADER_CHARS]
    agency = _agency_before()
    return next(
        (
            d.interval
            for d in find_dates(fold(window), window, None)
            if d.interval is not None
            and d.interval.precision == "day"
            and not d.relative
            and agency.search(window, max(0, d.start - 40), d.start)
        ),
        None,
    )


@cache
def _agency_before() -> re.Pattern:
    """An agency's name (as the lexicon writes it), maybe a weekday, right before a date."""
    lex = load_lexicon("header")
    agencies = "|".join(map(re.escape, sorted(lex["agencies"], key=len, reverse=True)))
    weekdays = "|".join(sorted(lex["weekdays"], key=len, reverse=True))
    return re.compile(rf"\b(?:{agencies})\s+(?:(?i:{weekdays})\.?,?\s+)?$")


def _page_stamp(text: str) -> Interval | None:
    """Without a dateline, the first full date of the page furniture a scrape runs into the first
    sentence ("... Rises to 70 REUTERS Middle East 1735 15.04.2017(updated 2033 15.04.2017) Get short
    URL 9832 A source told ..."): the page's stamp of when it was published."""
    line = text[: text.find("\n") if "\n" in text else len(text)][: 3 * HEADER_CHARS]
    prose_from = without_furniture(line)[0]
    stamps = [
        d.interval
        for d in find_dates(fold(line[:prose_from]), line[:prose_from], None)
        if d.interval is not None and d.interval.precision == "day" and not d.relative
    ]
    return stamps[0] if stamps else None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


_SITE_PARTS = re.compile(r"\s+[-|\u2013\u2014:]+\s+")


def _title_at(text: str, pos: int, title: str | None) -> tuple[int, int] | None:
    """The span of `title` at `pos`. A page title often ends with its section and site ("… kills 12
    - Region - World - Ahram Online"): the body may repeat only its first parts."""
    parts = _SITE_PARTS.split(title or "")
    for n in range(len(parts), 0, -1):
        span = _squashed_at(text, pos, " ".join(parts[:n]))
        if span:
            return span
    return None


def _after_header_words(text: str, pos: int) -> int:
    m = _header_words()[0].match(text, pos, pos + 40)
    return _skip_space(text, m.end()) if m else pos


def _squashed_at(text: str, pos: int, title: str) -> tuple[int, int] | None:
    """The span of `title` at `pos`, compared on letters and digits only ("Syria's" = "Syrias")."""
    want = squash(title)
    if len(want) < 12:
        return None
    got, i = 0, pos
    while i < len(text) and got < len(want) and text[i] != "\n":
        c = squash(text[i])
        if c:
            if want[got : got + len(c)] != c:
                return None
            got += len(c)
        i += 1
    if got < len(want):
        return None
    while i < len(text) and text[i] in ".!?:;-\u2013\u2014 \t" and text[i] != "\n":
        i += 1
    return (pos, i)


@cache
def _header_words() -> tuple[re.Pattern, re.Pattern]:
    lex = load_lexicon("header")
    words = sorted({fold(w) for w in lex["lead_ins"] + lex["weekdays"] + lex["agencies"]}, key=len, reverse=True)
    before = re.compile(
        r"(?:\b(?:" + "|".join(map(re.escape, words)) + r"|[A-Z][A-Z .'-]+,|[-\u2013\u2014:,|(){}]|by \w+ \w+)\s*)*$",
        re.IGNORECASE,
    )
    times = sorted({fold(w) for w in lex["time_words"]}, key=len, reverse=True)
    after = re.compile(
        r"(?:\s*(?:\d{1,2}[:.h]\d{2}|\d{4}(?=\s+(?:"
        + "|".join(map(re.escape, times))
        + r"))|[+-]\d{1,2}|"
        + "|".join(map(re.escape, times))
        + r")\b)*",
        re.IGNORECASE,
    )
    return before, after


def _dateline_at(text: str, pos: int) -> tuple[tuple[int, int] | None, Interval | None]:
    """A full date (with its year) near `pos`, with nothing before it but dateline words."""
    window = text[pos : pos + HEADER_CHARS]
    before, after = _header_words()
    for mention in find_dates(fold(window), window, None):
        if mention.interval is None or mention.interval.precision not in ("day", "month") or mention.relative:
            continue
        lead = window[: mention.start]
        if len(lead.split()) > MAX_HEADER_WORDS or not before.fullmatch(lead):
            return None, None
        end = pos + mention.end
        tail = after.match(text, end)  # always a match, if only an empty one
        if tail is not None:
            end = tail.end()
        return (pos, end), mention.interval
    return None, None
