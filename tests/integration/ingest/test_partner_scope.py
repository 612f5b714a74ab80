"""A déposant of partner A, acting through the core API, cannot touch partner B's data (issue #12).

Attacks as a person would try them: a file mixing B's indicator with A's, B's import profile, and
the rollback of B's load — each refused with a stable code or a French message, nothing stored.
On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.ingest import (
    Analysis,
    LoadOptions,
    ProfileNotAllowed,
    RollbackRefused,
    UploadedFile,
    analyse,
    commit_analysis,
    delete_profile,
    get_profile,
    rollback_load,
    save_profile,
)
from indicators.store.models import Observation
from indicators.territories import Referential

pytestmark = pytest.mark.integration

HEADER = "indicateur;territoire;periode;valeur\n"
INSEE_ROW = "MOB_ACTIFS;01001;2024;400\n"  # produced by INSEE
ANCT_ROW = "ACC_FS_CREDITS;01001;2024;12\n"  # produced by ANCT


def check(
    engine: Engine,
    catalogue: Catalogue,
    mini: Referential,
    text: str,
    scope: str | None,
    profile: str | None = None,
    **options: bool,
) -> Analysis:
    with Session(engine) as session:
        stored = get_profile(session, profile) if profile else None
        return analyse(
            UploadedFile("f.csv", text.encode()),
            catalogue=catalogue,
            referential=mini,
            session=session,
            profile=stored,
            partner_code=scope,
            partner_scope=scope,
            options=LoadOptions(**options),
        )


def commit(engine: Engine, catalogue: Catalogue, analysis: Analysis, partner: str | None) -> int:
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(
            session, analysis, catalogue=catalogue, raw_dir=None, partner_code=partner
        )
    return outcome.load_id


def stored_values(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Observation)) or 0)


def test_an_uploader_cannot_load_another_partners_indicator(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    analysis = check(engine, catalogue, mini, HEADER + INSEE_ROW + ANCT_ROW, "INSEE")
    found = [(i.line, i.column, i.code, i.value) for i in analysis.issues if i.is_error]
    assert found == [(3, "indicateur", "other-partner-indicator", "ACC_FS_CREDITS")]
    assert "produit par le partenaire ANCT" in analysis.issues[0].message
    assert analysis.verdict == "refused"
    commit(engine, catalogue, analysis, "INSEE")
    assert stored_values(engine) == 0  # refused: nothing written


def test_accept_partial_loads_only_the_partners_own_lines(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    text = HEADER + INSEE_ROW + ANCT_ROW
    analysis = check(engine, catalogue, mini, text, "INSEE", accept_partial=True)
    assert analysis.verdict == "valid" and analysis.counts["rejected"] == 1
    commit(engine, catalogue, analysis, "INSEE")
    with Session(engine) as session:
        assert set(session.scalars(select(Observation.indicator_code))) == {"MOB_ACTIFS"}


def test_without_a_scope_an_administrator_loads_every_partner(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    analysis = check(engine, catalogue, mini, HEADER + INSEE_ROW + ANCT_ROW, None)
    assert analysis.verdict == "valid" and analysis.errors == 0


def test_replace_scope_never_withdraws_another_partners_values(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    admin = check(engine, catalogue, mini, HEADER + INSEE_ROW + ANCT_ROW, None)
    commit(engine, catalogue, admin, None)
    # INSEE's uploader sends its own line with B's indicator line and asks to replace the scope
    analysis = check(engine, catalogue, mini, HEADER + INSEE_ROW, "INSEE", replace_scope=True)
    assert analysis.count("withdrawn") == 0
    assert stored_values(engine) == 2


PROFILE = {
    "name": "fichier anct",
    "territory": {"column": "territoire", "level": "COM"},
    "period": {"column": "periode"},
    "indicator": {"column": "indicateur"},
    "values": [{"column": "valeur"}],
}


def test_an_uploader_cannot_use_or_edit_another_partners_profile(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    with Session(engine) as session, session.begin():
        anct = save_profile(session, PROFILE, partner_code="ANCT", header=HEADER.strip().split(";"))
    analysis = check(engine, catalogue, mini, HEADER + INSEE_ROW, "INSEE", profile=str(anct.id))
    assert [i.code for i in analysis.issues] == ["other-partner-profile"]
    assert analysis.verdict == "refused"
    # found by the file's header: B's profile is not used for A's load either
    found = check(engine, catalogue, mini, HEADER + INSEE_ROW, "INSEE")
    assert found.profile_id is None and found.verdict == "valid"
    with Session(engine) as session, session.begin():
        with pytest.raises(ProfileNotAllowed, match="partenaire ANCT"):
            save_profile(session, PROFILE, partner_code="ANCT", partner_scope="INSEE")
        with pytest.raises(ProfileNotAllowed):
            delete_profile(session, anct.id, partner_scope="INSEE")
        own = save_profile(session, PROFILE, partner_code="INSEE", partner_scope="INSEE")
        assert own.partner_code == "INSEE"
        assert delete_profile(session, anct.id, partner_scope="ANCT")


def test_an_uploader_cannot_roll_back_another_partners_load(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    anct = commit(
        engine, catalogue, check(engine, catalogue, mini, HEADER + ANCT_ROW, "ANCT"), "ANCT"
    )
    with (
        Session(engine) as session,
        session.begin(),
        pytest.raises(RollbackRefused, match="pas un chargement de INSEE"),
    ):
        rollback_load(session, anct, catalogue=catalogue, partner_scope="INSEE")
    assert stored_values(engine) == 1
    # a load tagged INSEE by an administrator that wrote ANCT's values stays an admin's to undo
    mixed = check(
        engine,
        catalogue,
        mini,
        HEADER + INSEE_ROW.replace("01001", "01004") + ANCT_ROW.replace("01001", "01004"),
        None,
    )
    mixed_id = commit(engine, catalogue, mixed, "INSEE")
    with (
        Session(engine) as session,
        session.begin(),
        pytest.raises(RollbackRefused, match="ACC_FS_CREDITS"),
    ):
        rollback_load(session, mixed_id, catalogue=catalogue, partner_scope="INSEE")
    with Session(engine) as session, session.begin():
        rollback_load(session, anct, catalogue=catalogue, partner_scope="ANCT")
    assert stored_values(engine) == 2
