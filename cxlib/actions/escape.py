"""HTML safety for untrusted text: comments are escaped wherever they meet HTML."""

from __future__ import annotations

import html

import pandas as pd

from cxlib.actions.redact import as_text, redact

__all__ = ["escape_html", "safe_text"]

# The replacements of html.escape(quote=True), "&" first.
_HTML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def escape_html(text: pd.Series | str) -> pd.Series | str:
    """Escape ``& < > " '`` as ``html.escape(quote=True)`` does, over a whole column.

    Safe for element content and quoted attribute values; never put comment text in a URL,
    ``<script>``, ``style`` or an unquoted attribute. Missing values stay missing.
    """
    if isinstance(text, str):
        return html.escape(text, quote=True)
    s = as_text(text)
    for char, entity in _HTML_ENTITIES:
        s = s.str.replace(char, entity, regex=False)
    return s


def safe_text(text: pd.Series | str) -> pd.Series | str:
    """Redacted and HTML-escaped text: what a comment may look like in a report."""
    return escape_html(redact(text))
