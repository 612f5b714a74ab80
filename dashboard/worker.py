"""Celery worker entry point, when ``SUIVI_CELERY_URL`` is set::

    celery -A dashboard.worker worker --loglevel=info

The worker builds the same app as the web processes (same ``SUIVI_*`` settings, same database,
same ``$SUIVI_VAR_DIR/uploads/``): the background callbacks of ``/import`` become its tasks.
"""

from dashboard.app import create_app
from dashboard.background import celery_app_of
from indicators.config import check_production_secret, load_settings

settings = load_settings()
check_production_secret(settings)  # the same key as the web processes
# not named ``app``: Celery would take the Dash app for its own; it finds ``celery_app``
dash_app = create_app(settings)
celery_app = celery_app_of(dash_app)
