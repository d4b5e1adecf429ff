"""`cx init DIR`: inspect the exports in a folder and draft its source.yaml.

Every export (CSV, or .xlsx through openpyxl) is read as text (cxlib.io.sheets), each column
profiled and given its likely role (cxlib.io.roles), and the file assigned to the tables it
can feed: a survey to responses (and customers, when it carries region or segment), a CRM
table to customers, a ticket list or an event log to tickets. The draft names every column
with a comment saying what it looked like and why it got its role; lines to verify say CHECK.
Columns left out are listed as comments. The draft is checked by parsing it back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from cxlib.io.errors import SourceError
from cxlib.io.roles import Profile, file_missing_tokens, hint, profile, slug
from cxlib.io.schemas import SCHEMAS
from cxlib.io.sheets import EXTENSIONS, Sheet, read_sheet
from cxlib.io.source import SOURCE_FILE, load_yaml, parse_source

__all__ = ["draft", "init"]

RATING_SCALES = ((0, 5), (1, 5), (1, 7), (0, 10), (1, 10))
_FIRST_RESPONSE = {
    "active",
    "in progress",
    "work in progress",
    "assigned",
    "responded",
    "in behandeling",
    "open",
    "acknowledged",
    "wip",
    "in_progress",
}
_RESOLVED = {"resolved", "closed", "done", "solved", "opgelost", "gesloten", "completed", "afgehandeld"}
_ESCALATED = {"escalated", "escalation", "geëscaleerd", "escalated to l2"}
_CATEGORY_WORDS = {
    "complaint": "complaint",
    "klacht": "complaint",
    "question": "question",
    "vraag": "question",
    "request": "request",
    "verzoek": "request",
    "aanvraag": "request",
    "incident": "request",
}


@dataclass
class Line:
    """One ``key: value`` line of the draft with its comment (``off``: written commented out)."""

    key: str
    value: str
    comment: str = ""
    off: bool = False


@dataclass
class TablePlan:
    """What the draft says about one table."""

    table: str
    file: str
    head: list[str] = field(default_factory=list)
    options: list[Line] = field(default_factory=list)
    columns: list[Line] = field(default_factory=list)
    blocks: dict[str, list[Line]] = field(default_factory=dict)
    """Nested blocks: values, formats, constants, durations, ratings, events."""


def init(folder: str | Path, force: bool = False) -> Path:
    """Write ``folder/source.yaml`` drafted from the exports in ``folder``; returns its path.

    An existing source.yaml is kept (SourceError) unless ``force``.
    """
    folder = Path(folder)
    target = folder / SOURCE_FILE
    if target.exists() and not force:
        raise SourceError(target, "source.yaml exists already", "no source.yaml, or --force to overwrite it")
    text = draft(folder)
    target.write_text(text, encoding="utf-8")
    return target


def draft(folder: str | Path) -> str:
    """The draft source.yaml for the exports in ``folder`` (text, with comments)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(folder, "data folder not found", "a folder with CSV or .xlsx exports")
    exports = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS)
    if not exports:
        raise SourceError(folder, "no exports found", "CSV or .xlsx files in the folder")
    plans: dict[str, TablePlan] = {}
    skipped = []
    for path in exports:
        sheet = read_sheet(path)
        date = dt.date.fromtimestamp(path.stat().st_mtime)
        found = plan_file(sheet, date)
        if not found:
            skipped.append(f"{path.name}: no table recognised ({len(sheet.names)} columns)")
        for plan in found:
            if plan.table in plans:
                skipped.append(f"{path.name}: also looks like {plan.table}, already read from {plans[plan.table].file}")
            else:
                plans[plan.table] = plan
    text = render(plans, skipped)
    parse_source(load_yaml(text, SOURCE_FILE), SOURCE_FILE)  # the draft must be valid
    return text


# --- planning ----------------------------------------------------------------------------------


def plan_file(sheet: Sheet, date: dt.date) -> list[TablePlan]:
    """The tables one export feeds, with their lines."""
    missing = file_missing_tokens(sheet)
    cols = profile(sheet, set(missing))
    head = [
        f"{sheet.file}: {sheet.rows:,} records, {len(cols)} columns"
        + (f", a {sheet.tool.title()} export" if sheet.tool else "")
    ]
    options = []
    if sheet.header_rows > 1:
        why = {"qualtrics": "names, question texts, ImportIds", "surveymonkey": "questions, answer options"}.get(
            sheet.tool, "names, then a text line"
        )
        options.append(
            Line("header_rows", str(sheet.header_rows), f"the first {sheet.header_rows} lines are header ({why})")
        )
    if missing:
        options.append(
            Line(
                "missing",
                "[" + ", ".join(_q(t) for t in missing) + "]",
                "whole-cell texts that mean 'no value' in this file",
            )
        )
    state = _event_state(cols)
    named = Path(sheet.file).stem.casefold()
    if named in SCHEMAS and named not in ("responses", "customers", "tickets"):
        plans = [_canonical(sheet, cols, named)]
    elif named == "responses":
        plans = _survey(sheet, cols, date)[:1]
    elif named == "customers":
        plans = [_customers_crm(sheet, cols, date)]
    elif named == "tickets" and state is None:
        plans = [_tickets(sheet, cols)]
    elif state is not None:
        plans = [_tickets_from_events(sheet, cols, state)]
    elif _is_tickets(cols):
        plans = [_tickets(sheet, cols)]
    elif _is_crm(cols):
        plans = [_customers_crm(sheet, cols, date)]
    elif _is_survey(cols):
        plans = _survey(sheet, cols, date)
    else:
        return []
    for plan in plans:
        plan.head = head + plan.head
        plan.options = options + plan.options
    return plans


def _canonical(sheet: Sheet, cols, table: str) -> TablePlan:
    """A file named after a table (orders.csv): its columns of canonical names, as they are."""
    plan = TablePlan(table, sheet.file, ["named after the table: read in the canonical layout"])
    names = set(SCHEMAS[table].columns)
    for c in cols:
        if c.name in names:
            plan.columns.append(Line(c.name, c.name, c.describe()))
        else:
            plan.columns.append(Line(c.name, "", f"not used: {c.describe()}", off=True))
    return plan


def _ids(cols: list[Profile]) -> list[Profile]:
    """Id-like columns: complete, (nearly) unique, not dates or fractions. A few repeats are
    left to the loader, which rejects them as duplicates."""
    return [
        c
        for c in cols
        if c.rows > 1
        and c.filled == c.rows
        and c.distinct >= 0.99 * c.filled
        and c.date is None
        and not (c.numeric and not c.integer)
    ]


def _pick(cols, used: set[int], test) -> Profile | None:
    for c in cols:
        if c.position not in used and test(c):
            used.add(c.position)
            return c
    return None


def _is_survey(cols) -> bool:
    """Answers: a score, two or more ratings, or a comment beside a date."""
    ratings = sum(_rating_scale(c) is not None and not hint("id", c.name) for c in cols)
    comment = any(_is_comment(c) for c in cols) and any(c.date is not None for c in cols)
    return any(_score_role(c) for c in cols) or ratings >= 2 or comment


def _is_crm(cols) -> bool:
    """A customer table: churned yes/no, a tenure, or a churn date (a signup date alone is
    too weak a sign: surveys have start dates)."""
    return any(
        (c.yes_no and hint("churn", c.text))
        or (c.integer and hint("tenure", c.text))
        or (c.date is not None and hint("churn_date", c.text))
        for c in cols
    )


def _is_tickets(cols) -> bool:
    return any(c.unique and hint("ticket_id", c.name) for c in cols) and any(
        c.date is not None and hint("created_at", c.text) for c in cols
    )


def _event_state(cols) -> Profile | None:
    """The state column of an event log: ids repeat, and a state label and a time exist."""
    ids = [
        c
        for c in cols
        if hint("ticket_id", c.name) and not c.unique and c.filled and c.distinct < 0.9 * c.filled and c.date is None
    ]
    timed = [c for c in cols if c.date is not None and c.date.timed]
    states = [c for c in cols if hint("state", c.name) and c.label_like(60)]
    return states[0] if ids and timed and states else None


def _score_role(c: Profile) -> str | None:
    """nps, csat or ces when name/question and values agree."""
    if c.scale:
        if c.scale[0] == "csat" and not hint("ces", c.text):
            return "csat"
        if c.scale[0] == "agree7" and hint("ces", c.text):
            return "ces"
        return None
    if not (c.numeric and c.integer and c.counts):
        return None
    # nearly all values on the scale: a stray value outside it is rejected by the loader
    if hint("nps", c.text) and c.share_within(0, 10) >= 0.99 and c.high >= 7:
        return "nps"
    if hint("ces", c.text) and c.share_within(1, 7) >= 0.99:
        return "ces"
    if hint("csat", c.text) and c.share_within(1, 5) >= 0.99:
        return "csat"
    return None


def _rating_scale(c: Profile) -> tuple[int, int] | None:
    if not (c.numeric and c.integer) or c.distinct > 11 or c.filled < 2:
        return None
    return next(((lo, hi) for lo, hi in RATING_SCALES if c.low >= lo and c.high <= hi), None)


def _is_customer_id(c: Profile) -> bool:
    return (
        hint("customer_id", c.name)
        and (hint("id", c.name) or c.unique)
        and c.date is None
        and not (c.numeric and not c.integer)
    )


def _is_comment(c: Profile) -> bool:
    """Free text: named so (and more than a dozen different texts), or long on average and
    not a label whose values repeat (each value three times or more on average)."""
    if c.numeric or c.date is not None or c.yes_no or c.scale or c.filled == 0:
        return False
    if hint("comment", c.text) and c.mean_length >= 5 and not c.label_like(12):
        return True
    return c.mean_length >= 25 and c.filled < 3 * c.distinct


def _survey(sheet: Sheet, cols: list[Profile], date: dt.date) -> list[TablePlan]:
    r = TablePlan("responses", sheet.file)
    used: set[int] = set()
    rid = _pick(_ids(cols), used, lambda c: hint("response_id", c.text)) or _pick(
        _ids(cols), used, lambda c: hint("id", c.name) and not hint("customer_id", c.name)
    )
    cid = _pick(cols, used, _is_customer_id)
    wants_customers = any(c.label_like() and (hint("region", c.text) or hint("segment", c.text)) for c in cols)
    if rid is not None:
        targets = ["response_id"] + (["customer_id"] if cid is None and wants_customers else [])
        r.columns.append(
            Line(
                rid.name,
                _targets(targets),
                f"{rid.describe()}; unique: the "
                "response id" + ("; also the customer (one per response)" if len(targets) > 1 else ""),
            )
        )
    if cid is not None:
        r.columns.append(Line(cid.name, "customer_id", f"{cid.describe()}; the customer's id"))
    _submitted(r, cols, used, date)
    _scores(r, cols, used)
    _ratings(r, cols, used)
    comment = [c for c in cols if c.position not in used and _is_comment(c)]
    comment.sort(key=lambda c: (not hint("comment", c.text), -c.mean_length))
    if comment:
        c = comment[0]
        used.add(c.position)
        check = "" if hint("comment", c.text) else "; CHECK it is the free-text comment"
        r.columns.append(Line(c.name, "comment", f"{c.describe()}{check}"))
    lang = _pick(
        cols,
        used,
        lambda c: c.label_like() and (hint("language", c.name) or all(t.casefold() in _LANGS for t in c.top)),
    )
    if lang is not None:
        r.columns.append(Line(lang.name, "language", f"{lang.describe()}: the comment's language"))
    for target in ("touchpoint", "channel", "team"):
        c = _pick(cols, used, lambda c, t=target: c.label_like() and hint(t, c.text) and not hint("derived", c.text))
        if c is not None:
            r.columns.append(Line(c.name, target, f"{c.describe()}: a good report unit; CHECK it is the {target}"))
    plans = [r]
    if wants_customers:
        plans.append(_customers_from_survey(sheet, cols, used, rid, cid))
    _left_out(r, cols, used)
    return plans


_LANGS = {
    "nl",
    "en",
    "de",
    "fr",
    "es",
    "it",
    "english",
    "dutch",
    "nederlands",
    "engels",
    "en-gb",
    "en-us",
    "nl-nl",
    "nl-be",
}


def _submitted(r: TablePlan, cols, used: set[int], date: dt.date) -> None:
    dates = [c for c in cols if c.position not in used and c.date is not None]
    dates.sort(key=lambda c: (not hint("submitted_at", c.text), not c.date.timed, c.date.grain != "day", c.position))
    if not dates:
        r.blocks.setdefault("constants", []).append(
            Line(
                "submitted_at",
                date.isoformat(),
                "no date in the file: one date for every record; "
                "CHECK: the day the survey ran (taken from the file's date)",
            )
        )
        return
    c = dates[0]
    used.add(c.position)
    note = f"; {c.date.note}" if c.date.note and "offset" not in c.date.note else ""
    r.columns.append(Line(c.name, "submitted_at", f"{c.describe()}{note}"))
    if c.date.format:
        r.blocks.setdefault("formats", []).append(Line("submitted_at", _q(c.date.format), f"the layout of {c.name}"))


def _scores(r: TablePlan, cols, used: set[int]) -> None:
    for score in ("nps", "csat", "ces"):
        c = _pick(cols, used, lambda c, s=score: _score_role(c) == s)
        if c is None and score == "nps":  # 0-10 with a 0, the only such column: likely NPS
            zero_ten = [
                c
                for c in cols
                if c.position not in used
                and c.numeric
                and c.integer
                and c.low == 0
                and c.high == 10
                and not hint("derived", c.text)
            ]
            if len(zero_ten) == 1:
                c = zero_ten[0]
                used.add(c.position)
                r.columns.append(
                    Line(c.name, "nps", f"{c.describe()}: a 0–10 scale; CHECK it is the 'would you recommend' question")
                )
            continue
        if c is None:
            continue
        why = {"nps": "NPS 0–10", "csat": "CSAT 1–5", "ces": "CES 2.0, 1–7 (7 = very easy)"}
        scale = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}[score]
        outside = sum(n for v, n in c.counts.items() if not scale[0] <= v <= scale[1])
        if outside:
            why[score] += f"; {outside:,} value{'s' if outside > 1 else ''} outside it will be rejected"
        question = (
            f" ({_short(c.question)})"
            if c.question and c.question.casefold() not in ("response", "open-ended response")
            else ""
        )
        r.columns.append(Line(c.name, score, f"{c.describe()}{question}: {why[score]}"))
        if c.scale:
            r.blocks.setdefault("values", []).append(
                Line(score, _flow({**c.scale[1]}), f"{c.name} is written in words")
            )
        elif c.odd:
            r.blocks.setdefault("values", []).append(
                Line(score, _flow({o: "" for o in c.odd}), "answers without a score, read as empty")
            )


def _ratings(r: TablePlan, cols, used: set[int]) -> None:
    found = [
        (c, _rating_scale(c))
        for c in cols
        if c.position not in used and not hint("derived", c.text) and not hint("id", c.name)
    ]
    found = [(c, s) for c, s in found if s is not None]
    if len(found) < 2:  # one stray small-number column is no set of attribute ratings
        return
    lines, names = [], set()
    for c, _ in found:
        used.add(c.position)
        label = (
            c.name.split(" / ")[-1]
            if " / " in c.name
            else (c.question.split(" - ")[-1] if " - " in c.question else c.name)
        )
        name = slug(label, f"rating_{c.position + 1}")
        while name in names:
            name += "_2"
        names.add(name)
        lines.append(Line(c.name, name, c.describe()))
    low = int(min(c.low for c, _ in found))
    high = int(max(c.high for c, _ in found))
    if low == 0 and high <= 5:
        block = [
            Line("scale", "[1, 5]", f"ratings {low}–{high}"),
            Line("not_applicable", "[0]", "0 beside 1–5: 'not applicable', read as empty; CHECK"),
        ]
    else:
        lo, hi = next((lo, hi) for lo, hi in ((1, 5), (1, 7), (1, 10), (0, 5), (0, 10)) if lo <= low and high <= hi)
        block = [Line("scale", f"[{lo}, {hi}]", f"ratings {low}–{high} in the file")]
    block.append(Line("columns", "", "attribute ratings: cx.drivers uses them by default"))
    r.blocks["ratings"] = block + [Line("  " + ln.key, ln.value, ln.comment) for ln in lines]


def _customers_from_survey(sheet: Sheet, cols, used: set[int], rid, cid) -> TablePlan:
    head = "the same file, read for the customers' region and segment"
    c = TablePlan("customers", sheet.file, [head])
    if cid is not None:
        c.columns.append(Line(cid.name, "customer_id", "the customer's id"))
        if not cid.unique:
            c.head.append(
                "CHECK: customers answer more than once; repeated ids are rejected as duplicates (the first is kept)"
            )
    elif rid is not None:
        c.columns.append(Line(rid.name, "customer_id", "one customer per response"))
    for target in ("region", "segment"):
        p = _pick(cols, used, lambda p, t=target: p.label_like() and hint(t, p.text))
        if p is not None:
            c.columns.append(Line(p.name, target, f"{p.describe()}: a good report unit"))
    return c


def _customers_crm(sheet: Sheet, cols, date: dt.date) -> TablePlan:
    c = TablePlan("customers", sheet.file)
    used: set[int] = set()
    cid = _pick(_ids(cols), used, lambda p: hint("customer_id", p.name) or hint("id", p.name))
    if cid is not None:
        c.columns.append(Line(cid.name, "customer_id", f"{cid.describe()}; unique: the customer"))
    signup = _pick(cols, used, lambda p: p.date is not None and hint("signup_date", p.text))
    tenure = None
    if signup is not None:
        c.columns.append(Line(signup.name, "signup_date", signup.describe()))
        if signup.date.format:
            c.blocks.setdefault("formats", []).append(Line("signup_date", _q(signup.date.format)))
    else:
        tenure = _pick(cols, used, lambda p: p.integer and hint("tenure", p.text) and p.low >= 0)
    churn_date = _pick(cols, used, lambda p: p.date is not None and hint("churn_date", p.text))
    flag = None if churn_date else _pick(cols, used, lambda p: p.yes_no and hint("churn", p.text))
    month = date.replace(day=1)
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if tenure is not None or flag is not None:
        c.options.append(
            Line(
                "snapshot",
                month.isoformat(),
                "CHECK: the day the export was taken (taken from the file's date); durations count back from it",
            )
        )
    if tenure is not None:
        c.columns.append(
            Line(tenure.name, "signup_date", f"{tenure.describe()}: months as a customer, turned into a signup date")
        )
        c.blocks.setdefault("durations", []).append(Line("signup_date", "months", f"{tenure.name} counts months"))
    if churn_date is not None:
        c.columns.append(Line(churn_date.name, "churn_date", churn_date.describe()))
    if flag is not None:
        yes, no = flag.yes_no
        c.columns.append(Line(flag.name, "churn_date", f"{flag.describe()}: churned or not, turned into a churn date"))
        c.blocks.setdefault("values", []).append(
            Line(
                "churn_date",
                _flow({yes: end.isoformat(), no: ""}),
                "CHECK: when the churners left (here: the end of the snapshot's month)",
            )
        )
    for target in ("region", "segment"):
        p = _pick(cols, used, lambda p, t=target: p.label_like() and hint(t, p.text))
        if p is not None:
            c.columns.append(Line(p.name, target, f"{p.describe()}: a good report unit"))
    _left_out(c, cols, used)
    return c


def _tickets(sheet: Sheet, cols) -> TablePlan:
    t = TablePlan("tickets", sheet.file)
    used: set[int] = set()
    tid = _pick(_ids(cols), used, lambda p: hint("ticket_id", p.name) or hint("id", p.name))
    if tid is not None:
        t.columns.append(Line(tid.name, "ticket_id", f"{tid.describe()}; unique: the ticket"))
    else:
        t.head.append("CHECK: no unique ticket id found; map one under columns")
    for target, test in (
        ("created_at", lambda p: p.date is not None and hint("created_at", p.text)),
        (
            "first_response_at",
            lambda p: (
                p.date is not None and re.search(r"first|respon|reactie|reply", p.text, re.IGNORECASE) is not None
            ),
        ),
        (
            "resolved_at",
            lambda p: (
                p.date is not None
                and re.search(r"resolv|closed|opgelost|solved|gesloten", p.text, re.IGNORECASE) is not None
            ),
        ),
    ):
        p = _pick(cols, used, test)
        if p is not None:
            t.columns.append(Line(p.name, target, p.describe()))
            if p.date.format:
                t.blocks.setdefault("formats", []).append(Line(target, _q(p.date.format)))
    _ticket_labels(t, cols, used)
    esc = _pick(cols, used, lambda p: p.yes_no and re.search(r"escal", p.text, re.IGNORECASE) is not None)
    if esc is not None:
        t.columns.append(Line(esc.name, "escalated", esc.describe()))
    _left_out(t, cols, used)
    return t


def _tickets_from_events(sheet: Sheet, cols, state: Profile) -> TablePlan:
    head = "an event log (one row per change of state): collapsed to one ticket per id"
    t = TablePlan("tickets", sheet.file, [head])
    used: set[int] = {state.position}
    tid = _pick(cols, used, lambda p: hint("ticket_id", p.name) and not p.unique)
    t.columns.append(Line(tid.name, "ticket_id", f"{tid.describe()}; repeats: the ticket"))
    timed = [p for p in cols if p.position not in used and p.date is not None and p.date.timed]
    timed.sort(key=lambda p: (re.search(r"updat|event|time|stamp|modif", p.name, re.IGNORECASE) is None, p.position))
    time = timed[0]
    used.add(time.position)
    opened = _pick(cols, used, lambda p: p.date is not None and hint("created_at", p.name))
    if opened is not None:
        t.columns.append(
            Line(opened.name, "created_at", f"{opened.describe()}: when the ticket was opened (else its first event)")
        )
    states = _state_values(state)
    fmt = {
        "first_response": sorted(s for s in states if s.casefold() in _FIRST_RESPONSE),
        "resolved": sorted(s for s in states if s.casefold() in _RESOLVED),
        "escalated": sorted(s for s in states if s.casefold() in _ESCALATED),
    }
    t.blocks["events"] = [
        Line("time", _q(time.name), f"{time.describe()}: when each event happened"),
        Line("kind", _q(state.name), f"states: {', '.join(states)}"),
        Line(
            "first_response",
            "[" + ", ".join(_q(s) for s in fmt["first_response"]) + "]",
            "the first of these is the first response; CHECK",
        ),
        Line(
            "resolved",
            "[" + ", ".join(_q(s) for s in fmt["resolved"]) + "]",
            "the first of these is the resolution; CHECK",
        ),
    ]
    if fmt["escalated"]:
        t.blocks["events"].append(
            Line(
                "escalated",
                "[" + ", ".join(_q(s) for s in fmt["escalated"]) + "]",
                "any of these marks the ticket escalated",
            )
        )
    if time.date.format:
        t.options.append(
            Line(
                "datetime_format",
                _q(time.date.format),
                f"the layout of {time.name}" + (f"; {time.date.note}" if time.date.note else ""),
            )
        )
    _ticket_labels(t, cols, used)
    _left_out(t, cols, used)
    return t


def _state_values(state: Profile) -> list[str]:
    return list(state.top) if state.distinct <= len(state.top) else list(state.top) + ["…"]


def _ticket_labels(t: TablePlan, cols, used: set[int]) -> None:
    cust = _pick(
        cols, used, lambda p: hint("customer_id", p.name) and p.date is None and not (p.numeric and not p.integer)
    )
    if cust is not None:
        t.columns.append(Line(cust.name, "customer_id", f"{cust.describe()}: the customer"))
    for target in ("channel", "team"):
        p = _pick(cols, used, lambda p, g=target: p.label_like(200) and hint(g, p.name))
        if p is not None:
            t.columns.append(Line(p.name, target, f"{p.describe()}: a good report unit"))
    agent = _pick(cols, used, lambda p: hint("agent_id", p.name) and p.date is None)
    if agent is not None:
        t.columns.append(Line(agent.name, "agent_id", agent.describe()))
    cat = _pick(cols, used, lambda p: p.label_like(200) and hint("category", p.name))
    if cat is not None:
        t.columns.append(Line(cat.name, "category", cat.describe()))
        mapped = {v: _CATEGORY_WORDS[w] for v in cat.top for w in _CATEGORY_WORDS if w in v.casefold()}
        t.blocks.setdefault("values", []).append(
            Line(
                "category",
                _flow({**mapped, "*": "request"}),
                "category is question, complaint or request: CHECK which values are complaints",
            )
        )


def _left_out(plan: TablePlan, cols, used: set[int]) -> None:
    for c in cols:
        if c.position in used:
            continue
        why = c.describe()
        if hint("derived", c.text):
            why += "; derived from a score"
        elif c.label_like():
            why += "; could be a report unit (map it to touchpoint, channel, segment or region)"
        plan.columns.append(Line(c.name, "", f"not used: {why}", off=True))


# --- rendering ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ./()&+-]*")
_RESERVED = {"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"}


def _q(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else double-quoted (JSON escapes)."""
    text = str(text)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.casefold() not in _RESERVED and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _targets(targets: list[str]) -> str:
    return targets[0] if len(targets) == 1 else "[" + ", ".join(targets) + "]"


def _flow(mapping: dict) -> str:
    def value(v) -> str:
        return str(v) if isinstance(v, int) else (_q(v) if v != "" else '""')

    return "{" + ", ".join(f"{_q(k)}: {value(v)}" for k, v in mapping.items()) + "}"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render(plans: dict[str, TablePlan], skipped: list[str]) -> str:
    """The draft's text: a header, then each table's lines with aligned comments."""
    out = [
        "# source.yaml drafted by `cx init`: how to read the exports in this folder.",
        "# Each line says what the column looked like and why it got its role. Check the",
        "# lines marked CHECK, then run `cx validate` on the folder. Columns left out are",
        "# listed as comments: remove the '#' and name a column to use one. See docs/data.md.",
        "",
    ]
    out += [f"# skipped: {s}" for s in skipped]
    out.append("tables:")
    for plan in plans.values():
        out.append(f"  {plan.table}:")
        out += [f"    # {h}" for h in plan.head]
        rows = [("    ", Line("file", _q(plan.file)))] + [("    ", ln) for ln in plan.options]
        if plan.columns:
            rows.append(("    ", Line("columns", "")))
            rows += [("      ", ln) for ln in plan.columns]
        for block, lines in plan.blocks.items():
            rows.append(("    ", Line(block, "")))
            rows += [("      ", ln) for ln in lines]
        out += _aligned(rows)
    return "\n".join(out) + "\n"


def _aligned(rows: list[tuple[str, Line]]) -> list[str]:
    texts = []
    for indent, ln in rows:
        key = ln.key.strip()
        pad = indent + " " * (len(ln.key) - len(ln.key.lstrip()))
        body = f"{pad}{'# ' if ln.off else ''}{_q(key)}:" + (f" {ln.value}" if ln.value else "")
        texts.append((body, ln.comment))
    width = min(60, max((len(b) for b, c in texts if c), default=0))
    return [f"{b:<{width}}  # {c}" if c else b for b, c in texts]
