"""Reading the workbench's YAML files (rules, taxonomy) with one clear error for a wrong shape."""
from __future__ import annotations

from pathlib import Path

import yaml


def read_mapping(path: Path, key: str) -> dict:
    """The YAML mapping in ``path``, which must hold a mapping under ``key`` (safe loader)."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise ValueError(f"{path}: expected a mapping with a '{key}' mapping at the top level")
    return data
