"""`cx workshop build`: participant and solution notebooks from one source, so they never drift.

Source notebooks live in notebooks/workshop/source/. Cells tagged ``solution`` are removed from
the participant edition; cells tagged ``participant`` (the ``answer = ...`` placeholders) are
removed from the solution edition. Outputs, execution counts and metadata other than the cell
tags, kernelspec and language_info are cleared in both. nbconvert's TagRemovePreprocessor,
ClearOutputPreprocessor and ClearMetadataPreprocessor do the work; nbformat writes sorted JSON
and the source cells carry fixed ids, so a rebuild is byte-identical.

nbformat and nbconvert are imported when a build runs, not with the package: the workshop
notebooks import :mod:`cxlib.workshop` for its checks and should start quickly.
"""

from __future__ import annotations

from pathlib import Path

from cxlib import paths
from cxlib.atomic import write_atomic

__all__ = ["build", "build_edition", "EDITIONS", "SOURCE", "WORKSHOP"]

WORKSHOP = paths.NOTEBOOKS / "workshop"
SOURCE = WORKSHOP / "source"
EDITIONS = {"participant": "solution", "solution": "participant"}  # edition → tag of the cells it removes


def _exporter(remove_tag: str):
    from nbconvert.exporters import NotebookExporter
    from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor, TagRemovePreprocessor

    exporter = NotebookExporter()
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={remove_tag}, enabled=True), enabled=True)
    exporter.register_preprocessor(ClearOutputPreprocessor(enabled=True), enabled=True)
    exporter.register_preprocessor(
        ClearMetadataPreprocessor(
            enabled=True,
            preserve_cell_metadata_mask={"tags"},
            preserve_nb_metadata_mask={"kernelspec", "language_info"},
        ),
        enabled=True,
    )
    return exporter


def build_edition(source: Path, edition: str) -> str:
    """One edition ("participant" or "solution") of one source notebook, as the JSON text to write."""
    import nbformat

    if edition not in EDITIONS:
        raise ValueError(f"edition {edition!r} is not one of {', '.join(EDITIONS)}")
    notebook = nbformat.read(source, as_version=4)
    body, _ = _exporter(EDITIONS[edition]).from_notebook_node(notebook)
    return body


def build(out: Path | None = None, source: Path = SOURCE) -> list[Path]:
    """Write ``<out>/participant/*.ipynb`` and ``<out>/solution/*.ipynb`` from ``source``.

    ``out`` defaults to notebooks/workshop/. Returns the paths written (atomically), sorted.
    Raises FileNotFoundError when ``source`` holds no notebooks.
    """
    out = Path(out) if out is not None else WORKSHOP
    notebooks = sorted(Path(source).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{source}: no source notebooks (*.ipynb) to build the workshop from")
    written = []
    for notebook in notebooks:
        for edition in EDITIONS:
            written.append(write_atomic(out / edition / notebook.name, build_edition(notebook, edition)))
    return written
