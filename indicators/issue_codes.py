"""The one vocabulary of issue codes: what can be wrong in an uploaded file, in a list of
territories or in a catalogue file.

A code's value is stable: it is stored with each load's issues, exported in the "lignes à
corriger" and in ``suivi load --json``, and scripts rely on it. Each code has a short French
title that tells a person what is wrong, and where useful what to fix. Adding a code without a
title fails ``tests/unit/test_issue_codes.py``, which lists the whole vocabulary.

This module sits below every package that reports issues (``ingest``, ``territories``): it
imports nothing of the project.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class IssueCode(StrEnum):
    # the file as a whole
    UNSUPPORTED_FORMAT = "unsupported-format"
    FILE_TOO_LARGE = "file-too-large"
    EMPTY_FILE = "empty-file"
    UNREADABLE_FILE = "unreadable-file"
    TOO_MANY_COLUMNS = "too-many-columns"
    LINE_TOO_LONG = "line-too-long"
    XLSX_TOO_LARGE = "xlsx-too-large"
    UNKNOWN_SHEET = "unknown-sheet"
    MISSING_HEADER = "missing-header"
    MISSING_COLUMN = "missing-column"
    UNKNOWN_LAYOUT = "unknown-layout"
    NO_VALUES = "no-values"
    PARTIAL_REPLACE_REFUSED = "partial-replace-refused"
    OTHER_PARTNER_PROFILE = "other-partner-profile"
    ISSUES_TRUNCATED = "issues-truncated"
    # indicators
    UNKNOWN_INDICATOR = "unknown-indicator"
    DERIVED_INDICATOR = "derived-indicator"
    OTHER_PARTNER_INDICATOR = "other-partner-indicator"
    # values
    INVALID_VALUE = "invalid-value"
    INVALID_VALUE_TYPE = "invalid-value-type"
    INVALID_STATUS = "invalid-status"
    VALUE_IGNORED = "value-ignored"
    OUT_OF_RANGE = "out-of-range"
    DUPLICATE_KEY = "duplicate-key"
    # periods
    INVALID_PERIOD = "invalid-period"
    WRONG_PERIODICITY = "wrong-periodicity"
    PERIOD_READ_AS = "period-read-as"
    # territories
    EMPTY_TERRITORY = "empty-territory"
    DUMMY_ROW = "dummy-row"
    UNKNOWN_TERRITORY = "unknown-territory"
    AMBIGUOUS_TERRITORY = "ambiguous-territory"
    OUTSIDE_REFERENTIAL = "outside-referential"
    WRONG_LEVEL = "wrong-level"
    LEVEL_NOT_ALLOWED = "level-not-allowed"
    LEVEL_INFERRED = "level-inferred"
    MAPPED_ARRONDISSEMENT = "mapped-arrondissement"
    MAPPED_OLD_CODE = "mapped-old-code"
    MAPPED_CORSICAN_CODE = "mapped-corsican-code"
    # lists of territories (programmes, sets)
    NO_CODE_COLUMN = "no-code-column"
    EMPTY_CODE = "empty-code"
    MAPPED_CODE = "mapped-code"
    NORMALISED_CODE = "normalised-code"
    DUPLICATE_MEMBER = "duplicate-member"
    INVALID_DATE = "invalid-date"
    INVALID_DATE_RANGE = "invalid-date-range"
    # catalogue files
    MISSING_IDENTIFIER = "missing-identifier"
    INVALID_IDENTIFIER = "invalid-identifier"
    CONFLICTING_ROWS = "conflicting-rows"
    KNOWN_INDICATOR = "known-indicator"
    MISSING_LABEL = "missing-label"
    UNKNOWN_UNIT = "unknown-unit"
    GUESSED_UNIT = "guessed-unit"
    UNKNOWN_PERIODICITY = "unknown-periodicity"
    UNKNOWN_DIRECTION = "unknown-direction"
    MISSING_PRODUCER = "missing-producer"
    INVALID_PRODUCER = "invalid-producer"
    NEW_PARTNER = "new-partner"
    NO_MEASURE = "no-measure"
    UNKNOWN_THEME = "unknown-theme"
    UNKNOWN_LEVEL = "unknown-level"
    UNKNOWN_MEASURE = "unknown-measure"
    UNKNOWN_PROGRAMME = "unknown-programme"
    DEFAULTS = "defaults"

    @property
    def label(self) -> str:
        """What is wrong, in French, for a person who never saw the code (its title)."""
        return TITLES[self]

    @property
    def hint(self) -> str:
        """What to fix, in French (``""`` when the title and the message say it all)."""
        return HINTS.get(self, "")


TITLES: Final[dict[IssueCode, str]] = {
    IssueCode.UNSUPPORTED_FORMAT: "Format de fichier non pris en charge",
    IssueCode.FILE_TOO_LARGE: "Fichier trop volumineux",
    IssueCode.EMPTY_FILE: "Fichier vide",
    IssueCode.UNREADABLE_FILE: "Fichier illisible",
    IssueCode.TOO_MANY_COLUMNS: "Trop de colonnes",
    IssueCode.LINE_TOO_LONG: "Ligne trop longue",
    IssueCode.XLSX_TOO_LARGE: "Classeur trop grand",
    IssueCode.UNKNOWN_SHEET: "Feuille introuvable",
    IssueCode.MISSING_HEADER: "En-tête absent",
    IssueCode.MISSING_COLUMN: "Colonne manquante",
    IssueCode.UNKNOWN_LAYOUT: "Colonnes non reconnues",
    IssueCode.NO_VALUES: "Aucune valeur à charger",
    IssueCode.PARTIAL_REPLACE_REFUSED: "Remplacement partiel refusé",
    IssueCode.OTHER_PARTNER_PROFILE: "Profil d'un autre partenaire",
    IssueCode.ISSUES_TRUNCATED: "Anomalies tronquées",
    IssueCode.UNKNOWN_INDICATOR: "Indicateur inconnu",
    IssueCode.DERIVED_INDICATOR: "Indicateur calculé",
    IssueCode.OTHER_PARTNER_INDICATOR: "Indicateur d'un autre partenaire",
    IssueCode.INVALID_VALUE: "Valeur non numérique",
    IssueCode.INVALID_VALUE_TYPE: "Type de valeur inconnu",
    IssueCode.INVALID_STATUS: "Statut inconnu",
    IssueCode.VALUE_IGNORED: "Valeur ignorée",
    IssueCode.OUT_OF_RANGE: "Valeur hors de l'intervalle admis",
    IssueCode.DUPLICATE_KEY: "Clé en double",
    IssueCode.INVALID_PERIOD: "Période illisible",
    IssueCode.WRONG_PERIODICITY: "Période d'un autre type",
    IssueCode.PERIOD_READ_AS: "Période lue dans une autre écriture",
    IssueCode.EMPTY_TERRITORY: "Territoire absent",
    IssueCode.DUMMY_ROW: "Ligne fictive",
    IssueCode.UNKNOWN_TERRITORY: "Territoire inconnu",
    IssueCode.AMBIGUOUS_TERRITORY: "Territoire ambigu",
    IssueCode.OUTSIDE_REFERENTIAL: "Territoire hors du référentiel",
    IssueCode.WRONG_LEVEL: "Territoire d'un autre niveau",
    IssueCode.LEVEL_NOT_ALLOWED: "Niveau non publié pour cet indicateur",
    IssueCode.LEVEL_INFERRED: "Niveau déduit du fichier",
    IssueCode.MAPPED_ARRONDISSEMENT: "Arrondissement compté dans sa commune",
    IssueCode.MAPPED_OLD_CODE: "Ancien code de commune",
    IssueCode.MAPPED_CORSICAN_CODE: "Ancien code corse",
    IssueCode.NO_CODE_COLUMN: "Colonne des codes introuvable",
    IssueCode.EMPTY_CODE: "Code absent",
    IssueCode.MAPPED_CODE: "Code remplacé",
    IssueCode.NORMALISED_CODE: "Code réécrit",
    IssueCode.DUPLICATE_MEMBER: "Territoire en double",
    IssueCode.INVALID_DATE: "Date illisible",
    IssueCode.INVALID_DATE_RANGE: "Dates inversées",
    IssueCode.MISSING_IDENTIFIER: "Identifiant absent",
    IssueCode.INVALID_IDENTIFIER: "Identifiant invalide",
    IssueCode.CONFLICTING_ROWS: "Lignes contradictoires",
    IssueCode.KNOWN_INDICATOR: "Indicateur déjà au catalogue",
    IssueCode.MISSING_LABEL: "Libellé absent",
    IssueCode.UNKNOWN_UNIT: "Unité inconnue",
    IssueCode.GUESSED_UNIT: "Unité devinée",
    IssueCode.UNKNOWN_PERIODICITY: "Périodicité inconnue",
    IssueCode.UNKNOWN_DIRECTION: "Sens d'évolution inconnu",
    IssueCode.MISSING_PRODUCER: "Producteur absent",
    IssueCode.INVALID_PRODUCER: "Producteur invalide",
    IssueCode.NEW_PARTNER: "Nouveau partenaire",
    IssueCode.NO_MEASURE: "Aucune mesure",
    IssueCode.UNKNOWN_THEME: "Thème inconnu",
    IssueCode.UNKNOWN_LEVEL: "Niveau inconnu",
    IssueCode.UNKNOWN_MEASURE: "Mesure inconnue",
    IssueCode.UNKNOWN_PROGRAMME: "Programme inconnu",
    IssueCode.DEFAULTS: "Valeurs par défaut appliquées",
}

HINTS: Final[dict[IssueCode, str]] = {
    IssueCode.UNSUPPORTED_FORMAT: "Enregistrez le fichier au format .csv ou .xlsx.",
    IssueCode.FILE_TOO_LARGE: "Découpez-le en plusieurs fichiers.",
    IssueCode.UNKNOWN_LAYOUT: "Utilisez le modèle, ou choisissez un profil d'import.",
    IssueCode.UNKNOWN_INDICATOR: "Utilisez un code du catalogue (page Catalogue).",
    IssueCode.DERIVED_INDICATOR: "Retirez la ligne : la valeur est calculée à partir d'autres.",
    IssueCode.INVALID_VALUE: "Écrivez un nombre (virgule ou point décimal), ou laissez vide.",
    IssueCode.OUT_OF_RANGE: "Vérifiez la valeur et son unité.",
    IssueCode.DUPLICATE_KEY: "Gardez une seule ligne par indicateur, territoire et période.",
    IssueCode.WRONG_PERIODICITY: "Écrivez une période du type attendu par l'indicateur.",
    IssueCode.UNKNOWN_TERRITORY: "Utilisez un code officiel (code commune INSEE, SIREN d'EPCI…).",
    IssueCode.EMPTY_TERRITORY: "Renseignez le code du territoire.",
}


def issue_title(code: str) -> str:
    """The French title of a code read back (from the database, a CSV); the code itself when
    the vocabulary no longer knows it."""
    try:
        return IssueCode(code).label
    except ValueError:
        return code
