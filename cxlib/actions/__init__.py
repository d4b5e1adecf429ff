"""Step 4 of the method: action plans (rules, follow-up lists, feedback review, themes, redaction,
HTML safety, the action ledger).

Comment text leaves this package only redacted; in HTML it is escaped with ``escape_html``.
"""
from __future__ import annotations

from cxlib.actions.escape import escape_html, safe_text
from cxlib.actions.feedback_review import feedback_review
from cxlib.actions.followup import follow_up_list, referral_list
from cxlib.actions.ledger import accept_actions, ledger_rows
from cxlib.actions.proposals import action_key, load_rules, propose_actions
from cxlib.actions.redact import contains_pii, redact, redact_label
from cxlib.actions.taxonomy import load_taxonomy
from cxlib.actions.themes import tag_themes, themes

__all__ = [
    "accept_actions",
    "action_key",
    "contains_pii",
    "escape_html",
    "feedback_review",
    "follow_up_list",
    "ledger_rows",
    "load_rules",
    "load_taxonomy",
    "propose_actions",
    "redact",
    "redact_label",
    "referral_list",
    "safe_text",
    "tag_themes",
    "themes",
]
