"""The one-way import rule of docs/architecture.md, checked on the source with ast (nothing imported).

Every ``import cxlib.x`` and ``from cxlib.x import ...`` counts, also those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cxlib import paths

PACKAGE = paths.PACKAGE_DIR

# the layers of docs/architecture.md, lowest first: a module may import its own layer and lower ones
LAYERS = [
    {"paths"},
    {"atomic", "private_temp", "yaml_files", "periods", "i18n"},
    {"io", "catalogue", "business_hours", "enrich", "sample"},
    {"stats", "scope"},
    {"kpi"},
    {"goals", "clv"},
    {"analysis", "actions", "monitor", "data_profile"},
    {"plots", "display"},
    {"widgets"},
    {"report", "workshop", "notebook_tools", "dashboard"},
    {"cli"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
# charts draw what they are given: they compute no KPI and no statistic
# the loader reads and checks data: it knows no KPI, chart or report
IO_MAY_IMPORT = {None, "io", "paths", "atomic", "private_temp", "periods", "i18n"}
PLOTS_MAY_IMPORT = {"plots", "paths", "i18n", "catalogue", "periods"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    """The top-level part of cxlib a file belongs to ('kpi', 'periods', '__init__', ...)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every cxlib module or name imported by ``path``; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["cxlib", *path.relative_to(PACKAGE).parts[:-1]]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "cxlib"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "cxlib":
                out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return out


def _target(dotted: str) -> str | None:
    """The top-level part of cxlib that ``dotted`` names (None for the package itself)."""
    parts = dotted.split(".")
    if len(parts) < 2 or parts[1] == "__version__":
        return None
    return parts[1]


def test_every_part_of_cxlib_has_a_layer():
    parts = {_part(p) for p in _modules()} - {"__init__"}
    assert parts <= set(RANK), f"give {sorted(parts - set(RANK))} a layer in this test and docs/architecture.md"


def test_imports_point_down():
    wrong = []
    for path in _modules():
        source = _part(path)
        if source == "__init__":
            continue
        for line, dotted in _imports(path):
            target = _target(dotted)
            if target in RANK and RANK[target] > RANK[source]:
                wrong.append(
                    f"{path.relative_to(PACKAGE)}:{line} imports {dotted} (layer {RANK[target]} > {RANK[source]})"
                )
    assert not wrong, "imports must point down the layers:\n" + "\n".join(wrong)


def test_io_knows_no_kpi_and_kpi_no_plots():
    for path in _modules():
        source = _part(path)
        for line, dotted in _imports(path):
            target = _target(dotted)
            if source == "io":
                assert target in IO_MAY_IMPORT, (path, line, dotted)
            if source in ("kpi", "stats"):
                assert target not in ("plots", "widgets", "display", "analysis", "monitor", "actions"), (
                    path,
                    line,
                    dotted,
                )


def test_plots_compute_no_kpi_or_statistic():
    for path in (PACKAGE / "plots").rglob("*.py"):
        for line, dotted in _imports(path):
            assert _target(dotted) in PLOTS_MAY_IMPORT | {None}, f"{path.name}:{line} imports {dotted}"


def test_no_private_module_or_name_from_another_part():
    wrong = []
    for path in _modules():
        source = _part(path)
        for line, dotted in _imports(path):
            target = _target(dotted)
            private = [p for p in dotted.split(".")[2:] if p.startswith("_") and not p.startswith("__")]
            if target is not None and target != source and private:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {dotted}")
    assert not wrong, "no part of cxlib imports another part's private modules or names:\n" + "\n".join(wrong)


def test_no_signature_inspection_for_dispatch():
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        assert "inspect.signature" not in text and "import inspect" not in text, path


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if not p.name.startswith("_") or p.name == "__init__.py"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_every_public_module_declares_all(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [
        t.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    ]
    assert "__all__" in names or path.name == "__main__.py", f"{path.relative_to(PACKAGE)} has no __all__"


def test_no_module_is_named_like_a_standard_library_module():
    import sys

    clash = [str(p.relative_to(PACKAGE)) for p in _modules() if p.stem in sys.stdlib_module_names]
    assert not clash, f"rename {clash}: a module named like the standard library misleads (calendar, profile)"


def test_colours_only_in_the_plot_theme():
    import re

    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
    theme = PACKAGE / "plots" / "theme.py"
    found = [
        f"{p.relative_to(PACKAGE)}:{i}"
        for p in PACKAGE.rglob("*")
        if p.suffix in (".py", ".css", ".j2", ".yaml") and p != theme
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if hex_colour.search(line)
    ]
    assert not found, f"hex colours belong in cxlib/plots/theme.py: {found}"


def test_languages_are_declared_only_in_i18n():
    import re

    literal = re.compile(r"""\(\s*["'](nl|en)["']\s*,\s*["'](nl|en)["']\s*\)""")
    found = [
        f"{p.relative_to(PACKAGE)}:{i}"
        for p in PACKAGE.rglob("*.py")
        if p.name != "i18n.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert not found, f"the report languages come from cxlib.i18n.LANGUAGES: {found}"
