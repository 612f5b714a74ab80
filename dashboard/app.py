"""Application factory: the one place where the web face is assembled."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dashboard.auth import init_auth
from dashboard.background import BACKGROUND_KEY, background_manager
from dashboard.cache import init_cache
from dashboard.callbacks import register_callbacks
from dashboard.context import bind_context
from dashboard.layout import INDEX_STRING, shell
from dashboard.routes import exports, geo, health, schemas
from dashboard.routes.errors import callback_error_notice, init_errors
from indicators.config import PROJECT_ROOT, Settings, load_settings

ASSETS_DIR = PROJECT_ROOT / "assets"
PAGES_DIR = Path(__file__).resolve().parent / "pages"


def create_app(settings: Settings | None = None) -> Dash:
    """Build a Dash app bound to ``settings`` (default: the ``SUIVI_*`` environment)."""
    settings = settings or load_settings()
    manager = background_manager(settings)  # runs /import's checks and loads (with progress)
    # "dashboard", not __name__: Dash resolves pages and assets relative to the package.
    app = Dash(
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
    )
    app.index_string = INDEX_STRING
    server = app.server
    server.config["SECRET_KEY"] = settings.secret_key
    server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024
    server.extensions[BACKGROUND_KEY] = manager
    bind_context(server, settings)
    init_cache(server, settings)
    init_auth(server)
    server.register_blueprint(health.blueprint)
    server.register_blueprint(geo.blueprint)
    server.register_blueprint(exports.blueprint)
    server.register_blueprint(schemas.blueprint)
    init_errors(app)
    app.layout = shell
    register_callbacks(app)
    return app


def warm_up(app: Dash) -> None:
    """Load what every worker needs (files only, no database work) and render the index once."""
    from dashboard import readers

    with app.server.app_context():
        readers.catalogue()
        readers.referential()
        readers.search_index()
    with app.server.test_client() as client:
        client.get("/")
