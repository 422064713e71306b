"""`timeline list`: a line per event fitted to a real terminal (a pseudo-terminal), tab-separated
when piped; and the one-line errors of `timeline export`."""

# The tests of what the commands print run on both stores (seed_store); on SQLite alone: where
# `--db` and TIMELINE_DB put a new store's file.

import csv
import fcntl
import json
import os
import pty
import re
import shlex
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from cli import TSV_COLUMNS, main
from tests.helpers import CLI, ROOT, write_article
from tui.text import clip

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def in_terminal(args: list[str], columns: int, set_columns: bool = True) -> list[str]:
    """The lines `timeline ARGS` shows in a terminal `columns` wide (COLUMNS set, or only the
    terminal's own size), colours taken off."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    if set_columns:
        env["COLUMNS"] = str(columns)
    proc = subprocess.Popen([*CLI, *args], cwd=ROOT, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    os.close(leader)
    return ANSI.sub("", out.decode()).replace("\r\n", "\n").splitlines()


def exported(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_list_in_an_80_column_terminal_is_a_line_per_event_none_wider(seed_store):
    events = exported(seed_store)
    lines = in_terminal(["list", "--db", str(seed_store)], 80)
    assert len(lines) == len(events)
    assert max(cell_len(line) for line in lines) <= 80
    for line, event in zip(lines, events, strict=True):
        date, *_, summary = re.split(r"\s{2,}", line)
        assert (event["date"] or "undated").startswith(date.split("..")[0])
        assert summary == event["summary"] or (summary.endswith("…") and event["summary"].startswith(summary[:-1])), (
            "the summary is whole, or cut with an ellipsis"
        )
        if summary.endswith("…"):
            kept = summary[:-1]
            assert event["summary"][len(kept)] in " ,;:(–-", f"cut in mid-word: {summary!r}"


def test_list_follows_the_terminal_width_without_columns_set(seed_store):
    narrow = in_terminal(["list", "--db", str(seed_store)], 60, set_columns=False)
    wide = in_terminal(["list", "--db", str(seed_store)], 160, set_columns=False)
    assert len(narrow) == len(wide) == len(exported(seed_store))
    assert max(map(cell_len, narrow)) <= 60 < max(map(cell_len, wide)) <= 160
    # sub-types where there is room: the government's gain is a "Battle" at 60 columns, "Gov regains" at 160
    assert any("Gov regains" in line for line in wide) and not any("Gov regains" in line for line in narrow)


def test_list_piped_is_tab_separated_with_a_header_and_whole_fields(seed_store):
    result = CliRunner().invoke(main, ["list", "--db", str(seed_store)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(result.stdout.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    header, *body = rows
    assert header == TSV_COLUMNS.split() and all(len(row) == len(header) for row in body)
    events = exported(seed_store)
    got = [dict(zip(header, row, strict=True)) for row in body]
    assert [r["id"] for r in got] == [e["id"] for e in events]
    for row, event in zip(got, events, strict=True):
        assert row["summary"] == event["summary"] and row["sub_type"] == event["sub_type"]
        assert row["date"] == (event["date"] or "")
        assert row["places"] == "; ".join(p["name"] for p in event["places"])


def test_list_takes_the_same_filters_and_says_when_it_is_cut(seed_store):
    tehran = CliRunner().invoke(main, ["list", "--db", str(seed_store), "--place", "Tehran"])
    ids = [line.split("\t")[0] for line in tehran.stdout.splitlines()[1:]]
    assert ids == [e["id"] for e in exported(seed_store, "--place", "Tehran")] and ids
    cut = CliRunner().invoke(main, ["list", "--db", str(seed_store), "--limit", "3"])
    assert len(cut.stdout.splitlines()) == 4 and "3 of 17 events shown" in cut.stderr


def test_list_long_is_the_full_table(seed_store):
    lines = in_terminal(["list", "--long", "--db", str(seed_store)], 100)
    assert lines[0].startswith("17 of 17 events") and "date" in lines[2] and "summary" in lines[2]
    assert len(lines) > 17 + 4  # wrapped rows


# Not a hypothesis test: hypothesis keeps a gc callback installed for the rest of the session, and
# a timer signal that lands in it is swallowed (test_real_news's time bound then never fires).
TEXTS = [
    "",
    "a",
    "Islamic State: attack in Tehran (12 killed)",
    "Iran-backed militias",
    "日本語の 文字 列",
    "اشتباكات  في دير الزور",
]


@pytest.mark.parametrize("text", TEXTS)
def test_clip_fits_and_never_cuts_without_an_ellipsis(text):
    whole = " ".join(text.split())
    for width in range(1, 50):
        shown = clip(text, width)
        assert cell_len(shown) <= width
        assert shown == whole or (shown.endswith("…") and whole.startswith(shown[:-1].rstrip()))


def test_db_is_read_before_or_after_the_command_and_two_different_ones_are_refused(tmp_path):
    """`timeline --db x.db ingest a.md` once wrote into ./timeline.db: the option is read wherever
    it is given, and from TIMELINE_DB."""
    article = write_article(tmp_path, "a.md", "A car bomb killed 5 people in Azaz on Monday.", published="2020-01-02")
    other = tmp_path / "other" / "x.db"
    other.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_DB"}

    def timeline(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, *args], cwd=tmp_path, capture_output=True, text=True, env=env | extra)

    assert timeline("--db", str(other), "ingest", str(article)).returncode == 0
    assert other.exists() and not (tmp_path / "timeline.db").exists()
    listed = timeline("--db", str(other), "list")
    assert listed.returncode == 0 and "Azaz" in listed.stdout
    assert "Azaz" in timeline("list", TIMELINE_DB=str(other)).stdout
    refused = timeline("--db", str(other), "list", "--db", str(tmp_path / "y.db"))
    assert refused.returncode == 2 and "given twice" in refused.stderr
    assert not (tmp_path / "y.db").exists()


def test_the_readmes_samples_are_what_the_commands_print_at_80_columns(seed_store):
    """Each README block that opens with `$ timeline …` shows that command's lines on the seed
    articles in an 80-column terminal: a sample that no longer matches fails here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    samples = re.findall(r"```\n\$ timeline ([^\n]+)\n(.*?)```", readme, flags=re.S)
    assert samples
    for command, shown in samples:
        lines = in_terminal([*shlex.split(command), "--db", str(seed_store)], 80)
        assert [line.rstrip() for line in lines] == shown.rstrip("\n").splitlines(), command


def test_stats_says_the_headline_first_and_the_scanned_figures_last(seed_store):
    """`timeline stats` prints what the kept counts answer at once (the events first), then the
    figures a pass over a table counts, each as it comes: the same figures as `queries.stats`."""
    from db import queries
    from db.schema import connect

    result = CliRunner().invoke(main, ["stats", "--db", str(seed_store)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    s = queries.stats(connect(seed_store))
    lines = result.stdout.splitlines()
    assert lines[0] == f"events      {s.events} ({s.undated_events} undated)"
    assert lines[1] == f"dates       {s.first} to {s.last}"
    assert lines.index("types") < lines.index("countries") < lines.index("divisions")
    assert next(i for i, line in enumerate(lines) if line.startswith("events per ")) < len(lines) - 5
    assert lines[-5:] == [
        f"documents   {s.documents}",
        f"quotes      {s.quotes}",
        f"sources     {s.multi_source_events} events with several",
        f"actors      {s.actors}",
        f"places      {s.places}",
    ]
