"""WSGI entry point for gunicorn: ``gunicorn dashboard.wsgi:server``."""

from dashboard.app import create_app, warm_up

app = create_app()
server = app.server
# With --preload this runs once before forking: workers share the referential, the catalogue and
# the search index, and the first visitor does not wait for them (nor hit a half-started app).
warm_up(app)
