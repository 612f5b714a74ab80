"""Shared fixtures: real SQLite files, and the real PostgreSQL / Redis servers when they answer."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from indicators.accounts import create_user
from indicators.config import Settings, load_settings
from indicators.store import make_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT.parent / "shared" / "samples"
MINI_REFERENCE = REPO_ROOT / "tests" / "fixtures" / "reference_mini"
POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need Debian's chromium-driver; without it they skip with a reason."""
    if shutil.which("chromedriver"):
        return
    skip = pytest.mark.skip(reason="chromedriver absent (apt-get install chromium chromium-driver)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        pytest.skip(f"échantillons réels absents ({SAMPLES_DIR})")
    return SAMPLES_DIR


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'suivi.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local ``test`` database, dropped afterwards."""
    if not port_open(POSTGRES_HOST, POSTGRES_PORT):
        pytest.skip("PostgreSQL absent sur 127.0.0.1:5432")
    schema = f"suivi_test_{uuid.uuid4().hex[:10]}"
    base = f"postgresql+psycopg://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/test"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def redis_url() -> str:
    if not port_open(REDIS_HOST, REDIS_PORT):
        pytest.skip("Redis absent sur 127.0.0.1:6379")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/15"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a test on SQLite and, when it answers, on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


# Régions of the web test session's demo: Corse (mainland France insets off) and Martinique
# (an overseas inset), about 380 communes — small enough to build in seconds.
WEB_DEMO_REGIONS = ("94", "02")


# One account per role in the web test session's database (password TEST_PASSWORD).
TEST_ACCOUNTS: dict[str, tuple[str, str | None]] = {
    "lecteur": ("lecteur", None),
    "deposant": ("deposant", "INSEE"),
    "deposant-anct": ("deposant", "ANCT"),
    "evaluateur": ("evaluateur", None),
    "administrateur": ("administrateur", None),
}
TEST_PASSWORD = "mot-de-passe-de-test"


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the one web app built per test session (Dash registers callbacks once):
    the real referential and catalogue, and the demo over two régions."""
    from dashboard.cli.database import initialise
    from indicators.demo import build_demo

    var_dir = tmp_path_factory.mktemp("var")
    # public: anonymous visitors read the dashboards; tests that write sign in (``login_as``)
    settings = load_settings({}, var_dir=var_dir, cache_type="simple", public=True)
    initialise(settings)
    engine = make_engine(settings.effective_database_url)
    build_demo(engine, seed=42, scope=WEB_DEMO_REGIONS)
    with Session(engine) as session, session.begin():
        for username, (role, partner) in TEST_ACCOUNTS.items():
            create_user(session, username, role=role, partner_code=partner, password=TEST_PASSWORD)
    engine.dispose()
    return settings


@pytest.fixture(scope="session")
def dash_app(app_settings: Settings):  # type: ignore[no-untyped-def]
    from dashboard.app import create_app

    return create_app(app_settings)


@pytest.fixture
def client(dash_app):  # type: ignore[no-untyped-def]
    return dash_app.server.test_client()


def sign_in_session(client, username: str | None) -> None:  # type: ignore[no-untyped-def]
    """Put ``username`` (``None``: nobody) in the client's signed session, as /connexion does."""
    from dashboard.auth import User
    from dashboard.context import db_session
    from indicators.accounts import find_user

    session_id = None
    if username is not None:
        with client.application.app_context(), db_session() as db:
            account = find_user(db, username)
        assert account is not None, username
        session_id = User.of(account).get_id()
    with client.session_transaction() as session:
        session.clear()
        if session_id is not None:
            session["_user_id"] = session_id
            session["_fresh"] = True


@pytest.fixture
def login_as():  # type: ignore[no-untyped-def]
    """``login_as(client, "deposant")``: sign the test client in with that role's test account
    (a role of TEST_ACCOUNTS, or an account's name: ``"deposant-anct"``); ``None`` signs out."""

    def sign_in(client, role: str | None) -> None:  # type: ignore[no-untyped-def]
        if role is not None and role not in TEST_ACCOUNTS:
            raise ValueError(f"no test account for {role!r}")
        sign_in_session(client, role)

    return sign_in


@pytest.fixture
def account_password() -> str:
    """The password of every TEST_ACCOUNTS account."""
    return TEST_PASSWORD


@pytest.fixture
def private_app(dash_app, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The session's app as a non-public instance (SUIVI_PUBLIC=0) for one test."""
    from dataclasses import replace

    from dashboard.context import EXTENSION_KEY

    context = dash_app.server.extensions[EXTENSION_KEY]
    monkeypatch.setattr(context, "settings", replace(context.settings, public=False))
    return dash_app


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An environment with no SUIVI_* variable but a private var directory and the small
    hand-written referential (the real one is tested on its own)."""
    for name in list(os.environ):
        if name.startswith("SUIVI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUIVI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SUIVI_REFERENCE_DIR", str(MINI_REFERENCE))
    return tmp_path / "var"


@pytest.fixture(scope="session")
def large_indicator_csv(app_settings: Settings) -> str:
    """50,000 rows of a monthly demo indicator (every commune of the session's demo, months the
    demo does not hold): a file whose check and load take long enough to show progress."""
    engine = make_engine(app_settings.effective_database_url)
    with engine.connect() as connection:
        communes = list(
            connection.scalars(
                text(
                    "SELECT code FROM territory WHERE level = 'COM' AND (code LIKE 'COM:2A%' "
                    "OR code LIKE 'COM:2B%' OR code LIKE 'COM:972%') ORDER BY code"
                )
            )
        )
    engine.dispose()
    months = [f"{year}-{month:02d}" for year in range(2005, 2016) for month in range(1, 13)]
    rows = [
        f"NUM_ACCOMPAGNEMENTS;{code.removeprefix('COM:')};{month};{(index * 7) % 500}"
        for index, (code, month) in enumerate((c, m) for c in communes for m in months)
    ]
    assert len(rows) >= 50_000, len(rows)
    return "indicateur;territoire;periode;valeur\n" + "\n".join(rows[:50_000]) + "\n"


@pytest.fixture
def undo_catalogue_edits(app_settings: Settings) -> Iterator[None]:
    """The session's database shares its catalogue with every test: the partners and indicators
    a test creates on /administration/catalogue (and what was loaded or made for them) are
    removed afterwards. Tests using it create new definitions only."""
    from sqlalchemy import delete, func, or_, select

    from indicators.catalogue import load_catalogue
    from indicators.store.database import bump_data_version
    from indicators.store.models import (
        CatalogueEdit,
        ComputedValue,
        ImportProfile,
        Indicator,
        IndicatorVersion,
        Load,
        LoadIssue,
        Observation,
        ObservationHistory,
        Partner,
        User,
    )

    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session:
        last = session.scalar(select(func.max(CatalogueEdit.id))) or 0
    yield
    files = load_catalogue(app_settings.catalogue_dir)
    with Session(engine) as session, session.begin():
        edits = session.scalars(select(CatalogueEdit).where(CatalogueEdit.id > last)).all()
        codes = {e.code for e in edits if e.kind == "indicator"} - set(files.indicators)
        partners = {e.code for e in edits if e.kind == "partner"} - set(files.partners)
        loads = select(Load.id).where(Load.partner_code.in_(partners))
        for model in (ObservationHistory, Observation, ComputedValue):
            session.execute(delete(model).where(model.indicator_code.in_(codes)))
        session.execute(delete(ObservationHistory).where(ObservationHistory.new_load_id.in_(loads)))
        session.execute(delete(Observation).where(Observation.load_id.in_(loads)))
        session.execute(delete(LoadIssue).where(LoadIssue.load_id.in_(loads)))
        session.execute(delete(Load).where(Load.partner_code.in_(partners)))
        session.execute(delete(IndicatorVersion).where(IndicatorVersion.indicator_code.in_(codes)))
        session.execute(delete(Indicator).where(Indicator.code.in_(codes)))
        session.execute(
            delete(User).where(or_(User.partner_code.in_(partners), User.username.like("ditp-%")))
        )
        session.execute(delete(ImportProfile).where(ImportProfile.partner_code.in_(partners)))
        session.execute(delete(Partner).where(Partner.code.in_(partners)))
        session.execute(delete(CatalogueEdit).where(CatalogueEdit.id > last))
        bump_data_version(session)
    engine.dispose()


@pytest.fixture(scope="module")
def period_212(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The latest period of NUM_TAUX_FTTH, with a 212 % value during the module (issue #16), as
    it really arises: two counts that pass every check on their own (212 locaux raccordables
    for 100 locaux in L'Abergement-Clémenciat, Ain) make the derived rate leave its 0–100 range.
    Ain, Auvergne-Rhône-Alpes and that commune are out of the demo: the load is rolled back
    afterwards, for the session store is shared."""
    from indicators.catalogue import load_catalogue
    from indicators.ingest import (
        LoadOptions,
        UploadedFile,
        analyse,
        commit_analysis,
        rollback_load,
    )
    from indicators.precompute.read import periods_available
    from indicators.territories import load_referential

    catalogue = load_catalogue()
    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session:
        period = periods_available(session, "NUM_TAUX_FTTH")[-1]
    rows = f"NUM_LOCAUX;01001;{period};100\nNUM_LOCAUX_FTTH;01001;{period};212\n"
    with Session(engine) as session:
        analysis = analyse(
            UploadedFile("ftth.csv", f"indicateur;territoire;periode;valeur\n{rows}".encode()),
            catalogue=catalogue,
            referential=load_referential(),
            session=session,
            options=LoadOptions(),
        )
    raw = tmp_path_factory.mktemp("raw")
    with Session(engine) as session, session.begin():
        load_id = commit_analysis(session, analysis, catalogue=catalogue, raw_dir=raw).load_id
    yield period
    with Session(engine) as session, session.begin():
        rollback_load(session, load_id, catalogue=catalogue)
    engine.dispose()
