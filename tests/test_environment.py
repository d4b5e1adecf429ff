"""environment.yml (conda users) must list exactly the dependencies of pyproject.toml."""
from __future__ import annotations

import re
import tomllib

import yaml

from cxlib.paths import PROJECT_ROOT

_NAME = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(spec: str) -> tuple[str, str]:
    name, constraint = _NAME.match(spec.strip()).groups()
    return name.lower().replace("_", "-"), constraint.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return dict(_parse(s) for s in specs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    # packages only on PyPI sit in the pip section (the editable install of cxlib aside)
    pip = [s for d in env["dependencies"] if isinstance(d, dict) for s in d.get("pip", [])
           if not s.startswith("-")]
    specs = dict(_parse(s) for s in conda + pip)
    return {name: c for name, c in specs.items() if name not in {"python", "pip"}}


def test_environment_yml_mirrors_pyproject():
    assert _environment() == _pyproject()


def test_python_floor_matches():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]
