"""Which indicator each row is about: a catalogue code in a column, a partner's own label mapped
by the profile, or one code for a whole value column. Each distinct value is looked up once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Literal

import numpy as np
import numpy.typing as npt

from indicators.catalogue import Catalogue
from indicators.ingest.profile import IndicatorChoice, IndicatorSpec
from indicators.ingest.text_columns import TextColumn
from indicators.issue_codes import IssueCode

State = Literal["ok", "ignored", IssueCode.UNKNOWN_INDICATOR, IssueCode.DERIVED_INDICATOR]


@dataclass(frozen=True)
class Resolved:
    code: str | None
    state: State
    value_type: str | None = None
    message: str = ""


@dataclass(frozen=True)
class IndicatorColumn:
    """Per row: the indicator code (``None`` unless ``state`` is ok), the value type the mapping
    gave (or ``None``), the state; ``by_value`` keeps each distinct value's resolution."""

    raw: npt.NDArray[np.object_]
    codes: npt.NDArray[np.object_]
    value_types: npt.NDArray[np.object_]
    states: npt.NDArray[np.object_]
    by_value: dict[str, Resolved]


def check_code(code: str, catalogue: Catalogue, shown: str | None = None) -> Resolved:
    """A catalogue code, as written in a file or a profile."""
    indicator = catalogue.indicators.get(code)
    if indicator is None:
        close = get_close_matches(code, list(catalogue.indicators), n=1, cutoff=0.75)
        hint = f" ; vouliez-vous dire {close[0]} ?" if close else ""
        return Resolved(
            None,
            IssueCode.UNKNOWN_INDICATOR,
            message=f"Indicateur « {shown or code} » absent du catalogue{hint}",
        )
    if indicator.is_derived:
        return Resolved(
            None,
            IssueCode.DERIVED_INDICATOR,
            message=f"{code} est un indicateur calculé (à partir de "
            f"{', '.join(sorted(indicator.dependencies))}) : on charge ses composantes, "
            "jamais sa valeur",
        )
    return Resolved(code, "ok")


def _resolve(text: str, spec: IndicatorSpec, catalogue: Catalogue) -> Resolved:
    if spec.map:
        choice = spec.map.get(text) or _folded_lookup(spec.map, text)
        if choice is None:
            if spec.others == "ignore":
                return Resolved(None, "ignored")
            return Resolved(
                None,
                IssueCode.UNKNOWN_INDICATOR,
                message=f"« {text} » n'a pas de correspondance dans la table des indicateurs "
                "du profil",
            )
        if choice.indicator is None:
            return Resolved(None, "ignored")
        found = check_code(choice.indicator, catalogue)
        return Resolved(found.code, found.state, choice.value_type, found.message)
    if not text:
        return Resolved(
            None, IssueCode.UNKNOWN_INDICATOR, message="Indicateur absent (cellule vide)"
        )
    return check_code(text.upper(), catalogue, shown=text)


def _folded_lookup(mapping: Mapping[str, IndicatorChoice], text: str) -> IndicatorChoice | None:
    folded = text.casefold()
    for key, choice in mapping.items():
        if key.casefold() == folded:
            return choice
    return None


def resolve_indicator_column(
    column: TextColumn, spec: IndicatorSpec, catalogue: Catalogue
) -> IndicatorColumn:
    resolved = [_resolve(str(value), spec, catalogue) for value in column.uniques]

    def spread(values: list[object]) -> npt.NDArray[np.object_]:
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array[column.codes]

    return IndicatorColumn(
        raw=column.values(),
        codes=spread([r.code for r in resolved]),
        value_types=spread([r.value_type for r in resolved]),
        states=spread([r.state for r in resolved]),
        by_value={str(value): r for value, r in zip(column.uniques, resolved, strict=True)},
    )
