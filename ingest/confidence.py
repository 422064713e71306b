"""How far an analyst can trust an event: the chance that its date and place are right, from what
the extractor knows of it (how precisely and by what words it is dated, whether its place is a
town, whether a toll and a doer are named, how many sentences and sources tell it). A logistic
score whose weights were fitted on the dev gold (seed/lexicon/confidence.yaml, written by
scripts/fit_confidence.py): among events of confidence c or more, about a share c is right."""

from __future__ import annotations

import math
from functools import cache

from ingest.lexicon import load_lexicon
from ingest.model import Event

TOWN_KINDS = ("city", "capital")


def features(event: Event) -> dict[str, float]:
    """What the score weighs, each between 0 and 1."""
    documents = {t.document for t in event.tellings} or {ev.document for ev in event.evidence}
    return {
        "day": float(event.date is not None and event.date.precision == "day"),
        "dated_by_text": float(event.date_source in ("sentence", "context")),
        "town": float(any(p.kind in TOWN_KINDS for p in event.places)),
        "toll": float(event.fatalities is not None),
        "doer": float(any(role == "actor1" for _, role in event.actors)),
        "retold": (min(len(event.evidence), 4) - 1) / 3,
        "sources": (min(len(documents), 3) - 1) / 2,
        "vague": float(event.vague),
    }


@cache
def _weights() -> dict[str, float]:
    return load_lexicon("confidence")["weights"]


def confidence(event: Event) -> float:
    """The fitted chance that the event is right, from 0.05 to 0.99."""
    return chance(_weights(), features(event))


def chance(weights: dict[str, float], x: dict[str, float]) -> float:
    """The logistic score of features `x` under `weights`, as an event's confidence shows it (the
    fit scores its held-out events by this too)."""
    score = weights["bias"] + sum(weights.get(name, 0.0) * value for name, value in x.items())
    return round(min(0.99, max(0.05, 1 / (1 + math.exp(-score)))), 2)
