"""Code that runs inside a warm report kernel: prepare it once, reset it between units.

A warm kernel renders many units one after another, so whatever one unit leaves behind must not
reach the next. :func:`prepare` runs once after the kernel starts: it imports what the report
needs (paid once per kernel), sends warnings and log records to the kernel's own stderr (the
batch log, never a report) and takes a baseline of the process state a notebook can change.
:func:`reset` runs before every unit and restores that baseline:

- the user namespace, ``In``/``Out`` history and the execution counter (``%reset -f``, in a
  new history session);
- open matplotlib figures (closed) and ``matplotlib.rcParams``;
- pandas options (back to their defaults), numpy print options, the warnings filters, the working directory,
  ``os.environ`` and ``sys.path``;
- numpy's global random state (reseeded from the same seed for every unit).

Imported modules stay imported (that is the point of a warm kernel); cxlib keeps no mutable
state between calls apart from read-only caches (the snapshot, catalogues, templates). What
survives a reset is frozen out of the garbage collector (``gc.freeze``), so a reset takes
milliseconds instead of a full collection over every imported module.
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import re
import sys
import warnings

__all__ = ["prepare", "reset", "scrub_paths"]

WARM_IMPORTS = ("cxlib", "cxlib.display", "cxlib.plots", "cxlib.report", "matplotlib.pyplot")
# names a report notebook imports from the lazy packages (resolved through their __getattr__, so that
# `from cxlib.report import record` keeps giving the function, not the module of the same name)
WARM_NAMES = {"cxlib.report": ("record", "read_records", "review_page")}
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'\"<>|]+)+[\\/]([^\s\\/:'\"<>|]+)")
_baseline: dict = {}


def scrub_paths(text: str) -> str:
    """Absolute paths in a message reduced to their last component ('…/site-packages/x.py' → 'x.py')."""
    return _PATH.sub(r"\1", str(text))


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings → one line on the process' stderr (the batch log), without installation paths."""
    module = os.path.splitext(os.path.basename(str(filename)))[0]
    text = f"warning: {category.__name__}: {scrub_paths(message)} ({module}:{lineno})\n"
    try:
        sys.__stderr__.write(text)
        sys.__stderr__.flush()
    except (AttributeError, OSError, ValueError):
        pass


class _ScrubbedFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub_paths(super().format(record))


def prepare(shell=None) -> None:
    """Once per kernel: warm imports, warnings and logging to the batch log, the state baseline."""
    import importlib

    for name in WARM_IMPORTS:
        importlib.import_module(name)
    for module, names in WARM_NAMES.items():
        for name in names:
            getattr(importlib.import_module(module), name)
    warnings.showwarning = _show_warning
    handler = logging.StreamHandler(sys.__stderr__)
    handler.setFormatter(_ScrubbedFormatter("log: %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.lastResort = handler
    _baseline.update(_state())
    _warm_up()
    import matplotlib

    # the first figure switched the inline backend on (interactive): that is the state to keep
    _baseline["rc"].update(interactive=matplotlib.rcParams["interactive"], backend=matplotlib.rcParams["backend"])
    reset(shell)  # back to the baseline after the warm-up
    gc.collect()
    gc.freeze()  # the imports' objects are permanent: later collections skip them (fast resets)


def _state() -> dict:
    import matplotlib
    import numpy as np

    return {
        "rc": copy.deepcopy(dict(matplotlib.rcParams)),
        "np": np.get_printoptions(),
        "warnings": list(warnings.filters),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "path": list(sys.path),
    }


def _warm_up() -> None:
    """Draw one themed chart to PNG: fonts, the theme and the Agg renderer are loaded once per kernel."""
    import io

    import matplotlib.pyplot as plt

    from cxlib import plots

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plots.set_theme()
        figure, axes = plt.subplots()
        axes.plot([0, 1], [0, 1], label="warm-up")
        axes.set_title("warm-up")
        axes.legend()
        figure.savefig(io.BytesIO(), format="png")
        plt.close(figure)


def reset(shell=None) -> None:
    """Before each unit: restore the kernel to the state :func:`prepare` recorded."""
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    shell = shell or _shell()
    if shell is not None:  # %reset -f, in a new history session so that the counter can start at 1
        shell.reset(new_session=True)
    plt.close("all")
    if not _baseline:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_baseline["rc"])
        pd.reset_option("all")  # cxlib sets no pandas option, so the defaults are the baseline
    np.set_printoptions(**_baseline["np"])
    np.random.seed(0)
    warnings.filters[:] = _baseline["warnings"]
    warnings.showwarning = _show_warning
    os.chdir(_baseline["cwd"])
    for key in set(os.environ) - set(_baseline["env"]):
        del os.environ[key]
    os.environ.update(_baseline["env"])
    sys.path[:] = _baseline["path"]
    gc.collect()
    gc.freeze()  # what survives a reset (read-only caches) is kept out of later collections


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
