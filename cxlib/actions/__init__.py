"""Step 4 of the method: action plans (feedback review, themes, redaction, HTML safety).

Comment text leaves this package only redacted; in HTML it is escaped with ``escape_html``.
"""
from __future__ import annotations

from cxlib.actions.escape import escape_html, safe_text
from cxlib.actions.redact import contains_pii, redact
from cxlib.actions.review import feedback_review
from cxlib.actions.taxonomy import load_taxonomy
from cxlib.actions.themes import tag_themes, themes

__all__ = [
    "contains_pii",
    "escape_html",
    "feedback_review",
    "load_taxonomy",
    "redact",
    "safe_text",
    "tag_themes",
    "themes",
]
