"""Where an event happened: the places its clause names where things happen ("in", "at", "near"),
not launch sites or owners; names the gazetteer knows by another spelling; and, for an event
placed only in a country, the place the article is about."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.gazetteer import (
    QUALIFIERS,
    Actor,
    Mention,
    in_organisation_name,
    load_gazetteer,
    names_a_side,
    organisation_words,
    slug,
)
from ingest.geo import Place, skeleton
from ingest.lexicon import load_lexicon
from ingest.model import Event
from ingest.text import alias_key, fold


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
        and not _destination(text, m)
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
        and not _destination(text, m)
    ] or [
        m
        for m in named
        if not _owner_by_possessive(text, m) and not _origin_of_people(text, m) and not _destination(text, m)
    ]
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
# a launch site ("from", "terrorists positioned in Bustan al-Qaser fired shells on ..."); the far side of a border
_FROM = re.compile(
    r"\b(?:from|border with|(?:positioned|stationed|entrenched|holed up|deployed)\s+in)\s+(?:the\s+)?"
    r"(?:(?:towns?|city|cities|villages?|areas?|district|neighbou?rhoods?)\s+of\s+)?$"
)
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


def _destination(text: str, m: Mention) -> bool:
    """ "a convoy waiting to cross into government-held Aleppo", "families on their way to Idlib":
    where people were going is not where it happened to them."""
    return bool(_going_to().search(text, max(0, m.start - 60), m.start))


@cache
def _going_to() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, load_lexicon("names")["destination_before"]), key=len, reverse=True))
    # one word may qualify the place ("government-held Aleppo", "the northern province of Idlib")
    return re.compile(
        r"\b(?:" + words + r")\s+(?:the\s+)?(?:[a-z][\w-]*\s+)?"
        r"(?:(?:towns?|city|villages?|province|region|areas?|camps?)\s+of\s+)?$",
        re.IGNORECASE,
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
        if names_a_side(text, m.start("name"), m.end("name")) or seat_before(text, m.start("name")):
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


# A name of a part of a city: up to four capitalised words, with Arabic articles between ("Saif
# al-Dawleh", "Bab Touma", "al-Qusour").
_PART_NAME = (
    r"(?:(?:al|el|Al|El)-)?[A-Z][\w'\u2019]*(?:[ -](?:(?:al|el|Al|El|ad|ar|as|az|ash)[ -])?[A-Z][\w'\u2019]*){0,3}"
)


@cache
def _district_patterns() -> tuple[re.Pattern, re.Pattern, frozenset[str]]:
    nouns = load_lexicon("names")["district_nouns"]
    words = "|".join(sorted(nouns["strong"] + nouns["weak"], key=len, reverse=True))
    # "Salah Eddin neighborhood", "al-Qusour and al-Joura neighborhoods"
    named_before = re.compile(rf"(?P<name>{_PART_NAME})(?:\s+and\s+(?P<also>{_PART_NAME}))?\s+(?P<noun>(?i:{words}))\b")
    # "the district of Alwaer", "the neighbourhood of Bab Touma"
    named_after = re.compile(rf"\b(?P<noun>{words})\s+of\s+(?P<name>{_PART_NAME})")
    return named_before, named_after, frozenset(nouns["strong"])


@cache
def _facility_pattern() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, load_lexicon("names")["facility_nouns"]), key=len, reverse=True))
    return re.compile(rf"(?P<name>{_PART_NAME})\s+(?P<noun>(?i:{words}))\b")


def with_facilities(text: str, mentions: list[Mention]) -> list[Mention]:
    """A road, a hospital or a garage named like a town abroad ("the Castello Road", "the al-Razi
    hospital" in an article about Aleppo) is no town abroad: the facility is a part of the city the
    text puts it in ("the Castello Road in Aleppo"), else a name without a place, which the event
    then takes from the article's focus (`place_by_focus`). A name of a country the article is
    about otherwise ("Aleppo airport", "the Damascus road") keeps its town."""
    folded = fold(text)
    out = list(mentions)
    for m in _facility_pattern().finditer(text):
        start, end = m.start("name"), m.end("name")
        inside = [x for x in out if x.start < end and start < x.end]
        places = [x for x in inside if isinstance(x.entity, Place)]
        if not places or any(isinstance(x.entity, Actor) for x in inside):
            continue
        # the article's countries, told by its other places: not by this name, nor by "the city" read as it
        named = {x.entity.id for x in places}
        home = home_countries([x for x in out if not (isinstance(x.entity, Place) and x.entity.id in named)], folded)
        if not home or any(x.entity.country in home or x.start < start or x.end > end for x in places):
            continue  # "Aleppo airport": a town of the article's country; "Aleppos Castello Road": a district
        name = text[start : m.end("noun")]
        city = _city_of(text, m.end(), start, out)
        if city is not None and city.country in home:
            part = Place(f"{city.id}/{slug(name)}", name, city.country, city.admin1, city.lat, city.lon, 0, "district")
        else:
            part = Place(f"u:{slug(name)}", name, None, None, None, None, 0, "unresolved")
        out = [x for x in out if x not in places] + [Mention(start, m.end("noun"), name, part)]
        # the name alone, or "the city" read as that town, still means the facility in this article
        out = [
            Mention(x.start, x.end, x.surface, part) if isinstance(x.entity, Place) and x.entity.id in named else x
            for x in out
        ]
    return sorted(out, key=lambda x: x.start)


_CITY_AFTER = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$")
NEAR_CITY = 120  # characters within which the city a part is of is named, when not right after it


def with_districts(text: str, mentions: list[Mention]) -> list[Mention]:
    """Parts of cities the gazetteer lacks, as places inside their city: "the Salah Eddin
    neighbourhood in Aleppo city", "the district of Alwaer in Homs", "Aleppos Ramousseh district".
    Two strikes on two neighbourhoods of one city are two incidents, and a neighbourhood named like
    a town abroad ("the Sulaymaniyah neighbourhood of Aleppo") is no town abroad. The city is the one
    named right after ("in Aleppo") or before ("Aleppos"), else the nearest town named within the
    clause; a part whose city is not named stays a name without a place."""
    named_before, named_after, strong = _district_patterns()
    out = list(mentions)
    for m in [*named_before.finditer(text), *named_after.finditer(text)]:
        strong_noun = m["noun"].lower() in strong
        for group in ("name", "also"):
            if group not in m.groupdict() or m[group] is None:
                continue
            start, end = m.start(group), m.end(group)
            inside = [x for x in out if x.start < end and start < x.end]
            if any(isinstance(x.entity, Actor) for x in inside):
                continue  # "the Nusra Front district": an actor's name
            if m.re is named_after and any(isinstance(x.entity, Place) and x.start == start for x in inside):
                continue  # "the eastern neighbourhoods of Aleppo City": the city itself
            # "Aleppos Ramousseh district": a town that opens the name is the city it is a part of
            opener = next(
                (x for x in inside if x.start <= start and x.end < end and _is_town(x.entity) and _possessive(x)), None
            )
            if opener is not None:
                start = opener.end + len(text[opener.end : end]) - len(text[opener.end : end].lstrip())
                inside = [x for x in inside if x is not opener]
            name = text[start:end]
            if _stop_words() & {fold(w) for w in name.split()[:1]}:
                continue  # "Tuesday district", "The neighbourhood"
            city = _town_of(opener) if opener is not None else _city_of(text, m.end(), start, out)
            if city is None:
                continue
            known = [x for x in inside if isinstance(x.entity, Place)]
            if not strong_noun and any(
                x.start <= start and end <= x.end and x.entity.country == city.country for x in known
            ):
                continue  # "Jisr al-Shughur district": the division around a town, not a part of a city
            part = Place(f"{city.id}/{slug(name)}", name, city.country, city.admin1, city.lat, city.lon, 0, "district")
            out = [x for x in out if x not in inside] + [Mention(start, end, name, part)]
    return sorted(out, key=lambda x: x.start)


def _possessive(m: Mention) -> bool:
    """ "Aleppo's", "Aleppos" (the apostrophe stripped), not "Homs" nor "Bustan"."""
    surface = fold(m.surface)
    return surface.endswith(("'s", "\u2019s")) or (surface.endswith("s") and not fold(m.entity.name).endswith("s"))


def _is_town(entity: Actor | Place) -> bool:
    return isinstance(entity, Place) and entity.kind in ("city", "capital")


def _town_of(m: Mention) -> Place | None:
    return m.entity if isinstance(m.entity, Place) and _is_town(m.entity) else None


def _city_of(text: str, after: int, before: int, mentions: list[Mention]) -> Place | None:
    """The town a part of a city is in: named right after the part ("neighbourhood in Aleppo city"),
    else the nearest one named within the clause around it."""
    towns = [m for m in mentions if _is_town(m.entity)]
    right_after = next(
        (m for m in towns if m.start >= after and _CITY_AFTER.search(text, after, m.start) is not None), None
    )
    if right_after is not None and _CITY_AFTER.fullmatch(text[after : right_after.start]):
        return _town_of(right_after)
    near = [
        m
        for m in towns
        if (before - NEAR_CITY <= m.end <= before and "." not in text[m.end : before])
        or (after <= m.start <= after + NEAR_CITY and "." not in text[after : m.start])
    ]
    nearest = min(near, key=lambda m: min(abs(m.start - after), abs(before - m.end)), default=None)
    return _town_of(nearest) if nearest is not None else None


# After a word that expects a place, a run of capitalised names, listed with or without commas and
# "and" ("the towns of Rastan Talbeesah and Zafarana": the data set stripped the commas).
_NAME_WORD = r"(?:(?:al|el|Al|El|ad|ar|as|az|ash)[ -])?[A-Z][\w'\u2019]*"
_PLACE_RUN = re.compile(
    r"\b(?P<prep>in|at|near|outside|around|into|of)\s+(?:the\s+)?"
    rf"(?P<run>{_NAME_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*|[ \t]+and[ \t]+|-){_NAME_WORD})*)"
)
_LIST_BREAK = re.compile(r"[ \t]*,[ \t]*|[ \t]+and[ \t]+")
MAX_NAME_WORDS = 4


# a word of a list of towns, and the list: names, and "and" or a comma between them
LIST_WORD = r"(?:(?:al|el|Al|El|ad|ar|as|az|ash)-)?[A-Z][\w'\u2019-]*"
LIST_BODY = re.compile(rf"{LIST_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*|[ \t]+and[ \t]+){LIST_WORD})*")


def commas_lost(text: str, start: int) -> bool:
    """Has the list of names from `start` lost its commas, as some data sets strip them? The list's
    own words tell first: a comma among its names keeps them, and an "and" before its last name with
    names side by side before it and no comma loses them ("Binnish Saraqib and Taftanaz": a kept list
    is "Binnish, Saraqib and Taftanaz"), whatever comma the sentence has after the list ("..., activists
    said"). A list with neither ("the towns of Binnish Saraqib") is told by the text: a comma anywhere
    keeps them."""
    body = LIST_BODY.match(text, start)
    if body is None:
        return "," not in text
    if "," in body.group():
        return False
    before_and = re.split(r"[ \t]+and[ \t]+", body.group())[:-1]
    if any(len(re.findall(LIST_WORD, part)) > 1 for part in before_and):
        return True
    return "," not in text


def spelt_mentions(text: str, mentions: list[Mention], countries: list[str]) -> list[Mention]:
    """The mentions, with the names where a place is expected that the gazetteer knows by another
    spelling: "in Talbeesah" is Tallbisah, "the towns of Jisr al-Shaghour and Binnish" names Jisr
    al-Shughur. A run of names without commas is read as the longest known names in turn ("Rastan
    Talbeesah Ter Maaleh": Rastan, Tallbisah, and a name not known), so that a list of towns gives
    each its own place. Only a place of the article's main country is taken, and only one that no
    other place of that country is spelt like (`PlaceIndex.spelt_alike`)."""
    if not countries:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    added: list[Mention] = []
    for run in _PLACE_RUN.finditer(text):
        if run["prep"] == "of" and not _place_before_of().search(text, max(0, run.start() - 30), run.start()):
            continue
        # names side by side are a list only in a text stripped of its commas; where commas are kept,
        # they are one name ("in Baghazi Ayyash area" is neither Baghuz nor Ayyash)
        one_name = not commas_lost(text, run.start("run"))
        pos = run.start("run")
        for chunk in _LIST_BREAK.split(run["run"]):
            words = [(pos + w.start(), pos + w.end()) for w in re.finditer(_NAME_WORD, chunk)]
            pos += len(chunk)
            gap = _LIST_BREAK.match(text, pos)
            pos = gap.end() if gap else pos
            # names are read from the chunk's start, each known one after the other; an unknown
            # word ends the reading, for a longer name may go on from it ("Tal Halaf" is no Halfaya)
            i = 0
            while i < len(words):
                known = next((b for a, b in taken if a <= words[i][0] < b), None)
                if known is not None:  # a name found already, as a place or an actor
                    i = next((k for k in range(i, len(words)) if words[k][0] >= known), len(words))
                    continue
                found = _spelt_at(text, words, i, taken, countries, whole=one_name)
                if found is None:
                    break
                i, mention = found
                added.append(mention)
                taken.append((mention.start, mention.end))
    return sorted(mentions + added, key=lambda m: m.start)


def _spelt_at(
    text: str, words: list[tuple[int, int]], i: int, taken: list[tuple[int, int]], countries: list[str], whole: bool
) -> tuple[int, Mention] | None:
    """The longest name starting at word i that a place of the main country is spelt like, and the
    word after it; with `whole`, only the name of all the words left."""
    places, stop = load_gazetteer().places, _stop_words()
    longest = min(len(words), i + MAX_NAME_WORDS)
    for j in range(longest, i, -1) if not whole else ([len(words)] if len(words) == longest else []):
        start, end = words[i][0], words[j - 1][1]
        if any(a < end and start < b for a, b in taken):
            continue
        name = text[start:end]
        first = fold(re.sub(r"^(?:al|el|ad|ar|as|az|ash)[ -]", "", name, flags=re.IGNORECASE).split()[0])
        qualified = first in stop and j - i > 1 and first in QUALIFIERS
        if first in stop and not qualified:
            continue  # "North" alone is no place
        if j - i == 1 and j < len(words) and fold(name) in name_openers():
            continue  # "Maaret" before more words opens a longer name ("Maaret Alartiq"), is none alone
        if j < len(words) and _ARTICLE_JOINED.match(text, words[j][0]):
            continue  # "Orum al-Kubra": the article joins the next word to the name
        if len(skeleton(alias_key(name))) < MIN_SKELETON:
            continue  # "Orum": too few letters to tell one spelling of a name from another name
        place = places.spelt_alike(name, countries[0])
        if place is not None and (not qualified or place.kind == "admin1"):
            # a compass word opens the name of a division ("North Sinai" is Shamal Sina'); before a
            # town's it only says which part ("East Ghota of Damascus" is told of Damascus)
            return j, Mention(start, end, name, place)
    return None


@cache
def name_openers() -> frozenset[str]:
    """Words that open a town's name where Arabic names it ("Tel", "Kafr", "Maaret")."""
    return frozenset(load_lexicon("names")["name_openers"])


_ARTICLE_JOINED = re.compile(r"(?:al|el|ad|ar|as|az|ash)-", re.IGNORECASE)
MIN_SKELETON = 3
