"""Read one indicator definition from its ``[[indicator]]`` table.

Checks what the table can say on its own: fields, enums, unit and factor, base vs derived (the
formula must parse), aggregation and its operands, valid range, baseline and targets. References to
other tables (partner, theme, measures, operands…) are checked in ``references``.
"""

from __future__ import annotations

from indicators.catalogue.formula import Formula, FormulaError, parse_formula
from indicators.catalogue.model import (
    POPULATION_WEIGHT,
    UNIT_FACTORS,
    Aggregation,
    ChainLevel,
    Direction,
    Indicator,
    Kind,
    Level,
    Periodicity,
    ValidRange,
)
from indicators.catalogue.reader import Record, suggestion
from indicators.catalogue.records import read_code
from indicators.catalogue.targets import IndicatorFrame, read_baseline, read_targets

INDICATOR_KEYS = (
    "code",
    "label",
    "description",
    "theme",
    "unit",
    "factor",
    "direction",
    "kind",
    "formula",
    "aggregation",
    "numerator",
    "denominator",
    "weight",
    "periodicity",
    "publication_lag_months",
    "levels",
    "chain_level",
    "last_mile",
    "measures",
    "programmes",
    "partner",
    "range",
    "baseline",
    "target",
    "source",
    "licence",
)
RANGE_KEYS = ("min", "max")
MAX_PUBLICATION_LAG_MONTHS = 60

# Which operand keys each aggregation rule needs; the others must be absent.
OPERANDS = {
    Aggregation.RATIO: ("numerator", "denominator"),
    Aggregation.WEIGHTED_MEAN: ("weight",),
}


def read_indicator(record: Record) -> Indicator | None:
    record.check_keys(INDICATOR_KEYS)
    code = read_code(record, "indicator")
    label = record.text("label")
    description = record.text("description")
    theme = record.text("theme")
    unit, factor = _read_unit(record)
    direction = record.enum("direction", Direction)
    kind = record.enum("kind", Kind)
    formula = _read_formula(record, kind)
    aggregation = record.enum("aggregation", Aggregation)
    numerator, denominator, weight = _read_operands(record, aggregation)
    periodicity = record.enum("periodicity", Periodicity)
    lag = record.integer("publication_lag_months", 0, MAX_PUBLICATION_LAG_MONTHS)
    levels = record.enum_list("levels", Level)
    chain_level = record.enum("chain_level", ChainLevel)
    last_mile = record.boolean("last_mile", default=False)
    measures = record.text_list("measures", required=False)
    programmes = record.text_list("programmes", required=False)
    if measures == () and programmes == ():
        record.error("l'indicateur doit servir au moins une mesure ou un programme", "measures")
    partner = record.text("partner")
    source = record.text("source")
    licence = record.text("licence")
    valid_range = _read_range(record)
    frame = IndicatorFrame(direction, periodicity, aggregation, valid_range, levels or ())
    baseline_table = record.table("baseline", required=False)
    baseline = read_baseline(baseline_table, frame) if baseline_table else None
    targets = read_targets(record.tables("target"), frame, baseline)
    if (
        code is None
        or label is None
        or description is None
        or theme is None
        or unit is None
        or factor is None
        or direction is None
        or kind is None
        or (kind is Kind.DERIVED and formula is None)
        or aggregation is None
        or periodicity is None
        or lag is None
        or levels is None
        or chain_level is None
        or measures is None
        or programmes is None
        or partner is None
        or source is None
        or licence is None
        or (baseline_table is not None and baseline is None)
    ):
        return None
    return Indicator(
        code=code,
        label=label,
        description=description,
        theme=theme,
        unit=unit,
        factor=factor,
        direction=direction,
        kind=kind,
        aggregation=aggregation,
        periodicity=periodicity,
        publication_lag_months=lag,
        levels=_ordered(levels),
        chain_level=chain_level,
        last_mile=last_mile,
        measures=measures,
        programmes=programmes,
        partner=partner,
        source=source,
        licence=licence,
        formula=formula,
        numerator=numerator,
        denominator=denominator,
        weight=weight,
        valid_range=valid_range,
        baseline=baseline,
        targets=targets,
    )


def _ordered(levels: tuple[Level, ...]) -> tuple[Level, ...]:
    """Levels from the finest to the coarsest, whatever order the file lists them in."""
    return tuple(level for level in Level if level in levels)


def _read_unit(record: Record) -> tuple[str | None, float | None]:
    unit = record.text("unit")
    if unit is not None and unit not in UNIT_FACTORS:
        known = ", ".join(f"« {u} »" for u in UNIT_FACTORS)
        record.error(
            f"unité inconnue « {unit} »{suggestion(unit, UNIT_FACTORS)} ; connues : {known}", "unit"
        )
        return None, None
    expected = UNIT_FACTORS[unit] if unit is not None else None
    if "factor" not in record.data:
        return unit, expected
    factor = record.number("factor")
    if factor is None:
        return unit, None
    if factor <= 0:
        record.error("« factor » doit être strictement positif", "factor")
        return unit, None
    # Units such as % fix their factor; plain units may scale (values in € shown in k€…).
    if expected is not None and expected != 1.0 and factor != expected:
        record.error(f"le facteur de l'unité « {unit} » est {expected:g}, pas {factor:g}", "factor")
        return unit, None
    return unit, factor


def _read_formula(record: Record, kind: Kind | None) -> Formula | None:
    if kind is not Kind.DERIVED:
        if "formula" in record.data and kind is Kind.BASE:
            record.error('un indicateur de base (kind = "base") n\'a pas de formule', "formula")
        return None
    text = record.text("formula")
    if text is None:
        return None
    try:
        formula = parse_formula(text)
    except FormulaError as error:
        where = f", colonne {error.column}" if error.column else ""
        record.error(f"formule invalide{where} : {error.message}", "formula")
        return None
    if not formula.variables:
        record.error("la formule doit utiliser au moins un autre indicateur", "formula")
        return None
    return formula


def _read_operands(
    record: Record, aggregation: Aggregation | None
) -> tuple[str | None, str | None, str | None]:
    needed = OPERANDS.get(aggregation, ()) if aggregation else ()
    values: dict[str, str | None] = {}
    for key in ("numerator", "denominator", "weight"):
        if key in needed:
            values[key] = record.text(key)
        elif key in record.data and aggregation is not None:
            rule = "ratio" if key != "weight" else "weighted_mean"
            record.error(f"« {key} » ne s'emploie qu'avec aggregation = \"{rule}\"", key)
    numerator, denominator = values.get("numerator"), values.get("denominator")
    if numerator is not None and numerator == denominator:
        record.error("le numérateur et le dénominateur doivent être différents", "denominator")
    weight = values.get("weight")
    if weight is not None and weight != POPULATION_WEIGHT and weight == record.data.get("code"):
        record.error("un indicateur ne peut pas se pondérer lui-même", "weight")
    return numerator, denominator, weight


def _read_range(record: Record) -> ValidRange:
    table = record.table("range", required=False)
    if table is None:
        return ValidRange()
    table.check_keys(RANGE_KEYS)
    low = table.number("min", required=False)
    high = table.number("max", required=False)
    if low is not None and high is not None and low >= high:
        table.error(
            f"intervalle valide vide : min ({low:g}) doit être inférieur à max ({high:g})", "min"
        )
        return ValidRange()
    return ValidRange(low, high)
