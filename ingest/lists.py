"""The towns a list names, the gazetteer's and those it lacks: "the nearby towns of Rastan Talbeesah
Ter Maaleh and Zafarana" names four towns though only two are known. Each listed town is the scene of an
incident of its own (`ingest.extract`), the unknown ones as well as the known."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.dates import MONTHS, WEEKDAYS
from ingest.gazetteer import LIST_OPENER, Mention, Place, load_gazetteer, slug
from ingest.geo import MAJOR_CITY
from ingest.lexicon import load_lexicon
from ingest.places import LIST_BODY, LIST_WORD, commas_lost, name_openers
from ingest.text import alias_key, fold

_SEPARATOR = re.compile(r"[ \t]*,[ \t]*|[ \t]+and[ \t]+")
_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|az|ash)-", re.IGNORECASE)
# the article written into the word, as some transliterations do ("Alkubra" for "al-Kubra")
_GLUED_ARTICLE = re.compile(r"(?:Al|El)(?=[a-z]{3,}\b)")
OPENER_REACH = 80  # characters from a list's first known town back to what opens the list
MAX_NAME_WORDS = 3  # words of an unknown name in a list


def listed_towns(text: str, known: list[Mention], mentions: list[Mention]) -> list[tuple[int, Place]]:
    """(offset, place) of each town of the list that holds the mentions `known` (a run of listed
    towns, in text order), the names the gazetteer lacks marked unresolved. A list is opened by
    "the towns of" and runs on over capitalised names; it ends at a name known as anything but a
    town (a source, an actor). Where the text lost its commas, names are told apart by how Arabic
    forms them (`_cut_names`). A name known only as a town of another country than the list's is
    a town the gazetteer lacks ("Sahab" among villages of Idlib is no town of Jordan), and so is a
    known name after an opener ("Tel Rastan" is no Rastan)."""
    if not known:
        return []
    first = known[0].start
    body = None
    for opened in LIST_OPENER.finditer(text[max(0, first - OPENER_REACH) : first]):
        start = max(0, first - OPENER_REACH) + opened.end()
        body = LIST_BODY.match(text, start)
        if body is not None and body.end() >= known[-1].end:
            break
        body = None
    if body is None:
        return []
    country = _most_towns_country(known)
    regions = {m.entity.admin1 for m in known if isinstance(m.entity, Place)}
    places = [m for m in mentions if isinstance(m.entity, Place) and body.start() < m.end]
    others = [m for m in mentions if not isinstance(m.entity, Place) and body.start() < m.end]
    end = min([body.end()] + [m.start for m in others if m.start < body.end()])
    commas_kept = not commas_lost(text, body.start())
    # each name of the list: its words, and the place the gazetteer knows it as (None: unknown)
    names: list[tuple[list[tuple[int, int]], Place | None]] = []
    previous_end = body.start()
    for w in re.finditer(LIST_WORD, text[:end]):
        if w.start() < previous_end:
            continue  # before the list, or a later word of a known name
        gap = text[previous_end : w.start()]
        if fold(w.group()) in _stop_words():
            break  # "the towns of Azaz and Marea Sunday": the list has ended
        joined = bool(names) and not _SEPARATOR.search(gap)
        words, place = names[-1] if names else ([], None)
        here = next((m for m in places if m.start <= w.start() < m.end), None)
        town = here.entity if here is not None and isinstance(here.entity, Place) else None
        previous_end = here.end if here is not None else w.end()
        span = (w.start(), previous_end)
        if town is not None:
            article = _ARTICLE.match(text, span[0]) or _glued_article(w.group())
            if joined and place is None and (_opens_name(text, words[-1]) or article):
                # "Tel Rastan", "Qurqur Alrastan": a longer name than the known one
                words.append(span)
            elif _small_town_abroad(town, country):
                names.append(([span], None))  # "Sahab" among towns of Syria: a town of Syria, not Jordan
            elif joined and commas_kept:
                # "Binnish Saraqib," where commas are kept: one name misread as two, that the gazetteer lacks
                names[-1] = ([*words, span], None)
            else:
                names.append(([span], town))
        elif joined and place is not None and _ARTICLE.match(w.group()):
            continue  # "Halab al-Jadida": the article joins the word to the known name
        elif joined and place is None:
            words.append(span)  # a stretch of unknown words, cut into names below
        else:
            names.append(([span], None))
    out: list[tuple[int, Place]] = []
    for words, place in names:
        if place is not None:
            out.append((words[0][0], place))
        else:
            out += [_spelt_or_unresolved(text, name, country, regions) for name in _cut_names(text, words, commas_kept)]
    return out


def _most_towns_country(known: list[Mention]) -> str | None:
    """The country most of the list's known towns are in, if more than half are: "the towns of
    Reyhanli Binnish and Saraqib" are Syrian towns after a Turkish one, not Turkish towns the
    gazetteer lacks. With no majority, no country is the list's."""
    countries = Counter(m.entity.country for m in known if isinstance(m.entity, Place))
    if not countries:
        return None
    country, count = countries.most_common(1)[0]
    return country if 2 * count > countries.total() else None


def _glued_article(word: str) -> bool:
    """Is the word the Arabic article written into a known name ("Alrastan": al- and Rastan)? Not
    a name that merely starts with the letters ("Aleppo", "Elbistan"): the rest must be a known
    name, and the whole word a name of no other place."""
    glued = _GLUED_ARTICLE.match(word)
    if glued is None:
        return False
    rest, whole = alias_key(word[glued.end() :]), alias_key(word)
    readings = load_gazetteer().places.lookup([rest, whole])
    rest_places = {r.place.id for r in readings.get(rest, [])}
    return bool(rest_places) and {r.place.id for r in readings.get(whole, [])} <= rest_places


def _small_town_abroad(town: Place, country: str | None) -> bool:
    """Is the known town in another country than the list's, and too small to be named among
    foreign towns for its own sake? A list names neighbours: a Syrian village spelt like a Jordanian
    town is the village; Geneva among French cities is Geneva."""
    return (
        country is not None
        and town.country not in (None, country)
        and town.kind != "capital"
        and town.population < MAJOR_CITY
    )


def _opens_name(text: str, word: tuple[int, int]) -> bool:
    return fold(text[word[0] : word[1]]) in name_openers()


def _cut_names(text: str, words: list[tuple[int, int]], commas_kept: bool) -> list[list[tuple[int, int]]]:
    """The names in a stretch of unknown words of a comma-less list. A word that opens town names
    starts one ("Teldo Tel Dahab": Teldo, Tel Dahab). Two words are one name, which cannot be told
    from two ("Ter Maaleh"); a longer stretch is a name a word, an opener with the word after it,
    and a word with the Arabic article ("al-Kubra", "Alkubra") with the word before it: "Maaret
    Aljadida Orum Alkubra Babees" is Maaret Aljadida, Orum Alkubra and Babees. Where the text keeps
    its commas, words side by side are one name."""
    parts: list[list[tuple[int, int]]] = []
    for w in words:
        if parts and not _opens_name(text, w):
            parts[-1].append(w)
        else:
            parts.append([w])
    names: list[list[tuple[int, int]]] = []
    for part in parts:
        if len(part) <= 2 or commas_kept:
            names.append(part)
            continue
        for i, w in enumerate(part):
            after_opener = i > 0 and len(names[-1]) == 1 and _opens_name(text, names[-1][0])
            if i > 0 and (after_opener or _ARTICLE.match(text, w[0]) or _GLUED_ARTICLE.match(text, w[0])):
                names[-1].append(w)
            else:
                names.append([w])
    return [name for name in names if len(name) <= MAX_NAME_WORDS]


@cache
def _stop_words() -> frozenset[str]:
    """Capitalised words that name no town: the list has ended ("... and Zafarana Sunday")."""
    return frozenset({fold(w) for w in load_lexicon("stopnames")["words"]} | set(MONTHS) | set(WEEKDAYS))


def _spelt_or_unresolved(
    text: str, words: list[tuple[int, int]], country: str | None, regions: set[str | None]
) -> tuple[int, Place]:
    """The town spelt like the name ("Talbeesah" is Tallbisah) in a province of the list's known
    towns, else the name marked unresolved: a list names neighbours, and a name spelt like a town
    of a far province is more likely a village the gazetteer lacks."""
    name = text[words[0][0] : words[-1][1]]
    place = load_gazetteer().places.spelt_alike(name, country) if country else None
    if place is not None and place.kind not in ("country", "admin1") and place.admin1 in regions:
        return words[0][0], place
    return words[0][0], Place(f"u:{slug(name)}", name, None, None, None, None, 0, "unresolved")
