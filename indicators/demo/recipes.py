"""How each indicator's demo values are made: one recipe per generated quantity (the kinds of
recipes are in ``recipe_model``).

A value is a territory's persistent level (by type and population, plus a deviation of its own)
+ a common trend by type + a seasonal cycle for sub-annual periods + noise + the injected effect
of a measure after the territory's start date (see ``effects.toml``). Parallel trends hold by
construction: the trend depends on the type only, never on whether a territory is tested.

Numbers are plausible orders of magnitude for a civil servant, not statistics: per 1,000
inhabitants for counts, in the indicator's unit for levels. ``ByType`` tuples are ordered
``moins_20k``, ``20k_100k``, ``plus_100k``. Ratio indicators are generated as their rate (the
derived indicator's code) and their denominator; the numerator is the rate times the denominator,
so that it never exceeds it and the derived rate computed later is the generated one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from indicators.demo.recipe_model import (
    Balance,
    Continuous,
    Count,
    Exposure,
    Outside,
    Portion,
    ProgrammeFactor,
    Recipe,
    Requirement,
)

# Communes under 1,000 inhabitants have no town centre to speak of (no commercial perimeter,
# no digital-mediation site): the centre-related indicators are not applicable there.
CENTRALITY: Final = Requirement(min_population=1_000)
FS_SITE: Final = Requirement(programmes=("FS",))
FS_FUNDED: Final = Requirement(programmes=("FS",), outside=Outside.ZERO)
REVITALISATION: Final = Requirement(programmes=("ACV", "PVD"), outside=Outside.ZERO)
INDUSTRY: Final = "industrie"  # shared by the Territoires d'industrie draw and the EMP_* series

_FLAT: Final = (0.0, 0.0, 0.0)

RECIPES: Final[Mapping[str, Recipe]] = MappingProxyType(
    {
        # --- M1 Services publics de proximité / France Services ---------------------------------
        "ACC_FS_CREDITS": Recipe(
            Count(
                rate=(1, 1, 1),
                spread=0.0,
                trend=_FLAT,
                noise=0.0,
                stock=True,
                exposure=Exposure.FS_SITES,
                amount=35_000,
                amount_spread=0.1,
            ),
            requires=FS_FUNDED,
        ),
        "ACC_FS_NOMBRE": Recipe(
            Count(
                rate=(1, 1, 1),
                spread=0.0,
                trend=_FLAT,
                noise=0.0,
                stock=True,
                exposure=Exposure.FS_SITES,
            ),
            requires=FS_FUNDED,
        ),
        "ACC_FS_DEMANDES": Recipe(
            Count(
                rate=(800, 1_100, 1_400),
                spread=0.3,
                trend=(0.06, 0.06, 0.06),
                noise=0.08,
                exposure=Exposure.FS_SITES,
                season=0.12,
                peak_month=5,
            ),
            requires=FS_SITE,
        ),
        "ACC_FS_SATISFACTION": Recipe(
            Continuous(
                level=(85.5, 85.0, 84.5),
                spread=(3.0, 2.5, 2.0),
                trend=(1.0, 1.0, 1.0),
                noise=(2.0, 1.5, 1.0),
                bounds=(0, 100),
            ),
            requires=FS_SITE,
        ),
        "ACC_FS_TEMPS_ACCES": Recipe(
            Continuous(
                level=(15.0, 9.0, 8.0),
                spread=(4.0, 1.5, 1.0),
                trend=(-0.3, -0.1, 0.0),
                noise=(0.8, 0.4, 0.3),
                bounds=(0, 180),
                pop_slope=-3.0,
            ),
            # A commune that hosts a site is a few minutes from it: its level halves on opening.
            programmes=(ProgrammeFactor("FS", 0.5),),
        ),
        "ACC_RENONCEMENT": Recipe(
            Continuous(
                level=(15.0, 14.0, 13.0),
                spread=(3.0, 3.0, 3.0),
                trend=(-0.3, -0.3, -0.3),
                noise=(0.4, 0.4, 0.4),
                bounds=(0, 100),
            ),
        ),
        # --- M3 Mobilité du quotidien -----------------------------------------------------------
        "MOB_SERVICES_SOLIDAIRES": Recipe(
            Count(rate=(0.1, 0.05, 0.03), spread=0.5, trend=(0.1, 0.1, 0.1), noise=0.0, stock=True),
        ),
        "MOB_VOYAGES_TAD": Recipe(
            Count(
                rate=(60, 40, 15),
                spread=0.6,
                trend=(0.06, 0.06, 0.06),
                noise=0.1,
                season=0.15,
                peak_month=2,
            ),
        ),
        "MOB_ACTIFS": Recipe(
            Count(
                rate=(430, 440, 460),
                spread=0.05,
                trend=(0.003, 0.003, 0.003),
                noise=0.005,
                stock=True,
            ),
        ),
        "MOB_PART_VOITURE": Recipe(
            Continuous(
                level=(84.0, 74.0, 50.0),
                spread=(5.0, 5.0, 8.0),
                trend=(-0.2, -0.3, -0.4),
                noise=(0.8, 0.5, 0.3),
                bounds=(0, 100),
                pop_slope=-4.0,
            ),
        ),
        "MOB_ACTIFS_VOITURE": Recipe(Portion("MOB_PART_VOITURE", "MOB_ACTIFS")),
        # --- M5 Accès aux soins -----------------------------------------------------------------
        "SAN_MSP": Recipe(
            Count(
                rate=(0.12, 0.06, 0.015),
                spread=0.4,
                trend=(0.08, 0.08, 0.08),
                noise=0.0,
                stock=True,
            ),
        ),
        "SAN_APL_MG": Recipe(
            Continuous(
                level=(3.0, 3.5, 3.9),
                spread=(0.9, 0.6, 0.5),
                trend=(-0.05, -0.05, -0.03),
                noise=(0.12, 0.08, 0.05),
                bounds=(0, 15),
                decimals=2,
            ),
        ),
        "SAN_URGENCES_TEMPS_MAX": Recipe(
            Continuous(
                level=(28.0, 12.0, 7.0),
                spread=(10.0, 4.0, 2.0),
                trend=_FLAT,
                noise=(0.5, 0.3, 0.2),
                bounds=(1, 240),
                decimals=0,
                pop_slope=-6.0,
            ),
        ),
        "SAN_PATIENTS": Recipe(
            Count(
                rate=(690, 680, 670),
                spread=0.04,
                trend=(0.004, 0.004, 0.004),
                noise=0.01,
                stock=True,
            ),
            secret_below=11,
        ),
        "SAN_TAUX_SANS_MT": Recipe(
            Continuous(
                level=(11.5, 10.5, 9.5),
                spread=(3.0, 2.0, 1.5),
                trend=(0.3, 0.3, 0.2),
                noise=(0.5, 0.3, 0.2),
                bounds=(0, 100),
                decimals=2,
            ),
        ),
        "SAN_PATIENTS_SANS_MT": Recipe(
            Portion("SAN_TAUX_SANS_MT", "SAN_PATIENTS"), secret_below=11
        ),
        # --- M6 Logement abordable et lutte contre la vacance -----------------------------------
        "LOG_SOCIAUX_FINANCES": Recipe(
            Count(rate=(0.4, 1.2, 1.6), spread=0.5, trend=(-0.03, -0.03, -0.03), noise=0.3),
        ),
        "LOG_PARC_PRIVE": Recipe(
            Count(
                rate=(480, 420, 400), spread=0.1, trend=(0.007, 0.007, 0.007), noise=0.0, stock=True
            ),
        ),
        "LOG_TAUX_VACANCE": Recipe(
            Continuous(
                level=(3.6, 2.9, 2.0),
                spread=(1.4, 0.8, 0.5),
                trend=(0.05, 0.03, 0.02),
                noise=(0.15, 0.08, 0.05),
                bounds=(0, 100),
                decimals=2,
            ),
        ),
        "LOG_VACANTS_LONGUE_DUREE": Recipe(Portion("LOG_TAUX_VACANCE", "LOG_PARC_PRIVE")),
        "LOG_TAUX_EFFORT": Recipe(
            Continuous(
                level=(24.0, 25.5, 27.0),
                spread=(2.0, 2.0, 2.0),
                trend=(0.3, 0.3, 0.3),
                noise=(0.4, 0.3, 0.2),
                bounds=(0, 100),
            ),
        ),
        # --- M8 Emplois locaux et reconquête industrielle ---------------------------------------
        "EMP_CREDITS_TI": Recipe(
            Count(
                rate=(0.02, 0.015, 0.01),
                spread=0.3,
                trend=(0.05, 0.05, 0.05),
                noise=0.2,
                amount=150_000,
                amount_spread=0.3,
            ),
            latent=INDUSTRY,
            programmes=(ProgrammeFactor("TI", 4.0),),
        ),
        "EMP_PROJETS_TI": Recipe(
            Count(rate=(0.03, 0.025, 0.02), spread=0.3, trend=(0.05, 0.05, 0.05), noise=0.2),
            latent=INDUSTRY,
            programmes=(ProgrammeFactor("TI", 4.0),),
        ),
        "EMP_DEFM_A": Recipe(
            Count(
                rate=(55, 70, 80),
                spread=0.3,
                trend=(-0.02, -0.02, -0.02),
                noise=0.04,
                season=0.05,
                peak_month=2,
            ),
        ),
        "EMP_EFFECTIFS_INDUSTRIE": Recipe(
            Count(
                rate=(55, 50, 40),
                spread=0.6,
                trend=(-0.005, -0.005, -0.005),
                noise=0.01,
                stock=True,
            ),
            latent=INDUSTRY,
        ),
        "DIA_INGENIERIE": Recipe(
            Count(rate=(0.1, 0.06, 0.03), spread=0.4, trend=(0.05, 0.05, 0.05), noise=0.2),
            programmes=(
                ProgrammeFactor("ACV", 1.5),
                ProgrammeFactor("PVD", 1.5),
                ProgrammeFactor("TI", 1.3),
            ),
        ),
        # --- M2 Revitalisation des centres-villes et centres-bourgs -----------------------------
        "REV_CHEFS_PROJET": Recipe(
            Count(
                rate=(1.0, 1.3, 1.6),
                spread=0.2,
                trend=_FLAT,
                noise=0.0,
                stock=True,
                exposure=Exposure.UNIT,
            ),
            requires=REVITALISATION,
        ),
        "CON_DEMARCHES_PARTICIPATIVES": Recipe(
            Count(rate=(0.4, 0.15, 0.05), spread=0.5, trend=(0.05, 0.05, 0.05), noise=0.2),
            programmes=(ProgrammeFactor("ACV", 3.0), ProgrammeFactor("PVD", 3.0)),
        ),
        "REV_VACANCE_COMMERCIALE": Recipe(
            Continuous(
                level=(12.0, 11.0, 8.0),
                spread=(3.5, 3.0, 2.0),
                trend=(0.2, 0.1, 0.0),
                noise=(0.8, 0.5, 0.3),
                bounds=(0, 100),
            ),
            # Programme towns were chosen because their centres were struggling.
            programmes=(
                ProgrammeFactor("ACV", 1.2, from_start=False),
                ProgrammeFactor("PVD", 1.15, from_start=False),
            ),
            requires=CENTRALITY,
        ),
        "REV_SOLDE_COMMERCES": Recipe(
            Balance(opening=(1.4, 1.6, 1.8), closing=(1.5, 1.65, 1.8), spread=0.3)
        ),
        "REV_INDICE_VITALITE": Recipe(
            Continuous(
                level=(48.0, 52.0, 58.0),
                spread=(8.0, 6.0, 5.0),
                trend=(-0.2, 0.0, 0.2),
                noise=(1.0, 0.8, 0.5),
                bounds=(0, 100),
            ),
            requires=CENTRALITY,
        ),
        # --- M7 Rénovation énergétique et sobriété foncière -------------------------------------
        "ECO_MPR_MONTANT": Recipe(
            Count(
                rate=(1.6, 1.2, 0.8),
                spread=0.4,
                trend=(-0.04, -0.04, -0.04),
                noise=0.15,
                season=0.15,
                peak_month=11,
                amount=4_500,
                amount_spread=0.15,
            ),
        ),
        "ECO_RENOV_MPR": Recipe(
            Count(
                rate=(1.5, 1.1, 0.7),
                spread=0.4,
                trend=(-0.04, -0.04, -0.04),
                noise=0.15,
                season=0.15,
                peak_month=11,
            ),
        ),
        "ECO_PASSOIRES": Recipe(
            Continuous(
                level=(20.0, 16.0, 13.0),
                spread=(5.0, 3.0, 2.0),
                trend=(-0.8, -0.8, -0.8),
                noise=(1.5, 0.8, 0.5),
                bounds=(0, 100),
            ),
        ),
        "ECO_CONSO_ENAF": Recipe(
            Count(
                rate=(2.0, 0.62, 0.05),
                spread=0.5,
                trend=(-0.03, -0.03, -0.03),
                noise=0.3,
                amount=0.4,
                decimals=2,
            ),
        ),
        "ECO_GES_HABITANT": Recipe(
            Continuous(
                level=(8.0, 6.5, 5.0),
                spread=(1.5, 1.2, 1.0),
                trend=(-0.15, -0.15, -0.15),
                noise=(0.1, 0.1, 0.1),
                bounds=(0, 100),
                decimals=2,
            ),
        ),
        # --- M4 Inclusion numérique -------------------------------------------------------------
        "NUM_CONSEILLERS": Recipe(
            Count(rate=(0.15, 0.08, 0.05), spread=0.4, trend=_FLAT, noise=0.05, stock=True),
            programmes=(ProgrammeFactor("FS", 1.5),),
        ),
        "NUM_ACCOMPAGNEMENTS": Recipe(
            Count(
                rate=(4.0, 3.0, 2.5),
                spread=0.5,
                trend=(0.03, 0.03, 0.03),
                noise=0.15,
                season=0.2,
                peak_month=2,
            ),
            programmes=(ProgrammeFactor("FS", 1.5),),
        ),
        "NUM_LOCAUX": Recipe(
            Count(
                rate=(620, 600, 640),
                spread=0.12,
                trend=(0.008, 0.008, 0.008),
                noise=0.0,
                stock=True,
            ),
        ),
        "NUM_TAUX_FTTH": Recipe(
            Continuous(
                level=(72.0, 88.0, 92.0),
                spread=(12.0, 6.0, 4.0),
                trend=(6.0, 3.0, 2.0),
                noise=(0.3, 0.2, 0.1),
                bounds=(0, 100),
            ),
        ),
        "NUM_LOCAUX_FTTH": Recipe(Portion("NUM_TAUX_FTTH", "NUM_LOCAUX")),
        "NUM_COUVERTURE_4G": Recipe(
            Continuous(
                level=(93.0, 99.0, 99.5),
                spread=(5.0, 1.0, 0.3),
                trend=(1.0, 0.2, 0.1),
                noise=(0.3, 0.2, 0.1),
                bounds=(0, 100),
                pop_slope=2.0,
            ),
        ),
        "NUM_AUTONOMIE": Recipe(
            Continuous(
                level=(40.0, 42.0, 44.0),
                spread=(5.0, 4.0, 3.0),
                trend=(3.0, 3.0, 3.0),
                noise=(2.0, 1.5, 1.0),
                bounds=(0, 100),
            ),
            requires=CENTRALITY,
        ),
    }
)


def latent_name(code: str) -> str:
    """Name of the persistent deviation a recipe reads (its own code unless shared)."""
    return RECIPES[code].latent or code


def generation_order() -> list[str]:
    """Recipes whose values others read (rates, denominators) come first."""
    first = [code for code, recipe in RECIPES.items() if not isinstance(recipe.model, Portion)]
    return first + [code for code in RECIPES if code not in first]
