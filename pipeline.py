"""Articles to the store: read the files, store their documents, extract the events of every stored
document, merge them across sources, and store them. Where ingest (text to events) meets db (the store).

Events are always derived from every stored document in one pass, so `load` and `ingest` give
the same events and ids, and merging across sources sees the whole corpus.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from db.activity import record_store_write
from db.load import (
    WouldDrop,
    add_document,
    articles_except,
    clear_article_events,
    display_path,
    find_document,
    is_stored,
    remove_articles_except,
    remove_data_row,
    resting_on,
    stored_articles,
    stored_sources,
    write_added,
    write_events,
    writing,
)
from db.queries import count_events
from db.schema import DatabaseError, about_the_file, connect, read_only
from db.store import Store, is_url as is_store_url, location
from ingest.dates import parse_published
from ingest.extract import extract, reading_warnings
from ingest.gazetteer import load_gazetteer
from ingest.merge import merge
from ingest.model import Article, Event
from ingest.read import ARTICLE_SUFFIXES, read_article
from ingest.web import FeedItem, FetchError, feed_items, is_url, read_page
from ingest.wires import mark_independent

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
    """The article files of a folder, and whatever else bears their names but a folder (a FIFO, a
    link to nothing): the reader refuses those by name, never in silence."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_dir())


def load(seed_dir: Path, db_path: Store, progress: Progress | None = None, drop_others: bool = False) -> LoadReport:
    """Make the articles of db_path those under seed_dir, inside the live database and in one
    transaction: readers see the old state or the new one, a killed load leaves the old one, and
    what else it holds (imported data sets, the user's stars and notes) is never touched. The file
    is never replaced, for another process may have it open. Articles stored from elsewhere
    (`ingest`) are deleted only with `drop_others`; else WouldDrop names them and nothing changes."""
    files = article_files(seed_dir)
    with writing(db_path) as conn:
        added = _added(db_path)  # read under the lock: an add that commits later writes its copy after this load
        report = _add_documents(conn, files, {}, progress)
        others = articles_except(conn, report.documents)
        if others and not drop_others:
            raise WouldDrop(others)  # the transaction rolls back: nothing written
        write_added(conn, [])  # they may quote an article that goes; written again below
        clear_article_events(conn)
        remove_articles_except(conn, report.documents)
        report.events = rebuild_events(conn, progress, report)
        write_added(conn, added)
    record_store_write(db_path, "load", seed_dir.name, _how_many(report))
    return report


def ingest(
    sources: Iterable[Path | str],
    db_path: Store,
    overrides: dict | None = None,
    progress: Progress | None = None,
    feed_dates: dict[str, str] | None = None,
) -> LoadReport:
    """Add articles, from files or URLs, to a database (created if missing) in one transaction; a
    text already stored is not added twice. Pages are fetched before the store's write lock is
    taken: a slow server never holds up another writer. `feed_dates`: a URL's date in its feed, for
    a page whose metadata gives none."""
    sources = list(sources)
    pages = {
        url: _fetch(url, overrides or {}, (feed_dates or {}).get(url), progress)
        for url in map(str, sources)
        if is_url(url)
    }
    with writing(db_path) as conn:
        report = _add_documents(conn, sources, overrides or {}, progress, pages)
        report.events = rebuild_events(conn, progress, report) if report.added else count_events(conn)
    if report.added:
        named = str(sources[0]) if len(sources) == 1 else f"{len(sources)} sources"
        record_store_write(db_path, "ingest", named, _how_many(report))
    return report


def _how_many(report: LoadReport) -> str:
    """What a load or an ingest changed, for the activity log (db/activity.py)."""
    return f"{len(report.added)} added, {len(report.unchanged)} already stored, {len(report.errors)} failed"


@dataclass
class Removed:
    document: str  # its path (an ACLED row: its id)
    gone: list[str]  # the events that rested on it alone: removed
    kept: dict[str, str | None]  # the events other sources support too: their ids before -> after


def remove(given: Path | str, db_path: Store) -> Removed:
    """Remove a stored document, named by its id, key or path (a file that is not stored by that
    path is found by its text), in one transaction: its evidence goes, and the events it alone
    supported; the events of other sources stay, derived again without it. The analyst's stars,
    notes and corrections are never touched: those of a removed event are listed as orphans.
    LookupError when no document is found."""
    with writing(db_path) as conn:
        added = _added(db_path)  # under the lock, as in `load`
        found = find_document(conn, str(given))
        if found is None and Path(given).is_file():
            found = find_document(conn, read_article(Path(given)).sha256)
        if found is None:
            raise LookupError(f"{given}: no such document stored")
        document_id, kind, path = found
        if kind == "citation":  # it lives in the analyst's layer, with the event it cites
            (event,) = conn.execute("SELECT event_id FROM evidence WHERE document_id = ?", (document_id,)).fetchone()
            raise LookupError(f"{given}: an analyst's citation: timeline undo {event} takes its event back")
        alone, others = resting_on(conn, document_id)
        # An event's id comes from its first source: without it, the id may change. Its other
        # quotes say which event it is now.
        quotes = 'SELECT document_id, start, "end" FROM evidence WHERE event_id = ? AND document_id <> ?'
        before = {e: conn.execute(quotes, (e, document_id)).fetchall() for e in others}
        write_added(conn, [])  # one may quote this document: written again below, without it
        if kind == "article":
            clear_article_events(conn)
            conn.execute("DELETE FROM stored_documents WHERE id = ?", (document_id,))
            rebuild_events(conn)
        else:
            remove_data_row(conn, document_id)
        write_added(conn, added)
        after = {
            e: next((r[0] for q in spans if (r := conn.execute(_AT_QUOTE, q).fetchone())), None)
            for e, spans in before.items()
        }
    record_store_write(db_path, "remove", path or str(given), f"{len(alone)} events removed, {len(after)} kept")
    return Removed(path, alone, after)


_AT_QUOTE = 'SELECT event_id FROM evidence WHERE document_id = ? AND start = ? AND "end" = ?'


def sync_added(db_path: Store, wait: bool = True) -> None:
    """Write the store's copy of the events the analyst added or split off (db/corrections.py),
    after an add, a split or an undo: the user database says which, the store holds them for every
    view to read. The user database is read under the store's write lock: of two processes adding
    at once, the one that writes last read the other's event too, so neither copy is lost. Without
    `wait`, a store another process is writing is left as it is (sqlite3.OperationalError)."""
    with writing(db_path, wait) as conn:
        write_added(conn, _added(db_path))


def mend_added(db_path: Store) -> bool:
    """Write the store's copy of the analyst's events again, when corrections.added_in_step finds
    it out of step with the user database: a process killed between the two writes of an add, a
    split or an undo leaves it so, for the two are files of their own and SQLite commits a
    transaction across two WAL databases atomically in each, not across both. Never waits, never
    fails: a store that is read-only, busy or full is left as it is, for the next opening, and
    the events stay safe in the user database meanwhile. Whether it wrote."""
    if not is_store_url(db_path) and read_only(Path(db_path)):
        return False
    try:
        sync_added(location(db_path), wait=False)
    except (sqlite3.Error, DatabaseError):
        return False
    return True


def _added(db_path: Store) -> list[dict]:
    from db.corrections import added

    if not is_store_url(db_path) and not Path(db_path).exists():
        return []
    with closing(connect(db_path)) as conn:
        return added(conn)


def _is_url(source: Path | str) -> bool:
    return isinstance(source, str) and is_url(source)


def _fetch(url: str, overrides: dict, feed_date: str | None, progress: Progress | None) -> Article | Exception:
    """The page's article, or what went wrong, said when the page's turn comes."""
    if progress:
        progress(f"fetching {url}")
    try:
        article = read_page(url, overrides)
    except (FetchError, ValueError) as e:
        return e
    except Exception as e:  # a reader bug meeting one page must not cost the others
        return ValueError(f"could not be read ({type(e).__name__}: {e})")
    if article.published is None and feed_date:
        article.published = parse_published(feed_date)
        article.published_source = "feed"
    return article


def _page(pages: dict[str, Article | Exception], url: str) -> Article:
    page = pages[url]
    if isinstance(page, Exception):
        raise page
    return page


def new_feed_items(feed_url: str, db_path: Store) -> tuple[list[FeedItem], int]:
    """The items of a feed not stored yet (by their URL), and how many are: a feed is read again
    and again, and only what is new is fetched."""
    items = list({item.link: item for item in feed_items(feed_url)}.values())
    if not is_store_url(db_path) and not Path(db_path).exists():
        return items, 0
    # an ingest, which makes the store next: a PostgreSQL database without one yet gets it now
    with closing(connect(db_path, create=is_store_url(db_path), user=False)) as conn:
        known = stored_sources(conn, [item.link for item in items])
    new = [item for item in items if item.link not in known]
    return new, len(items) - len(new)


def _add_documents(
    conn, sources: Sequence[Path | str], overrides: dict, progress: Progress | None, pages: dict | None = None
) -> LoadReport:
    report = LoadReport()
    for source in sources:
        name = str(source)
        if progress:
            progress(f"reading {source if _is_url(source) else Path(source).name}")
        try:
            article = _page(pages or {}, name) if _is_url(source) else read_article(Path(source), overrides)
        except OSError as e:  # missing, a folder, no permission
            report.errors.append((name, e.strerror or str(e)))
            continue
        except (ValueError, FetchError) as e:  # ArticleError included: not an article
            report.errors.append((name, str(e)))
            continue
        except Exception as e:  # a reader bug meeting one file must not cost the others
            report.errors.append((name, f"could not be read ({type(e).__name__}: {e})"))
            continue
        report.warnings += [(name, w) for w in article.warnings]
        report.documents.add(article.sha256)
        if is_stored(conn, article.sha256):
            report.unchanged.append(name)
            continue
        conn.execute("SAVEPOINT document")  # one document that cannot be stored does not cost the others
        try:
            add_document(conn, article)
        except sqlite3.Error as e:
            if about_the_file(e):  # the store's trouble, not this file's: it stops the whole call
                raise
            conn.execute("ROLLBACK TO document")
            conn.execute("RELEASE document")
            report.errors.append((name, f"could not be stored ({e})"))
            continue
        conn.execute("RELEASE document")
        report.added.append(name)
    return report


EXTRACT_SECONDS = 20  # an article that takes longer is hostile or broken: stored, but skipped


def rebuild_events(
    conn: sqlite3.Connection,
    progress: Progress | None = None,
    report: LoadReport | None = None,
    seconds_per_article: float = EXTRACT_SECONDS,
) -> int:
    """Derive every event from the stored documents and replace the event tables. An article the
    extractor fails on, or that takes over `seconds_per_article`, keeps its document and gives
    no events; the report names it."""
    docs = stored_articles(conn)
    new = {display_path(p) for p in report.added} if report else set()
    given_up = dict(conn.execute("SELECT id, unextracted FROM documents WHERE unextracted IS NOT NULL").fetchall())
    extracted: list[Event] = []
    load_gazetteer()  # its one-time index build is not any article's time
    for document_id, article in docs:
        if progress:
            progress(f"extracting {Path(article.path).name}")
        if document_id in given_up:
            if report is not None:
                report.warnings.append((article.path, f"stored, but no events: {given_up[document_id]}"))
            continue
        try:
            with time_bound(seconds_per_article):
                events, traces = extract(article)
        except OutOfTime:
            why = f"extraction took over {seconds_per_article:g} s (not tried again)"
            conn.execute("UPDATE stored_documents SET unextracted = ? WHERE id = ?", (why, document_id))
            if report is not None:
                report.warnings.append((article.path, f"stored, but no events: {why}"))
            continue
        except Exception as e:  # a bug meeting one text must not cost the others
            if report is not None:
                report.warnings.append(
                    (article.path, f"stored, but no events: the extractor failed ({type(e).__name__}: {e})")
                )
            continue
        extracted += events
        if report is not None and article.path in new:
            report.warnings += [(article.path, w) for w in reading_warnings(article, traces)]
    events = merge(extracted)
    mark_independent(events, {a.sha256: a for _, a in docs})
    write_events(conn, events, docs)
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
