"""The catalogue as typed, immutable values: partners, programmes, measures, themes and indicators.

Enum values are what the TOML files contain (English, like every identifier); ``label`` gives the
French word shown to users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from indicators.catalogue.formula import Formula
from indicators.periods import Period, PeriodKind


class _LabelledEnum(StrEnum):
    @property
    def label(self) -> str:
        return _FRENCH[self]


class Direction(_LabelledEnum):
    """Which way the indicator should move for the policy to be doing well."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


class Kind(_LabelledEnum):
    BASE = "base"  # uploaded by a partner
    DERIVED = "derived"  # computed from other indicators by a formula


class Aggregation(_LabelledEnum):
    """How values of several territories combine into the value of a territory set."""

    SUM = "sum"
    RATIO = "ratio"  # sum of numerator / sum of denominator, times the factor
    WEIGHTED_MEAN = "weighted_mean"  # weighted by population or by another indicator
    MIN = "min"
    MAX = "max"
    NONE = "none"  # not aggregable: shown per territory only


class Periodicity(_LabelledEnum):
    ANNUAL = "annual"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def period_kind(self) -> PeriodKind:
        return _PERIOD_KINDS[self]


class ChainLevel(_LabelledEnum):
    """Step of the results chain: means, what they produce, what changes, the lasting effect."""

    INPUT = "input"
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class Level(_LabelledEnum):
    """Territory levels an indicator is published at, from the finest to the coarsest."""

    COM = "COM"
    EPCI = "EPCI"
    DEP = "DEP"
    REG = "REG"
    FR = "FR"


class TerritoryType(_LabelledEnum):
    """Typology of the action plan, by population."""

    UNDER_20K = "moins_20k"
    FROM_20K_TO_100K = "20k_100k"
    OVER_100K = "plus_100k"


class PartnerKind(_LabelledEnum):
    MINISTRY = "ministere"
    CENTRAL_DIRECTORATE = "direction_centrale"
    STATISTICAL_SERVICE = "service_statistique"
    OPERATOR = "operateur"
    INDEPENDENT_AUTHORITY = "autorite_independante"
    SOCIAL_SECURITY = "securite_sociale"
    PUBLIC_FINANCIAL_INSTITUTION = "institution_financiere_publique"
    PUBLIC_COMPANY = "entreprise_publique"
    ELECTED_OFFICIALS_ASSOCIATION = "association_elus"
    LOCAL_AUTHORITY = "collectivite"


_FRENCH: dict[StrEnum, str] = {
    Direction.UP: "hausse",
    Direction.DOWN: "baisse",
    Direction.NEUTRAL: "neutre",
    Kind.BASE: "de base",
    Kind.DERIVED: "calculé",
    Aggregation.SUM: "somme",
    Aggregation.RATIO: "rapport des sommes",
    Aggregation.WEIGHTED_MEAN: "moyenne pondérée",
    Aggregation.MIN: "minimum",
    Aggregation.MAX: "maximum",
    Aggregation.NONE: "non agrégeable",
    Periodicity.ANNUAL: "annuelle",
    Periodicity.SEMESTER: "semestrielle",
    Periodicity.QUARTER: "trimestrielle",
    Periodicity.MONTH: "mensuelle",
    ChainLevel.INPUT: "moyens",
    ChainLevel.OUTPUT: "réalisations",
    ChainLevel.OUTCOME: "résultats",
    ChainLevel.IMPACT: "impacts",
    Level.COM: "commune",
    Level.EPCI: "EPCI",
    Level.DEP: "département",
    Level.REG: "région",
    Level.FR: "France",
    TerritoryType.UNDER_20K: "moins de 20 000 habitants",
    TerritoryType.FROM_20K_TO_100K: "de 20 000 à 100 000 habitants",
    TerritoryType.OVER_100K: "plus de 100 000 habitants",
    PartnerKind.MINISTRY: "ministère",
    PartnerKind.CENTRAL_DIRECTORATE: "direction d'administration centrale",
    PartnerKind.STATISTICAL_SERVICE: "service statistique public",
    PartnerKind.OPERATOR: "opérateur de l'État",
    PartnerKind.INDEPENDENT_AUTHORITY: "autorité administrative indépendante",
    PartnerKind.SOCIAL_SECURITY: "organisme de sécurité sociale",
    PartnerKind.PUBLIC_FINANCIAL_INSTITUTION: "institution financière publique",
    PartnerKind.PUBLIC_COMPANY: "entreprise publique",
    PartnerKind.ELECTED_OFFICIALS_ASSOCIATION: "association d'élus",
    PartnerKind.LOCAL_AUTHORITY: "collectivité",
}

_PERIOD_KINDS = {
    Periodicity.ANNUAL: PeriodKind.YEAR,
    Periodicity.SEMESTER: PeriodKind.SEMESTER,
    Periodicity.QUARTER: PeriodKind.QUARTER,
    Periodicity.MONTH: PeriodKind.MONTH,
}

# Known units and the factor that turns a raw ratio (numerator / denominator, or a formula result)
# into the number shown; a closed list so that a typo in a unit is caught like any other.
UNIT_FACTORS: Mapping[str, float] = MappingProxyType(
    {
        "%": 100.0,
        "‰": 1000.0,
        "pour 1 000 hab.": 1000.0,
        "pour 10 000 hab.": 10000.0,
        "pour 100 000 hab.": 100000.0,
        "nombre": 1.0,
        "€": 1.0,
        "k€": 1.0,
        "€ par habitant": 1.0,
        "minutes": 1.0,
        "jours": 1.0,
        "km": 1.0,
        "ha": 1.0,
        "score": 1.0,
        "consultations par an et par habitant": 1.0,
        "t CO2e par habitant": 1.0,
    }
)

# The weight of a population-weighted mean: the legal population of the territory referential.
POPULATION_WEIGHT = "population"

# The scope of a target or baseline value that applies to every territory.
ALL_TERRITORIES = "all"


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    kind: PartnerKind
    description: str = ""
    website: str = ""


@dataclass(frozen=True)
class Theme:
    """One of the five workshops of the Conférence nationale des territoires."""

    code: str
    label: str
    description: str
    order: int


@dataclass(frozen=True)
class Programme:
    code: str
    label: str
    description: str
    membership_set: str  # slug of the territory set of member territories
    headline_indicators: tuple[str, ...]
    lead_partner: str = ""


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    description: str
    theme: str
    test_set: str  # slug of the territory set of test territories
    start_date: date
    territory_types: tuple[TerritoryType, ...]
    headline_indicator: str
    # Demo-only: a measure that the demo data leaves without any effect, to show that the
    # evaluation does not invent one. A real catalogue never sets it.
    placebo: bool = False


@dataclass(frozen=True)
class Milestone:
    period: Period
    value: float


@dataclass(frozen=True)
class Target:
    """A value to reach at ``period``; ``scope``: ``all``, a territory type or a territory code."""

    scope: str
    value: float
    period: Period
    cumulative: bool = False  # the value is the sum over the periods since the baseline
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True)
class Baseline:
    """Reference period and, optionally, reference values by scope (as pairs, to stay hashable)."""

    period: Period
    values: tuple[tuple[str, float], ...] = ()

    def value_for(self, scope: str) -> float | None:
        return dict(self.values).get(scope)


@dataclass(frozen=True)
class ValidRange:
    min: float | None = None
    max: float | None = None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class Indicator:
    """One indicator definition: every field an ``indicators-*.toml`` entry may hold (``suivi
    catalogue list --format json`` shows them all)."""

    code: str
    label: str
    description: str
    theme: str
    unit: str
    factor: float  # raw ratio or formula result x factor = value shown in ``unit``
    direction: Direction
    kind: Kind
    aggregation: Aggregation
    periodicity: Periodicity
    publication_lag_months: int
    levels: tuple[Level, ...]
    chain_level: ChainLevel
    last_mile: bool
    measures: tuple[str, ...]
    programmes: tuple[str, ...]
    partner: str
    source: str
    licence: str
    formula: Formula | None = None
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None  # ``population`` or an indicator code
    valid_range: ValidRange = ValidRange()
    baseline: Baseline | None = None
    targets: tuple[Target, ...] = ()

    @property
    def is_derived(self) -> bool:
        return self.kind is Kind.DERIVED

    @property
    def dependencies(self) -> frozenset[str]:
        """Indicator codes this definition refers to (formula, ratio terms, weight)."""
        codes = set(self.formula.variables) if self.formula else set()
        codes.update(c for c in (self.numerator, self.denominator) if c)
        if self.weight and self.weight != POPULATION_WEIGHT:
            codes.add(self.weight)
        return frozenset(codes)


@dataclass(frozen=True)
class Catalogue:
    """Every definition, keyed by code, in file order."""

    partners: Mapping[str, Partner]
    themes: Mapping[str, Theme]
    programmes: Mapping[str, Programme]
    measures: Mapping[str, Measure]
    indicators: Mapping[str, Indicator]

    def indicators_for_measure(self, measure: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if measure in i.measures]

    def indicators_for_programme(self, programme: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if programme in i.programmes]
