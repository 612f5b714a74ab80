"""The one authorisation point: every Flask route and every Dash callback request passes here.

For now every role may do everything; the roles issue fills in ``PERMISSIONS`` without touching
pages or routes. Checks happen on the server, before the view or the callback runs.

A background callback (``/import``'s check and load) runs in another process, where there is no
request: the user is captured on the server with every callback request (a Dash ``custom_data``
hook, never a value the browser sends) and :func:`require_in_background_job` checks it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import dash
from flask import Flask, Request, abort, request

# action -> roles allowed; ``None`` means everyone, including anonymous visitors.
PERMISSIONS: dict[str, frozenset[str] | None] = {
    "view": None,
    "export": None,
    "upload": None,
    "evaluate": None,  # adjust and save evaluation designs
    "admin": None,
}

# Callbacks whose outputs start with one of these component ids need more than "view".
CALLBACK_ACTIONS: dict[str, str] = {
    "import-": "upload",
    "chargements-rollback": "admin",
    "evaluation-design-": "evaluate",
    "evaluation-report-": "export",
}

# Flask endpoints that need more than "view".
ROUTE_ACTIONS: dict[str, str] = {"api.export": "export"}


@dataclass(frozen=True)
class User:
    username: str
    role: str

    @property
    def is_anonymous(self) -> bool:
        return self.username == ""


ANONYMOUS = User("", "anonyme")


def current_user() -> User:
    """The user of the current request (sessions arrive with the roles issue)."""
    return ANONYMOUS


def is_allowed(user: User, action: str) -> bool:
    if action not in PERMISSIONS:
        return False  # an unknown action is a programming error: refuse rather than allow
    roles = PERMISSIONS[action]
    return roles is None or user.role in roles


def action_for_request(req: Request) -> str:
    """Which action a request performs: a Dash callback is judged by the outputs it updates."""
    if req.path.endswith("/_dash-update-component") and req.method == "POST":
        body = req.get_json(silent=True) or {}
        output = json.dumps(body.get("output", ""))
        for component_id, action in CALLBACK_ACTIONS.items():
            if component_id in output:
                return action
        return "view"
    return ROUTE_ACTIONS.get(req.endpoint or "", "view")


def authorize_request() -> None:
    if not is_allowed(current_user(), action_for_request(request)):
        abort(403)


def init_auth(server: Flask) -> None:
    server.before_request(authorize_request)


class NotAllowed(PermissionError):
    """The user may not perform this action; the message says so in French."""


IDENTITY = "suivi-user"  # namespace of the user in ``dash.ctx.custom_data``


# Dash hooks are per process, not per app: registered once, here.
@dash.hooks.custom_data(IDENTITY)
def capture_identity(_context: Any) -> dict[str, str]:
    """Runs on the server for every callback request; a background job receives the result."""
    user = current_user()
    return {"username": user.username, "role": user.role}


def require_in_background_job(action: str) -> User:
    """The user who queued the running background job, if allowed to perform ``action``."""
    identity = dash.ctx.custom_data.get(IDENTITY)
    if not isinstance(identity, dict):
        raise NotAllowed("Action refusée : utilisateur inconnu.")
    user = User(str(identity.get("username", "")), str(identity.get("role", "")))
    if not is_allowed(user, action):
        raise NotAllowed("Action refusée : votre profil ne le permet pas.")
    return user
