"""Users of the dashboard: dashboard.yaml next to the data, and password hashes.

dashboard.yaml (docs/dashboard.md)::

    users:
      anna:                     # login name
        role: leader            # leader | team_lead | viewer
        password: "scrypt$..."  # from `cx dashboard hash-password`
        lang: nl                # optional; default the server's --lang
      bram:
        role: team_lead
        team: Service West      # required for a team lead
        password: "scrypt$..."
      carla:
        role: viewer            # read only; optional team: or region: limits what they see
        password: "scrypt$..."
    oauth:                      # optional: log in through an OAuth provider instead
      provider: github
      key: <client id>
      secret_env: CX_OAUTH_SECRET

Passwords are stored as scrypt hashes (RFC 7914) with the OWASP parameters (N = 2**17, r = 8,
p = 1, 16-byte random salt, 32-byte key), made by ``hash_password`` and checked in constant time
by ``verify_password``. The hash carries its parameters, so they can be raised later without
invalidating stored hashes. No module here needs Panel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cxlib.i18n import LANGUAGES

__all__ = [
    "ROLES",
    "USERS_FILE",
    "OAuth",
    "User",
    "Users",
    "UsersError",
    "hash_password",
    "load_users",
    "verify_password",
]

USERS_FILE = "dashboard.yaml"
ROLES = ("leader", "team_lead", "viewer")
SCRYPT = {"n": 2**17, "r": 8, "p": 1}
"""OWASP Password Storage Cheat Sheet (2024): scrypt with N = 2^17, r = 8, p = 1."""
_MAXMEM = 2**28  # 128 * r * N bytes = 128 MiB are needed; allow 256 MiB


class UsersError(ValueError):
    """dashboard.yaml cannot be used; the message names the file, the user and what was expected."""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A scrypt hash of ``password``: ``scrypt$n=131072,r=8,p=1$<salt>$<key>`` (base64)."""
    if not password:
        raise ValueError("the password is empty")
    salt = os.urandom(16) if salt is None else salt
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=_MAXMEM, dklen=32, **SCRYPT)
    params = ",".join(f"{k}={v}" for k, v in SCRYPT.items())
    return f"scrypt${params}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches the ``stored`` hash (constant-time comparison).

    A missing or malformed hash never matches, but still costs one scrypt run, so that the
    time taken does not tell whether a user exists.
    """
    try:
        scheme, params, salt, key = (stored or "").split("$")
        opts = {k: int(v) for k, v in (p.split("=") for p in params.split(","))}
        if scheme != "scrypt" or set(opts) != set(SCRYPT):
            raise ValueError(scheme)
        salt_bytes, key_bytes = base64.b64decode(salt), base64.b64decode(key)
    except (ValueError, TypeError):
        opts, salt_bytes, key_bytes = SCRYPT, b"\0" * 16, b""
    found = hashlib.scrypt(
        password.encode("utf-8"), salt=salt_bytes, maxmem=_MAXMEM, dklen=len(key_bytes) or 32, **opts
    )
    return bool(key_bytes) and hmac.compare_digest(found, key_bytes)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class User:
    """One login: its role, the team or region it is limited to, its language and password hash."""

    name: str
    role: str
    team: str | None = None
    region: str | None = None
    lang: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def can_write(self) -> bool:
        """Leaders and team leads record observations and tick off actions; viewers only read."""
        return self.role in ("leader", "team_lead")


@dataclass(frozen=True)
class OAuth:
    """An OAuth provider for Panel's login (``pn.serve(oauth_provider=...)``)."""

    provider: str
    key: str
    secret: str
    redirect_uri: str | None = None
    extra_params: dict = field(default_factory=dict)
    encryption_key: str | None = None


@dataclass(frozen=True)
class Users:
    """The users of one dashboard (by login name) and the optional OAuth provider."""

    users: dict[str, User]
    oauth: OAuth | None = None
    path: Path | None = None

    def get(self, name: str | None) -> User | None:
        """The user called ``name``, or None."""
        return self.users.get(name) if name else None


def _fail(path, problem: str, expected: str) -> UsersError:
    return UsersError(f"{path}: {problem}; expected {expected}")


def load_users(path) -> Users:
    """Read and check dashboard.yaml (roles, teams of team leads, languages, hashes, oauth).

    Team and region names are checked against the data by the dashboard (``access.check_users``).
    """
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "file not found", f"a {USERS_FILE} with users (see docs/dashboard.md)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML ({exc})", "a YAML mapping") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("users"), dict) or not raw["users"]:
        raise _fail(path, "no users", "a mapping 'users:' of login name → role, password, team")
    unknown = sorted(set(raw) - {"users", "oauth"})
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(unknown)}", "users and oauth")
    oauth = _oauth(path, raw.get("oauth"))
    users = {}
    for name, spec in raw["users"].items():
        where = f"user {name!r}"
        if not isinstance(spec, dict):
            raise _fail(path, f"{where} is not a mapping", "role, password, team, region, lang")
        extra = sorted(set(spec) - {"role", "password", "team", "region", "lang"})
        if extra:
            raise _fail(path, f"{where}: unknown key(s) {', '.join(extra)}", "role, password, team, region, lang")
        role = spec.get("role")
        if role not in ROLES:
            raise _fail(path, f"{where}: role {role!r}", f"one of {', '.join(ROLES)}")
        if role == "team_lead" and not spec.get("team"):
            raise _fail(path, f"{where}: a team lead without a team", "team: <a team in teams.csv>")
        if role == "leader" and (spec.get("team") or spec.get("region")):
            raise _fail(path, f"{where}: a leader sees everything", "no team or region for a leader")
        if spec.get("team") and spec.get("region"):
            raise _fail(path, f"{where}: both team and region", "one of team, region")
        lang = spec.get("lang")
        if lang is not None and lang not in LANGUAGES:
            raise _fail(path, f"{where}: lang {lang!r}", f"one of {', '.join(LANGUAGES)}")
        password = spec.get("password")
        if oauth is None and not (isinstance(password, str) and password.startswith("scrypt$")):
            raise _fail(path, f"{where}: no password hash", "password: the output of `cx dashboard hash-password`")
        users[str(name)] = User(str(name), role, _text(spec.get("team")), _text(spec.get("region")), lang, password)
    return Users(users, oauth, path)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _oauth(path, raw) -> OAuth | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("provider") or not raw.get("key"):
        raise _fail(path, "oauth needs provider and key", "oauth: {provider: github, key: ..., secret_env: ...}")
    unknown = sorted(set(raw) - {"provider", "key", "secret_env", "redirect_uri", "extra_params", "encryption_key_env"})
    if unknown:
        raise _fail(
            path,
            f"oauth: unknown key(s) {', '.join(unknown)}",
            "provider, key, secret_env, redirect_uri, extra_params, encryption_key_env",
        )
    secret_env = raw.get("secret_env", "CX_OAUTH_SECRET")
    secret = os.environ.get(secret_env)
    if not secret:
        raise _fail(
            path,
            f"oauth: the environment variable {secret_env} is not set",
            "the OAuth client secret in that variable (never in the file)",
        )
    key_env = raw.get("encryption_key_env")
    return OAuth(
        str(raw["provider"]),
        str(raw["key"]),
        secret,
        raw.get("redirect_uri"),
        dict(raw.get("extra_params") or {}),
        os.environ.get(key_env) if key_env else None,
    )
