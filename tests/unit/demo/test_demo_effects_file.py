"""effects.toml, the truth the evaluation is compared with, is read and checked strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.catalogue import Catalogue, load_catalogue
from indicators.demo import EFFECTS_FILE, load_effects
from indicators.demo.panel import check_recipes

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_shipped_file_covers_every_headline_and_keeps_the_placebo_at_zero(
    catalogue: Catalogue,
) -> None:
    effects = load_effects(catalogue)
    for measure in catalogue.measures.values():
        mine = effects.for_measure(measure.code)
        assert measure.headline_indicator in {e.indicator for e in mine}
        sizes = [size for effect in mine for _, size in effect.sizes]
        assert all(size == 0 for size in sizes) if measure.placebo else any(sizes)
    assert effects.size("M1", "ACC_FS_TEMPS_ACCES", "moins_20k") < 0
    assert effects.size("M1", "ACC_FS_TEMPS_ACCES", "inconnu") == 0


def test_every_base_indicator_has_a_recipe(catalogue: Catalogue) -> None:
    check_recipes(catalogue)


def _write(tmp_path: Path, replace: str, by: str) -> Path:
    text = EFFECTS_FILE.read_text(encoding="utf-8")
    assert replace in text
    path = tmp_path / "effects.toml"
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            'measure = "M9"\nindicator = "ACC_FS_SATISFACTION"\nmoins_20k = 0',
            'measure = "M9"\nindicator = "ACC_FS_SATISFACTION"\nmoins_20k = 1',
            "placebo",
        ),
        ('plus_100k = -1.0\nnote = "Minutes.', 'plus_10k = -1.0\nnote = "Minutes.', "types"),
        ('indicator = "ACC_FS_CREDITS"', 'indicator = "NUM_LOCAUX_FTTH"', "pas généré"),
        ('ramp = "full', 'ramp = "linear', "montée en charge"),
        ('indicator = "ACC_FS_TEMPS_ACCES"', 'indicator = "ACC_FS_NOMBRE"', "phare"),
    ],
)
def test_inconsistent_files_are_rejected_with_a_french_message(
    catalogue: Catalogue, tmp_path: Path, replace: str, by: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_effects(catalogue, _write(tmp_path, replace, by))
