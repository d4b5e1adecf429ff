"""The workbench's one theme, set in one place (as seaborn's ``set_theme``): every colour lives here.

Charts, the report index, the workshop feedback boxes and the tables read their colours from
this module; matplotlib and seaborn are imported only when a theme is applied, so the colours
can be read without loading them.

Chart text is data (segment, team and unit names): it is drawn as written, never interpreted.
Importing :mod:`cxlib.plots` makes text inert (:func:`make_text_inert`); ``set_theme`` does it
again after seaborn has set its style.
"""

from __future__ import annotations

__all__ = [
    "PALETTE",
    "STATUS_COLOURS",
    "RISE",
    "FALL",
    "NEUTRAL",
    "SIGNAL",
    "TARGET_LINE",
    "BORDER",
    "MUTED",
    "RULE",
    "PANEL",
    "OK",
    "CHECK_STYLES",
    "CSS_COLOURS",
    "DASHBOARD_COLOURS",
    "INERT_TEXT",
    "css_variables",
    "make_text_inert",
    "set_theme",
    "localise_axis",
    "too_few",
]

PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a50021", "#5f5f5f"]
"""Series colours (colour-blind safe), in order."""
STATUS_COLOURS = {
    "met": "#548235",
    "at_risk": "#bf8f00",
    "missed": "#a50021",
    "no_data": "#bfbfbf",
    "no_target": "#8c959f",
}
"""Goal status key → colour (green, amber, red, grey)."""
RISE, FALL, NEUTRAL = "#548235", "#a50021", "#5f5f5f"
"""A change for the better, for the worse, and neutral marks (reference lines, totals)."""
SIGNAL = "#a50021"
"""Control-chart signals and rejected rows."""
TARGET_LINE = "#333333"
"""Target lines."""
BORDER = "#bfbfbf"
"""Box edges in charts."""
MUTED = "#57606a"
"""Secondary text."""
RULE = "#d0d7de"
"""Table rules in HTML pages."""
PANEL = "#f6f8fa"
"""The background of a page's summary panel."""
OK = "#2f6b1f"
"""A status that is fine (rendered report) in HTML pages."""
CSS_COLOURS = {  # the report pages' CSS custom properties (cxlib/report/templates/cx_report/cx_report.css)
    "--cx-rule": RULE,
    "--cx-muted": MUTED,
    "--cx-accent": PALETTE[0],
    "--cx-quiet": STATUS_COLOURS["no_target"],
    "--cx-met": STATUS_COLOURS["met"],
    "--cx-at-risk": STATUS_COLOURS["at_risk"],
    "--cx-missed": STATUS_COLOURS["missed"],
    "--cx-none": STATUS_COLOURS["no_target"],
    "--cx-panel": PANEL,
}
DASHBOARD_COLOURS = {  # the dashboard's own CSS custom properties (cxlib/dashboard), beside CSS_COLOURS
    "--cx-page": "#f6f8fa",
    "--cx-surface": "#ffffff",
    "--cx-signal": SIGNAL,
    "--cx-updating": STATUS_COLOURS["at_risk"],
    "--cx-error-bg": "#fdecea",
    "--cx-error-text": "#5f0015",
}
CHECK_STYLES = {  # workshop feedback: border and background per outcome
    "pass": ("#1a7f37", "#e9f6ec"),
    "fail": ("#9a6700", "#fff8e5"),
    "unanswered": (MUTED, "#f3f4f6"),
}


def css_variables(colours: dict[str, str] | None = None, selector: str = ":root") -> str:
    """``:root { --cx-…: #…; }``: the theme's colours for HTML pages that style with ``var(--cx-…)``.

    ``colours``: default :data:`CSS_COLOURS`; ``selector``: where they are declared (``":host"``
    for a style sheet inside a shadow root, as Panel's panes have).
    """
    colours = CSS_COLOURS if colours is None else colours
    return selector + " { " + " ".join(f"{name}: {value};" for name, value in colours.items()) + " }"


#: No mathtext ("$x^2$" stays "$x^2$"; "$\\unicode{...}$" cannot crash a chart) and no LaTeX.
INERT_TEXT = {"text.parse_math": False, "text.usetex": False}
#: matplotlib's warning for a character the font has no glyph for (an emoji, a script DejaVu
#: Sans lacks): the character is drawn as an empty box; the warning would print matplotlib's
#: installation path into every report.
MISSING_GLYPH_WARNING = r"Glyph \d+ \(.*\) missing from font\(s\)"


def make_text_inert() -> None:
    """Draw every label as plain text: mathtext and LaTeX off, no missing-glyph warnings."""
    import warnings

    import matplotlib

    matplotlib.rcParams.update(INERT_TEXT)
    warnings.filterwarnings("ignore", message=MISSING_GLYPH_WARNING, category=UserWarning)


def set_theme(context: str = "notebook") -> None:
    """Apply the workbench theme: seaborn whitegrid, a colour-blind-safe palette, no top/right spines,
    and inert text (:func:`make_text_inert`)."""
    import matplotlib
    import seaborn as sns

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
    ax.text(
        0.5,
        0.5,
        label("too_few_responses", lang),
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=12,
        color=MUTED,
    )
    ax.set_axis_off()
    ax.set_title(title)
    return ax
