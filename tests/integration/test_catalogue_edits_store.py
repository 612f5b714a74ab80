"""Definitions saved from the administration pages (issue #14), on SQLite and PostgreSQL: checked
as ``suivi catalogue check`` checks files, stored as dated versions, seen by loads, kept by
``suivi init``, and exported as files that check accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.cli import main as cli
from dashboard.cli.database import initialise
from indicators.catalogue import definition_hash, load_catalogue
from indicators.catalogue.edits import catalogue_in_service, edit_history
from indicators.catalogue.tables import TableEdit, indicator_table
from indicators.config import load_settings
from indicators.ingest import LoadOptions, UploadedFile, analyse, commit_analysis
from indicators.precompute.catalogue_edit import UNCHANGED, save_edit
from indicators.store import make_engine
from indicators.store.models import CatalogueEdit, ComputedValue, IndicatorVersion
from indicators.territories import Referential

pytestmark = pytest.mark.integration

DITP = TableEdit(
    "partner",
    "DITP",
    {
        "code": "DITP",
        "name": "Direction interministérielle de la transformation publique",
        "kind": "direction_centrale",
    },
)
INDICATOR = {
    "code": "DITP_DELAI",
    "label": "Délai de traitement des démarches",
    "description": "Délai moyen de traitement des démarches en ligne.",
    "theme": "vivre-ou-on-a-choisi",
    "unit": "jours",
    "direction": "down",
    "kind": "base",
    "aggregation": "weighted_mean",
    "weight": "population",
    "periodicity": "annual",
    "publication_lag_months": 6,
    "levels": ["DEP", "REG", "FR"],
    "chain_level": "outcome",
    "measures": ["M1"],
    "partner": "DITP",
    "source": "Baromètre des résultats de l'action publique",
    "licence": "Licence Ouverte 2.0",
}
FILE = "indicateur;territoire;periode;valeur\nDITP_DELAI;01;2024;12\nDITP_DELAI;13;2024;20\n"


def _save(engine: Engine, edit: TableEdit):  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        return save_edit(session, edit, "admin")


def _load(engine: Engine, mini: Referential, tmp_path: Path) -> int:
    catalogue, _ = catalogue_in_service(engine)
    with Session(engine) as session:
        analysis = analyse(
            UploadedFile("ditp.csv", FILE.encode()),
            catalogue=catalogue,
            referential=mini,
            session=session,
            options=LoadOptions(),
        )
    assert analysis.verdict == "valid", [i.message for i in analysis.issues]
    with Session(engine) as session, session.begin():
        return commit_analysis(session, analysis, catalogue=catalogue, raw_dir=tmp_path).load_id


def _versions_used(engine: Engine, code: str) -> set[int | None]:
    with Session(engine) as session:
        return set(
            session.scalars(
                select(ComputedValue.indicator_version).where(ComputedValue.indicator_code == code)
            )
        )


def test_partner_and_indicator_saved_then_loaded_then_edited(
    engine: Engine, mini: Referential, tmp_path: Path
) -> None:
    assert _save(engine, DITP).saved
    created = _save(engine, TableEdit("indicator", "DITP_DELAI", INDICATOR))
    assert created.saved and created.created and created.version == 1

    _load(engine, mini, tmp_path)
    assert _versions_used(engine, "DITP_DELAI") == {1}  # aggregates over DEP, REG, FR

    later = _save(engine, TableEdit("indicator", "DITP_DELAI", INDICATOR | {"range": {"min": 0}}))
    assert later.saved and not later.created and later.version == 2
    with Session(engine) as session:
        versions = session.scalars(
            select(IndicatorVersion)
            .where(IndicatorVersion.indicator_code == "DITP_DELAI")
            .order_by(IndicatorVersion.version)
        ).all()
        history = edit_history(session, "indicator", "DITP_DELAI")
    # the first version is kept as it was, dated; the second says what changed
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].definition["range"] == {"min": None, "max": None}
    assert versions[1].definition["range"] == {"min": 0.0, "max": None}
    assert versions[0].valid_from <= versions[1].valid_from
    assert [h.table.get("range") for h in history] == [None, {"min": 0}]
    # the values computed again name the version they were computed with
    assert _versions_used(engine, "DITP_DELAI") == {2}


def test_an_edit_with_errors_stores_nothing(engine: Engine) -> None:
    broken = TableEdit("indicator", "DITP_DELAI", INDICATOR | {"unit": "jour"})
    outcome = _save(engine, broken)  # its partner DITP does not exist yet either
    assert not outcome.saved
    assert any(e.message.startswith("unité inconnue « jour »") for e in outcome.errors)
    with Session(engine) as session:
        assert session.scalar(select(func.count(CatalogueEdit.id))) == 0
        assert session.scalar(select(func.count(IndicatorVersion.id))) == len(
            load_catalogue().indicators
        )


def test_saving_the_same_definition_again_stores_nothing(engine: Engine) -> None:
    catalogue = load_catalogue()
    code = next(iter(catalogue.indicators))
    same = TableEdit("indicator", code, indicator_table(catalogue.indicators[code]))
    outcome = _save(engine, same)
    assert outcome.refused == UNCHANGED
    with Session(engine) as session:
        assert session.scalar(select(func.count(CatalogueEdit.id))) == 0


def test_init_keeps_the_edits_then_export_and_check_round_trip(
    clean_env: Path, tmp_path: Path
) -> None:
    settings = load_settings()
    initialise(settings)
    engine = make_engine(settings.effective_database_url)
    assert _save(engine, DITP).saved
    assert _save(engine, TableEdit("indicator", "DITP_DELAI", INDICATOR)).saved

    lines = initialise(settings)  # the files have not changed: the edits stay in force
    assert any("0 indicateurs créés, 0 nouvelles versions" in line for line in lines), lines
    with Session(engine) as session:
        versions = session.scalars(
            select(IndicatorVersion.version).where(IndicatorVersion.indicator_code == "DITP_DELAI")
        ).all()
    assert versions == [1]

    runner = CliRunner()
    checked = runner.invoke(cli, ["catalogue", "check"])
    assert checked.exit_code == 0, checked.output
    assert "dont 2 définitions modifiées en ligne" in checked.output
    out = tmp_path / "export"
    exported = runner.invoke(cli, ["catalogue", "export", "--to", str(out)])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(cli, ["catalogue", "check", "--dossier", str(out)])
    assert again.exit_code == 0, again.output
    in_service, _ = catalogue_in_service(engine)
    from_files = load_catalogue(out)
    assert from_files.partners == in_service.partners
    assert {c: definition_hash(i) for c, i in from_files.indicators.items()} == {
        c: definition_hash(i) for c, i in in_service.indicators.items()
    }
    refused = runner.invoke(cli, ["catalogue", "export", "--to", str(out)])
    assert refused.exit_code == 2 and "n'est pas vide" in refused.output
    engine.dispose()
