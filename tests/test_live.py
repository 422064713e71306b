"""Many analysts at once (issue 27): an open app sees another process's change (a star, a rejection,
an import) within seconds, without a restart, and says who made it. On SQLite the store's
`PRAGMA data_version` changes with another connection's commit; on PostgreSQL the same answer
counts the NOTIFYs of other connections' commits (db/store.py)."""

import asyncio
import os
import subprocess
import time
from collections.abc import Callable

import psycopg
import pytest

from db import activity, annotations, queries
from db.activity import record_store_write
from db.annotations import AUTHOR_VARIABLE
from db.schema import connect
from tests.helpers import CLI, ROOT, settle
from tui.app import TimelineApp
from tui.session import news
from tui.workers import FETCH, Failed

ACLED = ROOT / "tests" / "fixtures" / "acled_context.csv"


def versions(conn) -> tuple[int, int]:
    return (
        conn.execute("PRAGMA main.data_version").fetchone()[0],
        conn.execute("PRAGMA user.data_version").fetchone()[0],
    )


def wait_for_change(conn, before: tuple[int, int], seconds: float = 10) -> tuple[int, int]:
    """The connection's data versions once they differ from `before` (a NOTIFY arrives a moment
    after the commit that sent it), or as they are after `seconds`."""
    deadline = time.monotonic() + seconds
    while (now := versions(conn)) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    return now


def test_another_connections_commit_changes_data_version_and_its_own_does_not(seed_store):
    watcher, other = connect(seed_store), connect(seed_store)
    event = queries.event_ids(watcher, queries.Filter())[0]
    start = versions(watcher)

    annotations.set_starred(watcher, event, True)  # its own commit
    annotations.set_note(watcher, event, "seen")
    assert wait_for_change(watcher, start, seconds=0.5) == start

    annotations.set_starred(other, event, False)  # another connection's, to the analyst's layer
    main, user = wait_for_change(watcher, start)
    assert main == start[0] and user != start[1]

    other.execute("BEGIN")  # a transaction that only reads changes nothing
    other.execute("SELECT count(*) FROM events").fetchone()
    other.commit()
    assert wait_for_change(watcher, (main, user), seconds=0.5) == (main, user)

    other.execute("UPDATE events SET summary = summary || '.' WHERE id = ?", (event,))  # to the store
    other.commit()
    assert wait_for_change(watcher, (main, user))[0] != main
    watcher.close()
    other.close()


def test_another_process_star_changes_data_version(seed_store):
    """The other writer a real process: `timeline annotate --star`, as an analyst's terminal."""
    watcher = connect(seed_store)
    event = queries.event_ids(watcher, queries.Filter())[0]
    start = versions(watcher)
    done = subprocess.run(
        [*CLI, "annotate", event, "--star", "--author", "bob", "--db", str(seed_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert wait_for_change(watcher, start)[1] != start[1]
    watcher.close()


def test_other_analysts_changes_are_said_in_one_sentence(seed_store, monkeypatch):
    conn = connect(seed_store)
    seen = activity.newest_id(conn)
    first, second, third = queries.event_ids(conn, queries.Filter())[:3]
    annotations.set_starred(conn, first, True, author="amira")
    annotations.add_tags(conn, first, ["checked"], author="amira")
    said = news(conn, activity.written_after(conn, seen)[0])
    event = queries.event_details(conn, [first])[0].event
    assert said and said.startswith("amira starred and tagged ")  # one event: named by what it is
    assert first not in said and event.date and event.date in said and event.places[0] in said

    annotations.set_starred(conn, second, True, author="bob")
    annotations.set_note(conn, third, "two sources differ", author="carol")
    monkeypatch.setenv(AUTHOR_VARIABLE, "dan")
    record_store_write(seed_store, "import acled", "week.csv", "5 added, 0 revised, 0 removed of 5 rows")
    entries, newest = activity.written_after(conn, seen)
    assert newest == activity.newest_id(conn) and activity.written_after(conn, newest) == ([], newest)
    assert news(conn, entries) == (
        "amira and 2 others changed 3 events;"
        " dan imported the ACLED file week.csv (5 added, 0 revised, 0 removed of 5 rows)"
    )
    assert news(conn, []) is None
    conn.close()


# --- the open app: another process's star, rejection, import appear in it, said with who ----------

APP_WAITS = 30  # seconds: the app sees a change within about 2 s; a loaded machine gets some room


def another_analyst(store, *args: str, author: str | None = "bob") -> asyncio.Task:
    """A `timeline` command run by another process while the app goes on (its author: `author`,
    else whoever the app signs as: TIMELINE_AUTHOR unset, the same login or database role)."""
    env = {k: v for k, v in os.environ.items() if k != AUTHOR_VARIABLE}
    if author is not None:
        env[AUTHOR_VARIABLE] = author

    def run() -> None:
        done = subprocess.run([*CLI, *args, "--db", str(store)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    return asyncio.create_task(asyncio.to_thread(run))


async def until(pilot, seen: Callable[[], bool], what: str) -> None:
    """Let the app run until `seen()` holds; fail after APP_WAITS seconds, saying what was awaited."""
    deadline = time.monotonic() + APP_WAITS
    while not seen():
        assert time.monotonic() < deadline, f"not seen within {APP_WAITS} s: {what}"
        await pilot.pause(0.05)


def notices(app: TimelineApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def app_author(monkeypatch):
    monkeypatch.delenv(AUTHOR_VARIABLE, raising=False)  # the app signs as the login, or the role


async def test_a_star_made_in_another_process_appears_in_the_open_app_naming_bob(seed_store, app_author):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        event, rowid = view.current_id, view.current_rowid
        assert event and app.session.detail and not app.session.detail.event.starred
        writer = another_analyst(seed_store, "annotate", event, "--star", "--author", "bob")
        await until(pilot, lambda: any(n.startswith("bob starred ") for n in notices(app)), "the notice")
        await until(pilot, lambda: bool(app.session.detail and app.session.detail.event.starred), "the detail's star")
        await until(pilot, lambda: bool((row := view.row(view.cursor)) and row.starred), "the row's star")
        row = view.row(view.cursor)
        assert view.current_rowid == rowid and row and row.id == event  # the cursor stayed on its event
        await writer
        (notice,) = [n for n in notices(app) if n.startswith("bob ")]
        assert event not in notice and " · " in notice  # the event named by its date, type and place


async def test_a_rejection_by_another_process_hides_the_event(seed_store, app_author):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        event, rowid, shown = view.current_id, view.current_rowid, len(view.ids)
        assert event
        writer = another_analyst(seed_store, "reject", event, "--author", "bob")
        await until(pilot, lambda: rowid not in view.ids, "the rejected event hidden")
        assert len(view.ids) == shown - 1
        await until(pilot, lambda: any(n.startswith("bob rejected ") for n in notices(app)), "the notice")
        await writer


async def test_an_import_by_another_process_appears_and_is_said(seed_store, app_author):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        shown = len(view.ids)
        writer = another_analyst(seed_store, "import", "acled", str(ACLED))
        await until(pilot, lambda: len(view.ids) > shown, "the imported events")
        said = f"bob imported the ACLED file {ACLED.name}"
        await until(pilot, lambda: any(n.startswith(said) for n in notices(app)), "the notice")
        await writer


async def test_the_analysts_own_change_elsewhere_shows_unsaid(seed_store, app_author):
    """A star from the analyst's other terminal (signed as the app signs) shows, without a notice."""
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        event = view.current_id
        assert event
        await another_analyst(seed_store, "annotate", event, "--star", author=None)
        await until(pilot, lambda: bool((row := view.row(view.cursor)) and row.starred), "the row's star")
        assert not [n for n in notices(app) if "starred" in n]  # the notice comes with the reload, or never


async def test_the_app_goes_on_when_the_server_ends_its_connections(seed_store, app_author):
    """An administrator's pg_terminate_backend (a restart, the network): each lane connects again
    for the request that met the loss, unsaid; another analyst's star made after still shows, said."""
    if not isinstance(seed_store, str):
        pytest.skip("a server's session: PostgreSQL's")
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        with psycopg.connect(seed_store, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        assert ended and ended[0] >= 2  # the app's two lanes
        view = app.explorer.view
        event = view.current_id
        assert event
        await another_analyst(seed_store, "annotate", event, "--star", "--author", "bob")
        await until(pilot, lambda: bool((row := view.row(view.cursor)) and row.starred), "the row's star")
        await until(pilot, lambda: any(n.startswith("bob starred ") for n in notices(app)), "the notice")
        assert not [n for n in notices(app) if "lost" in n or "Not done" in n]


async def test_a_failure_is_not_said_again_while_its_notice_is_shown(seed_store):
    """A server that is down fails each second's check the same way: one notice, not one a second."""
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        for _ in range(3):
            app.session.workers.ask(FETCH, None, lambda conn: Failed("Not done: cannot connect"))
        await settle(pilot, app)
        assert [n for n in notices(app) if "cannot connect" in n] == ["Not done: cannot connect"]
