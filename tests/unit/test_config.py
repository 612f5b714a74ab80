from pathlib import Path

import pytest

from indicators.config import ConfigError, load_settings

pytestmark = pytest.mark.unit


def test_defaults_use_a_sqlite_file_under_var() -> None:
    settings = load_settings({})
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_database_url.endswith("var/suivi.db")
    assert settings.cache_type == "filesystem"
    assert settings.max_upload_mb == 50
    assert settings.public is False  # not public unless configured (issue #12)


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SUIVI_VAR_DIR": str(tmp_path),
            "SUIVI_DATABASE_URL": "postgresql://u@h/db",
            "SUIVI_PUBLIC": "oui",
            "SUIVI_MAX_UPLOAD_MB": "10",
            "SUIVI_WORKERS": "4",
        }
    )
    assert settings.var_dir == tmp_path
    assert settings.effective_database_url == "postgresql://u@h/db"
    assert settings.public is True
    assert settings.max_upload_mb == 10
    assert settings.workers == 4


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({"SUIVI_MAX_UPLOAD_MB": "beaucoup"}, "SUIVI_MAX_UPLOAD_MB doit être un nombre entier"),
        ({"SUIVI_WORKERS": "0"}, "SUIVI_WORKERS doit être strictement positif"),
        ({"SUIVI_PUBLIC": "peut-être"}, "SUIVI_PUBLIC doit valoir 1 ou 0"),
        ({"SUIVI_CACHE_TYPE": "memcached"}, "SUIVI_CACHE_TYPE doit valoir"),
        ({"SUIVI_CACHE_TYPE": "redis"}, "demande SUIVI_CACHE_URL"),
        ({"SUIVI_CELERY_URL": "amqp://courtier"}, "SUIVI_CELERY_URL doit être une URL Redis"),
    ],
)
def test_bad_values_are_refused_in_french(environ: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(environ)
