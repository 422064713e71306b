"""Benchmarks: extraction throughput, `timeline load` on the seeds, app start-up. `make bench`.

Figures are printed, never asserted: they depend on the machine.
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


def main() -> None:
    seeds = [read_article(p) for p in sorted((ROOT / "seed" / "articles").iterdir())]
    t = time.perf_counter()
    load_gazetteer()
    gazetteer_s = time.perf_counter() - t
    # 5 KB articles: the seed texts, cycled to the size the target names.
    corpus = [Article(path=f"{i}", text=(a.text * (5000 // len(a.text) + 1))[:5000], published=a.published)
              for i, a in enumerate(seeds * 40)]
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
    print(f"{'two extractions byte-identical':<52}{str(first == second):>16}")
    print(f"{'two JSON exports byte-identical':<52}{str(len(outputs) == 1):>16}")


if __name__ == "__main__":
    main()
