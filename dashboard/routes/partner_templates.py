"""``/modeles/<partenaire>.<csv|xlsx>``: a partner's file ready to fill (issue #14 point 5).

The same file as ``suivi catalogue template``: the partner's indicators × the territories expected
(départements, régions, France) × the periods now due, values empty; it loads unchanged on
``/import``. A partner's déposant gets its own partner's only, an administrator any partner's.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, request

from dashboard import readers
from dashboard.auth import current_user, requires
from indicators.ingest.templates import (
    TemplateFormat,
    expected_territories,
    partner_template,
    template_filename,
)

blueprint = Blueprint("partner_templates", __name__)

MIMETYPES: dict[TemplateFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_PERIODS = 12


def template_href(partner: str, fmt: TemplateFormat) -> str:
    return f"/modeles/{partner}.{fmt}"


@blueprint.get("/modeles/<partner>.<any(csv, xlsx):fmt>")
@requires("upload")  # and a déposant only gets its own partner's
def download_template(partner: str, fmt: TemplateFormat) -> Response:
    catalogue = readers.catalogue()
    if partner not in catalogue.partners:
        abort(404)
    scope = current_user().partner_scope
    if scope is not None and partner != scope:
        abort(403)
    periods = request.args.get("periodes", "1")
    if not periods.isdigit() or not 1 <= int(periods) <= MAX_PERIODS:
        abort(400)
    today = date.today()
    data = partner_template(
        catalogue,
        partner,
        expected_territories(readers.referential()),
        today,
        fmt,
        int(periods),
    )
    filename = template_filename(partner, today, fmt)
    # content_type, not mimetype: Flask would add a second charset to a text/* mimetype
    response = Response(data, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
