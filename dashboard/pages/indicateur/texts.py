"""The indicator page's French sentences: one per chart (see
:mod:`dashboard.summaries` for the map's)."""

from __future__ import annotations

import pandas as pd

from dashboard.formatting import (
    format_datetime,
    format_int,
    format_number,
    format_period,
    plural,
)
from dashboard.formatting import format_value as _format_value
from dashboard.summaries import total_coverage
from indicators.territories.levels import MAP_LEVEL_CHOICES

DIRECTION_WORDS = {
    "up": "une valeur élevée est favorable",
    "down": "une valeur basse est favorable",
    "neutral": "ni la hausse ni la baisse n'est un objectif en soi",
}

LEVEL_CHOICES = MAP_LEVEL_CHOICES
DIRECTIONS = {
    "up": "à la hausse",
    "down": "à la baisse",
    "neutral": "aucun (indicateur de contexte)",
}
KINDS = {
    "base": "de base : valeurs chargées par le partenaire",
    "derived": "calculé à partir d'autres indicateurs",
}
CHAIN_HELP = {
    "input": "les moyens engagés",
    "output": "ce que l'action produit",
    "outcome": "ce qui change pour les habitants et les territoires",
    "impact": "l'effet durable recherché",
}
FIELD_NAMES = {
    "label": "libellé",
    "description": "description",
    "theme": "thème",
    "unit": "unité",
    "factor": "facteur",
    "direction": "sens souhaité",
    "kind": "nature",
    "formula": "formule",
    "aggregation": "agrégation",
    "numerator": "numérateur",
    "denominator": "dénominateur",
    "weight": "pondération",
    "periodicity": "périodicité",
    "publication_lag_months": "délai de publication",
    "levels": "niveaux",
    "chain_level": "chaîne de résultats",
    "last_mile": "dernier kilomètre",
    "measures": "mesures",
    "programmes": "programmes",
    "partner": "partenaire",
    "range": "plage de valeurs",
    "baseline": "référence",
    "targets": "cibles",
    "source": "source",
    "licence": "licence",
}
SECTIONS = [
    ("indicateur-fiche-titre", "Fiche"),
    ("indicateur-cibles-titre", "Cibles"),
    ("indicateur-versions-titre", "Versions"),
    ("indicateur-carte-title", "Carte"),
    ("indicateur-classement-title", "Classement"),
    ("indicateur-distribution-title", "Distribution"),
    ("indicateur-evolution-title", "Évolution"),
    ("indicateur-couverture-title", "Couverture"),
    ("indicateur-provenance-titre", "Provenance"),
]


FEMININE = {"régions", "intercommunalités", "communes"}


def agree(adjective: str, noun_plural: str) -> str:
    """``agree("renseignés", "communes")`` -> ``"renseignées"``: the adjective takes the gender
    of the territories it qualifies (written in the masculine plural)."""
    return adjective[:-1] + "es" if noun_plural in FEMININE else adjective


def format_value(value: float, unit: str) -> str:
    return _format_value(float(value), unit)


def ranking_summary(
    table: pd.DataFrame, total: int, unit: str, period: str, level_plural: str, direction: str
) -> str:
    """``table``: a ranking dataset, highest first; ``total``: territories that reported."""
    if table.empty:
        return f"{format_period(period)} : aucune valeur à classer pour les {level_plural}."
    top, bottom = table.iloc[0], table.iloc[-1]
    reported = agree("renseignés", level_plural)
    # both ends by their ranks: a highlighted territory from the middle is in neither
    ranks = [int(rank) for rank in table["rang"]]
    highest = next((i for i, rank in enumerate(ranks) if rank != i + 1), len(ranks))
    lowest = next((j for j, rank in enumerate(ranks[::-1]) if rank != total - j), len(ranks))
    shown = (
        f"les {format_int(len(table))} {level_plural} {reported}"
        if len(table) >= total
        else f"les {format_int(highest)} {agree('plus élevés', level_plural)} et les "
        f"{format_int(lowest)} plus faibles des "
        f"{format_int(total)} {level_plural} {reported}"
    )
    sentence = f"{format_period(period)}, {shown} : "
    if len(table) == 1:
        sentence += f"{top['nom']}, {format_value(top['valeur'], unit)}"
    else:
        sentence += (
            f"de {format_value(top['valeur'], unit)} ({top['nom']}) "
            f"à {format_value(bottom['valeur'], unit)} ({bottom['nom']})"
        )
    return f"{sentence} ; {DIRECTION_WORDS.get(direction, DIRECTION_WORDS['neutral'])}."


def distribution_summary(
    table: pd.DataFrame, values: pd.Series, unit: str, period: str, level_plural: str
) -> str:
    """``table``: a distribution dataset; ``values``: the reported values it counts."""
    bins = table[table["nature"] == "classe"]
    if bins.empty or values.empty:
        return f"{format_period(period)} : aucune valeur pour les {level_plural}."
    q1, median, q3 = (float(values.quantile(q)) for q in (0.25, 0.5, 0.75))
    fullest = bins.loc[bins["territoires"].idxmax()]
    sentence = (
        f"{format_period(period)} : la moitié des {format_int(len(values))} {level_plural} "
        f"{agree('renseignés', level_plural)} se situe entre {format_value(q1, unit)} "
        f"et {format_value(q3, unit)} "
        f"(médiane {format_value(median, unit)}) ; la classe la plus fournie va de "
        f"{format_value(fullest['borne_basse'], unit)} à "
        f"{format_value(fullest['borne_haute'], unit)} "
        f"({plural(int(fullest['territoires']), level_plural.rstrip('s'), level_plural)})"
    )
    france = table[table["nature"] == "France"]
    if not france.empty:
        sentence += f" ; France entière : {format_value(france['valeur'].iloc[0], unit)}"
    return sentence + "."


def trend_summary(
    table: pd.DataFrame,
    label: str,
    unit: str,
    aggregation: str | None = None,
    base_level: str | None = None,
) -> str:
    """``table``: a trend dataset (series ``France`` and the size classes, then targets). With
    the indicator's ``aggregation`` and ``base_level``, the latest France value says how many
    territories it rests on."""
    values = table[(table["nature"] == "valeur") & (table["statut"] == "ok")]
    if values.empty:
        return f"{label} : aucune valeur nationale ni par taille de territoire."
    france = values[values["code"] == "FR"]
    parts = []
    if not france.empty:
        first, last = france.iloc[0], france.iloc[-1]
        if len(france) == 1:
            parts.append(
                f"France : {format_value(last['valeur'], unit)} ({format_period(last['periode'])})"
            )
        else:
            change = last["valeur"] - first["valeur"]
            trend = "en hausse" if change > 0 else "en baisse" if change < 0 else "stable"
            parts.append(
                f"France : {format_value(last['valeur'], unit)} "
                f"({format_period(last['periode'])}), {trend} depuis "
                f"{format_period(first['periode'])} ({format_value(first['valeur'], unit)})"
            )
        if aggregation and base_level and "territoires_attendus" in france:
            coverage = _france_coverage(last, aggregation, base_level)
            if coverage:
                parts.append(f"{coverage} en {format_period(last['periode'])}")
    classes = values[values["code"].str.startswith("TYPE:")]
    if not classes.empty:
        latest = classes["periode"].max()
        at_latest = classes[classes["periode"] == latest]
        high = at_latest.loc[at_latest["valeur"].idxmax()]
        low = at_latest.loc[at_latest["valeur"].idxmin()]
        if len(at_latest) > 1:
            parts.append(
                f"en {format_period(latest)}, valeur la plus haute pour les "
                f"{high['serie'][0].lower()}{high['serie'][1:]} "
                f"({format_value(high['valeur'], unit)}), la plus basse pour les "
                f"{low['serie'][0].lower()}{low['serie'][1:]} ({format_value(low['valeur'], unit)})"
            )
    targets = table[table["nature"] == "cible"]
    if not targets.empty:
        final = targets.sort_values("periode").groupby("serie", sort=False).tail(1)
        parts.append(
            "cibles : "
            + ", ".join(
                f"{format_value(row['valeur'], unit)} en {format_period(row['periode'])} "
                f"({row['serie'].removeprefix('Cible — ').removeprefix('Cible ').strip('()')})"
                for _, row in final.iterrows()
            )
        )
    else:
        parts.append("pas de cible nationale ni par taille")
    return f"{label} — " + " ; ".join(parts) + "."


def _france_coverage(row: pd.Series, aggregation: str, base_level: str) -> str:
    expected, reported = row["territoires_attendus"], row["territoires_renseignes"]
    if pd.isna(expected) or pd.isna(reported):
        return ""
    return total_coverage("France", aggregation, int(reported), int(expected), base_level)


def coverage_summary(table: pd.DataFrame, level_plural: str) -> str:
    """``table``: a coverage dataset, oldest period first."""
    if table.empty:
        return "Aucune valeur agrégée pour la France : la couverture ne peut pas être calculée."
    last = table.iloc[-1]
    rate = table["taux_couverture"]
    sentence = (
        f"{format_period(last['periode'])} : {format_int(int(last['renseignes']))} "
        f"{level_plural} {agree('renseignés', level_plural)} sur "
        f"{format_int(int(last['attendus']))} {agree('attendus', level_plural)} "
        f"({format_number(last['taux_couverture'])} %)"
    )
    if len(table) > 1 and rate.notna().any():
        low = table.loc[rate.idxmin()]
        high = table.loc[rate.idxmax()]
        if format_number(low["taux_couverture"]) == format_number(high["taux_couverture"]):
            sentence += f" ; couverture stable sur {plural(len(table), 'période')}"
        else:
            sentence += (
                f" ; sur {plural(len(table), 'période')}, la couverture va de "
                f"{format_number(low['taux_couverture'])} % ({format_period(low['periode'])}) "
                f"à {format_number(high['taux_couverture'])} % ({format_period(high['periode'])})"
            )
    secret = int(last["secret"])
    if secret:
        sentence += (
            f" ; {plural(secret, level_plural.rstrip('s'), level_plural)} sous secret statistique"
        )
    return sentence + "."


def lineage_summary(loads: pd.DataFrame, computed: pd.DataFrame, period: str) -> str:
    """``loads``: a lineage loads dataset; ``computed``: a lineage computed dataset."""
    parts = []
    if loads.empty:
        parts.append("aucune valeur chargée")
    else:
        count = loads["chargement"].nunique(dropna=True)
        people = sorted(set(loads["utilisateur"]) - {"—"})
        latest = pd.to_datetime(loads["date"]).max()
        parts.append(
            f"{plural(int(loads['valeurs'].sum()), 'valeur chargée', 'valeurs chargées')} "
            f"par {plural(int(count), 'chargement')}"
            + (f" ({', '.join(people)})" if people else "")
            + (f", le dernier le {format_datetime(latest)}" if pd.notna(latest) else "")
        )
    if not computed.empty:
        versions = sorted({int(v) for v in computed["version"].dropna()})
        words = ", ".join(str(v) for v in versions) or "inconnue"
        parts.append(
            f"{plural(int(computed['valeurs'].sum()), 'valeur calculée', 'valeurs calculées')} "
            f"avec la version {words} de la définition"
        )
    return f"{format_period(period)} : " + " ; ".join(parts) + "."
