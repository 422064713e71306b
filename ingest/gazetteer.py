"""Actors and places: canonical entities with aliases, found in text.

Matching runs on `match_text(text)`: folded (case, diacritics, quotes) with hyphens as spaces,
so "Deir ez-Zor", "Deir Ez Zor" and "DEIR EZ-ZOR" are one key. A stripped possessive ("Syrias",
"Islamic States") still matches.

Actors (a few hundred names, seed/gazetteer/actors.yaml) are found by Aho-Corasick; aliases
written in capitals (IS, SDF) must match in capitals. Places (the world's countries, divisions
and towns, `ingest.geo`) are found by looking up the capitalised word sequences of the text in
the place index: a proper noun starts with a capital, so the text says where to look.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick
import yaml

from ingest.geo import Place, PlaceIndex, load_places
from ingest.lexicon import SEED, load_lexicon
from ingest.text import alias_key, fold, match_text, name_variants

MAX_PLACE_WORDS = 6  # longer names exist (Chinese syllables spelt out) but are not written so in news
_NAMES = load_lexicon("names")  # the words around and inside a place's name
PARTICLES = set(_NAMES["articles"]) | set(_NAMES["particles"])
DIVISION_WORDS = set(_NAMES["division_words"])
QUALIFIERS = set(_NAMES["qualifiers"])
_HYPHEN = "[-\u2010\u2011]"
# "a Britain-based monitor", "the US-backed SDF": a seat or a sponsor, not a scene ("US-led" names a party)
SEAT_OR_SPONSOR_AFTER = re.compile(
    rf"(?:(?:{_HYPHEN}| )based|{_HYPHEN}(?:" + "|".join(_NAMES["side_words"]["after"]) + r"))\b",
    re.IGNORECASE,
)
# "pro-Damascus media", "anti-Assad protesters": the side someone is on, not a scene
SIDE_BEFORE = re.compile(r"\b(?:" + "|".join(_NAMES["side_words"]["before"]) + rf"){_HYPHEN}$", re.IGNORECASE)

LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|around|into|from|of|across|toward|towards|to|inside|between)"
    r"\s+(?:the\s+)?(?:(?:town|city|village|district|province|region|area|suburb|camp)\s+of\s+)?$"
)
_WORD = re.compile(r"\w+(?:'\w+)*")
# a name further on in a list of towns ("the towns of Mesraba Harasta and Douma"): where a place is
# expected, though a capitalised word stands before it
# What opens a list of towns: "the towns of", "the nearby villages of", "the fronts of".
LIST_OPENER = re.compile(r"\b(?i:" + "|".join(map(re.escape, _NAMES["list_openers"])) + r")\s+of\s+(?:the\s+)?")
_IN_LIST = re.compile(LIST_OPENER.pattern + r"(?:[A-Z][\w'-]*(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]+))+$")
_DIVISION_AFTER = re.compile(r"\s+(?:" + "|".join(_NAMES["division_after"]) + r")\b")
_DIVISION_BEFORE = re.compile(r"\b(?:" + "|".join(_NAMES["division_before"]) + r")\s+(?:of\s+)?$")


def names_a_side(text: str, start: int, end: int) -> bool:
    """Is the name at start..end a seat, a sponsor or a side ("Britain-based", "US-backed",
    "pro-Damascus") rather than where something happened?"""
    return bool(SEAT_OR_SPONSOR_AFTER.match(text, end) or SIDE_BEFORE.search(text, max(0, start - 8), start))


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None  # the country's name
    group: str | None = None  # the id of the actor it is a wing or a part of


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    entity: Actor | Place
    candidates: tuple = ()  # other places of the same name, for disambiguation
    alternates: frozenset[str] = frozenset()  # ids of the places this name is only an exonym or old name of


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


class Gazetteer:
    def __init__(self, actors: list[dict], places: PlaceIndex):
        self.actors: dict[str, Actor] = {}
        self.actor_aliases: dict[str, list[str]] = {}
        self.actor_ids_by_key: dict[str, list[str]] = {}  # alias_key -> ids: a data row's name to an actor
        self.state_actors: dict[str, Actor] = {}  # country code -> the actor its capital stands for
        self.places = places
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list] = {}  # key -> [(exact_case_alias|None, actor)]
        self._any_case: set[str] = set()  # keys that match in lower case too: "government forces", "rebels"
        for a in actors:
            group = slug(a["group"]) if a.get("group") else None
            actor = Actor(slug(a["name"]), a["name"], a["kind"], a.get("country"), group)
            self.actors[actor.id] = actor
            self.actor_aliases[actor.id] = [a["name"], *a.get("aliases", [])]
            for alias in self.actor_aliases[actor.id]:
                ids = self.actor_ids_by_key.setdefault(alias_key(alias), [])
                ids += [] if actor.id in ids else [actor.id]
            if a.get("state_of"):
                self.state_actors[a["state_of"]] = actor
            for alias in {a["name"], *a.get("aliases", [])}:
                exact = alias if alias.isupper() and len(alias) <= 6 else None
                for v in name_variants(alias):
                    entries.setdefault(v, []).append((exact, actor))
                    if a.get("common_noun") or (" " in v and exact is None and not v.startswith(("al ", "el "))):
                        self._any_case.add(v)
        for key, found in entries.items():
            self._automaton.add_word(key, (key, found))
        self._automaton.make_automaton()
        self._stop = {fold(w) for w in load_lexicon("stopnames")["words"]}
        self._place_nouns = {fold(w) for w in load_lexicon("stopnames")["place_nouns"]}

    def state_forces(self, country: str) -> Actor | None:
        """The actor that stands for a country's state forces: the gazetteer's ("Syrian government
        forces"), or ACLED's name for any other ("Military Forces of Mali")."""
        if country in self.state_actors:
            return self.state_actors[country]
        try:
            name = self.places.country(country).name
        except KeyError:
            return None
        actor = Actor(slug(f"Military Forces of {name}"), f"Military Forces of {name}", "state forces", name)
        self.state_actors[country] = actor
        self.actors.setdefault(actor.id, actor)
        self.actor_aliases.setdefault(actor.id, [actor.name])
        return actor

    def place_aliases(self, place_id: str) -> list[str]:
        return self.places.aliases(place_id)

    def find(self, text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> list[Mention]:
        """Longest, non-overlapping, word-bounded mentions of actors and places in text[start:end];
        an actor wins a tie. `folded` is fold(text), when the caller has it already."""
        end = len(text) if end is None else end
        haystack = folded[start:end].replace("-", " ") if folded is not None else match_text(text[start:end])
        actor_hits = self._actor_hits(text, start, haystack)
        # a name of arms beats a shorter place it overlaps: "The US-led coalition" is not "The US"
        hits = actor_hits + [
            h
            for h in self._place_hits(text, start, haystack)
            if not any(a[0] < h[1] and h[0] < a[1] and a[1] - a[0] > h[1] - h[0] for a in actor_hits)
        ]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), isinstance(h[3], Place)))
        chosen, taken = [], -1
        for hit in hits:
            if hit[0] >= taken:
                chosen.append(hit)
                taken = hit[1]
        spans = Spans([(start + h[0], start + h[1]) for h in chosen])
        return [
            Mention(start + s, start + e, surface, entity, others, alternates)
            for s, e, surface, entity, others, loose, alternates in chosen
            if not (loose and self._in_a_longer_name(text, start + s, start + e, spans))
        ]

    def _actor_hits(self, text: str, start: int, haystack: str) -> list[tuple]:
        hits: list[tuple] = []
        for last, (key, found) in self._automaton.iter(haystack):
            s, e = last - len(key) + 1, last + 1
            if s > 0 and (haystack[s - 1].isalnum() or _inside_word(haystack, s - 1)):
                continue
            e = _word_end(haystack, e)
            if e is None:
                continue
            surface = text[start + s : start + e]
            usable = [actor for exact, actor in found if exact is None or exact in surface]
            # names are proper nouns ("is", "said" are not IS, Said); a phrase or a common noun of arms is not one
            if usable and (key in self._any_case or any(c.isupper() for c in surface)):
                hits.append((s, e, surface, usable[0], (), False, frozenset()))
        return hits

    def _place_hits(self, text: str, start: int, haystack: str) -> list[tuple]:
        """Capitalised word sequences of the text that the place index knows, longest first at each
        word, as (start, end, surface, best place, other places, loose). A name that is also an
        ordinary word ("Mission", "Kerry") counts only where a place is expected ("in Mission");
        a demonym, an acronym, or a short first word of a longer name ("Tal" of "Tal Afar") does
        not count; `loose` marks a one-word town to check against the names around it."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(haystack)]
        spans: dict[str, list[tuple[int, int]]] = {}
        stripped: dict[str, list[tuple[int, int]]] = {}  # keys without a possessive "s": tried after the whole word
        for i, (s, _) in enumerate(words):
            if not _starts_name(text, start, haystack, words, i):
                continue
            for j in range(i, min(i + MAX_PLACE_WORDS, len(words))):
                if j > i and not _joins(haystack, text, start, words[j - 1][1], words[j]):
                    break
                e = words[j][1]
                key = " ".join(haystack[s:e].split())
                spans.setdefault(key, []).append((s, e))
                if haystack[e - 1] == "s" and not haystack[s:e].endswith("ss") and e - words[j][0] >= 6:
                    bare = key[:-2] if key.endswith("'s") else key[:-1]  # "Syrias", "Aleppo's"
                    stripped.setdefault(bare, []).append((s, e))
        found = self.places.lookup([*spans, *stripped])
        whole = {span for key in spans if key in found for span in spans[key]}
        hits = []
        demonyms = self.places.countries_by_demonym
        for key, places in found.items():
            if key in self._stop or key in demonyms:  # "Malian" is Mali's, not the Chinese town
                continue
            for s, e in spans.get(key, []) + [span for span in stripped.get(key, []) if span not in whole]:
                surface = text[start + s : start + e]
                usable = [r.place for r in places if not r.common or LOCATIVE.search(haystack, max(0, s - 40), s)]
                if not usable:
                    continue
                if (
                    len(surface) <= 5
                    and surface.isupper()
                    and usable[0].kind != "country"
                    and not text[start + max(0, s - 30) : start + e + 30].isupper()
                ):
                    continue  # an acronym in mixed-case text ("SANA" the agency, not Sanaa); "US", "UK" are countries
                if " " not in key and len(key) <= 4 and self._continues(text, start + e):
                    continue
                if not (_DIVISION_AFTER.match(haystack, e) or _DIVISION_BEFORE.search(haystack, max(0, s - 30), s)):
                    usable = _town_first(usable)
                # a town where no place is expected may be part of a person's name: checked in `find`
                # so may an ordinary word, even where a place is expected: "in the Artillery College"
                loose = (
                    usable[0].kind in ("city", "capital", "admin1")
                    and " " not in key
                    and not LOCATIVE.search(haystack, max(0, s - 40), s)
                    and not _IN_LIST.search(text, max(0, start + s - 80), start + s)
                ) or all(r.common for r in places)
                alternates = frozenset(r.place.id for r in places if r.alternate)
                hits.append((s, e, surface, usable[0], tuple(usable[1:]), loose, alternates))
        return hits

    def _in_a_longer_name(self, text: str, s: int, e: int, spans: Spans) -> bool:
        """Is a capitalised word right before (not a qualifier: "Northern") or right after (not a
        place noun: "Province", "Airport") that is not a name found itself ("Syria's Aleppo")? Then
        the match is part of a longer name, most often a person's: "Abdel Rahman", "Ivanka Trump"."""
        if _title_case(text[max(0, s - 60) : e + 60]):
            return False  # a headline capitalises every word: neighbours say nothing
        before = _PREVIOUS_NAME.search(text, max(0, s - 30), s)
        if (
            before
            and fold(before.group(1)) not in QUALIFIERS
            and not _sentence_start(text, before.start(1))
            and not spans.overlap(before.start(1), before.end(1))
        ):
            return True  # "Abdel Rahman", "President Assad", "National Unity"
        after = _NEXT_NAME.match(text, e)
        return (
            after is not None
            and fold(after.group(1)) not in self._place_nouns
            and not spans.overlap(after.start(1), after.end(1))
        )

    def _continues(self, text: str, end: int) -> bool:
        """Is the match followed by a capitalised word that is not a place noun ("Airport",
        "Province", "Monday")? Then the name goes on beyond what matched ("Tal Afar", "Ain Ali")."""
        m = _NEXT_NAME.match(text, end)
        return m is not None and fold(m.group(1)).removesuffix("'s") not in self._place_nouns


class Spans:
    """Sorted, non-overlapping spans, asked whether they overlap [a, b) in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def overlap(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.starts, b) - 1
        return i >= 0 and self.spans[i][1] > a


def _town_first(places: list[Place]) -> list[Place]:
    """ "Aleppo" alone is the city; "Aleppo province" the division of the same name. Where several
    divisions are so named, the name alone is the best-ranked town lying in one of them: "San Juan"
    is the capital of Puerto Rico, not the smaller seat of the Argentine province that outranks
    Puerto Rico's among the divisions; failing such a town, a town of the first division's country."""
    top = places[0]
    if top.kind != "admin1":
        return places
    divisions = {(p.country, p.name) for p in places if p.kind == "admin1"}
    towns = [p for p in places if p.kind in ("city", "capital")]
    town = next((p for p in towns if (p.country, p.admin1) in divisions), None) or next(
        (p for p in towns if p.country == top.country), None
    )
    return places if town is None else [town, *(p for p in places if p is not town)]


def _starts_name(text: str, start: int, haystack: str, words: list, i: int) -> bool:
    """A place name starts at a capitalised word, or at a particle before one ("al-Bukamal")."""
    s, e = words[i]
    if text[start + s].isupper():
        return True
    return (
        haystack[s:e] in PARTICLES
        and i + 1 < len(words)
        and text[start + words[i + 1][0]].isupper()
        and haystack[e : words[i + 1][0]].strip() == ""
    )


def _joins(haystack: str, text: str, start: int, prev_end: int, word: tuple[int, int]) -> bool:
    """Does `word` continue the name? Only spaces between, and a capital or a particle."""
    s, e = word
    if haystack[prev_end:s].strip() or "\n" in haystack[prev_end:s]:
        return False
    return text[start + s].isupper() or text[start + s].isdigit() or haystack[s:e] in PARTICLES | DIVISION_WORDS


# a capitalised word before a name, or before the Arabic article that opens it ("Jamiyat al Zahra")
_PREVIOUS_NAME = re.compile(r"\b([A-Z][a-z][\w']*)[ \t]+(?:(?:al|el|ad|ar|as|an|az)[ \t-])?$")


def _title_case(window: str) -> bool:
    words = re.findall(r"[A-Za-z]{4,}", window)
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _sentence_start(text: str, i: int) -> bool:
    """Is the word at `i` the first of a sentence (after a full stop, or at a line's start)?"""
    before = text[max(0, i - 3) : i].rstrip(" \t\"'\u201c")
    return not before or before[-1] in ".!?\n:"


_NEXT_NAME = re.compile(r"[ \t]+(?:(?:al|el|ad|ar|as|an|az)[ -])?([A-Z][\w']*)")


def _inside_word(haystack: str, i: int) -> bool:
    """An apostrophe between letters joins a word: "al-sina'a", "qa'im"."""
    return 0 < i < len(haystack) - 1 and haystack[i] == "'" and haystack[i - 1].isalpha() and haystack[i + 1].isalpha()


def _word_end(haystack: str, e: int) -> int | None:
    """The end of a match if it ends a word, allowing a possessive: "syria's", stripped "syrias"."""
    if _inside_word(haystack, e) and haystack[e + 1 : e + 2] != "s":
        return None
    if e == len(haystack) or not haystack[e].isalnum():
        if haystack[e : e + 2] == "'s" and (e + 2 == len(haystack) or not haystack[e + 2].isalnum()):
            return e + 2
        return e
    if haystack[e] == "s" and haystack[e - 1] != "s" and (e + 1 == len(haystack) or not haystack[e + 1].isalnum()):
        return e + 1
    return None


@cache
def load_gazetteer() -> Gazetteer:
    with (SEED / "gazetteer" / "actors.yaml").open(encoding="utf-8") as f:
        actors = yaml.safe_load(f)
    return Gazetteer(actors, load_places())


@cache
def organisation_words() -> tuple[frozenset[str], frozenset[str]]:
    names = load_lexicon("names")
    return frozenset(names["organisation_heads"]), frozenset(names["organisation_tails"])


# The word right before a name, over a particle or "of": "Failaq al-Sham", "Army of Islam", "Agence France".
_WORD_BEFORE = re.compile(r"\b([A-Z][\w'\u2019]*)[ \t]+(?:(?:of|al|el|ad|ar|as|az|ash|an)[ \t-]+)?(?:(?:al|el)-)?$")
# The capitalised words right after a name: "(US) Central Command", "(Euphrates) Shield".
_WORDS_AFTER = re.compile(r"(?:[ \t]+[A-Z][\w'\u2019]*){1,2}")


def in_organisation_name(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a place inside the name of an organisation, a unit or an operation? "Failaq
    al-Sham", "the Army of Islam", "Agence France Presse", "the US Central Command", "Euphrates Shield"."""
    heads, tails = organisation_words()
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before and fold(before.group(1)) in heads:
        return True
    after = _WORDS_AFTER.match(text, end)
    return bool(after and any(fold(w) in tails for w in after.group(0).split()))
