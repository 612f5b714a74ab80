"""What the territory-code rules work with: a cleaned value, the resolution a rule answers, the
context a rule reaches the referential through, and the French words for the levels expected."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, Protocol

from .levels import nouns
from .referential import Level, Referential, Territory

Status = Literal["ok", "mapped", "unknown", "ambiguous"]
HintLevel = Literal["COM", "EPCI", "DEP", "REG", "FR"]
HINT_LEVELS: Final[tuple[HintLevel, ...]] = ("COM", "EPCI", "DEP", "REG", "FR")
LEVEL_NOUNS: Final[Mapping[str, str]] = nouns(("COM", "EPCI", "DEP", "REG", "FR"))
EXPECTED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "COM": "un code de commune",
        "EPCI": "un SIREN d'EPCI",
        "DEP": "un code de département",
        "REG": "un code de région",
        "FR": "la France entière",
    }
)


@dataclass(frozen=True, slots=True)
class CodeResolution:
    """What :func:`normalise_code` made of one value.

    ``code`` is the typed code (``None`` unless status is ok or mapped); ``rule`` names the rule
    that answered; ``message`` is French, ready for a warning or an error; ``suggestion`` is a
    typed code the person probably meant; ``candidates`` lists the readings of an ambiguous code.
    """

    code: str | None
    status: Status
    rule: str
    message: str = ""
    suggestion: str | None = None
    candidates: tuple[str, ...] = ()
    level: Level | Literal["GRP"] | None = None

    @property
    def resolved(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class CleanValue:
    """A value after cleaning: ``text`` as written (trimmed), ``key`` upper-cased for matching,
    ``numeric`` when it came as a number, ``level`` the level expected."""

    text: str
    key: str
    numeric: bool
    level: HintLevel | None


class RuleContext(Protocol):
    """What a rule may ask of the normaliser running it."""

    @property
    def referential(self) -> Referential: ...

    def get(self, level: Level, local: str) -> Territory | None: ...

    def describe(self, code: str) -> str: ...

    def apply_rules(self, value: CleanValue) -> CodeResolution: ...


RuleFunction = Callable[[RuleContext, CleanValue], CodeResolution | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of the rules table: a stable name, a French description, the function."""

    name: str
    description: str
    apply: RuleFunction


def allows(value: CleanValue, level: str) -> bool:
    return value.level is None or value.level == level


def ok_resolution(
    code: str, rule: str, level: Level | Literal["GRP"], message: str = ""
) -> CodeResolution:
    return CodeResolution(code, "ok", rule, message, level=level)


def failed_resolution(rule: str, message: str, suggestion: str | None = None) -> CodeResolution:
    return CodeResolution(None, "unknown", rule, message, suggestion)


def quoted(value: CleanValue) -> str:
    return f"« {value.text} »"


def unknown_resolution(value: CleanValue) -> CodeResolution:
    if value.level is None:
        what = "ni commune, ni EPCI, ni département, ni région du référentiel"
    else:
        what = f"ce n'est pas {EXPECTED[value.level]} du référentiel"
    return failed_resolution("unknown", f"Code {quoted(value)} inconnu : {what}")
