"""Server time of the dashboard's callbacks at full-France scale, cold (each key asked for the
first time) and warm (asked again), and the bytes a map update sends.

Every answer is checked (:mod:`benchmarks.checks`): a case whose callback failed is listed under
``errors`` and left out of the figures, and the run exits non-zero."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.callbacks_client import CallbackCaller
from benchmarks.checks import BadResponse
from benchmarks.france import france_settings
from benchmarks.timing import percentile
from dashboard import readers
from dashboard.app import create_app

MAP_OUTPUTS = [
    ("carte-graph", "figure"),
    ("carte-summary", "children"),
    ("carte-legend", "children"),
    ("carte-csv", "href"),
    ("carte-xlsx", "href"),
    ("carte-title", "children"),
]


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "n": len(samples),
    }


def _measure(call: Callable[[Any], int], variants: list[Any]) -> dict[str, object]:
    cold, warm, sizes = [], [], []
    errors: dict[str, str] = {}
    for variant in variants:
        try:
            start = time.perf_counter()
            size = call(variant)
            cold_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            call(variant)
            warm_ms = (time.perf_counter() - start) * 1000
        except BadResponse as error:
            errors[_case(variant)] = str(error)
            continue
        sizes.append(size)
        cold.append(cold_ms)
        warm.append(warm_ms)
    outcome: dict[str, object] = {
        "cold": _percentiles(cold),
        "warm": _percentiles(warm),
        "response_kb_max": round(max(sizes) / 1024, 1) if sizes else None,
    }
    if errors:
        outcome["errors"] = errors
    return outcome


def _case(variant: Any) -> str:
    return " ".join(variant) if isinstance(variant, tuple) else str(variant)


def run() -> dict[str, object]:
    app = create_app(france_settings())
    caller = CallbackCaller(app)
    with app.server.app_context():
        catalogue = readers.catalogue()
        keys = []
        for code in list(catalogue.indicators)[:20]:
            periods = readers.periods_of(code)
            if periods:
                keys.append((code, periods[-1]))

    def map_update(level: str, within: str | None) -> Callable[[Any], int]:
        def call(key: tuple[str, str]) -> int:
            return caller.call(
                MAP_OUTPUTS,
                [
                    ("carte-indicateur", "value", key[0]),
                    ("carte-periode", "value", key[1]),
                    ("carte-niveau", "value", level),
                    ("carte-dans", "value", within),
                ],
            )

        return call

    def trend(key: tuple[str, str]) -> int:
        return caller.call(
            [
                ("territoire-trend-graph", "figure"),
                ("territoire-trend-summary", "children"),
                ("territoire-trend-csv", "href"),
                ("territoire-trend-xlsx", "href"),
                ("territoire-trend-title", "children"),
            ],
            [("territoire-indicateur", "value", key[0]), ("territoire-code", "data", "COM:29019")],
        )

    def overview(year: str) -> int:
        return caller.call(
            [
                ("accueil-mesures", "children"),
                ("accueil-mesures-resume", "children"),
                ("accueil-mesures-csv", "href"),
                ("accueil-mesures-xlsx", "href"),
            ],
            [("accueil-type", "value", "tous"), ("accueil-annee", "value", year)],
        )

    def indicator_sheet(level: str) -> Callable[[Any], int]:
        def call(key: tuple[str, str]) -> int:
            return caller.call(
                [
                    (f"indicateur-{part}", prop)
                    for part, prop in [
                        ("carte-graph", "figure"),
                        ("carte-summary", "children"),
                        ("carte-legend", "children"),
                        ("carte-csv", "href"),
                        ("carte-xlsx", "href"),
                        ("carte-title", "children"),
                        ("classement-graph", "figure"),
                        ("classement-summary", "children"),
                        ("classement-csv", "href"),
                        ("classement-xlsx", "href"),
                        ("distribution-graph", "figure"),
                        ("distribution-summary", "children"),
                        ("distribution-csv", "href"),
                        ("distribution-xlsx", "href"),
                    ]
                ],
                [
                    ("indicateur-code", "data", key[0]),
                    ("indicateur-periode", "value", key[1]),
                    ("indicateur-niveau", "value", level),
                    ("indicateur-dans", "value", ""),
                    ("indicateur-surligne", "data", None),
                ],
            )

        return call

    def programme_part(outputs: list[tuple[str, str]]) -> Callable[[Any], int]:
        return lambda code: caller.call(outputs, [("programme-code", "data", code)])

    programmes = ["PVD", "ACV", "FS", "TI"]
    progress_outputs = [
        ("programme-progression-graph", "figure"),
        ("programme-progression-graph", "style"),
        ("programme-progression-summary", "children"),
        ("programme-progression-legend", "children"),
        ("programme-progression-csv", "href"),
        ("programme-progression-xlsx", "href"),
    ]
    chain_outputs = [
        ("programme-chaine", "children"),
        ("programme-chaine-summary", "children"),
        ("programme-chaine-csv", "href"),
        ("programme-chaine-xlsx", "href"),
    ]

    def evaluation_part(outputs: list[tuple[str, str]], indicator: bool) -> Callable[[Any], int]:
        # /evaluation (issue #16): its sections, and the per-région maps in their own request
        def call(measure: str) -> int:
            inputs = [
                ("evaluation-mesure", "value", measure),
                ("evaluation-type", "value", "tous"),
                ("evaluation-plan", "value", None),
            ]
            if indicator:
                inputs.append(("evaluation-indicateur", "value", None))
            return caller.call(outputs, inputs)

        return call

    measures = list(catalogue.measures)
    return {
        "evaluation_page": _measure(
            evaluation_part(caller.outputs_of("update_evaluation"), True), measures
        ),
        "evaluation_carte": _measure(
            evaluation_part(caller.outputs_of("update_territories_map"), False), measures
        ),
        "indicateur_carte_classement_distribution_dep": _measure(indicator_sheet("DEP"), keys),
        "indicateur_carte_classement_distribution_epci": _measure(indicator_sheet("EPCI"), keys),
        "programme_progression": _measure(programme_part(progress_outputs), programmes),
        "programme_chaine": _measure(programme_part(chain_outputs), programmes),
        "carte_departements": _measure(map_update("DEP", None), keys),
        "carte_regions": _measure(map_update("REG", None), keys),
        "carte_epci": _measure(map_update("EPCI", None), keys),
        "carte_communes_finistere": _measure(map_update("COM", "DEP:29"), keys),
        "territoire_evolution": _measure(trend, keys),
        "accueil_mesures": _measure(overview, ["2026", "2025", "2024"]),
    }
