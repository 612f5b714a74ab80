"""The rules table of the territory-code normalisation (:mod:`.codes` runs it).

Each rule is a small function of a cleaned value that answers with a :class:`CodeResolution` or
passes (``None``) to the next one. They reach the referential through
:class:`~.code_resolution.RuleContext`; the commune rules are in :mod:`.commune_rules`.

Tried in order; the first that answers decides (:data:`RULES`):

=========================== ========================================================= =========
rule                        what it reads                                             status
=========================== ========================================================= =========
``missing``                 empty cell, ``NA``, ``N/A``, ``#N/A``, ``NULL``, ``-``    unknown
``typed-code``              ``COM:75056``, ``DEP:2A``, ``REG:84``, ``EPCI:…``,        ok
                            ``GRP:…``
``france``                  ``FR``, ``FRA``, ``France``, ``France entière``           ok
``prefixed-code``           ``D01``, ``DEP01``, ``DPT 01``, ``R84``, ``REG84``        ok
``overseas-letter-code``    other ministries' ``ZA`` ``ZB`` ``ZC`` ``ZD`` ``ZM``      ok
``outside-referential``     975, 977, 978, 98x and their communes, ``ZS``…``ZZ``      unknown
``placeholder``             dummy rows: ``99999``, ``999999``, ``00000``, ``-9999``   unknown
``commune``                 current commune code (5 characters)                       ok
``arrondissement``          Paris/Lyon/Marseille arrondissement -> its commune        mapped
``old-commune-code``        commune absorbed by a commune nouvelle -> today's one     mapped
``corsica-20``              pre-1976 Corsican ``20xxx`` -> ``2Axxx``/``2Bxxx``        mapped
``commune-missing-zero``    4 digits, leading zero lost: ``1001`` -> ``01001``        ok
``epci``                    EPCI SIREN (9 digits)                                     ok
``ambiguous-level``         both a département and a région (``84``, ``1``)           ambiguous
``departement``             ``01``…``95``, ``2A``, ``2B``, ``971``…``976``            ok
``departement-unpadded``    ``9`` -> ``09``                                           ok
``departement-three-chars`` ``001`` -> ``01``, ``02A`` -> ``2A``                      ok
``region``                  ``11``…``94``, ``01``…``06``                              ok
``region-unpadded``         ``1`` -> ``01`` when a région is expected                 ok
``level-mismatch``          a valid code of another level than the one expected       unknown
``unknown``                 anything else                                             unknown
=========================== ========================================================= =========
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Final

from .code_resolution import (
    EXPECTED,
    LEVEL_NOUNS,
    CleanValue,
    CodeResolution,
    HintLevel,
    Rule,
    RuleContext,
    RuleFunction,
    allows,
    failed_resolution,
    ok_resolution,
    quoted,
    unknown_resolution,
)
from .commune_rules import (
    arrondissement,
    commune,
    commune_missing_zero,
    corsica_20,
    old_commune_code,
)
from .folding import strip_accents
from .referential import Level, Territory, typed_code

_MISSING: Final = frozenset({"", "NA", "N/A", "#N/A", "NAN", "NULL", "NONE", "-", "--", "ND"})


def _missing(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if value.key not in _MISSING:
        return None
    if not value.text:
        return failed_resolution("missing", "Code vide : aucun territoire indiqué")
    return failed_resolution(
        "missing", f"Valeur manquante {quoted(value)} à la place d'un code de territoire"
    )


_TYPED: Final = re.compile(r"(COM|ARM|EPCI|DEP|REG|GRP)\s*:\s*(\S.*)")
_TYPED_LEVELS: Final[Mapping[str, HintLevel]] = MappingProxyType(
    {"COM": "COM", "ARM": "COM", "EPCI": "EPCI", "DEP": "DEP", "REG": "REG"}
)
_GROUP_SLUG: Final = re.compile(r"[a-z0-9][a-z0-9_-]*")
_CANONICAL_RULES: Final = frozenset({"commune", "epci", "departement", "region"})


def _typed_code(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    match = _TYPED.fullmatch(value.key)
    if not match:
        return None
    prefix = match.group(1)
    local = value.text.partition(":")[2].strip()
    if prefix != "GRP":
        return _read_as(n, value, local, _TYPED_LEVELS[prefix], "typed-code")
    if value.level is not None:
        return _mismatch(value, f"groupe {local}")
    if not _GROUP_SLUG.fullmatch(local):
        return failed_resolution("typed-code", f"Identifiant de groupe invalide {quoted(value)}")
    # groups live in the sets registry, not in the referential: checked where they are stored
    return ok_resolution(f"GRP:{local}", "typed-code", "GRP")


_FRANCE: Final = frozenset({"FR", "FRA", "FRANCE", "FRANCE ENTIERE", "NATIONAL"})


def _france(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if value.key[:1] not in ("F", "N"):  # cheap exit: this rule runs for every unusual value
        return None
    if " ".join(strip_accents(value.key).replace("-", " ").split()) not in _FRANCE:
        return None
    if not allows(value, "FR"):
        return _mismatch(value, "France entière")
    return ok_resolution("FR", "france", "FR")


_PREFIXED: Final = re.compile(r"(DEPT|DEP|DPT|D|REG|R|COM|EPCI|SIREN)[\s_.:-]*(\d[\dAB]?\d*)")
_PREFIX_LEVELS: Final[Mapping[str, HintLevel]] = MappingProxyType(
    {
        "D": "DEP",
        "DEP": "DEP",
        "DEPT": "DEP",
        "DPT": "DEP",
        "R": "REG",
        "REG": "REG",
        "COM": "COM",
        "EPCI": "EPCI",
        "SIREN": "EPCI",
    }
)


def _prefixed_code(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    match = _PREFIXED.fullmatch(value.key)
    if not match:
        return None
    return _read_as(n, value, match.group(2), _PREFIX_LEVELS[match.group(1)], "prefixed-code")


def _read_as(
    n: RuleContext, value: CleanValue, local: str, level: HintLevel, rule: str
) -> CodeResolution:
    """Resolve the local part of a typed or prefixed code at the level its prefix names."""
    if not allows(value, level):
        return _mismatch(value, f"{LEVEL_NOUNS[level]} {local}")
    inner = n.apply_rules(CleanValue(local, local.upper(), False, level))
    if inner.status == "ok" and inner.rule in _CANONICAL_RULES:
        return replace(inner, rule=rule)
    return inner


_OVERSEAS_LETTERS: Final[Mapping[str, str]] = MappingProxyType(
    {"ZA": "971", "ZB": "972", "ZC": "973", "ZD": "974", "ZM": "976"}
)


def _overseas_letter_code(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    departement = _OVERSEAS_LETTERS.get(value.key)
    territory = n.get("DEP", departement) if departement else None
    if territory is None:
        return None
    note = f"Code {value.key} (nomenclature des ministères) lu comme"
    if value.level == "REG" and territory.region:
        # overseas départements are one-département régions: the région is unambiguous
        code = typed_code("REG", territory.region)
        return ok_resolution(code, "overseas-letter-code", "REG", f"{note} la {n.describe(code)}")
    if not allows(value, "DEP"):
        return _mismatch(value, n.describe(territory.code))
    message = f"{note} le {n.describe(territory.code)}"
    return ok_resolution(territory.code, "overseas-letter-code", "DEP", message)


_COLLECTIVITIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "975": "Saint-Pierre-et-Miquelon",
        "977": "Saint-Barthélemy",
        "978": "Saint-Martin",
        "984": "Terres australes et antarctiques françaises",
        "986": "Wallis-et-Futuna",
        "987": "Polynésie française",
        "988": "Nouvelle-Calédonie",
        "989": "Île de Clipperton",
    }
)
_COLLECTIVITY_LETTERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ZS": "Saint-Pierre-et-Miquelon",
        "ZX": "Saint-Barthélemy et Saint-Martin",
        "ZW": "Wallis-et-Futuna",
        "ZP": "Polynésie française",
        "ZN": "Nouvelle-Calédonie",
        "ZZ": "Français établis hors de France",
    }
)


def _outside_referential(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    key = value.key
    name = _COLLECTIVITY_LETTERS.get(key)
    if name is None and len(key) in (3, 5) and key.isdigit():
        name = _COLLECTIVITIES.get(key[:3])
    if name is None:
        return None
    return failed_resolution(
        "outside-referential",
        f"Code {key} ({name}) : hors du référentiel des communes, départements et régions ; "
        "la ligne ne peut être rattachée à aucun territoire suivi",
    )


_PLACEHOLDER: Final = re.compile(r"-?9{4,}|0{5,}|-9+")


def _placeholder(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not _PLACEHOLDER.fullmatch(value.key):
        return None
    return failed_resolution(
        "placeholder",
        f"Code {value.key} : ligne factice (code de remplissage) que ne porte aucun territoire",
    )


_SIREN: Final = re.compile(r"\d{9}")


def _epci(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not allows(value, "EPCI") or not _SIREN.fullmatch(value.key):
        return None
    territory = n.get("EPCI", value.key)
    if territory is not None:
        return ok_resolution(territory.code, "epci", "EPCI")
    return failed_resolution(
        "epci",
        f"SIREN {value.key} inconnu des EPCI actuels : EPCI dissous ou fusionné depuis, "
        "ou SIREN d'une autre structure (commune, syndicat)",
    )


_SHORT_FORMS: Final[tuple[tuple[re.Pattern[str], tuple[tuple[Level, str, str], ...]], ...]] = (
    # (shape, ((level, how to rebuild the local code, rule), ...)); "{}" is the key
    (re.compile(r"\d\d|2[AB]|97\d"), (("DEP", "{}", "departement"), ("REG", "{}", "region"))),
    (
        re.compile(r"\d"),
        (("DEP", "0{}", "departement-unpadded"), ("REG", "0{}", "region-unpadded")),
    ),
)
_THREE_CHAR_DEPARTEMENT: Final = re.compile(r"0(\d\d|2[AB])")


def _short_readings(n: RuleContext, value: CleanValue) -> list[tuple[Territory, str]]:
    """Each (territory, rule) a 1-3 character code can mean as a département or a région."""
    key = value.key
    forms: tuple[tuple[Level, str], ...] = ()
    rules: tuple[str, ...] = ()
    for shape, readings in _SHORT_FORMS:
        if shape.fullmatch(key):
            forms = tuple((level, template.format(key)) for level, template, _ in readings)
            rules = tuple(rule for _, _, rule in readings)
            break
    else:
        three = _THREE_CHAR_DEPARTEMENT.fullmatch(key)
        if three:
            forms, rules = (("DEP", three.group(1)),), ("departement-three-chars",)
    found: list[tuple[Territory, str]] = []
    for (level, local), rule in zip(forms, rules, strict=True):
        territory = n.get(level, local)
        if territory is not None and allows(value, level):
            found.append((territory, rule))
    return found


def _ambiguous_level(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    readings = _short_readings(n, value)
    if len(readings) < 2:
        return None
    described = " ou ".join(n.describe(t.code) for t, _ in readings)
    typed = " ou ".join(f"« {t.code} »" for t, _ in readings)
    return CodeResolution(
        None,
        "ambiguous",
        "ambiguous-level",
        f"Code {value.text} ambigu : {described} ; précisez le niveau ({typed})",
        candidates=tuple(t.code for t, _ in readings),
    )


def _short_rule(name: str) -> RuleFunction:
    def apply(n: RuleContext, value: CleanValue) -> CodeResolution | None:
        for territory, rule in _short_readings(n, value):
            if rule == name:
                message = ""
                if territory.local_code != value.key:
                    message = f"Code {value.text} lu comme {n.describe(territory.code)}"
                return ok_resolution(territory.code, rule, territory.level, message)
        return None

    return apply


def _level_mismatch(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if value.level is None:
        return None
    anywhere = n.apply_rules(replace(value, level=None))
    if anywhere.code is not None and anywhere.status in ("ok", "mapped"):
        return _mismatch(value, n.describe(anywhere.code), _ancestor(n, anywhere.code, value.level))
    if anywhere.status == "ambiguous" and anywhere.candidates:
        return _mismatch(value, " ou ".join(n.describe(code) for code in anywhere.candidates))
    return None


def _ancestor(n: RuleContext, code: str, level: str) -> str | None:
    if code not in n.referential:
        return None
    for parent in n.referential.parents(code):
        if parent == level or parent.startswith(f"{level}:"):
            return parent
    return None


def _mismatch(value: CleanValue, found: str, suggestion: str | None = None) -> CodeResolution:
    expected = EXPECTED[value.level] if value.level else "un code de territoire"
    return failed_resolution(
        "level-mismatch",
        f"Code {value.text} : {found}, alors que la colonne attend {expected}",
        suggestion,
    )


def _unknown_rule(n: RuleContext, value: CleanValue) -> CodeResolution:
    return unknown_resolution(value)


RULES: Final[tuple[Rule, ...]] = (
    Rule("missing", "Cellule vide ou valeur manquante (NA, N/A, #N/A, NULL, -)", _missing),
    Rule("typed-code", "Code déjà typé : COM:75056, DEP:2A, REG:84, EPCI:…, GRP:…", _typed_code),
    Rule("france", "France entière : FR, FRA, France, France entière, National", _france),
    Rule("prefixed-code", "Code précédé de son niveau : D01, DEP01, R84, REG84", _prefixed_code),
    Rule(
        "overseas-letter-code",
        "Codes outre-mer des ministères : ZA, ZB, ZC, ZD, ZM → 971, 972, 973, 974, 976",
        _overseas_letter_code,
    ),
    Rule(
        "outside-referential",
        "Collectivités d'outre-mer hors référentiel : 975, 977, 978, 98x, ZS, ZX, ZW, ZP, ZN, ZZ",
        _outside_referential,
    ),
    Rule("placeholder", "Ligne factice : 99999, 999999, 00000, -9999", _placeholder),
    Rule("commune", "Code officiel géographique d'une commune actuelle", commune),
    Rule(
        "arrondissement",
        "Arrondissement municipal de Paris, Lyon ou Marseille → sa commune",
        arrondissement,
    ),
    Rule(
        "old-commune-code",
        "Code d'une commune absorbée par une commune nouvelle → la commune actuelle",
        old_commune_code,
    ),
    Rule("corsica-20", "Ancien code corse 20xxx → 2Axxx ou 2Bxxx ; 20 → 2A ou 2B", corsica_20),
    Rule(
        "commune-missing-zero",
        "Code de commune à 4 chiffres dont le zéro initial a été perdu : 1001 → 01001",
        commune_missing_zero,
    ),
    Rule("epci", "SIREN d'un EPCI à fiscalité propre (9 chiffres)", _epci),
    Rule(
        "ambiguous-level",
        "Code à la fois département et région (84, 1) : ambigu sans niveau indiqué",
        _ambiguous_level,
    ),
    Rule("departement", "Code de département : 01…95, 2A, 2B, 971…976", _short_rule("departement")),
    Rule(
        "departement-unpadded",
        "Département sans zéro initial : 9 → 09",
        _short_rule("departement-unpadded"),
    ),
    Rule(
        "departement-three-chars",
        "Département sur trois caractères : 001 → 01, 02A → 2A",
        _short_rule("departement-three-chars"),
    ),
    Rule("region", "Code de région : 11…94, 01…06", _short_rule("region")),
    Rule("region-unpadded", "Région sans zéro initial : 1 → 01", _short_rule("region-unpadded")),
    Rule(
        "level-mismatch",
        "Code valide, mais d'un autre niveau que celui attendu par la colonne",
        _level_mismatch,
    ),
    Rule("unknown", "Aucune règle ne reconnaît la valeur", _unknown_rule),
)
