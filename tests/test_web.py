"""Articles from the web: `timeline ingest URL` and `--feed URL`, served by a real HTTP server on
127.0.0.1 and read by the real command in its own process."""

import json
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers import CLI

PAGE = """<!doctype html><html><head>
<title>Car bomb kills five in Azaz | The Courier</title>
<meta property="og:title" content="Car bomb kills five in Azaz">
<meta property="og:site_name" content="The Courier">
<meta property="article:published_time" content="2020-01-02T09:00:00Z">
</head><body><nav>Home | World | Sport</nav><article><h1>Car bomb kills five in Azaz</h1>
<p>A car bomb killed five people at a market in Azaz on Monday, the local council said.</p>
<p>The explosion also wounded twelve people and damaged several shops near the market square.</p>
</article><footer>Contact us</footer></body></html>"""

ANOTHER = PAGE.replace("Azaz", "Afrin").replace("five", "three").replace("2020-01-02", "2020-01-09")
UNDATED = """<!doctype html><html><head><title>Shelling in Idlib</title></head><body><article>
<p>Government forces shelled the town of Saraqib in Idlib province, killing four civilians, a
monitoring group said. Rescue workers searched the rubble of two houses for survivors.</p>
</article></body></html>"""


def rss(*paths: str) -> str:
    items = "".join(
        f"<item><title>{p}</title><link>{{base}}{p}</link><pubDate>Tue, 14 Jan 2020 10:00:00 GMT</pubDate></item>"
        for p in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'


class Site:
    """Pages by path; `pages` may change between requests, as a feed does."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}
        self.requests: list[str] = []
        self.base = ""


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            if self.path not in served.pages:
                self.send_error(404, "Not Found")
                return
            media_type, body = served.pages[self.path]
            data = body.replace("{base}", served.base).encode()
            self.send_response(200)
            self.send_header("Content-Type", f"{media_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


def timeline(tmp_path, *args: str, store=None) -> subprocess.CompletedProcess:
    """The command on `store` (a file's path or a PostgreSQL URL), by default t.db in tmp_path."""
    db = str(store or tmp_path / "t.db")
    return subprocess.run([*CLI, *args, "--db", db], cwd=tmp_path, capture_output=True, text=True)


def test_a_page_by_its_url_is_stored_with_the_title_publisher_and_date_its_metadata_gives(tmp_path, site, empty_store):
    site.pages["/azaz.html"] = ("text/html", PAGE)
    result = timeline(tmp_path, "ingest", f"{site.base}/azaz.html", store=empty_store)
    assert result.returncode == 0, result.stderr
    listed = timeline(tmp_path, "export", "--format", "json", store=empty_store)
    (event,) = json.loads(listed.stdout)
    assert [p["name"] for p in event["places"]] == ["Azaz"] and event["fatalities"] == 5
    source = event["sources"][0]
    assert source["title"] == "Car bomb kills five in Azaz" and source["publisher"] == "The Courier"
    assert source["published"] == "2020-01-02" and source["path"] == f"{site.base}/azaz.html"


def test_a_page_that_cannot_be_had_is_one_line_naming_it_and_the_others_are_stored(tmp_path, site):
    site.pages["/azaz.html"] = ("text/html", PAGE)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{unused.getsockname()[1]}/x.html"
    result = timeline(tmp_path, "ingest", f"{site.base}/gone.html", closed, f"{site.base}/azaz.html")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {site.base}/gone.html: the server answered 404 Not Found",
        f"error: {closed}: could not be reached (Connection refused)",
    ]
    assert "1 added" in result.stderr and "Traceback" not in result.stderr


def test_a_feed_is_ingested_item_by_item_and_only_new_items_are_fetched_again(tmp_path, site, empty_store):
    site.pages |= {
        "/azaz.html": ("text/html", PAGE),
        "/idlib.html": ("text/html", UNDATED),
        "/feed.xml": ("application/rss+xml", rss("/azaz.html", "/idlib.html")),
    }
    first = timeline(tmp_path, "ingest", "--feed", f"{site.base}/feed.xml", store=empty_store)
    assert first.returncode == 0, first.stderr
    assert f"{site.base}/feed.xml: 2 new items, 0 read before" in first.stderr
    events = json.loads(timeline(tmp_path, "export", "--format", "json", store=empty_store).stdout)
    saraqib = next(e for e in events if "Saraqib" in [p["name"] for p in e["places"]])
    assert saraqib["sources"][0]["published"] == "2020-01-14"  # the page has no date: the feed's

    site.pages["/afrin.html"] = ("text/html", ANOTHER)
    site.pages["/feed.xml"] = ("application/rss+xml", rss("/azaz.html", "/idlib.html", "/afrin.html"))
    site.requests.clear()
    again = timeline(tmp_path, "ingest", "--feed", f"{site.base}/feed.xml", store=empty_store)
    assert f"{site.base}/feed.xml: 1 new item, 2 read before" in again.stderr
    assert site.requests == ["/feed.xml", "/afrin.html"]


def test_an_atom_feed_gives_its_entries_and_a_page_that_is_no_feed_is_one_line(tmp_path, site):
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
        '<entry><title>Azaz</title><link href="{base}/azaz.html"/><updated>2020-01-02T09:00:00Z</updated></entry>'
        "</feed>"
    )
    site.pages |= {"/azaz.html": ("text/html", PAGE), "/atom.xml": ("application/atom+xml", atom)}
    assert "1 new item, 0 read before" in timeline(tmp_path, "ingest", "--feed", f"{site.base}/atom.xml").stderr
    refused = timeline(tmp_path, "ingest", "--feed", f"{site.base}/azaz.html")
    assert refused.returncode == 1 and refused.stderr.startswith(f"timeline: {site.base}/azaz.html: not a")
    assert len(refused.stderr.splitlines()) == 1
