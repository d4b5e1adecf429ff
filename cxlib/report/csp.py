"""The Content-Security-Policy every report page and the index carry (a ``<meta>`` in the head).

The pages are self-contained: charts are ``data:`` images and the styles are inline. The policy
lets the browser load nothing else: no script, no frame, no form target, no request to any
address (``file:`` included), so even text that slipped past escaping cannot fetch or run
anything. Reference: W3C Content Security Policy Level 3, https://www.w3.org/TR/CSP3/.
"""

from __future__ import annotations

from html import escape

__all__ = ["CONTENT_SECURITY_POLICY", "csp_meta"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"
)


def csp_meta() -> str:
    """The policy as the ``<meta http-equiv>`` element for a page's ``<head>``."""
    return f'<meta http-equiv="Content-Security-Policy" content="{escape(CONTENT_SECURITY_POLICY)}">'
