"""Shared fixtures: the sample company loaded once per session, and a real headless Chromium."""
from __future__ import annotations

import os
import shutil

import pytest

from cxlib import paths

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def sample():
    """The sample company as CXData (loaded and validated once per test session)."""
    import cxlib

    return cxlib.load(paths.SAMPLE_DATA)


def _chromium() -> str:
    candidate = os.environ.get("CX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(candidate):
        pytest.fail("The browser tests need Debian's Chromium: run `make browser` (apt-get install chromium) "
                    "or set CX_CHROMIUM=/path/to/chromium", pytrace=False)
    return candidate


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and every network request."""
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()
