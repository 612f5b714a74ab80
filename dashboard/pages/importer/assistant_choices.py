"""The mapping assistant's choices (what the person picks on ``/import``) and the profile document
they make: the same document ``suivi profiles save`` reads (:mod:`indicators.ingest.profile`).

``choices`` is a plain dict, as the page's controls send it::

    {"territory_column": "code_dep", "territory_level": "DEP",   # "" : inferred by the ingest
     "period_column": "annee", "period_format": "year", "period_value": "",
     "indicator_mode": "fixe" | "colonne" | "colonnes",
     "indicator": "ACC_FS_NOMBRE",                              # mode "fixe"
     "indicator_column": "mesure", "indicator_map": {"nb": "ACC_FS_NOMBRE"},  # mode "colonne"
     "values": {"nb_structures": {"indicator": "", "value_type": "valeur"}},
     "missing": "NA, -", "secret": "s", "not_applicable": "so",
     "scale": "1", "combine": "error", "name": "…"}

In ``values``, an indicator ``""`` means the file's indicator (fixed or read from its column),
``SKIP`` leaves the column out. Guessing the choices reads a few hundred rows at most.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd

from indicators.catalogue import Catalogue
from indicators.ingest import COMBINE_POLICIES
from indicators.ingest.layouts import find_columns
from indicators.ingest.numbers import DEFAULT_MISSING, DEFAULT_NOT_APPLICABLE, DEFAULT_SECRET
from indicators.ingest.period_formats import read_period
from indicators.periods import PeriodError, PeriodKind
from indicators.territories import Referential
from indicators.territories.folding import fold_identifier
from indicators.territories.level_inference import infer_level

SKIP: Final = "__ignorer__"
GUESS_ROWS: Final = 300  # rows read to guess the columns' roles
LEVEL_LABELS: Final = {
    "": "Déduit des codes du fichier",
    "COM": "Communes",
    "EPCI": "EPCI",
    "DEP": "Départements",
    "REG": "Régions",
    "FR": "France",
}
PERIOD_FORMAT_LABELS: Final = {
    "auto": "Automatique (2025, 2025-T3, 2025-07…)",
    "year": "Année (2025)",
    "year2": "Année sur deux chiffres (25)",
    "semester": "Semestre (S1 2025)",
    "quarter": "Trimestre (T3 2025)",
    "month": "Mois (07/2025, juillet 2025)",
    "date": "Date (31/07/2025)",
}
VALUE_TYPE_LABELS: Final = {"valeur": "Valeur", "reference": "Référence", "cible": "Cible"}
COMBINE_LABELS: Final = {
    "error": "Erreur : refuser les lignes en double",
    "sum": "Somme des lignes",
    "last": "Dernière date de la période",
    "mean": "Moyenne des lignes",
}
assert tuple(COMBINE_LABELS) == COMBINE_POLICIES
INDICATOR_MODES: Final = {
    "fixe": "Un seul indicateur pour tout le fichier",
    "colonne": "Une colonne du fichier nomme l'indicateur",
    "colonnes": "Chaque colonne de valeurs a son indicateur",
}
# formats tried in this order: the first that reads every sampled value is the guess
_FORMAT_ORDER: Final = ("year", "quarter", "semester", "month", "date", "year2", "auto")
_PERIOD_NAMES: Final = re.compile(r"annee|periode|period|year|date|mois|trimestre|semestre|an$")
_TERRITORY_NAMES: Final = re.compile(r"territ|insee|codgeo|geo|dep|reg|com|epci|siren|code")
# a header in the catalogue's code shape (ACC_FS_NOMBRE, MOB_ACTIFS): a wide file's indicator
_CODE_SHAPE: Final = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def words(text: str | None) -> list[str]:
    """``"NA, -; n.d."`` -> ``["NA", "-", "n.d."]`` (comma or semicolon separated)."""
    return [word.strip() for word in re.split(r"[;,]", text or "") if word.strip()]


def _distinct(column: pd.Series, limit: int = 200) -> list[str]:
    values = [v.strip() for v in column.head(GUESS_ROWS).tolist() if v and v.strip()]
    return list(dict.fromkeys(values))[:limit]


def detect_period_format(values: Sequence[str]) -> str | None:
    """The format every value reads in (``None``: none, or no value)."""
    sample = [value for value in values if value.strip()][:50]
    if not sample:
        return None
    for fmt in _FORMAT_ORDER:
        try:
            for value in sample:
                read_period(value, fmt, PeriodKind.MONTH)  # type: ignore[arg-type]
        except PeriodError:
            continue
        return fmt
    return None


def _is_number(text: str) -> bool:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def numeric_share(column: pd.Series) -> float:
    """The share of non-empty cells (among the first rows) that read as numbers; a status word
    (``s`` for secret, ``NA``…) neither counts for nor against."""
    tokens = DEFAULT_MISSING | DEFAULT_SECRET | DEFAULT_NOT_APPLICABLE
    cells = [v for v in column.head(GUESS_ROWS).tolist() if v.strip().upper() not in tokens]
    if not cells:
        return 0.0
    return sum(_is_number(cell) for cell in cells) / len(cells)


def level_sentence(frame: pd.DataFrame, column: str | None, referential: Referential) -> str:
    """The inferred level of a territory column, as a French sentence (``""``: nothing to say)."""
    if not column or column not in frame.columns:
        return ""
    inference = infer_level(frame[column].tolist(), referential)
    if not inference.counted:
        return "Aucun code de territoire reconnu dans cette colonne."
    return inference.message + "."


def guess_choices(
    frame: pd.DataFrame, catalogue: Catalogue, referential: Referential, codes: Sequence[str]
) -> dict[str, Any]:
    """Sensible first choices for a file never seen: its columns' roles, from their names and
    their first values. ``codes``: the indicators the person may load (its partner's)."""
    columns = [str(column) for column in frame.columns]
    roles = find_columns(columns)
    territory = roles.get("territory") or _territory_guess(frame, columns, referential)
    period = roles.get("period") or _period_guess(frame, columns, territory)
    period_format = (detect_period_format(_distinct(frame[period])) if period else None) or "auto"
    level = ""
    if territory:
        inference = infer_level(_distinct(frame[territory], 1000), referential)
        level = inference.level or ""
    by_code = {fold_identifier(code): code for code in catalogue.indicators if code in codes}
    by_code |= {
        fold_identifier(indicator.label): code
        for code, indicator in catalogue.indicators.items()
        if code in codes and fold_identifier(indicator.label) not in by_code
    }
    anyone = {
        fold_identifier(name) for i in catalogue.indicators.values() for name in (i.code, i.label)
    }
    indicator_column = roles.get("indicator")
    values: dict[str, dict[str, str]] = {}
    for column in columns:
        if column in (territory, period, indicator_column):
            code = SKIP
        elif fold_identifier(column) in by_code:
            code = by_code[fold_identifier(column)]
        elif numeric_share(frame[column]) >= 0.8:
            code = ""
        else:
            code = SKIP
        values[column] = {"indicator": code, "value_type": "valeur"}
    per_column = any(v["indicator"] not in ("", SKIP) for v in values.values())
    # two number columns named like indicators: a wide file, one indicator per column (reading
    # one indicator would keep the first and silently leave the others out)
    named = [
        column
        for column, value in values.items()
        if value["indicator"] != SKIP
        and (fold_identifier(column) in anyone or _CODE_SHAPE.fullmatch(column.strip()))
    ]
    per_column = per_column or len(named) >= 2
    mode = "colonne" if indicator_column else ("colonnes" if per_column else "fixe")
    if mode == "colonnes":  # no file's indicator: a column not named after one waits for it
        for value in values.values():
            if value["indicator"] == "":
                value["indicator"] = SKIP
    elif mode != "colonne":
        # one indicator cannot take two number columns (every row would be a duplicate): the
        # first is read, the others wait for the person to name their indicator
        numbers = [column for column, value in values.items() if value["indicator"] == ""]
        for column in numbers[1:]:
            values[column]["indicator"] = SKIP
    mapping = {}
    if indicator_column:
        mapping = {
            value: by_code.get(fold_identifier(value), "")
            for value in _distinct(frame[indicator_column], 50)
        }
    return {
        "territory_column": territory,
        "territory_level": level,
        "period_column": period,
        "period_format": period_format,
        "period_value": "",
        "indicator_mode": mode,
        "indicator": codes[0] if len(codes) == 1 else None,
        "indicator_column": indicator_column,
        "indicator_map": mapping,
        "values": values,
        **{key: ", ".join(_tokens({}, key)) for key in DEFAULT_TOKENS},
        "scale": "1",
        "combine": "error",
        "name": "",
    }


def _territory_guess(
    frame: pd.DataFrame, columns: Sequence[str], referential: Referential
) -> str | None:
    """The column whose first values read best as territory codes (its name breaks ties). A
    column named like a period (« annee ») comes last: « 2019 » also reads as a commune code,
    and a département column with one unknown code must still win over it."""
    best: tuple[bool, float, bool, str] | None = None
    for column in columns:
        distinct = _distinct(frame[column])
        if not distinct:
            continue
        share = infer_level(distinct, referential).counted / len(distinct)
        folded = fold_identifier(column)
        named = bool(_TERRITORY_NAMES.search(folded))
        not_a_period = named or not _PERIOD_NAMES.search(folded)
        if share >= 0.5 and (best is None or (not_a_period, share, named) > best[:3]):
            best = (not_a_period, share, named, column)
    return best[3] if best else None


def _period_guess(frame: pd.DataFrame, columns: Sequence[str], territory: str | None) -> str | None:
    candidates = [c for c in columns if c != territory]
    named = [c for c in candidates if _PERIOD_NAMES.search(fold_identifier(c))]
    for column in [*named, *candidates]:
        if detect_period_format(_distinct(frame[column])) not in (None, "year2", "auto"):
            return column
    return named[0] if named else None


def profile_document(
    choices: Mapping[str, Any], columns: Sequence[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """The profile document of ``choices``, or the French problems that prevent it."""
    problems: list[str] = []
    territory = choices.get("territory_column") or None
    period = choices.get("period_column") or None
    period_value = str(choices.get("period_value") or "").strip()
    mode = choices.get("indicator_mode") or "fixe"
    if not territory:
        problems.append("Choisissez la colonne des territoires.")
    if not period and not period_value:
        problems.append("Choisissez la colonne des périodes (ou une période fixe).")
    document: dict[str, Any] = {"territory": {"column": territory}}
    if choices.get("territory_level"):
        document["territory"]["level"] = choices["territory_level"]
    if period:
        document["period"] = {"column": period, "format": choices.get("period_format") or "auto"}
    elif period_value:
        document["period"] = {"value": period_value}
    role_columns = {territory, period}
    if mode == "fixe":
        if not choices.get("indicator"):
            problems.append("Choisissez l'indicateur du fichier.")
        else:
            document["indicator"] = {"value": choices["indicator"]}
    elif mode == "colonne":
        column = choices.get("indicator_column")
        mapping = {
            str(key): code for key, code in (choices.get("indicator_map") or {}).items() if code
        }
        if not column:
            problems.append("Choisissez la colonne qui nomme l'indicateur.")
        elif not mapping:
            problems.append(
                "Associez au moins une valeur de la colonne « "
                f"{column} » à un indicateur du catalogue."
            )
        else:
            document["indicator"] = {"column": column, "map": mapping, "others": "ignore"}
            role_columns.add(column)
    values: list[dict[str, Any]] = []
    for column, choice in (choices.get("values") or {}).items():
        code = choice.get("indicator", SKIP)
        if code == SKIP:
            continue
        if column in role_columns:
            problems.append(
                f"La colonne « {column} » ne peut pas être à la fois une colonne de valeurs et "
                "celle des territoires, des périodes ou des indicateurs."
            )
            continue
        if column not in columns:
            problems.append(f"La colonne « {column} » n'est pas dans le fichier.")
            continue
        entry: dict[str, Any] = {"column": column}
        if code:
            entry["indicator"] = code
        elif mode == "colonnes":
            problems.append(f"Choisissez l'indicateur de la colonne « {column} ».")
        if choice.get("value_type", "valeur") != "valeur":
            entry["value_type"] = choice["value_type"]
        values.append(entry)
    if not values:
        problems.append("Choisissez au moins une colonne de valeurs à lire.")
    document["values"] = values
    for key in ("missing", "secret", "not_applicable"):
        document[key] = words(choices.get(key))
    if "" not in document["missing"]:
        document["missing"].append("")  # an empty cell stays a missing value
    scale = _scale(choices.get("scale"))
    if scale is None:
        problems.append("L'échelle doit être un nombre (par exemple 1, 100 ou 0,001).")
    elif scale != 1:
        document["scale"] = scale
    combine = choices.get("combine") or "error"
    if combine not in COMBINE_POLICIES:
        problems.append("Choisissez quoi faire de plusieurs lignes pour une même période.")
    document["combine"] = combine
    return (None, problems) if problems else (document, [])


def _scale(raw: object) -> float | None:
    text = str(raw if raw is not None else "1").strip().replace(",", ".") or "1"
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value != 0 else None


DEFAULT_TOKENS: Final = {
    "missing": DEFAULT_MISSING,
    "secret": DEFAULT_SECRET,
    "not_applicable": DEFAULT_NOT_APPLICABLE,
}


def _tokens(document: Mapping[str, Any], key: str) -> list[str]:
    """The profile's words for a status (the ingest's defaults when it names none)."""
    found = document.get(key)
    return sorted(w for w in (DEFAULT_TOKENS[key] if found is None else found) if w)


def choices_from_document(document: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """The choices a saved profile stands for (the assistant opened on it, to edit it)."""
    territory = document.get("territory") or {}
    period = document.get("period") or {}
    indicator = document.get("indicator") or {}
    entries = {
        str(entry["column"]): entry
        for entry in document.get("values") or []
        if isinstance(entry, Mapping) and entry.get("column")
    }
    values = {
        column: {
            "indicator": (entries[column].get("indicator") or "") if column in entries else SKIP,
            "value_type": entries[column].get("value_type") or "valeur"
            if column in entries
            else "valeur",
        }
        for column in dict.fromkeys([*columns, *entries])
    }
    mapping = {
        str(key): (target.get("indicator") if isinstance(target, Mapping) else target) or ""
        for key, target in (indicator.get("map") or {}).items()
    }
    if indicator.get("column"):
        mode = "colonne"
    elif indicator.get("value"):
        mode = "fixe"
    else:
        mode = "colonnes"
    return {
        "territory_column": territory.get("column"),
        "territory_level": territory.get("level") or "",
        "period_column": period.get("column"),
        "period_format": period.get("format") or "auto",
        "period_value": period.get("value") or "",
        "indicator_mode": mode,
        "indicator": indicator.get("value"),
        "indicator_column": indicator.get("column"),
        "indicator_map": mapping,
        "values": values,
        **{key: ", ".join(_tokens(document, key)) for key in DEFAULT_TOKENS},
        "scale": str(document.get("scale", 1)).replace(".", ",").removesuffix(",0"),
        "combine": document.get("combine") or "error",
        "name": document.get("name") or "",
    }
