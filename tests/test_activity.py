"""The activity log (db/activity.py): who changed what, written with each change, on both stores."""

import json
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from cli import main
from db import annotations, corrections, queries, views
from db.acled import import_acled
from db.activity import Entry, activity
from db.schema import connect
from pipeline import remove
from tests.helpers import CLI, ROOT


def _rows(entries: list[Entry]) -> list[tuple]:
    return [(e.author, e.what, e.subject, e.detail) for e in entries]


def _since_load(conn) -> list[Entry]:
    """The log written by the test, without the seed store's own load (a SQLite copy of the seed
    store has a user database of its own, new, where the load's row is not)."""
    return [e for e in activity(conn) if e.action != "load"]


def test_two_authors_changes_are_logged_newest_first_with_who_made_them(store_conn):
    first, second = queries.event_ids(store_conn, queries.Filter())[:2]
    annotations.set_starred(store_conn, first, True, author="alice")
    annotations.add_tags(store_conn, first, ["front, east", "checked"], author="alice")
    annotations.set_note(store_conn, first, "Two sources differ on the toll: twelve or thirteen killed", "alice")
    annotations.set_starred(store_conn, first, False, author="bob")
    annotations.remove_tags(store_conn, first, ["checked"], author="bob")
    (machine,) = queries.events_by_ids(store_conn, [second], layer=False)
    corrections.edit(store_conn, second, {"fatalities": 99}, author="bob")
    corrections.reject(store_conn, first, author="alice")
    corrections.undo(store_conn, first, author="bob")
    views.save_view(store_conn, "east", queries.Filter(starred=True), author="alice")
    views.delete_view(store_conn, "east", author="bob")
    reject_id = corrections.history(store_conn, first)[0].id
    assert _rows(_since_load(store_conn)) == [
        ("bob", "view deleted", "east", None),
        ("alice", "view saved", "east", "starred"),
        ("bob", "undo", first, f"takes back #{reject_id}"),
        ("alice", "reject", first, None),
        ("bob", "edit fatalities", second, f"{corrections.describe_value(machine.fatalities, 'fatalities')} -> 99"),
        ("bob", "untag", first, "checked"),
        ("bob", "unstar", first, None),
        ("alice", "note", first, "Two sources differ on the toll: twelve or …"),
        ("alice", "tag", first, "checked"),
        ("alice", "tag", first, "front, east"),
        ("alice", "star", first, None),
    ]
    assert queries.event_detail(store_conn, first).tags == ("front, east",)  # the untag happened too


def test_a_change_that_changes_nothing_is_not_logged(store_conn):
    target = queries.event_ids(store_conn, queries.Filter())[0]
    annotations.set_starred(store_conn, target, False, author="alice")  # never starred
    annotations.remove_tags(store_conn, target, ["never there"], author="alice")
    annotations.add_tags(store_conn, target, ["checked"], author="alice")
    annotations.set_starred(store_conn, target, True, author="alice")
    annotations.add_tags(store_conn, target, ["checked"], author="bob")  # there already
    annotations.set_starred(store_conn, target, True, author="bob")  # starred already
    assert _rows(_since_load(store_conn)) == [("alice", "star", target, None), ("alice", "tag", target, "checked")]


def test_the_log_refuses_to_be_changed(store_conn):
    annotations.set_starred(store_conn, queries.event_ids(store_conn, queries.Filter())[0], True, author="alice")
    for statement in ("UPDATE user.activity SET author = 'mallory'", "DELETE FROM user.activity"):
        with pytest.raises(sqlite3.Error, match="append-only"), store_conn:
            store_conn.execute(statement)
    assert [e.author for e in _since_load(store_conn)] == ["alice"]


def test_a_change_that_fails_logs_nothing(seed_db):
    """The row is written in the change's transaction: a tag the database refuses (here by a
    trigger of its own) leaves no row saying it was added."""
    conn = connect(seed_db)
    target = queries.event_ids(conn, queries.Filter())[0]
    conn.execute("CREATE TRIGGER user.no_tags BEFORE INSERT ON tags BEGIN SELECT RAISE(ABORT, 'no tags here'); END")
    with pytest.raises(sqlite3.Error, match="no tags here"):
        annotations.add_tags(conn, target, ["checked"], author="alice")
    assert _since_load(conn) == []


def test_activity_command_filters_by_author_date_and_limit_and_prints_json(seed_store):
    conn = connect(seed_store)
    target = queries.event_ids(conn, queries.Filter())[0]
    annotations.set_starred(conn, target, True, author="alice")
    annotations.add_tags(conn, target, ["checked"], author="bob")
    annotations.set_starred(conn, target, False, author="bob")
    run = CliRunner().invoke
    done = run(main, ["activity", "--author", "bob", "--db", str(seed_store)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert [line.split()[2:] for line in lines] == [["bob", "unstar", target], ["bob", "tag", target, "checked"]]
    today = conn.execute("SELECT datetime('now')").fetchone()[0][:10]  # the store's clock, UTC
    assert all(line.split()[0] == today for line in lines)
    done = run(main, ["activity", "--limit", "1", "--format", "json", "--db", str(seed_store)])
    assert [(e["author"], e["what"], e["subject"]) for e in json.loads(done.output)] == [("bob", "unstar", target)]
    assert run(main, ["activity", "--since", "2999", "--db", str(seed_store)]).output == ""
    done = run(main, ["activity", "--since", "2026-13", "--db", str(seed_store)])
    assert done.exit_code == 2 and "--since: '2026-13'" in done.output


def test_store_writes_log_what_they_did_and_how_many(seed_store, tmp_path):
    csv = ROOT / "tests" / "fixtures" / "acled_week.csv"
    result = import_acled(csv, seed_store)
    conn = connect(seed_store)
    acled_id = next(i for i in queries.event_ids(conn, queries.Filter()) if i.startswith("acled:"))
    document = conn.execute(
        "SELECT d.path FROM documents d JOIN evidence v ON v.document_id = d.id WHERE v.event_id = ?", (acled_id,)
    ).fetchone()[0]
    removed = remove(document, seed_store)
    assert [(e.what, e.subject, e.detail) for e in _since_load(conn)] == [
        ("remove", removed.document, f"{len(removed.gone)} events removed, 0 kept"),
        ("import acled", csv.name, f"{result.added} added, 0 revised, 0 removed of {result.rows} rows"),
    ]
    assert removed.document == document and result.added > 0


def test_parallel_annotators_in_other_processes_are_all_logged_with_their_names(seed_store):
    target = queries.event_ids(connect(seed_store), queries.Filter())[0]
    writers = [
        subprocess.Popen(
            [*CLI, "annotate", target, "--tag", f"t{i}", "--author", f"analyst{i}", "--db", str(seed_store)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    writers.append(
        subprocess.Popen(
            [*CLI, "annotate", target, "--star", "--author", "lead", "--db", str(seed_store)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
    )
    assert [w.wait() for w in writers] == [0] * 9, [w.stderr.read() for w in writers]
    logged = {(e.author, e.what, e.detail) for e in _since_load(connect(seed_store))}
    assert logged == {(f"analyst{i}", "tag", f"t{i}") for i in range(8)} | {("lead", "star", None)}
