"""Settings read from ``SUIVI_*`` environment variables.

Every setting is documented in the README table; ``tests/docs`` fails when one is missing there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ConfigError(ValueError):
    """A setting has a value that cannot be used; the message says which and why, in French."""


def _default_var_dir() -> Path:
    return PROJECT_ROOT / "var"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build it with :func:`load_settings`."""

    var_dir: Path = field(default_factory=_default_var_dir)
    database_url: str = ""
    cache_type: str = "filesystem"
    cache_url: str = ""
    celery_url: str = ""
    secret_key: str = "dev-secret-change-me"
    public_readonly: bool = False
    max_upload_mb: int = 50
    bind: str = "127.0.0.1:8050"
    workers: int = 2
    log_level: str = "info"
    reference_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "reference")
    catalogue_dir: Path | None = None  # None: the demo catalogue shipped in indicators/catalogue

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'suivi.db'}"

    @property
    def raw_files_dir(self) -> Path:
        return self.var_dir / "uploads"

    @property
    def background_dir(self) -> Path:
        """Where local background jobs keep their progress and results (diskcache)."""
        return self.var_dir / "background"


# name of the environment variable -> (attribute, French description, default shown in the README)
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "SUIVI_VAR_DIR": (
        "var_dir",
        "dossier des données locales (base SQLite, fichiers chargés, cache)",
    ),
    "SUIVI_DATABASE_URL": ("database_url", "URL SQLAlchemy de la base"),
    "SUIVI_CACHE_TYPE": ("cache_type", "cache : `filesystem`, `simple` (mémoire) ou `redis`"),
    "SUIVI_CACHE_URL": ("cache_url", "URL Redis quand `SUIVI_CACHE_TYPE=redis`"),
    "SUIVI_CELERY_URL": (
        "celery_url",
        "URL Redis de Celery (courtier et résultats) pour les vérifications et chargements de "
        "`/import` ; vide : sous-processus locaux, état dans `$SUIVI_VAR_DIR/background/`",
    ),
    "SUIVI_SECRET_KEY": ("secret_key", "clé de signature des sessions (à changer en production)"),
    "SUIVI_PUBLIC_READONLY": ("public_readonly", "`1` : consultation seule, aucun chargement"),
    "SUIVI_MAX_UPLOAD_MB": ("max_upload_mb", "taille maximale d'un fichier chargé, en Mo"),
    "SUIVI_BIND": ("bind", "adresse d'écoute de `suivi serve`"),
    "SUIVI_WORKERS": ("workers", "nombre de processus gunicorn de `suivi serve`"),
    "SUIVI_LOG_LEVEL": ("log_level", "niveau de journalisation (`debug`, `info`, `warning`)"),
    "SUIVI_REFERENCE_DIR": ("reference_dir", "dossier du référentiel territorial (fichiers CSV)"),
    "SUIVI_CATALOGUE_DIR": (
        "catalogue_dir",
        "dossier du catalogue du déploiement (thèmes, partenaires, mesures, programmes, "
        "indicateurs)",
    ),
}

_TRUE = {"1", "true", "yes", "oui", "on"}
_FALSE = {"0", "false", "no", "non", "off", ""}
_CACHE_TYPES = {"filesystem", "simple", "redis", "null"}
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} doit valoir 1 ou 0 (reçu : {raw!r})")


def _parse_positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} doit être un nombre entier (reçu : {raw!r})") from None
    if value <= 0:
        raise ConfigError(f"{name} doit être strictement positif (reçu : {raw!r})")
    return value


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Read the settings from ``environ`` (default ``os.environ``), then apply ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for name, (attribute, _description) in ENVIRONMENT.items():
        raw = env.get(name)
        if raw is None or (attribute == "catalogue_dir" and not raw.strip()):
            continue  # an empty SUIVI_CATALOGUE_DIR is the demo catalogue, not "."
        if attribute in {"var_dir", "reference_dir", "catalogue_dir"}:
            values[attribute] = Path(raw).expanduser()
        elif attribute == "public_readonly":
            values[attribute] = _parse_bool(name, raw)
        elif attribute in {"max_upload_mb", "workers"}:
            values[attribute] = _parse_positive_int(name, raw)
        else:
            values[attribute] = raw
    values.update(overrides)
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"réglages inconnus : {', '.join(sorted(unknown))}")
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.cache_type not in _CACHE_TYPES:
        raise ConfigError(
            f"SUIVI_CACHE_TYPE doit valoir {', '.join(sorted(_CACHE_TYPES))}"
            f" (reçu : {settings.cache_type!r})"
        )
    if settings.cache_type == "redis" and not settings.cache_url:
        raise ConfigError(
            "SUIVI_CACHE_TYPE=redis demande SUIVI_CACHE_URL (ex. redis://127.0.0.1:6379/0)"
        )
    if settings.celery_url and not settings.celery_url.startswith(_REDIS_SCHEMES):
        raise ConfigError(
            "SUIVI_CELERY_URL doit être une URL Redis (ex. redis://127.0.0.1:6379/1)"
            f" (reçu : {settings.celery_url!r})"
        )
    return settings
