"""The app at any size from 80x24, and its panes as an analyst uses them (issue 26): what has the
focus is on screen, every feature works below 120 columns, panes narrow by alias, a choice goes
back to the timeline, a view is saved by its name, a date range is shown and set either way."""

# Each test runs on both stores (seed_store); the snapshots on SQLite alone: a picture of the
# screen, which the same rows draw the same from either store.

import re
from datetime import date

import pytest
from textual.widgets import Input, Label

from db import queries, views
from db.schema import connect
from pipeline import ingest
from tests.helpers import SNAPSHOT_APP, press_and_settle, settle, write_article
from tui.app import TimelineApp
from tui.panes import DetailPane, FacetPane, FacetTree, Histogram
from tui.screens import Prompt, ViewsScreen
from tui.timeline_view import TimelineView


def shown_ids(pane: FacetPane) -> set[str]:
    """The values the pane's tree shows, at any depth."""

    def under(node):
        for child in node.children:
            yield child.data
            yield from under(child)

    return set(under(pane.query_one(FacetTree).root))


def bindings_offered(app: TimelineApp) -> set[str]:
    """The keys the footer offers now."""
    return {key for key, b in app.screen.active_bindings.items() if b.enabled and b.binding.show}


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_below_120_columns_a_pane_takes_the_timelines_place_while_it_has_the_focus(seed_store, size):
    app = TimelineApp(seed_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        view, centre = app.query_one(TimelineView), app.query_one("#centre")
        assert view.has_focus and view.size.height >= size[1] - 10  # no detail pane under it: 14 rows at 80x24
        assert not app.query_one(DetailPane).display or app.query_one(DetailPane).region.area == 0
        for key, facet in (("a", "actors"), ("p", "places"), ("t", "types")):
            await pilot.press(key)
            await pilot.pause()
            pane = app.query_one(f"#{facet}", FacetPane)
            others = [p for p in app.query(FacetPane) if p is not pane]
            assert pane.region.width == size[0] and pane.region.height >= size[1] - 6, facet  # the whole body
            assert all(p.region.area == 0 for p in others) and centre.region.area == 0
            assert pane.query_one(FacetTree).has_focus and pane.has_pseudo_class("focus-within")
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is view and pane.region.area == 0 and view.region.area > 0


async def test_a_pane_with_the_focus_stays_on_screen_when_the_terminal_narrows(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await pilot.press("p")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        pane = app.query_one("#places", FacetPane)
        assert pane.query_one(FacetTree).has_focus and pane.region.width == 80


async def test_at_160_columns_the_panes_and_the_detail_stay_beside_the_timeline(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        assert all(p.region.area for p in app.query(FacetPane)) and app.query_one(TimelineView).region.area
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(DetailPane).region.area and "enter" not in bindings_offered(app)


async def test_below_120_columns_enter_shows_the_detail_on_its_own_screen_and_it_scrolls(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        assert "enter" in bindings_offered(app)  # the footer says how to see the detail
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert type(screen).__name__ == "DetailScreen"
        pane = screen.query_one(DetailPane)
        assert pane.has_focus and f"id         {view.current_id}" in str(pane.query_one("#detail-body").render())
        assert pane.max_scroll_y > 0  # the seeds' first event has two sources: more than a screen
        await pilot.press("down", "down")
        assert pane.scroll_y == 2
        await pilot.press("j")  # the next event, its detail follows
        await settle(pilot, app)
        assert view.cursor == 1 and f"id         {view.current_id}" in str(pane.query_one("#detail-body").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.explorer and view.has_focus


async def test_a_pane_narrows_by_alias_as_the_command_line_resolves_names(seed_store):
    """`a` then "Daesh" or "ISIS" finds Islamic State; `p` then "Rakka" finds Raqqa: names the
    panes do not show, which the CLI's --actor and --place resolve."""
    conn = connect(seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        actors, places = app.query_one("#actors", FacetPane), app.query_one("#places", FacetPane)
        for key, pane, typed, kind in (
            ("a", actors, "Daesh", "actor"),
            ("a", actors, "ISIS", "actor"),
            ("p", places, "Rakka", "place"),
        ):
            wanted = queries.resolve_actor(conn, typed) if kind == "actor" else queries.resolve_place(conn, typed)
            assert typed.lower() not in {v.name.lower() for v in pane.values}
            await pilot.press(key, *typed)
            await settle(pilot, app)
            assert wanted in shown_ids(pane), typed
            assert pane.query_one(FacetTree).cursor_node.data == wanted  # what Enter would choose
            await pilot.press("escape", "c")
            await settle(pilot, app)


async def test_enter_in_the_narrow_field_chooses_and_letters_are_commands_again(seed_store):
    """One Enter chooses the first match and goes back to the timeline: `d` then opens the date
    dialog, not a "d" in the field; `c` clears the filter and the text typed in the pane."""
    conn = connect(seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        actors, view = app.query_one("#actors", FacetPane), app.query_one(TimelineView)
        await pilot.press("a", *"Daesh")
        await settle(pilot, app)
        assert "d" not in bindings_offered(app)  # typed, not a command: the footer does not offer it
        await pilot.press("enter")
        await settle(pilot, app)
        islamic_state = queries.resolve_actor(conn, "Daesh")
        assert app.session.filter.actors == (islamic_state,) and view.has_focus
        assert [r.id for r in queries.events_by_rowids(conn, view.ids)] == queries.event_ids(
            conn, queries.Filter(actors=(islamic_state,))
        )
        assert "d" in bindings_offered(app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Prompt) and actors.query_one(Input).value == "Daesh"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot, app)
        assert app.session.filter.is_empty and actors.query_one(Input).value == ""
        assert len(shown_ids(actors)) > 1  # every actor again, not only what matched "Daesh"


async def test_enter_on_a_pane_narrowed_to_nothing_says_so(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("a", *"[b]zq", "enter")  # markup-like text is shown as typed
        await settle(pilot, app)
        assert app.session.filter.is_empty and app.query_one("#actors-narrow", Input).has_focus
        assert [str(n.message) for n in app._notifications] == ["Nothing here matches “[b]zq”"]


async def test_space_on_a_pane_chooses_and_stays_enter_chooses_and_leaves(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        types = app.query_one("#types", FacetPane)
        await pilot.press("t", "space", "down", "enter")
        await settle(pilot, app)
        assert len(app.session.filter.types) == 2 and app.query_one(TimelineView).has_focus
        assert types.selected == set(app.session.filter.types)


async def test_saving_a_view_opens_on_the_name_and_says_it_saved(seed_store):
    """With views already saved, the dialog opened on the list: a name typed and Enter saved nothing
    and said nothing. The labels are whole at 80 columns."""
    conn = connect(seed_store)
    views.save_view(conn, "earlier", queries.Filter(since=date(2017, 1, 1)))
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("a", "enter", "escape")  # the actor with most events
        await settle(pilot, app)
        chosen = app.session.filter
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, ViewsScreen) and app.screen.query_one(Input).has_focus
        for label in app.screen.query(Label):
            text = str(label.render())
            assert label.region.width * label.region.height >= len(text), text  # wrapped, not cut
        await pilot.press(*"mine", "enter")
        await settle(pilot, app)
        assert ("mine", chosen) in [(v.name, v.filter) for v in views.saved_views(conn)]
        assert any("Saved view “mine”" in str(n.message) for n in app._notifications)


async def test_the_date_range_is_shown_at_80_columns_and_a_reversed_one_is_swapped(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        bar, view = app.query_one(Histogram), app.query_one(TimelineView)
        await pilot.press("d", *"2018..2017", "enter")
        await settle(pilot, app)
        assert (app.session.filter.since, app.session.filter.until) == (date(2017, 1, 1), date(2018, 12, 31))
        assert any("swapped" in str(n.message) for n in app._notifications) and view.ids
        months = {m for m, _ in view.lines.months if m}
        assert months and all("2017" <= m < "2019" for m in months)
        line = str(bar.render()).splitlines()[2]
        shown = line[: bar.content_size.width]
        assert re.search(r"range 2017-01-01\.\.2018-12-31\b", shown), line


async def test_events_dated_only_to_a_year_are_headed_by_the_year_not_by_january(seed_store, tmp_path):
    """An event of "in 2016" begins on 1 January: it stood under a "2016-01" heading, as if it were
    January's. It comes first in its year, under the year's heading alone; January's events follow
    under theirs."""
    body = (
        "In 2016, Islamic State fighters attacked Raqqa, killing 12 people.\n\n"
        "On January 20, 2016, a car bomb exploded in Homs, killing 8 civilians.\n"
    )
    article = write_article(tmp_path / "in", "raqqa.md", body, title="Raqqa", publisher="Wire", published="2018-03-01")
    assert len(ingest([article], seed_store).added) == 1
    conn = connect(seed_store)
    in_2016 = queries.list_events(conn, queries.Filter(since=date(2016, 1, 1), until=date(2016, 12, 31)))
    assert sorted(r.precision or "" for r in in_2016) == ["day", "year"]  # what the test needs of the extractor
    app = TimelineApp(seed_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        view = app.query_one(TimelineView)
        lines = [view.lines.at(y) for y in range(4)]
        assert [label for label, _ in lines] == ["2016", None, "2016-01", None]
        assert [view.row(i).precision for _, i in lines if i is not None] == ["year", "day"]
        assert view.lines.month_of(0) == "2016-01" and app.query_one(Histogram).cursor_month == "2016-01"


async def test_help_says_how_to_scroll_the_detail(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await pilot.press("?")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys").render())
        assert re.search(r"tab +.*detail pane.*scroll", keys) and re.search(
            r"(enter|⏎) +.*detail on its own screen", keys
        )


# ---- snapshots at 80x24, 100x30 and 160x45 --------------------------------------------------


@pytest.mark.parametrize(
    "size, keys",
    [
        ((80, 24), ["a", *"Daesh"]),
        ((80, 24), ["enter"]),
        ((100, 30), []),
        ((100, 30), ["p"]),
        ((160, 45), ["d", *"2018..2017", "enter"]),
        ((80, 24), ["a", "enter", "v"]),
    ],
    ids=["pane-80", "detail-80", "start-100", "pane-100", "range-160", "views-80"],
)
def test_snapshot_small(snap_compare, size, keys, seed_db_master, monkeypatch):
    monkeypatch.setenv("TIMELINE_DB", str(seed_db_master))

    async def run_before(pilot):
        await press_and_settle(pilot, keys)
        pilot.app.clear_notifications()  # a notice's timing is not what the picture checks

    assert snap_compare(SNAPSHOT_APP, terminal_size=size, run_before=run_before)
