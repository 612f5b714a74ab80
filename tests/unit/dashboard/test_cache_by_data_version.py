"""``by_data_version``: the one way to cache a reader or a view (issue #13)."""

from collections.abc import Iterator

import pytest
from flask import Flask

from dashboard import readers
from dashboard.cache import by_data_version, cache

pytestmark = pytest.mark.unit
CALLS: list[tuple[str, object]] = []


@by_data_version
def doubled(value: int, extra: int = 0) -> int:
    CALLS.append(("doubled", value))
    return 2 * value + extra


@by_data_version
def tripled(value: int) -> int:
    CALLS.append(("tripled", value))
    return 3 * value


@pytest.fixture
def version(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    app = Flask(__name__)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    current = [1]
    monkeypatch.setattr(readers, "data_version", lambda: current[0])
    CALLS.clear()
    with app.app_context():
        yield current


def test_a_result_is_computed_once_per_data_version(version: list[int]) -> None:
    assert doubled(2) == doubled(2) == 4
    assert CALLS == [("doubled", 2)]
    version[0] = 2  # a load bumps the version
    assert doubled(2) == 4
    assert CALLS == [("doubled", 2), ("doubled", 2)]


def test_arguments_by_name_or_position_share_one_entry(version: list[int]) -> None:
    assert doubled(3) == doubled(value=3) == doubled(3, 0) == 6
    assert doubled(3, extra=1) == 7
    assert CALLS == [("doubled", 3), ("doubled", 3)]


def test_two_functions_never_share_an_entry(version: list[int]) -> None:
    assert (doubled(5), tripled(5)) == (10, 15)
    assert CALLS == [("doubled", 5), ("tripled", 5)]


def test_the_decorated_function_keeps_its_name_and_docstring() -> None:
    assert doubled.__name__ == "doubled"
    assert readers.values_for_map.__doc__ and "within" in readers.values_for_map.__doc__
