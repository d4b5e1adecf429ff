"""Executed notebook → self-contained HTML without code (nbconvert, the ``cx_report`` template).

The page loads nothing: images in Markdown are not read from disk into it (``embed_images`` off;
the report's charts are outputs and always inline) and its Content-Security-Policy
(:mod:`cxlib.report.csp`) forbids every request and script. What the batch keeps for itself
never reaches a reader: recorded values (``cxlib.report.record``)
and everything a cell wrote to stderr (warnings, log records) are left out of the page; the
batch writes the stderr text to its log instead (:func:`stderr_text`).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from cxlib.atomic import write_atomic
from cxlib.plots.theme import css_variables
from cxlib.report.csp import csp_meta
from cxlib.report.record import MIME

__all__ = ["TEMPLATES", "HIDDEN_TAG", "to_html", "export_html", "stderr_text"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
HIDDEN_TAG = "report-hide"  # notebook cells for the analyst only (developer notes), left out of the HTML


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One configured exporter per process: no input cells, no prompts, no files read for Markdown images."""
    exporter = HTMLExporter(
        template_name="cx_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=False,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={HIDDEN_TAG}, enabled=True), enabled=True)
    return exporter


def to_html(notebook: nbformat.NotebookNode, title: str | None = None) -> str:
    """The notebook as one HTML page (nothing in it is fetched from the internet)."""
    notebook = copy.deepcopy(notebook)
    if title is not None:
        notebook.metadata["title"] = title
    for cell in notebook.cells:  # recorded values and stderr are for the batch, not for readers
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id: the page would differ per run
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if MIME not in o.get("data", {}) and not _is_stderr(o)]
    body, _ = _exporter().from_notebook_node(notebook, resources={"cx_colours": css_variables(), "cx_csp": csp_meta()})
    return body


def _is_stderr(output) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def stderr_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook's cells wrote to stderr, in cell order."""
    return "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []) if _is_stderr(o))


def export_html(notebook: nbformat.NotebookNode, path: Path, title: str | None = None) -> Path:
    """Write the notebook's HTML to ``path`` atomically."""
    return write_atomic(path, to_html(notebook, title=title))
