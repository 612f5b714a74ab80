"""The method, stated in French for the page and the frozen report, from a design's parameters."""

from __future__ import annotations

from collections.abc import Mapping

from indicators.evaluation.designs import Design
from indicators.evaluation.estimation import EstimationOptions
from indicators.evaluation.reading import format_reading_number
from indicators.territories.levels import LEVEL_WORDS


def method_statement(
    design: Design, options: EstimationOptions, indicator_names: Mapping[str, str] | None = None
) -> str:
    """``indicator_names``: code -> name, so that the text names the matching indicator as the
    catalogue does (the code stays in the design's export)."""
    method = design.method
    neighbours = method.get("neighbours", "?")
    names = indicator_names or {}
    matching = (
        ", ".join(
            f"« {names.get(code, code)} » pour les {_plural(level)}"
            for level, code in sorted(method.get("matching_indicator", {}).items())
            if code
        )
        or "aucun indicateur (population seule)"
    )
    level = format_reading_number(100 * options.confidence, 0)
    return (
        "Différence de différences échelonnée par cohorte (Callaway et Sant'Anna, 2021). "
        "Une cohorte réunit les territoires test entrés à la même date ; la première période "
        "entièrement postérieure à l'entrée est la période 0, et la référence est la moyenne de "
        "l'année de périodes qui la précède (une seule période pour un indicateur annuel), ce "
        "qui neutralise les variations saisonnières. Chaque cohorte est comparée, de la "
        "référence à chaque autre période, aux territoires témoins de même type, jamais à "
        "d'autres territoires test (ce qui évite le biais d'une régression à doubles effets "
        "fixes quand l'effet varie selon la cohorte ou dans le temps). Les effets par cohorte "
        "et par période sont moyennés en pondérant par le nombre de territoires test "
        f"observés ; l'effet global couvre les {options.window_months} mois qui suivent "
        "l'entrée. Estimation par moindres carrés (statsmodels) avec des erreurs types "
        "robustes à la corrélation des observations d'un même territoire (groupées par "
        f"territoire) ; intervalles de confiance à {level} % selon une loi de Student dont les "
        "degrés de liberté suivent le nombre effectif de territoires. Les tendances "
        "antérieures sont testées conjointement (test de Wald : écart moyen nul pour chacune "
        "des deux années qui précèdent l'année de référence) ; l'étude d'événement porte aussi "
        "une bande de confiance simultanée (valeur critique simulée, graine "
        f"{options.seed}). Les valeurs hors de l'intervalle valide de l'indicateur sont "
        "écartées. Territoires témoins : pour chaque territoire test, les "
        f"{neighbours} plus proches voisins de même type qui ne sont territoires test ni de la "
        "mesure ni d'une mesure partageant un de ses indicateurs, selon la population (log), "
        "le niveau et la tendance avant la mesure de l'indicateur d'appariement "
        f"({matching}) — variables standardisées, appariement sans remise, les paires les "
        "plus proches d'abord ; l'évaluateur peut épingler ou exclure des territoires."
    )


def _plural(level: str) -> str:
    words = LEVEL_WORDS.get(level)
    return words.plural if words else level
