"""An event's summary in a headline's words: who did what to whom, where, with the toll ("Syrian
government forces strike Saraqib, 12 killed"; "Bombing in Azaz, 5 killed"), not a sub-type's name.
The words per sub-type are facts of English and live in seed/lexicon/headlines.yaml."""

from __future__ import annotations

import re
from functools import cache

from ingest.lexicon import load_lexicon

_ES = ("s", "sh", "ch", "x", "z", "o")  # "clashes", "pushes": a verb that takes -es in the singular
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")  # ACLED's "(Turkey)", "(2016-)"


@cache
def _words() -> dict[str, dict]:
    return load_lexicon("headlines")


def headline(sub_type: str, doer: str | None, target: str | None, place: str | None, killed: str | None) -> str:
    """One line for an event. `killed`: its toll as it should read ("12", "12+"), or None."""
    words = _words()["sub_types"].get(sub_type) or {"did": "act against {target}", "acted": "act", "alone": sub_type}
    did, to = words["did"], words.get("to", "on")
    on_place = bool(words.get("place_object") and place and ("{place}" in did or not target))
    if doer and on_place:  # "forces strike Saraqib", "forces retake Palmyra from Islamic State"
        verb = did if target else did.split(" {")[0] + " {place}"
        said = f"{doer} {_agreeing(verb, doer)}".replace("{place}", place or "").replace("{target}", target or "")
    elif doer and target and "{place}" not in did:
        said = f"{doer} {_agreeing(did, doer)}".replace("{target}", target)
    elif doer:
        said = f"{doer} {_agreeing(words['acted'], doer)}" + (f" {to} {target}" if target else "")
    else:
        said = words["alone"] + (f" {to} {target}" if target else "")
    where = f" in {place}" if place and not (doer and on_place) else ""
    return f"{said}{where}" + (f", {killed} killed" if killed else "")


def _agreeing(verb: str, doer: str) -> str:
    """The verb in the number of its doer: "forces shell", "Islamic State shells". The doer is
    plural when its head noun (the last word before "of" and a bracket) ends in s (forces,
    militias, Houthis, Protesters) or is plural without one (police)."""
    head = _QUALIFIER.sub("", doer).split(" of ")[0].split()
    last = head[-1].lower() if head else ""
    if (last.endswith("s") and not last.endswith("ss")) or last in _words()["plural_without_s"]:
        return verb
    first, _, rest = verb.partition(" ")
    if first.endswith("y") and first[-2:-1] not in "aeiou":
        first = first[:-1] + "ie"
    first += "es" if first.endswith(_ES) else "s"
    return f"{first} {rest}".rstrip()
