"""The evaluation page's design registry: which design a page shows, and the evaluator's pins and
exclusions, each saved as a new version.

The page's ``evaluation-plan`` select holds either a saved design's id (as text) or
:data:`PROPOSAL` (the automatic proposal, when the measure has no saved design yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy.exc import IntegrityError

from dashboard import readers
from dashboard.context import db_session
from indicators.evaluation import (
    Design,
    adjust_design,
    list_designs,
    load_design,
    load_design_by_id,
    propose_design,
    save_design,
)
from indicators.evaluation.designs import ORIGIN_LABELS
from indicators.territories.search import search

PROPOSAL: Final = "proposition"
SAVE_LABEL: Final = "Enregistrer la proposition comme version du plan"
SAVED_PROPOSAL_COMMENT: Final = "proposition automatique, enregistrée par l'évaluateur"
Change = Literal["pin", "exclude", "unpin", "include"]


class PlanError(ValueError):
    """A change the evaluator must fix; the message is French."""


@dataclass(frozen=True)
class Saved:
    design: Design
    message: str


def plan_options(measure: str) -> list[dict[str, str]]:
    """Saved versions, newest first; the automatic proposal when there is none."""
    with db_session() as session:
        frame = list_designs(session, measure)
    if frame.empty:
        return [{"label": "Proposition automatique (non enregistrée)", "value": PROPOSAL}]
    return [
        {
            "label": (
                f"Version {row.version} — {row.created_at:%d/%m/%Y %H:%M} — "
                f"{row.author or 'auteur inconnu'} ({row.n_test} test / "
                f"{row.n_comparison} témoins)"
            ),
            "value": str(row.id),
        }
        for row in frame.itertuples(index=False)
    ]


def plan_key(plan: str | None) -> int:
    """A saved design's id, 0 for the latest one (or the proposal when none is saved)."""
    if plan in (None, "", PROPOSAL):
        return 0
    try:
        return int(str(plan))
    except ValueError:
        return 0


def design_of(measure: str, plan: str | None) -> Design:
    """The design the page shows: the chosen version, else the latest, else the proposal."""
    key = plan_key(plan)
    with db_session() as session:
        found = load_design_by_id(session, key) if key else load_design(session, measure)
        if found is not None and found.measure == measure:
            return found
        return propose_design(session, readers.catalogue(), measure)


def resolve_territory(text: str | None, levels: tuple[str, ...]) -> str:
    """A typed code from a code or a name typed by the evaluator; ``PlanError`` otherwise."""
    query = (text or "").strip()
    if not query:
        raise PlanError("Saisissez le code INSEE ou le nom d'un territoire.")
    allowed = [level for level in levels] or ["COM"]
    found = search(readers.search_index(), query, limit=6, levels=allowed)  # type: ignore[arg-type]
    if not found:
        raise PlanError(
            f"Territoire introuvable : « {query} ». Saisissez un code INSEE (ex. 2A004) ou le nom "
            "exact d'une commune."
        )
    exact = [hit for hit in found if hit.match in ("code", "name")]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0].code
    choices = " ; ".join(f"{hit.name} ({hit.local_code})" for hit in found[:5])
    raise PlanError(f"« {query} » désigne plusieurs territoires : {choices}. Précisez le code.")


def change_design(
    base: Design,
    change: Change,
    territory: str,
    *,
    author: str,
    comment: str | None,
) -> Saved:
    """Apply one change to ``base`` (the design shown), re-run the matching and save the result
    as a new version."""
    comparisons = {unit.territory for unit in base.units if unit.role == "comparison"}
    tests = {unit.territory for unit in base.units if unit.role == "test"}
    name = _name(territory)
    if change == "exclude" and territory not in comparisons:
        reason = "c'est un territoire test" if territory in tests else "il n'est pas témoin"
        raise PlanError(f"{name} ne peut pas être exclu des témoins : {reason}.")
    if change == "pin" and territory in tests:
        raise PlanError(f"{name} est un territoire test : il ne peut pas servir de témoin.")
    arguments = {"pin": (), "unpin": (), "exclude": (), "include": ()}
    arguments[change] = (territory,)
    with db_session() as session:
        try:
            adjusted = adjust_design(
                session,
                readers.catalogue(),
                base,
                pin=arguments["pin"],
                unpin=arguments["unpin"],
                exclude=arguments["exclude"],
                include=arguments["include"],
            )
        except ValueError as error:
            raise PlanError(str(error)) from None
        try:
            saved = save_design(
                session,
                adjusted,
                author=author,
                comment=(comment or "").strip() or _why(change, name),
            )
            session.commit()
        except IntegrityError:  # two evaluators saved the same version number at once
            session.rollback()
            raise PlanError(
                "Une autre version du plan vient d'être enregistrée : choisissez-la dans la "
                "liste des versions, puis recommencez."
            ) from None
    counts = saved.counts()
    return Saved(
        saved,
        f"Plan enregistré : version {saved.version} ({_why(change, name)}) — "
        f"{int(counts['test'].sum())} territoires test, "
        f"{int(counts['comparison'].sum())} témoins.",
    )


def save_proposal(measure: str, *, author: str, comment: str | None) -> Saved:
    """Save the automatic proposal as the measure's first version, under the evaluator's name:
    the explicit step before a frozen report (downloading saves nothing)."""
    if not author:
        raise PlanError("Connectez-vous avec un compte d'évaluateur pour enregistrer un plan.")
    with db_session() as session:
        if load_design(session, measure) is not None:
            raise PlanError(
                "Cette mesure a déjà un plan enregistré : rien à enregistrer. Choisissez sa "
                "version dans la liste, ou ajustez-la (épingler, exclure)."
            )
        proposal = propose_design(session, readers.catalogue(), measure)
        try:
            saved = save_design(
                session,
                proposal,
                author=author,
                comment=(comment or "").strip() or SAVED_PROPOSAL_COMMENT,
            )
            session.commit()
        except IntegrityError:
            session.rollback()
            raise PlanError(
                "Une autre version du plan vient d'être enregistrée : choisissez-la dans la "
                "liste des versions."
            ) from None
    counts = saved.counts()
    return Saved(
        saved,
        f"Plan enregistré : version {saved.version}, à votre nom ({author}) — "
        f"{int(counts['test'].sum())} territoires test, "
        f"{int(counts['comparison'].sum())} témoins.",
    )


def choice_options(design: Design) -> list[dict[str, str]]:
    """The evaluator's current pins and exclusions, each of which can be withdrawn."""
    options = [
        {"label": f"{_name(code)} — {ORIGIN_LABELS['pinned']}", "value": f"unpin:{code}"}
        for code in design.pins
    ]
    options += [
        {"label": f"{_name(code)} — exclu par l'évaluateur", "value": f"include:{code}"}
        for code in design.exclusions
    ]
    return options


def _name(code: str) -> str:
    try:
        return f"{readers.referential().territory(code).name} ({code.split(':')[-1]})"
    except KeyError:
        return code


def _why(change: Change, name: str) -> str:
    return {
        "pin": f"{name} épinglé comme témoin",
        "exclude": f"{name} exclu des témoins",
        "unpin": f"épingle de {name} retirée",
        "include": f"{name} réintégré parmi les témoins possibles",
    }[change]
