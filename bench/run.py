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
    cli = [sys.executable, "-c", "from cli import run; run()"]
    t = time.perf_counter()
    import_rss_mb, disk_peak, wal_peak = _import_watched([*cli, "import", "acled", str(csv_path), "--db", str(db)], db)
    imported = time.perf_counter() - t
    final = sum(f.stat().st_size for f in data.glob(f"{kind}_{rows}.db*") if not f.name.endswith(".user.db"))
    stored = sum(f.stat().st_size for f in data.glob(f"{kind}_{rows}.db*"))  # the WAL too, if any is left
    ratio = stored / csv_path.stat().st_size
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
        _row("start to first rows (Python start included)", probe["first_rows_s"], 0.6),
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
    ]
    print(f"\nscale, {kind}: {probe['events']:,} events from a synthetic ACLED CSV, {os.cpu_count()} cores")
    print(f"{'what':<46}{'measured':>12}  {'goal':<22}holds")
    for what, measured, goal, holds in rows_out:
        print(f"{what:<46}{measured:>12}  {goal:<22}{'' if holds is None else 'yes' if holds else 'NO'}")


def _import_watched(command: list[str], db: Path) -> tuple[float, int, int]:
    """Run an import; its peak memory (MB), the most its store and write-ahead log held on disk
    together and the most the log held (bytes), sampled every 0.2 s."""
    import resource

    wal = db.with_name(db.name + "-wal")

    def on_disk() -> int:
        return sum(f.stat().st_size for f in (db, wal) if f.exists())

    def in_log() -> int:
        return wal.stat().st_size if wal.exists() else 0

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would stop the import
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        peak = wal_peak = 0
        while process.poll() is None:
            peak, wal_peak = max(peak, on_disk()), max(wal_peak, in_log())
            time.sleep(0.2)
        if process.returncode:
            errors.seek(0)
            raise subprocess.CalledProcessError(process.returncode, command, stderr=errors.read())
    peak = max(peak, on_disk())
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child's: this one,
    return (rss_kb if rss_kb > before else float("nan")) / 1024, peak, wal_peak  # unless an earlier was larger


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
