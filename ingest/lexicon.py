"""Access to the data files under seed/: lexicons and gazetteer. Facts live there, not in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

SEED = Path(__file__).resolve().parent.parent / "seed"


@cache
def load_lexicon(name: str) -> dict:
    with (SEED / "lexicon" / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)
