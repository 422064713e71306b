"""A search's hits, made chunk by chunk on a worker lane, and placed in the timeline searched."""

from array import array

from bench.generate_acled import generate
from db import queries
from db.acled import import_acled
from db.schema import connect
from tui import session
from tui.session import Hits


def test_hits_made_in_chunks_are_the_events_found_and_placed_in_timeline_order(tmp_path, monkeypatch):
    db = tmp_path / "t.db"
    import_acled(generate(3000, tmp_path / "acled.csv"), db)
    conn = connect(db)
    monkeypatch.setattr(session, "PACE_ROWS", 7)  # many chunks, the last one short
    monkeypatch.setattr(session, "PACE_PAUSE", 0)
    timeline = queries.timeline_rowids(conn, queries.Filter())
    found = queries.timeline_rowids(conn, queries.Filter(search="killing"))
    found = array("q", (r for r in found if r != max(timeline)))  # rows past the last hit's number too
    assert 7 < len(found) < len(timeline) and len(timeline) % 7

    hits = Hits(found)
    positions = hits.positions_in(timeline)

    assert len(hits) == len(found)
    assert [r for r in timeline if r in hits] == list(found)
    assert [timeline[i] for i in positions] == list(found)
    assert list(positions) == sorted(positions)
    assert not Hits().positions_in(timeline) and not hits.positions_in(timeline[:0])
