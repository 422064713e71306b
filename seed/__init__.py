"""The data the program ships: the seed articles, the gazetteer and the lexicons. A package only
so that an installed copy carries these files and finds them beside its code."""

from pathlib import Path

SEED = Path(__file__).resolve().parent
