"""Application factory: the one place where the web face is assembled."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from dash import Dash
from flask import Flask, abort

from dashboard.auth import init_auth, requires
from dashboard.background import BACKGROUND_KEY, JobSigningDash, background_manager
from dashboard.cache import init_cache
from dashboard.callbacks import register_callbacks
from dashboard.context import bind_context
from dashboard.headers import init_headers
from dashboard.layout import INDEX_STRING, shell
from dashboard.log_config import configure_logging
from dashboard.routes import corrections, exports, geo, health, partner_templates, schemas
from dashboard.routes.account import init_account
from dashboard.routes.errors import callback_error_notice, init_errors
from dashboard.routes.oidc import init_oidc
from indicators.config import PROJECT_ROOT, Settings, load_settings

ASSETS_DIR = PROJECT_ROOT / "assets"
PAGES_DIR = Path(__file__).resolve().parent / "pages"


def create_app(settings: Settings | None = None) -> Dash:
    """Build a Dash app bound to ``settings`` (default: the ``SUIVI_*`` environment)."""
    settings = settings or load_settings()
    configure_logging(settings)
    manager = background_manager(settings)  # runs /import's checks and loads (with progress)
    # "dashboard", not __name__: Dash resolves pages and assets relative to the package.
    app = JobSigningDash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        title="Suivi des territoires",
        update_title=None,
        suppress_callback_exceptions=True,
        compress=True,  # flask-compress: zstd, then brotli, then gzip, as the browser accepts
        on_error=callback_error_notice,
        background_callback_manager=manager,
        # Dash 4's MCP server would expose every callback as a tool at /_mcp, beside our
        # authorisation: off, whatever DASH_MCP_ENABLED says (issue #12)
        enable_mcp=False,
    )
    app.index_string = INDEX_STRING
    server = app.server
    server.config["SECRET_KEY"] = settings.secret_key
    server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024
    server.extensions[BACKGROUND_KEY] = manager
    bind_context(server, settings)
    init_cache(server, settings)
    init_auth(app, settings)
    init_headers(app, settings)
    init_account(server, settings)
    init_oidc(server, settings)
    server.register_blueprint(health.blueprint)
    server.register_blueprint(geo.blueprint)
    server.register_blueprint(exports.blueprint)
    server.register_blueprint(corrections.blueprint)
    server.register_blueprint(schemas.blueprint)
    server.register_blueprint(partner_templates.blueprint)
    init_errors(app)
    refuse_mcp(server)
    app.layout = shell
    register_callbacks(app)
    return app


MCP_PATH = "/_mcp"  # Dash 4's default; the environment variable DASH_MCP_PATH cannot move it here


def refuse_mcp(server: Flask) -> None:
    """Dash's MCP server is off (``enable_mcp=False``); its address answers 404, not the page
    shell that Dash Pages gives any other unknown address."""

    @requires("public")  # it only ever answers 404
    def mcp_is_off(**_rest: str) -> NoReturn:
        abort(404)

    methods = ["GET", "POST", "DELETE"]
    server.add_url_rule(MCP_PATH, "mcp_off", mcp_is_off, methods=methods)
    server.add_url_rule(f"{MCP_PATH}/", "mcp_off_slash", mcp_is_off, methods=methods)
    server.add_url_rule(f"{MCP_PATH}/<path:_rest>", "mcp_off_path", mcp_is_off, methods=methods)


def warm_up(app: Dash) -> None:
    """Load what every worker needs (files only, no database work) and render the index once."""
    from dashboard import readers

    with app.server.app_context():
        readers.catalogue()
        readers.referential()
        readers.search_index()
    with app.server.test_client() as client:
        client.get("/")
