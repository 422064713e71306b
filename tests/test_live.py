"""Many analysts at once (issue 27): an open app sees another process's change (a star, a rejection,
an import) within seconds, without a restart, and says who made it. On SQLite the store's
`PRAGMA data_version` changes with another connection's commit; on PostgreSQL the same answer
counts the NOTIFYs of other connections' commits (db/store.py)."""

import subprocess
import time

from db import annotations, queries
from db.schema import connect
from tests.helpers import CLI, ROOT


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
