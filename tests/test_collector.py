"""The app's garbage collection: survivors of a full collection frozen, frozen garbage collected at rest."""

import gc
import weakref

from tui.collector import Collector


class Ring:
    """Garbage that only a collection frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_garbage_kept_frozen_is_collected_once_the_app_rests():
    collector = Collector()
    collector.start()
    try:
        ring = Ring()
        kept = weakref.ref(ring)
        gc.collect()  # a full collection: the ring survives and is frozen
        assert gc.get_freeze_count() > 0
        del ring
        gc.collect()
        assert kept() is not None, "frozen, it is not collected"
        gc.collect(0)  # what drawing or reading rows does: young collections
        collector.tick()  # busy: a young collection since the last tick
        assert kept() is not None
        collector.tick()  # none since: at rest
        assert kept() is None
        assert gc.get_freeze_count() > 0, "what survived is frozen again"
        collector.tick()  # nothing made since: no collection, nothing thawed
        assert collector.young_at_thaw == collector.young
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and collector._freeze_survivors not in gc.callbacks
