"""Reports of one incident become one event: the sentences of one article that retell it, and
the articles of several sources that report it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet
from datetime import timedelta
from functools import cache

from ingest.confidence import confidence
from ingest.dates import PRECISION_RANK, Interval
from ingest.gazetteer import Actor, load_gazetteer
from ingest.geo import Place
from ingest.lexicon import load_lexicon
from ingest.model import Event, Fatalities, Telling, summary_of, telling_of
from ingest.text import fold

FAMILIES = {  # ACLED types that can describe the same incident, seen by different reporters
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstration",
    "Riots": "demonstration",
    "Strategic developments": "strategic",
}


def match_score(a: Event, b: Event) -> int:
    """0 when a and b cannot be one event; higher when they agree on more."""
    if not same_event(a, b):
        return 0
    places = {p.id for p in a.places} & {p.id for p in b.places}
    actors = {x.id for x, _ in a.actors} & {x.id for x, _ in b.actors}
    return 1 + 2 * (a.sub_type == b.sub_type) + len(places) + len(actors)


def same_event(a: Event, b: Event) -> bool:
    """Can reports from two sources be of one incident? They must tell one kind of thing on
    overlapping days at one place, or at a place inside the other's ("Saraqib" and "Idlib
    province"); doers they name differently are a dispute (`disputes`), not two incidents. The
    place compared is where each source puts the incident (`where_told`), not every place the
    merged reports named, so that merging does not widen an event until it takes in the next
    town's incidents. When one report knows only the week or the month (which holds many strikes
    on Aleppo): the same place and sub-type."""
    if a.date is None or b.date is None or FAMILIES[a.type] != FAMILIES[b.type]:
        return False
    if a.date.start > b.date.end or b.date.start > a.date.end:
        return False
    if {e.document for e in a.evidence} & {e.document for e in b.evidence}:
        return False  # two events of one article are two events
    if not kinds_agree(a, b):
        return False
    here_a, here_b = where_told(a), where_told(b)
    if here_a is None or here_b is None or not _same_place_told(a, here_a, b, here_b):
        return False
    if "country" in (here_a.kind, here_b.kind) and a.sub_type != b.sub_type:
        return False  # a country holds too many incidents for a vaguer telling to be one of them
    if (a.date.end - a.date.start) > MERGE_SPAN or (b.date.end - b.date.start) > MERGE_SPAN:
        return here_a.id == here_b.id and a.sub_type == b.sub_type
    return True


def _doer_most_sources_name(event: Event) -> list[tuple[Actor, str]]:
    """The event's actors with the doer most of its sources name first (the earliest on a tie), not
    merely the first source's: one outlet's misreading does not speak for the rest. Those a source
    names as doers together with it ("Syrian and Russian air strikes") are doers too, whatever role
    the first source gave them."""
    doers_of = [{a.id for a, role in t.actors if role == "actor1"} for t in event.tellings]
    votes = Counter(a for doers in doers_of for a in doers)
    if not votes:
        return event.actors
    first = {a.id: i for i, a in reversed(list(enumerate(a for a, _ in event.actors)))}
    best = max(votes, key=lambda a: (votes[a], -first.get(a, len(first))))
    doer = next((a for t in event.tellings for a, role in t.actors if a.id == best and role == "actor1"))
    together = {a for doers in doers_of if best in doers for a in doers}
    others = [(a, "actor1" if a.id in together else r) for a, r in event.actors if a.id != best]
    return [(doer, "actor1"), *sorted(others, key=lambda ar: ar[1] != "actor1")]


def _places_of_the_incident(event: Event) -> list[Place]:
    """The places of an event several sources report: those of its first report, and of the others
    those that hold where they put it or lie in it, not each place another source named in passing
    ("near Damascus", "as in Aleppo")."""
    here = where_told(event)
    if here is None:
        return event.places
    first = {p.id for p in event.tellings[0].places}
    kept = [
        p
        for p in event.places
        if p.id in first or _same_place(p, here) or (p.kind == "country" and p.country == here.country)
    ]
    return sorted(kept, key=lambda p: p.id != here.id)  # where it happened first


_COARSENESS = {"country": 2, "admin1": 1, "region": 1}  # towns, districts and unresolved names: 0


def where_told(event: Event) -> Place | None:
    """Where the sources of an event put it: the most precise of the places each source gives
    first (its first place below a country, else its country)."""
    told = [_first_place(list(t.places)) for t in event.tellings] or [_first_place(event.places)]
    return min((p for p in told if p is not None), key=lambda p: _COARSENESS.get(p.kind, 0), default=None)


def _first_place(places: list[Place]) -> Place | None:
    return next((p for p in places if p.kind != "country"), places[0] if places else None)


def _same_place(a: Place, b: Place) -> bool:
    """One place, or one inside the other. A name we could not resolve is only itself."""
    if "unresolved" in (a.kind, b.kind):
        return a.name.lower() == b.name.lower()
    return _nested(a, b)


def _same_place_told(a: Event, here_a: Place, b: Event, here_b: Place) -> bool:
    """Do two sources put their incidents at one place, or one inside the other, at the level each
    names? A town named like its province ("in Idlib") may stand for the province, unless its source
    names a neighbourhood of it ("the al-Athamiyeh neighbourhood of Aleppo"): then it is the city,
    and another town of the province (al-Rai) is another incident."""
    if "unresolved" in (here_a.kind, here_b.kind):
        return here_a.name.lower() == here_b.name.lower()
    return _within(here_a, here_b, not _names_a_part_of(b, here_b)) or _within(
        here_b, here_a, not _names_a_part_of(a, here_a)
    )


def _names_a_part_of(event: Event, town: Place) -> bool:
    return any(p.kind == "district" and p.id.startswith(town.id + "/") for p in event.places)


def _updates(toll: Fatalities, other: Fatalities) -> bool:
    """Does a later sentence of an article replace its toll? The first telling's toll is the
    incident's; a later sentence replaces it only to update it ("the death toll rose to 82"), for
    later sentences also give tolls of other days and of the whole war."""
    return "toll" in other.raw and (other.best or 0) > (toll.best or 0)


def _specificity(sub_type: str) -> int:
    return SPECIFICITY.index(sub_type) if sub_type in SPECIFICITY else len(SPECIFICITY)


def merge(events: list[Event]) -> list[Event]:
    """Greedy, in the order given (document order), so the result and its ids are deterministic.
    Only events whose dates share a month are compared: the work grows with the corpus, not its square.
    Each merged event keeps what each of its sources said (`tellings`) and the fields they differ
    on. Its date is the most precise one no source contradicts (`_absorb` takes the sharper date,
    and `same_event` merges no report whose date lies outside it); its toll spans the sources' counts."""
    merged: list[Event] = []
    by_month: dict[tuple[int, int], list[int]] = {}
    for event in events:
        told = telling_of(event)  # before another source's report changes it
        candidates = sorted({i for month in _months(event) for i in by_month.get(month, ())})
        scored = [(match_score(merged[i], event), -i) for i in candidates]
        score, minus_i = max(scored, default=(0, 0))
        if score:
            i = -minus_i
            _absorb(merged[i], event)
            merged[i].tellings.append(told)
            for month in _months(merged[i]):  # its date may have sharpened
                if i not in by_month.setdefault(month, []):
                    by_month[month].append(i)
        else:
            event.tellings = [told]
            merged.append(event)
            for month in _months(event):
                by_month.setdefault(month, []).append(len(merged) - 1)
    for event in merged:
        tolls = [t.fatalities for t in event.tellings if t.fatalities]
        if len(tolls) > 1:
            event.fatalities = toll_range(tolls)
            event.summary = summary_of(event)
        event.disputed = disputes(event.tellings)
        if len(event.tellings) > 1:
            event.places = _places_of_the_incident(event)
            event.actors = _doer_most_sources_name(event)
            event.summary = summary_of(event)
        event.confidence = confidence(event)  # with every source in: how far to trust it, as fitted
    return merged


def agreed_toll(tolls: list[Fatalities]) -> Fatalities:
    """The toll of an incident its sources count differently: a number before a word ("dozens"),
    and of the numbers the middle one (the higher of two: tolls rise as bodies are found), so that
    one source's toll of a whole offensive, or of another incident merged by mistake, does not
    become the incident's."""
    counted = [t for t in tolls if not t.vague] or tolls
    return sorted(counted, key=lambda t: t.best or 0)[len(counted) // 2]


def toll_range(tolls: list[Fatalities]) -> Fatalities:
    """The agreed toll (`agreed_toll`), spanning from the lowest count a source gives to the highest
    ("12" and "31": 31, from 12 to 31). An open count ("at least 40") reaches no higher than its number."""
    agreed = agreed_toll(tolls)
    counted = [(t.best, t.low, t.high) for t in tolls if not t.vague and t.best is not None]
    if len(counted) < 2:
        return agreed
    low = min(best if low is None else low for best, low, _ in counted)
    high = max(best if high is None else high for best, _, high in counted)
    return Fatalities(agreed.best, low, high, agreed.raw, agreed.vague)


DISPUTE_DAYS = timedelta(days=7)  # dates this far apart are two claims, not two ways of telling one day
TOLL_RATIO = 1.5  # counts further apart than this are two claims, not a toll that rose as bodies were found
DISPUTABLE = ("date", "place", "perpetrator", "fatalities")


def disputes(tellings: list[Telling]) -> list[str]:
    """The fields (of DISPUTABLE) on which the sources of one event differ: dates a week or more
    apart; a place where it happened that is neither inside another source's nor holds it; doers
    that are not one actor or parts of one group; numeric tolls more than TOLL_RATIO apart. A source
    that says nothing of a field disputes nothing."""
    found = []
    pairs = [(a, b) for i, a in enumerate(tellings) for b in tellings[i + 1 :]]
    if any(a.date and b.date and _days_apart(a.date, b.date) >= DISPUTE_DAYS for a, b in pairs):
        found.append("date")
    if any(a.places and b.places and not _nested(a.places[0], b.places[0]) for a, b in pairs):
        found.append("place")
    doers = [[x for x, role in t.actors if role == "actor1"] for t in tellings]
    if any(
        a and b and not any(_one_side(x, y) for x in a for y in b) for i, a in enumerate(doers) for b in doers[i + 1 :]
    ):
        found.append("perpetrator")
    counts = [t.fatalities.best for t in tellings if t.fatalities and not t.fatalities.vague]
    numbers = [n for n in counts if n is not None]
    if numbers and max(numbers) > TOLL_RATIO * min(numbers):
        found.append("fatalities")
    return found


def _days_apart(a: Interval, b: Interval) -> timedelta:
    return max(a.start - b.end, b.start - a.end, timedelta(0))


def _nested(a: Place, b: Place) -> bool:
    return _within(a, b) or _within(b, a)


def _one_side(a: Actor, b: Actor) -> bool:
    """One actor, or one a part of the other, or both parts of one group."""
    return a.id == b.id or a.group == b.id or b.group == a.id or (a.group is not None and a.group == b.group)


def _months(e: Event) -> list[tuple[int, int]]:
    if e.date is None:
        return []  # an undated event is never merged
    y, m, out = e.date.start.year, e.date.start.month, []
    while (y, m) <= (e.date.end.year, e.date.end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# From the sub-type that says most about an incident to the one that says least: a retelling
# that names the weapon sharpens the event, never the other way round.
SPECIFICITY = [
    "Chemical weapon",
    "Suicide bomb",
    "Air/drone strike",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Abduction/forced disappearance",
    "Attack",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Armed clash",
]
WEAK_DATES = ("published", "context", "none")  # a date the sentence itself does not give
RECENT = timedelta(days=7)  # "reported on" covers what happened in the week before
RETELL_WITHIN = 30  # a retelling is compared with this many incidents told before it, the latest
MERGE_SPAN = timedelta(days=1)  # reports merge across sources only when each dates its incident this closely


def merge_within(
    events: list[Event], others_of_a_kind: AbstractSet[str] = frozenset()
) -> tuple[list[Event], dict[str, Event]]:
    """One article's events, with the retellings of one incident (headline, lead, later
    paragraphs) folded into the first telling. Different dates, places or kinds of event stay
    apart, and so do the events of `others_of_a_kind`, told as further incidents like one before
    ("six more died after similar attacks"). Returns the events and, for each folded id, the event
    that took it."""
    # (the incident, where it happened): the first place of its first telling that names one, for
    # absorbing a retelling adds its places to the incident, and they must not widen where it
    # happened; nor may the other places a telling names ("rocket attacks in Aleppo, casualties in
    # Idleb and Damascus": the later news of Idleb is another incident). A retelling that puts it
    # inside that place ("in the Salah Eddin neighbourhood of Aleppo") narrows it.
    kept: list[tuple[Event, list[Place]]] = []
    folded: dict[str, Event] = {}
    # per incident, the towns its sentences put it in: one sentence that tells strikes on two towns
    # ("jets struck the towns of Jisr al-Shughur and Binnish") tells two incidents, which no earlier
    # vaguer telling ("warplanes pound Idlib") can both be
    towns_told: dict[int, list[tuple[int, Place]]] = {}
    for event in events:
        recent = range(max(0, len(kept) - RETELL_WITHIN), len(kept))  # bounded: linear in a long text
        found = next(
            (
                i
                for i in (() if event.id in others_of_a_kind else recent)
                if same_incident(kept[i][0], event, kept[i][1])
                and not _another_town_of_its_sentence(event, towns_told, i)
                and not _another_town_with_its_toll(kept[i][0], event, towns_told, i)
            ),
            None,
        )
        if found is None:
            kept.append((event, _where_said(event)))
            towns_told[len(kept) - 1] = _towns_told(event)
            continue
        target, anchor = kept[found]
        _absorb(target, event, sharpen=True)
        folded[event.id] = target
        towns_told[found] += _towns_told(event)
        here = _where_said(event)
        narrows = here and anchor and here[0].id != anchor[0].id and _within(here[0], anchor[0], namesake=False)
        if here and (not anchor or (narrows and here[0].kind != "unresolved")):  # an unknown name may be anywhere
            # narrowed: "in Aleppo", then "in the Salah Eddin neighbourhood of Aleppo"
            kept[found] = (target, here)
    return [k for k, _ in kept], folded


def _towns_told(event: Event) -> list[tuple[int, Place]]:
    """(sentence, town) of a telling that puts its incident in a town ("in rural Idlib ... the town
    of Sarmin": Sarmin)."""
    town = next((p for p in _where_said(event) if p.kind not in ("country", "admin1", "region", "unresolved")), None)
    if town is None or not event.evidence:
        return []
    return [(event.evidence[0].start, town)]


def _another_town_of_its_sentence(event: Event, towns_told: dict[int, list[tuple[int, Place]]], i: int) -> bool:
    """Has incident i taken in, from the same sentence, a telling in another town than this one's?"""
    return any(
        sentence == told_sentence and not _nested(town, told_town)
        for sentence, town in _towns_told(event)
        for told_sentence, told_town in towns_told.get(i, [])
    )


def _another_town_with_its_toll(
    incident: Event, event: Event, towns_told: dict[int, list[tuple[int, Place]]], i: int
) -> bool:
    """Has incident i been told in a town, and is this a telling with another toll in another town
    ("strikes on Idlib province": then "strikes hit the market of Sarmin killing 10", "jets struck
    Binnish killing eight")? Each town with its own dead is an incident of its own; the same toll
    in a place spelt otherwise is a retelling."""
    return (
        event.fatalities is not None
        and event.fatalities.best is not None
        and (incident.fatalities is None or incident.fatalities.best != event.fatalities.best)
        and any(not _nested(town, told) for _, town in _towns_told(event) for _, told in towns_told.get(i, []))
    )


def _where_said(event: Event) -> list[Place]:
    """Where one telling puts its incident: its first place below a country (else its country), and
    the places it names in the same division ("in Jassem in the province of Daraa", "the Qalamoun
    region ... outside Zabadani"); not those elsewhere ("rocket attacks in Aleppo, casualties in
    Idleb and Damascus" tells of Idleb's and Damascus's incidents too, which are other incidents)."""
    first = _first_place(event.places)
    if first is None:
        return []
    return [first] + [
        p
        for p in event.places
        if p.id != first.id
        and p.kind not in ("unresolved", "country")
        and (_nested(first, p) or (p.admin1 is not None and p.admin1 == first.admin1 and p.country == first.country))
    ]


_TOWNS = ("city", "capital", "district")


def _elsewhere_than_an_unknown_name(anchor: list[Place], told: Event) -> bool:
    """An incident at a name the gazetteer lacks ("the towns of Ter Maaleh and Zafarana"), then a
    telling of its own day at a known town ("in the district of Alwaer in Homs on Friday"): a name
    not known may be anywhere, but where nothing ties the two, the known town is elsewhere."""
    here = _where_said(told)
    return (
        bool(anchor and here)
        and all(p.kind == "unresolved" for p in anchor)
        and here[0].kind in _TOWNS
        and told.date_source == "sentence"
    )


def _at_the_place(anchor: list[Place], told: Event) -> bool:
    """Does a telling put its incident at the incident's place, or inside it, or around it? Where it
    puts it is its first place; the incident's are its places but those that merely hold another
    ("Aleppo" beside "the Salah Eddin neighbourhood", so that the Saif al-Dawleh neighbourhood is
    another incident). A first place in another country than the incident's beside one of the
    incident's own country is taken for a name misread ("the Sulaymaniyah neighbourhood of Aleppo"),
    and then the telling's other places count."""
    here = _where_said(told)
    if not here:
        return True
    if _elsewhere_than_an_unknown_name(anchor, told):
        return False
    leaves = [p for p in anchor if not any(q is not p and q.id != p.id and _within(q, p) for q in anchor)]
    if any(_nested(here[0], p) for p in leaves):
        return True
    foreign = {here[0].country} != {p.country for p in anchor} and anchor[0].country is not None
    return foreign and any(_nested(p, q) for p in told.places if p.country == anchor[0].country for q in leaves)


# Kinds of harm that one incident's retellings may mix: "air strikes and shelling", "the attack"
# for a bombing. Fighting is another kind.
_HARM = {"Explosions/Remote violence", "Violence against civilians"}


def same_incident(a: Event, b: Event, places: list[Place]) -> bool:
    """Can two sentences of one article tell one incident? `places` are where the incident was
    first placed: what later tellings add (a town nearby, a launch site) does not widen it."""
    if _deaths_of_its_day(a, b):
        if _elsewhere_than_an_unknown_name(places, b):
            return False
        return not places or not b.places or any(_within(p, q) or _within(q, p) for p in places for q in b.places)
    if FAMILIES[a.type] != FAMILIES[b.type]:
        return False
    if _another_states_harm(a, b):
        return False
    if _placed_and_from_afar(a, b) or _placed_and_from_afar(b, a):
        return False
    if FAMILIES[a.type] == "strategic" and (a.sub_type != b.sub_type or a.sub_type == "Other"):
        return False  # an arrest and an agreement, or two moves of troops, told in one article are two developments
    if not kinds_agree(a, b) and not _told_in_passing(b, places):
        return False
    if _tolls_of_their_own(a, b):
        return False
    span_a, span_b = _span(a), _span(b)
    if span_a and span_b and (span_a.start > span_b.end or span_b.start > span_a.end):
        return False
    if _outside_month(a, b) or _outside_month(b, a):
        return False
    if _a_day_of_the_period(a, b) or _a_day_of_the_period(b, a):
        return False
    return not places or _at_the_place(places, b)


_STATE_KINDS = ("state forces", "external forces")


def _another_states_harm(a: Event, b: Event) -> bool:
    """Is a telling harm a state's forces did, where the incident's doer is of no side of theirs
    ("rebels unleashed a barrage of rockets on Friday", then "the Observatory reported Russian air
    raids on Aleppo's western front lines")? One writer does not dispute himself: two incidents. Only a
    state's forces, which the text names as the doer by their arms ("Russian jets", "regime
    shelling"); a group is too often read as the doer where it was the target. A fight has a doer on
    each side, and each telling may name either. The side compared is the incident's doer, not each
    actor it names: the forces it struck ("rebels fired rockets at army positions") striking back
    ("government warplanes struck Aleppo in response") is another incident."""
    if not {a.type, b.type} <= _HARM:
        return False
    doers_a = [x for x, role in a.actors if role == "actor1"]
    doers_b = [x for x, role in b.actors if role == "actor1" and x.kind in _STATE_KINDS]
    return bool(doers_a and doers_b) and not any(_one_side(x, y) or _one_state(x, y) for x in doers_b for y in doers_a)


_FROM_AFAR = ("Air/drone strike", "Shelling/artillery/missile attack")


@cache
def _devices() -> re.Pattern:
    return re.compile(r"\b(?:" + load_lexicon("triggers")["devices"] + r")\b")


def _placed_and_from_afar(placed: Event, afar: Event) -> bool:
    """A bomb placed or driven to its target (a car bomb, a suicide bomber) and a strike from the air
    or by artillery are two incidents, though one article tell both of one town and day ("the
    Observatory reported Russian air raids on the western front lines", then "car bombs killed 18
    soldiers on Friday"): no retelling names the one for the other."""
    return afar.sub_type in _FROM_AFAR and bool(_devices().search(fold(placed.trigger).replace("-", " ")))


def _tolls_of_their_own(a: Event, b: Event) -> bool:
    """Harm of two kinds, each with its own count of dead ("rockets killed 21 civilians", then "car
    bombs killed 18 regime fighters"), is two incidents: a retelling names the incident's kind or
    none ("the attack killed", read as the sub-type Attack), and a new count of the same dead says
    the toll rose."""
    return (
        not (a.vague or b.vague)
        and a.sub_type != b.sub_type
        and "Attack" not in (a.sub_type, b.sub_type)
        and a.fatalities is not None
        and b.fatalities is not None
        and a.fatalities.best is not None
        and b.fatalities.best is not None
        and a.fatalities.best != b.fatalities.best
        and not _updates(a.fatalities, b.fatalities)
    )


def _one_state(a: Actor, b: Actor) -> bool:
    """Forces of one state: "Iranian forces" and the IRGC, "Russian jets" and the Russian air force."""
    return a.kind in _STATE_KINDS and b.kind in _STATE_KINDS and a.country is not None and a.country == b.country


def _deaths_of_its_day(a: Event, b: Event) -> bool:
    """ "The Monday downing brought the toll to 18", after "a helicopter was shot down on Monday":
    deaths told with no kind of their own ("killed", "died"), on the very day of an incident the
    article told, are that incident's, whatever kind of incident it was."""
    return (
        b.vague
        and b.date_source == "sentence"
        and a.date is not None
        and b.date is not None
        and a.date.precision == b.date.precision == "day"
        and a.date.start == b.date.start
    )


def _told_in_passing(b: Event, places: list[Place]) -> bool:
    """Fighting told with no date of its own, at the incident's place ("rebels fighting to oust
    Assad still hold Daraa", after "air strikes on Jassem in Daraa killed 15"), is the article's
    incident seen from another side, not another incident of that day: that it says fighting
    where the incident was a strike is no reason to keep it apart. (A capture, a strike or an
    attack told so stays its own: those are told as incidents.) Nor does fighting told with a toll of
    its own ("over 60 fighters were killed in clashes with the army"): its dead are its result, told
    as an incident's, not a state of the war around the strike."""
    return (
        b.sub_type == "Armed clash"
        and b.date_source in WEAK_DATES
        and not (b.fatalities and b.fatalities.best)
        and bool(b.places)
        and b.places[0].kind != "unresolved"
        # where it happened, not a town it is near; a town named like its province stands for itself here
        and any(
            _within(b.places[0], p, namesake=False) or _within(p, b.places[0], namesake=False)
            for p in places
            if p.kind != "country"  # a country holds too many incidents to say which
        )
    )


def kinds_agree(a: Event, b: Event) -> bool:
    """Can two tellings be of one kind of incident? Told generally ("attack", "killed"), of the same
    sub-type, or both harm done from afar or to civilians; fighting is another kind."""
    return (
        a.vague
        or b.vague
        or a.sub_type == b.sub_type
        or {a.type, b.type} <= _HARM
        or {a.sub_type, b.sub_type} <= _TERRITORY
    )


# Who took a place is read from the actors: a telling that does not name the winner gets the
# other sub-type of the same capture ("the army units took control of ...").
_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}


def _span(e: Event) -> Interval | None:
    """The days an event can be on: its own date, or the week before a date it only inherits."""
    if e.date is None:
        return None
    if e.date_source in WEAK_DATES:
        return Interval(e.date.start - RECENT, e.date.end, "week")
    return e.date


def _outside_month(told: Event, dated: Event) -> bool:
    """ "Also in July ..." in an article of 6 August: a month (or coarser) the sentence names is another
    incident than the one told without a date of its own, unless it holds the day of that telling."""
    return (
        told.date is not None
        and told.date_source in WEAK_DATES
        and dated.date is not None
        and dated.date_source not in WEAK_DATES
        and PRECISION_RANK[dated.date.precision] >= PRECISION_RANK["month"]
        and not dated.date.start <= told.date.end <= dated.date.end
    )


def _a_day_of_the_period(day: Event, period: Event) -> bool:
    """ "More than 100 civilians were killed in August shelling of Aleppo", then "On August 10 a shell hit
    a bus killing 14": a day the sentence gives, with dead of its own, inside a month (or longer) the
    sentence gives, is one incident of that period's tally, not a retelling of it."""
    return (
        day.date is not None
        and period.date is not None
        and day.date_source == period.date_source == "sentence"
        and day.date.precision == "day"
        and PRECISION_RANK[period.date.precision] >= PRECISION_RANK["month"]
        and day.fatalities is not None
        and bool(day.fatalities.best)
        and (period.fatalities is None or period.fatalities.best != day.fatalities.best)
    )


def _within(inner: Place, outer: Place, namesake: bool = True) -> bool:
    """Is `inner` the same place as `outer`, or inside it? A place we could not resolve may be anywhere."""
    if inner.id == outer.id or "unresolved" in (inner.kind, outer.kind):
        return True
    if inner.kind == "district" and inner.id.startswith(outer.id + "/"):
        return True  # a part of a city (`ingest.places.with_districts`) lies in its city
    if outer.kind == "country":
        return inner.country == outer.country
    if namesake and outer.kind in ("city", "capital") and names_its_division(outer):
        # "in Deir ez-Zor", "in Idlib": a town named like its province may stand for the province
        return inner.country == outer.country and inner.admin1 is not None and inner.admin1 == outer.admin1
    if outer.kind in ("admin1", "region"):
        return (
            inner.country == outer.country and inner.admin1 is not None and inner.admin1 in (outer.admin1, outer.name)
        ) or (
            inner.country == outer.country and inner.kind in ("city", "capital") and fold(inner.name) in rings(outer.id)
        )
    return False


_RING_NAME = re.compile(
    r"(?!.* (?:province|governorate|region)$)"
    r"(?:(?:rural|reef|rif) (?P<before>.+)|(?P<after>.+) (?:countryside|suburbs))"
)


@cache
def rings(division_id: str) -> frozenset[str]:
    """The cities a division lies around, as its own names say: "Rural Damascus" and "Damascus
    countryside" (Rif Dimashq) ring Damascus, a governorate of its own. A report of "an attack in
    Rural Damascus" and one "in Damascus" may tell one incident."""
    found = (_RING_NAME.fullmatch(fold(alias)) for alias in load_gazetteer().place_aliases(division_id))
    return frozenset(m["before"] or m["after"] for m in found if m)


def names_its_division(town: Place) -> bool:
    return town.admin1 is not None and fold(town.admin1).startswith(fold(town.name))


def _take_date(target: Event, other: Event) -> None:
    target.date, target.date_expression, target.date_source = other.date, other.date_expression, other.date_source


def _absorb(target: Event, other: Event, sharpen: bool = False) -> None:
    """Fold `other` into `target`. Across sources the more precise date brings its type along; within
    an article (`sharpen`) the date the sentence gives wins, and the most telling type."""
    target.vague = target.vague and other.vague
    if sharpen:
        kind_told = FAMILIES[other.type] == FAMILIES[target.type]  # deaths told of a shoot-down are no battle
        if other.date and (
            target.date is None or (target.date_source in WEAK_DATES and other.date_source not in WEAK_DATES)
        ):
            _take_date(target, other)
        if kind_told and _specificity(other.sub_type) < _specificity(target.sub_type):
            target.type, target.sub_type = other.type, other.sub_type
    else:  # across sources both are dated (`same_event`)
        if other.date and target.date and PRECISION_RANK[other.date.precision] < PRECISION_RANK[target.date.precision]:
            _take_date(target, other)
        if _specificity(other.sub_type) < _specificity(target.sub_type):
            target.type, target.sub_type = other.type, other.sub_type
    known = {a.id for a, _ in target.actors}
    if sharpen and not any(r == "actor1" for _, r in target.actors):
        doer = next((a for a, r in other.actors if r == "actor1"), None)
        if doer is not None:  # the retelling that names the doer names it for the incident
            target.actors = [(doer, "actor1")] + [(a, r) for a, r in target.actors if a.id != doer.id]
            known.add(doer.id)
    target.actors += [(a, r) for a, r in other.actors if a.id not in known]
    places = target.places + [p for p in other.places if p.id not in {q.id for q in target.places}]
    named = {p.country for p in places if p.kind != "country"}  # a country adds nothing beside a place in it
    target.places = [p for p in places if p.kind != "country" or p.country not in named]
    if other.fatalities and (not target.fatalities or (sharpen and _updates(target.fatalities, other.fatalities))):
        target.fatalities = other.fatalities  # across sources, `merge` settles the toll when all are in
    target.evidence += other.evidence
    target.summary = summary_of(target)  # with what the other reports added
