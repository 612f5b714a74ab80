"""The injected effects (``effects.toml``): read, checked against the catalogue, looked up.

The file is the single source of truth for the size of every effect: the generator adds exactly
these numbers, and tests (and the evaluation) compare their estimates with them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from indicators.catalogue import Aggregation, Catalogue, Level
from indicators.demo.recipes import RECIPES
from indicators.precompute.scope import base_level
from indicators.territories.typology import TYPOLOGY_CLASSES

EFFECTS_FILE: Final = Path(__file__).with_name("effects.toml")
RAMP_RULE: Final = "full_from_first_period_starting_on_or_after_start"


@dataclass(frozen=True)
class Effect:
    measure: str
    indicator: str
    sizes: tuple[tuple[str, float], ...]  # (territory type, additive effect in the unit)
    note: str = ""

    def size(self, territory_type: str) -> float:
        return dict(self.sizes).get(territory_type, 0.0)


@dataclass(frozen=True)
class EffectTable:
    ramp: str
    effects: tuple[Effect, ...]

    def for_indicator(self, code: str) -> list[Effect]:
        return [effect for effect in self.effects if effect.indicator == code]

    def for_measure(self, code: str) -> list[Effect]:
        return [effect for effect in self.effects if effect.measure == code]

    def size(self, measure: str, indicator: str, territory_type: str) -> float:
        """The documented effect (0 when the file gives none)."""
        return sum(
            effect.size(territory_type)
            for effect in self.effects
            if effect.measure == measure and effect.indicator == indicator
        )


def load_effects(catalogue: Catalogue, path: Path | None = None) -> EffectTable:
    """Read and check the effects file; every problem is reported at once, in French."""
    source = path or EFFECTS_FILE
    with source.open("rb") as handle:
        document = tomllib.load(handle)
    errors: list[str] = []
    ramp = document.get("ramp")
    if ramp != RAMP_RULE:
        errors.append(f"règle de montée en charge inconnue {ramp!r} (attendu « {RAMP_RULE} »)")
    effects = []
    for number, record in enumerate(document.get("effect", []), start=1):
        effect = _read_effect(record, catalogue, f"effet n° {number}", errors)
        if effect is not None:
            effects.append(effect)
    table = EffectTable(str(ramp), tuple(effects))
    errors += _check_table(table, catalogue)
    if errors:
        raise ValueError(f"{source.name} invalide :\n" + "\n".join(f"- {e}" for e in errors))
    return table


def _read_effect(
    record: Mapping[str, Any], catalogue: Catalogue, where: str, errors: list[str]
) -> Effect | None:
    measure = catalogue.measures.get(str(record.get("measure")))
    indicator = catalogue.indicators.get(str(record.get("indicator")))
    if measure is None or indicator is None:
        errors.append(f"{where} : mesure ou indicateur inconnu ({dict(record)})")
        return None
    where = f"{where} ({measure.code}, {indicator.code})"
    recipe = RECIPES.get(indicator.code)
    if recipe is None or not recipe.takes_effects:
        errors.append(f"{where} : l'indicateur n'est pas généré directement (numérateur, calcul)")
    if measure.code not in indicator.measures:
        errors.append(f"{where} : l'indicateur ne déclare pas la mesure")
    level = base_level(indicator.levels)
    if level is not Level.COM and not _dilutable(catalogue, indicator.code):
        errors.append(f"{where} : effet impossible à reporter sur un {level.label}")
    expected = {t.value for t in measure.territory_types}
    sizes = {k: v for k, v in record.items() if k in TYPOLOGY_CLASSES}
    if set(sizes) != expected:
        errors.append(f"{where} : types attendus {sorted(expected)}, trouvés {sorted(sizes)}")
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in sizes.values()):
        errors.append(f"{where} : un effet est un nombre")
        return None
    if measure.placebo and any(sizes.values()):
        errors.append(f"{where} : une mesure placebo n'a que des effets nuls")
    pairs = tuple((t, float(sizes[t])) for t in TYPOLOGY_CLASSES if t in sizes)
    return Effect(measure.code, indicator.code, pairs, str(record.get("note", "")))


def _dilutable(catalogue: Catalogue, code: str) -> bool:
    """A commune's effect reaches an EPCI or a département through a sum or a population mean."""
    indicator = catalogue.indicators[code]
    return indicator.aggregation is Aggregation.SUM or (
        indicator.aggregation is Aggregation.WEIGHTED_MEAN and indicator.weight == "population"
    )


def _check_table(table: EffectTable, catalogue: Catalogue) -> list[str]:
    errors = []
    keys = [(effect.measure, effect.indicator) for effect in table.effects]
    errors += [f"effet en double : {key}" for key in sorted(set(keys)) if keys.count(key) > 1]
    for measure in catalogue.measures.values():
        if (measure.code, measure.headline_indicator) not in keys:
            errors.append(
                f"{measure.code} : aucun effet pour son indicateur phare "
                f"{measure.headline_indicator}"
            )
    return errors
