"""One French sentence per chart of the programme pages (for people who skim and for screen
readers), from the same tables as the charts."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.formatting import at_period, format_int, format_number, format_period, format_value

CHAIN_NAMES = {
    "input": ("de moyens", "de moyens"),
    "output": ("de réalisation", "de réalisations"),
    "outcome": ("de résultat", "de résultats"),
    "impact": ("d'impact", "d'impact"),
}


PROGRESS_WORDS = {
    "achieved": ("atteinte", "atteintes"),
    "on_track": ("en bonne voie", "en bonne voie"),
    "late": ("en retard", "en retard"),
    "": ("sans échéance", "sans échéance"),
}


def percent(value: object) -> str:
    """A share of the way, rounded: ``42 %``, ``-17 %``, never ``-0 %``; ``—`` when unknown."""
    if value is None or pd.isna(value):
        return "—"
    return f"{format_number(round(float(value)) + 0.0, 0)}\u202f%"


def since_period(period: str) -> str:
    """``2024``, ``le 1er semestre 2022``, ``juillet 2025``: what follows « depuis »."""
    text = format_period(period)
    return f"le {text}" if "semestre" in text or "trimestre" in text else text


def _plural(count: int, one: str, many: str) -> str:
    return f"{format_int(count)} {one if count == 1 else many}"


def members_history_summary(table: pd.DataFrame, members_word: str, today: date) -> str:
    """``members_word``: ``communes`` or ``intercommunalités``."""
    if table.empty:
        return f"Aucune des {members_word} de ce programme n'est enregistrée."
    last = table.iloc[-1]
    joined = int(table["entrees"].sum())
    left = int(table["sorties"].sum())
    head = (
        f"{format_int(int(last['membres']))} {members_word} membres au {today:%d/%m/%Y}"
        if int(last["membres"])
        else f"Aucune des {members_word} n'est membre au {today:%d/%m/%Y}"
    )
    if joined == 0:
        return head + " ; leurs dates d'entrée ne sont pas connues."
    busiest = table.loc[table["entrees"].idxmax()]
    departures = _plural(left, "sortie", "sorties") if left else "aucune sortie"
    return (
        f"{head} ; {_plural(joined, 'entrée', 'entrées')} depuis "
        f"{since_period(str(table.iloc[0]['periode']))} et {departures} ; "
        f"le plus d'entrées : {format_period(str(busiest['periode']))} "
        f"({format_int(int(busiest['entrees']))})."
    )


def members_map_summary(table: pd.DataFrame, members_word: str, area: str | None) -> str:
    """``table`` from ``members_map_dataset``: per département, or the communes of ``area``."""
    if area is None:
        with_members = table[table["membres"] > 0]
        total = int(table["membres"].sum())
        if with_members.empty:
            return f"Aucune des {members_word} membres n'est située sur la carte."
        top = with_members.sort_values(["membres", "nom"], ascending=[False, True]).iloc[0]
        return (
            f"{format_int(total)} {members_word} membres dans "
            f"{_plural(len(with_members), 'département', 'départements')} sur {len(table)} ; "
            f"le plus : {top['nom']} ({format_int(int(top['membres']))})."
        )
    members = table[table["membre"] == "oui"]
    if members.empty:
        return f"{area} : aucune commune dans le programme."
    communes = f"{_plural(len(members), 'commune', 'communes')} sur {format_int(len(table))}"
    if (members["code_membre"] == members["code"]).all():  # the communes are the members
        names = members["nom"].tolist()
        return f"{area} : {communes} dans le programme ({_list(names)})."
    names = members.drop_duplicates("code_membre")["territoire_membre"].tolist()
    return (
        f"{area} : {_plural(len(names), 'intercommunalité membre', 'intercommunalités membres')} "
        f"({_list(names)}), soit {communes}."
    )


def _list(names: list[str], most: int = 5) -> str:
    return ", ".join(names[:most]) + (" …" if len(names) > most else "")


def progress_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return (
            "Aucun indicateur de ce programme n'a de cible chiffrée pour ses membres : "
            "la chaîne de résultats ci-dessous montre leur évolution."
        )
    counts = table["statut"].fillna("").value_counts()
    parts = [
        f"{format_int(int(counts[status]))} {words[0] if counts[status] == 1 else words[1]}"
        for status, words in PROGRESS_WORDS.items()
        if counts.get(status, 0)
    ]
    sentence = f"{_plural(len(table), 'cible suivie', 'cibles suivies')} : {', '.join(parts)}"
    late = table[table["statut"] == "late"]
    if not late.empty:
        worst = late.loc[(late["progression_attendue"] - late["progression"]).idxmax()]
        sentence += (
            f" ; la plus en retard : {worst['libelle']} ({worst['portee']}), "
            f"{percent(worst['progression'])} du chemin {at_period(str(worst['periode']))} "
            f"pour {percent(worst['progression_attendue'])} du temps écoulé"
        )
    return sentence + "."


def chain_summary(table: pd.DataFrame) -> str:
    """``table`` from ``chain_dataset`` (long: one row per indicator and period)."""
    if table.empty:
        return "Aucun indicateur n'est rattaché à ce programme."
    per_indicator = table.groupby("indicateur", sort=False)
    levels = per_indicator["niveau_chaine"].first().value_counts()
    parts = [
        _plural(int(levels[level]), f"indicateur {one}", f"indicateurs {many}")
        for level, (one, many) in CHAIN_NAMES.items()
        if level in levels
    ]
    with_values = [frame for _, frame in per_indicator if frame["valeur"].notna().any()]
    rising = falling = 0
    for frame in with_values:
        values = frame["valeur"].dropna()
        change = values.iloc[-1] - values.iloc[0]
        rising += change > 0
        falling += change < 0
    total = per_indicator.ngroups
    return (
        f"{_plural(total, 'indicateur', 'indicateurs')} ({', '.join(parts)}) ; "
        f"{format_int(len(with_values))} ont des valeurs pour les membres, "
        f"{format_int(rising)} en hausse et {format_int(falling)} en baisse sur la période."
    )


def trend_summary(table: pd.DataFrame, label: str, unit: str) -> str:
    """``table`` from ``programme_trend_dataset``: the members' line first, then the others
    and the targets."""
    if table.empty:
        return f"{label} : aucune valeur pour les membres du programme."
    members = table[(table["code"] == table["code"].iloc[0]) & (table["statut"] == "ok")]
    if members.empty:
        return f"{label} : aucune valeur pour les membres du programme."
    first, last = members.iloc[0], members.iloc[-1]
    sentence = (
        f"{label}, membres du programme : {format_value(float(last['valeur']), unit)} "
        f"{at_period(str(last['periode']))}"
    )
    if len(members) > 1:
        change = float(last["valeur"]) - float(first["valeur"])
        trend = "en hausse" if change > 0 else "en baisse" if change < 0 else "stable"
        sentence += (
            f", {trend} depuis {since_period(str(first['periode']))} "
            f"({format_value(float(first['valeur']), unit)})"
        )
    targets = table[table["nature"] == "cible"].groupby("serie", sort=False).last()
    for name, row in targets.iterrows():
        sentence += (
            f" ; {str(name).lower()} : {format_value(float(row['valeur']), unit)} "
            f"{at_period(str(row['periode']))}"
        )
    return sentence + "."
