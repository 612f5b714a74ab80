"""The tables behind the charts. A chart and its download (its "data twin") call the same
function with the same parameters, so the file holds exactly what is drawn."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from dashboard import readers
from dashboard.formatting import format_period
from indicators.catalogue import Indicator, Level, Target
from indicators.compute import STATUS_LABELS
from indicators.periods import parse_period, period_containing
from indicators.precompute.read import VALUE_COLUMNS
from indicators.territories import TYPOLOGY_NAMES
from indicators.territories.levels import MAP_LEVELS, nouns

EMPTY_VALUES = pd.DataFrame(columns=VALUE_COLUMNS)

LEVEL_NAMES = nouns(MAP_LEVELS)
# Overseas régions drawn as insets beside metropolitan France (région code -> inset name)
OVERSEAS = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}
MAP_COLUMNS = [
    "code",
    "code_officiel",
    "nom",
    "valeur",
    "statut",
    "statut_libelle",
    "territoires_renseignes",
    "territoires_attendus",
    "origine",
    "zone",
]


def map_dataset(indicator: str, period: str, level: str, within: str | None = None) -> pd.DataFrame:
    """Every territory of ``level`` (all of France, or inside the territory ``within``) with its
    value and status; territories without any row are listed as missing, so the map and the
    file show the gaps."""
    referential = readers.referential()
    codes = (
        referential.children(within, level)  # type: ignore[arg-type]
        if within
        else referential.codes(level)  # type: ignore[arg-type]
    )
    if level == "COM":
        # communes are read by département (their codes start with it): never all of France
        departements = sorted({referential.territory(c).departement or "" for c in codes})
        parts = [readers.values_for_map(indicator, period, "COM", f"DEP:{d}") for d in departements]
        values = pd.concat(parts, ignore_index=True) if parts else EMPTY_VALUES
    else:
        values = readers.values_for_map(indicator, period, level)
    frame = pd.DataFrame({"code": list(codes)}).merge(
        values.rename(columns={"territory": "code"}), on="code", how="left"
    )
    frame["status"] = frame["status"].fillna("missing")
    frame.loc[frame["status"] != "ok", "value"] = float("nan")
    territories = referential.territories
    return pd.DataFrame(
        {
            "code": frame["code"],
            "code_officiel": [territories[c].local_code for c in frame["code"]],
            "nom": [territories[c].name for c in frame["code"]],
            "valeur": frame["value"].astype(float),
            "statut": frame["status"],
            "statut_libelle": frame["status"].map(lambda s: STATUS_LABELS.get(s, s)),
            "territoires_renseignes": frame["reported"].fillna(0).astype(int),
            "territoires_attendus": frame["expected"].fillna(1).astype(int),
            "origine": frame["source"].fillna("—"),
            "zone": [_zone(territories[c]) for c in frame["code"]],
        }
    )[MAP_COLUMNS]


def _zone(territory: object) -> str:
    """``metropole`` or the name of the overseas région the territory lies in."""
    region = getattr(territory, "region", None) or getattr(territory, "local_code", "")
    return OVERSEAS.get(region, "metropole") if region else "metropole"


SERIES_COLUMNS = ["serie", "code", "periode", "valeur", "statut", "nature"]


def territory_series_dataset(indicator: str, territory: str) -> pd.DataFrame:
    """The territory's values over time, with its parent, the median of territories of the same
    type, and the targets that apply to it (its own, its type's, or everyone's)."""
    referential = readers.referential()
    place = referential.territory(territory)
    lines: list[tuple[str, str]] = [(place.name, territory)]
    parents = referential.parents(territory)
    definition = readers.catalogue().indicators[indicator]
    # a count compared with its parent's total says nothing: parents only for rates and means
    if parents and definition.aggregation.value != "sum":
        lines.append((referential.name(parents[0]), parents[0]))
    typology = readers.typology_of(territory)
    if typology:
        lines.append((f"Médiane des {TYPOLOGY_NAMES[typology]}", f"MED:{typology}"))
    frames = []
    for label, code in lines:
        values = readers.values_over_time(indicator, code)
        frames.append(
            pd.DataFrame(
                {
                    "serie": label,
                    "code": code,
                    "periode": values["period"],
                    "valeur": values["value"].astype(float),
                    "statut": values["status"],
                    "nature": "valeur",
                }
            )
        )
    priority = {territory: 0, typology or "": 1, "all": 2}
    applicable = sorted(
        (t for t in definition.targets if t.scope in priority), key=lambda t: priority[t.scope]
    )
    for target in applicable:
        frames.append(target_frame("Cible", target))
        break  # the most specific target only: the territory's, else its type's, else all
    drawn = [f for f in frames if not f.empty]
    if not drawn:  # no value and no target: the headers alone (pd.concat of nothing raises)
        return pd.DataFrame(columns=SERIES_COLUMNS)
    table = pd.concat(drawn, ignore_index=True)
    return table[SERIES_COLUMNS].sort_values(["periode"], kind="stable").reset_index(drop=True)


CARD_COLUMNS = [
    "mesure",
    "libelle",
    "indicateur",
    "indicateur_libelle",
    "unite",
    "groupe",
    "periode",
    "valeur",
    "periode_reference",
    "valeur_reference",
    "evolution",
    "cible",
    "periode_cible",
    "progression",
    "statut",
    "renseignes",
    "attendus",
    "niveau_valeurs",  # "EPCI" when an EPCI-only headline is read over the test communes' EPCIs
]


def target_frame(label: str, target: Target) -> pd.DataFrame:
    """A target as a dashed series: its milestones, then the target itself (chart rows)."""
    points = [(str(m.period), m.value) for m in target.milestones]
    points.append((str(target.period), target.value))
    return pd.DataFrame(
        {
            "serie": label,
            "code": target.scope,
            "periode": [p for p, _ in points],
            "valeur": [float(v) for _, v in points],
            "statut": "ok",
            "nature": "cible",
        }
    )


def group_series(indicator: str, group: str, until_year: int | None = None) -> pd.DataFrame:
    """A group's values over time (only ok values), optionally up to the end of a year."""
    values = readers.values_over_time(indicator, group)
    values = values[values["status"] == "ok"]
    if until_year is not None:
        values = values[values["period"].str[:4].astype(int) <= until_year]
    return values.reset_index(drop=True)


def measure_cards_dataset(
    typology: str | None = None, until_year: int | None = None
) -> pd.DataFrame:
    """One row per measure: its headline indicator over its test territories (of one type when
    asked), latest value, change since the baseline, progress to the target and its status."""
    from indicators.compute import progress, progress_status

    catalogue = readers.catalogue()
    rows = []
    for measure in catalogue.measures.values():
        indicator = catalogue.indicators[measure.headline_indicator]
        group = f"GRP:{measure.test_set}" + (f":{typology}" if typology else "")
        values = group_series(indicator.code, group, until_year)
        row: dict[str, object] = {
            "mesure": measure.code,
            "libelle": measure.label,
            "indicateur": indicator.code,
            "indicateur_libelle": indicator.label,
            "unite": indicator.unit,
            "groupe": group,
            "niveau_valeurs": "" if Level.COM in indicator.levels else "EPCI",
        }
        if not values.empty:
            last = values.iloc[-1]
            baseline_period = str(indicator.baseline.period) if indicator.baseline else None
            base = values[values["period"] == baseline_period] if baseline_period else values[:0]
            base_row = base.iloc[0] if not base.empty else values.iloc[0]
            target = _target_for(indicator, typology)
            pct = status = None
            if target is not None:
                try:
                    pct = progress(
                        base_row["value"], target.value, last["value"], indicator.direction.value
                    )
                except ValueError:  # the observed baseline is already past the target
                    pct = 100.0
                status = (
                    progress_status(pct, base_row["period"], target.period, last["period"])
                    if pct is not None and str(target.period) > base_row["period"]
                    else None
                )
            row |= {
                "periode": last["period"],
                "valeur": float(last["value"]),
                "periode_reference": base_row["period"],
                "valeur_reference": float(base_row["value"]),
                "evolution": float(last["value"] - base_row["value"]),
                "cible": target.value if target else None,
                "periode_cible": str(target.period) if target else None,
                "progression": pct,
                "statut": status,
                "renseignes": int(last["reported"]),
                "attendus": int(last["expected"]),
            }
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=CARD_COLUMNS)


def _target_for(indicator: Indicator, typology: str | None) -> Target | None:
    """The target of the type shown, else the one for every territory."""
    for scope in (typology, "all"):
        for target in indicator.targets:
            if scope and target.scope == scope:
                return target
    return None


FRESHNESS_COLUMNS = [
    "partenaire",
    "nom",
    "indicateurs",
    "en_retard",
    "derniere_periode",
    "retards",
]


def expected_latest_period(indicator: Indicator, today: date) -> str:
    """The latest period whose publication is due by ``today`` given the indicator's lag."""
    kind = indicator.periodicity.period_kind
    period = period_containing(today, kind)
    while True:
        due = period.end + timedelta(days=31 * indicator.publication_lag_months)
        if due <= today:
            return str(period)
        period = period.shift(-1)


def freshness_dataset(today: date | None = None) -> pd.DataFrame:
    """Per partner: how many of its indicators are behind their publication calendar."""
    today = today or date.today()
    catalogue = readers.catalogue()
    rows = []
    for partner in catalogue.partners.values():
        indicators = [
            i
            for i in catalogue.indicators.values()
            if i.partner == partner.code and not i.is_derived
        ]
        if not indicators:
            continue
        late, latest = [], []
        for indicator in indicators:
            periods = readers.periods_of(indicator.code)
            expected = expected_latest_period(indicator, today)
            if periods:
                latest.append(periods[-1])
            if not periods or parse_period(periods[-1]) < parse_period(expected):
                late.append(f"{indicator.label} (attendu : {format_period(expected)})")
        rows.append(
            {
                "partenaire": partner.code,
                "nom": partner.name,
                "indicateurs": len(indicators),
                "en_retard": len(late),
                "derniere_periode": max(latest, key=parse_period) if latest else None,
                "retards": " ; ".join(late),
            }
        )
    return pd.DataFrame(rows).reindex(columns=FRESHNESS_COLUMNS)
