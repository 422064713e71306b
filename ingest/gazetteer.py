"""Actors and places: canonical entities with aliases, found in text by Aho-Corasick.

Matching runs on `match_text(text)`: folded (case, diacritics, quotes) with hyphens as spaces,
so "Deir ez-Zor", "Deir Ez Zor" and "DEIR EZ-ZOR" are one key. Aliases written in capitals
(IS, SDF) must match in capitals. A stripped possessive ("Syrias", "Islamic States") still matches.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick
import yaml

from ingest.geo import Place
from ingest.lexicon import SEED, load_lexicon
from ingest.text import alias_key, fold, match_text, name_variants


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    entity: Actor | Place
    candidates: tuple = ()  # other places of the same name, for disambiguation


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


class Gazetteer:
    def __init__(self, actors: list[dict], places: list[Place], place_aliases: dict[str, list[str]]):
        self.actors: dict[str, Actor] = {}
        self.actor_aliases: dict[str, list[str]] = {}
        self.state_actors: dict[str, Actor] = {}  # country code -> the actor its capital stands for
        self.places: dict[str, Place] = {p.id: p for p in places}
        self.place_aliases = place_aliases
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list] = {}  # key -> [(priority, exact_case_alias|None, entity)]
        for a in actors:
            actor = Actor(slug(a["name"]), a["name"], a["kind"], a.get("country"))
            self.actors[actor.id] = actor
            self.actor_aliases[actor.id] = [a["name"], *a.get("aliases", [])]
            if a.get("state_of"):
                self.state_actors[a["state_of"]] = actor
            for alias in {a["name"], *a.get("aliases", [])}:
                exact = alias if alias.isupper() and len(alias) <= 6 else None
                for v in name_variants(alias):
                    entries.setdefault(v, []).append((0, exact, actor))
        stop = {fold(w) for w in load_lexicon("stopnames")["words"]}
        self._stop = stop
        for place in places:
            for alias in place_aliases.get(place.id, []):
                for v in name_variants(alias):
                    if fold(v) in stop:
                        continue
                    entries.setdefault(v, []).append((1, None, place))
        for key, found in entries.items():
            self._automaton.add_word(key, (key, found))
        self._automaton.make_automaton()

    def _continues(self, text: str, end: int) -> bool:
        """Is the match followed by a capitalised word that is not a common word ("Airport",
        "Province", "Monday")? Then the name goes on beyond what matched."""
        m = _NEXT_NAME.match(text, end)
        return bool(m) and fold(m.group(1)) not in self._stop and fold(m.group(1)).rstrip("'s") not in self._stop

    def find(self, text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> list[Mention]:
        """Longest, non-overlapping, word-bounded mentions of actors and places in text[start:end].
        `folded` is fold(text), when the caller has it already."""
        end = len(text) if end is None else end
        haystack = folded[start:end].replace("-", " ") if folded is not None else match_text(text[start:end])
        hits = []
        for last, (key, found) in self._automaton.iter(haystack):
            s, e = last - len(key) + 1, last + 1
            if s > 0 and (haystack[s - 1].isalnum() or _inside_word(haystack, s - 1)):
                continue
            e = _word_end(haystack, e)
            if e is None:
                continue
            surface = text[start + s:start + e]
            usable = [f for f in found if f[1] is None or f[1] in surface]
            if usable and all(isinstance(f[2], Place) for f in usable) and self._continues(text, start + e):
                continue  # "Tal" of "Tal Afar": part of a longer name it does not know
            if not usable or not any(c.isupper() for c in surface):
                continue  # entity names are proper nouns; "is", "said", "hotel" are not
            hits.append((s, e, surface, usable))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        mentions, taken = [], -1
        for s, e, surface, usable in hits:
            if s < taken:
                continue
            usable.sort(key=lambda f: (f[0], -getattr(f[2], "population", 0)))
            best = usable[0][2]
            others = tuple(dict.fromkeys(f[2] for f in usable[1:] if isinstance(f[2], Place) and f[2] != best))
            mentions.append(Mention(start + s, start + e, surface, best, others))
            taken = e
        return mentions


_NEXT_NAME = re.compile(r"[ \t]+(?:(?:al|el|ad|ar|as|an|az)[ -])?([A-Z][\w']*)")


def _inside_word(haystack: str, i: int) -> bool:
    """An apostrophe between letters joins a word: "al-sina'a", "qa'im"."""
    return 0 < i < len(haystack) - 1 and haystack[i] == "'" and haystack[i - 1].isalpha() and haystack[i + 1].isalpha()


def _word_end(haystack: str, e: int) -> int | None:
    """The end of a match if it ends a word, allowing a possessive: "syria's", stripped "syrias"."""
    if _inside_word(haystack, e) and haystack[e + 1:e + 2] != "s":
        return None
    if e == len(haystack) or not haystack[e].isalnum():
        if haystack[e:e + 2] == "'s" and (e + 2 == len(haystack) or not haystack[e + 2].isalnum()):
            return e + 2
        return e
    if haystack[e] == "s" and haystack[e - 1] != "s" and (e + 1 == len(haystack) or not haystack[e + 1].isalnum()):
        return e + 1
    return None


@cache
def load_gazetteer() -> Gazetteer:
    with (SEED / "gazetteer" / "actors.yaml").open(encoding="utf-8") as f:
        actors = yaml.safe_load(f)
    with (SEED / "gazetteer" / "place_aliases.yaml").open(encoding="utf-8") as f:
        curated = yaml.safe_load(f)
    places: dict[str, Place] = {}
    aliases: dict[str, list[str]] = {}
    with (SEED / "gazetteer" / "places.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pid = f"gn:{row['geonameid']}"
            places[pid] = Place(pid, row["name"], row["country"], row["admin1"] or None,
                                float(row["lat"]) if row["lat"] else None,
                                float(row["lon"]) if row["lon"] else None,
                                int(row["population"] or 0), row["kind"])
            aliases[pid] = [row["name"], *filter(None, row["aliases"].split("|"))]
    curated_ids = set()
    for entry in curated:
        pid = f"gn:{entry['geonameid']}" if entry.get("geonameid") else f"x:{slug(entry['name'])}"
        base = places.get(pid)
        places[pid] = Place(
            pid, entry["name"], entry.get("country", base.country if base else None),
            entry.get("admin1", base.admin1 if base else None),
            entry.get("lat", base.lat if base else None), entry.get("lon", base.lon if base else None),
            base.population if base else 0, base.kind if base else "city",
        )
        aliases[pid] = [entry["name"], *entry.get("aliases", []), *aliases.get(pid, [])]
        curated_ids.add(pid)
    # A curated spelling names one place: drop it from GeoNames places that share it by chance.
    curated_keys = {alias_key(a) for pid in curated_ids for a in aliases[pid]}
    for pid, names in aliases.items():
        if pid not in curated_ids:
            aliases[pid] = [a for a in names if alias_key(a) not in curated_keys]
    return Gazetteer(actors, list(places.values()), aliases)
