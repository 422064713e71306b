"""Fatality counts from casualty phrases: "two dozen people dead", "killed 12", "over a hundred"."""

from __future__ import annotations

import re
from functools import cache

from ingest.lexicon import load_lexicon
from ingest.model import Fatalities

_DEATH = r"(?:killed|dead|died|slain|deaths?|lives|killing|perished|bodies|martyred|martyrs)"
# Up to three words between a number and a death word ("12 Syrian soldiers killed", "2 Syrians
# killed"), none of them a number or a word for the wounded: "30 injured and 5 killed" is 5.
_WORD = r"(?!(?:injured|wounded|hurt|and)\b)[a-z][\w'-]*"
_WHO = r"(?:" + _WORD + r"(?: " + _WORD + r"){0,2}?)"


@cache
def _patterns() -> list[re.Pattern]:
    lex = load_lexicon("numbers")
    words = sorted([*lex["words"], *lex["vague"]], key=len, reverse=True)
    num = r"(?P<mod>at least |more than |over |nearly |almost |about |around |up to |some |roughly )?(?P<num>\d[\d,]*|" + "|".join(map(re.escape, words)) + r")"
    return [
        re.compile(r"\b" + num + r" (?:" + _WHO + r" )?(?:were |was |have been |had been |are |being |left |reported |)?" + _DEATH + r"\b"),
        re.compile(r"\b(?:killed|killing|kills|left|leaving|claimed the lives of|death of|deaths of|toll (?:rose |rises )?(?:to|of)) " + num + r"\b(?! (?:\w+ ){0,2}(?:wounded|injured|hurt))"),
        re.compile(r"\b(?:killed|left) " + num + r" (?:\w+ ){0,2}dead\b"),
        re.compile(r"\btoll\b(?: \S+){0,8}? (?:rose|rises|risen|climbed|climbs|reached|reaches|hit|hits|stands at|stood at|"
                   r"jumped|increased) (?:to )?" + num + r"\b"),
        re.compile(r"\bclaim(?:ed|s|ing)? (?:the lives of )?" + num + r" (?:\w+ ){0,2}?(?:martyrs|lives|victims|people|civilians)\b"),
    ]


def find_fatalities(folded: str) -> Fatalities | None:
    """The first casualty count in a folded sentence; wounded are not counted."""
    lex = load_lexicon("numbers")
    for pattern in _patterns():
        m = pattern.search(folded)
        if not m:
            continue
        word, mod = m["num"], (m["mod"] or "").strip()
        if word in lex["vague"]:
            best, low, high = lex["vague"][word]
        else:
            value = int(word.replace(",", "")) if word[0].isdigit() else lex["words"][word]
            best, low, high = value, value, value
            if mod in ("at least", "more than", "over"):
                high = None
                if mod != "at least":
                    best = low = value + 1
            elif mod in ("up to",):
                low = 0
            elif mod in ("nearly", "almost", "about", "around", "some", "roughly"):
                low, high = round(value * 0.8), round(value * 1.2)
        if best is not None and best > 100000:
            continue  # a year or a sum of money, not a count of the dead
        return Fatalities(best, low, high, m.group(0))
    return None
