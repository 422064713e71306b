"""Fit the weights of ingest/confidence.py on the dev gold and write seed/lexicon/confidence.yaml.

    .venv/bin/python -m scripts.fit_confidence [CORPUS]

Extracts and merges every article of CORPUS (default ../shared/corpus/fakes-dev) as a load does,
labels each event of the fully annotated articles right or wrong by the precision scorer's
one-to-one match (tests/gold/evaluate.py), and fits a logistic regression (L2-regularised, plain
gradient descent) of right on the features. Refit after a change to the extractor moves them.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import yaml

from ingest.confidence import features
from ingest.extract import extract
from ingest.gazetteer import load_gazetteer
from ingest.merge import merge
from ingest.model import Event
from ingest.read import read_article
from seed import SEED
from tests.gold.evaluate import CORPUS, right_events

L2 = 0.01
STEPS = 4000
RATE = 0.5


def as_exported(event: Event, paths: dict[str, str]) -> dict:
    """The fields of the JSON export the precision scorer reads."""
    places = load_gazetteer().places
    return {
        "id": event.id,
        "date_start": event.date.start.isoformat() if event.date else None,
        "date_end": event.date.end.isoformat() if event.date else None,
        "type": event.type,
        "places": [
            {
                "name": p.name,
                "admin1": p.admin1,
                "country": p.country,
                "country_name": places.country(p.country).name if p.country else None,
            }
            for p in event.places
        ],
        "sources": [{"path": paths[ev.document]} for ev in event.evidence],
    }


def fit(rows: list[tuple[dict[str, float], bool]]) -> dict[str, float]:
    names = sorted(rows[0][0])
    w = dict.fromkeys(["bias", *names], 0.0)
    for _ in range(STEPS):
        grad = dict.fromkeys(w, 0.0)
        for x, right in rows:
            p = 1 / (1 + math.exp(-(w["bias"] + sum(w[n] * x[n] for n in names))))
            grad["bias"] += p - right
            for n in names:
                grad[n] += (p - right) * x[n]
        for n in w:
            w[n] -= RATE * (grad[n] / len(rows) + (L2 * w[n] if n != "bias" else 0))
    return {n: round(v, 3) for n, v in w.items()}


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    gold = yaml.safe_load((corpus / "full_gold.yaml").read_text(encoding="utf-8"))
    paths: dict[str, str] = {}
    extracted: list[Event] = []
    for path in sorted(corpus.glob("*.txt")):
        article = read_article(path)
        paths[article.sha256] = str(path)
        extracted += extract(article)[0]
    events = merge(extracted)
    by_id = {e.id: e for e in events}
    labelled = right_events([as_exported(e, paths) for e in events], gold)
    rows = [(features(by_id[e["id"]]), right) for e, right in labelled]
    weights = fit(rows)
    out = SEED / "lexicon" / "confidence.yaml"
    out.write_text(
        "# Weights of the event confidence (ingest/confidence.py): a logistic score fitted on the dev gold\n"
        f"# ({len(rows)} events of {corpus.name}/full_gold.yaml) by scripts/fit_confidence.py. Do not edit by hand.\n"
        + yaml.safe_dump({"weights": weights}, sort_keys=False),
        encoding="utf-8",
    )
    print(f"{len(rows)} events, {sum(r for _, r in rows)} right: {weights}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
