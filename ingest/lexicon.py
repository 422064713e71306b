"""Access to the data files under seed/: lexicons and gazetteer. Facts live there, not in code."""

from __future__ import annotations

from functools import cache

from seed import SEED


@cache
def load_lexicon(name: str) -> dict:
    # yaml is imported by the first lexicon read, not with this module: the app imports the text
    # helpers (alias_key) through db/queries.py, and its start reads no lexicon.
    import yaml

    with (SEED / "lexicon" / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)
