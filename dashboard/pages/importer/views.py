"""What the import page shows after a check or a load: ``check_outputs`` and ``load_outputs``
are pure of Dash's request, so tests call them without HTTP."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from dash import dcc, html, no_update

from dashboard import readers
from dashboard.auth import NotAllowed, User
from dashboard.context import app_context, db_session
from dashboard.import_views import counts_list, dry_run_report
from dashboard.pages.importer import texts
from dashboard.pages.importer.uploads import UploadExpired, kept_upload
from dashboard.routes.corrections import keep_corrections
from dashboard.routes.errors import DATABASE_MESSAGES
from dashboard.routes.partner_templates import template_href
from indicators.accounts import record_event
from indicators.catalogue import Kind
from indicators.french import plural
from indicators.ingest import (
    MEGABYTE,
    Analysis,
    LoadOptions,
    LoadOutcome,
    ProfileError,
    ProfileNotFound,
    ProgressCallback,
    RawFileNotStored,
    analyse,
    commit_analysis,
    get_profile,
)
from indicators.ingest.templates import partner_due_periods
from indicators.periods import parse_period
from indicators.store import DatabaseError, database_errors

AUTO_PROFILE = ""


UPLOAD_NOT_STORED = {
    "disk-full": (
        "Le serveur n'a plus de place pour enregistrer ce fichier : rien n'a été enregistré. "
        "Prévenez l'administrateur du service, puis déposez le fichier de nouveau."
    ),
}


UNLOADED_KEPT_S = 24 * 3600  # an upload never loaded is deleted a day later


def max_bytes() -> int:
    return int(app_context().settings.max_upload_mb) * MEGABYTE


def _analyse(
    stored: dict[str, Any],
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    user: User,
    progress: ProgressCallback | None,
) -> Analysis:
    """The dry run of the kept file, as ``suivi load --dry-run`` does it; a déposant's load is
    checked by the core against its partner (``partner_scope``)."""
    settings = app_context().settings
    if user.partner_scope and partner != user.partner_scope:
        raise NotAllowed(
            f"Vous chargez pour le partenaire {user.partner_scope} uniquement : choisissez-le "
            "dans la liste « Partenaire »."
        )
    upload = kept_upload(
        stored["token"], settings.raw_files_dir, settings.secret_key, user.username
    )
    load_options = LoadOptions(
        accept_partial="partial" in options,
        replace_scope="replace" in options,
        max_bytes=max_bytes(),
    )
    with db_session() as session:
        profile = get_profile(session, profile_id, partner) if profile_id else None
        return analyse(
            upload,
            catalogue=readers.catalogue(),
            referential=readers.referential(),
            session=session,
            profile=profile,
            partner_code=partner,
            options=load_options,
            progress=progress,
            partner_scope=user.partner_scope,
        )


def _request_key(
    stored: dict[str, Any], partner: str | None, profile_id: str | None, options: list[str]
) -> str:
    """What the dry run was asked: the load must be asked exactly the same."""
    text = json.dumps([stored["token"], partner or None, profile_id or None, sorted(options)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _to_bar(set_progress: Any) -> Any:
    """``(45, "Contrôle des valeurs — 45 %")`` to the bar and its label (``<progress>`` takes
    its value as text)."""
    return lambda pair: set_progress((str(pair[0]), pair[1]))


def _alert(message: str) -> html.P:
    return html.P(message, className="import-refused", role="alert")


def check_outputs(
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    user: User,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """The check callback's outputs by name: the report, whether the load button is disabled,
    the request key of a loadable file, and the (cleared) confirmation."""
    if not stored:
        return _refused(html.P("Déposez d'abord un fichier.", role="alert"))
    try:
        with database_errors():
            analysis = _analyse(stored, partner, profile_id, options, user, progress)
    except (UploadExpired, NotAllowed) as error:
        return _refused(_alert(str(error)))
    except DatabaseError as error:
        return _refused(_alert(DATABASE_MESSAGES[error.code]))
    except (ProfileNotFound, ProfileError) as error:
        return _refused(_alert(f"Profil d'import inutilisable : {error}"))
    loadable = analysis.verdict == "valid" and analysis.writes > 0
    key = _request_key(stored, partner, profile_id, options) if loadable else None
    report = dry_run_report(analysis, readers.referential().name, _corrections(analysis, user))
    return {"report": report, "disabled": not loadable, "key": key, "confirmation": None}


def _refused(message: Any) -> dict[str, Any]:
    return {"report": message, "disabled": True, "key": None, "confirmation": None}


def _corrections(analysis: Analysis, user: User) -> str | None:
    if not analysis.issues:
        return None
    return keep_corrections(analysis, user.username)


def load_outputs(
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    checked: str | None,
    user: User,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """After « Valider »: ``result`` replaces the dry run's report by what was loaded (or by the
    new report when the data changed since), ``file`` says the file was loaded (no more « cliquez
    sur Vérifier »), ``confirmation`` says why nothing was written, and ``disabled`` is the load
    button's. A refused load keeps the report and the file's line on screen."""
    if not stored or checked != _request_key(stored, partner, profile_id, options):
        message = "Le fichier ou les options ont changé : relancez la vérification."
        return _not_loaded(html.P(message, role="alert"), disabled=True)
    try:
        with database_errors():
            analysis = _analyse(stored, partner, profile_id, options, user, progress)
    except (UploadExpired, ProfileNotFound, ProfileError, NotAllowed) as error:
        return _not_loaded(_alert(str(error)), disabled=True)
    except DatabaseError as error:
        return _not_loaded(_alert(DATABASE_MESSAGES[error.code]), disabled=False)
    if analysis.verdict != "valid":
        # the data changed since the check, or the file is refused: nothing is written
        report = dry_run_report(analysis, readers.referential().name, _corrections(analysis, user))
        return {"result": report, "file": no_update, "confirmation": None, "disabled": True}
    try:
        with db_session() as session, session.begin():
            outcome = commit_analysis(
                session,
                analysis,
                catalogue=readers.catalogue(),
                raw_dir=app_context().settings.raw_files_dir,
                username=user.username or "web",
                partner_code=partner,
                progress=progress,
            )
            record_event(
                session,
                "load",
                username=user.username or None,
                ip=user.address,
                load_id=outcome.load_id,
                status=outcome.status,
                filename=analysis.upload.filename,
                partner=partner,
                counts=outcome.counts,
            )
    except DatabaseError as error:
        # nothing was written (another load holds the lock, the database went away…): the
        # same file can be loaded again as it is
        return _not_loaded(_alert(DATABASE_MESSAGES[error.code]), disabled=False)
    except RawFileNotStored as error:
        return _not_loaded(_alert(UPLOAD_NOT_STORED[error.code]), disabled=False)
    return {
        "result": loaded_panel(outcome, partner),
        "file": texts.file_loaded(analysis.upload.filename, outcome.load_id),
        "confirmation": None,
        "disabled": True,
    }


def _not_loaded(message: Any, disabled: bool) -> dict[str, Any]:
    return {"result": no_update, "file": no_update, "confirmation": message, "disabled": disabled}


def loaded_panel(outcome: LoadOutcome, partner: str | None) -> html.Div:
    """What was loaded, its counts, and where to see it: the load in the history, the values."""
    counts = outcome.counts
    if outcome.status == "unchanged":
        text = (
            f"Chargement n°{outcome.load_id} : rien n'a changé, les valeurs du fichier sont déjà "
            "en base."
        )
    else:
        text = (
            f"Chargement n°{outcome.load_id} enregistré : "
            f"{plural(counts['created'], 'valeur créée', 'valeurs créées')}, "
            f"{plural(counts['updated'], 'modifiée')}, {plural(counts['withdrawn'], 'retirée')}, "
            f"{plural(counts['rejected'], 'rejetée')}."
        )
    source = f"Fichier « {outcome.analysis.upload.filename} »"
    if partner:
        source += f", partenaire {partner}"
    return html.Div(
        [
            html.H2("Chargement terminé"),
            html.P(text, className="import-valid", id="import-load-id", role="status"),
            html.P(source + "."),
            counts_list(counts),
            html.P(
                dcc.Link(
                    f"Voir le chargement n°{outcome.load_id} dans l'historique",
                    href=f"/chargements?id={outcome.load_id}",
                    id="import-load-link",
                )
            ),
            *values_links(outcome.analysis),
        ],
        className="import-loaded",
    )


def values_links(analysis: Analysis) -> list[Any]:
    """One link per indicator written, to its page at the latest period and level loaded."""
    written = analysis.changes_table(("created", "updated", "withdrawn"))
    if written.empty:
        return []
    catalogue = readers.catalogue()
    items = []
    for code, rows in written.groupby("indicator", sort=True):
        latest = max(rows["period"], key=parse_period)
        levels = {str(t).partition(":")[0] for t in rows.loc[rows["period"] == latest, "territory"]}
        level = next((lv for lv in ("DEP", "REG", "COM", "EPCI", "FR") if lv in levels), "FR")
        indicator = catalogue.indicators.get(str(code))
        label = indicator.label if indicator is not None else str(code)
        items.append(
            html.Li(
                dcc.Link(
                    f"{label} ({code}) — {texts.period_with_code(str(latest))}",
                    href=f"/indicateur/{code}?periode={latest}&niveau={level}",
                )
            )
        )
    return [html.H3("Voir les valeurs chargées"), html.Ul(items, id="import-values-links")]


def partner_help(partner: str | None, today: date) -> Any:
    """The template of ``partner`` to download, what it holds, and its indicator codes."""
    catalogue = readers.catalogue()
    if not partner or partner not in catalogue.partners:
        return html.P(texts.CHOOSE_PARTNER)
    indicators = [
        i for i in catalogue.indicators.values() if i.partner == partner and i.kind is Kind.BASE
    ]
    periods = partner_due_periods(catalogue, partner, today)
    return [
        html.P(
            [
                html.Strong(f"{texts.TEMPLATE_LINK} ("),
                html.A("CSV", href=template_href(partner, "csv"), id="import-modele-csv"),
                html.Strong(" / "),
                html.A("XLSX", href=template_href(partner, "xlsx"), id="import-modele-xlsx"),
                html.Strong(")"),
            ]
        ),
        html.P(texts.template_contents(partner, len(indicators), periods)),
        html.P(
            [
                f"{texts.CODES_LINK} : ",
                html.A(
                    f"les indicateurs de {partner} dans le catalogue",
                    href=f"/indicateurs?partenaire={partner}",
                    id="import-codes",
                ),
                " (le code est sous le nom de chaque indicateur).",
            ]
        ),
    ]
