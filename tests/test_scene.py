"""Precision of the scene: an event only where one happened, at its own date and place (issue 24).

Invented sentences, each pinning one rule a journalist would state about news in general."""

from ingest.dates import find_dates, parse_published
from ingest.extract import extract
from ingest.model import Article
from ingest.text import fold


def events_of(text: str, published: str | None = "2019-03-20"):
    article = Article(path="test.txt", text=text, published=parse_published(published) if published else None)
    return extract(article)[0]


def dates_of(sentence: str, published: str = "2019-03-20") -> list[str]:
    return [d.expression for d in find_dates(fold(sentence), sentence, parse_published(published))]


def test_a_clock_time_is_no_year():
    assert dates_of("The jets came back at 2000 GMT and again at 0400 local time.") == []


def test_a_date_after_publication_dates_no_event():
    (event,) = events_of("AFP 2021 Rebels shelled the town of Saraqib.")
    assert event.date.display() == "2019-03-20" and event.date_source == "published"


def test_a_background_year_does_not_date_the_sentences_after_it():
    events = events_of(
        "Aleppo was engulfed by fighting in 2012. Hezbollah said it had seized the plain outside Zabadani.",
        "2015-07-21",
    )
    seized = next(e for e in events if "Zabadani" in [p.name for p in e.places] or e.trigger == "seized")
    assert seized.date.display() == "2015-07-21"


def test_a_recent_date_still_dates_the_sentences_after_it():
    events = events_of("A car bomb exploded in Azaz on Sunday. The blast killed nine people.", "2015-07-21")
    assert {e.date.display() for e in events} == {"2015-07-19"}


def test_the_start_of_the_war_is_no_event():
    assert (
        events_of(
            "The conflict which started when regime forces brutally repressed peaceful protests in 2011 "
            "has descended into a civil war.",
            "2015-07-21",
        )
        == []
    )
    assert events_of("Diplomats see no end to a civil war which sprung from a March 2011 uprising.", "2013-09-10") == []
    events = events_of(
        "It was the deadliest attack on a school since the war began more than five years ago.", "2016-10-26"
    )
    assert all(e.date.display() != "2011" for e in events)


def roles(event) -> dict[str, str]:
    return {a.name: r for a, r in event.actors if r != "associated"}


def places_of(text: str, published: str = "2016-10-06") -> list[list[str]]:
    return [[p.name for p in e.places] for e in events_of(text, published)]


def test_a_place_inside_an_organisations_name_is_no_scene():
    assert places_of("Clashes broke out on Monday near Qamishli, a commander told Agence France Presse.") == [
        ["Qamishli"]
    ]
    assert places_of("Fighters of the Failaq al-Sham clashed with ISIS near Azaz on Monday.") == [["Azaz"]]


def test_of_leads_to_a_place_only_after_a_word_of_place():
    assert places_of("Rescue workers of the Civil Defence said a blast killed 12 people on Monday.") == [[]]
    assert places_of("A bomb killed five people in the village of Hass on Monday.") == [["Hass"]]


def test_a_place_in_the_possessive_before_a_common_noun_owns_it():
    assert places_of("Rebels clashed with ISIS on Monday in Ankaras offensive near Jarablus.") == [["Jarabulus"]]
    assert places_of("Insurgents fought back on Monday against Russias intervention in Idlib.") == [["Idlib"]]
    # before a word of place it is still the scene, and a name ending in s is no possessive
    assert places_of("Jets struck Aleppos outskirts on Monday.") == [["Aleppo"]]
    assert places_of("Damascus explosion due to rocket bomb.") == [["Damascus"]]


def test_a_countrys_capital_in_the_possessive_is_its_capital():
    assert places_of("At least 50 fighters were killed Tuesday in clashes east of Syrias capital.") == [["Damascus"]]


def test_what_is_told_of_a_period_longer_than_a_week_is_no_event():
    assert events_of("More than 520 US airstrikes since 21 May have killed 229 civilians.", "2016-07-29") == []
    assert (
        events_of("Airstrikes between April 27 and May 18 had eliminated three leaders in Raqqa.", "2017-05-27") == []
    )
    # a fight since Tuesday, or over two days, is one incident
    assert len(events_of("Clashes since Tuesday have killed 20 fighters in Azaz.", "2016-10-06")) == 1
    assert len(events_of("Clashes between Monday and Tuesday killed five in Azaz.", "2016-10-06")) == 1


def test_page_furniture_run_into_a_sentence_is_cut_off():
    (event,) = events_of("07.07.2015Get short URL 0 25 A suicide bomber blew himself up in Aleppo on Monday.")
    assert event.evidence[0].text.startswith("A suicide bomber")
    (event,) = events_of(
        "Rebels shelled Azaz on Monday. Source agencies Related News Turkey Offensive Could Spark Clashes"
    )
    assert event.evidence[0].text == "Rebels shelled Azaz on Monday."
    (event,) = events_of("Rebels shelled the town of Azaz on Monday and killed two people AP Photo Jets Strike Idlib")
    assert event.evidence[0].text == "Rebels shelled the town of Azaz on Monday and killed two people"


def test_a_siege_told_as_a_state_is_no_event():
    assert events_of("There was no choice - we were besieged inside a small area in Madaya.") == []
    (event,) = events_of("Rockets hit the besieged town of Madaya on Monday.")
    assert event.sub_type == "Shelling/artillery/missile attack"
    assert events_of("A convoy left two villages which are besieged by rebels.") == []
    (event,) = events_of("Government forces besieged the town of Madaya on Monday.")
    assert event.type == "Battles"
    (event,) = events_of("Hajin has been under siege by the SDF.")
    assert event.type == "Battles" and [p.name for p in event.places] == ["Hajin"]


def test_a_condemnation_is_evidence_of_an_incident_only_where_it_says_which():
    assert events_of("The main armed opposition condemned the bombing.") == []
    assert events_of("Turkey condemned the suspected chemical attack.") == []
    (event,) = events_of(
        "The Syrian Coalition condemns the massacre committed by ISIS militants in the town of Al Bab."
    )
    assert roles(event) == {"Islamic State": "actor1"} and [p.name for p in event.places] == ["Al Bab"]


def test_an_ordinary_word_at_the_head_of_a_longer_name_is_no_place():
    # GeoNames knows "Artillery" as a hamlet abroad; here it is the first word of a college's name
    (event,) = events_of("Artillery units pounded the terrorists deployed in the Artillery College on Monday.")
    assert [p.name for p in event.places] in ([], ["Artillery College"])  # the college, unknown: not the hamlet


def test_a_topic_strip_before_the_prose_is_cut_off():
    (event,) = events_of(
        "2010 Topic Operation to Liberate Raqqa From Daesh (61) Jets struck the town of Tabqa on Monday."
    )
    assert event.evidence[0].text == "Jets struck the town of Tabqa on Monday." and event.date.display() == "2019-03-18"


def test_a_village_the_gazetteer_lacks_lies_in_the_area_the_report_is_about():
    events = events_of(
        "Army units shelled militants in Aleppo on Monday. "
        "On Tuesday dozens of militants were killed in clashes in Tal Senowbarat."
    )
    assert [p.name for p in events[-1].places] == ["Tal Senowbarat", "Aleppo"]
    assert events[-1].places[1].admin1 == "Aleppo"


def test_where_people_came_from_is_not_where_it_happened():
    events = events_of("A car bomb hit a convoy in Rashidin on Saturday. Madaya evacuees said they heard the blast.")
    assert all("Madaya" not in [p.name for p in e.places] for e in events)


def test_a_region_of_the_world_is_no_town():
    assert places_of(
        "US Central Command, which runs operations in the Middle East, said a strike near Manbij killed 5."
    ) == [["Manbij"]]


def test_a_strip_of_related_headlines_in_mid_sentence_is_cut_off():
    (event,) = events_of("A blast killed 12 in Azaz on Monday 15 Related Dozens of Casualties Reported in Aleppo")
    assert event.evidence[0].text == "A blast killed 12 in Azaz on Monday 15"


def test_villages_news_names_often_resolve_in_their_spellings():
    for sentence, town, governorate in [
        ("A suicide bomber struck the Atme border crossing on Monday.", "Atmeh", "Idlib"),
        ("Rebels seized Dabiq from ISIS on Monday.", "Dabiq", "Aleppo"),
        ("Rebels shelled Fua on Monday.", "Al-Fuah", "Idlib"),
        ("Rebels shelled Kefraya on Monday.", "Kafriya", "Idlib"),
    ]:
        (event,) = events_of(sentence)
        assert [(p.name, p.admin1) for p in event.places] == [(town, governorate)], sentence


def test_a_date_inside_a_since_clause_starts_a_period():
    assert (
        events_of(
            "Government airstrikes on the province have intensified since rebels launched a campaign from Idlib "
            "to break a government siege of Aleppos opposition districts on July 31.",
            "2016-08-14",
        )
        == []
    )


def test_what_goes_on_around_the_clock_is_no_event():
    assert (
        events_of("On Thursday the source said drones have been deployed around the clock to track routes to Palmyra.")
        == []
    )


def test_a_possible_strike_is_no_event_however_its_doer_is_spelt():
    assert events_of("The proposal on Monday came in a move that could avert possible U.S. military strikes.") == []


def test_links_and_comment_strips_run_into_a_sentence_are_cut_off():
    (event,) = events_of("Rebels shelled Azaz on Monday Community standards Discussion Comment via Facebook.")
    assert event.evidence[0].text == "Rebels shelled Azaz on Monday"
    (event,) = events_of("A suicide bomber hit a bus in Damascus on Monday pic.twitter.comhtebsAe1Ps Carol Malouf.")
    assert event.evidence[0].text == "A suicide bomber hit a bus in Damascus on Monday"


def test_districts_of_damascus_resolve_in_their_spellings():
    for sentence, district, governorate in [
        ("The army shelled the Jubar district of the capital on Monday.", "Jobar", "Damascus Governorate"),
        ("Fierce fighting erupted in the Barzeh neighbourhood on Monday.", "Barzeh", "Damascus Governorate"),
        ("Rockets hit Zamalka on Monday.", "Zamalka", "Rif Dimashq"),
    ]:
        (event,) = events_of(sentence)
        assert [(p.name, p.admin1) for p in event.places] == [(district, governorate)], sentence


def test_the_war_reaching_a_city_is_no_event():
    assert (
        events_of("Aleppo, before it was engulfed by fighting in 2012, was Syria's largest city.", "2015-07-21") == []
    )


def test_a_dateline_in_capitals_before_an_outlet_is_no_scene_wherever_it_stands():
    # a scraped page runs the headline and the dateline into one line
    events = events_of("Jets Kill 20 Fighters in Hama WASHINGTON (Sputnik) Syrian jets struck Hama on Monday.")
    assert events and all("Washington" not in [p.name for p in e.places] for e in events)


def test_a_capital_with_its_allies_is_a_government_not_a_scene():
    (event,) = events_of("Air strikes by Washington and its Arab allies killed 31 civilians in Idlib on Monday.")
    assert [p.name for p in event.places] == ["Idlib"]


def test_a_plot_is_a_plan_not_an_event():
    assert (
        events_of(
            "The United States took action to disrupt the imminent attack plotting against Western interests "
            "conducted by a network of Al-Qaeda veterans in Syria on Tuesday."
        )
        == []
    )
    assert (
        events_of("Militants were plotting attacks against Western targets in Syria, officials said on Tuesday.") == []
    )
    assert events_of("Militants attacked Western targets in Syria on Tuesday.") != []


def test_the_towns_evacuees_came_from_are_not_where_they_were_struck():
    (places,) = places_of(
        "Twelve evacuees from the northern towns of Fuaa and Kafraya were killed when a car bomb hit their "
        "buses at a transit point west of Aleppo on Saturday."
    )
    assert places == ["Aleppo"]


def test_a_siege_that_lasted_years_is_a_state_not_an_incident():
    events = events_of(
        "A car bomb killed 12 people in Azaz on Monday. Fuaa and Kafraya near Idlib have been besieged by "
        "militants for three years.",
        "2016-10-06",
    )
    assert [e.sub_type for e in events] == ["Remote explosive/landmine/IED"]


def test_a_country_that_speaks_is_a_source_not_a_scene():
    places = places_of(
        "Sarin killed 70 people in Khan Sheikhoun on Tuesday. "
        "Russia has said the gas leaked from a rebel depot struck by Syrian bombs.",
        "2017-04-05",
    )
    assert not any(p in ("Russia", "Moscow") for event in places for p in event)


def test_the_seat_of_a_ministry_is_no_scene():
    (places,) = places_of(
        "Russian air strikes killed 120 ISIS fighters in Syria on Friday the defense ministry in Moscow said.",
        "2017-10-07",
    )
    assert "Moscow" not in places


def test_a_place_in_capitals_before_a_sentence_is_a_dateline_run_into_page_furniture():
    (places,) = places_of(
        "Last updated at Jul 012016 BEIRUT At least 70 fighters have been killed in clashes north of Aleppo "
        "on Thursday.",
        "2016-07-01",
    )
    assert "Beirut" not in places


def test_a_country_before_another_speaker_is_still_a_place():
    (event,) = events_of("Clashes killed 12 fighters in Syria the Observatory said on Monday.", "2016-10-06")
    assert [(p.name, p.kind) for p in event.places] == [("Syria", "country")]


def test_a_road_named_like_a_town_abroad_is_a_road_of_its_city():
    events = events_of(
        "Rebels attacked the Castello Road in Aleppo on Thursday. "
        "Syrian forces seized a hilltop overlooking the Castello Road on Friday, killing 12 rebels. "
        "The capture of the Castello Road came after the army took the farms north of the city. "
        "Rebels shelled the Castello Road on Saturday, killing three soldiers."
    )
    assert len(events) == 3 and {(p.country, p.admin1) for e in events for p in e.places} == {("SY", "Aleppo")}


def test_a_hospital_named_like_a_town_abroad_takes_the_articles_place():
    events = events_of(
        "Regime jets struck Aleppo on Monday, killing nine civilians in Aleppo. "
        "A barrel bomb hit the al-Razi hospital on Tuesday, doctors at the al-Razi hospital said."
    )
    names = [p.name for e in events for p in e.places]
    assert "Razi" not in names and all(p.country in (None, "SY") for e in events for p in e.places)


def test_a_side_is_no_scene():
    events = events_of("Pro-Damascus media said a suicide attacker detonated a car bomb in Rashidin, killing 22.")
    assert [[p.name for p in e.places] for e in events] == [["Rashidin"]]
    events = events_of("Anti-Moscow protesters said a car bomb exploded in Azaz on Sunday, killing nine.")
    assert all("Moscow" not in [p.name for p in e.places] for e in events)


def test_the_town_is_the_town_named_before_not_a_region():
    events = events_of(
        "Warplanes struck the town of Ariha on Monday, killing 27 people. The raids came amid clashes in the "
        "northwestern province of Idlib and the central region of Hama. The town was captured by rebels in May.",
        "2015-08-03",
    )
    captured = next(e for e in events if e.date.display().startswith("2015-05"))
    assert [p.name for p in captured.places] == ["Ariha"]


def test_parts_of_one_city_listed_together_are_one_barrage():
    events = events_of("Terrorists fired rocket shells on al-Qusour and al-Joura neighborhoods in Deir Ezzor city.")
    assert len(events) == 1 and {p.name for p in events[0].places} >= {"al-Qusour", "al-Joura"}


def test_where_people_were_going_is_not_where_it_happened():
    events = events_of(
        "A car bomb hit a bus convoy waiting to cross into government-held Aleppo in Rashidin on Saturday, killing 22."
    )
    assert [[p.name for p in e.places] for e in events] == [["Rashidin"]]
    events = events_of("A bomb hit a bus carrying families on their way to Idlib in Saraqib on Monday, killing five.")
    assert [[p.name for p in e.places] for e in events] == [["Saraqib"]]
