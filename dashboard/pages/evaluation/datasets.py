"""The evaluation of a measure, memoized by measure, design and data version, and the tables
the page shows and serves as exports."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import app_context, db_session
from dashboard.datasets import MAP_COLUMNS, OVERSEAS
from dashboard.pages.evaluation.plans import (
    design_of,
    plan_key,
    plan_options,
)
from dashboard.pages.evaluation.texts import ALL_TYPES, ROLE_LABELS, TYPE_LABELS, type_choices
from dashboard.reports import RegionMap, region_maps
from dashboard.routes.exports import register_dataset
from indicators.evaluation import (
    OVERALL,
    MeasureEvaluation,
    evaluate_measure,
)


@by_data_version
def _evaluation(measure: str, design_id: int) -> MeasureEvaluation:
    design = design_of(measure, str(design_id) if design_id else None)
    with db_session() as session:
        return evaluate_measure(session, readers.catalogue(), measure, design)


def shown_plan(measure: str, plan: str | None) -> str:
    """The chosen design, else the latest saved one (its id), else :data:`PROPOSAL`: "the
    latest" changes when a design is saved, so the cache is keyed by the id it stands for."""
    if plan_key(plan):
        return str(plan)
    return plan_options(measure)[0]["value"]


def measure_evaluation(measure: str, plan: str | None = None) -> MeasureEvaluation:
    """The evaluation with the chosen design (default: the latest saved one, else the
    proposal). Raises ``KeyError`` for a measure the catalogue does not know."""
    if measure not in readers.catalogue().measures:
        raise KeyError(f"mesure inconnue : {measure}")
    key = plan_key(shown_plan(measure, plan))
    return _evaluation(measure, key)


def _scope(type_choice: str | None, measure: str | None = None) -> str | None:
    """None: every scope; else the one type — only a type the measure targets (another type
    has no estimate and would read as the measure's whole result)."""
    if type_choice in (None, "", ALL_TYPES):
        return None
    if measure is not None and type_choice not in type_choices(
        readers.catalogue().measures[measure]
    ):
        return None
    return type_choice


def estimates_dataset(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    evaluation = measure_evaluation(measure, plan)
    frame = evaluation.estimates
    scope = _scope(type_choice, measure)
    if scope is not None:
        frame = frame[frame["scope"] == scope]
    return frame.reset_index(drop=True)


def studied_indicator(evaluation: MeasureEvaluation, indicator: str | None) -> str:
    """The indicator asked for when the measure has it, else the measure's headline one."""
    codes = [item.indicator.code for item in evaluation.indicators]
    return indicator if indicator in codes else evaluation.measure.headline_indicator


def event_study_dataset(
    measure: str,
    type_choice: str | None = None,
    plan: str | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    evaluation = measure_evaluation(measure, plan)
    frame = evaluation.event_study
    code = studied_indicator(evaluation, indicator)
    scope = _scope(type_choice, measure) or OVERALL
    chosen = frame[(frame["indicator"] == code) & (frame["scope"] == scope)]
    return chosen.sort_values("event_time").reset_index(drop=True)


def effects_by_type_dataset(
    measure: str, plan: str | None = None, indicator: str | None = None
) -> pd.DataFrame:
    """The chosen indicator's estimates, all types together then each targeted type."""
    evaluation = measure_evaluation(measure, plan)
    code = studied_indicator(evaluation, indicator)
    frame = evaluation.estimates
    frame = frame[frame["indicator"] == code]
    order = [OVERALL, *TYPE_LABELS]  # all types, then the typology's order
    rank = frame["scope"].map({scope: number for number, scope in enumerate(order)})
    return (
        frame.assign(_rank=rank).sort_values("_rank").drop(columns="_rank").reset_index(drop=True)
    )


register_dataset("evaluation", estimates_dataset, ("mesure", "type", "plan"), ("mesure",))


register_dataset(
    "evaluation-etude",
    event_study_dataset,
    ("mesure", "type", "plan", "indicateur"),
    ("mesure",),
)


register_dataset(
    "evaluation-types", effects_by_type_dataset, ("mesure", "plan", "indicateur"), ("mesure",)
)


def plan_units(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    """The design's territories (every level), of the chosen type only when one is chosen."""
    units = measure_evaluation(measure, plan).territories
    scope = _scope(type_choice, measure)
    return units if scope is None else units[units["type"] == scope].reset_index(drop=True)


@by_data_version
def territories_maps(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> list[RegionMap]:
    """The frozen report's per-région drawings of the plan's communes (static SVG)."""
    settings = app_context().settings
    return region_maps(
        plan_units(measure, type_choice, plan), readers.referential(), settings.reference_dir
    )


def territories_map_dataset(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    """The communes of every département holding a test or comparison commune, in the map
    dataset's columns: ``valeur`` 1 for test, 0 for comparison, other communes "sans objet"."""
    units = plan_units(measure, type_choice, plan)
    units = units[units["level"] == "COM"]
    referential = readers.referential()
    roles = dict(zip(units["territory"], units["role"], strict=True))
    departements = sorted({referential.territory(code).departement or "" for code in roles} - {""})
    rows = []
    for departement in departements:
        for code in referential.children(f"DEP:{departement}", "COM"):
            place = referential.territory(code)
            role = roles.get(code)
            rows.append(
                {
                    "code": code,
                    "code_officiel": place.local_code,
                    "nom": place.name,
                    "valeur": {"test": 1.0, "comparison": 0.0}.get(role or "", float("nan")),
                    "statut": "ok" if role else "not_applicable",
                    "statut_libelle": ROLE_LABELS.get(role or "", "hors du plan"),
                    "territoires_renseignes": 1,
                    "territoires_attendus": 1,
                    "origine": departement,
                    "zone": OVERSEAS.get(place.region or "", "metropole"),
                }
            )
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


register_dataset(
    "evaluation-carte", territories_map_dataset, ("mesure", "type", "plan"), ("mesure",)
)
