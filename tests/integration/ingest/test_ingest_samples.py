"""Real files (``../shared/samples``, skipped when absent) loaded through profiles: the
government's results barometer (values, baselines and targets by département) and the list of
France Services sites (counted per commune)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from indicators.catalogue import DEFAULT_DIRECTORY, Catalogue, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.ingest import (
    Analysis,
    LoadOptions,
    UploadedFile,
    analyse,
    commit_analysis,
    parse_profile,
    save_profile,
)
from indicators.store import make_engine, upgrade_database
from indicators.store.models import ComputedValue, Observation
from indicators.territories import Referential, default_reference_dir, load_referential
from indicators.territories.sync import sync_referential

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BAROMETER = "01_etalab_barometre_synthese_departemental.csv"
FRANCE_SERVICES = "05_anct_france_services_20240801.csv"

# Three of the barometer's 53 indicators, declared for this test only (the shipped catalogue is
# the demo one): a share, a count, and a count whose targets are all empty.
BAROMETER_INDICATORS = """
[[indicator]]
code = "BARO_GS_REP"
label = "Part des classes de grande section en éducation prioritaire dédoublées"
description = "Baromètre des résultats de l'action publique, par département."
theme = "construire-ensemble"
unit = "%"
direction = "up"
kind = "base"
aggregation = "none"
periodicity = "annual"
publication_lag_months = 3
levels = ["DEP"]
chain_level = "output"
measures = ["M1"]
partner = "ANCT"
range = { min = 0, max = 100 }
source = "Etalab, baromètre des résultats de l'action publique"
licence = "Licence Ouverte 2.0"

[[indicator]]
code = "BARO_MAISONS_SANTE"
label = "Maisons de santé pluriprofessionnelles"
description = "Baromètre des résultats de l'action publique, par département."
theme = "vivre-ou-on-a-choisi"
unit = "nombre"
direction = "up"
kind = "base"
aggregation = "sum"
periodicity = "annual"
publication_lag_months = 3
levels = ["DEP", "REG", "FR"]
chain_level = "output"
measures = ["M1"]
partner = "ANCT"
range = { min = 0 }
source = "Etalab, baromètre des résultats de l'action publique"
licence = "Licence Ouverte 2.0"

[[indicator]]
code = "BARO_MORTS_ROUTES"
label = "Personnes tuées sur les routes"
description = "Baromètre des résultats de l'action publique, par département."
theme = "vivre-ou-on-a-choisi"
unit = "nombre"
direction = "down"
kind = "base"
aggregation = "sum"
periodicity = "annual"
publication_lag_months = 3
levels = ["DEP", "REG", "FR"]
chain_level = "impact"
measures = ["M1"]
partner = "ANCT"
range = { min = 0 }
source = "Etalab, baromètre des résultats de l'action publique"
licence = "Licence Ouverte 2.0"
"""

BAROMETER_PROFILE = {
    "name": "barometre-departemental",
    "description": "Baromètre des résultats de l'action publique (Etalab), par département",
    "territory": {"column": "code_departement", "level": "DEP"},
    "indicator": {
        "column": "id_indicateur",
        "map": {
            "tx-gs-rep": "BARO_GS_REP",
            "nb-maisons-sante": "BARO_MAISONS_SANTE",
            "nb-morts-routes": "BARO_MORTS_ROUTES",
        },
        "others": "ignore",
    },
    "values": [
        {
            "column": "valeur_actuelle",
            "period": {"column": "date_valeur_actuelle", "format": "date"},
        },
        {
            "column": "valeur_initiale",
            "value_type": "reference",
            "period": {"column": "date_valeur_initiale", "format": "date"},
        },
        {
            "column": "cible",
            "value_type": "cible",
            "period": {"column": "date_cible", "format": "date"},
            "empty": "skip",
        },
    ],
}

FRANCE_SERVICES_PROFILE = {
    "name": "france-services-sites",
    "description": "Liste des espaces France Services : un site par ligne, comptés par commune",
    "territory": {"column": "insee_com", "level": "COM"},
    "period": {"value": "2024-S2"},
    "values": [{"constant": 1, "indicator": "ACC_FS_NOMBRE"}],
    "combine": "sum",
}


@pytest.fixture(scope="module")
def real() -> Referential:
    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        pytest.skip(f"référentiel réel absent ({directory}) : lancer `make reference`")
    return load_referential(directory)


@pytest.fixture(scope="module")
def barometer_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """The shipped catalogue plus the three barometer indicators, in a temporary copy."""
    directory = tmp_path_factory.mktemp("catalogue")
    for path in DEFAULT_DIRECTORY.glob("*.toml"):
        shutil.copy(path, directory / path.name)
    (directory / "indicators-barometre.toml").write_text(BAROMETER_INDICATORS, encoding="utf-8")
    return load_catalogue(directory)


def _engine(url: str, catalogue: Catalogue, referential: Referential) -> Engine:
    engine = make_engine(url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, referential)
        sync_catalogue(session, catalogue)
    return engine


@pytest.fixture
def barometer_engine(
    sqlite_url: str, barometer_catalogue: Catalogue, real: Referential
) -> Iterator[Engine]:
    engine = _engine(sqlite_url, barometer_catalogue, real)
    yield engine
    engine.dispose()


def _load(
    engine: Engine,
    path: Path,
    catalogue: Catalogue,
    referential: Referential,
    raw_dir: Path,
    **options: object,
) -> Analysis:
    with Session(engine) as session:
        analysis = analyse(
            UploadedFile.from_path(path),
            catalogue=catalogue,
            referential=referential,
            session=session,
            partner_code="ANCT",
            options=LoadOptions(**options),  # type: ignore[arg-type]
        )
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(
            session, analysis, catalogue=catalogue, raw_dir=raw_dir, partner_code="ANCT"
        )
    assert outcome.status in ("committed", "unchanged"), analysis.issues[:5]
    return outcome.analysis


def test_barometer_through_a_profile_found_by_its_header(
    samples_dir: Path,
    barometer_engine: Engine,
    barometer_catalogue: Catalogue,
    real: Referential,
    tmp_path: Path,
) -> None:
    path = samples_dir / BAROMETER
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with Session(barometer_engine) as session, session.begin():
        save_profile(session, BAROMETER_PROFILE, partner_code="ANCT", header=list(frame.columns))
    analysis = _load(barometer_engine, path, barometer_catalogue, real, tmp_path)
    assert analysis.profile_matched and analysis.file.delimiter == ","
    assert analysis.issues == ()
    mapped = frame[
        frame["id_indicateur"].isin(["tx-gs-rep", "nb-maisons-sante", "nb-morts-routes"])
    ]
    targets = int((mapped["cible"] != "").sum())
    assert analysis.counts["created"] == 2 * len(mapped) + targets
    assert analysis.counts["ignored"] == 3 * len(frame) - 2 * len(mapped) - targets

    ain = mapped[(mapped["code_departement"] == "01") & (mapped["id_indicateur"] == "tx-gs-rep")]
    with Session(barometer_engine) as session:
        stored = {
            (row.value_type, row.period): row.value
            for row in session.scalars(
                select(Observation).where(
                    Observation.indicator_code == "BARO_GS_REP",
                    Observation.territory_code == "DEP:01",
                )
            )
        }
        national = session.scalar(
            select(ComputedValue.value).where(
                ComputedValue.indicator_code == "BARO_MAISONS_SANTE",
                ComputedValue.territory_code == "FR",
                ComputedValue.period == "2022",
            )
        )
    assert stored == {
        ("valeur", "2022"): float(ain["valeur_actuelle"].iloc[0]),
        ("reference", "2019"): float(ain["valeur_initiale"].iloc[0]),
        ("cible", "2022"): float(ain["cible"].iloc[0]),
    }
    houses = mapped[mapped["id_indicateur"] == "nb-maisons-sante"]["valeur_actuelle"]
    assert national == pytest.approx(houses.astype(float).sum())

    again = _load(barometer_engine, path, barometer_catalogue, real, tmp_path)
    assert again.writes == 0 and again.counts["unchanged"] == analysis.counts["created"]


def test_france_services_sites_counted_per_commune(
    samples_dir: Path, sqlite_url: str, real: Referential, tmp_path: Path
) -> None:
    catalogue = load_catalogue()
    engine = _engine(sqlite_url, catalogue, real)
    path = samples_dir / FRANCE_SERVICES
    profile = parse_profile(FRANCE_SERVICES_PROFILE)
    with Session(engine) as session:
        refused = analyse(
            UploadedFile.from_path(path),
            catalogue=catalogue,
            referential=real,
            session=session,
            profile=profile,
        )
    # Saint-Martin (97801) is in no referential: refused unless the valid lines are asked for
    assert refused.verdict == "refused"
    errors = [issue for issue in refused.issues if issue.is_error]
    assert {issue.code for issue in errors} == {"outside-referential"}
    assert {issue.value for issue in errors} == {"97801"}
    codes = {issue.code for issue in refused.issues if not issue.is_error}
    assert "mapped-arrondissement" in codes

    with Session(engine) as session:
        analysis = analyse(
            UploadedFile.from_path(path),
            catalogue=catalogue,
            referential=real,
            session=session,
            profile=profile,
            options=LoadOptions(accept_partial=True),
        )
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(session, analysis, catalogue=catalogue, raw_dir=tmp_path)
    assert outcome.status == "committed"
    values = analysis.validated.values
    assert values["value"].sum() == 2845 - len(errors)  # every other site counted once
    with Session(engine) as session:
        paris = session.scalar(
            select(Observation.value).where(
                Observation.indicator_code == "ACC_FS_NOMBRE",
                Observation.territory_code == "COM:75056",
            )
        )
        france = session.scalar(
            select(ComputedValue.value).where(
                ComputedValue.indicator_code == "ACC_FS_NOMBRE",
                ComputedValue.territory_code == "FR",
                ComputedValue.period == "2024-S2",
            )
        )
    assert paris is not None and paris > 1  # its arrondissements' sites, in Paris
    assert france == 2845 - len(errors)
    engine.dispose()
