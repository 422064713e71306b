"""Folding text for matching, kept apart from ingest/text.py so that what the store needs of it
(alias_key, by db/queries.py at the app's start) comes without the sentence splitter's patterns and
lexicons.

`fold(text)` is a string of exactly the same length as `text`, so every offset found in the folded
text points at the same characters of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u02bf": "'",
    "\u02be": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _SPACES:
        return " "
    if c in _QUOTES:
        return _QUOTES[c]
    if c in _DASHES:
        return "-"
    if c == "\u200c" or c == "\u200b" or c == "\ufeff":
        return " "
    base = unicodedata.normalize("NFKD", c)[:1] or c
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify spaces, quotes and dashes; same length as `text`."""
    if text.isascii():
        return text.lower().replace("\t", " ")
    return text.translate({ord(c): _fold_char(c) for c in set(text)})


def match_text(text: str) -> str:
    return fold(text).replace("-", " ")


def alias_key(alias: str) -> str:
    """The form in which aliases are compared: "Deir Ez-Zor" and "deir ez zor" are one key."""
    return re.sub(r"\s+", " ", match_text(alias)).strip()
