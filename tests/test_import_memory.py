"""An import's memory does not grow with the places and actors a file names: the trees and the
gazetteer keep bounded memos and read what they forgot back from the store and the index."""

import sqlite3

from bench.generate_world import generate
from db import hierarchy
from db.acled import import_acled
from db.hierarchy import Trees
from db.schema import connect
from ingest import geo
from ingest.geo import load_places
from ingest.text import alias_key


def _contents(db) -> dict[str, list]:
    conn = sqlite3.connect(db)
    return {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        for table, order in (
            ("places", "id"),
            ("place_aliases", "key, place_id"),
            ("actors", "id"),
            ("actor_aliases", "key, actor_id"),
            ("event_places", "event_seq, place_seq"),
            ("event_actors", "event_seq, actor_seq"),
        )
    }


def test_an_import_naming_more_places_than_the_trees_keep_stores_what_one_keeping_all_does(tmp_path, monkeypatch):
    worldwide = generate(3000, tmp_path / "world.csv")
    import_acled(worldwide, tmp_path / "keeping.db")
    monkeypatch.setattr(hierarchy, "KEPT", 40)
    monkeypatch.setattr(geo, "PLACES_KEPT", 100)
    import_acled(worldwide, tmp_path / "forgetting.db")
    keeping, forgetting = _contents(tmp_path / "keeping.db"), _contents(tmp_path / "forgetting.db")
    assert len(keeping["places"]) > 1000  # many more than are kept
    assert forgetting == keeping


def test_the_trees_keep_a_bounded_number_of_places_and_read_the_forgotten_back(tmp_path, monkeypatch):
    monkeypatch.setattr(hierarchy, "KEPT", 20)
    trees = Trees(connect(tmp_path / "t.db", create=True))
    villages = [("Syria", "Idlib", f"Invented Village {i}", 35.5 + i / 50, 36.6) for i in range(200)]
    first = [trees.named_place(*village) for village in villages]
    own = {place for place in first if place.startswith("acled:")}  # not a gazetteer town near its point
    assert len(own) > 150
    for memo in (trees.place_up, trees._named_places, trees.place_seq):
        assert len(memo.new) + len(memo.old) <= 40
    assert [trees.named_place(*village) for village in villages] == first  # the same places, none written again
    trees.flush()  # the writes waiting for the end of a batch
    assert trees.conn.execute("SELECT count(*) FROM places WHERE id LIKE 'acled:%'").fetchone()[0] == len(own)
    idlib = trees.gaz.places.admin1("SY", "Idlib")
    assert {trees.place_ancestors(place) for place in own} == {(idlib.id, trees.gaz.places.country("SY").id)}


def test_the_gazetteer_keeps_a_bounded_number_of_places_and_answers_the_same(monkeypatch):
    places = load_places()
    names = [alias_key(p.name) for code in ("SY", "IQ", "YE", "LY", "UA") for p in _towns(places, code)]
    answers = places.lookup(names)
    assert len(answers) > 400
    monkeypatch.setattr(geo, "PLACES_KEPT", 50)
    monkeypatch.setattr(places, "_places", {})  # as a new process's: every place read again
    monkeypatch.setattr(places, "_rowids", {})
    assert {name: places.lookup([name]).get(name) for name in names} == {name: answers.get(name) for name in names}
    assert len(places._places) <= 50 + max(len(readings) for readings in answers.values())


def _towns(places, code: str) -> list:
    return places._fetch("country = ? AND kind = 'city' ORDER BY population DESC LIMIT 100", (code,))


def test_the_trees_ask_the_gazetteer_for_a_files_division_once_whatever_its_rows(tmp_path):
    trees = Trees(connect(tmp_path / "t.db", create=True))
    asked: list[str] = []
    trees.gaz.places._db.set_trace_callback(asked.append)  # every statement the gazetteer's file runs
    try:
        for i in range(50):
            trees.named_place("Syria", "Idlib", f"Invented Village {i}", 35.5 + i / 50, 36.6)
    finally:
        trees.gaz.places._db.set_trace_callback(None)
    assert sum("p.kind = 'admin1'" in statement for statement in asked) == 1
