"""What ``/administration/catalogue`` shows: the lists, the forms, the outcome of a save and the
versions of a definition. Pure builders (the catalogue and the stored rows come in as arguments),
tested without HTTP.

A form's fields carry the keys of the catalogue files (``{"type": FIELD, "key": "unit"}``): the
values become the very table a file would hold (:func:`form_table`), checked by the loader, and
each error of that table is shown next to the field of its key (:func:`split_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.pages.administration_catalogue import texts
from indicators.catalogue import (
    POPULATION_WEIGHT,
    UNIT_FACTORS,
    Aggregation,
    Catalogue,
    CatalogueError,
    ChainLevel,
    Direction,
    Kind,
    Level,
    PartnerKind,
    Periodicity,
    TerritoryType,
)
from indicators.catalogue.definitions import INDICATOR_KEYS
from indicators.catalogue.edits import SavedEdit
from indicators.catalogue.positions import scan_positions
from indicators.catalogue.records import MEASURE_KEYS, PARTNER_KEYS
from indicators.catalogue.tables import (
    TableEdit,
    indicator_table,
    measure_table,
    partner_table,
    render_table,
)

PATH: Final = "/administration/catalogue"
FIELD: Final = "catadmin-champ"
ERROR: Final = "catadmin-erreur"
KEY_ORDER: Final = {"partner": PARTNER_KEYS, "measure": MEASURE_KEYS, "indicator": INDICATOR_KEYS}
# keys a form does not show: kept from the definition as it stands
CARRIED: Final = {"measure": ("placebo",), "indicator": ("baseline",)}
YES: Final = "oui"
MILESTONES: Final = "jalons"
CUMULATIVE: Final = "cumulée"
LAST_MILE: Final = ((YES, "mesure le « dernier kilomètre »"),)
AT_LEAST_ONE: Final = "au moins une mesure ou un programme"


@dataclass(frozen=True)
class Field:
    key: str  # a key of the file's table (range_min/range_max: the two bounds of ``range``)
    label: str
    widget: str  # text, textarea, select, number, checklist, flag
    options: tuple[tuple[str, str], ...] = ()  # (value, French label)
    required: bool = True
    hint: str = ""

    @property
    def error_key(self) -> str | None:
        """The key whose errors show under this field (the bounds share ``range``'s, below
        the second one)."""
        return {"range_min": None, "range_max": "range"}.get(self.key, self.key)


def _choices(enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, f"{member.label} ({member.value})") for member in enum)


def fields(kind: str, catalogue: Catalogue) -> list[Field]:
    """The form of ``kind``, its lists filled from ``catalogue``."""
    themes = tuple((code, theme.label) for code, theme in catalogue.themes.items())
    partners = tuple((code, f"{p.name} ({code})") for code, p in catalogue.partners.items())
    indicators = tuple((code, f"{code} — {i.label}") for code, i in catalogue.indicators.items())
    if kind == "partner":
        return [
            Field("code", "Code", "text", hint="majuscules, chiffres et _ (ex. DITP)"),
            Field("name", "Nom", "text"),
            Field("kind", "Nature", "select", _choices(PartnerKind)),
            Field("description", "Description", "textarea", required=False),
            Field("website", "Site web", "text", required=False),
        ]
    if kind == "measure":
        return [
            Field("code", "Code", "text", hint="M suivi d'un numéro (ex. M3)"),
            Field("label", "Intitulé", "text"),
            Field("description", "Description", "textarea"),
            Field("theme", "Thème", "select", themes),
            Field("test_set", "Ensemble des territoires test", "text", hint="ex. test-m3"),
            Field("start_date", "Date de lancement", "text", hint="AAAA-MM-JJ"),
            Field(
                "territory_types",
                "Types de territoires visés",
                "checklist",
                _choices(TerritoryType),
            ),
            Field("headline_indicator", "Indicateur phare", "select", indicators),
        ]
    operands = (("", "—"), *indicators)
    measures = tuple((code, f"{code} — {m.label}") for code, m in catalogue.measures.items())
    programmes = tuple((code, f"{code} — {p.label}") for code, p in catalogue.programmes.items())
    return [
        Field("code", "Code", "text", hint="majuscules, chiffres et _ (ex. ACC_FS_DIST)"),
        Field("label", "Libellé", "text"),
        Field("description", "Description", "textarea"),
        Field("theme", "Thème", "select", themes),
        Field("partner", "Partenaire producteur", "select", partners),
        Field("unit", "Unité", "select", tuple((unit, unit) for unit in UNIT_FACTORS)),
        Field("factor", "Facteur", "number", required=False, hint="déduit de l'unité si vide"),
        Field("direction", "Sens souhaité", "select", _choices(Direction)),
        Field("kind", "Nature", "select", _choices(Kind)),
        Field("formula", "Formule", "text", required=False, hint="indicateur calculé seulement"),
        Field("aggregation", "Agrégation", "select", _choices(Aggregation)),
        Field("numerator", "Numérateur", "select", operands, required=False, hint="ratio"),
        Field("denominator", "Dénominateur", "select", operands, required=False, hint="ratio"),
        Field(
            "weight",
            "Poids",
            "select",
            (("", "—"), (POPULATION_WEIGHT, "population"), *indicators),
            required=False,
            hint="moyenne pondérée",
        ),
        Field("periodicity", "Périodicité", "select", _choices(Periodicity)),
        Field("publication_lag_months", "Délai de publication (mois)", "number"),
        Field("levels", "Niveaux publiés", "checklist", _choices(Level)),
        Field("chain_level", "Chaîne des résultats", "select", _choices(ChainLevel)),
        Field("last_mile", "Dernier kilomètre", "flag", LAST_MILE, required=False),
        Field("measures", "Mesures", "checklist", measures, required=False),
        Field(
            "programmes", "Programmes", "checklist", programmes, required=False, hint=AT_LEAST_ONE
        ),
        Field("range_min", "Valeur minimale", "number", required=False),
        Field("range_max", "Valeur maximale", "number", required=False),
        Field("target", "Cibles", "textarea", required=False, hint=texts.TARGETS_HINT),
        Field("source", "Source", "text"),
        Field("licence", "Licence", "text"),
    ]


def current_table(kind: str, code: str, catalogue: Catalogue) -> dict[str, Any] | None:
    """The table of a definition as it stands, or ``None`` when the catalogue has none."""
    if kind == "partner" and code in catalogue.partners:
        return partner_table(catalogue.partners[code])
    if kind == "measure" and code in catalogue.measures:
        return measure_table(catalogue.measures[code])
    if kind == "indicator" and code in catalogue.indicators:
        return indicator_table(catalogue.indicators[code])
    return None


# --- the page's parts --------------------------------------------------------------------------


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
                    html.H2(f"{title} ({len(items)})"),
                    html.P(dcc.Link(f"+ {new}", href=f"{PATH}?{word}=nouveau")),
                    html.Ul(
                        [
                            html.Li([dcc.Link(code, href=f"{PATH}?{word}={code}"), f" — {label}"])
                            for code, label in items
                        ],
                        className="catadmin-list",
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


def targets_text(targets: Sequence[Mapping[str, Any]]) -> str:
    """Targets one a line: ``portée ; période ; valeur[ ; jalons P=V P=V][ ; cumulée]``."""
    lines = []
    for target in targets:
        parts = [str(target["scope"]), str(target["period"]), _number(target["value"])]
        milestones = target.get("milestones") or []
        if milestones:
            pairs = " ".join(f"{m['period']}={_number(m['value'])}" for m in milestones)
            parts.append(f"{MILESTONES} {pairs}")
        if target.get("cumulative"):
            parts.append(CUMULATIVE)
        lines.append(" ; ".join(parts))
    return "\n".join(lines)


def _number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number).replace(".", ",")


class FormError(ValueError):
    """A field the form cannot turn into the file's table (French message, its key)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def parse_targets(text: str) -> list[dict[str, Any]]:
    """The ``target`` tables of :func:`targets_text`'s lines; scopes and periods are checked by
    the catalogue's rules afterwards, numbers and the line's shape here."""
    targets = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 3 or not all(parts[:3]):
            raise FormError("target", texts.TARGET_SHAPE.format(line=number))
        target: dict[str, Any] = {
            "scope": parts[0],
            "value": _parse_number(parts[2], number),
            "period": parts[1],
        }
        for extra in parts[3:]:
            word, _, rest = extra.partition(" ")
            if extra.lower() in (CUMULATIVE, "cumulee", "cumulative"):
                target["cumulative"] = True
            elif word.lower() == MILESTONES:
                target["milestones"] = [_milestone(pair, number) for pair in rest.split()]
            elif extra:
                raise FormError("target", texts.TARGET_EXTRA.format(line=number, part=extra))
        targets.append(target)
    return targets


def _milestone(pair: str, line: int) -> dict[str, Any]:
    period, sign, value = pair.partition("=")
    if not sign or not period:
        raise FormError("target", texts.MILESTONE_SHAPE.format(line=line, part=pair))
    return {"period": period, "value": _parse_number(value, line)}


def _parse_number(text: str, line: int) -> float:
    try:
        return float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        raise FormError("target", texts.TARGET_NUMBER.format(line=line, value=text)) from None


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


# --- saving ------------------------------------------------------------------------------------


def form_table(
    kind: str, values: Mapping[str, Any], current: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The file table the form's values make: empty fields left out, the keys the form does not
    show kept from ``current`` (the definition as it stands), the keys in the files' order."""
    table: dict[str, Any] = {}
    for key, raw in values.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if key in ("range_min", "range_max"):
            if value is not None and value != "":
                table.setdefault("range", {})[key.removeprefix("range_")] = value
        elif key == "last_mile":
            if value:
                table[key] = True
        elif key == "target":
            if value:
                table[key] = parse_targets(value)
        elif value is not None and value != "" and value != []:
            table[key] = value
    if "code" in table and isinstance(table["code"], str):
        table["code"] = table["code"].upper()
    for key in CARRIED.get(kind, ()):
        if current is not None and key in current:
            table[key] = current[key]
    order = {key: index for index, key in enumerate(KEY_ORDER[kind])}
    return dict(sorted(table.items(), key=lambda item: order.get(item[0], len(order))))


def split_errors(
    edit: TableEdit, errors: Sequence[CatalogueError], keys: Sequence[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """The errors of the edited table by the key they are about (its line in the table as a
    file would hold it), and the others: about the rest of the catalogue, or a key the form
    does not show."""
    text = render_table(edit.kind, edit.table)
    line_keys: dict[int, str] = {}
    for path, line in scan_positions(text).lines.items():
        if len(path) >= 3 and isinstance(path[2], str):
            line_keys.setdefault(line, path[2])
    by_key: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        key = line_keys.get(error.line) if error.file == edit.source else None
        if error.file == edit.source and key is None:
            key = _quoted_key(error.message, keys)  # a missing field is said on the header line
        if key in keys:
            by_key.setdefault(key, []).append(error.message)
        elif error.file == edit.source:
            general.append(error.message)
        else:
            general.append(
                f"{texts.ELSEWHERE} ({error.file.name}, ligne {error.line}) : {error.message}"
            )
    return by_key, general


def _quoted_key(message: str, keys: Sequence[str]) -> str | None:
    for word in re.findall(r"« ([a-z_]+) »", message):
        if word in keys:
            return word
    return None


@dataclass(frozen=True)
class SaveOutputs:
    """What the save callback shows: a message, the errors under each field, and a stamp that
    tells the versions table to read again."""

    message: Any
    errors: list[Any]
    saved: dict[str, str] | None = None  # the definition saved

    def outputs(self) -> dict[str, Any]:
        return {"resultat": self.message, "erreurs": self.errors, "enregistre": self.saved}


def refused_outputs(
    edit: TableEdit, errors: Sequence[CatalogueError], error_keys: Sequence[str]
) -> SaveOutputs:
    by_key, general = split_errors(edit, errors, error_keys)
    slots = [_messages(by_key.get(key, [])) for key in error_keys]
    message = html.Div(
        [
            html.P(html.Strong(texts.ERRORS_TITLE)),
            html.Ul([html.Li(m) for m in general]) if general else None,
        ],
        className="catadmin-refused",
        role="alert",
    )
    return SaveOutputs(message, slots)


def _messages(messages: Sequence[str]) -> Any:
    if not messages:
        return None
    return html.Ul([html.Li(message) for message in messages])


def saved_outputs(
    kind: str, code: str, created: bool, version: int | None, error_keys: Sequence[str]
) -> SaveOutputs:
    name = texts.KIND_NAMES[kind]
    template = texts.CREATED if created else texts.CHANGED
    sentence = template.format(Kind=name.capitalize(), code=code)
    if version is not None:
        sentence += texts.VERSION.format(version=version)
    word = texts.KIND_QUERY[kind]
    links = [dcc.Link(f"Voir {code}", href=f"{PATH}?{word}={code}")]
    if kind == "indicator":
        links += [" · ", dcc.Link("Sa page", href=f"/indicateur/{code}")]
    message = html.Div([html.P(sentence), html.P(links)], className="catadmin-saved")
    return SaveOutputs(message, [None] * len(error_keys), saved={"kind": kind, "code": code})


def form_error_outputs(error: FormError, error_keys: Sequence[str]) -> SaveOutputs:
    """A field that could not be read: its message under it, nothing stored."""
    slots = [_messages([str(error)]) if key == error.key else None for key in error_keys]
    title = html.P(html.Strong(texts.ERRORS_TITLE))
    return SaveOutputs(html.Div(title, className="catadmin-refused", role="alert"), slots)


def message_outputs(text: str, error_keys: Sequence[str]) -> SaveOutputs:
    return SaveOutputs(html.P(text, role="alert"), [None] * len(error_keys))


def exists_message(kind: str, code: str) -> str:
    return texts.ALREADY_EXISTS.format(kind=texts.KIND_NAMES[kind].capitalize(), code=code)


# --- history -----------------------------------------------------------------------------------


def history(versions: pd.DataFrame | None, edits: Sequence[SavedEdit]) -> html.Div:
    """An indicator's dated versions, and every definition's saves on these pages."""
    parts = [] if versions is None else [versions_table(versions)]
    return html.Div([*parts, edits_table(edits)])


def versions_table(versions: pd.DataFrame) -> Any:
    """The dated versions of an indicator's definition, the one in force last."""
    if versions.empty:
        return html.P(texts.NO_VERSION)
    header = html.Tr(
        [html.Th(t, scope="col") for t in ("Version", "En vigueur depuis", "Ce qui a changé")]
    )
    rows = [
        html.Tr(
            [
                html.Td(str(row.version)),
                html.Td(f"{row.valid_from:%d/%m/%Y %H:%M}"),
                html.Td(", ".join(row.changed) if row.changed else texts.FIRST_VERSION),
            ]
        )
        for row in versions.itertuples()
    ]
    return html.Table(
        [html.Caption(texts.VERSIONS_TITLE), html.Thead(header), html.Tbody(rows)],
        className="table catadmin-versions",
    )


def edits_table(history: Sequence[SavedEdit]) -> Any:
    if not history:
        return html.P(texts.NO_HISTORY)
    header = html.Tr([html.Th(t, scope="col") for t in ("Date", "Par")])
    rows = [
        html.Tr([html.Td(f"{edit.created_at:%d/%m/%Y %H:%M}"), html.Td(edit.username or "—")])
        for edit in history
    ]
    return html.Table(
        [html.Caption(texts.HISTORY_TITLE), html.Thead(header), html.Tbody(rows)],
        className="table catadmin-history",
    )
