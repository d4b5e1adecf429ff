"""The checks of a report batch that need no data, cheap enough for the CLI to run first.

Only the standard library and cxlib's leaf modules (periods, i18n): ``cx report`` rejects a bad
--period, --lang or number in a fraction of a second, before pandas is imported.
"""

from __future__ import annotations

from pathlib import Path

from cxlib.i18n import check_language
from cxlib.periods import check_review_period

__all__ = ["check_arguments"]


def check_arguments(
    period: str | None, lang: str, data, workers: int | None, min_n: int | None, confidence: float
) -> None:
    """The checks of a batch that need no data: a ValueError names the argument, the value and what is expected.

    ``period`` None: the latest complete quarter of the data, found once it is loaded."""
    if period is not None:
        check_review_period(period)
    try:
        check_language(lang)
    except ValueError as exc:  # name the argument, as the other messages do
        raise ValueError(f"--lang {lang!r}: {exc}") from None
    if workers is not None and int(workers) < 1:
        raise ValueError(f"--workers {workers} must be at least 1")
    if min_n is not None and int(min_n) < 0:
        raise ValueError(f"--min-n {min_n} must be 0 or more")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"--confidence {confidence} must lie between 0 and 1 (e.g. 0.95)")
    folder = Path(data)
    if not folder.exists():
        raise ValueError(f"--data {str(folder)!r}: no such folder")
    if not folder.is_dir():
        raise ValueError(f"--data {str(folder)!r}: not a folder (expected a folder with the CSV files)")
