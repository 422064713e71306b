"""Every kind of event, worldwide: protests, riots, beatings, grenades, shoot-outs and security
measures, typed as ACLED's codebook types them. Invented sentences, one mechanism each."""

from __future__ import annotations

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.model import Article


def events_of(text: str, published: str = "2020-05-08"):
    article = Article(path="test.txt", text=text, published=parse_published(published))
    return extract(article)[0]


def kinds(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.sub_type) for e in events_of(text)}


def test_a_gathering_to_protest_is_a_protest_and_a_vow_to_protest_is_not():
    (event,) = events_of(
        "On 5 May 2020, dozens of nurses stood outside the hospital in Ambato to protest the lack of masks."
    )
    assert (event.type, event.sub_type) == ("Protests", "Peaceful protest")
    assert [p.name for p in event.places] == ["Ambato"]
    assert events_of("On 5 May 2020, the union vowed to protest in Ambato.") == []


def test_words_of_a_gathering_make_a_protest():
    for text in (
        "On 7 May 2020, about 30 paramedics gathered at the regional hospital in Kisumu demanding equal pay.",
        "On 7 May 2020, teachers went on strike in Hinche over unpaid salaries.",
        "On 7 May 2020, a series of one-man pickets was organized in Tbilisi.",
    ):
        assert ("Protests", "Peaceful protest") in kinds(text), text


def test_burning_tyres_and_stones_are_a_riot():
    for text in (
        "On 4 May 2020, residents barricaded the road with burning tyres in Sbeitla.",
        "On 4 May 2020, a mob pelted stones at police officers in Rourkela.",
        "On 1 May 2020, unknown persons vandalised gravestones at a church in Jaffna.",
    ):
        (event,) = events_of(text)
        assert event.type == "Riots", text


def test_violence_by_a_crowd_is_mob_violence():
    (event,) = events_of("On 7 May 2020, several residents beat up a police commander in Mbouda.")
    assert (event.type, event.sub_type) == ("Riots", "Mob violence")
    (event,) = events_of("On 6 May 2020, youths attacked a police station in Accra.")
    assert event.type == "Riots"


def test_those_attacked_as_a_crowd_are_victims_not_rioters():
    (event,) = events_of("On 6 May 2020, aid workers were attacked by gunmen in Kidal.")
    assert event.type != "Riots"


def test_an_attack_on_unarmed_people_is_violence_against_civilians():
    (event,) = events_of("On 8 May 2020, two armed men attacked a taxi driver in Veracruz.")
    assert (event.type, event.sub_type) == ("Violence against civilians", "Attack")
    (event,) = events_of("On 7 May 2020, militants killed five people including one woman in Dori.")
    assert event.type == "Violence against civilians"
    (event,) = events_of("On 6 May 2020, in Kingston, a child was killed by a gunman.")
    assert event.type == "Violence against civilians"


def test_an_attack_on_soldiers_stays_a_battle():
    (event,) = events_of("On 5 May 2020, militants attacked an army position in Goundam.")
    assert (event.type, event.sub_type) == ("Battles", "Armed clash")
    (event,) = events_of("On 5 May 2020, the attacks killed civilians and soldiers in Goundam.")
    assert event.type == "Battles"


def test_beatings_and_torture_by_forces_are_violence_against_civilians():
    for text in (
        "On 28 April 2020, police officers beat a young man to death in Abidjan.",
        "On 8 May 2020, Imbonerakure tortured a party member in Ruyigi.",
        "On 28 April 2020, a journalist was severely beaten by police officers in Delmas.",
    ):
        assert ("Violence against civilians", "Attack") in kinds(text), text


def test_a_sentence_s_day_dates_its_later_triggers():
    (event,) = events_of("On 29 April 2020, a group demonstrated by throwing stones in Ankaraobato.")
    assert event.date.display() == "2020-04-29" and event.type == "Riots"


def test_a_demonstration_that_turns_violent_is_a_riot():
    events = events_of("On 6 May 2020, fishermen demonstrated in Freetown and clashed with police officers.")
    assert events and {(e.type, e.sub_type) for e in events} == {("Riots", "Violent demonstration")}


def test_police_who_disperse_a_protest_make_it_a_protest_with_intervention():
    (event,) = events_of("On 1 May 2020, hundreds of workers protested in La Paz; police dispersed them with tear gas.")
    assert (event.type, event.sub_type) == ("Protests", "Protest with intervention")
    (event,) = events_of("On 1 May 2020, hundreds of workers protested in La Paz against layoffs.")
    assert event.sub_type == "Peaceful protest"


def test_a_grenade_is_an_explosion_and_fire_at_positions_a_battle():
    (event,) = events_of("On 29 April 2020, militants lobbed a grenade at a police post in Srinagar.")
    assert (event.type, event.sub_type) == ("Explosions/Remote violence", "Grenade")
    (event,) = events_of(
        "On 7 May 2020, the army fired grenade launchers, heavy machine guns and small arms at the positions "
        "of the rebels near Donetsk."
    )
    assert event.type == "Battles"
    (event,) = events_of("On 30 April 2020, a shoot-out took place in Bangu, Rio de Janeiro.")
    assert event.type == "Battles"


def test_a_device_that_exploded_is_an_explosion():
    (event,) = events_of("On 2 May 2020, a bomb attached to the commissioner's car exploded in Mogadishu.")
    assert event.type == "Explosions/Remote violence"


def test_seizures_warning_shots_and_lockdowns_are_strategic_developments():
    for text in (
        "On 28 April 2020, gendarmes seized 8 hand grenades and a rifle near Akcakale.",
        "On 30 April 2020, border police fired at least 50 shots into the air near Tychero.",
        "On 8 May 2020, the government declared a coronavirus lockdown on Ndjamena.",
    ):
        assert {t for t, _ in kinds(text)} == {"Strategic developments"}, text


def test_shooting_at_armed_people_is_a_battle_and_at_unarmed_people_an_attack():
    (event,) = events_of("On 30 April 2020, in San Juan, a police officer was shot by unidentified gunmen.")
    assert (event.type, event.sub_type) == ("Battles", "Armed clash")
    (event,) = events_of("On 29 April 2020, in Guatemala City, armed men shot three motor taxi drivers.")
    assert (event.type, event.sub_type) == ("Violence against civilians", "Attack")


def test_a_fight_between_a_crowd_and_the_police_is_a_riot():
    (event,) = events_of("On 29 April 2020, police officers fought with market vendors in Addis Ababa.")
    assert event.type == "Riots"
    (event,) = events_of("On 29 April 2020, soldiers fought with rebels in Addis Ababa.")
    assert event.type == "Battles"


def test_takeovers_bases_and_surrenders_without_a_fight_are_strategic_developments():
    cases = {
        "On 3 May 2020, the Taliban took control of Dand without a fight.": "Non-violent transfer of territory",
        "On 3 May 2020, militants established a new base near Dori.": "Headquarters or base established",
        "On 3 May 2020, police foiled a bombing plot in Karachi.": "Disrupted weapons use",
        "On 3 May 2020, twelve militants surrendered to the army in Goma.": "Change to group/activity",
    }
    for text, sub_type in cases.items():
        assert ("Strategic developments", sub_type) in kinds(text), text


def test_a_crowd_that_finds_the_dead_did_not_kill_them():
    (event,) = events_of("On 18 February 2015, villagers discovered the bodies of 12 people in Rityan.")
    assert (event.type, event.sub_type) == ("Violence against civilians", "Attack")


def test_a_day_does_not_carry_into_a_clause_of_another_time():
    events = events_of(
        "On Thursday, rebels shelled Homs, a day after the opposition accused the army of fighting them in Hama.",
        "2013-08-23",
    )
    assert [e.sub_type for e in events if e.date and e.date.display() == "2013-08-22"] == [
        "Shelling/artillery/missile attack"
    ]


def test_a_day_carries_past_a_clause_closed_before_the_trigger():
    events = events_of(
        "On 29 April 2020, following the death of a shopkeeper, traders staged a protest in Chittagong.",
    )
    assert [e.date.display() for e in events if e.type == "Protests"] == ["2020-04-29"]


def test_an_attack_beside_looting_is_told_too():
    events = events_of("On 30 April 2020, bandits attacked and looted a truck near Bekily, killing one man.")
    assert ("Violence against civilians", "Attack") in {(e.type, e.sub_type) for e in events}


def test_a_victim_found_or_pronounced_dead_is_a_victim():
    (event,) = events_of("On 30 April 2020, a prisoner was pronounced dead in Battambang.")
    assert event.type == "Violence against civilians"


def test_a_video_shot_is_no_shooting():
    assert events_of("On 1 October 2018, the video was allegedly shot moments before the fighters arrived.") == []
    assert events_of("On 1 October 2018, the film was shot in Ahvaz by a local crew.") == []


def test_an_attack_on_an_armed_group_that_also_killed_civilians_stays_a_battle():
    (event,) = events_of("On 22 September 2018, fighters attacked an IRGC parade in Ahvaz, leaving civilians dead.")
    assert event.type == "Battles"


def test_an_attempted_attack_is_an_attack():
    (event,) = events_of("On 9 May 2020, militants made two attempts to attack an army position in Doutchi.")
    assert event.type == "Battles"


def test_a_gathering_dispersed_by_the_police_is_a_protest_with_intervention():
    (event,) = events_of(
        "On 1 May 2020, in El Alto, citizens who had occupied the square were dispersed by the police."
    )
    assert (event.type, event.sub_type) == ("Protests", "Protest with intervention")


def test_a_call_to_protest_is_no_protest_and_a_stoning_no_riot():
    assert (
        events_of("On 11 October 2016, the minister called for campaigners to protest outside the embassy in London.")
        == []
    )
    (event,) = events_of("On 17 July 2014, a woman was stoned to death by the militants in Raqqa.")
    assert event.type == "Violence against civilians"


def test_residents_who_face_a_siege_are_no_mob():
    events = events_of("On 9 September 2016, residents of Aleppo face a siege by regime forces.")
    assert all(e.type != "Riots" for e in events)


def test_to_demonstrate_a_point_or_rally_support_is_no_protest():
    for text in (
        "On 21 July 2016, Russia's actions in Syria demonstrate it is insistent on a military solution.",
        "On 21 July 2016, these violations demonstrated insistence on war in Aleppo.",
        "On 25 September 2016, Assad has rallied Syria's minorities behind his regime in Damascus.",
        "On 11 October 2016, the UK Parliament convened in an emergency debate in London.",
    ):
        assert all(e.type != "Protests" for e in events_of(text)), text
    assert ("Protests", "Peaceful protest") in kinds("On 30 April 2020, the opposition demonstrated in Belgrade.")
    assert ("Protests", "Peaceful protest") in kinds("On 30 April 2020, hundreds rallied in Belgrade.")


def test_demonstrated_at_or_against_is_a_protest():
    for text in (
        "On 28 April 2020, 20 youths demonstrated at the office of the commissioner in Luwero.",
        "On 29 April 2020, residents of Kasoa demonstrated against plans to build a centre.",
    ):
        assert ("Protests", "Peaceful protest") in kinds(text), text


def test_a_plane_shot_down_is_no_shooting_and_rpgs_no_grenade_attack():
    (event,) = events_of("On 14 July 2016, a regime warplane was shot down south of Hama.")
    assert event.sub_type != "Attack"  # a warplane shot down was fought over (test below), no shooting
    events = events_of("On 7 August 2013, the army said rocket-propelled grenades were found in Homs.")
    assert all(e.sub_type != "Grenade" for e in events)


def test_a_manned_aircraft_shot_down_was_fought_over_a_drone_was_disrupted():
    assert kinds("A military helicopter was shot down near Saraqeb on Monday.") == {("Battles", "Armed clash")}
    assert kinds("Air defences shot down a drone over Hama on Monday.") == {
        ("Strategic developments", "Disrupted weapons use")
    }
    assert kinds("Two reconnaissance planes were intercepted over the sea on Monday.") == {
        ("Strategic developments", "Disrupted weapons use")
    }


def test_the_enemys_tanks_destroyed_are_the_fighting_not_property_destruction():
    assert kinds("Army units destroyed two tanks and their positions near Tal Rifaat on Monday.") == {
        ("Battles", "Armed clash")
    }
    assert kinds("Gunmen looted shops and burned houses in Tal Rifaat on Monday.") == {
        ("Strategic developments", "Looting/property destruction")
    }


def countries_of(text: str) -> list[list[tuple[str, str | None]]]:
    return [[(p.name, p.country) for p in e.places] for e in events_of(text)]


def test_a_name_of_several_divisions_alone_is_the_biggest_town_inside_one_of_them():
    # Argentina's province of San Juan outranks Puerto Rico's, but Puerto Rico's capital is the bigger town
    assert countries_of("On 30 April 2020, in San Juan city, a police officer was shot by gunmen.") == [
        [("San Juan", "PR")]
    ]


def test_one_other_name_of_several_countries_does_not_move_a_town_abroad():
    # "El Puente" is likeliest a town of Honduras: no reason to read La Paz as the Honduran department
    places = countries_of("On 1 May 2020, police dispersed protesters who blocked El Puente in La Paz.")
    assert ("La Paz", "BO") in places[0]


def test_a_town_named_with_its_division_is_the_town_inside_it():
    assert countries_of("On 5 May 2020, gunmen killed six in a bar in Cordoba, in the state of Veracruz.") == [
        [("Cordoba", "MX"), ("Veracruz", "MX")]
    ]


def test_a_village_named_like_a_hamlet_abroad_is_no_place_there():
    # no Malian Tieba in the gazetteer, a Chinese hamlet of that name: the report is about Mopti
    (event,) = events_of("On 9 May 2020, gunmen attacked the village of Tieba (Bankass, Mopti).")
    assert {p.country for p in event.places} == {"ML"}


def test_a_division_opened_by_a_compass_word_resolves_in_its_spellings():
    (event,) = events_of("On 1 May 2020, Egyptian forces killed 2 militants in a raid in North Sinai.")
    assert [(p.name, p.kind) for p in event.places] == [("Shamal Sina'", "admin1")]
    # before a town's name the compass word only says which part: it opens no name of its own
    (event,) = events_of("On 1 May 2020, Syrian forces shelled houses in East Ghota of Damascus.")
    assert [p.name for p in event.places] == ["Damascus"]


def test_a_silent_h_at_the_end_of_a_name_is_spelt_or_not():
    # the gazetteer has "Ar Rutbah"; news writes "Ar Rutba", as it writes "Hama" for "Hamah"
    events = events_of("On 1 May 2020, Iraqi forces clashed with militants east of Ar Rutba district.")
    assert [[p.name for p in e.places] for e in events] == [["Ar Rutbah"]]


def test_a_weekday_in_the_name_of_a_street_is_no_day():
    (event,) = events_of("On 28 April 2020, residents gathered in Monday Avenue to hold a pot-banging protest.")
    assert (event.date.start.isoformat(), event.date.end.isoformat()) == ("2020-04-28", "2020-04-28")


def test_an_armed_group_of_one_country_tells_where_its_fight_is():
    # San Jose alone is Costa Rica's capital; beside the New People's Army it is a town of the Philippines
    assert countries_of("On 19 August 2020, New People's Army rebels clashed with troops in San Jose.") == [
        [("San Jose", "PH")]
    ]


def test_a_feast_is_no_town():
    # GeoNames knows "Ramadan" as another name of a Saudi town, "Christmas" as a town in Florida
    for text in (
        "On 7 May 2020, residents burned tyres, denouncing their non-receipt of Ramadan food aid.",
        "On 7 May 2020, rioters burned Christmas decorations and clashed with the police.",
    ):
        assert all(not e.places for e in events_of(text)), text


def test_a_town_named_by_its_unit_is_the_town():
    # "Torodi LGA" names the town by its unit; it is no longer name, as "Abdel Rahman" is of Rahman
    (event,) = events_of("On 2 May 2020, gunmen killed a farmer in a village (Torodi LGA, Tillaberi).")
    assert [p.name for p in event.places] == ["Torodi", "Tillaberi"]
