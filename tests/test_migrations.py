"""A store an older version wrote answers the same once migrated: the same `timeline list`, JSON
export, facet counts and annotations.

tests/fixtures/store_v11.sql and store_v11.user.sql are the dumps (`sqlite3 FILE .dump`) of a
store and its user database as schema version 11 wrote them, with the code of main at a53482d:
`timeline load` of seed/, `timeline import acled` of tests/fixtures/acled_week.csv and
acled_world.csv, then stars, tags and a note (`annotate`), corrections of a date, places and
actors (`edit`), an undated event dated, a `reject`, a `confirm` and an analyst's event (`add`).
tests/fixtures/store_v11.answers.json is what `answers` below gave on that store, run by that code.
store_v12.sql, store_v12.user.sql and store_v12.answers.json are the same steps with the code of
main at 6c28585 (schema version 12), and store_v13.* with the code of main at 81a5669 (schema
version 13), TIMELINE_AUTHOR=lead: `load`; `import acled` of acled_week.csv, then acled_world.csv;
`annotate acled:SYR200002 --star --note "two sources differ" --tag "front, east" --tag checked`;
`annotate 9f93ed0d7ef74d82 --star`; `edit acled:TUR300001` --date 2020-04-10, then --place
Diyarbakir, then --actor1 and --actor2 "PKK: Kurdistan Workers Party"; `edit 729371f9db8b2626
--date 2017-10`; `reject acled:LBN400001`; `confirm acled:SYR200003`; `add --date 2019-03-23 --type
"Armed clash" --place Hajin --actor1 "Syrian Democratic Forces" --actor2 "Islamic State" --citation
"An analyst's own source"`.
Answers changed since on purpose, not by the migration: the analyst's event exports its
confidence as null (it is the analyst's, not scored), where that code gave 1.0; an ACLED row's
source exports its document's id as the derived one's, -seq, since version 14 (db/schema.py's
DERIVED_DOCUMENT), where the stored one's was a positive number.
"""

import csv
import io
import itertools
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli import main
from db import queries
from db.schema import SCHEMA_VERSION, connect

FIXTURES = Path(__file__).parent / "fixtures"
# The filters asked of `list`: by place and actor (the link tables), their trees, a window, the
# events near one (both link indexes by date), and the corrected events among them.
LISTS: tuple[list[str], ...] = (
    [],
    ["--place", "Syria"],
    ["--place", "Deir ez-Zor"],
    ["--place", "Turkey"],
    ["--place", "Diyarbakir"],
    ["--place", "Lice"],
    ["--actor", "Islamic State"],
    ["--actor", "PKK"],
    ["--actor", "Iran-backed militias", "--place", "Albu Kamal"],
    ["--actor", "Islamic State", "--actor", "Syrian Democratic Forces"],
    ["--around", "acled:SYR200002", "--days", "30"],
    ["--around", "acled:TUR300001", "--days", "10"],
    ["--since", "2018-01-01", "--until", "2020-12-31"],
    ["--type", "Battles", "--place", "Syria", "--since", "2018-06"],
    ["--starred"],
    ["--search", "Deir"],
    # search as the app's box takes it: a prefix, a phrase (a hyphenated word is one), FTS5's syntax
    ["--search", "Bukam*"],
    ["--search", '"Deir ez-Zor"'],
    ["--search", "ez-Zor"],
    ["--search", "Albu Kamal"],
    ["--search", "NEAR(Iranian militias, 5)"],
    ["--search", "summary: clash NOT Syria"],
    ["--rejected"],
)
# The filters whose facet counts are compared: whole months (read from month_counts), and a
# place, an actor, a window of days (the sets of events).
FACETED: tuple[dict[str, Any], ...] = (
    {},
    {"since": date(2018, 1, 1), "until": date(2020, 12, 31)},
    {"places": ("Syria",)},
    {"places": ("Turkey",)},
    {"actors": ("Islamic State",)},
    {"since": date(2018, 6, 19), "until": date(2020, 4, 8)},
)


def answers(db: Path | str) -> dict:
    """What the store answers: `list` and `export` output, the facets' counts and the months'."""
    out: dict = {"list": {}, "facets": [], "months": []}
    for args in LISTS:
        result = CliRunner().invoke(main, ["list", "--db", str(db), *args])
        out["list"][" ".join(args)] = [result.exit_code, result.stdout]
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "json", "--rejected"])
    out["export"] = json.loads(result.stdout)
    conn = connect(db)
    for given in FACETED:
        f = queries.Filter(
            places=tuple(queries.resolve_place(conn, p) for p in given.get("places", ())),
            actors=tuple(queries.resolve_actor(conn, a) for a in given.get("actors", ())),
            since=given.get("since"),
            until=given.get("until"),
        )
        found = queries.facets(conn, f)
        out["facets"].append({k: {v.id: v.count for v in getattr(found, k)} for k in ("actors", "places", "types")})
        out["months"].append([list(m) for m in queries.month_counts(conn, f)])
    conn.close()
    return out


def _rows(tsv: str) -> list[dict[str, str]]:
    """`list`'s lines as rows by column (a column added since is not the migration's)."""
    return list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))


def store_v11(path: Path, version: int = 11) -> Path:
    """The fixture store of a version (11, 12 or 13) and its user database, at `path`."""
    for dump, file in (
        (f"store_v{version}.sql", path),
        (f"store_v{version}.user.sql", path.with_name(f"{path.stem}.user.db")),
    ):
        old = sqlite3.connect(file)
        old.executescript((FIXTURES / dump).read_text(encoding="utf-8"))
        if version >= 13 and file != path:  # its user database was version 3 (a dump does not keep it)
            old.execute("PRAGMA user_version = 3")
        old.close()
    return path


def test_a_version_11_store_answers_the_same_once_its_links_are_narrowed(tmp_path):
    db = store_v11(tmp_path / "timeline.db")
    raw = sqlite3.connect(db)
    links = (
        raw.execute("SELECT count(*) FROM event_places").fetchone()[0],
        raw.execute("SELECT count(*) FROM event_actors").fetchone()[0],
    )
    raw.close()
    before = json.loads((FIXTURES / "store_v11.answers.json").read_text(encoding="utf-8"))
    after = answers(db)
    _same_answers(before, after)
    starred = [e["id"] for e in after["export"] if e["starred"]]
    assert sorted(starred) == ["9f93ed0d7ef74d82", "acled:SYR200002"]
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every link kept, by the row numbers of its place or actor and its event's day
    assert (
        conn.execute("SELECT count(*) FROM event_places").fetchone()[0],
        conn.execute("SELECT count(*) FROM event_actors").fetchone()[0],
    ) == links
    for table, key in (("event_places", "place_seq"), ("event_actors", "actor_seq")):
        types = conn.execute(f"SELECT DISTINCT typeof({key}), typeof(day) FROM {table}").fetchall()
        assert {tuple(t) for t in types} == {("integer", "integer"), ("integer", "null")}  # one event undated
    conn.close()


def _same_answers(before: dict, after: dict) -> None:
    for args, (code, text) in before["list"].items():  # the same rows in the same order, column by column
        assert after["list"][args][0] == code
        rows, now = _rows(text), _rows(after["list"][args][1])
        assert [{k: r.get(k) for k in was} for was, r in zip(rows, now, strict=True)] == rows, args
    assert len(after["export"]) == len(before["export"]) == 32
    for was, now in zip(before["export"], after["export"], strict=True):
        _derived_ids(was, now)
        assert {k: now.get(k) for k in was} == was  # (a field added since is not the migration's)
    assert after["facets"] == before["facets"] and after["months"] == before["months"]


def _derived_ids(was: dict, now: dict) -> None:
    """An ACLED row's source is its derived document since version 14, numbered -seq: the older
    answer's positive id stands for it once the new one is seen to be negative."""
    for old, new in zip(was.get("sources", []), now.get("sources", []), strict=True):
        if old["path"].startswith("acled:") and old["document"] > 0:
            assert new["document"] < 0, new
            new["document"] = old["document"]


def test_a_version_13_store_answers_the_same_once_its_acled_documents_are_derived(tmp_path):
    """Version 14 keeps an ACLED row's note by its event's seq (`acled_notes`, beside an events
    table as narrow as before): its document and quote are derived by the views `documents` and
    `evidence`, which read as version 13's tables did."""
    db = store_v11(tmp_path / "timeline.db", version=13)
    raw = sqlite3.connect(db)
    events_columns = [c[1] for c in raw.execute("PRAGMA table_info(events)")]
    documents_before = raw.execute("SELECT id, path, title, publisher, published, text, kind, key FROM documents")
    by_key = {r[-1]: r[1:] for r in documents_before}
    quotes_before = raw.execute(
        'SELECT d.key, v.event_id, v.start, v."end" FROM evidence v JOIN documents d ON d.id = v.document_id'
    ).fetchall()
    acled = raw.execute("SELECT count(*) FROM documents WHERE kind = 'acled'").fetchone()[0]
    raw.close()
    before = json.loads((FIXTURES / "store_v13.answers.json").read_text(encoding="utf-8"))
    after = answers(db)
    _same_answers(before, after)
    for args in (["stats"], ["list", "--search", "Tripoli"], ["history", "acled:TUR300001"]):
        assert CliRunner().invoke(main, [*args, "--db", str(db)]).exit_code == 0, args
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 14
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")  # the index reads as before
    # the ACLED rows' documents and quotes are no longer stored, and read as they were
    assert acled == 14 and conn.execute("SELECT count(*) FROM stored_documents WHERE kind = 'acled'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM acled_notes").fetchone()[0] == acled
    assert [c[1] for c in conn.execute("PRAGMA table_info(events)")] == events_columns
    rows = conn.execute("SELECT id, path, title, publisher, published, text, kind, key FROM documents").fetchall()
    assert {r[-1]: tuple(r)[1:] for r in rows} == by_key
    assert all(r[0] < 0 for r in rows if r["kind"] == "acled")
    quotes = conn.execute(
        'SELECT d.key, v.event_id, v.start, v."end" FROM evidence v JOIN documents d ON d.id = v.document_id'
    ).fetchall()
    assert sorted(map(tuple, quotes)) == sorted(quotes_before)
    conn.close()


def test_a_version_12_store_answers_the_same_once_its_counts_and_aliases_are_narrowed(tmp_path):
    db = store_v11(tmp_path / "timeline.db", version=12)
    raw = sqlite3.connect(db)
    kept = {
        table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("month_counts", "event_sets", "place_aliases", "actor_aliases")
    }
    raw.close()
    before = json.loads((FIXTURES / "store_v12.answers.json").read_text(encoding="utf-8"))
    after = answers(db)
    _same_answers(before, after)
    # the close names offered for a name no event has, and an alias's own answers
    for kind, name in (("place", "Dier ez Zor"), ("actor", "Islamic Stat"), ("place", "Albu Kamall")):
        conn = connect(db)
        assert queries.close_names(conn, kind, name), name
        conn.close()
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in kept} == kept
    for table in ("month_counts", "event_sets"):  # places and actors by their row number's text, types by name
        types = conn.execute(f"SELECT DISTINCT facet, typeof(value) FROM {table}").fetchall()
        facets = ("actors", "places", "types", "sub_types", *(("months",) if table == "event_sets" else ()))
        assert {tuple(t) for t in types} == {(facet, "text") for facet in facets}, table
        for facet in ("actors", "places"):
            unknown = conn.execute(
                f"SELECT count(*) FROM {table} m WHERE facet = ?"
                f" AND NOT EXISTS (SELECT 1 FROM {facet} t WHERE CAST(t.seq AS TEXT) = m.value)",
                (facet,),
            ).fetchone()[0]
            assert unknown == 0, (table, facet)
    for table in ("place_aliases", "actor_aliases", "month_counts"):
        assert conn.execute("SELECT wr FROM pragma_table_list WHERE name = ?", (table,)).fetchone()[0] == 1
    conn.close()


def test_the_day_numbers_keep_the_dates_order_and_read_back_as_the_dates(tmp_path):
    """A link's day is its event's start: ordered as the ISO dates are, and made alike by Python
    (the writers) and by SQL (the migration, the corrected dates a walk merges in)."""
    from db.schema import date_sql, day, day_sql

    dates = ["0001-01-01", "1969-12-31", "1970-01-01", "1997-01-01", "2024-02-29", "2026-12-06", "9999-12-31"]
    days = [day(d) for d in dates]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(days))
    assert day("1970-01-01") == 0 and day(None) is None
    conn = sqlite3.connect(":memory:")
    for d in dates:
        assert conn.execute(f"SELECT {day_sql('?')}, {date_sql(day_sql('?'))}", (d, d)).fetchone() == (day(d), d)
    assert conn.execute(f"SELECT {day_sql('NULL')}").fetchone()[0] is None


def test_a_version_4_store_reaches_the_narrow_links(tmp_path):
    from tests.helpers import store_v4

    db = store_v4(tmp_path / "timeline.db")
    conn = connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM event_places WHERE typeof(place_seq) = 'integer'").fetchone()[0] > 0
    syria = queries.resolve_place(conn, "Syria")
    assert len(queries.event_ids(conn, queries.Filter(places=(syria,)))) == len(
        queries.event_ids(conn, queries.Filter())
    )
    assert {v.id for v in queries.facets(conn, queries.Filter()).places} >= {syria}
    conn.close()


def test_a_spelling_close_to_an_alias_that_several_places_share_offers_the_first_by_name(tmp_path):
    """The aliases are kept in their key's order (WITHOUT ROWID), no longer in the order they were
    written: which place a shared alias offers is said, not left to the rows' order."""
    db = store_v11(tmp_path / "timeline.db", version=12)
    conn = connect(db)
    deir, hajin = (queries.resolve_place(conn, name) for name in ("Deir ez-Zor (city)", "Hajin"))
    conn.executemany(
        "INSERT INTO place_aliases (key, alias, place_id) VALUES ('qamishlo', 'Qamishlo', ?)", [(hajin,), (deir,)]
    )
    assert queries.close_names(conn, "place", "Qamishli", n=1) == ["Deir ez-Zor"]
    conn.close()


def test_a_version_2_user_database_gets_an_activity_log_begun_with_what_it_says_of_who_did_what(tmp_path):
    """Version 3 of the user database keeps an activity log (db/activity.py); the migration
    writes into it what version 2 kept: each star, note, tag and correction, with its author and
    time, oldest first. A change made after it is logged after them."""
    from db.activity import activity
    from db.annotations import set_starred
    from db.schema import USER_VERSION, user_path

    db = store_v11(tmp_path / "timeline.db", version=12)
    old = sqlite3.connect(user_path(db))
    old.execute("PRAGMA user_version = 2")  # as version 2 left it (a dump does not keep it)
    old.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user.user_version").fetchone()[0] == USER_VERSION == 3
    log = activity(conn)[::-1]  # oldest first
    assert [(e.created, e.author, e.what, e.subject) for e in log] == [
        ("2026-12-06 19:05:12", "lead", "star", "acled:SYR200002"),
        ("2026-12-06 19:05:12", "lead", "star", "9f93ed0d7ef74d82"),
        ("2026-12-06 19:05:12", "lead", "note", "acled:SYR200002"),
        ("2026-12-06 19:05:12", "lead", "tag", "acled:SYR200002"),
        ("2026-12-06 19:05:12", "lead", "tag", "acled:SYR200002"),
        ("2026-12-06 19:05:12", "lead", "edit date", "acled:TUR300001"),
        ("2026-12-06 19:05:12", "lead", "edit places", "acled:TUR300001"),
        ("2026-12-06 19:05:12", "lead", "edit actors", "acled:TUR300001"),
        ("2026-12-06 19:05:13", "lead", "edit date", "729371f9db8b2626"),
        ("2026-12-06 19:05:13", "lead", "reject", "acled:LBN400001"),
        ("2026-12-06 19:05:13", "lead", "confirm", "acled:SYR200003"),
        ("2026-12-06 19:05:13", "lead", "add", "cf5d07702422d092"),
    ]
    assert [e.detail for e in log[2:5]] == ["two sources differ", "front, east", "checked"]
    assert log[6].detail == "Lice -> Diyarbakir"
    set_starred(conn, "acled:SYR200003", True, author="dana")
    assert [(e.author, e.what) for e in activity(conn, limit=1)] == [("dana", "star")]
    assert len(activity(conn)) == len(log) + 1
    conn.close()
