"""Storing what the pipeline (pipeline.py) read and extracted: documents, and the events derived
from them, written inside one write transaction. Nothing here reads an article or extracts."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from db import counts
from db.hierarchy import Trees
from db.locks import store_writer
from db.schema import about_the_file, connect, database_error, day
from db.store import Store
from ingest.intervals import Interval, parse_published
from ingest.model import Article, Event, Fatalities, Telling


@contextmanager
def writing(db_path: Store, wait: bool = True) -> Iterator[sqlite3.Connection]:
    """The store (created if missing) in one write transaction: committed when the block ends, rolled
    back if it raises, so readers see the old state or the new one and a killed writer leaves the old one.
    A damaged page met on the way, a full disk or an I/O error is raised as what it is (db.schema's
    Damaged, Unreadable), naming the store. Without `wait`, a write lock another process holds is
    not waited for: sqlite3.OperationalError (busy) at once. The store's writer lock (db/locks.py)
    is held until the transaction has ended: no import's batches interleave with this write. It is
    taken before the store is opened, which makes a new one: another writer never meets it half-made."""
    with store_writer(db_path, wait):
        conn = connect(db_path, create=True, user=False)
        if not wait:
            conn.execute("PRAGMA busy_timeout = 0")
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")  # the write lock, waited for now, not failed on a stale read later
                yield conn
        except sqlite3.Error as e:
            if not about_the_file(e):
                raise
            raise (database_error(db_path, e) or e) from None
        finally:
            conn.close()


def is_stored(conn, sha256: str) -> bool:
    """Whether a text is stored already: it is not added twice. One index lookup, where reading
    every stored hash first would read a million with the ACLED rows."""
    return conn.execute("SELECT 1 FROM documents WHERE key = ?", (sha256,)).fetchone() is not None


def stored_sources(conn, sources: list[str]) -> set[str]:
    """Which of these paths or URLs name a stored document (by the path or URL it was read from)."""
    found: set[str] = set()
    for i in range(0, len(sources), 400):  # within SQLite's bound on a statement's variables
        chunk = sources[i : i + 400]
        marks = ",".join("?" * len(chunk))
        found |= {
            value
            for row in conn.execute(
                f"SELECT path, url FROM stored_documents WHERE path IN ({marks}) OR url IN ({marks})", chunk * 2
            )
            for value in row
        }
    return found & set(sources)


def add_document(conn, article: Article) -> None:
    """One article's document row; raises sqlite3.Error if it cannot be stored."""
    published = article.published
    row = {
        "path": display_path(article.path),
        "key": article.sha256,
        "title": article.title,
        "publisher": article.publisher,
        "author": article.author,
        "url": article.url,
        "published": published.display() if published else None,
        "published_start": published.start.isoformat() if published else None,
        "published_end": published.end.isoformat() if published else None,
        "precision": published.precision if published else None,
        "note": article.note,
        "text": article.text,
        "published_source": article.published_source,
    }
    conn.execute(f"INSERT INTO stored_documents ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)


class WouldDrop(Exception):
    """A load would delete articles that came from elsewhere (`ingest`): it does not, unless asked."""

    def __init__(self, articles: list[tuple[str, list[str]]]) -> None:
        super().__init__(f"{len(articles)} articles stored are not among those loaded")
        self.articles = articles  # (path, the ids of the events resting on it alone)


def articles_except(conn, keep: set[str]) -> list[tuple[str, list[str]]]:
    """The stored articles whose sha256 is not in `keep`, each with the events that rest on it alone."""
    stale = [
        (i, path)
        for i, key, path in conn.execute("SELECT id, key, path FROM stored_documents WHERE kind = 'article'")
        if key not in keep
    ]
    gone = [i for i, _ in stale]
    found = []
    for document_id, path in stale:
        events = conn.execute(
            "SELECT DISTINCT event_id FROM evidence WHERE document_id = ? ORDER BY event_id", (document_id,)
        ).fetchall()
        found.append((path, [e for (e,) in events if not _quoted_elsewhere(conn, e, gone)]))
    return found


def _quoted_elsewhere(conn, event_id: str, documents: list[int]) -> bool:
    """Whether the event has a quote in a document not among these. One event at a time: a filter
    naming the event reaches the parts of the view `evidence` by their indexes, a correlated
    subquery would read the view whole (db/schema.py's DERIVED_DOCUMENT)."""
    return (
        conn.execute(
            f"SELECT 1 FROM evidence WHERE event_id = ? AND document_id NOT IN ({','.join('?' * len(documents))})"
            " LIMIT 1",
            (event_id, *documents),
        ).fetchone()
        is not None
    )


def remove_articles_except(conn, keep: set[str]) -> None:
    """Delete the article documents whose sha256 is not in `keep` (their events first: clear_article_events)."""
    stale = [r[0] for r in conn.execute("SELECT key FROM stored_documents WHERE kind = 'article'") if r[0] not in keep]
    conn.executemany("DELETE FROM stored_documents WHERE key = ?", [(sha,) for sha in stale])


def find_document(conn, given: str) -> tuple[int, str, str] | None:
    """The stored document `given` names: its id (as sources list it), its key (an article's
    sha256, an ACLED row's id), or its path as stored. (id, kind, path or key). An ACLED row's
    id is negative (db/schema.py's DERIVED_DOCUMENT)."""
    number = re.match(r"-?[0-9]+", given)  # its leading digits, as SQL's CAST reads them: an id
    paths = (given, display_path(given))
    # by key, path and id apart, each by an index: an ACLED row's path is `acled:` and its key
    acled = next((p.removeprefix("acled:") for p in paths if p.startswith("acled:")), None)
    row = conn.execute(
        "SELECT id, kind, coalesce(path, key) FROM documents WHERE key = ? OR key = ?"
        " UNION ALL SELECT id, kind, coalesce(path, key) FROM stored_documents WHERE path = ? OR path = ?"
        " UNION ALL SELECT id, kind, coalesce(path, key) FROM documents WHERE id = ? ORDER BY 1 LIMIT 1",
        (given, acled, *paths, int(number[0]) if number else None),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def resting_on(conn, document_id: int) -> tuple[list[str], list[str]]:
    """The events with evidence in this document: those resting on it alone, and the others."""
    alone: list[str] = []
    others: list[str] = []
    events = conn.execute(
        "SELECT DISTINCT event_id FROM evidence WHERE document_id = ? ORDER BY event_id", (document_id,)
    ).fetchall()
    for (event_id,) in events:
        (others if _quoted_elsewhere(conn, event_id, [document_id]) else alone).append(event_id)
    return alone, others


def remove_data_row(conn, document_id: int) -> None:
    """Remove an imported row's events and its document (remove_events deletes a data row's)."""
    seqs = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT e.seq FROM events e JOIN evidence v ON v.event_id = e.id WHERE v.document_id = ?",
            (document_id,),
        )
    ]  # read first: remove_events deletes the evidence this picks them by before the events
    remove_events(conn, "SELECT value FROM json_each(?)", (json.dumps(seqs),))
    conn.execute("DELETE FROM stored_documents WHERE id = ?", (document_id,))  # a derived one went with its event


ADDED = "SELECT seq FROM events WHERE origin = 'analyst'"  # the events an analyst added (db/corrections.py)


def write_added(conn, added: list[dict]) -> None:
    """Replace the events the analyst added with `added` (corrections.added gives them): each
    rests on its source's quote, or on a document of kind 'citation' holding the free citation.
    One whose documents are not stored is left out (its correction is then an orphan)."""
    remove_events(conn, ADDED)
    conn.execute(
        "DELETE FROM stored_documents WHERE kind = 'citation' AND id NOT IN (SELECT document_id FROM stored_evidence)"
    )
    for a in added:
        if a["citation"] is not None:
            conn.execute(
                "INSERT OR IGNORE INTO stored_documents (path, key, text, kind) VALUES (?, ?, ?, 'citation')",
                (a["citation"], a["spans"][0][0], a["citation"]),
            )
        keys = sorted(
            {key for key, _, _ in a["spans"]}
        )  # a list: SQLite pushes it into the view's parts, not a subquery
        ids = dict(conn.execute(f"SELECT key, id FROM documents WHERE key IN ({','.join('?' * len(keys))})", keys))
        quotes = [(a["id"], ids[key], start, end) for key, start, end in a["spans"] if key in ids]
        if not quotes:
            continue
        when, kind = a["date"] or {}, a["type"]
        seq = conn.execute(
            "INSERT INTO events (id, date_start, date_end, precision, date, date_source, type, sub_type, summary,"
            " fatalities, fatalities_low, fatalities_high, confidence, sources, publishers, origin)"
            " VALUES (?, ?, ?, ?, ?, 'analyst', ?, ?, ?, ?, ?, ?, 1.0, ?, ?, 'analyst')",
            (
                a["id"],
                when.get("start"),
                when.get("end"),
                when.get("precision"),
                when.get("date"),
                kind["type"],
                kind["sub_type"],
                a["summary"],
                a["fatalities"],
                a["fatalities"],
                a["fatalities"],
                len({q[1] for q in quotes}),
                len({q[1] for q in quotes}),
            ),
        ).lastrowid
        start = when.get("start")
        places = [p["id"] for p in a["places"]]
        links = dict.fromkeys(places, 1) | {p: 0 for p in _ancestors(conn, "places", places) if p not in places}
        conn.executemany(
            "INSERT INTO event_places (event_seq, place_seq, day, direct, position)"
            " VALUES (?, (SELECT seq FROM places WHERE id = ?), ?, ?, ?)",
            [(seq, p, day(start), direct, i) for i, (p, direct) in enumerate(links.items())],
        )
        roles: dict[str, str] = {}
        for actor, role in a["actors"]:
            roles.setdefault(actor, role)  # the first role an actor has
        groups = {g: roles[actor] for actor in roles for g in _ancestors(conn, "actors", [actor]) if g not in roles}
        conn.executemany(
            "INSERT INTO event_actors (event_seq, actor_seq, role, day, direct)"
            " VALUES (?, (SELECT seq FROM actors WHERE id = ?), ?, ?, ?)",
            [(seq, actor, role, day(start), 1) for actor, role in roles.items()]
            + [(seq, g, role, day(start), 0) for g, role in groups.items()],
        )
        conn.executemany(
            'INSERT INTO stored_evidence (event_id, document_id, start, "end") VALUES (?, ?, ?, ?)', quotes
        )
    conn.execute(
        "INSERT INTO events_fts (rowid, summary, quotes) SELECT seq, summary, quotes FROM event_text"
        f" WHERE seq IN ({ADDED})"
    )
    counts.add(conn, ADDED)


def _ancestors(conn, table: str, ids: list[str]) -> list[str]:
    """The parents of these places or actors, and theirs, nearest first."""
    return [
        r[0]
        for r in conn.execute(
            f"WITH RECURSIVE up(id, depth) AS (SELECT parent, 1 FROM {table} WHERE id IN"
            f" (SELECT value FROM json_each(?)) AND parent IS NOT NULL UNION SELECT t.parent, depth + 1 FROM {table} t"
            " JOIN up ON t.id = up.id WHERE t.parent IS NOT NULL) SELECT id FROM up GROUP BY id ORDER BY min(depth)",
            (json.dumps(ids),),
        )
    ]


def display_path(path: str) -> str:
    """Relative to the working directory when inside it: the database stays portable. A URL is
    kept as it is."""
    if "://" in path:
        return path
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def stored_articles(conn) -> list[tuple[int, Article]]:
    rows = conn.execute(
        "SELECT id, path, title, publisher, author, url, published, published_source, note, text"
        " FROM stored_documents WHERE kind = 'article' ORDER BY id"
    ).fetchall()
    return [
        (
            r["id"],
            Article(
                path=r["path"],
                text=r["text"],
                title=r["title"],
                publisher=r["publisher"],
                author=r["author"],
                url=r["url"],
                published=parse_published(r["published"]),
                published_source=r["published_source"],
                note=r["note"],
            ),
        )
        for r in rows
    ]


EXTRACTED = "SELECT seq FROM events WHERE origin = 'article'"  # the events a load rebuilds


def write_events(conn: sqlite3.Connection, events: list[Event], docs: list[tuple[int, Article]]) -> None:
    """Replace the events extracted from articles (not imported ones) with `events`, whose evidence
    quotes the documents `docs` (as stored_articles gives them)."""
    doc_ids = {a.sha256: i for i, a in docs}
    publisher = {a.sha256: a.publisher or a.path for _, a in docs}
    clear_article_events(conn)
    trees = Trees(conn)
    trees.gazetteer_actors()
    db = sqlite_utils.Database(conn)
    db.table("events").insert_all((_event_row(e, publisher) for e in events), batch_size=500)
    seq = dict(conn.execute("SELECT id, seq FROM events WHERE origin = 'article'").fetchall())
    conn.executemany(
        "INSERT INTO event_actors (event_seq, actor_seq, role, day, direct, named) VALUES (?, ?, ?, ?, ?, ?)",
        [
            link
            for e in events
            for link in trees.actor_links(seq[e.id], _start(e), [(trees.actor(a), role, None) for a, role in e.actors])
        ],
    )
    conn.executemany(
        "INSERT INTO event_places (event_seq, place_seq, day, direct, position) VALUES (?, ?, ?, ?, ?)",
        [link for e in events for link in trees.place_links(seq[e.id], _start(e), [trees.place(p) for p in e.places])],
    )
    conn.executemany(
        'INSERT INTO stored_evidence (event_id, document_id, start, "end") VALUES (?, ?, ?, ?)',
        [(e.id, doc_ids[ev.document], ev.start, ev.end) for e in events for ev in e.evidence],
    )
    rows = [_telling_row(e.id, t, doc_ids, trees) for e in events for t in e.tellings]
    trees.flush()  # a source's own places and actors, which its event's links did not send
    if rows:
        conn.executemany(f"INSERT INTO event_sources ({', '.join(rows[0])}) VALUES ({_marks(rows[0])})", rows)
    conn.execute(
        "INSERT INTO events_fts (rowid, summary, quotes) SELECT seq, summary, quotes FROM event_text"
        f" WHERE seq IN ({EXTRACTED})"
    )
    counts.add(conn, EXTRACTED)
    analyze(conn)


def analyze(conn: sqlite3.Connection) -> None:
    """Refresh the query planner's statistics after a write. Each index is sampled, not read whole:
    a full ANALYZE reads the whole store, 1.4 s at 300k events for a 5k-row re-import, and grows
    with the store; the sample ranks the indexes as well. SQLite's search index's own tables are
    left out: a table without an index is counted row by row whatever the limit, and the largest
    (`events_fts_data`, 200 MB at 1M events) was read whole for statistics no plan uses (FTS5 reads
    it by key). PostgreSQL samples every table by itself; so does SQLite through a connection that
    is not its own (a test's wrapper counting statements), which has no other cost."""
    conn.execute("PRAGMA analysis_limit = 1000")
    if not isinstance(conn, sqlite3.Connection):
        conn.execute("ANALYZE")
        return
    for (table,) in conn.execute(_PLANNED_TABLES).fetchall():
        conn.execute(f'ANALYZE main."{table}"')
    for (schema,) in conn.execute(
        "SELECT name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')"
    ).fetchall():
        conn.execute(f'ANALYZE "{schema}"')  # the analyst's layer (`user`), a few small tables


# The tables the planner chooses among plans of: not SQLite's own, nor a virtual table, nor its
# shadow tables (named after it), which only its module reads. From `sqlite_master`, which every
# SQLite has (`pragma_table_list` says 'shadow' since 3.37).
_PLANNED_TABLES = (
    "SELECT t.name FROM main.sqlite_master t WHERE t.type = 'table' AND substr(t.name, 1, 7) <> 'sqlite_'"
    " AND t.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM main.sqlite_master v"
    " WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'"
    " AND substr(t.name, 1, length(v.name) + 1) = v.name || '_')"
)


def clear_article_events(conn: sqlite3.Connection) -> None:
    """Remove the events extracted from articles (not imported ones, not annotations)."""
    remove_events(conn, EXTRACTED)


def remove_events(conn: sqlite3.Connection, picked: str, params: tuple = (), held: bool = False) -> None:
    """Remove the events whose seq the query `picked` gives, with their links, their evidence and
    the documents of data rows (an article's stays: it is read again on the next load; an ACLED
    row's, derived from its event, goes with it). The annotations stay, keyed by event id. `held`:
    their counts are taken out with the writer's next additions (counts.hold), not now."""
    # The search index forgets a text by being told it again, so first, while the text is there.
    conn.execute(
        "INSERT INTO events_fts (events_fts, rowid, summary, quotes)"
        f" SELECT 'delete', seq, summary, quotes FROM event_text WHERE seq IN ({picked})",
        params,
    )
    if held:
        counts.hold(conn, picked, params)
    else:
        counts.add(conn, picked, params, sign=-1)
    for table in ("event_places", "event_actors"):
        conn.execute(f"DELETE FROM {table} WHERE event_seq IN ({picked})", params)
    ids = f"SELECT id FROM events WHERE seq IN ({picked})"
    data_rows = conn.execute(
        "SELECT d.id FROM stored_evidence v JOIN stored_documents d ON d.id = v.document_id"
        f" WHERE d.kind = 'acled' AND v.event_id IN ({ids})",
        params,
    ).fetchall()
    conn.execute(f"DELETE FROM stored_evidence WHERE event_id IN ({ids})", params)
    conn.execute(f"DELETE FROM event_sources WHERE event_id IN ({ids})", params)  # extracted events' only
    conn.execute(f"DELETE FROM acled_notes WHERE seq IN ({picked})", params)  # imported events' only
    conn.execute(f"DELETE FROM events WHERE seq IN ({picked})", params)
    conn.executemany("DELETE FROM stored_documents WHERE id = ?", data_rows)


def _start(e: Event) -> str | None:
    return e.date.start.isoformat() if e.date else None


def _when_and_toll(date: Interval | None, f: Fatalities | None) -> dict:
    """The date and toll columns, as events and event_sources both hold them."""
    return {
        "date": date.display() if date else None,
        "date_start": date.start.isoformat() if date else None,
        "date_end": date.end.isoformat() if date else None,
        "precision": date.precision if date else None,
        "fatalities": f.best if f else None,
        "fatalities_low": f.low if f else None,
        "fatalities_high": f.high if f else None,
        "fatalities_raw": f.raw if f else None,
    }


def _event_row(e: Event, publisher: dict[str, str]) -> dict:
    return {
        "id": e.id,
        **_when_and_toll(e.date, e.fatalities),
        "date_expression": e.date_expression,
        "date_source": e.date_source,
        "type": e.type,
        "sub_type": e.sub_type,
        "summary": e.summary,
        "trigger": e.trigger,
        "confidence": e.confidence,
        "sources": len({ev.document for ev in e.evidence}),
        "publishers": len({publisher[ev.document] for ev in e.evidence}),
        "independent_sources": e.independent_sources,
        "disputed": ",".join(e.disputed) or None,
    }


def _telling_row(event_id: str, t: Telling, doc_ids: dict[str, int], trees: Trees) -> dict:
    """What one source said of an event, as a row of event_sources."""
    return {
        "event_id": event_id,
        "document_id": doc_ids[t.document],
        **_when_and_toll(t.date, t.fatalities),
        "date_expression": t.date_expression,
        "type": t.type,
        "sub_type": t.sub_type,
        "actors": json.dumps([[trees.actor(a), role] for a, role in t.actors]),
        "places": json.dumps([trees.place(p) for p in t.places]),
        "wire": t.wire,
        "counted_with": doc_ids[t.counted_with] if t.counted_with else None,
    }


def _marks(row: dict) -> str:
    return ", ".join(":" + k for k in row)
