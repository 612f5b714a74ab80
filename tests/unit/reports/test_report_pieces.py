"""The pieces of a frozen report that need no database: the static map, fingerprints and the
metadata block."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely.geometry

from dashboard.reports import read_metadata
from dashboard.reports.static_map import Commune, communes_svg
from indicators.evaluation.fingerprint import frame_fingerprint


def _square(x: float, y: float) -> shapely.geometry.Polygon:
    return shapely.geometry.box(x, y, x + 0.1, y + 0.1)


def test_static_map_fills_communes_by_role_and_names_them() -> None:
    communes = (
        Commune("COM:2A004", "Ajaccio", _square(8.7, 41.9)),
        Commune("COM:2A041", "Bocognano", _square(8.8, 41.9)),
        Commune("COM:2A200", "Zévaco & Cie", _square(8.9, 41.9)),
    )
    svg = communes_svg(
        communes,
        {"COM:2A004": "#5e3c99", "COM:2A041": "#f1a340"},
        {"COM:2A004": "territoire test", "COM:2A041": "territoire témoin"},
        "Communes test et témoins — Corse",
    )
    assert svg.startswith("<svg") and svg.count("<path") == 3
    assert 'fill="#5e3c99"><title>Ajaccio — territoire test</title>' in svg
    assert 'fill="#f1a340"><title>Bocognano — territoire témoin</title>' in svg
    # uncoloured communes stay white; names are escaped
    assert 'fill="#ffffff"><title>Zévaco &amp; Cie — hors du plan</title>' in svg
    # three squares side by side: the drawing is three times wider than high (after the
    # cosine of the latitude shrinks the longitude)
    width, height = (float(v) for v in svg.split('viewBox="0 0 ')[1].split('"')[0].split())
    assert width / height == pytest.approx(3 * 0.744, rel=0.02)


def test_static_map_of_nothing_is_empty() -> None:
    assert communes_svg((), {}, {}, "rien") == ""


def test_fingerprint_ignores_noise_below_ten_digits_but_not_a_change() -> None:
    frame = pd.DataFrame({"territory": ["COM:1", "COM:2"], "value": [1.0 / 3.0, 2.5]})
    noisy = frame.assign(value=frame["value"] + 1e-15)
    changed = frame.assign(value=[1.0 / 3.0, 2.6])
    assert frame_fingerprint(frame) == frame_fingerprint(noisy)
    assert frame_fingerprint(frame) != frame_fingerprint(changed)
    assert len(frame_fingerprint(frame)) == 64


def test_metadata_block_is_read_back_and_other_files_are_refused() -> None:
    html = (
        '<html><head><script type="application/json" id="report-metadata">'
        '{"measure": "M1", "data_version": 7}</script></head></html>'
    )
    assert read_metadata(html) == {"measure": "M1", "data_version": 7}
    with pytest.raises(ValueError, match="pas un rapport d'évaluation figé"):
        read_metadata("<html><body>un autre fichier</body></html>")
