"""Observation periods: ``2025`` (year), ``2025-S1`` (semester), ``2025-T3`` (quarter), ``2025-07``.

The catalogue, the ingest and the computations all speak about periods; this module is the one place
that parses them. It depends on nothing else in the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import total_ordering

MIN_YEAR = 1900
MAX_YEAR = 2100


class PeriodKind(StrEnum):
    """Granularity of a period, from the coarsest to the finest."""

    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def months(self) -> int:
        """Number of months a period of this kind spans."""
        return _MONTHS[self]

    @property
    def per_year(self) -> int:
        return 12 // _MONTHS[self]

    @property
    def label(self) -> str:
        """French name shown to users."""
        return _LABELS[self]

    @property
    def with_article(self) -> str:
        """The French name after its indefinite article (« une année », « un trimestre »)."""
        return f"{'une' if self is PeriodKind.YEAR else 'un'} {_LABELS[self]}"


_MONTHS = {
    PeriodKind.YEAR: 12,
    PeriodKind.SEMESTER: 6,
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
}
_LABELS = {
    PeriodKind.YEAR: "année",
    PeriodKind.SEMESTER: "semestre",
    PeriodKind.QUARTER: "trimestre",
    PeriodKind.MONTH: "mois",
}


MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class PeriodError(ValueError):
    """A text is not a valid period; the message says why, in French."""


# "Q" is accepted on input because English-speaking tools write quarters that way; "T" is canonical.
_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<semester>S\d+)|(?P<quarter>[TQ]\d+)|(?P<month>\d{1,2})))?$",
    re.IGNORECASE,
)


@total_ordering
@dataclass(frozen=True)
class Period:
    """One period: ``index`` is the semester (1–2), quarter (1–4) or month (1–12); 1 for a year."""

    year: int
    kind: PeriodKind = PeriodKind.YEAR
    index: int = 1

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(f"année {self.year} hors de l'intervalle {MIN_YEAR}–{MAX_YEAR}")
        if not 1 <= self.index <= self.kind.per_year:
            raise PeriodError(
                f"{self.kind.label} {self.index} invalide : attendu de 1 à {self.kind.per_year}"
            )

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return f"{self.year}"
        if self.kind is PeriodKind.SEMESTER:
            return f"{self.year}-S{self.index}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-T{self.index}"
        return f"{self.year}-{self.index:02d}"

    # Chronological, and a longer period first when two start together (2025 < 2025-S1 < 2025-01):
    # total and stable. "Strictly before" without overlap is :meth:`is_before`.
    def _key(self) -> tuple[date, int]:
        return (self.start, -self.kind.months)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @property
    def label(self) -> str:
        """As people say it: ``2025``, ``1er semestre 2025``, ``3e trimestre 2025``,
        ``juillet 2025``."""
        if self.kind is PeriodKind.YEAR:
            return f"{self.year}"
        if self.kind is PeriodKind.MONTH:
            return f"{MONTH_NAMES[self.index - 1]} {self.year}"
        return f"{self.index}{'er' if self.index == 1 else 'e'} {self.kind.label} {self.year}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.kind.months + 1

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return self.shift(1).start - timedelta(days=1)

    @property
    def ordinal(self) -> int:
        """Position on a per-kind axis: consecutive periods of one kind differ by 1."""
        return self.year * self.kind.per_year + self.index - 1

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative), of the same kind."""
        year, index0 = divmod(self.ordinal + steps, self.kind.per_year)
        return Period(year, self.kind, index0 + 1)

    def to_kind(self, kind: PeriodKind) -> Period:
        """The period of a coarser (or equal) kind that contains this one."""
        if kind.months < self.kind.months:
            raise PeriodError(
                f"impossible de convertir {self} ({self.kind.label}) en {kind.label} : "
                "la période cible est plus fine"
            )
        return period_containing(self.start, kind)

    def is_before(self, other: Period) -> bool:
        """True when this period ends before ``other`` starts (no overlap)."""
        return self.end < other.start

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def subperiods(self, kind: PeriodKind) -> list[Period]:
        """The periods of a finer (or equal) kind that make up this one, in order."""
        if kind.months > self.kind.months:
            raise PeriodError(f"{kind.with_article} ne découpe pas {self.kind.with_article}")
        first = period_containing(self.start, kind)
        return [first.shift(i) for i in range(self.kind.months // kind.months)]

    def steps_until(self, other: Period) -> int:
        """Number of periods from this one to ``other`` (same kind), negative when earlier."""
        if other.kind is not self.kind:
            raise PeriodError(f"{self} et {other} ne sont pas du même type de période")
        return other.ordinal - self.ordinal


def parse_period(text: str) -> Period:
    """Parse ``2025``, ``2025-S1``, ``2025-T3`` (or ``2025-Q3``) or ``2025-07``.

    Raises :class:`PeriodError` with a French message on anything else.
    """
    cleaned = text.strip() if isinstance(text, str) else ""
    match = _PATTERN.match(cleaned)
    if match is None:
        raise PeriodError(
            f"période invalide « {text} » : formats acceptés 2025, 2025-S1, 2025-T3 ou 2025-07"
        )
    year = int(match["year"])
    try:
        if match["semester"]:
            return Period(year, PeriodKind.SEMESTER, int(match["semester"][1:]))
        if match["quarter"]:
            return Period(year, PeriodKind.QUARTER, int(match["quarter"][1:]))
        if match["month"]:
            return Period(year, PeriodKind.MONTH, int(match["month"]))
        return Period(year)
    except PeriodError as error:
        raise PeriodError(f"période invalide « {text} » : {error}") from None


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The period of the given kind that contains ``day``."""
    return Period(day.year, kind, (day.month - 1) // kind.months + 1)


def period_range(first: Period, last: Period) -> list[Period]:
    """Periods from ``first`` to ``last`` inclusive (same kind); empty if ``last`` is earlier."""
    return [first.shift(i) for i in range(first.steps_until(last) + 1)]
