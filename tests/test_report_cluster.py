"""The quarterly review on a real Dask cluster, and the same page however it is rendered.

A `dask scheduler` and two `dask worker` processes are started on loopback (free ports, a
scheduler file), the sample's regions are rendered on them with `cx report --cluster`, and the
pages are compared with a local batch on warm kernels and with a plain papermill run of one unit:
apart from the run timestamp in the footer they are the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import tiny_data, variant

from cxlib.paths import NOTEBOOKS, PROJECT_ROOT, SAMPLE_DATA
from cxlib.report import run_batch

pytestmark = pytest.mark.slow

PERIOD = "2026-Q3"
BIN = Path(sys.executable).parent
REGIONS = ["whole-company.html", "noord.html", "oost.html", "west.html", "zuid.html"]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers on 127.0.0.1, stopped after the module."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TMPDIR": str(folder)}
    logs = [open(folder / f"{name}.log", "w") for name in ("scheduler", "worker-1", "worker-2")]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [
                BIN / "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                address_file,
            ],
            env=env,
            cwd=folder,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 120
        while not address_file.exists() and time.monotonic() < deadline:
            assert procs[0].poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        for i in (1, 2):
            procs.append(
                subprocess.Popen(
                    [
                        BIN / "dask",
                        "worker",
                        "--scheduler-file",
                        address_file,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--name",
                        f"cx-worker-{i}",
                        "--local-directory",
                        folder,
                    ],
                    env=env,
                    cwd=folder,
                    stdout=logs[i],
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        address = json.loads(address_file.read_text())["address"]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs, folder
    finally:
        _stop(procs)
        for log in logs:
            log.close()


def _timeless(html: str) -> str:
    """The page without its run timestamp ('gemaakt op <date time>' in the provenance footer)."""
    return re.sub(r"(gemaakt op|run at) [^<]*", r"\1 …", html)


@pytest.fixture(scope="module")
def on_cluster(cluster, tmp_path_factory):
    address, _, _ = cluster
    out = tmp_path_factory.mktemp("cluster") / "reports"
    status = run_batch(PERIOD, by="region", data=SAMPLE_DATA, out=out, cluster=address, progress=False)
    return status, out / PERIOD


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "reports"
    status = run_batch(PERIOD, by="region", data=SAMPLE_DATA, out=out, workers=2, progress=False)
    return status, out / PERIOD


def test_cluster_renders_every_unit_and_the_index(on_cluster, cluster):
    status, folder = on_cluster
    _, procs, dask_tmp = cluster
    assert status == 0
    assert sorted(p.name for p in folder.glob("*.html")) == sorted([*REGIONS, "index.html"])
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert index.count('class="ok"') == 2 * len(REGIONS)
    assert index.count('data-kpi="nps"') == len(REGIONS)  # every unit recorded its KPI entries for the index
    state = folder.parent / ".cx-batch" / PERIOD
    assert len(json.loads((state / "profile.json").read_text())["units"]) == len(REGIONS)
    # the batch's plugin is gone: no kernel and no copy of the data stay behind on the workers
    deadline = time.monotonic() + 30
    base = dask_tmp / f"cx-report-{os.getuid()}"
    while list(base.glob("run-*")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not list(base.glob("run-*"))
    assert all(p.poll() is None for p in procs)  # the cluster itself keeps running


def test_cluster_failure_is_one_units_failure(cluster, tmp_path):
    """A unit that fails on the cluster fails alone; the index names it; the exit status is 1."""
    address, _, _ = cluster
    data = tiny_data(tmp_path / "data")
    failing = variant(tmp_path / "failing.ipynb", 'fail_unit: str = "Zuid"')
    status = run_batch(
        PERIOD, by="region", data=data, out=tmp_path / "r", cluster=address, notebook=failing, progress=False
    )
    assert status == 1
    index = (tmp_path / "r" / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "mislukt: RuntimeError: injected failure for Zuid" in index
    assert (tmp_path / "r" / ".cx-batch" / PERIOD / "failed" / "zuid.ipynb").exists()


def test_the_same_page_from_warm_kernels_the_cluster_and_plain_papermill(on_cluster, local, tmp_path):
    import nbformat
    import papermill as pm

    from cxlib.report.export import to_html

    (_, cluster_folder), (status, local_folder) = on_cluster, local
    assert status == 0
    for name in REGIONS:
        warm = (local_folder / name).read_text(encoding="utf-8")
        assert _timeless(warm) != warm  # the timestamp is there, and only it is masked
        assert warm.count("<img") >= 3, name  # the charts are drawn on a warm kernel
        assert _timeless((cluster_folder / name).read_text(encoding="utf-8")) == _timeless(warm), name
    # one unit the plain way: papermill with its own fresh kernel, loading the CSV files itself
    executed = tmp_path / "noord.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / "quarterly_review.ipynb"),
        str(executed),
        kernel_name="cxlib",
        parameters={"period": PERIOD, "unit_by": "region", "unit": "Noord", "lang": "nl", "data": str(SAMPLE_DATA)},
        progress_bar=False,
        cwd=str(NOTEBOOKS),
    )
    plain = to_html(nbformat.read(executed, as_version=4), title="Noord")
    assert _timeless(plain) == _timeless((local_folder / "noord.html").read_text(encoding="utf-8"))
