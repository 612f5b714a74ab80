"""The vocabulary of the demo recipes: what a generated quantity is (a level, a count, a
balance, a ratio's numerator), where it makes sense, and how programmes shift it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ByType = tuple[float, float, float]


class Exposure(StrEnum):
    """What a count is proportional to."""

    POPULATION = "population"  # rate per 1,000 inhabitants
    FS_SITES = "fs_sites"  # rate per France Services site of the commune
    UNIT = "unit"  # rate per territory


class Outside(StrEnum):
    """Status of a value where its requirement does not hold."""

    ZERO = "zero"  # a real zero: no France Services site, no subsidy
    NOT_APPLICABLE = "not_applicable"  # the question does not arise


@dataclass(frozen=True)
class Requirement:
    """Where a value makes sense: members of a programme (from their start date) and/or communes
    of at least ``min_population`` inhabitants."""

    programmes: tuple[str, ...] = ()
    min_population: int = 0
    outside: Outside = Outside.NOT_APPLICABLE


@dataclass(frozen=True)
class ProgrammeFactor:
    """Members of a programme differ: their persistent level is multiplied by ``factor``,
    from their start date (a cause) or always (``from_start=False``: why they were chosen)."""

    programme: str
    factor: float
    from_start: bool = True


@dataclass(frozen=True)
class Continuous:
    """A level in the indicator's unit (%, minutes, score…), clipped to ``bounds``."""

    level: ByType  # typical level in 2022
    spread: ByType  # standard deviation of a territory's persistent deviation
    trend: ByType  # change per year
    noise: ByType  # standard deviation of the period-to-period noise
    bounds: tuple[float | None, float | None] = (0.0, None)
    decimals: int = 1
    pop_slope: float = 0.0  # change for a tenfold population, within a type
    season: float = 0.0  # amplitude of the yearly cycle, in the unit
    peak_month: float = 1.0


@dataclass(frozen=True)
class Count:
    """A count (or an amount: ``amount`` euros per unit counted) proportional to an exposure.

    Flows are Poisson draws around the expected number, so that small communes show zeros;
    stocks move smoothly (no draw: each territory keeps its own rounding offset).
    """

    rate: ByType  # expected units per exposure in 2022 (per period for flows)
    spread: float  # log-scale standard deviation of a territory's persistent multiplier
    trend: ByType  # relative change per year
    noise: float  # log-scale standard deviation of the period-to-period noise
    stock: bool = False
    exposure: Exposure = Exposure.POPULATION
    season: float = 0.0  # relative amplitude of the yearly cycle
    peak_month: float = 1.0
    amount: float = 1.0
    amount_spread: float = 0.0
    decimals: int = 0


@dataclass(frozen=True)
class Balance:
    """Openings minus closings (per 1,000 inhabitants per period): may be negative."""

    opening: ByType
    closing: ByType
    spread: float


@dataclass(frozen=True)
class Portion:
    """The numerator of a ratio: ``rate`` (a generated derived indicator) of ``whole``."""

    rate: str
    whole: str


Model = Continuous | Count | Balance | Portion


@dataclass(frozen=True)
class Recipe:
    model: Model
    latent: str = ""  # name of a persistent deviation shared with other recipes ("" = own)
    programmes: tuple[ProgrammeFactor, ...] = ()
    requires: Requirement | None = None
    secret_below: int | None = None  # health counts: 1 to secret_below - 1 are secret

    @property
    def takes_effects(self) -> bool:
        return not isinstance(self.model, Portion)
