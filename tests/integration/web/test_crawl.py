"""The crawl (issue #11): every page for every catalogue indicator and a stratified sample of
territories, on the test demo (Corse and Martinique), on SQLite and on PostgreSQL. It fires the
callbacks each page's layout triggers, as the browser does (see :mod:`crawl`), downloads every
CSV data twin they link to, and fails on any callback exception counted on the server.

The sample: each level (France, régions, départements, EPCI, communes), overseas (Martinique),
Corsica (2A and 2B), territories with no data (l'Ain, Auvergne-Rhône-Alpes), unknown codes,
every measure x territory type of ``/evaluation``, every programme with each of its
indicators, and the pages without parameters.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest
from crawl import Crawler, server_errors  # tests/integration/web/crawl.py

from dashboard.cache import cache
from dashboard.context import EXTENSION_KEY, bind_context
from indicators.catalogue import load_catalogue
from indicators.config import Settings, load_settings
from indicators.store import make_engine

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:dash.development.base_component"),
]

NO_DATA = ["DEP:01", "REG:84", "COM:01001", "EPCI:200040715"]  # outside the demo's régions
UNKNOWN = ["/territoire/COM:99999", "/territoire/XYZ", "/indicateur/INCONNU", "/programmes/XX"]
# the pages of issue #11's report, which raised "No objects to concatenate"
REPORTED = [
    "/indicateur/ECO_GES_HABITANT",
    "/indicateur/ACC_FS_SATISFACTION",
    "/territoire/DEP:01?indicateur=LOG_PARC_PRIVE",
    "/territoire/DEP:02?indicateur=MOB_SERVICES_SOLIDAIRES",
]
STATIC = ["/", "/carte", "/indicateurs", "/import", "/chargements", "/programmes", "/evaluation"]
WEB_DEMO_REGIONS = ("94", "02")  # as the session's demo (tests/conftest.py)
TYPES = ["tous", "moins_20k", "20k_100k", "plus_100k"]


def territory_sample(referential: Any) -> dict[str, list[str]]:
    """Per level, demo territories of Corse-du-Sud, Haute-Corse and Martinique, then none."""
    sample: dict[str, list[str]] = {"FR": ["FR"], "REG": ["REG:94", "REG:02"]}
    sample["DEP"] = ["DEP:2A", "DEP:2B", "DEP:972"]
    for level in ("EPCI", "COM"):
        codes = sorted(referential.codes(level))
        sample[level] = [
            next(c for c in codes if referential.territory(c).departement == d)
            for d in ("2A", "2B", "972")
        ]
    sample["DEP"].append("DEP:01")
    sample["REG"].append("REG:84")
    sample["EPCI"].append("EPCI:200040715")
    sample["COM"].append("COM:01001")
    return sample


def crawl_urls(referential: Any) -> list[str]:
    catalogue = load_catalogue()
    sample = territory_sample(referential)
    turns = {level: cycle(codes) for level, codes in sample.items()}
    areas = cycle(["DEP:2A", "DEP:2B", "DEP:972", "DEP:01"])
    urls = list(STATIC) + list(UNKNOWN) + list(REPORTED)
    for code in catalogue.indicators:
        urls += [
            f"/indicateur/{code}",
            f"/indicateur/{code}?niveau=REG",
            f"/indicateur/{code}?niveau=EPCI&dans=REG:02",
            f"/indicateur/{code}?niveau=COM&dans={next(areas)}",
            f"/carte?indicateur={code}",
            f"/carte?indicateur={code}&niveau=COM&dans={next(areas)}",
        ]
        # one territory of each level per indicator, turning through the sample
        urls += [f"/territoire/{next(turns[level])}?indicateur={code}" for level in sample]
    for measure in catalogue.measures:
        urls += [f"/evaluation?mesure={measure}&type={kind}" for kind in TYPES]
    for programme in catalogue.programmes:
        urls.append(f"/programmes/{programme}")
        urls += [
            f"/programmes/{programme}?indicateur={i.code}"
            for i in catalogue.indicators.values()
            if programme in i.programmes
        ]
    return urls


def crawl(dash_app: Any, urls: list[str] | None = None) -> tuple[list[str], float, int]:
    """Visit every URL (default: :func:`crawl_urls`); return the failures, the time taken and
    the number of callbacks fired."""
    if urls is None:
        with dash_app.server.app_context():
            from dashboard import readers

            urls = crawl_urls(readers.referential())
    crawler = Crawler(dash_app.server.test_client())
    failures: list[str] = []
    fired = 0
    started = time.perf_counter()
    with server_errors() as errors:
        for url in urls:
            seen = len(errors.records)
            visit = crawler.visit(url)
            fired += visit.callbacks
            failures += [f"{url} : {problem}" for problem in errors.records[seen:]]
            failures += [f"{url} : {problem}" for problem in visit.problems]
    return failures, time.perf_counter() - started, fired


def _check(failures: list[str], elapsed: float, fired: int, backend: str) -> None:
    print(f"crawl {backend} : {fired} callbacks en {elapsed:.0f} s")
    assert fired > 1000, fired  # the pages really fired their callbacks
    assert not failures, f"{len(failures)} échecs :\n" + "\n".join(failures[:40])


def test_the_crawler_counts_a_callback_that_raises(
    dash_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crawl would pass on a broken page if it missed server-side errors: it does not."""
    from dashboard import readers

    def broken(indicator: str, territory: str) -> Any:
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(readers, "values_over_time", broken)
    crawler = Crawler(dash_app.server.test_client())
    with server_errors() as errors:
        visit = crawler.visit("/territoire/DEP:2A?indicateur=LOG_PARC_PRIVE")
    assert visit.callbacks >= 5
    failed = [e for e in errors.records if "territoire-trend-graph.figure" in e]
    assert failed and "RuntimeError: base indisponible" in failed[0]


def test_crawl_every_page_on_sqlite(dash_app: Any) -> None:
    _check(*crawl(dash_app), "SQLite")


@contextmanager
def bound_to(dash_app: Any, settings: Settings) -> Iterator[Any]:
    """The session's app bound to another base for a while (Dash registers page callbacks once
    per process: one app, several bases), with an emptied cache before and after."""
    server = dash_app.server
    session_context = server.extensions[EXTENSION_KEY]
    with server.app_context():
        cache.clear()  # the bases may share a data version: no value may leak across
    bind_context(server, settings)
    try:
        yield dash_app
    finally:
        server.extensions[EXTENSION_KEY].engine.dispose()
        server.extensions[EXTENSION_KEY] = session_context
        with server.app_context():
            cache.clear()


@pytest.fixture
def postgres_app(dash_app: Any, postgres_url: str, app_settings: Settings) -> Iterator[Any]:
    """The same two-région demo, built in a fresh PostgreSQL schema."""
    from dashboard.cli.database import initialise
    from indicators.demo import build_demo

    settings = load_settings(
        {},
        var_dir=Path(app_settings.var_dir),
        cache_type="simple",
        database_url=postgres_url,
        public=True,
    )
    initialise(settings)
    engine = make_engine(postgres_url)
    build_demo(engine, seed=42, scope=WEB_DEMO_REGIONS)
    engine.dispose()
    with bound_to(dash_app, settings) as app:
        yield app


@pytest.mark.postgres
def test_crawl_every_page_on_postgresql(postgres_app: Any) -> None:
    _check(*crawl(postgres_app), "PostgreSQL")


@pytest.fixture
def empty_app(dash_app: Any, tmp_path: Path) -> Iterator[Any]:
    """A base with the referential and the catalogue but not one value: a new installation."""
    from dashboard.cli.database import initialise

    settings = load_settings({}, var_dir=tmp_path, cache_type="simple", public=True)
    initialise(settings)
    with bound_to(dash_app, settings) as app:
        yield app


def test_crawl_without_any_value(empty_app: Any) -> None:
    """No value at all: every indicator's page, France's and a commune's page for it, each
    measure and programme — each chart says why it is empty, no callback fails."""
    catalogue = load_catalogue()
    urls = [*STATIC, *UNKNOWN, *[f"/evaluation?mesure={m}" for m in catalogue.measures]]
    urls += [f"/programmes/{p}" for p in catalogue.programmes]
    for code in catalogue.indicators:
        urls += [
            f"/indicateur/{code}",
            f"/indicateur/{code}?niveau=COM&dans=DEP:2A",
            f"/territoire/FR?indicateur={code}",
            f"/territoire/COM:2A004?indicateur={code}",
        ]
    failures, elapsed, fired = crawl(empty_app, urls)
    print(f"crawl base vide : {fired} callbacks en {elapsed:.0f} s")
    assert fired > 500, fired
    assert not failures, f"{len(failures)} échecs :\n" + "\n".join(failures[:40])
