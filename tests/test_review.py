"""The analyst's corrections (issue 25): each verb from the command line, and each correction
surviving what rebuilds the machine's events (a load, a re-ingest, a re-extraction that changes an
event's id, an ACLED revision). Real SQLite, real files, the real CLI."""

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import corrections, queries
from db.acled import import_acled
from db.schema import connect
from pipeline import ingest as ingest_files, load
from tests.helpers import CLI, ROOT, SEED, write_article

FIXTURES = Path(__file__).parent / "fixtures"


def run(db: Path, *args: str, ok: bool = True):
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def listed(db: Path, *args: str) -> dict[str, dict]:
    """`timeline list` as the rows of its tab-separated output, by event id."""
    out = run(db, "list", *args).stdout
    return {r["id"]: r for r in csv.DictReader(io.StringIO(out), delimiter="\t")}


def first_ids(db: Path, n: int) -> list[str]:
    return queries.event_ids(connect(db), queries.Filter())[:n]


def test_reject_hides_an_event_from_list_and_export_and_undo_brings_it_back(seed_store):
    junk, kept = first_ids(seed_store, 2)
    assert "rejected" in run(seed_store, "reject", junk, "--author", "Dana").stderr
    assert junk not in listed(seed_store) and kept in listed(seed_store)
    assert listed(seed_store, "--rejected")[junk]["summary"].startswith("[rejected] ")
    exported = run(seed_store, "export", "--format", "json")
    assert junk not in {e["id"] for e in json.loads(exported.stdout)}
    assert "1 rejected events left out" in exported.stderr
    assert junk in {e["id"] for e in json.loads(run(seed_store, "export", "--format", "json", "--rejected").stdout)}
    assert "undid" in run(seed_store, "undo", junk).stderr
    assert junk in listed(seed_store)


def test_an_edit_is_shown_everywhere_and_history_keeps_the_machines_value(seed_store):
    (target,) = first_ids(seed_store, 1)
    machine = listed(seed_store)[target]
    run(
        seed_store,
        "edit",
        target,
        "--date",
        "2017-05",
        "--type",
        "Air/drone strike",
        "--place",
        "Raqqa",
        "--actor1",
        "YPG",
        "--fatalities",
        "4",
        "--summary",
        "Air strike on Raqqa",
        "--author",
        "Dana",
    )
    row = listed(seed_store)[target]
    assert (row["date"], row["precision"], row["type"], row["sub_type"]) == (
        "2017-05",
        "month",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (row["places"], row["actors"], row["fatalities"], row["summary"]) == (
        "Raqqa",
        "YPG",
        "4",
        "Air strike on Raqqa",
    )
    (event,) = json.loads(run(seed_store, "export", "--format", "json").stdout)[:1]
    assert event["fatalities"] == 4 and event["places"][0]["name"] == "Raqqa" and event["places"][0]["lat"]
    lines = run(seed_store, "history", target).stdout.splitlines()
    assert len(lines) == 6 and all("\tDana\t" in line for line in lines)
    assert f"edit fatalities: {machine['fatalities']} -> 4" in lines[4]
    stored = connect(seed_store).execute("SELECT fatalities, summary FROM events WHERE id = ?", (target,)).fetchone()
    assert (str(stored[0]), stored[1]) == (machine["fatalities"], machine["summary"]), "the store is never edited"
    run(seed_store, "undo", target)  # the last correction: the summary
    assert listed(seed_store)[target]["summary"] == machine["summary"]
    assert listed(seed_store)[target]["fatalities"] == "4"
    assert run(seed_store, "history", target).stdout.splitlines()[5].endswith("[undone]")


def test_confirm_counts_as_reviewed_and_review_shows_the_progress(seed_store):
    a, b = first_ids(seed_store, 2)
    total = queries.count_events(connect(seed_store))
    assert run(seed_store, "review").stdout.strip() == f"0 of {total} reviewed"
    run(seed_store, "confirm", a)
    run(seed_store, "reject", b)
    assert run(seed_store, "review").stdout.strip() == f"2 of {total} reviewed"
    assert list(listed(seed_store, "--reviewed")) == [a]  # b is rejected: hidden
    assert a not in listed(seed_store, "--unreviewed") and len(listed(seed_store, "--unreviewed")) == total - 2


@pytest.mark.parametrize(
    "args, says",
    [
        (["--type", "Picnic"], "no ACLED type or sub-type 'Picnic'"),
        (["--date", "June"], "unreadable date"),
        (["--place", "Atlantis"], "Atlantis"),
        (["--fatalities", "-1"], "0 or more"),
        ([], "nothing to edit"),
    ],
)
def test_an_edit_asked_wrongly_is_a_usage_error_and_stores_nothing(seed_store, args, says):
    (target,) = first_ids(seed_store, 1)
    result = run(seed_store, "edit", target, *args, ok=False)
    assert result.exit_code == 2 and says in result.stderr
    assert connect(seed_store).execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_a_verb_on_an_unknown_event_is_a_usage_error(seed_store):
    for verb in ("confirm", "reject", "undo", "history"):
        result = run(seed_store, verb, "nope", ok=False)
        assert result.exit_code == 2 and "no event 'nope'" in result.stderr
    (target,) = first_ids(seed_store, 1)
    result = run(seed_store, "undo", target, ok=False)
    assert result.exit_code == 2 and "no correction to undo" in result.stderr


def test_corrections_are_append_only(seed_store):
    (target,) = first_ids(seed_store, 1)
    run(seed_store, "confirm", target)
    conn = connect(seed_store)
    for sql in ("UPDATE corrections SET action = 'reject'", "DELETE FROM corrections"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)


def test_parallel_corrections_in_other_processes_are_all_kept(seed_store):
    targets = first_ids(seed_store, 4)
    verbs = [[verb, t] for t in targets for verb in ("confirm", "reject")]
    verbs += [["edit", t, "--fatalities", "7"] for t in targets]
    procs = [
        subprocess.Popen(
            [*CLI, *v, "--db", str(seed_store)], cwd=ROOT, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        for v in verbs
    ]
    assert [p.wait() for p in procs] == [0] * len(procs), [p.stderr.read() for p in procs]
    assert connect(seed_store).execute("SELECT count(*) FROM corrections").fetchone()[0] == len(verbs)


def test_tag_filters_list_and_export(seed_store):
    a, _, c = first_ids(seed_store, 3)
    run(seed_store, "annotate", a, "--tag", "verify, later")
    run(seed_store, "annotate", c, "--tag", "verify, later", "--tag", "other")
    assert list(listed(seed_store, "--tag", "verify, later")) == [a, c]
    exported = json.loads(run(seed_store, "export", "--format", "json", "--tag", "other").stdout)
    assert [e["id"] for e in exported] == [c]


# ---- surviving what rebuilds the machine's events ------------------------------------------


def test_corrections_survive_a_load_and_a_reingest(seed_store, tmp_path):
    a, b = first_ids(seed_store, 2)
    run(seed_store, "edit", a, "--fatalities", "99")
    run(seed_store, "reject", b)
    assert load(SEED, seed_store).ok
    article = write_article(tmp_path, "new.md", "Clashes erupted in Hajin on Monday.\n", published="2018-12-10")
    assert ingest_files([article], seed_store).ok
    rows = listed(seed_store)
    assert rows[a]["fatalities"] == "99" and b not in rows


def as_an_older_extractor_left_them(db: Path, shorter_by: int = 0) -> dict[str, str]:
    """Rewrite the store's rows as an older extractor would have left them: other ids (made
    another way: the quote's span, salted), and with `shorter_by`, quotes ending that many
    characters sooner. Each event's id now -> its older id."""
    conn = sqlite3.connect(db)  # the store's own rows, beneath our layers, as a file on disk holds them
    conn.execute("PRAGMA foreign_keys = OFF")
    first = conn.execute(
        'SELECT v.event_id, d.key, v.start, v."end" - ? FROM evidence v JOIN documents d ON d.id = v.document_id'
        " WHERE v.id IN (SELECT min(id) FROM evidence GROUP BY event_id)",
        (shorter_by,),
    ).fetchall()
    older = {
        now: hashlib.sha256(f"older:{key}:{start}:{end}:{now}".encode()).hexdigest()[:16]
        for now, key, start, end in first
    }
    with conn:
        conn.execute('UPDATE stored_evidence SET "end" = "end" - ?', (shorter_by,))
        for now, old in older.items():
            for table, column in (("events", "id"), ("stored_evidence", "event_id"), ("event_sources", "event_id")):
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (old, now))
    conn.close()
    return older


@pytest.mark.parametrize("shorter_by", [0, 8], ids=["the same quote", "a shorter quote"])
def test_a_correction_follows_its_evidence_when_a_reextraction_changes_the_event_id(tmp_path, shorter_by):
    seed = tmp_path / "seed"
    write_article(
        seed / "articles", "hajin.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    db = tmp_path / "t.db"
    assert load(seed, db).ok
    (old,) = as_an_older_extractor_left_them(db, shorter_by).values()
    run(db, "edit", old, "--fatalities", "4", "--author", "Dana")
    run(db, "load", str(seed))  # the current extractor, for real: the event gets today's id
    (new,) = first_ids(db, 1)
    assert new != old and listed(db)[new]["fatalities"] == "4"
    (line,) = run(db, "history", new).stdout.splitlines()
    assert line.endswith(f"(made on {old})")
    assert run(db, "review", "--orphans").stdout == ""


def test_an_acled_revision_of_a_corrected_field_is_flagged_as_a_conflict(tmp_path):
    db = tmp_path / "t.db"
    import_acled(FIXTURES / "acled_week.csv", db)
    run(db, "edit", "acled:SYR100001", "--fatalities", "4", "--author", "Dana")
    assert run(db, "review", "--conflicts").stdout == ""
    import_acled(FIXTURES / "acled_week_revised.csv", db)  # ACLED revised the toll: 3 -> 5
    assert listed(db)["acled:SYR100001"]["fatalities"] == "4"
    (line,) = run(db, "review", "--conflicts").stdout.splitlines()
    assert line.startswith("acled:SYR100001\tfatalities\tcorrected by Dana") and "said 3; it now says 5" in line


def test_a_correction_whose_event_is_gone_is_listed_as_an_orphan_and_returns_with_it(seed_store, tmp_path):
    article = write_article(
        tmp_path, "new.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest_files([article], seed_store).ok
    (target,) = queries.event_ids(connect(seed_store), queries.Filter(search="ambushed"))
    run(seed_store, "reject", target)
    assert load(SEED, seed_store, drop_others=True).ok
    (line,) = run(seed_store, "review", "--orphans").stdout.splitlines()
    assert f"\t{target}\treject" in line
    (line,) = run(seed_store, "history", target).stdout.splitlines()  # by the id it was made on
    assert line.endswith("\treject")
    assert ingest_files([article], seed_store).ok
    assert run(seed_store, "review", "--orphans").stdout == ""
    assert target in corrections.rejected_ids(connect(seed_store))


def test_load_names_articles_from_elsewhere_and_refuses_to_drop_them_without_force(seed_store, tmp_path):
    article = write_article(
        tmp_path, "mine.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest_files([article], seed_store).ok
    (target,) = queries.event_ids(connect(seed_store), queries.Filter(search="ambushed"))
    run(seed_store, "annotate", target, "--star")
    run(seed_store, "confirm", target)
    before = queries.count_events(connect(seed_store))
    command = [*CLI, "load", str(SEED), "--db", str(seed_store)]
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "mine.md" in refused.stderr
    assert "1 with stars, tags or notes, 1 with corrections" in refused.stderr and "--force" in refused.stderr
    assert queries.count_events(connect(seed_store)) == before, "nothing changed"
    forced = subprocess.run([*command, "--force"], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert forced.returncode == 0, forced.stderr
    assert not queries.event_ids(connect(seed_store), queries.Filter(search="ambushed"))
    assert connect(seed_store).execute("SELECT count(*) FROM corrections").fetchone()[0] == 1, "kept, an orphan"


def test_exports_carry_the_review_the_machines_values_tags_notes_and_stars(seed_store):
    a, b = first_ids(seed_store, 2)
    machine = listed(seed_store)[a]["fatalities"]
    run(seed_store, "edit", a, "--fatalities", "4", "--author", "Dana")
    run(seed_store, "confirm", b)
    run(seed_store, "annotate", a, "--star", "--tag", "verify, later", "--note", "ask SOHR")
    one, two = json.loads(run(seed_store, "export", "--format", "json").stdout)[:2]
    assert one["fatalities"] == 4 and one["reviewed"] and one["review"] is None
    assert one["corrected"]["fatalities"]["machine"] == int(machine) and one["corrected"]["fatalities"]["by"] == "Dana"
    assert (one["starred"], one["tags"], one["note"]) == (True, ["verify, later"], "ask SOHR")
    assert two["reviewed"] and two["review"] == "confirmed" and two["corrected"] == {}
    rows = list(csv.DictReader(io.StringIO(run(seed_store, "export", "--format", "csv").stdout)))
    assert rows[0]["corrected"] == "fatalities" and json.loads(rows[0]["machine_values"]) == {
        "fatalities": int(machine)
    }
    assert (rows[0]["tags"], rows[0]["note"], rows[0]["starred"]) == ("verify, later", "ask SOHR", "1")
    assert rows[1]["review"] == "confirmed" and rows[2]["reviewed"] == "0"
    features = json.loads(run(seed_store, "export", "--format", "geojson").stdout)["features"]
    props = next(f["properties"] for f in features if f["properties"]["id"] == a)
    assert props["corrected"]["fatalities"]["machine"] == int(machine) and props["tags"] == ["verify, later"]
    md = run(seed_store, "export", "--format", "md").stdout
    assert "Fatalities corrected by Dana on " in md and f", was {machine}." in md
    assert "Reviewed: confirmed." in md and "Tags: verify, later." in md and "Note: ask SOHR" in md


def test_a_correction_never_waits_behind_a_long_write_to_the_store(seed_store):
    import_ = connect(seed_store)  # as a long import or load does: the store's write lock, held
    import_.execute("BEGIN")
    import_.execute("DELETE FROM events_fts")
    analyst = connect(seed_store)
    analyst.execute("PRAGMA busy_timeout = 0")  # any wait for a lock would fail at once
    a, b = queries.event_ids(analyst, queries.Filter())[:2]
    corrections.edit(analyst, a, {"fatalities": 2})
    corrections.reject(analyst, b)
    corrections.undo(analyst, b)
    corrections.confirm(analyst, b)
    import_.rollback()
    conn = connect(seed_store)
    assert queries.events_by_ids(conn, [a])[0].fatalities == 2
    assert corrections.reviews(conn, [b])[b].status == "confirmed"
