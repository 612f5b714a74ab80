"""The French sentences of ``/import`` that help prepare a file: the period formats, the template
and the indicator codes of the partner. The period examples come from the parser's own written
forms (:func:`indicators.ingest.period_formats.written_forms`), so the help cannot drift from what
the ingest reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard.formatting import format_period
from indicators.french import plural
from indicators.ingest.period_formats import written_forms
from indicators.periods import Period, PeriodKind, period_containing

KIND_NAMES = {
    PeriodKind.YEAR: "Une année",
    PeriodKind.SEMESTER: "Un semestre",
    PeriodKind.QUARTER: "Un trimestre",
    PeriodKind.MONTH: "Un mois",
}
PERIOD_HELP_INTRO = (
    "Dans la colonne « periode », écrivez le code de la période. Les autres formes ci-dessous "
    "sont lues aussi, et ramenées au code."
)
PERIOD_HELP_PROFILES = (
    "Un profil d'import peut lire d'autres formes (dates comme 31/07/2026, années sur deux "
    "chiffres) : choisissez-le dans la liste « Profil d'import »."
)
CHOOSE_PARTNER = "Choisissez un partenaire pour télécharger son modèle à remplir."
TEMPLATE_LINK = "Télécharger le modèle à remplir"
CODES_LINK = "Codes des indicateurs"


@dataclass(frozen=True)
class PeriodExample:
    """One line of the period help: ``2e trimestre 2026`` is written ``2026-T2`` (or …)."""

    kind: str
    period: Period
    words: str
    code: str
    variants: tuple[str, ...]


def period_examples(today: date) -> list[PeriodExample]:
    """One example per kind of period, the one containing ``today``."""
    examples = []
    for kind, name in KIND_NAMES.items():
        period = period_containing(today, kind)
        code, *variants = written_forms(period)
        examples.append(PeriodExample(name, period, format_period(code), code, tuple(variants)))
    return examples


def periods_in_words(periods: list[Period]) -> str:
    """``3e trimestre 2026 (à écrire 2026-T3)``: a period named in words always gives its code
    (a year is its own code)."""
    return ", ".join(
        format_period(str(p))
        if p.kind is PeriodKind.YEAR
        else f"{format_period(str(p))} (à écrire {p})"
        for p in periods
    )


def period_with_code(code: str) -> str:
    """``3e trimestre 2026 (2026-T3)``; a year is its own code."""
    words = format_period(code)
    return words if words == code else f"{words} ({code})"


def file_loaded(filename: str, load_id: int) -> str:
    return (
        f"« {filename} » a été chargé (chargement n°{load_id}). Pour envoyer un autre fichier, "
        "déposez-le ci-dessus."
    )


def template_contents(partner: str, indicators: int, periods: list[Period]) -> str:
    if not indicators:
        return f"{partner} ne fournit aucun indicateur de base : le modèle est vide."
    due = periods_in_words(periods)
    return (
        f"{plural(indicators, 'indicateur')} de {partner} × départements, régions et France, "
        f"pour les périodes dues : {due}. Remplissez la colonne « valeur » et supprimez les "
        "lignes que vous ne fournissez pas (une valeur vide est chargée comme manquante)."
    )
