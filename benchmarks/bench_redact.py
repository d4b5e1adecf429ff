"""Benchmark: redact 100,000 synthetic comments, against the regex-only redaction as baseline.

The comments are the sample company's comments (data/sample/responses.csv), each with, at
random: an ordinary number phrase (amounts, dates, times, order numbers, durations, scores;
60% of rows), a look-alike character that is not personal data (a non-breaking space or an
en-dash; 3%) and one of 40 notations of personal data (1%, some with look-alike characters).
Both redactors run on the same frame in the same process. Prints seconds, comments per
second and the ratio to the baseline, and per redactor how many planted personal-data rows it
changed (caught) and how many other rows it changed (false positives).
Not a timed test. Run: PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_redact.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

import baseline_redact  # the frozen regex-only redaction, found through sys.path above

from cxlib.actions.redact import redact
from cxlib.paths import SAMPLE_DATA

N_COMMENTS = 100_000
NBSP, EN = "\u00a0", "\u2013"

ORDINARY = [
    "Ik betaalde € 12,50 te veel.",
    "€1.250,00 afgeschreven.",
    "I was charged £49.99 twice.",
    "Bezorgd op 05-01-2026 om 14:30.",
    "Levering op 5 januari 2026.",
    "Ordernummer 2025-004512.",
    "Order 48213377 still missing.",
    "Factuur 2025-11-0042 klopt niet.",
    "Ik geef een 9.",
    "10/10!",
    "Wachtte 45 minuten.",
    "Tussen 09.00 en 17.00 uur bereikbaar.",
    "Klantnummer 123456789.",
    "Het pakket kwam 3 dagen te laat.",
    "NPS 2025 Q1 was beter.",
    "Ticket 551203 staat nog open.",
    "Delivered 01/05/2026.",
    "Referentie 987654321.",
]
LOOKALIKE = [f"Van 10{EN}12 uur gewacht.", f"€{NBSP}12,50 teruggekregen.", f"Bezorgd op 5{NBSP}jan."]
PII = [
    "Bel me op 06-12345678.",
    f"Bel 06{NBSP}12345678.",
    f"Bel 06{EN}12345678.",
    "Bel ０６１２３４５６７８.",
    "Bel +31 6 1234 5678.",
    "Call +44 20 7946 0958.",
    "Bel 0470 12 34 56.",
    "Ruf 0151 23456789 an.",
    "Tel 030 12345678.",
    "Bel 061 234 567 8.",
    "Mail jan@example.nl.",
    "Mail jan @ example.nl.",
    "Mail jan at example dot nl.",
    "Mail jan(at)example.nl.",
    "jan [at] example [dot] nl",
    "Rekening NL91ABNA0417164300.",
    "Rekening NL91 ABNA 0417 1643 00.",
    "NL91.ABNA.0417.1643.00",
    "NL91-ABNA-0417-1643-00",
    "ＮＬ９１ＡＢＮＡ０４１７１６４３００",
    "BE68 5390 0754 7034",
    "DE89 3704 0044 0532 0130 00",
    "Mijn BSN is 123456782.",
    "BSN 1234.56.782",
    "123456782 is mijn bsn",
    "Geboren 12-03-1980.",
    "Born 12/03/1980.",
    "Geb. datum 12.03.1980.",
    "DOB: 03/12/1980.",
    "Geburtsdatum: 12.03.1980.",
    "Postcode 1234 AB 12.",
    "Kerkstraat 12.",
    "221B Baker Street.",
    "Hauptstraße 5.",
    "rue de la Loi 16",
    "Rijksregisternummer 85.07.30-033.28.",
    "(020) 123 45 67",
    "+49 (0)89 1234567",
    "0031 20 123 4567",
    "SW1A 1AA",
]


def synthetic(n: int, seed: int = 3) -> tuple[pd.Series, np.ndarray]:
    """(comments, planted): n comments and a flag for the ones with planted personal data."""
    rng = np.random.default_rng(seed)
    base = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype={"comment": "string"})["comment"].dropna()
    pick = rng.integers(0, len(base), n)
    texts = base.to_numpy()[pick].astype(object)
    # the sample's own planted personal data (84 comments, data/sample/README.md) counts too
    base_pii = baseline_redact.redact(base).ne(base).to_numpy(dtype=bool)
    add = np.full(n, "", dtype=object)
    ordinary = rng.random(n) < 0.60
    add[ordinary] = np.asarray(ORDINARY, dtype=object)[rng.integers(0, len(ORDINARY), ordinary.sum())]
    lookalike = rng.random(n) < 0.03
    add[lookalike] = (
        add[lookalike] + " " + np.asarray(LOOKALIKE, dtype=object)[rng.integers(0, len(LOOKALIKE), lookalike.sum())]
    )
    planted = rng.random(n) < 0.01
    add_pii = planted.copy()
    planted |= base_pii[pick]
    add[add_pii] = add[add_pii] + " " + np.asarray(PII, dtype=object)[rng.integers(0, len(PII), add_pii.sum())]
    comments = pd.Series(texts + " " + add, dtype="string").str.strip()
    return comments, planted


def run(name: str, fn, comments: pd.Series, planted: np.ndarray, baseline: float | None) -> float:
    start = time.perf_counter()
    out = fn(comments)
    seconds = time.perf_counter() - start
    changed = out.ne(comments).to_numpy(dtype=bool)
    ratio = "" if baseline is None else f", ratio {seconds / baseline:.2f} to the baseline"
    print(f"  {name:<28} {seconds:6.2f} s  {len(comments) / seconds:9,.0f} comments/s{ratio}")
    print(
        f"  {'':<28} planted rows caught {changed[planted].sum():,} of {planted.sum():,}; "
        f"other rows changed {changed[~planted].sum():,}"
    )
    return seconds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_COMMENTS
    comments, planted = synthetic(n)
    print(f"redact: {n:,} synthetic comments, {planted.sum():,} with personal data")
    redact(comments.head(100))  # first call imports phonenumbers and compiles patterns
    base = run("baseline (regex only)", baseline_redact.redact, comments, planted, None)
    run("cxlib.redact", redact, comments, planted, base)


if __name__ == "__main__":
    main()
