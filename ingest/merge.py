"""Reports of one event from several articles become one event with several sources."""

from __future__ import annotations

from ingest.extract import summary_of
from ingest.model import Event

FAMILIES = {  # ACLED types that can describe the same incident, seen by different reporters
    "Battles": "violence", "Explosions/Remote violence": "violence", "Violence against civilians": "violence",
    "Protests": "demonstration", "Riots": "demonstration", "Strategic developments": "strategic",
}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}


def match_score(a: Event, b: Event) -> int:
    """0 when a and b cannot be one event; higher when they agree on more."""
    if not same_event(a, b):
        return 0
    places = {p.id for p in a.places} & {p.id for p in b.places}
    actors = {x.id for x, _ in a.actors} & {x.id for x, _ in b.actors}
    return 1 + 2 * (a.sub_type == b.sub_type) + len(places) + len(actors)


def same_event(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None or FAMILIES[a.type] != FAMILIES[b.type]:
        return False
    if a.date.start > b.date.end or b.date.start > a.date.end:
        return False
    if {e.document for e in a.evidence} & {e.document for e in b.evidence}:
        return False  # two events of one article are two events
    places_a = {p.id for p in a.places if p.kind != "country"}
    if places_a & {p.id for p in b.places if p.kind != "country"}:
        return True
    doers_a = {x.id for x, role in a.actors if role == "actor1"}
    return a.sub_type == b.sub_type and bool(doers_a & {x.id for x, role in b.actors if role == "actor1"})


def merge(events: list[Event]) -> list[Event]:
    """Greedy, in the order given (document order), so the result and its ids are deterministic."""
    merged: list[Event] = []
    for event in events:
        scored = [(match_score(m, event), -i) for i, m in enumerate(merged)]
        best = max(scored, default=(0, 0))
        target = merged[-best[1]] if best[0] else None
        if target is None:
            merged.append(event)
        else:
            _absorb(target, event)
    return merged


def _absorb(target: Event, other: Event) -> None:
    if _PRECISION_RANK[other.date.precision] < _PRECISION_RANK[target.date.precision]:
        target.date, target.date_expression, target.date_source = other.date, other.date_expression, other.date_source
        target.type, target.sub_type = other.type, other.sub_type
    known = {a.id for a, _ in target.actors}
    target.actors += [(a, r) for a, r in other.actors if a.id not in known]
    target.places += [p for p in other.places if p.id not in {q.id for q in target.places}]
    if other.fatalities and (not target.fatalities or (other.fatalities.best or 0) > (target.fatalities.best or 0)):
        target.fatalities = other.fatalities
    target.evidence += other.evidence
    target.summary = summary_of(target)  # with what the other reports added
    target.confidence = round(min(0.99, max(target.confidence, other.confidence) + 0.05), 2)
