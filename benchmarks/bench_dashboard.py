"""Dashboard speed in a real browser: first view and filter change, against the targets of issue 16.

Starts `cx dashboard` on a copy of the sample company (a free loopback port), waits until every
view of the load is precomputed, then drives the system Chromium with Playwright:

- first view: open the dashboard in a new tab (logged in) until the KPI tiles are on screen;
  "cold" = a new browser context without cache, "warm" = a tab in a context that loaded it before;
- filter change: pick another scope in the drill-down (company → region → team) until the NPS
  tile shows the new scope's n (timed inside the browser, polling every animation frame).

Prints the medians and maxima against the targets (first view 2 s, filter change 0.5 s), and the
ratio to a baseline: the first view of a bare Panel page (one HTML tile, no login, no data) served
and measured the same way on the same machine, i.e. what Bokeh and Panel cost by themselves.
Usage: python benchmarks/bench_dashboard.py [--rounds 5] [--screenshot docs/img/dashboard.png]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

from cxlib import paths
from cxlib.dashboard.server import free_port
from cxlib.dashboard.users import hash_password

ROOT = paths.PROJECT_ROOT

CHROMIUM = os.environ.get("CX_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# the NPS tile's n, found through Panel's shadow roots
TILE_N = """() => { const find = (root) => { const hit = root.querySelector('.cx-tile[data-kpi="nps"] .cx-n');
  if (hit) return hit; for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) {
  const h = find(el.shadowRoot); if (h) return h; } } return null; }; const el = find(document);
  return el ? el.textContent : null; }"""
CHANGED = "(old) => { const now = (" + TILE_N + ")(); return now !== null && now !== old; }"


BASELINE = """
import sys, panel as pn
tile = '<div class="cx-tile" data-kpi="nps"><div class="cx-n">n = 1</div></div>'
pn.serve({"/": lambda: pn.pane.HTML(tile)}, port=int(sys.argv[1]), address="127.0.0.1", show=False,
         websocket_origin=[f"127.0.0.1:{sys.argv[1]}"])
"""


def first_views(browser, url: str, rounds: int, cookies=()) -> list[float]:
    """Seconds from opening ``url`` in a new browser context (no cache) until the NPS tile shows."""
    out = []
    for _ in range(rounds):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if cookies:
            context.add_cookies(cookies)
        tab = context.new_page()
        t0 = time.perf_counter()
        tab.goto(url)
        tab.wait_for_function(TILE_N, timeout=60_000, polling="raf")
        out.append(time.perf_counter() - t0)
        context.close()
    return out


def start(folder: Path, port: int) -> tuple[subprocess.Popen, threading.Event]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxlib.cli", "dashboard", "--data", str(folder), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    warm = threading.Event()

    def read():
        for line in proc.stdout:
            if "every view of version 1 computed" in line:
                warm.set()

    threading.Thread(target=read, daemon=True).start()
    return proc, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, default=None, help="save a screenshot of the leader's view")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cx-bench-dashboard-"))
    folder = tmp / "data"
    shutil.copytree(paths.SAMPLE_DATA, folder)
    (folder / "dashboard.yaml").write_text(
        yaml.safe_dump({"users": {"bench": {"role": "leader", "lang": "nl", "password": hash_password("bench-pw")}}}),
        encoding="utf-8",
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc, warm = start(folder, port)
    try:
        if not warm.wait(900):
            print("the dashboard did not finish precomputing within 15 minutes")
            return 1
        print(f"server up and every view precomputed after {time.perf_counter() - started:.1f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url)
            page.fill("#username", "bench")
            page.fill("#password", "bench-pw")
            page.click("button[type=submit]")
            page.wait_for_function(TILE_N, timeout=60_000)
            cookies = context.cookies()
            cold = first_views(browser, url, args.rounds, cookies)
            warm_views = []
            for _ in range(args.rounds):
                tab = context.new_page()
                t0 = time.perf_counter()
                tab.goto(url)
                tab.wait_for_function(TILE_N, timeout=60_000, polling="raf")
                warm_views.append(time.perf_counter() - t0)
                tab.close()
            select = page.locator("select").first
            labels = select.locator("option").all_inner_texts()
            changes = []
            for target in (labels[1:3] + labels[:1]) * args.rounds:  # a region, a team, back to the company
                old = page.evaluate(TILE_N)
                t0 = time.perf_counter()
                select.select_option(label=target)
                page.wait_for_function(CHANGED, arg=old, timeout=30_000, polling="raf")
                changes.append(time.perf_counter() - t0)
            if args.screenshot:
                select.select_option(label=labels[0])
                page.wait_for_timeout(1500)
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.screenshot), full_page=True)
                print(f"screenshot: {args.screenshot}")
            base_port = free_port()
            base = subprocess.Popen(
                [sys.executable, "-c", BASELINE, str(base_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                for _ in range(120):  # until it accepts connections
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{base_port}/", timeout=5)
                        break
                    except OSError:
                        time.sleep(0.5)
                baseline = first_views(browser, f"http://127.0.0.1:{base_port}/", args.rounds)
            finally:
                base.terminate()
                base.wait(timeout=20)
            browser.close()
        report("baseline: a bare Panel page, new browser", baseline, 2.0)
        report("first view, new browser (no cache)", cold, 2.0)
        report("first view, returning tab (cached scripts)", warm_views, 2.0)
        report("filter change (scope)", changes, 0.5)
        print(f"first view / baseline (medians): {statistics.median(cold) / statistics.median(baseline):.2f}")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def report(what: str, seconds: list[float], target: float) -> None:
    median = statistics.median(seconds)
    print(
        f"{what:<45} median {median:6.3f} s  max {max(seconds):6.3f} s  (n = {len(seconds)}; "
        f"target {target} s: median/target = {median / target:.2f})"
    )


if __name__ == "__main__":
    sys.exit(main())
