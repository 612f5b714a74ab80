"""``/export/<dataset>.<csv|xlsx>?…``: the data twin of every chart, as a plain link.

CSV is written for French spreadsheets: ``;`` separator, decimal comma, UTF-8 with BOM. Text
cells that a spreadsheet would run as formulas are written as text
(:mod:`indicators.spreadsheet_cells`).

Every parameter is checked against the catalogue and the referential *before* the dataset runs
(issue #12): an unknown indicator, territory, level or period gets a French 400 or 404, never a
database query nor a cache entry keyed by whatever a visitor typed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
from flask import Blueprint, Response, abort, request

from dashboard import datasets, readers
from dashboard.auth import requires
from indicators.catalogue.model import Level, TerritoryType
from indicators.periods import parse_period
from indicators.spreadsheet_cells import safe_frame

blueprint = Blueprint("api", __name__)

Dataset = Callable[..., pd.DataFrame]
# dataset name -> (function, its parameters in order, the required ones)
DATASETS: dict[str, tuple[Dataset, tuple[str, ...], tuple[str, ...]]] = {}


def register_dataset(
    name: str, function: Dataset, params: tuple[str, ...], required: tuple[str, ...] = ()
) -> None:
    """Make a chart's table downloadable at ``/export/<name>.csv|xlsx?<params>``."""
    DATASETS[name] = (function, params, required)


def _measure_cards(type_choice: str | None, year: str | None) -> pd.DataFrame:
    typology = None if type_choice in (None, "tous") else type_choice
    return datasets.measure_cards_dataset(typology, int(year) if year else None)


register_dataset(
    "carte",
    datasets.map_dataset,
    ("indicateur", "periode", "niveau", "dans"),
    ("indicateur", "periode", "niveau"),
)
register_dataset(
    "serie",
    datasets.territory_series_dataset,
    ("indicateur", "territoire"),
    ("indicateur", "territoire"),
)
register_dataset("mesures", _measure_cards, ("type", "annee"))
SAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_PARAMETER_CHARS = 100


class InvalidExport(ValueError):
    """A parameter that names nothing known; ``status`` is 400 (malformed) or 404 (unknown)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _check_indicator(value: str, _args: dict[str, str]) -> None:
    if value not in readers.catalogue().indicators:
        raise InvalidExport(404, f"indicateur inconnu : « {_shown(value)} »")


def _check_period(value: str, _args: dict[str, str]) -> None:
    # A well-formed period without values is not an error: an empty chart's data twin is its
    # headers and no rows (issue #11). Periods are bounded (MIN_YEAR–MAX_YEAR), so are the keys.
    try:
        parse_period(value)
    except ValueError:
        raise InvalidExport(400, f"période illisible : « {_shown(value)} »") from None


def _check_level(value: str, _args: dict[str, str]) -> None:
    if value not in {level.value for level in Level}:
        raise InvalidExport(400, f"niveau inconnu : « {_shown(value)} » (COM, EPCI, DEP, REG, FR)")


def _check_territory(value: str, _args: dict[str, str]) -> None:
    if value not in readers.referential().territories:
        raise InvalidExport(404, f"territoire inconnu : « {_shown(value)} »")


def _check_measure(value: str, _args: dict[str, str]) -> None:
    if value not in readers.catalogue().measures:
        raise InvalidExport(404, f"mesure inconnue : « {_shown(value)} »")


def _check_programme(value: str, _args: dict[str, str]) -> None:
    if value.strip().upper() not in readers.catalogue().programmes:
        raise InvalidExport(404, f"programme inconnu : « {_shown(value)} »")


def _check_type(value: str, _args: dict[str, str]) -> None:
    if value not in {"tous", *(kind.value for kind in TerritoryType)}:
        raise InvalidExport(400, f"type de territoire inconnu : « {_shown(value)} »")


def _check_year(value: str, _args: dict[str, str]) -> None:
    if not (value.isdigit() and 1900 <= int(value) <= 2100):
        raise InvalidExport(400, f"année illisible : « {_shown(value)} »")


# parameter name (the same in every dataset) -> its check; the others are bounded in length only
CHECKS: dict[str, Callable[[str, dict[str, str]], None]] = {
    "indicateur": _check_indicator,
    "periode": _check_period,
    "niveau": _check_level,
    "dans": _check_territory,
    "territoire": _check_territory,
    "surligne": _check_territory,
    "mesure": _check_measure,
    "programme": _check_programme,
    "type": _check_type,
    "annee": _check_year,
}


def check_parameters(args: dict[str, str]) -> None:
    """Raise :class:`InvalidExport` on the first parameter that names nothing known."""
    for name, value in args.items():
        if len(value) > MAX_PARAMETER_CHARS:
            raise InvalidExport(400, f"paramètre « {name} » trop long")
    for name, value in args.items():
        check = CHECKS.get(name)
        if check is not None:
            check(value, args)


def export_url(dataset: str, file_format: str, **params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/export/{dataset}.{file_format}?{query}"


EXPORT_DECIMALS = 2  # the catalogue sets no decimals per indicator: two keep every rate exact


def rounded_with_unit(frame: pd.DataFrame, indicator: str | None) -> pd.DataFrame:
    """Values rounded for reading (``12,35`` rather than ``12,345678901``), and the indicator's
    unit in a column beside ``valeur`` so that a file read alone says what it counts."""
    frame = frame.copy()
    decimals = frame.select_dtypes(include="float").columns
    frame[decimals] = frame[decimals].round(EXPORT_DECIMALS)
    definition = readers.catalogue().indicators.get(indicator or "")
    if definition is not None and "unite" not in frame.columns:
        at = (
            frame.columns.get_loc("valeur") + 1 if "valeur" in frame.columns else len(frame.columns)
        )
        frame.insert(int(at), "unite", definition.unit)  # type: ignore[arg-type]
    return frame


def to_csv(frame: pd.DataFrame) -> bytes:
    text = safe_frame(frame).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


@blueprint.get("/export/<dataset>.<file_format>")
@requires("export")
def export(dataset: str, file_format: str) -> Response:
    if dataset not in DATASETS or file_format not in {"csv", "xlsx"}:
        abort(404)
    function, names, required = DATASETS[dataset]
    missing = [name for name in required if not request.args.get(name)]
    if missing:
        return Response(
            f"Paramètres manquants : {', '.join(missing)}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    given = {name: value for name in names if (value := request.args.get(name))}
    try:
        check_parameters(given)
    except InvalidExport as error:
        return Response(
            f"Demande impossible : {error}.",
            status=error.status,
            content_type="text/plain; charset=utf-8",
        )
    arguments = [request.args.get(name) for name in names]
    try:
        frame = function(*arguments)
    except KeyError as error:
        return Response(
            f"Demande impossible : {error.args[0]}.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    frame = rounded_with_unit(frame, given.get("indicateur"))
    stem = SAFE.sub("_", "_".join([dataset, *(a for a in arguments if a)]))
    if file_format == "csv":
        body, mimetype = to_csv(frame), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(frame, dataset)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response
