"""The shared cache: filesystem on a laptop, Redis in production, keyed by the data version."""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache

from indicators.config import Settings

cache = Cache()


def cache_config(settings: Settings) -> dict[str, object]:
    if settings.cache_type == "redis":
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.cache_url,
            "CACHE_KEY_PREFIX": "suivi:",
            "CACHE_DEFAULT_TIMEOUT": 3600,
        }
    if settings.cache_type == "simple":
        return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 3600}
    if settings.cache_type == "null":
        return {"CACHE_TYPE": "NullCache"}
    return {
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(settings.var_dir / "cache"),
        "CACHE_DEFAULT_TIMEOUT": 3600,
        "CACHE_THRESHOLD": 5000,
    }


def init_cache(server: Flask, settings: Settings) -> None:
    cache.init_app(server, config=cache_config(settings))
