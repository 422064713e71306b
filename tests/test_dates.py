from datetime import date

import pytest

from ingest.dates import Interval, find_dates, parse_published
from ingest.text import fold


def resolve(sentence: str, published: str | None):
    ref = parse_published(published) if published else None
    return [
        (d.expression, d.interval.display() if d.interval else None, d.interval.precision if d.interval else None)
        for d in find_dates(fold(sentence), sentence, ref)
    ]


@pytest.mark.parametrize(
    "sentence, published, expected",
    [
        ("The strike came on Sunday.", "2017-06-19", ("on Sunday", "2017-06-18", "day")),
        ("Troops moved in Monday morning.", "2018-10-01", ("Monday", "2018-10-01", "day")),
        ("It happened last Monday.", "2018-10-01", ("last Monday", "2018-09-24", "day")),
        ("Sources reported on 13 January.", "2021-01-13", ("13 January", "2021-01-13", "day")),
        ("the Sept. 22 attack on a parade", "2018-10-01", ("Sept. 22", "2018-09-22", "day")),
        ("a raid on Nov. 19, 2017 near the border", None, ("Nov. 19, 2017", "2017-11-19", "day")),
        ("fighting on August 11 2014 in Sinjar", None, ("August 11 2014", "2014-08-11", "day")),
        ("the report dated 2017-11-03 said", None, ("2017-11-03", "2017-11-03", "day")),
        ("December 31 was quiet", "2021-01-13", ("December 31", "2020-12-31", "day")),
        ("Last June, gunmen attacked", "2018-10-01", ("Last June", "2017-06", "month")),
        ("In September the offensive began", "2017-11", ("In September", "2017-09", "month")),
        ("In December the offensive began", "2018-03-02", ("In December", "2017-12", "month")),
        ("withdrew in late 2017", None, ("late 2017", "2017-09..2017-12", "season")),
        ("in the summer of 2016", None, ("summer of 2016", "2016-06..2016-08", "season")),
        ("earlier this month", "2019-03-20", ("earlier this month", "2019-03", "month")),
        ("last week the town fell", "2017-06-19", ("last week", "2017-W24", "week")),
        ("two days ago", "2021-01-13", ("two days ago", "2021-01-11", "day")),
        ("3 weeks ago", "2021-01-13", ("3 weeks ago", "2020-W52", "week")),
        ("an uprising in 2009", None, ("2009", "2009", "year")),
        ("the 625 AD Battle of Uhud", None, ("625 AD", "0625", "year")),
        ("yesterday's blast", "2020-03-01", ("yesterday", "2020-02-29", "day")),
        ("last year", "2018-10-01", ("last year", "2017", "year")),
        ("in March 2011", None, ("March 2011", "2011-03", "month")),
        ("driven out late last year", "2018-10-01", ("late last year", "2017-09..2017-12", "season")),
        ("the site of Saturdays blast", "2017-04-16", ("Saturdays", "2017-04-15", "day")),
    ],
)
def test_expression_resolves_against_publication_date(sentence, published, expected):
    assert expected in resolve(sentence, published)


def test_relative_dates_stay_unresolved_without_publication_date():
    assert resolve("The strike came on Sunday, two days ago.", None) == [
        ("on Sunday", None, None),
        ("two days ago", None, None),
    ]


def test_relative_date_is_no_finer_than_a_month_precise_publication():
    assert resolve("Last week the town fell.", "2017-11") == [("Last week", "2017-11", "month")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran may respond soon.",
        "They will march on the capital.",
        "a range of 750 km",
        "the 2000 fighters",
        "At 1:10 a.m. the jets came",
        "a sunday school",
        "the second attack in the last year",
    ],
)
def test_words_that_are_not_dates(sentence):
    assert resolve(sentence, "2017-06-19") == []


def test_parse_published_rejects_impossible_dates():
    with pytest.raises(ValueError):
        parse_published("2021-02-30")
    assert parse_published("2017-11").start == date(2017, 11, 1)


def test_only_a_monday_to_sunday_week_is_shown_as_an_iso_week():
    assert Interval(date(2016, 10, 3), date(2016, 10, 9), "week").display() == "2016-W40"
    assert Interval(date(2016, 10, 5), date(2016, 10, 11), "week").display() == "2016-10-05..2016-10-11"


@pytest.mark.parametrize("sentence", ["They protest on Fridays after prayers.", "Markets shut Fridays and Saturdays."])
def test_a_weekday_of_habit_names_no_day(sentence):
    assert all(interval is None for _, interval, _ in resolve(sentence, "2017-04-16"))
