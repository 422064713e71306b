"""Text normalisation, boilerplate detection and sentence splitting, all offset-preserving.

Matching runs on `fold(text)`, a string of exactly the same length as the stored text, so every
offset found in the folded text points at the same characters of the original.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import cache

# Folding lives in ingest/fold.py, light enough for the app's start; the extractor imports it from here.
from ingest.fold import alias_key as alias_key, fold as fold, match_text as match_text
from ingest.lexicon import load_lexicon


def name_variants(alias: str) -> set[str]:
    """Spellings of one alias as they appear in news: with or without al-, apostrophes, spaces."""
    key = alias_key(alias)
    out = {key, key.replace("'", ""), key.replace("'s ", " ")}
    for v in list(out):
        if m := re.match(r"^(al|el|ad|ar|as|an|at|az) (.+)$", v):
            out |= {m[2], m[1] + m[2]}
        if " " in v and len(v.replace(" ", "")) >= 8 and v.count(" ") <= 2:
            out.add(v.replace(" ", ""))  # "deir ezzor", "albukamal"
    return {v for v in out if len(v) >= 2}


_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def is_latin_line(line: str) -> bool:
    """False for lines mostly in another script (Arabic, Cyrillic…): kept, but not mined."""
    letters = len(_LETTER.findall(line))
    return letters > 0 and len(_LATIN_LETTER.findall(line)) >= 0.6 * letters


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def boilerplate_lines(text: str, title: str | None = None) -> set[int]:
    """Start offsets of lines that are not article prose as a whole: headings, date stamps, the
    title on a line of its own, and a "Related Articles"-style heading with the list after it.
    Phrases of page furniture are judged per sentence (`is_furniture`): a scraped article is often
    one long line, and one phrase in it must not cost the rest."""
    list_headings = [p.lower() for p in load_lexicon("boilerplate")["list_headings"]]
    title_key = squash(title) if title else None
    skipped: set[int] = set()
    in_list = False
    for line in lines(text):
        stripped = fold(line.text).strip()
        if in_list and (not stripped or _LIST_ITEM.match(stripped) or _is_heading(stripped)):
            skipped.add(line.start)
            continue
        in_list = False
        if not stripped:
            continue
        if any(stripped.rstrip(":") == h for h in list_headings):
            in_list = True
            skipped.add(line.start)
        elif _is_date_only(stripped) or _is_heading(stripped) or _is_title(line.text, title_key):
            skipped.add(line.start)
    return skipped


def _is_title(line: str, title_key: str | None) -> bool:
    """The title on a line of its own (a little more, such as a site name, allowed)."""
    if not title_key or len(title_key) <= 12:
        return False
    key = squash(line)
    return title_key in key and len(key) <= 1.3 * len(title_key) + 10


def is_furniture(sentence: str) -> bool:
    """A sentence of the page around the article: an appeal, a credit, a share button, an address."""
    folded = fold(sentence)
    if "@" in folded and len(folded.split()) < 15:
        return True
    return any(p in folded for p in _furniture_phrases())


@cache
def _furniture_phrases() -> tuple[str, ...]:
    return tuple(p.lower() for p in load_lexicon("boilerplate")["phrases"])


@cache
def _furniture_markers() -> tuple[re.Pattern, re.Pattern]:
    lex = load_lexicon("boilerplate")
    before, after = ("|".join(lex[k]) for k in ("furniture_before", "furniture_after"))
    return re.compile(r"\b(?:" + before + r")(?!\w)[ \t]*"), re.compile(r"[ \t]*\b(?:" + after + r")(?!\w)")


def without_furniture(sentence: str) -> tuple[int, int]:
    """The span of a sentence that is prose: a scrape runs page furniture into it ("07.07.2015 Get short
    URL 0 25 A suicide bomber ...", "... said. Source agencies Related News Turkey tells ...")."""
    before, after = _furniture_markers()
    start = max((m.end() for m in before.finditer(sentence)), default=0)
    cut = after.search(sentence, start)
    return start, cut.start() if cut else len(sentence)


def keyword_run(sentence: str) -> tuple[int, int] | None:
    """The span of a site's keyword list that a scrape runs into the prose ("... a monitor said Tags
    Syria Idlib airstrikes Assad Warplanes struck a town in ..."), or None. The run opens at a
    `keyword_run_openers` word and is furniture up to where prose resumes: the first lowercase
    function word followed by a lowercase word or a number is prose ("struck a town", "were killed";
    "for Human Rights" and "the Nusra Front" stay in a name), and its sentence starts at the last
    capitalised function word before it ("The", "At least 11") or else at the nearest capitalised
    word ("Warplanes"). With no such resumption, the run lasts to the end of the sentence."""
    opener = _keyword_run_opener().search(sentence)
    if not opener:
        return None
    words = list(re.finditer(r"\S+", sentence[opener.end() :]))
    lowercase = [w.group()[0].islower() or w.group()[0].isdigit() for w in words]
    function = [w.group().lower() in _english_function_words() for w in words]
    for i in range(1, len(words) - 1):
        after_a_word = lowercase[i - 1] and words[i].group() != "the"  # "the" opens a name: "the Nusra Front"
        if not (function[i] and lowercase[i] and (lowercase[i + 1] or after_a_word)):
            continue
        capitals = [j for j in range(i) if not lowercase[j]]
        if capitals:
            openers = [j for j in capitals if function[j]]
            start = (openers or capitals)[-1]
            return opener.start(), opener.end() + words[start].start()
    return opener.start(), len(sentence)


@cache
def _keyword_run_opener() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(load_lexicon("boilerplate")["keyword_run_openers"]) + r")\b")


@cache
def _english_function_words() -> frozenset[str]:
    return frozenset(load_lexicon("languages")["English"]) | {"a"}


_LIST_ITEM = re.compile(r"^(\d+[.)]|[-*\u2022])\s")


def squash(s: str) -> str:
    """Letters and digits only, folded: "Syria's" and "Syrias" are one."""
    return re.sub(r"[^a-z0-9]+", "", fold(s))


_DATE_ONLY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:[a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]+\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2})$"
)


def _is_date_only(line: str) -> bool:
    """A line holding nothing but a date: a page header or capture stamp, not a publication date."""
    return bool(_DATE_ONLY.match(line))


def _is_heading(line: str) -> bool:
    """Short lines with no sentence punctuation: titles, bylines, section heads, menu crumbs."""
    words = line.split()
    return len(words) <= 12 and not re.search(r"[.!?\"')]\s*$", line)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


# A full stop after these is not a sentence end.
_ABBREVIATIONS = {
    "u.s",
    "u.k",
    "u.n",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "brig",
    "st",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gov",
    "sen",
    "rep",
    "prof",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "approx",
    "est",
    "fig",
    "al",
}
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)")


def sentences(
    text: str, skip: Set[int] = frozenset(), headline: tuple[int, int] | None = None, prose_from: int = 0
) -> list[Sentence]:
    """Split prose into sentences with offsets into `text`. Each line is a paragraph: news text
    puts one paragraph on a line, and a line break always ends a sentence. The `headline` span is
    a sentence of its own whatever its punctuation; other text before `prose_from` (a dateline)
    is not prose."""
    out: list[Sentence] = []
    for paragraph, line in enumerate(lines(text)):
        if not line.text.strip() or not is_latin_line(line.text):
            continue
        pieces = [] if line.start in skip else [(max(line.start, prose_from), line.end)]
        if headline and line.start <= headline[0] < line.end:  # read even on a line of its own
            pieces.insert(0, (headline[0], min(headline[1], line.end)))
        for s, e in pieces:
            for a, b in _without_keyword_runs(text[s:e], _split_line(text[s:e])) if s < e else ():
                prose_start, prose_end = without_furniture(text[s + a : s + b])
                a, b = a + prose_start, a + prose_end
                if b - a >= 3 and not is_furniture(text[s + a : s + b]):
                    out.append(Sentence(s + a, s + b, paragraph))
    return out


def _without_keyword_runs(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence spans of a line with a keyword run cut out: the prose before it and the prose
    after it are two sentences."""
    out = []
    for s, e in spans:
        run = keyword_run(line[s:e])
        if run is None:
            out.append((s, e))
            continue
        for a, b in (s, s + run[0]), (s + run[1], e):
            a, b = a + len(line[a:b]) - len(line[a:b].lstrip()), a + len(line[a:b].rstrip())
            if a < b:
                out.append((a, b))
    return out


def _split_line(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _END.finditer(line):
        end = m.end()
        if not _is_boundary(line, m.start(), end):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    result = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e - s >= 3:
            result.append((s, e))
    return result


_LAST_WORD = re.compile(r"([A-Za-z.]+)$")


def _is_boundary(line: str, dot: int, end: int) -> bool:
    if line[dot] != ".":
        return True
    word = _LAST_WORD.search(line, max(0, dot - 40), dot)  # a bounded look back: linear in the line
    token = word.group(1).lower() if word else ""
    if token in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha():  # an initial: "A. Smith"
        return False
    rest = line[end:].lstrip()
    if not rest:
        return True
    # The next sentence starts with a capital, a digit or a quote.
    return rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'\u201c\u2018("
