"""Import profiles: how a partner's own file layout maps to indicator values.

A profile is a JSON document (the web page builds it from drop-downs over a preview of the file;
``suivi profiles save`` reads it from a file). :func:`parse_profile` checks it and returns a typed
:class:`Profile`, or raises :class:`ProfileError` listing every problem in French. The canonical
long and wide layouts are profiles too (:mod:`.layouts`), so one engine reads every file.

The document, key by key (only ``territory`` and ``values`` are required)::

    {
      "name": "barometre-departemental",      # the CLI's --name wins
      "partner": "ANCT",                      # the CLI's --partner wins
      "description": "…",
      "header": ["mesure", "id_indicateur", …],  # the file's columns: a file with this header
                                              # gets the profile applied without being asked
      "sheet": "Données",                     # XLSX sheet (name); default: the first one
      "header_line": 1,                       # line of the column names (title lines above)
      "territory": {"column": "code_departement", "level": "DEP"},  # level: COM EPCI DEP REG FR
      "period": {"column": "annee", "format": "year"},  # or {"value": "2024-S2"}; formats:
                                              # auto year year2 semester quarter month date
      "indicator": {"column": "id_indicateur",            # or {"value": "ACC_FS_NOMBRE"}
                    "map": {"tx-gs-rep": "BARO_GS_REP",   # file value -> catalogue code,
                            "tx-cible": {"indicator": "BARO_GS_REP", "value_type": "cible"}},
                    "others": "ignore"},      # unmapped values: "error" (default) or "ignore"
      "value_type": {"column": "type", "map": {"Réalisé": "valeur", "Objectif": "cible"}},
                                              # or {"value": "cible"}; default "valeur"
      "values": [                             # one entry per value column
        {"column": "valeur_actuelle"},
        {"column": "valeur_initiale", "value_type": "reference",
         "period": {"column": "date_valeur_initiale", "format": "date"}},
        {"column": "cible", "value_type": "cible", "empty": "skip"},  # empty cell: no value
        {"column": "nb_conseillers", "indicator": "NUM_CONSEILLERS", "scale": 0.001},
        {"constant": 1, "indicator": "ACC_FS_NOMBRE"}   # each row counts 1 (with "combine")
      ],
      "status": {"column": "statut"},         # words: ok, manquant, secret, sans objet, retiré
      "comment": {"column": "commentaire"},
      "missing": ["NA", "-9999", ""],         # cell values meaning missing (these replace the
      "secret": ["s"],                        # defaults, compared without case)
      "not_applicable": ["so"],
      "scale": 1,                             # multiplies every value (e.g. 100 for a share)
      "combine": "sum"                        # several rows for one key (indicator, territory,
    }                                         # period, type): "error" (default: all rejected),
                                              # "sum" (sites counted per commune), "last" (the
                                              # latest date of the period: a monthly series read
                                              # as a quarterly stock) or "mean"

An entry of ``values`` inherits ``indicator``, ``value_type`` and ``period`` from the top level
unless it names its own; ``empty`` is ``"missing"`` (default: an empty cell is a missing value)
or ``"skip"`` (no value at all — an empty target column).

With ``combine`` other than ``"error"``, a value whose period is finer than the indicator's
(a month of a quarterly indicator) counts in the period that contains it, and the rows of one
period are combined as asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from indicators.ingest.numbers import StatusTokens
from indicators.ingest.period_formats import PERIOD_FORMATS, PeriodFormat
from indicators.ingest.words import VALUE_TYPES, value_type_of

LEVELS: Final = ("COM", "EPCI", "DEP", "REG", "FR")
EmptyPolicy = Literal["missing", "skip"]
Others = Literal["error", "ignore"]
Combine = Literal["error", "sum", "last", "mean"]
COMBINE_POLICIES: Final[tuple[Combine, ...]] = ("error", "sum", "last", "mean")


class ProfileError(ValueError):
    """The profile document is not valid; ``problems`` lists every one, in French."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("Profil d'import invalide : " + " ; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class PeriodSpec:
    column: str | None = None
    value: str | None = None
    format: PeriodFormat = "auto"


@dataclass(frozen=True)
class IndicatorChoice:
    """What one value of the indicator column stands for (``None``: the value is ignored)."""

    indicator: str | None
    value_type: str | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    column: str | None = None
    value: str | None = None
    map: Mapping[str, IndicatorChoice] = field(default_factory=dict)
    others: Others = "error"


@dataclass(frozen=True)
class ValueTypeSpec:
    column: str | None = None
    value: str | None = None
    map: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ValueSpec:
    column: str | None = None
    constant: float | None = None
    indicator: str | None = None
    value_type: str | None = None
    period: PeriodSpec | None = None
    scale: float = 1.0
    empty: EmptyPolicy = "missing"

    @property
    def label(self) -> str:
        """How issues name the source of the value: its column, or the constant."""
        return self.column if self.column is not None else f"constante {self.constant:g}"


@dataclass(frozen=True)
class Profile:
    territory_column: str
    values: tuple[ValueSpec, ...]
    territory_level: str | None = None
    period: PeriodSpec | None = None
    indicator: IndicatorSpec | None = None
    value_type: ValueTypeSpec | None = None
    status_column: str | None = None
    comment_column: str | None = None
    tokens: StatusTokens = field(default_factory=StatusTokens)
    scale: float = 1.0
    combine: Combine = "error"
    header: tuple[str, ...] = ()
    sheet: str | None = None
    header_line: int = 1
    name: str = ""
    partner: str | None = None
    description: str = ""
    document: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def columns_used(self) -> list[str]:
        """Every column the profile reads, in a stable order, for the missing-column check."""
        names: list[str | None] = [self.territory_column, self.status_column, self.comment_column]
        for spec in (self.period, self.indicator, self.value_type):
            names.append(spec.column if spec else None)
        for value in self.values:
            names += [value.column, value.period.column if value.period else None]
        return list(dict.fromkeys(name for name in names if name))


_TOP_KEYS: Final = frozenset(
    {
        "name", "partner", "description", "header", "sheet", "header_line", "territory",
        "period", "indicator", "value_type", "values", "status", "comment", "missing", "secret",
        "not_applicable", "scale", "combine",
    }
)  # fmt: skip


class _Reader:
    """Collects every problem with its place in the document (``values[2].period``)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where} : {message}")

    def mapping(self, raw: object, where: str, keys: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            self.fail(where, "objet JSON attendu")
            return {}
        for key in sorted(set(raw) - keys):
            self.fail(where, f"clé inconnue « {key} » (clés possibles : {', '.join(sorted(keys))})")
        return raw

    def text(self, raw: object, where: str, required: bool = False) -> str | None:
        if raw is None:
            if required:
                self.fail(where, "valeur obligatoire")
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(where, "texte attendu")
            return None
        text = str(raw).strip()
        if required and not text:
            self.fail(where, "valeur obligatoire")
        return text or None

    def number(self, raw: object, where: str, default: float) -> float:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
            self.fail(where, "nombre attendu")
            return default
        return float(raw)

    def words(self, raw: object, where: str) -> list[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(v, str | int | float) for v in raw):
            self.fail(where, "liste de textes attendue")
            return None
        return [str(value) for value in raw]

    def column_or_value(
        self, raw: Mapping[str, Any], where: str, required: bool = True
    ) -> tuple[str | None, str | None]:
        column = self.text(raw.get("column"), f"{where}.column")
        value = self.text(raw.get("value"), f"{where}.value")
        if column and value:
            self.fail(where, "« column » ou « value », pas les deux")
        elif required and not (column or value):
            self.fail(where, "« column » (une colonne du fichier) ou « value » attendu")
        return column, value

    def value_type(self, raw: object, where: str) -> str | None:
        text = self.text(raw, where)
        if text is None:
            return None
        found = value_type_of(text)
        if found is None:
            self.fail(where, f"type de valeur inconnu « {text} » ({', '.join(VALUE_TYPES)})")
        return found

    def period(self, raw: object, where: str) -> PeriodSpec | None:
        if raw is None:
            return None
        spec = self.mapping(raw, where, frozenset({"column", "value", "format"}))
        column, value = self.column_or_value(spec, where)
        fmt = self.text(spec.get("format"), f"{where}.format") or "auto"
        if fmt not in PERIOD_FORMATS:
            self.fail(f"{where}.format", f"« {fmt} » inconnu ({', '.join(PERIOD_FORMATS)})")
            fmt = "auto"
        return PeriodSpec(column, value, fmt)  # type: ignore[arg-type]

    def indicator(self, raw: object, where: str) -> IndicatorSpec | None:
        if raw is None:
            return None
        spec = self.mapping(raw, where, frozenset({"column", "value", "map", "others"}))
        column, value = self.column_or_value(spec, where)
        choices: dict[str, IndicatorChoice] = {}
        raw_map = spec.get("map") or {}
        if not isinstance(raw_map, Mapping):
            self.fail(f"{where}.map", "objet JSON attendu (valeur du fichier -> code)")
            raw_map = {}
        for key, target in raw_map.items():
            place = f"{where}.map[{key!r}]"
            if isinstance(target, Mapping):
                inner = self.mapping(target, place, frozenset({"indicator", "value_type"}))
                code = self.text(inner.get("indicator"), f"{place}.indicator")
                kind = self.value_type(inner.get("value_type"), f"{place}.value_type")
                choices[str(key).strip()] = IndicatorChoice(code and code.upper(), kind)
            elif target is None or isinstance(target, str):
                code = (target or "").strip().upper() or None
                choices[str(key).strip()] = IndicatorChoice(code)
            else:
                self.fail(place, "code d'indicateur, objet ou null attendu")
        others = self.text(spec.get("others"), f"{where}.others") or "error"
        if others not in ("error", "ignore"):
            self.fail(f"{where}.others", "« error » ou « ignore » attendu")
            others = "error"
        return IndicatorSpec(column, value and value.upper(), choices, others)  # type: ignore[arg-type]

    def value_type_spec(self, raw: object, where: str) -> ValueTypeSpec | None:
        if raw is None:
            return None
        spec = self.mapping(raw, where, frozenset({"column", "value", "map"}))
        column, value = self.column_or_value(spec, where)
        kind = self.value_type(value, f"{where}.value") if value else None
        mapping: dict[str, str] = {}
        raw_map = spec.get("map") or {}
        if not isinstance(raw_map, Mapping):
            self.fail(f"{where}.map", "objet JSON attendu (valeur du fichier -> type)")
            raw_map = {}
        for key, target in raw_map.items():
            found = self.value_type(target, f"{where}.map[{key!r}]")
            if found:
                mapping[str(key).strip()] = found
        return ValueTypeSpec(column, kind, mapping)

    def values(self, raw: object) -> tuple[ValueSpec, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("values", "liste non vide attendue (une entrée par colonne de valeurs)")
            return ()
        keys = frozenset(
            {"column", "constant", "indicator", "value_type", "period", "scale", "empty"}
        )
        specs: list[ValueSpec] = []
        for index, item in enumerate(raw):
            where = f"values[{index}]"
            entry = self.mapping(item, where, keys)
            column = self.text(entry.get("column"), f"{where}.column")
            constant = None
            if entry.get("constant") is not None:
                constant = self.number(entry.get("constant"), f"{where}.constant", 0.0)
            if (column is None) == (constant is None):
                self.fail(where, "« column » ou « constant », l'un des deux exactement")
            indicator = self.text(entry.get("indicator"), f"{where}.indicator")
            empty = self.text(entry.get("empty"), f"{where}.empty") or "missing"
            if empty not in ("missing", "skip"):
                self.fail(f"{where}.empty", "« missing » ou « skip » attendu")
                empty = "missing"
            specs.append(
                ValueSpec(
                    column=column,
                    constant=constant,
                    indicator=indicator.upper() if indicator else None,
                    value_type=self.value_type(entry.get("value_type"), f"{where}.value_type"),
                    period=self.period(entry.get("period"), f"{where}.period"),
                    scale=self.number(entry.get("scale"), f"{where}.scale", 1.0),
                    empty=empty,  # type: ignore[arg-type]
                )
            )
        return tuple(specs)


def parse_profile(document: object) -> Profile:
    """Check a profile document (parsed JSON) and build the :class:`Profile`."""
    reader = _Reader()
    doc = reader.mapping(document, "profil", _TOP_KEYS)
    territory = reader.mapping(doc.get("territory"), "territory", frozenset({"column", "level"}))
    territory_column = reader.text(territory.get("column"), "territory.column", required=True)
    level = reader.text(territory.get("level"), "territory.level")
    if level is not None:
        level = level.upper()
        if level not in LEVELS:
            reader.fail("territory.level", f"niveau inconnu « {level} » ({', '.join(LEVELS)})")
    period = reader.period(doc.get("period"), "period")
    indicator = reader.indicator(doc.get("indicator"), "indicator")
    value_type = reader.value_type_spec(doc.get("value_type"), "value_type")
    values = reader.values(doc.get("values"))
    for index, value in enumerate(values):
        if value.indicator is None and indicator is None:
            reader.fail(f"values[{index}]", "aucun indicateur : « indicator » ici ou en tête")
        if value.period is None and period is None:
            reader.fail(f"values[{index}]", "aucune période : « period » ici ou en tête")
    status = reader.mapping(doc.get("status") or {}, "status", frozenset({"column"}))
    comment = reader.mapping(doc.get("comment") or {}, "comment", frozenset({"column"}))
    combine = reader.text(doc.get("combine"), "combine") or "error"
    if combine not in COMBINE_POLICIES:
        reader.fail(
            "combine",
            f"« {combine} » inconnu : error (refuser les doublons), sum (additionner), "
            "last (dernière date de la période) ou mean (moyenne)",
        )
        combine = "error"
    header = reader.words(doc.get("header"), "header") or []
    header_line = int(reader.number(doc.get("header_line"), "header_line", 1.0))
    if header_line < 1:
        reader.fail("header_line", "numéro de ligne à partir de 1 attendu")
    tokens = StatusTokens.of(
        reader.words(doc.get("missing"), "missing"),
        reader.words(doc.get("secret"), "secret"),
        reader.words(doc.get("not_applicable"), "not_applicable"),
    )
    scale = reader.number(doc.get("scale"), "scale", 1.0)
    if reader.problems:
        raise ProfileError(reader.problems)
    assert territory_column is not None  # reported above otherwise
    return Profile(
        territory_column=territory_column,
        values=values,
        territory_level=level,
        period=period,
        indicator=indicator,
        value_type=value_type,
        status_column=reader.text(status.get("column"), "status.column"),
        comment_column=reader.text(comment.get("column"), "comment.column"),
        tokens=tokens,
        scale=scale,
        combine=combine,  # type: ignore[arg-type]
        header=tuple(str(name).strip() for name in header),
        sheet=reader.text(doc.get("sheet"), "sheet"),
        header_line=header_line,
        name=reader.text(doc.get("name"), "name") or "",
        partner=reader.text(doc.get("partner"), "partner"),
        description=reader.text(doc.get("description"), "description") or "",
        document=dict(doc),
    )
