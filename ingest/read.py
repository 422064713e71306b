"""Reading article files: text or Markdown with YAML front-matter, or HTML.

Whatever a file holds, reading it ends in an Article or an ArticleError of one line: only a
regular file is read, and at most MAX_BYTES of it (a FIFO or a device is refused before a byte is
read, so nothing waits on a writer that never comes); a stray NUL is text; the front-matter's
dates may be YAML timestamps; a date no news article could bear is refused.
"""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import yaml

from ingest.dates import parse_published
from ingest.header import read_header
from ingest.language import language_of, language_warning
from ingest.model import Article
from ingest.text import is_latin_line

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 5_000_000  # a news article is kilobytes; a bigger file is a dump or a mistake
EARLIEST_YEAR = 1600  # no newspaper is older: an earlier publication date is a slip of the keyboard
NUL_SHARE = 256  # a NUL in fewer bytes than this of a file's start: binary (or UTF-16); one in more is a stray


class ArticleError(ValueError):
    """An article that cannot be read; the message names the problem, the caller the file."""


def read_article(path: Path, overrides: dict | None = None) -> Article:
    return parse_article(read_bytes(path), str(path), path.suffix.lower() in (".html", ".htm"), overrides)


def parse_article(raw: bytes, origin: str, html: bool, overrides: dict | None = None) -> Article:
    """An article from the bytes of a file or a web page; `origin` is its path or URL."""
    start = raw[:4096]
    if start.count(b"\x00") * NUL_SHARE > len(start):
        raise ArticleError("binary file, not an article")
    text, encoding = _decode(raw)
    nuls = text.count("\x00")
    if nuls:  # SQLite's functions and the search index stop at a NUL: one character for one keeps every offset
        text = text.replace("\x00", "\ufffd")
    if html:
        article = _from_html(text, origin)
    else:
        meta, body = split_front_matter(text)
        article = _from_meta(meta, body, origin)
    for key, value in (overrides or {}).items():
        if value is not None:
            setattr(article, key, parse_published(value) if key == "published" else value)
            if key == "published":
                article.published_source = "command line"
    if article.published is None:
        article.published = read_header(article.text, article.title).published
        article.published_source = "dateline" if article.published else None
    if not article.text.strip():
        raise ArticleError("empty article: no text below the front-matter")
    if article.published and article.published.start > date.today():
        raise ArticleError(f"published {article.published.display()} is in the future")
    if article.published and article.published.start.year < EARLIEST_YEAR:
        raise ArticleError(
            f"published {article.published.display()} is before {EARLIEST_YEAR}: not a news article's date"
        )
    if encoding != "utf-8":
        article.warnings.append(f"not UTF-8: read as {encoding}")
    if nuls:
        article.warnings.append(f"{nuls} NUL byte{'s' if nuls > 1 else ''} read as \ufffd")
    if not any(is_latin_line(line) for line in article.text.splitlines()):
        script = language_of(article.text) or "another script"
        article.warnings.append(f"written in {script}, not in Latin script: stored, but nothing is extracted from it")
    elif warning := language_warning(article.text):
        article.warnings.append(warning)
    return article


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, MAX_BYTES at most. Opened without waiting (a FIFO would block
    until a writer came) and checked on what was opened, not on the name (which may change)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError:
        if os.path.islink(path) and not os.path.exists(path):
            raise ArticleError("a link to nothing (its target is gone)") from None
        raise
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ArticleError(f"not a regular file ({_kind(mode)}): not read")
        raw = f.read(MAX_BYTES + 1)  # the size a file says is not trusted: it may grow while read
    if len(raw) > MAX_BYTES:
        size = max(os.stat(path).st_size, len(raw))
        raise ArticleError(f"{size / 1e6:.0f} MB is too big for one article (limit {MAX_BYTES / 1e6:.0f} MB): split it")
    return raw


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8, or else Windows-1252 (a superset of Latin-1 for text), which never fails."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def split_front_matter(text: str) -> tuple[dict, str]:
    """The YAML block between leading '---' lines, and the text after it, byte for byte."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return {}, text
    first = text.index("\n") + 1
    end = text.find("\n---", first - 1)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", "\r", ""):
        end = text.find("\n---", end + 1)
    if end == -1:
        raise ArticleError("front-matter opened with '---' is never closed")
    try:
        meta = yaml.load(text[first : end + 1], Loader=_FrontMatterLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = " ".join(str(getattr(e, "problem", None) or e).split())
        raise ArticleError(f"broken YAML front-matter{where}: {problem[:200]}") from None
    except RecursionError:
        raise ArticleError("broken YAML front-matter: nested too deeply") from None
    except (ValueError, OverflowError) as e:  # a timestamp YAML reads but no calendar holds: 2019-02-30
        raise ArticleError(f"broken YAML front-matter: {' '.join(str(e).split())[:200]}") from None
    if not isinstance(meta, dict):
        raise ArticleError("front-matter is not a mapping of fields")
    body_start = text.find("\n", end + 1)
    return meta, text[body_start + 1 :] if body_start != -1 else ""


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases: front-matter needs none, and an alias can expand without bound
    (a "billion laughs" block of a few hundred bytes takes gigabytes)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed in front-matter", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


def _from_meta(meta: dict, body: str, origin: str) -> Article:
    given = meta.get("published") or meta.get("date")
    if isinstance(given, datetime):  # YAML reads "2019-02-03 10:00:00" as a timestamp: its day
        given = given.date()
    try:
        published = parse_published(given)
    except ValueError as e:
        raise ArticleError(f"published: {e}") from None
    precision = meta.get("precision")
    if published and precision in ("month", "year") and published.precision == "day":
        published = parse_published(published.start.isoformat()[: 7 if precision == "month" else 4])
    return Article(
        path=origin,
        text=body,
        title=_str(meta.get("title")),
        publisher=_str(meta.get("publisher")),
        author=_str(meta.get("author")),
        url=_str(meta.get("url")),
        published=published,
        note=_str(meta.get("note")),
        published_source="front-matter" if published else None,
    )


def _str(value) -> str | None:
    return None if value is None else str(value)


def _from_html(html: str, origin: str) -> Article:
    import trafilatura  # heavy: only for HTML

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or len(text.split()) < 10:  # a menu or a cookie notice is not an article
        raise ArticleError("HTML page with no article text")
    meta = trafilatura.extract_metadata(html)  # never None in trafilatura 2.x: a Document, its fields None if unknown
    published = None
    if meta.date:
        try:
            published = parse_published(meta.date)
        except ValueError:
            published = None
    return Article(
        path=origin,
        text=text + "\n",
        title=meta.title,
        publisher=meta.sitename,
        author=meta.author,
        url=meta.url,
        published=published,
        published_source="page metadata" if published else None,
    )
