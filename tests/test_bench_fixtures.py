"""What the bench measures is what it says: its week's export is taken by the real import as a
week's revision (some rows revised, some new, some unchanged), and a command's peak memory is its
own, not the memory of the process that started it. No timing here: the bench prints figures."""

import csv
import subprocess
import sys

from bench import peak_memory
from bench.generate_world import generate
from bench.week_export import week_export
from db.acled import import_acled
from db.schema import connect
from tests.helpers import ROOT


def test_a_weeks_export_revises_adds_and_leaves_alone(tmp_path):
    rows = 300
    csv_path = generate(rows, tmp_path / "world.csv")
    db = tmp_path / "t.db"
    import_acled(csv_path, db)
    week = week_export(csv_path, rows, tmp_path / "week.csv")
    report = import_acled(week, db)
    assert (report.added, report.revised, report.unchanged) == (60, 120, 120)
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == rows + 60
    with csv_path.open(newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))  # the week's first row is revised: its toll is one more
    stored = conn.execute("SELECT fatalities FROM events WHERE id = ?", (f"acled:{first['event_id_cnty']}",))
    assert (stored.fetchone()[0] or 0) == int(first["fatalities"] or 0) + 1


def test_a_commands_peak_memory_is_its_own(tmp_path):
    """Started by a process holding 200 MB, a small command reports its own few tens of MB."""
    held = "x = bytearray(200 * 2**20); x[::4096] = b'1' * len(x[::4096])"  # touched: resident
    child = "import bench.peak_memory as m; m.report_at_exit()"
    script = f"{held}; import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-c', {child!r}]).returncode)"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    assert 0 < peak_memory.reported(done.stderr) < 100


def test_the_scale_table_puts_each_stores_figures_side_by_side(capsys):
    """A line per figure, a column per store (a figure one store lacks shown as -), each store's
    goal where they differ, and whether each figure holds its goal."""
    from bench.run import Figure, _print_side_by_side

    _print_side_by_side(
        "scale",
        {
            "sqlite": [
                Figure("import", "import", "10 s", "<= 3x bare", False),
                Figure("wal", "the WAL's peak", "5 MB"),
            ],
            "postgresql": [Figure("import", "import", "20 s", "<= 5x COPY", True)],
        },
    )
    lines = capsys.readouterr().out.splitlines()
    imported = next(line for line in lines if line.startswith("import"))
    assert " ".join(imported.split()[1:]) == "10 s NO 20 s ok sqlite: <= 3x bare; postgresql: <= 5x COPY"
    assert next(line for line in lines if line.startswith("the WAL")).split()[3:] == ["5", "MB", "-"]


def test_the_postgresql_floor_copies_every_row_of_the_csv(tmp_path):
    """The import on PostgreSQL is held to the CSV's `COPY` into one table: every row copied, the
    table gone after."""
    from bench import postgres_store
    from tests.helpers import drop_pg_database, pg_database

    url = pg_database()
    import psycopg

    try:
        seconds, copied = postgres_store.bare_copy(generate(300, tmp_path / "world.csv"), url)
        assert (seconds > 0, copied) == (True, 300)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('bare_rows')").fetchone() == (None,)
    finally:
        drop_pg_database(url)
