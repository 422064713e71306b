"""The world place index (ingest/geo.py) on the committed gazetteer (seed/gazetteer/).

Ranking for one key: countries first; then the places the key is a name of before those it is
only an alternate name of; within each, divisions before towns, so a division comes before its
namesake town ("Idlib" the governorate, then Idlib the city) but never before a town the key
names when the key is only an alternate name of the division; then curated places, then
population, largest first.
"""

from __future__ import annotations

import math

import pytest

from ingest.geo import GAZETTEER, KM_PER_DEGREE, Place, distance_km, gazetteer_files, load_places
from ingest.text import alias_key


@pytest.fixture(scope="module")
def index():
    return load_places()


def found(index, name: str) -> list[Place]:
    key = alias_key(name)
    return [r.place for r in index.lookup([key]).get(key, [])]


def ids(index, name: str) -> list[str]:
    return [p.id for p in found(index, name)]


@pytest.mark.parametrize("name", ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir al-Zour"])
def test_deir_ez_zor_is_the_city_and_the_governorate(index, name):
    got = ids(index, name)
    assert "gn:170794" in got and "a1:SY.07" in got
    assert got.index("a1:SY.07") < got.index("gn:170794")  # the division before its namesake town
    city = index.get("gn:170794")
    assert city.country == "SY" and city.admin1 == "Deir ez-Zor" and city.kind == "city"
    assert index.get("a1:SY.07").kind == "admin1" and index.get("a1:SY.07").admin1 is None


def test_idlib_is_a_governorate_and_a_city(index):
    got = found(index, "Idlib")
    assert [(p.kind, p.country) for p in got[:2]] == [("admin1", "SY"), ("city", "SY")]
    assert got[1].admin1 == "Idlib"


@pytest.mark.parametrize(
    "name, country, kind",
    [
        ("Aden", "YE", "city"),
        ("Sanaa", "YE", "capital"),
        ("Sana'a", "YE", "capital"),
        ("Benghazi", "LY", "city"),
        ("Maiduguri", "NG", "city"),
        ("Borno", "NG", "admin1"),
        ("Kyiv", "UA", "capital"),
        ("Kiev", "UA", "capital"),
        ("Mariupol", "UA", "city"),
        ("Donetsk", "UA", "city"),
        ("Donetsk", "UA", "admin1"),
        ("Mogadishu", "SO", "capital"),
        ("Gao", "ML", "city"),
        ("Kabul", "AF", "capital"),
        ("Mosul", "IQ", "city"),
        ("Aleppo", "SY", "city"),
        ("Halab", "SY", "city"),
        ("Hit", "IQ", "city"),
        ("Syria", "SY", "country"),
        ("Yemen", "YE", "country"),
        ("the United States", "US", "country"),
        ("US", "US", "country"),
        ("U.S.", "US", "country"),
    ],
)
def test_news_places_worldwide(index, name, country, kind):
    assert any(p.country == country and p.kind == kind for p in found(index, name)), name


def test_tripoli_libya_before_lebanon(index):
    towns = [p for p in found(index, "Tripoli") if p.kind in ("capital", "city")]
    countries = [p.country for p in towns]
    assert "LY" in countries and "LB" in countries
    assert countries.index("LY") < countries.index("LB")


def test_countries_come_first(index):
    assert [p.kind for p in found(index, "Georgia")][:2] == ["country", "admin1"]
    assert found(index, "Syria")[0] == index.country("SY")


def test_a_towns_own_name_ranks_before_an_alternate_name_of_a_bigger_place(index):
    # Jerusalem has "Salem" among its GeoNames alternate names; Salem, India is called so.
    got = found(index, "Salem")
    named = [p.name == "Salem" for p in got]
    assert named[0] and named == sorted(named, reverse=True)
    assert "gn:281184" in [p.id for p in got[named.count(True) :]]


@pytest.mark.parametrize("word", ["hope", "mission", "police", "of"])
def test_common_words_are_flagged_or_absent(index, word):
    assert all(r.common for r in index.lookup([word]).get(word, []))


def test_big_cities_and_divisions_are_not_common(index):
    for name in ("london", "aleppo", "gaza", "kabul", "idlib", "washington"):
        hits = index.lookup([name])[name]
        assert not hits[0].common, name


def test_demonyms(index):
    by = index.countries_by_demonym
    assert by["syrian"] == "SY" and by["syrians"] == "SY"
    assert by["yemeni"] == "YE" and by["yemenis"] == "YE"
    assert by["ukrainian"] == "UA" and by["nigerian"] == "NG"


def test_api(index):
    assert index.country("sy").name == "Syria" and index.country("US").kind == "country"
    assert index.admin1("SY", "Dayr az Zawr").id == "a1:SY.07"
    assert index.admin1("UA", "donetsk oblast").id == "a1:UA.05"
    assert index.admin1("SY", "Nowhere") is None
    assert index.get("nothing:1") is None
    assert index.max_words >= 4  # "united kingdom of great britain and northern ireland"
    got = index.lookup(["aleppo", "not a place at all", "aleppo"])
    assert list(got) == ["aleppo"]


def test_lookup_indexes_name_variants(index):
    # name_variants strips "al-" and joins words: "Al-Mayadin" is also "mayadin", "Deir Ezzor" "deirezzor".
    assert "gn:173480" in ids(index, "Mayadin")
    assert "gn:170794" in ids(index, "Deirezzor")


@pytest.mark.parametrize(
    "name",
    [
        "Al-Shaafa",
        "al-Bulel",
        "al-Quriyah",
        "Ghraneij",
        "Khan Sheikhoun",
        "Douma",
        "Ghouta",
        "Jisr al-Shughour",
        "Maaret al-Numan",
        "Afrin",
        "Manbij",
        "Kobani",
        "Tabqa",
        "Palmyra",
    ],
)
def test_syrian_places_in_the_news(index, name):
    assert any(p.country == "SY" for p in found(index, name)), name


def test_gazetteer_files_are_small_and_plain():
    files = gazetteer_files()
    assert len(files) > 200
    for f in files:
        assert f.stat().st_size < 5_000_000, f
    header = (GAZETTEER / "towns" / "SY.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header[:3] == ["id", "name", "kind"]


@pytest.mark.parametrize(
    "name, country, division",
    [
        ("Beja", "TN", "Bajah"),  # ISO 3166-2's name, matched through the namesake town's other names
        ("Sousse", "TN", "Susah"),
        ("South Darfur", "SD", "Southern Darfur"),  # one compass word for another
        ("North Kivu", "CD", "Nord Kivu"),
        ("North Sina'", "EG", "Shamal Sina'"),
    ],
)
def test_divisions_are_known_by_the_names_news_gives_them(index, name, country, division):
    assert any(p.kind == "admin1" and p.country == country and p.name == division for p in found(index, name)), name


@pytest.mark.parametrize("country", ["NO", "RU", "CA", "EC", "ID"])  # the far north, and the equator
def test_near_finds_the_nearest_town_as_a_search_of_the_whole_country_does(index, country):
    """`near` reads only the towns of a box around the point: a degree of longitude is 111 km at
    the equator and a third of that at 70 degrees north, and the box must hold every town within
    the distance wherever the point lies. Points just east and west of real towns, at nine tenths
    of the distance, find what a search of the whole country finds."""
    km = 2.0
    towns = index._db.execute(
        "SELECT lat, lon, population, id FROM places WHERE country = ? AND kind NOT IN ('country', 'admin1')"
        " AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY abs(lat) DESC LIMIT 40",
        (country,),
    ).fetchall()
    assert towns
    everywhere = towns_of(index, country)
    for lat, lon, _, _ in towns:
        for east in (1, -1):
            # nine tenths of `km` along the parallel, by distance_km's own measure
            point = (lat, lon + east * 0.9 * km / (KM_PER_DEGREE * math.cos(math.radians(lat))))
            nearest = min((distance_km(*point, t[0], t[1]), -t[2], t[3]) for t in everywhere)
            found = index.near(country, *point, km)
            assert found is not None and nearest[0] <= km, (point, nearest)
            assert (distance_km(*point, found.lat, found.lon), -found.population) == nearest[:2]


def towns_of(index, country: str) -> list[tuple]:
    return index._db.execute(
        "SELECT lat, lon, population, id FROM places WHERE country = ? AND kind NOT IN ('country', 'admin1')"
        " AND lat IS NOT NULL AND lon IS NOT NULL",
        (country,),
    ).fetchall()
