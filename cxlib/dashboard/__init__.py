"""The live dashboard: a Panel (HoloViz) app on the same cxlib functions as the notebooks and reports.

``cx dashboard --data DIR`` serves it (``cxlib.dashboard.server.serve``); dashboard.yaml next to
the data holds the users (``cxlib.dashboard.users``). Panel is an extra:
``pip install 'cxlib[dashboard]'``. Layers: ``users`` and ``access`` (who sees what, no Panel),
``content`` (the one seam that asks cxlib for tiles, trends, signals, actions and feedback),
``render`` (HTML and PNG), ``store`` (loading, watching, precomputing in one worker thread),
``app`` and ``auth`` (Panel), ``server``. See docs/dashboard.md.
"""

from __future__ import annotations

from cxlib.dashboard.users import hash_password, load_users, verify_password

__all__ = ["hash_password", "load_users", "require_panel", "serve", "verify_password"]


def require_panel() -> None:
    """ImportError naming the extra when Panel is not installed."""
    try:
        import panel  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"The dashboard needs Panel, an optional extra: pip install 'cxlib[dashboard]' ({exc})"
        ) from exc


def serve(data, **options):
    """Serve the dashboard for the data folder ``data`` (see ``cxlib.dashboard.server.serve``)."""
    from cxlib.dashboard.server import serve as _serve

    return _serve(data, **options)
