"""Reading the workbench's YAML files (rules, taxonomy) with one clear error for a wrong shape."""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["read_mapping", "read_config"]


def read_mapping(path: Path, key: str) -> dict:
    """The YAML mapping in ``path``, which must hold a mapping under ``key`` (safe loader)."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise ValueError(f"{path}: expected a mapping with a '{key}' mapping at the top level")
    return data


def read_config(value, default_path: Path, key: str) -> tuple[object, dict]:
    """Resolve a user's configuration to (source, data): the shipped default, a mapping, a file or a folder.

    ``value`` None → ``default_path``; a mapping → a deep copy of it; a folder → its file of the
    default's name when present, else the default; a file → that file. The data must hold a
    mapping under ``key``; errors name the source.
    """
    import copy
    from collections.abc import Mapping

    if value is None:
        return default_path, read_mapping(default_path, key)
    if isinstance(value, Mapping):
        data = copy.deepcopy(dict(value))
        if not isinstance(data.get(key), dict):
            raise ValueError(f"<{key} mapping>: expected a '{key}' mapping")
        return f"<{key} mapping>", data
    path = Path(value)
    if path.is_dir():
        path = path / default_path.name if (path / default_path.name).exists() else default_path
    if not path.exists():
        raise FileNotFoundError(f"{default_path.stem} file not found: {path}")
    return path, read_mapping(path, key)
