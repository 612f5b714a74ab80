"""The evaluation of each measure on the full-France demo database (every commune).

``propose_s``: a design proposed from scratch (reads the matching indicator for every candidate
territory of France, then matches); ``evaluate``: ``evaluate_measure`` with that design given
(what the page does once a design is saved: reads the design's panels, estimates, warns).
``report``: the frozen report of that evaluation (HTML, with its maps and attached data) and its
size. ``estimate_panel``: the estimation alone on a synthetic panel of 1,200 territories x 19
quarters in three cohorts and three types.

Each result is checked before it counts: an evaluation without estimates, or an empty report, is
an error (:class:`~benchmarks.checks.BadResponse`), not a time.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from benchmarks.checks import BadResponse
from benchmarks.france import france_settings
from benchmarks.timing import time_calls
from dashboard.reports import evaluation_report_html
from indicators.catalogue import load_catalogue
from indicators.evaluation import (
    MeasureEvaluation,
    Panel,
    PanelEstimates,
    estimate_panel,
    evaluate_measure,
    make_panel,
    propose_design,
)
from indicators.periods import Period, PeriodKind
from indicators.store import make_engine
from indicators.territories import load_referential

SEED = 42


def synthetic_panel() -> Panel:
    rng = np.random.default_rng(SEED)
    quarters = [Period(2022, PeriodKind.QUARTER, 1).shift(i) for i in range(19)]
    units, rows = [], []
    for number in range(1_200):
        test = number % 4 == 0
        start = quarters[12 + 2 * (number % 3)].start if test else None
        code = f"COM:{number:05d}"
        units.append(
            {
                "territory": code,
                "type": ("moins_20k", "20k_100k", "plus_100k")[number % 3],
                "role": "test" if test else "comparison",
                "start": start,
                "population": 1_000.0,
            }
        )
        level = rng.normal(50, 10)
        for period in quarters:
            effect = 2.0 if test and start is not None and period.start >= start else 0.0
            rows.append((code, str(period), level + effect + rng.normal(), "ok"))
    observations = pd.DataFrame(rows, columns=["territory", "period", "value", "status"])
    return make_panel("X", "COM", PeriodKind.QUARTER, pd.DataFrame(units), observations)


def check_evaluation(evaluation: MeasureEvaluation) -> None:
    if evaluation.estimates.empty:
        raise BadResponse(f"évaluation de {evaluation.measure.code} sans aucune estimation")


def check_estimates(estimates: PanelEstimates) -> None:
    if estimates.overall.estimate is None:
        raise BadResponse(f"panel synthétique sans estimation : {estimates.overall.reason}")


def run() -> dict[str, object]:
    catalogue = load_catalogue()
    settings = france_settings()
    referential = load_referential(settings.reference_dir)
    engine = make_engine(settings.effective_database_url)
    results: dict[str, object] = {}
    with Session(engine) as session:
        for code in catalogue.measures:
            started = time.perf_counter()
            design = propose_design(session, catalogue, code)
            proposed = time.perf_counter() - started
            evaluate = partial(evaluate_measure, session, catalogue, code, design=design)
            timing = time_calls(evaluate, repeat=3, warmup=1, check=check_evaluation)
            evaluated = evaluate()
            started = time.perf_counter()
            html = evaluation_report_html(
                evaluated, referential, settings.reference_dir, datetime.now()
            )
            if "<html" not in html[:500].lower() or len(html) < 10_000:
                raise BadResponse(f"rapport de {code} vide ou tronqué ({len(html)} caractères)")
            results[code] = {
                "units": len(design.units),
                "propose_s": round(proposed, 2),
                "evaluate": timing,
                "report_s": round(time.perf_counter() - started, 2),
                "report_mb": round(len(html.encode()) / 1e6, 1),
            }
    panel = synthetic_panel()
    results["estimate_panel_1200x19"] = time_calls(
        lambda: estimate_panel(panel), repeat=5, check=check_estimates
    )
    engine.dispose()
    return results
