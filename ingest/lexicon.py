"""Access to the data files under seed/: lexicons and gazetteer. Facts live there, not in code."""

from __future__ import annotations

from functools import cache

import yaml

from seed import SEED


@cache
def load_lexicon(name: str) -> dict:
    with (SEED / "lexicon" / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)
