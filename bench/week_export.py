"""A week's revised export, as ACLED sends one, made from a generated file's own rows: what the
bench re-imports into the store it built from that file.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

WEEK_ROWS = 5000  # a week's export of ACLED's revisions, worldwide: a few thousand rows


def week_export(csv_path: Path, rows: int, out: Path) -> Path:
    """A week's export as ACLED sends one, made of the generator's own rows, spread through the
    file: of each five, two revised (ACLED's `timestamp` a week later, the toll one more), one
    new (an id past the file's, as a new event gets), two unchanged. Streams: memory does not
    grow with the file."""
    every = max(1, rows // WEEK_ROWS)
    with csv_path.open(newline="", encoding="utf-8") as f, out.open("w", newline="", encoding="utf-8") as w:
        reader, writer = csv.reader(f), csv.writer(w)
        header = next(reader)
        writer.writerow(header)
        key, stamp, toll = (header.index(c) for c in ("event_id_cnty", "timestamp", "fatalities"))
        written = 0
        for i, row in enumerate(reader):
            if written == WEEK_ROWS:
                break
            if i % every:
                continue
            kind = written % 5
            if kind < 3:
                row[stamp] = str(int(row[stamp]) + 7 * 86400)
            if kind < 2:
                row[toll] = str(int(row[toll] or 0) + 1)
            elif kind == 2:
                row[key] = re.sub(r"\d+$", lambda m: str(int(m.group()) + rows), row[key])
            writer.writerow(row)
            written += 1
    return out
