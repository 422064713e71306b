"""Fatality counts from casualty phrases: "two dozen people dead", "killed 12", "over a hundred"."""

from __future__ import annotations

import re
from functools import cache

from ingest.dates import MONTHS
from ingest.lexicon import load_lexicon
from ingest.model import Fatalities

# Up to three words between a number and a death word ("12 Syrian soldiers killed", "2 Syrians
# killed"), none of them a number or a word for the wounded: "30 injured and 5 killed" is 5.
_WORD = r"(?!(?:injured|wounded|hurt|and)\b)[a-z][\w'-]*"
_WHO = r"(?:" + _WORD + r"(?: " + _WORD + r"){0,2}?)"


@cache
def _patterns() -> list[re.Pattern]:
    lex = load_lexicon("numbers")
    words = sorted([*lex["words"], *lex["vague"]], key=len, reverse=True)
    death = "(?:" + "|".join(sorted(lex["death_words"], key=len, reverse=True)) + ")"
    num = (
        r"(?P<mod>at least |more than |over |nearly |almost |about |around |up to |some |roughly )?"
        r"(?P<num>\d[\d,]*|" + "|".join(map(re.escape, words)) + r")"
    )
    return [
        re.compile(
            r"\b" + num + r" (?:" + _WHO + r" )?"
            r"(?:(?:including|among them|mostly|most of them) (?:[a-z]+ ){1,5}?)?"
            r"(?:were |was |have been |had been |are |being |left |reported |summarily |)*" + death + r"\b"
        ),
        re.compile(
            r"\b(?:killed|killing|kills|kill|left|leaving|claimed the lives of|death of|deaths of|"
            r"toll (?:rose |rises )?(?:to|of)) " + num + r"\b(?! (?:[a-z]+ )?(?:wounded|injured|hurt)\b)"
        ),
        re.compile(r"\b(?:killed|left) " + num + r" (?:\w+ ){0,2}dead\b"),
        re.compile(
            r"\btoll\b(?: \S+){0,8}? (?:rose|rises|risen|climbed|climbs|reached|reaches|hit|hits|"
            r"stands at|stood at|jumped|increased) (?:to )?" + num + r"\b"
        ),
        re.compile(
            r"\bclaim(?:ed|s|ing)? (?:the lives of )?"
            + num
            + r" (?:\w+ ){0,2}?(?:martyrs|lives|victims|people|civilians)\b"
        ),
    ]


def find_fatalities(folded: str) -> Fatalities | None:
    """The first casualty count in a folded sentence; wounded are not counted."""
    lex = load_lexicon("numbers")
    for pattern in _patterns():
        # "a" counts one person ("a child was killed"), not one of anything ("a suburb, killing")
        m = next(
            (
                m
                for m in pattern.finditer(folded)
                if (m["num"] not in ("a", "an") or _PERSON.search(folded, m.start(), min(len(folded), m.end() + 30)))
                and not _is_year(folded, m)
            ),
            None,
        )
        if not m:
            continue
        word, mod = m["num"], (m["mod"] or "").strip()
        vague = word in lex["vague"]
        if vague:
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
        others, start, end = _other_groups(folded, m.start(), m.end())
        if others:  # "killed 25 children and 10 women": 35
            best, low = best + others, (low or 0) + others
            high = None if high is None else high + others
        return Fatalities(best, low, high, folded[start:end], vague)
    return None


@cache
def _elliptic() -> re.Pattern:
    lex = load_lexicon("numbers")
    words = sorted(lex["words"], key=len, reverse=True)
    return re.compile(
        r"(?:another |a further |)(?P<num>\d[\d,]*|" + "|".join(map(re.escape, words)) + r")"
        r"(?: [a-z]+){0,2}? (?:in|at|near|outside|around|on) "
    )


def elliptic_toll(folded: str) -> Fatalities | None:
    """ "30 were killed in A and another five outside B": the count that opens the second part of a
    sentence whose death word is told once, in the first part; a count followed by where."""
    m = _elliptic().match(folded)
    if m is None:
        return None
    word = m["num"]
    value = int(word.replace(",", "")) if word[0].isdigit() else load_lexicon("numbers")["words"][word]
    if word in ("a", "an") or value > 100000:
        return None
    return Fatalities(value, value, value, m.group(0).strip())


def _is_year(folded: str, m: re.Match) -> bool:
    """ "on 9 march 2019 killing 11", "in 2014 killed": the number is the year of a date."""
    return bool(_YEAR.fullmatch(m["num"])) and bool(_BEFORE_YEAR.search(folded, max(0, m.start() - 20), m.start("num")))


_YEAR = re.compile(r"(?:19|20)\d\d")
_BEFORE_YEAR = re.compile(
    r"(?:\b(?:" + "|".join(MONTHS) + r")\.?(?: \d{1,2}(?:st|nd|rd|th)?)?,?|\b(?:in|since|of|by|early|late|mid)) $"
)

_PERSON = re.compile(
    r"\b(?:person|civilian|child|kid|boy|girl|woman|man|soldier|fighter|member|officer|policeman|"
    r"journalist|doctor|nurse|teacher|student|worker|commander|leader|militant|rebel|resident|farmer)\b"
)
_GROUP = (
    r"(?:\d+|{words}) (?:[a-z-]+ ){{0,2}}?(?:people|persons?|civilians?|child|children|kids?|wom[ae]n|m[ae]n|"
    r"soldiers?|fighters?|troops|militants?|members?|others|policem[ae]n|officers?|rebels?|terrorists?|jihadists?|"
    r"gunm[ae]n|personnel)\b"
)


@cache
def _group_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    lex = load_lexicon("numbers")
    words = "|".join(sorted((w for w in lex["words"] if w not in ("a", "an")), key=len, reverse=True))
    group = _GROUP.format(words=words)
    one = r"(?:a|an) (?:[a-z-]+ )?(?:child|boy|girl|woman|man|soldier|fighter|civilian|journalist|policeman|officer)"
    after = re.compile(
        r"(?:,| and| as well as| plus)+ (?:at least |more than |some |about )?(?P<g>"
        + group
        + "|"
        + one
        + r")\b(?! (?:were |was |have been )?(?:wounded|injured|hurt))"
    )
    before = re.compile(r"(?:^|\W)(?:at least |more than |some |about )?(?P<g>" + group + "|" + one + r")(?:,| and)+ $")
    noun = re.compile(r" " + _GROUP.format(words="x").split(" ", 1)[1])
    return after, before, noun


def _other_groups(folded: str, start: int, end: int) -> tuple[int, int, int]:
    """The dead of other groups listed beside the first count: "killed 25 children and 10 women",
    "223 fighters and 28 troops were killed". A group that "includes" is part of the count, not added."""
    after, before, noun = _group_patterns()
    total, pos, last = 0, end, end
    if n := noun.match(folded, pos):  # "killed 25| children| and 10 women"
        pos = n.end()
    while m := after.match(folded, pos):
        total += _value(m["g"].split()[0])
        pos = last = m.end()
    first = pos = start
    while m := before.search(folded, max(0, pos - 60), pos):
        total += _value(m["g"].split()[0])
        pos = first = m.start("g")
    return total, first, last


def _value(word: str) -> int:
    return int(word) if word.isdigit() else 1 if word in ("a", "an") else load_lexicon("numbers")["words"][word]
