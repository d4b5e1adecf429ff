"""The workbench's one chart theme, set in one place (as seaborn's ``set_theme``).

Chart text is data (segment, team and unit names): it is drawn as written, never interpreted.
Importing :mod:`cxlib.plots` already makes text inert (:func:`make_text_inert`); ``set_theme``
does it again after seaborn has set its style.
"""
from __future__ import annotations

import warnings

import matplotlib
import seaborn as sns

PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a50021", "#5f5f5f"]
STATUS_COLOURS = {"met": "#548235", "at_risk": "#bf8f00", "missed": "#a50021"}

#: No mathtext ("$x^2$" stays "$x^2$"; "$\\unicode{...}$" cannot crash a chart) and no LaTeX.
INERT_TEXT = {"text.parse_math": False, "text.usetex": False}
#: matplotlib's warning for a character the font has no glyph for (an emoji, a script DejaVu
#: Sans lacks): the character is drawn as an empty box; the warning would print matplotlib's
#: installation path into every report.
MISSING_GLYPH_WARNING = r"Glyph \d+ \(.*\) missing from font\(s\)"


def make_text_inert() -> None:
    """Draw every label as plain text: mathtext and LaTeX off, no missing-glyph warnings."""
    matplotlib.rcParams.update(INERT_TEXT)
    warnings.filterwarnings("ignore", message=MISSING_GLYPH_WARNING, category=UserWarning)


def set_theme(context: str = "notebook") -> None:
    """Apply the workbench theme: seaborn whitegrid, a colour-blind-safe palette, no top/right
    spines, and inert text (:func:`make_text_inert`)."""
    sns.set_theme(context=context, style="whitegrid", palette=PALETTE)
    make_text_inert()
    matplotlib.rcParams.update(
        {
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (8, 4),
            "axes.titleweight": "bold",
        }
    )


def localise_axis(axis, lang: str, decimals: int | None = None) -> None:
    """Format an axis' tick labels in the report locale (decimal comma in Dutch) with babel."""
    from matplotlib.ticker import FuncFormatter

    from cxlib.i18n import number

    def fmt(value, _pos):
        places = decimals if decimals is not None else (0 if float(value).is_integer() else 2)
        return number(value, lang, places)

    axis.set_major_formatter(FuncFormatter(fmt))


def too_few(ax, lang: str, title: str = ""):
    """An empty panel that says 'too few responses' (for a suppressed unit); returns the Axes."""
    import matplotlib.pyplot as plt

    from cxlib.i18n import label

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.5))
    ax.text(0.5, 0.5, label("too_few_responses", lang), ha="center", va="center", transform=ax.transAxes,
            fontsize=12, color="#57606a")
    ax.set_axis_off()
    ax.set_title(title)
    return ax


make_text_inert()
