"""Options of the pickers several pages share, read from the referential files (no database)."""

from __future__ import annotations

from dashboard import readers


def area_choices(level: str) -> tuple[list[dict[str, str]], str]:
    """Options (the first one empty: no area) and label of the "within" picker: départements
    for communes, régions otherwise."""
    referential = readers.referential()
    if level == "COM":
        codes, first, label = referential.codes("DEP"), "Choisir un département", "Département"
    else:
        codes, first, label = referential.codes("REG"), "Toute la France", "Dans la région"
    options = [{"label": first, "value": ""}] + [
        {"label": f"{referential.name(c)} ({referential.territory(c).local_code})", "value": c}
        for c in codes
    ]
    return options, label
