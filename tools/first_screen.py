"""The first screen (1280×1000) of the 2026-Q1 whole-company review, for the README.

Renders the page with `cx report --period 2026-Q1` (Dutch, whole company) into a temporary folder
and photographs it in the system Chromium through Playwright (no browser download):

    python tools/first_screen.py [docs/img/review-2026-Q1-first-screen.png]

``make screenshot`` runs it. CX_CHROMIUM names the browser (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from cxlib import paths
from cxlib.cli import main as cx

VIEWPORT = {"width": 1280, "height": 1000}
OUT = paths.DOCS / "img" / "review-2026-Q1-first-screen.png"


def first_screen(png: Path = OUT, period: str = "2026-Q1", lang: str = "nl") -> Path:
    """Render the whole company's review of ``period`` and save its first screen as ``png``."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cx-shot-") as tmp:
        if cx(["report", "--period", period, "--lang", lang, "--out", tmp, "--workers", "1"]) != 0:
            raise SystemExit(f"cx report --period {period} failed; see {tmp}/{period}/batch.log")
        page_file = Path(tmp) / period / "whole-company.html"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("CX_CHROMIUM", "/usr/bin/chromium"),
                args=["--headless=new", "--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png))
            browser.close()
    return png


if __name__ == "__main__":
    print(first_screen(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
