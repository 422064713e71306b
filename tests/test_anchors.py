"""A correction's anchor (issue 25.3): the evidence it rested on and its event's sub-type, so that
it finds its own event again when a re-extraction gives the events other ids, even where one
sentence tells two events. Real SQLite, real files, the real CLI."""

import json
import sqlite3

from db import queries
from db.schema import USER_VERSION, connect, user_path
from pipeline import load
from tests.helpers import write_article
from tests.test_review import as_an_older_extractor_left_them, listed, run

# One sentence, two events: a clash and a suicide bombing, both resting on the whole sentence.
TWO_IN_ONE = "Gunmen ambushed a convoy near Hajin on Monday and a suicide bomber killed five people in Raqqa.\n"


def two_in_one_sentence(tmp_path):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "two.md", TWO_IN_ONE, published="2018-12-10")
    db = tmp_path / "t.db"
    assert load(seed, db).ok
    conn = connect(db)
    by_type = {r.sub_type: r.id for r in queries.events_by_ids(conn, queries.event_ids(conn, queries.Filter()))}
    spans = {tuple(r) for r in conn.execute('SELECT document_id, start, "end" FROM evidence')}
    conn.close()
    assert set(by_type) == {"Armed clash", "Suicide bomb"} and len(spans) == 1, "one quote tells both"
    return seed, db, by_type


def test_corrections_of_two_events_told_by_one_sentence_each_follow_their_own(tmp_path):
    seed, db, by_type = two_in_one_sentence(tmp_path)
    clash, bombing = by_type["Armed clash"], by_type["Suicide bomb"]
    run(db, "edit", clash, "--summary", "the ambush")
    run(db, "edit", bombing, "--summary", "the bombing")
    run(db, "reject", bombing)
    older = as_an_older_extractor_left_them(db)  # both ids change; the quote is where it was
    shown = {e["id"]: e for e in json.loads(run(db, "export", "--rejected").stdout)}
    assert (shown[older[clash]]["summary"], shown[older[clash]]["review"]) == ("the ambush", None)
    assert (shown[older[bombing]]["summary"], shown[older[bombing]]["review"]) == ("the bombing", "rejected")
    run(db, "load", str(seed), "--force")
    assert listed(db)[clash]["summary"] == "the ambush" and set(listed(db)) == {clash}


def test_a_merge_into_one_of_two_events_told_by_one_sentence_follows_it(tmp_path):
    _, db, by_type = two_in_one_sentence(tmp_path)
    other = write_article(
        tmp_path, "other.md", "A suicide bomber struck a market in Raqqa on Wednesday.\n", published="2018-12-13"
    )
    run(db, "ingest", str(other))
    (reported,) = set(listed(db)) - set(by_type.values())
    run(db, "merge", by_type["Suicide bomb"], reported)
    older = as_an_older_extractor_left_them(db)
    assert set(listed(db)) == {older[by_type["Armed clash"]], older[by_type["Suicide bomb"]]}
    assert listed(db)[older[by_type["Suicide bomb"]]]["sources"] == "2"


def test_a_user_database_of_version_1_gets_the_column_and_its_corrections_still_apply(tmp_path):
    _, db, by_type = two_in_one_sentence(tmp_path)
    run(db, "edit", by_type["Armed clash"], "--summary", "the ambush")
    old = sqlite3.connect(user_path(db))  # as version 1 kept corrections: an anchor of key and offsets
    old.executescript(
        "ALTER TABLE corrections DROP COLUMN sub_type; ALTER TABLE corrections DROP COLUMN quote;"
        "ALTER TABLE corrections DROP COLUMN document_path; PRAGMA user_version = 1;"
    )
    old.close()
    assert listed(db)[by_type["Armed clash"]]["summary"] == "the ambush"
    conn = connect(db)
    assert conn.execute("PRAGMA user.user_version").fetchone()[0] == USER_VERSION
    assert {"sub_type", "quote", "document_path"} <= {r[1] for r in conn.execute("PRAGMA user.table_info(corrections)")}
    assert [r[0] for r in conn.execute("SELECT sub_type FROM user.corrections")] == [None]
    conn.close()
    run(db, "edit", by_type["Suicide bomb"], "--summary", "the bombing")
    assert listed(db)[by_type["Suicide bomb"]]["summary"] == "the bombing"


def test_corrections_of_an_edited_article_stored_again_follow_its_quotes_to_the_new_text(tmp_path):
    seed = tmp_path / "seed"
    body = (
        "Gunmen ambushed a convoy near Hajin on Monday.\n\nA suicide bomber killed five people in Raqqa on Tuesday.\n"
    )
    write_article(seed / "articles", "two.md", body, published="2018-12-10")
    db = tmp_path / "t.db"
    assert load(seed, db).ok
    conn = connect(db)
    by_type = {r.sub_type: r.id for r in queries.events_by_ids(conn, queries.event_ids(conn, queries.Filter()))}
    conn.close()
    run(db, "edit", by_type["Armed clash"], "--summary", "the ambush")
    run(db, "reject", by_type["Suicide bomb"])
    edited = "Updated on Wednesday with the toll.\n\n" + body.replace("five people", "five civilians")
    write_article(seed / "articles", "two.md", edited, published="2018-12-10")  # another sha256, the same path
    run(db, "load", str(seed), "--force")
    rows = listed(db, "--rejected")
    assert by_type["Armed clash"] not in rows, "a new key, new ids: the corrections must follow the quotes"
    (ambush,) = [r for r in rows.values() if r["sub_type"] == "Armed clash"]
    assert ambush["summary"] == "the ambush"
    (bombing,) = [r for r in rows.values() if r["sub_type"] == "Suicide bomb"]
    assert bombing["id"] in listed(db), "its quote was edited too: the rejection is not applied to other words"
    (orphan,) = run(db, "review", "--orphans").stdout.splitlines()
    assert f"\t{by_type['Suicide bomb']}\treject" in orphan, "but listed, never lost"
