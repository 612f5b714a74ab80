"""Commit, history, replace-scope, rollback and profiles, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.ingest import (
    Analysis,
    LoadOptions,
    LoadOutcome,
    RollbackRefused,
    UploadedFile,
    analyse,
    commit_analysis,
    delete_profile,
    get_profile,
    list_loads,
    list_profiles,
    load_effects,
    load_issues,
    rollback_load,
    save_profile,
)
from indicators.store import current_data_version
from indicators.store.models import ComputedValue, Load, Observation, ObservationHistory
from indicators.territories import Referential

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = ROOT / "fixtures" / "uploads"
HEADER = "indicateur;territoire;periode;valeur\n"


class Loader:
    def __init__(self, engine: Engine, catalogue: Catalogue, mini: Referential, raw: Path):
        self.engine, self.catalogue, self.mini, self.raw = engine, catalogue, mini, raw

    def analyse(self, data: str | bytes, **options: object) -> Analysis:
        upload = UploadedFile("f.csv", data.encode() if isinstance(data, str) else data)
        with Session(self.engine) as session:
            return analyse(
                upload,
                catalogue=self.catalogue,
                referential=self.mini,
                session=session,
                partner_code=options.pop("partner", None),  # type: ignore[arg-type]
                options=LoadOptions(**options),  # type: ignore[arg-type]
            )

    def commit(self, analysis: Analysis) -> LoadOutcome:
        with Session(self.engine) as session, session.begin():
            return commit_analysis(
                session, analysis, catalogue=self.catalogue, raw_dir=self.raw, username="test"
            )

    def load(self, data: str | bytes, **options: object) -> LoadOutcome:
        return self.commit(self.analyse(data, **options))

    def values(self) -> dict[tuple[str, str, str, str], tuple[float | None, str, int | None]]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(
                    Observation.indicator_code,
                    Observation.territory_code,
                    Observation.period,
                    Observation.value_type,
                    Observation.value,
                    Observation.status,
                    Observation.load_id,
                )
            ).all()
        return {tuple(row[:4]): tuple(row[4:]) for row in rows}  # type: ignore[misc]

    def computed(self, indicator: str, territory: str, period: str) -> float | None:
        with Session(self.engine) as session:
            return session.scalar(
                select(ComputedValue.value).where(
                    ComputedValue.indicator_code == indicator,
                    ComputedValue.territory_code == territory,
                    ComputedValue.period == period,
                )
            )

    def version(self) -> int:
        with Session(self.engine) as session:
            return current_data_version(session)


@pytest.fixture
def loader(engine: Engine, catalogue: Catalogue, mini: Referential, tmp_path: Path) -> Loader:
    return Loader(engine, catalogue, mini, tmp_path / "uploads")


FIRST = HEADER + "MOB_ACTIFS;01001;2024;400\nMOB_ACTIFS;01004;2024;6000\n"


def test_load_then_the_same_file_changes_nothing_and_says_so(loader: Loader) -> None:
    first = loader.load(FIRST)
    assert first.status == "committed"
    assert (first.counts["created"], first.counts["updated"]) == (2, 0)
    assert loader.values()[("MOB_ACTIFS", "COM:01001", "2024", "valeur")] == (
        400.0,
        "ok",
        first.load_id,
    )
    version = loader.version()
    assert version == 1 and first.data_version == 1
    again = loader.load(FIRST)
    assert again.status == "unchanged" and again.counts["unchanged"] == 2
    assert again.analysis.previous_load == first.load_id
    assert loader.version() == version  # nothing changed: caches stay valid


def test_raw_file_is_kept_by_its_hash(loader: Loader) -> None:
    outcome = loader.load(FIRST)
    sha = outcome.analysis.upload.sha256
    assert (loader.raw / sha[:2] / sha).read_bytes() == FIRST.encode()
    with Session(loader.engine) as session:
        load = session.get(Load, outcome.load_id)
        assert load is not None
        assert (load.sha256, load.raw_path, load.username) == (sha, f"{sha[:2]}/{sha}", "test")


def test_a_changed_value_keeps_its_previous_one(loader: Loader) -> None:
    first = loader.load(FIRST)
    second = loader.load(HEADER + "MOB_ACTIFS;01001;2024;450\nMOB_ACTIFS;01004;2024;6000\n")
    assert (second.counts["updated"], second.counts["unchanged"]) == (1, 1)
    table = second.analysis.changes_table(("updated",))
    assert table[["territory", "old_value", "value"]].values.tolist() == [["COM:01001", 400, 450]]
    with Session(loader.engine) as session:
        history = session.scalars(select(ObservationHistory)).all()
    assert [(h.territory_code, h.old_value, h.old_load_id, h.new_load_id) for h in history] == [
        ("COM:01001", 400.0, first.load_id, second.load_id)
    ]


def test_aggregates_and_data_version_are_fresh_after_a_commit(loader: Loader) -> None:
    loader.load(FIRST)
    assert loader.computed("MOB_ACTIFS", "DEP:01", "2024") == 6400
    loader.load(HEADER + "MOB_ACTIFS;01001;2024;500\n")
    assert loader.computed("MOB_ACTIFS", "DEP:01", "2024") == 6500
    assert loader.version() == 2


def test_replace_scope_withdraws_what_the_file_no_longer_holds(loader: Loader) -> None:
    loader.load(FIRST + "MOB_ACTIFS_VOITURE;01004;2024;3000\nMOB_ACTIFS;01001;2023;1\n")
    text = HEADER + "MOB_ACTIFS;01001;2024;400\nMOB_ACTIFS_VOITURE;01001;2024;10\n"
    outcome = loader.load(text, replace_scope=True)
    # scope: {MOB_ACTIFS, MOB_ACTIFS_VOITURE} × {01001} × {2024}: 01004 and 2023 stay
    assert outcome.counts["withdrawn"] == 0
    outcome = loader.load(
        HEADER + "MOB_ACTIFS;01004;2024;6000\nMOB_ACTIFS_VOITURE;01001;2024;10\n",
        replace_scope=True,
    )
    assert outcome.counts["withdrawn"] == 2
    values = loader.values()
    for territory, indicator in (
        ("COM:01001", "MOB_ACTIFS"),
        ("COM:01004", "MOB_ACTIFS_VOITURE"),
    ):
        assert values[(indicator, territory, "2024", "valeur")][:2] == (None, "withdrawn")
    assert values[("MOB_ACTIFS", "COM:01001", "2023", "valeur")][:2] == (1.0, "ok")
    assert loader.computed("MOB_ACTIFS", "DEP:01", "2024") == 6000  # withdrawn is not counted
    again = loader.load(
        HEADER + "MOB_ACTIFS;01004;2024;6000\nMOB_ACTIFS_VOITURE;01001;2024;10\n",
        replace_scope=True,
    )
    assert again.status == "unchanged"


def test_a_refused_file_is_recorded_with_its_issues_and_writes_no_value(loader: Loader) -> None:
    outcome = loader.load((UPLOADS / "errors.csv").read_bytes())
    assert outcome.status == "refused"
    assert loader.values() == {} and loader.version() == 0
    with Session(loader.engine) as session:
        issues = load_issues(session, outcome.load_id)
        (summary,) = list_loads(session)
    assert (summary.status, summary.rejected, summary.committed_at) == ("refused", 12, None)
    assert [(i.line, i.code) for i in issues][:2] == [
        (2, "unknown-indicator"),
        (3, "unknown-territory"),
    ]


def test_accept_partial_loads_the_valid_lines_only(loader: Loader) -> None:
    outcome = loader.load((UPLOADS / "errors.csv").read_bytes(), accept_partial=True)
    assert outcome.status == "committed" and outcome.counts["rejected"] == 12
    assert list(loader.values()) == [("NUM_CONSEILLERS", "COM:01015", "2025-T1", "valeur")]


def test_commit_is_atomic(loader: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    import indicators.precompute.write as commit_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne pendant le recalcul")

    monkeypatch.setattr(commit_module, "refresh_computed", broken)
    with pytest.raises(RuntimeError):
        loader.load(FIRST)
    assert loader.values() == {}
    with Session(loader.engine) as session:
        assert session.scalar(select(func.count()).select_from(Load)) == 0
    assert loader.version() == 0


def test_data_changed_since_the_dry_run_is_compared_again(loader: Loader) -> None:
    dry = loader.analyse(FIRST)
    assert dry.counts["created"] == 2
    loader.load(HEADER + "MOB_ACTIFS;01001;2024;1\n")  # someone else, in between
    outcome = loader.commit(dry)
    assert (outcome.counts["created"], outcome.counts["updated"]) == (1, 1)
    assert loader.values()[("MOB_ACTIFS", "COM:01001", "2024", "valeur")][0] == 400


def test_rollback_restores_exactly_and_refuses_when_a_later_load_changed_the_values(
    loader: Loader, catalogue: Catalogue
) -> None:
    first = loader.load(FIRST + "MOB_ACTIFS;01053;2024;20000\n")
    before = loader.values()
    second = loader.load(
        HEADER + "MOB_ACTIFS;01001;2024;450\nMOB_ACTIFS;01015;2024;600\n"
        "MOB_ACTIFS;01053;2024;20000\n"
    )
    third = loader.load(HEADER + "MOB_ACTIFS;01015;2024;650\n")
    with (
        pytest.raises(RollbackRefused, match=f"n°{third.load_id}"),
        Session(loader.engine) as session,
        session.begin(),
    ):
        rollback_load(session, second.load_id, catalogue=catalogue)
    with Session(loader.engine) as session, session.begin():
        undone = rollback_load(session, third.load_id, catalogue=catalogue)
    assert (undone.restored, undone.deleted) == (1, 0)
    with Session(loader.engine) as session, session.begin():
        undone = rollback_load(session, second.load_id, catalogue=catalogue)
    assert (undone.restored, undone.deleted) == (1, 1)
    assert loader.values() == before  # values, statuses and the loads that set them
    assert loader.computed("MOB_ACTIFS", "DEP:01", "2024") == 26400
    with Session(loader.engine) as session:
        statuses = {s.id: (s.status, s.rollback_of) for s in list_loads(session)}
        effects = load_effects(session, undone.load_id)
    assert statuses[second.load_id] == ("rolled_back", None)
    assert statuses[undone.load_id] == ("committed", second.load_id)
    assert set(effects["action"]) == {"undone"}
    for refused, message in (
        (second.load_id, "déjà annulé"),
        (undone.load_id, "ne s'annule pas"),
        (9999, "introuvable"),
    ):
        with (
            pytest.raises(RollbackRefused, match=message),
            Session(loader.engine) as session,
            session.begin(),
        ):
            rollback_load(session, refused, catalogue=catalogue)
    with Session(loader.engine) as session, session.begin():
        rollback_load(session, first.load_id, catalogue=catalogue)
    assert loader.values() == {}


def test_profiles_are_saved_edited_found_by_header_and_deleted(loader: Loader) -> None:
    document = (UPLOADS / "partner_layout.profile.json").read_text(encoding="utf-8")
    import json

    data = (UPLOADS / "partner_layout.csv").read_bytes()
    columns = data.decode().splitlines()[0].split(";")
    with Session(loader.engine) as session, session.begin():
        saved = save_profile(session, json.loads(document), partner_code="INSEE", header=columns)
    outcome = loader.load(data, partner="INSEE")  # no profile named: the header finds it
    assert outcome.status == "committed" and outcome.analysis.profile_matched
    assert outcome.counts["created"] == 8
    with Session(loader.engine) as session, session.begin():
        edited = save_profile(
            session, {**json.loads(document), "scale": 1}, name=saved.name, partner_code="INSEE"
        )
        assert edited.id == saved.id and edited.header_signature is None
        assert [p.name for p in list_profiles(session, "INSEE")] == ["recensement-milliers"]
        assert get_profile(session, "recensement-milliers").profile.scale == 1
        assert delete_profile(session, saved.id)
        assert list_profiles(session) == []
    with Session(loader.engine) as session:
        load = session.get(Load, outcome.load_id)
        assert load is not None and load.profile_id is None
        assert (load.details or {})["profile"] == "recensement-milliers"
