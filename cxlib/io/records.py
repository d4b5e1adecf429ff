"""Find the physical records of a CSV buffer, independently of any CSV parser.

Method: every quote in the file is looked at once, in runs of adjacent quotes. A run opens a
quoted field only at the start of a field (after a delimiter, a line end or the start of the
file) and only when its length is odd; inside a quoted field, pairs of quotes are a quote and
an odd run closes the field. Quotes elsewhere are literal (``5" scherm``), as in Python's
``csv`` module and Arrow's reader (RFC 4180, section 2, with the common relaxations). A line
end ends a record unless it lies inside a quoted field.

Two quoting faults are found on the way, and the records that hold them rejected by the reader:

- *malformed*: a closing quote followed by something other than a delimiter or a line end
  (``"he said "hi" there"``), on the line where the field opened;
- *unclosed*: the same fault on a later line, or the end of the file inside a quoted field. The
  quote then ran away: the record is cut at the end of the line where the quote opened (that
  record is rejected, naming the line the field would have run to) and every later line is
  read as records again, so nothing is swallowed.

The state machine is resolved with numpy, window by window: every odd run is assumed to toggle,
and the first run where that assumption breaks is handled on its own before the next window.
Clean files take a few passes over their quotes; each fault costs one short window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MALFORMED", "UNCLOSED", "Records", "field_counts", "scan"]

_NL, _QUOTE = 10, 34
MALFORMED, UNCLOSED = 1, 2
"""Quoting fault codes in ``Records.fault``."""


@dataclass
class Records:
    """Physical records of a buffer (blank lines left out).

    ``starts``/``stops``: byte span of each record (the line end excluded); ``lines`` and
    ``last_lines``: the physical lines (1-based) where it starts and ends. ``fault`` per record
    (0, MALFORMED, UNCLOSED); when any record has a fault, ``fault_at`` the byte offset of the
    quote at fault and ``runs_to`` the line an unclosed field would have run to (else empty).
    ``opens``/``closes``: byte spans of the quoted fields; ``inner`` the line ends inside them.
    """

    starts: np.ndarray
    stops: np.ndarray
    lines: np.ndarray
    last_lines: np.ndarray
    fault: np.ndarray
    fault_at: np.ndarray
    runs_to: np.ndarray
    opens: np.ndarray
    closes: np.ndarray
    inner: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    def take(self, keep: np.ndarray) -> Records:
        """The records where ``keep`` (a mask or positions); quote spans unchanged."""
        faulty = self.fault_at.size > 0
        return Records(
            self.starts[keep],
            self.stops[keep],
            self.lines[keep],
            self.last_lines[keep],
            self.fault[keep],
            self.fault_at[keep] if faulty else self.fault_at,
            self.runs_to[keep] if faulty else self.runs_to,
            self.opens,
            self.closes,
            self.inner,
        )


def scan(buf: bytes, delimiter: str) -> Records:
    """The records of ``buf`` (UTF-8, LF line ends) for ``delimiter``; see the module docstring."""
    arr = np.frombuffer(buf, np.uint8)
    n = arr.size
    newlines = np.flatnonzero(arr == _NL)
    quotes = np.flatnonzero(arr == _QUOTE)
    opens, closes, faults = _quoted_spans(arr, quotes, newlines, ord(delimiter))
    if opens.size:
        k = np.searchsorted(opens, newlines, side="right") - 1
        inside = (k >= 0) & (newlines < closes[np.maximum(k, 0)])
        inner, ends = newlines[inside], newlines[~inside]
    else:
        inner, ends = newlines[:0], newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [n]))
    keep = ~_blank(arr, starts, stops)
    starts, stops = starts[keep], stops[keep]
    lines = np.searchsorted(newlines, starts) + 1
    last_lines = np.searchsorted(newlines, stops) + 1
    fault = np.zeros(starts.size, np.int8)
    fault_at = runs_to = np.zeros(0, np.int64)  # per record only when there is a fault (memory)
    if faults:
        fault_at = np.full(starts.size, -1, np.int64)
        runs_to = np.zeros(starts.size, np.int64)
        pos, code, reach = (np.array(x, np.int64) for x in zip(*faults))
        rec = np.searchsorted(starts, pos, side="right") - 1
        first = np.unique(rec, return_index=True)[1]  # the first fault of a record is reported
        rec, pos, code, reach = rec[first], pos[first], code[first], reach[first]
        fault[rec], fault_at[rec] = code, pos
        runs_to[rec] = np.searchsorted(newlines, reach) + 1
    return Records(starts, stops, lines, last_lines, fault, fault_at, runs_to, opens, closes, inner)


def _blank(arr: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """True for records holding only spaces and tabs (or nothing): not records."""
    length = stops - starts
    blank = length == 0
    first = arr[np.minimum(starts, max(arr.size - 1, 0))] if arr.size else starts
    maybe = np.flatnonzero((length > 0) & ((first == 32) | (first == 9)))  # starts with space/tab
    if maybe.size:
        blank[maybe] = [not arr[a:b].tobytes().strip() for a, b in zip(starts[maybe], stops[maybe])]
    return blank


def _quoted_spans(arr, quotes, newlines, delim):
    """(opens, closes, faults): byte spans of quoted fields and (offset, code, reach) faults."""
    n = arr.size
    if not quotes.size:
        return quotes, quotes, []
    first = np.ones(quotes.size, bool)
    first[1:] = quotes[1:] != quotes[:-1] + 1
    idx = np.flatnonzero(first)
    rs = quotes[idx]  # run starts
    rl = np.diff(np.append(idx, quotes.size))  # run lengths
    re = rs + rl  # first byte after the run
    before = np.where(rs > 0, arr[np.maximum(rs - 1, 0)], _NL)
    after = np.where(re < n, arr[np.minimum(re, n - 1)], _NL)
    b_edge = (before == delim) | (before == _NL)
    a_edge = (after == delim) | (after == _NL)
    odd = (rl % 2).astype(bool)

    def eol(pos: int) -> int:
        k = np.searchsorted(newlines, pos)
        return int(newlines[k]) if k < newlines.size else n

    def line(pos: int) -> int:
        return int(np.searchsorted(newlines, pos))

    opens, closes, faults = [], [], []
    i, runs, state, last_open, window = 0, rs.size, 0, -1, 4096
    while True:
        if i >= runs:
            if state == 0:
                break
            # the end of the file inside a quoted field: the last opener ran away
            end = eol(last_open)
            faults.append((last_open, UNCLOSED, max(n - 1, 0)))
            closes.append(np.array([end]))
            state, i = 0, int(np.searchsorted(rs, end, side="right"))
            continue
        j = min(runs, i + window)
        o = odd[i:j]
        before_state = (state + np.cumsum(o) - o) % 2
        literal = (before_state == 0) & o & ~b_edge[i:j]
        bad_close = (before_state == 1) & o & ~a_edge[i:j]
        empty_bad = (before_state == 0) & ~o & b_edge[i:j] & ~a_edge[i:j]  # ""x
        stop = np.flatnonzero(literal | bad_close)
        k = int(stop[0]) if stop.size else j - i
        part = slice(i, i + k)
        toggles = o[:k]
        opening = toggles & (before_state[:k] == 0)
        closing = toggles & (before_state[:k] == 1)
        opens.append(rs[part][opening])
        closes.append(re[part][closing] - 1)
        faults += [(int(p), MALFORMED, int(p)) for p in rs[part][empty_bad[:k]]]
        if opening.any():
            last_open = int(rs[part][opening][-1])
        state = int((state + toggles.sum()) % 2)
        if k == j - i:
            i, window = j, min(window * 2, 1 << 20)
            continue
        at = i + k
        window = 4096
        if literal[k]:
            i = at + 1
            continue
        # a closing quote not followed by a delimiter or a line end
        if line(int(rs[at])) == line(last_open):
            faults.append((int(rs[at]), MALFORMED, int(rs[at])))
            closes.append(np.array([re[at] - 1]))
            state, i = 0, at + 1
            continue
        end = eol(last_open)
        faults.append((last_open, UNCLOSED, int(rs[at])))
        closes.append(np.array([end]))
        state, i = 0, int(np.searchsorted(rs, end, side="right"))
    opens = np.concatenate(opens).astype(np.int64) if opens else np.array([], np.int64)
    closes = np.concatenate(closes).astype(np.int64) if closes else np.array([], np.int64)
    order = np.argsort(opens, kind="stable")
    return opens[order], closes[order], faults


def field_counts(buf: bytes, delimiter: str, records: Records) -> np.ndarray:
    """Fields per record: delimiters outside quoted fields, plus one."""
    delims = np.flatnonzero(np.frombuffer(buf, np.uint8) == ord(delimiter))
    count = np.searchsorted(delims, records.stops) - np.searchsorted(delims, records.starts)
    if records.opens.size:
        inside = np.searchsorted(delims, records.closes) - np.searchsorted(delims, records.opens)
        rec = np.searchsorted(records.starts, records.opens, side="right") - 1
        ok = (rec >= 0) & (records.opens < records.stops[np.maximum(rec, 0)])
        count -= np.bincount(rec[ok], weights=inside[ok], minlength=len(records)).astype(np.int64)
    return count + 1
