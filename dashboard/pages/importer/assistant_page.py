"""The mapping assistant's and the profiles' places on ``/import`` (ids only, no database work):
``assistant_callbacks.py`` fills them."""

from __future__ import annotations

from dash import dcc, html


def assistant_section() -> html.Div:
    """« Décrire ce fichier » and the zone where the assistant opens."""
    return html.Div(
        [
            html.Button(
                "Décrire ce fichier",
                id="assistant-ouvrir",
                className="btn btn-outline-primary",
                n_clicks=0,
                hidden=True,  # shown once a file is dropped (until it is loaded)
                title="Dire quelle colonne contient quoi, et l'enregistrer comme profil d'import",
            ),
            dcc.Store(id="assistant-colonnes"),
            html.Div(id="assistant-zone", hidden=True),
        ],
        className="assistant-section",
    )


def profiles_section() -> html.Details:
    """The partner's import profiles: edit, duplicate, delete (with a confirmation)."""
    return html.Details(
        [
            html.Summary("Profils d'import enregistrés"),
            dcc.Store(id="assistant-profils-version", data=0),
            dcc.Store(id="profil-a-supprimer"),
            dcc.ConfirmDialog(id="profil-confirmation"),
            html.Div(id="profils-message", role="status"),
            html.Div(id="profils-liste"),
        ],
        className="profiles-section",
    )
