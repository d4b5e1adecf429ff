"""House rules for every notebook: imports first, a typed parameters cell second, no definitions."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from cxlib.paths import NOTEBOOKS

NOTEBOOK_FILES = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_first_cell_imports_second_cell_typed_parameters(path):
    cells = _code_cells(path)
    first = ast.parse(cells[0].source)
    assert all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in first.body), (
        f"{path.name}: the first code cell must only import"
    )
    params = cells[1]
    assert "parameters" in params.metadata.get("tags", []), (
        f"{path.name}: the second code cell must be tagged 'parameters'"
    )
    for node in ast.parse(params.source).body:
        assert isinstance(node, ast.AnnAssign), (
            f"{path.name}: parameters must be typed assignments (name: type = literal)"
        )
        ast.literal_eval(node.value)  # raises if a parameter is derived rather than a literal


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_notebooks_define_nothing(path):
    for cell in _code_cells(path):
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.M))
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
        defined = [n for n in ast.walk(tree) if isinstance(n, kinds)]
        assert not defined, f"{path.name}: a cell defines a function or class; move it into cxlib"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_only_checked_outputs_are_committed(path):
    for cell in _code_cells(path):
        if "NBVAL_CHECK_OUTPUT" not in cell.source:
            assert not cell.outputs, f"{path.name}: commit outputs only for NBVAL_CHECK_OUTPUT cells (make notebooks)"


def test_report_notebook_has_no_widgets():
    source = "\n".join(c.source for c in _code_cells(NOTEBOOKS / "quarterly_review.ipynb"))
    assert "ipywidgets" not in source and "cx.widgets" not in source and "explorer" not in source


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_papermill_sees_every_parameter(path):
    import papermill

    declared = {node.target.id for node in ast.parse(_code_cells(path)[1].source).body}
    assert set(papermill.inspect_notebook(str(path))) == declared, (
        f"{path.name}: papermill cannot parse a parameter line (a second '=' in a comment?)"
    )
