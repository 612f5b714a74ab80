"""Write to the audit log from a request: the current user and the client's address."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dashboard.auth import client_address, current_user
from dashboard.context import db_session
from indicators.accounts import record_event


def audit(action: str, session: Session | None = None, **details: Any) -> None:
    """Record ``action`` by the request's user, in ``session`` (its transaction) or on its own."""
    username = current_user().username or None
    if session is not None:
        record_event(session, action, username=username, ip=client_address(), **details)
        return
    with db_session() as own, own.begin():
        record_event(own, action, username=username, ip=client_address(), **details)
