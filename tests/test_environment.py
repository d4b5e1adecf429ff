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
    pip = [s for d in env["dependencies"] if isinstance(d, dict) for s in d.get("pip", []) if not s.startswith("-")]
    specs = dict(_parse(s) for s in conda + pip)
    return {name: c for name, c in specs.items() if name not in {"python", "pip"}}


def test_environment_yml_mirrors_pyproject():
    assert _environment() == _pyproject()


def test_python_floor_matches():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def _locked() -> dict[str, str]:
    """requirements.lock as package → pinned version."""
    lines = (PROJECT_ROOT / "requirements.lock").read_text().splitlines()
    pins = [line.split("#")[0].strip() for line in lines if "==" in line.split("#")[0]]
    return {_parse(name)[0]: version for name, version in (p.split("==") for p in pins)}


def test_lock_pins_every_dependency_within_pyproject():
    """make setup installs requirements.lock: every dependency and extra is pinned there, at a
    version its pyproject.toml specifier allows (a stale lock fails here; refresh: make lock)."""
    from packaging.specifiers import SpecifierSet

    locked = _locked()
    for name, constraint in _pyproject().items():
        assert name in locked, f"{name} is not in requirements.lock (run make lock)"
        assert locked[name] in SpecifierSet(constraint), f"{name}=={locked[name]} outside {constraint}"


def test_floors_past_known_advisories():
    """Floors past published advisories: nbconvert 7.17.1, jupyterlab 4.6.4 (runtime) and
    setuptools 78.1.1 (the build; CVE-2025-47273, path traversal in PackageIndex)."""
    from packaging.specifiers import SpecifierSet

    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    floors = {"nbconvert": "7.17.0", "jupyterlab": "4.6.3"}
    for name, below in floors.items():
        assert below not in SpecifierSet(_pyproject()[name]), name
    build = dict(_parse(s) for s in pyproject["build-system"]["requires"])
    assert "78.1.0" not in SpecifierSet(build["setuptools"])
