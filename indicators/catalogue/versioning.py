"""Canonical form and hash of an indicator definition, for dated versions.

``suivi init`` stores a new version of an indicator when :func:`definition_hash` changes, and every
computed result keeps the version that produced it. The hash ignores what does not change meaning:
key order in the file, layout of the formula, order of the measures, programmes and targets.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from indicators.catalogue.model import Indicator, Target

# Bump when the shape of the dictionary below changes: every definition then gets a new version.
DEFINITION_FORMAT = 1


def definition_to_dict(indicator: Indicator) -> dict[str, Any]:
    """The whole definition as plain JSON-ready values (what a version row stores)."""
    baseline = indicator.baseline
    return {
        "format": DEFINITION_FORMAT,
        "code": indicator.code,
        "label": indicator.label,
        "description": indicator.description,
        "theme": indicator.theme,
        "unit": indicator.unit,
        "factor": indicator.factor,
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
        "last_mile": indicator.last_mile,
        "measures": sorted(indicator.measures),
        "programmes": sorted(indicator.programmes),
        "partner": indicator.partner,
        "range": {"min": indicator.valid_range.min, "max": indicator.valid_range.max},
        "baseline": None
        if baseline is None
        else {"period": str(baseline.period), "values": dict(sorted(baseline.values))},
        "targets": [
            _target_to_dict(t) for t in sorted(indicator.targets, key=lambda t: (t.scope, t.period))
        ],
        "source": indicator.source,
        "licence": indicator.licence,
    }


def _target_to_dict(target: Target) -> dict[str, Any]:
    return {
        "scope": target.scope,
        "value": target.value,
        "period": str(target.period),
        "cumulative": target.cumulative,
        "milestones": [{"period": str(m.period), "value": m.value} for m in target.milestones],
    }


def canonical_json(definition: dict[str, Any]) -> str:
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def definition_hash(indicator: Indicator) -> str:
    """sha256 (hex) of the canonical definition; the formula counts by meaning, not layout."""
    definition = definition_to_dict(indicator)
    if indicator.formula is not None:
        definition["formula"] = indicator.formula.canonical
    return hashlib.sha256(canonical_json(definition).encode("utf-8")).hexdigest()
