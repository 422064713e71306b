"""Tools run by hand on the data files: rebuild the gazetteer, refit the confidence (`python -m scripts.NAME`)."""
