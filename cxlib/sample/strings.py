"""Vectorised string helpers (numpy ``StringDType`` and pandas str methods; no row loops)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SD", "put_digits", "fixed_width", "to_text", "codes", "digits", "join", "csv_quote"]

SD = np.dtypes.StringDType()


def put_digits(buf: np.ndarray, start: int, values: np.ndarray, width: int) -> None:
    """Write non-negative integers as fixed-width decimal digits into columns of a code-point
    matrix ``buf`` (rows = strings)."""
    rest = np.asarray(values, dtype=np.int64)
    for k in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, 10)
        buf[:, start + k] = 48 + digit


def fixed_width(template: str, n: int) -> np.ndarray:
    """An (n, len(template)) UCS4 code-point matrix, every row a copy of ``template``."""
    return np.tile(np.frombuffer(template.encode("utf-32-le"), dtype=np.uint32), (n, 1))


def to_text(buf: np.ndarray) -> np.ndarray:
    """Code-point matrix -> object array of str, one per row."""
    return np.ascontiguousarray(buf).view(f"U{buf.shape[1]}").ravel().astype(object)


def codes(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Ids like C000042: ``prefix`` + zero-padded numbers, object array of str."""
    buf = fixed_width(prefix + "0" * width, len(numbers))
    put_digits(buf, len(prefix), np.asarray(numbers, dtype=np.int64), width)
    return to_text(buf)


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded decimal strings."""
    return np.strings.zfill(np.asarray(values).astype(np.int64).astype(SD), width)


def join(*parts) -> np.ndarray:
    """Element-wise concatenation of string arrays and scalars."""
    out = np.asarray(parts[0], dtype=SD)
    for part in parts[1:]:
        out = np.strings.add(out, np.asarray(part, dtype=SD))
    return out


def csv_quote(text: np.ndarray) -> np.ndarray:
    """RFC 4180 minimal quoting of an object array of str: fields holding , " CR or LF are
    wrapped in quotes with inner quotes doubled."""
    if not any(ch in "".join(text) for ch in ',"\r\n'):
        return text
    filled = np.flatnonzero(text.astype(bool))  # empty fields never need quotes
    series = pd.Series(text[filled], dtype=object)
    needs = filled[series.str.contains('[,"\r\n]', regex=True).to_numpy(dtype=bool)]
    out = text.copy()
    quoted = pd.Series(text[needs], dtype=object).str.replace('"', '""', regex=False)
    out[needs] = ('"' + quoted + '"').to_numpy()
    return out
