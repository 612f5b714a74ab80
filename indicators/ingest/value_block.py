"""One value column (or constant) of a profile, read and checked for every row of a table in
bulk: each distinct territory, indicator or period once (``validate.validate_table`` puts the
blocks together)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.catalogue import Catalogue
from indicators.ingest.indicator_check import (
    IndicatorColumn,
    Resolved,
    check_code,
    resolve_indicator_column,
)
from indicators.ingest.issues import Issue, issues_where
from indicators.ingest.keys import MOMENT, empty_values
from indicators.ingest.numbers import parse_distinct
from indicators.ingest.period_check import check_periods
from indicators.ingest.period_formats import period_moment
from indicators.ingest.profile import Profile, ValueSpec
from indicators.ingest.source import SourceTable
from indicators.ingest.territory_check import (
    TerritoryColumn,
    check_territories,
    resolve_territories,
    settle_by_file_level,
)
from indicators.ingest.text_columns import TextColumn, constant_column, text_column
from indicators.ingest.words import status_of, value_type_of
from indicators.issue_codes import IssueCode
from indicators.territories import Referential


class BlockContext:
    """What every block shares: the table, the catalogue, and the columns resolved once."""

    def __init__(
        self, table: SourceTable, profile: Profile, catalogue: Catalogue, referential: Referential
    ) -> None:
        self.table = table
        self.profile = profile
        self.catalogue = catalogue
        self.frame = table.frame
        self.lines = table.lines
        self.allowed: Mapping[str, frozenset[str]] = {
            code: frozenset(level.value for level in indicator.levels)
            for code, indicator in catalogue.indicators.items()
        }
        self._columns: dict[str, TextColumn] = {}
        self.territories: TerritoryColumn = resolve_territories(
            self.column(profile.territory_column), referential, profile.territory_level
        )
        self.file_issues: list[Issue] = []
        if profile.territory_level is None:
            self.territories, self.file_issues = settle_by_file_level(
                self.territories, profile.territory_column
            )
        spec = profile.indicator
        self.indicators: IndicatorColumn | None = None
        if spec is not None and spec.column is not None:
            self.indicators = resolve_indicator_column(self.column(spec.column), spec, catalogue)
        self.value_types = self._words(
            profile.value_type.column if profile.value_type else None, value_type_of, "valeur"
        )
        self.statuses = self._words(profile.status_column, status_of, None)
        self.comments: npt.NDArray[np.object_] | None = None
        if profile.comment_column:
            comments = self.column(profile.comment_column).values()
            self.comments = blank_where(comments == "", comments)

    def column(self, name: str) -> TextColumn:
        """The column as trimmed text, read once."""
        if name not in self._columns:
            self._columns[name] = text_column(self.frame[name])
        return self._columns[name]

    def _words(
        self, column: str | None, read: Callable[[str], str | None], empty: str | None
    ) -> npt.NDArray[np.object_] | None:
        """Per row: the code a word stands for, ``empty`` for a blank cell, ``"?"`` if unknown."""
        if column is None:
            return None
        mapping: dict[str, str] = {}
        if column == (self.profile.value_type.column if self.profile.value_type else None):
            mapping = dict(self.profile.value_type.map) if self.profile.value_type else {}
        return self.column(column).map(
            lambda word: (mapping.get(word) or read(word) or "?") if word else empty
        )


class ValueBlock:
    """One value column (or constant) of the profile, read and checked for every row."""

    def __init__(self, context: BlockContext, spec: ValueSpec) -> None:
        self.context = context
        self.spec = spec
        self.issues: list[Issue] = []
        self.rejected = self.ignored = 0
        self.rejected_lines: set[int] = set()
        self.values = empty_values()
        self._run()

    def _run(self) -> None:
        context, spec, profile = self.context, self.spec, self.context.profile
        n = len(context.frame)
        constant = spec.indicator or (profile.indicator.value if profile.indicator else None)
        if constant is not None:
            found = check_code(constant, context.catalogue)
            if found.state != "ok":
                self.issues.append(Issue(None, spec.label, found.state, constant, found.message))
                self.rejected = n
                return
            codes = np.full(n, constant, dtype=object)
            states = np.full(n, "ok", dtype=object)
            mapped_types = np.full(n, None, dtype=object)
            indicator_raw, indicator_column = codes, spec.label
            by_value: Mapping[str, Resolved] = {}
        else:
            assert context.indicators is not None and profile.indicator is not None
            codes = context.indicators.codes
            states = context.indicators.states
            mapped_types = context.indicators.value_types
            indicator_raw = context.indicators.raw
            indicator_column = profile.indicator.column or spec.label
            by_value = context.indicators.by_value
        keep = states != "ignored"
        if spec.column is not None and spec.empty == "skip":
            keep &= context.column(spec.column).values() != ""
        rows = np.flatnonzero(keep)
        self.ignored = n - len(rows)
        lines = context.lines[rows]
        errors = np.zeros(len(rows), dtype=bool)

        states = states[rows]
        for state in (IssueCode.UNKNOWN_INDICATOR, IssueCode.DERIVED_INDICATOR):
            mask = states == state
            self.issues += issues_where(
                mask,
                lines,
                indicator_column,
                state,
                indicator_raw[rows],
                lambda v: by_value[v].message,
            )
            errors |= mask
        indicators = blank_where(errors, codes[rows])

        value_types, type_errors = self._value_types(rows, mapped_types[rows], lines)
        errors |= type_errors
        territories, territory_errors, issues = check_territories(
            context.territories,
            rows,
            indicators,
            context.allowed,
            context.lines,
            profile.territory_column,
        )
        self.issues += issues
        errors |= territory_errors
        periods, moments, period_errors = self._periods(rows, indicators, value_types, lines)
        errors |= period_errors
        values, statuses, value_errors = self._numbers(rows, lines, indicators)
        errors |= value_errors

        comments = context.comments[rows] if context.comments is not None else None
        self.rejected = int(errors.sum())
        self.rejected_lines = set(lines[errors].tolist())
        ok = ~errors
        self.values = pd.DataFrame(
            {
                "indicator": indicators[ok],
                "territory": territories[ok],
                "period": periods[ok],
                "value_type": value_types[ok],
                "value": values[ok],
                "status": statuses[ok],
                "comment": comments[ok] if comments is not None else None,
                "line": lines[ok],
                "column": spec.label,
            }
        )
        if moments is not None:
            self.values[MOMENT] = moments[ok]

    def _value_types(
        self,
        rows: npt.NDArray[np.intp],
        mapped: npt.NDArray[np.object_],
        lines: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
        context, spec, profile = self.context, self.spec, self.context.profile
        if spec.value_type is not None:
            return np.full(len(rows), spec.value_type, dtype=object), np.zeros(len(rows), bool)
        fallback = profile.value_type.value if profile.value_type else None
        if context.value_types is not None:
            from_column = context.value_types[rows]
            unknown = (from_column == "?") & pd.isna(mapped)
            assert profile.value_type is not None and profile.value_type.column is not None
            column = profile.value_type.column
            self.issues += issues_where(
                unknown,
                lines,
                column,
                IssueCode.INVALID_VALUE_TYPE,
                context.column(column).take(rows).values(),
                lambda v: f"Type de valeur inconnu « {v} » : valeur, reference ou cible",
            )
            types = np.where(pd.isna(mapped), from_column, mapped)
            return blank_where(unknown, types), unknown
        types = np.where(pd.isna(mapped), fallback or "valeur", mapped)
        return types.astype(object), np.zeros(len(rows), dtype=bool)

    def _periods(
        self,
        rows: npt.NDArray[np.intp],
        indicators: npt.NDArray[np.object_],
        value_types: npt.NDArray[np.object_],
        lines: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_] | None, npt.NDArray[np.bool_]]:
        """Periods, the moment of each row within its period (``combine: last`` only), errors."""
        context = self.context
        spec = self.spec.period or context.profile.period
        assert spec is not None  # parse_profile makes sure
        if spec.column is not None:
            raw = context.column(spec.column).take(rows)
            column = spec.column
        else:
            raw = constant_column(spec.value or "", len(rows))
            column = "période (profil)"
        combine = context.profile.combine
        periods, errors, issues = check_periods(
            raw,
            spec.format,
            indicators,
            value_types,
            context.catalogue,
            lines,
            column,
            fold=combine != "error",
        )
        self.issues += issues
        fmt = spec.format
        moments = raw.map(lambda text: period_moment(text, fmt)) if combine == "last" else None
        return periods, moments, errors

    def _numbers(
        self,
        rows: npt.NDArray[np.intp],
        lines: npt.NDArray[np.int64],
        indicators: npt.NDArray[np.object_],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
        context, spec, profile = self.context, self.spec, self.context.profile
        size = len(rows)
        if spec.constant is not None:
            values = np.full(size, spec.constant, dtype=np.float64)
            statuses = np.full(size, "ok", dtype=object)
            invalid = np.zeros(size, dtype=bool)
            raw = np.full(size, spec.label, dtype=object)
        else:
            assert spec.column is not None
            cells = context.column(spec.column)
            distinct = parse_distinct(pd.Series(cells.uniques, dtype=object), profile.tokens)
            parsed = distinct.spread(cells.codes[rows])
            values, statuses, invalid = parsed.values, parsed.status, parsed.invalid
            raw = cells.take(rows).values()
        errors = np.zeros(size, dtype=bool)
        if context.statuses is not None:
            given = context.statuses[rows]
            name = profile.status_column
            unknown = given == "?"
            self.issues += issues_where(
                unknown,
                lines,
                name,
                IssueCode.INVALID_STATUS,
                context.column(str(name)).take(rows).values(),
                lambda v: f"Statut inconnu « {v} » : ok, manquant, sans objet, secret ou retiré",
            )
            errors |= unknown
            stated = pd.notna(given) & ~unknown & (given != "ok")
            dropped = stated & (statuses == "ok")
            self.issues += issues_where(
                dropped,
                lines,
                spec.label,
                IssueCode.VALUE_IGNORED,
                raw,
                lambda v: (
                    f"Valeur « {v} » ignorée : le statut indiqué (secret, manquant…) l'emporte"
                ),
                "warning",
            )
            contradicted = (given == "ok") & (statuses != "ok") & ~invalid
            self.issues += issues_where(
                contradicted,
                lines,
                spec.label,
                IssueCode.INVALID_VALUE,
                raw,
                lambda v: f"Statut « ok » mais aucune valeur (« {v} »)",
            )
            errors |= contradicted
            statuses = np.where(stated, given, statuses)
            values = np.where(stated, np.nan, values)
            invalid = invalid & ~stated
        self.issues += issues_where(
            invalid,
            lines,
            spec.label,
            IssueCode.INVALID_VALUE,
            raw,
            lambda v: (
                f"Valeur non numérique « {v} »"
                if v
                else "Valeur absente alors que les cellules vides ne valent pas « manquant »"
            ),
        )
        errors |= invalid
        values = values * (profile.scale * spec.scale)
        errors |= self._range(values, statuses, indicators, lines, raw)
        return values, statuses, errors

    def _range(
        self,
        values: npt.NDArray[np.float64],
        statuses: npt.NDArray[np.object_],
        indicators: npt.NDArray[np.object_],
        lines: npt.NDArray[np.int64],
        raw: npt.NDArray[np.object_],
    ) -> npt.NDArray[np.bool_]:
        errors = np.zeros(len(values), dtype=bool)
        numbers = statuses == "ok"
        for code in pd.unique(indicators[pd.notna(indicators)]):
            valid = self.context.catalogue.indicators[str(code)].valid_range
            if valid.min is None and valid.max is None:
                continue
            low = -np.inf if valid.min is None else valid.min
            high = np.inf if valid.max is None else valid.max
            mask = numbers & (indicators == code) & ((values < low) | (values > high))
            bounds = _bounds(valid.min, valid.max)
            self.issues += issues_where(
                mask,
                lines,
                self.spec.label,
                IssueCode.OUT_OF_RANGE,
                raw,
                _out_of_range(str(code), bounds),
            )
            errors |= mask
        return errors


def blank_where(mask: npt.NDArray[np.bool_], values: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """A copy of ``values`` as objects, ``None`` where ``mask`` is set."""
    result = np.array(values, dtype=object)
    result[mask] = None
    return result


def _out_of_range(code: str, bounds: str) -> Callable[[str], str]:
    def message(value: str) -> str:
        return f"Valeur « {value} » hors de l'intervalle valide de {code} ({bounds})"

    return message


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"de {low:g} à {high:g}"
    return f"au moins {low:g}" if low is not None else f"au plus {high:g}"
