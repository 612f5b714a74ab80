"""The shared cache: filesystem on a laptop, Redis in production, keyed by the data version.

A cache is an accelerator, never a dependency: when Redis cannot be reached, every cache
operation answers "nothing cached" at once, the pages are computed as if the cache were empty,
one warning goes to the log, and Redis is tried again a few seconds later (issue #11)."""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar, ParamSpec, TypeVar

from flask import Flask
from flask_caching import Cache
from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from indicators.config import Settings

logger = logging.getLogger("dashboard.cache")
cache = Cache()
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
P = ParamSpec("P")
R = TypeVar("R")


class ResilientRedisCache(RedisCache):
    """flask-caching's Redis backend that degrades to no cache while Redis is down."""

    RETRY_AFTER_S: ClassVar[float] = 5.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0  # monotonic time before which Redis is not even asked
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _guarded(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return default
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except REDIS_DOWN as error:
            with self._lock:
                if self._down_until == 0.0:  # once per outage, not once per request
                    logger.warning("Redis injoignable, pages calculées sans cache : %s", error)
                self._down_until = time.monotonic() + self.RETRY_AFTER_S
            return default
        if self._down_until:
            with self._lock:
                if self._down_until:
                    logger.warning("cache Redis de nouveau joignable")
                self._down_until = 0.0
        return result

    def get(self, key: str) -> Any:
        return self._guarded(None, "get", key)

    def get_many(self, *keys: str) -> list[Any]:
        return self._guarded([None] * len(keys), "get_many", *keys)  # type: ignore[no-any-return]

    def has(self, key: str) -> bool:
        return bool(self._guarded(False, "has", key))

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        return self._guarded(False, "set", key, value, timeout)

    def add(self, key: str, value: Any, timeout: int | None = None) -> Any:
        return self._guarded(False, "add", key, value, timeout)

    def set_many(self, mapping: dict[str, Any], timeout: int | None = None) -> Any:
        return self._guarded([], "set_many", mapping, timeout)

    def delete(self, key: str) -> Any:
        return self._guarded(False, "delete", key)

    def delete_many(self, *keys: str) -> Any:
        return self._guarded([], "delete_many", *keys)

    def clear(self) -> Any:
        return self._guarded(False, "clear")

    def inc(self, key: str, delta: int = 1) -> Any:
        return self._guarded(None, "inc", key, delta)

    def dec(self, key: str, delta: int = 1) -> Any:
        return self._guarded(None, "dec", key, delta)


def cache_config(settings: Settings) -> dict[str, object]:
    if settings.cache_type == "redis":
        return {
            "CACHE_TYPE": f"{__name__}.ResilientRedisCache",
            "CACHE_REDIS_URL": settings.cache_url,
            "CACHE_KEY_PREFIX": "suivi:",
            "CACHE_DEFAULT_TIMEOUT": 3600,
            # a Redis that does not answer must not hold a page for long
            "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
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


def by_data_version(function: Callable[P, R]) -> Callable[P, R]:
    """Memoize ``function`` in the shared cache, keyed by its arguments and the data version.

    Every load bumps the data version, so a result is reused until the data it was computed from
    changes, by every worker. The one way to cache a reader or a view (issue #13): no hand-written
    ``_x(..., version)`` twin. The arguments are bound to the signature first, so that
    ``f(1)`` and ``f(a=1)`` share one entry.
    """
    signature = inspect.signature(function)

    def keyed(version: int, arguments: tuple[tuple[str, Any], ...]) -> R:
        return function(**dict(arguments))  # type: ignore[call-arg]

    # flask-caching names an entry after the memoized function: name it after ``function``
    keyed.__module__ = function.__module__
    keyed.__name__ = getattr(function, "__name__", "keyed")
    keyed.__qualname__ = getattr(function, "__qualname__", keyed.__name__)
    memoized = cache.memoize()(keyed)

    @functools.wraps(function)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        from dashboard.readers import data_version  # readers itself uses this decorator

        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return memoized(data_version(), tuple(bound.arguments.items()))  # type: ignore[no-any-return]

    return cached
