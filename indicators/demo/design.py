"""The evaluation design of the demo: test communes of each measure, and their start dates.

Rules (also in data/README.md, « Données de démonstration »):

- Candidates: communes of the scope whose type is one the measure targets; a commune under 20,000
  inhabitants must have at least 1,000 (a place where a local project can be carried).
- Size per type: 30 (moins_20k), 20 (20k_100k), 3 (plus_100k), but never more than a third of the
  candidates of that type, so that comparison communes always outnumber test ones.
- Selection is mildly correlated with the level of the headline indicator (worse-off communes are
  likelier: weight exp(0.5 z), z the commune's persistent deviation in the unfavourable
  direction), never with its trend: parallel trends hold.
- No contamination: a commune is never a test commune of two measures that share an indicator
  (for an indicator published from the EPCI, not even in the same EPCI). Hence the placebo M9
  never tests a commune that M1, M2 or M8 treat.
- Staggered entry: the members are split at random into three cohorts entering on the measure's
  start date, six months later and twelve months later.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.catalogue import Catalogue, Direction, Level, Measure
from indicators.demo.calendar import add_months
from indicators.demo.recipes import RECIPES, latent_name
from indicators.demo.scope import TYPE_INDEX
from indicators.demo.streams import latent, stream
from indicators.precompute.scope import base_level
from indicators.territories.typology import TYPOLOGY_CLASSES

GROUP_SIZE: Final = {"moins_20k": 30, "20k_100k": 20, "plus_100k": 3}
MAX_SHARE_DENOMINATOR: Final = 3  # at most a third of the candidates of a type
SMALL_COMMUNE_MIN_POPULATION: Final = 1_000
SELECTION_STRENGTH: Final = 0.5
COHORT_OFFSETS_MONTHS: Final = (0, 6, 12)
CONTAINER_COLUMN: Final = {Level.COM: "code", Level.EPCI: "epci", Level.DEP: "departement"}


def draw_test_sets(
    communes: pd.DataFrame, catalogue: Catalogue, seed: int
) -> dict[str, pd.DataFrame]:
    """Measure code -> test communes (``code``, ``type`` index, ``start`` datetime), by code."""
    footprint: dict[str, set[str]] = {}  # indicator -> containers already holding a test commune
    tests: dict[str, pd.DataFrame] = {}
    for measure in catalogue.measures.values():
        shared = [i.code for i in catalogue.indicators_for_measure(measure.code)]
        available = np.ones(len(communes), dtype=bool)
        for code in shared:
            column = CONTAINER_COLUMN[base_level(catalogue.indicators[code].levels)]
            available &= ~communes[column].isin(footprint.get(code, set())).to_numpy()
        chosen = _choose(
            communes, measure, available, _need(communes, catalogue, measure, seed), seed
        )
        members = communes.loc[chosen, ["code", "type"]].reset_index(drop=True)
        members["start"] = _cohort_starts(measure, len(members), seed)
        tests[measure.code] = members.sort_values("code", ignore_index=True)
        for code in shared:
            column = CONTAINER_COLUMN[base_level(catalogue.indicators[code].levels)]
            footprint.setdefault(code, set()).update(communes.loc[chosen, column])
    return tests


def _choose(
    communes: pd.DataFrame,
    measure: Measure,
    available: npt.NDArray[np.bool_],
    need: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.intp]:
    rng = stream(seed, "design", measure.code)
    population = communes["population"].to_numpy()
    types = communes["type"].to_numpy()
    chosen: list[npt.NDArray[np.intp]] = []
    for name in TYPOLOGY_CLASSES:
        if name not in {t.value for t in measure.territory_types}:
            continue
        candidates = (types == TYPE_INDEX[name]) & (
            (population >= SMALL_COMMUNE_MIN_POPULATION) | (types != TYPE_INDEX["moins_20k"])
        )
        pool = np.flatnonzero(candidates & available)
        size = min(GROUP_SIZE[name], int(candidates.sum()) // MAX_SHARE_DENOMINATOR, len(pool))
        if size == 0:
            continue
        weights = np.exp(SELECTION_STRENGTH * need[pool])
        chosen.append(rng.choice(pool, size=size, replace=False, p=weights / weights.sum()))
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.intp)


def _need(
    communes: pd.DataFrame, catalogue: Catalogue, measure: Measure, seed: int
) -> npt.NDArray[np.float64]:
    """How much worse off than its peers a commune is on the measure's headline indicator."""
    headline = catalogue.indicators[measure.headline_indicator]
    if base_level(headline.levels) is not Level.COM or headline.code not in RECIPES:
        return np.zeros(len(communes))
    deviation = latent(seed, latent_name(headline.code), "COM", len(communes))
    sign = {Direction.UP: -1.0, Direction.DOWN: 1.0, Direction.NEUTRAL: 0.0}[headline.direction]
    return sign * deviation


def _cohort_starts(measure: Measure, size: int, seed: int) -> npt.NDArray[np.datetime64]:
    cohorts = stream(seed, "cohorts", measure.code).permutation(size) % len(COHORT_OFFSETS_MONTHS)
    starts = [np.datetime64(add_months(measure.start_date, m)) for m in COHORT_OFFSETS_MONTHS]
    return np.array([starts[c] for c in cohorts], dtype="datetime64[D]")


TEST_SET_RULE: Final = (
    "Territoires test de démonstration : communes tirées parmi les types visés par la mesure "
    "(au moins 1 000 habitants pour les moins de 20 000), en trois cohortes entrées à la date de "
    "lancement, six mois puis douze mois après. Les effets injectés sont dans "
    "indicators/demo/effects.toml."
)
