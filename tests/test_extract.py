from pathlib import Path

import pytest

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.fatalities import find_fatalities
from ingest.model import Article
from ingest.read import read_article

SEED_ARTICLES = sorted((Path(__file__).resolve().parent.parent / "seed" / "articles").iterdir())


def events_of(text: str, published: str | None = "2019-03-20"):
    article = Article(path="test.txt", text=text, published=parse_published(published) if published else None)
    return extract(article)[0]


def roles(event) -> dict[str, str]:
    return {a.name: r for a, r in event.actors}


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.name)
def test_every_quote_is_the_exact_source_span(path):
    article = read_article(path)
    for event in extract(article)[0]:
        for ev in event.evidence:
            assert article.text[ev.start : ev.end] == ev.text


def test_active_sentence_gives_doer_and_target():
    (event,) = events_of("Turkish drones struck Kurdish fighters near Qamishli on Monday.")
    assert event.sub_type == "Air/drone strike"
    assert roles(event) == {"Turkish forces": "actor1", "YPG": "actor2"}
    assert [p.name for p in event.places] == ["Qamishli"]
    assert event.date.display() == "2019-03-18"


def test_passive_sentence_finds_the_doer_after_by():
    (event,) = events_of("A checkpoint of the Syrian army was attacked by ISIS in Palmyra on Sunday.")
    assert roles(event)["Islamic State"] == "actor1"


def test_one_sentence_can_report_two_events_with_their_own_dates_and_places():
    events = events_of(
        "The IRGC launched missile strikes at ISIL in Deir Ezzor in retaliation for the "
        "June 7 terrorist attacks in Tehran on Sunday.",
        "2017-06-19",
    )
    by_type = {e.sub_type: e for e in events}
    strike, attack = by_type["Shelling/artillery/missile attack"], by_type["Attack"]
    assert strike.date.display() == "2017-06-18" and [p.name for p in strike.places] == ["Deir ez-Zor"]
    assert attack.date.display() == "2017-06-07" and [p.name for p in attack.places] == ["Tehran"]


def test_sentence_without_date_takes_the_publication_date_marked_as_reported():
    (event,) = events_of("Clashes broke out between the SDF and ISIS in Hajin.", "2018-10-01")
    assert event.date.display() == "2018-10-01" and event.date_source == "published"


def test_without_publication_date_relative_events_are_undated():
    (event,) = events_of("Clashes broke out between the SDF and ISIS in Hajin on Sunday.", None)
    assert event.date is None


def test_text_with_commas_and_apostrophes_stripped():
    events = events_of(
        "On Sunday Syrias army shelled Islamic States positions in Deir Ezzor killing five fighters.", "2019-03-20"
    )
    (event,) = events
    assert event.sub_type == "Shelling/artillery/missile attack"
    assert roles(event)["Syrian government forces"] == "actor1"
    assert [p.name for p in event.places] == ["Deir ez-Zor"]
    assert event.fatalities.best == 5


def test_programmes_and_threats_are_not_events():
    assert events_of("Iran's ballistic missile program worries Israel.") == []
    assert events_of("Iran will launch missiles at ISIS if attacked again.") == []


def test_historical_asides_are_not_events():
    assert events_of("The sword is named for the 625 AD Battle of Uhud in Medina.", "2017-06-19") == []


@pytest.mark.parametrize(
    "phrase, best, low, high",
    [
        ("a deadly attack that left two dozen people dead", 24, 24, 24),
        ("ended with 12 dead and 42 wounded", 12, 12, 12),
        ("five militants died in the airstrikes", 5, 5, 5),
        ("resulted in the death of over a hundred people", 101, 101, None),
        ("at least 7 civilians were killed", 7, 7, None),
        ("dozens of fighters were killed", 24, 24, 99),
        ("the bombing killed 3 people", 3, 3, 3),
    ],
)
def test_fatalities_from_numbers_and_number_words(phrase, best, low, high):
    f = find_fatalities(phrase)
    assert (f.best, f.low, f.high) == (best, low, high)


def test_wounded_are_not_counted_as_killed():
    assert find_fatalities("42 people were wounded") is None


def test_extraction_is_deterministic():
    article = read_article(SEED_ARTICLES[2])
    first = [(e.id, e.date, e.sub_type) for e in extract(article)[0]]
    assert first == [(e.id, e.date, e.sub_type) for e in extract(article)[0]]


def test_an_event_named_as_a_point_in_time_is_not_reported_again():
    assert events_of("Days after the attack, ISIS released a propaganda video in Raqqa.") == []


def test_a_referenced_event_with_its_own_date_is_an_event():
    events = events_of("Iran blamed ISIS for the March 3 bombing in Ahvaz.", "2019-03-20")
    assert [e.date.display() for e in events] == ["2019-03-03"]


def test_habitual_generic_attacks_without_a_date_are_not_events():
    assert events_of("Daesh has increased its attacks on Assad forces in the desert.") == []


def test_the_city_refers_to_the_last_city_named():
    events = events_of("Fighting raged around Hajin. Gunmen arrested a doctor in the city on Monday.")
    assert [p.name for p in events[-1].places] == ["Hajin"]


def test_a_capital_that_acts_is_its_state():
    (event,) = events_of("Tehran fired missiles at Islamic State positions in Albu Kamal on Monday.")
    assert roles(event) == {"Iranian forces": "actor1", "Islamic State": "actor2"}
    assert [p.name for p in event.places] == ["Albu Kamal"]


def test_the_subject_of_lost_is_the_loser():
    (event,) = events_of("ISIS lost the town of Hajin on Sunday.")
    assert roles(event) == {"Islamic State": "actor2"}
    assert event.sub_type == "Government regains territory"


def test_a_dateline_is_not_where_the_event_happened():
    (event,) = events_of("TEHRAN - Gunmen attacked a police station in Ahvaz on Monday.")
    assert [p.name for p in event.places] == ["Ahvaz"]


def test_clashes_between_two_sides_name_both():
    (event,) = events_of("Clashes between the SNA and the SDF near Manbij left 7 fighters dead on Friday.")
    assert roles(event) == {"Syrian National Army": "actor1", "Syrian Democratic Forces": "actor2"}
    assert event.fatalities.best == 7 and event.sub_type == "Armed clash"


def test_assassination_is_an_attack():
    (event,) = events_of("Unidentified gunmen assassinated a local council member in Daraa on Wednesday.")
    assert event.type == "Violence against civilians" and [p.name for p in event.places] == ["Daraa"]


def test_unknown_place_names_are_kept_unresolved():
    (event,) = events_of("Airstrikes hit the village of Tallat al-Hajif on Monday.")
    (place,) = event.places
    assert place.name == "Tallat al-Hajif" and place.kind == "unresolved" and place.lat is None


def test_html_articles_are_read_through_their_main_text(tmp_path):
    html = (
        "<html><head><title>Clashes in Hajin</title><meta property='article:published_time' "
        "content='2018-12-10'></head><body><nav>Home | World</nav><article><h1>Clashes in Hajin</h1>"
        "<p>Clashes broke out between the SDF and ISIS fighters in Hajin on Sunday, killing four "
        "fighters, a monitoring group said.</p><p>The SDF has been pushing into the last ISIS pocket "
        "along the Euphrates for weeks.</p></article><footer>Subscribe to our newsletter</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html)
    article = read_article(path)
    assert article.published.display() == "2018-12-10"
    assert "Home | World" not in article.text
    events = extract(article)[0]
    assert [(e.date.display(), e.sub_type, e.fatalities.best) for e in events][:1] == [("2018-12-09", "Armed clash", 4)]


def test_an_ambiguous_place_is_read_in_the_country_the_article_is_about():
    iraq = events_of("Clashes erupted in Baghdad and Basra on Monday. A bomb exploded in Medina on Tuesday.")
    assert (iraq[-1].places[0].name, iraq[-1].places[0].country) == ("Al Madinah", "IQ")
    saudi = events_of("A bomb exploded in Medina on Tuesday.")
    assert saudi[-1].places[0].country == "SA"  # alone, the bigger city


def test_the_seat_of_an_organisation_is_not_where_its_report_happened():
    (event,) = events_of("Shelling killed six people on Monday a Britain-based monitor said.")
    assert all(p.country != "GB" for p in event.places)


def test_a_month_a_later_sentence_names_is_another_incident_than_the_undated_lead():
    events = events_of(
        "Air strikes killed 12 civilians in Manbij. Also in February air strikes killed 20 people near Manbij.",
        published="2019-03-04",
    )
    assert sorted(e.date.display() for e in events) == ["2019-02", "2019-03-04"]


def test_the_weekday_of_a_reference_is_the_day_of_the_attack_told_before():
    events = events_of(
        "Gunmen attacked a wedding in Kano on 9 March killing 11 people. The culprits of Saturday's "
        "attack fled across the border the police said.",
        published="2019-03-20",
    )
    assert [e.date.display() for e in events] == ["2019-03-09"]
    assert len(events[0].evidence) == 2


def test_what_is_under_way_as_the_article_is_written_happens_on_its_day():
    (event,) = events_of("Government troops are entering Gao after the rebels left.", published="2019-03-20")
    assert (event.type, event.date.display()) == ("Strategic developments", "2019-03-20")
    assert [p.name for p in event.places] == ["Gao"]
    assert not events_of("Government troops entered Gao after the rebels left.", published="2019-03-20")


def test_a_current_date_of_the_clause_beats_an_old_number_read_as_a_year():
    (event,) = events_of("Most read (1875) A car bomb exploded in Mosul on Monday killing nine people.")
    assert event.date.display() == "2019-03-18"


def test_what_a_state_told_as_going_on_names_in_its_clause_is_no_incident():
    text = (
        "A car bomb killed 12 people in Azaz in Syria on Monday. The group has been fighting alongside other "
        "factions in the Turkish offensive against ISIS."
    )
    events = extract(Article(path="t.txt", text=text, published=parse_published("2016-10-06")))[0]
    assert [e.sub_type for e in events] == ["Remote explosive/landmine/IED"]


def test_a_side_said_to_be_under_attack_is_a_state_not_an_incident():
    text = (
        "A car bomb killed 12 people in Azaz in Syria on Monday. In Deir Ezzor both sides are under attack from ISIS."
    )
    events = extract(Article(path="t.txt", text=text, published=parse_published("2016-10-06")))[0]
    assert [e.sub_type for e in events] == ["Remote explosive/landmine/IED"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Government jets have killed 3000 civilians since they first joined the war two years ago.",
        "Last month nearly 900 people were killed in the province of Hama.",
        "At least 75 civilians have been killed over the past four days in air raids on Douma.",
        "Since Sunday at least 40 people have been killed in air raids on the town of Saraqib.",
        "In August more than 50 civilians died in barrel bomb attacks on Saraqib.",
        "So far this year 400 people have been killed in air strikes on Idlib.",
    ],
)
def test_a_toll_summed_over_a_span_of_time_is_a_tally_not_an_event(sentence):
    assert events_of(sentence, "2016-10-06") == []


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("On September 3 a strike on Saraqib killed 12.", "2016-09-03"),
        ("In September a strike on a market in Saraqib killed 12 people.", "2016-09"),  # one incident of the month
        ("Clashes since Monday have killed 20 fighters near Saraqib.", "2016-10-03"),  # one fight told in the plural
        ("Last month a man was killed near Saraqib.", "2016-09"),  # one death is one incident
        ("In February air strikes killed 20 people near Saraqib.", "2016-02"),  # the strikes told, then their toll
    ],
)
def test_a_toll_of_one_incident_or_one_fight_stays_an_event(sentence, day):
    (event,) = events_of(sentence, "2016-10-06")
    assert event.date.display() == day and event.fatalities is not None


def test_a_statement_about_an_incident_told_before_is_that_incident_on_its_day():
    events = events_of(
        "Jets struck a school in Saraqib on Tuesday killing 12 children. "
        "The attack killed at least 12 children, the charity said in a statement on Thursday.",
        "2016-10-07",
    )
    assert [e.date.display() for e in events] == ["2016-10-04"]


def test_the_day_a_source_spoke_does_not_date_the_incident_it_answers():
    events = events_of(
        "The rebel alliance said Thursday its attack was in retaliation for an offensive by the army on Binnish.",
        "2016-10-07",
    )
    assert not any(e.date.display() == "2016-10-06" for e in events)


def test_weapons_destroyed_by_those_who_hold_them_are_no_event():
    assert events_of("In March 2015 the ministry announced that all its mustard gas stocks had been destroyed.") == []
    (event,) = events_of("Rebels destroyed an army weapons depot in Saraqib on Monday.")
    assert event.places[0].name == "Saraqib"


def test_a_day_before_a_verb_of_speech_is_the_speakings_not_that_of_what_it_answers():
    events = events_of(
        "The town council on Monday announced it had closed the schools in response to heavy shelling of Saraqib.",
        "2016-10-07",
    )
    assert not any(e.date.display() == "2016-10-03" for e in events)


def test_a_toll_told_with_the_verb_of_what_was_done_is_one_incident():
    (event,) = events_of(
        "At least 30 people were killed in Saraqib earlier this week as soldiers executed five families.", "2016-10-06"
    )
    assert event.fatalities is not None and event.fatalities.best == 30


def test_deaths_since_a_day_this_week_told_of_one_advance_are_its_toll():
    events = events_of("Rebels advanced on Saraqib and killed 30 soldiers in the area since Monday.", "2016-10-06")
    assert [e.fatalities.best for e in events if e.fatalities] == [30]


def test_a_statement_in_the_lead_about_the_attack_told_after_it_is_that_attack_on_its_day():
    events = events_of(
        "The attack on a school in Saraqib killed 12 children, the charity said in a statement on Thursday. "
        "On Tuesday jets struck a school in Saraqib killing 12 children.",
        "2016-10-07",
    )
    assert [e.date.display() for e in events] == ["2016-10-04"]


def test_a_demonym_before_an_air_raid_names_its_state_forces_as_the_doer():
    (event,) = events_of("In April a suspected Russian air raid on a camp near Binnish killed twelve people.")
    assert roles(event).get("Russian forces") == "actor1"


def test_kurdish_led_fighters_are_the_sdf_and_the_first_side_of_a_clash_between_two():
    (event,) = events_of(
        "Fierce clashes broke out on Sunday between Kurdish-led fighters and Turkish-backed rebels near Manbij."
    )
    assert roles(event).get("Syrian Democratic Forces") == "actor1"


def test_whom_a_source_blames_for_the_incident_is_its_doer():
    (event,) = events_of(
        "On Tuesday the opposition said some 40 people were killed in a gas attack in Idlib province"
        " blaming the Syrian army for the incident."
    )
    assert roles(event).get("Syrian government forces") == "actor1"


def test_the_dead_of_a_fight_lost_it_and_the_side_they_fought_is_the_doer():
    (event,) = events_of("Dozens of IS fighters were killed on Monday in clashes with the SDF near Hajin.")
    assert roles(event) == {"Syrian Democratic Forces": "actor1", "Islamic State": "actor2"}


def test_whom_the_subject_is_fighting_is_not_the_doer_of_its_deed():
    (event,) = events_of(
        "Kurdish fighters battling the Islamic State group seized three villages near Tal Abyad on Sunday."
    )
    assert roles(event) == {"YPG": "actor1", "Islamic State": "associated"}


def test_a_capitalised_word_before_regime_says_nothing_of_whose_forces_they_are():
    (event,) = events_of(
        "Four regime airstrikes hit a bakery in the town of Saraqib in Syria on Tuesday killing 9 people."
    )
    assert roles(event).get("Syrian government forces") == "actor1"


def test_a_fight_given_as_the_pretext_of_a_move_is_no_event():
    assert not events_of(
        "The army said on Friday that a foreign advance near Manbij under the pretext of fighting ISIS is illegal."
    )


def test_who_a_relative_clause_says_carried_out_the_incident_did_it():
    (event,) = events_of("Air strikes that Russian jets carried out on Monday killed 12 people in Saraqib.")
    assert roles(event).get("Russian forces") == "actor1"
    (event,) = events_of(
        "Rebels have not advanced in Aleppo because of the heavy bombardment the regime is carrying out on them."
    )
    assert roles(event).get("Syrian government forces") == "actor1"


def test_anti_government_forces_are_not_the_states_own():
    (event,) = events_of("Anti-regime forces attacked government troops near Daraa in Syria on Monday.")
    assert roles(event) == {"Rebels": "actor1", "Syrian government forces": "actor2"}


def test_what_an_incident_would_bring_about_is_no_incident():
    assert not events_of("The fall of Manbij to the Turkish-backed rebels would threaten the siege of Aleppo.")
    (event,) = events_of("The attack on Saraqib on Monday would be the deadliest this year, killing 40.")
    assert event.date.display() == "2019-03-18"
    # an incident the sentence dates is one told, whatever would come of it
    (event,) = events_of("The attack on the hospital in Saraqib on Monday would be investigated, the UN said.")
    assert (event.date.display(), [p.name for p in event.places]) == ("2019-03-18", ["Saraqib"])


def test_two_sides_that_fought_each_other_are_the_clashs_two_actors():
    (event,) = events_of("Rebels and government forces battled around a dam in Hama province in Syria on Sunday.")
    assert roles(event) == {"Rebels": "actor1", "Syrian government forces": "actor2"}


def test_a_subject_killed_in_the_incident_was_struck_by_it():
    (event,) = events_of(
        "Dozens of ISIS fighters were killed and many more were wounded in the air attacks near Tabqa on Monday."
    )
    assert roles(event).get("Islamic State") == "actor2"
    (event,) = events_of("ISIS militants killed 20 civilians in an attack near Tabqa on Monday.")
    assert roles(event).get("Islamic State") == "actor1"
    (event,) = events_of(
        "Eight SDF fighters died during an assault against the Islamic State group in Manbij on Monday."
    )
    assert roles(event).get("Syrian Democratic Forces") == "actor1"


def test_a_headlines_passive_without_its_verb_says_who_was_killed():
    (event,) = events_of("Army says 31 ISIS militants killed in eastern Syria on Monday.")
    assert roles(event).get("Islamic State") == "actor2"
    (event,) = events_of("ISIS militants killed at least 12 soldiers in eastern Syria on Monday.")
    assert roles(event).get("Islamic State") == "actor1"
    (event,) = events_of("ISIS militants killed and wounded dozens of soldiers in eastern Syria on Monday.")
    assert roles(event).get("Islamic State") == "actor1"


def test_the_conjuncts_before_a_word_of_arms_all_struck():
    (event,) = events_of("Syrian and Russian air strikes hit a market in Saraqib on Monday, killing 9 people.\n")
    assert roles(event) == {"Syrian government forces": "actor1", "Russian forces": "actor1"}
