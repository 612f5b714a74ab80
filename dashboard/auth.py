"""The one authorisation point: every Flask route and every Dash callback request passes here.

For now every role may do everything; the roles issue fills in ``PERMISSIONS`` without touching
pages or routes. Checks happen on the server, before the view or the callback runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

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
