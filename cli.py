"""The `timeline` command: the app by default, and every view headless for scripts."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click

from db.labels import SHORT_SUB_TYPES, SHORT_TYPES, short_type
from seed import SEED

DEFAULT_DB = "timeline.db"

db_option = click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False), help="The database file."
)


def filter_options(fn):
    for option in reversed(
        [
            click.option(
                "--actor",
                "actors",
                multiple=True,
                help="An actor or a group, by any alias: a group (Islamic State; Turkey, its state forces)"
                " takes in its parts. Repeatable: any of them.",
            ),
            click.option(
                "--place",
                "places",
                multiple=True,
                help="A country, division or town, by any spelling: a country or division takes in all within it."
                ' A name both a division and its town means the division; "NAME (city)", "NAME (Lebanon)" or an'
                " id narrows. Repeatable.",
            ),
            click.option("--type", "types", multiple=True, help="An ACLED event type or sub-type (repeatable)."),
            click.option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."),
            click.option("--until", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."),
            click.option("--search", help="Full-text search in summaries and quotes."),
            click.option("--starred", is_flag=True, help="Only starred events."),
            click.option(
                "--around",
                metavar="EVENT_ID",
                help="The events that begin within --days of this event, at its places (a town: its"
                " first-level division) or with its actors.",
            ),
            click.option("--days", type=click.IntRange(min=0), help="Days either side for --around (default 7)."),
            click.option(
                "--view",
                metavar="NAME",
                help="Start from a saved view (`timeline view list`); a filter option given too replaces that part.",
            ),
            click.option(
                "--disputed",
                is_flag=True,
                help="Only events whose sources differ: on the date, the place, the perpetrator or the toll.",
            ),
            click.option(
                "--sources",
                type=click.IntRange(min=1),
                default=1,
                metavar="N",
                help="Only events with at least N independent sources (a wire dispatch and its copies count once).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def fail(message: str, status: int = 1) -> NoReturn:
    """One line on stderr. Status 1: the work failed; 2: the command was asked wrongly."""
    click.echo(f"timeline: {shown(message)}", err=True)
    sys.exit(status)


def shown(value: object) -> str:
    """What the command line prints of data or of a user's argument (a name, a path, a problem
    that quotes a file): one line, every escape sequence and control character made visible."""
    from tui.text import visible

    return visible(str(value), one_line=True)


USAGE = 2


def write_stdout(text: str) -> None:
    """Print, or say in one line why it could not be printed (a full disk, a closed pipe)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as e:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        fail(f"stdout: {e.strerror or e}")


def open_db(db_path: str):
    from db.schema import DatabaseError, connect

    try:
        return connect(db_path)
    except DatabaseError as e:
        fail(str(e))


def build_filter(
    conn, actors, places, types, since, until, search, starred, around, days, view, disputed, sources
):  # the options of `filter_options`, as click names them
    """The filter the options ask for; an unknown name, type, date, event or view is a usage error
    (status 2). Options given with a view replace those parts of it."""
    from db.queries import Filter, QueryError, known_types, make_filter, parse_date_bound
    from db.views import saved_view

    if days is not None and not around:
        fail("--days: only with --around EVENT_ID (the days either side of that event)", USAGE)

    for option, value, end in (("--since", since, False), ("--until", until, True)):
        try:
            if value:
                parse_date_bound(value, end)
        except QueryError as e:
            fail(f"{option}: {e}", USAGE)
    known = known_types(conn) if types else set()  # a scan of every event: only when asked
    for t in types:
        if t not in known:
            fail(f"--type: no event of type {t!r} here (types here: {', '.join(sorted(known))})", USAGE)
    try:
        f = make_filter(
            conn,
            actors,
            places,
            types,
            since,
            until,
            search,
            starred,
            around=around,
            days=days,
            disputed=disputed,
            sources=sources,
        )
        if view is None:
            return f
        given = {k: v for k, v in vars(f).items() if v != getattr(Filter(), k)}
        return replace(saved_view(conn, view), **given)
    except QueryError as e:
        fail(str(e), USAGE)


@click.group(invoke_without_command=True)
@db_option
@click.pass_context
def main(ctx: click.Context, db_path: str) -> None:
    """Turn news articles into a sourced timeline of events. Without a command, open the app."""
    if ctx.invoked_subcommand is None:
        if not Path(db_path).exists():
            click.echo(f"Building {shown(db_path)} from {SEED / 'articles'} …", err=True)
            ctx.invoke(load, seed_dir=str(SEED), db_path=db_path, exit_on_error=False)
        from tui.app import TimelineApp

        open_db(db_path).close()  # a database the app cannot use is said in one line, before the screen
        TimelineApp(db_path).run()


def report(result) -> None:
    for path, problem in result.warnings:
        click.echo(f"warning: {shown(path)}: {shown(problem)}", err=True)
    for path, problem in result.errors:
        click.echo(f"error: {shown(path)}: {shown(problem)}", err=True)
    click.echo(
        f"{len(result.added)} added, {len(result.unchanged)} already stored, {len(result.errors)} failed;"
        f" {result.events} events",
        err=True,
    )


class ProgressBar:
    """A Rich progress bar on stderr when it is a terminal and there is enough work to watch;
    silent otherwise. `advance` moves it by steps, `update` to a position."""

    def __init__(self, label: str, total: int, worth_showing: bool) -> None:
        self.bar = None
        if worth_showing and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(transient=True, console=Console(stderr=True))
            self.task = self.bar.add_task(label, total=total)
            self.bar.start()

    def advance(self, message: str) -> None:
        if self.bar:
            self.bar.update(self.task, advance=1, description=message[:40])

    def update(self, done: int) -> None:
        if self.bar:
            self.bar.update(self.task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()


def article_progress(files: int) -> ProgressBar:
    """Loading reads each file, then extracts from it: two steps per file."""
    return ProgressBar("loading", files * 2, worth_showing=files >= 20)


@main.command()
@click.argument("seed_dir", default=str(SEED), type=click.Path(file_okay=False))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that cannot be used (damaged, foreign, newer), keeping it as a backup.",
)
@db_option
def load(seed_dir: str, db_path: str, force: bool = False, exit_on_error: bool = True) -> None:
    """Rebuild the database from SEED_DIR/articles, keeping stars and notes."""
    from db.schema import DatabaseError, NotOurs, set_aside
    from pipeline import article_files, load as load_db

    try:
        files = article_files(Path(seed_dir))
    except FileNotFoundError as e:
        fail(str(e))
    try:
        try:
            with article_progress(len(files)) as bar:
                result = load_db(Path(seed_dir), Path(db_path), bar.advance)
        except NotOurs as e:
            if not force:
                fail(f"{e} (--force replaces it, keeping a backup)")
            click.echo(f"timeline: {shown(e)}; kept as {shown(set_aside(Path(db_path)))}", err=True)
            with article_progress(len(files)) as bar:
                result = load_db(Path(seed_dir), Path(db_path), bar.advance)
    except DatabaseError as e:
        fail(str(e))
    report(result)
    if result.errors and exit_on_error:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(readable=False))  # each file checked by the reader
@click.option("--published", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for files that lack one.")
@click.option("--publisher", help="Publisher, for files that lack one.")
@click.option("--title", help="Title, for files that lack one.")
@db_option
def ingest(files, published, publisher, title, db_path) -> None:
    """Add articles (files, or the article files in a folder) to the database; a text already
    stored adds nothing. A file that cannot be read is named, and the others are stored."""
    from db.schema import DatabaseError
    from ingest.dates import parse_published
    from pipeline import articles_in, ingest as ingest_files

    if published:
        try:
            parse_published(published)
        except ValueError as e:
            fail(f"--published: {e}", USAGE)
    try:
        paths = [p for f in map(Path, files) for p in (articles_in(f) if f.is_dir() else [f])]
    except OSError as e:
        fail(f"{e.filename}: {e.strerror}")
    try:
        with article_progress(len(paths)) as bar:
            result = ingest_files(
                paths, Path(db_path), {"published": published, "publisher": publisher, "title": title}, bar.advance
            )
    except DatabaseError as e:
        fail(str(e))
    report(result)
    if result.errors:
        sys.exit(1)


@main.group(name="import")
def import_() -> None:
    """Import event data sets."""


@import_.command(name="acled")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--prune", is_flag=True, help="Remove the stored rows of the file's countries and dates it no longer has."
)
@click.option("--dry-run", is_flag=True, help="Say what the import would add, revise and remove; write nothing.")
@db_option
def import_acled(file, prune, dry_run, db_path) -> None:
    """Import an ACLED export (CSV). A row imported before is replaced if ACLED revised it (its
    `timestamp`), and left alone if not; stars, tags and notes follow the event."""
    from db.acled import ImportFileError, import_acled as run_import
    from db.schema import DatabaseError

    size = Path(file).stat().st_size
    try:
        with ProgressBar("importing", size, worth_showing=size > 1_000_000) as bar:
            result = run_import(Path(file), Path(db_path), bar.update, prune=prune, dry_run=dry_run)
    except (ImportFileError, DatabaseError, UnicodeDecodeError) as e:
        fail(f"{file}: {e}")
    for line, problem in result.bad_rows[:50]:
        click.echo(f"error: {shown(file)}:{line}: {shown(problem)}", err=True)
    if len(result.bad_rows) > 50:
        click.echo(f"… and {len(result.bad_rows) - 50} more bad rows", err=True)
    annotated = _annotated(Path(db_path), result.removed)
    if annotated:
        click.echo(
            f"note: {len(annotated)} removed event{'s' if len(annotated) > 1 else ''} had stars, tags or notes,"
            f" kept in the user database: {shown(', '.join(annotated[:10]))}{' …' if len(annotated) > 10 else ''}",
            err=True,
        )
    if prune and result.not_pruned:
        click.echo(f"note: nothing pruned: {result.not_pruned}, so the file's rows are not all known", err=True)
    removed = f", {len(result.removed)} removed" if prune else ""
    click.echo(
        f"{'dry run, nothing written: ' if dry_run else ''}{result.added} events added, {result.revised} revised"
        f"{removed}, {result.unchanged} unchanged; {len(result.bad_rows)} bad rows skipped (of {result.rows})",
        err=True,
    )
    if result.bad_rows:
        sys.exit(1)


def _annotated(db_path: Path, ids: list[str]) -> list[str]:
    """Which of these events have stars, tags or notes."""
    if not ids:
        return []
    from db.schema import connect

    conn = connect(db_path)
    try:
        rows = conn.execute(
            "SELECT event_id FROM annotations WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id",
            (json.dumps(ids),),
        )
        return [r[0] for r in rows]
    finally:
        conn.close()


@main.command(name="list")
@filter_options
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--long", "long_", is_flag=True, help="The full table: every actor and place, wrapped.")
@db_option
def list_(limit, long_, db_path, **filters) -> None:
    """Print the events that match the filters, in date order: one line each, fitted to the
    terminal; tab-separated with a header line when the output is not a terminal."""
    from db.queries import QueryError, count_events, list_events

    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    try:
        rows = list_events(conn, f, limit)
        total = count_events(conn, f) if long_ or (limit and len(rows) == limit) else len(rows)
    except QueryError as e:
        fail(str(e))
    if long_:
        print_table(rows, total)
    elif sys.stdout.isatty():
        print_lines(rows, shutil.get_terminal_size().columns)
    else:
        write_stdout(tab_separated(rows))
    if not long_ and total > len(rows):
        click.echo(f"timeline: {len(rows)} of {total} events shown (--limit)", err=True)


def print_table(rows, total: int) -> None:
    """The boxed table, every field whole (wrapped)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.text import visible

    table = Table(title=f"{len(rows)} of {total} events", title_justify="left", expand=False)
    for col in ("date", "type", "summary", "actors", "places", "src"):
        table.add_column(col, overflow="fold")
    for r in rows:  # Text, never markup: article text must not style the terminal
        cells = (r.date or "undated", r.sub_type, r.summary, ", ".join(n for n, _ in r.actors), ", ".join(r.places))
        table.add_row(*(Text(visible(c)) for c in (*cells, str(r.sources))))
    Console().print(table)


TSV_COLUMNS = "id date date_start date_end precision type sub_type places actors fatalities sources starred summary"


def tab_separated(rows) -> str:
    """A header line and a line per event, every field whole: for cut -f, sort and awk."""
    from tui.text import visible

    def field(value) -> str:  # a tab or a newline inside a field would split it
        return " ".join(visible("" if value is None else str(value)).split())

    lines = ["\t".join(TSV_COLUMNS.split())]
    for r in rows:
        values = (r.id, r.date, r.date_start, r.date_end, r.precision, r.type, r.sub_type, "; ".join(r.places))
        more = ("; ".join(n for n, _ in r.actors), r.fatalities, r.sources, int(r.starred), r.summary)
        lines.append("\t".join(field(v) for v in (*values, *more)))
    return "\n".join(lines) + "\n"


GAP = "  "
SUB_TYPES_FROM = 60  # columns left beside the date from which sub-types are shown, not types


def print_lines(rows, width: int) -> None:
    """A line per event, none wider than `width`: date at its precision, short type, first place,
    first actor, and the summary in what is left, cut at a word with an ellipsis."""
    from rich.console import Console
    from rich.text import Text

    from tui.text import clip, visible

    table = [
        (
            short_date(r.date),
            r.type,
            r.sub_type,
            visible(r.places[0]) if r.places else "-",
            visible(r.actors[0][0]) if r.actors else "-",
            visible(r.summary),
        )
        for r in rows
    ]
    widths = column_widths(table, width)
    console = Console(width=width, highlight=False)
    for date, type_, sub_type, place, actor, summary in table:
        cells = (date, short_type(type_, sub_type, widths[1]), place, actor)
        line = Text()
        for cell, w, style in zip(cells, widths, ("dim", "cyan", "green", "yellow"), strict=False):
            if w:
                line.append(pad(clip(cell, w), w), style=style)
                line.append(GAP)
        line.append(clip(summary, widths[4]))
        console.print(line, no_wrap=True, overflow="ignore", crop=False)


def column_widths(table: Sequence[tuple[str, ...]], width: int) -> list[int]:
    """Widths of date, type, place, actor and summary within `width`. The date is whole; types
    become sub-types when there is room; place and actor get a share each, up to their longest;
    and when the summary would be left under 16 columns, the actor and then the place give way."""
    from rich.cells import cell_len

    def longest(i: int, shorten=lambda t: t) -> int:
        return max((cell_len(shorten(row[i])) for row in table), default=1)

    date = longest(0)
    rest = width - date - 4 * len(GAP)
    if rest >= SUB_TYPES_FROM:
        kind = longest(2, lambda t: SHORT_SUB_TYPES.get(t, t))
        kind = min(kind, max(len(s) for s in SHORT_SUB_TYPES.values()))
    else:
        kind = min(longest(1, lambda t: SHORT_TYPES.get(t, t)), max(len(s) for s in SHORT_TYPES.values()))
    place = min(longest(3), max(8, rest // 5))
    actor = min(longest(4), max(8, rest // 5))
    summary = rest - kind - place - actor
    for dropped in ("actor", "place"):
        if summary >= 16:
            break
        if dropped == "actor":
            summary, actor = summary + actor + len(GAP), 0
        else:
            summary, place = summary + place + len(GAP), 0
    return [date, kind, place, actor, max(summary, 1)]


def short_date(text: str | None) -> str:
    """The date at its precision, an interval's end without the year it shares with its start:
    "2021-01-06..01-13", "2017-09..12"."""
    if not text:
        return "undated"
    first, dots, last = text.partition("..")
    if dots and first[:5] == last[:5]:
        return f"{first}..{last[5:]}"
    return text


def pad(text: str, width: int) -> str:
    from rich.cells import cell_len

    return text + " " * (width - cell_len(text))


@main.command()
@filter_options
@click.option(
    "--format",
    "fmt",
    default="json",
    show_default=True,
    metavar="FORMAT",
    help="json, md (Markdown with citations), csv, geojson (RFC 7946), timelinejs (TimelineJS3),"
    " timesketch (JSON Lines) or acled (ACLED's columns, which `import acled` reads back).",
)
@click.option("-o", "--output", help="Write to this file (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--parents", is_flag=True, help="Create the output file's missing folders.")
@db_option
def export(fmt, output, force, parents, db_path, **filters) -> None:
    """Export the matching events: JSON, Markdown with citations, CSV, or a shape another tool opens
    (GeoJSON, TimelineJS, Timesketch, ACLED). What a format cannot hold (an undated event in a
    timeline) is left out and counted on stderr."""
    from db.export import FORMATS, ExportError, export as render, write_atomic
    from db.queries import QueryError, describe_filter, event_ids

    if fmt not in FORMATS:
        fail(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})", USAGE)
    if output is not None and os.path.lexists(output) and not force:
        fail(f"{output} exists (use --force to overwrite it)", USAGE)
    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    try:
        done = render(conn, event_ids(conn, f), fmt, describe_filter(conn, f))
    except QueryError as e:
        fail(str(e))
    for note in done.notes:
        click.echo(f"timeline: {shown(note)}", err=True)
    if output is None:
        write_stdout(done.text)
        return
    try:
        write_atomic(Path(output), done.text, make_folders=parents)
    except ExportError as e:
        fail(str(e), USAGE if e.path_refused else 1)
    click.echo(f"wrote {shown(output)}", err=True)


@main.command()
@click.argument("event_id")
@click.option("--star/--unstar", default=None, help="Star or unstar the event.")
@click.option("--tag", "tags", multiple=True, help="Add a tag (repeatable).")
@click.option("--note", help="Set the event's note.")
@db_option
def annotate(event_id, star, tags, note, db_path) -> None:
    """Star, tag or note an event (by its id). Annotations survive every reload."""
    from db.queries import QueryError, annotate as add, set_starred
    from db.schema import DatabaseError

    conn = open_db(db_path)
    try:
        if tags or note is not None:
            add(conn, event_id, list(tags), note)
        if star is not None:
            set_starred(conn, event_id, star)
    except QueryError as e:
        fail(str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))


@main.group()
def view() -> None:
    """Saved views: a filter kept by name, beside the stars and notes (a load never touches them)."""


@view.command(name="save")
@click.argument("name")
@filter_options
@db_option
def view_save(name, db_path, **filters) -> None:
    """Save the filter the options give as NAME (replacing a view of that name); then
    `timeline list --view NAME`, or `v` in the app."""
    from db.queries import QueryError
    from db.schema import DatabaseError
    from db.views import in_words, save_view

    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    try:
        old = save_view(conn, name, f)
    except QueryError as e:
        fail(f"view {name!r}: {e}", USAGE)
    except DatabaseError as e:
        fail(str(e))
    was = f" (it was: {in_words(conn, old)})" if old else ""
    click.echo(f"saved view {shown(repr(name.strip()))}: {shown(in_words(conn, f))}{shown(was)}", err=True)


@view.command(name="list")
@db_option
def view_list(db_path) -> None:
    """The saved views: a line each, its name and its filter in words."""
    from db.queries import QueryError
    from db.views import in_words, saved_views

    conn = open_db(db_path)
    try:
        views = saved_views(conn)
    except QueryError as e:
        fail(str(e))
    write_stdout("".join(f"{shown(v.name)}\t{shown(in_words(conn, v.filter))}\n" for v in views))


@view.command(name="delete")
@click.argument("name")
@db_option
def view_delete(name, db_path) -> None:
    """Delete the saved view NAME."""
    from db.queries import QueryError
    from db.schema import DatabaseError
    from db.views import delete_view

    conn = open_db(db_path)
    try:
        delete_view(conn, name)
    except QueryError as e:
        fail(str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))
    click.echo(f"deleted view {shown(repr(name))}", err=True)


@main.command()
@db_option
def stats(db_path) -> None:
    """Counts of documents, events, sources, actors and places; the top types, countries and divisions."""
    from db.queries import month_counts, stats as get_stats

    conn = open_db(db_path)
    s = get_stats(conn)
    click.echo(
        f"documents   {s.documents}\nevents      {s.events} ({s.multi_source_events} with several sources,"
        f" {s.undated_events} undated)\nsources     {s.sources}\nactors      {s.actors}\n"
        f"places      {s.places}\ndates       {s.first or '-'} to {s.last or '-'}"
    )
    for heading, rows in (("types", s.types), ("countries", s.countries), ("divisions", s.divisions)):
        if rows:
            click.echo(heading)
        for name, n in rows:
            click.echo(f"  {n:6d}  {shown(name)}")
    print_time_chart(month_counts(conn), shutil.get_terminal_size().columns)


CHART_LINES = 6


def print_time_chart(months: list[tuple[str, int]], width: int) -> None:
    """Events per period, a column each from the first event to the last, empty ones included:
    the app's bar of time, taller. The period (month, quarter, year) is the finest that fits."""
    from rich.console import Console
    from rich.text import Text

    from db.labels import bars, periods, year_ticks

    top = max((n for _, n in months), default=0)
    axis = len(f"{top:,}") + 2  # the scale's figures, a space and the axis line
    found, unit = periods(months, width - axis)
    if not found:
        return
    console = Console(width=width, highlight=False)
    total = sum(p.count for p in found)
    console.print(Text(f"events per {unit}, {found[0].label} to {found[-1].label} ({total:,} dated)"))
    tallest = max(p.count for p in found)
    for i, line in enumerate(bars([p.count for p in found], CHART_LINES)):
        scale = Text(f"{tallest:>{axis - 2},} ┤" if i == 0 else f"{'':>{axis - 2}} │", style="dim")
        console.print(scale + Text(line, style="cyan"), no_wrap=True, crop=False)
    console.print(Text(" " * (axis - 1) + "└" + "─" * len(found), style="dim"), no_wrap=True, crop=False)
    console.print(" " * axis + year_ticks(found, width - axis), no_wrap=True, crop=False)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--published", help="Publication date, if the file has none.")
@click.option("--all", "show_all", is_flag=True, help="Also show sentences with nothing found.")
def explain(file, published, show_all) -> None:
    """Show, sentence by sentence, what the extractor found in FILE and why."""
    from rich.console import Console
    from rich.text import Text

    from ingest.extract import extract
    from ingest.gazetteer import Actor
    from ingest.read import ArticleError, read_article
    from tui.text import visible

    try:
        article = read_article(Path(file), {"published": published})
    except (ArticleError, ValueError) as e:
        fail(f"{file}: {e}")
    console = Console(highlight=False)
    pub = (
        f"{article.published.display()} (from the {article.published_source})"
        if article.published
        else "unknown: no front-matter date and no dateline (relative dates stay unresolved)"
    )
    console.print(Text(f"{shown(file)}\npublished: {pub}\n", style="bold"))
    events, traces = extract(article)
    for t in traces:
        if not (show_all or t.dates or t.triggers):
            continue
        console.print(
            Text(f"[{t.sentence.start}:{t.sentence.end}] ", style="dim") + Text(visible(" ".join(t.text.split())))
        )
        for d in t.dates:
            resolved = d.interval.display() if d.interval else "unresolved"
            console.print(Text(visible(f"   date     {d.expression!r} -> {resolved}")))
        for m in t.mentions:
            kind = "actor" if isinstance(m.entity, Actor) else "place"
            console.print(Text(visible(f"   {kind:8} {m.surface!r} -> {m.entity.name}")))
        for trig in t.triggers:
            console.print(Text(visible(f"   trigger  {trig.text!r} -> {trig.type} / {trig.sub_type}")))
        for event in t.events:
            console.print(
                Text(
                    f"   EVENT    {event.date.display() if event.date else 'undated'} ({event.date_source}) "
                    f"{event.sub_type}: {visible(event.summary)} [confidence {event.confidence}]",
                    style="green",
                )
            )
        for note in t.notes:
            console.print(Text(visible(f"   skipped  {note}"), style="yellow"))
        console.print()
    console.print(Text(f"{len(events)} events", style="bold"))


def run() -> None:
    """The console entry point: a busy or broken database is a message, not a traceback."""
    import sqlite3

    try:
        main()
    except sqlite3.OperationalError as e:
        from db.schema import BUSY_SECONDS

        if "locked" in str(e) or "busy" in str(e):
            fail(
                f"busy: another command has been writing to the database for over {BUSY_SECONDS} s;"
                " run this again when it is done (stars, tags and notes never wait)"
            )
        if "disk" in str(e):  # SQLITE_FULL, or SQLITE_IOERR on a file-size limit: the transaction rolled back
            fail(
                f"the database could not be written ({e}): is the disk full? This command stored nothing;"
                " what was stored before is as it was"
            )
        fail(f"database unreadable ({e})")


if __name__ == "__main__":
    run()
