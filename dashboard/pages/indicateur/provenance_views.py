"""Where the indicator page's numbers come from: the definition's versions, and the loads and
computations behind a period (pure functions of the page's inputs, called by the callbacks)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard import readers
from dashboard.components.table import table
from dashboard.formatting import format_datetime, format_int
from dashboard.pages.indicateur.components import indicator_link
from dashboard.pages.indicateur.lineage_datasets import (
    lineage_computed_dataset,
    lineage_loads_dataset,
    versions_table,
)
from dashboard.pages.indicateur.texts import (
    FIELD_NAMES,
    lineage_summary,
)
from dashboard.routes.exports import export_url
from indicators.catalogue import definition_hash


def versions_view(code: str) -> Any:
    """The definition's versions, the one in force last, and whether the files differ from it."""
    versions = versions_table(code)
    if versions.empty:
        return html.P(
            "Aucune version enregistrée en base : lancez « suivi init » pour y inscrire "
            "le catalogue.",
            className="notice",
        )
    latest = versions.iloc[-1]
    rows = [
        [
            str(int(row["version"])),
            format_datetime(row["valid_from"]),
            ", ".join(FIELD_NAMES.get(k, k) for k in row["changed"]) or "première version",
        ]
        for _, row in versions.iterrows()
    ]
    rows[-1][0] = f"{int(latest['version'])} (en vigueur)"
    shown = table(["Version", "En vigueur depuis le", "Ce qui a changé"], rows, set())
    shown.className = "table versions-table"
    content: list[Any] = [shown]
    definition = readers.catalogue().indicators[code]
    if latest["definition_hash"] != definition_hash(definition):
        content.append(
            html.P(
                "La définition des fichiers du catalogue diffère de la dernière version "
                "enregistrée : elle sera inscrite comme nouvelle version au prochain "
                "« suivi init ».",
                className="notice",
            )
        )
    return content


def _date(value: Any) -> str:
    return format_datetime(value) if pd.notna(value) else "—"


def lineage_view(code: str, period: str | None) -> dict[str, Any]:
    """Where the period's values come from: the loads and the computations."""
    if not period:
        nothing = html.P("Aucune valeur.", className="muted")
        loads_view: Any = nothing
        computed_view: Any = nothing
        summary = "Aucune valeur enregistrée."
        params: dict[str, str] | None = None
    else:
        loads = lineage_loads_dataset(code, period)
        computed = lineage_computed_dataset(code, period)
        loads_view = _loads_table(loads, code)
        computed_view = _computed_table(computed)
        summary = lineage_summary(loads, computed, period)
        params = {"indicateur": code, "periode": period}
    return {
        "summary": summary,
        "loads": loads_view,
        "loads_csv": export_url("indicateur-chargements", "csv", **params) if params else None,
        "loads_xlsx": export_url("indicateur-chargements", "xlsx", **params) if params else None,
        "computed": computed_view,
        "computed_csv": export_url("indicateur-calculs", "csv", **params) if params else None,
        "computed_xlsx": export_url("indicateur-calculs", "xlsx", **params) if params else None,
    }


def _loads_table(loads: pd.DataFrame, code: str) -> Any:
    rows = [
        [
            "—" if pd.isna(row["chargement"]) else f"n° {int(row['chargement'])}",
            row["fichier"],
            row["utilisateur"],
            row["partenaire"],
            _date(row["date"]),
            indicator_link(row["indicateur"])
            if row["indicateur"] != code
            else f"{code} (cet indicateur)",
            row["niveau"],
            format_int(int(row["valeurs"])),
        ]
        for _, row in loads.iterrows()
    ]
    if not rows:
        return html.P(
            "Aucune valeur chargée pour cette période : les valeurs sont toutes calculées.",
            className="muted",
        )
    headers = ["Chargement", "Fichier", "Par", "Partenaire", "Le", "Indicateur", "Niveau"]
    return table([*headers, "Valeurs"], rows, {7})


def _computed_table(computed: pd.DataFrame) -> Any:
    rows = [
        [
            "—" if pd.isna(row["version"]) else str(int(row["version"])),
            _date(row["en_vigueur_depuis"]),
            row["niveau"],
            format_int(int(row["valeurs"])),
            _date(row["calcule_le"]),
        ]
        for _, row in computed.iterrows()
    ]
    if not rows:
        return html.P("Aucune valeur calculée pour cette période.", className="muted")
    headers = ["Version de la définition", "En vigueur depuis le", "Niveau", "Valeurs"]
    return table([*headers, "Calculées le"], rows, {3})
