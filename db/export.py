"""Exports of a selection of events: JSON (a contract for other tools), Markdown (for a report),
CSV (for a spreadsheet). Files are written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path

from db.queries import EventDetail, event_detail

FORMATS = ("json", "md", "csv")


def details(conn, ids: list[str]) -> list[EventDetail]:
    return [d for d in (event_detail(conn, i) for i in ids) if d is not None]


def to_json(items: list[EventDetail]) -> str:
    out = []
    for d in items:
        e = d.event
        out.append(
            {
                "id": e.id,
                "date": e.date,
                "date_start": e.date_start,
                "date_end": e.date_end,
                "precision": e.precision,
                "type": e.type,
                "sub_type": e.sub_type,
                "summary": e.summary,
                "fatalities": e.fatalities,
                "actors": [{"name": n, "role": r, **_as_named(d, n)} for n, r in e.actors],
                "places": [
                    {
                        "id": p.id,
                        "name": p.name,
                        "country": p.country,
                        "country_name": p.country_name,
                        "admin1": p.admin1,
                        "lat": p.lat,
                        "lon": p.lon,
                    }
                    for p in d.places
                ],
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
                    }
                    for s in d.sources
                ],
            }
        )
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


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
    "quote",
    "source_titles",
]


def to_csv(items: list[EventDetail]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for d in items:
        e = d.event
        w.writerow(
            [
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
                len(d.sources),
                d.sources[0].quote if d.sources else "",
                "; ".join(s.title or s.path for s in d.sources),
            ]
        )
    return buf.getvalue()


def _as_named(d: EventDetail, name: str) -> dict:
    """ "as_named": the actor's name as the source wrote it, where it differs ("(2016-)")."""
    return {"as_named": d.as_named[name]} if name in d.as_named else {}


PLACE_LEVELS = ("country", "country_name", "admin1")  # CSV columns: the places' countries and divisions


def _in_role(actors: list[tuple[str, str]], role: str) -> str:
    """The names of the actors in one role, as one CSV field."""
    return "; ".join(n for n, r in actors if r == role)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_escape(text: str) -> str:
    """Text from articles shown literally: no emphasis, links, HTML or tables made by accident."""
    text = "".join(c if c.isprintable() or c == " " else " " for c in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(items: list[EventDetail], heading: str) -> str:
    """Year and month headings, an entry per event with its quotes, a footnote per source."""
    lines = [f"# {md_escape(heading)}", "", f"{len(items)} event{'s' if len(items) != 1 else ''}.", ""]
    notes: dict[tuple[int, int], int] = {}  # (document, start) -> footnote number
    footnotes: list[str] = []
    year = month = None
    for d in items:
        e = d.event
        y, m = (e.date_start[:4], e.date_start[:7]) if e.date_start else ("Undated", "Undated")
        if y != year:
            lines += [f"## {y}", ""]
            year, month = y, None
        if m != month and m != "Undated" and e.precision not in ("year", "season"):
            lines += [f"### {m}", ""]
            month = m
        actors = ", ".join(f"{md_escape(n)} ({r})" for n, r in e.actors) or "unknown actors"
        places = ", ".join(md_escape(_where(p)) for p in d.places) or "unknown place"
        killed = f" · {e.fatalities} killed" if e.fatalities else ""
        lines.append(f"- **{e.date or 'undated'}** · {md_escape(e.type)} / {md_escape(e.sub_type)}{killed}  ")
        lines.append(f"  {md_escape(e.summary)}  ")
        lines.append(f"  Actors: {actors}. Places: {places}.")
        for s in d.sources:
            key = (s.document_id, s.start)
            if key not in notes:
                notes[key] = len(notes) + 1
                source = ", ".join(md_escape(x) for x in (s.title or Path(s.path).name, s.publisher, s.published) if x)
                footnotes.append(f"[^{notes[key]}]: {source}.")
            lines += ["", f"  > {md_escape(' '.join(s.quote.split()))} [^{notes[key]}]"]
        lines.append("")
    if footnotes:
        lines += ["---", "", *footnotes, ""]
    return "\n".join(lines)


def _where(p) -> str:
    """ "Albu Kamal (Deir ez-Zor, Syria)": a place with its division and country."""
    around = [x for x in dict.fromkeys((p.admin1, p.country_name)) if x and x != p.name]
    return f"{p.name} ({', '.join(around)})" if around else p.name


class ExportError(OSError):
    """A file an export cannot write; the message names it and says why, in one line."""


def write_atomic(path: Path, content: str, make_folders: bool = False) -> None:
    """Write the file the path names (through a symlink, its target) beside it, then rename: a
    crash leaves the old file or the new one. What is not a regular file is refused, and a missing
    folder is created only when asked."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        raise ExportError(f"{path}: not a regular file; nothing written")
    if not target.parent.is_dir() and not make_folders:
        raise ExportError(f"{path}: no such folder {target.parent} (--parents creates it)")
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        os.replace(tmp, target)
    except OSError as e:
        raise ExportError(f"{path}: {e.strerror or e}; nothing written") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def render(items: list[EventDetail], fmt: str, heading: str) -> str:
    if fmt == "json":
        return to_json(items)
    if fmt == "csv":
        return to_csv(items)
    if fmt == "md":
        return to_markdown(items, heading)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
