"""Saved views: filters kept by name in the user's database, beside the annotations, so a load
or an import never touches them. A filter is stored as JSON, its ids resolved, the fields at their
defaults left out."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from db.activity import logged, logged_if
from db.annotations import author_name, write_user
from db.queries import Filter, QueryError, describe_filter
from db.schema import DatabaseError


@dataclass
class View:
    name: str
    filter: Filter
    updated: str


def filter_to_json(f: Filter) -> str:
    chosen = {k: v for k, v in asdict(f).items() if v != getattr(Filter(), k)}
    return json.dumps(chosen, default=date.isoformat, sort_keys=True, ensure_ascii=False)


def filter_from_json(text: str) -> Filter:
    """A filter `filter_to_json` wrote; one with a field this version lacks is refused rather than
    run without it (it would show more than was saved)."""
    data: dict[str, Any] = json.loads(text)
    unknown = sorted(set(data) - {f.name for f in fields(Filter)})
    if unknown:
        raise QueryError(f"it filters on {', '.join(unknown)}, unknown to this version of timeline")
    for bound in ("since", "until"):
        if data.get(bound):
            data[bound] = date.fromisoformat(data[bound])
    tuples: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return Filter(**tuples)


def save_view(conn, name: str, f: Filter, author: str | None = None) -> Filter | None:
    """Keep `f` as the view `name`; the filter it replaces, if the name was taken. Logged with
    its author (db/activity.py)."""
    name = name.strip()
    if not name:
        raise QueryError("a view needs a name")
    if f.is_empty:
        raise QueryError("nothing to save: the filter is empty")
    old = _view_row(conn, name)
    if not _has_views(conn):
        raise DatabaseError("the user database is read-only: the view is not saved")
    write_user(
        conn,
        [
            logged("view saved", author_name(author, conn), name, in_words(conn, f)),
            (
                "INSERT INTO user.views (name, filter, created, updated)"
                " VALUES (?, ?, datetime('now'), datetime('now'))"
                " ON CONFLICT(name) DO UPDATE SET filter = excluded.filter, updated = excluded.updated",
                (name, filter_to_json(f)),
            ),
        ],
        "the view is not saved",
    )
    return filter_from_json(old) if old else None


def saved_views(conn) -> list[View]:
    """Every saved view, by name."""
    if not _has_views(conn):
        return []
    rows = conn.execute("SELECT name, filter, updated FROM user.views ORDER BY name COLLATE NOCASE").fetchall()
    return [View(r[0], _view_filter(r[0], r[1]), r[2]) for r in rows]


def saved_view(conn, name: str) -> Filter:
    text = _view_row(conn, name)
    if text is None:
        known = ", ".join(v.name for v in saved_views(conn)) or "none yet"
        raise QueryError(f"no view called {name!r} (views: {known})")
    return _view_filter(name, text)


def delete_view(conn, name: str, author: str | None = None) -> None:
    saved_view(conn, name)  # an unknown name is the user's to fix
    write_user(
        conn,
        [
            logged_if(
                "EXISTS (SELECT 1 FROM user.views WHERE name = ?)",
                (name,),
                "view deleted",
                author_name(author, conn),
                name,
            ),
            ("DELETE FROM user.views WHERE name = ?", (name,)),
        ],
        "the view is not deleted",
    )


def in_words(conn, f: Filter) -> str:
    """A view's filter in words: "Islamic State; Deir ez-Zor; 2017-01-01 to 2018-12-31"."""
    return describe_filter(conn, f).removeprefix("Timeline").removeprefix(": ") or "every event"


def _view_row(conn, name: str) -> str | None:
    row = _has_views(conn) and conn.execute("SELECT filter FROM user.views WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _view_filter(name: str, text: str) -> Filter:
    try:
        return filter_from_json(text)
    except (ValueError, TypeError) as e:  # QueryError is a ValueError, as is bad JSON
        raise QueryError(f"view {name!r}: {e}") from None


def _has_views(conn) -> bool:
    """A user database older than saved views, attached read-only, has no table for them."""
    return bool(conn.execute("SELECT 1 FROM user.sqlite_master WHERE name = 'views'").fetchone())
