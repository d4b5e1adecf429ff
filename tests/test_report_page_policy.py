"""A report page reads nothing from disk and loads nothing, even when text slipped past escaping.

The exporter does not read files named by Markdown images into the page (nbconvert's
``embed_images`` would embed any file below the working folder, such as the data itself), and
every page and the index carry a Content-Security-Policy that forbids scripts and requests;
the browser test checks in the system Chromium that a planted image, stylesheet, script and
frame pointing at a loopback server reach it zero times.
"""

from __future__ import annotations

import base64
import html.parser
import http.server
import threading
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cxlib.report.csp import CONTENT_SECURITY_POLICY
from cxlib.report.export import to_html
from cxlib.report.index import write_index


def _page(outputs: list[dict]) -> str:
    cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data=d) for d in outputs])
    return to_html(nbformat.v4.new_notebook(cells=[cell]), title="policy")


def test_markdown_images_are_not_read_from_disk_into_the_page(tmp_path, monkeypatch):
    secret = b"customer_id,email\nC1,jan@example.nl\n"
    (tmp_path / "customers.csv").write_bytes(secret)
    monkeypatch.chdir(tmp_path)  # nbconvert resolves Markdown images against the working folder
    html = _page([{"text/markdown": "![chart](customers.csv)"}])
    assert base64.b64encode(secret).decode() not in html and "jan@example.nl" not in html
    assert 'src="customers.csv"' in html  # left as a link, which the policy then blocks


class _Head(html.parser.HTMLParser):
    """The tags of a page's head, in order, with their attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text.split("</head>")[0])

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _policy_first(text: str) -> bool:
    """The policy is in the head, before any style, script or link it governs."""
    tags = _Head(text).tags
    policy = [i for i, (t, a) in enumerate(tags) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    governed = [i for i, (t, _) in enumerate(tags) if t in ("style", "script", "link", "img")]
    assert [tags[i][1]["content"] for i in policy] == [CONTENT_SECURITY_POLICY]
    return policy[0] < min(governed, default=len(tags))


def test_every_page_and_the_index_carry_the_policy(tmp_path):
    assert _policy_first(_page([{"text/plain": "x"}]))
    index = write_index(tmp_path / "index.html", [], {}, period="2026-Q3", by="region", lang="nl")
    assert _policy_first(index.read_text(encoding="utf-8"))


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_chromium_fetches_and_runs_nothing_a_page_smuggles_in(page, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    _Counter.hits.clear()
    try:
        html = _page(
            [
                {
                    "text/html": f'<img src="{base}/img.png"><link rel="stylesheet" href="{base}/s.css">'
                    f'<script src="{base}/s.js"></script><script>window.cxRan = 1; fetch("{base}/fetch")</script>'
                    f'<iframe src="{base}/frame"></iframe><p style="background:url({base}/bg.png)">planted</p>'
                },
                {"text/markdown": f"![x]({base}/md.png)"},
            ]
        )
        path = Path(tmp_path / "page.html")
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_timeout(500)
        assert page.locator("text=planted").count() == 1  # the page itself rendered
        assert page.evaluate("window.cxRan") is None  # no script ran
        assert _Counter.hits == []  # nothing reached the server …
        urllib.request.urlopen(f"{base}/direct", timeout=5).close()
        assert _Counter.hits == ["/direct"]  # … which was there to be reached
    finally:
        server.shutdown()
        server.server_close()
