"""The analyst's review in the app (issue 25): each key under Textual's Pilot on a real seed
database, the corrections read back from the user's database as the command line reads them."""

# Each test runs on both stores (seed_store); the snapshots on SQLite alone: a picture of the
# screen, which the same rows draw the same from either store (corrected_db sets a correction's
# time in the SQLite user file, under its append-only triggers).

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input
from textual.widgets._toast import Toast

from cli import main
from db import annotations as user_layer, corrections, queries
from db.acled import import_acled
from db.annotations import add_tags, tags_of
from db.load import find_document, resting_on
from db.schema import connect, user_path
from tests.helpers import ROOT, SNAPSHOT_APP, press_and_settle, settle
from tui.app import TimelineApp
from tui.panes import FacetPane, Histogram
from tui.review import AddForm, EditForm, ReviewWalk, SourcePicker
from tui.screens import Confirm, DetailScreen
from tui.timeline_view import DOUBTFUL_BELOW, REJECTED_MARK


def review_of(db: Path, event_id: str) -> corrections.Review:
    return corrections.reviews(connect(db), [event_id]).get(event_id) or corrections.Review()


def detail_text(app: TimelineApp) -> str:
    return str(app.screen.query_one("#detail-body").render())


def current(app: TimelineApp) -> str:
    """The id of the event at the timeline's cursor."""
    event_id = app.explorer.view.current_id
    assert event_id is not None
    return event_id


def walking(walk: ReviewWalk) -> str:
    """The id of the event the review walk shows."""
    assert walk.detail is not None
    return walk.detail.event.id


def notices(app: TimelineApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def facet_total(app: TimelineApp, facet: str) -> int:
    return sum(v.count for v in app.explorer.query_one(f"#{facet}", FacetPane).values if v.parent is None)


def by_confidence(db: Path) -> list[str]:
    """The events in the order a review walks them: the least likely right first."""
    rows = connect(db).execute("SELECT id FROM events ORDER BY confidence IS NULL, confidence, date_start, id")
    return [r[0] for r in rows]


async def press(pilot, app: TimelineApp, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, app)


async def test_confirm_marks_the_event_reviewed_by_the_configured_author(seed_store, monkeypatch):
    monkeypatch.setenv("TIMELINE_AUTHOR", "Dana")
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        event_id = current(app)
        await press(pilot, app, "C")
        assert review_of(seed_store, event_id).status == "confirmed"
        assert corrections.history(connect(seed_store), event_id)[0].author == "Dana"
        assert "review     confirmed" in detail_text(app)


async def test_reject_hides_the_event_from_timeline_counts_and_months_and_u_brings_it_back(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, bar = app.explorer.view, app.explorer.query_one(Histogram)
        everything, types, dated = len(view.ids), facet_total(app, "types"), sum(n for _, n in bar.months)
        rejected, neighbour = current(app), view.row(1).id
        await press(pilot, app, "R")
        assert review_of(seed_store, rejected).rejected
        assert rejected not in {view.row(i).id for i in range(len(view.ids))}
        assert len(view.ids) == everything - 1 and current(app) == neighbour  # the cursor on its neighbour
        assert facet_total(app, "types") == types - 1 and sum(n for _, n in bar.months) == dated - 1
        assert f"{everything - 1} of {everything - 1} events" in app.sub_title
        assert any(f"Rejected {rejected}" in told and "undo" in told for told in notices(app))
        await press(pilot, app, "u")
        assert not review_of(seed_store, rejected).rejected and len(view.ids) == everything
        assert current(app) == rejected  # back where it was


async def test_the_rejection_notice_undoes_it_when_clicked(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot, app)
        rejected = current(app)
        await press(pilot, app, "R")
        await pilot.pause()
        (toast,) = app.screen.query(Toast).results()
        line = next(y for y in range(toast.region.height) if "undo" in toast.render_line(y).text)
        x = toast.render_line(line).text.index("undo")
        inside = toast.content_region.offset - toast.region.offset  # past its border and padding
        await pilot.click(toast, offset=(inside.x + x + 1, inside.y + line))
        await settle(pilot, app)
        assert not review_of(seed_store, rejected).rejected
        assert rejected in {app.explorer.view.row(i).id for i in range(len(app.explorer.view.ids))}


async def test_shown_rejected_events_are_marked_and_hidden_again(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        everything, rejected = len(view.ids), current(app)
        await press(pilot, app, "R", "H")
        assert len(view.ids) == everything
        row = view.row(0)
        assert row.id == rejected and row.review and row.review.rejected
        assert REJECTED_MARK in view.render_line(view.lines.line_of(0) - int(view.scroll_offset.y)).text
        await press(pilot, app, "H")
        assert len(view.ids) == everything - 1


async def test_edit_shows_the_machines_value_beside_and_the_detail_marks_the_correction(seed_store, monkeypatch):
    monkeypatch.setenv("TIMELINE_AUTHOR", "Dana")
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        row = app.explorer.view.row(0)
        assert row.fatalities is not None
        await press(pilot, app, "E")
        form = app.screen
        assert isinstance(form, EditForm)
        assert form.query_one("#edit-fatalities", Input).value == str(row.fatalities)
        await pilot.click("#edit-fatalities")
        await press(pilot, app, "end", *["backspace"] * 4, *str(row.fatalities + 1), "enter")
        assert not isinstance(app.screen, EditForm)
        c = review_of(seed_store, row.id).edits["fatalities"]
        assert (c.machine, c.analyst, c.author) == (row.fatalities, row.fatalities + 1, "Dana")
        shown = detail_text(app)
        assert f"killed     {row.fatalities + 1}" in shown
        assert f"✎ corrected by Dana on {c.created[:10]}, was {row.fatalities}" in shown
        await press(pilot, app, "E")  # the analyst's value in the field, the machine's beside it
        assert app.screen.query_one("#edit-fatalities", Input).value == str(row.fatalities + 1)
        assert app.screen.machine["fatalities"] == str(row.fatalities)  # type: ignore[attr-defined]


async def test_an_edit_refused_by_the_store_is_said_in_the_form_and_nothing_is_saved(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        event_id = current(app)
        await press(pilot, app, "E")
        await pilot.click("#edit-actor2")
        await press(pilot, app, *"Nobody Known", "enter")
        assert isinstance(app.screen, EditForm)
        assert "no actor called 'Nobody Known'" in str(app.screen.query_one("#edit-error").render())
        assert not review_of(seed_store, event_id).reviewed
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, EditForm)


async def test_u_takes_back_the_last_correction_made_here(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        first = current(app)
        await press(pilot, app, "C", "j")
        second = current(app)
        await press(pilot, app, "C", "k", "u")  # the cursor back on the first: the second's is the last made
        assert review_of(seed_store, first).status == "confirmed" and review_of(seed_store, second).status is None
        await press(pilot, app, "u")
        assert review_of(seed_store, first).status is None


async def test_g_goes_to_an_event_by_its_id_clearing_a_filter_that_hides_it(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        wanted = view.row(0).id
        await press(pilot, app, "d", *"2021", "enter")
        assert wanted not in {view.row(i).id for i in range(len(view.ids))}
        await press(pilot, app, "g", *wanted[:6], "enter")
        assert current(app) == wanted and app.session.filter.is_empty
        await press(pilot, app, "g", *"zzzz", "enter")
        assert any("no event with an id beginning 'zzzz'" in told for told in notices(app))


async def test_g_shows_the_rejected_events_to_go_to_a_rejected_one(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        rejected = current(app)
        await press(pilot, app, "R", "g", *rejected, "enter")
        assert app.session.show_rejected and current(app) == rejected


async def test_the_review_walk_goes_through_the_unreviewed_the_doubtful_first(seed_store):
    order = by_confidence(seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        everything = len(app.explorer.view.ids)
        await press(pilot, app, "w")
        walk = app.screen
        assert isinstance(walk, ReviewWalk)
        assert walk.sub_title == f"0 of {len(order)} reviewed" and walking(walk) == order[0]
        await press(pilot, app, "c")
        assert review_of(seed_store, order[0]).status == "confirmed"
        assert walk.sub_title == f"1 of {len(order)} reviewed" and walking(walk) == order[1]
        await press(pilot, app, "r")
        assert review_of(seed_store, order[1]).rejected and walking(walk) == order[2]
        await press(pilot, app, "space")  # passed over: not reviewed, the next shown
        assert not review_of(seed_store, order[2]).reviewed and walking(walk) == order[3]
        await press(pilot, app, "e")
        assert isinstance(app.screen, EditForm)
        await pilot.click("#edit-summary")
        await press(pilot, app, "end", *" (checked)", "enter")
        assert "summary" in review_of(seed_store, order[3]).edits and walking(walk) == order[4]
        assert walk.sub_title == f"3 of {len(order)} reviewed"
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, (ReviewWalk, EditForm))
        assert len(app.explorer.view.ids) == everything - 1  # the rejected hidden


async def test_at_80x24_the_review_keys_work_on_the_detail_screen(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        rejected, everything = current(app), len(view.ids)
        await press(pilot, app, "enter")
        assert isinstance(app.screen, DetailScreen)
        await press(pilot, app, "R")
        assert review_of(seed_store, rejected).rejected and len(view.ids) == everything - 1
        assert rejected not in detail_text(app) and current(app) in detail_text(app)
        await press(pilot, app, "E")
        assert isinstance(app.screen, EditForm) and app.screen.event.id == current(app)
        await press(pilot, app, "escape", "C")
        assert review_of(seed_store, current(app)).status == "confirmed"


async def test_a_tag_is_typed_whole_commas_and_all(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        event_id = current(app)
        app.explorer.action_annotate("tags")
        await press(pilot, app, *"verify, then cite", "enter")
        assert tags_of(connect(seed_store), [event_id])[event_id] == ("verify, then cite",)


async def test_T_adds_a_tag_and_typing_one_the_event_has_takes_it_off(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        event_id = current(app)
        await press(pilot, app, "T", *"checked", "enter")
        await settle(pilot, app)
        assert tags_of(connect(seed_store), [event_id]) == {event_id: ("checked",)}
        await press(pilot, app, "m", *"seen twice", "enter")
        await settle(pilot, app)
        assert "checked" in detail_text(app) and "seen twice" in detail_text(app)
        await press(pilot, app, "T", *"checked", "enter")
        await settle(pilot, app)
        assert tags_of(connect(seed_store), [event_id]) == {}
        assert "seen twice" in detail_text(app)


async def test_hash_shows_only_the_events_with_a_tag_and_their_counts(seed_store):
    conn = connect(seed_store)
    tagged_id = queries.event_ids(conn, queries.Filter())[3]
    add_tags(conn, tagged_id, ["verify, then cite"])
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, everything = app.explorer.view, len(app.explorer.view.ids)
        await press(pilot, app, "number_sign", *"verify, then cite", "enter")
        assert [view.row(i).id for i in range(len(view.ids))] == [tagged_id]
        assert facet_total(app, "types") == 1
        await press(pilot, app, "number_sign", "ctrl+u", "enter")
        assert len(view.ids) == everything


def test_stats_leave_the_rejected_events_out(seed_store):
    conn = connect(seed_store)
    before = queries.stats(conn)
    corrections.reject(conn, queries.event_ids(conn, queries.Filter())[0], author="Dana")
    after = queries.stats(conn)
    assert after.events == before.events - 1
    assert sum(n for _, n in after.types) == sum(n for _, n in before.types) - 1


# ---- snapshots: the edit form, and the detail pane with a corrected field ------------------


@pytest.fixture
def corrected_db(seed_db) -> Path:
    """The seeds with the first event's toll and perpetrators corrected by Dana, on a fixed day
    (the correction's time is the clock's: set here, so the picture does not change with the day)."""
    conn = connect(seed_db)
    first = queries.event_ids(conn, queries.Filter())[0]
    corrections.edit(conn, first, {"fatalities": 13, "actors": {"actor2": ["Iranian forces"]}}, author="Dana")
    conn.close()
    user = sqlite3.connect(user_path(seed_db))
    with user:  # the append-only guard stands aside for the clock to be set, and is put back
        guards = user.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'corrections'"
        ).fetchall()
        for name, _ in guards:
            user.execute(f"DROP TRIGGER {name}")
        user.execute("UPDATE corrections SET created = '2026-12-06 11:13:33'")
        for _, sql in guards:
            user.execute(sql)
    user.close()
    return seed_db


@pytest.mark.parametrize("keys", [[], ["E"]], ids=["corrected-detail", "edit-form"])
def test_snapshot_of_a_correction(snap_compare, corrected_db, monkeypatch, keys):
    monkeypatch.setenv("TIMELINE_DB", str(corrected_db))

    async def run_before(pilot):
        await press_and_settle(pilot, keys)
        pilot.app.clear_notifications()
        for field in pilot.app.screen.query(Input):  # the picture is of the form, not of a blink's moment
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(SNAPSHOT_APP, terminal_size=(160, 48), run_before=run_before)


async def test_an_event_merged_into_another_is_hidden_its_sources_shown_in_the_one_it_joined(seed_store):
    conn = connect(seed_store)
    keep, other = (r.id for r in queries.list_events(conn)[:2])
    corrections.merge(conn, keep, [other], author="Dana")
    conn.close()
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        shown = {view.row(i).id for i in range(len(view.ids))}
        assert keep in shown and other not in shown
        everything = queries.count_events(connect(seed_store))
        assert f"{everything - 1} of {everything - 1} events" in app.sub_title


async def test_an_event_rejected_then_merged_is_left_out_once_as_list_and_stats_count_it(seed_store):
    conn = connect(seed_store)
    keep, other = (r.id for r in queries.list_events(conn)[:2])
    corrections.reject(conn, other)
    corrections.merge(conn, keep, [other])
    shown, stated = corrections.pick(conn, queries.Filter()).total, queries.headline(conn).events
    conn.close()
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        everything = queries.count_events(connect(seed_store))
        assert shown == stated == everything - 1
        assert f"{shown} of {shown} events" in app.sub_title


# ---- the verbs the app added: merge, split, add, remove (issue 25, point 7) -----------------


def everything_shown(app: TimelineApp) -> list[str]:
    view = app.explorer.view
    return [r.id for i in range(len(view.ids)) if (r := view.row(i)) is not None]


async def test_M_merges_the_marked_events_into_the_one_at_the_cursor_and_u_takes_them_out(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view, everything = app.explorer.view, len(app.explorer.view.ids)
        other, keep = current(app), view.row(1).id
        sources = {s.document_id for d in queries.event_details(connect(seed_store), [other, keep]) for s in d.sources}
        await press(pilot, app, "space", "M")  # space marks the first and moves to the second
        assert corrections.merged(connect(seed_store)) == {other: keep}
        assert other not in everything_shown(app) and len(view.ids) == everything - 1 and current(app) == keep
        assert {s.document_id for s in app.session.detail.sources} == sources
        assert not app.session.marked and any(f"into {keep}" in n and "undo" in n for n in notices(app))
        await press(pilot, app, "u")
        assert corrections.merged(connect(seed_store)) == {} and len(view.ids) == everything


async def test_a_merge_the_store_refuses_keeps_the_marks(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        other, keep, third = current(app), view.row(1).id, view.row(2).id
        await press(pilot, app, "space")  # marks the first, the cursor on the second
        corrections.merge(connect(seed_store), third, [keep])  # another terminal merges it away meanwhile
        await press(pilot, app, "M")
        assert corrections.merged(connect(seed_store)) == {keep: third}
        assert app.session.marked == {other} and any(f"{keep} is merged into {third}" in n for n in notices(app))


async def test_M_with_nothing_marked_says_how_to_merge(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "M")
        assert corrections.merged(connect(seed_store)) == {}
        assert any("Mark the events to merge" in n for n in notices(app))


def with_sources(db: Path, n: int) -> int:
    """The position in the timeline of the first event with at least `n` quotes."""
    conn = connect(db)
    ids = queries.event_ids(conn, queries.Filter())
    return next(i for i, d in enumerate(queries.event_details(conn, ids)) if len(d.sources) >= n)


async def test_S_splits_the_chosen_quote_off_as_an_event_and_u_takes_the_split_back(seed_store):
    at = with_sources(seed_store, 2)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, *["j"] * at)
        event_id, everything = current(app), len(app.explorer.view.ids)
        chosen = app.session.detail.sources[1]
        await press(pilot, app, "S")
        assert isinstance(app.screen, SourcePicker)
        await press(pilot, app, "down", "space", "enter")
        (split,) = corrections.added(connect(seed_store))
        assert split["spans"] == [[document_key(seed_store, chosen.document_id), chosen.start, chosen.end]]
        assert current(app) == split["id"] and len(app.explorer.view.ids) == everything + 1
        assert [(s.document_id, s.start) for s in app.session.detail.sources] == [(chosen.document_id, chosen.start)]
        await press(pilot, app, "u")
        assert corrections.added(connect(seed_store)) == [] and len(app.explorer.view.ids) == everything
        assert split["id"] not in queries.event_ids(connect(seed_store), queries.Filter())  # the store's copy went too
        assert event_id in everything_shown(app)


def document_key(db: Path, document_id: int) -> str:
    return connect(db).execute("SELECT key FROM documents WHERE id = ?", (document_id,)).fetchone()[0]


async def type_into(pilot, app: TimelineApp, field: str, text: str) -> None:
    await pilot.click(f"#{field}")
    await press(pilot, app, *text)


async def test_A_adds_an_event_told_in_the_cursors_document_and_u_takes_it_back(seed_store, monkeypatch):
    monkeypatch.setenv("TIMELINE_AUTHOR", "Dana")
    conn = connect(seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        source = app.session.detail.sources[0]
        _, text = queries.document_text(conn, source.document_id)
        quote = re.search(r"[A-Za-z][A-Za-z ]{30,50}[a-z]", text).group(0)
        everything = len(app.explorer.view.ids)
        await press(pilot, app, "A")
        form = app.screen
        assert isinstance(form, AddForm) and form.query_one("#add-document", Input).value == str(source.document_id)
        for field, value in (("date", "2017-06"), ("type", "Attack"), ("places", "Tehran")):
            await type_into(pilot, app, f"add-{field}", value)
        await type_into(pilot, app, "add-actor1", "Islamic State")
        await type_into(pilot, app, "add-fatalities", "3")
        await type_into(pilot, app, "add-quote", quote)
        await press(pilot, app, "enter")
        (added,) = corrections.added(connect(seed_store))
        start = text.index(quote)
        assert added["spans"] == [[document_key(seed_store, source.document_id), start, start + len(quote)]]
        assert added["date"]["precision"] == "month" and added["fatalities"] == 3
        assert current(app) == added["id"] and len(app.explorer.view.ids) == everything + 1
        assert corrections.history(connect(seed_store), added["id"])[0].author == "Dana"
        assert any(f"Added {added['id']}" in n and "undo" in n for n in notices(app))
        await press(pilot, app, "u")
        assert corrections.added(connect(seed_store)) == [] and len(app.explorer.view.ids) == everything


async def test_an_added_event_shows_as_the_analysts_in_the_detail_not_with_a_confidence(seed_store):
    machines = queries.event_ids(connect(seed_store), queries.Filter())
    add = ["add", "--db", str(seed_store), "--date", "2017-06", "--type", "Attack", "--place", "Tehran"]
    added = CliRunner().invoke(main, [*add, "--actor1", "Islamic State", "--citation", "Reuters, 2017"]).stdout.strip()
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "g", *machines[0], "enter")
        assert re.search(r"confidence +\d\.\d\d", detail_text(app)), "the machine's events show their score"
        await press(pilot, app, "g", *added, "enter")
        assert current(app) == added
        (line,) = [line for line in detail_text(app).splitlines() if line.startswith("confidence")]
        assert "the analyst's event" in line and not re.search(r"\d", line)


async def test_the_add_form_says_what_is_missing_and_the_stores_refusal_in_place(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "A", "enter")
        assert "a date, please" in str(app.screen.query_one("#edit-error").render())
        for field, value in (("date", "2017"), ("type", "Attack"), ("places", "Tehran"), ("actor1", "Islamic State")):
            await type_into(pilot, app, f"add-{field}", value)
        await type_into(pilot, app, "add-quote", "words no article holds")
        await press(pilot, app, "enter")
        assert isinstance(app.screen, AddForm)
        assert "the quote is not in document" in str(app.screen.query_one("#edit-error").render())
        await press(pilot, app, "ctrl+u")  # the quote cleared: a citation instead
        await type_into(pilot, app, "add-citation", "Reuters wire, 2017")
        await press(pilot, app, "enter")
        (added,) = corrections.added(connect(seed_store))
        assert added["citation"] == "Reuters wire, 2017" and current(app) == added["id"]


def event_resting_alone_on_its_article(db: Path) -> tuple[str, int]:
    """An event whose only source is an article that other events rest on too: (its id, the article)."""
    conn = connect(db)
    for d in queries.event_details(conn, queries.event_ids(conn, queries.Filter())):
        documents = {s.document_id for s in d.sources}
        if len(documents) == 1 and len(resting_on(conn, next(iter(documents)))[0]) >= 2:
            return d.event.id, next(iter(documents))
    raise AssertionError("the seeds have no such event")


async def test_D_removes_a_sources_article_after_asking_and_says_what_of_the_analysts_is_kept(seed_store):
    from pipeline import remove

    event_id, document = event_resting_alone_on_its_article(seed_store)
    conn = connect(seed_store)
    alone, _ = resting_on(conn, document)
    user_layer.set_starred(conn, event_id, True)
    app = TimelineApp(seed_store, remove)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "g", *event_id, "enter")
        everything = len(app.explorer.view.ids)
        await press(pilot, app, "D")
        assert isinstance(app.screen, SourcePicker)
        await press(pilot, app, "enter")
        assert isinstance(app.screen, Confirm)
        asked = str(app.screen.query_one("#confirm-question").render())
        assert f"the {len(alone)} event(s) resting on it alone, 1 of them with your stars" in asked
        await press(pilot, app, "n")  # not removed: asked again, then yes
        assert find_document(connect(seed_store), str(document)) is not None
        await press(pilot, app, "D", "enter", "y")
        assert find_document(connect(seed_store), str(document)) is None
        assert not set(alone) & set(queries.event_ids(connect(seed_store), queries.Filter()))
        assert len(app.explorer.view.ids) == everything - len(alone)
        assert any(f"{len(alone)} event(s) it alone supported gone" in n and event_id in n for n in notices(app))
        assert event_id in {i for i, *_ in user_layer.orphaned(connect(seed_store))}  # the star kept, listed


async def test_D_without_the_command_lines_remover_says_to_use_it(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "D")
        assert not isinstance(app.screen, SourcePicker)
        assert any("timeline remove" in n for n in notices(app))


# ---- doubtful events, dimmed -----------------------------------------------------------------


def summary_is_dim(app: TimelineApp, index: int) -> bool:
    """Whether the row at `index` draws its summary dim."""
    view = app.explorer.view
    row = view.row(index)
    assert row is not None
    strip = view.render_line(view.lines.line_of(index) - int(view.scroll_offset.y))
    (style,) = {seg.style for seg in strip if row.summary[:20] in seg.text}  # not the sub-type it may begin with
    return bool(style and style.dim)


async def test_rows_under_the_doubtful_confidence_are_dimmed_unless_confirmed(seed_store):
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        rows = [view.row(i) for i in range(len(view.ids))]
        low = next(i for i, r in enumerate(rows) if r and r.confidence < DOUBTFUL_BELOW)
        high = next(i for i, r in enumerate(rows) if r and r.confidence >= DOUBTFUL_BELOW)
        assert summary_is_dim(app, low) and not summary_is_dim(app, high)
        await press(pilot, app, *["j"] * low)
        assert f"doubtful (under {DOUBTFUL_BELOW})" in detail_text(app)
        await press(pilot, app, "C")  # the analyst's word outweighs the score
        assert not summary_is_dim(app, low) and "doubtful" not in detail_text(app)


async def test_acled_rows_are_never_dimmed(seed_store):
    import_acled(ROOT / "tests" / "fixtures" / "acled_current.csv", seed_store)
    app = TimelineApp(seed_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        view = app.explorer.view
        acled = [i for i in range(len(view.ids)) if (r := view.row(i)) and r.id.startswith("acled:")]
        assert acled and not any(summary_is_dim(app, i) for i in acled)


@pytest.mark.parametrize(
    ("keys", "size"),
    [(["A"], (160, 48)), (["A"], (80, 24)), (["G"], (160, 48))],
    ids=["add-form", "add-form-80", "doubtful-dimmed"],
)
def test_snapshot_of_the_add_form_and_the_doubtful_rows(snap_compare, seed_db, monkeypatch, keys, size):
    """The add form, its source the cursor's document; the timeline's doubtful rows dimmed, the
    last one's detail saying so (G: the undated event, the least confident)."""
    monkeypatch.setenv("TIMELINE_DB", str(seed_db))

    async def run_before(pilot):
        await press_and_settle(pilot, keys)
        for field in pilot.app.screen.query(Input):  # the picture is of the form, not of a blink's moment
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(SNAPSHOT_APP, terminal_size=size, run_before=run_before)
