"""Members of the agency's programmes in the demo: the official lists where the referential has
them (``data/reference/programmes``: ACV, PVD, France Services, with their entry dates and
France Services sites), synthetic members drawn by rules for the others.

No official list of Territoires d'industrie is available here: its members are always drawn.
The rules below also stand in for a list that is absent (a referential without
``programmes/``, or the synthetic referentials of the unit tests). See data/README.md,
« Données de démonstration »:

- ACV: the most populous commune of its EPCI, 10,000 to 100,000 inhabitants; joined 2018-03-27.
- PVD: a commune of 2,500 to 19,999 inhabitants among the three most populous of its EPCI (a
  centrality), not ACV; joined 2020-12-01 (70 %) or 2021-06-01 (second wave).
- FS: host communes of a France Services site, drawn with a probability rising with population
  (2 % under 1,000 inhabitants, 12 % from 1,000, 30 % from 3,000, 60 % from 10,000, all from
  50,000); labelled between 2020 and 2025, mostly early (communes of 50,000 or more: January
  2020). A host has 1 + population // 150,000 sites.
- TI: EPCIs whose ville-centre has fewer than 100,000 inhabitants and whose industrial
  specialisation (a latent trait the industrial series share) is in the top 40 %, together with
  their ville-centre; joined 2018-11-22 (75 %) or 2023-07-01 (second generation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.demo.recipes import INDUSTRY
from indicators.demo.scope import Territories
from indicators.demo.streams import latent, stream
from indicators.territories.programme_lists import ProgrammeLists

ACV_START: Final = date(2018, 3, 27)
PVD_WAVES: Final = (date(2020, 12, 1), date(2021, 6, 1))
TI_WAVES: Final = (date(2018, 11, 22), date(2023, 7, 1))
FS_YEARS: Final = (2020, 2021, 2022, 2023, 2024, 2025)
FS_YEAR_WEIGHTS: Final = (0.30, 0.30, 0.18, 0.10, 0.07, 0.05)
# Probability of hosting a site, by population floor (the largest floor reached applies).
FS_HOSTING: Final = ((0, 0.02), (1_000, 0.12), (3_000, 0.3), (10_000, 0.6), (50_000, 1.0))
FS_PEOPLE_PER_EXTRA_SITE: Final = 150_000
FS_FIRST_WAVE: Final = date(2020, 1, 1)
FS_FIRST_WAVE_POPULATION: Final = 50_000
TI_SHARE: Final = 0.4
TI_THRESHOLD: Final = 0.2533  # standard-normal quantile leaving the top 40 %


@dataclass(frozen=True)
class Programmes:
    """Members of each programme (code, start as datetime64[D]), and France Services sites."""

    members: dict[str, pd.DataFrame]
    fs_sites: npt.NDArray[np.float64]  # per commune, in the order of the communes frame


def draw_programmes(
    territories: Territories, seed: int, official: ProgrammeLists | None = None
) -> Programmes:
    """The members of each programme within the territories: an official list when ``official``
    has one, else the rules of this module."""
    drawn = _drawn_programmes(territories, seed)
    if official is None or not official.lists:
        return drawn
    codes = territories.communes["code"]
    in_scope = set(codes)
    members = dict(drawn.members)
    for programme, listed in official.lists.items():
        if programme not in members:
            continue
        inside = [m for m in listed.members if m.territory in in_scope]
        members[programme] = _members(
            np.array([m.territory for m in inside], dtype=object),
            np.array([m.start for m in inside], dtype="datetime64[D]"),
        )
    fs_sites = drawn.fs_sites
    if "FS" in official.lists:
        sites = [official.fs_sites.get(code, 0) for code in codes]
        fs_sites = np.array(sites, dtype=np.float64)
    return Programmes(members, fs_sites)


def _drawn_programmes(territories: Territories, seed: int) -> Programmes:
    communes = territories.communes
    rank = communes.groupby("epci")["population"].rank(method="first", ascending=False).to_numpy()
    has_epci = (communes["epci"] != "").to_numpy()
    population = communes["population"].to_numpy()
    centre = has_epci & (rank == 1)

    acv = centre & (population >= 10_000) & (population <= 100_000)
    pvd = has_epci & (rank <= 3) & (population >= 2_500) & (population < 20_000) & ~acv
    rng = stream(seed, "programme", "PVD")
    pvd_starts = np.where(rng.random(len(communes)) < 0.7, *map(np.datetime64, PVD_WAVES))

    rng = stream(seed, "programme", "FS")
    hosting = np.zeros(len(communes))
    for floor, probability in FS_HOSTING:
        hosting[population >= floor] = probability
    hosts = rng.random(len(communes)) < hosting
    years = rng.choice(FS_YEARS, size=len(communes), p=FS_YEAR_WEIGHTS)
    months = rng.integers(1, 13, size=len(communes))
    fs_starts = np.array(
        [np.datetime64(date(int(y), int(m), 1)) for y, m in zip(years, months, strict=True)],
        dtype="datetime64[D]",
    )
    # Large towns opened in the first wave: no break in their series within the demo's window.
    fs_starts[population >= FS_FIRST_WAVE_POPULATION] = np.datetime64(FS_FIRST_WAVE)
    fs_sites = np.where(hosts, 1 + population // FS_PEOPLE_PER_EXTRA_SITE, 0).astype(np.float64)

    codes = communes["code"].to_numpy()
    members = {
        "ACV": _members(codes[acv], np.datetime64(ACV_START)),
        "PVD": _members(codes[pvd], pvd_starts[pvd]),
        "FS": _members(codes[hosts], fs_starts[hosts]),
        "TI": _territoires_d_industrie(territories, codes[centre], seed),
    }
    return Programmes(members, fs_sites)


def _territoires_d_industrie(
    territories: Territories, centres: npt.NDArray[np.object_], seed: int
) -> pd.DataFrame:
    epcis = territories.at("EPCI")
    industry = latent(seed, INDUSTRY, "EPCI", len(epcis))
    chosen = (epcis["type"].to_numpy() < 2) & (industry > TI_THRESHOLD)
    rng = stream(seed, "programme", "TI")
    starts = np.where(rng.random(len(epcis)) < 0.75, *map(np.datetime64, TI_WAVES))
    epci_members = _members(epcis["code"].to_numpy()[chosen], starts[chosen])
    communes = territories.communes
    centre_of = communes[communes["code"].isin(centres)].set_index("epci")["code"]
    town_members = pd.DataFrame(
        {
            "code": epci_members["code"].map(centre_of),
            "start": epci_members["start"],
        }
    ).dropna()
    members = pd.concat([epci_members, town_members], ignore_index=True)
    return members.sort_values("code", ignore_index=True)


def _members(codes: npt.NDArray[np.object_], starts: object) -> pd.DataFrame:
    frame = pd.DataFrame({"code": codes, "start": starts})
    frame["start"] = frame["start"].astype("datetime64[s]")
    return frame.reset_index(drop=True)


# French descriptions stored with the sets, so that anyone reading them knows they are invented.
# Territoires d'industrie: no official list here, the page says so through this description.
RULES: Final = {
    "ACV": (
        "Liste de démonstration, non officielle : commune la plus peuplée de son EPCI, de 10 000 "
        "à 100 000 habitants ; entrée le 27 mars 2018."
    ),
    "PVD": (
        "Liste de démonstration, non officielle : commune de 2 500 à 19 999 habitants parmi les "
        "trois plus peuplées de son EPCI, hors Action cœur de ville ; entrée le 1er décembre 2020 "
        "(70 %) ou le 1er juin 2021."
    ),
    "FS": (
        "Liste de démonstration, non officielle : communes d'accueil d'un espace France Services, "
        "tirées avec une probabilité croissante avec la population (toutes à partir de 50 000 "
        "habitants, labellisées en janvier 2020) ; labellisation entre 2020 et 2025."
    ),
    "TI": (
        "Liste de démonstration, non officielle : aucune liste officielle des Territoires "
        "d'industrie n'est disponible ici, ces membres sont inventés par une règle. EPCI à "
        "spécialisation industrielle marquée (40 % des EPCI dont la ville-centre a moins de "
        "100 000 habitants) et leur ville-centre ; entrée le 22 novembre 2018 (75 %) ou le "
        "1er juillet 2023."
    ),
}
