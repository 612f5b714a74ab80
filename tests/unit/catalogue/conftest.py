"""A minimal valid catalogue written in ``tmp_path``, and helpers to break it one line at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MINIMAL = {
    "partners.toml": """\
[[partner]]
code = "INSEE"
name = "Institut national de la statistique et des études économiques"
kind = "service_statistique"
""",
    "themes.toml": """\
[[theme]]
code = "vivre-ou-on-a-choisi"
order = 1
label = "Vivre où l'on a choisi"
description = "Accès aux services publics."
""",
    "programmes.toml": """\
[[programme]]
code = "FS"
label = "France Services"
description = "Guichets de proximité."
membership_set = "prog-fs"
headline_indicators = ["TST_TAUX"]
""",
    "measures.toml": """\
[[measure]]
code = "M1"
label = "Services publics de proximité"
description = "Ouvrir des espaces France Services."
theme = "vivre-ou-on-a-choisi"
test_set = "test-m1"
start_date = 2025-01-01
territory_types = ["moins_20k", "20k_100k"]
headline_indicator = "TST_TAUX"
""",
    "indicators-test.toml": """\
[[indicator]]
code = "TST_NUM"
label = "Demandes résolues"
description = "Nombre de demandes résolues."
theme = "vivre-ou-on-a-choisi"
unit = "nombre"
direction = "up"
kind = "base"
aggregation = "sum"
periodicity = "annual"
publication_lag_months = 3
levels = ["COM", "EPCI", "FR"]
chain_level = "output"
measures = ["M1"]
partner = "INSEE"
range = { min = 0 }
source = "Source de test"
licence = "Licence Ouverte 2.0"

[[indicator]]
code = "TST_DEN"
label = "Demandes reçues"
description = "Nombre de demandes reçues."
theme = "vivre-ou-on-a-choisi"
unit = "nombre"
direction = "neutral"
kind = "base"
aggregation = "sum"
periodicity = "annual"
publication_lag_months = 3
levels = ["COM", "EPCI", "FR"]
chain_level = "output"
measures = ["M1"]
partner = "INSEE"
source = "Source de test"
licence = "Licence Ouverte 2.0"

[[indicator]]
code = "TST_TAUX"
label = "Taux de résolution"
description = "Demandes résolues rapportées aux demandes reçues."
theme = "vivre-ou-on-a-choisi"
unit = "%"
direction = "up"
kind = "derived"
formula = "TST_NUM / TST_DEN"
aggregation = "ratio"
numerator = "TST_NUM"
denominator = "TST_DEN"
periodicity = "annual"
publication_lag_months = 3
levels = ["COM", "EPCI", "FR"]
chain_level = "outcome"
last_mile = true
measures = ["M1"]
programmes = ["FS"]
partner = "INSEE"
range = { min = 0, max = 100 }
baseline = { period = "2024", values = { all = 60.0 } }
source = "Source de test"
licence = "Licence Ouverte 2.0"

[[indicator.target]]
scope = "moins_20k"
value = 80
period = "2026"
milestones = [
  { period = "2025", value = 70 },
]
""",
}


def write_catalogue(directory: Path, files: dict[str, str] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in (files or MINIMAL).items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


MakeCatalogue = Callable[[str, str], Path]


@pytest.fixture
def make_catalogue(tmp_path: Path) -> MakeCatalogue:
    """Write a fresh copy of the minimal catalogue with one replacement in its indicator file."""
    counter = iter(range(1_000))

    def make(old: str = "", new: str = "") -> Path:
        files = dict(MINIMAL)
        if old:
            assert old in files["indicators-test.toml"], old
            files["indicators-test.toml"] = files["indicators-test.toml"].replace(old, new, 1)
        return write_catalogue(tmp_path / f"variant-{next(counter)}", files)

    return make


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A valid minimal catalogue; tests edit one of its files to break it."""
    return write_catalogue(tmp_path / "catalogue")


Edit = Callable[[str, str, str], tuple[Path, int]]


@pytest.fixture
def edit(catalogue_dir: Path) -> Edit:
    """Replace ``old`` by ``new`` (once) in one file; return the file and the line of ``new``."""

    def apply(name: str, old: str, new: str) -> tuple[Path, int]:
        path = catalogue_dir / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"{old!r} absent de {name}"
        index = text.index(old)
        path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
        return path, text[:index].count("\n") + 1

    return apply


FindLine = Callable[[str, str, int], int]


@pytest.fixture
def find_line(catalogue_dir: Path) -> FindLine:
    """1-based line of the ``occurrence``-th line of a file that contains ``needle``."""

    def find(name: str, needle: str, occurrence: int = 1) -> int:
        lines = (catalogue_dir / name).read_text(encoding="utf-8").splitlines()
        found = [number for number, line in enumerate(lines, 1) if needle in line]
        return found[occurrence - 1]

    return find
