"""How long an open app takes to show another process's star (issue 27): seconds from the other
process's commit to the app's row and notice showing it, a few runs, as JSON.

    python bench/live_latency.py DB [RUNS]
DB: a SQLite file or a PostgreSQL URL holding a timeline (`timeline load` first). The app runs
under Textual's Pilot; each run a new process stars (or unstars) the cursor's event as "bob" and
prints the wall-clock time of its commit, which the app's first sight of it is measured from.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.app import TimelineApp  # noqa: E402

WRITER = """
import sys, time
from db.annotations import set_starred
from db.schema import connect
conn = connect(sys.argv[1])
set_starred(conn, sys.argv[2], sys.argv[3] == "1", author="bob")
print(time.time())
"""
PATIENCE = 30  # seconds a run may take before it is given up as lost


async def measure(db: str, runs: int) -> list[float]:
    app = TimelineApp(db)
    seconds: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.explorer.view
        while not (view.ids and view.current_id and view.row(view.cursor)):
            await pilot.pause(0.05)
        event = view.current_id
        for run in range(runs):
            starred = not view.row(view.cursor).starred  # type: ignore[union-attr]
            told = {n.identity for n in app._notifications}  # a notice goes after its 8 s: not counted
            writer = await asyncio.to_thread(  # the app's loop runs on meanwhile: its checks keep their pace
                subprocess.run,
                [sys.executable, "-c", WRITER, db, event, "1" if starred else "0"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            committed = float(writer.stdout.split()[-1])
            deadline = time.monotonic() + PATIENCE
            while not ((row := view.row(view.cursor)) and row.starred == starred and said(app, told)):
                if time.monotonic() > deadline:
                    raise SystemExit(f"run {run}: not seen within {PATIENCE} s")
                await pilot.pause(0.01)
            seconds.append(round(time.time() - committed, 3))
    return seconds


def said(app: TimelineApp, told: set[str]) -> bool:
    """Whether a new notice names bob."""
    return any(n.identity not in told and str(n.message).startswith("bob ") for n in app._notifications)


def main() -> None:
    if not 2 <= len(sys.argv) <= 3:
        raise SystemExit("usage: python bench/live_latency.py DB [RUNS]  (a store's path or URL)")
    db, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ.pop("TIMELINE_AUTHOR", None)  # the app signs as the login or role: "bob" is another analyst
    seconds = asyncio.run(measure(db, runs))
    print(json.dumps({"store": "postgresql" if "://" in db else "sqlite", "seconds": seconds,
                      "median": statistics.median(seconds), "max": max(seconds)}))  # fmt: skip


if __name__ == "__main__":
    main()
