"""Drive the real app under Textual's Pilot on a database and print its figures as JSON.

    python bench/app_probe.py DB
    python bench/app_probe.py --first DB     (the first rows alone)
Started as its own process, so "first rows" includes Python's start and every import; they are
the first event's line drawn from its row, not a placeholder while its page comes. What to
filter on is chosen from every value's counts by a process of its own (`--choices`): the app's
memory is measured, not the probe's.
"""

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the bench's own modules too

from bench import peak_memory  # noqa: E402
from db import queries  # noqa: E402
from db.facet_window import facet_total, facet_window  # noqa: E402
from db.schema import connect  # noqa: E402
from tui.app import TimelineApp  # noqa: E402
from tui.timeline_view import PAGE, TimelineView  # noqa: E402

FIRST_DRAWN: list[float] = []  # when the timeline first drew an event's line from its row


def _timed_strip(strip):
    """The timeline's line drawing, timed as bench/bare_app.py times its line: an event's line
    drawn from its row, not the placeholder ("…") drawn while its page is asked for."""

    def drawn(view: TimelineView, i: int, width: int):
        line = strip(view, i, width)
        if not FIRST_DRAWN and view.pages.get(i // PAGE, view.ids[i]) is not None:
            FIRST_DRAWN.append(time.perf_counter())
        return line

    return drawn


TimelineView._event_strip = _timed_strip(TimelineView._event_strip)  # type: ignore[method-assign]


async def settle(pilot, app) -> None:
    quiet = 0
    while quiet < 2:
        await pilot.pause(0.02)
        quiet = quiet + 1 if app.session.workers.idle else 0


async def timed_filter(pilot, app, f, whole: dict | None = None) -> float:
    """Seconds until the filtered rows are on screen (the counts may still be coming); `whole`,
    if given, gets the seconds until the whole timeline is read, as "whole_s"."""
    view = app.query_one(TimelineView)
    before = view.ids
    start = time.perf_counter()
    app.session.set_filter(f)
    while view.ids is before:
        await pilot.pause(0.02)
    seconds = time.perf_counter() - start
    while app.session.shown_filter != f:
        await pilot.pause(0.02)
    if whole is not None:
        whole["whole_s"] = time.perf_counter() - start
    await settle(pilot, app)
    return seconds


def key_work(view, action) -> float:
    """What one key costs the UI thread: the action and drawing every visible line (the detail
    and any missing rows are asked of the workers)."""
    start = time.perf_counter()
    action()
    for y in range(view.size.height):
        view.render_line(y)
    return time.perf_counter() - start


async def keys_during_search(pilot, app, view, text: str) -> dict:
    """The UI thread's longest wait while a search runs, keys moving the cursor all along; then
    the same search again, given up with Escape: how long until the workers are free."""
    session = app.session
    session.search(text)
    lags, moves, start = [], [], time.perf_counter()
    while "search" in session.workers.slow_kinds():
        tick = time.perf_counter()
        await asyncio.sleep(0.005)
        lags.append(time.perf_counter() - tick - 0.005)
        moves.append(key_work(view, lambda: view.action_cursor(1)))
    searched = time.perf_counter() - start
    await settle(pilot, app)
    hits = len(session.hits)
    session.search(text)
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    await pilot.press("escape")
    while not session.workers.idle:
        await asyncio.sleep(0.001)
    return {
        "search_s": searched,
        "search_hits": hits,
        "lag_max_ms": max(lags, default=0) * 1000,
        "key_during_search_ms": max(moves, default=0) * 1000,
        "cancel_ms": (time.perf_counter() - start) * 1000,
    }


async def first_rows(db: str) -> float:
    """Seconds from the top of this script until the app draws its first event's line."""
    async with TimelineApp(db).run_test(size=(160, 48)) as pilot:
        while not FIRST_DRAWN:
            await pilot.pause(0.02)
        return FIRST_DRAWN[0] - STARTED


async def probe(db: str) -> dict:
    app = TimelineApp(db)
    out = {}
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.query_one(TimelineView)
        while not FIRST_DRAWN:
            await pilot.pause(0.02)  # a busier poll would steal the GIL from the worker it waits for
        await settle(pilot, app)
        out["settled_s"] = time.perf_counter() - STARTED
        presses = []
        for key in ["j"] * 5:
            start = time.perf_counter()
            await pilot.press(key)
            presses.append(time.perf_counter() - start)
        out["press_ms"] = statistics.median(presses) * 1000  # Pilot's own wait for idle included
        keys = [key_work(view, lambda: view.action_cursor(1)) for _ in range(10)]
        keys += [key_work(view, lambda: view.action_cursor(0, 1)) for _ in range(10)]
        out["key_ms"] = statistics.median(keys) * 1000
        out["jump_end_ms"] = key_work(view, lambda: view.action_jump(-1)) * 1000
        conn = connect(db)
        chosen = json.loads(
            subprocess.run([sys.executable, __file__, "--choices", db], check=True, capture_output=True).stdout
        )
        common, rare, place, country, division = (chosen[k] for k in ("common", "rare", "place", "country", "division"))
        mid = chosen["month"]
        base = queries.Filter()
        out["filter_place_s"] = await timed_filter(pilot, app, replace(base, places=(place,)))
        out["filter_dates_s"] = await timed_filter(
            pilot,
            app,
            replace(base, since=queries.parse_date_bound(mid, False), until=queries.parse_date_bound(mid, True)),
        )
        out["filter_rare_actor_s"] = await timed_filter(pilot, app, replace(base, actors=(rare,)))
        out["filter_search_s"] = await timed_filter(pilot, app, replace(base, search="convoy"))
        whole: dict = {}
        out["filter_common_actor_s"] = await timed_filter(pilot, app, replace(base, actors=(common,)), whole)
        out["filter_common_actor_whole_s"] = whole["whole_s"]
        out["filter_country_s"] = await timed_filter(pilot, app, replace(base, places=(country,)))
        out["country_share"] = chosen["country_count"] / max(1, queries.count_events(conn))
        out["filter_division_s"] = await timed_filter(pilot, app, replace(base, places=(division,)))
        out["common_actor_share"] = chosen["common_count"] / max(1, queries.count_events(conn))
        month = replace(base, since=queries.parse_date_bound(mid, False), until=queries.parse_date_bound(mid, True))
        out["facets_window_s"], out["facets_window_total_s"] = panes_counted(conn, month)
        out["facets_cross_s"], out["facets_cross_total_s"] = panes_counted(conn, replace(base, actors=(common,)))
        await timed_filter(pilot, app, base)
        out.update(await keys_during_search(pilot, app, view, "killing"))
        out["events"] = queries.count_events(conn)
    out["rss_mb"] = peak_memory.peak_mb()
    return out


def panes_counted(conn, f) -> tuple[float, float]:
    """Seconds to count the three panes' values under a filter, as the app's counts request does;
    then seconds to count how many values each has in all, as its totals request does."""
    picked: dict = {}  # the filters' events, read once for the three
    start = time.perf_counter()
    for facet in ("actors", "places", "types"):
        facet_window(conn, facet, f, picked=picked)
    shown = time.perf_counter() - start
    start = time.perf_counter()
    for facet in ("actors", "places", "types"):
        facet_total(conn, facet, f, picked={})
    return shown, time.perf_counter() - start


def choices(db: str) -> dict:
    """What the probe filters on, from every value's counts: the actor with most events and the
    middle one, the middle place, the first country and its first division, the middle month."""
    conn = connect(db)
    facets = queries.facets(conn, queries.Filter())
    common, rare = facets.actors[0], facets.actors[len(facets.actors) // 2]
    country = next(v for v in facets.places if v.parent is None)  # the trees: country > division > town
    years = queries.month_counts(conn, queries.Filter())
    return {
        "common": common.id,
        "common_count": common.count,
        "rare": rare.id,
        "place": facets.places[len(facets.places) // 2].id,
        "country": country.id,
        "country_count": country.count,
        "division": next(v for v in facets.places if v.parent == country.id).id,
        "month": years[len(years) // 2][0],
    }


if __name__ == "__main__":
    if sys.argv[1] == "--choices":
        print(json.dumps(choices(sys.argv[2])))
    elif sys.argv[1] == "--first":
        print(asyncio.run(first_rows(sys.argv[2])))
    else:
        print(json.dumps(asyncio.run(probe(sys.argv[1]))))
