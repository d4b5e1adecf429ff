"""Values a notebook records for the batch (index status lines) and for tests.

Like scrapbook's ``glue``: the notebook displays a value under a private MIME type; the executed
notebook keeps it in its outputs; HTML export ignores it; :func:`read_records` reads it back.
"""

from __future__ import annotations

import nbformat

__all__ = ["MIME", "record", "read_records"]

MIME = "application/vnd.cxlib.record+json"


def record(name: str, value) -> None:
    """Record a JSON-serialisable ``value`` under ``name`` in the running notebook."""
    from IPython.display import display

    display({MIME: {"name": name, "value": value}}, raw=True)


def read_records(notebook: nbformat.NotebookNode) -> dict:
    """All values recorded in an executed notebook, by name (later records win)."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(MIME)
            if payload is not None:
                found[payload["name"]] = payload["value"]
    return found
