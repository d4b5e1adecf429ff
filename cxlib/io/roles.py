"""Guess each export column's role, for the draft source.yaml of `cx init`.

A column is profiled once (filled share, distinct values, numbers and their range, a date
layout, text length), on its distinct values wherever possible; its role then follows from
its name (and the question text above it, English or Dutch) together with its values:

- ids: unique and complete (response, customer, ticket by name);
- dates and datetimes with their layout (cxlib.io.dateformats); a year or year-month column;
- scores: NPS 0–10, CSAT 1–5, CES 1–7 (by name or question and range; a 5-point satisfaction
  or 7-point agreement scale written in words is mapped to numbers);
- attribute ratings: other whole-number columns on 0–5, 1–5, 1–7, 0–10 or 1–10 (0 beside 1–5
  is read as 'not applicable');
- comment (the longest free text), language;
- labels with few values (region, segment, channel, touchpoint, team, category): report units;
- CRM: a churn yes/no column and a tenure in months; an event log's state column.

Each guess carries why it was made and, when unsure, what to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from cxlib.io.dateformats import DateGuess, guess_date_format
from cxlib.io.sheets import Sheet

__all__ = ["HINTS", "MISSING_TOKENS", "Profile", "file_missing_tokens", "hint", "profile", "scale_words", "slug"]

MISSING_TOKENS = ("?", "n/a", "N/A", "n.v.t.", "#N/A", "NULL", "null", "-", "NA", "None", "--")
"""Whole-cell texts that exports write for 'no value'."""
_SURE_MISSING = {"?", "n/a", "N/A", "n.v.t.", "#N/A", "NULL", "null"}

HINTS = {
    "response_id": r"respon(se|dent)[ _]?id|^responseid$|^respondent|^response$|enquete ?id|"
    r"antwoord ?id|^survey ?id|^record ?id",
    "customer_id": r"customer|client|klant|account|caller|relatie|member|^user ?id|contact ?id",
    "ticket_id": r"ticket|incident|^case|melding|^number$|^call ?id|request ?id",
    "id": r"(^|[^a-z])(id|nr|no|number|code|key|ref)$|nummer$|^id([^a-z]|$)",
    "submitted_at": r"recorded|submit|end ?date|response.?date|complet|ingevuld|^date$|datum|"
    r"^time|timestamp|survey ?date|enddate|datetime",
    "created_at": r"creat|opened|open(ed)?_at|aangemaakt|sys_created|logged|reported",
    "signup_date": r"sign.?up|since|joined|start ?date|klant ?sinds|aanmeld|begin",
    "churn_date": r"churn.*date|cancel.*date|opgezegd op|end ?of ?contract|left on",
    "nps": r"recommend|nps|aanbevel|aanraden|likely|waarschijnlijk",
    "csat": r"satisf|tevreden|csat|overall",
    "ces": r"effort|easy|gemak|moeite|^ces",
    "comment": r"comment|text|toelichting|opmerking|verbatim|why|reason|feedback|waarom|remark|"
    r"open.?ended|explain|suggest|anything else|other comments",
    "language": r"lang|taal",
    "region": r"region|regio|area|gebied|location|locatie|province|provincie|vestiging|branch|"
    r"country|^land$|state|city|plaats|site",
    "segment": r"segment|plan|contract|tier|klant ?type|customer ?type|type of customer|class|"
    r"pakket|package|subscription",
    "channel": r"channel|kanaal|contact.?type|medium|^via$|distribution|^source$|bron",
    "touchpoint": r"touchpoint|contact ?moment|moment|journey|stage|sub.?type|topic|interaction|"
    r"survey ?type|service ?type|reden",
    "team": r"team|group|afdeling|department|assign|queue|store|winkel|shop|desk",
    "category": r"categor|soort|^type$|kind",
    "agent_id": r"agent|assigned.?to|medewerker|employee|handler|owner",
    "churn": r"churn|opgezegd|cancel|exited|attrition|vertrokken|left|gestopt|lost",
    "tenure": r"tenure|months|maanden|looptijd|klantduur|lifetime",
    "year": r"year|jaar|^yr$",
    "state": r"state|status|event|activity|stage|toestand|action|step",
    "derived": r"nps.?(group|rating|category|class)|promoter|^rating$",
}
"""Regular expressions (matched case-insensitively) on a column's name and question text."""

_SCALES = {
    "csat": {
        "very dissatisfied": 1,
        "dissatisfied": 2,
        "neither satisfied nor dissatisfied": 3,
        "neutral": 3,
        "satisfied": 4,
        "very satisfied": 5,
        "zeer ontevreden": 1,
        "ontevreden": 2,
        "neutraal": 3,
        "tevreden": 4,
        "zeer tevreden": 5,
        "extremely dissatisfied": 1,
        "somewhat dissatisfied": 2,
        "somewhat satisfied": 4,
        "extremely satisfied": 5,
    },
    "agree7": {
        "strongly disagree": 1,
        "disagree": 2,
        "somewhat disagree": 3,
        "neither agree nor disagree": 4,
        "somewhat agree": 5,
        "agree": 6,
        "strongly agree": 7,
        "helemaal oneens": 1,
        "oneens": 2,
        "enigszins oneens": 3,
        "neutraal": 4,
        "enigszins eens": 5,
        "eens": 6,
        "helemaal eens": 7,
    },
}
_YES = {"yes", "y", "true", "1", "ja", "j", "churned", "left", "cancelled", "canceled", "opgezegd"}
_NO = {"no", "n", "false", "0", "nee", "active", "stayed", "retained", "actief"}


def hint(role: str, text: str) -> bool:
    """True when ``text`` (a name or question) suggests ``role`` (see HINTS); an id is also
    a camel-case name ending in Id or ID (customerID, ResponseId)."""
    if role == "id" and re.search(r"[a-z](Id|ID)$", text):
        return True
    return re.search(HINTS[role], text, flags=re.IGNORECASE) is not None


def slug(text: str, fallback: str = "item") -> str:
    """A short lower-case name from a label ('Seat comfort' → seat_comfort)."""
    words = re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")
    words = re.sub(r"^[0-9_]+", "", words)[:40].rstrip("_")
    return words or fallback


def scale_words(values: list[str]) -> tuple[str, dict[str, int]] | None:
    """(scale, {word: score}) when every value is a word of a known scale, else None."""
    keys = [v.strip().casefold() for v in values]
    for name, words in _SCALES.items():
        if keys and all(k in words for k in keys):
            return name, {v: words[k] for v, k in zip(values, keys)}
    return None


@dataclass
class Profile:
    """What one column looks like (texts stripped; empty and missing tokens not counted)."""

    position: int
    name: str
    question: str
    rows: int
    filled: int
    distinct: int
    top: list[str]
    numeric: bool = False
    integer: bool = False
    low: float | None = None
    high: float | None = None
    odd: list[str] = field(default_factory=list)
    """Non-numeric values of a mostly numeric column ("Don't know")."""
    counts: dict[float, int] = field(default_factory=dict)
    """Count of each number, for whole-number columns with at most 20 distinct values."""
    date: DateGuess | None = None
    mean_length: float = 0.0
    words: float = 0.0
    yes_no: tuple[str, str] | None = None
    scale: tuple[str, dict[str, int]] | None = None

    @property
    def text(self) -> str:
        """Name and question, for hints."""
        return f"{self.name} {self.question}".strip()

    @property
    def unique(self) -> bool:
        return self.filled == self.rows and self.distinct == self.filled and self.rows > 1

    def share_within(self, low: float, high: float) -> float:
        """Share of the numbers (whole, few distinct) that lie within ``low``..``high``."""
        total = sum(self.counts.values())
        return sum(n for v, n in self.counts.items() if low <= v <= high) / total if total else 0.0

    def label_like(self, limit: int = 40) -> bool:
        """Few distinct values: a label that could be a report unit."""
        if self.filled == 0 or self.numeric or self.date is not None:
            return False
        return 1 <= self.distinct <= limit and self.distinct <= max(2, self.filled // 2)

    def describe(self) -> str:
        """A short description of the values, for the draft's comments."""
        empty = self.rows - self.filled
        tail = f", {empty:,} empty" if empty else ""
        if self.date is not None:
            kind = {"year": "years", "month": "year-months"}.get(
                self.date.grain, ("dates with a time" if self.date.timed else "dates")
            )
            fmt = self.date.format or ("ISO 8601 with a UTC offset" if "offset" in self.date.note else "ISO 8601")
            return f"{kind}, {fmt}{tail}"
        if self.numeric:
            kind = "whole numbers" if self.integer else "numbers"
            odd = f" (and {', '.join(repr(o) for o in self.odd)})" if self.odd else ""
            return f"{kind} {_num(self.low)}–{_num(self.high)}{odd}{tail}"
        shown = ", ".join(self.top[:4]) + (", …" if self.distinct > 4 else "")
        if self.scale:
            return f"{self.distinct} answers in words ({shown}){tail}"
        if self.label_like():
            return f"{self.distinct} value{'s' if self.distinct > 1 else ''} ({shown}){tail}"
        return f"text, {self.distinct:,} distinct, {self.mean_length:.0f} characters on average{tail}"


def _num(x) -> str:
    return "?" if x is None else (f"{x:.0f}" if float(x).is_integer() else f"{x:g}")


def profile(sheet: Sheet, missing: set[str]) -> list[Profile]:
    """One Profile per column of ``sheet``; ``missing`` tokens count as empty."""
    out = []
    for i, name in enumerate(sheet.names):
        col = sheet.values[i] if i in sheet.values else pd.Series([], dtype=str)
        text = col.astype(str).str.strip()
        filled_mask = (text != "") & ~text.isin(missing)
        filled = text[filled_mask]
        counts = filled.value_counts(sort=True)
        p = Profile(
            i,
            name or f"column {i + 1}",
            sheet.questions[i] if i < len(sheet.questions) else "",
            len(text),
            int(filled_mask.sum()),
            len(counts),
            [str(v) for v in counts.index[:6]],
        )
        if p.filled:
            _values(p, counts)
            lengths = filled.str.len()
            p.mean_length = float(lengths.mean())
            p.words = float(filled.str.contains(" ", regex=False).mean())
        out.append(p)
    return out


SAMPLE = 2000
"""Distinct values a type is judged on: the most frequent ones (counts come sorted)."""
_DATE_SHAPE = r"^\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?([ T]\d{1,2}:\d\d.*)?$"


def _values(p: Profile, counts: pd.Series) -> None:
    """Numbers, dates, yes/no and word scales, judged on (a sample of) the distinct values."""
    distinct = pd.Series(counts.index.astype(str), dtype=str)
    sample = distinct.iloc[:SAMPLE]
    looks_numeric = pd.to_numeric(sample.str.replace(",", ".", regex=False), errors="coerce").notna().mean() >= 0.5
    if looks_numeric:  # every distinct value then, for an exact range
        number = pd.to_numeric(distinct.str.replace(",", ".", regex=False), errors="coerce")
        is_number = number.notna().to_numpy()
        weight = counts.to_numpy()
        share = weight[is_number].sum() / weight.sum()
    else:
        share = 0.0
    if share >= 0.8 and (share == 1 or (~is_number).sum() <= 3) and is_number.any():
        nums = number[is_number]
        p.numeric = True
        p.integer = bool((nums == nums.round()).all())
        p.low, p.high = float(nums.min()), float(nums.max())
        p.odd = list(distinct[~is_number])
        if p.integer and len(nums) <= 20:
            p.counts = {float(v): int(w) for v, w in zip(nums, weight[is_number])}
        if p.integer and nums.between(1900, 2100).all() and hint("year", p.text):
            p.date = DateGuess("%Y", False, 1.0, "a year only: read as 1 January", "year")
            p.numeric = False
        return
    if len(distinct) == 2:
        keys = {v.casefold() for v in distinct}
        if keys <= _YES | _NO and keys & _YES and keys & _NO:
            yes = next(v for v in distinct if v.casefold() in _YES)
            no = next(v for v in distinct if v.casefold() in _NO)
            p.yes_no = (yes, no)
            return
    if len(distinct) <= 12:
        p.scale = scale_words(list(distinct))
        if p.scale:
            return
    if sample.str.strip().str.match(_DATE_SHAPE).mean() > 0.9:
        p.date = guess_date_format(distinct)


def file_missing_tokens(sheet: Sheet) -> list[str]:
    """Missing-value tokens the file uses, where they stand in for a value rather than being
    one: in a column of numbers or of few distinct labels (a '?' among free-text comments is
    a comment). '-', 'NA' and 'None' count only beside numbers."""
    found = []
    filled = {i: int((sheet.values[i].astype(str).str.strip() != "").sum()) for i in sheet.values.columns}
    distinct = {
        i: pd.Series(pd.unique(sheet.values[i].astype(str).str.strip()), dtype=str) for i in sheet.values.columns
    }  # each column's distinct values
    for token in MISSING_TOKENS:
        for i, values in distinct.items():
            if not (values == token).any():
                continue
            rest = values[(values != token) & (values != "")]
            numeric = (
                len(rest) > 0
                and pd.to_numeric(rest.iloc[:SAMPLE].str.replace(",", ".", regex=False), errors="coerce").notna().mean()
                > 0.9
            )
            labels = token in _SURE_MISSING and len(rest) <= max(2, filled[i] // 2)
            if numeric or labels:
                found.append(token)
                break
    return found
