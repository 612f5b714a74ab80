# Suivi des territoires — production image (PostgreSQL and Redis are configured by SUIVI_* variables).
# The same image runs a Celery worker for /import: celery -A dashboard.worker worker (SUIVI_CELERY_URL).
# SUIVI_SECRET_KEY (32 characters or more) is required: without it dashboard.wsgi refuses to start,
# with a French message on how to make one (docker run -e SUIVI_SECRET_KEY=...).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SUIVI_VAR_DIR=/var/lib/suivi \
    SUIVI_BIND=0.0.0.0:8050

WORKDIR /app
COPY pyproject.toml README.md ./
COPY indicators ./indicators
COPY dashboard ./dashboard
COPY data ./data
COPY assets ./assets
RUN pip install '.[celery]' \
    && useradd --create-home --uid 10001 suivi \
    && mkdir -p /var/lib/suivi \
    && chown suivi /var/lib/suivi

USER suivi
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4).status == 200 else 1)"

# `suivi init` is idempotent: it applies pending migrations and syncs reference data and catalogue.
CMD ["sh", "-c", "suivi init && exec gunicorn dashboard.wsgi:server --bind ${SUIVI_BIND} --workers ${SUIVI_WORKERS:-2} --preload --access-logfile -"]
