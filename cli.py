"""The `timeline` command: the app by default, and every view headless for scripts."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from db.labels import SHORT_SUB_TYPES, SHORT_TYPES, short_type
from db.store import Store, is_url as is_store_url, location, shown as store_name
from seed import SEED

DEFAULT_DB = "timeline.db"
T = TypeVar("T")

if TYPE_CHECKING:
    from db.load import WouldDrop


def _db_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """`--db` is read wherever it is given: before the command's name (`timeline --db x.db list`),
    after it, or from TIMELINE_DB. Given both before and after, the two must agree: a write must
    never land in another store than the one named. It is kept where `Timeline.invoke` finds it,
    so an SQLite error any command meets names the file."""
    root = ctx.find_root()
    if root is ctx:
        chosen = value or DEFAULT_DB
    elif ctx.get_parameter_source(param.name or "") != click.core.ParameterSource.COMMANDLINE:
        chosen = root.params["db_path"]
    elif (
        root.get_parameter_source("db_path") == click.core.ParameterSource.COMMANDLINE
        and value != root.params["db_path"]
    ):
        raise click.BadParameter(f"given twice, as {root.params['db_path']} and as {value}: give it once")
    else:
        chosen = value or DEFAULT_DB
    ctx.meta["db_path"] = chosen
    return chosen


db_option = click.option(
    "--db",
    "db_path",
    envvar="TIMELINE_DB",
    callback=_db_path,
    type=click.Path(dir_okay=False),
    help=f"The database file (default {DEFAULT_DB}, or TIMELINE_DB), before or after the command's name.",
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
            click.option(
                "--min-confidence",
                type=click.FloatRange(min=0, max=1),
                default=0.0,
                metavar="C",
                help="Only events whose confidence is at least C (0 to 1): the share right among events of"
                " confidence C or more was about C on the dev gold (`make eval`).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def review_options(fn):
    """What the analyst's layer picks (db/corrections.py): rejected events, tags, reviewed or not."""
    for option in reversed(
        [
            click.option("--rejected", is_flag=True, help="Show the events an analyst rejected too, marked."),
            click.option("--tag", help="Only the events with this tag."),
            click.option(
                "--reviewed/--unreviewed",
                default=None,
                help="Only the events an analyst confirmed, rejected or edited; or only the others.",
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
    with printing():
        sys.stdout.write(text)


@contextmanager
def printing() -> Iterator[None]:
    """Output to stdout (click.echo, a Rich console), flushed at the end; a failure to write it (a
    full disk) is one line on stderr and status 1. A reader that stopped reading (`timeline list |
    head`) had what it wanted: the rest goes nowhere, quietly, as other command-line tools do."""
    try:
        yield
        sys.stdout.flush()
    except OSError as e:
        if e.filename is not None:  # a named file's error, not stdout's
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        if isinstance(e, BrokenPipeError):
            sys.exit(0)
        fail(f"stdout: {e.strerror or e}")


def prints(command: Callable[..., None]) -> Callable[..., None]:
    """A command whose output is printed as it goes (click.echo, Rich): `printing` around it."""

    @functools.wraps(command)
    def printed(*args, **kwargs) -> None:
        with printing():
            command(*args, **kwargs)

    return printed


def open_db(db_path: str):
    from db.corrections import added_in_step
    from db.schema import DatabaseError, connect

    try:
        conn = connect(db_path)
    except DatabaseError as e:
        fail(str(e))
    if not added_in_step(conn):  # an add, split or undo killed between its two writes: the store's copy
        from pipeline import mend_added

        mend_added(location(db_path))
    return conn


def build_filter(
    conn, actors, places, types, since, until, search, starred, around, days, view, disputed, sources, min_confidence
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
            min_confidence=min_confidence,
        )
        if view is None:
            return f
        given = {k: v for k, v in vars(f).items() if v != getattr(Filter(), k)}
        return replace(saved_view(conn, view), **given)
    except QueryError as e:
        fail(str(e), USAGE)


class Timeline(click.Group):
    """The command group. An SQLite error a command meets (a damaged page, a full disk, a lock held
    too long) is one line naming the database, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except sqlite3.Error as e:
            from db.schema import BUSY_SECONDS, database_error

            db_path = ctx.meta.get("db_path", DEFAULT_DB)
            error = database_error(db_path, e)
            if error is None:
                fail(
                    f"{shown(store_name(str(db_path)))}: busy: another command has been writing to it for over"
                    f" {BUSY_SECONDS:g} s;"
                    " run this again when it is done, or wait longer with TIMELINE_BUSY_SECONDS"
                    " (stars, tags and notes never wait)"
                )
            fail(str(error))


@click.group(cls=Timeline, invoke_without_command=True)
@db_option
@click.pass_context
def main(ctx: click.Context, db_path: str) -> None:
    """Turn news articles into a sourced timeline of events. Without a command, open the app."""
    if ctx.invoked_subcommand is None:
        if not is_store_url(db_path) and not Path(db_path).exists():
            click.echo(f"Building {shown(db_path)} from {SEED / 'articles'} …", err=True)
            ctx.invoke(load, seed_dir=str(SEED), db_path=db_path, exit_on_error=False)
        from tui.app import TimelineApp

        open_db(db_path).close()  # a database the app cannot use is said in one line, before the screen
        app = TimelineApp(db_path, remove_document)
        quit_on_sigterm(app)
        app.run()
        sys.exit(app.return_code or 0)  # 143 after SIGTERM


def remove_document(given: str, db_path: Store):
    """The app's remover (its `D` key): pipeline.remove, imported when first used, for the
    extractor it loads costs the app's start 0.7 s."""
    from pipeline import remove

    return remove(given, db_path)


def quit_on_sigterm(app) -> None:
    """SIGTERM (`kill`, a session ending) quits the app as `q` does, restoring the terminal. Textual
    (8.2) handles SIGTSTP and SIGCONT, not SIGTERM: by default the process would end at once,
    leaving the terminal in the app's alternate screen with mouse reporting on."""
    import asyncio
    import signal

    def quit(signum: int, _frame) -> None:
        try:
            loop = asyncio.get_running_loop()  # a handler runs in the main thread, the app's loop's
        except RuntimeError:  # the app is not running yet, or any more: no terminal mode to restore
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(lambda: app.exit(return_code=128 + signum))  # wakes the loop

    signal.signal(signal.SIGTERM, quit)


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

    def update(self, done: int, message: str | None = None) -> None:
        if self.bar:
            self.bar.update(self.task, completed=done, description=message[:40] if message else None)

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
    """Rebuild the database from SEED_DIR/articles, keeping stars and notes. Articles ingested from
    elsewhere are not dropped in silence: load names them and asks on a terminal, and refuses
    without --force when not on one."""
    from db.load import WouldDrop
    from db.locks import store_writer
    from db.schema import Damaged, DatabaseError, NotOurs, set_aside
    from pipeline import article_files, load as load_db

    try:
        files = article_files(Path(seed_dir))
    except FileNotFoundError as e:
        fail(str(e))
    try:
        try:
            with article_progress(len(files)) as bar:
                result = load_db(Path(seed_dir), location(db_path), bar.advance)
        except (NotOurs, Damaged) as e:  # never a full disk or an I/O error: that store may be intact
            if not force:
                fail(f"{e} (--force replaces it, keeping a backup)")
            with store_writer(Path(db_path)):  # no writer of the damaged store is cut off mid-write
                backup = set_aside(Path(db_path))
            click.echo(f"timeline: {shown(e)}; kept as {shown(backup)}", err=True)
            with article_progress(len(files)) as bar:
                result = load_db(Path(seed_dir), location(db_path), bar.advance)
    except DatabaseError as e:
        fail(str(e))
    except WouldDrop as e:
        result = _load_dropping(e, Path(seed_dir), location(db_path), force)
    report(result)
    if result.errors and exit_on_error:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(readable=False))  # each file checked by the reader
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS or Atom feed: its new items (repeatable).")
@click.option("--published", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for files that lack one.")
@click.option("--publisher", help="Publisher, for files that lack one.")
@click.option("--title", help="Title, for files that lack one.")
@db_option
def ingest(files, feeds, published, publisher, title, db_path) -> None:
    """Add articles (files, the article files in a folder, web pages by URL, the new items of a
    feed) to the database; a text already stored adds nothing. A file or page that cannot be read
    is named, and the others are stored."""
    from db.schema import DatabaseError
    from ingest.dates import parse_published
    from ingest.web import FetchError, is_url
    from pipeline import articles_in, ingest as ingest_files, new_feed_items

    if not files and not feeds:
        fail("give the articles to add: files, folders, URLs, or --feed URL", USAGE)
    if published:
        try:
            parse_published(published)
        except ValueError as e:
            fail(f"--published: {e}", USAGE)
    try:
        sources: list[Path | str] = [
            p for f in files for p in ([f] if is_url(f) else articles_in(Path(f)) if Path(f).is_dir() else [Path(f)])
        ]
    except OSError as e:
        fail(f"{e.filename}: {e.strerror}")
    feed_dates: dict[str, str] = {}
    for feed in feeds:
        try:
            items, known = new_feed_items(feed, location(db_path))
        except (FetchError, DatabaseError) as e:
            fail(f"{feed}: {e}")
        click.echo(f"{feed}: {len(items)} new item{'s' * (len(items) != 1)}, {known} read before", err=True)
        sources += [item.link for item in items]
        feed_dates |= {item.link: item.published for item in items if item.published}
    if not sources:
        return
    try:
        with article_progress(len(sources)) as bar:
            result = ingest_files(
                sources,
                location(db_path),
                {"published": published, "publisher": publisher, "title": title},
                bar.advance,
                feed_dates,
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
            result = run_import(Path(file), location(db_path), bar.update, prune=prune, dry_run=dry_run)
    except (ImportFileError, UnicodeDecodeError) as e:
        fail(f"{file}: {e}")
    except DatabaseError as e:  # it names the store
        fail(str(e))
    for line, problem in result.bad_rows[:50]:
        click.echo(f"error: {shown(file)}:{line}: {shown(problem)}", err=True)
    if len(result.bad_rows) > 50:
        click.echo(f"… and {len(result.bad_rows) - 50} more bad rows", err=True)
    annotated = _annotated(location(db_path), result.removed)
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


@main.command(name="copy")
@click.argument("src")
@click.argument("dst")
def copy_(src, dst) -> None:
    """Copy the whole timeline at SRC (a file or a postgresql:// URL) into DST, which must hold none:
    every event, source, annotation, correction, view and the activity log, with their ids; DST's
    log gains one entry, the copy's."""
    from db.copy import copy as copy_store
    from db.schema import DatabaseError

    try:
        with ProgressBar("copying", 1000, worth_showing=True) as bar:
            copied = copy_store(
                location(src),
                location(dst),
                lambda done, total, step: bar.update(1000 * done // total, f"copying: {step}"),
            )
    except DatabaseError as e:
        fail(str(e))
    click.echo(
        f"copied {copied.tables} tables, {copied.rows:,} rows in {copied.seconds:.1f} s:"
        f" {shown(store_name(src))} -> {shown(store_name(dst))}",
        err=True,
    )


def _annotated(db_path: Store, ids: list[str]) -> list[str]:
    """Which of these events have stars, tags or notes."""
    if not ids:
        return []
    from db.schema import connect

    conn = connect(db_path)
    try:
        rows = conn.execute(
            "SELECT event_id FROM annotations WHERE event_id IN (SELECT value FROM json_each(?))"
            " UNION SELECT event_id FROM user.tags WHERE event_id IN (SELECT value FROM json_each(?))"
            " ORDER BY event_id",
            (json.dumps(ids), json.dumps(ids)),
        )
        return [r[0] for r in rows]
    finally:
        conn.close()


@main.command(name="list")
@filter_options
@review_options
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--long", "long_", is_flag=True, help="The full table: every actor and place, wrapped.")
@db_option
@prints
def list_(limit, long_, rejected, tag, reviewed, db_path, **filters) -> None:
    """Print the events that match the filters, in date order: one line each, fitted to the
    terminal; tab-separated with a header line when the output is not a terminal. Events an
    analyst rejected are left out (--rejected shows them, marked)."""
    from db.corrections import Shown, pages, pick
    from db.queries import QueryError, events_by_ids

    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    layer = Shown(rejected, tag, reviewed)
    try:
        if long_:
            picked = pick(conn, f, layer, limit)
            rows = mark_rejected(events_by_ids(conn, picked.ids))
            print_table(rows, picked.total)
            shown = total = len(rows)
        else:
            shown = print_pages(map(mark_rejected, pages(conn, f, layer, limit)), sys.stdout.isatty())
            total = pick(conn, f, layer, limit).total if limit and shown == limit else shown
    except QueryError as e:
        fail(str(e))
    if total > shown:
        click.echo(f"timeline: {shown} of {total} events shown (--limit)", err=True)
    if not shown:
        say_why_nothing(conn, filters["actors"], filters["places"])


def print_pages(pages, terminal: bool) -> int:
    """Print pages of events as they come, a line each, and say how many: fitted to the terminal
    (the columns sized on the first page), or tab-separated under a header line."""
    shown, widths = 0, None
    if not terminal:
        write_stdout("\t".join(TSV_COLUMNS.split()) + "\n")
    for page in pages:
        if terminal:
            widths = print_lines(page, shutil.get_terminal_size().columns, widths)
        else:
            write_stdout(tab_separated(page))
        shown += len(page)
    return shown


def say_why_nothing(conn, actors, places) -> None:
    """A filter that found nothing because no event names one of its names says so, with the
    close names some event does name."""
    from db.queries import no_events_hint
    from tui.text import visible

    for kind, names in (("actor", actors), ("place", places)):
        for name in names:
            if hint := no_events_hint(conn, kind, name):
                click.echo(f"timeline: {visible(hint)}", err=True)


def mark_rejected(rows):
    """Rows an analyst rejected (shown with --rejected) say so before their summary."""
    for r in rows:
        if r.review and r.review.rejected:
            r.summary = f"[rejected] {r.summary}"
    return rows


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
    """A line per event, every field whole: for cut -f, sort and awk."""
    from tui.text import visible

    def field(value) -> str:  # a tab or a newline inside a field would split it
        return " ".join(visible("" if value is None else str(value)).split())

    lines = []
    for r in rows:
        values = (r.id, r.date, r.date_start, r.date_end, r.precision, r.type, r.sub_type, "; ".join(r.places))
        more = ("; ".join(n for n, _ in r.actors), r.fatalities, r.sources, int(r.starred), r.summary)
        lines.append("\t".join(field(v) for v in (*values, *more)))
    return "".join(line + "\n" for line in lines)


GAP = "  "
SUB_TYPES_FROM = 60  # columns left beside the date from which sub-types are shown, not types


def print_lines(rows, width: int, widths: list[int] | None = None) -> list[int]:
    """A line per event, none wider than `width`: date at its precision, short type, first place,
    first actor, and the summary in what is left, cut at a word with an ellipsis. The columns'
    widths are fitted to these rows unless given (those of an earlier page), and returned."""
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
    widths = widths or column_widths(table, width)
    console = Console(width=width, highlight=False)
    for date, type_, sub_type, place, actor, summary in table:
        cells = (date, short_type(type_, sub_type, widths[1]), place, actor)
        wider = max(
            0, len(date) - widths[0]
        )  # a date is never cut: a longer one than the first page's takes from the summary
        line = Text()
        for cell, w, style in zip(
            cells, [widths[0] + wider, *widths[1:]], ("dim", "cyan", "green", "yellow"), strict=False
        ):
            if w:
                line.append(pad(clip(cell, w), w), style=style)
                line.append(GAP)
        line.append(clip(summary, max(1, widths[4] - wider)))
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
    return widths


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
@review_options
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
def export(fmt, output, force, parents, rejected, tag, reviewed, db_path, **filters) -> None:
    """Export the matching events: JSON, Markdown with citations, CSV, or a shape another tool opens
    (GeoJSON, TimelineJS, Timesketch, ACLED). What a format cannot hold (an undated event in a
    timeline) is left out and counted on stderr."""
    from db.corrections import Shown, id_pages, rejected_ids
    from db.export import FORMATS, ExportError, atomic_file, write
    from db.queries import QueryError, count_events, describe_filter

    if fmt not in FORMATS:
        fail(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})", USAGE)
    if output is not None and os.path.lexists(output) and not force:
        fail(f"{output} exists (use --force to overwrite it)", USAGE)
    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    heading = describe_filter(conn, f)
    ids = id_pages(conn, f, Shown(rejected, tag, reviewed))
    try:
        if output is None:
            with printing():
                done = write(conn, ids, fmt, heading, sys.stdout)
        else:
            with atomic_file(Path(output), make_folders=parents) as out:
                done = write(conn, ids, fmt, heading, out)
    except QueryError as e:
        fail(str(e))
    except ExportError as e:
        fail(str(e), USAGE if e.path_refused else 1)
    hidden = set() if rejected else rejected_ids(conn)
    left_out = count_events(conn, f, among=sorted(hidden)) if hidden else 0
    if left_out:
        click.echo(f"timeline: {left_out} rejected events left out (--rejected includes them)", err=True)
    for note in done.notes:
        click.echo(f"timeline: {shown(note)}", err=True)
    if output is not None:
        click.echo(f"wrote {shown(output)}", err=True)


author_option = click.option("--author", help="Who writes it (default: $TIMELINE_AUTHOR, else your login name).")


@main.command()
@click.argument("event_id")
@click.option("--star/--unstar", default=None, help="Star or unstar the event.")
@click.option("--tag", "tags", multiple=True, help="Add a tag (repeatable; a tag may hold a comma).")
@click.option("--note", help="Set the event's note.")
@click.option("--untag", "untags", multiple=True, help="Take a tag off (repeatable).")
@author_option
@db_option
def annotate(event_id, star, tags, note, untags, author, db_path) -> None:
    """Star, tag or note an event (by its id). Annotations survive every reload."""
    from db.annotations import add_tags, remove_tags, require_event, set_note, set_starred
    from db.queries import QueryError
    from db.schema import DatabaseError

    conn = open_db(db_path)
    try:
        require_event(conn, event_id)
        if tags:
            add_tags(conn, event_id, tags, author)
        if note is not None:
            set_note(conn, event_id, note, author)
        if star is not None:
            set_starred(conn, event_id, star, author)
        if untags:
            had = remove_tags(conn, event_id, untags, author)
            for tag in dict.fromkeys(t.strip() for t in untags if t.strip() and t.strip() not in had):
                click.echo(f"timeline: {shown(event_id)} had no tag {shown(repr(tag))}", err=True)
    except QueryError as e:
        fail(str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))


# ---- review: the analyst's corrections (db/corrections.py) -----------------------------------


def _load_dropping(would: WouldDrop, seed_dir: Path, db_path: Store, force: bool):
    """A load that would drop articles from elsewhere: name them, with their events and the
    analyst's work on those, then load dropping them if --force or a yes on a terminal says so."""
    from db.schema import DatabaseError
    from pipeline import article_files, load as load_db
    from tui.text import visible

    ids = [i for _, events in would.articles for i in events]
    conn = open_db(str(db_path))
    annotated, corrected = _annotated(db_path, ids), _corrected(conn, ids)
    conn.close()
    names = ", ".join(visible(path) for path, _ in would.articles[:10]) + (" …" if len(would.articles) > 10 else "")
    click.echo(
        f"timeline: {len(would.articles)} stored article(s) are not in {seed_dir / 'articles'} (ingested from"
        f" elsewhere): {names}. Loading drops them and the {len(ids)} event(s) resting on them alone"
        f" ({len(annotated)} with stars, tags or notes, {len(corrected)} with corrections: those are kept in the"
        " user database, listed by `timeline review --orphans`).",
        err=True,
    )
    if not force:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            fail("load: nothing changed (--force drops them)")
        if not click.confirm("Drop them?", default=False, err=True):
            fail("load: nothing changed")
    try:
        with article_progress(len(article_files(seed_dir))) as bar:
            return load_db(seed_dir, db_path, bar.advance, drop_others=True)
    except DatabaseError as e:
        fail(str(e))


def _corrected(conn, ids: list[str]) -> list[str]:
    """Which of these events have corrections."""
    from db.corrections import corrections_of

    return sorted({c.target or c.event_id for c in corrections_of(conn, ids)})


def _correct(write: Callable[..., T], event_id: str, *args) -> T:
    """Run a correction; an unknown event or a bad value is a usage error, a store that cannot
    be written a failure."""
    from db.queries import QueryError
    from db.schema import DatabaseError

    try:
        return write(*args)
    except QueryError as e:
        fail(f"{event_id}: {e}" if "no event" not in str(e) else str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))


@main.command()
@click.argument("event_id")
@author_option
@db_option
def confirm(event_id, author, db_path) -> None:
    """Mark an event reviewed: right as it is."""
    from db.corrections import confirm as write

    conn = open_db(db_path)
    _correct(write, event_id, conn, event_id, author)
    click.echo(f"confirmed {event_id}", err=True)


@main.command()
@click.argument("event_id")
@author_option
@db_option
def reject(event_id, author, db_path) -> None:
    """Mark an event as not an event: hidden from list and export (--rejected shows it). `timeline
    undo` takes it back."""
    from db.corrections import reject as write

    conn = open_db(db_path)
    _correct(write, event_id, conn, event_id, author)
    click.echo(f"rejected {event_id} (timeline undo {event_id} takes it back)", err=True)


@main.command()
@click.argument("event_id")
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD: the form is the precision.")
@click.option("--type", "type_", help="An ACLED type or sub-type (a sub-type says its type).")
@click.option("--sub-type", help="An ACLED sub-type.")
@click.option("--place", "places", multiple=True, help="The event's places, where it happened first (repeatable).")
@click.option("--actor1", multiple=True, help="The actor(s) who acted: replaces the machine's (repeatable).")
@click.option("--actor2", multiple=True, help="The actor(s) acted on: replaces the machine's (repeatable).")
@click.option("--associated", multiple=True, help="Associated actor(s): replaces the machine's (repeatable).")
@click.option("--fatalities", type=int, help="The toll.")
@click.option("--summary", help="The event's summary.")
@author_option
@db_option
def edit(event_id, date, type_, sub_type, places, actor1, actor2, associated, fatalities, summary, author, db_path):
    """Correct fields of an event. The machine's value is kept beside yours, and every view shows
    yours; `timeline history` lists both, `timeline undo` takes the last correction back."""
    from db.corrections import edit as write

    conn = open_db(db_path)
    changes = {
        "date": date,
        "type": type_,
        "sub_type": sub_type,
        "places": list(places),
        "actors": {"actor1": list(actor1), "actor2": list(actor2), "associated": list(associated)},
        "fatalities": fatalities,
        "summary": summary,
    }
    fields = _correct(write, event_id, conn, event_id, changes, author)
    click.echo(f"corrected {event_id}: {', '.join(fields)}", err=True)


@main.command()
@click.argument("event_id")
@author_option
@db_option
def undo(event_id, author, db_path) -> None:
    """Take back the event's last correction still in force (an undo is a correction too)."""
    from db.corrections import describe, undo as write

    conn = open_db(db_path)
    undone = _correct(write, event_id, conn, event_id, author)
    if undone.action in ("add", "split"):  # the store's copy goes too
        _write_added(db_path, "the undo")
    click.echo(f"undid #{undone.id} on {event_id}: {describe(undone)}", err=True)


@main.command()
@click.option("--date", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD: the form is the precision.")
@click.option("--type", "type_", required=True, help="An ACLED type or sub-type (a sub-type says its type).")
@click.option("--sub-type", help="An ACLED sub-type.")
@click.option("--place", "places", multiple=True, required=True, help="Where it happened, first (repeatable).")
@click.option("--actor1", multiple=True, required=True, help="The actor(s) who acted (repeatable).")
@click.option("--actor2", multiple=True, help="The actor(s) acted on (repeatable).")
@click.option("--associated", multiple=True, help="Associated actor(s) (repeatable).")
@click.option("--fatalities", type=int, help="The toll.")
@click.option("--summary", help="The event's summary (default: its sub-type and place).")
@click.option("--document", help="The stored document it is told in: its id, path or key; with --quote.")
@click.option("--quote", help="The exact words of the document that tell it.")
@click.option("--citation", help="A free citation, for a source not stored.")
@author_option
@db_option
def add(
    date,
    type_,
    sub_type,
    places,
    actor1,
    actor2,
    associated,
    fatalities,
    summary,
    document,
    quote,
    citation,
    author,
    db_path,
):
    """Add an event the machine missed, with its source: a stored document and a quote found in
    it, or a free citation. It is a correction: `timeline undo ID` takes it back, a load keeps it."""
    from db.corrections import add as write

    if document is not None and quote is None:
        fail("add: --document needs --quote, the exact words that tell the event", USAGE)
    conn = open_db(db_path)
    changes = {
        "date": date,
        "type": type_,
        "sub_type": sub_type,
        "places": list(places),
        "actors": {"actor1": list(actor1), "actor2": list(actor2), "associated": list(associated)},
        "fatalities": fatalities,
        "summary": summary,
    }
    event_id = _correct(write, "add", conn, changes, document, quote, citation, author)
    _write_added(db_path, "the event")
    click.echo(event_id)
    click.echo(f"added {event_id} (timeline undo {event_id} takes it back)", err=True)


@main.command()
@click.argument("event_id")
@click.option(
    "--source",
    "sources",
    multiple=True,
    required=True,
    help="DOCUMENT_ID (its every quote) or DOCUMENT_ID:QUOTE_START, as a JSON export lists them (repeatable).",
)
@author_option
@db_option
def split(event_id, sources, author, db_path) -> None:
    """Make sources of an event an event of their own, with the machine's values for them; the
    event keeps the others. `timeline undo EVENT_ID` takes the split back."""
    from db.corrections import split as write

    conn = open_db(db_path)
    new = _correct(write, event_id, conn, event_id, list(sources), author)
    _write_added(db_path, "the split")
    click.echo(new)
    click.echo(f"split {new} from {event_id} (timeline undo {event_id} takes it back)", err=True)


def _write_added(db_path: str, kept: str) -> None:
    """Write the analyst's added and split-off events into the store, where every view reads them.
    The correction is saved already, in the user database: a store busy past the wait, full or
    read-only leaves the copy to the next opening of the store (pipeline.mend_added)."""
    from db.schema import BUSY_SECONDS, DatabaseError, database_error
    from pipeline import sync_added

    try:
        sync_added(location(db_path))
    except sqlite3.OperationalError as e:
        if database_error(db_path, e) is not None:
            raise
        click.echo(
            f"timeline: {shown(store_name(str(db_path)))}: busy: another command has been writing to it for over"
            f" {BUSY_SECONDS:g} s;"
            f" {kept} is saved, and shows once that command is done",
            err=True,
        )
    except DatabaseError as e:
        fail(f"{e} ({kept} is saved in the user database: the store is written when it is next opened)")


@main.command()
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@author_option
@db_option
def merge(keep, others, author, db_path) -> None:
    """Make events one: KEEP, with the sources of all; the others are hidden as merged into it.
    `timeline undo OTHER` takes one out again."""
    from db.corrections import merge as write

    conn = open_db(db_path)
    _correct(write, keep, conn, keep, list(others), author)
    click.echo(f"merged {', '.join(others)} into {keep} (timeline undo ID takes one out again)", err=True)


@main.command()
@click.argument("event_id")
@db_option
def history(event_id, db_path) -> None:
    """The corrections of an event, oldest first: number, time, author, what changed (the
    machine's value -> the analyst's), and whether it was undone. An orphan's (`review
    --orphans`) by the id it was made on."""
    from db.annotations import require_event
    from db.corrections import describe, history as corrections_of
    from tui.text import visible

    conn = open_db(db_path)
    found = corrections_of(conn, event_id)
    if not found:
        _correct(require_event, event_id, conn, event_id)  # an unknown id is a usage error; a known one has none
    lines = []
    for c in found:
        was = f" (made on {c.event_id})" if c.event_id != event_id and c.action not in ("merge", "split") else ""
        undone = " [undone]" if c.undone else ""
        lines.append(visible(f"#{c.id}\t{c.created}\t{c.author}\t{describe(c)}{undone}{was}") + "\n")
    write_stdout("".join(lines))


@main.command()
@click.option("--orphans", is_flag=True, help="The corrections whose event cannot be found any more.")
@click.option("--conflicts", is_flag=True, help="The corrected fields whose machine value changed since.")
@click.option(
    "--next",
    "next_",
    type=click.IntRange(min=1),
    is_flag=False,
    flag_value=10,
    help="The next N (10) unreviewed events, the least confident first, each with its commands.",
)
@db_option
def review(orphans, conflicts, next_, db_path) -> None:
    """How many events are reviewed; with --orphans or --conflicts, the corrections that need a
    look; with --next, the review queue."""
    from db import corrections
    from db.queries import events_by_ids
    from tui.text import visible

    conn = open_db(db_path)
    if next_:
        lines = []
        analysts = {a["id"] for a in corrections.added(conn)}  # theirs, not a guess: no confidence
        for row in corrections.queue(conn, next_):
            trust = "the analyst's event" if row.id in analysts else f"confidence {row.confidence:.2f}"
            lines.append(
                f"{row.id}\t{row.date or 'undated'}\t{row.sub_type}\t{trust}\t{row.summary}\n"
                f"  timeline confirm {row.id}  |  timeline reject {row.id}  |  timeline edit {row.id} --FIELD VALUE\n"
            )
        write_stdout(visible("".join(lines)))
        done, total = corrections.progress(conn)
        click.echo(f"{done:,} of {total:,} reviewed", err=True)
        return
    if orphans:
        from db.annotations import orphaned

        lines = [
            f"#{c.id}\t{c.created}\t{c.author}\t{c.event_id}\t{corrections.describe(c)}\n"
            for c in corrections.orphans(conn)
        ]
        lines += [
            f"annotations\t\t\t{i}\t{_annotation_words(star, tags, note)}\n" for i, star, tags, note in orphaned(conn)
        ]
        write_stdout(visible("".join(lines)))
        return
    if conflicts:
        lines = []
        for row in events_by_ids(conn, sorted(corrections.reviewed_ids(conn))):
            if row.review is None:
                continue
            for name in row.review.conflicts:
                (now,) = events_by_ids(conn, [row.id], layer=False)
                edit_ = row.review.edits[name]
                lines.append(
                    f"{row.id}\t{name}\tcorrected by {edit_.author} on {edit_.created[:10]} when the machine said"
                    f" {corrections.describe_value(edit_.machine, name)}; it now says"
                    f" {corrections.describe_value(corrections.machine_value(now, name), name)}\n"
                )
        write_stdout(visible("".join(lines)))
        return
    done, total = corrections.progress(conn)
    left = len(corrections.orphans(conn))
    click.echo(
        f"{done:,} of {total:,} reviewed" + (f"; {left} corrections of events not found (--orphans)" if left else "")
    )


def _annotation_words(starred: bool, tags: tuple[str, ...], note: str | None) -> str:
    """An event's stars, tags and note in words, for `review --orphans`."""
    said = (["starred"] if starred else []) + ([f"tags: {', '.join(tags)}"] if tags else [])
    return "; ".join(said + ([f"note: {note}"] if note else []))


@main.command()
@click.argument("document")
@db_option
def remove(document, db_path) -> None:
    """Remove an article (its file, its path as stored, or the document id a JSON export gives its source) or
    an imported row (its event id, acled:ID, or its document id, which is negative: `timeline remove -- -12`):
    its evidence goes, and the events it alone supported; other sources' events stay. Stars, notes
    and corrections of a removed event are kept: `timeline review --orphans`."""
    from db.annotations import orphaned
    from db.corrections import orphans
    from db.schema import DatabaseError
    from pipeline import remove as remove_document
    from tui.text import visible

    try:
        removed = remove_document(Path(document) if Path(document).exists() else document, location(db_path))
    except LookupError as e:
        fail(str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))
    conn = open_db(db_path)
    gone = set(removed.gone)
    kept = {c.event_id for c in orphans(conn) if c.event_id in gone} | {i for i, *_ in orphaned(conn) if i in gone}
    click.echo(
        visible(
            f"removed {removed.document}: {len(gone)} event(s) it alone supported gone, {len(removed.kept)} kept"
            " with their other sources"
            + "".join(f"; {old} is now {new}" for old, new in removed.kept.items() if new and new != old)
            + (f"; the stars, notes or corrections of {len(kept)} kept (timeline review --orphans)" if kept else "")
        ),
        err=True,
    )


@main.group()
def view() -> None:
    """Saved views: a filter kept by name, beside the stars and notes (a load never touches them)."""


@view.command(name="save")
@click.argument("name")
@filter_options
@author_option
@db_option
def view_save(name, author, db_path, **filters) -> None:
    """Save the filter the options give as NAME (replacing a view of that name); then
    `timeline list --view NAME`, or `v` in the app."""
    from db.queries import QueryError
    from db.schema import DatabaseError
    from db.views import in_words, save_view

    conn = open_db(db_path)
    f = build_filter(conn, **filters)
    try:
        old = save_view(conn, name, f, author)
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
@author_option
@db_option
def view_delete(name, author, db_path) -> None:
    """Delete the saved view NAME."""
    from db.queries import QueryError
    from db.schema import DatabaseError
    from db.views import delete_view

    conn = open_db(db_path)
    try:
        delete_view(conn, name, author)
    except QueryError as e:
        fail(str(e), USAGE)
    except DatabaseError as e:
        fail(str(e))
    click.echo(f"deleted view {shown(repr(name))}", err=True)


@main.command(name="activity")
@click.option("--author", help="Only this author's changes.")
@click.option("--since", help="From this date (UTC): YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, the newest.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@prints
def activity_(author, since, limit, fmt, db_path) -> None:
    """Who changed what, newest first: stars, tags, notes, corrections, views and store writes,
    a line each (time UTC, author, what, event or view, detail)."""
    from rich.cells import cell_len

    from db.activity import activity, since_bound

    try:
        bound = since_bound(since) if since is not None else None
    except ValueError as e:
        fail(f"--since: {e}", USAGE)
    entries = activity(open_db(db_path), author, bound, limit)
    if fmt == "json":
        click.echo(json.dumps([{**vars(e), "what": e.what} for e in entries], ensure_ascii=False, indent=1))
        return
    table = [(e.created, e.author, e.what, e.subject or "-", e.detail or "") for e in entries]
    widths = [max((cell_len(shown(r[i])) for r in table), default=0) for i in range(4)]
    for row in table:
        click.echo("  ".join([*(pad(shown(v), w) for v, w in zip(row, widths, strict=False)), shown(row[4])]).rstrip())


@main.command()
@db_option
@prints
def stats(db_path) -> None:
    """Counts of events, types, countries and divisions, the bar of time; then those of documents,
    quotes, sources, actors and places, each counted by a pass over a table, as each comes."""
    from db.queries import headline, month_counts, scanned_figures
    from db.review_queue import merged_rowids, rejected_rowids

    conn = open_db(db_path)
    s = headline(conn)
    click.echo(f"events      {s.events} ({s.undated_events} undated)\ndates       {s.first or '-'} to {s.last or '-'}")
    for heading, rows in (("types", s.types), ("countries", s.countries), ("divisions", s.divisions)):
        if rows:
            click.echo(heading)
        for name, n in rows:
            click.echo(f"  {n:6d}  {shown(name)}")
    unseen = rejected_rowids(conn) | merged_rowids(conn)  # the events the headline leaves out
    print_time_chart(month_counts(conn, hidden=unseen), shutil.get_terminal_size().columns)
    for name, n in scanned_figures(conn):
        click.echo(SCANNED_LINES[name].format(n))


SCANNED_LINES = {  # the lines of `stats` that wait for a pass over a table, by the figure's name
    "documents": "documents   {}",
    "quotes": "quotes      {}",
    "multi_source_events": "sources     {} events with several",
    "actors": "actors      {}",
    "places": "places      {}",
}


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
    """The console entry point (`Timeline.invoke` says a busy or broken database in one line)."""
    main()


if __name__ == "__main__":
    run()
