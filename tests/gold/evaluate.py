"""Score the extractor against the gold events: `make eval`.

Four tables. The first, on the seed articles, is described below. The second ingests the
real-news corpus `CORPUS` (default ../shared/corpus/fakes-dev, FA-KES) with the `timeline` command
as a user would and scores its JSON export twice: with ../shared/eval/score_fakes.py (the main
incident of each article) and with ../shared/eval/score_precision.py on the 60 articles of
full_gold.yaml (every event an analyst would see: right date and place, strict, duplicates, junk,
core recall, perpetrator; each scorer's docstring defines its columns), and again on the 25
other articles of tests/gold/fakes_second_gold.yaml, a second blind gold. Beside it, the
calibration of the events' confidence: for c in 0.5..0.9, the share right among the events of
those articles with confidence >= c, and how many under 0.5 are right; once for the weights as
shipped (fitted on these events: in sample), once with each article's events scored by weights
fitted without that article (out of sample, scripts/fit_confidence.py). The third ingests the
ACLED notes (`NOTES`, default ../shared/corpus/acled-notes-dev) and scores them with
../shared/eval/score_acled_notes.py. The fourth scores short reports from 53 countries
(tests/gold/world) on the incident's place (50 km) and day.

A predicted event is aligned to a gold event when its source sentence contains one of the gold
event's quotes. Precision: aligned predictions / predictions (a second prediction of one gold
event counts as aligned, and is reported as a duplicate). Recall: gold events with an aligned
prediction. Field scores are over aligned pairs. "Strict" recall also wants the right date at
the right precision and a right place. The run is repeated on the texts with commas and
apostrophes stripped, as some unseen articles arrive.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from ingest.extract import extract
from ingest.lexicon import load_lexicon
from ingest.read import read_article

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = Path(os.environ.get("CORPUS", ROOT.parent / "shared" / "corpus" / "fakes-dev"))
SCORER = CORPUS.parent.parent / "eval" / "score_fakes.py"
PRECISION_SCORER = CORPUS.parent.parent / "eval" / "score_precision.py"
FULL_GOLD = CORPUS / "full_gold.yaml"
# 25 more fakes-dev articles annotated blind by the same spec, after the extractor was tuned on the
# 60 of full_gold.yaml: a check that those figures are not fitted to the 60 (its header says how).
SECOND_GOLD = Path(__file__).parent / "fakes_second_gold.yaml"
NOTES = Path(os.environ.get("NOTES", CORPUS.parent / "acled-notes-dev"))
NOTES_SCORER = CORPUS.parent.parent / "eval" / "score_acled_notes.py"
CALIBRATION_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9)
WORLD = Path(__file__).parent / "world"
WORLD_GOLD = Path(__file__).parent / "world_events.yaml"
GOLD = yaml.safe_load((Path(__file__).parent / "seed_events.yaml").read_text())
STRIP = re.compile(r"[,'\u2019]")


def score(strip: bool) -> dict:
    totals: dict[str, Any] = {
        "pred": 0,
        "aligned": 0,
        "dupes": 0,
        "gold": 0,
        "found": 0,
        "strict": 0,
        "date": 0,
        "type": 0,
        "place": 0,
        "actor1": 0,
        "fatal_n": 0,
        "fatal": 0,
        "pairs": 0,
    }
    misses = []
    for name, gold_events in GOLD.items():
        article = read_article(ROOT / "seed" / "articles" / name)
        if strip:
            article.text = STRIP.sub("", article.text)
        norm = (lambda s: STRIP.sub("", s)) if strip else (lambda s: s)
        events, _ = extract(article)
        totals["pred"] += len(events)
        totals["gold"] += len(gold_events)
        matched: set[int] = set()
        for e in events:
            sentence = " ".join(ev.text for ev in e.evidence)  # an event may retell its incident in several sentences
            candidates = [
                i
                for i, g in enumerate(gold_events)
                if any(norm(q) in ev.text for q in g["quotes"] for ev in e.evidence)
            ]
            if not candidates:
                misses.append(
                    f"{name}: extra: {e.date.display() if e.date else None} {e.sub_type} "
                    f"{e.trigger!r} in {' '.join(sentence.split())[:90]!r}"
                )
                continue
            # One sentence can report two gold events: take the one this prediction agrees with most.
            g_index = max(
                candidates,
                key=lambda i: (
                    gold_events[i]["type"] == e.type,
                    len({p.name for p in e.places} & set(gold_events[i]["places"])),
                    -i,
                ),
            )
            totals["aligned"] += 1
            if g_index in matched:
                totals["dupes"] += 1
                continue
            matched.add(g_index)
            g = gold_events[g_index]
            date_ok = e.date is not None and e.date.display() == str(g["date"]) and e.date.precision == g["precision"]
            place_ok = bool({p.name for p in e.places} & set(g["places"])) or (not g["places"] and not e.places)
            doer = next((a.name for a, r in e.actors if r == "actor1"), None)
            totals["pairs"] += 1
            totals["date"] += date_ok
            totals["type"] += e.type == g["type"]
            totals["place"] += place_ok
            totals["actor1"] += doer == g.get("actor1")
            if doer != g.get("actor1"):
                misses.append(f"{name}: actor1 {doer!r}, gold {g.get('actor1')!r}: {' '.join(sentence.split())[:80]!r}")
            if "fatalities" in g:
                totals["fatal_n"] += 1
                totals["fatal"] += bool(e.fatalities and e.fatalities.best == g["fatalities"])
            totals["strict"] += date_ok and place_ok
            if not (date_ok and place_ok):
                misses.append(
                    f"{name}: gold {g['date']} {g['places']} ~ got {e.date.display() if e.date else None} "
                    f"{[p.name for p in e.places]}"
                )
        totals["found"] += len(matched)
        misses += [
            f"{name}: not found: {g['date']} {g['type']} {g['quotes'][0]!r}"
            for i, g in enumerate(gold_events)
            if i not in matched
        ]
    totals["misses"] = misses
    return totals


def main() -> int:
    print(
        f"{'text':<22}{'precision':>10}{'recall':>8}{'strict':>8}{'date':>7}{'type':>7}{'place':>7}"
        f"{'actor1':>8}{'killed':>8}{'dupes':>7}"
    )
    t: dict[str, Any] = {}  # after the loop: the stripped run's
    for label, strip in (("as published", False), ("commas/' stripped", True)):
        t = score(strip)
        pct = lambda a, b: f"{a / b:.2f}" if b else "-"  # noqa: E731
        print(
            f"{label:<22}{pct(t['aligned'], t['pred']):>10}{pct(t['found'], t['gold']):>8}"
            f"{pct(t['strict'], t['gold']):>8}{pct(t['date'], t['pairs']):>7}{pct(t['type'], t['pairs']):>7}"
            f"{pct(t['place'], t['pairs']):>7}{pct(t['actor1'], t['pairs']):>8}{pct(t['fatal'], t['fatal_n']):>8}"
            f"{t['dupes']:>7}"
        )
        if "-v" in sys.argv:
            print("\n".join("   " + m for m in t["misses"]))
    print(f"\n{t['gold']} gold events, {t['pred']} predicted (stripped run)\n")
    corpus_table()
    notes_table()
    world_table()
    return 0


def ingest_and_export(files: list[str], tmp: str) -> tuple[subprocess.CompletedProcess, float, list[dict]]:
    """`timeline ingest FILES` into a new database, as a user would, then its JSON export."""
    timeline = str(Path(sys.executable).with_name("timeline"))
    db = str(Path(tmp) / "eval.db")
    started = time.perf_counter()
    ingest = subprocess.run([timeline, "ingest", *files, "--db", db], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    export = subprocess.run([timeline, "export", "--db", db, "--format", "json"], capture_output=True, text=True)
    return ingest, seconds, json.loads(export.stdout) if export.returncode == 0 else []


def world_table() -> None:
    """Short reports from many countries (tests/gold/world, written for this test): is there an
    event within 50 km of where it happened, on its day (an interval of at most 8 days that
    holds the day, give or take one)?"""
    gold = yaml.safe_load(WORLD_GOLD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        ingest, seconds, events = ingest_and_export(sorted(str(WORLD / name) for name in gold), tmp)
    by_file: dict[str, list[dict]] = {}
    for e in events:
        for name in {Path(s["path"]).name for s in e["sources"]}:
            by_file.setdefault(name, []).append(e)
    n = place_hits = both = 0
    misses = []
    for name, gold_events in gold.items():
        for g in gold_events:
            n += 1
            near = [
                e
                for e in by_file.get(name, [])
                if any(
                    p.get("lat") is not None and _km((p["lat"], p["lon"]), (g["lat"], g["lon"])) <= 50
                    for p in e["places"]
                )
            ]
            day = date.fromisoformat(str(g["date"])[:10])
            dated = [e for e in near if e["date_start"] and _on_day(e, day)]
            place_hits += bool(near)
            both += bool(dated)
            if not dated:
                got = [(e["date"], [p["name"] for p in e["places"]]) for e in by_file.get(name, [])]
                misses.append(f"{name}: {g['date']} {g['place']} ({g['country']}) ~ got {got}")
    print(f"world: {WORLD} ({len(gold)} reports, {n} incidents, ingest {seconds:.1f} s, exit {ingest.returncode})")
    print(f"  place within 50 km {place_hits / n:.2f}  place and day {both / n:.2f}")
    if "-v" in sys.argv:
        print("\n".join("   " + m for m in misses))


def _on_day(e: dict, day: date) -> bool:
    """Is an exported event dated to 8 days or fewer, within a day of `day`?"""
    start, end = date.fromisoformat(e["date_start"]), date.fromisoformat(e["date_end"])
    return (end - start).days <= 8 and start <= day + timedelta(days=1) and end >= day - timedelta(days=1)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def corpus_table() -> None:
    """The real-news corpus, ingested and exported by the installed `timeline` command."""
    gold = CORPUS / "gold.tsv"
    if not gold.exists() or not SCORER.exists():
        print(f"real news: {gold} or {SCORER} not found: skipped (set CORPUS=folder with gold.tsv)")
        return
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        ingest, seconds, events = ingest_and_export(files, tmp)
        if ingest.returncode not in (0, 1) or not events:
            print(f"real news: ingest or export failed: {ingest.stderr.strip().splitlines()[-1:]}")
            return
        path = Path(tmp) / "export.json"
        path.write_text(json.dumps(events), encoding="utf-8")
        scored = subprocess.run([sys.executable, str(SCORER), str(path), str(gold)], capture_output=True, text=True)
        every = FULL_GOLD.exists() and PRECISION_SCORER.exists()
        precision = (
            subprocess.run(
                [sys.executable, str(PRECISION_SCORER), str(path), str(FULL_GOLD)], capture_output=True, text=True
            )
            if every
            else None
        )
        second = (
            subprocess.run(
                [sys.executable, str(PRECISION_SCORER), str(path), str(SECOND_GOLD)], capture_output=True, text=True
            )
            if every and _gold_in_corpus(SECOND_GOLD)
            else None
        )
    tracebacks = ingest.stderr.count("Traceback")
    print(
        f"real news: {CORPUS} ({len(files)} articles, ingest {seconds:.1f} s, exit {ingest.returncode},"
        f" {tracebacks} tracebacks, {len(events)} events)"
    )
    print("  " + (scored.stdout.strip().splitlines() or ["scorer printed nothing: " + scored.stderr.strip()])[-1])
    if precision is not None:
        print(f"  every event of {FULL_GOLD.parent.name}/{FULL_GOLD.name}:")
        print("  " + (precision.stdout.strip().splitlines() or ["scorer printed nothing: " + precision.stderr])[-1])
        print("  " + calibration(events, yaml.safe_load(FULL_GOLD.read_text(encoding="utf-8"))))
        from scripts.fit_confidence import out_of_sample_line  # here, not above: it imports this module

        print("  " + out_of_sample_line(CORPUS))
    if second is not None:
        print(f"  every event of {SECOND_GOLD.name} (a second blind gold, 25 other articles):")
        print("  " + (second.stdout.strip().splitlines() or ["scorer printed nothing: " + second.stderr])[-1])


def _gold_in_corpus(gold_path: Path) -> bool:
    """A gold file scores this corpus only when its articles are in it (CORPUS may be another folder)."""
    documents = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["documents"] if gold_path.exists() else {}
    return bool(documents) and all((CORPUS / name).exists() for name in documents)


def notes_table() -> None:
    """ACLED's own notes from many countries, ingested and exported as a user would, scored by
    ../shared/eval/score_acled_notes.py on ACLED's coding of each note."""
    gold = NOTES / "gold.tsv"
    if not gold.exists() or not NOTES_SCORER.exists():
        print(f"ACLED notes: {gold} or {NOTES_SCORER} not found: skipped (set NOTES=folder with gold.tsv)")
        return
    files = sorted(str(p) for p in NOTES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        ingest, seconds, events = ingest_and_export(files, tmp)
        path = Path(tmp) / "export.json"
        path.write_text(json.dumps(events), encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, str(NOTES_SCORER), str(path), str(gold)], capture_output=True, text=True
        )
    print(f"ACLED notes: {NOTES} ({len(files)} notes, ingest {seconds:.1f} s, exit {ingest.returncode})")
    print("  " + (scored.stdout.strip().splitlines() or ["scorer printed nothing: " + scored.stderr.strip()])[-1])


def calibration(events: list[dict], gold: dict) -> str:
    """The calibration of the exported events' confidence: the weights as shipped, fitted on the
    corpus named in seed/lexicon/confidence.yaml (in sample when that is this corpus)."""
    fitted_on = load_lexicon("confidence").get("fitted_on")
    seen = "in sample" if fitted_on == CORPUS.name else "out of sample"
    scored = [(e.get("confidence") or 0, ok) for _, e, ok in right_events(events, gold)]
    return calibration_line(f"weights as shipped, fitted on {fitted_on}: {seen}", scored)


def calibration_line(label: str, scored: list[tuple[float, bool]]) -> str:
    """For each level c, the share right (score_precision's one-to-one match: date and place) among
    the events of confidence >= c, which a calibrated confidence keeps at c or above; and how many
    of the doubtful (under the first level) are right."""
    cells = []
    for level in CALIBRATION_LEVELS:
        kept = [ok for p, ok in scored if p >= level]
        cells.append(f">={level:.1f}: {sum(kept) / len(kept):.2f} of {len(kept)}" if kept else f">={level:.1f}: -")
    doubtful = [ok for p, ok in scored if p < CALIBRATION_LEVELS[0]]
    cells.append(f"<{CALIBRATION_LEVELS[0]:.1f}: {sum(doubtful)} right of {len(doubtful)}")
    return f"confidence calibration, {label}  " + "  ".join(cells)


def right_events(events: list[dict], gold: dict) -> list[tuple[str, dict, bool]]:
    """Each exported event of a gold article (once per article it cites, with the article's name),
    and whether the precision scorer matches it to a gold event of its own."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_precision", PRECISION_SCORER)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    for name, doc in gold["documents"].items():
        if (doc or {}).get("published"):
            scorer.PUBLISHED[name] = date.fromisoformat(str(doc["published"])[:10])
    out = []
    for name in gold["documents"]:
        gs = [g for g in gold["events"] if g["article"] == name]
        es = [e for e in events if name in {Path(str(s.get("path") or "")).name for s in e.get("sources") or []}]
        # As the export lists them (by date, undated last): of two events equally near a gold
        # event the scorer's match takes the first, so events in another order are labelled alike.
        es.sort(key=lambda e: (e.get("date_start") is None, e.get("date_start") or ""))
        pairs = sorted(
            (-(2 * scorer.date_strict(e, g) + (e.get("type") == g.get("type"))), i, j)
            for i, e in enumerate(es)
            for j, g in enumerate(gs)
            if scorer.date_right(e, g) and scorer.place_ok(e, g)
        )
        used_e: set[int] = set()
        used_g: set[int] = set()
        for _, i, j in pairs:
            if i not in used_e and j not in used_g:
                used_e.add(i)
                used_g.add(j)
        out += [(name, e, i in used_e) for i, e in enumerate(es)]
    return out


if __name__ == "__main__":
    sys.exit(main())
