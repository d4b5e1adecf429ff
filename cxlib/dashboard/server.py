"""``cx dashboard``: serve the Panel app on a Bokeh/Tornado server, bound to loopback by default.

Security settings, each on purpose:
- ``address`` 127.0.0.1 unless ``--host`` says otherwise; websocket connections only from the
  server's own origin (plus ``--allow-websocket-origin`` behind a reverse proxy): Bokeh's check
  against cross-site websocket hijacking.
- Login required on every route (Panel's auth provider); cookies signed with a secret from
  ``CX_DASHBOARD_COOKIE_SECRET`` or a random one per start (logins then end with the server).
- ``xsrf_cookies``: every form POST (the login) carries Tornado's XSRF token; the dashboard's
  own forms travel over the authenticated websocket, never as cross-site requests.
- Scripts, styles and fonts come from the server itself (Panel's and Bokeh's bundled resources
  under /static); no CDN. No admin page, no REST endpoints, no static folders: the data folder
  is never served. The browser sends widget values, never code.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sys
from pathlib import Path

from cxlib.dashboard.users import USERS_FILE, load_users
from cxlib.i18n import check_language

__all__ = ["check_arguments", "free_port", "main_hash_password", "main_serve", "serve"]

log = logging.getLogger("cxlib.dashboard")


def free_port(host: str = "127.0.0.1") -> int:
    """A free TCP port on ``host`` (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serve(
    data,
    *,
    port: int = 8050,
    host: str = "127.0.0.1",
    lang: str = "nl",
    users=None,
    allow_websocket_origin=(),
    poll: float = 0.5,
    confidence: float = 0.95,
    min_n: int | None = None,
    root_path: str | None = None,
    start: bool = True,
):
    """Serve the dashboard for the data folder ``data``; blocks until stopped when ``start``.

    ``users``: dashboard.yaml (default: the one in ``data``). ``port`` 0 picks a free port.
    Prints one line ``cx dashboard: serving http://HOST:PORT/`` once it accepts connections.
    Returns the Bokeh server (when ``start`` is False, not yet started).
    """
    from cxlib.dashboard import require_panel

    require_panel()
    import panel as pn

    from cxlib.dashboard.access import allowed, check_users, tree
    from cxlib.dashboard.app import Context, create
    from cxlib.dashboard.auth import OAuthAuth, PasswordAuth
    from cxlib.dashboard.store import Store

    check_language(lang)
    folder = Path(data).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder}: data folder not found; expected a folder with customers.csv and responses.csv"
        )
    registry = load_users(Path(users) if users else folder / USERS_FILE)

    def warm_plan(teams):
        """Per language, the scopes its users may open (what is worth precomputing)."""
        plan = {}
        for user in registry.users.values():
            scopes = plan.setdefault(user.lang or lang, [])
            scopes += [s for s in allowed(user, teams) if s not in scopes]
        order = {s: i for i, s in enumerate(tree(teams))}
        return [(x, sorted(plan[x], key=order.get)) for x in sorted(plan, key=lambda x: x != lang)]

    store = Store(folder, poll=poll, confidence=confidence, min_n=min_n, warm_plan=warm_plan).start()
    if not store.wait_ready(timeout=600):
        store.stop()
        raise RuntimeError(f"{folder}: the data could not be loaded: {store.error[1] if store.error else 'timeout'}")
    check_users(registry, store.current.teams)

    port = free_port(host) if not port else port
    origins = [f"{host}:{port}"] + (["localhost:" + str(port)] if host in ("127.0.0.1", "::1") else [])
    origins += list(allow_websocket_origin)
    cookie_secret = os.environ.get("CX_DASHBOARD_COOKIE_SECRET") or secrets.token_urlsafe(32)
    if registry.oauth is not None:
        oauth = registry.oauth
        pn.config.oauth_provider = oauth.provider
        pn.config.oauth_key = oauth.key
        pn.config.oauth_secret = oauth.secret
        pn.config.oauth_extra_params = oauth.extra_params
        if oauth.redirect_uri:
            pn.config.oauth_redirect_uri = oauth.redirect_uri
        if oauth.encryption_key:
            pn.config.oauth_encryption_key = oauth.encryption_key.encode("ascii")
        provider = OAuthAuth(lang)
    else:
        provider = PasswordAuth(registry, lang)
    ctx = Context(store=store, users=registry, folder=folder, lang=lang)
    server = pn.serve(
        {"/": lambda: create(ctx)},
        port=port,
        address=host,
        websocket_origin=origins,
        show=False,
        start=False,
        title="CX dashboard",
        auth_provider=provider,
        cookie_secret=cookie_secret,
        xsrf_cookies=True,
        admin=False,
        location=False,
        static_dirs={},
        root_path=root_path,
        session_history=0,
        check_unused_sessions_milliseconds=10_000,
        unused_session_lifetime_milliseconds=30_000,
    )
    server._cx_store = store  # for a caller that stops the server
    if not start:
        return server
    server.start()
    print(
        f"cx dashboard: serving http://{host if ':' not in host else f'[{host}]'}:{port}/ "
        f"(data {folder}, users {registry.path})",
        flush=True,
    )
    try:
        server.io_loop.start()
    finally:
        store.stop()
    return server


def check_arguments(data, port: int, lang: str) -> None:
    """The checks of ``cx dashboard`` that need no data: a ValueError names the argument, value and what is expected."""
    check_language(lang)
    if not 0 <= int(port) <= 65535:
        raise ValueError(f"--port {port} must lie between 0 (a free one) and 65535")
    folder = Path(data)
    if not folder.exists():
        raise ValueError(f"--data {str(folder)!r}: no such folder")
    if not folder.is_dir():
        raise ValueError(f"--data {str(folder)!r}: not a folder (expected a folder with the CSV files)")


def main_serve(args) -> int:
    """The ``cx dashboard`` subcommand (serve); a bad argument or a missing extra: one line on stderr, status 2."""
    from cxlib.dashboard import require_panel

    try:
        check_arguments(args.data, args.port, args.lang)
        require_panel()
    except (ValueError, ImportError) as exc:
        print(f"cx dashboard: {exc}", file=sys.stderr)
        return 2
    level = os.environ.get("CX_DASHBOARD_LOG", "INFO").upper()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("cxlib.dashboard").setLevel(level)
    logging.getLogger("bokeh").setLevel(logging.INFO if level == "DEBUG" else logging.WARNING)
    serve(
        args.data,
        port=args.port,
        host=args.host,
        lang=args.lang,
        users=args.users,
        allow_websocket_origin=args.allow_websocket_origin or (),
        root_path=args.root_path,
    )
    return 0


def main_hash_password(args) -> int:
    """``cx dashboard hash-password``: read a password (twice, or once from stdin) and print its hash."""
    import getpass

    from cxlib.dashboard.users import hash_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("cx dashboard hash-password: the passwords differ", file=sys.stderr)
            return 1
    if not password:
        print("cx dashboard hash-password: the password is empty", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
