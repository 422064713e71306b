"""Exports of a selection of events: JSON (a contract for other tools), Markdown (for a report),
CSV (for a spreadsheet), and the shapes other tools open as they are: GeoJSON (a GIS), TimelineJS
(a web timeline), Timesketch (JSON Lines) and ACLED's own columns. Files are written atomically."""

from __future__ import annotations

import csv
import errno
import html
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from db.corrections import by_analyst, describe_value, review_fields
from db.queries import DETAIL_CHUNK, EventDetail, EventRow, PlaceInfo, Says, event_details
from ingest.intervals import month, week_of

FORMATS = ("md", "json", "csv", "geojson", "timelinejs", "timesketch", "acled")
FORMAT_NAMES = {
    "md": "Markdown report",
    "json": "JSON (timeline's own)",
    "csv": "CSV (spreadsheet)",
    "geojson": "GeoJSON (QGIS, kepler.gl)",
    "timelinejs": "TimelineJS (web timeline)",
    "timesketch": "Timesketch (JSON Lines)",
    "acled": "ACLED columns (CSV)",
}
SUFFIXES = {
    "md": ".md",
    "json": ".json",
    "csv": ".csv",
    "geojson": ".geojson",
    "timelinejs": ".timeline.json",
    "timesketch": ".jsonl",
    "acled": ".acled.csv",
}


@dataclass
class Rendered:
    """An export's text, and what the format could not hold (said on stderr, or in the app's notice)."""

    text: str
    notes: list[str] = field(default_factory=list)
    left_out: int = 0  # events the format could not hold


@dataclass
class Kinds:
    """What ACLED's columns need beyond an event's detail: each actor's kind (its inter code) and
    each place's kind (a town is a location; a division or a country is coarser)."""

    actors: dict[str, str] = field(default_factory=dict)  # actor name -> kind
    places: dict[str, str] = field(default_factory=dict)  # place id -> kind


def export(conn, ids: list[str], fmt: str, heading: str) -> Rendered:
    """The events `ids`, in that order, in one of FORMATS, as one text (an app's marked events,
    a test's); `write` streams a selection of any size."""
    out = io.StringIO()
    done = write(conn, [ids], fmt, heading, out)
    return Rendered(out.getvalue(), done.notes, done.left_out)


def write(conn, id_pages: Iterable[list[str]], fmt: str, heading: str, out: TextIO) -> Rendered:
    """Write the events of `id_pages` (in order) to `out` in one of FORMATS, a few hundred details
    at a time: memory stays flat whatever the number of events. The `text` of the answer is empty."""
    form = _form(fmt, heading, lambda items: kinds(conn, items))
    pages = (
        event_details(conn, ids[i : i + DETAIL_CHUNK]) for ids in id_pages for i in range(0, len(ids), DETAIL_CHUNK)
    )
    _write(form, pages, out)
    return Rendered("", form.notes(), form.left_out)


def render(items: list[EventDetail], fmt: str, heading: str, known: Kinds | None = None) -> Rendered:
    """Details already read, as one text."""
    form = _form(fmt, heading, lambda _: known or Kinds())
    out = io.StringIO()
    _write(form, [items], out)
    return Rendered(out.getvalue(), form.notes(), form.left_out)


def to_markdown(items: list[EventDetail], heading: str) -> str:
    return render(items, "md", heading).text


def _write(form: Form, pages: Iterable[list[EventDetail]], out: TextIO) -> None:
    """The format's head, its pages, its tail. A head that counts the events (a report's "12
    events.") is written once they are: the pages wait in a spool file, on disk past a few MB."""
    pages = iter(pages)
    first = next(pages, [])  # read before a line is written: a query's error leaves no half a file
    if not form.head_counts:
        out.write(form.head())
        out.write(form.page(first))
        for items in pages:
            out.write(form.page(items))
    else:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline="") as body:
            body.write(form.page(first))
            for items in pages:
                body.write(form.page(items))
            out.write(form.head())
            body.seek(0)
            shutil.copyfileobj(body, out)
    out.write(form.tail())


SPOOL_IN_MEMORY = 4 << 20  # bytes of a spooled body kept in memory before it goes to a file


def _form(fmt: str, heading: str, kinds_of: Callable[[list[EventDetail]], Kinds]) -> Form:
    if fmt not in FORMS:
        raise UnknownFormat(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return FORMS[fmt](heading, kinds_of)


class Form:
    """One format, written a page of events at a time: the text before the events (`head`), each
    page's (`page`), the text after (`tail`), and what the format could not hold (`notes`)."""

    head_counts = False  # the head says how many events follow: written after the pages

    def __init__(self, heading: str, kinds_of: Callable[[list[EventDetail]], Kinds]) -> None:
        self.heading = heading
        self.kinds_of = kinds_of
        self.written = 0  # events written
        self.left_out = 0  # events the format could not hold

    def head(self) -> str:
        return ""

    def page(self, items: list[EventDetail]) -> str:
        raise NotImplementedError

    def tail(self) -> str:
        return ""

    def notes(self) -> list[str]:
        return []

    def _joined(self, parts: list[str], first: str, between: str) -> str:
        """Parts of a JSON array across pages: `first` before the first part ever, `between` before the others."""
        if not parts:
            return ""
        text = (first if self.written == 0 else between) + between.join(parts)
        self.written += len(parts)
        return text


def kinds(conn, items: list[EventDetail]) -> Kinds:
    """The kinds of the actors and places of a page of events: a statement each, their names or
    ids one JSON parameter (one statement text, whatever their number)."""
    names = sorted({n for d in items for n, _ in d.event.actors})
    places = sorted({p.id for d in items for p in d.places})
    found = Kinds()
    among = "IN (SELECT value FROM json_each(?))"
    found.actors.update(conn.execute(f"SELECT name, kind FROM actors WHERE name {among}", (json.dumps(names),)))
    found.places.update(conn.execute(f"SELECT id, kind FROM places WHERE id {among}", (json.dumps(places),)))
    return found


def _when_and_what(e: EventRow) -> dict:
    """The fields every JSON shape of an event begins with."""
    return {
        "id": e.id,
        "date": e.date,
        "date_start": e.date_start,
        "date_end": e.date_end,
        "precision": e.precision,
        "type": e.type,
        "sub_type": e.sub_type,
    }


class Json(Form):
    """An event a line, in one array: readable, and written by json's C encoder (an indented dump
    is pure Python, two thirds of a 10k-event export's time)."""

    def head(self) -> str:
        return "["

    def page(self, items: list[EventDetail]) -> str:
        return self._joined([_ONE_LINE(_json_event(d)) for d in items], "\n", ",\n")

    def tail(self) -> str:
        return "\n]\n" if self.written else "]\n"


def _json_event(d: EventDetail) -> dict:
    e, analysts = d.event, by_analyst(d)
    return {
        **_when_and_what(e),
        "summary": e.summary,
        "fatalities": e.fatalities,
        "independent_sources": e.independent_sources,
        "confidence": None if analysts else e.confidence,  # the analyst's event is no guess
        "by_analyst": analysts,
        "disputed": list(e.disputed),
        "actors": [{"name": n, "role": r, **_as_named(d, n)} for n, r in e.actors],
        "places": [{"id": p.id, **_place(p)} for p in d.places],
        "sources": [
            {
                "document": s.document_id,
                "path": s.path,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published,
                "quote": s.quote,
                "start": s.start,
                "end": s.end,
                "wire": s.wire,
                "counted_with": s.counted_with,
                "says": _says(s.says),
            }
            for s in d.sources
        ],
        **_analyst(d),
    }


# Made once: json.dumps(..., ensure_ascii=False) makes an encoder at every call. An event's JSON
# holds no container twice, so the encoder need not look for cycles (a set of ids kept per object).
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


# The analyst's layer (db/corrections.py, db/annotations.py): the event's fields are already the
# analyst's where corrected; these say so, and keep the machine's value beside them.
ANALYST_COLUMNS = ["reviewed", "review", "corrected", "machine_values", "starred", "tags", "note"]


CSV_COLUMNS = [
    "id",
    "date",
    "date_start",
    "date_end",
    "precision",
    "type",
    "sub_type",
    "summary",
    "fatalities",
    "actor1",
    "actor2",
    "associated",
    "places",
    "country",
    "country_name",
    "admin1",
    "sources",
    "independent_sources",
    "disputed",
    "quote",
    "source_titles",
    *ANALYST_COLUMNS,
]


class Csv(Form):
    def head(self) -> str:
        return _csv_lines([CSV_COLUMNS])

    def page(self, items: list[EventDetail]) -> str:
        self.written += len(items)
        return _csv_lines(_csv_row(d) for d in items)


def _csv_lines(rows: Iterable[list]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _csv_row(d: EventDetail) -> list:
    e = d.event
    return [
        e.id,
        e.date or "",
        e.date_start or "",
        e.date_end or "",
        e.precision or "",
        e.type,
        e.sub_type,
        e.summary,
        "" if e.fatalities is None else e.fatalities,
        _in_role(e.actors, "actor1"),
        _in_role(e.actors, "actor2"),
        _in_role(e.actors, "associated"),
        "; ".join(p.name for p in d.places),
        *("; ".join(dict.fromkeys(v for p in d.places if (v := getattr(p, k)))) for k in PLACE_LEVELS),
        d.documents,
        e.independent_sources,
        "; ".join(e.disputed),
        d.sources[0].quote if d.sources else "",
        "; ".join(dict.fromkeys(s.title or s.path for s in d.sources)),
        *_analyst_cells(d),
    ]


def _analyst(d: EventDetail) -> dict:
    return {**review_fields(d.event), "starred": d.event.starred, "tags": list(d.tags), "note": d.note}


def _analyst_cells(d: EventDetail) -> list:
    review = review_fields(d.event)
    machine = {name: c["machine"] for name, c in review["corrected"].items()}
    return [
        int(review["reviewed"]),
        review["review"] or "",
        "; ".join(review["corrected"]),
        json.dumps(machine, ensure_ascii=False) if machine else "",
        int(d.event.starred),
        "; ".join(d.tags),
        d.note or "",
    ]


def _markdown_review(d: EventDetail) -> list[str]:
    """ "Reviewed: confirmed." "Fatalities corrected by Dana on 2026-12-06, was 3." Tags and note."""
    review = review_fields(d.event)
    lines = [f"  Reviewed: {review['review']}."] if review["review"] else []
    for name, c in review["corrected"].items():
        was = md_escape(describe_value(c["machine"], name))
        conflict = " (the source has changed since)" if c["conflict"] else ""
        lines.append(f"  {name.capitalize()} corrected by {md_escape(c['by'])} on {c['on']}, was {was}{conflict}.")
    if d.event.starred:
        lines.append("  Starred.")
    if d.tags:
        lines.append(f"  Tags: {'; '.join(md_escape(t) for t in d.tags)}.")
    if d.note:
        lines.append(f"  Note: {md_escape(' '.join(d.note.split()))}")
    return [line + "  " if i < len(lines) - 1 else line for i, line in enumerate(lines)]


def _says(says: Says | None) -> dict | None:
    """What one source reported: its date and toll with the words that gave them (`*_quote`)."""
    if says is None:
        return None
    return {
        "date": says.date,
        "precision": says.precision,
        "date_quote": says.date_expression,
        "type": says.type,
        "sub_type": says.sub_type,
        "places": says.places,
        "actors": [{"name": n, "role": r} for n, r in says.actors],
        "fatalities": says.fatalities,
        "fatalities_low": says.fatalities_low,
        "fatalities_high": says.fatalities_high,
        "fatalities_quote": says.fatalities_raw,
    }


def _as_named(d: EventDetail, name: str) -> dict:
    """ "as_named": the actor's name as the source wrote it, where it differs ("(2016-)")."""
    return {"as_named": d.as_named[name]} if name in d.as_named else {}


PLACE_LEVELS = ("country", "country_name", "admin1")  # CSV columns: the places' countries and divisions


def _in_role(actors: list[tuple[str, str]], role: str) -> str:
    """The names of the actors in one role, as one CSV field."""
    return "; ".join(n for n, r in actors if r == role)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_escape(text: str) -> str:
    """Text from articles shown literally: no emphasis, links, HTML or tables made by accident; a
    control character (a tab, a newline) a space. Most text has none: it is looked at a character
    at a time only when it does (a report of 10k events escapes some 100k texts)."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else " " for c in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


class Markdown(Form):
    """Year and month headings, an entry per event with its quotes, a footnote per document (the
    footnotes are kept until the end: a line per document cited)."""

    head_counts = True

    def __init__(self, heading: str, kinds_of: Callable[[list[EventDetail]], Kinds]) -> None:
        super().__init__(heading, kinds_of)
        self.footnote_of: dict[int, int] = {}  # document -> footnote number
        self.footnotes: list[str] = []
        self.year: str | None = None
        self.month: str | None = None

    def head(self) -> str:
        n = self.written
        return "\n".join([f"# {md_escape(self.heading)}", "", f"{n} event{'s' if n != 1 else ''}.", "", ""])

    def page(self, items: list[EventDetail]) -> str:
        lines: list[str] = []
        for d in items:
            lines += self._entry(d)
        self.written += len(items)
        return "".join(line + "\n" for line in lines)

    def _entry(self, d: EventDetail) -> list[str]:
        e, lines = d.event, []
        y, m = (e.date_start[:4], e.date_start[:7]) if e.date_start else ("Undated", "Undated")
        if y != self.year:
            lines += [f"## {y}", ""]
            self.year, self.month = y, None
        if m != self.month and m != "Undated" and e.precision not in ("year", "season"):
            lines += [f"### {m}", ""]
            self.month = m
        actors = ", ".join(f"{md_escape(n)} ({r})" for n, r in e.actors) or "unknown actors"
        places = ", ".join(md_escape(_where(p)) for p in d.places) or "unknown place"
        killed = f" · {e.fatalities} killed" if e.fatalities else ""
        lines.append(f"- **{e.date or 'undated'}** · {md_escape(e.type)} / {md_escape(e.sub_type)}{killed}  ")
        lines.append(f"  {md_escape(e.summary)}  ")
        lines.append(f"  Actors: {actors}. Places: {places}.")
        if d.documents > 1:
            lines.append(f"  {d.documents} reports, {e.independent_sources} independent.")
        if e.disputed:
            lines.append(f"  Its sources disagree on: {', '.join(e.disputed)}.")
        lines += _markdown_review(d)
        quoted = set()
        for s in d.sources:
            if s.document_id not in self.footnote_of:
                self.footnote_of[s.document_id] = len(self.footnote_of) + 1
                source = ", ".join(md_escape(x) for x in (s.title or Path(s.path).name, s.publisher, s.published) if x)
                self.footnotes.append(f"[^{self.footnote_of[s.document_id]}]: {source}.")
            quote = " ".join(s.quote.split())
            if (s.document_id, quote) not in quoted:  # a sentence retold in one article is quoted once
                quoted.add((s.document_id, quote))
                lines += ["", f"  > {md_escape(quote)} [^{self.footnote_of[s.document_id]}]"]
        lines.append("")
        return lines

    def tail(self) -> str:
        return "\n".join(["---", "", *self.footnotes, ""]) if self.footnotes else ""


def _where(p) -> str:
    """ "Albu Kamal (Deir ez-Zor, Syria)": a place with its division and country."""
    around = [x for x in dict.fromkeys((p.admin1, p.country_name)) if x and x != p.name]
    return f"{p.name} ({', '.join(around)})" if around else p.name


class ExportError(OSError):
    """A file an export cannot write; the message names it and says why, in one line. `path_refused`:
    the path cannot be written at all (no folder, not a file, no permission), which the user is to
    fix; otherwise the write itself failed (a full disk)."""

    def __init__(self, message: str, path_refused: bool = True) -> None:
        super().__init__(message)
        self.path_refused = path_refused


# Errors of creating a file that say the path is wrong, not that the disk is: the user's to fix.
_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ENOENT}


def write_atomic(path: Path, content: str, make_folders: bool = False) -> None:
    with atomic_file(path, make_folders) as f:
        f.write(content)


@contextmanager
def atomic_file(path: Path, make_folders: bool = False) -> Iterator[TextIO]:
    """A file to write the file the path names (through a symlink, its target): written beside it,
    then renamed over it, so a crash or an error leaves the old file or the new one. What is not a
    regular file is refused, and a missing folder is created only when asked."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        raise ExportError(f"{path}: not a regular file; nothing written")
    if not target.parent.is_dir() and not make_folders:
        raise ExportError(f"{path}: no such folder {target.parent} (--parents creates it)")
    tmp = None
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        except OSError as e:
            raise ExportError(f"{path}: {e.strerror or e}; nothing written", e.errno in _REFUSED) from None
        try:
            # mkstemp makes the file 0600; an export is the user's to share, as any file they make
            os.fchmod(fd, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                yield f
            os.replace(tmp, target)
        except OSError as e:
            raise ExportError(f"{path}: {e.strerror or e}; nothing written", path_refused=False) from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process's umask: from /proc where Linux gives it, else the only way POSIX offers, by
    setting it and back (for an instant another thread's new file would get no mask)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Umask:")), 8)
    except (OSError, StopIteration):
        mask = os.umask(0)
        os.umask(mask)
        return mask


class UnknownFormat(ValueError):
    pass


def _undated(n: int, why: str) -> list[str]:
    return [f"{n} undated event{'s' if n != 1 else ''} left out: {why}"] if n else []


# ---- GeoJSON (RFC 7946) ---------------------------------------------------------------------


class GeoJson(Form):
    """A FeatureCollection: each event a Feature at the most precise of its places that has a point
    (a town before a division before a country; `geometry: null` when none has), saying which
    place and how precise (`point_precision`), with flat properties a GIS can style by and the
    nested ones."""

    def head(self) -> str:
        return (
            '{"type": "FeatureCollection", "name": ' + json.dumps(self.heading, ensure_ascii=False) + ', "features": ['
        )

    def page(self, items: list[EventDetail]) -> str:
        return self._joined([_ONE_LINE(_feature(d)) for d in items], "", ", ")

    def tail(self) -> str:
        return "]}\n"


def _feature(d: EventDetail) -> dict:
    e = d.event
    located = [p for p in d.places if p.lat is not None and p.lon is not None]
    at = min(located, key=lambda p: _PRECISIONS.index(_point_precision(p)), default=None)
    return {
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [at.lon, at.lat]} if at else None,
        "properties": {
            **_when_and_what(e),
            "actor1": next((n for n, r in e.actors if r == "actor1"), None),
            "actors": [{"name": n, "role": r} for n, r in e.actors],
            "place": at.name if at else None,
            "point_precision": _point_precision(at) if at else None,
            "country": at.country if at else None,
            "admin1": at.admin1 if at else None,
            "places": [_place(p) for p in d.places],
            "fatalities": e.fatalities,
            "summary": e.summary,
            "source_count": d.documents,
            **_analyst(d),
        },
    }


_PRECISIONS = ["town", "division", "country"]  # finest first


def _point_precision(p: PlaceInfo) -> str:
    return {"country": "country", "admin1": "division"}.get(p.kind, "town")


def _place(p: PlaceInfo) -> dict:
    """A place with its country and division, as JSON and GeoJSON give it."""
    return {
        "name": p.name,
        "country": p.country,
        "country_name": p.country_name,
        "admin1": p.admin1,
        "lat": p.lat,
        "lon": p.lon,
    }


# ---- TimelineJS3 ----------------------------------------------------------------------------


class TimelineJs(Form):
    """The JSON TimelineJS3 loads as is: a title slide and a slide per dated event, its dates at
    the event's precision, its text the quotes and their sources as escaped HTML."""

    head_counts = True  # the title slide counts the slides

    def __init__(self, heading: str, kinds_of: Callable[[list[EventDetail]], Kinds]) -> None:
        super().__init__(heading, kinds_of)
        self.ids: set[str] = set()  # the slides' ids, each unique (a set of short strings a slide)

    def head(self) -> str:
        n = self.written
        title = {"text": {"headline": html.escape(self.heading), "text": f"<p>{n} event{'s' if n != 1 else ''}</p>"}}
        return '{"title": ' + json.dumps(title, ensure_ascii=False) + ', "events": ['

    def page(self, items: list[EventDetail]) -> str:
        slides = [self._slide(d) for d in items]
        self.left_out += slides.count(None)
        return self._joined([_ONE_LINE(s) for s in slides if s is not None], "\n", ",\n")

    def _slide(self, d: EventDetail) -> dict | None:
        e = d.event
        if not (e.date_start and e.date_end):
            return None
        slide: dict[str, object] = {"start_date": _tl_date(e.date_start, e.precision)}
        if e.precision not in ("day", "month", "year"):  # a week, a season, a span: an interval
            slide["end_date"] = _tl_date(e.date_end, "month" if e.precision == "season" else "day")
        slide["text"] = {"headline": html.escape(e.summary), "text": _tl_text(d)}
        slide["group"] = e.type
        slide["unique_id"] = _unique(_tl_id(e.id), self.ids)
        return slide

    def tail(self) -> str:
        return "\n]}\n" if self.written else "]}\n"

    def notes(self) -> list[str]:
        return _undated(self.left_out, "a TimelineJS slide needs a start date")


def _tl_date(iso: str, precision: str | None) -> dict[str, str]:
    """ "2017-06-07" at month precision: {"year": "2017", "month": "6"}. TimelineJS shows a date
    to the finest part given."""
    y, m, d = iso.split("-")
    parts = {"year": str(int(y))}
    if precision != "year":
        parts["month"] = str(int(m))
    if precision not in ("year", "month", "season"):
        parts["day"] = str(int(d))
    return parts


def _tl_text(d: EventDetail) -> str:
    e, esc = d.event, html.escape
    facts = [f"{esc(e.type)} / {esc(e.sub_type)}", f"date {esc(e.date or '')}"]
    if e.fatalities is not None:
        facts.append(f"{e.fatalities} killed")
    if d.places:
        facts.append(esc(", ".join(_where(p) for p in d.places)))
    if e.actors:
        facts.append(esc(", ".join(f"{n} ({r})" for n, r in e.actors)))
    parts = [f"<p>{' · '.join(facts)}</p>"]
    for s in d.sources:
        cited = ", ".join(esc(x) for x in (s.title or Path(s.path).name, s.publisher, s.published) if x)
        parts.append(f"<blockquote>{esc(' '.join(s.quote.split()))}</blockquote><p>— {cited}</p>")
    parts.append(f"<p><small>id {esc(e.id)}</small></p>")
    return "".join(parts)


def _tl_id(event_id: str) -> str:
    """TimelineJS puts the id in the page's address and slugs what is not [a-z0-9-]: slug it first,
    so the id it shows is the one written."""
    return "event-" + re.sub(r"[^a-z0-9]+", "-", event_id.lower()).strip("-")


def _unique(candidate: str, taken: set[str]) -> str:
    n, found = 1, candidate
    while found in taken:
        n += 1
        found = f"{candidate}-{n}"
    taken.add(found)
    return found


# ---- Timesketch (JSON Lines) ----------------------------------------------------------------

_EPOCH = date(1970, 1, 1)


class Timesketch(Form):
    """A JSON object a line, with Timesketch's fields (message, datetime, timestamp in
    microseconds, timestamp_desc) and the event's fields as flat attributes it can filter on."""

    def page(self, items: list[EventDetail]) -> str:
        records = [_ONE_LINE(r) + "\n" for d in items if (r := _timesketch_record(d)) is not None]
        self.written += len(records)
        self.left_out += len(items) - len(records)
        return "".join(records)

    def notes(self) -> list[str]:
        return _undated(self.left_out, "Timesketch needs a date")


def _timesketch_record(d: EventDetail) -> dict | None:
    e = d.event
    if not e.date_start:
        return None
    start = date.fromisoformat(e.date_start)
    at = next((p for p in d.places if p.lat is not None), d.places[0] if d.places else None)
    return {
        "message": e.summary,
        "datetime": f"{start.isoformat()}T00:00:00+00:00",
        "timestamp": (start - _EPOCH).days * 86_400_000_000,
        "timestamp_desc": "Event date" if e.precision == "day" else f"Start of the event's {e.precision}",
        "event_id": e.id,
        "date": e.date,
        "date_end": e.date_end,
        "precision": e.precision,
        "event_type": e.type,
        "sub_type": e.sub_type,
        "actor1": _in_role(e.actors, "actor1"),
        "actor2": _in_role(e.actors, "actor2"),
        "actors": "; ".join(n for n, _ in e.actors),
        "place": at.name if at else "",
        "places": "; ".join(p.name for p in d.places),
        "country": at.country_name or at.country or "" if at else "",
        "admin1": at.admin1 or "" if at else "",
        "latitude": at.lat if at else None,
        "longitude": at.lon if at else None,
        "fatalities": e.fatalities,
        "source_count": d.documents,
        "quote": d.sources[0].quote if d.sources else "",
        "sources": "; ".join(dict.fromkeys(s.title or s.path for s in d.sources)),
    }


# ---- ACLED's columns ------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
# ACLED's inter codes by the kind an actor has here (the import reads them back to these kinds).
INTER_CODES = {
    "state forces": "1",
    "state": "1",
    "armed group": "2",
    "militia": "3",
    "rioters": "5",
    "protesters": "6",
    "civilians": "7",
    "external forces": "8",
}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
TOWNS = ("town", "city", "capital", "village")


class Acled(Form):
    """ACLED's current columns, a row per dated event, such that `timeline import acled` gives the
    events back. ACLED dates to a day, a Monday-to-Sunday week or a month: an event known to a
    finer span is written at the narrowest of these that holds it; one spanning more than a month
    (a season) cannot be, and is left out."""

    def __init__(self, heading: str, kinds_of: Callable[[list[EventDetail]], Kinds]) -> None:
        super().__init__(heading, kinds_of)
        self.undated = self.long = self.coarser = 0

    def head(self) -> str:
        return _csv_lines([ACLED_COLUMNS])

    def page(self, items: list[EventDetail]) -> str:
        known, rows = self.kinds_of(items), []
        for d in items:
            e = d.event
            if not (e.date_start and e.date_end):
                self.undated += 1
                continue
            precision = _acled_precision(date.fromisoformat(e.date_start), date.fromisoformat(e.date_end))
            if precision is None:
                self.long += 1
                continue
            self.coarser += precision != {"day": "1", "week": "2", "month": "3"}.get(e.precision or "")
            rows.append(_acled_row(d, precision, known))
        self.written += len(rows)
        self.left_out = self.undated + self.long
        return _csv_lines(rows)

    def notes(self) -> list[str]:
        notes = _undated(self.undated, "ACLED rows need a date")
        if self.long:
            notes.append(
                f"{self.long} event{'s' if self.long != 1 else ''} spanning more than a month left out:"
                " ACLED dates to a month"
            )
        if self.coarser:
            notes.append(
                f"{self.coarser} event{'s' if self.coarser != 1 else ''}"
                " written at ACLED's week or month that holds them"
            )
        return notes


def _acled_precision(start: date, end: date) -> str | None:
    """ACLED's time_precision for a span: 1 a day, 2 its Monday-to-Sunday week, 3 its month."""
    if start == end:
        return "1"
    if week_of(start).end >= end:
        return "2"
    if month(start.year, start.month).end >= end:
        return "3"
    return None


def _acled_row(d: EventDetail, precision: str, known: Kinds) -> list:
    e = d.event

    def named(name: str) -> str:  # ACLED's own spelling, period and all
        return d.as_named.get(name, name)

    first = [n for n, r in e.actors if r == "actor1"]
    second = [n for n, r in e.actors if r == "actor2"]
    others = [n for n, r in e.actors if r not in ("actor1", "actor2")]
    # One actor a side: more of them on a side (an article's) go with the associated actors.
    actor1, actor2 = (first[0] if first else ""), (second[0] if second else "")
    inter1 = INTER_CODES.get(known.actors.get(actor1, ""), "") if actor1 else ""
    inter2 = INTER_CODES.get(known.actors.get(actor2, ""), "") if actor2 else ""
    at = _acled_place(d.places, known)
    town = at is not None and known.places.get(at.id) in TOWNS
    return [
        e.id.removeprefix("acled:"),
        e.date_start,
        (e.date_start or "")[:4],
        precision,
        DISORDER.get(e.type, ""),
        e.type,
        e.sub_type,
        named(actor1) if actor1 else "",
        "; ".join(named(n) for n in first[1:] + others),
        inter1,
        named(actor2) if actor2 else "",
        "; ".join(named(n) for n in second[1:]),
        inter2,
        _interaction(inter1, inter2),
        "Civilian targeting" if e.type == "Violence against civilians" else "",
        "",  # iso: ACLED's numeric country code, which the store does not hold
        "",
        (at.country_name or at.country or "") if at else "",
        (at.admin1 or "") if at else "",
        "",
        "",
        at.name if at else "",
        "" if at is None or at.lat is None else at.lat,
        "" if at is None or at.lon is None else at.lon,
        ("1" if town else "3") if at else "",
        _cited(d),
        "",
        " ".join(dict.fromkeys(s.quote for s in d.sources)) or e.summary,
        "" if e.fatalities is None else e.fatalities,
        "",
        "",
    ]


def _cited(d: EventDetail) -> str:
    """ACLED's source column: the publishers, or a document's title where it names none."""
    return "; ".join(dict.fromkeys(x for s in d.sources if (x := s.publisher or s.title)))


def _interaction(inter1: str, inter2: str) -> str:
    """ACLED's pair of inter codes, the lower first ("12"); an actor alone is paired with 0 ("60")."""
    if not inter1:
        return ""
    return "".join(sorted(inter1 + inter2)) if inter2 else inter1 + "0"


def _acled_place(places: list[PlaceInfo], known: Kinds) -> PlaceInfo | None:
    """ACLED has one location a row: the event's first town, else its first place."""
    return next((p for p in places if known.places.get(p.id) in TOWNS), places[0] if places else None)


FORMS: dict[str, type[Form]] = {
    "md": Markdown,
    "json": Json,
    "csv": Csv,
    "geojson": GeoJson,
    "timelinejs": TimelineJs,
    "timesketch": Timesketch,
    "acled": Acled,
}
