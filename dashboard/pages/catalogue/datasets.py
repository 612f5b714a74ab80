"""The catalogue's table: the indicators matching a search and filters, as shown on
``/indicateurs`` and served as the ``indicateurs`` export."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from dashboard.routes.exports import register_dataset
from indicators.catalogue import Indicator
from indicators.territories.folding import fold

CATALOGUE_COLUMNS = [
    "code",
    "libelle",
    "description",
    "theme",
    "unite",
    "nature",
    "periodicite",
    "chaine_resultats",
    "dernier_kilometre",
    "mesures",
    "programmes",
    "partenaire",
    "partenaire_nom",
    "adresse",
]


def matches(definition: Indicator, words: list[str]) -> bool:
    """Every folded word of the query appears in the code, label or description."""
    haystack = fold(f"{definition.code} {definition.label} {definition.description}")
    return all(word in haystack for word in words)


def filter_indicators(
    query: str | None = None,
    measure: str | None = None,
    programme: str | None = None,
    partner: str | None = None,
    chain: str | None = None,
    theme: str | None = None,
) -> list[Indicator]:
    """Indicators matching the text (accents, case and punctuation ignored) and every filter
    given, in catalogue order."""
    words = fold(query or "").split()
    return [
        definition
        for definition in readers.catalogue().indicators.values()
        if (not measure or measure in definition.measures)
        and (not programme or programme in definition.programmes)
        and (not partner or definition.partner == partner)
        and (not chain or definition.chain_level.value == chain)
        and (not theme or definition.theme == theme)
        and matches(definition, words)
    ]


def catalogue_dataset(
    query: str | None = None,
    measure: str | None = None,
    programme: str | None = None,
    partner: str | None = None,
    chain: str | None = None,
    theme: str | None = None,
) -> pd.DataFrame:
    """The filtered list as shown on ``/indicateurs``, one row per indicator."""
    catalogue = readers.catalogue()
    rows = []
    for definition in filter_indicators(query, measure, programme, partner, chain, theme):
        partner_entry = catalogue.partners.get(definition.partner)
        theme_entry = catalogue.themes.get(definition.theme)
        rows.append(
            {
                "code": definition.code,
                "libelle": definition.label,
                "description": definition.description,
                "theme": theme_entry.label if theme_entry else definition.theme,
                "unite": definition.unit,
                "nature": definition.kind.label,
                "periodicite": definition.periodicity.label,
                "chaine_resultats": definition.chain_level.label,
                "dernier_kilometre": "oui" if definition.last_mile else "non",
                "mesures": ", ".join(definition.measures),
                "programmes": ", ".join(definition.programmes),
                "partenaire": definition.partner,
                "partenaire_nom": partner_entry.name if partner_entry else definition.partner,
                "adresse": f"/indicateur/{definition.code}",
            }
        )
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


register_dataset(
    "indicateurs",
    catalogue_dataset,
    ("q", "mesure", "programme", "partenaire", "chaine", "theme"),
)
