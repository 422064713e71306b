"""Recall: each incident an article tells is found, at its own place (issue 24).

Invented sentences, each pinning one rule of how news tells several incidents in one report."""

import pytest

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.model import Article


def events_of(text: str, published: str | None = "2019-03-19"):
    article = Article(path="test.txt", text=text, published=parse_published(published) if published else None)
    return extract(article)[0]


def places_of(event) -> list[str]:
    return [p.name for p in event.places]


def test_two_neighbourhoods_of_one_city_are_two_incidents():
    events = events_of(
        "Rocket shells fired by militants hit the Bab Qasr neighbourhood in Homs city on Monday injuring two. "
        "Militants also fired mortar shells on the Wadi Dahab neighbourhood in Homs on Monday killing a woman."
    )
    assert sorted(places_of(e)[0] for e in events) == ["Bab Qasr", "Wadi Dahab"]
    assert {(p.kind, p.admin1) for e in events for p in e.places[:1]} == {("district", "Homs")}


def test_a_neighbourhood_named_like_a_town_abroad_is_in_its_city():
    (event,) = events_of("A car bomb went off in the Sulaymaniyah neighbourhood of Aleppo on Monday.")
    assert places_of(event)[0] == "Sulaymaniyah" and event.places[0].admin1 == "Aleppo"


def test_a_district_named_after_its_town_stays_the_town():
    (event,) = events_of("Government jets bombed villages in Jisr al-Shughur district on Monday.")
    assert event.places[0].kind == "city"


def test_places_a_first_report_names_elsewhere_are_other_incidents():
    events = events_of(
        "Rocket attacks on Aleppo kill eight; more casualties in Idlib and Hama. "
        "The rocket attacks on Aleppo city killed eight civilians on Monday. "
        "On Monday militants fired rocket shells on the town of Suran in Hama killing a child."
    )
    assert len(events) == 2
    assert any("Suran" in places_of(e) for e in events)


def test_a_later_telling_at_the_place_inside_the_incidents_is_the_same_incident():
    (event,) = events_of(
        "Rocket shells hit Aleppo on Monday killing three. "
        "The shells fell on the Midan neighbourhood in Aleppo killing three civilians on Monday."
    )
    assert "Midan" in places_of(event)


def test_where_the_attackers_are_positioned_is_no_scene():
    (event,) = events_of("Militants positioned in Kafr Zayta fired shells on the town of Suran on Monday.")
    assert places_of(event) == ["Suran"]


def test_where_evacuees_came_from_is_no_scene():
    events = events_of(
        "A car bomb exploded in Rashidin near Aleppo on Saturday near buses carrying civilians "
        "from the towns of Nubl and Suran."
    )
    (bombing,) = [e for e in events if e.type == "Explosions/Remote violence"]  # not one per town listed
    assert places_of(bombing)[0] == "Aleppo" and "Nubl" not in places_of(bombing)


def test_the_start_of_a_period_dates_no_sentence_after_it():
    events = events_of(
        "Air strikes on Idlib have intensified since rebels launched a campaign on July 31. "
        "Russian jets struck the town of Binnish killing four.",
        "2016-08-14",
    )
    (strike,) = [e for e in events if "Binnish" in places_of(e)]
    assert strike.date.display() == "2016-08-14" and strike.date_source == "published"


def test_towns_listed_in_another_spelling_are_each_their_own_incident():
    events = events_of("Russian jets struck the towns of Jisr al-Shaghour and Binnish on Monday.")
    assert sorted(places_of(e)[0] for e in events) == ["Binnish", "Jisr al-Shughur"]


def test_a_list_without_commas_is_read_name_by_name():
    events = events_of("Airstrikes also targeted the nearby towns of Rastan Talbeesah and Kafr Laha on Monday.")
    assert sorted(places_of(e)[0] for e in events) == ["Ar Rastan", "Kafr Laha", "Tallbisah"]
    # a comma elsewhere in the sentence says nothing of the list's own
    events = events_of("Airstrikes hit the nearby towns of Rastan Talbeesah and Kafr Laha on Monday, activists said.")
    assert sorted(places_of(e)[0] for e in events) == ["Ar Rastan", "Kafr Laha", "Tallbisah"]


def test_a_word_of_a_longer_unknown_name_is_no_place():
    events = events_of("Clashes went on in the Asfar Najjar area and the outskirts of Tal Halaf on Monday.")
    assert not any(p.name == "Halfaya" for e in events for p in e.places)


def test_towns_one_sentence_lists_are_not_all_one_earlier_incident():
    events = events_of("Warplanes pounded Idlib on Monday. Jets struck the towns of Binnish and Saraqib on Monday.")
    assert len(events) == 2 and any(places_of(e) == ["Saraqib"] for e in events)


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("Rebels and government forces battled around the power plant near Suran on Monday.", "Armed clash"),
        ("There was heavy bombardment of the town of Saraqib on Monday.", "Shelling/artillery/missile attack"),
        ("Residents returned after government forces pulled back from Saraqib on Monday.", "Change to group/activity"),
        ("The killings in the village of Suran on Monday shocked the residents.", "Attack"),
        (
            "Kurdish fighters drove the Islamic State group militants out of the town of Manbij on Monday.",
            "Non-state actor overtakes territory",
        ),
    ],
)
def test_incidents_told_in_other_forms_of_their_words(sentence, sub_type):
    assert [e.sub_type for e in events_of(sentence)] == [sub_type]


def test_an_area_or_a_square_of_a_city_is_a_part_of_it():
    (raid,) = events_of("Eleven civilians were killed by air raids in the Bab al-Nasr area of Aleppo on Monday.")
    assert (raid.places[0].name, raid.places[0].kind, raid.places[0].admin1) == ("Bab al-Nasr", "district", "Aleppo")
    (blast,) = events_of("A car bomb exploded in Saadallah al-Jabiri Square in Aleppo on Monday.")
    assert (blast.places[0].kind, blast.places[0].admin1) == ("district", "Aleppo")


def test_an_incident_told_as_also_happening_takes_the_day_of_the_like_incident_before_it():
    events = events_of(
        "Rockets hit the town of Saraqib on Monday. Five people died on Sunday in a chemical attack in Khan "
        "Shaykhun. Rockets also hit the town of Binnish."
    )
    (binnish,) = [e for e in events if places_of(e)[0] == "Binnish"]
    assert binnish.date.display() == "2019-03-18"


def test_the_neighbourhoods_of_a_city_named_are_the_city():
    (event,) = events_of("Militants in the eastern neighbourhoods of Aleppo City shelled the town of Nubl on Monday.")
    assert all(p.kind != "district" for p in event.places)


def test_last_night_is_the_night_before_the_report():
    (event,) = events_of("Army units clashed last night with militants near the town of Suran.", "2016-06-20")
    assert event.date.display() == "2016-06-19" and event.date_source == "sentence"


def test_a_state_that_has_lasted_for_years_is_no_incident():
    assert events_of("The villages near Aleppo have been besieged by militants for three years.") == []


def test_harm_a_states_forces_did_is_not_the_harm_another_side_did():
    events = events_of(
        "Rebels fired rockets on the western side of Aleppo on Monday killing 21 civilians. "
        "The Observatory reported Russian air raids on the western front lines of Aleppo."
    )
    assert sorted(e.sub_type for e in events) == ["Air/drone strike", "Shelling/artillery/missile attack"]


def test_names_side_by_side_are_a_list_only_in_a_text_stripped_of_its_commas():
    stripped = events_of("Jets struck the towns of Binnish Saraqib on Monday.")
    assert sorted(places_of(e)[0] for e in stripped) == ["Binnish", "Saraqib"]
    kept = events_of("Jets struck the towns of Binnish Saraqib, residents said on Monday.")
    assert len(kept) == 1
    # the list's own words tell whether it lost its commas, not a comma further on in the sentence
    lost = events_of("Jets struck the villages of Binnish Saraqib and Taftanaz on Monday, activists said.")
    assert [places_of(e)[0] for e in lost] == ["Binnish", "Saraqib", "Taftanaz"]
    kept = events_of("Jets struck the villages of Binnish, Saraqib Taftanaz and Hazrun on Monday.")
    assert [places_of(e)[0] for e in kept] == ["Binnish", "Saraqib Taftanaz", "Hazrun"]


def test_forces_of_one_state_are_one_side():
    (event,) = events_of(
        "The Revolutionary Guards fired missiles at Islamic State in Deir ez-Zor on Monday killing 10. "
        "Iranian missiles hit the targets in Deir ez-Zor."
    )
    assert event.sub_type == "Shelling/artillery/missile attack"


def test_a_name_of_two_words_in_a_text_with_commas_is_not_read_as_two_towns():
    events = events_of("Jets struck a base in Talbeesah Hanano near Homs, residents said on Monday.")
    assert not any(p.name == "Tallbisah" for e in events for p in e.places)


def test_a_takeover_told_by_its_participle_is_an_incident():
    (event,) = events_of("Kurdish fighters made fresh advances near Kobane on Monday seizing a string of villages.")
    assert (event.type, places_of(event)) == ("Battles", ["Kobani"])


def test_deaths_after_similar_attacks_are_another_incident_not_a_reference():
    events = events_of(
        "Coalition air raids killed at least 15 people in Manbij city on Monday. "
        "Six more people lost their lives in a village near Manbij after similar attacks by coalition jets."
    )
    assert sorted(e.fatalities.best for e in events if e.fatalities) == [6, 15]


def test_a_pluperfect_with_a_date_of_its_own_is_an_incident():
    (event,) = events_of("The Observatory said a car had been targeted on the road near Aleppo early Sunday morning.")
    assert event.date.display() == "2019-03-17" and event.date_source == "sentence"
    assert events_of("The town of Saraqib had been shelled by government forces.") == []
    events = events_of(
        "On Saturday a car bomb exploded in Aleppo near buses carrying civilians who had been evacuated from Binnish."
    )
    assert [e.type for e in events] == ["Explosions/Remote violence"]  # the day is the bombing's, not theirs


def test_shells_fired_with_words_of_time_between_are_shelling():
    events = events_of("Militants fired at dawn several rocket shells on the Midan neighbourhood in Aleppo on Monday.")
    assert [e.sub_type for e in events] == ["Shelling/artillery/missile attack"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hundreds of rebels and their families were granted safe passage out of Madaya on Monday.",
        "In exchange hundreds of insurgents and their families moved out of Madaya on Monday.",
    ],
)
def test_an_evacuation_told_as_a_passage_out_is_an_incident(sentence):
    (event,) = events_of(sentence)
    assert (event.sub_type, places_of(event)) == ("Change to group/activity", ["Madaya"])


def test_a_passage_not_yet_granted_is_no_evacuation():
    assert events_of("Rebels from Madaya had not yet been granted safe passage out on Monday.") == []


def test_an_active_pluperfect_is_background_and_silences_no_news():
    assert events_of("Al-Nusra had also attacked fighters of the brigade in Saraqib.") == []
    assert len(events_of("The army said it had shelled the town of Saraqib.")) == 1  # reported: the news
    (event,) = events_of("Eleven people were killed in Saraqib on Monday including an officer who had defected.")
    assert event.fatalities.best == 11 and event.type != "Strategic developments"


def test_rockets_that_also_hit_a_district_inside_the_city_are_another_incident():
    events = events_of(
        "Rockets hit the Jobar neighbourhood of Damascus on Sunday killing two. "
        "Five people died on Monday in a chemical attack in Douma. "
        "Rockets also hit the nearby district of Qaboun."
    )
    (qaboun,) = [e for e in events if "Qaboun" in places_of(e)]
    assert qaboun.sub_type == "Shelling/artillery/missile attack" and qaboun.date.display() == "2019-03-17"
    beside_a_fight = events_of(
        "Rockets also hit the district of Qaboun on Monday where rebel fighters have repelled attempts to overrun it."
    )
    assert sorted(e.sub_type for e in beside_a_fight) == ["Armed clash", "Shelling/artillery/missile attack"]


def test_a_claim_of_responsibility_for_the_attack_refers_to_it():
    (event,) = events_of(
        "A car bomb exploded in Aleppo on Saturday killing 12. There was no claim of responsibility for the "
        "attack which pro-Damascus media said was the work of a suicide car bomber."
    )
    assert places_of(event)[0] == "Aleppo"


def test_others_killed_at_a_place_of_their_own_are_the_like_incident_there():
    events = events_of(
        "Eleven civilians were killed by air raids in the Bab al-Nasr area of Aleppo on Monday and seven others "
        "including a baby were killed in the Fardous neighbourhood."
    )
    assert sorted((places_of(e)[0], e.sub_type) for e in events) == [
        ("Bab al-Nasr", "Air/drone strike"),
        ("Fardous", "Air/drone strike"),
    ]
    (one,) = events_of("Militants fired rocket shells on Saraqib on Monday leaving 3 killed and 20 others wounded.")
    assert one.fatalities.best == 3


def test_a_title_before_a_name_is_no_place():
    (event,) = events_of("Gunmen shot dead a state Trooper near Secretary Smith's home on Monday.")
    assert places_of(event) == []


def test_fighting_told_with_a_toll_of_its_own_is_no_passing_mention_of_the_strike():
    events = events_of(
        "Air strikes on Jassem in Daraa province killed 15 civilians on Monday. "
        "Over 40 fighters were killed in clashes with the army in Daraa province.\n"
    )
    assert sorted((e.sub_type, e.fatalities.best) for e in events) == [("Air/drone strike", 15), ("Armed clash", 41)]


def test_harm_of_another_kind_with_a_toll_of_its_own_is_another_incident():
    events = events_of(
        "Rebels fired rockets on Aleppo on Friday killing 21 civilians. "
        "Car bombs killed at least 18 soldiers in Aleppo on Friday.\n"
    )
    assert sorted((e.sub_type, e.fatalities.best) for e in events) == [
        ("Remote explosive/landmine/IED", 18),
        ("Shelling/artillery/missile attack", 21),
    ]
    (retold,) = events_of(
        "Rebels fired rockets on Aleppo on Friday killing 21 civilians. "
        "The attack killed 25 people in Aleppo on Friday.\n"
    )
    assert retold.sub_type == "Shelling/artillery/missile attack"


def test_the_struck_side_striking_back_is_another_incident():
    events = events_of(
        "Rebels fired rockets at Syrian army positions in Aleppo on Monday killing 21 soldiers. "
        "Government warplanes struck Aleppo in response.\n"
    )
    assert sorted(e.sub_type for e in events) == ["Air/drone strike", "Shelling/artillery/missile attack"]


def test_fighting_that_also_erupted_in_a_district_is_another_incident():
    events = events_of(
        "Fierce fighting between the army and rebels left dozens dead on Monday. "
        "Fierce fighting also erupted during the night between government troops and rebels in the Barzeh "
        "neighbourhood of Damascus.\n"
    )
    assert len(events) == 2 and any("Barzeh" in places_of(e) for e in events)


def test_a_day_with_its_own_dead_inside_a_months_tally_is_one_of_its_incidents():
    events = events_of(
        "More than 100 civilians have been killed in August shelling of Aleppo, local authorities said. "
        "On August 10 a shell hit a passenger bus in Aleppo killing 14.\n",
        published="2016-08-13",
    )
    assert sorted((e.date.display(), e.fatalities.best) for e in events) == [("2016-08", 101), ("2016-08-10", 14)]
    (_retold,) = events_of(
        "Rebels shelled Aleppo in August, killing 20. On August 10 rebel shelling of Aleppo killed 20 civilians.\n",
        published="2016-08-13",
    )


def test_each_town_of_a_list_is_an_incident_though_the_gazetteer_lacks_it():
    events = events_of(
        "Airstrikes also targeted the nearby towns of Rastan Talbeesah Ter Maaleh and Zafarana on Monday."
    )
    assert sorted(places_of(e)[0] for e in events) == ["Ar Rastan", "Tallbisah", "Ter Maaleh", "Zafarana"]
    events = events_of(
        "Airstrikes also targeted the nearby towns of Rastan Talbeesah Ter Maaleh and Zafarana on Monday, "
        "activists said."
    )
    assert sorted(places_of(e)[0] for e in events) == ["Ar Rastan", "Tallbisah", "Ter Maaleh", "Zafarana"]
    # without its commas, a list has a new name start at a word that opens town names
    events = events_of(
        "Syrian regime airstrikes hit the towns of Teldo Tel Dahab and Kafr Laha in Homs province on Monday."
    )
    assert sorted(places_of(e)[0] for e in events) == ["Kafr Laha", "Tel Dahab", "Teldo"]
    # a list ends at a word that names no town, or at a name known as something else
    events = events_of("Jets struck the towns of Azaz and Marea Sunday.")
    assert sorted(places_of(e)[0] for e in events) == ["Azaz", "Marea"]
    # the article joins a word to the known name before it
    events = events_of("Jets struck the towns of Rastan al-Jadida and Zafarana on Monday.")
    assert sorted(places_of(e)[0] for e in events) == ["Ar Rastan", "Zafarana"]


LONG_LIST = ["Binnish", "Hazrun", "Maarat Albireh", "Beit Ajwan", "Dumeira", "Shaqra Alkubra", "Nafisa", "Saraqib"]


def test_a_long_list_without_commas_is_cut_into_names_as_arabic_forms_them():
    # invented names: an opener takes the word after it, a word with the article joins the one before
    events = events_of(
        "Government warplanes bombed the villages of Binnish Hazrun Maarat Albireh Beit Ajwan Dumeira "
        "Shaqra Alkubra Nafisa and Saraqib in rural Idlib on Tuesday killing 12 civilians."
    )
    assert [places_of(e)[0] for e in events] == LONG_LIST
    assert [e.fatalities.best if e.fatalities else None for e in events] == [12] + [None] * 7
    # two unknown words side by side cannot be told from one name of two words
    events = events_of("Jets struck the villages of Binnish Hazrun Dumeira and Saraqib on Monday.")
    assert [places_of(e)[0] for e in events] == ["Binnish", "Hazrun Dumeira", "Saraqib"]
    # a comma after the list, in a sentence that keeps its commas elsewhere, changes nothing
    events = events_of(
        "Government warplanes bombed the villages of Binnish Hazrun Maarat Albireh Beit Ajwan Dumeira "
        "Shaqra Alkubra Nafisa and Saraqib in rural Idlib on Tuesday, killing 12 civilians, activists said."
    )
    assert [places_of(e)[0] for e in events] == LONG_LIST


def test_a_listed_name_the_gazetteer_knows_elsewhere_is_a_town_of_the_list():
    # an opener before a known name makes a longer name; a name known only abroad (Sahab, Jordan)
    # among towns of Syria is a Syrian town the gazetteer lacks
    events = events_of("Jets struck the villages of Binnish Tel Rastan Sahab and Saraqib on Monday.")
    assert [(places_of(e)[0], e.places[0].kind) for e in events] == [
        ("Binnish", "city"),
        ("Tel Rastan", "unresolved"),
        ("Sahab", "unresolved"),
        ("Saraqib", "city"),
    ]
    assert not any(p.name == "Ar Rastan" or p.country == "JO" for e in events for p in e.places)
    # so is a known name with the article written into it after an unknown word
    events = events_of("Jets struck the villages of Binnish Qurqur Alrastan Hazrun and Saraqib on Monday.")
    assert [places_of(e)[0] for e in events] == ["Binnish", "Qurqur Alrastan", "Hazrun", "Saraqib"]
    # a city known for its own sake stays itself among another country's
    events = events_of("Bombs exploded in the cities of Lyon, Marseille and Geneva on Saturday.")
    assert [(places_of(e)[0], e.places[0].country) for e in events] == [
        ("Lyon", "FR"),
        ("Marseille", "FR"),
        ("Geneva", "CH"),
    ]


def test_a_foiled_attempt_to_detonate_a_bomb_is_a_disrupted_use_of_weapons():
    (event,) = events_of("The army foiled an attempt by extremists to detonate a truck near Aleppo on Monday.")
    assert event.sub_type == "Disrupted weapons use"


def test_breaking_the_enemys_defence_lines_is_a_battle():
    (event,) = events_of("Government troops broke the defence lines of the rebels in Daraa on Monday.")
    assert event.type == "Battles"


def test_there_is_the_place_the_sentence_before_named():
    events = events_of(
        "Biggest destruction is in Aleppo's southern Hamdaniya district. Militants seized a school there."
    )
    assert [places_of(e)[0] for e in events] == ["Hamdaniya"]
    # the "there" that opens a clause points nowhere
    assert events_of("Biggest destruction is in the Hamdaniya district of Aleppo. There were clashes.") == []


def test_an_artillery_school_is_a_place_not_shelling():
    (event,) = events_of("Militants seized an artillery school in Aleppo on Monday.")
    assert event.type == "Battles"


def test_who_is_deployed_where_with_no_date_and_no_one_deploying_is_no_move():
    events = events_of("Government jets struck Aleppo on Monday. Militants deployed in the Ramousiyeh district fled.")
    assert [e.sub_type for e in events] == ["Air/drone strike"]


def test_weapons_made_or_tested_are_no_use_of_them():
    events = events_of("Militants in Aleppo were trained to construct and test improvised explosive devices on Monday.")
    assert [e for e in events if e.type == "Explosions/Remote violence"] == []


def test_the_wars_start_told_of_a_place_in_a_later_clause_does_not_cancel_the_incident():
    (event,) = events_of(
        "Rebels said there was heavy shelling of the Salah Eddin district of Aleppo, the city which was before "
        "the 2011 civil war the country's main industrial hub."
    )
    assert event.date.display() == "2019-03-19"
    assert events_of("The war began with protests in March 2011 and has killed 300,000 people.") == []


def test_a_place_that_is_now_the_scene_of_clashes_tells_the_day_of_writing():
    events = events_of(
        "Rebels ambushed soldiers in Douma on Sunday night killing 35. "
        "Elsewhere the town is now the scene of fierce clashes between the army and rebels."
    )
    assert sorted(e.date.display() for e in events) == ["2019-03-17", "2019-03-19"]


def test_forces_that_bombard_a_place_attack_it_by_the_weapon_named():
    (event,) = events_of("Government forces bombarded the suburbs of Douma on Monday.")
    assert event.sub_type == "Shelling/artillery/missile attack"
    (event,) = events_of("Government forces bombarded the suburbs of Douma with barrel bombs on Monday.")
    assert event.sub_type == "Air/drone strike"


def test_a_clause_after_after_with_its_own_toll_is_an_incident_not_a_reference():
    events = events_of(
        "Government jets struck Douma on Monday. "
        "The raids came after rebels fired 30 rockets at Damascus, killing five people."
    )
    assert sorted(e.fatalities.best for e in events if e.fatalities) == [5]
    assert [e.places[0].name for e in events if e.fatalities] == ["Damascus"]
    # a noun phrase after "after" refers to an incident told elsewhere, toll or none
    events = events_of("Government jets struck Douma on Monday after the shelling killed five people.")
    assert [e.places[0].name for e in events] == ["Douma"]


def test_the_capital_is_the_capital_named_before():
    events = events_of(
        "Government jets struck Douma east of Damascus on Monday. "
        "Rebels fired 30 rockets at the capital on Monday killing five."
    )
    assert [e.places[0].name for e in events if e.fatalities and e.fatalities.best == 5] == ["Damascus"]
    # named in its own words, the capital is that name, not the one before
    (event,) = events_of("Rebels fired rockets at the capital Damascus on Monday.")
    assert event.places[0].name == "Damascus"


def test_fighters_deployed_somewhere_are_where_they_are_not_a_move():
    events = events_of("Government jets struck militants deployed in the Ramousiyeh district of Aleppo on Monday.")
    assert [e.sub_type for e in events] == ["Air/drone strike"]
    (event,) = events_of("Turkey deployed troops in Idlib on Monday.")
    assert event.type == "Strategic developments"


def tolls_by_town(events) -> dict[str, int | None]:
    return {places_of(e)[0]: e.fatalities.best if e.fatalities else None for e in events}


@pytest.mark.parametrize(
    "sentence",
    [
        "Government jets struck a market in Saraqib on Monday killing 12 people, and in Binnish killing four.",
        "Twelve people were killed in government air strikes on Saraqib on Monday and four in Binnish.",
        "Twelve people were killed in government air strikes around Saraqib on Monday and another four near Binnish.",
    ],
)
def test_each_town_with_its_own_toll_in_one_sentence_is_its_own_incident(sentence):
    events = events_of(sentence)
    assert tolls_by_town(events) == {"Saraqib": 12, "Binnish": 4}
    assert len({(e.type, e.sub_type, e.date) for e in events}) == 1
    assert all(e.actors == events[0].actors for e in events)


def test_towns_under_one_toll_stay_one_incident():
    (event,) = events_of("Twelve fighters were killed in clashes in Saraqib and Binnish on Monday.")
    assert event.fatalities is not None and event.fatalities.best == 12


def test_neighbourhoods_of_one_city_each_with_a_toll_stay_one_incident():
    (event,) = events_of(
        "Shells hit the Bab Qasr neighbourhood in Homs city on Monday killing three, and Wadi Dahab killing two."
    )
    assert event.places[0].admin1 == "Homs"


def test_clashes_on_a_list_of_fronts_are_one_battle_a_front():
    # a name of the list spelt otherwise is the province's town ("Talbisa"); "Um" opens a name
    events = events_of(
        "Fighting raged on Monday between the army and rebels on the fronts of Um Qusayr Talbisa and Rastan."
    )
    assert [(places_of(e)[0], e.sub_type) for e in events] == [
        ("Um Qusayr", "Armed clash"),
        ("Tallbisah", "Armed clash"),
        ("Ar Rastan", "Armed clash"),
    ]
    events = events_of(
        "Fighting raged on Monday between the army and rebels on the fronts of Um Qusayr Talbisa and Rastan, "
        "activists said."
    )
    assert [(places_of(e)[0], e.sub_type) for e in events] == [
        ("Um Qusayr", "Armed clash"),
        ("Tallbisah", "Armed clash"),
        ("Ar Rastan", "Armed clash"),
    ]
    # fighting in two towns under one toll, with no list of fronts, stays one battle
    (event,) = events_of("Twenty fighters were killed in fighting in Talbisa and Rastan on Monday.")
    assert event.fatalities is not None and event.fatalities.best == 20


def test_a_known_town_after_an_unknown_name_of_a_list_is_still_a_town():
    # a capitalised word before a town's name makes it part of a person's name, but not in a list
    events = events_of("Government jets pounded the villages of Hazrun Binnish and Qmenas on Monday killing six.")
    assert [places_of(e)[0] for e in events] == ["Hazrun", "Binnish", "Qmenas"]
    events = events_of("Government jets pounded the villages of Hazrun Binnish and Qmenas on Monday, killing six.")
    assert [places_of(e)[0] for e in events] == ["Hazrun", "Binnish", "Qmenas"]


def test_a_lists_country_is_where_most_of_its_known_towns_are():
    # a first town across the border does not make the rest of the list towns the gazetteer lacks
    events = events_of("Shells hit the towns of Reyhanli Binnish and Saraqib on Monday.")
    assert {(p.name, p.country) for e in events for p in e.places[:1]} >= {("Binnish", "SY"), ("Saraqib", "SY")}
    # with no country for most of them, no town is read as one of another country
    events = events_of("Shells hit the towns of Reyhanli and Binnish on Monday.")
    assert {(p.name, p.country) for e in events for p in e.places[:1]} == {("Reyhanli", "TR"), ("Binnish", "SY")}


def test_a_known_name_is_not_a_glued_article_and_a_name():
    # "Aleppo" starts as "Al" does, but is a name whole; "Alrastan" is the article glued to Rastan
    events = events_of("Jets struck the villages of Qurqur Aleppo and Saraqib on Monday.")
    assert [places_of(e)[0] for e in events] == ["Qurqur", "Aleppo", "Saraqib"]


def test_towns_each_told_with_their_own_dead_after_a_province_are_incidents_of_their_own():
    events = events_of(
        "Warplanes pounded Idlib province on Tuesday. "
        "Activists in rural Idlib said airstrikes hit a market in the town of Saraqib on Tuesday killing 11 people. "
        "Russian jets struck the main street in the town of Binnish killing seven. "
        "Three more civilians were killed in airstrikes on the town of Taftanaz."
    )
    assert sorted((places_of(e)[-1], e.fatalities.best if e.fatalities else None) for e in events) == [
        ("Binnish", 7),
        ("Saraqib", 11),
        ("Taftanaz", 3),
    ]
