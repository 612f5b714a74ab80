"""Definitions of partners, themes, programmes, measures and indicators, read from TOML files.

``load_catalogue()`` reads the catalogue shipped next to this module (or another directory) and
raises :class:`CatalogueValidationError` if it is invalid; ``validate_catalogue()`` returns every
error as ``file:line: message``. The demo content is described in ``README.md`` of this directory.
"""

from indicators.catalogue.errors import CatalogueError, CatalogueValidationError
from indicators.catalogue.formula import Formula, FormulaError, parse_formula
from indicators.catalogue.listing import LIST_COLUMNS, catalogue_rows, render_catalogue_list
from indicators.catalogue.loader import (
    DEFAULT_DIRECTORY,
    load_catalogue,
    read_catalogue,
    validate_catalogue,
)
from indicators.catalogue.model import (
    ALL_TERRITORIES,
    POPULATION_WEIGHT,
    UNIT_FACTORS,
    Aggregation,
    Baseline,
    Catalogue,
    ChainLevel,
    Direction,
    Indicator,
    Kind,
    Level,
    Measure,
    Milestone,
    Partner,
    PartnerKind,
    Periodicity,
    Programme,
    Target,
    TerritoryType,
    Theme,
    ValidRange,
)
from indicators.catalogue.versioning import definition_hash, definition_to_dict

__all__ = [
    "ALL_TERRITORIES",
    "DEFAULT_DIRECTORY",
    "LIST_COLUMNS",
    "POPULATION_WEIGHT",
    "UNIT_FACTORS",
    "Aggregation",
    "Baseline",
    "Catalogue",
    "CatalogueError",
    "CatalogueValidationError",
    "ChainLevel",
    "Direction",
    "Formula",
    "FormulaError",
    "Indicator",
    "Kind",
    "Level",
    "Measure",
    "Milestone",
    "Partner",
    "PartnerKind",
    "Periodicity",
    "Programme",
    "Target",
    "TerritoryType",
    "Theme",
    "ValidRange",
    "catalogue_rows",
    "definition_hash",
    "definition_to_dict",
    "load_catalogue",
    "parse_formula",
    "read_catalogue",
    "render_catalogue_list",
    "validate_catalogue",
]
