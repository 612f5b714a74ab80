"""The French sentences of ``/territoire/<code>``'s "Mes programmes"."""

from __future__ import annotations

from dashboard.formatting import format_int, format_period, format_value
from dashboard.pages.territoire.datasets import DEPARTEMENT, MEMBERS, SAME_TYPE

NO_PROGRAMME = "Ce territoire n'est membre d'aucun programme enregistré."
NO_INDICATOR = "Aucun indicateur de ce programme n'est publié à ce niveau de territoire."

# why a comparison has no line, said rather than drawn as zeros
MISSING = {
    MEMBERS: "aucun autre membre du programme n'a transmis de valeur",
    DEPARTEMENT: "pas de valeur pour le département",
    SAME_TYPE: "pas de médiane des territoires de même type",
}
SUM_NOT_COMPARED = "le total du département n'est pas comparable à celui d'un territoire"


# the single-indicator chart: a type median at 0 at every period (most territories report
# nothing of a count) would be a flat line that says nothing (issue #16)
FLAT_ZERO_MEDIAN = (
    "La médiane des territoires de même type vaut 0 à chaque période : elle n'est pas tracée."
)


# a card's own short words; the section's note under the cards says why, once (issue #16)
COUNTED_CARD = "Comptage : sans le département (voir la note sous les graphiques)."
FLAT_ZERO_CARD = "Médiane du même type à 0 : non tracée (voir la note sous les graphiques)."


def missing_comparisons(drawn: set[str], expected: list[str], counted: bool) -> str | None:
    """« Comparaisons absentes : … » for the comparisons that have no value at all; a count's
    missing département is a short mark, its reason being in the section's note."""
    reasons = [MISSING[c] for c in expected if c not in drawn]
    sentences = [f"Comparaisons absentes : {' ; '.join(reasons)}."] if reasons else []
    if counted:
        sentences.append(COUNTED_CARD)
    return " ".join(sentences) or None


def _listing(labels: list[str]) -> str:
    quoted = [f"« {label} »" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} et {quoted[-1]}"


def section_note(counted: list[str], flat_zero: list[str]) -> str | None:
    """Once per programme: why counts have no département line and why a type median that is
    0 at every period is not drawn, naming the indicators concerned."""
    sentences = []
    if counted:
        which = "l'indicateur" if len(counted) == 1 else "les indicateurs"
        sentences.append(
            f"Pour {which} de comptage {_listing(counted)}, {SUM_NOT_COMPARED} : "
            "il n'est pas tracé."
        )
    if flat_zero:
        sentences.append(
            f"Pour {_listing(flat_zero)}, {FLAT_ZERO_MEDIAN[0].lower()}{FLAT_ZERO_MEDIAN[1:]}"
        )
    return " ".join(sentences) or None


def comparison_summary(
    name: str,
    label: str,
    unit: str,
    period: str | None,
    own: float | None,
    others: dict[str, float],
) -> str:
    """The mini-chart's text alternative: the latest value and the comparisons at that period."""
    if period is None or own is None:
        return f"{label} : aucune valeur transmise pour {name}."
    parts = [f"{label}, {format_period(period)} : {name} {format_value(own, unit)}"]
    parts += [f"{series} {format_value(value, unit)}" for series, value in others.items()]
    return " ; ".join(parts) + "."


def members_note(count: int) -> str:
    return f"{format_int(count)} autres membres au même niveau de territoire."


def members_inside(count: int) -> str:
    return "1 territoire membre" if count == 1 else f"{format_int(count)} territoires membres"
