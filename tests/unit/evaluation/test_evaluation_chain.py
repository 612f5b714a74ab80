"""The results chain: inputs -> outputs -> outcomes -> impacts, a status per indicator."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from indicators.catalogue import Catalogue, ChainLevel, load_catalogue
from indicators.evaluation.estimation import ScopeEstimate
from indicators.evaluation.results_chain import results_chain, target_progress
from indicators.evaluation.warnings import EvaluationWarning

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_progress_towards_the_target(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["ECO_RENOV_MPR"]  # an output with a target
    target = indicator.targets[0]
    values = pd.DataFrame(
        {
            "period": ["2024-T1", "2025-T1", "2025-T2"],
            "value": [100.0, 150.0, None],
            "status": ["ok", "ok", "missing"],
        }
    )
    found = target_progress(indicator, values)
    assert found is not None
    assert (found.period, found.value, found.target) == ("2025-T1", 150.0, target.value)
    assert found.status in {"achieved", "on_track", "late"}
    assert target_progress(replace(indicator, targets=()), values) is None


def test_chain_order_and_statuses(catalogue: Catalogue) -> None:
    indicators = [catalogue.indicators[code] for code in catalogue.indicators]
    measure = [i for i in indicators if "M1" in i.measures]
    estimates = {
        "ACC_FS_TEMPS_ACCES": ScopeEstimate("ensemble", -1.8, 0.3, -2.4, -1.2, 0.001),
        "ACC_FS_SATISFACTION": ScopeEstimate("ensemble", 0.5, 0.5, -0.5, 1.5, 0.3),
        "ACC_FS_DEMANDES": ScopeEstimate("ensemble", 120.0, 20.0, 80.0, 160.0, 0.001),
    }
    warnings = [EvaluationWarning("cadence-too-slow", "…", "ACC_RENONCEMENT")]
    chain = results_chain(
        "M1",
        measure,
        estimates,
        {},
        warnings,
        {"ACC_FS_CREDITS": True},
    )
    assert [step.level for step in chain.steps] == [
        ChainLevel.INPUT,
        ChainLevel.OUTPUT,
        ChainLevel.OUTCOME,
        ChainLevel.IMPACT,
    ]
    assert [step.label for step in chain.steps] == [
        "moyens",
        "réalisations",
        "résultats",
        "impacts",
    ]
    frame = chain.frame().set_index("indicator")
    assert frame.loc["ACC_FS_TEMPS_ACCES", "status"] == "favourable"
    assert frame.loc["ACC_FS_TEMPS_ACCES", "detail"].startswith(
        "Dans l'ensemble des territoires test, 1,8 minute de moins"
    )
    assert frame.loc["ACC_FS_SATISFACTION", "status"] == "not_significant"
    assert frame.loc["ACC_FS_DEMANDES", "status"] == "favourable"  # no target: its estimate
    assert frame.loc["ACC_FS_CREDITS", "status_label"] == "suivi, sans cible"
    assert frame.loc["ACC_FS_NOMBRE", "status_label"] == "aucune donnée"
    assert frame.loc["ACC_RENONCEMENT", "status"] == "not_estimable"  # an impact: no estimate
    assert frame.loc["ACC_RENONCEMENT", "warnings"] == "cadence-too-slow"
