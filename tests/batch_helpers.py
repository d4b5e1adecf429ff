"""Helpers for the report batch tests: a tiny data folder, probe notebook variants, index links, processes."""

from __future__ import annotations

import csv
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

from cxlib.paths import PROJECT_ROOT, SAMPLE_DATA

PROBE = PROJECT_ROOT / "tests" / "data" / "notebooks" / "batch_probe.ipynb"


def tiny_data(folder: Path, teams: list[tuple[str, str]] | None = None) -> Path:
    """A small valid data folder: one customer per region, three responses, the given (team, region) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    teams = teams or [("Service Noord", "Noord"), ("Service Zuid", "Zuid")]
    regions = sorted({r for _, r in teams})
    (folder / "customers.csv").write_text(
        "customer_id,segment,region,signup_date,churn_date\n"
        + "".join(f"C{i:06d},consumer,{r},2020-01-01,\n" for i, r in enumerate(regions, start=1)),
        encoding="utf-8",
    )
    (folder / "responses.csv").write_text(
        "response_id,customer_id,submitted_at,touchpoint,channel,team,nps,csat,ces,comment,language\n"
        + "".join(f"R{i:07d},C000001,2026-07-0{i}T10:00:00+02:00,support,email,,{i},4,5,,nl\n" for i in (1, 2, 3)),
        encoding="utf-8",
    )
    with open(folder / "teams.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["team", "region", "function"])
        writer.writerows([t, r, "service"] for t, r in teams)
    shutil.copy(SAMPLE_DATA / "goals.yaml", folder / "goals.yaml")
    return folder


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs)["href"], []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def index_links(folder: Path) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    return parser.links


def probe_digest(page: Path) -> str:
    return re.search(r'data-digest="([0-9a-f]{64})"', page.read_text(encoding="utf-8")).group(1)


def variant(path: Path, *parameters: str) -> Path:
    """A copy of the probe notebook with parameter defaults changed (``'name: type = value'``)."""
    import nbformat

    from cxlib.report.kernel import load_template

    nb = load_template(PROBE)
    for parameter in parameters:
        name = parameter.split(":")[0]
        nb.cells[2].source = re.sub(
            rf"^{name}: .*?(  #)", lambda m, p=parameter: p + m.group(1), nb.cells[2].source, flags=re.MULTILINE
        )
        assert parameter in nb.cells[2].source
    nbformat.write(nb, path)
    return path


def cx_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cxlib.cli", "report", *args]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc: workers and their kernels)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
