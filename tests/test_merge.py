"""One incident, one event: invented reports, merged within an article and across sources."""

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.merge import merge
from ingest.model import Article


def events_of(text: str, published: str = "2016-08-02"):
    return extract(Article(path="test.txt", text=text, published=parse_published(published)))[0]


def merged_reports(*texts: str, published: str = "2016-08-02"):
    """The events of several one-paragraph reports, merged across sources as a load does."""
    events = []
    for i, text in enumerate(texts):
        events += extract(Article(path=f"report{i}.txt", text=text, published=parse_published(published)))[0]
    return merge(events)


def test_one_doers_strikes_on_two_towns_on_one_day_stay_two_events():
    events = merged_reports(
        "Syrian warplanes struck a market in Saraqib on Monday, killing 9 people.\n",
        "Syrian warplanes struck a school in Maarat al-Numan on Monday, killing 4 people.\n",
    )
    assert sorted(e.places[0].name for e in events) == ["Maarat al-Numan", "Saraqib"]


def test_a_report_placed_in_the_province_joins_the_report_of_a_town_in_it():
    (event,) = merged_reports(
        "A Russian helicopter was shot down near Saraqib on Monday, the ministry said.\n",
        "A Russian military helicopter was shot down over Idlib province on Monday.\n",
    )
    assert len(event.evidence) == 2


def test_a_merged_event_does_not_widen_to_the_places_its_reports_name_in_passing():
    events = merged_reports(
        "Shelling killed 9 people in Jayrud on Saturday.\n",
        "Shelling killed 9 people in Jayrud, northeast of Damascus, on Saturday.\n",
        "Shelling killed 3 people in Damascus on Saturday.\n",
    )
    assert sorted((e.places[0].name, len(e.evidence)) for e in events) == [("Damascus", 1), ("Jayrud", 2)]


def test_the_headline_and_the_lead_of_a_shoot_down_are_one_event():
    events = events_of(
        "A Russian Mi-8 transport helicopter was shot down over Idlib province on Monday, the ministry said. "
        "The helicopter was shot down from the ground in Idlib on Monday after delivering aid.\n"
    )
    assert len(events) == 1 and len(events[0].evidence) == 2


def test_a_town_said_to_be_besieged_in_passing_is_no_second_event():
    (event,) = events_of("Air strikes on Douma the besieged rebel-held town east of Damascus killed six on Monday.")
    assert event.sub_type == "Air/drone strike"


def test_a_merged_event_keeps_only_the_places_that_hold_it_or_lie_in_it():
    (event,) = merged_reports(
        "Shelling killed 9 people in Jayrud in Rif Dimashq on Saturday.\n",
        "Shelling killed 9 people in Jayrud, northeast of Damascus, on Saturday.\n",
    )
    assert [p.name for p in event.places] == ["Jayrud", "Rif Dimashq"]


def test_a_retelling_that_adds_a_place_does_not_widen_where_the_incident_happened():
    events = events_of(
        "Rockets hit Aleppo on Sunday, killing 2 people. Rockets hit the village of Tallat al-Hajif on Sunday, "
        "killing a child. Rockets also hit Homs on Sunday, killing 4 people.\n"
    )
    assert sorted(e.places[0].name for e in events) == ["Aleppo", "Homs"]


def test_the_doer_of_a_merged_event_is_the_one_most_sources_name():
    (event,) = merged_reports(
        "Rebels shelled a market in Saraqib on Monday, killing 9 people.\n",
        "Syrian troops shelled a market in Saraqib on Monday, killing 9 people.\n",
        "Syrian troops shelled Saraqib on Monday, killing 10 people.\n",
    )
    assert next(a.name for a, r in event.actors if r == "actor1") == "Syrian government forces"
    assert "perpetrator" in event.disputed


def test_fighting_told_without_a_date_at_the_place_of_the_days_strike_is_that_incident():
    events = events_of(
        "Air strikes on Jassem in Daraa province killed 15 civilians on Monday. "
        "Clashes between rebels and the army still rage in Daraa province.\n"
    )
    assert len(events) == 1 and events[0].sub_type == "Air/drone strike"


def test_fighting_told_on_a_day_of_its_own_stays_apart_from_the_strike():
    events = events_of(
        "Air strikes on Jassem in Daraa province killed 15 civilians on Monday. "
        "On Sunday clashes between rebels and the army erupted in Daraa province.\n"
    )
    assert sorted(e.sub_type for e in events) == ["Air/drone strike", "Armed clash"]


def test_a_town_named_like_its_province_may_stand_for_the_province():
    events = events_of(
        "Israeli jets struck militia sites in Deir ez-Zor on Wednesday, killing 9 people. "
        "Five of the dead were killed in the airstrikes on Albu Kamal on Wednesday.\n"
    )
    assert len(events) == 1 and {"Deir ez-Zor", "Albu Kamal"} <= {p.name for p in events[0].places}


def test_the_day_a_source_spoke_does_not_date_the_incident_it_speaks_of():
    (event,) = events_of(
        "The toll from a car bomb blast in Idlib reached 40 people, the Observatory said on Sunday. "
        "Rescuers carried away 30 bodies from the site of Saturday's blast in Idlib.\n",
        published="2017-04-16",
    )
    assert event.date.display() == "2017-04-15"


def test_a_sentence_saying_when_the_incident_took_place_dates_it():
    (event,) = events_of(
        "An air strike hit a rebel base in Tabqa, killing 18 fighters. The incident occurred on April 11.\n",
        published="2017-04-13",
    )
    assert event.date.display() == "2017-04-11"


def test_deaths_told_on_the_day_of_a_shoot_down_are_that_incidents():
    (event,) = events_of(
        "A Russian helicopter was shot down over Idlib on Monday. The Monday downing left five Russians killed.\n",
        published="2016-08-01",
    )
    assert event.sub_type == "Armed clash" and len(event.evidence) == 2  # a helicopter shot down was fought over


def test_strikes_on_towns_named_in_one_list_are_one_event_per_town():
    events = events_of("Warplanes struck the towns of Saraqib and Binnish on Monday, killing 9 people.\n")
    assert sorted(e.places[0].name for e in events) == ["Binnish", "Saraqib"]
    assert [e.fatalities is not None for e in events] == [True, False]  # the toll is told once


def test_fighting_told_as_going_on_for_a_while_is_no_second_incident():
    (event,) = events_of(
        "A suicide bomber killed 29 people at the Atmeh crossing in Idlib on Thursday. "
        "Rebels have been fighting government forces in Aleppo.\n",
        published="2016-10-06",
    )
    assert event.sub_type == "Suicide bomb"


def test_the_governorate_named_as_the_citys_countryside_holds_the_city():
    (event,) = events_of(
        "Bomb Attacks in Rural Damascus Kill 50.\n"
        "Three blasts including a car bomb hit the Syrian capital of Damascus on Sunday.\n",
        "2016-02-21",
    )
    assert {p.name for p in event.places} >= {"Rif Dimashq", "Damascus"}
    (event,) = merged_reports(
        "A car bomb killed 12 people in Damascus on Sunday.\n",
        "A car bomb killed 12 people in Rural Damascus on Sunday.\n",
        published="2016-02-21",
    )
    assert len(event.evidence) == 2


def test_a_telling_of_its_own_day_at_a_known_town_is_not_the_incident_at_a_name_the_gazetteer_lacks():
    events = events_of(
        "Airstrikes targeted the nearby towns of Rastan and Zafarana on Friday. "
        "Civilian homes in the district of Alwaer in Homs were subject to intense regime shelling on Friday.\n"
    )
    assert sorted(e.places[0].name for e in events) == ["Alwaer", "Ar Rastan", "Zafarana"]


def test_a_bomb_driven_to_its_target_is_no_strike_from_afar_told_in_the_same_article():
    events = events_of(
        "The Observatory reported Russian air raids on the western front lines of Aleppo. "
        "Car bombs killed at least 18 soldiers in Aleppo on Friday.\n",
        published="2016-10-29",
    )
    assert sorted(e.sub_type for e in events) == ["Air/drone strike", "Remote explosive/landmine/IED"]


def test_deaths_told_on_the_day_at_a_known_town_are_not_the_incident_at_a_name_the_gazetteer_lacks():
    events = events_of(
        "Airstrikes targeted the nearby towns of Rastan and Zafarana on Sunday. "
        "Five died in the village of Kafr Laha on Sunday.\n"
    )
    assert sorted(e.places[0].name for e in events) == ["Ar Rastan", "Kafr Laha", "Zafarana"]


def test_a_city_told_by_its_neighbourhood_and_another_town_of_its_province_stay_two_events():
    # "Aleppo" may stand for the province it names, but a report that names a neighbourhood of it
    # means the city: rockets there and rockets on Jarablus the same day are two incidents
    events = merged_reports(
        "Rocket shells fired on Aleppo on Tuesday killed 6 civilians in its al-Athamiyeh neighbourhood.\n",
        "Islamic State rockets killed four Turkish soldiers in Jarablus on Tuesday.\n",
        published="2016-09-06",
    )
    assert sorted((e.places[0].name, e.fatalities.best) for e in events) == [("Aleppo", 6), ("Jarabulus", 4)]


def test_a_report_of_the_province_still_joins_the_report_of_a_town_in_it():
    (event,) = merged_reports(
        "Islamic State rockets killed four Turkish soldiers in Aleppo province on Tuesday.\n",
        "Islamic State rockets killed four Turkish soldiers in Jarablus on Tuesday.\n",
        published="2016-09-06",
    )
    assert len(event.evidence) == 2


def test_doers_a_source_names_together_with_the_merged_events_doer_are_doers_too():
    (event,) = merged_reports(
        "Russian jets struck a market in Saraqib on Monday, killing 9 people including Syrian soldiers.\n",
        "Syrian and Russian air strikes hit a market in Saraqib on Monday, killing 9 people.\n",
        "Syrian and Russian warplanes struck a market in Saraqib on Monday, killing nine.\n",
    )
    doers = [a.name for a, r in event.actors if r == "actor1"]
    assert doers == ["Russian forces", "Syrian government forces"]


def test_the_incident_named_without_a_day_of_its_own_is_the_one_told_not_the_paragraphs_last_day():
    events = events_of(
        "Turkish air strikes killed 20 civilians near Jarabulus on Sunday. It came after Turkey on Saturday "
        "suffered its first fatality. The monitor said the bombardment targeted an area south of Jarabulus.\n"
    )
    assert len(events) == 1 and events[0].date.display() == "2016-07-31" and len(events[0].evidence) == 2
