"""Generate the whole demo data set in memory: programmes, test sets, every series, the flaws.

Pure: no database access, so that determinism can be checked without writing anything. Values
are generated for the catalogue's base indicators and for the rates of ratio indicators (from
which the numerators follow); every other derived indicator is left to the pre-computation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.catalogue import Catalogue
from indicators.compute.statuses import MISSING_CODE, NOT_APPLICABLE_CODE, OK_CODE
from indicators.demo.calendar import AS_OF, PeriodGrid, period_grid, published_periods
from indicators.demo.cells import Cells
from indicators.demo.design import draw_test_sets
from indicators.demo.effects import EffectTable
from indicators.demo.imperfections import LATE_PARTNER, Flaws, degrade
from indicators.demo.injection import effect_matrix
from indicators.demo.programmes import Programmes, draw_programmes
from indicators.demo.recipe_model import (
    Balance,
    Continuous,
    Count,
    Exposure,
    Outside,
    Portion,
    Recipe,
)
from indicators.demo.recipes import RECIPES, generation_order, latent_name
from indicators.demo.scope import Territories
from indicators.demo.series import Inputs, Matrix, balance, continuous, count
from indicators.demo.streams import latent, stream
from indicators.demo.timing import active, unit_starts
from indicators.precompute.scope import base_level
from indicators.territories.programme_lists import ProgrammeLists

StatusMatrix = npt.NDArray[np.int8]


@dataclass(frozen=True)
class Series:
    level: str
    grid: PeriodGrid
    values: Matrix
    status: StatusMatrix


@dataclass(frozen=True)
class DemoData:
    cells: Cells  # observed values of the base indicators (value type "valeur")
    references: Cells  # baseline values of the test communes (value type "reference")
    programmes: Programmes
    tests: dict[str, pd.DataFrame]  # measure -> code, type, start
    flaws: Flaws
    series: dict[str, Series]  # clean generated series, before the flaws


def generate_demo(
    territories: Territories,
    catalogue: Catalogue,
    effects: EffectTable,
    seed: int,
    as_of: date = AS_OF,
    official: ProgrammeLists | None = None,
) -> DemoData:
    """``official``: the programmes' official member lists, used instead of drawn members."""
    check_recipes(catalogue)
    programmes = draw_programmes(territories, seed, official)
    tests = draw_test_sets(territories.communes, catalogue, seed)
    series: dict[str, Series] = {}
    for code in generation_order():
        indicator = catalogue.indicators[code]
        level = base_level(indicator.levels).value
        grid = period_grid(published_periods(indicator, as_of))
        recipe = RECIPES[code]
        if isinstance(recipe.model, Portion):
            factor = catalogue.indicators[recipe.model.rate].factor
            series[code] = _portion(recipe.model, series, factor)
            continue
        units = territories.at(level)
        effect = effect_matrix(
            code, level, units, grid, territories.communes, tests, effects, catalogue
        )
        values = _draw(
            recipe, _inputs(code, recipe, level, units, grid, territories, programmes, effect, seed)
        )
        status = np.full(values.shape, OK_CODE, dtype=np.int8)
        if recipe.requires is not None and recipe.requires.outside is Outside.NOT_APPLICABLE:
            status[~_applicable(recipe, level, units, grid, territories, programmes)] = (
                NOT_APPLICABLE_CODE
            )
        series[code] = Series(level, grid, values, status)

    base = [code for code, i in catalogue.indicators.items() if not i.is_derived]
    cells = Cells.concat([_cells(code, series[code], territories) for code in base])
    cells, flaws = degrade(
        cells,
        late_periods={
            code: series[code].grid.labels[-1]
            for code in base
            if catalogue.indicators[code].partner == LATE_PARTNER
        },
        region_of=_regions(territories),
        secret={c: r.secret_below for c, r in RECIPES.items() if r.secret_below},
        protected=set().union(*(set(frame["code"]) for frame in tests.values())),
        seed=seed,
    )
    references = _references(catalogue, tests, series, territories)
    return DemoData(cells, references, programmes, tests, flaws, series)


def check_recipes(catalogue: Catalogue) -> None:
    """Every base indicator has a recipe; every numerator matches its ratio's definition."""
    problems = [
        f"{code} : indicateur de base sans recette de démonstration"
        for code, indicator in catalogue.indicators.items()
        if not indicator.is_derived and code not in RECIPES
    ]
    problems += [
        f"{code} : recette d'un indicateur inconnu"
        for code in RECIPES
        if code not in catalogue.indicators
    ]
    for code, recipe in RECIPES.items():
        if isinstance(recipe.model, Portion):
            ratio = catalogue.indicators.get(recipe.model.rate)
            if ratio is None or (ratio.numerator, ratio.denominator) != (code, recipe.model.whole):
                problems.append(f"{code} : numérateur incohérent avec {recipe.model.rate}")
    if problems:
        raise ValueError("recettes de démonstration invalides :\n" + "\n".join(problems))


def _inputs(
    code: str,
    recipe: Recipe,
    level: str,
    units: pd.DataFrame,
    grid: PeriodGrid,
    territories: Territories,
    programmes: Programmes,
    effect: Matrix,
    seed: int,
) -> Inputs:
    population = units["population"].to_numpy(dtype=np.float64)
    factor = np.ones((len(units), len(grid)))
    for programme in recipe.programmes:
        starts = unit_starts(
            units, level, programmes.members[programme.programme], territories.communes
        )
        member = active(starts, grid) if programme.from_start else ~np.isnat(starts)[:, None]
        factor = factor * np.where(member, programme.factor, 1.0)
    present = np.ones((len(units), len(grid)), dtype=bool)
    if recipe.requires is not None and recipe.requires.outside is Outside.ZERO:
        present = _applicable(recipe, level, units, grid, territories, programmes)
    return Inputs(
        grid=grid,
        types=units["type"].to_numpy(dtype=np.int8),
        population=population,
        exposure=_exposure(recipe, level, population, programmes),
        deviation=latent(seed, latent_name(code), level, len(units)),
        level_factor=factor,
        present=present,
        effect=effect,
        rng=stream(seed, "series", code),
    )


def _exposure(
    recipe: Recipe, level: str, population: npt.NDArray[np.float64], programmes: Programmes
) -> npt.NDArray[np.float64]:
    if not isinstance(recipe.model, Count) or recipe.model.exposure is Exposure.POPULATION:
        return population / 1_000
    if recipe.model.exposure is Exposure.UNIT:
        return np.ones(len(population))
    if level != "COM":
        raise ValueError("les sites France Services ne sont connus que par commune")
    return programmes.fs_sites


def _applicable(
    recipe: Recipe,
    level: str,
    units: pd.DataFrame,
    grid: PeriodGrid,
    territories: Territories,
    programmes: Programmes,
) -> npt.NDArray[np.bool_]:
    assert recipe.requires is not None
    requirement = recipe.requires
    population = units["population"].to_numpy()
    mask = np.broadcast_to(
        (population >= requirement.min_population)[:, None], (len(units), len(grid))
    )
    if requirement.programmes:
        member = np.zeros((len(units), len(grid)), dtype=bool)
        for programme in requirement.programmes:
            starts = unit_starts(units, level, programmes.members[programme], territories.communes)
            member |= active(starts, grid)
        mask = mask & member
    return np.array(mask)


def _draw(recipe: Recipe, inputs: Inputs) -> Matrix:
    model = recipe.model
    if isinstance(model, Continuous):
        return continuous(model, inputs)
    if isinstance(model, Count):
        return count(model, inputs)
    if isinstance(model, Balance):
        return balance(model, inputs)
    raise TypeError(f"modèle inattendu : {model!r}")


def _portion(model: Portion, series: Mapping[str, Series], factor: float) -> Series:
    """Numerator = rate / factor × denominator (rounded): never above the denominator."""
    rate, whole = series[model.rate], series[model.whole]
    values = np.round(rate.values / factor * whole.values)
    both = (rate.status == OK_CODE) & (whole.status == OK_CODE)
    status = np.where(both, OK_CODE, np.maximum(rate.status, whole.status)).astype(np.int8)
    status[~both & (status == OK_CODE)] = MISSING_CODE
    return Series(rate.level, rate.grid, values, status)


def _cells(code: str, series: Series, territories: Territories) -> Cells:
    codes = territories.at(series.level)["code"].tolist()
    return Cells.from_matrix(code, codes, series.grid.labels, series.values, series.status)


def _regions(territories: Territories) -> pd.Series:
    frames = [frame[["code", "region"]] for frame in territories.frames.values()]
    table = pd.concat(frames, ignore_index=True)
    return pd.Series(table["region"].str.removeprefix("REG:").to_numpy(), index=table["code"])


def _references(
    catalogue: Catalogue,
    tests: Mapping[str, pd.DataFrame],
    series: Mapping[str, Series],
    territories: Territories,
) -> Cells:
    """Each test commune's value at its indicators' baseline period (clean, before the flaws),
    when that period is one of the indicator's own periods."""
    position = pd.Series(np.arange(len(territories.communes)), index=territories.communes["code"])
    parts = []
    for measure, members in tests.items():
        rows = members["code"].map(position).to_numpy(dtype=int)
        for indicator in catalogue.indicators_for_measure(measure):
            generated = series.get(indicator.code)
            if generated is None or generated.level != "COM" or indicator.baseline is None:
                continue
            column = generated.grid.index(str(indicator.baseline.period))
            if column is None:
                continue
            parts.append(
                Cells.from_matrix(
                    indicator.code,
                    members["code"].tolist(),
                    (generated.grid.labels[column],),
                    generated.values[rows, column : column + 1],
                    generated.status[rows, column : column + 1],
                )
            )
    cells = Cells.concat(parts)
    keys = pd.DataFrame({"i": cells.indicator, "t": cells.territory, "p": cells.period})
    return cells.subset(~keys.duplicated().to_numpy() & (cells.status == OK_CODE))
