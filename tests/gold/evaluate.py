"""Score the extractor against the gold events: `make eval`.

A predicted event is aligned to a gold event when its source sentence contains one of the gold
event's quotes. Precision: aligned predictions / predictions (a second prediction of one gold
event counts as aligned, and is reported as a duplicate). Recall: gold events with an aligned
prediction. Field scores are over aligned pairs. "Strict" recall also wants the right date at
the right precision and a right place. The run is repeated on the texts with commas and
apostrophes stripped, as some unseen articles arrive.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from ingest.extract import extract
from ingest.read import read_article

ROOT = Path(__file__).resolve().parent.parent.parent
GOLD = yaml.safe_load((Path(__file__).parent / "seed_events.yaml").read_text())
STRIP = re.compile(r"[,'\u2019]")


def score(strip: bool) -> dict:
    totals = {"pred": 0, "aligned": 0, "dupes": 0, "gold": 0, "found": 0, "strict": 0,
              "date": 0, "type": 0, "place": 0, "actor1": 0, "fatal_n": 0, "fatal": 0, "pairs": 0}
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
            sentence = e.evidence[0].text
            candidates = [i for i, g in enumerate(gold_events) if any(norm(q) in sentence for q in g["quotes"])]
            if not candidates:
                misses.append(f"{name}: extra: {e.date.display() if e.date else None} {e.sub_type} "
                              f"{e.trigger!r} in {' '.join(sentence.split())[:90]!r}")
                continue
            # One sentence can report two gold events: take the one this prediction agrees with most.
            g_index = max(candidates, key=lambda i: (gold_events[i]["type"] == e.type,
                                                     len({p.name for p in e.places} & set(gold_events[i]["places"])),
                                                     -i))
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
                misses.append(f"{name}: gold {g['date']} {g['places']} ~ got {e.date.display() if e.date else None} "
                              f"{[p.name for p in e.places]}")
        totals["found"] += len(matched)
        misses += [f"{name}: not found: {g['date']} {g['type']} {g['quotes'][0]!r}"
                   for i, g in enumerate(gold_events) if i not in matched]
    totals["misses"] = misses
    return totals


def main() -> int:
    print(f"{'text':<22}{'precision':>10}{'recall':>8}{'strict':>8}{'date':>7}{'type':>7}{'place':>7}"
          f"{'actor1':>8}{'killed':>8}{'dupes':>7}")
    for label, strip in (("as published", False), ("commas/' stripped", True)):
        t = score(strip)
        pct = lambda a, b: f"{a / b:.2f}" if b else "-"  # noqa: E731
        print(f"{label:<22}{pct(t['aligned'], t['pred']):>10}{pct(t['found'], t['gold']):>8}"
              f"{pct(t['strict'], t['gold']):>8}{pct(t['date'], t['pairs']):>7}{pct(t['type'], t['pairs']):>7}"
              f"{pct(t['place'], t['pairs']):>7}{pct(t['actor1'], t['pairs']):>8}{pct(t['fatal'], t['fatal_n']):>8}"
              f"{t['dupes']:>7}")
        if "-v" in sys.argv:
            print("\n".join("   " + m for m in t["misses"]))
    print(f"\n{t['gold']} gold events, {t['pred']} predicted (stripped run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
