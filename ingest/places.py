"""Where an event happened: the places its clause names where things happen ("in", "at", "near"),
not launch sites or owners; names the gazetteer knows by another spelling; and, for an event
placed only in a country, the place the article is about."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.gazetteer import (
    SEAT_OR_SPONSOR_AFTER,
    Mention,
    in_organisation_name,
    load_gazetteer,
    organisation_words,
    slug,
)
from ingest.geo import Place
from ingest.lexicon import load_lexicon
from ingest.model import Event
from ingest.text import fold


def home_countries(mentions: list[Mention], folded_text: str) -> list[str]:
    """The countries the article is about, most first: those whose places it names, by how
    often; then those only its demonyms name ("the Syrian army ... in Deir Ezour")."""
    places = Counter(m.entity.country for m in mentions if isinstance(m.entity, Place) and m.entity.country)
    demonyms = load_gazetteer().places.countries_by_demonym
    named = Counter(demonyms[w] for w in re.findall(r"[a-z]+", folded_text) if w in demonyms)
    ranked = [c for c, _ in places.most_common()]
    return ranked + [c for c, _ in named.most_common() if c not in places]


def place_by_focus(text: str, events: list[Event], mentions: list[Mention], datelines: list[Place]) -> None:
    """An event placed only in a country, or nowhere, is placed at the article's focus: the
    place inside that country (or anywhere) it names most, the earliest on a tie; failing that,
    the dateline's. A report of one incident names its town several times and "Syria" in passing."""
    named = [
        m.entity
        for m in mentions
        if isinstance(m.entity, Place)
        and m.entity.kind not in ("country", "unresolved")
        and not _owner_by_possessive(text, m)  # "Russias intervention", "Madaya evacuees": no scene anywhere
        and not _origin_of_people(text, m)
    ]
    counts = Counter(p.id for p in named)
    by_id = {p.id: p for p in named}
    first = {pid: i for i, pid in reversed(list(enumerate(p.id for p in named)))}

    def focus(country: str | None) -> Place | None:
        options = [pid for pid in counts if country is None or by_id[pid].country == country]
        if options:
            return by_id[max(options, key=lambda pid: (counts[pid], -first[pid]))]
        return next((p for p in datelines if country is None or p.country == country), None)

    for event in events:
        if all(p.kind in ("country", "unresolved") for p in event.places):
            # a village the gazetteer lacks ("in Tal al-Senowbarat") lies in the area the report is about
            unresolved = [p for p in event.places if p.kind == "unresolved"]
            countries = [p.country for p in event.places if p.kind == "country"] or [None]
            found = [f for f in map(focus, countries) if f is not None]
            if found:
                event.places = unresolved + found


def event_places(text: str, mentions: list[Mention]) -> list[Place]:
    """Places of one event, in the order named. Where it happened is what follows "in/at/near";
    a launch site ("from Iran") and an owner ("Iran's Supreme Leader") are not where it happened.
    A country is dropped when a place inside it is named."""
    named = [m for m in mentions if isinstance(m.entity, Place)]
    chosen = [
        m
        for m in named
        if not _FROM.search(text, max(0, m.start - 20), m.start)
        and not _OWNER.match(text, m.end)
        and not _owner_by_possessive(text, m)
        and not _origin_of_people(text, m)
    ] or [m for m in named if not _owner_by_possessive(text, m) and not _origin_of_people(text, m)]
    if any(_LOCATED.search(text, max(0, m.start - 40), m.start) for m in chosen):  # a country merely named goes
        chosen = [
            m for m in chosen if m.entity.kind != "country" or _LOCATED.search(text, max(0, m.start - 40), m.start)
        ]
    places = list({m.entity.id: m.entity for m in reversed(chosen) if isinstance(m.entity, Place)}.values())[::-1]
    specific = {p.country for p in places if p.kind != "country"}
    return [p for p in places if p.kind != "country" or p.country not in specific]


_LOCATED = re.compile(
    r"\b(?:in|at|near|into|on|outside|around|across|inside)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|district|province|region|area|suburb|neighbou?rhood|countryside)\s+of\s+)?"
    r"(?:[A-Z][\w-]*(?:'s|\u2019s|s)\s+)?$"
)
_FROM = re.compile(r"\b(?:from|border with)\s+(?:the\s+)?$")  # a launch site; the far side of a border
_OWNER = re.compile(
    r"(?:'s|\u2019s)?\s+(?:supreme|president|prime|foreign|defen[cs]e|interior|minister|ministry|"
    r"leader|government|army|military|forces|troops|officials?|embassy|state media|news agency)\b",
    re.IGNORECASE,
)


def _owner_by_possessive(text: str, m: Mention) -> bool:
    """ "Russia's intervention", "Ankaras offensive" (the apostrophe stripped): a place in the possessive
    before a common noun owns what follows; it is the scene only before a word of place ("Syria's north",
    "Aleppos outskirts", "Syrias largest city") or a name ("Aleppos Castello Road")."""
    surface = m.surface
    if not surface.endswith(("'s", "\u2019s")) and not (
        surface.endswith("s") and isinstance(m.entity, Place) and _named_without_s(surface, m.entity)
    ):
        return False
    word = _NEXT_WORD.match(text, m.end)
    return word is not None and fold(word.group(1)) not in _scene_words()


def _origin_of_people(text: str, m: Mention) -> bool:
    """ "Madaya evacuees said they heard the blast", "evacuees from the towns of Fuaa and Kafraya were
    killed ... west of Aleppo": where people came from is not where it happened."""
    word = _NEXT_WORD.match(text, m.end)
    return (word is not None and fold(word.group(1)) in _origin_nouns()) or bool(
        _people_from().search(text, max(0, m.start - 80), m.start)
    )


@cache
def _people_from() -> re.Pattern:
    """Before a place: who came from it ("evacuees from the northern towns of Fuaa and", "fled from")."""
    nouns = "|".join(map(re.escape, sorted(_origin_nouns())))
    return re.compile(
        r"\b(?i:" + nouns + r"|evacuated|fled|fleeing|escaped|escaping)\s+from\s+(?i:the\s+)?"
        r"(?:[a-z][\w-]*\s+){0,2}?(?:(?:towns?|villages?|cities|city|areas?|camps?)\s+of\s+)?"
        r"(?:[A-Z][\w'-]*\s+and\s+)?$"
    )


@cache
def _origin_nouns() -> frozenset[str]:
    return frozenset(load_lexicon("names")["origin_nouns"])


_NEXT_WORD = re.compile(r"[ \t]+([a-z][\w-]*)")


def _named_without_s(surface: str, place: Place) -> bool:
    """Is "Ankaras" Ankara's name with a stripped possessive, not a name ending in s ("Homs")?"""
    names = {fold(place.name)} | {fold(a) for a in load_gazetteer().place_aliases(place.id)}
    return fold(surface[:-1]) in names and fold(surface) not in names


@cache
def _scene_words() -> frozenset[str]:
    return frozenset(load_lexicon("names")["scene_after_possessive"])


# A name where a place is expected: "in Hass", "near the town of Hass", "in eastern Syria's Deir az-Zour".
_CANDIDATE = re.compile(
    r"\b(?P<prep>in|at|near|outside|around|into|of)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west)(?:ern)?\s+)?"
    r"(?:[A-Z]\w+(?:'s|\u2019s|s)\s+(?=[A-Z]))?"
    r"(?P<name>(?:(?:al|el|Al|El|Ad|Ar|As)-)?[A-Z][\w'\u2019]+"
    r"(?:[\s-]+(?:(?:al|el|Al|ez|az|ad|ar|as|es)[\s-]+)?[A-Z][\w'\u2019]+){0,2})"
)


def spelt_places(text: str, start: int, end: int, mentions: list[Mention], countries: list[str]) -> list[Place]:
    """Capitalised names after "in/at/near" that the gazetteer does not know by that spelling:
    a place of one of the article's main countries spelt alike ("Raqa", "Deir Ezour") is that place; any other
    is kept, marked unresolved (no coordinates), rather than dropped."""
    stop = _stop_words()
    out: list[Place] = []
    for m in _CANDIDATE.finditer(text, start, end):
        name = m["name"]
        first = re.sub(r"^(?:al|el|ad|ar|as)-", "", name, flags=re.IGNORECASE).split()[0]
        if re.sub(r"(?:'s|s)$", "", fold(first)) in stop or fold(first) in stop:  # "Saturday's", "Wednesdays"
            continue
        if any(x.start < m.end("name") and m.start("name") < x.end for x in mentions):
            continue  # a name found already, as a place or an actor
        if SEAT_OR_SPONSOR_AFTER.match(text, m.end("name")) or seat_before(text, m.start("name")):
            continue  # "the US-backed SDF", "the defense ministry in Moscow"
        if m["prep"] == "of" and not _place_before_of().search(text, max(0, m.start() - 30), m.start()):
            continue  # "workers of the Civil Defence", "the Army of Islam": "of" leads to a place after "the town"
        if in_organisation_name(text, m.start("name"), m.end("name")) or fold(first) in organisation_words()[0]:
            continue  # "Jeish al-Fatah", "Agence France Presse"
        # the article's main countries, most first: "Raqa" in a report that names Mosul more than Syria
        place = next(filter(None, (load_gazetteer().places.spelt_alike(name, c) for c in countries[:3])), None)
        place = place or Place(f"u:{slug(name)}", name, None, None, None, None, 0, "unresolved")
        if all(p.id != place.id for p in out):
            out.append(place)
    return out


# "the defense ministry in Moscow said": the seat of who speaks or governs, not a scene
_SEAT_BEFORE = re.compile(
    r"\b(?:ministry|ministries|government|embassy|consulate|parliament|headquarters|spokes(?:man|woman|person))"
    r"(?:\s+of\s+[\w-]+)?\s+in\s+$",
    re.IGNORECASE,
)


def seat_before(text: str, start: int) -> bool:
    """Is the name at `start` the seat of a ministry, an embassy or a government ("the ministry in Moscow")?"""
    return bool(_SEAT_BEFORE.search(text, max(0, start - 40), start))


@cache
def _place_before_of() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, load_lexicon("names")["place_before_of"]), key=len, reverse=True))
    return re.compile(r"\b(?:" + words + r")\s+$", re.IGNORECASE)


@cache
def _stop_words() -> set[str]:
    """Capitalised words that start sentences or name things other than places."""
    from ingest.dates import MONTHS, WEEKDAYS

    words = {fold(w) for w in load_lexicon("stopnames")["words"]}
    return (
        words
        | set(MONTHS)
        | set(WEEKDAYS)
        | {
            "the",
            "this",
            "that",
            "these",
            "those",
            "its",
            "his",
            "her",
            "their",
            "our",
            "a",
            "an",
            "it",
            "he",
            "she",
            "they",
            "we",
            "i",
            "said",
            "according",
            "english",
            "arabic",
            "twitter",
            "facebook",
            "telegram",
        }
    )
