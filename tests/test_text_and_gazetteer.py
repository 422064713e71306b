import pytest

from ingest.dates import parse_published
from ingest.extract import extract
from ingest.gazetteer import load_gazetteer
from ingest.geo import Place
from ingest.model import Article
from ingest.text import boilerplate_lines, fold, sentences


def names(text: str) -> list[str]:
    return [m.entity.name for m in load_gazetteer().find(text)]


def test_fold_keeps_length_and_unifies_spaces_quotes_and_case():
    text = "Syria\u2019s Deir\u00a0Ezzor \u2013 \u201cAl-Bukamal\u201d"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == 'syria\'s deir ezzor - "al-bukamal"'


def test_sentences_do_not_break_on_abbreviations_or_initials():
    text = "U.S. officials said the Sept. 22 attack began at 1:10 a.m. in Ahvaz. A. Smith agreed. Then it ended"
    spans = [text[s.start : s.end] for s in sentences(text)]
    assert spans == [
        "U.S. officials said the Sept. 22 attack began at 1:10 a.m. in Ahvaz.",
        "A. Smith agreed.",
        "Then it ended",
    ]


def test_boilerplate_lines_are_not_mined():
    text = (
        "Thursday, March 28, 2024\nGunmen attacked a checkpoint near Raqqa on Monday, killing two soldiers.\n"
        "Please read our comment policy before commenting.\nRelated Articles\n\n  1. Airstrikes hit Raqqa\n"
        "  2. More news\n\nClick here to support\n"
    )
    skipped = boilerplate_lines(text)
    mined = [text[s.start : s.end] for s in sentences(text, skipped)]
    assert mined == ["Gunmen attacked a checkpoint near Raqqa on Monday, killing two soldiers."]


def test_lines_in_arabic_are_kept_but_not_mined():
    text = "الخسارة العربية من المقال\nClashes erupted in Hajin.\n"
    assert [text[s.start : s.end] for s in sentences(text)] == ["Clashes erupted in Hajin."]


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        (  # the run ends where a capitalised article opens the sentence
            "Jets hit a market a monitor said Tags Syria Saraqib airstrikes Assad The market was hit at dawn.",
            ["Jets hit a market a monitor said", "The market was hit at dawn."],
        ),
        (  # "for" before a capital stays in a name; "At least 9" opens the sentence
            "Tags Hama barrel bombs Watch for Human Rights At least 9 people were killed in Kafr Zita.",
            ["At least 9 people were killed in Kafr Zita."],
        ),
        (  # no capitalised article: the nearest capital before the first clause word
            "Tags Homs Qusayr rockets the Tawhid Front Soldiers shelled a village near Qusayr.",
            ["Soldiers shelled a village near Qusayr."],
        ),
        (  # a function word after a lowercase word is prose too, even before a name
            "Tags Idlib war Dozens of air strikes on Ariha killed five people.",
            ["Dozens of air strikes on Ariha killed five people."],
        ),
        (  # a run that never meets prose is furniture to the end of the sentence
            "Army Retakes Town Near Tadmur Tags Daesh offensive Tadmur Syria",
            ["Army Retakes Town Near Tadmur"],
        ),
    ],
)
def test_a_keyword_list_run_into_the_prose_is_page_furniture(text, prose):
    assert [text[s.start : s.end] for s in sentences(text)] == prose


def test_the_keywords_of_a_keyword_list_make_no_event():
    text = "Tags Syria Saraqib airstrikes Homs shelling Rebels attacked an army post in Jisr al-Shughur on Monday."
    article = Article(path="tags.txt", text=text, published=parse_published("2019-03-20"))
    (event,) = extract(article)[0]
    assert event.evidence[0].text == "Rebels attacked an army post in Jisr al-Shughur on Monday."


@pytest.mark.parametrize("alias", ["ISIS", "ISIL", "Daesh", "Islamic State", "IS", "Da'esh"])
def test_islamic_state_aliases_are_one_actor(alias):
    assert names(f"Fighters of {alias} attacked the town.") == ["Islamic State"]


def test_short_capitalised_aliases_match_only_in_capitals():
    assert names("This is what the army is doing.") == []


@pytest.mark.parametrize(
    "spelling", ["Deir Ezzor", "Deir ez-Zor", "Deir al-Zor", "Deir az-Zur", "DEIR EZ ZOR", "Deir el-Zor"]
)
def test_deir_ez_zor_spellings_are_one_place(spelling):
    assert names(f"Shelling hit {spelling} city.") == ["Deir ez-Zor"]


@pytest.mark.parametrize("spelling", ["Albu Kamal", "al-Bukamal", "Abu Kamal", "Bukamal"])
def test_albu_kamal_spellings_are_one_place(spelling):
    assert names(f"Raids struck {spelling} overnight.") == ["Albu Kamal"]


def test_stripped_possessives_still_match():
    assert names("Syrias east and the Islamic States last pocket") == ["Syria", "Islamic State"]


def test_irgc_spellings_are_one_actor():
    for text in ("the Islamic Revolution Guards Corps", "the IRGC", "Iran's Revolutionary Guards"):
        assert "Islamic Revolutionary Guard Corps" in names(text)


def test_capitalised_common_words_and_person_names_are_not_places():
    assert names("The Prophet Muhammad gave the sword to Imam Ali.") == []


def test_places_carry_coordinates_and_country():
    place = load_gazetteer().find("Clashes in al-Mayadeen")[0].entity
    assert isinstance(place, Place) and place.lat is not None and place.lon is not None
    assert place.country == "SY" and 34.9 < place.lat < 35.1 and 40.3 < place.lon < 40.6


def test_a_known_name_inside_a_longer_unknown_one_is_not_matched():
    assert names("Clashes near Ilam al-Mukawem positions") == []
    assert names("Fighting in Tal Afar and near Deir ez-Zor Airport") == ["Tal Afar", "Deir ez-Zor"]
    # the Arabic article joins the name to the word before it: "Jamiyat al Zahra" is no town Zahra
    assert names("A truck bomb heading towards Jamiyat al Zahra exploded") == []
