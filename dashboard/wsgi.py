"""WSGI entry point for gunicorn: ``gunicorn dashboard.wsgi:server``."""

from dashboard.app import create_app, warm_up
from indicators.config import check_production_secret, load_settings

settings = load_settings()
check_production_secret(settings)  # ConfigError (French) with the shared or a short key
app = create_app(settings)
server = app.server
# With --preload this runs once before forking: workers share the referential, the catalogue and
# the search index, and the first visitor does not wait for them (nor hit a half-started app).
warm_up(app)
