"""The shared cache on a real Redis server: what one app writes, another (another worker or
host) reads; the data version in every key makes stale entries unreachable."""

from pathlib import Path

import pytest
from flask import Flask

from dashboard.cache import cache_config
from indicators.config import load_settings

pytestmark = [pytest.mark.integration, pytest.mark.redis]


def _app(settings) -> tuple[Flask, object]:  # type: ignore[no-untyped-def]
    from flask_caching import Cache

    app = Flask("essai")
    cache = Cache()
    cache.init_app(app, config=cache_config(settings))
    return app, cache


def test_two_processes_share_values_through_redis(redis_url: str, tmp_path: Path) -> None:
    settings = load_settings({}, var_dir=tmp_path, cache_type="redis", cache_url=redis_url)
    first_app, first = _app(settings)
    second_app, second = _app(settings)
    with first_app.app_context():
        first.clear()  # type: ignore[attr-defined]
        first.set("carte:ACC:2025:v7", {"valeur": 12.5})  # type: ignore[attr-defined]
    with second_app.app_context():
        assert second.get("carte:ACC:2025:v7") == {"valeur": 12.5}  # type: ignore[attr-defined]
        assert second.get("carte:ACC:2025:v8") is None  # type: ignore[attr-defined]


def test_cache_settings_by_type(tmp_path: Path) -> None:
    assert cache_config(load_settings({}, var_dir=tmp_path))["CACHE_TYPE"] == "FileSystemCache"
    assert cache_config(load_settings({}, cache_type="simple"))["CACHE_TYPE"] == "SimpleCache"
    redis = cache_config(load_settings({}, cache_type="redis", cache_url="redis://h:6379/0"))
    assert redis["CACHE_TYPE"] == "dashboard.cache.ResilientRedisCache"
    assert redis["CACHE_REDIS_URL"] == "redis://h:6379/0"
