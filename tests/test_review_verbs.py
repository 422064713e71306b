"""The analyst's verbs beyond confirm, reject and edit (issue 25.2, 25.5): remove an article, the
review queue, and each surviving what rebuilds the machine's events. On both stores (real SQLite,
a real PostgreSQL), real files, the real CLI."""

import json
from pathlib import Path

import pytest

from db import queries
from db.schema import connect
from pipeline import ingest as ingest_files, load
from tests.helpers import SEED, write_article
from tests.test_review import as_an_older_extractor_left_them, listed, run


def evidence_documents(db: Path) -> dict[str, set[int]]:
    """Each event's documents, from the store's evidence."""
    found: dict[str, set[int]] = {}
    for event_id, document_id in connect(db).execute("SELECT event_id, document_id FROM evidence"):
        found.setdefault(event_id, set()).add(document_id)
    return found


# ---- the review queue ------------------------------------------------------------------------


def test_review_next_gives_the_least_confident_unreviewed_events_with_their_commands(seed_store):
    conn = connect(seed_store)
    by_confidence = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY confidence, date_start, seq")]
    total = len(by_confidence)
    shown = run(seed_store, "review", "--next", "2")
    ids = [line.split("\t")[0] for line in shown.stdout.splitlines() if not line.startswith(" ")]
    assert ids == by_confidence[:2]
    assert f"timeline confirm {ids[0]}" in shown.stdout and f"timeline reject {ids[1]}" in shown.stdout
    assert f"0 of {total} reviewed" in shown.stderr
    run(seed_store, "confirm", ids[0])
    run(seed_store, "edit", ids[1], "--fatalities", "1")
    moved = run(seed_store, "review", "--next", "1")
    assert moved.stdout.split("\t")[0] == by_confidence[2], "the reviewed leave the queue"
    assert f"2 of {total} reviewed" in moved.stderr
    assert run(seed_store, "review").stdout.strip() == f"2 of {total} reviewed"
    run(seed_store, "undo", ids[0])
    assert run(seed_store, "review", "--next", "1").stdout.split("\t")[0] == ids[0], "an undone confirm returns"


def test_review_next_when_all_is_reviewed_prints_nothing(tmp_path, empty_store):
    db = empty_store
    write_article(tmp_path / "seed" / "articles", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n")
    assert load(tmp_path / "seed", db).ok
    (only,) = queries.event_ids(connect(db), queries.Filter())
    run(db, "reject", only)
    assert run(db, "review", "--next").stdout == ""


# ---- remove ----------------------------------------------------------------------------------


def test_remove_takes_an_articles_evidence_and_the_events_it_alone_supported(seed_store):
    before = evidence_documents(seed_store)
    shared = next(e for e, docs in before.items() if len(docs) > 1)
    document = min(before[shared])
    alone = sorted(e for e, docs in before.items() if docs == {document})
    assert alone, "the seed has an article with an event of its own"
    run(seed_store, "annotate", alone[0], "--star", "--tag", "check")
    run(seed_store, "edit", alone[0], "--fatalities", "9", "--author", "Dana")
    removed = run(seed_store, "remove", str(document))
    assert f"{len(alone)} event(s) it alone supported gone" in removed.stderr
    assert "corrections of 1 kept (timeline review --orphans)" in removed.stderr
    after = evidence_documents(seed_store)
    assert not any(document in docs for docs in after.values()), "its evidence is gone"
    assert not set(alone) & set(after)
    said = removed.stderr.split(f"{shared} is now ")  # its id came from the source removed
    now = said[1][:16] if len(said) > 1 else shared
    assert after[now] == before[shared] - {document}, "other sources' event stays, with their evidence"
    assert connect(seed_store).execute("SELECT count(*) FROM documents WHERE id = ?", (document,)).fetchone()[0] == 0
    orphans = run(seed_store, "review", "--orphans").stdout.splitlines()
    assert any(f"\t{alone[0]}\tedit fatalities:" in line for line in orphans)
    assert f"annotations\t\t\t{alone[0]}\tstarred; tags: check" in orphans


def test_remove_by_file_then_a_load_and_reingest_bring_the_event_and_its_correction_back(seed_store, tmp_path):
    article = write_article(
        tmp_path, "mine.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10"
    )
    assert ingest_files([article], seed_store).ok
    (target,) = queries.event_ids(connect(seed_store), queries.Filter(search="ambushed"))
    run(seed_store, "edit", target, "--fatalities", "4", "--author", "Dana")
    assert "1 event(s) it alone supported gone" in run(seed_store, "remove", str(article)).stderr
    assert target not in listed(seed_store)
    assert load(SEED, seed_store).ok, "nothing from elsewhere left to drop: the load asks nothing"
    assert ingest_files([article], seed_store).ok
    assert listed(seed_store)[target]["fatalities"] == "4"
    assert run(seed_store, "review", "--orphans").stdout == ""


def test_remove_an_imported_row(tmp_path, empty_store):
    from db.acled import import_acled
    from tests.test_review import FIXTURES

    db = empty_store
    import_acled(FIXTURES / "acled_week.csv", db)
    assert "acled:SYR100001" in listed(db)
    assert "1 event(s) it alone supported gone" in run(db, "remove", "acled:SYR100001").stderr
    assert "acled:SYR100001" not in listed(db)


def test_remove_of_what_is_not_stored_is_a_usage_error_and_changes_nothing(seed_store):
    before = evidence_documents(seed_store)
    result = run(seed_store, "remove", "no-such-article.md", ok=False)
    assert result.exit_code == 2 and "no-such-article.md: no such document stored" in result.stderr
    assert evidence_documents(seed_store) == before


# ---- merge -----------------------------------------------------------------------------------

TWO_INCIDENTS = (
    "Gunmen ambushed a convoy near Hajin on Monday.\n\nA suicide bomber killed five people in Raqqa on Tuesday.\n"
)


@pytest.fixture
def two_events(tmp_path, empty_store) -> tuple[Path, Path, list[str]]:
    """A store of one article telling two incidents, on each store: the seed folder, the store, the two ids."""
    seed = tmp_path / "seed"
    write_article(seed / "articles", "two.md", TWO_INCIDENTS, published="2018-12-10")
    db = empty_store
    assert load(seed, db).ok
    ids = queries.event_ids(connect(db), queries.Filter())
    assert len(ids) == 2
    return seed, db, ids


def quotes(db: Path) -> dict[str, list[str]]:
    """Each exported event's quotes, by id."""
    return {
        e["id"]: [s["quote"] for s in e["sources"]] for e in json.loads(run(db, "export", "--format", "json").stdout)
    }


def test_merge_shows_one_event_with_every_quote_and_undo_takes_it_apart(two_events):
    _, db, (a, b) = two_events
    machine = quotes(db)
    run(db, "merge", a, b, "--author", "Dana")
    assert quotes(db) == {a: machine[a] + machine[b]}, "one event, the sources of all"
    rows = listed(db)
    assert list(rows) == [a] and rows[a]["sources"] == "2"
    assert "rejected events left out" not in run(db, "export", "--format", "json").stderr, "merged, not rejected"
    for event_id in (a, b):
        (line,) = run(db, "history", event_id).stdout.splitlines()
        assert line.endswith(f"\tDana\tmerge {b} into {a}")
    run(db, "undo", b)
    assert quotes(db) == machine
    assert run(db, "history", a).stdout.splitlines()[0].endswith("[undone]")


def test_merge_asked_wrongly_is_a_usage_error_and_stores_nothing(two_events):
    _, db, (a, b) = two_events
    for args, says in (([a, a], "give each event once"), ([a, "nope"], "no event 'nope'")):
        result = run(db, "merge", *args, ok=False)
        assert result.exit_code == 2 and says in result.stderr
    run(db, "merge", a, b)
    result = run(db, "merge", b, a, ok=False)
    assert result.exit_code == 2 and f"{b} is merged into {a}" in result.stderr
    assert connect(db).execute("SELECT count(*) FROM corrections").fetchone()[0] == 1


def test_a_merge_survives_a_load_a_reingest_and_a_reextraction_that_changes_both_ids(two_events, tmp_path):
    if not isinstance(two_events[1], Path):
        pytest.skip("an older extractor's rows are written beneath our layers with sqlite3")
    seed, db, (a, b) = two_events
    run(db, "merge", a, b)
    merged = quotes(db)
    assert load(seed, db).ok and quotes(db) == merged
    other = write_article(tmp_path, "other.md", "Clashes erupted in Hajin on Friday.\n", published="2018-12-14")
    assert ingest_files([other], db).ok
    assert quotes(db)[a] == merged[a] and b not in quotes(db)
    assert load(seed, db, drop_others=True).ok
    older = as_an_older_extractor_left_them(db)
    run(db, "undo", older[b])  # take the merge apart while the ids are the older extractor's
    run(db, "merge", older[a], older[b])  # and make it again on them
    run(db, "load", str(seed))  # the current extractor, for real: both events get today's ids back
    assert quotes(db) == merged
    assert run(db, "review", "--orphans").stdout == ""


def test_a_merge_into_an_event_removed_is_listed_as_an_orphan_and_the_other_shown_again(tmp_path, empty_store):
    seed = tmp_path / "seed"
    write_article(seed / "articles", "a.md", "Gunmen ambushed a convoy near Hajin on Monday.\n", published="2018-12-10")
    other = write_article(tmp_path, "b.md", "A suicide bomber killed five people in Raqqa.\n", published="2018-12-11")
    db = empty_store
    assert load(seed, db).ok and ingest_files([other], db).ok
    (keep,) = queries.event_ids(connect(db), queries.Filter(search="ambushed"))
    (merged,) = queries.event_ids(connect(db), queries.Filter(search="bomber"))
    run(db, "merge", keep, merged)
    assert list(listed(db)) == [keep]
    run(db, "remove", str(seed / "articles" / "a.md"))
    assert list(listed(db)) == [merged], "nothing hides it now"
    (line,) = run(db, "review", "--orphans").stdout.splitlines()
    assert line.endswith(f"\t{merged}\tmerge {merged} into {keep}")


# ---- add -------------------------------------------------------------------------------------

ADD = ["add", "--date", "2018-12-09", "--type", "Armed clash", "--place", "Hajin", "--actor1", "Islamic State"]


def test_add_an_event_with_a_quote_found_in_a_stored_document(two_events):
    _, db, machine = two_events
    document = connect(db).execute("SELECT id FROM documents").fetchone()[0]
    made = run(
        db, *ADD, "--fatalities", "2", "--document", str(document), "--quote", "ambushed a convoy", "--author", "Dana"
    )
    new = made.stdout.strip()
    assert new not in machine and set(listed(db)) == {new, *machine}
    row = listed(db)[new]
    assert (row["date"], row["sub_type"], row["places"], row["actors"], row["fatalities"]) == (
        "2018-12-09",
        "Armed clash",
        "Hajin",
        "Islamic State",
        "2",
    )
    (source,) = next(e for e in json.loads(run(db, "export", "--format", "json").stdout) if e["id"] == new)["sources"]
    text = connect(db).execute("SELECT text FROM documents WHERE id = ?", (document,)).fetchone()[0]
    assert source["quote"] == "ambushed a convoy" == text[source["start"] : source["end"]], "the quote contract"
    (line,) = run(db, "history", new).stdout.splitlines()
    assert line.endswith("\tDana\tadd: Armed clash in Hajin")
    run(db, "confirm", new)  # an added event takes corrections like any other
    run(db, "undo", new)
    run(db, "undo", new)
    assert new not in listed(db) and run(db, "review", "--orphans").stdout == ""


def test_add_an_event_with_a_free_citation(two_events):
    _, db, _ = two_events
    new = run(db, *ADD, "--citation", "SOHR by telephone, 10 December 2018").stdout.strip()
    exported = [e for e in json.loads(run(db, "export", "--format", "json").stdout) if e["id"] == new]
    assert exported[0]["sources"][0]["quote"] == "SOHR by telephone, 10 December 2018"


def test_an_added_event_shows_as_the_analysts_with_no_confidence_and_the_filter_keeps_it(two_events):
    _, db, machine = two_events
    new = run(db, *ADD, "--citation", "SOHR by telephone, 10 December 2018").stdout.strip()
    exported = {e["id"]: e for e in json.loads(run(db, "export", "--format", "json").stdout)}
    assert exported[new]["confidence"] is None and exported[new]["by_analyst"] is True
    assert all(0 < exported[i]["confidence"] < 1 and exported[i]["by_analyst"] is False for i in machine)
    trusted = json.loads(run(db, "export", "--format", "json", "--min-confidence", "0.99").stdout)
    assert [e["id"] for e in trusted] == [new] and list(listed(db, "--min-confidence", "0.99")) == [new]
    (queued,) = [line for line in run(db, "review", "--next", "3").stdout.splitlines() if line.startswith(new)]
    assert "\tthe analyst's event\t" in queued and "confidence" not in queued


@pytest.mark.parametrize(
    "source, says",
    [
        (["--document", "1", "--quote", "words not in it"], "the quote is not in document 1"),
        (["--document", "99", "--quote", "Gunmen"], "99: no such document stored"),
        ([], "give its source"),
        (["--document", "1", "--quote", "Gunmen", "--citation", "SOHR"], "give its source"),
        (["--document", "1"], "--document needs --quote"),
    ],
)
def test_add_asked_wrongly_is_a_usage_error_and_stores_nothing(two_events, source, says):
    _, db, machine = two_events
    result = run(db, *ADD, *source, ok=False)
    assert result.exit_code == 2 and says in result.stderr
    assert set(listed(db)) == set(machine)
    assert connect(db).execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_an_added_event_survives_a_load_a_reingest_and_a_reextraction_and_goes_with_its_document(two_events, tmp_path):
    if not isinstance(two_events[1], Path):
        pytest.skip("an older extractor's rows are written beneath our layers with sqlite3")
    seed, db, _ = two_events
    new = run(db, *ADD, "--document", "1", "--quote", "ambushed a convoy").stdout.strip()
    run(db, "edit", new, "--fatalities", "3")
    assert load(seed, db).ok and listed(db)[new]["fatalities"] == "3"
    other = write_article(tmp_path, "other.md", "Clashes erupted in Hajin on Friday.\n", published="2018-12-14")
    assert ingest_files([other], db).ok and listed(db)[new]["fatalities"] == "3"
    as_an_older_extractor_left_them(db)
    run(db, "load", str(seed), "--force")
    assert listed(db)[new]["fatalities"] == "3"
    run(db, "remove", "1")
    assert new not in listed(db)
    orphans = run(db, "review", "--orphans").stdout
    assert f"\t{new}\tadd: Armed clash in Hajin" in orphans and f"\t{new}\tedit fatalities" in orphans


# ---- split -----------------------------------------------------------------------------------


@pytest.fixture
def one_incident_two_reports(tmp_path, empty_store) -> tuple[Path, Path, str, int]:
    """Two agencies' reports of one ambush, merged into one event, on each store: the seed folder,
    the store, the event's id, and the second report's document id."""
    seed = tmp_path / "seed"
    write_article(
        seed / "articles",
        "a.md",
        "Gunmen ambushed an army convoy near Hajin on Monday, killing three soldiers.\n",
        published="2018-12-10",
        publisher="Reuters",
    )
    write_article(
        seed / "articles",
        "b.md",
        "Three soldiers were killed on Monday when gunmen ambushed an army convoy near Hajin.\n",
        published="2018-12-10",
        publisher="AFP",
    )
    db = empty_store
    assert load(seed, db).ok
    ((event, documents),) = evidence_documents(db).items()
    assert len(documents) == 2
    return seed, db, event, max(documents)


def test_split_makes_the_chosen_sources_an_event_with_the_machines_values_for_them(one_incident_two_reports):
    _, seed_store, event, document = one_incident_two_reports
    machine = quotes(seed_store)[event]
    said = (
        connect(seed_store)
        .execute(
            "SELECT date, sub_type, fatalities FROM event_sources WHERE event_id = ? AND document_id = ?",
            (event, document),
        )
        .fetchone()
    )
    new = run(seed_store, "split", event, "--source", str(document), "--author", "Dana").stdout.strip()
    after = quotes(seed_store)
    assert after[event] + after[new] == machine and len(after[new]) == 1, "the quotes, shared out"
    rows = listed(seed_store)
    assert (rows[new]["date"], rows[new]["sub_type"], rows[new]["fatalities"]) == (
        said[0],
        said[1],
        str(said[2] or ""),
    )
    assert rows[event]["sources"] == rows[new]["sources"] == "1"
    for either in (event, new):
        (line,) = run(seed_store, "history", either).stdout.splitlines()
        assert line.endswith(f"\tDana\tsplit 1 quote(s) of {event} into {new}")
    run(seed_store, "undo", event)
    assert quotes(seed_store)[event] == machine and new not in listed(seed_store)


def test_split_asked_wrongly_is_a_usage_error_and_stores_nothing(one_incident_two_reports):
    _, seed_store, event, document = one_incident_two_reports
    for source, says in (("999", "is not a source of"), (f"{document}:1", "is not a source of")):
        result = run(seed_store, "split", event, "--source", source, ok=False)
        assert result.exit_code == 2 and says in result.stderr
    others = [str(d) for d in evidence_documents(seed_store)[event]]
    result = run(seed_store, "split", event, *[a for d in others for a in ("--source", d)], ok=False)
    assert result.exit_code == 2 and "leave the event at least one source" in result.stderr
    assert connect(seed_store).execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_a_split_survives_a_load_a_reingest_and_a_reextraction(one_incident_two_reports, tmp_path):
    if not isinstance(one_incident_two_reports[1], Path):
        pytest.skip("an older extractor's rows are written beneath our layers with sqlite3")
    seed, seed_store, event, document = one_incident_two_reports
    new = run(seed_store, "split", event, "--source", str(document)).stdout.strip()
    split = quotes(seed_store)
    assert load(seed, seed_store).ok and quotes(seed_store) == split
    other = write_article(tmp_path, "other.md", "Clashes erupted in Hajin on Friday.\n", published="2018-12-14")
    assert ingest_files([other], seed_store).ok
    assert {e: split[e] for e in (event, new)} == {e: quotes(seed_store)[e] for e in (event, new)}
    older = as_an_older_extractor_left_them(seed_store)
    run(seed_store, "undo", older[event])  # take the split back while the ids are the older extractor's
    assert new not in quotes(seed_store)
    assert run(seed_store, "split", older[event], "--source", str(document)).stdout.strip() == new  # and make it again
    run(seed_store, "load", str(seed), "--force")  # the current extractor, for real: today's ids come back
    assert quotes(seed_store)[event] == split[event] and quotes(seed_store)[new] == split[new]
    assert run(seed_store, "review", "--orphans").stdout == ""


def test_remove_of_a_citation_says_undo_takes_its_event_back(two_events):
    _, db, _ = two_events
    new = run(db, *ADD, "--citation", "SOHR by telephone").stdout.strip()
    (document,) = connect(db).execute("SELECT id FROM documents WHERE kind = 'citation'").fetchone()
    result = run(db, "remove", str(document), ok=False)
    assert result.exit_code == 2 and f"timeline undo {new} takes its event back" in result.stderr
    assert new in listed(db)
