"""The design a frozen report cites: a saved version, never a passing proposal.

A report must name a design that stays readable: when the measure has no saved design yet, the
automatic proposal is saved as its first version (and the report says who froze it).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.evaluation.designs import Design, load_design, save_design
from indicators.evaluation.proposal import propose_design

FROZEN_COMMENT = "proposition automatique, enregistrée pour un rapport figé"


def design_to_freeze(
    session: Session,
    catalogue: Catalogue,
    measure: str,
    version: int | None = None,
    *,
    author: str | None = None,
) -> Design:
    """The given saved version, else the latest one, else the proposal saved as version 1.

    Raises ``ValueError`` (French) for an unknown measure or a version that does not exist."""
    if measure not in catalogue.measures:
        raise ValueError(f"mesure inconnue : {measure}")
    if version is not None:
        found = load_design(session, measure, version)
        if found is None:
            raise ValueError(f"la mesure {measure} n'a pas de plan d'évaluation version {version}")
        return found
    latest = load_design(session, measure)
    if latest is not None:
        return latest
    proposal = propose_design(session, catalogue, measure)
    return save_design(session, proposal, author=author, comment=FROZEN_COMMENT)
