"""The real app in a real terminal (tmux): what the screen shows at 160x48 and 80x24, and what the
keys of the bar of time do. Skipped where tmux is not installed (CI has only Python and pip)."""

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from db import queries
from db.acled import import_acled
from db.labels import short_type
from db.schema import connect
from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ACLED = ROOT / "tests" / "fixtures" / "acled_current.csv"
WAIT_SECONDS = 30  # far beyond what the seed database needs: a screen that never comes fails


class Terminal:
    """The `timeline` app in a tmux server of its own (its own socket: the user's tmux is not
    touched), `width` x `height`."""

    def __init__(self, tmp_path: Path, db: Path, width: int, height: int) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        command = f"{sys.executable} -c 'from cli import run; run()' --db {db}"
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), "-c", str(ROOT), command)
        self.pid = int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))

    def tmux(self, *args: str) -> str:
        # the server hands its environment to the app: COLUMNS and LINES (pytest's) would fix its size
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        return subprocess.run(
            ["tmux", "-S", self.socket, *args], check=True, capture_output=True, text=True, env=env
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, ready: Callable[[str], bool], what: str) -> str:
        """Poll the screen until `ready` holds (no fixed sleep: the app answers when it answers)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            time.sleep(0.05)
        pytest.fail(f"{what} never appeared. Screen:\n{self.screen()}")

    def close(self) -> None:
        """Quit, end the tmux server, and see the app's process gone: no stray `timeline` left."""
        try:
            self.keys("q")
            self.tmux("kill-server")
        except subprocess.CalledProcessError:
            pass  # the server went with its only window
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        pytest.fail(f"the app (pid {self.pid}) outlived its terminal")


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_(db: Path, width: int, height: int) -> Terminal:
        opened.append(Terminal(tmp_path, db, width, height))
        return opened[-1]

    yield open_
    for t in opened:
        t.close()


def summaries_shown(screen: str, rows: list[queries.EventRow]) -> dict[str, tuple[str, str]]:
    """Each event's line in the timeline: (its type column, its summary as shown: whole, or up to
    its ellipsis), by event id. A timeline line is marks (3), date (10), a space, the type (13), a
    space, then the summary."""
    out = {}
    segments = [seg for line in screen.splitlines() for seg in line.split("│")]
    for r in rows:
        for segment in filter(lambda seg: re.match(r"[ ●★]{3}(\d{4}|~\d{4}|undated)", seg), segments):
            text = segment[28:]
            if text.startswith(r.summary):
                out[r.id] = (segment[14:27], r.summary)
            elif "…" in text and len(cut := text.split("…")[0]) >= 20 and r.summary.startswith(cut):
                out[r.id] = (segment[14:27], cut + "…")
    return out


def all_rows(rows: list[queries.EventRow], at_least: int = 0) -> Callable[[str], bool]:
    """The screen shows the bar of time and (at least `at_least` of) the rows."""
    return lambda s: "per month" in s and len(summaries_shown(s, rows)) >= (at_least or len(rows))


def test_at_160_columns_summaries_take_the_width_and_the_bar_of_time_moves_the_cursor(seed_db, terminal):
    rows = queries.list_events(connect(seed_db))
    t = terminal(seed_db, 160, 48)
    screen = t.wait_for(all_rows(rows), "the timeline and its bar")
    lines_shown = summaries_shown(screen, rows)
    assert len(lines_shown) == len(rows)  # each whole, or cut with an ellipsis: never mid-word without one
    for r in rows:
        assert lines_shown[r.id][0].rstrip() == short_type(r.type, r.sub_type, 13)
    assert max(len(shown) for _, shown in lines_shown.values()) >= 60
    lines = screen.splitlines()
    ticks = next(line for line in lines if "2017   2018" in line)
    assert all(str(year) in ticks for year in range(2017, 2022))  # 2019 and 2020 have no event

    # b focuses the bar; right moves by a month, the timeline follows; enter returns to it
    first_in = {month: next(r for r in rows if (r.date_start or "") >= month) for month in ("2017-09", "2019-01")}
    t.keys("b")
    t.wait_for(lambda s: "2017-06: 3 events" in s, "the period chosen on the bar")
    t.keys("Right", "Right", "Right")
    t.wait_for(
        lambda s: "2017-09: 3 events" in s and f"id         {first_in['2017-09'].id}" in s, "2017-09's first event"
    )
    t.keys(*["Right"] * 16)  # 2019-01, a month without events: the next event is shown
    t.wait_for(lambda s: "2019-01: 0 events" in s and f"id         {first_in['2019-01'].id}" in s, "the next event")
    t.keys("Enter")
    t.wait_for(lambda s: "cursor in 2021-01" in s, "the cursor's period marked, the bar left")


def test_at_80x24_the_app_is_still_readable(seed_db, terminal):
    rows = queries.list_events(connect(seed_db))
    t = terminal(seed_db, 80, 24)
    screen = t.wait_for(all_rows(rows, 4), "the bar and the timeline")
    lines = screen.splitlines()
    assert "2017   2018        2019        2020        2021" in screen
    shown = [s for _, s in summaries_shown(screen, rows).values()]
    assert len(shown) >= 4 and all(len(s) >= 40 or s in {r.summary for r in rows} for s in shown)
    assert all(len(line) <= 80 for line in lines)
    t.keys("?")
    t.wait_for(lambda s: "Keys" in s and "Time bar" in s, "the help")


def test_an_acled_row_shows_its_id_notes_and_source(seed_db, terminal):
    import_acled(ACLED, seed_db)
    t = terminal(seed_db, 160, 48)
    t.wait_for(lambda s: "per month" in s, "the app")
    t.keys("G")
    t.wait_for(lambda s: "undated" in s.split("╭")[-1], "the undated event's detail")
    t.keys("k")  # the last dated event: ACLED's SYR100001
    screen = t.wait_for(lambda s: "acled:SYR100001" in s, "the ACLED row's detail")
    assert "source: SOHR · 2023-01-31" in screen and "ACLED notes" in screen
    assert "None" not in screen and "confidence" not in screen.split("acled:SYR100001")[1]


def narrowed_to_isl(screen: str) -> bool:
    """The actor pane holds "isl", and shows Islamic State and what matches it."""
    pane = [line.split("│")[1] for line in screen.splitlines() if line.count("│") >= 2][:12]
    shown = [cell.strip() for cell in pane[1:] if cell.strip() not in ("", "▍")]
    # each value shown matches, or is opened to show one that does ("State forces of Iran" > IRGC)
    return (
        pane[0].strip() == "isl"
        and any("Islamic State" in c for c in shown)
        and all("isl" in cell.lower() or cell.startswith("▼") for cell in shown)
    )


def test_letters_typed_on_a_pane_narrow_it_and_fire_no_command(seed_db, terminal):
    """`a`, then "isl": the actor pane narrows to Islamic State. Before, `s` starred the event
    and `d` opened the date dialog (issue 13, point 1)."""
    t = terminal(seed_db, 160, 48)
    t.wait_for(lambda s: "per month" in s, "the timeline")
    t.keys("a")
    t.keys("i", "s", "l")  # at once: the pane takes what is typed before it is drawn
    screen = t.wait_for(narrowed_to_isl, "the actor pane narrowed to what matches 'isl'")
    assert "★" not in screen and "Dates" not in screen.split("\n")[1]  # nothing starred, no date dialog


def test_letters_typed_at_once_after_a_reach_the_pane_whole(seed_db, terminal):
    """ "aisl" in one write, as soon as the timeline shows: every letter reaches the actor pane's
    field. Before, the app routed "i", "s", "l" to the pane's list, which had the focus when they
    came; "i" moved the focus to the field, and "s" and "l", queued on the list, found the field
    focused and were dropped: the field held "i" alone (2 of 4 CI runs)."""
    t = terminal(seed_db, 160, 48)
    t.wait_for(lambda s: "Actors (a)" in s, "the app's first frame")
    t.keys("a")
    t.keys("isl")
    screen = t.wait_for(narrowed_to_isl, "the actor pane narrowed to what matches 'isl'")
    assert "★" not in screen


def test_at_80x24_a_pane_takes_the_timelines_place_chooses_by_alias_and_gives_it_back(seed_db, terminal):
    """Issue 26: below 120 columns `a` drew no pane and Enter chose blind. Now the pane is drawn in
    the timeline's place, "Daesh" finds Islamic State, one Enter chooses it and gives the timeline
    back (`d` then opens the dates, not a "d" typed in the pane), and Enter shows the detail."""
    conn = connect(seed_db)
    islamic_state = queries.resolve_actor(conn, "Daesh")
    chosen = queries.list_events(conn, queries.Filter(actors=(islamic_state,)))
    everything = len(queries.list_events(conn))
    t = terminal(seed_db, 80, 24)
    t.wait_for(lambda s: "per month" in s, "the timeline")
    t.keys("a")
    t.wait_for(lambda s: "Actors (a)" in s and "per month" not in s, "the actor pane in the timeline's place")
    t.keys("D", "a", "e", "s", "h")
    # the field shows "Daesh" a moment before the list narrows: wait for the list, not the field
    t.wait_for(
        lambda s: "Islamic State" in s and "Daesh" in s and "State forces of Iran" not in s,
        "Islamic State found by its alias, the others gone",
    )
    t.keys("Enter")
    screen = t.wait_for(
        lambda s: f"{len(chosen)} of {everything} events (filtered)" in s and "per month" in s, "the filtered timeline"
    )
    assert "Actors (a)" not in screen and "Daesh" not in screen
    t.keys("d")
    t.wait_for(lambda s: "Date range" in s, "the date dialog")
    t.keys("Escape")
    t.wait_for(lambda s: "Date range" not in s, "the dialog closed")
    t.keys("Enter")
    t.wait_for(lambda s: f"id         {chosen[0].id}" in s and "Back to the timeline" in s, "the detail screen")
    t.keys("Escape")
    t.wait_for(lambda s: "per month" in s, "the timeline again")


def test_at_80x24_the_review_walk_confirms_and_rejects_the_doubtful_first(seed_db, terminal):
    """Issue 25: `w` walks the unreviewed events, the least likely right first, the header saying
    how far the review is; `c` confirms, `r` rejects, and back on the timeline the rejected event
    is gone from it and from its count."""
    from db import corrections

    conn = connect(seed_db)
    order = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY confidence, date_start, id")]
    t = terminal(seed_db, 80, 24)
    t.wait_for(lambda s: "per month" in s, "the timeline")
    t.keys("w")
    t.wait_for(lambda s: f"0 of {len(order)} reviewed" in s and f"id         {order[0]}" in s, "the walk's first")
    t.keys("c")
    t.wait_for(lambda s: f"1 of {len(order)} reviewed" in s and f"id         {order[1]}" in s, "the second")
    t.keys("r")
    t.wait_for(lambda s: f"2 of {len(order)} reviewed" in s and f"id         {order[2]}" in s, "the third")
    t.keys("Escape")
    t.wait_for(lambda s: f"{len(order) - 1} of {len(order) - 1} events" in s, "the timeline without the rejected")
    found = corrections.reviews(conn, order[:2])
    assert found[order[0]].status == "confirmed" and found[order[1]].status == "rejected"


def test_at_80x24_M_merges_the_marked_event_into_the_one_at_the_cursor_and_u_takes_it_out(seed_db, terminal):
    """Issue 25, point 7: space marks the first event (the cursor goes to the second), M merges it
    into the second, the timeline counts one event fewer; u takes the merge back."""
    from db import corrections

    conn = connect(seed_db)
    rows = queries.list_events(conn)
    first, second, everything = rows[0].id, rows[1].id, len(rows)
    t = terminal(seed_db, 80, 24)
    t.wait_for(all_rows(rows, 4), "the timeline's rows")
    t.keys("Space")
    t.wait_for(lambda s: "●" in s, "the first event marked")
    t.keys("M")
    t.wait_for(lambda s: f"{everything - 1} of {everything - 1} events" in s, "the timeline with one event fewer")
    assert corrections.merged(conn) == {first: second}
    t.keys("u")
    t.wait_for(lambda s: f"{everything} of {everything} events" in s, "the event taken out of the merge")
    assert corrections.merged(conn) == {}


def test_fields_typed_in_one_burst_with_tabs_each_reach_their_own_input(seed_db, terminal):
    """A paste, a script or a fast typist: the keys after a Tab go to the field it moves to."""
    rows = queries.list_events(connect(seed_db))
    t = terminal(seed_db, 160, 48)
    t.wait_for(all_rows(rows, 4), "the timeline's rows")
    t.keys("A")
    t.wait_for(lambda s: "Add an event the machine missed" in s, "the add form")
    t.keys("2018-10-02", "Tab", "Battles", "Tab", "Armed clash", "Tab", "Hajin")

    def field(screen: str, name: str) -> str | None:
        found = re.search(rf"█ {name} +(\S.*?)  ", screen)
        return found.group(1) if found else None

    screen = t.wait_for(lambda s: field(s, "places") == "Hajin", "Hajin in the places field")
    assert [field(screen, name) for name in ("date", "type", "sub-type")] == ["2018-10-02", "Battles", "Armed clash"]
