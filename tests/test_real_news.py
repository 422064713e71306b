"""Real news as scrapers and datasets deliver it: one paragraph, a headline and a dateline on
top, no front-matter date, commas stripped. The examples are written for these tests."""

from pathlib import Path

import pytest

from db.schema import connect
from ingest.extract import extract
from ingest.fatalities import find_fatalities
from ingest.header import read_header
from ingest.read import read_article
from pipeline import ingest
from tests.helpers import write_article

ONE_PARAGRAPH = (
    "Date of publication 4 October 2016 Mortar shells kill five in Syrias Homs. At least five people "
    "were killed on Monday when terrorists targeted a market in Homs with mortar shells the governor "
    "said. Read more about the war. The mortar attack also wounded 20 people.\n"
)


@pytest.mark.parametrize(
    "top, published",
    [
        ("Wed 05 Apr 2017 Gunmen attack a bus", "2017-04-05"),
        ("AFP Sunday 18 Sep 2016 Gunmen attack a bus", "2016-09-18"),
        ("Date of publication 27 June 2016 Gunmen attack a bus", "2016-06-27"),
        ("Posted on July 12 2016 by Jane Roe Gunmen attack a bus", "2016-07-12"),
        ("17-12-2014 Gunmen attack a bus", "2014-12-17"),
        ("Last updated at Apr 232017 Gunmen attack a bus", "2017-04-23"),
        ("Monday 12 June 2017 15:30 Gunmen attack a bus", "2017-06-12"),
    ],
)
def test_a_dateline_at_the_top_is_the_publication_date(top, published):
    assert read_header(top + " in Aden on Monday.", None).published.display() == published


@pytest.mark.parametrize(
    "top",
    ["On 3 March 2019 gunmen attacked a bus in Aden.", "Gunmen attacked a bus in Aden. On 3 March 2019 more came."],
)
def test_a_date_in_the_prose_is_not_a_dateline(top):
    assert read_header(top, None).published is None


def test_a_page_stamp_in_the_furniture_before_the_prose_is_the_publication_date():
    text = (
        "Toll in Homs blast rises to 9 Middle East 1735 03.05.2016(updated 2033 03.05.2016) Get short URL 12 "
        "A source said a car bomb killed nine people in Homs on Monday.\n"
    )
    assert read_header(text, "Toll in Homs blast rises to 9").published.display() == "2016-05-03"


def test_a_wire_dateline_after_the_headline_and_its_summary_is_the_publication_date():
    text = (
        "20 dead in air raids in Latakia NGO At least 20 people including 10 civilians are reportedly killed by "
        "air strikes in the province of Latakia AFP Saturday 10 Aug 2013 Air strikes killed at least 20 people "
        "in Latakia overnight the Observatory said on Saturday.\n"
    )
    assert read_header(text, "20 dead in air raids in Latakia NGO").published.display() == "2013-08-10"


def test_a_title_with_its_site_name_is_found_as_the_headline():
    text = "Car bomb kills 10 in Homs AFP Tuesday 6 May 2014 A car bomb exploded in Homs on Tuesday.\n"
    header = read_header(text, "Car bomb kills 10 in Homs - Region - World - Ahram Online")
    assert header.headline is not None
    assert text[slice(*header.headline)].strip() == "Car bomb kills 10 in Homs"
    assert header.published.display() == "2014-05-06"


def test_one_paragraph_article_is_read_dated_from_its_dateline_and_gives_one_event(tmp_path):
    path = write_article(tmp_path, "homs.txt", ONE_PARAGRAPH, title="Mortar shells kill five in Syrias Homs")
    article = read_article(path)
    assert (article.published.display(), article.published_source) == ("2016-10-04", "dateline")
    events, traces = extract(article)
    assert not any("Read more" in t.text for t in traces)  # furniture goes per sentence, not per line
    assert len(events) == 1  # the headline and the lead tell one incident
    event = events[0]
    assert event.date.display() == "2016-10-03" and event.sub_type == "Shelling/artillery/missile attack"
    assert event.fatalities.best == 5 and [p.name for p in event.places] == ["Homs"]
    assert [ev.text.split()[0] for ev in event.evidence] == ["Mortar", "At"]


def test_different_days_or_places_stay_apart(tmp_path):
    body = (
        "Air strikes killed 12 people in Raqqa on Monday. On Wednesday a car bomb killed four people in "
        "Homs. Air strikes also hit Raqqa on Wednesday.\n"
    )
    events, _ = extract(read_article(write_article(tmp_path, "two.txt", body, published="2017-05-05")))
    assert sorted((e.date.display(), e.places[0].name) for e in events) == [
        ("2017-05-01", "Raqqa"),
        ("2017-05-03", "Homs"),
        ("2017-05-03", "Raqqa"),
    ]


@pytest.mark.parametrize(
    "text, killed",
    [
        ("2 syrians killed 5 injured in the attack", 2),
        ("30 injured and 5 killed", 5),
        ("the death toll from the rocket attacks in aleppo rose to 82 including 58 civilians", 82),
        ("terrorist attacks in aleppo claim 20 martyrs", 20),
        ("a child killed 9 civilians injured", 1),
        ("the strike killed 25 children and 10 women", 35),
        ("223 daesh fighters and 28 sdf troops had been killed as well as 41 civilians", 292),
        ("killed 12 people and wounded 30 others", 12),
        ("nearly 58 people including women and children were killed", 58),
        ("more than 50 troops were summarily executed", 51),
        ("dozens of insurgents killed", 24),
        ("a woman and a child were killed in the raid", 2),
        ("the strike killed a child", 1),
        ("the strike killed a woman and a child", 2),
        ("shelling of a besieged damascus suburb killing more than 8 people", 9),
        ("an air strike on 9 march 2019 killing 11 people", 11),  # the year is no toll
        ("on march 9, 2019 killing 11 people", 11),
        ("the quake of 2019 killed 2019 people", 2019),
    ],
)
def test_tolls_of_real_reports(text, killed):
    found = find_fatalities(text)
    assert (found.best if found else None) == killed


def test_one_failing_article_is_named_and_the_batch_is_stored(tmp_path):
    good = write_article(tmp_path, "good.txt", ONE_PARAGRAPH)
    bad = tmp_path / "bad.txt"
    bad.write_text("---\ntitle: [unclosed\n---\nClashes in Homs on Monday.\n", encoding="utf-8")
    only_title = tmp_path / "title-only.txt"
    only_title.write_text("---\ntitle: Contact us\n---\nContact us\n", encoding="utf-8")
    report = ingest([good, bad, only_title], tmp_path / "t.db")
    assert [Path(p).name for p, _ in report.errors] == ["bad.txt"]
    assert any(Path(p).name == "title-only.txt" and "no sentence" in w for p, w in report.warnings)
    conn = connect(tmp_path / "t.db")
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    (source,) = conn.execute("SELECT published_source FROM documents WHERE path LIKE '%good.txt'").fetchone()
    assert source == "dateline"


# ---- places and actors worldwide ----------------------------------------------------------------


def events_of(text: str, published: str = "2019-03-20"):
    from ingest.dates import parse_published
    from ingest.model import Article

    return extract(Article(path="t.txt", text=text, published=parse_published(published)))[0]


@pytest.mark.parametrize(
    "text, place, country",
    [
        ("Gunmen killed five people in Maiduguri on Monday.", "Maiduguri", "NG"),
        ("A car bomb exploded in Mogadishu on Monday.", "Mogadishu", "SO"),
        ("Shelling hit Mariupol on Monday.", "Mariupol", "UA"),
        ("Clashes erupted in Borno state on Monday.", "Borno", "NG"),
        ("Libyan forces clashed with militias in Tripoli on Monday.", "Tripoli", "LY"),
        ("Lebanese soldiers clashed with gunmen in Tripoli on Monday.", "Tripoli", "LB"),
        ("Air strikes hit the Damascus countryside on Monday.", "Rif Dimashq", "SY"),
        ("Israeli jets struck positions in the Golan on Monday.", "Golan Heights", "SY"),  # a region, curated
        ("Rebels clashed with ISIL in the Qalamoun barrens on Monday.", "Qalamoun", "SY"),
    ],
)
def test_places_of_the_world_in_the_country_the_report_is_about(text, place, country):
    (event,) = events_of(text)
    assert (event.places[0].name, event.places[0].country) == (place, country)


def test_a_place_spelt_another_way_is_found_in_the_reports_country():
    (event,) = events_of("Syrian jets pounded rebel positions in Raqa and Aleppo on Monday.")
    assert "Raqqa" in [p.name for p in event.places]


def test_a_spelling_is_read_in_the_reports_other_countries_when_its_main_one_has_none():
    events = events_of("Syrian jets struck an IS base in Raqa on Monday. IS also holds Mosul and Tal Afar in Iraq.")
    assert "Raqqa" in [p.name for p in events[0].places]


def test_a_report_that_names_no_other_place_is_read_in_the_country_of_its_demonyms():
    (event,) = events_of("The Syrian army killed over 60 ISIL terrorists in Deir Ezour on Monday.")
    assert [(p.name, p.country) for p in event.places] == [("Deir ez-Zor", "SY")]


def test_an_exonym_of_a_town_in_a_country_the_report_never_names_is_no_place():
    (event,) = events_of("The White House condemned the air strike that killed 12 civilians in Idlib on Monday.")
    assert [p.name for p in event.places] == ["Idlib"]  # not Casablanca, "the White House" in Arabic


def test_the_side_of_a_border_is_the_country_named_not_the_one_across():
    (event,) = events_of("A suicide attack killed 24 people on Tuesday on the Syrian side of the border with Iraq.")
    assert [p.name for p in event.places] == ["Syria"]


def test_a_sponsor_named_before_backed_is_no_place_of_the_event():
    (event,) = events_of("Clashes erupted on Monday between ISIS and the US-backed Syrian Democratic Forces.")
    assert "United States" not in [p.name for p in event.places]


def test_an_outlet_named_like_a_place_is_a_source_not_where_it_happened():
    (event,) = events_of("ISIL killed 20 FSA members on Monday in Qalamoun, according to Al-Manar reporter.")
    assert "Mannar" not in [p.name for p in event.places]


def test_a_country_or_demonym_before_arms_is_its_state_forces():
    (event,) = events_of("Malian soldiers clashed with jihadists near Gao on Monday.")
    assert roles(event).get("Military Forces of Mali") == "actor1"
    (event,) = events_of("Russian jets struck a market in Idlib on Monday killing 12 civilians.")
    assert roles(event).get("Russian forces") == "actor1"


def test_a_speaker_is_a_source_not_a_party():
    (event,) = events_of("Clashes erupted in Hajin on Monday, Javad Zarif told reporters.")
    assert "Javad Zarif" not in roles(event)


def test_a_first_name_that_is_also_a_town_is_not_a_place():
    (event,) = events_of("Observatory head Rami Abdel Rahman said clashes erupted in Aleppo on Monday.")
    assert [p.name for p in event.places] == ["Aleppo"]


def test_an_event_placed_only_in_a_country_takes_the_town_the_article_names_most():
    text = (
        "A suspected chemical attack in Syria killed 70 people on Tuesday. Doctors in Idlib treated the "
        "wounded. Hospitals in Idlib were full."
    )
    (event,) = events_of(text)
    assert [p.name for p in event.places] == ["Idlib"]


def roles(event) -> dict[str, str]:
    return {a.name: r for a, r in event.actors}


def test_the_demonym_capital_is_the_countrys_capital():
    (event,) = events_of("Clashes between rival armed groups killed 23 people in the Libyan capital on Saturday.")
    assert (event.places[0].name, event.places[0].country) == ("Tripoli", "LY")


def test_a_report_that_names_no_other_place_happened_at_its_dateline():
    (event,) = events_of("MOGADISHU - A car bomb killed nine people outside a hotel on Monday, police said.")
    assert [p.name for p in event.places] == ["Mogadishu"]


@pytest.mark.parametrize(
    "text, doer",
    [
        ("Gunmen killed nine villagers in Maiduguri on Monday, an attack police blamed on Boko Haram.", "Boko Haram"),
        (
            "A car bomb killed 12 people in Mogadishu on Monday; al-Shabaab claimed responsibility for the attack.",
            "Al-Shabaab",
        ),
    ],
)
def test_a_blamed_or_claiming_group_is_the_doer_and_a_claim_is_no_event_of_its_own(text, doer):
    (event,) = events_of(text)
    assert roles(event).get(doer) == "actor1"


def test_a_yaml_alias_bomb_is_refused_at_once_and_the_good_article_beside_it_is_stored(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\n" + "\n".join(lines) + "\n---\nClashes in Homs on Monday.\n", encoding="utf-8")
    good = write_article(tmp_path, "good.txt", ONE_PARAGRAPH)
    report = ingest([bomb, good], tmp_path / "t.db")  # unguarded, this expands to 9**9 items
    assert [(Path(p).name, "aliases" in why) for p, why in report.errors] == [("bomb.md", True)]
    assert [Path(p).name for p in report.added] == ["good.txt"]


def test_a_long_one_line_article_is_split_into_every_sentence(tmp_path):
    sentence = "Rebels attacked a checkpoint near Idlib on Monday, killing 12 soldiers, officials said. "
    article = write_article(tmp_path, "long.txt", sentence * 3500, published="2019-03-20")  # 300 KB, one line
    events, traces = extract(read_article(article))
    assert len(traces) == 3500 and events


def test_an_article_that_takes_too_long_is_stored_named_and_skipped(tmp_path):
    from pipeline import rebuild_events

    sentence = "Rebels attacked a checkpoint near Idlib on Monday, killing 12 soldiers, officials said. "
    slow = write_article(tmp_path, "slow.txt", sentence * 3500, published="2019-03-20")
    quick = write_article(tmp_path, "quick.txt", ONE_PARAGRAPH, title="Mortar shells kill five in Syrias Homs")
    report = ingest([slow, quick], tmp_path / "t.db")
    conn = connect(tmp_path / "t.db", user=False)
    with conn:
        count = rebuild_events(conn, report=report, seconds_per_article=0.3)
    assert any(Path(p).name == "slow.txt" and "took over 0.3 s" in w for p, w in report.warnings)
    assert count >= 1 and conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_one_place_named_in_two_spellings_is_one_place_of_the_event(tmp_path):
    body = "Syrian jets destroyed homes in Raqa and in Raqqa city on Monday, killing 5 people.\n"
    report = ingest([write_article(tmp_path, "twice.txt", body, published="2019-03-20")], tmp_path / "t.db")
    assert report.ok and report.events == 1


def test_a_run_of_spaces_after_a_name_is_read_in_linear_time():
    (event,) = events_of("Islamic State" + " " * 40000 + "attacked Raqqa on Monday.")
    assert "United States" not in [p.name for p in event.places]


def merged_reports(*texts: str, published: str = "2016-10-04"):
    """The events of several one-paragraph reports, merged across sources as a load does."""
    from ingest.dates import parse_published
    from ingest.merge import merge
    from ingest.model import Article

    events = []
    for i, text in enumerate(texts):
        events += extract(Article(path=f"report{i}.txt", text=text, published=parse_published(published)))[0]
    return merge(events)


def test_a_report_that_names_the_weapon_sharpens_the_event_of_one_that_does_not():
    (event,) = merged_reports(
        "Five people were killed in Homs on Monday, the governor said.\n",
        "Rockets fired by rebels hit a market in Homs on Monday, killing five people.\n",
    )
    assert event.sub_type == "Shelling/artillery/missile attack" and len(event.evidence) == 2


def test_fighting_and_an_air_strike_in_one_town_on_one_day_stay_two_events():
    events = merged_reports(
        "Clashes broke out between rebels and the army in Homs on Monday.\n",
        "Warplanes struck a market in Homs on Monday, killing nine people.\n",
    )
    assert sorted(e.sub_type for e in events) == ["Air/drone strike", "Armed clash"]


def test_the_toll_of_several_sources_is_their_middle_number_and_a_number_beats_a_word():
    (event,) = merged_reports(
        *(f"A car bomb killed {n} people in Homs on Monday.\n" for n in ("12", "15", "dozens", "300"))
    )
    assert event.fatalities.best == 15  # not "dozens", and not the 300 of a report of something else


def test_a_name_that_is_a_word_of_a_date_is_no_place():
    # "Jun" is a town in Spain: the dateline's month is no antecedent of "the town"
    (event,) = events_of("Last updated at Jun 142016 Gunmen killed 12 soldiers in the town on Monday.\n", "2016-06-14")
    assert event.date.display() == "2016-06-13"
    assert not any(p.country == "ES" for p in event.places)


@pytest.mark.parametrize(
    "body, language",
    [
        (
            "Au moins cinq personnes ont été tuées mardi dans une explosion à Alep, selon une ONG qui a"
            " indiqué que le bilan pourrait encore s'alourdir dans la soirée.",
            "French",
        ),
        (
            "Al menos cinco personas murieron el martes en una explosión en Alepo, según una ONG que"
            " dijo que la cifra de muertos podría aumentar.",
            "Spanish",
        ),
        ("قتل خمسة أشخاص على الأقل يوم الثلاثاء في انفجار في حلب بحسب منظمة غير حكومية", "Arabic"),
    ],
)
def test_an_article_not_in_english_is_stored_with_a_warning_naming_its_language(tmp_path, body, language):
    report = ingest([write_article(tmp_path, "a.md", body, published="2020-01-02")], tmp_path / "t.db")
    assert report.added and any(f"written in {language}" in w for _, w in report.warnings)


def test_an_english_article_gets_no_language_warning(tmp_path):
    report = ingest([write_article(tmp_path, "a.txt", ONE_PARAGRAPH)], tmp_path / "t.db")
    assert report.added and not any("written in" in w for _, w in report.warnings)
