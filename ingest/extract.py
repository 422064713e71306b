"""Article -> events. One pass over the sentences, one event per trigger, every step traceable.

A sentence may report several events ("IRGC launched missile strikes ... in retaliation for the
June 7 attacks in Tehran"): each trigger owns the words from itself to the next trigger, and a
date written just before a trigger noun ("the June 7 attacks") belongs to that trigger.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from ingest.confidence import confidence
from ingest.dates import MONTHS, WEEKDAYS, DateMention, Interval, find_dates
from ingest.fatalities import elliptic_toll, find_fatalities
from ingest.gazetteer import Actor, Mention, Place, load_gazetteer
from ingest.header import read_header
from ingest.lexicon import load_lexicon
from ingest.lists import listed_towns
from ingest.mentions import is_dateline, is_speaker, resolve_mentions
from ingest.merge import FAMILIES, WEAK_DATES, merge_within, names_its_division
from ingest.model import Article, Event, Evidence, Fatalities, event_id, summary_of
from ingest.places import (
    commas_lost,
    event_places,
    home_countries,
    place_by_focus,
    spelt_mentions,
    spelt_places,
    with_districts,
    with_facilities,
)
from ingest.text import Sentence, boilerplate_lines, fold, is_latin_line, sentences

HISTORY_YEARS = 100  # events dated further back than this are historical asides, not news
CARRY_WITHIN = 150  # characters over which a sentence's day dates a later trigger of the same sentence


@dataclass
class Trigger:
    start: int
    end: int
    text: str
    type: str
    sub_type: str
    weak: bool
    generic: bool
    reference: bool = False  # "after the attack": an event told as a point in time, maybe elsewhere
    subject_loses: bool = False  # "ISIS lost the city": the subject is the loser, not the doer
    statement: bool = False  # "Turkey condemned the attack": the object of a statement, told by another
    against_armed: bool = False  # "a police officer was shot": shooting at armed people is a battle
    doer_unknown: bool = False  # "villagers found the bodies": who found them did not do it
    another: bool = False  # "after similar attacks": another incident of the kind, never a retelling
    pluperfect: bool = False  # "had been shelled": background, an event only with a date of its own


@dataclass
class SentenceTrace:
    """What the extractor saw in one sentence and what it decided: `timeline explain`."""

    sentence: Sentence
    text: str
    dates: list[DateMention]
    mentions: list[Mention]
    triggers: list[Trigger]
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Lexicon(NamedTuple):
    triggers: list  # (compiled pattern, entry), in priority order
    weapons: list  # (compiled pattern, sub_type), in priority order
    not_events: list
    default_targets: set
    references: re.Pattern
    statements: re.Pattern
    purpose_clause: re.Pattern
    people: dict  # crowd, victims, armed, interventions: compiled patterns
    another_of_a_kind: re.Pattern  # "after similar attacks": a new incident, not a reference
    pluperfect: re.Pattern  # "had been shelled"
    further_toll: re.Pattern  # "and seven others were killed"
    tally_spans: re.Pattern  # "over the past three days": a toll over a span, not of one incident


@cache
def _lexicon() -> _Lexicon:
    lex = load_lexicon("triggers")
    triggers = [(re.compile(r"\b(?:" + t["pattern"] + r")\b"), t) for t in lex["triggers"]]
    not_events = [re.compile(p) for p in lex["not_events"]]
    references = re.compile(r"\b(?:" + "|".join(lex["references"]) + r")\s+(?:\S+\s+){0,4}$")
    statements = re.compile(r"\b(?:" + "|".join(lex["statements"]) + r")\s+(?:\S+\s+){0,4}$")
    weapons = [(re.compile(r"\b(?:" + w["pattern"] + r")\b"), w["sub_type"]) for w in lex["weapons"]]
    purpose = re.compile(lex["purpose_clause"])
    people = {name: re.compile(pattern) for name, pattern in lex["people"].items()}
    another = re.compile(r"\b(?:" + "|".join(lex["another_of_a_kind"]) + r")\s+(?:\S+\s+)?$")
    return _Lexicon(
        triggers,
        weapons,
        not_events,
        set(lex["default_targets"]),
        references,
        statements,
        purpose,
        people,
        another,
        re.compile(lex["pluperfect"]),
        re.compile(lex["further_toll"]),
        re.compile(lex["tally_spans"]),
    )


# What a weapon can sharpen: a trigger that says only that there was violence.
_REFINABLE = {"Armed clash", "Attack", "Remote explosive/landmine/IED", "Shelling/artillery/missile attack"}
_WEAPON_TYPE = "Explosions/Remote violence"


def weapon_in(folded: str) -> str | None:
    """The sub-type the weapons named in a clause point to, the most telling first."""
    matcher = folded.replace("-", " ")
    return next((sub for pattern, sub in _lexicon().weapons if pattern.search(matcher)), None)


def refined_type(trig: Trigger, clause: str) -> tuple[str, str]:
    """The trigger's type, sharpened by the weapon its clause names ("targeted with rocket shells")."""
    if trig.sub_type in _REFINABLE and not trig.reference:
        sub = weapon_in(clause)
        if sub and sub != trig.sub_type and (trig.type != _WEAPON_TYPE or _rank(sub) < _rank(trig.sub_type)):
            return _WEAPON_TYPE, sub
    return trig.type, trig.sub_type


def _rank(sub_type: str) -> int:
    order = [sub for _, sub in _lexicon().weapons]
    return order.index(sub_type) if sub_type in order else len(order)


def trigger_matches(folded: str) -> list[tuple[int, int, int]]:
    """Every lexicon match in a folded text, as (start, end, lexicon index), by position."""
    matcher = folded.replace("-", " ")
    triggers_lex = _lexicon().triggers
    return sorted(
        (m.start(), m.end(), i) for i, (pattern, _) in enumerate(triggers_lex) for m in pattern.finditer(matcher)
    )


def find_triggers(folded: str, matches: list[tuple[int, int, int]] | None = None) -> list[Trigger]:
    """The triggers of one sentence: non-overlapping, earlier lexicon entries first, weak ones
    only when alone, generic ones only when nothing more specific is said."""
    lexicon = _lexicon()
    triggers_lex, not_events, references = lexicon.triggers, lexicon.not_events, lexicon.references
    matcher = folded.replace("-", " ")
    found: list[Trigger] = []
    for start, end, i in sorted(trigger_matches(folded) if matches is None else matches, key=lambda m: m[2]):
        if any(start < t.end and t.start < end for t in found):
            continue
        before, after = matcher[max(0, start - 40) : start], matcher[start : end + 30]
        if any(p.search(before) if p.pattern.endswith("$") else p.match(after) for p in not_events):
            continue
        would = _NOUN_BEFORE.search(before) and _WOULD_AFTER.match(matcher, end)
        if would and not _TOLD_DAY.search(matcher, end, would.end()):
            # "the fall of Al Bab to the rebels would threaten the siege": what would follow, not what was;
            # but "the attack in Saraqib on Monday would be investigated" dates an incident that was
            continue
        if matcher[start:end].endswith("ing") and _bodies_of_fighters().search(before):
            continue  # "rebels fighting to oust Assad": who they are, not what happened
        if (
            matcher[start:end] == "deployed"
            and _WHERE_AFTER.match(matcher, end)
            and _bodies_of_fighters().search(before)
        ):
            continue  # "pounded the fighters deployed in the area": where they are, not a move
        entry = triggers_lex[i][1]
        if not entry.get("purpose") and lexicon.purpose_clause.search(before):
            continue  # "vowed to attack": a plan; but "gathered to protest" is the protest
        found.append(
            Trigger(
                start,
                end,
                folded[start:end],
                entry["type"],
                entry["sub_type"],
                bool(entry.get("weak")),
                bool(entry.get("generic")),
                bool(references.search(before))
                and not lexicon.another_of_a_kind.search(before)
                and not _clause_with_own_toll(before, matcher, start, end),
                bool(entry.get("subject_loses")),
                bool(lexicon.statements.search(before)),
                bool(entry.get("against_armed")),
                bool(entry.get("doer_unknown")),
                bool(lexicon.another_of_a_kind.search(before)),
                bool(lexicon.pluperfect.search(before)) and not _REPORTED.search(before),
            )
        )
    strong = [t for t in found if not t.weak]
    # a pluperfect ("who had defected") may tell no event: it does not silence the weak word of the news
    # ("11 people were killed including an officer who had defected")
    chosen = strong if any(not t.pluperfect for t in strong) else strong + [t for t in found if t.weak][:1]
    if chosen and any(not t.weak for t in chosen):  # "... and seven others were killed in Fardous": its own
        last = max(t.end for t in chosen)
        toll = [
            t
            for t in found
            if t.weak
            and t.start > last
            and not _HURT.fullmatch(t.text)  # "and 20 others wounded": the same incident's toll
            and lexicon.further_toll.search(matcher, 0, t.start)
        ]
        chosen += [replace(t, another=True) for t in toll]
    # "strikes" beside "terror attack" is the same event, told less precisely; but "attacked and
    # looted" tells an attack beside the looting, which is no more precise a telling of it
    specific = [t for t in chosen if not t.generic and t.type != "Strategic developments"]
    if specific:
        chosen = [t for t in chosen if not t.generic]
    return sorted(chosen, key=lambda t: t.start)


# a trigger as the subject of a conditional: "the fall of X to Y would threaten", "any attack on Z could";
# not "would be the deadliest" (what it was), nor past the clause ("the strike and that the toll could rise")
_NOUN_BEFORE = re.compile(r"\b(?:the|any)\s+$")
_WOULD_AFTER = re.compile(
    r"(?:\s+(?!(?:and|that|which|who|as|while|but|when|after)\b)[\w-]+){0,7}?\s+(?:would|could|might)\s+"
    r"(?!have\b|be\s+(?:the|a|an|one)\b)"
)
# a day that dates an incident: "on Monday", "yesterday", "on March 3", "3 March" (a month only with
# its day: "may" is a modal)
_MONTH = "|".join(MONTHS)
_TOLD_DAY = re.compile(
    r"\b(?:"
    + "|".join([*WEEKDAYS, "yesterday", "overnight", r"last\s+(?:week|night|month)"])
    + rf"|(?:{_MONTH})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTH}))\b"
)
# A conjunction and the subject of its clause, a word or a few: "after rebels ", "after the army ".
_CLAUSE_OPENED = re.compile(r"\b(?:after|before|since)\s+((?:\S+\s+){1,4})$")
# words that end a noun phrase's opening, not a subject: "after the bombed", "after being shelled"
_NO_SUBJECT = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "being", "having"}
_PAST_VERB = re.compile(r"\w+ed\b|(?:struck|hit|shot|blew|fought|threw|overran|took|drove)\b")
# where a clause's own words end: a stop, or a comma that opens no participle of its toll
_CLAUSE_END = re.compile(r"[.;:]|,\s(?!(?:killing|leaving|wounding|injuring)\b)")


def _clause_with_own_toll(before: str, matcher: str, start: int, end: int) -> bool:
    """ "The assault came after rebels fired 70 rockets at the capital killing seven": a clause with its
    own subject, verb and toll tells an incident, though a reference word opens it; "after the attack",
    "after Tuesday's strike" (a noun phrase) refer to one told elsewhere."""
    opened = _CLAUSE_OPENED.search(before)
    if not opened or not _PAST_VERB.match(matcher, start):
        return False
    words = opened.group(1).split()
    if words[0] in _NO_SUBJECT or words[-1] in _NO_SUBJECT or words[-1].endswith("'s"):
        return False
    rest = matcher[end:]
    stop = _CLAUSE_END.search(rest)
    return find_fatalities(rest[: stop.start() if stop else len(rest)]) is not None


_WHERE_AFTER = re.compile(r" (?:in|at|on|near|along|around|across|inside)\b")


@cache
def _bodies_of_fighters() -> re.Pattern:
    nouns = "|".join(map(re.escape, load_lexicon("roles")["bodies_of_fighters"]))
    return re.compile(r"\b(?:" + nouns + r") $")


class _ByOffset:
    """Spans sorted by start, handed out by sentence: those lying inside [start, end)."""

    def __init__(self, items: list, span=lambda x: (x.start, x.end)) -> None:
        self.items, self.span = sorted(items, key=lambda x: span(x)[0]), span
        self.starts = [span(x)[0] for x in self.items]

    def within(self, start: int, end: int) -> list:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [x for x in self.items[lo:hi] if self.span(x)[1] <= end]


def extract(article: Article) -> tuple[list[Event], list[SentenceTrace]]:
    gaz = load_gazetteer()
    default_targets = _lexicon().default_targets
    text, doc = article.text, article.sha256
    skip = boilerplate_lines(text, article.title)
    header = read_header(text, article.title)
    events: list[Event] = []
    traces: list[SentenceTrace] = []
    others_of_a_kind: set[str] = set()  # ids of events told as another incident like one before
    context: dict[int, tuple[Interval, str]] = {}  # paragraph -> latest date said in it
    paragraph_of: dict[str, int] = {}  # event id -> its paragraph
    told_as: dict[str, str] = {}  # event id -> the sub-type its trigger word tells
    # Each matcher runs once over the whole text; sentences take their share by offsets.
    folded_text = fold(text)
    all_dates = _ByOffset(
        [d for d in find_dates(folded_text, text, article.published) if not _after(d.interval, article.published)]
    )
    found = gaz.find(text, 0, len(text), folded_text)
    found = [m for m in found if not _in_date(m, all_dates)]
    datelines = [m.entity for m in found if isinstance(m.entity, Place) and is_dateline(text, m)]
    all_mentions = _ByOffset(with_facilities(text, with_districts(text, resolve_mentions(text, found))))
    all_triggers = _ByOffset(trigger_matches(folded_text), span=lambda m: (m[0], m[1]))
    home = home_countries(all_mentions.items, folded_text)
    all_mentions = _ByOffset(spelt_mentions(text, all_mentions.items, home))  # "in Talbeesah": Tallbisah
    prose_from = max((end for _, end in header.spans()), default=0)
    for sent in sentences(text, skip, header.headline, prose_from):
        original = text[sent.start : sent.end]
        folded = folded_text[sent.start : sent.end]
        dates = all_dates.within(sent.start, sent.end)
        mentions = all_mentions.within(sent.start, sent.end)
        matches = [(a - sent.start, b - sent.start, i) for a, b, i in all_triggers.within(sent.start, sent.end)]
        triggers = find_triggers(folded, matches)
        trace = SentenceTrace(sent, original, dates, mentions, triggers)
        traces.append(trace)
        resolved = [d for d in dates if d.interval]
        if not triggers:
            trace.notes.append("no event trigger")
            told_when = _when_it_happened(folded_text, resolved, article.published)
            if told_when is not None and events and events[-1].date_source in WEAK_DATES:
                # "The incident occurred on April 11.": the day of the incident just told
                events[-1].date, events[-1].date_expression = told_when.interval, told_when.expression
                events[-1].date_source = "sentence"
                trace.notes.append(f"{told_when.expression!r} dates the incident told before it")
        segments = _segments(triggers, resolved, sent)
        state_from: int | None = None  # where the sentence told a state ("has been fighting")
        for trig, seg_start, seg_end, date in segments:
            abs_trig = (sent.start + trig.start, sent.start + trig.end)
            if trig.reference and date is not None:
                date = _told_day(date, trig, events)
            if trig.reference and date is None:
                trace.notes.append(
                    f'{trig.text!r}: a reference to an event ("after the attack"), with no date of its own'
                )
                continue
            if date is not None and _period(folded_text, date, all_dates, article.published):
                trace.notes.append(f"{trig.text!r}: told of a period from {date.expression!r}, not one event")
                continue
            if date is not None and _war_origin(folded_text, date):
                if date.start > abs_trig[1] and _ANOTHER_CLAUSE.search(folded_text, abs_trig[1], date.start):
                    # "bombardment of Jamiyat al Zahra, where rebels gained ground ... which was before the
                    # 2011 civil war the main hub": the war's start is told of the place, not of the trigger
                    date = None
                else:
                    trace.notes.append(f"{trig.text!r}: {date.expression!r} is when the war began, not an event's date")
                    continue
            if date is not None and _historical(date.interval, article.published):
                # "(1881) ... on Monday": a current date of the clause says when; the old number is not it
                nearest_first = sorted(resolved, key=lambda d: abs(d.start - abs_trig[0]))
                current = [
                    d
                    for d in nearest_first
                    if seg_start <= d.start < seg_end and not _historical(d.interval, article.published)
                ]
                date = current[0] if current else date
            retold = _incident_retold(folded, trig, events)
            definite = bool(_THE_BEFORE.search(folded, 0, trig.start))  # "the attack": one the article tells
            # "the council on Monday announced ...": what it tells of is known otherwise, not of its day
            spoken = date is not None and date.start < abs_trig[0] and bool(_spoke_then().match(folded_text, date.end))
            if date is not None and _statement_day(
                folded_text, date, abs_trig[0], trig.reference or definite or spoken
            ):
                trace.notes.append(f"{trig.text!r}: {date.expression!r} is when a source spoke, not the incident's day")
                # the statement is evidence of the incident told before it, on that incident's day
                date = replace(date, interval=retold.date, expression=retold.date_expression) if retold else None
                if trig.reference and date is None:
                    continue
            earlier = [
                d
                for d in resolved
                if d.start < abs_trig[0]
                and abs_trig[0] - d.end <= CARRY_WITHIN
                and not _in_another_clause(folded_text, d.end, abs_trig[0])
                and d.interval.precision == "day"
                and not _PERIOD_START.search(folded_text, max(0, d.start - 40), d.start)
                and not _spoke_then().match(folded_text, d.end)  # the day a source spoke
            ]
            if date is None and earlier and not trig.reference:
                date = earlier[-1]  # "On 4 May, residents demonstrated by throwing stones": one date for both
            if trig.pluperfect and (
                date is None or (date.start < abs_trig[0] and _RELATIVE_PLUPERFECT.search(folded_text, 0, abs_trig[0]))
            ):
                # "a car had been targeted early Sunday", "by Friday the villages had been recaptured": dated
                # in its clause; but in "On Saturday a car bomb hit buses of civilians who had been evacuated"
                # the day is the main clause's
                trace.notes.append(f"{trig.text!r}: told in the pluperfect with no date of its own: background")
                continue
            told_date = date  # the sentence's own, before the paragraph's or the publication's stands in
            date, expression, source = _event_date(date, context.get(sent.paragraph), article.published)
            named = None if trig.generic else _incident_retold(folded, trig, [e for e in events if e.type == trig.type])
            if source == "context" and named is not None:
                # "the Observatory said the bombardment targeted an area south of ...": no day of its own, the
                # day of the incident of its kind it names, not the paragraph's latest (a background "on Saturday");
                # a general word ("the attacks") says no kind to find it by
                date, expression = named.date, named.date_expression
            if trig.text.endswith("ing") and _ONGOING.search(folded, 0, trig.start):
                trace.notes.append(f"{trig.text!r}: told as going on for a while, a state, not an incident")
                state_from = trig.start
                continue
            if source != "sentence" and (
                (state_from is not None and not _CLAUSE_BREAK.search(folded, state_from, trig.start))
                or _UNDER_NOW.search(folded, 0, trig.start)
                or _LASTED.match(folded, trig.end, seg_end - sent.start)
            ):
                # "has been fighting ... in Ankaras offensive", "both sides are under attack from ISIS",
                # "besieged by militants for three years"
                trace.notes.append(f"{trig.text!r}: part of a state told in its clause, with no date of its own")
                continue
            if source == "context" and article.published and _NOW_SCENE.search(folded, 0, trig.start):
                # "Al-Zobdani is now the scene of fierce clashes": the day of writing, not the paragraph's last date
                date, expression, source = article.published, "now", "sentence"
            # "militias are entering the city": what is under way as the article is written happens on its day
            now = source == "published" and trig.text.endswith("ing") and _UNDER_WAY.search(folded, 0, trig.start)
            undated = source not in ("sentence", "context") and not now
            if trig.type == "Strategic developments" and undated:
                trace.notes.append(f"{trig.text!r}: too general to be an event without a date of its own")
                continue
            if _historical(date, article.published):
                trace.notes.append(f"{trig.text!r}: dated {date.display()}, a historical aside: no event")
                continue
            # what a statement's subject names (the condemner) is not the incident's: its words come after
            told_from = abs_trig[0] if trig.statement else seg_start
            seg_mentions = [m for m in mentions if told_from <= m.start < seg_end]
            # "killed by airstrikes since the regime and Russian jets began an offensive": the subject of
            # a clause opened before the trigger stands in the segment of the trigger before it
            opened = next(
                (
                    m
                    for m in mentions
                    if sent.start <= m.start < told_from
                    and isinstance(m.entity, Actor)
                    and _opens_clause(text, m, abs_trig[0])
                ),
                None,
            )
            with_subject = [m for m in mentions if opened.start <= m.start < told_from] if opened else []
            actors = _roles(text, with_subject + seg_mentions, abs_trig, default_targets)
            actors = _read_roles_in_context(text, actors, mentions, trig, abs_trig, seg_start, sent.start, sent.end)
            places = event_places(text, seg_mentions)
            spelt = spelt_places(text, told_from, seg_end, mentions, home)
            places = (
                places + [p for p in spelt if p.kind != "unresolved" and p.id not in {q.id for q in places}]
                if places
                else spelt
            )
            if not places and len(traces) > 1 and _THERE.search(folded, trig.start):
                places = _place_named_before(traces[-2].mentions)  # "Militants seized a school there"
            fatal = find_fatalities(folded[seg_start - sent.start : seg_end - sent.start]) or (
                find_fatalities(folded) if len(segments) == 1 else None
            )
            if fatal and fatal.best != 1 and _tally(folded, trig, told_date, folded_text):
                trace.notes.append(f"{trig.text!r}: a toll summed over a span of time, a tally, not one incident")
                continue
            if trig.statement and not places and not any(r == "actor1" for _, r in actors):
                trace.notes.append(f"{trig.text!r}: the object of a statement that says nothing of where or who")
                continue
            if trig.sub_type == "Other" and source != "sentence" and not any(r == "actor1" for _, r in actors):
                # "pounded the terrorists deployed in the Artillery College": who is where, not a move
                trace.notes.append(f"{trig.text!r}: a move with no date and no one making it: no event")
                continue
            if not actors and not places and source != "sentence" and not fatal:
                trace.notes.append(f"{trig.text!r}: no date, actor or place of its own: no event")
                continue
            if trig.generic and undated and not fatal:
                trace.notes.append(f"{trig.text!r}: too general to be an event without a date, a toll or a place")
                told = _doer_of_the_incident_told(text, folded, trig, abs_trig, seg_mentions, events)
                if told:
                    trace.notes.append(f"{trig.text!r} says who did the incident told before it")
                continue
            event_type, sub_type = refined_type(trig, folded[seg_start - sent.start : seg_end - sent.start])
            if not any(r == "actor1" for _, r in actors) and (
                _ALSO.search(folded, seg_start - sent.start, trig.start)
                or _ALSO_AFTER.match(folded, trig.end)
                or _LIKE_BEFORE.search(folded, 0, trig.start)
                or _ELSEWHERE.search(folded, seg_start - sent.start, trig.start)
            ):
                # "Airstrikes also targeted ...", "similar attacks", "elsewhere air strikes on Douma": the like
                # incident told just before goes on, and its doer with it (only the last of its kind that names
                # one: an older one is another story; one that names none may be a part of it, "in Jassem 15
                # were killed in four air strikes")
                like = next(
                    (
                        e
                        for e in reversed(events)
                        if told_as[e.id] == trig.sub_type and any(r == "actor1" for _, r in e.actors)
                    ),
                    None,
                )
                # not onto the side it was done to: "also the army repelled attacks", the army defended
                struck = {a.id for a, r in actors if r == "actor2"}
                doers = [a for a, r in like.actors if r == "actor1" and a.id not in struck] if like is not None else []
                actors = [(a, "actor1") for a in doers] + [(a, r) for a, r in actors if a not in doers]
            if sub_type == "Armed clash" and _STRIKES.fullmatch(trig.text) and _doer_kind(actors) in _AIR_POWERS:
                # "Russian strikes", "US-led raids": what a state's forces strike from afar is an air strike
                event_type, sub_type = "Explosions/Remote violence", "Air/drone strike"
            if sub_type == "territory":
                sub_type = _territory_sub_type(actors)
            if trig.weak and trig.another and trace.events:  # "and seven others were killed in ...": the like
                if not places:
                    trace.notes.append(f"{trig.text!r}: a further toll with no place of its own: the incident's")
                    continue
                event_type, sub_type = trace.events[-1].type, trace.events[-1].sub_type
            event_type, sub_type = _kind_by_people(
                event_type,
                sub_type,
                trig,
                folded[max(seg_start - sent.start, trig.start - 100) : trig.start],
                folded[trig.end : trig.end + 100],  # the object may lie past the next trigger ("attacked and looted")
                actors,
            )
            event_type, sub_type = _kind_by_what_was_struck(
                event_type, sub_type, folded[max(0, trig.start - 60) : trig.end + 60].replace("-", " ")
            )
            if sub_type == "Looting/property destruction" and _struck()["own_arms"].search(
                folded, max(0, trig.start - 60), trig.end + 60
            ):
                trace.notes.append(f"{trig.text!r}: weapons destroyed by those who hold them: disarmament, no event")
                continue
            if source == "context" and _ALSO.search(folded, 0, trig.end):  # "also hit", "rockets also hit"
                # "Rockets also hit Qaboun": the day of the like incident told before, not the paragraph's
                # latest date, which may be a background one ("500 died on Wednesday from chemical attacks")
                like = next((e for e in reversed(events) if e.sub_type == sub_type and e.date_source in _TOLD), None)
                if like is not None and like.date is not None:
                    date, expression = like.date, like.date_expression
            trigger_sub_type = sub_type if trig.sub_type == "territory" else trig.sub_type
            event = Event(
                # the trigger's own sub-type: ids, and the stars kept on them, do not move with the lexicon
                id=event_id(doc, sent.start, sent.end, trigger_sub_type + f":{trig.start}"),
                date=date,
                date_expression=expression,
                date_source=source,
                type=event_type,
                sub_type=sub_type,
                trigger=text[abs_trig[0] : abs_trig[1]],
                actors=actors,
                places=places,
                fatalities=fatal,
                confidence=0.0,  # the fitted chance, once the article's retellings are folded in (below)
                vague=(trig.generic or trig.weak) and sub_type == trig.sub_type,
                summary="",
                evidence=[Evidence(doc, sent.start, sent.end, original)],
            )
            listed = _one_per_listed_town(event, text, seg_mentions, trig.weak)
            if len(listed) == 1 and fatal is not None:
                segment_folded = folded[seg_start - sent.start : seg_end - sent.start]
                listed = _one_per_told_toll(event, text, segment_folded, seg_start, seg_mentions)
            for one in listed:
                told_as[one.id] = trig.sub_type
                events.append(one)
                trace.events.append(one)
                paragraph_of[one.id] = sent.paragraph
                # a further town of the list that the gazetteer lacks is an incident of its own: a name
                # with no place could be folded into any incident told before it
                listed_unknown = one is not listed[0] and one.places[0].kind == "unresolved"
                if trig.another or _also_elsewhere(one, trig, folded) or listed_unknown:
                    others_of_a_kind.add(one.id)
        points = [
            d
            for d in resolved
            if not _PERIOD_START.search(folded_text, max(0, d.start - 40), d.start)
            and not _war_origin(folded_text, d)
            and not _period(folded_text, d, all_dates, article.published)  # "intensified since ... on July 31"
            and _news(d.interval, article.published)
        ]
        if points:  # "since March 2011" dates no sentence after it, nor does a background "in 2012"
            last = max(points, key=lambda d: d.start)
            context[sent.paragraph] = (last.interval, last.expression)
    _demonstrations(events, paragraph_of, traces)
    events, folded_into = merge_within(events, others_of_a_kind)
    place_by_focus(text, events, all_mentions.items, datelines)
    for trace in traces:
        for event in trace.events:
            if event.id in folded_into:
                trace.notes.append(
                    f"{event.sub_type} retells the incident of event {folded_into[event.id].id}: one event"
                )
        trace.events = [folded_into.get(e.id, e) for e in trace.events]
    for event in events:
        event.summary = summary_of(event)
        event.confidence = confidence(event)  # as fitted, from what this article alone tells
    return events, traces


PROSE_SHARE_WARNING = 0.5  # an article that keeps less of its text than this was probably misread


def reading_warnings(article: Article, traces: list[SentenceTrace]) -> list[str]:
    """What the reader dropped, said aloud: an article must never vanish silently."""
    letters = sum(c.isalpha() for line in article.text.splitlines() if is_latin_line(line) for c in line)
    if not letters:
        return []  # not in Latin script: read_article says so
    if not traces:
        return ["no sentence of prose found: nothing extracted (is it page furniture only?)"]
    kept = sum(c.isalpha() for t in traces for c in t.text)
    if kept < PROSE_SHARE_WARNING * letters:
        return [f"only {kept / letters:.0%} of the text was read as prose; the rest looked like page furniture"]
    return []


# A pluperfect in a relative clause ("civilians who had been evacuated"): a date before it is the main clause's.
_RELATIVE_PLUPERFECT = re.compile(r"\b(?:who|which|that) had (?:\w+ ){0,3}$")


# Before a date, words that make it the start of a period: "killed since March 2011", "the war that
# began in 2011", "under siege since 2013". What is told of such a period is not one event.
_PERIOD_START = re.compile(
    r"\b(?:since|(?:began|begun|started|erupted|broke out)(?: \w+){0,3}? (?:in|with))\s+"
    r"(?:(?:early|late|mid|the end of|the beginning of|the start of)[\s-]+)?$"
)


# The start of the war is a state's origin, not an event: "a civil war which sprung from a March 2011
# uprising", "the conflict which started when ... protests in 2011", "since the war began five years ago".
_WAR = r"(?:war|conflict|uprising|revolt|revolution|crisis|unrest|insurgency)"
_WAR_BEGAN = re.compile(
    r"\b"
    + _WAR
    + r"\b(?:\s+\S+){0,3}?\s+(?:began|begun|started|erupted|broke out|sprang|sprung|was sparked)\b[^.;:]{0,110}$"
)
_WAR_AFTER = re.compile(
    r"(?:\s+(?!(?:the|a|an|and|in|on|of|at|as|to|by|for|its)\b)[a-z]+)?\s+" + _WAR + r"\b(?! monitor)"
)
NEWS_DAYS = 31  # a date further back than this before publication is background, not the report's news


# The war reaching a place is a state's origin too: "Aleppo, before it was engulfed by fighting in 2012".
_WAR_REACHED = re.compile(
    r"\b(?:engulfed|gripped|swept|consumed|overtaken)\s+(?:by|in)\s+(?:the\s+)?(?:fighting|war|violence|conflict)"
    r"\b[^.;:]{0,20}$"
)


def _war_origin(folded_text: str, d: DateMention) -> bool:
    """Is a date when the war began ("the conflict which started ... in 2011", "a March 2011 uprising")?"""
    if _WAR_BEGAN.search(folded_text, max(0, d.start - 150), d.start):
        return True
    if _WAR_REACHED.search(folded_text, max(0, d.start - 80), d.start):
        return True
    return bool(d.interval and d.interval.precision != "day" and _WAR_AFTER.match(folded_text, d.end))


def _news(date: Interval | None, published: Interval | None) -> bool:
    """Is a date the report's news? A sentence without a date of its own continues the news, not a
    background aside: "Aleppo ... engulfed by fighting in 2012 ... Hezbollah said it had taken the plain"
    tells of this week's advance, not of 2012's."""
    return date is not None and (published is None or date.end >= published.start - timedelta(days=NEWS_DAYS))


def _after(date: Interval | None, published: Interval | None) -> bool:
    """A report tells of what has happened: a date after its publication ("AFP 2018" under a 2017 story,
    "Euro 2024", "updated 2033") is page furniture or a plan, and dates no event it reports."""
    return bool(date and published and date.start > published.end + timedelta(days=1))


PERIOD_DAYS = 7  # what is told of a longer span ("520 airstrikes since 21 May") is many incidents, not one
# "strikes have intensified since rebels launched a campaign ... on July 31": the date starts the period
_SINCE_CLAUSE = re.compile(r"\bsince\s+(?:[\w'-]+\s+){1,20}?(?:on|in)\s+$")
_BETWEEN = re.compile(r"\bbetween\s+$")
_AND = re.compile(r"\s+and\s+$")


def _period(folded_text: str, d: DateMention, dates: _ByOffset, published: Interval | None) -> bool:
    """Is a date the start of a period longer than a week? "since March 2011", "since 21 May" in late July,
    "between April 27 and May 18": what happened over it is a tally of incidents, not one event.
    "Clashes since Tuesday" tell of one fight."""
    if d.interval is None:
        return False
    start, precision = d.interval.start, d.interval.precision
    if _PERIOD_START.search(folded_text, max(0, d.start - 40), d.start) or _SINCE_CLAUSE.search(
        folded_text, max(0, d.start - 160), d.start
    ):
        end = published.end if published else None
    elif _BETWEEN.search(folded_text, max(0, d.start - 10), d.start):
        then = next(
            (x for x in dates.within(d.end, d.end + 12) if x.interval and _AND.match(folded_text[d.end : x.start])),
            None,
        )
        end = then.interval.end if then and then.interval else None
    else:
        return False
    return precision != "day" or (end is not None and (end - start).days > PERIOD_DAYS)


# "a suspected air raid", "the strike": one incident
_ONE = re.compile(r"\b(?:a|an|one|the|this|that)\s+(?:[\w-]+\s+){0,3}$")


def _tally(folded: str, trig: Trigger, told: DateMention | None, folded_text: str) -> bool:
    """Is a toll one summed over a span of time ("1200 were killed last month", "since Saturday at least
    68 died in air raids", "135 killed over the past three days"), a tally of many incidents, not one?
    Only where the deaths are told alone or the incidents in the plural: "In May a strike on a market
    killed 12" is one incident of May, and "clashes since Friday" one fight. A day the sentence gives
    for the incident ("on Monday") makes it one, and so does one death."""
    plural = trig.text.endswith("s") and not trig.text.endswith("ss")
    # a verb tells what was done ("executed", "warplanes bombing"), a noun with its article one incident
    one = not plural and (trig.text.endswith(("ed", "ing")) or _ONE.search(folded, 0, trig.start))
    fight = trig.type == "Battles" and not trig.generic  # "clashes", "fighting": one fight told in the plural
    if not trig.weak and (one or fight):
        return False
    since = told is not None and _PERIOD_START.search(folded_text, max(0, told.start - 40), told.start)
    if told is not None and told.interval is not None and told.interval.precision == "day" and not since:
        return False  # "on Monday": one incident's day
    if since:  # a week at most (a longer period is skipped before): many incidents, or one fight's toll
        return not trig.weak
    if _lexicon().tally_spans.search(folded):
        return True
    # in a month or a year, a toll told first and its incidents as its cause ("60 were killed in
    # attacks in May") sums them; "in February air strikes killed 20 near Manbij" tells the strikes
    told_first = trig.weak or _DEATHS_BEFORE.search(folded, 0, trig.start)
    return told is not None and told.interval is not None and told.interval.precision in _SPANS and bool(told_first)


_SPANS = ("month", "year")  # a week's toll may be one incident's told late ("48 were killed earlier this week")


_DEATHS_BEFORE = re.compile(r"\b(?:killed|died|dead|deaths|martyred)\b[^.;:]*$")


# Between a sentence's day and a later trigger, a word that opens another clause, whose events
# may be of another day: "bombarded the suburbs on Thursday, a day after the army gassed hundreds".
# A clause closed by a comma before the trigger does not count: "following the death of a
# shopkeeper, traders staged a protest".
_NEW_CLAUSE = re.compile(r"\b(?:after|before|since|while|when|whereas|following|until)\b|[;:]")


def _in_another_clause(folded_text: str, start: int, end: int) -> bool:
    opened = [m.end() for m in _NEW_CLAUSE.finditer(folded_text, start, end)]
    return bool(opened) and "," not in folded_text[opened[-1] : end]


_ANOTHER_CLAUSE = re.compile(r"\b(?:which|where|who|whose|that|when)\b")  # opened between a trigger and a later date
_ALSO = re.compile(r"\balso\b")
_ALSO_AFTER = re.compile(r"\s+(?:\w+\s+)?also\b")  # "airstrikes also targeted", "raids have also hit"
_LIKE_BEFORE = re.compile(r"\b(?:similar|more|further|another|other)\s+(?:\w+\s+)?$")  # "after similar attacks"
_ELSEWHERE = re.compile(r"\belsewhere\b")  # "elsewhere air strikes on Douma": the campaign told goes on
_TOLD = ("sentence", "context")  # dated by the text, not by the publication
_HURT = re.compile(r"wounded|injured|hurt")
# A pluperfect a source reports is its news, not background: "Hezbollah said it had seized the plain".
_REPORTED = re.compile(r"\b(?:said|says|reported|announced|claimed|stated)\s+(?:that\s+)?(?:\S+\s+){0,3}?had\s")
_ALSO_BEFORE = re.compile(r"\balso\s+(?:\S+\s+)?$")  # "also hit", "also heavily shelled"


def _also_elsewhere(event: Event, trig: Trigger, folded: str) -> bool:
    """Is an event told as the like of one before at a town of its own ("rockets also hit the nearby district
    of Qaboun")? Then it is another incident, though its town lie inside the first one's. Only an "also"
    at the verb: a sentence's opening "Also, SANA reported" tells nothing of the kind."""
    also = (
        "also" in trig.text.split()
        or bool(_ALSO_BEFORE.search(folded, 0, trig.start))
        or bool(_ALSO_AFTER.match(folded, trig.end))  # "fierce fighting also erupted in Barzeh"
    )
    first = event.places[0] if event.places else None
    return also and first is not None and first.kind not in ("country", "admin1", "region", "unresolved")


_ONGOING = re.compile(r"\b(?:has|have|had)\s+been\s+$")  # "the group has been fighting alongside ..."
_UNDER_NOW = re.compile(r"\b(?:is|are)\s+(?:now\s+|still\s+|also\s+)?under\s+$")  # "are under attack": a state
# "besieged by militants for three years": what lasted months or years is a state, not an incident
_LASTED = re.compile(
    r"[^.;,]{0,80}?\bfor\s+(?:(?:more than|over|nearly|almost|about|some|the past|the last)\s+)*"
    r"(?:\w+\s+)?(?:years|months|weeks)\b"
)
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|while|whereas|then)\b")
_NOW_SCENE = re.compile(r"\b(?:is|are)\s+now\s+(?:the\s+)?(?:scene|site|theatre|theater)\s+of\s+(?:\w+\s+){0,3}$")
_UNDER_WAY = re.compile(r"\b(?:is|are)\s+(?:now\s+)?$")


def _in_date(m: Mention, dates: _ByOffset) -> bool:
    """ "Sun 16 Apr 2017", "Last updated at Jun 142016": a place named by a date's words is no place."""
    return isinstance(m.entity, Place) and any(
        d.start <= m.start and m.end <= d.end for d in dates.within(max(0, m.start - 40), m.end + 40)
    )


def _historical(date: Interval | None, published: Interval | None) -> bool:
    return bool(date and published and date.end < published.start - timedelta(days=365 * HISTORY_YEARS))


def _event_date(mention: DateMention | None, context: tuple[Interval, str] | None, published: Interval | None):
    """(interval, expression, source): the sentence's own date, else the last date of its
    paragraph, else the publication date ("reported on"), else none."""
    if mention is not None:
        return mention.interval, mention.expression, "sentence"
    if context is not None:
        return context[0], context[1], "context"
    if published is not None:
        return published, None, "published"
    return None, None, "none"


_LIST_GAP = re.compile(r"\s*(?:,\s*)?(?:\band\s+)?(?:the\s+)?")
_AREAS = ("country", "admin1", "region", "unresolved")


def _one_per_listed_town(event: Event, text: str, mentions: list[Mention], weak: bool) -> list[Event]:
    """ "Airstrikes also targeted the towns of Rastan Talbeesah and Zafarana": strikes on towns named
    in one list are one incident per town, as two strikes on two towns are two events, and so are
    clashes on several fronts. The first town keeps the event (and its id and toll); each other
    town gets an event of its own. `weak`: the event was told by a weak trigger ("killed")."""
    # fighting told by a word of fighting in a list of fronts ("clashes on the fronts of A B and C"),
    # not a toll's "killed" nor a capture that is only heading for the towns named
    fronts = event.sub_type == "Armed clash" and not weak
    if event.type != "Explosions/Remote violence" and not fronts:
        return [event]
    # a city named like its province ("Deir Ezzor Aleppo" in a headline) may stand for the province;
    # the parts of one city listed together ("shells on al-Qusour and al-Joura neighbourhoods") are one barrage
    towns = [
        m
        for m in mentions
        if isinstance(m.entity, Place)
        and m.entity.kind not in _AREAS
        and m.entity.kind != "district"
        and not names_its_division(m.entity)
    ]
    runs: list[list[Mention]] = [towns[:1]]
    # names side by side with nothing between are a list only in a text stripped of its commas
    # ("the towns of Rastan Talbeesah and Zafarana"); where commas are kept, they are one name misread
    # as two ("Baghazi Ayyash area")
    for before, m in pairwise(towns):
        gap = text[before.end : m.start]
        if _LIST_GAP.fullmatch(gap) and (gap.strip() or commas_lost(text, runs[-1][0].start)):
            runs[-1].append(m)
        else:
            runs.append([m])
    run = max(runs, key=len)
    known: list[tuple[int, Place]] = [(m.start, m.entity) for m in run if isinstance(m.entity, Place)]
    # with the towns of the list the gazetteer lacks ("the towns of Rastan Talbeesah and Zafarana")
    opened = listed_towns(text, run, mentions)
    if not opened and event.type != "Explosions/Remote violence":
        return [event]  # "clashes in Saraqib and Binnish" under one toll: fronts are named as such
    in_order = opened or known
    listed = list({p.id: p for _, p in in_order}.values())
    if len(listed) < 2 or not known or known[0][1].id not in {p.id for p in event.places}:
        return [event]
    # a name of the list read as a town of its own ("Tel Rastan") is not the known one inside it
    reread = {m.entity.id for m in mentions if in_order[0][0] <= m.start <= in_order[-1][0]}
    others = [p for p in event.places if p.id not in {t.id for t in listed} | reread]
    split = [replace(event, places=[listed[0], *others])]
    for town in listed[1:]:
        one = replace(event, id=event_id(event.id, 0, 0, town.id), places=[town, *others], fatalities=None)
        one.actors, one.evidence = list(event.actors), list(event.evidence)
        split.append(one)
    return split


# where a sentence's parts meet: "killing 30, and in Kobane killing five", "30 in A and five in B"
_PART_JOIN = re.compile(r",? and (?:then )?|; ")


def _one_per_told_toll(event: Event, text: str, folded: str, start: int, mentions: list[Mention]) -> list[Event]:
    """ "Strikes hit Shadadi killing 30, and Kobane killing five", "30 were killed in A and five in
    B": parts of one sentence that each pair a town with a toll of its own are one incident each,
    with the same kind, doer and day. `folded` is the folded segment the event was read from, which
    begins at offset `start` of `text`. A part without a toll of its own ("in A and B") stays with
    the part before it, so towns or neighbourhoods listed under one toll stay one event."""
    cuts = [0, *(m.end() for m in _PART_JOIN.finditer(folded)), len(folded)]
    parts: list[tuple[int, int, Fatalities]] = []
    for begin, end in pairwise(cuts):
        piece = folded[begin:end]
        toll = find_fatalities(piece) or (elliptic_toll(piece) if parts else None)
        if toll is not None:
            parts.append((begin, end, toll))
        elif parts:
            parts[-1] = (parts[-1][0], end, parts[-1][2])
    if len(parts) < 2:
        return [event]
    parts[0] = (0, parts[0][1], parts[0][2])  # what comes before the first toll is the first part's
    places_of = [event_places(text, [m for m in mentions if start + b <= m.start < start + e]) for b, e, _ in parts]
    # each part names a town of its own: not only a province, nor a district of a town another part names
    towns_of = [
        {p.id for p in places if p.kind not in _AREAS and p.kind != "district" and not names_its_division(p)}
        for places in places_of
    ]
    if not all(towns_of) or any(a & b for a, b in pairwise(towns_of)):
        return [event]
    split = [replace(event, places=places_of[0], fatalities=parts[0][2])]
    for places, (_, _, toll) in zip(places_of[1:], parts[1:], strict=True):
        one = replace(event, id=event_id(event.id, 0, 0, "toll:" + places[0].id), places=places, fatalities=toll)
        one.actors, one.evidence = list(event.actors), list(event.evidence)
        split.append(one)
    return split


# "there" for the place just named ("Biggest destruction is in Hamdaniya. Militants seized a school
# there"), not the "there" that opens a clause ("There was no claim", "there have been strikes")
_THERE = re.compile(
    r"(?<![.:;] )(?<!^)\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|seems?|appears?"
    r"|remains?|had been|be)\b)"
)


def _place_named_before(mentions: list[Mention]) -> list[Place]:
    """The last place below a country the sentence before named: where "there" is."""
    named = [m.entity for m in mentions if isinstance(m.entity, Place) and m.entity.kind != "country"]
    return named[-1:]


_HAPPENED = re.compile(r"\b(?:occurred|took place|happened|was carried out|were carried out)\s+(?:on\s+)?$")


def _when_it_happened(folded_text: str, dates: list[DateMention], published: Interval | None) -> DateMention | None:
    """The day a sentence without an event of its own gives for one already told ("The incident
    occurred on April 11", "The killings took place on Wednesday"), if it is the report's news."""
    return next(
        (
            d
            for d in dates
            if d.interval is not None
            and d.interval.precision == "day"
            and _news(d.interval, published)
            and _HAPPENED.search(folded_text, max(0, d.start - 25), d.start)
        ),
        None,
    )


@cache
def _spoke() -> re.Pattern:
    verbs = "|".join(map(re.escape, load_lexicon("roles")["speech_verbs"]))
    return re.compile(r"\b(?:" + verbs + r"|reports)\s+(?:in\s+a\s+statement\s+)?(?:on\s+|late\s+|early\s+)?$")


@cache
def _spoke_then() -> re.Pattern:
    """ "The council on Monday announced": a day right before a verb of speech."""
    verbs = "|".join(map(re.escape, load_lexicon("roles")["speech_verbs"]))
    return re.compile(r"\s+(?:" + verbs + r")\b")


def _statement_day(folded_text: str, d: DateMention, trig_start: int, known: bool = False) -> bool:
    """ "The toll of a blast reached 112, the Observatory said on Sunday": a day told after the
    incident's words, right after a verb of speech, of a toll that rose, is when a source spoke; a
    statement about an incident is evidence of it at the incident's date, which the article tells
    elsewhere. (Without a toll that rose, the day a source reports is the incident's as often as not.)
    Of an incident `known` otherwise, a reference ("said Wednesday its attack was a response to an
    offensive") or one the article told before ("the attack killed 27, UNICEF said on Thursday"), a
    day right after a verb of speech is the speaking's wherever it stands."""
    if not _spoke().search(folded_text, max(0, d.start - 45), d.start) and not _spoke_then().match(folded_text, d.end):
        return False
    return known or (d.start > trig_start and bool(_TOLL_ROSE.search(folded_text, max(0, trig_start - 60), d.start)))


def _incident_retold(folded: str, trig: Trigger, told: list[Event]) -> Event | None:
    """ "The attack": an incident told with the definite article names one told before, the last of its
    family the article dated in its own words."""
    if not _THE_BEFORE.search(folded, 0, trig.start):
        return None
    return next(
        (
            e
            for e in reversed(told)
            if e.date_source == "sentence" and e.date is not None and FAMILIES[e.type] == FAMILIES[trig.type]
        ),
        None,
    )


# a toll told as it stood when a source spoke: the day it was said is not the incident's
_TOLL_ROSE = re.compile(r"\btoll\b.{0,200}?\b(?:reached|rose|risen|climbed|increased|jumped|stood at)\b")


def _told_day(mention: DateMention, trig: Trigger, told: list[Event]) -> DateMention:
    """ "The culprits of Saturday's attack", after the article told of an attack on Saturday 22 September:
    the weekday of a reference names the day of that attack, not the latest Saturday before publication."""
    day = mention.interval
    if day is None or not mention.relative or day.precision != "day" or not _WEEKDAY.search(mention.expression):
        return mention
    for event in reversed(told):
        if (
            event.date_source == "sentence"
            and event.date
            and event.date.precision == "day"
            and FAMILIES[event.type] == FAMILIES[trig.type]
            and event.date.start.weekday() == day.start.weekday()
            and timedelta(0) < day.start - event.date.start <= timedelta(days=14)
        ):
            return replace(mention, interval=event.date)
    return mention


_WEEKDAY = re.compile(r"(?i)(?:mon|tues|wednes|thurs|fri|satur|sun)day")


def _read_roles_in_context(
    text, actors, mentions, trig: Trigger, abs_trig, seg_start: int, sent_start: int, sent_end: int
):
    """Roles the segment alone cannot give: a relative pronoun's antecedent, a losing subject."""
    if not any(r == "actor1" for _, r in actors) and _RELATIVE.search(
        text, max(sent_start, abs_trig[0] - 80), abs_trig[0]
    ):
        # "... the SDF, who were critical in driving ISIS from Raqqa": who = the SDF.
        antecedent = next(
            (m.entity for m in reversed(mentions) if isinstance(m.entity, Actor) and m.end <= seg_start), None
        )
        if antecedent is not None:
            actors = [(antecedent, "actor1")] + [(a, r) for a, r in actors if a != antecedent]
    if trig.subject_loses:  # "ISIS lost the city": the subject is the loser
        actors = [(a, {"actor1": "actor2", "actor2": "actor1"}.get(r, r)) for a, r in actors]
    in_sentence = [
        m
        for m in mentions
        if isinstance(m.entity, Actor)
        and sent_start <= m.start < sent_end
        and m.entity.kind not in ("civilians", "person")
    ]
    # "the army blamed the attack on Boko Haram", "the army blamed Boko Haram for the attack", "an attack
    # carried out by IS": where the attribution holds the trigger, the text says who did it, whoever
    # else the clause names (the blamer tells, it did not act)
    blamed = next(
        (
            m.entity
            for m in in_sentence
            if (
                _BLAMED.search(text, max(sent_start, m.start - 50), m.start)
                and abs_trig[1] <= m.start
                and m.start - abs_trig[1] <= _BLAME_REACH
            )
            or (
                _BLAMED_ONE.search(text, max(sent_start, m.start - 20), m.start)
                and _FOR_AFTER.match(text, m.end)
                and 0 <= abs_trig[0] - m.end <= _BLAME_REACH
            )
        ),
        None,
    )
    if blamed is None and not any(r == "actor1" for _, r in actors):
        # elsewhere in the sentence, where the clause names no doer: "an attack police blamed on Boko
        # Haram", "IS claimed responsibility", "claimed by the Daesh group"
        blamed = next(
            (
                m.entity
                for m in in_sentence
                if _CLAIMS.match(text, m.end, sent_end)
                or _BLAMED.search(text, max(sent_start, m.start - 50), m.start)
                or _CLAIMED_BY.search(text, max(sent_start, m.start - 30), m.start)
            ),
            None,
        )
    if blamed is not None:
        others = [(a, "associated" if r == "actor1" else r) for a, r in actors if a.id != blamed.id]
        actors = [(blamed, "actor1"), *others]
    return actors


_THE_BEFORE = re.compile(r"\bthe\s+$")


def _doer_of_the_incident_told(
    text: str, folded: str, trig: Trigger, abs_trig: tuple[int, int], mentions: list[Mention], events: list[Event]
) -> bool:
    """ "An air strike killed 15 in Idlib. The monitor said the strike on the village was carried out by Russian
    planes": "the strike", no incident of its own, is the one just told, and the "by" that follows names who did
    it. The last event takes that doer if it names none."""
    if not events or any(r == "actor1" for _, r in events[-1].actors) or not _THE_BEFORE.search(folded, 0, trig.start):
        return False
    actors = [m for m in mentions if isinstance(m.entity, Actor) and m.entity.kind != "civilians"]
    doers = [_actor(m) for m in _agents_after_by(text, actors, abs_trig)]
    if not doers:
        return False
    last = events[-1]
    last.actors = [(a, "actor1") for a in doers] + [(a, r) for a, r in last.actors if a not in doers]
    return True


@cache
def _defence() -> re.Pattern:
    verbs = "|".join(map(re.escape, load_lexicon("roles")["defence_verbs"]))
    return re.compile(r"\b(?:" + verbs + r")\s+(?:[\w-]+\s+){0,6}$", re.IGNORECASE)


def _defended(text: str, subject_end: int, trig_start: int, trig_end: int) -> bool:
    """ "The army repelled seven waves of terrorist attacks": the trigger is the object of a verb of
    defence, or that verb itself ("the army repelled militants"), so its subject did not attack
    but was attacked."""
    return bool(
        _defence().fullmatch(text[trig_start:trig_end] + " ")
        or _defence().search(text, max(subject_end, trig_start - 60), trig_start)
    )


# the text says who did it: "the army blamed the attack on Boko Haram", "carried out by IS"
_BLAMED = re.compile(
    r"\b(?:blamed (?:(?!for\b)[\w']+ ){0,4}?on|attributed to|carried out by|perpetrated by|committed by)"
    r"\s+(?:the\s+)?(?:\w+\s+){0,2}$"
)
_BLAME_REACH = 60  # characters between a trigger and whom its attribution names
_BLAMED_ONE = re.compile(r"\bblamed\s+(?:the\s+)?$")
_FOR_AFTER = re.compile(r"\s+for\b")
# a weaker word, heeded where the clause names no doer: "a village claimed by IS" may be its holder's;
# "..., blaming the army for the incident": whom the sentence's source holds to account
_CLAIMED_BY = re.compile(r"\b(?:claimed by|came from|accused|accusing|blamed|blaming)\s+(?:the\s+)?(?:\w+\s+){0,2}$")
_CLAIMS = re.compile(r"(?:'s|\s+(?!no\b|not\b|none\b|nobody\b)\w+){0,3}?\s+claimed (?:responsibility|credit)")


def _segments(triggers: list[Trigger], dates: list[DateMention], sent: Sentence):
    """Split a sentence among its triggers: (trigger, abs start, abs end, date or None)."""
    if not triggers:
        return []
    bounds = []
    for i, t in enumerate(triggers):
        start = sent.start if i == 0 else sent.start + t.start
        bounds.append(start)
    # A date right before a trigger noun ("the June 7 twin attacks") moves the boundary back.
    for i, t in enumerate(triggers[1:], 1):
        for d in dates:
            if d.end <= sent.start + t.start and sent.start + t.start - d.end <= 25 and d.start > bounds[i - 1]:
                bounds[i] = min(bounds[i], d.start)
    ends = [*bounds[1:], sent.end]
    owned = {i: [d for d in dates if bounds[i] <= d.start < ends[i]] for i in range(len(triggers))}
    chosen: dict[int, DateMention | None] = {}
    spare: list[DateMention] = []
    for i, t in enumerate(triggers):
        ds = sorted(owned[i], key=lambda d: abs(d.start - (sent.start + t.start)))
        chosen[i] = ds[0] if ds else None
        spare += ds[1:]
    for i, t in enumerate(triggers):  # surplus dates go to triggers left without one
        if chosen[i] is None and spare and not t.reference:
            chosen[i] = spare.pop(0)
    return [(t, bounds[i], ends[i], chosen[i]) for i, t in enumerate(triggers)]


_TARGET = re.compile(
    r"\b(?:against|on|at|targeting|targeted|target|hit|struck|attacked|killing|killed|into|"
    r"toward|towards)"
    r"(?!\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+\w+day|dawn|night|\d+\w*|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|several\s+|\w+\s+){0,2}$"
)


def _roles(text: str, mentions: list[Mention], trig: tuple[int, int], targets: set[str]) -> list[tuple[Actor, str]]:
    """Who did what to whom. A compound or possessive right before the trigger acts ("Russian air
    strikes", "the regime's shelling"). Active: the subject, the leftmost actor before the trigger,
    acts, and one after "against/on/at" is the target. Passive: the actors after "by" act ("killed
    in raids by regime and Russian jets": both), and the subject was struck ("a helicopter was shot
    down": the loser). A source reporting its own deed acts ("the coalition said it had conducted
    nine airstrikes"), and so does the group an attacker comes from ("a suicide bomber from the
    Nusra Front"). Civilians are never the doer; everyone else named is associated."""
    named = [m for m in mentions if isinstance(m.entity, Actor)]
    actors = [m for m in named if not is_speaker(text, m)]

    def can_act(m: Mention) -> bool:
        return m.entity.kind != "civilians" and m.entity.id not in targets

    def cued(m: Mention) -> bool:
        return bool(_TARGET.search(fold(text[max(0, m.start - 40) : m.start])))

    between = [
        m for m in actors if re.search(r"\bbetween\s+(?:\S+\s+){0,3}$", fold(text[max(0, m.start - 40) : m.start]))
    ]
    if between:  # "clashes between the SNA and the SDF": both sides, in the order named
        sides = [between[0], *[m for m in actors if m.start > between[0].end][:1]]
        # a single side gives actor1 alone
        return _one_role_each(
            [(_actor(m), role) for m, role in zip(sides, ("actor1", "actor2"), strict=False)]
            + [(_actor(m), "associated") for m in actors]
        )
    before = [m for m in actors if m.start < trig[0]]
    after = [m for m in actors if m.start >= trig[1]]
    fought = _who_fought_the_dead(text, before, after, trig)
    if fought is not None:  # "IS fighters were killed in clashes with the SDF": the SDF struck, IS lost
        side, dead = fought
        roles = [(_actor(side), "actor1")] + ([(_actor(dead), "actor2")] if dead is not None else [])
        return _one_role_each(roles + [(_actor(m), "associated") for m in actors])
    defends = bool(_defence().fullmatch(text[trig[0] : trig[1]] + " "))  # "the army repelled militants"
    compound = [
        m
        for m in before
        if can_act(m)
        and not defends
        and not _fought(text, m)
        and _MODIFIER_GAP.fullmatch(text, m.end, trig[0])
        # "government forces backed by Hezbollah seized": the backer ends the phrase, the subject acts
        and not _backer(text, m)
    ]
    agents = [m for m in _agents_after_by(text, actors, trig) if can_act(m)]
    if not agents and _ATTACKER.search(fold(text[trig[0] : trig[1]])):
        agents = [m for m in after if can_act(m) and _FROM_GROUP.fullmatch(fold(text[trig[1] : m.start]))][:1]
    if not agents:  # "the bombardment the regime is carrying out", "strikes that Russian jets carried out"
        agents = [
            m
            for m in after[:1]
            if can_act(m) and _RELATIVE_GAP.fullmatch(text, trig[1], m.start) and _doing_after().match(text, m.end)
        ]
    lead = fold(text[max(0, trig[0] - 30) : trig[0]])
    passive = (
        bool(
            _PASSIVE_BEFORE.search(lead)
            # "Jaish al-Fatah pounded by 56 airstrikes": the trigger is the agent, what comes before was struck
            # (not "forces backed by air strikes", whom the strikes helped)
            or (_TRIGGER_AS_AGENT.search(lead) and not _holders().search(lead))
        )
        and not text[trig[0] : trig[1]].endswith("ing")
    )  # "are entering", "by shelling": done by them
    # "31 IS militants killed in northern Syria" (a headline's passive, its "were" left out): no object follows
    reduced = bool(
        before
        and _harm_participle().fullmatch(fold(text[trig[0] : trig[1]]))
        and _no_object_after().match(fold(text[trig[1] : trig[1] + 20]))
        and not _PERFECT_BEFORE.search(lead)
    )
    if reduced:
        compound = []  # "ISIS militants killed": a participle, not a deed the name before it modifies
    self_report = [m for m in named if m.start < trig[0] and can_act(m) and is_speaker(text, m)]
    doers: list[Mention] = []
    target = None
    if compound:  # "Russian air strikes ... in a village held by IS": the Russians struck
        doers = compound[-1:]
        for prev in reversed([m for m in before if m.end <= doers[0].start]):
            # "Syrian and Russian air strikes", "regime and Russian jets": every conjunct struck
            if not (can_act(prev) and not cued(prev) and _AND.fullmatch(fold(text[prev.end : doers[0].start]))):
                break
            doers.insert(0, prev)
        target = next((m for m in actors if cued(m) and m not in doers), None) or next(
            (m for m in after if m not in agents), None
        )
    elif agents:
        doers = agents
        target = before[-1] if before else None
    elif passive or reduced:  # "the helicopter was shot down": the subject is who was struck
        target = before[-1] if reduced and not cued(before[-1]) else next((m for m in before if not cued(m)), None)
        # "eight were killed when regime helicopters dropped barrel bombs": the clause that says how names who
        # (not "when the jets were shot down": there the clause's subject was struck too)
        doers = [
            m
            for m in after[:1]
            if can_act(m) and _WHEN_AFTER.fullmatch(fold(text[trig[1] : m.start])) and not _BEING.match(text, m.end)
        ]
    elif self_report and (
        _SELF_REPORT.search(fold(text[max(0, trig[0] - 40) : trig[0]]))
        or _own_arms_reported(text, self_report[-1], actors, trig[0])
    ):
        doers = self_report[-1:]
        target = next((m for m in after if cued(m)), None) or next(iter(after), None)
    else:
        # The subject comes first: the leftmost actor before the trigger that is not itself
        # the object of "against/on/at", preferring armed actors to people.
        subjects = [m for m in before if can_act(m) and not cued(m) and not _fought(text, m)]
        if _SCENE_OF.search(fold(text[max(0, trig[0] - 40) : trig[0]])):
            subjects = []  # "soldiers stand at the site of an explosion": the subject's verb is another
        # "soldiers captured after the ISIL terrorists overran the base": a clause opened before the
        # trigger has its own subject, right after the word that opens it
        subjects = [m for m in subjects if _opens_clause(text, m, trig[0])][-1:] or subjects
        doer = next((m for m in subjects if m.entity.kind != "person"), None) or next(iter(subjects), None)
        doers = [doer] if doer is not None else []
        if doer is not None and not _RECIPROCAL.search(fold(text[trig[0] : trig[1]])):
            # "the Syrian regime and Russian jets began an offensive": every conjunct of the subject
            # acts (not where two sides fight each other: "rebels and government forces battled")
            for nxt in (m for m in before if m.start >= doer.end and can_act(m)):
                if not _AND.fullmatch(fold(text[doers[-1].end : nxt.start])):
                    break
                doers.append(nxt)
        lead_from = max(0, trig[0] - 80)
        harmed = _harmed_in().search(fold(text[lead_from : trig[0]]))
        if (
            doer is not None
            and harmed is not None
            and doer.end <= lead_from + harmed.start()
            and not any(cued(m) for m in after)  # "fighters who died during an assault on IS" attacked
        ):
            # "dozens of ISIL fighters were killed in the air attacks": the subject was struck, not striking
            roles = [(_actor(doer), "actor2")] + [(_actor(m), "associated") for m in actors]
            return _one_role_each(roles)
        if doer is not None and _defended(text, doer.end, trig[0], trig[1]):
            # "the army repelled an attack": the subject defended; what it struck back at attacked
            attacker = next((m for m in after if can_act(m)), None)
            doers, target = ([attacker] if attacker else []), doer
            roles = [(_actor(m), "actor1") for m in doers] + [(_actor(doer), "actor2")]
            return _one_role_each(roles + [(_actor(m), "associated") for m in actors])
        # After the trigger comes the object: "raids targeted sites of Iran-backed militias"; where two sides
        # fight each other ("rebels and government forces battled"), the other side
        partner = next(
            (
                m
                for m in before
                if doer is not None
                and not after  # "rebels and the army battled ISIS": both fought ISIS
                and m.start >= doer.end
                and can_act(m)
                and _RECIPROCAL.search(fold(text[trig[0] : trig[1]]))
                and _AND.fullmatch(fold(text[doer.end : m.start]))
            ),
            None,
        )
        target = (
            partner
            or next((m for m in actors if cued(m) and m is not doer), None)
            or next((m for m in actors if not can_act(m)), None)
            or next(iter(after), None)
        )
    roles = [(_actor(m), "actor1") for m in doers] + ([(_actor(target), "actor2")] if target is not None else [])
    return _one_role_each(roles + [(_actor(m), "associated") for m in actors])


_PERFECT_BEFORE = re.compile(r"\b(?:has|have|had|having)\s+(?:\w+ly\s+|also\s+)?$")


@cache
def _harm_words() -> str:
    """The participles of harm to people ("killed", "wounded"), as a regex alternation."""
    return "|".join(map(re.escape, load_lexicon("roles")["harm_participles"]))


@cache
def _harm_participle() -> re.Pattern:
    return re.compile(rf"(?:{_harm_words()})")


@cache
def _no_object_after() -> re.Pattern:
    """After a harm participle, what shows it has no object: a stop, or a word that takes none ("in")."""
    words = "|".join(map(re.escape, load_lexicon("roles")["no_object_after"]))
    return re.compile(rf"\s*(?:[.,;:!?]|$)|\s+(?:{words})\b(?!\s+(?:least|most)\b)")


@cache
def _died_in() -> re.Pattern:
    """ "were killed on Monday in clashes with", "died during fighting with": the dead of a fight,
    then its other side (a headline's "killed in", its "were" left out, as well)."""
    return re.compile(rf"\b(?:{_harm_words()}|died|dead)\s+(?:[\w-]+\s+){{0,3}}?(?:in|during|amid)\s+(?:[\w-]+\s+)?$")


@cache
def _harmed_in() -> re.Pattern:
    """The subject's own harm, then the incident that did it: "were killed and many more were
    wounded in the air" (with its "were": "rebels killed five in an attack" harmed others)."""
    return re.compile(
        rf"\b(?:(?:was|were|been|are|is)\s+(?:\w+ly\s+)?(?:{_harm_words()})|died)\s+"
        r"(?:[\w-]+\s+){0,3}?(?:in|during|by|amid)\s+(?:[\w-]+\s+){0,2}$"
    )


_WITH_SIDE = re.compile(r"\s+with\s+(?:the\s+)?(?:[\w-]+\s+){0,2}")


def _who_fought_the_dead(
    text: str, before: list[Mention], after: list[Mention], trig: tuple[int, int]
) -> tuple[Mention, Mention | None] | None:
    """A fight told as where people died, and with whom ("dozens of IS fighters were killed in clashes
    with the SDF", "soldiers died in fighting with rebels"): the side they fought is the doer, the dead
    (the subject, if named) lost. (doer, dead), or None where the sentence is not told so."""
    if not _RECIPROCAL.search(fold(text[trig[0] : trig[1]])):
        return None
    if not _died_in().search(fold(text[max(0, trig[0] - 60) : trig[0]])):
        return None
    side = next(
        (m for m in after[:1] if m.entity.kind != "civilians" and _WITH_SIDE.fullmatch(text, trig[1], m.start)), None
    )
    if side is None:
        return None
    dead = next((m for m in reversed(before) if m.entity.id != side.entity.id), None)
    return side, dead


# an incident, then the clause that says who did it: "the bombardment [that] the regime is carrying out"
_RELATIVE_GAP = re.compile(r"[ \t]+(?:that[ \t]+|which[ \t]+)?(?:the[ \t]+)?")


@cache
def _doing_after() -> re.Pattern:
    """After a doer, that it carried out the incident before it: "Russian [jets] carried out"."""
    verbs = "|".join(map(re.escape, load_lexicon("roles")["doing_verbs"]))
    return re.compile(
        r"(?:[ \t]+(?!(?:is|are|was|were|has|have|had)\b)[\w-]+)?"
        r"(?:[ \t]+(?:is|are|was|were|has|have|had))?(?:[ \t]+been)?[ \t]+"
        rf"(?:{verbs})\b",
        re.IGNORECASE,
    )


# Between an actor and the trigger it modifies: "Russian air strikes", "the regime's shelling",
# "US-led raids", "Syrian and Russian strikes" (the last conjunct only: the first is its own mention).
_MODIFIER_GAP = re.compile(r"(?:'s|\u2019s|s)?(?:-led)?[ \t]*")
# "was shelled", "were also killed", and "has been the target of air bombardment": the subject was struck
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|be|is|are|got|get)\s+(?:(?:\w+ly|also|all|both|later|then)\s+)?$|\b(?:target|targets|object)\s+of\s+(?:[\w-]+\s+)?$"
)
_TRIGGER_AS_AGENT = re.compile(r"\b[a-z]+\s+(?:down\s+)?by\s+(?:[\d,]+\s+|a\s+|an\s+|the\s+)?$")
_SELF_REPORT = re.compile(
    r"\b(?:that\s+)?(?:it|they|its\s+\w+|their\s+\w+)\s+(?:had\s+|has\s+|have\s+)?(?:\w+\s+){0,2}$"
)
_BY = re.compile(r"\bby\s+")
# the trigger told as where or when something else happens: "at the site of an explosion", "in the aftermath of"
_SCENE_OF = re.compile(r"\b(?:site|scene|aftermath|wake)\s+of\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?$")
_BEING = re.compile(r"\s+(?:was|were|is|are|had been|has been|have been)\b")
# after a passive trigger, a few words and a clause of the same moment opened: "killed on Tuesday when the"
_WHEN_AFTER = re.compile(
    r"[ \t]+(?:[\w-]+[ \t]+){0,8}?(?:when|(?<!such )(?<!well )(?<!known )(?<!same )(?<!so )as)[ \t]+"
    r"(?:the[ \t]+|its[ \t]+|their[ \t]+)?(?:[\w-]+[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?)?"
)


@cache
def _arms_told() -> re.Pattern:
    """After a speaker's verb: a clause whose subject is arms no one is said to own ("said six
    long-range bombers that took off ... carried out strikes")."""
    lex = load_lexicon("roles")
    verbs = "|".join(map(re.escape, lex["speech_verbs"]))
    nouns = "|".join(sorted(map(re.escape, lex["state_nouns"]), key=len, reverse=True))
    return re.compile(
        r"(?:[ \t]*[,)])?[ \t]*(?:[\w.'-]+[ \t]+){0,3}?(?:"
        + verbs
        # words that describe the arms ("six long range Tu-22M3 strategic bombers"), not a clause of their
        # own ("said five people were killed in shelling")
        + r")[ \t]+(?:that[ \t]+)?(?:(?!(?:were|was|are|is|been|had|have|has|in|on|by|at|of|from|to|with)\b)"
        r"(?![\w-]+ed\b)[\w-]+[ \t]+){0,5}?(?:" + nouns + r")\b",
        re.IGNORECASE,
    )


def _own_arms_reported(text: str, speaker: Mention, actors: list[Mention], trig_start: int) -> bool:
    """ "Russia's military said six bombers carried out strikes": a speaker that tells of arms it
    names no owner for, and no one else between, tells of its own deed."""
    return not any(speaker.end <= m.start < trig_start for m in actors) and bool(
        _arms_told().match(text, speaker.end, trig_start)
    )


_FOUGHT = re.compile(
    r"\b(?:fighting|battling|combating|combatting|to\s+(?:oust|topple|overthrow|unseat|defeat|fight|drive\s+out))"
    r"\s+(?:against\s+)?(?:the\s+|president\s+)?$"
)


def _fought(text: str, m: Mention) -> bool:
    """ "The coalition fighting ISIS struck Raqqa", "tribesmen battling IS seized villages": the actor is
    whom the subject fights, not who struck."""
    return bool(_FOUGHT.search(fold(text[max(0, m.start - 30) : m.start])))


_CLAUSE_OPENER = re.compile(
    r"(?:\b(?:that|after|before|when|while|because|since|until|once|although|though|whereas)"
    # "as terrorists fired" ("such as", "as well as", "known as" name, they open no clause)
    r"|(?<!such )(?<!well )(?<!known )(?<!same )(?<!so )\bas)"
    # the group may be named as where its men come from: "as terrorists from Jaish al-Fatah fired"
    r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+(?:from|of|belonging\s+to)\s+(?:the\s+)?)?$"
)


def _opens_clause(text: str, m: Mention, trig_start: int) -> bool:
    """Is the actor the subject of a subordinate clause whose verb is the trigger ("after the ISIL
    terrorists overran", "claimed that Russian jets in violation of a ceasefire hit")? The opener right
    before it, a few words and no comma between it and the trigger."""
    between = text[m.end : trig_start]
    return (
        bool(_CLAUSE_OPENER.search(fold(text[max(0, m.start - 40) : m.start])))
        and not re.search(r"[,;:]", between)
        and len(between.split()) <= 8
    )


_ENDS_BY = re.compile(r"\bby$")
# "paramilitaries known as the SDF": the words that name the agent again are not more words before it
_APPOSITION = re.compile(r"\b(?:known as|called|dubbed|named)\s+(?:the\s+)?$")
_ATTACKER = re.compile(r"(?:bomber|attacker|gunman|gunmen|sniper|shooter|assailant|militant)s?$")
_FROM_GROUP = re.compile(r"\s+(?:from|of|belonging to|affiliated (?:to|with)|linked to)\s+(?:[\w'-]+\s+){0,4}")
_AND = re.compile(r"\s*(?:,|\band\b|\bor\b|\bas well as\b)\s*(?:the\s+)?(?:[\w-]+\s+){0,1}$")


@cache
def _holders() -> re.Pattern:
    """Words after which a "by" names who holds, backs or leads something, not who struck."""
    words = load_lexicon("roles")["holders"]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\s+(?:[\w-]+\s+){0,3}by\s+$")


def _backer(text: str, m: Mention) -> bool:
    """Is the actor the one who holds, backs or leads ("forces backed by the Lebanese group Hezbollah")?"""
    before = fold(text[max(0, m.start - 70) : m.start])
    by = re.search(r"\bby\s+(?:[\w-]+\s+){0,5}$", before)  # "by the Lebanese terrorist group Hezbollah"
    return by is not None and bool(_holders().search(before[: by.start() + 3]))


def _agents_after_by(text: str, actors: list[Mention], trig: tuple[int, int]) -> list[Mention]:
    """The doers a passive names after the trigger: "attacked by ISIS", "airstrikes by regime and
    Russian fighter jets" (every conjunct), but not the holder of a place named on the way ("a
    village held by Islamic State"), nor a "by" beyond another clause."""
    after = [m for m in actors if trig[1] <= m.start < trig[1] + 80]
    # "under siege by the SDF": a trigger that ends in its "by" names its agent next
    gap_from = trig[1] - 2 if _ENDS_BY.search(fold(text[trig[0] : trig[1]])) else trig[1]
    for i, m in enumerate(after):
        gap = fold(text[gap_from : m.start])
        by = max(_BY.finditer(gap), key=lambda b: b.start(), default=None)  # the last "by"
        if by is None or len(_APPOSITION.sub("", gap[by.end() :]).split()) > 5:
            if _TARGET.search(fold(text[max(0, m.start - 40) : m.start])):
                continue  # "strikes on IS positions by Russian jets": the target comes first
            return []  # "fighting shook Aleppo as rebels battled ... by": another clause
        lead = gap[: by.end()]
        if re.search(r"\band\b|[,;]", gap[: by.start()]) or _holders().search(lead):
            return []
        agents = [m]
        for nxt in after[i + 1 :]:
            if not _AND.fullmatch(fold(text[agents[-1].end : nxt.start])):
                break
            agents.append(nxt)
        return agents
    return []


def _actor(m: Mention) -> Actor:
    """The entity of a mention `_roles` kept: an actor's, always."""
    assert isinstance(m.entity, Actor)
    return m.entity


def _one_role_each(actors: list[tuple[Actor, str]]) -> list[tuple[Actor, str]]:
    """An actor named twice ("the SDF ... SDF fighters") plays its first role only."""
    roles: dict[str, tuple[Actor, str]] = {}
    for actor, role in actors:
        roles.setdefault(actor.id, (actor, role))
    return list(roles.values())


_RECIPROCAL = re.compile(r"clash|battl|fought|fight|skirmish")
_RELATIVE = re.compile(r"\b(?:who|which|that)\b")
_STRIKES = re.compile(r"strikes?|raids?|raided|struck")
_AIR_POWERS = {"state forces", "external forces"}


def _doer_kind(actors: list[tuple[Actor, str]]) -> str | None:
    return next((a.kind for a, r in actors if r == "actor1"), None)


def _territory_sub_type(actors: list[tuple[Actor, str]]) -> str:
    winner = next((a for a, r in actors if r == "actor1"), None)
    loser = next((a for a, r in actors if r == "actor2"), None)
    state = ("state forces", "external forces", "state")
    if (winner is not None and winner.kind in state) or (
        winner is None and loser is not None and loser.kind not in state
    ):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


_ONE_SIDED = {"Armed clash", "Attack"}
_ARMED_KINDS = {"armed group", "militia", "state forces", "external forces"}
_GROUP_KINDS = {"armed group", "militia"}
_WITH_CROWD = re.compile(r"\s*(?:with|against|between)\b")
_PASSIVE_END = re.compile(r"\b(?:was|were|been)\s+(?:\w+ly\s+|pronounced\s+|found\s+)?$")


@cache
def _struck() -> dict[str, re.Pattern]:
    return {name: re.compile(pattern) for name, pattern in load_lexicon("triggers")["struck"].items()}


def _kind_by_what_was_struck(event_type: str, sub_type: str, around: str) -> tuple[str, str]:
    """What was struck decides the kind: a helicopter shot down was fought over ("a Russian
    helicopter was shot down near Saraqeb"), a drone shot down is disrupted weapons use; the
    enemy's destroyed tanks are the fighting, not property destruction."""
    shot_down = re.search(r"\b(?:shot down|downed)\b", around)
    if sub_type == "Disrupted weapons use" and shot_down and _struck()["manned_aircraft"].search(around):
        return "Battles", "Armed clash"
    if sub_type == "Looting/property destruction" and _struck()["military_kit"].search(around):
        return "Battles", "Armed clash"
    return event_type, sub_type


def _kind_by_people(
    event_type: str, sub_type: str, trig: Trigger, subject: str, obj: str, actors: list[tuple[Actor, str]]
) -> tuple[str, str]:
    """Who takes part decides between ACLED's kinds of violence: an attack by a crowd that is no
    armed group is a riot ("residents beat up the commander"); an attack on unarmed people that
    names no fight is violence against civilians ("gunmen attacked a taxi driver", "militants
    killed five people", "a child was killed by a gunman")."""
    if event_type not in ("Battles", "Violence against civilians") or sub_type not in _ONE_SIDED:
        return event_type, sub_type
    people = _lexicon().people
    doer = _doer_kind(actors)
    passive = _PASSIVE_END.search(subject)  # "aid workers were attacked": the subject suffered
    # the crowd is the doer when it is the subject of a verb of violence ("residents beat up",
    # "youths attacked"), not of a noun ("residents face a siege") nor a victim ("13 citizens killed in attacks")
    acts = people["crowd_acts"].match(trig.text) and not passive and not trig.doer_unknown
    crowd = people["crowd"].search(subject) if acts else None
    if crowd and people["suffered"].search(subject[crowd.end() :]):
        crowd = None
    if crowd and doer not in _ARMED_KINDS and not people["armed"].search(subject[crowd.start() :]):
        return "Riots", "Mob violence"
    told = subject[-50:] if passive else obj  # who suffered: the passive subject, or the object
    fought = event_type == "Battles" and sub_type == "Armed clash" and not (trig.generic or trig.weak)
    opponent = _WITH_CROWD.match(obj) and people["crowd"].search(obj[:50])
    if fought and (crowd or opponent) and not any(a.kind in _GROUP_KINDS for a, _ in actors):
        return "Riots", "Mob violence"  # "police officers fought with market vendors": a crowd against the police
    # an armed actor on the receiving end ("the attack on an IRGC parade") makes it a fight; a
    # reference ("the culprits of Saturday's attack, which left civilians dead") keeps its telling's kind
    one_sided = (
        event_type == "Battles" and (trig.generic or trig.weak) and not trig.reference and not _armed_target(actors)
    )
    if one_sided and people["victims"].search(told) and not people["armed"].search(told):
        return "Violence against civilians", "Attack"
    if trig.against_armed and people["armed"].search(told) and not people["victims"].search(told):
        return "Battles", "Armed clash"
    return event_type, sub_type


def _armed_target(actors: list[tuple[Actor, str]]) -> bool:
    return any(role == "actor2" and actor.kind in _ARMED_KINDS for actor, role in actors)


def _demonstrations(events: list[Event], paragraph_of: dict[str, int], traces: list[SentenceTrace]) -> None:
    """A demonstration is told over several sentences; what the paragraph says of it sets its
    kind (ACLED's codebook). A clash of people with the police in it is part of it. Violence in
    it makes it a riot: a violent demonstration where the paragraph tells of demonstrators, else
    mob violence where a crowd attacked someone. Police who disperse or arrest make a protest one
    with intervention, and with deaths one with excessive force."""
    paragraphs: dict[int, list[Event]] = {}
    for event in events:
        paragraphs.setdefault(paragraph_of.get(event.id, -1), []).append(event)
    texts: dict[int, str] = {}
    for trace in traces:
        texts[trace.sentence.paragraph] = texts.get(trace.sentence.paragraph, "") + " " + fold(trace.text)
    interventions = _lexicon().people["interventions"]
    for paragraph, told in paragraphs.items():
        # a demonstration told as news, on its own day; not "the war began with protests in 2011"
        demonstration = [e for e in told if e.type in ("Protests", "Riots") and e.date_source == "sentence"]
        for event in told:
            if (
                event.type == "Battles"
                and event.sub_type == "Armed clash"
                and not _group_fought(event)
                and _together(event, demonstration)
            ):
                event.type = "Riots"
        text = texts.get(paragraph, "")
        for event in demonstration:
            incident = [e for e in told if e is event or _together(e, [event])]
            riots = [e for e in incident if e.type == "Riots"]
            if riots:
                demonstrators = any(e.type == "Protests" for e in incident) or _DEMONSTRATORS.search(text)
                mob = any(e.sub_type == "Mob violence" for e in riots)
                event.type = "Riots"
                event.sub_type = "Violent demonstration" if demonstrators or not mob else "Mob violence"
            elif interventions.search(text):
                died = any((e.fatalities and e.fatalities.best) for e in incident)
                event.sub_type = "Excessive force against protesters" if died else "Protest with intervention"
        for event in told:  # a clash made a riot above, outside any demonstration's incident
            if event.type == "Riots" and event.sub_type == "Armed clash":
                event.sub_type = "Violent demonstration"


_DEMONSTRATORS = re.compile(r"\b(?:demonstrat\w*|protest\w*|riot\w*|march(?:ed|es)?|rall(?:y|ies|ied))\b")


def _group_fought(event: Event) -> bool:
    """An armed group took part: a battle, whatever the crowd around it did."""
    return any(a.kind in _GROUP_KINDS for a, _ in event.actors)


def _together(event: Event, others: list[Event]) -> bool:
    """Another event of the paragraph on the same days: one incident, told in parts."""
    return any(
        other is not event
        and event.date is not None
        and other.date is not None
        and event.date.start <= other.date.end
        and other.date.start <= event.date.end
        for other in others
    )
