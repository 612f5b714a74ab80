"""The territorial referential: tables read from ``data/reference`` and the hierarchy between them.

Typed codes never collide: ``COM:75056``, ``EPCI:200054781``, ``DEP:2A``, ``REG:84``, ``FR``.
Municipal arrondissements get ``ARM:75101`` inside this package only (for search and display):
the rest of the application counts them in their commune, so :mod:`.codes` maps them there.

Hierarchy (nearest parent first): commune -> EPCI -> département -> région -> France. An EPCI
may straddle départements; its parents are those of its seat (the ``departement`` column).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

import pandas as pd

from indicators.territories.levels import LEVEL_WORDS

Level = Literal["FR", "REG", "DEP", "EPCI", "COM", "ARM"]

LEVELS: Final[tuple[Level, ...]] = ("FR", "REG", "DEP", "EPCI", "COM", "ARM")
FRANCE: Final = "FR"

LEVEL_LABELS: Final[Mapping[Level, str]] = MappingProxyType(
    {level: LEVEL_WORDS[level].title for level in LEVELS}
)

REFERENCE_DIR_ENV: Final = "SUIVI_REFERENCE_DIR"

# file name -> columns that must be present; codes stay strings (leading zeros, 2A/2B)
TABLE_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "regions": ("code", "name", "population"),
        "departements": ("code", "name", "region", "population"),
        "epci": ("code", "name", "nature", "departement", "region", "population", "members"),
        "communes": ("code", "name", "departement", "region", "epci", "population"),
        "arrondissements": ("code", "name", "commune", "population"),
        "old_codes": ("old_code", "new_code", "old_name"),
    }
)


class ReferentialError(ValueError):
    """The reference files are missing or malformed; the message says which, in French."""


@dataclass(frozen=True, slots=True)
class Territory:
    """One territory of the referential; ``code`` is typed, ``local_code`` is the official code."""

    code: str
    level: Level
    local_code: str
    name: str
    population: int | None
    departement: str | None = None
    region: str | None = None
    epci: str | None = None
    commune: str | None = None
    nature: str | None = None


@dataclass(frozen=True, slots=True)
class OldCode:
    """A commune code absorbed by a commune nouvelle (or split): where it points today."""

    old_code: str
    new_codes: tuple[str, ...]
    old_name: str


def typed_code(level: Level, local_code: str) -> str:
    return FRANCE if level == "FR" else f"{level}:{local_code}"


def split_typed_code(code: str) -> tuple[Level, str]:
    """``"DEP:2A"`` -> ``("DEP", "2A")``; raises ``KeyError`` on a prefix that is not a level."""
    if code == FRANCE:
        return "FR", ""
    prefix, _, local = code.partition(":")
    for level in LEVELS:
        if level == prefix and local:
            return level, local
    raise KeyError(code)


@dataclass(frozen=True, eq=False)
class Referential:
    """The tables (as read) plus O(1) lookups by typed code and the hierarchy indexes.

    Build it with :func:`load_referential`. ``eq=False`` keeps identity hashing, so caches keyed
    by the referential (:mod:`.codes`) work.
    """

    tables: Mapping[str, pd.DataFrame]
    territories: Mapping[str, Territory]
    old_codes: Mapping[str, OldCode]
    source: Path | None = None
    _children: Mapping[tuple[str, Level], tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __contains__(self, code: object) -> bool:
        return code in self.territories

    def get(self, code: str) -> Territory | None:
        return self.territories.get(code)

    def territory(self, code: str) -> Territory:
        try:
            return self.territories[code]
        except KeyError:
            raise KeyError(f"territoire inconnu du référentiel : {code}") from None

    def name(self, code: str) -> str:
        return self.territory(code).name

    def population(self, code: str) -> int | None:
        return self.territory(code).population

    def codes(self, level: Level) -> tuple[str, ...]:
        """Every typed code of a level, in the files' order."""
        if level == "FR":
            return (FRANCE,)
        return self._children[(FRANCE, level)]

    def parents(self, code: str) -> tuple[str, ...]:
        """Typed codes of the enclosing territories, nearest first, ending with ``FR``."""
        territory = self.territory(code)
        chain: list[str] = []
        if territory.commune:
            chain.append(typed_code("COM", territory.commune))
            territory = self.territory(chain[-1])
        if territory.epci and territory.level == "COM":
            chain.append(typed_code("EPCI", territory.epci))
        if territory.departement:
            chain.append(typed_code("DEP", territory.departement))
        if territory.region:
            chain.append(typed_code("REG", territory.region))
        if territory.level != "FR":
            chain.append(FRANCE)
        return tuple(chain)

    def children(self, code: str, level: Level | None = None) -> tuple[str, ...]:
        """Typed codes one level down, or every descendant of ``level`` when given.

        Default next level: France -> régions -> départements -> EPCI (those with a member
        commune in the département) -> communes -> municipal arrondissements. A commune outside
        any EPCI (a few islands) is reached with ``level="COM"`` from its département.
        """
        own = self.territory(code).level
        wanted = level or _NEXT_LEVEL.get(own)
        if wanted is None:
            return ()
        return self._children.get((code, wanted), ())


_NEXT_LEVEL: Final[Mapping[Level, Level]] = MappingProxyType(
    {"FR": "REG", "REG": "DEP", "DEP": "EPCI", "EPCI": "COM", "COM": "ARM"}
)


def default_reference_dir() -> Path:
    """``SUIVI_REFERENCE_DIR`` when set, else the repository's ``data/reference``."""
    override = os.environ.get(REFERENCE_DIR_ENV, "").strip()
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "data" / "reference"


def read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    """Read the six CSV files with every column as text, checking their columns."""
    tables: dict[str, pd.DataFrame] = {}
    for table, columns in TABLE_COLUMNS.items():
        path = directory / f"{table}.csv"
        if not path.is_file():
            raise ReferentialError(f"fichier du référentiel absent : {path}")
        # keep_default_na=False: "NA" must stay a string, empty stays "" (a commune without EPCI)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise ReferentialError(f"{path.name} : colonnes manquantes {', '.join(missing)}")
        tables[table] = frame
    return tables


def load_referential(directory: Path | None = None) -> Referential:
    """Load the referential from ``directory`` (default: :func:`default_reference_dir`)."""
    directory = directory or default_reference_dir()
    return build_referential(read_tables(directory), source=directory)


def build_referential(
    tables: Mapping[str, pd.DataFrame], source: Path | None = None
) -> Referential:
    """Index tables already in memory (tests, or a referential built another way)."""
    territories: dict[str, Territory] = {}
    children: dict[tuple[str, Level], list[str]] = {}

    def add(territory: Territory, *parents: str) -> None:
        territories[territory.code] = territory
        children.setdefault((FRANCE, territory.level), []).append(territory.code)
        for parent in parents:
            children.setdefault((parent, territory.level), []).append(territory.code)

    for row in _records(tables["regions"]):
        add(Territory(typed_code("REG", row["code"]), "REG", row["code"], row["name"], _int(row)))
    for row in _records(tables["departements"]):
        code = row["code"]
        region = row["region"] or None
        add(
            Territory(typed_code("DEP", code), "DEP", code, row["name"], _int(row), region=region),
            *_typed("REG", region),
        )
    for row in _records(tables["epci"]):
        code = row["code"]
        territory = Territory(
            typed_code("EPCI", code),
            "EPCI",
            code,
            row["name"],
            _int(row),
            departement=row["departement"] or None,
            region=row["region"] or None,
            nature=row["nature"] or None,
        )
        # région link only: département links come from member communes (EPCI straddle them)
        add(territory, *_typed("REG", territory.region))
    epci_departements: set[tuple[str, str]] = set()
    for row in _records(tables["communes"]):
        code, dep, reg, epci = row["code"], row["departement"], row["region"], row["epci"]
        territory = Territory(
            typed_code("COM", code), "COM", code, row["name"], _int(row), dep, reg, epci or None
        )
        add(territory, *_typed("DEP", dep), *_typed("REG", reg), *_typed("EPCI", epci))
        if epci and dep:
            epci_departements.add((dep, epci))
    for row in _records(tables["arrondissements"]):
        code, commune_code = row["code"], row["commune"]
        commune = territories.get(typed_code("COM", commune_code))
        territory = Territory(
            typed_code("ARM", code),
            "ARM",
            code,
            row["name"],
            _int(row),
            commune.departement if commune else None,
            commune.region if commune else None,
            commune=commune_code,
        )
        add(territory, *_typed("COM", commune_code))
    for dep, epci in sorted(epci_departements, key=_epci_order(territories)):
        children.setdefault((typed_code("DEP", dep), "EPCI"), []).append(typed_code("EPCI", epci))

    territories[FRANCE] = Territory(
        FRANCE, "FR", "", "France", sum(t.population or 0 for t in _of(territories, "REG"))
    )
    return Referential(
        tables=MappingProxyType(dict(tables)),
        territories=MappingProxyType(territories),
        old_codes=MappingProxyType(_old_codes(tables["old_codes"])),
        source=source,
        _children=MappingProxyType({key: tuple(value) for key, value in children.items()}),
    )


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    # column lists then zip: ~20x faster than to_dict("records") on pandas 3 string columns
    columns = [str(column) for column in frame.columns]
    values = [frame[column].tolist() for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _int(row: Mapping[str, str]) -> int | None:
    raw = row.get("population", "").strip()
    return int(float(raw)) if raw else None


def _typed(level: Level, local: str | None) -> tuple[str, ...]:
    return (typed_code(level, local),) if local else ()


def _of(territories: Mapping[str, Territory], level: Level) -> list[Territory]:
    return [t for t in territories.values() if t.level == level]


def _epci_order(
    territories: Mapping[str, Territory],
) -> Callable[[tuple[str, str]], tuple[str, int, str]]:
    # EPCI listed under a département by decreasing population, then code: stable drill-down order
    def key(pair: tuple[str, str]) -> tuple[str, int, str]:
        epci = territories.get(typed_code("EPCI", pair[1]))
        return pair[0], -((epci.population or 0) if epci else 0), pair[1]

    return key


def _old_codes(frame: pd.DataFrame) -> dict[str, OldCode]:
    grouped: dict[str, OldCode] = {}
    for row in _records(frame):
        old, new = row["old_code"], row["new_code"]
        known = grouped.get(old)
        if known is None:
            grouped[old] = OldCode(old, (new,), row["old_name"])
        elif new not in known.new_codes:
            # a commune split between several current communes: reported as ambiguous
            grouped[old] = OldCode(old, (*known.new_codes, new), known.old_name)
    return grouped
