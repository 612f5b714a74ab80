"""Per-application state (settings, engine, sessions) kept on the Flask server, not in globals.

Each ``create_app`` builds its own, so tests can run several apps on several databases.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from indicators.config import Settings
from indicators.store import engine_for, session_factory

EXTENSION_KEY = "suivi"


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def bind_context(server: Flask, settings: Settings) -> AppContext:
    engine = engine_for(settings)
    context = AppContext(settings, engine, session_factory(engine))
    _forget_connections_after_fork(engine)
    server.extensions[EXTENSION_KEY] = context
    return context


def app_context() -> AppContext:
    """The context of the application handling the current request or callback."""
    context: AppContext = current_app.extensions[EXTENSION_KEY]
    return context


def db_session() -> Session:
    return app_context().sessions()


def _forget_connections_after_fork(engine: Engine) -> None:
    """A forked process (a local background job, a preloaded gunicorn worker) must not use the
    parent's open database connections: it drops them, unclosed, and opens its own."""
    reference = weakref.ref(engine)

    def forget() -> None:
        forked = reference()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=forget)
