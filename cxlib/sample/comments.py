"""Survey comments: who comments, in which language, about which theme, in which tone.

Comment probability by NPS group (truths.COMMENT_P). Tone: detractors negative, promoters
positive, passives negative with probability 0.45; without NPS the CSAT (4-5 positive) or CES
(5-7 positive) decides. Theme by touchpoint (phrases.TOUCHPOINT_THEMES); delivery and
installation responses in the snow week comment more often (SNOW_COMMENT_P) and those comments
are about snow and delay with SNOW_COMMENT_SHARE.
Text = opener + sentence + closer from a codebook of all combinations; a share continues on a
second line; exactly round(PII_SHARE x comments) carry a personal detail and a few carry HTML.
"""

from __future__ import annotations

import numpy as np

from cxlib.sample import pii, truths
from cxlib.sample.company import LANGUAGES, TOUCHPOINTS
from cxlib.sample.phrases import (
    CLOSERS,
    HTML_WRAPS,
    OPENERS,
    PII_TEMPLATES,
    SENTENCES,
    SENTIMENTS,
    THEMES,
    TOUCHPOINT_THEMES,
)
from cxlib.sample.responses import Responses, draw_choice
from cxlib.sample.scores import Scores
from cxlib.sample.strings import SD, join

__all__ = ["PASSIVE_NEGATIVE", "Codebook", "tone_of", "make_comments"]

PASSIVE_NEGATIVE = 0.45
_SNOW = THEMES.index("snow")


def _bank(language: np.ndarray, theme: np.ndarray, sentiment: np.ndarray) -> np.ndarray:
    """Index of the (language, theme, sentiment) phrase bank."""
    return (language * len(THEMES) + theme) * len(SENTIMENTS) + sentiment


class Codebook:
    """Every opener + sentence + closer combination of every bank, in one string array."""

    def __init__(self) -> None:
        texts: list[str] = []
        self.offset, self.shape = [], []
        self.sentences: list[np.ndarray] = []
        for lang in LANGUAGES:
            for theme in THEMES:
                for tone in SENTIMENTS:
                    ops, sents = OPENERS[lang, tone], SENTENCES[lang, theme, tone]
                    closers = CLOSERS[lang, tone]
                    self.offset.append(len(texts))
                    self.shape.append((len(ops), len(sents), len(closers)))
                    texts += [o + s + c for o in ops for s in sents for c in closers]
                    self.sentences.append(np.array(sents, dtype=SD))
        self.texts = np.array(texts, dtype=SD)
        self.offset, self.shape = np.array(self.offset), np.array(self.shape)

    def draw(self, rng: np.random.Generator, bank: np.ndarray) -> np.ndarray:
        """A random combination from each entry's bank."""
        n_open, n_sent, n_close = self.shape[bank].T
        o, s, c = (np.floor(rng.random(len(bank)) * k).astype(np.int64) for k in (n_open, n_sent, n_close))
        return self.texts[self.offset[bank] + (o * n_sent + s) * n_close + c]

    def sentence(self, rng: np.random.Generator, bank: np.ndarray) -> np.ndarray:
        """A bare sentence from each entry's bank."""
        out = np.empty(len(bank), dtype=SD)
        for b in np.unique(bank):
            pick = bank == b
            choices = self.sentences[b]
            out[pick] = choices[rng.integers(0, len(choices), pick.sum())]
        return out


def tone_of(rng: np.random.Generator, s: Scores) -> np.ndarray:
    """1 = positive, 0 = negative, from the NPS group (else CSAT, else CES)."""
    group = s.group
    from_nps = np.where(group == 1, rng.random(len(group)) >= PASSIVE_NEGATIVE, group == 2)
    from_other = np.where(s.csat > 0, s.csat >= 4, s.ces >= 5)
    return np.where(group >= 0, from_nps, from_other).astype(np.int64)


def make_comments(rng: np.random.Generator, r: Responses, s: Scores, language: np.ndarray) -> np.ndarray:
    """Comment text per response (StringDType), empty string where there is none."""
    group_p = np.array([truths.COMMENT_P[k] for k in ("detractor", "passive", "promoter", "none")])
    field_snow = r.snow & r.field
    p = np.where(field_snow, truths.SNOW_COMMENT_P, group_p[np.where(s.group < 0, 3, s.group)])
    idx = np.flatnonzero(rng.random(len(r)) < p)
    tone = tone_of(rng, s)[idx]
    weights = np.array([TOUCHPOINT_THEMES[t] for t in TOUCHPOINTS])
    theme = draw_choice(rng, np.cumsum(weights, axis=1)[r.touchpoint[idx]]).astype(np.int64)
    snowy = field_snow[idx] & (rng.random(len(idx)) < truths.SNOW_COMMENT_SHARE)
    theme[snowy] = _SNOW
    lang = language[idx].astype(np.int64)

    book = Codebook()
    text = book.draw(rng, _bank(lang, theme, tone))
    n = len(idx)
    multi = rng.random(n) < truths.MULTILINE_SHARE
    other = (theme[multi] + rng.integers(1, _SNOW, multi.sum())) % _SNOW  # another theme
    second = book.sentence(rng, _bank(lang[multi], other, tone[multi]))
    text[multi] = join(text[multi], "\n", second)
    special = rng.permutation(n)
    n_pii = round(truths.PII_SHARE * n)
    n_html = min(max(truths.HTML_MIN, round(truths.HTML_SHARE * n)), n - n_pii)
    text = _add_details(rng, text, lang, special[:n_pii])
    text = _add_html(text, special[n_pii : n_pii + n_html])

    out = np.full(len(r), "", dtype=SD)
    out[idx] = text
    return out


def _add_details(rng: np.random.Generator, text: np.ndarray, lang: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Append a sentence holding a phone number, e-mail, IBAN or postcode (kinds in turn)."""
    kind = np.arange(len(rows)) % len(pii.KINDS)
    value = pii.details(rng, kind)
    before = np.array([[PII_TEMPLATES[lg, k][0] for k in pii.KINDS] for lg in LANGUAGES], dtype=SD)
    after = np.array([[PII_TEMPLATES[lg, k][1] for k in pii.KINDS] for lg in LANGUAGES], dtype=SD)
    lg = lang[rows]
    text[rows] = join(text[rows], " ", before[lg, kind], value, after[lg, kind])
    return text


def _add_html(text: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Wrap a few comments in HTML or script-like markup (kinds in turn)."""
    kind = np.arange(len(rows)) % len(HTML_WRAPS)
    before = np.array([w[0] for w in HTML_WRAPS], dtype=SD)[kind]
    after = np.array([w[1] for w in HTML_WRAPS], dtype=SD)[kind]
    text[rows] = join(before, text[rows], after)
    return text
