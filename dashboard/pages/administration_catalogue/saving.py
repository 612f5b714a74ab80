"""Saving a form of ``/administration/catalogue``: the file table its values make, its errors put
under their fields, and what the save callback shows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from dash import dcc, html

from dashboard.pages.administration_catalogue import texts
from dashboard.pages.administration_catalogue.targets import FormError, parse_targets
from dashboard.pages.administration_catalogue.views import PATH
from indicators.catalogue import CatalogueError
from indicators.catalogue.definitions import INDICATOR_KEYS
from indicators.catalogue.positions import scan_positions
from indicators.catalogue.records import MEASURE_KEYS, PARTNER_KEYS
from indicators.catalogue.tables import TableEdit, render_table

KEY_ORDER: Final = {"partner": PARTNER_KEYS, "measure": MEASURE_KEYS, "indicator": INDICATOR_KEYS}
# keys a form does not show: kept from the definition as it stands
CARRIED: Final = {"measure": ("placebo",), "indicator": ("baseline",)}


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
