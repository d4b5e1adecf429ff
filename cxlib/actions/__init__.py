"""Step 4 of the method: action plans (rules, follow-up lists, feedback review, themes, redaction,
HTML safety, the action ledger).

Comment text leaves this package only redacted; in HTML it is escaped with ``escape_html``.
"""

from __future__ import annotations

from cxlib.actions.escape import escape_html, safe_text
from cxlib.actions.feedback_review import feedback_review
from cxlib.actions.followup import follow_up_list, referral_list
from cxlib.actions.ledger import accept_actions, ledger_rows, set_action_status
from cxlib.actions.proposals import action_key, load_rules, propose_actions
from cxlib.actions.redact import contains_pii, redact, redact_label
from cxlib.actions.suggest import ThemeSuggestions, draft_taxonomy, suggest_themes
from cxlib.actions.taxonomy import load_taxonomy
from cxlib.actions.theme_impact import theme_impact
from cxlib.actions.themes import detect_language, tag_themes, theme_hits, theme_similarity, themes

__all__ = [
    "accept_actions",
    "action_key",
    "ThemeSuggestions",
    "contains_pii",
    "detect_language",
    "draft_taxonomy",
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
    "set_action_status",
    "suggest_themes",
    "tag_themes",
    "theme_hits",
    "theme_impact",
    "theme_similarity",
    "themes",
]
