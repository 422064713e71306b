"""Who and where a text names, read in context: a dateline is not where it happened, a capital
that acts ("Tehran retaliated") or a country before arms ("Russian jets") is its state's forces,
"the Libyan capital" is Tripoli, "the city" is the last town named, a name shared by places in
several countries is read in the country the article is about, a speaker is a source."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.gazetteer import (
    LOCATIVE,
    Actor,
    Mention,
    Spans,
    in_organisation_name,
    load_gazetteer,
    names_a_side,
    slug,
)
from ingest.geo import Place
from ingest.lexicon import load_lexicon
from ingest.places import home_countries, seat_before
from ingest.text import alias_key, fold

_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|near|from|to|of|on|into|outside)\s+$", re.IGNORECASE)
_SOURCE_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?(?:(?:al|el)-)?$", re.IGNORECASE)
_VERB_AFTER = re.compile(
    r"\s+(?:\w+ed|says|said|is|was|has|had|struck|fought|sent|vowed|warned|began|begins|hit|shot)\b"
    # "how Washington and its allies could respond", "raids by Moscow and its allies": a government's coalition
    r"|\s+and\s+(?:its|their)\s+(?:[A-Z][\w-]*\s+)?(?:allies|partners|backers)\b"
)
_DATELINE_END = re.compile(r"[ \t]*(?:\([^)]{0,30}\)[ \t]*)?[-\u2013\u2014:]")
_ANAPHORA = re.compile(
    r"\bthe (?P<place>city|town|village|area|province|region|capital)\b(?! of\b)|"
    r"\bthe (?P<group>group|organi[sz]ation|militants|jihadists|extremists|terrorists)\b",
    re.IGNORECASE,
)


_NAME_AFTER = re.compile(r"[ \t]+[A-Z]")
_TOWN_WORDS = frozenset({"city", "town", "village"})
_WIDER_THAN_A_TOWN = frozenset({"country", "admin1"})


def resolve_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """The document's mentions, read in context: a dateline, or an outlet named like a place
    ("according to Al-Manar reporter"), is not a place; a capital that acts
    ("Tehran retaliated") is its state; "the city" and "the group" are the last place and armed
    group named before."""
    gaz = load_gazetteer()
    out: list[Mention] = []
    for m in mentions:
        if isinstance(m.entity, Place) and (
            is_dateline(text, m)
            or _SOURCE_BEFORE.search(text, max(0, m.start - 20), m.start)
            or names_a_side(text, m.start, m.end)
            or in_organisation_name(text, m.start, m.end)
            or _speaking_state(text, m)
            or seat_before(text, m.start)
        ):
            continue
        if (
            isinstance(m.entity, Place)
            and m.entity.kind == "capital"
            and _VERB_AFTER.match(text, m.end)
            and not _PREPOSITION_BEFORE.search(text, max(0, m.start - 8), m.start)
        ):
            state = gaz.state_actors.get(m.entity.country) if m.entity.country else None
            if state:
                out.append(Mention(m.start, m.end, m.surface, state))
            continue
        out.append(m)
    out = _disambiguate(text, out)
    out = _state_forces(text, out)
    out = _capitals_by_demonym(text, out)
    named = sorted(out, key=lambda m: m.end)
    taken = Spans([(m.start, m.end) for m in out])
    last_place: Mention | None = None  # the antecedents so far, walking the text once
    last_town: Mention | None = None  # "the town" means a town, not "the region of Hama" named after it
    last_group: Mention | None = None
    last_capital: Mention | None = None  # "rebels fired rockets at the capital": the capital named last
    resolved_place: Mention | None = None
    resolved_group: Mention | None = None
    i = 0
    for a in _ANAPHORA.finditer(text):
        while i < len(named) and named[i].end <= a.start():
            m = named[i]
            if isinstance(m.entity, Place) and m.entity.kind != "country":
                last_place = m
                if m.entity.kind not in _WIDER_THAN_A_TOWN:
                    last_town = m
                if m.entity.kind == "capital":
                    last_capital = m
            elif isinstance(m.entity, Actor) and m.entity.kind == "armed group":
                last_group = m
            i += 1
        if taken.overlap(a.start(), a.end()):
            continue
        if a["place"] is not None and a["place"].lower() == "capital":
            # a capital told in its own words keeps them: "the capital Damascus" is named right after
            if (
                last_capital is not None
                and a.start() - last_capital.end < 1500
                and not _NAME_AFTER.match(text, a.end())
            ):
                out.append(Mention(a.start(), a.end(), a.group(0), last_capital.entity))
            continue
        # "the city" keeps meaning the town it first meant: the topic of the passage, which a
        # capital named in passing ("a rift between Tehran and Moscow") does not displace
        town_word = a["place"] is not None and a["place"].lower() in _TOWN_WORDS
        chained = resolved_place if a["place"] else resolved_group
        if town_word and chained is not None and chained.entity.kind in _WIDER_THAN_A_TOWN:
            chained = None
        antecedent = (
            chained
            if chained is not None and a.start() - chained.end < 1500
            else ((last_town if town_word else last_place) if a["place"] else last_group)
        )
        if antecedent is not None and a.start() - antecedent.end < 1500:
            resolved = Mention(a.start(), a.end(), a.group(0), antecedent.entity)
            out.append(resolved)
            if a["place"]:
                resolved_place = resolved
            else:
                resolved_group = resolved
    return sorted(out, key=lambda m: m.start)


@cache
def _role_words() -> tuple[re.Pattern, re.Pattern]:
    lex = load_lexicon("roles")
    nouns = "|".join(sorted(map(re.escape, lex["state_nouns"]), key=len, reverse=True))
    # the word between may not say the forces are no state's: "Syrian opposition forces", "Syrian rebel fighters"
    not_state = "|".join(map(re.escape, lex["not_state_words"]))
    state = re.compile(
        r"(?:'s|\u2019s|s)?(?:-led)?(?:\s+(?:and|or)\s+[A-Z][\w-]*)?\s+(?:(?!(?:" + not_state + r")\b)[\w-]+\s+)?"
        r"(?:" + nouns + r")\b",
        re.IGNORECASE,
    )
    verbs = "|".join(map(re.escape, lex["speech_verbs"]))
    speech = re.compile(r"(?:[ \t]*[,)])?[ \t]*(?:[\w.'-]+[ \t]+){0,3}?(?:" + verbs + r")\b", re.IGNORECASE)
    return state, speech


def _state_forces(text: str, mentions: list[Mention]) -> list[Mention]:
    """A country or its demonym before a word of arms is the country's state forces: "Russian
    jets", "Syrian and Russian air strikes", "US airstrike", "Malian soldiers"; so is a country
    that acts in the passive: "missiles fired by Iran"."""
    gaz = load_gazetteer()
    state_noun = _role_words()[0]
    out = []
    for m in mentions:
        if (
            isinstance(m.entity, Place)
            and m.entity.kind == "country"
            and m.entity.country is not None
            and (state_noun.match(text, m.end) or _BY_AGENT.search(text, max(0, m.start - 4), m.start))
        ):
            actor = gaz.state_forces(m.entity.country)
            m = Mention(m.start, m.end, m.surface, actor) if actor else m
        out.append(m)
    taken = Spans([(m.start, m.end) for m in out])
    demonyms = gaz.places.countries_by_demonym
    home = home_countries(out, fold(text))
    own_forces = gaz.state_forces(home[0]) if home else None
    for w in _own_state_word().finditer(text):  # "regime warplanes", "government troops": the home state's
        if taken.overlap(w.start(), w.end()) or not state_noun.match(text, w.end()):
            continue
        forces = own_forces
        if _NAME_BEFORE.search(text, max(0, w.start() - 30), w.start()) and _named_right_before(out, text, w.start()):
            # "Hamas government": a name says whose; "the capital Damascus government forces" (the
            # commas stripped), "Kabul government forces": a capital or a country says its state's
            # (a capitalised word that names nothing, "Three regime airstrikes", says nothing of whose)
            whose = _state_named_before(out, text, w.start())
            forces = gaz.state_forces(whose) if whose else None
        if forces is None:
            continue
        out.append(Mention(w.start(), w.end(), w.group(0), forces))
        taken = Spans([(m.start, m.end) for m in out])
    for w in _own_state().finditer(text):  # "the regime", "the army": the home state's, unless "of" says whose
        if own_forces is None or taken.overlap(w.start(1), w.end(1)) or _OF_AFTER.match(text, w.end()):
            continue
        out.append(Mention(w.start(1), w.end(1), w.group(1), own_forces))
        taken = Spans([(m.start, m.end) for m in out])
    for w in _group_adjective().finditer(text):  # "rebel shelling", "opposition fire": the group's
        if taken.overlap(w.start(), w.end()) or not _attack_noun().match(text, w.end()):
            continue
        group = gaz.actors.get(slug(load_lexicon("roles")["group_adjectives"][w.group(0).lower()]))
        if group is not None:
            out.append(Mention(w.start(), w.end(), w.group(0), group))
            taken = Spans([(m.start, m.end) for m in out])
    for w in _LED.finditer(text):  # "US-led strikes": the leading country's forces (its name alone is no place)
        if taken.overlap(w.start(), w.end()) or not state_noun.match(text, w.end(1)):
            continue
        country = next((f.entity.country for f in gaz.find(w.group(1)) if isinstance(f.entity, Place)), None)
        country = country or demonyms.get(fold(w.group(1)))
        forces = gaz.state_forces(country) if country else None
        if forces is not None:
            out.append(Mention(w.start(1), w.end(1), w.group(1), forces))
    for i, m in enumerate(out):  # "Bashar al-Assads forces": a leader's forces are the state's
        if isinstance(m.entity, Actor) and m.entity.kind == "person" and state_noun.match(text, m.end):
            forces = next((a for a in gaz.state_actors.values() if a.country == m.entity.country), None)
            if forces is not None:
                out[i] = Mention(m.start, m.end, m.surface, forces)
    for w in _CAPITALISED_WORD.finditer(text):
        country = demonyms.get(fold(w.group(0)))
        if country is None or taken.overlap(w.start(), w.end()) or not state_noun.match(text, w.end()):
            continue
        actor = gaz.state_forces(country)
        if actor:
            out.append(Mention(w.start(), w.end(), w.group(0), actor))
    return sorted(out, key=lambda m: m.start)


def _named_right_before(mentions: list[Mention], text: str, at: int) -> bool:
    """Does a name the gazetteer knows (an actor, a place) end right before `at`?"""
    return any(m.end <= at and not text[m.end : at].strip() for m in mentions)


def _state_named_before(mentions: list[Mention], text: str, at: int) -> str | None:
    """The country of a capital or a country named right before `at`, if one is."""
    return next(
        (
            m.entity.country
            for m in mentions
            if isinstance(m.entity, Place)
            and m.entity.kind in ("capital", "country")
            and m.end <= at
            and not text[m.end : at].strip()
        ),
        None,
    )


_BY_AGENT = re.compile(r"\bby\s+$")
_LED = re.compile(r"\b([A-Z][\w.]*)-led\b")
_NAME_BEFORE = re.compile(r"[A-Z][\w'-]*\s+$")


_OF_AFTER = re.compile(r"\s+of\b(?!\s+\w+ing\b)")  # "the army of Iraq"; not "accused the army of gassing"


@cache
def _own_state() -> re.Pattern:
    nouns = "|".join(map(re.escape, load_lexicon("roles")["own_state_nouns"]))
    return re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(" + nouns + r")\b")


@cache
def _own_state_word() -> re.Pattern:
    words = "|".join(map(re.escape, load_lexicon("roles")["own_state_words"]))
    # not "anti-government forces", "anti-regime fighters": those fight the state (`group_adjectives`)
    return re.compile(r"(?<!anti-)(?<!anti )\b(?:" + words + r")\b", re.IGNORECASE)


@cache
def _group_adjective() -> re.Pattern:
    words = "|".join(map(re.escape, load_lexicon("roles")["group_adjectives"]))
    return re.compile(r"\b(?:" + words + r")\b(?!-)", re.IGNORECASE)


@cache
def _attack_noun() -> re.Pattern:
    """Right after a group's adjective, maybe past one word ("rebel rocket fire"): a word of arms or attack.
    Not a second side joined by "and" ("fighting between the opposition and the Assad regime")."""
    lex = load_lexicon("roles")
    nouns = "|".join(sorted(map(re.escape, lex["state_nouns"] + lex["attack_nouns"]), key=len, reverse=True))
    return re.compile(r"[ \t]+(?:(?!(?:and|or)\b)[\w-]+[ \t]+)?(?:" + nouns + r")\b", re.IGNORECASE)


_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]+\b")


# "the Libyan capital"; not "its Syrian capital of Raqqa", which names its own.
_DEMONYM_CAPITAL = re.compile(r"(?<!\bits )(?<!\btheir )(?<!\bhis )\b([A-Z][a-z]+) capital\b(?! of\b)")


def _capitals_by_demonym(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "the Libyan capital" is Tripoli, Libya; so is "Libya's capital" ("Syrias capital", the apostrophe
    stripped); "the Syrian side of the border" is Syria."""
    gaz = load_gazetteer()
    taken = Spans([(m.start, m.end) for m in mentions])
    out = []
    for m in mentions:
        after = _CAPITAL_AFTER.match(text, m.end)
        capital = (
            gaz.places.capital(m.entity.country)
            if after and isinstance(m.entity, Place) and m.entity.kind == "country" and m.entity.country
            else None
        )
        if capital and after and m.surface.endswith("s"):  # "Syria's", "Syrias": not "Syria capital"
            m = Mention(m.start, after.end(), text[m.start : after.end()], capital)
        out.append(m)
    for w in _DEMONYM_CAPITAL.finditer(text):
        country = gaz.places.countries_by_demonym.get(fold(w.group(1)))
        capital = gaz.places.capital(country) if country else None
        if capital and not taken.overlap(w.start(), w.end()):
            out.append(Mention(w.start(), w.end(), w.group(0), capital))
    for w in _DEMONYM_SIDE.finditer(text):
        country = gaz.places.countries_by_demonym.get(fold(w.group(1)))
        if country and not taken.overlap(w.start(), w.end()):
            out.append(Mention(w.start(), w.end(), w.group(0), gaz.places.country(country)))
    return sorted(out, key=lambda m: m.start)


_CAPITAL_AFTER = re.compile(r"[ \t]+capital\b(?![ \t]+(?:of|city of)\b)")
_DEMONYM_SIDE = re.compile(r"\b([A-Z][a-z]+) side of the (?:border|frontier)\b")


def _speaking_state(text: str, m: Mention) -> bool:
    """ "The United States has said the deaths were caused by sarin", "Russia said": a country that
    speaks is a source of the report, not where the incident happened."""
    return (
        isinstance(m.entity, Place)
        and m.entity.kind == "country"
        and bool(_country_speaks().match(text, m.end))
        and not _PREPOSITION_BEFORE.search(text, max(0, m.start - 8), m.start)
    )


@cache
def _country_speaks() -> re.Pattern:
    """Right after a country: a verb of speech it is the subject of ("has said", "also warned")."""
    verbs = "|".join(map(re.escape, load_lexicon("roles")["speech_verbs"]))
    return re.compile(r"[ \t]+(?:(?:has|have|had|also|again)[ \t]+){0,2}(?:" + verbs + r")\b", re.IGNORECASE)


def is_speaker(text: str, m: Mention) -> bool:
    """ "Zarif told reporters", "according to the Russian army": a source of the report."""
    return bool(_role_words()[1].match(text, m.end)) or text[max(0, m.start - 20) : m.start].lower().rstrip().endswith(
        "according to"
    )


def _disambiguate(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name shared by places in several countries is read in the country the article talks
    about most: the countries it names, its demonyms ("Syrian", "Yemeni"), the countries of the
    armed groups it names ("the New People's Army": the Philippines), and the likeliest reading of
    its other places (more when every reading lies in one country). The index already ranks
    readings (population first); another reading needs FLIP_MARGIN more votes than that one. A town
    named with its division is read inside it. A name read only as an exonym or old name of a town
    in a country nothing else in the article names ("the White House said": Casablanca) is no
    place, unless it stands where a place is expected ("the town of Qara"); so is a hamlet abroad
    that the article's countries outvote (`_unsupported_village_abroad`)."""
    mentions = _read_with_their_divisions(text, mentions)
    weight: Counter = Counter()
    demonyms = load_gazetteer().places.countries_by_demonym
    for word in _DEMONYM_WORD.findall(fold(text)):
        if word in demonyms:
            weight[demonyms[word]] += 2
    for country in _countries_of_armed_groups(mentions):  # "the New People's Army": the Philippines
        weight[country] += 2
    support = Counter(dict.fromkeys(weight, 2))  # a demonym or a group said many times names its country once
    by_name: dict[str, Counter] = {}  # the votes each name casts, under every spelling of it
    for m in mentions:
        if isinstance(m.entity, Place):
            single = all(p.country == m.entity.country for p in m.candidates)
            vote = 3 if m.entity.kind == "country" else 2 if single else 1
            weight[m.entity.country] += vote
            support[m.entity.country] += vote
            by_name.setdefault(fold(m.surface), Counter())[m.entity.country] += vote
    out = []
    for m in mentions:
        if isinstance(m.entity, Place) and m.entity.kind != "country":  # "Iraq" is Iraq
            others = weight - by_name[fold(m.surface)]  # a name does not vote for its own reading
            options = [m.entity, *m.candidates]
            best = max(options, key=lambda p: (others[p.country], -options.index(p)))
            if others[best.country] < others[m.entity.country] + FLIP_MARGIN:
                best = m.entity  # one other ambiguous name is no reason to leave the likeliest reading
            if (
                best.id in m.alternates
                and not others[best.country]
                and not LOCATIVE.search(text[max(0, m.start - 40) : m.start].lower())
            ):
                continue
            if _unsupported_village_abroad(best, support, by_name[fold(m.surface)]):
                continue
            if best is not m.entity:
                m = Mention(m.start, m.end, m.surface, best, tuple(p for p in options if p is not best), m.alternates)
        out.append(m)
    return out


_DEMONYM_WORD = re.compile(r"[a-z]+")
# Between a town and the division it is named with: "Cordoba, in the state of Veracruz", "El Alto,
# La Paz", "Marabo (Irumu, Ituri)", "Sfantu Gheorghe of the Covasna county"; within one sentence.
_WITH_DIVISION = re.compile(r"[^.;!?\n]{0,60}")
_DIVISION_JOINER = re.compile(r"[,(]|\b(?:in|of)\b")


def _read_with_their_divisions(text: str, mentions: list[Mention]) -> list[Mention]:
    """A town named with its division is the town of that name inside a division of that name:
    "Cordoba, in the state of Veracruz" is Cordoba, Mexico, and Veracruz the Mexican state, though
    Argentina's Cordoba is bigger and Brazil has towns called Vera Cruz. Both are read so, with no
    other reading left to vote for or to flip to."""
    places = [(i, m) for i, m in enumerate(mentions) if isinstance(m.entity, Place)]
    fixed: dict[int, Place] = {}
    for k, (i, town) in enumerate(places):
        if i in fixed:
            continue
        for j, division in places[k + 1 : k + 3]:
            gap = text[town.end : division.start]
            if not _WITH_DIVISION.fullmatch(gap) or not _DIVISION_JOINER.search(gap):
                break
            found = next(
                (
                    (p, q)
                    for p in (town.entity, *town.candidates)
                    if p.kind in ("city", "capital")
                    for q in (division.entity, *division.candidates)
                    if q.kind == "admin1" and (p.country, p.admin1) == (q.country, q.name)
                ),
                None,
            )
            if found is not None:
                fixed[i], fixed[j] = found
                break
    return [
        Mention(m.start, m.end, m.surface, fixed[i], (), m.alternates) if i in fixed else m
        for i, m in enumerate(mentions)
    ]


def _countries_of_armed_groups(mentions: list[Mention]) -> list[str]:
    """The countries of the armed groups named (one entry a mention), as codes: a group of one
    country tells where the article is, as its demonym would."""
    return [
        code
        for m in mentions
        if isinstance(m.entity, Actor)
        and m.entity.kind == "armed group"
        and m.entity.country
        and (code := _country_code(m.entity.country)) is not None
    ]


@cache
def _country_code(name: str) -> str | None:
    """ "Democratic Republic of Congo" -> "CD": the country the gazetteer calls so, by any of its names."""
    key = alias_key(name)
    readings = load_gazetteer().places.lookup([key]).get(key, [])
    return next((r.place.country for r in readings if r.place.kind == "country"), None)


def _unsupported_village_abroad(place: Place, support: Counter, own: Counter) -> bool:
    """Is `place` a small town of a country nothing else in the article names, in an article that
    names another country more surely than this name names its own (`support`: the votes of the
    places, and of each demonym once; `own`: this name's)? Then it is a village the gazetteer lacks,
    spelt like one abroad ("Tieba" in a report on Bankass, Mopti is no Chinese hamlet; "Sinai"
    beside "Egyptian forces" no village of Ecuador): no place, rather than a place across the world.
    A curated place is one news names ("Israeli jets struck the Golan")."""
    others = support - own
    return (
        place.kind == "city"
        and place.population < SMALL_TOWN
        and not others[place.country]
        and max(others.values(), default=0) > own[place.country]
        and not load_gazetteer().places.curated(place.id)
    )


SMALL_TOWN = 50_000  # people: a town abroad this small is named in news of elsewhere only with its country
# How many more votes another reading needs than the index's likeliest: a country named (3), a
# demonym or a name of one country only (2) flip a reading; one name of several countries (1) does not.
FLIP_MARGIN = 2


def is_dateline(text: str, m: Mention) -> bool:
    """ "TEHRAN – ..." at the head of a paragraph says where the story was filed, not where it happened;
    so does "WASHINGTON (Sputnik)" in capitals before an outlet's name, where a scraped page ran the
    headline and the dateline into one line."""
    if m.surface.isupper() and len(m.surface) > 3 and _OUTLET_AFTER.match(text, m.end):
        return True
    if m.surface.isupper() and len(m.surface) > 3 and _SENTENCE_AFTER.match(text, m.end):
        # "Last updated at Jul 012016 BEIRUT At least 70 ...": a name in capitals before a sentence is a
        # dateline run into page furniture (news writes no place in capitals in its prose)
        return not _PREPOSITION_BEFORE.search(text, max(0, m.start - 8), m.start)
    return (m.start == 0 or text[m.start - 1] == "\n") and bool(_DATELINE_END.match(text, m.end))


_SENTENCE_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
_OUTLET_AFTER = re.compile(r"[ \t]*\([A-Z][^()]{0,30}\)")
