"""What the callbacks of ``territoire`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from dashboard import readers
from dashboard.routes.geo import geometry_url
from indicators.territories.referential import Territory

CHILD_LEVEL = {"FR": "REG", "REG": "DEP", "DEP": "COM", "EPCI": "COM"}


SET_KIND_LABELS = {
    "programme": "Programme",
    "mesure_test": "Territoire test",
    "mesure_temoin": "Territoire témoin",
    "groupe": "Groupe",
}


def indicator_options(level: str) -> list[dict[str, str]]:
    return [
        {"label": f"{i.label} ({i.unit})", "value": code}
        for code, i in readers.catalogue().indicators.items()
        if level in {lvl.value for lvl in i.levels}
    ]


def _child_geometry(place: Territory, level: str) -> str:
    if level == "REG":
        return geometry_url("regions")
    if level == "DEP":
        return geometry_url("departements")
    departement = place.local_code if place.level == "DEP" else place.departement
    return geometry_url(f"communes-{departement}")
