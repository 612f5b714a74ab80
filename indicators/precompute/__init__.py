"""Pre-computed values: aggregates over territory sets and derived indicators, kept up to date
incrementally after each load, and read by key by the dashboard (see the README's design notes).
"""

from indicators.precompute.read import map_values, periods_available, series, series_of_many
from indicators.precompute.refresh import RefreshReport, refresh_computed
from indicators.precompute.write import (
    DataWrite,
    Written,
    lock_data_version,
    observed_periods,
    write_data,
)

__all__ = [
    "DataWrite",
    "RefreshReport",
    "Written",
    "lock_data_version",
    "map_values",
    "observed_periods",
    "periods_available",
    "refresh_computed",
    "series",
    "series_of_many",
    "write_data",
]
