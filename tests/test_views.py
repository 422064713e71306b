"""The context of an event (`--around`) and saved views (`timeline view`), on the command line
and in the store: real files, the real command."""

import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import queries, views
from db.schema import connect, user_path
from tests.helpers import CLI, ROOT, SEED, store_v4


def timeline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True)


def listed(db: Path, *args: str) -> list[str]:
    """The ids `timeline list` prints (tab-separated: it is piped), in order."""
    done = CliRunner().invoke(main, ["list", "--db", str(db), *args])
    assert done.exit_code == 0, done.stderr
    return [line.split("\t")[0] for line in done.stdout.splitlines()[1:]]


def test_around_an_event_is_its_division_or_its_actors_within_the_days(context_db):
    # In: the same governorate 4 days later (CTX002), the same actor elsewhere 5 days before
    # (CTX003), the other actor elsewhere 6 days later (CTX008). Out: neither place nor actors
    # (CTX004), the same town 10 days later (CTX005), 18 days before (CTX006), another wing of
    # the same group (CTX007: groups are not followed).
    assert listed(context_db, "--around", "acled:CTX001") == [
        "acled:CTX003",
        "acled:CTX001",
        "acled:CTX002",
        "acled:CTX008",
    ]
    assert listed(context_db, "--around", "acled:CTX001", "--days", "10")[-1] == "acled:CTX005"
    assert listed(context_db, "--around", "acled:CTX001", "--days", "0") == ["acled:CTX001"]
    # ANDed with the other options, as any filter is
    assert listed(context_db, "--around", "acled:CTX001", "--place", "Aleppo") == ["acled:CTX003", "acled:CTX008"]


def test_around_exports_the_same_events(context_db):
    done = CliRunner().invoke(main, ["export", "--db", str(context_db), "--around", "acled:CTX001", "--format", "csv"])
    assert done.exit_code == 0, done.stderr
    assert [line.split(",")[0] for line in done.stdout.splitlines()[1:]] == listed(
        context_db, "--around", "acled:CTX001"
    )


def test_around_a_missing_or_undated_event_or_days_alone_is_a_usage_error(seed_store):
    conn = connect(seed_store)
    undated = conn.execute("SELECT id FROM events WHERE date_start IS NULL").fetchone()[0]
    for args, says in (
        (["--around", "no-such-event"], "no event 'no-such-event'"),
        (["--around", undated], "undated"),
        (["--days", "3"], "--around EVENT_ID"),
    ):
        done = timeline("list", "--db", str(seed_store), *args)
        assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_a_saved_view_lists_and_exports_as_its_options_did(seed_store):
    options = ["--place", "Deir ez-Zor", "--actor", "IRGC", "--since", "2017", "--until", "2018"]
    done = timeline("view", "save", "deir irgc", "--db", str(seed_store), *options)
    assert done.returncode == 0 and "Islamic Revolutionary Guard Corps; Deir ez-Zor" in done.stderr, done.stderr
    expected = listed(seed_store, *options)
    assert expected and listed(seed_store, "--view", "deir irgc") == expected
    assert listed(seed_store, "--view", "deir irgc", "--until", "2017-06") == listed(
        seed_store, *options[:-1], "2017-06"
    )  # an option given with the view replaces that part of it
    exported = timeline("export", "--db", str(seed_store), "--view", "deir irgc", "--format", "csv")
    assert [line.split(",")[0] for line in exported.stdout.splitlines()[1:]] == expected
    listing = timeline("view", "list", "--db", str(seed_store))
    assert listing.stdout.splitlines() == [
        "deir irgc\tIslamic Revolutionary Guard Corps; Deir ez-Zor; 2017-01-01 to 2018-12-31"
    ]


def test_saving_a_name_again_replaces_it_and_says_what_it_was(seed_store):
    assert timeline("view", "save", "daily", "--db", str(seed_store), "--actor", "ISIS").returncode == 0
    done = timeline("view", "save", "daily", "--db", str(seed_store), "--place", "Albu Kamal")
    assert done.returncode == 0 and "it was: Islamic State" in done.stderr, done.stderr
    assert listed(seed_store, "--view", "daily") == listed(seed_store, "--place", "Albu Kamal")


def test_deleting_a_view_and_the_usage_errors(seed_store):
    db = str(seed_store)
    assert timeline("view", "save", "daily", "--db", db, "--starred").returncode == 0
    for args, says in (
        (["list", "--db", db, "--view", "weekly"], "no view called 'weekly' (views: daily)"),
        (["view", "save", "empty", "--db", db], "nothing to save"),
        (["view", "save", "  ", "--db", db, "--starred"], "a view needs a name"),
        (["view", "delete", "weekly", "--db", db], "no view called 'weekly'"),
    ):
        done = timeline(*args)
        assert done.returncode == 2 and says in done.stderr and done.stderr.count("\n") == 1, (args, done.stderr)
    assert timeline("view", "delete", "daily", "--db", db).returncode == 0
    assert timeline("view", "list", "--db", db).stdout == ""


def test_views_survive_a_reload_of_the_articles(seed_store):
    assert timeline("view", "save", "albu kamal", "--db", str(seed_store), "--place", "Albu Kamal").returncode == 0
    before = listed(seed_store, "--view", "albu kamal")
    assert timeline("load", str(SEED), "--db", str(seed_store)).returncode == 0
    assert before and listed(seed_store, "--view", "albu kamal") == before


def test_an_older_user_database_gains_the_views_table_and_keeps_its_stars(tmp_path):
    db = store_v4(tmp_path / "timeline.db")
    old = sqlite3.connect(user_path(db))  # the user database as versions before views wrote it
    old.execute(
        "CREATE TABLE annotations (event_id TEXT PRIMARY KEY, starred INTEGER NOT NULL DEFAULT 0,"
        " tags TEXT, note TEXT, updated TEXT)"
    )
    event_id = sqlite3.connect(db).execute("SELECT id FROM events ORDER BY id LIMIT 1").fetchone()[0]
    old.execute("INSERT INTO annotations (event_id, starred) VALUES (?, 1)", (event_id,))
    old.commit()
    old.close()
    conn = connect(db)
    assert queries.event_ids(conn, queries.Filter(starred=True)) == [event_id]
    views.save_view(conn, "stars", queries.Filter(starred=True))
    assert [(v.name, v.filter) for v in views.saved_views(connect(db))] == [("stars", queries.Filter(starred=True))]


def test_a_filter_round_trips_through_json_and_a_newer_one_is_refused():
    f = queries.Filter(
        actors=("a1", "a2"), types=("Battles",), since=date(2017, 1, 1), search="killed", around=("e1", 9)
    )
    assert views.filter_from_json(views.filter_to_json(f)) == f
    assert views.filter_to_json(queries.Filter(starred=True)) == '{"starred": true}'
    with pytest.raises(queries.QueryError, match="mood"):
        views.filter_from_json('{"mood": "calm"}')


def test_a_view_naming_an_actor_no_longer_stored_is_described_by_its_id(seed_store):
    conn = connect(seed_store)
    f = queries.Filter(actors=("gone-actor",), starred=True)
    views.save_view(conn, "old", f)
    assert views.in_words(conn, views.saved_view(conn, "old")) == "gone-actor; starred"
