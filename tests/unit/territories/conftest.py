"""Referentials for the territory tests: the hand-written mini one, and the real one when built."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.territories import Referential, default_reference_dir, load_referential

MINI_REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "reference_mini"


@pytest.fixture(scope="session")
def mini() -> Referential:
    return load_referential(MINI_REFERENCE)


@pytest.fixture(scope="session")
def real() -> Referential:
    """``data/reference`` (or ``SUIVI_REFERENCE_DIR``); skipped until ``make reference`` ran."""
    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        pytest.skip(f"référentiel réel absent ({directory}) : lancer `make reference`")
    return load_referential(directory)
