"""Dates as intervals with a precision ("2017-06", a month): their arithmetic and the reading of a
publication date. Apart from the tagger (ingest/dates.py), which loads its lexicons as it is
imported, so that the store and the app, which need only these, start without them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("day", "week", "month", "season", "year")
PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # the sharper, the lower


@dataclass(frozen=True)
class Interval:
    start: date
    end: date
    precision: str

    def display(self) -> str:
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "week" and (self.end - self.start).days == 6 and self.start.weekday() == 0:
            iso = self.start.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.precision == "season":
            return f"{self.start.year:04d}-{self.start.month:02d}..{self.end.year:04d}-{self.end.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def day(d: date) -> Interval:
    return Interval(d, d, "day")


def month(y: int, m: int) -> Interval:
    return Interval(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month")


def year(y: int) -> Interval:
    return Interval(date(y, 1, 1), date(y, 12, 31), "year")


def months_span(y: int, first: int, last: int, precision: str = "season") -> Interval:
    if last < first:  # winter crosses the new year
        return Interval(date(y, first, 1), date(y + 1, last, calendar.monthrange(y + 1, last)[1]), precision)
    return Interval(date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1]), precision)


def week_of(d: date) -> Interval:
    monday = d - timedelta(days=d.weekday())
    return Interval(monday, monday + timedelta(days=6), "week")


def parse_published(value: object) -> Interval | None:
    """A publication date from front-matter: date, 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return day(value)
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text):
        return day(date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})", text):
        return year(int(m[1]))
    raise ValueError(f"unreadable date {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
