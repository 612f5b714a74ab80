"""``suivi evaluation report | verify | designs`` on a copy of the evaluation's demo database
(the copy keeps the shared database untouched for the proof tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from dashboard.cli import main
from dashboard.reports import pdf_available, read_metadata
from indicators.catalogue import load_catalogue
from indicators.evaluation import load_design
from indicators.store import bump_data_version, make_engine

pytestmark = pytest.mark.integration


@pytest.fixture
def demo_copy(evaluation_demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:  # type: ignore[no-untyped-def]
    engine, _report = evaluation_demo
    source = Path(str(engine.url.database))
    target = tmp_path / "suivi.db"
    shutil.copyfile(source, target)
    monkeypatch.setenv("SUIVI_DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.chdir(tmp_path)
    copy = make_engine(f"sqlite:///{target}")
    yield copy
    copy.dispose()


def test_report_freezes_the_proposal_then_verifies(demo_copy: Engine, tmp_path: Path) -> None:
    runner = CliRunner()
    written = runner.invoke(main, ["evaluation", "report", "M2"])
    assert written.exit_code == 0, written.output
    assert "plan version 1" in written.output
    report = next(tmp_path.glob("evaluation-M2-v*.html"))
    metadata = read_metadata(report.read_text(encoding="utf-8"))
    assert metadata["design_version"] == 1 and metadata["measure"] == "M2"

    listed = runner.invoke(main, ["evaluation", "designs", "M2"])
    assert "M2 v1" in listed.output and "rapport figé" in listed.output

    verified = runner.invoke(main, ["evaluation", "verify", str(report)])
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("Identique")

    # a second report of the same design and data: same fingerprints, no new version
    again = runner.invoke(main, ["evaluation", "report", "M2", "-o", "again.html"])
    assert "plan version 1" in again.output
    second = read_metadata((tmp_path / "again.html").read_text(encoding="utf-8"))
    assert second["results_sha256"] == metadata["results_sha256"]
    assert second["inputs_sha256"] == metadata["inputs_sha256"]


def test_verify_notices_changed_data_and_tampering(demo_copy: Engine, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["evaluation", "report", "M2", "-o", "r.html"]).exit_code == 0
    report = tmp_path / "r.html"
    html = report.read_text(encoding="utf-8")
    metadata = read_metadata(html)

    tampered = tmp_path / "tampered.html"
    tampered.write_text(html.replace(metadata["results_sha256"], "0" * 64), encoding="utf-8")
    result = runner.invoke(main, ["evaluation", "verify", str(tampered)])
    assert result.exit_code == 1 and "chiffres diffèrent" in result.output

    # the values of one test territory change: the data, hence the report, are no longer the same
    headline = load_catalogue().measures["M2"].headline_indicator
    with Session(demo_copy) as session, session.begin():
        design = load_design(session, "M2")
        assert design is not None
        territory = next(unit.territory for unit in design.units if unit.role == "test")
        changed = session.execute(
            text(
                "UPDATE observation SET value = value + 1000 WHERE indicator_code = :code "
                "AND territory_code = :territory AND value IS NOT NULL"
            ),
            {"code": headline, "territory": territory},
        )
        assert changed.rowcount > 0  # type: ignore[attr-defined]
        bump_data_version(session)
    result = runner.invoke(main, ["evaluation", "verify", str(report)])
    assert result.exit_code == 1
    assert "les données ont changé" in result.output


def test_usage_errors_are_french_and_exit_2(demo_copy: Engine, tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["evaluation", "report", "M404"])
    assert unknown.exit_code == 2 and "mesure inconnue" in unknown.output
    missing = runner.invoke(main, ["evaluation", "report", "M2", "--design-version", "99"])
    assert missing.exit_code == 2 and "pas de plan d'évaluation version 99" in missing.output
    other = tmp_path / "autre.html"
    other.write_text("<html><body>bonjour</body></html>", encoding="utf-8")
    not_a_report = runner.invoke(main, ["evaluation", "verify", str(other)])
    assert not_a_report.exit_code == 2 and "pas un rapport" in not_a_report.output


@pytest.mark.skipif(not pdf_available(), reason="Chromium absent : pas d'export PDF")
def test_pdf_next_to_the_html(demo_copy: Engine, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["evaluation", "report", "M2", "-o", "r.html", "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
