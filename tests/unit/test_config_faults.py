"""The settings of issue #11: lock and statement timeouts, and the log level (read, checked)."""

import pytest

from indicators.config import ConfigError, load_settings

pytestmark = pytest.mark.unit


def test_timeouts_and_log_level_defaults() -> None:
    settings = load_settings({})
    assert (settings.db_lock_timeout_s, settings.db_statement_timeout_s) == (30.0, 300.0)
    assert settings.log_level == "info"


def test_timeouts_and_log_level_from_the_environment() -> None:
    settings = load_settings(
        {
            "SUIVI_DB_LOCK_TIMEOUT": "0,5",
            "SUIVI_DB_STATEMENT_TIMEOUT": "0",
            "SUIVI_LOG_LEVEL": " WARNING ",
        }
    )
    assert (settings.db_lock_timeout_s, settings.db_statement_timeout_s) == (0.5, 0.0)
    assert settings.log_level == "warning"


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({"SUIVI_DB_LOCK_TIMEOUT": "0"}, "SUIVI_DB_LOCK_TIMEOUT doit être strictement positif"),
        ({"SUIVI_DB_LOCK_TIMEOUT": "longtemps"}, "doit être un nombre de secondes"),
        ({"SUIVI_DB_STATEMENT_TIMEOUT": "-1"}, "doit être positif ou nul"),
        ({"SUIVI_LOG_LEVEL": "bavard"}, "SUIVI_LOG_LEVEL doit valoir debug, info, warning"),
    ],
)
def test_bad_values_are_refused_in_french(environ: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(environ)
