"""The app's start (issue 28: first rows within 1.3x a bare Textual app's first line): what runs
before the first rows is what they need. A module the first screen does not use is imported by
the key or the request that first needs it, not at start."""

import subprocess
import sys

from tests.helpers import ROOT

# Not needed until a key or a request asks: the extractor's text module and its lexicons, with
# their YAML parser (the store needs only ingest/fold.py's alias_key), the screens a key opens
# (tui/screens.py, tui/review.py), the writer of added events (db/load.py, with sqlite-utils).
NOT_AT_START = ("ingest.text", "ingest.lexicon", "yaml", "tui.screens", "tui.review", "db.load", "sqlite_utils")

# The real app, in a process of its own (a fresh sys.modules), run under Pilot until its first
# rows are on screen and every request has been answered (the detail of the first event too).
STARTED_APP = """
import asyncio, sys
from tui.app import TimelineApp

async def main(db):
    app = TimelineApp(db)
    async with app.run_test(size=(160, 48)) as pilot:
        quiet = 0
        while quiet < 2:
            await pilot.pause()
            quiet = quiet + 1 if app.explorer.view.ids and app.session.workers.idle else 0
        print(len(app.explorer.view.ids))
        print(" ".join(sorted(sys.modules)))

asyncio.run(main(sys.argv[1]))
"""


def test_the_first_rows_come_without_the_modules_only_later_keys_and_requests_need(seed_db):
    started = subprocess.run(
        [sys.executable, "-c", STARTED_APP, str(seed_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows, modules = started.stdout.splitlines()[-2:]
    loaded = set(modules.split())
    assert int(rows) > 0 and {"tui.app", "db.queries", "ingest.fold"} <= loaded  # alias_key's module is there
    assert [m for m in NOT_AT_START if m in loaded] == []
