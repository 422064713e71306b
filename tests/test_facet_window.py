"""A facet pane over a worldwide store holds a window of its values, never all of them, and shows,
opens, narrows and keeps its choice as when it held them all: db/facet_window.py against
`queries.facets` (every value counted), and the real app under the Pilot."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from bench.generate_world import generate
from db import facet_window as window_module, queries
from db.acled import import_acled
from db.facet_window import facet_total, facet_window
from db.queries import FacetValue, Filter
from db.schema import connect
from tests.helpers import STORES, new_pg_database, settle
from tui.app import TimelineApp
from tui.panes import FacetPane, FacetTree

SHOWN = 12  # values under a node: a few thousand places are then hundreds of times more


@pytest.fixture(scope="module", params=STORES)
def world_db(request, tmp_path_factory) -> Iterator[Path | str]:
    """3000 generated ACLED rows, on each store."""
    tmp = tmp_path_factory.mktemp("world")
    with contextlib.ExitStack() as made:
        db: Path | str = tmp / "world.db" if request.param == "sqlite" else made.enter_context(new_pg_database())
        import_acled(generate(3000, tmp / "world.csv"), db)
        yield db


@pytest.fixture
def shown_few(monkeypatch):
    monkeypatch.setattr(window_module, "SHOWN", SHOWN)
    monkeypatch.setattr(FacetPane, "SHOWN", SHOWN)


def top(values: list[FacetValue], parent: str | None) -> list[FacetValue]:
    """The most frequent SHOWN values under `parent`, as a pane holding them all would show them."""
    return [v for v in values if v.parent == parent][:SHOWN]


def test_a_window_holds_what_the_pane_shows_counted_as_every_value_is(world_db, shown_few):
    conn = connect(world_db)
    everything = queries.facets(conn, Filter())
    assert len(everything.places) > 1000
    big_actor, big_country = everything.actors[0].id, top(everything.places, None)[0].id
    for f in (Filter(), Filter(since=date(2020, 1, 1), until=date(2021, 6, 30)), Filter(actors=(big_actor,))):
        for facet in ("actors", "places", "types"):
            full = getattr(queries.facets(conn, f), facet)
            opened = (big_country,) if facet == "places" else ()
            window = facet_window(conn, facet, f, opened)
            by_id = {v.id: v for v in full}
            expected = top(full, None) + [v for node in opened for v in top(full, node)]
            assert sorted(window.values, key=lambda v: v.id) == sorted(expected, key=lambda v: v.id), (f, facet)
            assert window.values == sorted(window.values, key=lambda v: (-v.count, v.name))
            assert facet_total(conn, facet, f) == len(full)
            parents = {v.parent for v in full}
            assert window.expandable == {v.id for v in window.values if v.id in parents}
            assert all(by_id[v.id] == v for v in window.values)
    # narrowed: the most frequent matches anywhere in the tree, with their ancestors
    town = next(v for v in everything.places if v.parent is not None and v.parent in {p.id for p in everything.places})
    window = facet_window(conn, "places", Filter(), needle=town.name.upper())
    assert town.id in window.matched and len(window.matched) <= SHOWN
    held = {v.id for v in window.values}
    for match in window.matched:
        chain = queries.facets(conn, Filter()).places
        parent = next(v.parent for v in chain if v.id == match)
        while parent is not None:
            assert parent in held
            parent = next(v.parent for v in chain if v.id == parent)


async def test_a_pane_over_thousands_of_places_opens_narrows_and_keeps_its_choice(world_db, shown_few):
    conn = connect(world_db)
    everything = queries.facets(conn, Filter()).places
    app = TimelineApp(world_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        pane = app.query_one("#places", FacetPane)
        tree = pane.query_one(FacetTree)
        assert pane.values == top(everything, None) and pane.border_subtitle == str(len(everything))
        # a country opened: its divisions come, most events first
        await pilot.press("p")
        await settle(pilot, app)
        country = tree.cursor_node
        assert country is not None and country.data == top(everything, None)[0].id
        await pilot.press("right")
        await settle(pilot, app)
        opened = tree.cursor_node  # the tree is drawn again when the divisions come: the cursor stays
        assert opened is not None and opened.data == country.data and opened.is_expanded
        assert [c.data for c in opened.children] == [v.id for v in top(everything, country.data)]
        # a town the pane does not hold, typed: found, shown under its division and country
        held = {v.id for v in pane.values}
        town = next(v for v in everything if v.parent is not None and v.id not in held and v.parent not in held)
        await pilot.press(*town.name)
        await settle(pilot, app)
        assert tree.cursor_node is not None and tree.cursor_node.data == town.id
        assert tree.cursor_node.parent is not None and tree.cursor_node.parent.data == town.parent
        # chosen (space stays), the text cleared: the town stays chosen and shown in its tree
        await pilot.press("down", "space")
        await settle(pilot, app)
        assert app.session.filter.places == (town.id,)
        field = pane.query_one(Input)
        pane.screen.set_focus(field)
        await pilot.press(*["backspace"] * len(town.name))
        await settle(pilot, app)
        assert field.value == "" and pane.selected == {town.id}
        shown = {n.data: n for n in _nodes(tree.root)}
        assert town.id in shown and "✔" in str(shown[town.id].label)
        assert len(pane.values) <= SHOWN * 4  # the top, the country opened, the town's two ancestors
        # scrolled to the end of the list and back: the choice is kept
        pane.focus_list()
        await pilot.press(*["down"] * 40, *["up"] * 40)
        await settle(pilot, app)
        assert pane.selected == {town.id} and app.session.filter.places == (town.id,)


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)
