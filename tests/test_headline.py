"""Summaries in a headline's words: who did what to whom, where, with the toll."""

import pytest

from db.acled import import_acled
from db.queries import list_events
from db.schema import connect
from ingest.dates import parse_published
from ingest.extract import extract
from ingest.headline import headline
from ingest.model import Article
from tests.test_hierarchy import WORLD


@pytest.mark.parametrize(
    "fields, said",
    [
        (
            ("Air/drone strike", "Syrian government forces", None, "Saraqib", "12"),
            "Syrian government forces strike Saraqib, 12 killed",
        ),
        (
            ("Air/drone strike", "Russian forces", "Syrian rebels", "Saraqib", None),
            "Russian forces strike Syrian rebels in Saraqib",
        ),
        (("Attack", "Islamic State", None, "Tehran", "12+"), "Islamic State attacks Tehran, 12+ killed"),
        (
            ("Government regains territory", "Syrian government forces", "Islamic State", "Palmyra", None),
            "Syrian government forces retake Palmyra from Islamic State",
        ),
        (("Armed clash", "YPG", None, "Manbij", None), "YPG fights in Manbij"),
        (("Peaceful protest", "Protesters (Turkey)", None, "Istanbul", None), "Protesters (Turkey) rally in Istanbul"),
        (
            ("Arrests", "Police Forces of Turkey (2016-)", None, "Istanbul", None),
            "Police Forces of Turkey (2016-) make arrests in Istanbul",
        ),
        (("Arrests", "Police", None, None, None), "Police make arrests"),
        (("Remote explosive/landmine/IED", None, None, "Azaz", "5"), "Bombing in Azaz, 5 killed"),
        (("Air/drone strike", None, "Civilians", "Idlib", None), "Air strike on Civilians in Idlib"),
    ],
)
def test_a_headline_says_who_did_what_to_whom_where_with_the_toll(fields, said):
    assert headline(*fields) == said


def test_an_extracted_event_is_summed_up_as_a_headline_not_a_sub_types_name():
    article = Article(
        path="a.md",
        text="Syrian regime warplanes struck a market in Saraqib on Friday, killing 12 civilians.\n",
        published=parse_published("2019-05-11"),
    )
    (event,), _ = extract(article)
    assert event.summary == "Syrian government forces strike Saraqib, 12 killed"


def test_an_acled_row_is_summed_up_as_a_headline_with_its_toll(tmp_path):
    import_acled(WORLD, tmp_path / "t.db")
    summaries = {r.summary for r in list_events(connect(tmp_path / "t.db"))}
    assert "Islamic State (Syria) clashes with Military Forces of Syria in Deir ez Zor, 4 killed" in summaries
