"""Shared fixtures: the sample company loaded once per session, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

from cxlib import paths

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def sample():
    """The sample company as CXData (loaded and validated once per test session)."""
    import cxlib

    return cxlib.load(paths.SAMPLE_DATA)


def _chromium() -> str:
    candidate = os.environ.get("CX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(candidate):
        pytest.fail(
            "The browser tests need Debian's Chromium: run `make browser` (apt-get install chromium) "
            "or set CX_CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
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


REPORT_PAYLOAD = (
    '<script>document.title="pwned";window.cxPwned=1</script>'
    '<img src=x onerror="window.cxPwned=1"> plus a real complaint: lang wachten'
)
"""Put in every 2026-Q3 comment of region Zuid in :func:`q3_batch`: whichever verbatims a page draws, a
live script would show."""


@pytest.fixture(scope="session")
def q3_batch(tmp_path_factory):
    """``cx report --period 2026-Q3 --by region`` (nl) over a copy of the sample whose Zuid comments
    in the quarter all carry a script (REPORT_PAYLOAD); rendered once, shared by the report tests,
    the browser tests and the regression test. Returns (exit status, folder of the pages)."""
    import pandas as pd

    from cxlib.report import run_batch

    root = tmp_path_factory.mktemp("q3-batch")
    data = root / "data"
    shutil.copytree(paths.SAMPLE_DATA, data)
    responses = pd.read_csv(data / "responses.csv", dtype=str, keep_default_na=False)
    customers = pd.read_csv(data / "customers.csv", dtype=str, keep_default_na=False)
    zuid = responses["customer_id"].isin(customers.loc[customers["region"] == "Zuid", "customer_id"])
    in_quarter = responses["submitted_at"].between("2026-07-01", "2026-10-01")
    responses.loc[zuid & in_quarter & (responses["comment"] != ""), "comment"] = REPORT_PAYLOAD
    responses.to_csv(data / "responses.csv", index=False)
    out = root / "reports"
    status = run_batch("2026-Q3", by="region", lang="nl", data=data, out=out, workers=2)
    return status, out / "2026-Q3"


# ---- no network: theme tests run with every non-loopback connection refused ---------------------
def _loopback(family, address) -> bool:
    import ipaddress
    import socket

    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost
        return False


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Refuse every socket connection that does not go to loopback (raises OSError), and point the
    model caches at an empty folder with the hubs set offline: anything that would download fails."""
    import socket

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(sock, address):
        if not _loopback(sock.family, address):
            raise OSError(f"network access blocked in tests: connect to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", lambda s, a: (guard(s, a), real_connect(s, a))[1])
    monkeypatch.setattr(socket.socket, "connect_ex", lambda s, a: (guard(s, a), real_connect_ex(s, a))[1])
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    monkeypatch.setenv("FTLANG_CACHE", str(tmp_path / "no-model-cache"))
    yield
