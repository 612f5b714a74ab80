"""The callback client of the web tests: :class:`dashboard.testing.CallbackClient`."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.testing import CallbackClient


@pytest.fixture
def callbacks(client: Any, dash_app: Any) -> CallbackClient:
    return CallbackClient(client, dash_app)


@pytest.fixture
def as_user(dash_app: Any, login_as: Any):  # type: ignore[no-untyped-def]
    """``as_user("deposant")``: a new browser session (test client) signed in as that account."""

    def open_session(username: str) -> Any:
        client = dash_app.server.test_client()
        login_as(client, username)
        return client

    return open_session
