"""Who did what to whom, read from the clause: invented sentences, one mechanism each."""

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.model import Article


def events_of(text: str, published: str = "2016-08-01"):
    return extract(Article(path="test.txt", text=text, published=parse_published(published)))[0]


def roles(event) -> dict[str, str]:
    return {a.name: r for a, r in event.actors}


def test_a_compound_before_the_trigger_acts_not_the_holder_after_by():
    (event,) = events_of("Russian air strikes on Sunday killed 30 people in a village held by ISIS in Syria.")
    assert roles(event)["Russian forces"] == "actor1"
    assert roles(event)["Islamic State"] != "actor1"


def test_a_holder_named_by_by_is_not_the_doer_of_the_trigger():
    (event,) = events_of("Shelling hit Hajin on Sunday in a town controlled by ISIS in Syria.")
    assert "actor1" not in roles(event).values()


def test_every_agent_joined_after_by_acts():
    (event,) = events_of(
        "Nine people were killed in airstrikes by regime and Russian jets on Kafr Zita in Syria on Friday."
    )
    assert roles(event) == {"Syrian government forces": "actor1", "Russian forces": "actor1"}


def test_the_subject_of_a_passive_was_struck():
    (event,) = events_of("A Russian military helicopter was shot down over Idlib in Syria on Monday.")
    assert roles(event) == {"Russian forces": "actor2"}


def test_the_home_states_forces_by_a_word_of_government():
    (event,) = events_of("Government troops stormed the village of Kafr Nabl in Syria on Monday, killing 12 people.")
    assert roles(event)["Syrian government forces"] == "actor1"
    (event,) = events_of("Regime warplanes struck a market in Saraqib in Syria on Monday.")
    assert roles(event)["Syrian government forces"] == "actor1"


def test_a_leaders_forces_are_the_state_forces():
    (event,) = events_of("President Bashar al-Assads forces shelled the suburbs of Damascus on Thursday.")
    assert roles(event) == {"Syrian government forces": "actor1"}


def test_a_country_that_leads_the_strikes_acts():
    (event,) = events_of("US-led air strikes killed 12 people in Manbij on Monday.")
    assert roles(event) == {"United States forces": "actor1"}


def test_a_coalition_named_before_a_country_is_the_coalition():
    (event,) = events_of("The US-led coalition said it had conducted nine airstrikes on Daesh militants in Raqqa.")
    assert roles(event) == {"US-led coalition": "actor1", "Islamic State": "actor2"}


def test_a_speaker_reporting_anothers_deed_is_not_the_doer():
    (event,) = events_of("The Pentagon said ISIS attacked a checkpoint in Raqqa on Monday.")
    assert roles(event).get("United States forces") != "actor1"
    assert roles(event)["Islamic State"] == "actor1"


def test_an_attacker_acts_for_the_group_it_comes_from():
    (event,) = events_of("A suicide bomber from the Nusra Front killed 25 soldiers in Aleppo on Monday.")
    assert roles(event)["Hay'at Tahrir al-Sham"] == "actor1"


def test_a_date_after_on_does_not_make_the_subject_a_target():
    (event,) = events_of("On November 4th ISIS carried out a car bomb attack in Manbij.", "2015-11-10")
    assert roles(event) == {"Islamic State": "actor1"}


def test_a_doer_the_text_does_not_name_stays_empty():
    (event,) = events_of("Air strikes hit Douma in Syria on Monday, killing six civilians.")
    assert "actor1" not in roles(event).values()


def test_who_repels_an_attack_is_not_its_doer():
    (event,) = events_of("The Syrian army repelled an attack by militants on Castello Road in Aleppo on Monday.")
    assert roles(event)["Syrian government forces"] == "actor2"
    (event,) = events_of("Syrian forces foiled a raid on Castello in Aleppo on Thursday.")
    assert roles(event) == {"Syrian government forces": "actor2"}


def test_the_struck_subject_of_a_passive_is_the_one_named_first():
    (event,) = events_of("Syrian soldiers near Tabqa were executed by ISIS on Thursday.")
    assert roles(event) == {"Islamic State": "actor1", "Syrian government forces": "actor2"}


def test_the_army_alone_is_the_army_of_the_country_the_article_is_about():
    (event,) = events_of("The army shelled Douma in Syria on Monday.")
    assert roles(event) == {"Syrian government forces": "actor1"}
    (event,) = events_of("The army shelled Ngala in Nigeria on Monday.")
    assert roles(event) == {"Military Forces of Nigeria": "actor1"}


def test_a_subject_that_is_doing_something_is_not_a_passive_one():
    (event,) = events_of("Hezbollah fighters are entering Qusayr in Syria to help the Syrian army.")
    assert roles(event)["Hezbollah"] == "actor1"


def test_who_an_attack_came_from_is_its_doer():
    (event,) = events_of(
        "The chemical attack on Zamalka on Monday, which the UN says came from Assads forces, killed 300."
    )
    assert roles(event)["Syrian government forces"] == "actor1"


def test_the_backer_right_before_the_verb_is_not_its_subject():
    (event,) = events_of("Rebels backed by Turkey seized Dabiq on Monday.")
    assert roles(event)["Rebels"] == "actor1" and roles(event)["Turkish forces"] != "actor1"
    (event,) = events_of("Government forces backed by the Lebanese group Hezbollah seized Zabadani on Monday.")
    assert roles(event)["Syrian government forces"] == "actor1" and roles(event)["Hezbollah"] != "actor1"


def test_gaining_control_of_a_place_is_taking_it():
    (event,) = events_of("The YPG have gained control of the roads leading to the city of Tabqa on Monday.")
    assert event.type == "Battles" and roles(event)["YPG"] == "actor1"


def test_government_forces_are_the_forces_of_the_country_the_article_is_about():
    (event,) = events_of("Government forces killed 12 Boko Haram fighters in Maiduguri, Nigeria on Monday.")
    assert roles(event)["Military Forces of Nigeria"] == "actor1"
    (event,) = events_of("Government forces shelled Douma in Syria on Monday.")
    assert roles(event) == {"Syrian government forces": "actor1"}


def test_a_capital_before_government_forces_says_whose_they_are():
    (event,) = events_of("Near the capital Kabul government forces stormed Maidan Shar on Monday.")
    assert roles(event)["Military Forces of Afghanistan"] == "actor1"
    (event,) = events_of("Hamas government forces shelled Douma in Syria on Monday.")
    assert "Syrian government forces" not in roles(event)


def test_a_backer_named_after_a_title_is_not_the_doer():
    (event,) = events_of(
        "Near Damascus government forces backed by the Lebanese terrorist group Hezbollah seized Zabadani on Monday."
    )
    assert roles(event)["Syrian government forces"] == "actor1"
    assert roles(event)["Hezbollah"] != "actor1"


def test_the_agent_of_a_siege_laid_by_someone_is_the_doer():
    (event,) = events_of(
        "Hajin in Syria has been under siege by US-backed Kurdish paramilitaries known as the SDF since Monday."
    )
    assert roles(event) == {"Syrian Democratic Forces": "actor1"}


def test_a_clause_opened_before_the_trigger_has_its_own_subject():
    (event,) = events_of("Syrian troops fled on Monday after ISIS jihadists quickly stormed the Tabqa airbase.")
    assert roles(event)["Islamic State"] == "actor1"
    assert roles(event)["Syrian government forces"] != "actor1"


def test_the_terrorists_are_the_armed_group_named_before():
    events = events_of(
        "Jabhat al-Nusra fighters entered the area on Sunday. "
        "The terrorists shelled the Midan neighbourhood of Damascus on Monday, killing three people."
    )
    shelling = next(e for e in events if e.sub_type == "Shelling/artillery/missile attack")
    assert roles(shelling) == {"Hay'at Tahrir al-Sham": "actor1"}


def test_a_participle_of_fighting_after_fighters_says_who_they_are_not_what_happened():
    (event,) = events_of("The US-led coalition fighting ISIS struck Raqqa on Monday, killing 12 civilians.")
    assert event.type == "Explosions/Remote violence"
    assert roles(event)["US-led coalition"] == "actor1"
    assert roles(event)["Islamic State"] != "actor1"


def test_who_fighters_seek_to_oust_is_not_the_doer():
    (event,) = events_of("Rebels fighting to oust Assad shelled the Midan neighbourhood of Damascus on Monday.")
    assert roles(event)["Rebels"] == "actor1"


def test_a_word_between_a_demonym_and_forces_can_say_they_are_no_states():
    (event,) = events_of("Syrian opposition forces shelled the village of Kafr Nabl in Idlib on Monday.")
    assert "Syrian government forces" not in roles(event)


def test_the_subject_of_a_that_clause_does_what_it_tells():
    (event,) = events_of(
        "Rebels on Sunday claimed that Russian jets in violation of a ceasefire hit an outpost in Idlib province."
    )
    assert roles(event)["Russian forces"] == "actor1"
    assert roles(event)["Rebels"] != "actor1"


def test_a_speaker_telling_of_arms_it_names_no_owner_for_tells_of_its_own_deed():
    (event,) = events_of("Russias military said six long-range bombers carried out strikes on IS near Raqqa on Sunday.")
    assert roles(event)["Russian forces"] == "actor1"
    (event,) = events_of("The Pentagon said ISIS attacked a checkpoint in Raqqa on Monday.")
    assert roles(event).get("United States forces") != "actor1"


def test_who_an_attack_is_blamed_on_did_it_not_who_blames():
    (event,) = events_of("The army blamed Sunday's bombing in Maiduguri on Boko Haram.")
    assert roles(event)["Boko Haram"] == "actor1"
    assert roles(event)["Military Forces of Nigeria"] != "actor1"


def test_an_also_continues_the_like_incident_told_before_and_its_doer():
    events = events_of(
        "At least 13 civilians were killed in airstrikes by regime jets on the town of Alghantou in Syria on Friday. "
        "Airstrikes also targeted the nearby town of Rastan."
    )
    assert [roles(e) for e in events] == [{"Syrian government forces": "actor1"}] * 2
    events = events_of("Rebels shelled Aleppo in Syria on Friday. Airstrikes also targeted the nearby town of Rastan.")
    assert "actor1" not in roles(events[-1]).values()  # an incident of another kind names no doer


def test_every_conjunct_of_the_subject_acts_but_sides_that_fight_each_other_do_not_both():
    (event,) = events_of("Syrian troops and Hezbollah fighters stormed the village of Kafr Nabl in Idlib on Monday.")
    assert roles(event) == {"Syrian government forces": "actor1", "Hezbollah": "actor1"}
    (event,) = events_of("Rebels and government forces battled around a power plant in Hama in Syria on Monday.")
    assert roles(event)["Syrian government forces"] != "actor1"


def test_the_subject_of_a_clause_opened_before_a_second_trigger_does_it():
    offensive = events_of(
        "Ten civilians have been killed in Douma in Syria by shelling "
        "since the Syrian regime began an offensive on Monday."
    )[-1]
    assert offensive.trigger == "offensive"
    assert roles(offensive)["Syrian government forces"] == "actor1"


def test_the_subject_that_was_the_target_of_an_attack_did_not_do_it():
    (event,) = events_of(
        "The town of Saraqib in Idlib, a hub for rebels, has been the target of air bombardment on Monday."
    )
    assert roles(event).get("Rebels") != "actor1"


def test_who_is_pounded_by_strikes_did_not_strike_but_who_is_backed_by_them_is_no_target():
    (event,) = events_of("Jaish al-Fatah pounded by 56 airstrikes in Aleppo in Syria on Monday.")
    assert roles(event) == {"Jaish al-Fatah": "actor2"}
    (event,) = events_of("Rebels responded by shelling the village of Nubl in Aleppo in Syria on Monday.")
    assert roles(event) == {"Rebels": "actor1"}


def test_who_is_blamed_for_an_attack_did_it_but_not_who_is_blamed_for_something_else():
    (event,) = events_of("The army blamed Boko Haram for the attack on Maiduguri on Sunday.")
    assert roles(event)["Boko Haram"] == "actor1"
    (event,) = events_of(
        "Boko Haram attacked Maiduguri on Sunday and the governor blamed the army for the lack of protection."
    )
    assert roles(event)["Boko Haram"] == "actor1"


def test_an_adjective_of_a_group_before_a_word_of_arms_is_the_group():
    (event,) = events_of("Rebel shelling killed two children in Aleppo in Syria on Monday.")
    assert roles(event) == {"Rebels": "actor1"}
    (event,) = events_of("Opposition rocket attacks hit Aleppo in Syria on Monday.")
    assert roles(event) == {"Rebels": "actor1"}
    (event,) = events_of("Rebel rocket fire killed five children in Aleppo in Syria on Monday.")
    assert roles(event) == {"Rebels": "actor1"}
    (event,) = events_of("Air strikes hit the rebel-held town of Douma in Syria on Monday.")
    assert "Rebels" not in roles(event)  # a place the group holds is not the group acting


def test_the_subject_of_an_as_clause_with_the_group_its_men_come_from_does_the_second_deed():
    events = events_of(
        "One civilian killed in a rocket attack on al-Fouaa in Idleb on Monday "
        "as terrorists from Jaish al-Fatah fired rocket shells on the town."
    )
    assert roles(events[0])["Jaish al-Fatah"] == "actor1"


def test_elsewhere_continues_the_campaign_told_before_past_a_part_of_it_that_names_no_doer():
    events = events_of(
        "Syrian government air strikes killed 15 people in Jassem in Daraa on Monday. "
        "In Busra 4 people were killed in air strikes. "
        "Elsewhere air strikes on Douma east of Damascus killed six civilians."
    )
    assert roles(events[-1]) == {"Syrian government forces": "actor1"}
    events = events_of(
        "Rebels shelled Jassem in Daraa on Monday. Elsewhere air strikes on Douma east of Damascus killed six."
    )
    assert "actor1" not in roles(events[-1]).values()  # an incident of another kind names no doer


def test_an_also_does_not_make_the_side_that_defended_the_doer_of_the_like_incident():
    events = events_of(
        "Government forces clashed with rebels in Kafr Nabl in Idlib in Syria on Monday. "
        "Also the Syrian army repelled 7 waves of attacks in Saraqib killing 20 militants."
    )
    assert roles(events[-1]) == {"Syrian government forces": "actor2"}


def test_the_army_accused_of_doing_something_is_the_state_not_an_army_of_somewhere():
    (event,) = events_of(
        "The opposition accused the army of gassing hundreds in a chemical weapons attack in Ghouta in Syria on Monday."
    )
    assert roles(event) == {"Syrian government forces": "actor1"}


def test_a_speaker_tells_of_its_own_arms_described_in_several_words_but_not_of_a_clause():
    (event,) = events_of(
        "The Russian military said six long range Tu-22M3 strategic bombers carried out strikes "
        "on Islamic State targets near Deir Ezzor in Syria on Monday."
    )
    assert roles(event)["Russian forces"] == "actor1"
    (event,) = events_of("Turkey said five people were killed in shelling in Afrin in Syria on Monday.")
    assert "actor1" not in roles(event).values()


def test_who_acts_in_the_when_clause_of_a_passive_killing_did_it_but_not_who_was_struck_in_it():
    (event,) = events_of(
        "At least eight people were killed on Tuesday when Syrian regime helicopters dropped barrel bombs "
        "on a district of Aleppo in Syria."
    )
    assert roles(event)["Syrian government forces"] == "actor1"
    (event,) = events_of("Two people were wounded in Idlib in Syria on Monday when the Russian jets were shot down.")
    assert "actor1" not in roles(event).values()


def test_the_incident_referred_to_as_the_strike_takes_the_doer_a_later_by_names():
    events = events_of(
        "An air strike killed 15 civilians in Idlib in Syria on Saturday the monitor said. "
        "The monitor said the strike on the village was suspected to have been carried out by Russian planes."
    )
    assert roles(events[0])["Russian forces"] == "actor1"


def test_who_stands_at_the_site_of_an_explosion_did_not_set_it_off():
    (event,) = events_of(
        "Syrian regime soldiers stand at the site of an explosion in Bab Tadmor in Homs in Syria on Monday."
    )
    assert "actor1" not in roles(event).values()


def test_who_were_also_killed_were_struck():
    (event,) = events_of("Fighters from the Nusra Front were also killed in Aleppo in Syria on Monday.")
    assert roles(event) == {"Hay'at Tahrir al-Sham": "actor2"}
