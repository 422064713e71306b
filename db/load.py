"""Building timeline.db: documents in, events derived from all documents, user data kept.

Events are always derived from every stored document in one pass, so `load` and `ingest` give
the same events and ids, and merging across sources sees the whole corpus.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db.schema import connect
from ingest.dates import parse_published
from ingest.extract import extract, reading_warnings
from ingest.gazetteer import load_gazetteer
from ingest.merge import merge
from ingest.model import Article, Event
from ingest.read import ARTICLE_SUFFIXES, read_article
from ingest.text import alias_key

Progress = Callable[[str], None]


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line problem)
    documents: set[str] = field(default_factory=set)  # sha256 of every file read, added or already stored
    warnings: list[tuple[str, str]] = field(default_factory=list)
    events: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def article_files(seed_dir: Path) -> list[Path]:
    folder = seed_dir / "articles"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of articles")
    return articles_in(folder)


def articles_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file())


def load(seed_dir: Path, db_path: Path, progress: Progress | None = None) -> LoadReport:
    """Make the articles of db_path those under seed_dir, inside the live database and in one
    transaction: readers see the old state or the new one, a killed load leaves the old one, and
    what else it holds (imported data sets, the user's stars and notes) is never touched. The file
    is never replaced, for another process may have it open."""
    files = article_files(seed_dir)
    conn = connect(db_path, create=True, user=False)
    try:
        with conn:
            conn.execute("BEGIN IMMEDIATE")  # the store's write lock, waited for; annotations are elsewhere
            report = _add_documents(conn, files, {}, progress)
            _clear_article_events(conn)
            stale = [r[0] for r in conn.execute("SELECT sha256 FROM documents WHERE kind = 'article'")
                     if r[0] not in report.documents]
            conn.executemany("DELETE FROM documents WHERE sha256 = ?", [(sha,) for sha in stale])
            report.events = rebuild_events(conn, progress, report)
    finally:
        conn.close()
    return report


def ingest(files: Iterable[Path], db_path: Path, overrides: dict | None = None,
           progress: Progress | None = None) -> LoadReport:
    """Add articles to a database (created if missing) in one transaction; a text already
    stored is not added twice."""
    conn = connect(db_path, create=True, user=False)
    try:
        with conn:
            conn.execute("BEGIN IMMEDIATE")  # wait for another writer now, not fail on a stale read later
            report = _add_documents(conn, list(files), overrides or {}, progress)
            report.events = rebuild_events(conn, progress, report) if report.added else _count(conn)
    finally:
        conn.close()
    return report


def _count(conn) -> int:
    return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def _add_documents(conn, files: list[Path], overrides: dict, progress: Progress | None) -> LoadReport:
    report = LoadReport()
    known = {r[0] for r in conn.execute("SELECT sha256 FROM documents")}
    for path in files:
        if progress:
            progress(f"reading {path.name}")
        try:
            article = read_article(Path(path), overrides)
        except OSError as e:  # missing, a folder, no permission
            report.errors.append((str(path), e.strerror or str(e)))
            continue
        except ValueError as e:  # ArticleError included: not an article
            report.errors.append((str(path), str(e)))
            continue
        except Exception as e:  # a reader bug meeting one file must not cost the others
            report.errors.append((str(path), f"could not be read ({type(e).__name__}: {e})"))
            continue
        report.warnings += [(str(path), w) for w in article.warnings]
        report.documents.add(article.sha256)
        if article.sha256 in known:
            report.unchanged.append(str(path))
            continue
        conn.execute("SAVEPOINT document")  # one document that cannot be stored does not cost the others
        try:
            published = article.published
            row = {"path": _display_path(article.path), "sha256": article.sha256, "title": article.title,
                   "publisher": article.publisher, "author": article.author, "url": article.url,
                   "published": published.display() if published else None,
                   "published_start": published.start.isoformat() if published else None,
                   "published_end": published.end.isoformat() if published else None,
                   "precision": published.precision if published else None, "note": article.note,
                   "text": article.text, "published_source": article.published_source}
            conn.execute(f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)
        except sqlite3.Error as e:
            conn.execute("ROLLBACK TO document")
            conn.execute("RELEASE document")
            report.errors.append((str(path), f"could not be stored ({e})"))
            continue
        conn.execute("RELEASE document")
        known.add(article.sha256)
        report.added.append(str(path))
    return report


def _display_path(path: str) -> str:
    """Relative to the working directory when inside it: the database stays portable."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def stored_articles(conn) -> list[tuple[int, Article]]:
    rows = conn.execute("SELECT id, path, title, publisher, author, url, published, published_source, note, text"
                        " FROM documents WHERE kind = 'article' ORDER BY id").fetchall()
    return [(r["id"], Article(path=r["path"], text=r["text"], title=r["title"], publisher=r["publisher"],
                              author=r["author"], url=r["url"], published=parse_published(r["published"]),
                              published_source=r["published_source"], note=r["note"])) for r in rows]


EXTRACT_SECONDS = 20  # an article that takes longer is hostile or broken: stored, but skipped


def rebuild_events(conn: sqlite3.Connection, progress: Progress | None = None, report: LoadReport | None = None,
                   seconds_per_article: float = EXTRACT_SECONDS) -> int:
    """Derive every event from the stored documents and replace the event tables. An article the
    extractor fails on, or that takes over `seconds_per_article`, keeps its document and gives
    no events; the report names it."""
    docs = stored_articles(conn)
    doc_ids = {a.sha256: i for i, a in docs}
    publisher = {a.sha256: a.publisher or a.path for _, a in docs}
    new = {_display_path(p) for p in report.added} if report else set()
    extracted: list[Event] = []
    load_gazetteer()  # its one-time index build is not any article's time
    for _, article in docs:
        if progress:
            progress(f"extracting {Path(article.path).name}")
        try:
            with time_bound(seconds_per_article):
                events, traces = extract(article)
        except OutOfTime:
            if report is not None:
                report.warnings.append(
                    (article.path, f"stored, but no events: extraction took over {seconds_per_article:g} s"))
            continue
        except Exception as e:  # a bug meeting one text must not cost the others
            if report is not None:
                report.warnings.append(
                    (article.path, f"stored, but no events: the extractor failed ({type(e).__name__}: {e})"))
            continue
        extracted += events
        if report is not None and article.path in new:
            report.warnings += [(article.path, w) for w in reading_warnings(article, traces)]
    events = merge(extracted)
    _clear_article_events(conn)
    _write_entities(conn, events)
    db = sqlite_utils.Database(conn)
    db.table("events").insert_all((_event_row(e, publisher) for e in events), batch_size=500)
    db.table("event_actors").insert_all(({"event_id": e.id, "actor_id": a.id, "role": r, "date_start": _start(e)}
                                         for e in events for a, r in e.actors), batch_size=500)
    db.table("event_places").insert_all(({"event_id": e.id, "place_id": p.id, "date_start": _start(e)}
                                         for e in events for p in e.places), batch_size=500)
    db.table("evidence").insert_all(({"event_id": e.id, "document_id": doc_ids[ev.document], "start": ev.start,
                                      "end": ev.end, "text": ev.text} for e in events for ev in e.evidence),
                                    batch_size=500)
    conn.executemany("INSERT INTO events_fts (event_id, summary, quotes) VALUES (?, ?, ?)",
                     [(e.id, e.summary, "\n".join(ev.text for ev in e.evidence)) for e in events])
    conn.execute("ANALYZE")
    return len(events)


class OutOfTime(Exception):
    """Not an OSError (as TimeoutError is), so no `except OSError` in the timed work swallows it."""


@contextmanager
def time_bound(seconds: float):
    """Raise OutOfTime in the block after `seconds`: a timer signal, so only in the main
    thread of a platform that has one (the command line); elsewhere the block runs unbounded."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _clear_article_events(conn: sqlite3.Connection) -> None:
    """Remove the events extracted from articles (not imported ones, not annotations)."""
    extracted_ids = "SELECT id FROM events WHERE origin = 'article'"
    for table in ("events_fts", "evidence", "event_places", "event_actors"):
        conn.execute(f"DELETE FROM {table} WHERE event_id IN ({extracted_ids})")
    conn.execute("DELETE FROM events WHERE origin = 'article'")


def _start(e: Event) -> str | None:
    return e.date.start.isoformat() if e.date else None


def _event_row(e: Event, publisher: dict[str, str]) -> dict:
    f = e.fatalities
    return {
        "id": e.id, "date_start": _start(e), "date_end": e.date.end.isoformat() if e.date else None,
        "precision": e.date.precision if e.date else None, "date": e.date.display() if e.date else None,
        "date_expression": e.date_expression, "date_source": e.date_source, "type": e.type,
        "sub_type": e.sub_type, "summary": e.summary, "trigger": e.trigger,
        "fatalities": f.best if f else None, "fatalities_low": f.low if f else None,
        "fatalities_high": f.high if f else None, "fatalities_raw": f.raw if f else None,
        "confidence": e.confidence, "sources": len({ev.document for ev in e.evidence}),
        "publishers": len({publisher[ev.document] for ev in e.evidence}),
    }


def write_gazetteer_actors(conn) -> None:
    """Every actor of the gazetteer with its aliases, so that any alias filters."""
    gaz = load_gazetteer()
    conn.executemany("INSERT OR REPLACE INTO actors (id, name, kind, country) VALUES (?, ?, ?, ?)",
                     [(a.id, a.name, a.kind, a.country) for a in gaz.actors.values()])
    conn.executemany("INSERT OR IGNORE INTO actor_aliases (key, alias, actor_id) VALUES (?, ?, ?)",
                     [(alias_key(alias), alias, actor_id) for actor_id, aliases in gaz.actor_aliases.items()
                      for alias in aliases])


def _write_entities(conn, events: list[Event]) -> None:
    """The gazetteer's actors, and the places events name."""
    gaz = load_gazetteer()
    write_gazetteer_actors(conn)
    named = {a.id: a for e in events for a, _ in e.actors}  # state forces of any country are made as named
    conn.executemany("INSERT OR IGNORE INTO actors (id, name, kind, country) VALUES (?, ?, ?, ?)",
                     [(a.id, a.name, a.kind, a.country) for a in named.values()])
    conn.executemany("INSERT OR IGNORE INTO actor_aliases (key, alias, actor_id) VALUES (?, ?, ?)",
                     [(alias_key(a.name), a.name, a.id) for a in named.values()])
    places = {p.id: p for e in events for p in e.places}
    conn.executemany("INSERT OR REPLACE INTO places (id, name, country, admin1, lat, lon, kind)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.kind) for p in places.values()])
    conn.executemany("INSERT OR IGNORE INTO place_aliases (key, alias, place_id) VALUES (?, ?, ?)",
                     [(alias_key(alias), alias, pid) for pid in places for alias in gaz.place_aliases(pid)])
