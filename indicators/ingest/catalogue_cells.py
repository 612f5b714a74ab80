"""Reading the cells of one row of an indicator-metadata table against the catalogue (``suivi
catalogue import``): each cell's catalogue value, or the default of :class:`ImportDefaults`, with
an :class:`~indicators.ingest.issues.Issue` saying what was assumed (warning) or refused (error)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from indicators.catalogue import Catalogue, Level, Periodicity
from indicators.catalogue.records import CODE_PATTERNS
from indicators.ingest.catalogue_words import (
    map_direction,
    map_levels,
    map_periodicity,
    partner_code,
    partner_kind,
)
from indicators.ingest.issues import Issue, Severity
from indicators.issue_codes import IssueCode
from indicators.territories.folding import fold_identifier


@dataclass(frozen=True)
class ImportDefaults:
    """What every imported indicator gets when its row does not say (CLI options)."""

    partner: str | None = None
    measures: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    theme: str | None = None
    periodicity: Periodicity = Periodicity.ANNUAL
    levels: tuple[Level, ...] = (Level.DEP, Level.REG, Level.FR)
    chain_level: str = "outcome"
    licence: str = "Licence Ouverte 2.0"
    prefix: str = ""


class CellReader:
    """The cells of a table whose roles are ``columns`` (role -> column name), read against
    ``catalogue``; a producer that is not a partner yet is kept in :attr:`partners`."""

    def __init__(
        self, columns: Mapping[str, str], catalogue: Catalogue, defaults: ImportDefaults
    ) -> None:
        self.columns = dict(columns)
        self.catalogue = catalogue
        self.defaults = defaults
        self.issues: list[Issue] = []
        self.partners: dict[str, dict[str, Any]] = {}
        self.partner_names = {fold_identifier(p.name): p.code for p in catalogue.partners.values()}
        self.reported: set[tuple[str, str]] = set()

    def note(
        self,
        line: int | None,
        role: str | None,
        code: IssueCode,
        value: str,
        message: str,
        severity: Severity = "warning",
        once: bool = False,
    ) -> None:
        if once:
            if (code, value) in self.reported:
                return
            self.reported.add((code, value))
        column = self.columns.get(role) if role else None
        self.issues.append(Issue(line, column, code, value, message, severity))

    def cell(self, row: Mapping[str, str], role: str) -> str:
        column = self.columns.get(role)
        return " ".join(str(row.get(column, "") or "").split()) if column else ""

    def periodicity(self, line: int, row: Mapping[str, str]) -> Periodicity | None:
        text = self.cell(row, "periodicity")
        if not text:
            return self.defaults.periodicity
        found = map_periodicity(text)
        if found is None:
            self.note(
                line,
                "periodicity",
                IssueCode.UNKNOWN_PERIODICITY,
                text,
                f"Périodicité inconnue « {text} » (annuelle, semestrielle, trimestrielle, "
                "mensuelle) : ligne ignorée",
                "error",
            )
        return found

    def direction(self, line: int, row: Mapping[str, str]) -> str:
        text = self.cell(row, "direction")
        if not text:
            return "neutral"
        found = map_direction(text)
        if found is None:
            self.note(
                line,
                "direction",
                IssueCode.UNKNOWN_DIRECTION,
                text,
                f"Sens inconnu « {text} » (hausse, baisse, neutre) : « neutre » retenu",
                once=True,
            )
        return found or "neutral"

    def partner_name(self, code: str) -> str:
        known = self.catalogue.partners.get(code)
        return known.name if known else str(self.partners[code]["name"])

    def partner(self, line: int, row: Mapping[str, str]) -> str | None:
        text = self.cell(row, "producer") or self.defaults.partner or ""
        if not text:
            self.note(
                line,
                "producer",
                IssueCode.MISSING_PRODUCER,
                "",
                "Producteur absent et aucun partenaire par défaut (--partner) : ligne ignorée",
                "error",
            )
            return None
        upper = text.upper()
        if upper in self.catalogue.partners or upper in self.partners:
            return upper
        known = self.partner_names.get(fold_identifier(text))
        if known is not None:
            return known
        code = partner_code(text)
        if code in self.catalogue.partners:
            return code
        if not CODE_PATTERNS["partner"].match(code):
            self.note(
                line,
                "producer",
                IssueCode.INVALID_PRODUCER,
                text,
                f"Producteur « {text} » : aucun code de partenaire possible : ligne ignorée",
                "error",
            )
            return None
        if code not in self.partners:
            kind = partner_kind(text)
            self.partners[code] = {"code": code, "name": text, "kind": kind}
            self.partner_names[fold_identifier(text)] = code
            self.note(
                line,
                "producer",
                IssueCode.NEW_PARTNER,
                text,
                f"Partenaire « {text} » absent du catalogue : ajouté comme {code} (type "
                f"« {kind} » supposé, à vérifier) dans partners.toml",
            )
        return code

    def links(self, line: int, row: Mapping[str, str]) -> tuple[list[str], list[str]] | None:
        measures = list(self.defaults.measures)
        programmes = list(self.defaults.programmes)
        for role, table, chosen in (
            ("measure", self.catalogue.measures, measures),
            ("programme", self.catalogue.programmes, programmes),
        ):
            text = self.cell(row, role)
            if not text:
                continue
            labels = {fold_identifier(item.label): code for code, item in table.items()}
            code = text.upper() if text.upper() in table else labels.get(fold_identifier(text))
            if code is not None:
                chosen[:] = [code, *[c for c in chosen if c != code]]
                continue
            fallback = ", ".join(self.defaults.measures + self.defaults.programmes)
            noun = "mesure" if role == "measure" else "programme"
            self.note(
                line,
                role,
                IssueCode.UNKNOWN_MEASURE if role == "measure" else IssueCode.UNKNOWN_PROGRAMME,
                text,
                f"{noun.capitalize()} « {text} » {'inconnue' if role == 'measure' else 'inconnu'} "
                "du catalogue : "
                + (
                    f"indicateurs rattachés à {fallback}"
                    if fallback
                    else "indicateur non importé (donnez --measure ou --programme)"
                ),
                "warning" if fallback else "error",
                once=bool(fallback),
            )
        if not measures and not programmes:
            if not self.cell(row, "measure") and not self.cell(row, "programme"):
                self.note(
                    line,
                    None,
                    IssueCode.NO_MEASURE,
                    "",
                    "Aucune mesure ni aucun programme (--measure ou --programme) : ligne ignorée",
                    "error",
                )
            return None
        return measures, programmes

    def theme(self, line: int, row: Mapping[str, str]) -> str:
        default = self.defaults.theme or next(iter(self.catalogue.themes), "")
        text = self.cell(row, "theme")
        if not text:
            return default
        labels = {fold_identifier(t.label): code for code, t in self.catalogue.themes.items()}
        found = text if text in self.catalogue.themes else labels.get(fold_identifier(text))
        if found is None:
            self.note(
                line,
                "theme",
                IssueCode.UNKNOWN_THEME,
                text,
                f"Thème « {text} » absent du catalogue : thème « {default} » retenu",
                once=True,
            )
        return found or default

    def levels(self, line: int, row: Mapping[str, str]) -> tuple[Level, ...]:
        text = self.cell(row, "levels")
        if not text:
            return self.defaults.levels
        found, unknown = map_levels(text)
        for part in unknown:
            self.note(
                line,
                "levels",
                IssueCode.UNKNOWN_LEVEL,
                part,
                f"Niveau inconnu « {part} » (commune, EPCI, département, région, France) : ignoré",
                once=True,
            )
        return found or self.defaults.levels
