"""An indicator-metadata table turned into catalogue files (``suivi catalogue import``, issue #14).

National results barometers publish one row per indicator: identifier, name, unit, periodicity,
direction, description, producer (or, like Etalab's barometer, one row per indicator and
territory: rows of one identifier are merged). :func:`import_indicator_table` reads such a
table, already parsed by the upload reader (CSV or XLSX, French or English headers, see
:data:`COLUMN_ALIASES`), and proposes ``[[indicator]]`` tables; a producer that is not a partner
becomes a new ``[[partner]]`` entry rather than an error. Everything it could not map or had to
guess is an :class:`~indicators.ingest.issues.Issue` of the line it comes from, in French: an
``error`` leaves the line out, a ``warning`` says what was assumed.

:func:`write_catalogue_import` writes the result as a deployment catalogue directory
(``SUIVI_CATALOGUE_DIR``): the base catalogue's files, the new partners appended to
``partners.toml`` and the indicators in their own ``indicators-<name>.toml``.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import tomli_w

from indicators.catalogue import UNIT_FACTORS, Catalogue, Level, Periodicity
from indicators.catalogue.loader import INDICATOR_FILES
from indicators.catalogue.records import CODE_PATTERNS
from indicators.ingest.issues import Issue, Severity
from indicators.ingest.source import SourceTable
from indicators.issue_codes import IssueCode
from indicators.territories.folding import fold_identifier, strip_accents

# role -> folded column names, French and English, first match wins
COLUMN_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "code": ("idindicateur", "identifiant", "codeindicateur", "code", "id", "indicatorid",
             "indicatorcode", "identifier"),
    "label": ("indicateur", "libelle", "libelleindicateur", "nomindicateur", "nom", "intitule",
              "name", "label", "indicator", "indicatorname", "title", "titre"),
    "unit": ("unite", "unites", "unit", "units", "unitedemesure"),
    "periodicity": ("periodicite", "frequence", "periodicity", "frequency"),
    "direction": ("sens", "senssouhaite", "sensdevolution", "direction", "polarite", "polarity"),
    "description": ("description", "definition", "methodologie", "methode", "methodology"),
    "producer": ("producteur", "producer", "partenaire", "partner", "organisme", "fournisseur",
                 "ministere", "ministry"),
    "source": ("source", "sourcedesdonnees", "datasource"),
    "licence": ("licence", "license"),
    "measure": ("mesure", "measure", "codemesure"),
    "programme": ("programme", "program"),
    "theme": ("theme", "thematique", "secteur"),
    "levels": ("niveaux", "levels", "maille", "mailles", "niveaugeographique"),
}  # fmt: skip

_PERIODICITIES: Final = (
    (("annuel", "annuelle", "annual", "yearly", "an", "annee", "year"), Periodicity.ANNUAL),
    (("semestriel", "semestrielle", "semester", "semiannual", "biannual"), Periodicity.SEMESTER),
    (("trimestriel", "trimestrielle", "quarter", "quarterly"), Periodicity.QUARTER),
    (("mensuel", "mensuelle", "month", "monthly", "mois"), Periodicity.MONTH),
)
_DIRECTIONS: Final = (
    (
        (
            "hausse",
            "up",
            "augmentation",
            "croissant",
            "positif",
            "+",
            "alahausse",
            "increase",
            "higher",
            "higherisbetter",
        ),
        "up",
    ),
    (
        (
            "baisse",
            "down",
            "diminution",
            "decroissant",
            "negatif",
            "-",
            "alabaisse",
            "decrease",
            "lower",
            "lowerisbetter",
        ),
        "down",
    ),
    (("neutre", "neutral", "aucun", "none"), "neutral"),
)
_UNIT_WORDS: Final = (
    (("pourcent", "pourcentage", "taux", "part", "percent"), "%"),
    (("pourmille", "permille"), "‰"),
    (("euro", "euros", "eur"), "€"),
    (("milliersdeuros", "keur"), "k€"),
    (("europarhabitant", "eurosparhabitant"), "€ par habitant"),
    (("kilometre", "kilometres", "kilometers"), "km"),
    (("hectare", "hectares"), "ha"),
    (("minute", "minutes", "min"), "minutes"),
    (("jour", "jours", "days"), "jours"),
    (("nombre", "nb", "count", "number"), "nombre"),
)
# a unit made of these is a rate or a duration we cannot guess the factor of
_UNGUESSABLE: Final = re.compile(r"\bpar\b|/|heure|mois|ratio|indice|\bmds?\b|million|milliard")
_COUNT_LIKE: Final = re.compile(r"[a-z' ]+")
_SMALL_WORDS: Final = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au"})
# units whose values add up over territories (durations and shares do not)
_ADDITIVE_UNITS: Final = frozenset({"nombre", "€", "k€", "km", "ha"})


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


@dataclass(frozen=True)
class CatalogueImport:
    """The proposed tables and what could not be mapped, line by line."""

    indicators: tuple[dict[str, Any], ...]
    partners: tuple[dict[str, Any], ...]
    issues: tuple[Issue, ...]
    rows_read: int
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return len({i.line for i in self.issues if i.is_error and i.line is not None})


def find_metadata_columns(columns: Sequence[str]) -> dict[str, str]:
    """Role -> column name for the roles of :data:`COLUMN_ALIASES` present in ``columns``."""
    folded = {fold_identifier(column): column for column in reversed(columns)}
    found: dict[str, str] = {}
    for role, names in COLUMN_ALIASES.items():
        for name in names:
            column = folded.get(name)
            if column is not None and column not in found.values():
                found[role] = column
                break
    return found


def _fold(text: str) -> str:
    return fold_identifier(text)


def _words(text: str) -> str:
    return " ".join(strip_accents(text).lower().replace("*", " ").split())


def map_unit(text: str) -> tuple[str | None, str]:
    """The catalogue unit of a published one, and a French note when it was guessed."""
    written = " ".join(text.replace("*", " ").split())
    if not written:
        return None, "unité absente"
    for unit in UNIT_FACTORS:
        if unit.lower() == written.lower():
            return unit, ""
    words = _words(written)
    if written.startswith("%"):
        return "%", f"unité « {written} » lue comme « % »"
    for names, unit in _UNIT_WORDS:
        if _fold(written) in names or (words.split(" ")[0] in names and unit == "%"):
            return unit, f"unité « {written} » lue comme « {unit} »"
    if _UNGUESSABLE.search(words) or not _COUNT_LIKE.fullmatch(words):
        known = ", ".join(f"« {u} »" for u in UNIT_FACTORS)
        return None, f"unité inconnue « {written} » : indicateur non importé ; connues : {known}"
    return "nombre", f"unité « {written} » lue comme un nombre ({written})"


def map_periodicity(text: str) -> Periodicity | None:
    folded = _fold(text)
    for names, periodicity in _PERIODICITIES:
        if folded in names or folded.startswith(names[0]):
            return periodicity
    return None


def map_direction(text: str) -> str | None:
    folded = _fold(text) or text.strip()
    for names, direction in _DIRECTIONS:
        if folded in names or text.strip() in names:
            return direction
    return None


def indicator_code(identifier: str, prefix: str = "") -> str:
    """``tx-classes-cp-ce1-rep`` -> ``TX_CLASSES_CP_CE1_REP`` (with the prefix, 40 at most)."""
    core = re.sub(r"[^A-Z0-9]+", "_", strip_accents(identifier).upper()).strip("_")
    code = f"{prefix.upper()}{core}"
    if code[:1].isdigit():
        code = f"I_{code}"
    return code[:40].rstrip("_")


def partner_code(name: str) -> str:
    """``DITP`` stays ``DITP``; ``Direction interministérielle de la transformation publique``
    becomes its initials ``DITP``."""
    plain = strip_accents(name).strip()
    upper = re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")
    if " " not in plain and CODE_PATTERNS["partner"].match(upper):
        return upper
    words = [w for w in re.split(r"[^A-Za-z0-9]+", plain) if w and w.lower() not in _SMALL_WORDS]
    initials = "".join(word[0].upper() for word in words)
    return initials if len(initials) >= 2 else upper[:20]


def partner_kind(name: str) -> str:
    folded = _words(name)
    if folded.startswith("ministere"):
        return "ministere"
    if folded.startswith(("direction", "delegation", "secretariat")):
        return "direction_centrale"
    if "statisti" in folded or folded.startswith("insee"):
        return "service_statistique"
    if folded.startswith(("region", "departement", "commune", "communaute", "metropole")):
        return "collectivite"
    return "operateur"


class _Importer:
    def __init__(
        self, table: SourceTable, catalogue: Catalogue, defaults: ImportDefaults, replaced: set[str]
    ) -> None:
        self.table = table
        self.catalogue = catalogue
        self.defaults = defaults
        self.replaced = replaced  # codes of the file being rewritten: not "already there"
        self.columns = find_metadata_columns(table.columns)
        self.issues: list[Issue] = []
        self.partners: dict[str, dict[str, Any]] = {}
        self.partner_names = {_fold(p.name): p.code for p in catalogue.partners.values()}
        self.indicators: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, int] = {}
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

    def run(self) -> CatalogueImport:
        missing = [role for role in ("code", "label", "unit") if role not in self.columns]
        if missing:
            names = {"code": "identifiant", "label": "libellé", "unit": "unité"}
            wanted = ", ".join(names[m] for m in missing)
            self.note(
                None,
                None,
                IssueCode.MISSING_COLUMN,
                "",
                f"Colonnes introuvables : {wanted} ; colonnes "
                f"lues : {', '.join(self.table.columns)}",
                "error",
            )
            return self.result()
        self.file_notes()
        frame = self.table.frame
        for index, line in enumerate(self.table.lines.tolist()):
            row = {
                column: str(frame.iat[index, position])
                for position, column in enumerate(self.table.columns)
            }
            self.row(int(line), row)
        return self.result()

    def result(self) -> CatalogueImport:
        return CatalogueImport(
            tuple(self.indicators.values()),
            tuple(self.partners.values()),
            tuple(self.issues),
            len(self.table),
            dict(self.columns),
        )

    def file_notes(self) -> None:
        d = self.defaults
        assumed = []
        if "periodicity" not in self.columns:
            assumed.append(f"périodicité {d.periodicity.label}")
        if "direction" not in self.columns:
            assumed.append("sens neutre")
        if "levels" not in self.columns:
            assumed.append("niveaux " + ", ".join(level.label for level in d.levels))
        if "description" not in self.columns:
            assumed.append("description = libellé")
        assumed.append(f"maillon « {d.chain_level} » de la chaîne de résultats, à vérifier")
        self.note(
            None, None, IssueCode.DEFAULTS, "", "Sans colonne pour le dire : " + " ; ".join(assumed)
        )

    def row(self, line: int, row: Mapping[str, str]) -> None:
        identifier = self.cell(row, "code")
        if not identifier:
            self.note(
                line,
                "code",
                IssueCode.MISSING_IDENTIFIER,
                "",
                "Identifiant absent : ligne ignorée",
                "error",
            )
            return
        code = indicator_code(identifier, self.defaults.prefix)
        if code in self.seen:  # one row per indicator and territory: the first one describes it
            first = self.indicators.get(code)
            if first is not None and first["label"] != (self.cell(row, "label") or first["label"]):
                self.note(
                    line,
                    "label",
                    IssueCode.CONFLICTING_ROWS,
                    identifier,
                    f"Identifiant « {identifier} » déjà décrit ligne {self.seen[code]} avec "
                    "un autre libellé : la première description est gardée",
                    once=True,
                )
            return
        self.seen[code] = line
        if not CODE_PATTERNS["indicator"].match(code):
            self.note(
                line,
                "code",
                IssueCode.INVALID_IDENTIFIER,
                identifier,
                f"Identifiant « {identifier} » inutilisable comme code (« {code} ») : ligne "
                "ignorée",
                "error",
            )
            return
        if code in self.catalogue.indicators and code not in self.replaced:
            self.note(
                line,
                "code",
                IssueCode.KNOWN_INDICATOR,
                identifier,
                f"{code} est déjà au catalogue : ligne ignorée (modifiez sa définition dans "
                "son fichier)",
                "error",
            )
            return
        label = self.cell(row, "label")
        if not label:
            self.note(
                line,
                "label",
                IssueCode.MISSING_LABEL,
                "",
                "Libellé absent : ligne ignorée",
                "error",
            )
            return
        unit_text = self.cell(row, "unit")
        unit, unit_note = map_unit(unit_text)
        if unit is None:
            self.note(line, "unit", IssueCode.UNKNOWN_UNIT, unit_text, unit_note, "error")
            return
        if unit_note:
            self.note(line, "unit", IssueCode.GUESSED_UNIT, unit_text, unit_note, once=True)
        periodicity = self.periodicity(line, row)
        partner = self.partner(line, row)
        links = self.links(line, row)
        if periodicity is None or partner is None or links is None:
            return
        measures, programmes = links
        levels = self.levels(line, row)
        table: dict[str, Any] = {
            "code": code,
            "label": label,
            "description": self.cell(row, "description") or label,
            "theme": self.theme(line, row),
            "unit": unit,
            "direction": self.direction(line, row),
            "kind": "base",
            "aggregation": "sum" if unit in _ADDITIVE_UNITS else "none",
            "periodicity": periodicity.value,
            "publication_lag_months": 0,
            "levels": [level.value for level in levels],
            "chain_level": self.defaults.chain_level,
            "last_mile": False,
            "measures": measures,
            "programmes": programmes,
            "partner": partner,
            "range": {"min": 0, "max": 100} if unit == "%" else {"min": 0},
            "source": self.cell(row, "source") or self.partner_name(partner),
            "licence": self.cell(row, "licence") or self.defaults.licence,
        }
        self.indicators[code] = table

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
        known = self.partner_names.get(_fold(text))
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
            self.partner_names[_fold(text)] = code
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
            labels = {_fold(item.label): code for code, item in table.items()}
            code = text.upper() if text.upper() in table else labels.get(_fold(text))
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
        labels = {_fold(t.label): code for code, t in self.catalogue.themes.items()}
        found = text if text in self.catalogue.themes else labels.get(_fold(text))
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
        names = {_fold(level.label): level for level in Level} | {
            level.value.lower(): level for level in Level
        }
        names |= {
            "departements": Level.DEP,
            "regions": Level.REG,
            "national": Level.FR,
            "communes": Level.COM,
            "nationale": Level.FR,
            "france": Level.FR,
        }
        found: list[Level] = []
        for part in re.split(r"[,;|/]| et ", text):
            level = names.get(_fold(part))
            if level is None and part.strip():
                self.note(
                    line,
                    "levels",
                    IssueCode.UNKNOWN_LEVEL,
                    part.strip(),
                    f"Niveau inconnu « {part.strip()} » (commune, EPCI, département, "
                    "région, France) : ignoré",
                    once=True,
                )
            elif level is not None and level not in found:
                found.append(level)
        return tuple(level for level in Level if level in found) or self.defaults.levels


def import_indicator_table(
    table: SourceTable,
    catalogue: Catalogue,
    defaults: ImportDefaults | None = None,
    replaced: frozenset[str] = frozenset(),
) -> CatalogueImport:
    """The ``[[indicator]]`` and new ``[[partner]]`` tables proposed for ``table``'s rows.

    ``catalogue`` is the one the indicators join (its partners, measures, themes); ``replaced``
    lists codes of an earlier import of the same table, which may be written again.
    """
    return _Importer(table, catalogue, defaults or ImportDefaults(), set(replaced)).run()


def indicators_file_name(source_name: str) -> str:
    """``Baromètre résultats.xlsx`` -> ``indicators-barometre-resultats.toml``."""
    stem = Path(source_name).stem
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(stem).lower()).strip("-") or "import"
    return INDICATOR_FILES.replace("*", slug[:40])


def codes_in(path: Path) -> frozenset[str]:
    """The indicator codes an earlier import wrote to ``path`` (none if it does not exist)."""
    if not path.is_file():
        return frozenset()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(str(t.get("code")) for t in data.get("indicator", []))


def toml_table(kind: str, table: Mapping[str, Any]) -> str:
    """One ``[[kind]]`` table as the catalogue files write it: one key a line, a small table
    (``range``) inline, empty lists left out."""
    lines = [f"[[{kind}]]"]
    for key, value in table.items():
        if value == []:
            continue
        if isinstance(value, Mapping):
            inner = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {inner} }}")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return tomli_w.dumps({"v": value}).strip().removeprefix("v = ")


def write_catalogue_import(
    result: CatalogueImport, base: Path, out: Path, file_name: str, source: str
) -> list[Path]:
    """Write ``out`` as a catalogue directory: the files of ``base`` (unless ``out`` is already
    a catalogue), the new partners appended to ``partners.toml``, the indicators in
    ``file_name``. Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "partners.toml").exists():
        for path in sorted(base.glob("*.toml")):
            shutil.copyfile(path, out / path.name)
    written: list[Path] = []
    if result.partners:
        partners = out / "partners.toml"
        text = partners.read_text(encoding="utf-8") if partners.exists() else ""
        block = "\n".join(toml_table("partner", table) for table in result.partners)
        header = f"\n# Ajoutés par « suivi catalogue import » depuis {source} : à vérifier\n\n"
        partners.write_text(text.rstrip("\n") + "\n" + header + block, encoding="utf-8")
        written.append(partners)
    target = out / file_name
    header = (
        f"# Indicateurs importés par « suivi catalogue import » depuis {source}.\n"
        "# Relisez le sens, le maillon de la chaîne de résultats, l'agrégation et les niveaux.\n\n"
    )
    tables = "\n".join(toml_table("indicator", table) for table in result.indicators)
    target.write_text(header + tables, "utf-8")
    written.append(target)
    return written
