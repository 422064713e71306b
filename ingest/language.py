"""The language an article is written in, told from its commonest words (or its script), so an
article the extractor cannot read says so instead of giving no events in silence.

The words are facts of each language and live in seed/lexicon/languages.yaml; a script other
than Latin is named by the Unicode name of its letters ("ARABIC LETTER ALEF" -> Arabic).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

from ingest.lexicon import load_lexicon

READ = "English"
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_WORDS = 600  # the opening words tell a language as well as the whole text does
MIN_SHARE = 0.15  # of the words, function words of the best language: prose, not a list of names


@cache
def _function_words() -> dict[str, frozenset[str]]:
    return {name: frozenset(words) for name, words in load_lexicon("languages").items()}


def language_of(text: str) -> str | None:
    """The language the text is most likely written in, or None when it is too short or too
    unlike prose to tell. A text mostly in a script other than Latin is named by its script."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])][:SAMPLE_WORDS]
    if len(words) < 8:
        return None
    script = _script(words)
    if script != "Latin":
        return script
    scores = {name: sum(w in vocabulary for w in words) for name, vocabulary in _function_words().items()}
    best = max(scores, key=lambda name: (scores[name], name == READ))
    if scores[best] < MIN_SHARE * len(words):
        return None
    return best


def _script(words: list[str]) -> str:
    """The script most of the letters are written in: the first word of their Unicode names."""
    letters: Counter[str] = Counter()
    for word in words:
        for char in word:
            letters[unicodedata.name(char, "UNKNOWN").split()[0]] += 1
    script = letters.most_common(1)[0][0]
    return "Latin" if script == "LATIN" else script.title()


def language_warning(text: str) -> str | None:
    """One line for an article in a language the extractor does not read; None for English or
    for a text too short to tell."""
    language = language_of(text)
    if language is None or language == READ:
        return None
    return f"written in {language}, it seems: stored, but the extractor reads {READ} only, so its events may be missed"
