"""The shipped catalogue, the mini referential and the upload fixtures, for the ingest tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from indicators.catalogue import Catalogue, load_catalogue
from indicators.ingest import Analysis, LoadOptions, UploadedFile, analyse, parse_profile
from indicators.territories import Referential, load_referential

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = ROOT / "fixtures" / "uploads"
MINI_REFERENCE = ROOT / "fixtures" / "reference_mini"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def mini() -> Referential:
    return load_referential(MINI_REFERENCE)


@pytest.fixture
def analyse_fixture(catalogue: Catalogue, mini: Referential) -> Callable[..., Analysis]:
    """Dry-run a fixture file without a database; its ``.profile.json`` is used if present."""

    def run(name: str, **options: object) -> Analysis:
        path = UPLOADS / name
        profile_path = path.with_suffix(".profile.json")
        profile = None
        if profile_path.exists():
            profile = parse_profile(json.loads(profile_path.read_text(encoding="utf-8")))
        return analyse(
            UploadedFile.from_path(path),
            catalogue=catalogue,
            referential=mini,
            profile=profile,
            options=LoadOptions(**options),  # type: ignore[arg-type]
        )

    return run


@pytest.fixture
def analyse_text(catalogue: Catalogue, mini: Referential) -> Callable[..., Analysis]:
    """Dry-run a file given as text (UTF-8) or bytes, without a database."""

    def run(text: str | bytes, name: str = "fichier.csv", **kwargs: object) -> Analysis:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        return analyse(
            UploadedFile(name, data),
            catalogue=catalogue,
            referential=mini,
            **kwargs,  # type: ignore[arg-type]
        )

    return run
