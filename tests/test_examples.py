"""The Examples in the docstrings of the main entry points run and print what they show.

Examples that use the sample data start with ``data = cx.load(cx.paths.SAMPLE_DATA)``; that line
is marked ``+SKIP`` and the session's loaded sample is handed in as ``data`` (loading once), except
in ``load``'s own example, which runs it.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

import cxlib

ENTRY_POINTS = [
    "cxlib.io.loader:load",
    "cxlib.kpi.measure",
    "cxlib.kpi.survey:nps",
    "cxlib.stats.compare:compare",
    "cxlib.analysis.key_drivers:drivers",
    "cxlib.analysis.peaks:peaks",
    "cxlib.analysis.peaks:episodes",
    "cxlib.monitor.overdue:overdue_actions",
    "cxlib.monitor.signals:signals",
    "cxlib.monitor.alerts:alerts",
    "cxlib.monitor.review_table:review_table",
    "cxlib.actions.proposals:propose_actions",
    "cxlib.actions.feedback_review:feedback_review",
    "cxlib.goals:goal_status",
    "cxlib.report.batch:run_batch",
    "cxlib.periods",
    "cxlib.i18n",
    "cxlib.kpi.nps_groups",
]


def _object(target: str):
    """The module or function ``target`` names, and its module."""
    module, _, name = target.partition(":")
    found = importlib.import_module(module)
    return (getattr(found, name) if name else found), found


@pytest.mark.parametrize("target", ENTRY_POINTS)
def test_docstring_examples_run(target, sample, capsys):
    obj, module = _object(target)
    globs = {**vars(module), "cx": cxlib, "data": sample}  # as doctest gives a module's own names
    tests = doctest.DocTestFinder(recurse=False).find(obj, target, globs=globs)
    examples = sum(len(t.examples) for t in tests)
    assert examples, f"{target} has no Examples section"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    report = capsys.readouterr().out
    assert runner.failures == 0, report
