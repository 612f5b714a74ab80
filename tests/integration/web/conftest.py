"""The callback client of the web tests: :class:`dashboard.testing.CallbackClient`."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.testing import CallbackClient


@pytest.fixture
def callbacks(client: Any, dash_app: Any) -> CallbackClient:
    return CallbackClient(client, dash_app)
