"""The towns a list names that the gazetteer lacks: "the nearby towns of Rastan Talbeesah Ter Maaleh
and Zafarana" names four towns though only two are known. Each listed town is the scene of an
incident of its own (`ingest.extract`), the unknown ones as well as the known."""

from __future__ import annotations

import re
from functools import cache

from ingest.dates import MONTHS, WEEKDAYS
from ingest.gazetteer import Mention, Place, slug
from ingest.lexicon import load_lexicon
from ingest.places import name_openers
from ingest.text import fold

# What opens a list of towns: "the towns of", "the nearby villages of", "the neighbourhoods of"
_OPENER = re.compile(r"\b(?:towns|villages|cities|neighbou?rhoods|districts|suburbs)\s+of\s+(?:the\s+)?", re.IGNORECASE)
_WORD = r"(?:(?:al|el|Al|El|ad|ar|as|az|ash)-)?[A-Z][\w'\u2019-]*"
# a list's words: names, and "and" or a comma between them
_BODY = re.compile(rf"{_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*|[ \t]+and[ \t]+){_WORD})*")
_SEPARATOR = re.compile(r"[ \t]*,[ \t]*|[ \t]+and[ \t]+")
_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|az|ash)-", re.IGNORECASE)
OPENER_REACH = 80  # characters from a list's first known town back to what opens the list
MAX_NAME_WORDS = 3  # words of an unknown name in a list


def unknown_listed(text: str, known: list[Mention], mentions: list[Mention]) -> list[tuple[int, Place]]:
    """(offset, place marked unresolved) of each name the gazetteer lacks in the list of towns that
    holds the mentions `known` (a run of listed towns, in text order). A list is opened by "the towns
    of" and runs on over capitalised names; it ends at a name known as anything but a town (a
    source, an actor). Where the text lost its commas, an unknown stretch of names is cut before a
    word that opens town names ("Teldo Tel Dahab": Teldo, Tel Dahab)."""
    if not known:
        return []
    first = known[0].start
    body = None
    for opened in _OPENER.finditer(text[max(0, first - OPENER_REACH) : first]):
        start = max(0, first - OPENER_REACH) + opened.end()
        body = _BODY.match(text, start)
        if body is not None and body.end() >= known[-1].end:
            break
        body = None
    if body is None:
        return []
    known_spans = [(m.start, m.end) for m in mentions if isinstance(m.entity, Place)]
    others = [m for m in mentions if not isinstance(m.entity, Place) and body.start() < m.end]
    end = min([body.end()] + [m.start for m in others if m.start < body.end()])
    names: list[list[tuple[int, int]]] = [[]]  # the words of each unknown name, the last one being read
    previous_end, after_known = body.start(), False
    for w in re.finditer(_WORD, text[:end]):
        if w.start() < body.start():
            continue
        word, gap = fold(w.group()), text[previous_end : w.start()]
        previous_end = w.end()
        known_here = any(a <= w.start() < b for a, b in known_spans)
        joined = not _SEPARATOR.search(gap)
        opener_alone = len(names[-1]) == 1 and fold(text[slice(*names[-1][0])]) in name_openers()
        if known_here and joined and opener_alone:
            names[-1] = []  # "Kafar Hamra": the opener is the known name's
        if known_here or word in _stop_words() or not joined or word in name_openers():
            names.append([])
        if word in _stop_words():
            break  # "the towns of Azaz and Marea Sunday": the list has ended
        if known_here or (after_known and joined and _ARTICLE.match(w.group())):
            after_known = True  # "Halab al-Jadida": the article joins the word to the known name
            continue
        after_known = False
        names[-1].append((w.start(), w.end()))
    # a longer stretch is several names that cannot be told apart ("Maaret Alartiq Urm Alqubra Messibin")
    return [_unresolved(text, name) for name in names if 0 < len(name) <= MAX_NAME_WORDS]


@cache
def _stop_words() -> frozenset[str]:
    """Capitalised words that name no town: the list has ended ("... and Zafarana Sunday")."""
    return frozenset({fold(w) for w in load_lexicon("stopnames")["words"]} | set(MONTHS) | set(WEEKDAYS))


def _unresolved(text: str, words: list[tuple[int, int]]) -> tuple[int, Place]:
    name = text[words[0][0] : words[-1][1]]
    return words[0][0], Place(f"u:{slug(name)}", name, None, None, None, None, 0, "unresolved")
