"""Benchmarks: extraction throughput and `timeline load` on the seeds; then the scale runs: a
synthetic ACLED CSV of BENCH_ROWS rows (default 1,000,000) of each of BENCH_KINDS (default "syria
world": one country as before, and every country) imported and explored with the real app.
`make bench`. Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The commands timed start as an installed program does, with its modules' bytecode cached (a
# machine that sets this compiles every module at every start: 0.1 s more before the first rows).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peak_memory  # noqa: E402
from bench.week_export import WEEK_ROWS, week_export  # noqa: E402
from ingest.extract import extract  # noqa: E402
from ingest.gazetteer import load_gazetteer  # noqa: E402
from ingest.model import Article  # noqa: E402
from ingest.read import read_article  # noqa: E402


def median_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def scale(rows: int, kind: str) -> None:
    """The scale table for `rows` synthetic ACLED rows of one `kind`: "syria" (one country, one
    actor in most events; bench/generate_acled.py) or "world" (every country, skewed as ACLED's
    are; bench/generate_world.py)."""
    from bench import generate_acled, generate_world

    generate = {"syria": generate_acled.generate, "world": generate_world.generate}[kind]
    data = ROOT / "bench" / "data"
    csv_path = data / f"{kind}_{rows}.csv"
    if not csv_path.exists():
        print(f"generating {csv_path.name} …", flush=True)
        generate(rows, csv_path)
    db = data / f"{kind}_{rows}.db"
    for leftover in data.glob(f"{kind}_{rows}.db*"):
        leftover.unlink()
    bare = _bare_executemany(csv_path, data / "bare.db")
    # each command reports its own peak memory on its stderr, as the last line (bench/peak_memory.py)
    cli = [sys.executable, "-c", "import bench.peak_memory as m; m.report_at_exit(); from cli import run; run()"]
    imported, import_rss_mb, disk_peak, wal_peak = _import_watched(
        [*cli, "import", "acled", str(csv_path), "--db", str(db)], db
    )
    final = sum(f.stat().st_size for f in data.glob(f"{kind}_{rows}.db*") if not f.name.endswith(".user.db"))
    stored = sum(f.stat().st_size for f in data.glob(f"{kind}_{rows}.db*"))  # the WAL too, if any is left
    ratio = stored / csv_path.stat().st_size
    bare_app = median_of(lambda: _bare_app_first_line(), runs=3)
    probe = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "app_probe.py"), str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    actor, n = _actor_near(db, 10_000)
    export = median_of(
        lambda: subprocess.run(
            [*cli, "export", "--db", str(db), "--actor", actor, "--format", "json"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ),
        runs=3,
    )
    outputs = _large_outputs(cli, db)
    week_s, week_report = _reimport_week(cli, csv_path, rows, db)
    ms = 0.001
    rows_out = [
        (
            "import (indexes and search included)",
            _shown(imported),
            f"<= 3x bare ({_shown(3 * bare)})",
            imported <= 3 * bare,
        ),
        ("  bare sqlite3 executemany, one table", _shown(bare), "floor", None),
        (f"  rows a second ({rows:,} rows)", f"{rows / imported:,.0f}", "", None),
        ("import's peak memory (max RSS)", f"{import_rss_mb:.0f} MB", "<= 400 MB", import_rss_mb <= 400),
        (
            "disk during the import, against the final store",
            f"{disk_peak / 1e9:.2f} GB, {disk_peak / final:.2f}x",
            "<= 1.2x",
            disk_peak <= 1.2 * final,
        ),
        ("  the write-ahead log's peak", f"{wal_peak / 1e6:.0f} MB", "", None),
        ("database size, against the CSV", f"{stored / 1e9:.2f} GB, {ratio:.1f}x", "<= 1.5x the CSV", ratio <= 1.5),
        (
            "app: start to first rows, against a bare app",
            f"{_shown(probe['first_rows_s'])}, {probe['first_rows_s'] / bare_app:.1f}x",
            f"<= 1.3x bare ({_shown(1.3 * bare_app)})",
            probe["first_rows_s"] <= 1.3 * bare_app,
        ),
        ("  a bare Textual app's first line (median of 3)", _shown(bare_app), "floor", None),
        _row("key: UI-thread work, move and page (median)", probe["key_ms"] * ms, 33 * ms),
        _row("  key: Pilot press until idle (harness floor)", probe["press_ms"] * ms),
        _row("jump to end: UI-thread work", probe["jump_end_ms"] * ms, 33 * ms),
        _row("filter: one place (rows on screen)", probe["filter_place_s"], 0.15),
        _row("filter: a month", probe["filter_dates_s"], 0.15),
        _row("filter: a rare actor", probe["filter_rare_actor_s"], 0.15),
        _row("filter: text search", probe["filter_search_s"], 0.15),
        _row(f"filter: actor in {probe['common_actor_share']:.0%} of events", probe["filter_common_actor_s"], 1),
        _row("  its whole timeline read", probe["filter_common_actor_whole_s"]),
        _row(f"filter: a country ({probe['country_share']:.0%} of events)", probe["filter_country_s"], 0.15),
        _row("filter: a first-level division", probe["filter_division_s"], 0.15),
        _row("facets, a month window", probe["facets_window_s"], 0.1),
        _row("facets, cross-filter on the big actor", probe["facets_cross_s"], 1),
        _row("  each pane's number of values, after: month", probe["facets_window_total_s"]),
        _row("  each pane's number of values, after: actor", probe["facets_cross_total_s"]),
        _row(f"text search, {probe['search_hits']:,} hits", probe["search_s"]),
        _row("  UI thread's longest wait during it", probe["lag_max_ms"] * ms, 33 * ms),
        _row("  a key during it: UI-thread work", probe["key_during_search_ms"] * ms, 33 * ms),
        _row("  Escape: workers free again after", probe["cancel_ms"] * ms, 0.2),
        ("app memory (max RSS)", f"{probe['rss_mb']:.0f} MB", "<= 120 MB", probe["rss_mb"] <= 120),
        (f"export --actor (json, {n:,} events, median of 3)", _shown(export), "<= 1 s (10k)", export <= 1),
        *outputs,
        (f"re-import of a week's export, {WEEK_ROWS:,} rows", _shown(week_s), "<= 10 s", week_s <= 10),
        (f"  {week_report}", "", "", None),
    ]
    print(f"\nscale, {kind}: {probe['events']:,} events from a synthetic ACLED CSV, {os.cpu_count()} cores")
    print(f"{'what':<50}{'measured':>16}  {'goal':<26}holds")
    for what, measured, goal, holds in rows_out:
        print(f"{what:<50}{measured:>16}  {goal:<26}{'' if holds is None else 'yes' if holds else 'NO'}")


def _import_watched(command: list[str], db: Path) -> tuple[float, float, int, int]:
    """Run an import: its wall time, its peak memory (MB), the most that every file of the store
    (the store, its write-ahead log, anything else named after it) held on disk together, and the
    most its write-ahead log held (bytes), sampled every 0.2 s. Whatever way the import writes,
    the disk it takes is counted."""

    wal = db.with_name(db.name + "-wal")

    def on_disk() -> int:
        return sum(f.stat().st_size for f in db.parent.glob(f"{db.name}*") if f.exists())

    def in_log() -> int:
        return wal.stat().st_size if wal.exists() else 0

    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would stop the import
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        peak = wal_peak = 0
        while (ended := os.wait4(process.pid, os.WNOHANG))[0] == 0:
            peak, wal_peak = max(peak, on_disk()), max(wal_peak, in_log())
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        rss_mb = _ended(process, command, errors, ended)
    return seconds, rss_mb, max(peak, on_disk()), wal_peak


def _ended(process: subprocess.Popen, command: list[str], errors, ended: tuple | None = None) -> float:
    """Reap a process (or take what `os.wait4` said of it), raise if it failed; the peak memory
    (MB) it reported (bench/peak_memory.py)."""
    _, status, _ = ended or os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    errors.seek(0)
    said = errors.read().decode(errors="replace")
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=said)
    return peak_memory.reported(said)


def _bare_app_first_line() -> float:
    """Seconds until a bare Textual app draws its one line (bench/bare_app.py): the app's floor."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bare_app.py")], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return float(done.stdout)


def _output_timed(command: list[str], header: bool) -> tuple[float, float, int, float]:
    """Run a command whose output another program reads as it comes: the seconds to its first
    line of data (past the `header` line), to its end, its lines and its peak memory (MB)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        lines = 0
        for _ in range(1 + header):
            lines += process.stdout.readline().endswith(b"\n")
        first = time.perf_counter() - start if lines == 1 + header else float("nan")
        while chunk := process.stdout.read(1 << 16):  # read and dropped: nothing held
            lines += chunk.count(b"\n")
        process.stdout.close()
        rss_mb = _ended(process, command, errors)
    return first, time.perf_counter() - start, lines - header, rss_mb


FLAT_MB = 25  # a command's memory is flat in its result's size if a large result takes this much more at most


def _large_outputs(cli: list[str], db: Path) -> list[tuple[str, str, str, bool | None]]:
    """`list`, `export` and `stats` at a large result (the actor in most events, the country with
    most) in real processes, their output read through a pipe: each one's time to its first line,
    to its end, and its peak memory against the same command's at a small result (the middle
    actor's events): memory flat in the result's size, within FLAT_MB."""
    chosen = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "app_probe.py"), "--choices", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
    )
    base = [*cli, "--db", str(db)]
    small = {
        "list": _output_timed([*base, "list", "--actor", chosen["rare"]], header=True)[3],
        "export": _output_timed([*base, "export", "--actor", chosen["rare"], "--format", "csv"], header=True)[3],
    }
    small["stats"] = small["list"]
    commands = [
        ("list", f"list --actor, {chosen['common_count']:,} events", ["list", "--actor", chosen["common"]], True),
        ("list", f"list --place, {chosen['country_count']:,} events", ["list", "--place", chosen["country"]], True),
        (
            "export",
            f"export --place (csv), {chosen['country_count']:,} events",
            ["export", "--place", chosen["country"], "--format", "csv"],
            True,
        ),
        ("stats", "stats (every event)", ["stats"], False),
    ]
    out: list[tuple[str, str, str, bool | None]] = []
    for name, what, args, header in commands:
        try:
            first, whole, lines, rss_mb = _output_timed([*base, *args], header)
        except subprocess.CalledProcessError as e:
            told = [line for line in e.stderr.splitlines() if not line.startswith(peak_memory.LINE)]
            message = told[-1:] or [f"status {e.returncode}"]
            out.append((f"{what}: FAILED {message[0][:60]}", "-", "works", False))
            continue
        expected = chosen["common_count"] if "--actor" in args else chosen["country_count"]
        works = name == "stats" or lines == expected
        out.append((f"{what}: first line", _shown(first), "<= 500 ms", first <= 0.5 and works))
        out.append(
            (
                f"  {lines:,} lines, to its end; peak memory",
                f"{_shown(whole)}, {rss_mb:.0f} MB",
                f"<= {small[name] + FLAT_MB:.0f} MB (small + {FLAT_MB})",
                rss_mb <= small[name] + FLAT_MB,
            )
        )
    return out


def _reimport_week(cli: list[str], csv_path: Path, rows: int, db: Path) -> tuple[float, str]:
    """Import a week's revised export into the store just built (bench/data/*_week.csv): its wall
    time, process start included, and what the import said it did."""
    week = week_export(csv_path, rows, csv_path.with_name(f"{csv_path.stem}_week.csv"))
    start = time.perf_counter()
    done = subprocess.run(
        [*cli, "import", "acled", str(week), "--db", str(db)], cwd=ROOT, check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    said = next(line for line in done.stderr.splitlines() if "events added" in line)
    return seconds, said.split(";")[0]  # "N events added, N revised, N unchanged"


def _shown(seconds: float) -> str:
    """Milliseconds under a second, seconds above."""
    if seconds < 0.1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _row(what: str, seconds: float, limit: float | None = None) -> tuple[str, str, str, bool | None]:
    """A line of the scale table: what, the figure, its goal (a limit in seconds) and whether it holds."""
    if limit is None:
        return what, _shown(seconds), "", None
    goal = f"<= {limit * 1000:g} ms" if limit < 1 else f"<= {limit:g} s"
    return what, _shown(seconds), goal, seconds <= limit


def _bare_executemany(csv_path: Path, db_path: Path) -> float:
    """The floor for this stack: the CSV's rows into one table, one executemany, no index."""
    import csv
    import sqlite3

    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path)
    with csv_path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        conn.execute(f"CREATE TABLE rows ({', '.join(f'c{i}' for i in range(len(header)))})")
        t = time.perf_counter()
        conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})", reader)
        conn.commit()
        seconds = time.perf_counter() - t
    conn.close()
    db_path.unlink()
    return seconds


def _actor_near(db: Path, target: int) -> tuple[str, int]:
    import sqlite3

    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT a.name, count(*) n FROM event_actors ea JOIN actors a ON a.seq = ea.actor_seq"
        " GROUP BY a.id ORDER BY abs(count(*) - ?) LIMIT 1",
        (target,),
    ).fetchone()
    conn.close()
    return row[0], row[1]


def main() -> None:
    seeds = [read_article(p) for p in sorted((ROOT / "seed" / "articles").iterdir())]
    t = time.perf_counter()
    load_gazetteer()
    gazetteer_s = time.perf_counter() - t
    # 5 KB articles: the seed texts, cycled to the size the target names.
    corpus = [
        Article(path=f"{i}", text=(a.text * (5000 // len(a.text) + 1))[:5000], published=a.published)
        for i, a in enumerate(seeds * 40)
    ]
    seconds = median_of(lambda: [extract(a) for a in corpus], runs=3)
    first = json.dumps([[e.id, e.summary] for a in corpus[:5] for e in extract(a)[0]])
    second = json.dumps([[e.id, e.summary] for a in corpus[:5] for e in extract(a)[0]])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        cmd = [sys.executable, "-c", "from cli import main; main()", "load", "--db", str(db)]
        load_s = median_of(lambda: subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True), runs=3)
        export = [sys.executable, "-c", "from cli import main; main()", "export", "--db", str(db)]
        outputs = {subprocess.run(export, cwd=ROOT, check=True, capture_output=True).stdout for _ in range(2)}
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'what':<52}{'figure':>16}")
    print(f"{'gazetteer build (once per process)':<52}{gazetteer_s:>14.2f} s")
    print(f"{'extraction, 5 KB articles, one core':<52}{len(corpus) / seconds:>10.0f} art/s")
    print(f"{'timeline load on the seeds (process start included)':<52}{load_s:>14.2f} s")
    print(f"{'two extractions byte-identical':<52}{first == second!s:>16}")
    print(f"{'two JSON exports byte-identical':<52}{len(outputs) == 1!s:>16}")
    for kind in os.environ.get("BENCH_KINDS", "syria world").split():
        scale(int(os.environ.get("BENCH_ROWS", "1000000")), kind)


if __name__ == "__main__":
    main()
