"""The catalogue's French sentences and the labels of its filters."""

from __future__ import annotations

from dashboard import readers
from dashboard.formatting import format_int, plural
from indicators.catalogue import ChainLevel

# query parameter -> (component id, French label, placeholder)
FILTERS = {
    "mesure": ("catalogue-mesure", "Mesure", "Toutes les mesures"),
    "programme": ("catalogue-programme", "Programme", "Tous les programmes"),
    "partenaire": ("catalogue-partenaire", "Partenaire", "Tous les partenaires"),
    "chaine": ("catalogue-chaine", "Chaîne de résultats", "Tous les niveaux"),
    "theme": ("catalogue-theme", "Thème", "Tous les thèmes"),
}


def catalogue_summary(shown: int, total: int, criteria: list[str]) -> str:
    """``criteria``: the active filters, already in French (« mesure M1 », « texte “santé” »)."""
    if not criteria:
        return f"{plural(total, 'indicateur')} au catalogue."
    found = (
        "Aucun indicateur ne correspond"
        if shown == 0
        else f"{plural(shown, 'indicateur')} sur {format_int(total)} "
        + ("correspond" if shown == 1 else "correspondent")
    )
    return f"{found} à : {', '.join(criteria)}."


def criteria_words(
    query: str | None,
    measure: str | None,
    programme: str | None,
    partner: str | None,
    chain: str | None,
    theme: str | None,
) -> list[str]:
    """The active filters in French, for the count sentence."""
    catalogue = readers.catalogue()
    words = []
    if query and query.strip():
        words.append(f"« {query.strip()} »")
    if measure:
        words.append(f"mesure {measure}")
    if programme:
        entry = catalogue.programmes.get(programme)
        words.append(f"programme {entry.label if entry else programme}")
    if partner:
        found = catalogue.partners.get(partner)
        words.append(f"partenaire {found.name if found else partner}")
    if chain:
        words.append(f"chaîne de résultats « {ChainLevel(chain).label} »")
    if theme:
        found_theme = catalogue.themes.get(theme)
        words.append(f"thème « {found_theme.label if found_theme else theme} »")
    return words
