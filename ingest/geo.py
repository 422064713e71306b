"""Places of the world: countries, first-level divisions and towns, with their names.

The gazetteer is a set of TSV files under seed/gazetteer/ (countries.tsv, admin1.tsv,
towns/CC.tsv), built by scripts/build_gazetteer.py. Reading 235,000 towns and their spellings
takes seconds, so the first use builds an SQLite index of them (alias key -> places) in the
user's cache folder, named by a hash of the files and of the code that reads them; every later process
opens that file read-only in milliseconds. A file is written under a temporary name and linked
into place when complete, and never changed after: a new gazetteer gets a new name.

    places = load_places()
    places.lookup(["tripoli", "deir ez zor"])   # {"tripoli": [Reading(Place(... LY ...), False, False), ...], ...}
    places.country("SY"), places.admin1("SY", "Idlib"), places.countries_by_demonym["syrian"]

Standard library only at run time.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ingest import text
from ingest.lexicon import load_lexicon
from ingest.text import alias_key, name_variants
from seed import SEED

GAZETTEER = SEED / "gazetteer"
# A city this big, and ten times bigger than any town called so, is known abroad by that exonym.
MAJOR_CITY = 100_000
EXONYM_FACTOR = 10
CHUNK = 500  # keys per SELECT: well under SQLite's limit on bound parameters
PLACES_KEPT = 50_000  # places read from the index kept in memory (some 15 MB), at most


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str  # country | admin1 | capital | city | unresolved


class Reading(NamedTuple):
    """A place a name may be, and how: `common`, the name is also an ordinary English word or a
    given name (accept it only where a place is expected); `alternate`, it is not the place's own
    name but an exonym or old name ("Salem" of Jerusalem, "White House" of Casablanca)."""

    place: Place
    common: bool
    alternate: bool


def gazetteer_files() -> list[Path]:
    return [GAZETTEER / "countries.tsv", GAZETTEER / "admin1.tsv", *sorted((GAZETTEER / "towns").glob("*.tsv"))]


class PlaceIndex:
    """Every place of the gazetteer by its alias keys (`ingest.text.alias_key`).

    Ranking, for one key: countries first; then the places the key is a name of (a town's name
    or a curated spelling; any name of a division: "Dayr az Zawr", "Idlib province") before
    the places it is only an alternate name of (an exonym or old name: "Salem" of Jerusalem);
    within each, divisions before towns, so a division comes before its namesake town
    ("Idlib", "Donetsk") but a town named by the key comes before a division that merely has it
    as an alternate name; then curated places, then population, largest first. Capitals are
    towns here: "San Jose" is San Jose, California (1M) before San Jose, Costa Rica.
    """

    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True, check_same_thread=False)
        self._db.execute("PRAGMA mmap_size = 268435456")  # read pages in place, not through read()
        self._lock = threading.Lock()  # one connection shared by the app's threads
        # The places read so far, by row id and by id: a memo of the file, emptied when it holds
        # PLACES_KEPT, so that a process reading the whole world (an ACLED import) stays small.
        self._places: dict[int, Place] = {}
        self._rowids: dict[str, int] = {}
        self.max_words = int(self._db.execute("SELECT value FROM meta WHERE name = 'max_words'").fetchone()[0])
        self.countries_by_demonym: dict[str, str] = dict(self._db.execute("SELECT key, country FROM demonyms"))
        self._countries = {p.country: p for p in self._fetch("kind = 'country'")}

    def _fetch(self, where: str, params: Iterable = ()) -> list[Place]:
        return [place for _, place in self._fetch_rows(where, params)]

    def _fetch_rows(self, where: str, params: Iterable = ()) -> list[tuple[int, Place]]:
        """(row id, place) of the places matching `where`, kept in the memo (under the lock)."""
        rows = self._db.execute(
            f"SELECT rowid, id, name, country, admin1, lat, lon, population, kind FROM places WHERE {where}",
            tuple(params),
        ).fetchall()
        if len(self._places) + len(rows) > PLACES_KEPT:
            self._places, self._rowids = {}, {}  # new dicts: a reader without the lock keeps its old ones
        out = []
        for rowid, *fields in rows:
            place = self._places.get(rowid)
            if place is None:
                place = self._places[rowid] = Place(*fields)
                self._rowids[place.id] = rowid
            out.append((rowid, place))
        return out

    def lookup(self, keys: Iterable[str]) -> dict[str, list[Reading]]:
        """For each key found, its readings, best first (see the class doc). Keys without a place
        are absent from the result."""
        keys = list(dict.fromkeys(keys))
        hits: list[tuple[str, int, int, int]] = []
        with self._lock:
            for i in range(0, len(keys), CHUNK):
                chunk = keys[i : i + CHUNK]
                hits += self._db.execute(
                    f"SELECT key, place, common, alternate FROM keys WHERE key IN ({','.join('?' * len(chunk))})"
                    " ORDER BY key, rank",
                    chunk,
                ).fetchall()
            known = {rowid: place for _, rowid, _, _ in hits if (place := self._places.get(rowid)) is not None}
            missing = list({rowid for _, rowid, _, _ in hits if rowid not in known})
            for i in range(0, len(missing), CHUNK):
                rowids = missing[i : i + CHUNK]
                known.update(self._fetch_rows(f"rowid IN ({','.join('?' * len(rowids))})", rowids))
        out: dict[str, list[Reading]] = {}
        for key, rowid, common, alternate in hits:
            out.setdefault(key, []).append(Reading(known[rowid], bool(common), bool(alternate)))
        return out

    def get(self, place_id: str) -> Place | None:
        places, rowid = self._places, self._rowids.get(place_id)
        if rowid is not None and rowid in places:
            return places[rowid]
        with self._lock:
            found = self._fetch("id = ?", (place_id,))
        return found[0] if found else None

    def curated(self, place_id: str) -> bool:
        """Does seed/gazetteer/place_aliases.yaml name the place (a place news names, whatever its size)?"""
        with self._lock:
            row = self._db.execute("SELECT curated FROM places WHERE id = ?", (place_id,)).fetchone()
        return bool(row and row[0])

    def aliases(self, place_id: str) -> list[str]:
        """Every key the place is found by, its own name first: what a filter may be given."""
        place = self.get(place_id)
        if place is None:
            return []
        with self._lock:
            keys = [
                k
                for (k,) in self._db.execute(
                    "SELECT k.key FROM keys k JOIN places p ON p.rowid = k.place WHERE p.id = ? ORDER BY k.rank, k.key",
                    (place_id,),
                )
            ]
        return [place.name, *keys]

    def spelt_alike(self, name: str, country: str) -> Place | None:
        """The one place of `country` whose name has the same skeleton as `name` (`skeleton`):
        the many transliterations of one Arabic, Persian or Pashto name ("Raqa" = "Raqqa",
        "Deir Ezour" = "Deir ez-Zor", "Khan Touman" = "Khan Tuman"). None when no place or
        several places of the country share it."""
        name_key = alias_key(name)
        key, size = skeleton(name_key), len(_letters(name_key))
        if len(key) < 2 or size < 4:
            return None
        with self._lock:
            found = {
                pid
                for (pid,) in self._db.execute(
                    "SELECT p.id FROM skeletons s JOIN places p ON p.rowid = s.place"
                    " WHERE s.country = ? AND s.skeleton = ? AND s.letters BETWEEN ? AND ?",
                    (country.upper(), key, size - 2, size + 2),
                )
            }
        places = [p for p in map(self.get, found) if p is not None]  # all are: the ids come from the index
        towns = [p for p in places if p.kind != "admin1"]
        if len(towns) == 1 and all(
            p.kind == "admin1" and p.name == towns[0].admin1 for p in places if p is not towns[0]
        ):
            return towns[0]  # "Raqa": the town, not the division named after it
        return places[0] if len(places) == 1 else None

    @property
    def countries(self) -> list[Place]:
        return list(self._countries.values())

    def capital(self, code: str) -> Place | None:
        """The national capital of a country, or None."""
        with self._lock:
            found = self._fetch("kind = 'capital' AND country = ? ORDER BY population DESC LIMIT 1", (code.upper(),))
        return found[0] if found else None

    def country(self, code: str) -> Place:
        """The country of an ISO 3166 alpha-2 code; KeyError for an unknown code."""
        return self._countries[code.upper()]

    def admin1(self, country_code: str, name_or_key: str) -> Place | None:
        """The first-level division of that country called so ("Idlib", "idlib province",
        "Dayr az Zawr"), or None."""
        key = alias_key(name_or_key)
        with self._lock:
            row = self._db.execute(
                "SELECT k.place FROM keys k JOIN places p ON p.rowid = k.place"
                " WHERE k.key = ? AND p.kind = 'admin1' AND p.country = ? ORDER BY k.rank LIMIT 1",
                (key, country_code.upper()),
            ).fetchone()
            return self._fetch("rowid = ?", (row[0],))[0] if row else None

    def near(self, country: str, lat: float, lon: float, km: float) -> Place | None:
        """The town of `country` nearest to a point, if one lies within `km` of it."""
        dlat = km / KM_PER_DEGREE
        # and the box's longitudes: a degree of longitude is shortest at the band's edge nearest a pole
        # (a band across the whole of a big country's width read thousands of towns for each point)
        shortest = math.cos(math.radians(min(90.0, abs(lat) + dlat)))
        dlon = km / (KM_PER_DEGREE * shortest) if shortest > 0.01 else 360.0
        with self._lock:  # the box's points only: a Place is made for the one found
            band = self._db.execute(
                "SELECT rowid, lat, lon, population FROM places WHERE country = ? AND lat BETWEEN ? AND ?"
                " AND lon BETWEEN ? AND ? AND kind NOT IN ('country', 'admin1')",
                (country.upper(), lat - dlat, lat + dlat, lon - dlon, lon + dlon),
            ).fetchall()
        nearest = min(
            (
                (distance_km(lat, lon, plat, plon), -population, rowid)
                for rowid, plat, plon, population in band
                if plon is not None
            ),
            key=lambda found: found[:2],
            default=None,
        )
        if nearest is None or nearest[0] > km:
            return None
        with self._lock:
            return self._fetch("rowid = ?", (nearest[2],))[0]


KM_PER_DEGREE = 111.2  # of latitude, and of longitude at the equator


def distance_km(lat1: float, lon1: float, lat2, lon2) -> float:
    """Distance between two points, flat-earth approximation: exact enough within a few hundred km."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return KM_PER_DEGREE * math.hypot(lat2 - lat1, dx)


def _letters(key: str) -> str:
    """The letters of an alias key without its articles ("deir ez zor" -> "deirzor")."""
    words = key.replace("'", "").split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(w for w in words if w not in _ARTICLES)


_ARTICLES = set(load_lexicon("names")["articles"])


_SILENT_H = re.compile(r"(?<=[aeiou])h\b")


def skeleton(key: str) -> str:
    """An alias key's consonants, doubled letters once, without an article: what its transliterations
    share ("Deir ez-Zor", "Deir Ezzor", "Dier el-Zour" -> "drzr"). An "h" ending a word after a
    vowel is a silent ending some write and others do not ("Ar Rutbah", "Rutba"; "Hamah", "Hama")."""
    letters = (
        _letters(_SILENT_H.sub("", key)).replace("ou", "u").replace("kh", "k").replace("q", "k").replace("ph", "f")
    )
    consonants = [c for i, c in enumerate(letters) if c.isalnum() and (i == 0 or c not in "aeiouy")]
    return "".join(c for i, c in enumerate(consonants) if i == 0 or c != consonants[i - 1])


@cache
def load_places() -> PlaceIndex:
    """The place index, built on first use (seconds) and opened from the cache after that."""
    files = gazetteer_files()
    digest = hashlib.blake2b(digest_size=12)
    digest.update(Path(__file__).read_bytes())  # this module builds the index
    digest.update(Path(text.__file__).read_bytes())  # alias_key and name_variants make its keys
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    name = f"places-{digest.hexdigest()}.sqlite"
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / f"timeline-{user}"):
        path = folder / name
        try:
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                _build(files, path)
                _forget_old(folder, keep=path)
            return PlaceIndex(path)
        except (OSError, sqlite3.DatabaseError):
            continue  # not writable, or unreadable: try the next folder
    raise RuntimeError(f"cannot build the place index ({name}) in the cache folder or in the temporary folder")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "timeline"


def _forget_old(folder: Path, keep: Path) -> None:
    """Remove indexes of former gazetteers made over a week ago (another checkout may still use
    one: it rebuilds it; a process that has one open keeps reading it on POSIX, and elsewhere
    the removal fails and is ignored)."""
    for old in folder.glob("places-*.sqlite"):
        try:
            if old != keep and time.time() - old.stat().st_mtime > 7 * 86400:
                old.unlink()
        except OSError:
            pass


def _read(path: Path) -> list[tuple[str, ...]]:
    """The rows of a gazetteer file as tuples in the order of `_COLUMNS` (demonyms last, empty
    outside countries.tsv)."""
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        pick = [header.index(c) if c in header else None for c in _COLUMNS]
        return [
            tuple(fields[i] if i is not None else "" for i in pick)
            for fields in (line.rstrip("\n").split("\t") for line in f)
        ]


_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "population",
    "curated",
    "aliases",
    "common",
    "demonyms",
)
_TIER = {"country": 0, "admin1": 1, "capital": 2, "city": 2}


def _build(files: list[Path], path: Path) -> None:
    """Write the index to a temporary file beside `path`, then link it into place."""
    rows = [row for f in files for row in _read(f)]
    # Row ids in rank order: countries, divisions, towns; curated first; then by population.
    rows.sort(key=lambda r: (_TIER[r[2]], not r[8], -int(r[7] or 0), r[0]))
    n = len(rows)
    own_population: dict[str, int] = {}  # key -> the largest town whose own name it is
    for r in rows:
        if r[2] in ("capital", "city"):
            for key in name_variants(r[1]):
                own_population[key] = max(own_population.get(key, 0), int(r[7] or 0))
    places: list[tuple[int, str, str, str | None, str | None, float | None, float | None, int, str, int]] = []
    keys: dict[tuple[str, int], tuple[int, bool, bool]] = {}  # (key, place rowid) -> (rank, common, alternate)
    demonyms: dict[str, str] = {}
    max_words = 1
    for rowid, (
        pid,
        name,
        kind,
        country,
        admin1,
        lat,
        lon,
        population,
        curated,
        aliases,
        common,
        demonym_list,
    ) in enumerate(rows, 1):
        places.append(
            (
                rowid,
                pid,
                name,
                country or None,
                admin1 or None,
                float(lat) if lat else None,
                float(lon) if lon else None,
                int(population or 0),
                kind,
                int(bool(curated)),
            )
        )
        common_spellings = set(common.split("|")) if common else set()
        # Every name of a country, division or curated place is its own; a town's alternate
        # names (exonyms, old names) rank after the towns they are the name of, unless the town is
        # a major city far bigger than them: "Medina" is Medina, Saudi Arabia before Medina, Ohio.
        own_all = kind in ("country", "admin1") or curated
        pop = int(population or 0)
        own = name_variants(name)
        for spelling in [name, *aliases.split("|")] if aliases else [name]:
            is_common = spelling in common_spellings
            for key in name_variants(spelling):
                exonym = pop >= MAJOR_CITY and pop >= EXONYM_FACTOR * own_population.get(key, 0)
                alternate = not (own_all or key in own)
                rank = rowid if not alternate or exonym else rowid + n
                key_is_common = is_common
                previous = keys.get((key, rowid))
                if previous is not None:  # one key from several spellings: own if any is, common if all are
                    rank, key_is_common, alternate = (
                        min(rank, previous[0]),
                        key_is_common and previous[1],
                        alternate and previous[2],
                    )
                keys[(key, rowid)] = (rank, key_is_common, alternate)
                max_words = max(max_words, key.count(" ") + 1)
        for d in demonym_list.split("|") if demonym_list else ():
            for v in (d, _plural(d)):
                demonyms.setdefault(alias_key(v), country)
    del rows
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        db = sqlite3.connect(tmp)
        db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE places (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, country TEXT,
                                 admin1 TEXT, lat REAL, lon REAL, population INTEGER, kind TEXT NOT NULL,
                                 curated INTEGER NOT NULL);
            CREATE TABLE keys (key TEXT NOT NULL, rank INTEGER NOT NULL, place INTEGER NOT NULL,
                               common INTEGER NOT NULL, alternate INTEGER NOT NULL,
                               PRIMARY KEY (key, rank)) WITHOUT ROWID;
            CREATE TABLE skeletons (country TEXT NOT NULL, skeleton TEXT NOT NULL, letters INTEGER NOT NULL,
                                    place INTEGER NOT NULL,
                                    PRIMARY KEY (country, skeleton, letters, place)) WITHOUT ROWID;
            CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT NOT NULL);
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
        """)
        db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
        db.executemany(
            "INSERT INTO keys (key, rank, place, common, alternate) VALUES (?, ?, ?, ?, ?)",
            (
                (key, rank, rowid, int(common), int(alternate))
                for (key, rowid), (rank, common, alternate) in keys.items()
            ),
        )
        db.executemany(
            "INSERT OR IGNORE INTO skeletons (country, skeleton, letters, place) VALUES (?, ?, ?, ?)",
            (  # a place's own names (`spelt_alike`)
                (places[rowid - 1][3], skeleton(key), len(_letters(key)), rowid)
                for (key, rowid), (rank, _, _) in keys.items()
                if rank == rowid and places[rowid - 1][8] != "country" and places[rowid - 1][3]
            ),
        )
        db.executemany("INSERT INTO demonyms VALUES (?, ?)", demonyms.items())
        db.execute("INSERT INTO meta VALUES ('max_words', ?)", (str(max_words),))
        db.execute("CREATE UNIQUE INDEX places_id ON places (id)")
        db.execute("CREATE INDEX keys_by_place ON keys (place)")
        db.execute(
            "CREATE INDEX places_by_latitude ON places (country, lat)"
        )  # `near`  # a place's aliases, for the store's filters
        db.commit()
        db.close()
        try:  # readers see no file or a whole one, and a file once there is never replaced
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process built the same index first
        except OSError:
            os.replace(tmp, path)  # no hard links on this file system
    finally:
        tmp.unlink(missing_ok=True)


def _plural(demonym: str) -> str:
    """ "Syrian" -> "Syrians", "Yemeni" -> "Yemenis"; "Swiss", "French", "Chinese" stay."""
    return demonym if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")) else demonym + "s"
