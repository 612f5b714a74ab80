"""``/export/<dataset>.<csv|xlsx>?…``: the data twin of every chart, as a plain link.

CSV is written for French spreadsheets: ``;`` separator, decimal comma, UTF-8 with BOM.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
from flask import Blueprint, Response, abort, request

from dashboard import datasets
from dashboard.auth import requires

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


def export_url(dataset: str, file_format: str, **params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/export/{dataset}.{file_format}?{query}"


def to_csv(frame: pd.DataFrame) -> bytes:
    text = frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
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
    arguments = [request.args.get(name) for name in names]
    try:
        frame = function(*arguments)
    except KeyError as error:
        return Response(
            f"Demande impossible : {error.args[0]}.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    stem = SAFE.sub("_", "_".join([dataset, *(a for a in arguments if a)]))
    if file_format == "csv":
        body, mimetype = to_csv(frame), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(frame, dataset)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response
