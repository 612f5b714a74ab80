"""``/import``: send an indicator file, check it (dry run: counts, issues, changes), then load it.

The page drives the same API as ``suivi load`` (:mod:`indicators.ingest`). The file is sent once
and kept on the server (``uploads.py``); the page holds only a signed token. The check
and the load are background callbacks (:mod:`dashboard.background`, issue #5 point 7): a progress
bar follows the ingest's stages, the buttons are disabled meanwhile, and « Annuler » stops the
job (a load is one transaction: stopped, it writes nothing). The load analyses the file again,
so what is written is compared with the values stored at that moment.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it, around the pure ``check_outputs`` and ``load_outputs`` of ``views.py``.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import readers
from dashboard.auth import current_user, is_allowed
from dashboard.pages import run_callbacks
from dashboard.pages.importer import texts
from dashboard.pages.importer.assistant_page import assistant_section, profiles_section
from dashboard.pages.importer.views import AUTO_PROFILE, partner_help

dash.register_page(
    __name__,
    path="/import",
    name="Importer",
    title="Importer un fichier — Suivi des territoires",
    order=50,
)


def layout(**_query: str) -> html.Div:
    user = current_user()
    if not is_allowed(user, "upload"):  # its callbacks refuse them too (403)
        return html.Div(
            [
                html.H1("Importer un fichier d'indicateurs"),
                html.P(
                    [
                        "Le chargement de fichiers est réservé aux déposants des partenaires et "
                        "aux administrateurs. ",
                        html.A("Se connecter", href="/connexion?next=/import")
                        if user.is_anonymous
                        else "Votre profil ne le permet pas.",
                    ],
                    role="alert",
                ),
            ],
            className="card",
        )
    scope = user.partner_scope  # a déposant loads for its own partner only
    partners = [
        {"label": f"{partner.name} ({code})", "value": code}
        for code, partner in readers.catalogue().partners.items()
        if scope is None or code == scope
    ]
    return html.Div(
        [
            html.H1("Importer un fichier d'indicateurs"),
            html.P(
                [
                    "Déposez un fichier CSV ou XLSX au format long (colonnes indicateur, "
                    "territoire, periode, valeur), au format large (territoire, periode et une "
                    "colonne par code d'indicateur) ou lu par un profil d'import. ",
                    html.Strong("Vérifiez"),
                    " d'abord (essai à blanc, rien n'est enregistré), puis validez le chargement.",
                ]
            ),
            preparation_help(scope),
            # The label names the file input for assistive technologies; the native input,
            # reached with Tab, opens the file dialog (so the drop zone's own click is off,
            # or a click would open it twice).
            html.Label(
                dcc.Upload(
                    html.Div(
                        [
                            "Glissez-déposez le fichier ici ou ",
                            html.Span("choisissez-le", className="import-upload-link"),
                            html.Span(id="import-limite", className="import-limit"),
                        ]
                    ),
                    id="import-upload",
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    multiple=False,
                    disable_click=True,
                    className="import-upload",
                ),
                className="import-upload-label",
            ),
            html.P(id="import-fichier", className="import-file", role="status"),
            dcc.Store(id="import-contenu"),
            dcc.Store(id="import-verifie"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Partenaire", htmlFor="import-partenaire"),
                            dbc.Select(
                                id="import-partenaire",
                                options=partners,
                                value=scope,
                                placeholder="Aucun (fichier partagé)",
                            ),
                        ],
                        className="control",
                    ),
                    html.Div(
                        [
                            html.Label("Profil d'import", htmlFor="import-profil"),
                            dbc.Select(
                                id="import-profil",
                                options=[],
                                value=AUTO_PROFILE,
                                placeholder="Détection automatique",
                            ),
                        ],
                        className="control",
                    ),
                    html.Div(
                        html.Fieldset(
                            [
                                html.Legend("Options", className="label"),
                                dbc.Checklist(
                                    id="import-options",
                                    options=[
                                        {
                                            "label": "Charger seulement les lignes valides",
                                            "value": "partial",
                                        },
                                        {
                                            "label": "Remplacer le périmètre du fichier (retirer "
                                            "les valeurs qu'il ne contient plus)",
                                            "value": "replace",
                                        },
                                    ],
                                    value=[],
                                ),
                            ],
                            className="fieldset",
                        ),
                        className="control wide",
                    ),
                ],
                className="controls",
            ),
            # a disabled fieldset disables both buttons while a job runs, whatever each one's own
            # state (the check decides whether the load button is enabled)
            html.Fieldset(
                [
                    html.Button(
                        "Vérifier (essai à blanc)",
                        id="import-verifier",
                        className="btn btn-primary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Valider le chargement",
                        id="import-valider",
                        className="btn btn-success",
                        n_clicks=0,
                        disabled=True,
                    ),
                ],
                id="import-actions",
                className="import-actions",
            ),
            progress_zone(),
            html.Div(id="import-resultat", className="import-result"),
            html.Div(id="import-confirmation", role="status"),
            assistant_section(),
            profiles_section(),
        ],
        className="import-page",
    )


def preparation_help(scope: str | None) -> html.Section:
    """The partner's template and indicator codes (they follow « Partenaire ») and how to write
    the periods."""
    return html.Section(
        [
            html.H2("Préparer le fichier", id="import-aide-titre"),
            html.Div(partner_help(scope, date.today()), id="import-modele"),
            period_help(),
        ],
        className="card import-help",
        **{"aria-labelledby": "import-aide-titre"},
    )


def period_help() -> html.Details:
    """Each kind of period in words, its code and the other forms read (from the parser)."""
    rows = [
        html.Tr(
            [
                html.Th(example.kind, scope="row"),
                html.Td(example.words),
                html.Td(html.Code(example.code, className="import-period-code")),
                html.Td(
                    [
                        item
                        for index, form in enumerate(example.variants)
                        for item in ([", "] if index else [])
                        + [html.Code(form, className="import-period-variant")]
                    ]
                    or "—"
                ),
            ]
        )
        for example in texts.period_examples(date.today())
    ]
    return html.Details(
        [
            html.Summary("Comment écrire les périodes"),
            html.P(texts.PERIOD_HELP_INTRO),
            html.Table(
                [
                    html.Caption("Formats de période acceptés, avec un exemple de chaque"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Période", scope="col"),
                                html.Th("En toutes lettres", scope="col"),
                                html.Th("Code à écrire", scope="col"),
                                html.Th("Aussi accepté", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                className="table import-period-table",
                id="import-periodes",
            ),
            html.P(texts.PERIOD_HELP_PROFILES),
        ],
        className="import-period-help",
    )


def progress_zone() -> html.Div:
    """The progress bar of a running check or load, named by its stage and percentage.

    A native ``<progress>`` named by its ``<label>``: ``dbc.Progress`` offers no way to name its
    ``role=progressbar`` element, which axe-core reports as a serious violation."""
    return html.Div(
        [
            html.Label(
                "Démarrage…",
                id="import-progression-texte",
                htmlFor="import-progression",
                className="import-progress-text",
            ),
            html.Progress(
                id="import-progression", value="0", max="100", className="import-progress"
            ),
            html.Button(
                "Annuler",
                id="import-annuler",
                className="btn btn-outline-secondary",
                n_clicks=0,
            ),
        ],
        id="import-progression-zone",
        className="import-progress-zone",
        hidden=True,
    )


run_callbacks(__name__, __file__)
run_callbacks(__name__, __file__, "assistant_callbacks")
