"""``check(exercise, answer)``: judge a participant's answer and show specific, encouraging feedback.

The feedback says what is off and gives a hint, never the answer itself. An unanswered exercise
(``answer = ...``) gets a friendly reminder and never raises, so the participant notebooks run
from top to bottom (nbval, papermill). In a notebook the feedback is displayed as HTML (escaped:
answers are shown back as text, never as markup) with a plain-text fallback, and the outcome is
kept in the cell output under :data:`MIME` so that tests can read it back with :func:`read_checks`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from cxlib.i18n import check_language, fill, label, number
from cxlib.plots.theme import CHECK_STYLES, MUTED
from cxlib.workshop.exercises import JUDGES, NOTEBOOKS, Verdict, is_unanswered

__all__ = ["CheckResult", "check", "exercises", "read_checks", "MIME"]

MIME = "application/vnd.cxlib.workshop-check+json"
_ICONS = {"pass": "✔", "fail": "✎", "unanswered": "…"}  # the icon carries the meaning without colour too


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``passed`` and the feedback ``message`` (plain text).

    ``reason`` names the feedback given ("pass", "unanswered", or what was off, e.g. "too_many");
    ``answered`` is False while the answer is still ``...``.
    """

    exercise: str
    passed: bool
    message: str
    answered: bool = True
    reason: str = "pass"

    @property
    def outcome(self) -> str:
        """ "pass", "fail" or "unanswered"."""
        return "pass" if self.passed else "fail" if self.answered else "unanswered"


def exercises() -> dict[str, str]:
    """Every exercise key with the workshop notebook that asks it."""
    return dict(NOTEBOOKS)


@lru_cache(maxsize=1)
def _sample():
    from cxlib.io.snapshot import open_data

    return open_data()


def _format(value, lang: str) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_format(v, lang) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number(value, lang, 0)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return number(value, lang, 0 if value.is_integer() and abs(value) >= 1000 else 1)
    try:  # numpy scalars
        return _format(value.item(), lang)
    except AttributeError:
        return str(value)


def _message(exercise: str, verdict: Verdict, lang: str) -> str:
    params = dict(verdict.params)
    for name in [k for k in params if k.endswith("_nl")]:  # a Dutch variant of a value (theme labels)
        value = params.pop(name)
        if lang == "nl":
            params[name[:-3]] = value
    values = {k: _format(v, lang) for k, v in params.items()}
    return fill(label(f"workshop.message.{exercise}.{verdict.key}", lang), values)


def _html(result: CheckResult, lang: str) -> str:
    border, background = CHECK_STYLES[result.outcome]
    icon = _ICONS[result.outcome]
    body = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(result.message))  # escaped first: inert
    title = html.escape(label(f"workshop.title.{result.exercise}", lang))
    heading = html.escape(label(f"workshop.heading.{result.outcome}", lang))
    return (
        f'<div class="cx-check cx-check-{result.outcome}" style="border-left:4px solid {border};'
        f'background:{background};padding:0.6em 0.9em;margin:0.4em 0">'
        f'<strong>{icon} {heading}</strong> <span style="color:{MUTED}">· {title}</span>'
        f'<div style="margin-top:0.3em">{body}</div></div>'
    )


def _text(result: CheckResult, lang: str) -> str:
    heading = label(f"workshop.heading.{result.outcome}", lang)
    return f"{_ICONS[result.outcome]} {heading} · {label(f'workshop.title.{result.exercise}', lang)}\n{result.message}"


def _show(result: CheckResult, lang: str) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel, a dependency
        return
    if get_ipython() is None:  # plain Python (scripts, pytest): return the result only
        return
    display(
        {
            "text/plain": _text(result, lang),
            "text/html": _html(result, lang),
            MIME: {
                "exercise": result.exercise,
                "passed": result.passed,
                "answered": result.answered,
                "reason": result.reason,
            },
        },
        raw=True,
    )


def check(exercise: str, answer, data=None, lang: str = "nl") -> CheckResult:
    """Judge ``answer`` to ``exercise`` on ``data`` (CXData; default: the sample company).

    Shows the feedback in ``lang`` ("nl" or "en") when run in a notebook and returns a
    :class:`CheckResult` (passed, message). ``answer`` is ``...`` or ``None`` while the exercise is
    open: then the result says "not answered yet" and nothing is judged. The expected answer is
    computed from ``data`` with cxlib's functions. Raises KeyError for an unknown exercise.
    """
    check_language(lang)
    if exercise not in JUDGES:
        raise KeyError(f"unknown exercise {exercise!r}; the exercises are: {', '.join(JUDGES)}")
    if is_unanswered(answer):
        result = CheckResult(
            exercise, False, label("workshop.common.unanswered", lang), answered=False, reason="unanswered"
        )
    else:
        verdict = JUDGES[exercise](answer, data if data is not None else _sample())
        result = CheckResult(exercise, verdict.passed, _message(exercise, verdict, lang), reason=verdict.key)
    _show(result, lang)
    return result


def read_checks(notebook) -> list[dict]:
    """The checks an executed notebook displayed, in order: dicts with exercise, passed, answered, reason."""
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(MIME)
            if payload is not None:
                found.append(dict(payload))
    return found
