import math

import pandas as pd
import pytest

from indicators.compute import DEFAULT_SMALL_NUMBER_THRESHOLD, suppress_small_numbers

pytestmark = pytest.mark.unit

NAN = math.nan


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["cases", "cases", "cases", "cases", "cases", "beds"],
            "territory": ["COM:a", "COM:b", "COM:c", "COM:d", "COM:e", "COM:a"],
            "period": ["2025"] * 6,
            "value": [0.0, 1.0, 10.0, 11.0, NAN, 3.0],
            "status": ["ok", "ok", "ok", "ok", "missing", "ok"],
        }
    )


def test_counts_from_one_to_ten_become_secret_by_default() -> None:
    assert DEFAULT_SMALL_NUMBER_THRESHOLD == 11
    original = frame()
    result = suppress_small_numbers(original)
    assert list(result["status"]) == ["ok", "secret", "secret", "ok", "missing", "secret"]
    assert result["value"].tolist()[0] == 0.0  # zero reveals nobody
    assert result["value"].tolist()[3] == 11.0
    assert result["value"].iloc[[1, 2, 5]].isna().all()
    assert original["status"].tolist()[1] == "ok"  # the input is left untouched


def test_threshold_and_indicators_are_configurable() -> None:
    result = suppress_small_numbers(frame(), threshold=5, indicators={"cases"})
    assert list(result["status"]) == ["ok", "secret", "ok", "ok", "missing", "ok"]


def test_invalid_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="seuil"):
        suppress_small_numbers(frame(), threshold=0)
