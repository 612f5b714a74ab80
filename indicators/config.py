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


# The key every checkout shares: fine for tests and a laptop, never for a server (issue #12: it
# also signs Dash's background-job handles, so knowing it lets anyone forge one).
DEFAULT_SECRET_KEY = "dev-secret-change-me"
MIN_SECRET_KEY_LENGTH = 32
SECRET_KEY_HOWTO = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
LOCAL_SECRET_KEY_FILE = "secret_key"  # under var/, written by `suivi serve --local`


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
    secret_key: str = DEFAULT_SECRET_KEY
    public: bool = False
    https: bool = False
    login_rate_limit: str = "10 per minute"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_provisioning: str = "existing"
    oidc_role_claim: str = ""
    oidc_partner_claim: str = ""
    max_upload_mb: int = 50
    bind: str = "127.0.0.1:8050"
    workers: int = 2
    log_level: str = "info"
    db_lock_timeout_s: float = 30.0
    db_statement_timeout_s: float = 300.0
    reference_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "reference")
    proxies: int = 0
    health_details: bool = False
    jobs_per_user: int = 2
    jobs_total: int = 8
    job_timeout_s: int = 900
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
    "SUIVI_SECRET_KEY": (
        "secret_key",
        "clé de signature des sessions et des tâches longues ; obligatoire (32 caractères au "
        "moins) pour `suivi serve`, l'image Docker et `dashboard.wsgi`",
    ),
    "SUIVI_PUBLIC": (
        "public",
        "`1` : tableaux de bord publiés en lecture seule pour les visiteurs sans compte ; `0` : "
        "toute page demande de se connecter",
    ),
    "SUIVI_HTTPS": (
        "https",
        "`1` : servi en HTTPS derrière un mandataire inverse (cookies `Secure`, en-têtes "
        "`X-Forwarded-For` / `X-Forwarded-Proto` d'un mandataire pris en compte)",
    ),
    "SUIVI_LOGIN_RATE_LIMIT": (
        "login_rate_limit",
        "tentatives de connexion permises par adresse IP (syntaxe Flask-Limiter), comptées dans "
        "Redis quand `SUIVI_CACHE_TYPE=redis`",
    ),
    "SUIVI_OIDC_ISSUER": (
        "oidc_issuer",
        "URL de l'émetteur OpenID Connect (sa configuration est lue à "
        "`…/.well-known/openid-configuration`) ; vide : pas d'authentification unique",
    ),
    "SUIVI_OIDC_CLIENT_ID": ("oidc_client_id", "identifiant de l'application chez l'émetteur OIDC"),
    "SUIVI_OIDC_CLIENT_SECRET": ("oidc_client_secret", "secret de l'application chez l'émetteur"),
    "SUIVI_OIDC_PROVISIONING": (
        "oidc_provisioning",
        "`existing` : seuls les comptes déjà créés (reconnus par leur adresse) se connectent ; "
        "`lecteur` : une personne inconnue reçoit un compte de lecteur",
    ),
    "SUIVI_OIDC_ROLE_CLAIM": (
        "oidc_role_claim",
        "revendication (claim) de l'émetteur qui donne le rôle à chaque connexion ; vide : le "
        "rôle se règle avec `suivi users set-role`",
    ),
    "SUIVI_OIDC_PARTNER_CLAIM": (
        "oidc_partner_claim",
        "revendication qui donne le code du partenaire à chaque connexion",
    ),
    "SUIVI_MAX_UPLOAD_MB": ("max_upload_mb", "taille maximale d'un fichier chargé, en Mo"),
    "SUIVI_BIND": ("bind", "adresse d'écoute de `suivi serve`"),
    "SUIVI_WORKERS": ("workers", "nombre de processus gunicorn de `suivi serve`"),
    "SUIVI_LOG_LEVEL": (
        "log_level",
        "niveau de journalisation (`debug`, `info`, `warning`, `error`) de la ligne de commande, "
        "de `suivi serve` et de l'application web",
    ),
    "SUIVI_DB_LOCK_TIMEOUT": (
        "db_lock_timeout_s",
        "attente maximale d'un verrou de la base, en secondes (SQLite `busy_timeout`, "
        "PostgreSQL `lock_timeout`) : au-delà, « Une autre opération est en cours »",
    ),
    "SUIVI_DB_STATEMENT_TIMEOUT": (
        "db_statement_timeout_s",
        "durée maximale d'une requête SQL, en secondes (PostgreSQL `statement_timeout`, "
        "SQLite : interruption) ; `0` : sans limite",
    ),
    "SUIVI_REFERENCE_DIR": ("reference_dir", "dossier du référentiel territorial (fichiers CSV)"),
    "SUIVI_PROXIES": (
        "proxies",
        "nombre de mandataires inverses (répartiteur, TLS) devant le serveur dont les en-têtes "
        "`X-Forwarded-*` sont crus : HTTPS vu du navigateur, en-tête HSTS ; `0` : aucun",
    ),
    "SUIVI_JOBS_PER_USER": (
        "jobs_per_user",
        "tâches longues (vérification, chargement, annulation, rapport PDF) en cours à la fois "
        "par personne",
    ),
    "SUIVI_JOBS_TOTAL": ("jobs_total", "tâches longues en cours à la fois sur tout le service"),
    "SUIVI_JOB_TIMEOUT_S": (
        "job_timeout_s",
        "durée maximale d'une tâche longue, en secondes ; au-delà elle est arrêtée sans rien "
        "enregistrer",
    ),
    "SUIVI_HEALTH_DETAILS": (
        "health_details",
        "`1` : `/healthz` détaille l'état de la base (révision, erreur du pilote) à tout "
        "appelant ; sinon l'état seul, les détails aux administrateurs connectés",
    ),
    "SUIVI_CATALOGUE_DIR": (
        "catalogue_dir",
        "dossier du catalogue du déploiement (thèmes, partenaires, mesures, programmes, "
        "indicateurs)",
    ),
}

_TRUE = {"1", "true", "yes", "oui", "on"}
_FALSE = {"0", "false", "no", "non", "off", ""}
_CACHE_TYPES = {"filesystem", "simple", "redis", "null"}
LOG_LEVELS = ("debug", "info", "warning", "error")
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_PROVISIONING = ("existing", "lecteur")


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


def _parse_seconds(name: str, raw: str, *, zero_allowed: bool) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ConfigError(f"{name} doit être un nombre de secondes (reçu : {raw!r})") from None
    if value < 0 or (value == 0 and not zero_allowed) or value != value:
        limit = "positif ou nul" if zero_allowed else "strictement positif"
        raise ConfigError(f"{name} doit être {limit} (reçu : {raw!r})")
    return value


def _parse_count(name: str, raw: str) -> int:
    if not raw.strip().isdigit():
        raise ConfigError(f"{name} doit être un nombre entier positif ou nul (reçu : {raw!r})")
    return int(raw)


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
        elif attribute in {"public", "https", "health_details"}:
            values[attribute] = _parse_bool(name, raw)
        elif attribute == "proxies":
            values[attribute] = _parse_count(name, raw)
        elif attribute in {"max_upload_mb", "workers", "jobs_per_user", "jobs_total"} | {
            "job_timeout_s"
        }:
            values[attribute] = _parse_positive_int(name, raw)
        elif attribute == "db_lock_timeout_s":
            values[attribute] = _parse_seconds(name, raw, zero_allowed=False)
        elif attribute == "db_statement_timeout_s":
            values[attribute] = _parse_seconds(name, raw, zero_allowed=True)
        elif attribute == "log_level":
            values[attribute] = raw.strip().lower()
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
    if settings.log_level not in LOG_LEVELS:
        raise ConfigError(
            f"SUIVI_LOG_LEVEL doit valoir {', '.join(LOG_LEVELS)} (reçu : {settings.log_level!r})"
        )
    if settings.cache_type == "redis" and not settings.cache_url:
        raise ConfigError(
            "SUIVI_CACHE_TYPE=redis demande SUIVI_CACHE_URL (ex. redis://127.0.0.1:6379/0)"
        )
    if settings.oidc_provisioning not in _PROVISIONING:
        raise ConfigError(
            f"SUIVI_OIDC_PROVISIONING doit valoir {' ou '.join(_PROVISIONING)}"
            f" (reçu : {settings.oidc_provisioning!r})"
        )
    if settings.oidc_issuer and not settings.oidc_client_id:
        raise ConfigError("SUIVI_OIDC_ISSUER demande SUIVI_OIDC_CLIENT_ID (et son secret)")
    if settings.celery_url and not settings.celery_url.startswith(_REDIS_SCHEMES):
        raise ConfigError(
            "SUIVI_CELERY_URL doit être une URL Redis (ex. redis://127.0.0.1:6379/1)"
            f" (reçu : {settings.celery_url!r})"
        )
    return settings


def check_production_secret(settings: Settings) -> None:
    """Refuse to serve with the shared development key or a short one (issue #12)."""
    key = settings.secret_key
    if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        reason = (
            "absent (valeur de développement)"
            if key == DEFAULT_SECRET_KEY
            else f"trop courte ({len(key)} caractères)"
        )
        raise ConfigError(
            f"SUIVI_SECRET_KEY {reason} : le serveur refuse de démarrer sans une clé secrète "
            f"d'au moins {MIN_SECRET_KEY_LENGTH} caractères. Créez-en une avec\n"
            f"    {SECRET_KEY_HOWTO}\n"
            "puis exportez-la (export SUIVI_SECRET_KEY=…) ; pour une démonstration locale, "
            "`suivi serve --local` en crée une dans var/."
        )


def local_secret_key(var_dir: Path) -> str:
    """The key of a local demonstration: generated on first use into ``var_dir`` (mode 600),
    then read back, so that sessions and job handles survive a restart."""
    import secrets

    path = var_dir / LOCAL_SECRET_KEY_FILE
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_SECRET_KEY_LENGTH:
            return key
        raise ConfigError(
            f"{path} contient une clé trop courte : supprimez ce fichier pour en créer une autre"
        ) from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
