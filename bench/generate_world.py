"""A synthetic worldwide ACLED-format CSV, for the benchmark at the scale of the whole of ACLED:
events in every country of the gazetteer, skewed as ACLED's are (a few countries hold most of
them, bench/world_shares.tsv), at real towns with their divisions and points, and at villages the
gazetteer lacks (a third of ACLED's locations); each country's own state forces, police,
protesters, rioters, civilians and a long tail of local groups; ACLED's mix of event types,
precisions and tolls; notes of 100-400 characters that name the row's actors and place. The
Syria-only generator (bench/generate_acled.py) stays for comparison with earlier figures.

    python bench/generate_world.py [ROWS] [OUT]     (default 1,000,000 rows to bench/data/)
"""

from __future__ import annotations

import bisect
import csv
import itertools
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from bench.generate_acled import HEADER

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "seed" / "gazetteer"

# (event type, sub-event type, share, inter code of actor1, has a second actor, toll weights)
TYPES = [
    ("Protests", "Peaceful protest", 0.30, "6", False),
    ("Protests", "Protest with intervention", 0.03, "6", True),
    ("Riots", "Violent demonstration", 0.06, "5", False),
    ("Riots", "Mob violence", 0.03, "5", True),
    ("Battles", "Armed clash", 0.15, "1", True),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.12, "1", True),
    ("Explosions/Remote violence", "Air/drone strike", 0.06, "1", True),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.02, "2", True),
    ("Violence against civilians", "Attack", 0.12, "3", True),
    ("Violence against civilians", "Abduction/forced disappearance", 0.02, "3", True),
    ("Strategic developments", "Arrests", 0.04, "1", True),
    ("Strategic developments", "Looting/property destruction", 0.02, "3", False),
    ("Strategic developments", "Change to group/activity", 0.03, "1", False),
]
VERBS = {
    "Protests": "demonstrated against",
    "Riots": "clashed with",
    "Battles": "clashed with",
    "Explosions/Remote violence": "struck positions of",
    "Violence against civilians": "attacked",
    "Strategic developments": "detained members of",
}
VILLAGE_WORDS = ["Kalan", "Khurd", "Nuevo", "Alto", "Bajo", "Nord"]
FILLER = (
    "according to local sources the incident took place near the main road after a dispute over "
    "land and security in the district while residents reported damage to several houses and shops "
    "and a convoy was hit killing two"
).split()


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def _countries(rng: random.Random) -> tuple[list[dict], list[float]]:
    """Every gazetteer country that has towns, and its weight."""
    countries = [
        c for c in _read(GAZETTEER / "countries.tsv") if (GAZETTEER / "towns" / f"{c['country']}.tsv").exists()
    ]
    shares = {r["country"]: float(r["share"]) for r in _read(Path(__file__).parent / "world_shares.tsv")}
    rest = (1 - sum(shares.values())) / max(1, len(countries) - len(shares))
    return countries, [shares.get(c["country"], rest) for c in countries]


class Country:
    """What a country's rows draw from, read when its first row is made."""

    def __init__(self, row: dict, rng: random.Random) -> None:
        self.code, self.name = row["country"], row["name"]
        towns = sorted(_read(GAZETTEER / "towns" / f"{self.code}.tsv"), key=lambda t: -int(t["population"] or 0))
        self.towns = towns[:2000]
        weights = [1 / (i + 1) for i in range(len(self.towns))]  # Zipf: the big towns hold most events
        self.cumulative = list(itertools.accumulate(weights))
        self.state = [
            f"Military Forces of {self.name} ({2000 + rng.randrange(24)}-)",
            f"Police Forces of {self.name} ({2000 + rng.randrange(24)}-)",
        ]
        self.groups = [f"Armed Group {i} ({self.name})" for i in range(40)] + [
            f"Unidentified Armed Group ({self.name})",
            f"Unidentified Communal Militia ({self.name})",
        ]

    def town(self, rng: random.Random) -> dict:
        return self.towns[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1]) - 1]

    def group(self, rng: random.Random) -> str:
        return self.groups[min(int(rng.expovariate(0.15)), len(self.groups) - 1)]


def generate(rows: int, out: Path, seed: int = 11) -> Path:
    rng = random.Random(seed)
    countries, weights = _countries(rng)
    cumulative = list(itertools.accumulate(weights))
    types_cumulative = list(itertools.accumulate(t[2] for t in TYPES))
    drawn: dict[str, Country] = {}
    start, span = date(2018, 1, 1), (date(2024, 12, 31) - date(2018, 1, 1)).days
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            row = countries[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
            country = drawn.get(row["country"]) or drawn.setdefault(row["country"], Country(row, rng))
            kind, sub, _, inter, paired = TYPES[bisect.bisect(types_cumulative, rng.random() * types_cumulative[-1])]
            town = country.town(rng)
            lat, lon, location = float(town["lat"]), float(town["lon"]), town["name"]
            if rng.random() < 0.33:  # a village near the town, unknown to the gazetteer
                location = f"{town['name']} {rng.choice(VILLAGE_WORDS)} {rng.randrange(30)}"
                lat, lon = lat + rng.uniform(-0.1, 0.1), lon + rng.uniform(-0.1, 0.1)
            if kind == "Protests":
                actor1 = f"Protesters ({country.name})"
            elif kind == "Riots":
                actor1 = f"Rioters ({country.name})"
            else:
                actor1 = rng.choice(country.state) if inter == "1" and rng.random() < 0.6 else country.group(rng)
            actor2 = ""
            if paired:
                actor2 = rng.choice(
                    [f"Civilians ({country.name})", country.group(rng), *country.state]
                    if kind != "Protests"
                    else country.state
                )
            day = start + timedelta(days=int(span * rng.random() ** 0.7))
            fatalities = (
                0 if kind in ("Protests", "Strategic developments") else rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 12])
            )
            notes = (
                f"On {day:%d %B %Y}, {actor1} {VERBS[kind]} {actor2 or 'the authorities'} in {location}"
                f" ({town['admin1'] or country.name}). "
                + " ".join(rng.choice(FILLER) for _ in range(rng.randint(8, 40)))
            )[:400]
            w.writerow(
                [
                    f"{row['country']}{i}",
                    day.isoformat(),
                    day.year,
                    rng.choice("1111112223"),
                    "Demonstrations" if kind in ("Protests", "Riots") else "Political violence",
                    kind,
                    sub,
                    actor1,
                    "",
                    inter,
                    actor2,
                    "",
                    "7" if actor2.startswith("Civilians") else "1",
                    "",
                    "",
                    "0",
                    "",
                    country.name,
                    town["admin1"],
                    "",
                    "",
                    location,
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    rng.choice("1112"),
                    rng.choice(["Local media", "National media", "Reuters", "AFP", "Twitter"]),
                    "National",
                    notes,
                    fatalities,
                    "",
                    "1700000000",
                ]
            )
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "data" / f"world_{n}.csv"
    print(generate(n, target))
