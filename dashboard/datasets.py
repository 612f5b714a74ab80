"""The tables behind the charts. A chart and its download (its "data twin") call the same
function with the same parameters, so the file holds exactly what is drawn."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from indicators.compute import STATUS_LABELS

LEVEL_NAMES = {
    "REG": "région",
    "DEP": "département",
    "EPCI": "EPCI",
    "COM": "commune",
}
# Overseas régions drawn as insets beside metropolitan France (région code -> inset name)
OVERSEAS = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}
MAP_COLUMNS = [
    "code",
    "code_officiel",
    "nom",
    "valeur",
    "statut",
    "statut_libelle",
    "territoires_renseignes",
    "territoires_attendus",
    "origine",
    "zone",
]


def map_dataset(indicator: str, period: str, level: str, within: str | None = None) -> pd.DataFrame:
    """Every territory of ``level`` (within a région or a département) with its value and status;
    territories without any row are listed as missing, so the map and the file show the gaps."""
    referential = readers.referential()
    if level == "COM" and within and within.startswith("DEP:"):
        codes = referential.children(within, "COM")
    elif within and within.startswith("REG:"):
        codes = referential.children(within, level)  # type: ignore[arg-type]
    else:
        codes = referential.codes(level)  # type: ignore[arg-type]
    source_within = within if level == "COM" else None
    values = readers.values_for_map(indicator, period, level, source_within)
    frame = pd.DataFrame({"code": list(codes)}).merge(
        values.rename(columns={"territory": "code"}), on="code", how="left"
    )
    frame["status"] = frame["status"].fillna("missing")
    frame.loc[frame["status"] != "ok", "value"] = float("nan")
    territories = referential.territories
    return pd.DataFrame(
        {
            "code": frame["code"],
            "code_officiel": [territories[c].local_code for c in frame["code"]],
            "nom": [territories[c].name for c in frame["code"]],
            "valeur": frame["value"].astype(float),
            "statut": frame["status"],
            "statut_libelle": frame["status"].map(lambda s: STATUS_LABELS.get(s, s)),
            "territoires_renseignes": frame["reported"].fillna(0).astype(int),
            "territoires_attendus": frame["expected"].fillna(1).astype(int),
            "origine": frame["source"].fillna("—"),
            "zone": [_zone(territories[c]) for c in frame["code"]],
        }
    )[MAP_COLUMNS]


def _zone(territory: object) -> str:
    """``metropole`` or the name of the overseas région the territory lies in."""
    region = getattr(territory, "region", None) or getattr(territory, "local_code", "")
    return OVERSEAS.get(region, "metropole") if region else "metropole"
