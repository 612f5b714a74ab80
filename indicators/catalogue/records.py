"""Read partners, themes, programmes and measures from their raw TOML tables.

Each reader checks what one table can check on its own (required fields, types, enums, unknown keys,
code formats) and returns ``None`` when the table cannot become a model object. References between
tables are checked later, by :mod:`indicators.catalogue.references`.
"""

from __future__ import annotations

import re

from indicators.catalogue.model import (
    Measure,
    Partner,
    PartnerKind,
    Programme,
    TerritoryType,
    Theme,
)
from indicators.catalogue.reader import Record

CODE_PATTERNS = {
    "partner": re.compile(r"^[A-Z][A-Z0-9_]{1,19}$"),
    "theme": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
    "programme": re.compile(r"^[A-Z][A-Z0-9_]{1,9}$"),
    "measure": re.compile(r"^M[0-9]{1,2}$"),
    "indicator": re.compile(r"^[A-Z][A-Z0-9_]{2,39}$"),
}
CODE_HINTS = {
    "partner": "majuscules, chiffres et _ (ex. INSEE)",
    "theme": "minuscules et tirets (ex. transition-ecologique)",
    "programme": "majuscules (ex. ACV)",
    "measure": "M suivi d'un numéro (ex. M3)",
    "indicator": "majuscules, chiffres et _ (ex. ACC_FS_DIST)",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read_code(record: Record, kind: str) -> str | None:
    code = record.text("code")
    if code is not None and not CODE_PATTERNS[kind].match(code):
        record.error(f"code « {code} » mal formé : attendu {CODE_HINTS[kind]}", "code")
        return None
    return code


def read_slug(record: Record, key: str) -> str | None:
    slug = record.text(key)
    if slug is not None and not SLUG.match(slug):
        record.error(f"« {key} » doit être en minuscules et tirets (ex. test-m1)", key)
        return None
    return slug


PARTNER_KEYS = ("code", "name", "kind", "description", "website")


def read_partner(record: Record) -> Partner | None:
    record.check_keys(PARTNER_KEYS)
    code = read_code(record, "partner")
    name = record.text("name")
    kind = record.enum("kind", PartnerKind)
    description = record.text("description", required=False) or ""
    website = record.text("website", required=False) or ""
    if code is None or name is None or kind is None:
        return None
    return Partner(code, name, kind, description, website)


THEME_KEYS = ("code", "label", "description", "order")


def read_theme(record: Record) -> Theme | None:
    record.check_keys(THEME_KEYS)
    code = read_code(record, "theme")
    label = record.text("label")
    description = record.text("description")
    order = record.integer("order", 1, 99)
    if code is None or label is None or description is None or order is None:
        return None
    return Theme(code, label, description, order)


PROGRAMME_KEYS = (
    "code",
    "label",
    "description",
    "membership_set",
    "headline_indicators",
    "lead_partner",
)


def read_programme(record: Record) -> Programme | None:
    record.check_keys(PROGRAMME_KEYS)
    code = read_code(record, "programme")
    label = record.text("label")
    description = record.text("description")
    membership_set = read_slug(record, "membership_set")
    headline = record.text_list("headline_indicators")
    lead_partner = record.text("lead_partner", required=False) or ""
    if (
        code is None
        or label is None
        or description is None
        or membership_set is None
        or headline is None
    ):
        return None
    return Programme(code, label, description, membership_set, headline, lead_partner)


MEASURE_KEYS = (
    "code",
    "label",
    "description",
    "theme",
    "test_set",
    "start_date",
    "territory_types",
    "headline_indicator",
    "placebo",
)


def read_measure(record: Record) -> Measure | None:
    record.check_keys(MEASURE_KEYS)
    code = read_code(record, "measure")
    label = record.text("label")
    description = record.text("description")
    theme = record.text("theme")
    test_set = read_slug(record, "test_set")
    start_date = record.date("start_date")
    types = record.enum_list("territory_types", TerritoryType)
    headline = record.text("headline_indicator")
    placebo = record.boolean("placebo", default=False)
    if (
        code is None
        or label is None
        or description is None
        or theme is None
        or test_set is None
        or start_date is None
        or types is None
        or headline is None
    ):
        return None
    return Measure(code, label, description, theme, test_set, start_date, types, headline, placebo)
