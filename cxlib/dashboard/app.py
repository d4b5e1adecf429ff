"""One browser session of the dashboard: the Panel layout, the drill-down, the forms.

The session never computes and never trusts the browser: every scope it is asked for (the
scope widget, a ``?scope=`` query argument, a drill-down button) goes through
``access.resolve``; it shows only what ``Store.lookup`` has rendered for that scope and the
user's variant (totals only for a restricted user at the company level); writes check the team
against ``access.writable_teams`` on the server and take the observer from the login.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import panel as pn
from panel.io.state import set_curdoc

from cxlib import i18n
from cxlib.actions.ledger import set_action_status
from cxlib.dashboard import access
from cxlib.dashboard.content import PIECES
from cxlib.dashboard.render import STYLES, status_html, status_text
from cxlib.dashboard.store import Key, Store
from cxlib.dashboard.users import User, Users
from cxlib.i18n import LANGUAGES, code_label, label
from cxlib.io.writer import RecordError, append_records, checklist_records

__all__ = ["Context", "View", "create"]

log = logging.getLogger("cxlib.dashboard")

SOURCES = ("mystery_guest", "coach", "spot_check")
_WRITERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cx-dashboard-write")
"""Writes run here, off the event loop (each waits for the data folder's lock)."""
_HEADINGS = {
    "tiles": "dashboard.tiles",
    "signals": "section.alerts",
    "trends": "section.trends",
    "actions": "section.actions",
    "feedback": "section.feedback",
}
_TABS = (
    ("dashboard.overview", ("tiles", "signals", "trends")),
    ("section.actions", ("actions",)),
    ("section.feedback", ("feedback",)),
    ("dashboard.checklist_tab", ()),
)


@dataclass(frozen=True)
class Context:
    """What every session shares: the store, the users, the data folder and the default language."""

    store: Store
    users: Users
    folder: Path
    lang: str = "nl"


def _html(text: str = "", **kw) -> pn.pane.HTML:
    return pn.pane.HTML(text, stylesheets=[STYLES], **{"sizing_mode": "stretch_width", **kw})


class View:
    """The dashboard for one logged-in user (one per browser session)."""

    def __init__(self, ctx: Context, user: User, session_args: dict | None = None, session_id: str = ""):
        self.ctx, self.user, self.session_id = ctx, user, session_id
        snapshot = ctx.store.current
        self.teams = snapshot.teams
        args = {k: (v[0].decode("utf-8", "replace") if v else "") for k, v in (session_args or {}).items()}
        self.lang = args["lang"] if args.get("lang") in LANGUAGES else (user.lang or ctx.lang)
        default = access.Scope("team", user.team) if user.role == "team_lead" else access.COMPANY
        self.scope = default
        if args.get("scope"):
            try:
                self.scope = access.resolve(user, args["scope"], self.teams)
            except PermissionError as exc:
                log.warning("cx dashboard: refused %s", exc)
        self.period = args["period"] if args.get("period") in snapshot.periods else snapshot.period
        self._shown: dict[str, object] = {}
        self._version = None

        self.title = _html()
        self.status = _html()
        self.message = _html()
        self.scope_select = pn.widgets.Select(
            label=label("dashboard.scope", self.lang), options=self._scope_options(), value=self.scope.key, width=260
        )
        self.period_select = pn.widgets.Select(
            label=label("period", self.lang), options=list(snapshot.periods), value=self.period, width=140
        )
        self.nav = pn.Row(sizing_mode="stretch_width")
        self.headings = {p: _html() for p in PIECES}
        self.panes = {p: _html() for p in PIECES if p != "trends"}
        self.panes["trends"] = pn.pane.PNG(None, sizing_mode="scale_width", max_width=1100)
        self.action_controls = pn.Row(sizing_mode="stretch_width")
        self.checklist = self._checklist()
        self.scope_select.param.watch(self._on_scope, "value")
        self.period_select.param.watch(self._on_period, "value")
        tabs = []
        for title, pieces in _TABS:
            body = [obj for p in pieces for obj in (self.headings[p], self.panes[p])]
            if "actions" in pieces:
                body.append(self.action_controls)
            tabs.append((label(title, self.lang), pn.Column(*(body or [self.checklist]), sizing_mode="stretch_width")))
        if not self.user.can_write:
            tabs.pop()
        # not dynamic: Panel 1.9 gives the models of an unrendered tab the CDN's stylesheet URLs
        self.tabs = pn.Tabs(*tabs, dynamic=False, sizing_mode="stretch_width")
        self.tabs.param.watch(self._on_tab, "active")
        self.layout = pn.Column(
            self.title,
            self.status,
            pn.Row(self.scope_select, self.period_select),
            self.nav,
            self.message,
            self.tabs,
            sizing_mode="stretch_width",
            max_width=1200,
            margin=(0, 16),
        )
        self._labels()
        self.refresh()

    # ---- what to show ------------------------------------------------------------------
    def wanted(self) -> list[Key]:
        """The pieces this view shows now."""
        only = access.totals_only(self.user, self.scope)
        return [Key(p, self.scope.key, self.period, self.lang, only) for p in PIECES]

    def _scope_label(self, scope: access.Scope) -> str:
        if scope.by is None:
            return label("whole_company", self.lang)
        if scope.by == "region":
            return "\u2003" + i18n.text("dashboard.region", self.lang, unit=scope.unit)
        return "\u2003\u2003" + scope.unit

    def _scope_options(self) -> dict[str, str]:
        return {self._scope_label(s): s.key for s in access.allowed(self.user, self.teams)}

    def _labels(self) -> None:
        role = label(f"dashboard.role.{self.user.role}", self.lang)
        if not self.user.can_write:
            role += " · " + label("dashboard.read_only", self.lang)
        who = i18n.text("dashboard.user", self.lang, user=self.user.name, role=role)
        langs = " ".join(
            f"<b>{x.upper()}</b>"
            if x == self.lang
            else f'<a href="?{escape(urlencode({"lang": x, "scope": self.scope.key, "period": self.period}))}">'
            f"{x.upper()}</a>"
            for x in LANGUAGES
        )
        self.title.object = (
            f'<div style="display:flex;justify-content:space-between;align-items:baseline">'
            f'<h1 class="cx-title">{escape(label("dashboard.title", self.lang))}</h1>'
            f'<span class="cx-note">{langs} · {escape(who)} · <a href="./logout">'
            f"{escape(label('dashboard.logout', self.lang))}</a></span></div>"
        )
        self.scope_select.label = label("dashboard.scope", self.lang)
        self.period_select.label = label("period", self.lang)
        self._nav()

    def _nav(self) -> None:
        """Drill-down buttons: one level up, and each scope one level below."""
        buttons = []
        up = access.parent(self.scope, self.teams, self.user)
        if up is not None and up in access.allowed(self.user, self.teams):
            buttons.append(self._nav_button(label("dashboard.up", self.lang), up, "light"))
        below = access.children(self.scope, self.teams, self.user)
        if below:
            buttons.append(
                _html(
                    f'<span class="cx-note">{escape(label("dashboard.drill_down", self.lang))}</span>',
                    sizing_mode="fixed",
                    width=90,
                    margin=(12, 4),
                )
            )
            buttons += [self._nav_button(self._scope_label(s).strip(), s, "primary") for s in below]
        self.nav.objects = buttons

    def _nav_button(self, text: str, scope: access.Scope, kind: str) -> pn.widgets.Button:
        button = pn.widgets.Button(label=text, color=kind, variant="outline", width_policy="min")
        button.on_click(lambda _event, key=scope.key: setattr(self.scope_select, "value", key))
        return button

    def refresh(self) -> None:
        """Show the newest rendered pieces (called on every change and twice a second)."""
        store = self.ctx.store
        store.want(self.session_id, self.wanted())
        if (store.version, store.error) != self._version:
            self._version = (store.version, store.error)
            self.status.object = status_html(store.current, store.error, self.lang)
        only = access.totals_only(self.user, self.scope)
        for key in self.wanted():
            result, fresh = store.lookup(key)
            heading = label(_HEADINGS[key.piece], self.lang)
            if key.piece in ("actions", "feedback") and only:
                note = label("dashboard.totals_only", self.lang)
                shown = f'<h2>{escape(heading)}</h2><p class="cx-note">{escape(note)}</p>'
                if self._shown.get(key.piece + ":h") != shown:
                    self.headings[key.piece].object = shown
                    self._shown[key.piece + ":h"] = shown
                    self._set(key.piece, None)
                continue
            note = "dashboard.updating" if result is not None else "dashboard.loading"
            marker = "" if fresh else f' <span class="cx-updating">{escape(label(note, self.lang))}</span>'
            shown = f"<h2>{escape(heading)}{marker}</h2>"
            if self._shown.get(key.piece + ":h") != shown:
                self.headings[key.piece].object = shown
                self._shown[key.piece + ":h"] = shown
            if result is not None and result is not self._shown.get(key.piece):
                self._set(key.piece, result)

    def _set(self, piece: str, result) -> None:
        self._shown[piece] = result
        pane = self.panes[piece]
        if isinstance(result, Exception):
            pane.object = f'<p class="cx-error">{escape(str(result))}</p>' if piece != "trends" else None
            return
        if piece == "actions":
            self._action_controls(result)
            note = i18n.text("dashboard.progress", self.lang, **result["progress"]) if result else ""
            pane.object = f'<p class="cx-note">{escape(note)}</p>' + result["html"] if result else ""
            return
        pane.object = result

    def _background(self, work, done) -> None:
        """Run ``work()`` on a writer thread, then ``done(future)`` on this session's document.

        Bokeh's ``add_next_tick_callback`` is the thread-safe way back to a document; the
        document is made Panel's current one, so that new models get the server's local URLs.
        """
        doc = pn.state.curdoc

        def finished(future):
            def apply():
                with set_curdoc(doc):
                    done(future)

            doc.add_next_tick_callback(apply)

        _WRITERS.submit(work).add_done_callback(finished)

    # ---- widgets ----------------------------------------------------------------------
    def _on_scope(self, event) -> None:
        try:
            scope = access.resolve(self.user, event.new, self.teams)
        except PermissionError as exc:  # a forged widget value: refuse, show nothing of it
            log.warning("cx dashboard: refused %s", exc)
            self.message.object = f'<p class="cx-error">{escape(label("dashboard.denied", self.lang))}</p>'
            self.scope_select.value = self.scope.key
            return
        self.scope = scope
        self.message.object = ""
        self._labels()
        self._checklist_teams()
        self.refresh()

    def _on_period(self, event) -> None:
        if event.new in self.ctx.store.current.periods:
            self.period = event.new
            self._labels()
            self.refresh()

    # ---- ticking off actions ----------------------------------------------------------
    def _action_controls(self, result) -> None:
        """One list of the open actions this user may tick off, and two buttons."""
        writable = set(access.writable_teams(self.user, self.teams, self.scope))
        rows = [
            r
            for r in (result or {}).get("rows", [])
            if r["team"] in writable and r["status"] not in ("done", "cancelled")
        ]
        if not rows:
            self.action_controls.objects = []
            return
        self._open_actions = {r["action_id"]: r["status"] for r in rows}
        choose = pn.widgets.Select(
            options={
                f"{r['action_id']} · {r['team']} · {status_text(r['status'], self.lang)}": r["action_id"] for r in rows
            },
            width=320,
            css_classes=["cx-action-choice"],
        )
        start = pn.widgets.Button(
            label=label("dashboard.start", self.lang),
            color="warning",
            variant="outline",
            width_policy="min",
            css_classes=["cx-start"],
        )
        done = pn.widgets.Button(
            label=label("dashboard.done", self.lang),
            color="success",
            variant="outline",
            width_policy="min",
            css_classes=["cx-done"],
        )
        start.on_click(self._ticker(choose, "in_progress"))
        done.on_click(self._ticker(choose, "done"))
        self.action_controls.objects = [choose, start, done]

    def _ticker(self, choose: pn.widgets.Select, status: str):
        def tick(_event):
            action_id = choose.value
            seen = getattr(self, "_open_actions", {}).get(action_id)
            snapshot = self.ctx.store.current
            team = snapshot.data.actions.loc[snapshot.data.actions["action_id"] == action_id, "team"]
            if (
                seen is None
                or team.empty
                or str(team.iloc[0]) not in access.writable_teams(self.user, self.teams, self.scope)
            ):
                self.message.object = f'<p class="cx-error">{escape(label("dashboard.denied", self.lang))}</p>'
                return

            def done(future):
                exc = future.exception()
                if exc is None:
                    text = i18n.text(
                        "dashboard.action_set",
                        self.lang,
                        action=action_id,
                        status=status_text(status, self.lang),
                        user=self.user.name,
                    )
                    self.message.object = f'<p class="cx-note" role="status">{escape(text)}</p>'
                elif isinstance(exc, (ValueError, KeyError, OSError)):
                    changed = "changed by someone else" in str(exc)
                    text = (
                        i18n.text("dashboard.action_conflict", self.lang, action=action_id)
                        if changed
                        else i18n.text("dashboard.not_saved", self.lang, error=str(exc))
                    )
                    self.message.object = f'<p class="cx-error" role="alert">{escape(text)}</p>'
                else:
                    raise exc
                self.ctx.store.refresh()

            self._background(
                lambda: set_action_status(
                    self.ctx.folder / "actions.csv", action_id, status, by=self.user.name, expected=seen
                ),
                done,
            )

        return tick

    # ---- the checklist ------------------------------------------------------------------
    def _checklist(self) -> pn.Column:
        """The checklist's place; its widgets are made when its tab is first opened (a faster first view)."""
        self.checklist_box = pn.Column(sizing_mode="stretch_width")
        return self.checklist_box

    def _on_tab(self, event) -> None:
        if event.new == len(_TABS) - 1 and not hasattr(self, "check_team"):
            self._rebuild_checklist()

    def _rebuild_checklist(self) -> None:
        teams = access.writable_teams(self.user, self.teams, self.scope)
        if not self.user.can_write:
            self.checklist_box.objects = []
            return
        lang = self.lang
        items = self.ctx.store.current.items
        self.check_team = pn.widgets.Select(
            label=label("dashboard.checklist_team", lang), options=teams, value=teams[0] if teams else None, width=220
        )
        self.check_source = pn.widgets.Select(
            label=label("column.source", lang), options={code_label("source", s, lang): s for s in SOURCES}, width=200
        )
        choices = {
            label("dashboard.passed", lang): "passed",
            label("dashboard.not_passed", lang): "failed",
            label("dashboard.not_observed", lang): "none",
        }
        self.check_items = {}
        rows = []
        for category, item in items.itertuples(index=False):  # the few checklist items
            radio = pn.widgets.RadioButtonGroup(
                options=choices, value="none", color="light", css_classes=[f"cx-item-{item}"]
            )
            self.check_items[item] = (category, radio)
            rows.append(
                pn.Row(
                    _html(
                        f"{escape(code_label('item', item, lang))} <span class='cx-note'>"
                        f"({escape(code_label('category', category, lang))})</span>",
                        sizing_mode="fixed",
                        width=300,
                        margin=(12, 8),
                    ),
                    radio,
                )
            )
        self.check_save = pn.widgets.Button(
            label=label("dashboard.save", lang), color="primary", css_classes=["cx-save"]
        )
        self.check_save.on_click(self._save_checklist)
        self.checklist_box.objects = [
            _html(f"<h2>{escape(label('dashboard.checklist', lang))}</h2>"),
            pn.Row(self.check_team, self.check_source),
            *rows,
            self.check_save,
        ]
        self.checklist_box.visible = bool(teams)

    def _checklist_teams(self) -> None:
        teams = access.writable_teams(self.user, self.teams, self.scope)
        if self.user.can_write and hasattr(self, "check_team"):
            self.check_team.options = teams
            self.check_team.value = teams[0] if teams else None
            self.checklist_box.visible = bool(teams)

    def _save_checklist(self, _event) -> None:
        lang, team, source = self.lang, self.check_team.value, self.check_source.value
        if team not in access.writable_teams(self.user, self.teams, self.scope) or source not in SOURCES:
            self.message.object = f'<p class="cx-error">{escape(label("dashboard.denied", lang))}</p>'
            return
        results = {
            item: radio.value == "passed"
            for item, (_, radio) in self.check_items.items()
            if radio.value in ("passed", "failed")
        }
        if not results:
            text = escape(label("dashboard.nothing_observed", lang))
            self.message.object = f'<p class="cx-error" role="alert">{text}</p>'
            return
        categories = {item: category for item, (category, _) in self.check_items.items()}
        rows = checklist_records(team, source, results, categories, observer=self.user.name)

        def done(future):
            exc = future.exception()
            if isinstance(exc, (RecordError, ValueError, OSError)):
                text = i18n.text("dashboard.not_saved", lang, error=str(exc))
                self.message.object = f'<p class="cx-error" role="alert">{escape(text)}</p>'
                return
            if exc is not None:
                raise exc
            text = i18n.text(
                "dashboard.saved",
                lang,
                n=len(rows),
                team=team,
                observer=self.user.name,
                id=rows["observation_id"].iloc[0],
            )
            self.message.object = f'<p class="cx-note cx-saved" role="status">{escape(text)}</p>'
            for _, radio in self.check_items.values():
                radio.value = "none"
            self.ctx.store.refresh()

        self._background(lambda: append_records(self.ctx.folder, "observations", rows), done)


def create(ctx: Context):
    """The Panel app for the user of this session (Panel's ``pn.state.user``)."""
    user = ctx.users.get(pn.state.user)
    if user is None or ctx.store.current is None:
        text = label("dashboard.unknown_user" if user is None else "dashboard.no_data", ctx.lang)
        return pn.Column(
            _html(
                f'<p class="cx-error">{escape(text)}</p><p><a href="./logout">'
                f"{escape(label('dashboard.logout', ctx.lang))}</a></p>"
            )
        )
    session = pn.state.curdoc.session_context.id if pn.state.curdoc and pn.state.curdoc.session_context else ""
    view = View(ctx, user, pn.state.session_args, session)
    pn.state.add_periodic_callback(view.refresh, period=500)
    pn.state.on_session_destroyed(lambda _context: ctx.store.forget(session))
    return view.layout
