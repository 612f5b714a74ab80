"""« Copier le lien »: the page's address, which reproduces the view (``url_state``), copied to
the clipboard, and a visible French confirmation (a live region, for screen readers too)."""

from __future__ import annotations

from dash import html

COPY_TYPE = "copy-link"
COPY_STATUS_TYPE = "copy-link-status"

# navigator.clipboard needs a secure context (HTTPS or localhost): elsewhere the address is shown
# for a manual copy rather than a silent failure
COPY_SCRIPT = """
function(clicks) {
    if (!clicks) { return window.dash_clientside.no_update; }
    const address = window.location.href;
    if (!navigator.clipboard) {
        return "Copie impossible dans ce navigateur : copiez l'adresse " + address;
    }
    return navigator.clipboard.writeText(address).then(
        () => "Lien copié : " + address,
        () => "Copie refusée par le navigateur : copiez l'adresse " + address
    );
}
"""


def copy_link(place: str) -> html.Div:
    return html.Div(
        [
            html.Button(
                "Copier le lien",
                id={"type": COPY_TYPE, "place": place},
                type="button",
                className="copy-link",
                title="Copier l'adresse de cette vue dans le presse-papiers",
            ),
            html.Span(
                id={"type": COPY_STATUS_TYPE, "place": place},
                className="copy-link-status small",
                role="status",
            ),
        ],
        className="share",
    )
