"""Login through Panel's authentication: basic auth against dashboard.yaml's hashes, or OAuth.

Panel's ``BasicAuthProvider`` compares plain passwords and serves pages that load Panel's logo
from a CDN; these subclasses keep Panel's cookie handling (a signed, http-only ``user`` cookie,
``--cookie-secret``) and change three things: passwords are checked against the scrypt hashes of
dashboard.yaml (``users.verify_password``, off the event loop), the login form carries Tornado's
XSRF token (the server runs with ``xsrf_cookies``), and the login and logout pages are local,
in the server's language, with nothing loaded from elsewhere.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from panel.auth import (
    BasicAuthProvider,
    BasicLoginHandler,
    LogoutHandler,
    OAuthProvider,
)

from cxlib.dashboard.render import COLOURS
from cxlib.dashboard.users import Users, verify_password
from cxlib.i18n import label

__all__ = ["OAuthAuth", "PasswordAuth"]

_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)


def _next_url(value: str | None) -> str:
    """A local path to go to after the login ("/" for anything that could leave the site)."""
    value = (value or "/").replace("\\", "/")
    return value if value.startswith("/") and not value.startswith("//") else "/"


class _Login(BasicLoginHandler):
    users: Users
    lang: str = "nl"

    def get(self):
        self.set_cookie("next_url", _next_url(self.get_argument("next", "/")), httponly=True, samesite="Strict")
        failed = label("dashboard.login_failed", self.lang) if self.get_argument("error", "") else ""
        self.write(
            _TEMPLATES.get_template("login.html").render(
                colours=COLOURS,
                lang=self.lang,
                title=label("dashboard.title", self.lang),
                heading=label("dashboard.login", self.lang),
                username=label("dashboard.username", self.lang),
                password=label("dashboard.password", self.lang),
                login_endpoint=self._login_endpoint,
                failed=failed,
                xsrf_form_html=Markup(self.xsrf_form_html()),
            )
        )

    async def post(self):
        username = self.get_argument("username", "")
        password = self.get_argument("password", "")
        user = self.users.get(username)
        ok = await asyncio.get_running_loop().run_in_executor(
            None, verify_password, password, user.password if user else None
        )
        next_url = _next_url(self.get_cookie("next_url", "/"))
        if ok and user is not None:
            self.set_current_user(username)
            self.clear_cookie("next_url")
            self.redirect(next_url)
        else:
            self.redirect(f".{self._login_endpoint}?error=1&next={quote(next_url)}")


class _Logout(LogoutHandler):
    lang: str = "nl"

    def get(self):
        for name in ("user", "id_token", "access_token", "refresh_token", "oauth_expiry", "next_url"):
            self.clear_cookie(name)
        self.write(
            _TEMPLATES.get_template("logout.html").render(
                colours=COLOURS,
                lang=self.lang,
                title=label("dashboard.title", self.lang),
                message=label("dashboard.logged_out", self.lang),
                login=label("dashboard.login", self.lang),
                login_endpoint=self._login_endpoint,
            )
        )


class PasswordAuth(BasicAuthProvider):
    """Basic auth (Panel's login form and cookie) against the password hashes in dashboard.yaml."""

    def __init__(self, users: Users, lang: str = "nl"):
        self._login_class = type(
            "CxLoginHandler", (_Login,), {"users": users, "lang": lang, "_login_endpoint": "/login"}
        )
        self._logout_class = type("CxLogoutHandler", (_Logout,), {"lang": lang, "_login_endpoint": "/login"})
        super().__init__(login_endpoint="/login", logout_endpoint="/logout")

    @property
    def login_handler(self):
        return self._login_class

    @property
    def logout_handler(self):
        return self._logout_class


class OAuthAuth(OAuthProvider):
    """Panel's OAuth login (provider, key and secret in ``pn.config``), with the local logout page."""

    def __init__(self, lang: str = "nl"):
        self._logout_class = type("CxLogoutHandler", (_Logout,), {"lang": lang, "_login_endpoint": "/login"})
        super().__init__(login_endpoint="/login", logout_endpoint="/logout")

    @property
    def logout_handler(self):
        return self._logout_class
