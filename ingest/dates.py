"""A temporal tagger for news text: absolute and relative dates as intervals with a precision.

Relative expressions resolve against the publication date with a past bias ("Monday" is the
latest Monday on or before publication). Without a publication date they stay unresolved. An
expression finer than the publication date's own precision takes the publication's interval:
"last week" in an article known only as "2017-11" is "2017-11".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ingest.intervals import (  # noqa: F401 (read from here by the extractor)
    PRECISION_RANK,
    PRECISIONS,
    Interval,
    day,
    month,
    months_span,
    parse_published,
    week_of,
    year,
)
from ingest.lexicon import load_lexicon

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS: dict[str, int] = load_lexicon("numbers")["words"]  # "two", "a dozen": one list for dates and tolls
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
PART_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end of": (10, 12), "beginning of": (1, 3)}

_M = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_Y = r"(?P<year>1[89]\d\d|20\d\d)"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_N = r"(?P<n>\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|a few|few|several)"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    expression: str
    interval: Interval | None  # None: relative, with nothing to resolve it against
    relative: bool


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _past_month(month_no: int, ref: Interval) -> Interval:
    """The latest given month on or before the reference."""
    y = ref.end.year
    if month_no > (ref.end.month if ref.precision != "year" else 12):
        y -= 1
    return month(y, month_no)


def _past_day(month_no: int, day_no: int, ref: Interval) -> Interval | None:
    y = ref.end.year
    try:
        d = date(y, month_no, day_no)
        if d > ref.end:
            d = date(y - 1, month_no, day_no)
    except ValueError:
        return None
    return day(d)


def _coarsen(result: Interval, ref: Interval) -> Interval:
    """A relative expression cannot be finer than the date it is relative to."""
    if PRECISION_RANK[result.precision] < PRECISION_RANK[ref.precision]:
        return ref
    return result


# Each rule: (regex, resolver(match, ref) -> Interval | None, relative?)
# Absolute rules work without a reference; relative ones need it.
Resolver = Callable[[re.Match[str], Interval | None], Interval | None]
_RULES: list[tuple[re.Pattern[str], Resolver, bool]] = []


def _rule(pattern: str, relative: bool) -> Callable[[Resolver], Resolver]:
    def register(fn: Resolver) -> Resolver:
        _RULES.append((re.compile(pattern), fn, relative))
        return fn

    return register


@_rule(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", False)
def _iso(m, ref):
    return day(date(int(m["year"]), int(m["m"]), int(m["d"])))


@_rule(r"\b(?P<a>[0-3]?\d)(?P<sep>[-./])(?P<b>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)(?!\d)", False)
def _numeric(m, ref):
    """17-12-2014 and 24.08.2013 are day first, as most of the world writes them; 12/17/2014 is
    month first, as American pages write it; a number over 12 settles either way."""
    a, b = int(m["a"]), int(m["b"])
    day_no, month_no = (b, a) if m["sep"] == "/" and b <= 31 and a <= 12 else (a, b)
    if month_no > 12:
        day_no, month_no = month_no, day_no
    try:
        return day(date(int(m["year"]), month_no, day_no))
    except ValueError:
        return None


@_rule(r"\b(?:" + _WD + r",?\s+)?(?:the\s+)?" + _D + r"\s+(?:of\s+)?" + _M + r"(?:,?\s+" + _Y + r")?\b", False)
def _day_month(m, ref):
    return _day_in(m, ref)


@_rule(r"\b(?:" + _WD + r",?\s+)?" + _M + r"\s+" + _D + r"(?![\d:])(?:,?\s+" + _Y + r")?\b", False)
def _month_day(m, ref):
    return _day_in(m, ref)


# "Apr 232017": "Apr 23, 2017" with its comma stripped, as some datasets give it.
@_rule(r"\b" + _M + r"\s+(?P<day>[0-3]?\d)(?P<year>(?:19|20)\d\d)\b", False)
def _month_day_glued(m, ref):
    return _day_in(m, ref)


def _day_in(m, ref):
    month_no, day_no = MONTHS[m["month"]], int(m["day"])
    if not 1 <= day_no <= 31:
        return None
    if m["year"]:
        try:
            return day(date(int(m["year"]), month_no, day_no))
        except ValueError:
            return None
    return _past_day(month_no, day_no, ref) if ref else None


@_rule(r"\b(?:(?P<part>early|mid|late|end of|beginning of)[\s-]+)?" + _M + r",?\s+" + _Y + r"\b", False)
def _month_year(m, ref):
    return month(int(m["year"]), MONTHS[m["month"]])


@_rule(r"\b(?P<part>early|mid|late|end of|beginning of|the end of|the beginning of)[\s-]+" + _Y + r"\b", False)
def _part_of_year(m, ref):
    first, last = PART_OF_YEAR[m["part"].removeprefix("the ")]
    return months_span(int(m["year"]), first, last)


@_rule(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + _Y + r"\b", False)
def _season_year(m, ref):
    return months_span(int(m["year"]), *SEASONS[m["season"]])


@_rule(r"\b(?P<ancient>\d{1,4})\s*(?P<era>ad|ce|bc|bce)\b", False)
def _ancient(m, ref):
    if m["era"] in ("bc", "bce") or int(m["ancient"]) == 0:
        return None  # before year 1: kept as an expression, no interval
    return year(int(m["ancient"]))


@_rule(
    r"(?<![\d$.,-])\b"
    + _Y
    + r"(?![\d-]|\s*(?:km|kilomet|mile|metre|meter|kg|ton|tonne|troop|fighter|soldier|people|%|dollar|"
    + r"gmt|utc|local time|hours|hrs|h\b))\b",
    False,
)
def _year(m, ref):
    return year(int(m["year"]))


@_rule(r"\b(?P<rel>last|this|next)\s+(?P<season>spring|summer|autumn|fall|winter)\b", True)
def _relative_season(m, ref):
    first, last = SEASONS[m["season"]]
    y = ref.end.year
    if m["rel"] == "last" or (m["rel"] == "this" and first > ref.end.month and first != 12):
        y -= 1
    if m["rel"] == "next":
        y += 1
    return months_span(y, first, last)


@_rule(
    r"\b(?:(?P<rel>last|this|next|in|since|until|by|during|early|mid|late|from|of)[\s-]+)" + _M + r"(?!\s*\d)\b", True
)
def _month_alone(m, ref):
    month_no = MONTHS[m["month"]]
    if m["rel"] == "next":
        y = ref.end.year + (1 if month_no <= ref.end.month else 0)
        return month(y, month_no)
    if m["rel"] == "this":
        return month(ref.end.year, month_no)
    if m["rel"] == "last":  # "last June" is June of last year, as "last year" is
        return month(ref.end.year - 1, month_no)
    return _past_month(month_no, ref)


# "Saturday's blast" as the text arrives when a scraper strips apostrophes: "Saturdays blast". The
# plural of habit ("on Fridays", "Fridays and Saturdays") names no day (`_weekday`).
_NAME_AFTER_WEEKDAY = re.compile(
    r"\s+(?:" + "|".join(w.lower() for w in load_lexicon("names")["after_weekday_in_a_name"]) + r")\b"
)


@_rule(r"\b(?:(?P<last>last|past|previous)\s+)?(?P<on>on\s+)?" + _WD + r"(?:'s|(?P<bare>s)(?=\s+[a-z]))?\b", True)
def _weekday(m, ref):
    if m["bare"] and (m["on"] or re.match(r"\s+(?:and|or|nor)\b", m.string[m.end() :])):
        raise ValueError("a weekday of habit, not a day")
    if _NAME_AFTER_WEEKDAY.match(m.string, m.end()):
        raise ValueError("the name of a place: 'Monday Avenue', 'the Friday Mosque'")
    target = WEEKDAYS[m["weekday"]]
    back = (ref.end.weekday() - target) % 7
    if m["last"] and back == 0:
        back = 7
    return day(ref.end - timedelta(days=back))


@_rule(
    r"\b(?P<word>today|tonight|this morning|this afternoon|this evening|yesterday|the day before yesterday|"
    r"last night)\b",
    True,
)
def _today(m, ref):
    # "clashed last night" in a report of the 20th: the night of the 19th, as the report's day is told
    back = {"yesterday": 1, "the day before yesterday": 2, "last night": 1}.get(m["word"], 0)
    return day(ref.end - timedelta(days=back))


@_rule(r"\b(?P<part>early|mid|late)[\s-]+(?P<rel>last|this|next)\s+year\b", True)
def _part_of_relative_year(m, ref):
    y = ref.end.year + {"last": -1, "this": 0, "next": 1}[m["rel"]]
    return months_span(y, *PART_OF_YEAR[m["part"]])


# "in the last year" is a span of time, not a date: "the" keeps it out.
@_rule(
    r"(?<!the )\b(?:(?P<earlier>earlier|later)\s+)?(?P<rel>last|this|next|past|previous)\s+"
    r"(?P<unit>week|month|year)\b",
    True,
)
def _relative_unit(m, ref):
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1}[m["rel"]]
    anchor = ref.end
    if m["unit"] == "week":
        return week_of(anchor + timedelta(weeks=step))
    if m["unit"] == "month":
        d = anchor + relativedelta(months=step)
        return month(d.year, d.month)
    return year(anchor.year + step)


@_rule(r"\b" + _N + r"\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)\b", True)
def _ago(m, ref):
    n = _number(m["n"])
    anchor = ref.end
    if n is None:  # "a few days ago": the week before publication
        span = {"day": 7, "week": 28, "month": 180, "year": 365 * 5}[m["unit"]]
        return Interval(anchor - timedelta(days=span), anchor, "week" if m["unit"] == "day" else "year")
    if m["unit"] == "day":
        return day(anchor - timedelta(days=n))
    if m["unit"] == "week":
        return week_of(anchor - timedelta(weeks=n))
    if m["unit"] == "month":
        d = anchor - relativedelta(months=n)
        return month(d.year, d.month)
    return year(anchor.year - n)


@_rule(r"\b(?:in\s+|over\s+|during\s+)?the\s+(?:past|last)\s+(?:few|several|couple of)\s+days\b", True)
def _past_days(m, ref):
    return Interval(ref.end - timedelta(days=7), ref.end, "week")


# Every rule needs a digit or one of these words: most sentences are ruled out by one search.
_MAYBE_DATE = re.compile(
    r"\d|day|week|month|year|ago|night|morning|afternoon|evening|spring|summer|autumn|fall|"
    r"winter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
)


def find_dates(folded: str, original: str, ref: Interval | None, offset: int = 0) -> list[DateMention]:
    """Date expressions in a folded sentence; `original` is the same span unfolded (for case)."""
    if not _MAYBE_DATE.search(folded):
        return []
    found: list[tuple[int, int, Resolver, bool, re.Match[str]]] = []
    for pattern, resolve, relative in _RULES:
        for m in pattern.finditer(folded):
            if not _capitalised_where_needed(m, original):
                continue
            found.append((m.start(), m.end(), resolve, relative, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    mentions, taken_until = [], -1
    for start, end, resolve, relative, m in found:
        if start < taken_until:
            continue
        interval = None
        if not relative or ref is not None:
            try:
                interval = resolve(m, ref)
            except ValueError:
                interval = None
            if interval is not None and relative and ref is not None:  # relative ones resolve only with a ref
                interval = _coarsen(interval, ref)
        mentions.append(DateMention(offset + start, offset + end, original[start:end], interval, relative))
        taken_until = end
    return mentions


def _capitalised_where_needed(m: re.Match, original: str) -> bool:
    """Month and weekday names are proper nouns: "may" the verb and "march" the noun are not dates."""
    for group in ("month", "weekday"):
        if m.groupdict().get(group) and not original[m.start(group)].isupper():
            return False
    return True
