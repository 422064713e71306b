"""A synthetic ACLED-format CSV with the skew of real data: one actor in most events and
hundreds of rare ones, a few thousand places, dates across 1997-2024, notes of 100-300 characters.

    python bench/generate_acled.py [ROWS] [OUT]     (default 1,000,000 rows to bench/data/)
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
    ("Riots", "Mob violence"),
]
WORDS = (
    "forces shelled positions near the village after clashes with militants overnight while residents fled "
    "reported local sources killing wounding several members of the group in the countryside of the "
    "province and a convoy was targeted by an explosive device on the road"
).split()


def generate(rows: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    common = "Military Forces of Syria (2000-)"
    rare = [f"Armed Group {i} (Syria)" for i in range(600)]
    places = [(f"Place {i}", f"Admin {i % 14}", 32 + rng.random() * 5, 36 + rng.random() * 6) for i in range(3000)]
    start, span = date(1997, 1, 1), (date(2024, 12, 31) - date(1997, 1, 1)).days
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            day = start + timedelta(days=int(span * rng.random() ** 0.5))  # more events in later years
            kind, sub = TYPES[min(int(rng.expovariate(0.6)), len(TYPES) - 1)]
            actor1 = common if rng.random() < 0.8 else rng.choice(rare[: 20 + int(rng.random() * 580)])
            # the first group is also the second actor of one event in 125: ~10k events at 1M rows, what
            # the export figure exports
            actor2 = rare[0] if rng.random() < 0.008 else rng.choice(rare) if rng.random() < 0.6 else ""
            name, admin1, lat, lon = places[
                min(int(rng.paretovariate(1.2)) - 1, len(places) - 1)
                if rng.random() < 0.5
                else rng.randrange(len(places))
            ]
            notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(18, 50)))[:300]
            w.writerow(
                [
                    f"SYR{i}",
                    day.isoformat(),
                    day.year,
                    rng.choice("1112"),
                    "Political violence",
                    kind,
                    sub,
                    actor1,
                    "",
                    "1" if actor1 == common else "2",  # ACLED's inter code: state forces, or a rebel group
                    actor2,
                    "",
                    "2",
                    "12",
                    "",
                    "760",
                    "Middle East",
                    "Syria",
                    admin1,
                    "",
                    "",
                    name,
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    "1",
                    rng.choice(["SOHR", "SANA", "Enab Baladi", "Reuters"]),
                    "National",
                    notes,
                    rng.choice([0, 0, 0, 1, 2, 3, 5, 12]),
                    "",
                    "1700000000",
                ]
            )
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "data" / f"acled_{n}.csv"
    print(generate(n, target))
