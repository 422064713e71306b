"""Places and actors as trees shared by articles and ACLED rows: filters by any level, one place
whichever source named it, state forces as one group. On the seed articles and a small ACLED
fixture written with ACLED's current header (tests/fixtures/acled_world.csv)."""

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from db import queries
from db.acled import import_acled
from db.schema import SCHEMA_VERSION, connect
from tests.helpers import store_v4

FIXTURES = Path(__file__).parent / "fixtures"
WORLD = FIXTURES / "acled_world.csv"


@pytest.fixture
def world(seed_store) -> Path:
    """The seed articles and the ACLED fixture in one database."""
    import_acled(WORLD, seed_store)
    return seed_store


def acled_rows() -> list[dict]:
    with WORLD.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ids(conn, **names) -> set[str]:
    return set(queries.event_ids(conn, queries.make_filter(conn, **names)))


def exported(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["export", "--format", "json", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def article_events_in(conn, column: str, value: str) -> set[str]:
    """Article events whose named place lies in a country (ISO code) or a division (its name), read
    from the places the extractor stored, not through the tree."""
    rows = conn.execute(
        "SELECT e.id, p.kind, p.name, p.country, p.admin1 FROM event_places ep"
        " JOIN places p ON p.seq = ep.place_seq JOIN events e ON e.seq = ep.event_seq"
        " WHERE ep.direct AND e.origin = 'article'"
    ).fetchall()
    return {
        r[0]
        for r in rows
        if r[column] == value or (column == "admin1" and r["kind"] == "admin1" and r["name"] == value)
    }


def test_a_country_filters_every_event_in_it_from_articles_and_acled(world):
    conn = connect(world)
    syria = ids(conn, places=["Syria"])
    expected = article_events_in(conn, "country", "SY") | {
        f"acled:{r['event_id_cnty']}" for r in acled_rows() if r["country"] == "Syria"
    }
    assert len(expected) > 10 and syria == expected
    assert ids(conn, places=["Turkey"]) == {
        f"acled:{r['event_id_cnty']}" for r in acled_rows() if r["country"] == "Turkey"
    }


def test_a_division_holds_its_towns_and_a_qualifier_picks_the_namesake_city(world):
    conn = connect(world)
    division = ids(conn, places=["Deir ez-Zor"])
    acled_there = {f"acled:{r['event_id_cnty']}" for r in acled_rows() if r["admin1"] == "Deir ez Zor"}
    assert division == article_events_in(conn, "admin1", "Deir ez-Zor") | acled_there
    city = ids(conn, places=["Deir ez-Zor (city)"])
    assert city and city < division
    assert "acled:SYR200002" in city and "acled:SYR200001" not in city  # Deir ez Zor city, not Al-Bukamal
    assert ids(conn, places=["Deir ez-Zor (governorate)"]) == division


def test_one_town_spelt_by_acled_and_by_an_article_is_one_place(world):
    conn = connect(world)
    assert queries.resolve_place(conn, "Al-Bukamal") == queries.resolve_place(conn, "Albu Kamal")
    town = ids(conn, places=["Al-Bukamal"])
    assert "acled:SYR200001" in town and any(not i.startswith("acled:") for i in town)
    facet = [v for v in queries.facets(conn, queries.Filter()).places if v.name in ("Albu Kamal", "Al-Bukamal")]
    assert len(facet) == 1 and facet[0].count == len(town)


def test_a_name_two_places_share_is_a_choice_with_counts_and_a_qualifier_narrows(world):
    conn = connect(world)
    with pytest.raises(queries.QueryError) as e:
        queries.resolve_place(conn, "Tripoli")
    assert "Lebanon" in str(e.value) and "Libya" in str(e.value) and "(1 events)" in str(e.value)
    assert ids(conn, places=["Tripoli (Lebanon)"]) == {"acled:LBN400001"}
    assert ids(conn, places=["Tripoli (LY)"]) == {"acled:LBY500001"}


def test_a_country_names_its_state_forces_as_one_group(world):
    conn = connect(world)
    turkey = ids(conn, actors=["Turkey"])
    assert turkey == {"acled:TUR300001", "acled:TUR300002", "acled:TUR300003"}  # army, police, gendarmerie
    assert "acled:TUR300004" not in turkey  # protesters are not the state
    assert ids(conn, actors=["Police Forces of Turkey (2016-)"]) == {"acled:TUR300002"}
    assert ids(conn, actors=["Protesters"]) == {"acled:TUR300004"}  # each country's protesters, one group


def test_an_actor_keeps_its_group_when_a_later_import_codes_it_otherwise(world, tmp_path):
    header, row = WORLD.read_text(encoding="utf-8").splitlines()[0], acled_rows()[6]  # the gendarmerie
    later = tmp_path / "later.csv"
    with later.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header.split(","))
        w.writeheader()
        w.writerow(row | {"event_id_cnty": "TUR300099", "inter1": "3"})  # coded a militia this time
    import_acled(later, world)
    assert "acled:TUR300099" in ids(connect(world), actors=["Turkey"])


def test_a_wing_files_under_its_group_and_keeps_acleds_name_in_the_detail(world):
    conn = connect(world)
    wing = ids(conn, actors=["Islamic State (Syria)"])
    assert wing == {"acled:SYR200002", "acled:SYR200003", "acled:SYR200004"}
    everything = ids(conn, actors=["ISIS"])
    assert wing < everything and any(not i.startswith("acled:") for i in everything)
    detail = queries.event_detail(conn, "acled:TUR300001")
    assert detail.event.summary.startswith("Military Forces of Turkey clash with")  # lists show no period
    assert ("Turkish forces", "actor1") in detail.event.actors  # the period is not in the name
    assert detail.as_named["Turkish forces"] == "Military Forces of Turkey (2016-)"


def test_facets_count_every_level_of_the_trees(world):
    conn = connect(world)
    facets = queries.facets(conn, queries.Filter())
    places = {v.id: v for v in facets.places}
    syria = queries.resolve_place(conn, "Syria")
    division = queries.resolve_place(conn, "Deir ez-Zor")
    assert places[syria].count == len(ids(conn, places=["Syria"])) and places[syria].parent is None
    assert places[division].parent == syria
    assert places[queries.resolve_place(conn, "Al-Bukamal")].parent == division
    actors = {v.id: v for v in facets.actors}
    assert actors["state-forces-of-turkey"].count == 3
    assert actors["police-forces-of-turkey"].parent == "state-forces-of-turkey"


def test_exports_give_each_place_its_country_and_division(world):
    events = exported(world, "--place", "Syria")
    places = [p for e in events for p in e["places"]]
    assert places and all(p["country"] == "SY" and p["country_name"] == "Syria" for p in places)
    assert all(p["admin1"] for p in places if p["lat"] is not None)
    strike = next(e for e in events if e["id"] == "acled:SYR200001")
    place = strike["places"][0]
    assert (place["name"], place["country"], place["country_name"], place["admin1"]) == (
        "Albu Kamal",  # the gazetteer's name: ACLED's "Al-Bukamal" is an alias
        "SY",
        "Syria",
        "Deir ez-Zor",
    )
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--db", str(world)])
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["country_name"] for r in rows if r["id"].startswith("acled:TUR")} == {"Turkey"}


def test_stats_list_the_top_countries_and_divisions(world):
    result = CliRunner().invoke(main, ["stats", "--db", str(world)])
    assert result.exit_code == 0
    countries = result.output.split("countries\n")[1].split("divisions\n")[0].split("\n")
    assert countries[0].split() == [str(len(ids(connect(world), places=["Syria"]))), "Syria"]
    assert "Deir ez-Zor, Syria" in result.output.split("divisions\n")[1]


def test_a_version_4_store_is_migrated_into_the_trees(tmp_path):
    """A store written before the trees: its ACLED places and actors join the gazetteer's, every
    event is reachable by its country, and nothing is lost."""
    db = store_v4(tmp_path / "timeline.db")
    before = {r[0] for r in sqlite3.connect(db).execute("SELECT id FROM events")}
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert set(queries.event_ids(conn, queries.Filter())) == before
    assert ids(conn, places=["Syria"]) == before
    assert not conn.execute("SELECT 1 FROM places WHERE id = 'acled:sy:deir-ez-zor:albu-kamal'").fetchone()
    assert "acled:SYR100002" in ids(conn, places=["Albu Kamal"])
    assert "acled:SYR100001" in ids(conn, actors=["ISIS"])  # version 4 kept no "(Syria)"
    assert queries.event_detail(conn, "acled:SYR100004").event.actors == [("Protesters (Syria)", "actor1")]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # Version 8: an ACLED row's document is known by its event id, an article's by its sha256.
    # (an ACLED row's document is numbered -seq since version 14: abs orders it as the rows were imported)
    keys = dict(conn.execute("SELECT kind, key FROM documents ORDER BY abs(id)").fetchall())
    assert keys["acled"] == "acled:SYR100004" and len(keys["article"]) == 64
    # Version 10: each value's set of events, which the counts under a filter are read from.
    syria = queries.resolve_place(conn, "Syria")
    protests = queries.facets(conn, queries.Filter(places=(syria,), types=("Protests",)))
    assert [(v.name, v.count) for v in protests.actors if v.parent is None] == [("Protesters", 1)]
    conn.close()
    from db.acled import import_acled  # rows imported before versions were kept are replaced, once

    first = import_acled(Path(__file__).parent / "fixtures" / "acled_current.csv", db)
    assert (first.added, first.revised) == (0, 3)
    assert import_acled(Path(__file__).parent / "fixtures" / "acled_current.csv", db).unchanged == 3


def test_the_seed_articles_alone_file_every_place_under_a_country(seed_store):
    conn = connect(seed_store)
    orphans = conn.execute(
        "SELECT p.id FROM event_places ep JOIN places p ON p.seq = ep.place_seq"
        " WHERE p.parent IS NULL AND p.kind <> 'country' AND p.country IS NOT NULL"
    ).fetchall()
    assert orphans == []


def test_acled_names_of_known_groups_meet_the_articles_actor_and_wagner_is_its_own(tmp_path):
    """ACLED writes an abbreviation before a name ("HTS: ...") and a state's unit after its period
    ("Military Forces of Iran (1979-) Islamic Revolutionary Guard Corps"): the part the gazetteer
    knows is the actor, so any of its aliases filters the row. Wagner is not all of Russia's forces."""
    header = WORLD.read_text(encoding="utf-8").splitlines()[0]
    row = (
        "{id},2022-03-0{day},2022,1,Political violence,Battles,Armed clash,{actor},,2,,,,20,,0,Middle East,"
        "{country},,,,{town},35.0,38.0,1,Src,National,Fighting.,1,,1650000000"
    )
    rows = [
        ("YEM1", 1, "Military Forces of Yemen (2016-) Supreme Political Council", "Yemen", "Sanaa"),
        ("SYR1", 2, "HTS: Hayat Tahrir al Sham", "Syria", "Idlib"),
        ("SYR2", 3, "Military Forces of Iran (1979-) Islamic Revolutionary Guard Corps", "Syria", "Albu Kamal"),
        ("SYR3", 4, "Wagner Group", "Syria", "Palmyra"),
        ("SYR4", 5, "Military Forces of Russia (2000-)", "Syria", "Palmyra"),
    ]
    path = tmp_path / "names.csv"
    path.write_text(
        "\n".join([header, *(row.format(id=i, day=d, actor=a, country=c, town=t) for i, d, a, c, t in rows)]) + "\n"
    )
    db = tmp_path / "t.db"
    assert import_acled(path, db).added == 5
    with connect(db) as conn:
        for alias in ("Houthis", "Ansar Allah"):
            assert len(ids(conn, actors=[alias])) == 1, alias
        assert len(ids(conn, actors=["HTS"])) == 1 and len(ids(conn, actors=["IRGC"])) == 1
        assert len(ids(conn, actors=["Wagner"])) == 1
        assert len(ids(conn, actors=["Russian forces"])) == 2  # its own and Wagner's


def test_a_name_that_finds_nothing_says_so_with_the_close_names_that_do(seed_store):
    def listed(*args: str):
        return CliRunner().invoke(main, ["list", "--db", str(seed_store), *args])

    known_without_events = listed("--actor", "Houthis")
    assert known_without_events.exit_code == 0 and known_without_events.stdout.count("\n") == 1  # the header
    assert "no event here names the actor 'Houthis'" in known_without_events.stderr
    misspelt = listed("--actor", "Irannian forces")
    assert misspelt.exit_code == 2 and "close: Iranian forces" in misspelt.stderr
    assert "close: Albu Kamal" in listed("--place", "Albu Kaml").stderr
    found = listed("--actor", "Iranian forces")
    assert found.exit_code == 0 and "no event" not in found.stderr
