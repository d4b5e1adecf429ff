"""The one exception for whole-file problems."""

from __future__ import annotations

from cxlib.io.inert import escape_control

__all__ = ["SourceError"]


class SourceError(ValueError):
    """A whole file cannot be used: missing, empty, undecodable, or a required column is missing.

    The message names the file, the line and column where known, what was found and what was
    expected. The parts are also attributes, for tests and tools. Control characters from the
    file (an ANSI escape in a header) are escaped in the message, never sent to a terminal.
    """

    def __init__(
        self,
        file,
        problem: str,
        expected: str,
        *,
        column: str | None = None,
        line: int | None = None,
        found: str | None = None,
    ):
        self.file = str(file)
        self.problem = problem
        self.expected = expected
        self.column = column
        self.line = line
        self.found = found
        where = escape_control(self.file)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{escape_control(column)}'"
        message = f"{where}: {escape_control(problem)}; expected {escape_control(expected)}"
        if found is not None:
            message += f"; found {escape_control(found)}"
        super().__init__(message)
