"""Articles from the web: a page by its URL, and the items of an RSS or Atom feed.

A page is read as an HTML file is (its text, and the title, publisher and date its metadata
gives); a plain-text or Markdown page as a text file. A feed gives the links of its items, with
the date and title each item carries for a page that lacks them. Every failure is a `FetchError`
whose message names the reason in a few words, for the caller to put beside the URL.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from ingest.model import Article
from ingest.read import MAX_BYTES, ArticleError, parse_article

TIMEOUT_SECONDS = 20  # a server that has sent nothing for this long is not going to
USER_AGENT = "timeline (news to a timeline of events; one request a page)"


class FetchError(Exception):
    """A page or feed that could not be had: the message is the reason."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(url: str, limit: int = MAX_BYTES) -> tuple[bytes, str, str]:
    """The body, its media type and the URL it came from after redirects; at most `limit` bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
            media_type = response.headers.get_content_type()
            final_url = response.geturl()
    except urllib.error.HTTPError as e:
        raise FetchError(f"the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise FetchError(f"could not be reached ({getattr(e.reason, 'strerror', None) or e.reason})") from None
    except (TimeoutError, OSError) as e:
        raise FetchError(f"could not be read ({e.strerror or str(e) or 'timed out'})") from None
    except ValueError as e:  # a malformed URL
        raise FetchError(str(e)) from None
    if len(body) > limit:
        raise FetchError(f"over {limit / 1e6:.0f} MB: not an article")
    return body, media_type, final_url


def read_page(url: str, overrides: dict | None = None) -> Article:
    """The article at `url`, as `ingest.read.parse_article` makes it from a file."""
    body, media_type, final_url = fetch(url)
    html = media_type in ("text/html", "application/xhtml+xml")
    if not html and not media_type.startswith("text/"):
        raise ArticleError(f"{media_type} is not an article (HTML or text)")
    article = parse_article(body, url, html=html, overrides=overrides)
    article.url = article.url or final_url
    return article


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str | None
    published: str | None  # YYYY-MM-DD, for a page whose own metadata gives no date


_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"


def feed_items(url: str) -> list[FeedItem]:
    """The items of the RSS (0.9x, 1.0, 2.0) or Atom feed at `url`, in the feed's order."""
    body, _, _ = fetch(url)
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as e:
        raise FetchError(f"not a feed (XML error: {e})") from None
    if root.tag == f"{_ATOM}feed":
        return [_atom_item(entry) for entry in root.iter(f"{_ATOM}entry") if _atom_link(entry)]
    items = [*root.iter("item"), *root.iter(f"{_RSS1}item")]
    if not items and root.tag not in ("rss", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
        raise FetchError(f"not an RSS or Atom feed (its root is <{root.tag}>)")
    found = []
    for item in items:
        link = _text(item, "link") or _text(item, f"{_RSS1}link") or _text(item, "guid")
        if link and is_url(link):
            when = _text(item, "pubDate") or _text(item, _DC_DATE)
            found.append(FeedItem(link, _text(item, "title") or _text(item, f"{_RSS1}title"), _day(when)))
    return found


def _atom_link(entry: ElementTree.Element) -> str | None:
    links = entry.findall(f"{_ATOM}link")
    chosen = next((e for e in links if e.get("rel", "alternate") == "alternate"), None)
    return chosen.get("href") if chosen is not None else None


def _atom_item(entry: ElementTree.Element) -> FeedItem:
    when = _text(entry, f"{_ATOM}published") or _text(entry, f"{_ATOM}updated")
    return FeedItem(_atom_link(entry) or "", _text(entry, f"{_ATOM}title"), _day(when))


def _text(element: ElementTree.Element, tag: str) -> str | None:
    found = element.find(tag)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _day(when: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) -> YYYY-MM-DD; None when unreadable."""
    if not when:
        return None
    if when[:4].isdigit() and when[4:5] == "-":
        return when[:10]
    try:
        return parsedate_to_datetime(when).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
