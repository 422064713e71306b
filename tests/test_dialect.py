"""The translation of SQLite's SQL into PostgreSQL's (db/dialect.py): a rule never reads or changes
quoted text (a literal or a quoted name holding a word a rule looks for), and SQLite's NOCASE
comparisons and orders give the same answers on PostgreSQL, through an index made the same way."""

import pytest

from db import dialect, queries, views
from db.queries import Filter
from db.schema import connect
from tests.helpers import drop_pg_database, pg_database


def translated(sql: str) -> str:
    return dialect.postgres_sql(sql, lambda table: ["id"])


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        (  # a parenthesis in a literal neither opens nor closes the subquery; the literal is kept
            "SELECT n FROM (SELECT ')' AS n) WHERE n = 'FROM (SELECT x)'",
            "SELECT n FROM (SELECT ')' AS n) AS subquery_14 WHERE n = 'FROM (SELECT x)'",
        ),
        (
            "SELECT json_group_array(x), 'json_group_array(y)' FROM t",
            "SELECT CAST(json_agg(x) AS text), 'json_group_array(y)' FROM t",
        ),
        (
            "INSERT INTO t (a) VALUES ('said RETURNING rowid')",
            "INSERT INTO t (a) VALUES ('said RETURNING rowid')",
        ),
        (
            "INSERT OR IGNORE INTO t (a) VALUES ('x RETURNING y')",
            "INSERT INTO t (a) VALUES ('x RETURNING y') ON CONFLICT DO NOTHING",
        ),
        (
            "INSERT INTO c (k, n) VALUES ('DO UPDATE SET n = n + 1', 1)"
            " ON CONFLICT (k) DO UPDATE SET n = n + excluded.n",
            "INSERT INTO c (k, n) VALUES ('DO UPDATE SET n = n + 1', 1)"
            " ON CONFLICT (k) DO UPDATE SET n = c.n + excluded.n",
        ),
        (  # the key read after a literal still makes json_each an object's keys and values
            "SELECT j.value FROM json_each(?) j WHERE x = 'a' AND j.key = ?",
            "SELECT j.value FROM json_each_text(CAST(%s AS json)) j WHERE x = 'a' AND j.key = %s",
        ),
        ("SELECT \"user.x\", 'main.y' FROM user.t", f"SELECT \"user.x\", 'main.y' FROM {dialect.USER_SCHEMA}.t"),
        ("SELECT 1 FROM t WHERE a IS 'x'", "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM 'x'"),
        ("SELECT 1 FROM t WHERE note = 'a IS b' AND direct", "SELECT 1 FROM t WHERE note = 'a IS b' AND (direct <> 0)"),
    ],
)
def test_quoted_text_is_never_rewritten(sqlite, postgres):
    assert translated(sqlite) == postgres


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT name FROM v ORDER BY name COLLATE NOCASE", 'SELECT name FROM v ORDER BY lower(name COLLATE "C")'),
        (
            "SELECT 1 FROM v WHERE v.name = ? COLLATE NOCASE",
            'SELECT 1 FROM v WHERE lower(v.name COLLATE "C") = lower(%s COLLATE "C")',
        ),
        (
            "SELECT 1 FROM v WHERE name COLLATE NOCASE <> :name",
            'SELECT 1 FROM v WHERE lower(name COLLATE "C") <> lower(%(name)s COLLATE "C")',
        ),
        (
            "SELECT 1 FROM v WHERE name == 'Raqqa' COLLATE NOCASE",
            'SELECT 1 FROM v WHERE lower(name COLLATE "C") = lower(\'Raqqa\' COLLATE "C")',
        ),
        ("SELECT 1 FROM v WHERE name = 'x COLLATE NOCASE'", "SELECT 1 FROM v WHERE name = 'x COLLATE NOCASE'"),
        (
            "CREATE INDEX IF NOT EXISTS v_name ON v (name COLLATE NOCASE)",
            'CREATE INDEX IF NOT EXISTS v_name ON v (lower(name COLLATE "C"))',
        ),
        # a column declared NOCASE has no PostgreSQL form that compares as SQLite's: left to fail loudly
        (
            "CREATE TABLE IF NOT EXISTS v (name TEXT COLLATE NOCASE)",
            "CREATE TABLE IF NOT EXISTS v (name TEXT COLLATE NOCASE)",
        ),
    ],
)
def test_nocase_is_lower_case_of_ascii_letters_alone(sqlite, postgres):
    """SQLite's NOCASE folds the ASCII letters only, then compares bytes: lower() under the "C"
    collation does the same (under the database's own collation it folds É too, and may order
    by language); both sides of a comparison folded, as SQLite compares them."""
    assert translated(sqlite) == postgres


def test_quoted_words_and_parentheses_reach_the_store_as_written(empty_store):
    """Literals holding what the rules look for are stored and read back the same on both stores."""
    conn = connect(empty_store, create=True)
    said = "json_group_array(x) FROM (SELECT 1) RETURNING rowid; user.views IS ? COLLATE NOCASE"
    conn.execute("CREATE TEMP TABLE said (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute(f"INSERT INTO said (body) VALUES ('{said}')")
    conn.commit()
    rows = conn.execute(f"SELECT n.body FROM (SELECT body FROM said WHERE body = '{said}') n").fetchall()
    assert [tuple(r) for r in rows] == [(said,)]
    conn.close()


def test_views_are_listed_in_the_same_order_on_both_stores(seed_store):
    """`ORDER BY name COLLATE NOCASE`: case of ASCII letters ignored, the rest by bytes (É before é)."""
    conn = connect(seed_store)
    for name in ["beta", "éa", "Alpha", "_under", "Éb", "alpha2"]:
        views.save_view(conn, name, Filter(search="convoy"))
    assert [v.name for v in views.saved_views(conn)] == ["_under", "Alpha", "alpha2", "beta", "Éb", "éa"]


def test_a_nocase_comparison_walks_an_index_made_with_nocase(seed_pg_template):
    """The index SQLite's `(name COLLATE NOCASE)` becomes is the one a NOCASE comparison walks."""
    url = pg_database(template=seed_pg_template)
    try:
        conn = connect(url)
        conn.execute("CREATE INDEX IF NOT EXISTS places_name_nocase ON places (name COLLATE NOCASE)")
        conn.execute("SET enable_seqscan = off")  # the seed's few places: a scan would do
        query = "SELECT id FROM places WHERE name = ? COLLATE NOCASE"
        found = conn.execute(query, ("tehran",)).fetchall()
        plan = " ".join(r[0] for r in conn.execute(f"EXPLAIN {query}", ("tehran",)).fetchall())
        assert [r[0] for r in found] == [r[0] for r in conn.execute("SELECT id FROM places WHERE name = 'Tehran'")]
        assert found and "places_name_nocase" in plan
    finally:
        drop_pg_database(url)


def test_an_index_ends_with_its_tables_key_as_sqlites_does():
    """events(date_start) is (date_start, seq) on PostgreSQL: `ORDER BY date_start, seq` walks it."""
    from db.schema import TABLES

    made = dialect.postgres_schema(TABLES)
    assert "CREATE INDEX IF NOT EXISTS events_by_date ON events(date_start, seq)" in made
    assert "CREATE INDEX IF NOT EXISTS event_places_by_place ON event_places(place_seq, day, event_seq)" in made
    assert (
        translated("CREATE INDEX IF NOT EXISTS t_by_x ON t(x) WHERE y > 0")
        == "CREATE INDEX IF NOT EXISTS t_by_x ON t(x, id) WHERE y > 0"
    )
    assert (
        translated("CREATE UNIQUE INDEX IF NOT EXISTS t_x ON t(x)") == "CREATE UNIQUE INDEX IF NOT EXISTS t_x ON t(x)"
    )


def test_the_date_order_walks_the_date_index_unsorted(seed_pg_template):
    url = pg_database(template=seed_pg_template)
    try:
        conn = connect(url)
        conn.execute("SET enable_seqscan = off")  # the seed's few events: a scan would do
        query = "SELECT seq FROM events WHERE date_start IS NOT NULL ORDER BY date_start, seq"
        plan = [r[0] for r in conn.execute(f"EXPLAIN {query}").fetchall()]
        assert "events_by_date" in plan[0] and not any("Sort" in line for line in plan), plan
    finally:
        drop_pg_database(url)


def test_a_place_or_actor_filters_first_rows_and_an_events_context_are_the_same_on_both_stores(seed_store):
    """The links' day numbers read as dates (`date(day * 86400, 'unixepoch')`) and an event's
    days either side (`date(day, '+7 days')`): SQLite's functions, PostgreSQL's of the same name."""
    conn = connect(seed_store)
    facets = queries.facets(conn, Filter())
    first = queries.event_ids(conn, Filter())[0]
    for f in (
        Filter(places=(facets.places[0].id,)),
        Filter(actors=(facets.actors[0].id,)),
        Filter(around=queries.around_event(conn, first, 30)),
    ):
        shown = queries.first_rows(conn, f, 200)
        read = [
            conn.execute("SELECT id, substr(date_start, 1, 7) FROM events WHERE seq = ?", (s,)).fetchone()
            for s in shown.rowids
        ]
        assert read and [r[0] for r in read] == queries.event_ids(conn, f)[: len(read)]
        assert [r[1] for r in read] == [month for month, n in shown.months for _ in range(n)]
