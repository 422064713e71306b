"""Garbage collection that keeps out of the way of keys.

A full collection walks every object the program holds: here about a hundred thousand (Textual's
widgets and their caches of drawn lines), which takes 50-100 ms, and no thread runs meanwhile.
While keys move the cursor one comes every second or so, more often while a worker reads rows.
So after each full collection the survivors are frozen (gc.freeze): the next walks only what was
made since, a few thousand objects, a few milliseconds.

Frozen objects are never collected, so garbage among them waits until the app rests: no young
collection for REST seconds (nothing being drawn or read), or the frozen objects grown to twice
what survived the last time. Then all are thawed and collected once.
"""

from __future__ import annotations

import gc

REST = 1.0  # seconds without a young collection: the user is not pressing keys, no worker is reading


class Collector:
    def __init__(self) -> None:
        self.young = -1  # young collections counted at the last tick
        self.young_at_thaw = -1
        self.frozen_at_thaw: int | None = None  # what survived the last thaw; None before the first

    def start(self) -> None:
        gc.freeze()  # what was made before the app runs: modules, classes, the widgets
        gc.callbacks.append(self._freeze_survivors)

    def stop(self) -> None:
        gc.callbacks.remove(self._freeze_survivors)
        gc.unfreeze()

    def tick(self) -> None:
        """Called every REST seconds: thaw and collect if the app rests and has made something since
        the last time, or if the frozen objects have doubled (garbage among them kept too long)."""
        young = _young_collections()
        rests = young == self.young != self.young_at_thaw
        self.young = young
        grown = self.frozen_at_thaw is not None and gc.get_freeze_count() > 2 * self.frozen_at_thaw
        if rests or grown:
            self.thaw()

    def thaw(self) -> None:
        gc.unfreeze()
        gc.collect()  # survivors frozen again, by _freeze_survivors
        self.young_at_thaw = self.young = _young_collections()
        self.frozen_at_thaw = gc.get_freeze_count()

    def _freeze_survivors(self, phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()


def _young_collections() -> int:
    return sum(stats["collections"] for stats in gc.get_stats()[:2])
