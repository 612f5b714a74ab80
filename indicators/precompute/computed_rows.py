"""The rows a refresh stores in ``computed_values``: a derived indicator's own values, the
aggregates of every group and the medians by typology class."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.precompute.groups import GroupIndex

COMPUTED_KEY = ("indicator_code", "territory_code", "period")
COMPUTED_COLUMNS = [
    "indicator_code",
    "territory_code",
    "territory_level",
    "period",
    "value",
    "status",
    "reported",
    "expected",
    "n_missing",
    "n_not_applicable",
    "n_secret",
    "numerator",
    "denominator",
    "indicator_version",
    "computed_at",
]


def territory_rows(derived: pd.DataFrame, level: str) -> pd.DataFrame:
    status = derived["status"]
    return pd.DataFrame(
        {
            "indicator_code": derived["indicator"],
            "territory_code": derived["territory"],
            "territory_level": level,
            "period": derived["period"],
            "value": derived["value"].astype(float),
            "status": status,
            "reported": (status == "ok").astype(int),
            "expected": 1,
            "n_missing": (status == "missing").astype(int),
            "n_not_applicable": (status == "not_applicable").astype(int),
            "n_secret": (status == "secret").astype(int),
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )


def aggregate_rows(aggregates: pd.DataFrame) -> pd.DataFrame:
    groups = aggregates["group"].astype(str)
    return pd.DataFrame(
        {
            "indicator_code": aggregates["indicator"],
            "territory_code": groups,
            "territory_level": groups.str.split(":", n=1).str[0],
            "period": aggregates["period"],
            "value": aggregates["value"].astype(float),
            "status": aggregates["status"],
            "reported": aggregates["k"].astype(int),
            "expected": aggregates["n"].astype(int),
            "n_missing": (aggregates["n_missing"] + aggregates["n_absent"]).astype(int),
            "n_not_applicable": aggregates["n_not_applicable"].astype(int),
            "n_secret": aggregates["n_secret"].astype(int),
            "numerator": aggregates["numerator"].astype(float),
            "denominator": aggregates["denominator"].astype(float),
        }
    )


def median_rows(observations: pd.DataFrame, code: str, groups: GroupIndex) -> pd.DataFrame:
    """Median of the territories' own values by typology class, stored as ``MED:<class>``: the
    "territories like this one" line of a territory's chart (a sum over a class is not that)."""
    own = observations[(observations["indicator"] == code) & (observations["status"] == "ok")]
    if own.empty:
        return pd.DataFrame()
    territory = own["territory"].astype("category")
    period = own["period"].astype("category")
    typology = groups.territories.set_index("code")["typology"]
    class_codes, classes = pd.factorize(typology.reindex(territory.cat.categories))
    row_class = class_codes[territory.cat.codes.to_numpy()]
    n_periods = len(period.cat.categories)
    key = row_class.astype(np.int64) * n_periods + period.cat.codes.to_numpy()
    key = np.where(row_class >= 0, key, -1)
    values = own["value"].to_numpy(dtype=np.float64)
    found = np.unique(key[key >= 0])
    if len(found) == 0:
        return pd.DataFrame()
    # a few classes × periods: one mask each is cheaper than a groupby on a million rows
    medians = np.array([np.median(values[key == one]) for one in found])
    counts = np.array([np.count_nonzero(key == one) for one in found], dtype=np.int64)
    return pd.DataFrame(
        {
            "indicator_code": code,
            "territory_code": "MED:" + classes.to_numpy(dtype=object)[found // n_periods],
            "territory_level": "MED",
            "period": period.cat.categories.to_numpy(dtype=object)[found % n_periods],
            "value": medians,
            "status": "ok",
            "reported": counts,
            "expected": counts,
            "n_missing": 0,
            "n_not_applicable": 0,
            "n_secret": 0,
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )
