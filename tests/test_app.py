"""The real app under Textual's Pilot, on a real seed database."""

# Each test runs on both stores (seed_store, context_store: a SQLite file, a PostgreSQL database),
# but these, on SQLite alone: the snapshots, pictures of the screen that the same rows draw the
# same from either store (the other tests check what the app shows on each), and a damaged page
# of the SQLite file.

import ast
import asyncio
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Tree

from db import queries, views
from db.acled import import_acled
from db.labels import SHORT_SUB_TYPES, SHORT_TYPES, periods, short_type
from db.schema import connect
from db.store import PostgresConnection
from tests.helpers import SETTLE_SECONDS, SNAPSHOT_APP, press_and_settle, settle
from tui.app import TimelineApp
from tui.panes import BusyLine, FacetPane, Histogram
from tui.timeline_view import DATE_WIDTH, TimelineView
from tui.workers import FETCH

ROOT = Path(__file__).resolve().parent.parent
ACLED = ROOT / "tests" / "fixtures" / "acled_current.csv"


async def test_choosing_an_actor_narrows_the_timeline_and_updates_counts(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        everything = len(view.ids)
        await pilot.press("a")
        await settle(pilot, app)  # the pane's values are in before Enter picks one
        await pilot.press("enter")  # the first actor: the one with most events
        await settle(pilot, app)
        pane = app.query_one("#actors", FacetPane)
        (chosen,) = pane.selected
        conn = connect(seed_store)
        expected = queries.event_ids(conn, queries.Filter(actors=(chosen,)))
        shown = [r.id for r in queries.events_by_rowids(conn, view.ids)]
        assert shown == expected and 0 < len(view.ids) < everything
        types = app.query_one("#types", FacetPane).values
        assert sum(v.count for v in types if v.parent is None) == len(expected)  # types, not sub-types
        assert f"{len(expected)} of {everything} events" in app.sub_title
        await pilot.press("escape", "c")  # back to the timeline: on a list, letters narrow it
        await settle(pilot, app)
        assert len(view.ids) == everything and not pane.selected


async def test_cursor_keys_move_and_the_detail_pane_follows(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        await pilot.press("j", "j")
        assert view.cursor == 2
        await pilot.press("G")
        assert view.cursor == len(view.ids) - 1
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("}")
        assert view.lines.month_of(view.cursor)[:4] > view.lines.month_of(0)[:4]
        await settle(pilot, app)  # the detail follows once the cursor rests
        detail = str(app.query_one("#detail-body").render())
        assert view.row(view.cursor).sub_type in detail


async def test_star_is_saved_and_export_writes_the_marked_events(seed_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        first = view.current_id
        await pilot.press("s")
        await pilot.press("space", "space")  # mark two events
        assert len(view.marked) == 2
        await pilot.press("e")
        await pilot.press("enter")  # accept the default path
        await settle(pilot, app)
    assert queries.event_ids(connect(seed_store), queries.Filter(starred=True)) == [first]
    md = (tmp_path / "timeline-export.md").read_text()
    assert "2 events." in md and md.count("\n- **") == 2


async def test_date_range_filter_and_search(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        await pilot.press("d")
        await pilot.press(*"2021-01..2021-01", "enter")
        await settle(pilot, app)
        assert view.ids and all(month.startswith("2021-01") for month, _ in view.lines.months)
        await pilot.press("slash")
        await pilot.press(*"Russian", "enter")
        await settle(pilot, app)
        assert view.matches and view.current_rowid in view.matches


def on_timeline(conn: sqlite3.Connection, view: TimelineView) -> list[str]:
    """The ids of the events on the timeline, in order."""
    return [r.id for r in queries.events_by_rowids(conn, view.ids)]


async def test_context_key_shows_the_events_around_and_back_returns_with_the_cursor(context_store):
    around_7 = ["acled:CTX003", "acled:CTX001", "acled:CTX002", "acled:CTX008"]  # see tests/test_views.py
    app = TimelineApp(context_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, conn = app.query_one(TimelineView), connect(context_store)
        everything = on_timeline(conn, view)
        await pilot.press(*["j"] * everything.index("acled:CTX001"))
        await pilot.press("x")
        await settle(pilot, app)
        assert on_timeline(conn, view) == around_7 and view.current_id == "acled:CTX001"
        assert not any(app.query_one(f"#{f}", FacetPane).selected for f in ("actors", "places", "types"))
        await pilot.press("1", "0", "x")  # a count: ten days either side
        await settle(pilot, app)
        assert on_timeline(conn, view) == [*around_7, "acled:CTX005"]
        await pilot.press("G")
        await pilot.press("backspace")  # to the seven days, on the event the cursor was on there
        await settle(pilot, app)
        assert on_timeline(conn, view) == around_7 and view.current_id == "acled:CTX001"
        await pilot.press("backspace")  # to the whole timeline
        await settle(pilot, app)
        assert on_timeline(conn, view) == everything and view.current_id == "acled:CTX001"
        await pilot.press("backspace")  # nothing before: nothing changes
        await settle(pilot, app)
        assert on_timeline(conn, view) == everything and view.current_id == "acled:CTX001"
        await pilot.press("X")  # the days asked
        await pilot.press("backspace", "1", "0", "enter")
        await settle(pilot, app)
        assert on_timeline(conn, view) == [*around_7, "acled:CTX005"]


async def test_a_filter_saved_as_a_view_is_picked_from_the_list_and_deleted(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, conn = app.query_one(TimelineView), connect(seed_store)
        await pilot.press("a", "enter", "escape")  # the actor with most events; back to the timeline
        await pilot.press("d", *"2017..2018", "enter")
        await settle(pilot, app)
        chosen = app.session.filter
        assert chosen.actors and chosen.since
        await pilot.press("v")
        await settle(pilot, app)
        await pilot.press(*"daily", "enter")  # no views yet: the name field has the focus
        await settle(pilot, app)
        assert [(v.name, v.filter) for v in views.saved_views(conn)] == [("daily", chosen)]
        await pilot.press("c")
        await settle(pilot, app)
        assert app.session.filter.is_empty
        await pilot.press("v")
        await settle(pilot, app)
        await pilot.press("enter")  # the first view in the list
        await settle(pilot, app)
        assert app.session.filter == chosen and app.query_one("#actors", FacetPane).selected == set(chosen.actors)
        assert on_timeline(conn, view) == queries.event_ids(conn, chosen)
        await pilot.press("v")  # a filter to save: the name field has the focus, Tab goes to the list
        await settle(pilot, app)
        await pilot.press("tab", "delete", "escape")
        await settle(pilot, app)
        assert views.saved_views(conn) == [] and app.session.filter == chosen


class Statements(list):
    """(thread, SQL) of every statement run; `gate`, when set, holds each statement `held` picks
    (a full-text search, by default) before it runs, as a slow one at a million events would."""

    gate: threading.Event | None = None
    held: Callable[[str], bool] = staticmethod(lambda sql: "MATCH" in sql)


@pytest.fixture
def statements(monkeypatch) -> Statements:
    """Every statement run, on either store: SQLite's through its trace callback, PostgreSQL's as
    the code wrote it (SQLite's dialect, so `held` reads the same text) and as the store sends its own."""
    ran = Statements()

    def trace(sql: str) -> None:
        ran.append((threading.get_ident(), sql))
        if ran.gate is not None and ran.held(sql):
            ran.gate.wait(30)

    real_connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(trace)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    real_run, real_run_many, real_raw = (
        PostgresConnection._run,
        PostgresConnection._run_many,
        PostgresConnection._raw_execute,
    )

    def run(self, cursor, sql, params):
        trace(expanded(sql, params))
        return real_run(self, cursor, sql, params)

    def run_many(self, cursor, sql, seq):
        trace(sql)
        return real_run_many(self, cursor, sql, seq)

    def raw(self, sql, params=None):
        trace(sql)
        return real_raw(self, sql, params)

    monkeypatch.setattr(PostgresConnection, "_run", run)
    monkeypatch.setattr(PostgresConnection, "_run_many", run_many)
    monkeypatch.setattr(PostgresConnection, "_raw_execute", raw)
    return ran


def expanded(sql: str, params) -> str:
    """A statement with its `?` parameters written in, as SQLite's trace callback gives it."""
    if isinstance(params, dict):
        return sql
    given = iter(params)

    def literal(_: re.Match) -> str:
        value = next(given, None)
        return "NULL" if value is None else f"'{value}'" if isinstance(value, str) else str(value)

    return re.sub(r"\?", literal, sql)


async def test_the_ui_thread_runs_no_sql(seed_store, tmp_path, monkeypatch, statements):
    from pipeline import remove

    monkeypatch.chdir(tmp_path)
    documents = connect(seed_store).execute("SELECT count(*) FROM documents").fetchone()[0]
    statements.clear()  # the app's only
    app = TimelineApp(seed_store, remove)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        for keys in (
            ["j", "j", "G", "home", "}"],
            ["a", "enter"],
            ["escape", "c"],
            ["slash", *"killed", "enter"],
            ["n", "N"],
            ["s"],
            ["space"],
            ["e", "enter"],
            ["o"],
            ["escape"],
            ["r"],
            ["d", *"2021", "enter"],
            ["b", "right", "left", "enter"],
            ["x"],
            ["backspace"],
            ["v", "escape"],
            ["C", "E", "escape", "R", "u", "H", "H"],  # the review: each writes or reads on a worker
            ["g", *"9f93", "enter"],
            ["w", "space", "c", "escape"],
            ["c", "home", "space", "M", "u"],  # merge the marked, and take it back
            ["home", "S", "enter", "u"],  # split the first quote off, and take it back
            ["A", *"2017", "tab", *"Attack", "tab", "tab", *"Tehran", "tab", *"Islamic State"],
            [*["tab"] * 7, *"Reuters", "enter", "u"],  # added with a citation (the last field), undone
            ["home", "D", "enter", "y"],  # the first source's article removed, what went said
        ):
            await pilot.press(*keys)
            await settle(pilot, app)
        assert (tmp_path / "timeline-export.md").exists()
    ui = threading.main_thread().ident
    assert len(statements) > 20 and [sql for thread, sql in statements if thread == ui] == []
    conn = connect(seed_store)  # each verb was done (and its undo)
    done = {r[0] for r in conn.execute("SELECT action FROM user.corrections")}
    assert {"merge", "split", "add", "undo"} <= done
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == documents - 1


async def test_keys_are_answered_during_a_slow_search_and_escape_cancels_it(seed_store, statements):
    statements.gate = threading.Event()
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, spinner = app.query_one(TimelineView), app.query_one(BusyLine)
        await pilot.press("slash", *"killed", "enter")
        async with asyncio.timeout(30):
            while "Esc cancels" not in spinner.text:  # the search is held: the spinner comes up
                await pilot.pause()
        await pilot.press("j", "j")
        assert view.cursor == 2
        await pilot.press("escape")
        statements.gate.set()
        await settle(pilot, app)
        async with asyncio.timeout(30):
            while spinner.text:  # and goes
                await pilot.pause()
        assert not view.matches and app.session.search_text == ""
        await pilot.press("n")
        assert view.cursor == 2  # no hits to move to


async def test_a_filter_shows_its_first_rows_while_its_whole_timeline_is_read(seed_store, statements):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        everything = len(view.ids)
        # the whole timeline of an actor: its date-ordered walk without a LIMIT, on a worker's thread
        test = threading.get_ident()
        statements.held = lambda sql: (
            "FROM event_actors d" in sql and "ORDER BY" in sql and "LIMIT" not in sql and threading.get_ident() != test
        )
        statements.gate = threading.Event()
        await pilot.press("a", "enter")  # the actor with most events
        async with asyncio.timeout(30):
            while not app.sub_title.startswith("first"):
                await pilot.pause()
        (chosen,) = app.query_one("#actors", FacetPane).selected
        conn = connect(seed_store)
        expected = queries.event_ids(conn, queries.Filter(actors=(chosen,)))
        assert [r.id for r in queries.events_by_rowids(conn, view.ids)] == expected[: len(view.ids)]
        await pilot.press("escape")  # give up the filter: back to the whole timeline shown before
        assert len(view.ids) == everything and not app.query_one("#actors", FacetPane).selected
        statements.gate.set()
        await settle(pilot, app)
        assert len(view.ids) == everything


async def test_the_panes_say_they_are_counting_until_the_new_filters_counts_come(seed_store, statements):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        panes = list(app.query(FacetPane))
        # the place counts under the chosen actor: read from the places' sets of events
        statements.held = lambda sql: "FROM event_sets WHERE facet = 'places'" in sql
        statements.gate = threading.Event()
        await pilot.press("a", "enter")  # the actor with most events
        async with asyncio.timeout(30):
            while "(filtered)" not in app.sub_title:  # its whole timeline is shown
                await pilot.pause()
        assert [p.border_subtitle for p in panes] == ["counting…"] * 3 and all(p.has_class("counting") for p in panes)
        statements.gate.set()
        await settle(pilot, app)
        (chosen,) = panes[0].selected
        conn = connect(seed_store)
        expected = queries.facets(conn, queries.Filter(actors=(chosen,))).places
        places = app.query_one("#places", FacetPane)  # no node open: the countries, and the count of all
        assert places.values == [v for v in expected if v.parent is None]
        assert places.border_subtitle == str(len(expected))
        assert not any(p.has_class("counting") for p in panes) and panes[0].border_subtitle == "1 chosen"


async def test_the_panes_values_come_before_their_number_of_values(seed_store, statements):
    """Under a filter, how many values a pane has in all is a pass over every value's set (323k
    places worldwide): the values shown are counted first and come without waiting for it."""
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        places = app.query_one("#places", FacetPane)
        # every place's set read, none named: the total's pass, not the window's
        statements.held = lambda sql: "FROM event_sets WHERE facet = 'places'" in sql and "json_each" not in sql
        statements.gate = threading.Event()
        await pilot.press("a", "enter")  # the actor with most events
        async with asyncio.timeout(30):
            while places.has_class("counting") or "(filtered)" not in app.sub_title:
                await pilot.pause()
        (chosen,) = app.query_one("#actors", FacetPane).selected
        expected = queries.facets(connect(seed_store), queries.Filter(actors=(chosen,))).places
        assert places.values == [v for v in expected if v.parent is None] and places.border_subtitle == "counting…"
        statements.gate.set()
        await settle(pilot, app)
        assert places.border_subtitle == str(len(expected))


async def test_a_request_that_fails_is_told_and_the_lane_answers_the_next_ones(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        app.session.workers.ask(FETCH, None, lambda conn: conn.execute("SELECT no_such_function()").fetchone())
        app.session.workers.ask(FETCH, None, lambda conn: dict[str, None]()["a bug"])
        await pilot.press("j")  # the detail of the next event comes from the same lane
        await settle(pilot, app)
        told = [str(n.message) for n in app._notifications]
        assert any("no_such_function" in t for t in told) and any("KeyError" in t for t in told)
        assert view.row(view.cursor).sub_type in str(app.query_one("#detail-body").render())


async def test_typing_on_a_filter_list_narrows_it_and_is_no_command(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await pilot.press("p", "e", "z")
        await settle(pilot, app)
        assert app.screen is app.explorer  # "e" did not open the export prompt
        assert app.query_one("#places-narrow", Input).value == "ez"
        # what is shown matches, or holds what matches (a country holds "Deir ez-Zor")
        nodes = list(shown(app.query_one("#places-list", Tree).root))
        assert nodes and all(any("ez" in str(d.label).lower() for d in [n, *shown(n)]) for n in nodes)


def shown(node):
    """The nodes shown under a tree node, depth first."""
    for child in node.children:
        yield child
        yield from shown(child)


async def test_the_place_pane_is_a_tree_and_a_node_chooses_what_lies_under_it(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        conn = connect(seed_store)
        syria, division = queries.resolve_place(conn, "Syria"), queries.resolve_place(conn, "Deir ez-Zor")
        tree = app.query_one("#places-list", Tree)
        await pilot.press("p")
        assert tree.cursor_node.data == syria and not tree.cursor_node.children  # the most events; closed
        await pilot.press("right", "down")
        assert tree.cursor_node.data == division and tree.cursor_node.parent.data == syria
        await pilot.press("space")
        await settle(pilot, app)
        shown = [r.id for r in queries.events_by_rowids(conn, app.explorer.view.ids)]
        assert shown == queries.event_ids(conn, queries.Filter(places=(division,)))
        assert len(shown) > len(
            queries.event_ids(conn, queries.Filter(places=(queries.resolve_place(conn, "Albu Kamal"),)))
        )
        await pilot.press("left", "minus")  # up to Syria, and close it
        assert tree.cursor_node.data == syria and not tree.cursor_node.is_expanded


async def test_help_lists_the_keys_and_the_short_type_names(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await pilot.press("?")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys").render())
        for words in ("Search", "Star", "Export", "Next month", "Time bar", "(on the time bar)"):
            assert words in keys
        legend = str(app.screen.query_one("#help-legend").render())
        for full, short in [*SHORT_TYPES.items(), *SHORT_SUB_TYPES.items()]:  # each short name explained
            assert re.search(rf"^ +{re.escape(short)} +{re.escape(full)} *$", legend, re.M), short


async def test_the_detail_pane_shows_what_the_store_holds_and_nothing_more(seed_store):
    """Every event, article or ACLED row: its stable id; a toll's words only where the article
    had them; ACLED's notes whole, with the sources ACLED names; no placeholder for what is absent."""
    assert import_acled(ACLED, seed_store).added == 3
    conn = connect(seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        seen = set()
        for _ in range(len(view.ids)):
            shown = str(app.query_one("#detail-body").render())
            detail = queries.event_detail(conn, view.current_id or "")
            assert detail is not None
            e = detail.event
            seen.add(e.id)
            assert f"id         {e.id}" in shown
            assert "None" not in shown and "“”" not in shown and "unknown publisher" not in shown
            killed = next((line for line in shown.splitlines() if line.startswith("killed")), None)
            assert (killed is None) == (e.fatalities is None)
            assert killed is None or ("“" in killed) == bool(detail.fatalities_raw)
            if e.id.startswith("acled:"):
                (source,) = detail.sources
                notes = queries.document_text(conn, source.document_id)[1]
                assert " ".join(notes.split()) in " ".join(shown.split())
                assert f"source: {source.publisher}" in shown and "confidence" not in shown
            else:
                numbered: dict[int, str] = {}  # a number per document, whatever its number of quotes
                for s in detail.sources:
                    numbered.setdefault(s.document_id, f"[{len(numbered) + 1}] {s.title}")
                assert all(heading in shown for heading in numbered.values())
            await pilot.press("j")
            await settle(pilot, app)
        assert seen == set(queries.event_ids(conn, queries.Filter())) and sum(i.startswith("acled:") for i in seen) == 3


@pytest.mark.parametrize("size, at_least", [((160, 48), 60), ((80, 24), 48)])
async def test_columns_follow_the_width_and_the_summary_takes_what_is_left(seed_store, size, at_least):
    """Short type names (the sub-type where it fits), and the summary in all that is left, a
    column of at least `at_least` characters: each summary whole, or cut with an ellipsis after
    the last word that fits."""
    app = TimelineApp(seed_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        columns = view.columns
        assert columns.summary_width >= at_least and columns.sub_types
        start = 3 + DATE_WIDTH + 1 + columns.type_width + 1  # marks, date, type
        checked = 0
        for y in range(min(view.scrollable_size.height, view.lines.height - view.scroll_offset.y)):
            _, index = view.lines.at(view.scroll_offset.y + y)
            if index is None:
                continue
            row, line = view.row(index), view.render_line(y).text
            assert len(line) == view.scrollable_size.width
            kind = short_type(row.type, row.sub_type, columns.type_width)
            assert line[start - columns.type_width - 1 : start].strip() == kind and len(kind) < len(row.sub_type) + 1
            summary, rest = " ".join(row.summary.split()), line[start:].rstrip()
            if not rest.startswith(summary):  # cut, with an ellipsis: at the last word that fits, or full
                shown = rest.split("…")[0]
                assert rest == shown + "…" and summary.startswith(shown), (summary, rest)
                next_word = summary[len(shown) :].split()[0]
                fits = len(shown + " " + next_word + "…") <= columns.summary_width
                assert len(rest) == columns.summary_width or (summary[len(shown)] == " " and not fits)
            checked += 1
        assert checked >= (15 if size[0] == 160 else 5)


async def test_the_bar_of_time_has_a_column_for_every_month_and_moves_the_cursor(seed_store):
    assert import_acled(ACLED, seed_store).added == 3  # 2023: two empty years after the articles' last event
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, bar = app.query_one(TimelineView), app.query_one(Histogram)
        counts = dict(queries.month_counts(connect(seed_store)))
        found, unit = bar.periods()
        first, last = min(counts), max(counts)
        months = [f"{y}-{m:02d}" for y in range(int(first[:4]), int(last[:4]) + 1) for m in range(1, 13)]
        months = [m for m in months if first <= m <= last]
        assert unit == "month" and [p.label for p in found] == months
        assert [p.count for p in found] == [counts.get(m, 0) for m in months]
        lines = str(bar.render()).splitlines()
        assert len(lines[0]) == len(months) and "·" in lines[0]  # empty months keep their column
        for year in range(int(first[:4]), int(last[:4]) + 1):  # years without events are named too
            assert re.search(rf"\b{year}\b", lines[1]), year
        # the cursor's period is marked
        await pilot.press("}", "}")
        await settle(pilot, app)
        here = view.lines.month_of(view.cursor)
        assert bar.cursor_month == here and f"cursor in {here}" in lines_of(bar)[2]
        assert _marked_columns(bar) == [months.index(here)]
        # focused, the bar chooses a period: the timeline goes to its first event, or the next one
        await pilot.press("b")
        assert bar.has_focus
        await pilot.press("home")
        assert view.lines.month_of(view.cursor) == first
        empty = next(m for m in months if m not in counts)
        await pilot.press(*["right"] * months.index(empty))
        assert bar.chosen == empty and "0 events" in lines_of(bar)[2]
        after = min(m for m in counts if m > empty)
        assert view.lines.month_of(view.cursor) == after
        await pilot.press("end", "enter")
        assert view.has_focus and view.lines.month_of(view.cursor) == last


async def test_the_bar_of_time_takes_quarters_or_years_when_months_do_not_fit(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(pilot, app)
        bar = app.query_one(Histogram)
        found, unit = bar.periods()
        assert unit == "quarter" and len(found) <= bar.content_size.width
        counts = queries.month_counts(connect(seed_store))
        assert sum(p.count for p in found) == sum(n for _, n in counts)
        assert found[0].label == f"{counts[0][0][:4]}-Q{(int(counts[0][0][5:]) - 1) // 3 + 1}"


def lines_of(bar: Histogram) -> list[str]:
    return str(bar.render()).splitlines()


def _marked_columns(bar: Histogram) -> list[int]:
    """The columns of the bar drawn reversed: the cursor's period, and the one chosen."""
    content = bar.render()
    width = len(lines_of(bar)[0])
    return sorted(
        {i for span in content.spans if "reverse" in str(span.style) for i in range(span.start, span.end) if i < width}
    )


def test_stats_draws_the_bar_of_time(seed_store):
    """`timeline stats` ends with the app's picture of time: a column per period, empty ones too."""
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["stats", "--db", str(seed_store)], env={"COLUMNS": "100"})
    assert result.exit_code == 0 and result.output.startswith("events")
    chart = result.output.split("divisions\n")[1].split("events per ")[1].splitlines()
    counts = queries.month_counts(connect(seed_store))
    found, unit = periods(counts, 100 - len(str(max(n for _, n in counts))) - 2)
    assert chart[0].startswith(f"{unit}, {found[0].label} to {found[-1].label}")
    axis = next(line for line in chart if "└" in line)
    assert len(axis.split("└")[1]) == len(found)
    columns = [line.split("┤" if "┤" in line else "│")[1] for line in chart if "┤" in line or "│" in line]
    filled = {i for line in columns for i, c in enumerate(line) if c.strip()}
    assert filled == {i for i, p in enumerate(found) if p.count}


def test_the_headless_core_never_imports_textual():
    for folder in ("ingest", "db"):
        for path in (ROOT / folder).glob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                assert not any(n.split(".")[0] in ("textual", "tui") for n in names), path


# ---- snapshots: what the screen shows -----------------------------------------------------


@pytest.mark.parametrize(
    "size, keys",
    [
        ((160, 48), []),
        ((160, 48), ["j", "j", "j"]),
        ((160, 48), ["a", "enter"]),
        ((160, 48), ["question_mark"]),
        ((80, 24), []),
        ((160, 48), ["o"]),
        ((160, 48), ["p", "right", "down", "right"]),
        ((160, 45), []),
        ((80, 24), ["b", "right", "right", "right"]),
        ((80, 24), ["question_mark"]),
    ],
    ids=["start", "cursor", "actor-filter", "help", "narrow", "article", "place-tree", "wide-45", "bar-80", "help-80"],
)
def test_snapshot(snap_compare, size, keys, seed_db_master, monkeypatch):
    monkeypatch.setenv("TIMELINE_DB", str(seed_db_master))

    async def run_before(pilot):
        await press_and_settle(pilot, keys)

    assert snap_compare(SNAPSHOT_APP, terminal_size=size, run_before=run_before)


def test_snapshot_of_an_acled_row(snap_compare, seed_db, monkeypatch):
    """160x45, the seeds and an ACLED export: the bar of time runs on through two empty years, and
    the detail pane shows an ACLED row's id, notes and source."""
    import_acled(ACLED, seed_db)
    monkeypatch.setenv("TIMELINE_DB", str(seed_db))

    async def run_before(pilot):
        await press_and_settle(pilot, ["G", "k"])  # the last dated event: ACLED's, after the undated one at the end

    assert snap_compare(SNAPSHOT_APP, terminal_size=(160, 45), run_before=run_before)


async def test_a_damaged_page_met_by_the_app_is_told_naming_the_file(seed_db):
    """Damage met in a query is said as the command line says it, with the file's name; the app
    goes on."""
    from tests.test_reliability import damage_a_page_past_the_schema

    damage_a_page_past_the_schema(seed_db)
    app = TimelineApp(seed_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        told = [str(n.message) for n in app._notifications]
        assert any(t.startswith(f"Not done: {seed_db}: damaged (database disk image is malformed") for t in told), told


async def test_a_row_names_after_its_summary_only_the_places_the_summary_does_not(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(200, 48)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        seen = 0
        for y in range(min(view.scrollable_size.height, view.lines.height)):
            _, index = view.lines.at(y)
            if index is None or not (row := view.row(index)).places:
                continue
            after = view.render_line(y).text.partition(row.summary)[2]
            for place in row.places[:2]:
                assert (f"@ {place}" in after or f", {place}" in after) != (place in row.summary), (row.summary, after)
            seen += 1
        assert seen >= 10


async def test_letters_queued_on_a_panes_list_all_reach_its_field_whenever_it_takes_the_focus(seed_store):
    """ "a" then "isl" in one read of the terminal: the app hands each key to the widget focused
    when it comes, so all three go to the actor list. The first moves the focus to the field; the
    two queued after it must follow it there, even when the field has taken the focus (handled its
    Focus event) before the list comes to them: on a busy start it may, and CI lost "sl" so."""
    from textual import events

    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        tree, field = app.query_one("#actors-list", Tree), app.query_one("#actors-narrow", Input)

        async def field_focused() -> None:
            async with asyncio.timeout(SETTLE_SECONDS):
                while not field.has_focus:
                    await asyncio.sleep(0)

        tree._forward_event(events.Key("i", "i"))  # as the app forwards a key to the focused widget
        tree.call_later(field_focused)  # the list comes to the next keys once the field has the focus
        for letter in "sl":
            tree._forward_event(events.Key(letter, letter))
        await settle(pilot, app)
        assert field.value == "isl"
