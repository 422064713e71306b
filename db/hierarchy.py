"""Places and actors as trees, one for articles and ACLED alike.

Places: country > first-level division > town. Actors: group > actor (a country's state forces;
an armed group and its wings). Each place and actor row names its `parent`. Each link of an event
to a place or an actor is written again for every ancestor, with `direct = 0`: choosing a node
(Syria, the Deir ez-Zor governorate, Turkey's state forces) is then one index range over the link
table, and a tree's counts at every level are one GROUP BY.

An ACLED row's place becomes the gazetteer town of its name in its country (nearest to its point),
or the town within NEAR_KM of its point; only a place the gazetteer lacks keeps ACLED's name and
point, under its division and country. So a strike an article reports at "Albu Kamal" and ACLED's
row at "Al-Bukamal" share one place.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from db.schema import day
from ingest.gazetteer import Actor, load_gazetteer, slug
from ingest.geo import Place, distance_km
from ingest.text import alias_key

NEAR_KM = 2.0  # an unnamed gazetteer town this close to a row's point is the row's place
NAMED_KM = 50.0  # a town of the row's name, this far from its point at most, is the row's place
PERIOD = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")  # ACLED's "(2016-)", "(2000-2011)"
QUALIFIER = re.compile(r"\s*\([^)]*\)")  # "(Syria)" in "Islamic State (Syria)"
STATE_KINDS = ("state forces", "external forces", "state")
CROWD_KINDS = ("protesters", "rioters", "civilians")  # ACLED names them per country: "Protesters (Turkey)"
GROUP = "group"  # the kind of an actor that only gathers others (a country's state forces)
# Places and actors kept in memory, each kind, at most twice this: a million worldwide ACLED rows
# name 320k places; what is not kept is read again from the store.
KEPT = 50_000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A bounded memo: the entries put or found since the last turnover or the one before, at most
    2 x `size`. Values used often stay, as in an LRU, without the LRU's bookkeeping at every hit.
    The entries a turnover lets go are handed to `spill`, if given, and `spilled` says some were.
    A value is never None: `get` answers None for a key it does not hold."""

    def __init__(self, size: int, spill: Callable[[dict[K, V]], None] | None = None) -> None:
        self.size, self.spill, self.spilled = size, spill, False
        self.new: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        value = self.new.get(key)
        if value is None:
            value = self.old.get(key)
            if value is not None:
                self[key] = value
        return value

    def __setitem__(self, key: K, value: V) -> None:
        if len(self.new) >= self.size:
            if self.spill and self.old:
                self.spill(self.old)
                self.spilled = True
            self.old, self.new = self.new, {}
        self.new[key] = value


class Trees:
    """Writes places and actors with their ancestors, and the links of an event to them. One per
    write transaction. What it wrote is remembered in bounded memos, and read back from the store
    (its ancestors) or from a temporary table (the place a row's names resolved to) when forgotten:
    its memory does not grow with the places a file names.

    Its writes wait in memory until `flush` (or a link that needs a row number) sends them, a few
    statements for all of them: on PostgreSQL each statement is a round trip to the server, and
    the places, actors and aliases of its rows were most of an import's (11 a row). It
    numbers the new rows itself, as the store would (its writer's lock keeps other writers out),
    so no write waits for an answer. A read of a waiting row sees it, as the store would."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.gaz = load_gazetteer()
        # Writes not sent yet: table -> id -> the row (the last write of an id wins, as an upsert's)
        self._waiting: dict[str, dict[str, tuple]] = {"places": {}, "actors": {}}
        # kind -> (alias key, id) -> alias: the first spelling of a key stays, as INSERT OR IGNORE keeps it
        self._waiting_aliases: dict[str, dict[tuple[str, str], str]] = {"place": {}, "actor": {}}
        self._next_seq: dict[str, int] = {}  # table -> the row number its next new row takes
        self._number_column: dict[str, str] = {}
        # What `read_ahead` learnt for the rows of a batch, each cleared at the next: the ids not
        # stored, the points of those stored, the towns the gazetteer gave each row's names, and
        # the places a spilled memo kept (None: it kept none).
        self._absent: dict[str, set[str]] = {"places": set(), "actors": set()}
        self._points: dict[str, tuple[float | None, float | None]] = {}
        self._towns: dict[tuple, tuple[Place | None, str]] = {}  # names -> (gazetteer town, own place's id)
        self._spilled: dict[tuple, str | None] = {}
        self.place_up: Recent[str, tuple[str, ...]] = Recent(KEPT)  # place id -> its ancestors, nearest first
        self.actor_up: Recent[str, tuple[str, ...]] = Recent(KEPT)
        self.place_seq: Recent[str, int] = Recent(KEPT)  # place id -> its row number, which the links hold
        self.actor_seq: Recent[str, int] = Recent(KEPT)
        # A row's place names -> its place; those let go are kept in a temporary table (on disk).
        self._named_places: Recent[tuple, str] = Recent(KEPT, spill=self._spill_places)
        self._named_actors: Recent[str, str] = Recent(KEPT)
        # A row's (country, division) names -> its division: a file names a few thousand, each
        # resolved once (resolving them again was a quarter of the places' time).
        self._divisions: Recent[tuple[str, str], Place] = Recent(KEPT)
        # (country code, division name) -> the gazetteer's division, if any (as a 1-tuple: a memo holds no None)
        self._gazetteer_divisions: Recent[tuple[str, str], tuple[Place | None]] = Recent(KEPT)
        self._gazetteer_countries: Recent[str, tuple[Place | None]] = Recent(KEPT)

    # ---- places --------------------------------------------------------------------------------

    def place(self, p: Place) -> str:
        """A gazetteer place (or an article's unresolved one) with its division and country."""
        if self.place_up.get(p.id) is None:  # not written by this writer (or forgotten: written again, the same)
            parent = None
            if p.kind != "country" and p.country:
                division = self._gazetteer_division(p.country, p.admin1) if p.kind != "admin1" and p.admin1 else None
                country = self._gazetteer_country(p.country)
                parent = self.place(division) if division else self.place(country) if country else None
            self._write_place(p, parent, aliases=self.gaz.place_aliases(p.id) or [p.name])
        return p.id

    def named_place(self, country: str, admin1: str, location: str, lat: float | None, lon: float | None) -> str:
        """The place a data row (ACLED) names by country, division and location; its spelling becomes
        an alias of that place."""
        key = (country, admin1, location, lat, lon)
        known = self._named_places.get(key)
        if known is None:
            known = self._spilled_place(key) or self._resolve_place(country, admin1, location, lat, lon)
            self._named_places[key] = known
        return known

    def read_ahead(self, named_places: Iterable[tuple], actor_names: Iterable[str]) -> None:
        """Ask the store at once what resolving a batch's places (`named_place`'s arguments) and
        actors (names) would ask it one by one: the places the spilled memo kept for their names,
        whether the ids of their own places and actors are stored, with their ancestors and points.
        One statement a table for the batch, where each new place or actor took one (on PostgreSQL
        a round trip each, half of an import's once the writes wait)."""
        self._absent = {"places": set(), "actors": set()}
        self._points, self._towns, self._spilled = {}, {}, {}
        keys = [key for key in dict.fromkeys(named_places) if self._named_places.get(key) is None]
        if keys and self._named_places.spilled:
            kept = dict(
                self.conn.execute(
                    "SELECT key, place_id FROM temp.resolved_places WHERE key IN (SELECT value FROM json_each(?))",
                    (json.dumps([repr(key) for key in keys]),),
                ).fetchall()
            )
            self._spilled = {key: kept.get(repr(key)) for key in keys}
        place_ids: set[str] = set()
        divisions: dict[tuple, Place] = {}  # found, not written: rows are numbered in the order written
        for key in keys:
            if self._spilled.get(key) is None:
                division = divisions.get(key[:2]) or self._divisions.get(key[:2])
                if division is None:
                    division = divisions[key[:2]] = self._division(key[0].strip() or "Unknown country", key[1], False)
                town = self._town(division, *key[2:])
                own = "" if town else self._own_name(division, *key[:3])
                self._towns[key] = (town, own)
                if town is None:
                    place_ids.add(own)
                    if key[3] is not None and key[4] is not None:  # a namesake far away is another place
                        place_ids.add(self._own_at(own, key[3], key[4]))
        actor_ids = {
            slug(PERIOD.sub("", name).strip())
            for name in dict.fromkeys(actor_names)
            if self._named_actors.get(name) is None and self._gazetteer_named(name) is None
        }
        self._ask("places", place_ids, self.place_up)
        self._ask("actors", actor_ids, self.actor_up)

    def _ask(self, table: str, ids: set[str], memo: Recent[str, tuple[str, ...]]) -> None:
        """Which of `ids` are stored, their ancestors into the memo and (places) their points."""
        asked = [i for i in sorted(ids) if i not in self._waiting[table] and memo.get(i) is None]
        if not asked:
            return
        point = "lat, lon" if table == "places" else "NULL, NULL"
        chains: dict[str, list] = {}
        for seed, entity_id, lat, lon in self.conn.execute(
            f"WITH RECURSIVE up(seed, id, parent, depth, lat, lon) AS ("
            f"SELECT id, id, parent, 0, {point} FROM {table} WHERE id IN (SELECT value FROM json_each(?))"
            f" UNION ALL SELECT up.seed, t.id, t.parent, depth + 1, up.lat, up.lon FROM up JOIN {table} t"
            " ON t.id = up.parent) SELECT seed, id, lat, lon FROM up ORDER BY seed, depth",
            (json.dumps(asked),),
        ):
            chains.setdefault(seed, []).append(entity_id)
            self._points[seed] = (lat, lon)
        for entity_id in asked:
            if entity_id in chains:
                memo[entity_id] = tuple(chains[entity_id][1:])
            else:
                self._absent[table].add(entity_id)

    def _spill_places(self, resolved: dict[tuple, str]) -> None:
        for key in resolved:  # read ahead as not spilled, now spilled
            self._spilled.pop(key, None)
        if not self._named_places.spilled:
            self.conn.execute("DROP TABLE IF EXISTS temp.resolved_places")
            self.conn.execute("CREATE TEMP TABLE resolved_places (key TEXT PRIMARY KEY, place_id TEXT NOT NULL)")
        self.conn.executemany(
            "INSERT OR REPLACE INTO temp.resolved_places (key, place_id) VALUES (?, ?)",
            ((repr(key), place_id) for key, place_id in resolved.items()),
        )

    def _spilled_place(self, key: tuple) -> str | None:
        """The place a row's names resolved to before the memo let it go, if it did."""
        if not self._named_places.spilled:
            return None
        if key in self._spilled:
            return self._spilled[key]
        row = self.conn.execute("SELECT place_id FROM temp.resolved_places WHERE key = ?", (repr(key),)).fetchone()
        return row[0] if row else None

    def _resolve_place(self, country: str, admin1: str, location: str, lat: float | None, lon: float | None) -> str:
        division = self._division_of(country, admin1)
        key = (country, admin1, location, lat, lon)
        town, own_id = self._towns.pop(key) if key in self._towns else (self._town(division, location, lat, lon), "")
        if town is None:
            in_division = division.kind == "admin1"
            town_id, maybe_stored = self._own_town_id(
                own_id or self._own_name(division, country, admin1, location), lat, lon
            )
            own = Place(
                town_id, location, division.country, division.name if in_division else None, lat, lon, 0, "town"
            )
            # Its first row's point: a later row's never moves it. (Stored without its division, it
            # comes from a store older than the trees, which this writer is placing in them.)
            if not maybe_stored or not self.place_ancestors(town_id):
                self._write_place(own, division.id, aliases=[])
            town = own
        else:
            self.place(town)
        self._alias("place", town.id, location)
        return town.id

    def _division_of(self, country: str, admin1: str) -> Place:
        """The division (or the country) a row's names give."""
        division = self._divisions.get((country, admin1))
        if division is None:  # (or forgotten: resolved again, the same)
            division = self._divisions[country, admin1] = self._division(country.strip() or "Unknown country", admin1)
        return division

    @staticmethod
    def _own_name(division: Place, country: str, admin1: str, location: str) -> str:
        """The id of a place the gazetteer lacks, by its names."""
        return f"acled:{slug(division.country or country)}:{slug(admin1)}:{slug(location)}"

    @staticmethod
    def _own_at(named: str, lat: float, lon: float) -> str:
        """The id of a place the gazetteer lacks whose name another place already has, far away."""
        return f"{named}@{lat:.4f},{lon:.4f}"

    def _own_town_id(self, named: str, lat: float | None, lon: float | None) -> tuple[str, bool]:
        """The id of a place the gazetteer lacks: its name's, unless a place of that name already
        stands more than NEAR_KM from this point (a namesake village): then its name's and its point's.
        And whether it may be stored already (False: it is not, the store has no place of its name)."""
        waiting = self._waiting["places"].get(named)
        row: tuple | None
        if waiting:
            row = waiting[4:6]
        elif named in self._points or named in self._absent["places"]:  # read ahead
            row = self._points.get(named)
        else:
            row = self.conn.execute("SELECT lat, lon FROM places WHERE id = ?", (named,)).fetchone()
        if row is None:
            return named, False
        if row[0] is None or row[1] is None or lat is None or lon is None:
            return named, True
        if distance_km(lat, lon, row[0], row[1]) <= NEAR_KM:
            return named, True
        return self._own_at(named, lat, lon), True

    def _division(self, country: str, admin1: str, write: bool = True) -> Place:
        """The division of that name in that country (or the country, without one), written with
        its country unless `write` is False (a read ahead: rows are numbered in the order written)."""
        nation = self._country(country, write)
        found = self._gazetteer_division(nation.country, admin1) if nation.country and admin1.strip() else None
        if found:
            if write:
                self.place(found)
            return found
        if not admin1.strip():
            return nation
        own_id = f"acled:{slug(nation.country or country)}:{slug(admin1)}"
        own = Place(own_id, admin1.strip(), nation.country, None, None, None, 0, "admin1")
        if write and self.place_up.get(own.id) is None:
            self._write_place(own, nation.id, aliases=[own.name])
        return own

    def _gazetteer_division(self, country_code: str, name: str) -> Place | None:
        """The gazetteer's first-level division of that name in that country, looked up once."""
        found = self._gazetteer_divisions.get((country_code, name))
        if found is None:
            found = self._gazetteer_divisions[country_code, name] = (self.gaz.places.admin1(country_code, name),)
        return found[0]

    def _country(self, name_or_code: str, write: bool = True) -> Place:
        found = self._gazetteer_country(name_or_code)
        if found:
            if write:
                self.place(found)
            return found
        own = Place(f"acled:{slug(name_or_code)}", name_or_code.strip(), None, None, None, None, 0, "country")
        if write and self.place_up.get(own.id) is None:
            self._write_place(own, None, aliases=[own.name])
        return own

    def _gazetteer_country(self, name_or_code: str) -> Place | None:
        """The gazetteer's country of that name or code, looked up once (as a 1-tuple in the memo)."""
        found = self._gazetteer_countries.get(name_or_code)
        if found is None:
            found = self._gazetteer_countries[name_or_code] = (self._find_country(name_or_code),)
        return found[0]

    def _find_country(self, name_or_code: str) -> Place | None:
        text = name_or_code.strip()
        if len(text) == 2 and text.isupper():
            try:
                return self.gaz.places.country(text)
            except KeyError:
                return None
        readings = self.gaz.places.lookup([alias_key(text)]).get(alias_key(text), [])
        return next((r.place for r in readings if r.place.kind == "country"), None)

    def _town(self, division: Place, location: str, lat: float | None, lon: float | None) -> Place | None:
        """The gazetteer town a row names: of that name (any spelling) in the country, in the row's
        division first, then nearest its point; else the one within NEAR_KM of the point."""
        country = division.country
        if not country:
            return None
        key = alias_key(location)
        named = [
            r.place
            for r in self.gaz.places.lookup([key]).get(key, [])
            if r.place.country == country and r.place.kind not in ("country", "admin1")
        ]
        alike = self.gaz.places.spelt_alike(location, country)
        if alike and alike.kind not in ("country", "admin1") and alike not in named:
            named.append(alike)
        if lat is not None and lon is not None:
            near = [p for p in named if p.lat is not None and distance_km(lat, lon, p.lat, p.lon) <= NAMED_KM]
            near.sort(key=lambda p: (p.admin1 != division.name, distance_km(lat, lon, p.lat, p.lon)))
            return near[0] if near else self.gaz.places.near(country, lat, lon, NEAR_KM)
        inside = [p for p in named if p.admin1 == division.name] or named
        return inside[0] if len(inside) == 1 else None

    def _write_place(self, p: Place, parent: str | None, aliases: Iterable[str]) -> None:
        self._wait("places", (p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.kind, parent))
        for alias in aliases:
            self._alias("place", p.id, alias)
        self.place_up[p.id] = () if parent is None else (parent, *(self.place_ancestors(parent) or ()))

    # ---- actors --------------------------------------------------------------------------------

    def gazetteer_actors(self) -> None:
        """Every actor of the gazetteer with its aliases, so that any alias filters."""
        for actor in list(self.gaz.actors.values()):
            self.actor(actor)
        self.flush()  # a writer that links nothing stores them all the same

    def actor(self, a: Actor) -> str:
        """A gazetteer (or extracted) actor with its group."""
        if self.actor_up.get(a.id) is None:
            group = self.gaz.actors.get(a.group) if a.group else None
            parent = self.actor(group) if group else self._state_group(a.kind, a.country or a.name)
            self._write_actor(a, parent, self.gaz.actor_aliases.get(a.id, [a.name]))
        return a.id

    def named_actor(self, name: str, kind: str) -> str:
        """The actor a data row (ACLED) names: the gazetteer's, by any alias, with or without ACLED's
        period ("Military Forces of Syria (2000-)"); a wing of a gazetteer actor ("Islamic State
        (Syria)"); or an actor of its own, without the period, in its country's state forces if it
        is one. Its spelling becomes an alias of that actor. The first row to name an actor decides
        its kind and group."""
        actor_id = self._named_actors.get(name)
        if actor_id is None:  # (or forgotten: found again, the same)
            plain = PERIOD.sub("", name).strip()
            known = self._gazetteer_named(name)
            if known:
                actor_id = self.actor(known)
            elif (stored := self.actor_ancestors(slug(plain))) is not None:
                actor_id = slug(plain)  # named by an earlier import, which placed it
                self.actor_up[actor_id] = stored
            else:
                whole = self._gazetteer_actor(QUALIFIER.sub("", plain))
                parent = self.actor(whole) if whole else self._state_group(kind, plain) or self._crowd_group(kind)
                own = Actor(slug(plain), plain, kind, None)
                self._write_actor(own, parent, [plain])
                actor_id = own.id
            self._alias("actor", actor_id, name)
            self._named_actors[name] = actor_id
        return actor_id

    def _gazetteer_named(self, name: str) -> Actor | None:
        """The gazetteer's actor an ACLED name is, with or without its period, or by one part."""
        plain = PERIOD.sub("", name).strip()
        return self._gazetteer_actor(name) or self._gazetteer_actor(plain) or self._gazetteer_part(name)

    def _gazetteer_part(self, name: str) -> Actor | None:
        """The gazetteer actor one part of an ACLED name is: ACLED writes an abbreviation before its
        name ("HTS: Hayat Tahrir al Sham") and a state's unit after its period ("Military Forces of
        Iran (1979-) Islamic Revolutionary Guard Corps"). None unless exactly one part is known."""
        parts = [p.strip() for p in (*name.split(":", 1), PERIOD.split(name)[-1]) if p.strip() and p.strip() != name]
        found = {a.id: a for p in parts if (a := self._gazetteer_actor(p))}
        return next(iter(found.values())) if len(found) == 1 else None

    def _row_number(self, table: str) -> str:
        """The column of a place's or an actor's row number: `seq`, or the rowid in a store older
        than version 12 (which the migration to version 5 writes)."""
        if table not in self._number_column:
            columns = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            self._number_column[table] = "seq" if "seq" in columns else "rowid"
        return self._number_column[table]

    def _stored_ancestors(self, table: str, entity_id: str) -> tuple[str, ...] | None:
        """The ancestors of a stored place or actor, nearest first; None if it is not stored. A row
        waiting to be written, or one of its ancestors, is sent first (the memo forgot it)."""
        if entity_id in self._waiting[table]:
            self.flush()
        elif entity_id in self._absent[table]:  # read ahead: not stored
            return None
        rows = self._ancestor_rows(table, entity_id)
        if any(r[0] in self._waiting[table] for r in rows):
            self.flush()
            rows = self._ancestor_rows(table, entity_id)
        return tuple(r[0] for r in rows[1:]) if rows else None

    def _ancestor_rows(self, table: str, entity_id: str) -> list:
        return self.conn.execute(
            f"WITH RECURSIVE up(id, parent, depth) AS (SELECT id, parent, 0 FROM {table} WHERE id = ?"
            f" UNION ALL SELECT t.id, t.parent, depth + 1 FROM up JOIN {table} t ON t.id = up.parent)"
            " SELECT id FROM up ORDER BY depth",
            (entity_id,),
        ).fetchall()

    def _gazetteer_actor(self, name: str) -> Actor | None:
        ids = self.gaz.actor_ids_by_key.get(alias_key(name), ())
        return self.gaz.actors[ids[0]] if len(ids) == 1 else None

    def _state_group(self, kind: str, name: str) -> str | None:
        """The group of a country's state forces, for an actor of a state kind whose name holds a
        country ("Police Forces of Turkey (2016-) Gendarmerie", "Iran")."""
        if kind not in STATE_KINDS:
            return None
        country = self._country_in(name)
        if country is None:
            return None
        group = Actor(f"state-forces-of-{slug(country.name)}", f"State forces of {country.name}", GROUP, country.name)
        if self.actor_up.get(group.id) is None:
            self._write_actor(group, None, [group.name, country.name, f"{country.name} state forces"])
        return group.id

    def _crowd_group(self, kind: str) -> str | None:
        """ "Protesters": the group of a country's protesters ("Protesters (Turkey)"), rioters or civilians."""
        if kind not in CROWD_KINDS:
            return None
        gazetteer = self._gazetteer_actor(kind)  # "Civilians" is the gazetteer's
        if gazetteer:
            return self.actor(gazetteer)
        group = Actor(slug(kind), kind.capitalize(), GROUP, None)
        if self.actor_up.get(group.id) is None:
            self._write_actor(group, None, [group.name])
        return group.id

    def _country_in(self, name: str) -> Place | None:
        words = alias_key(QUALIFIER.sub(lambda m: " " + m[0].strip(" ()"), name)).split()
        spans = [
            " ".join(words[i : i + n]) for n in range(min(4, len(words)), 0, -1) for i in range(len(words) - n + 1)
        ]
        found = self.gaz.places.lookup(spans)
        for span in spans:
            country = next((r.place for r in found.get(span, []) if r.place.kind == "country"), None)
            if country:
                return country
        return None

    def _write_actor(self, a: Actor, parent: str | None, aliases: Iterable[str]) -> None:
        self._wait("actors", (a.id, a.name, a.kind, a.country, parent))
        for alias in aliases:
            self._alias("actor", a.id, alias)
        self.actor_up[a.id] = () if parent is None else (parent, *(self.actor_ancestors(parent) or ()))

    def _alias(self, kind: str, entity_id: str, alias: str) -> None:
        self._waiting_aliases[kind].setdefault((alias_key(alias), entity_id), alias)

    def _wait(self, table: str, row: tuple) -> None:
        """A place's or an actor's row (its id first), to write at the next flush; a writer that
        keeps many waiting (a migration's) sends them at a bound, so they take bounded memory."""
        waiting = self._waiting[table]
        self._absent[table].discard(row[0])
        self._points.pop(row[0], None)  # (the store's is read again once it is written)
        waiting[row[0]] = row  # the place of its first write: a new row is numbered in that order
        if len(waiting) >= KEPT:
            self.flush()

    def flush(self) -> None:
        """Send the waiting writes: per table, one read of which ids are stored (and their row
        numbers), the new rows and the changed ones, then the aliases; a few statements, whatever
        their number. The parents go before their children, the places and actors before their
        aliases, so every reference is to a stored row."""
        for table, memo in (("places", self.place_seq), ("actors", self.actor_seq)):
            waiting = self._waiting[table]
            if not waiting:
                continue
            self._waiting[table] = {}
            number = self._row_number(table)
            stored = dict(
                self.conn.execute(
                    f"SELECT id, {number} FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(waiting)),),
                ).fetchall()
            )
            if table not in self._next_seq:
                self._next_seq[table] = self.conn.execute(
                    f"SELECT coalesce(max({number}), 0) + 1 FROM {table}"
                ).fetchone()[0]
            new, changed = [], []
            for entity_id, row in waiting.items():
                if entity_id in stored:  # written before (or by an earlier writer): its row number stays
                    changed.append((*row[1:], entity_id))
                else:
                    stored[entity_id] = self._next_seq[table]
                    self._next_seq[table] += 1
                    new.append((stored[entity_id], *row))
            columns = _COLUMNS[table]
            self.conn.executemany(
                f"INSERT INTO {table} ({number}, id, {', '.join(columns)}) VALUES (?, ?{', ?' * len(columns)})", new
            )
            self.conn.executemany(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?", changed)
            for entity_id in waiting:
                memo[entity_id] = stored[entity_id]
        for kind, aliases in self._waiting_aliases.items():
            if aliases:
                self._waiting_aliases[kind] = {}
                self.conn.executemany(
                    f"INSERT OR IGNORE INTO {kind}_aliases (key, alias, {kind}_id) VALUES (?, ?, ?)",
                    [(key, alias, entity_id) for (key, entity_id), alias in aliases.items()],
                )

    def place_ancestors(self, place_id: str) -> tuple[str, ...] | None:
        """A place's ancestors, nearest first; None if it is not stored."""
        return self._ancestors("places", self.place_up, place_id)

    def actor_ancestors(self, actor_id: str) -> tuple[str, ...] | None:
        """An actor's groups, nearest first; None if it is not stored."""
        return self._ancestors("actors", self.actor_up, actor_id)

    def _ancestors(self, table: str, memo: Recent[str, tuple[str, ...]], entity_id: str) -> tuple[str, ...] | None:
        found = memo.get(entity_id)
        if found is None:
            found = self._stored_ancestors(table, entity_id)
            if found is not None:
                memo[entity_id] = found
        return found

    def _seq(self, table: str, memo: Recent[str, int], entity_id: str) -> int:
        """The row number of a stored place or actor, which the links hold."""
        found = memo.get(entity_id)
        if found is None:
            self.flush()  # it may be waiting to be written (the flush numbers it), or forgotten
            found = memo.get(entity_id)
        if found is None:
            found = memo[entity_id] = self.conn.execute(
                f"SELECT seq FROM {table} WHERE id = ?", (entity_id,)
            ).fetchone()[0]
        return found

    def root(self, place_id: str) -> str:
        """The country a written place lies in (itself, for a country or a place without one)."""
        return (self.place_ancestors(place_id) or (place_id,))[-1]

    # ---- links ---------------------------------------------------------------------------------

    def place_links(self, seq: int, date_start: str | None, place_ids: list[str]) -> list[tuple]:
        """(event, place's seq, day, direct, position) rows for the places an event names, in order,
        and their ancestors after them."""
        rows = dict.fromkeys(place_ids, 1)
        for pid in place_ids:
            for ancestor in self.place_ancestors(pid) or ():
                rows.setdefault(ancestor, 0)
        when, key = day(date_start), self._seq
        return [(seq, key("places", self.place_seq, p), when, direct, i) for i, (p, direct) in enumerate(rows.items())]

    def actor_links(self, seq: int, date_start: str | None, actors: list[tuple[str, str, str | None]]) -> list[tuple]:
        """(event, actor's seq, role, day, direct, named) rows for an event's (actor, role, name as
        the source wrote it), first role kept, and the groups above them."""
        rows: dict[str, tuple] = {}
        for actor_id, role, named in actors:
            rows.setdefault(actor_id, (role, 1, named))
        for actor_id, role, _ in actors:
            for group in self.actor_ancestors(actor_id) or ():
                rows.setdefault(group, (role, 0, None))
        when, key = day(date_start), self._seq
        return [
            (seq, key("actors", self.actor_seq, a), role, when, direct, named)
            for a, (role, direct, named) in rows.items()
        ]


# The columns a place's and an actor's row give after its id, as `Trees._wait` takes them.
_COLUMNS = {
    "places": ("name", "country", "admin1", "lat", "lon", "kind", "parent"),
    "actors": ("name", "kind", "country", "parent"),
}


def grow_trees(conn: sqlite3.Connection) -> None:
    """Put the places and actors of a store written before the trees in them: an ACLED place or
    actor becomes the gazetteer's where one matches (its links follow it), and every event is
    linked to the ancestors of what it names. For the migration to schema version 5."""
    trees = Trees(conn)
    trees.gazetteer_actors()
    for pid, name, country, admin1, lat, lon, kind in conn.execute(
        "SELECT id, name, country, admin1, lat, lon, kind FROM places"
    ).fetchall():
        if pid.startswith("acled:"):
            new = trees.named_place(country or "", admin1 or "", name, lat, lon)
        else:
            known = trees.gaz.places.get(pid)
            new = trees.place(known or Place(pid, name, country, admin1, lat, lon, 0, kind or "unresolved"))
        if new != pid:
            trees.flush()  # the place its links move to is stored before they do
        _move(conn, "place", pid, new)
    for aid, name, kind, country in conn.execute("SELECT id, name, kind, country FROM actors").fetchall():
        if aid.startswith("acled:"):
            conn.execute("UPDATE event_actors SET named = ? WHERE actor_id = ?", (name, aid))
            new = trees.named_actor(name, kind or "unknown")
        else:
            new = trees.actor(trees.gaz.actors.get(aid) or Actor(aid, name, kind or "unknown", country))
        if new != aid:
            trees.flush()
        _move(conn, "actor", aid, new)
    trees.flush()
    for table, column, entities, ancestors_of, kept in (  # the links of a version 4 store: by event_id
        ("event_places", "place_id", "places", trees.place_ancestors, "date_start"),
        ("event_actors", "actor_id", "actors", trees.actor_ancestors, "role, date_start"),
    ):
        for (entity,) in conn.execute(f"SELECT id FROM {entities} WHERE parent IS NOT NULL").fetchall():
            for ancestor in ancestors_of(entity) or ():
                conn.execute(
                    f"INSERT OR IGNORE INTO {table} (event_id, {column}, {kept}, direct)"
                    f" SELECT event_id, ?, {kept}, 0 FROM {table} WHERE {column} = ? AND direct = 1",
                    (ancestor, entity),
                )


def _move(conn: sqlite3.Connection, kind: str, old: str, new: str) -> None:
    """Links and aliases of one place (or actor) handed to another, which the old one then leaves."""
    if old == new:
        return
    for table in (f"event_{kind}s", f"{kind}_aliases"):
        conn.execute(f"UPDATE OR IGNORE {table} SET {kind}_id = ? WHERE {kind}_id = ?", (new, old))
        conn.execute(f"DELETE FROM {table} WHERE {kind}_id = ?", (old,))
    conn.execute(f"DELETE FROM {kind}s WHERE id = ?", (old,))
