"""``suivi init`` makes the official programme lists the programme memberships (dated sets), and
leaves alone a list someone loaded by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.cli import main
from indicators.config import load_settings
from indicators.store import make_engine
from indicators.store.models import Membership, TerritorySet
from indicators.territories.programme_lists import (
    OFFICIAL_SOURCE,
    ListedMember,
    ProgrammeList,
    ProgrammeLists,
    sync_programme_sets,
)
from indicators.territories.set_store import Member, replace_set_members, set_members

pytestmark = pytest.mark.integration

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
SETS = {"ACV": ("prog-acv", "Action cœur de ville"), "PVD": ("prog-pvd", "Petites villes")}


def _session() -> Session:
    return Session(make_engine(load_settings().effective_database_url))


def test_init_loads_the_official_lists_once(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = REFERENCE
    if not (reference / "programmes" / "members.csv").is_file():
        pytest.skip(f"listes des programmes absentes ({reference / 'programmes'})")
    monkeypatch.setenv("SUIVI_REFERENCE_DIR", str(reference))
    runner = CliRunner()
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "Programme ACV : 244 membres (liste officielle), 244 changements." in result.output
    assert "Programme PVD : 1606 membres (liste officielle)" in result.output
    assert "Programme FS : 2601 membres (liste officielle)" in result.output
    with _session() as session:
        sizes = {
            slug: len(set_members(session, slug)) for slug in ("prog-acv", "prog-pvd", "prog-fs")
        }
        assert sizes == {"prog-acv": 244, "prog-pvd": 1606, "prog-fs": 2601}
        acv = session.scalar(select(TerritorySet).where(TerritorySet.slug == "prog-acv"))
        assert acv is not None and acv.kind == "programme" and acv.source == OFFICIAL_SOURCE
        assert acv.name == "Action cœur de ville" and "27 mars 2018" in (acv.description or "")
        ajaccio = session.scalar(
            select(Membership.start_date).where(
                Membership.set_id == acv.id, Membership.territory_code == "COM:2A004"
            )
        )
        assert ajaccio == date(2018, 3, 27)
        # France Services members are dated by their first site's label, not all at one date
        assert len(set_members(session, "prog-fs", on=date(2020, 1, 1))) < 2601
        assert len(set_members(session, "prog-fs", on=date(2024, 8, 1))) == 2601
        assert not set_members(session, "prog-ti")  # no official list: the demo draws one
    again = runner.invoke(main, ["init"])
    assert again.exit_code == 0
    assert "Programme ACV : 244 membres (liste officielle), inchangés." in again.output
    assert "recalculés" not in again.output


def test_a_list_loaded_by_hand_is_kept_and_a_demo_list_replaced(
    clean_env: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["init"])  # the small referential: no programme lists
    assert result.exit_code == 0, result.output
    assert "Programmes : aucune liste officielle" in result.output
    own = tmp_path / "ma_liste.csv"
    own.write_text("code_insee\n01004\n", encoding="utf-8")
    loaded = CliRunner().invoke(main, ["sets", "load", str(own), "--set", "prog-acv"])
    assert loaded.exit_code == 0, loaded.output
    lists = ProgrammeLists(
        {
            code: ProgrammeList(
                code,
                (
                    ListedMember("COM:01053", date(2018, 3, 27), "lancement"),
                    ListedMember("COM:99999", date(2018, 3, 27), "lancement"),
                ),
                f"Liste officielle {code}.",
            )
            for code in SETS
        }
    )
    with _session() as session, session.begin():
        replace_set_members(
            session,
            "prog-pvd",
            [Member("COM:01004")],
            kind="programme",
            source="Données de démonstration (indicators/demo, graine 42)",
        )
        report = sync_programme_sets(session, lists, SETS)
    assert report.lines == (
        "Programme ACV : liste chargée depuis « ma_liste.csv » conservée "
        "(la liste officielle n'est pas rechargée).",
        "Programme PVD : 2 membres (liste officielle), 2 changements. "
        "1 codes absents du référentiel ignorés.",
    )
    assert report.changed == 2  # one added, one removed
    with _session() as session:
        assert set_members(session, "prog-acv") == ["COM:01004"]
        acv = session.scalar(select(TerritorySet).where(TerritorySet.slug == "prog-acv"))
        assert acv is not None
        assert acv.description == "Liste chargée depuis le fichier « ma_liste.csv »."
        assert set_members(session, "prog-pvd") == ["COM:01053"]
        pvd = session.scalar(select(TerritorySet).where(TerritorySet.slug == "prog-pvd"))
        assert pvd is not None and pvd.source == OFFICIAL_SOURCE
        assert pvd.description == "Liste officielle PVD."
