"""What ``/administration/catalogue`` shows: the lists, the forms and the versions of a definition.
Pure builders (the catalogue and the stored rows come in as arguments), tested without HTTP.

A form's fields carry the keys of the catalogue files (``{"type": FIELD, "key": "unit"}``,
``fields.py``): the values become the very table a file would hold (``saving.form_table``),
checked by the loader, and each error of that table is shown next to the field of its key
(``saving.split_errors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.table import table
from dashboard.pages.administration_catalogue import texts
from dashboard.pages.administration_catalogue.fields import YES, Field, fields
from dashboard.pages.administration_catalogue.targets import targets_text
from indicators.catalogue import Catalogue
from indicators.catalogue.edits import SavedEdit
from indicators.catalogue.tables import indicator_table, measure_table, partner_table

PATH: Final = "/administration/catalogue"
FIELD: Final = "catadmin-champ"
ERROR: Final = "catadmin-erreur"


def current_table(kind: str, code: str, catalogue: Catalogue) -> dict[str, Any] | None:
    """The table of a definition as it stands, or ``None`` when the catalogue has none."""
    if kind == "partner" and code in catalogue.partners:
        return partner_table(catalogue.partners[code])
    if kind == "measure" and code in catalogue.measures:
        return measure_table(catalogue.measures[code])
    if kind == "indicator" and code in catalogue.indicators:
        return indicator_table(catalogue.indicators[code])
    return None


def listing(catalogue: Catalogue) -> html.Div:
    """The three lists, each with its « new » link and an edit link per definition."""
    rows = {
        "partner": [(code, p.name) for code, p in catalogue.partners.items()],
        "measure": [(code, m.label) for code, m in catalogue.measures.items()],
        "indicator": [(code, i.label) for code, i in catalogue.indicators.items()],
    }
    sections = []
    for kind, items in rows.items():
        title, new = texts.KIND_TITLES[kind]
        word = texts.KIND_QUERY[kind]
        sections.append(
            html.Section(
                [
                    html.H2(title),
                    html.P(dcc.Link(f"+ {new}", href=f"{PATH}?{word}=nouveau")),
                    html.P(texts.list_count(kind, len(items)), className="catadmin-count small"),
                    html.Ul(
                        [
                            html.Li([dcc.Link(code, href=f"{PATH}?{word}={code}"), f" — {label}"])
                            for code, label in items
                        ],
                        className="catadmin-list",
                        # a scroll area reached by keyboard too, named for screen readers
                        tabIndex="0",
                        **{"aria-label": f"{title} : liste"},
                    ),
                ],
                className="card catadmin-section",
            )
        )
    return html.Div(sections, className="catadmin-lists")


def form(kind: str, table: Mapping[str, Any] | None, catalogue: Catalogue) -> html.Form:
    """The form of one definition: empty (``table`` None) or filled with it."""
    values = _form_values(table or {})
    creating = table is None
    controls = [
        _control(f, values.get(f.key), disabled=f.key == "code" and not creating)
        for f in fields(kind, catalogue)
    ]
    kept = []
    if kind == "indicator" and table is not None and "baseline" in table:
        kept.append(html.P(texts.KEPT, className="catadmin-kept"))
    return html.Form(
        [
            *controls,
            *kept,
            html.Div(
                [
                    html.Button(
                        texts.SAVE,
                        id="catadmin-enregistrer",
                        type="button",
                        className="btn btn-primary",
                    ),
                    dcc.Link(texts.BACK, href=PATH, className="catadmin-back"),
                ],
                className="catadmin-actions",
            ),
            html.Div(id="catadmin-resultat", role="status", **{"aria-live": "polite"}),
        ],
        className="catadmin-form",
        noValidate=True,
    )


def _form_values(table: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(table)
    bounds = table.get("range") or {}
    values["range_min"], values["range_max"] = bounds.get("min"), bounds.get("max")
    values["last_mile"] = [YES] if table.get("last_mile") else []
    values["target"] = targets_text(table.get("target", []))
    return values


def _control(spec: Field, value: Any, *, disabled: bool) -> html.Div | html.Fieldset:
    ident = {"type": FIELD, "key": spec.key}
    options = [{"label": label, "value": val} for val, label in spec.options]
    widget: Any
    if spec.widget == "textarea":
        widget = dcc.Textarea(id=ident, value=value or "", className="form-control", rows=3)
    elif spec.widget == "select":
        widget = dbc.Select(id=ident, options=options, value=value or "")
    elif spec.widget == "number":
        widget = dcc.Input(id=ident, type="number", value=value, className="form-control")
    elif spec.widget in ("checklist", "flag"):
        short = all(len(label) <= 40 for _, label in spec.options)  # long ones one a line
        widget = dbc.Checklist(id=ident, options=options, value=list(value or []), inline=short)
    else:
        widget = dcc.Input(
            id=ident, type="text", value=value or "", disabled=disabled, className="form-control"
        )
    name: list[Any] = [spec.label]
    if spec.hint:
        name.append(html.Small(f" ({spec.hint})"))
    if not spec.required:
        name.append(html.Small(" — facultatif"))
    error = (
        html.Div(
            id={"type": ERROR, "key": spec.error_key}, className="catadmin-error", role="alert"
        )
        if spec.error_key
        else None
    )
    classes = f"control catadmin-field catadmin-{spec.widget}"
    if spec.widget in ("checklist", "flag"):  # each box has its own label: the group a legend
        return html.Fieldset([html.Legend(name), widget, error], className=classes)
    # the label holds its control: named for assistive technologies whatever the widget
    return html.Div([html.Label([html.Span(name), widget]), error], className=classes)


def history(versions: pd.DataFrame | None, edits: Sequence[SavedEdit]) -> html.Div:
    """An indicator's dated versions, and every definition's saves on these pages."""
    parts = [] if versions is None else [versions_table(versions)]
    return html.Div([*parts, edits_table(edits)])


def versions_table(versions: pd.DataFrame) -> Any:
    """The dated versions of an indicator's definition, the one in force last."""
    if versions.empty:
        return html.P(texts.NO_VERSION)
    rows = [
        [
            str(row.version),
            f"{row.valid_from:%d/%m/%Y %H:%M}",
            ", ".join(row.changed) if row.changed else texts.FIRST_VERSION,
        ]
        for row in versions.itertuples()
    ]
    headers = ["Version", "En vigueur depuis", "Ce qui a changé"]
    return table(headers, rows, caption=texts.VERSIONS_TITLE, class_name="table catadmin-versions")


def edits_table(history: Sequence[SavedEdit]) -> Any:
    if not history:
        return html.P(texts.NO_HISTORY)
    rows = [[f"{edit.created_at:%d/%m/%Y %H:%M}", edit.username or "—"] for edit in history]
    return table(
        ["Date", "Par"], rows, caption=texts.HISTORY_TITLE, class_name="table catadmin-history"
    )
