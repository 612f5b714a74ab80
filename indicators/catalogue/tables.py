"""Definitions as the tables a catalogue file holds, and back (issue #14).

A definition edited in the browser is kept as the very table a file would hold
(``{"code": "DITP", "name": …}``), so that the loader checks it with the same readers and the same
French messages as a file, and an export writes it unchanged. :func:`partner_table`,
:func:`measure_table` and :func:`indicator_table` give the table of a loaded definition (what a
form starts from); reading that table again gives the same definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import tomli_w

from indicators.catalogue.model import (
    UNIT_FACTORS,
    Indicator,
    Measure,
    Partner,
    Target,
)

# The kinds of definitions the administration pages edit, with their French names.
EDITABLE_KINDS: Final[Mapping[str, str]] = {
    "partner": "partenaire",
    "measure": "mesure",
    "indicator": "indicateur",
}


@dataclass(frozen=True)
class TableEdit:
    """A definition saved outside the files: it replaces the file's table of the same kind and
    code, or adds one."""

    kind: str  # a key of EDITABLE_KINDS
    code: str
    table: Mapping[str, Any]

    @property
    def source(self) -> Path:
        """Where its errors are said to be: not a file, the administration pages' record."""
        return Path(f"[modifié en ligne] {EDITABLE_KINDS.get(self.kind, self.kind)} {self.code}")


def render_table(kind: str, table: Mapping[str, Any]) -> str:
    """One ``[[kind]]`` table as the catalogue files write it: one key a line, small tables
    (``range``, ``baseline``) and lists inline, each list of tables (``target``) as
    ``[[kind.key]]`` sub-tables after the other keys."""
    lines = [f"[[{kind}]]"]
    sub_tables: list[str] = []
    for key, value in _without_empty(table).items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for item in value:
                sub_tables += ["", f"[[{kind}.{key}]]"]
                sub_tables += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return "\n".join(lines + sub_tables) + "\n"


def _key(key: str) -> str:
    return key if key and set(key) <= _BARE_KEY_CHARS else _value(key)


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # 90, not 90.0: numbers are read as numbers either way
    return tomli_w.dumps({"v": value}).strip().removeprefix("v = ")


_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _without_empty(table: Mapping[str, Any]) -> dict[str, Any]:
    """Optional keys left empty are left out, as a person writing the file would."""
    kept: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            value = _without_empty(value)
        if value is not None and value != "" and value != [] and value != {}:
            kept[key] = value
    return kept


def partner_table(partner: Partner) -> dict[str, Any]:
    return {
        "code": partner.code,
        "name": partner.name,
        "kind": partner.kind.value,
        "description": partner.description,
        "website": partner.website,
    }


def measure_table(measure: Measure) -> dict[str, Any]:
    table: dict[str, Any] = {
        "code": measure.code,
        "label": measure.label,
        "description": measure.description,
        "theme": measure.theme,
        "test_set": measure.test_set,
        "start_date": measure.start_date.isoformat(),
        "territory_types": [t.value for t in measure.territory_types],
        "headline_indicator": measure.headline_indicator,
    }
    if measure.placebo:
        table["placebo"] = True
    return table


def indicator_table(indicator: Indicator) -> dict[str, Any]:
    table: dict[str, Any] = {
        "code": indicator.code,
        "label": indicator.label,
        "description": indicator.description,
        "theme": indicator.theme,
        "unit": indicator.unit,
    }
    if indicator.factor != UNIT_FACTORS.get(indicator.unit):
        table["factor"] = indicator.factor
    table |= {
        "direction": indicator.direction.value,
        "kind": indicator.kind.value,
        "formula": indicator.formula.text if indicator.formula else None,
        "aggregation": indicator.aggregation.value,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "weight": indicator.weight,
        "periodicity": indicator.periodicity.value,
        "publication_lag_months": indicator.publication_lag_months,
        "levels": [level.value for level in indicator.levels],
        "chain_level": indicator.chain_level.value,
        "last_mile": indicator.last_mile or None,
        "measures": list(indicator.measures),
        "programmes": list(indicator.programmes),
        "partner": indicator.partner,
    }
    bounds = {"min": indicator.valid_range.min, "max": indicator.valid_range.max}
    if any(value is not None for value in bounds.values()):
        table["range"] = bounds
    if indicator.baseline is not None:
        table["baseline"] = {
            "period": str(indicator.baseline.period),
            "values": dict(indicator.baseline.values),
        }
    table["target"] = [_target_table(target) for target in indicator.targets]
    table |= {"source": indicator.source, "licence": indicator.licence}
    return _without_empty(table)


def _target_table(target: Target) -> dict[str, Any]:
    table: dict[str, Any] = {
        "scope": target.scope,
        "value": target.value,
        "period": str(target.period),
    }
    if target.cumulative:
        table["cumulative"] = True
    if target.milestones:
        table["milestones"] = [
            {"period": str(m.period), "value": m.value} for m in target.milestones
        ]
    return table
