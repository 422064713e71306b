"""A confidence that means something: fitted on the dev gold (ingest/confidence.py), stored with
each event, and a filter of the CLI's list and export."""

import json

from click.testing import CliRunner

from cli import main
from ingest.dates import parse_published
from ingest.extract import extract
from ingest.merge import merge
from ingest.model import Article
from pipeline import ingest
from tests.helpers import write_article

SHARP = "Regime warplanes struck a market in Saraqib in Syria on Monday, killing 12 people.\n"
VAGUE = "Clashes have been reported in Syria, the monitor said.\n"


def merged(text: str):
    return merge(extract(Article(path="t.txt", text=text, published=parse_published("2016-08-03")))[0])


def test_an_event_dated_placed_and_counted_by_its_sentence_is_trusted_more_than_one_that_is_not():
    (sharp,) = merged(SHARP)
    (vague,) = merged(VAGUE)
    assert sharp.confidence > 0.7 > vague.confidence


def test_list_and_export_keep_only_the_events_of_the_confidence_asked(tmp_path):
    files = [
        write_article(tmp_path / "in", "sharp.txt", SHARP, published="2016-08-03"),
        write_article(tmp_path / "in", "vague.txt", VAGUE, published="2016-08-03"),
    ]
    db = tmp_path / "t.db"
    assert ingest(files, db).ok
    runner = CliRunner()
    every = json.loads(runner.invoke(main, ["export", "--db", str(db), "--format", "json"]).output)
    trusted = json.loads(
        runner.invoke(main, ["export", "--db", str(db), "--format", "json", "--min-confidence", "0.7"]).output
    )
    assert len(every) == 2
    assert [e["summary"] for e in trusted] == [e["summary"] for e in every if "Saraqib" in e["summary"]]
    assert all(e["confidence"] >= 0.7 for e in trusted)
    listed = runner.invoke(main, ["list", "--db", str(db), "--min-confidence", "0.7"])
    rows = listed.output.strip().splitlines()[1:]  # under the header
    assert listed.exit_code == 0 and len(rows) == 1 and "Saraqib" in rows[0]
    wrong = runner.invoke(main, ["list", "--db", str(db), "--min-confidence", "2"])
    assert wrong.exit_code == 2


def test_a_toll_and_a_town_raise_the_confidence_as_they_raised_the_share_right_on_the_dev_gold():
    (counted,) = merged("Warplanes struck a market in Saraqib on Monday, killing 12 people.\n")
    (uncounted,) = merged("Warplanes struck a market in Saraqib on Monday.\n")
    (in_province,) = merged("Warplanes struck a market in Idlib province on Monday.\n")
    assert counted.confidence > uncounted.confidence > in_province.confidence
