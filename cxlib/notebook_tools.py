"""Maintain the committed notebooks: execute them and keep only the outputs nbval checks.

Convention (docs/architecture.md): notebooks are committed with outputs only in cells marked
``# NBVAL_CHECK_OUTPUT`` (deterministic results nbval compares); every other output is cleared,
so diffs stay small and no customer text is committed. ``python -m cxlib.notebook_tools PATH…``
(or ``make notebooks``) refreshes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from cxlib import paths

__all__ = ["CHECK_MARK", "KERNELSPEC", "refresh", "main"]

CHECK_MARK = "NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"name": "cxlib", "display_name": "Python (cxlib)", "language": "python"}


def refresh(path: Path, timeout: int = 600) -> Path:
    """Execute ``path`` in its own folder and write it back with only the checked outputs kept."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    NotebookClient(
        notebook, timeout=timeout, kernel_name="cxlib", resources={"metadata": {"path": str(Path(path).parent)}}
    ).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECK_MARK not in cell.source:  # nbval needs the count on checked cells only
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Refresh the notebooks named on the command line (default: notebooks/*.ipynb)."""
    targets = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    for path in targets or sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        print(f"refreshing {path}")
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
