"""A static SVG map for frozen reports: no script, no network, readable in a PDF.

Communes' boundaries are published one file per département (``data/reference/geo/communes``);
each région of the plan becomes one SVG of its départements' communes, filled by role.
Coordinates are projected with a local equirectangular projection (longitude scaled by the
cosine of the mean latitude), faithful enough at the scale of a région, and simplified to keep
the file small.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

WIDTH = 440.0  # px of each drawing
SIMPLIFY_PX = 0.6  # simplification tolerance: below a pixel, invisible at this size
NEUTRAL = "#ffffff"


@dataclass(frozen=True)
class Commune:
    code: str  # typed code, "COM:2A004"
    name: str
    geometry: BaseGeometry


@cache
def communes_of(reference_dir: Path, departement: str) -> tuple[Commune, ...]:
    path = reference_dir / "geo" / "communes" / f"{departement}.geojson"
    if not path.exists():
        return ()
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return tuple(
        Commune(
            f"COM:{feature['properties']['code']}",
            str(feature["properties"].get("name", "")),
            shapely.geometry.shape(feature["geometry"]),
        )
        for feature in features
    )


def communes_svg(
    communes: tuple[Commune, ...],
    fills: Mapping[str, str],
    labels: Mapping[str, str],
    title: str,
) -> str:
    """One drawing of ``communes``: those in ``fills`` take their colour, the others stay white;
    ``labels`` give each coloured commune's role for its tooltip."""
    if not communes:
        return ""
    minx, miny, maxx, maxy = shapely.GeometryCollection([c.geometry for c in communes]).bounds
    scale_x = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = (maxx - minx) * scale_x, maxy - miny
    factor = WIDTH / max(span_x, span_y, 1e-9)
    height = span_y * factor

    tolerance = SIMPLIFY_PX / factor  # in degrees

    def ring_path(coords: Any) -> str:
        points = [
            f"{(x - minx) * scale_x * factor:.0f},{(maxy - y) * factor:.0f}" for x, y in coords
        ]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        return "M" + "L".join(kept) + "Z" if len(kept) > 2 else ""  # a dot: nothing to draw

    paths = []
    for commune in communes:
        shape = shapely.simplify(commune.geometry, tolerance)
        d = "".join(
            ring_path(ring.coords)
            for polygon in getattr(shape, "geoms", [shape])
            for ring in (polygon.exterior, *polygon.interiors)
        )
        fill = fills.get(commune.code, NEUTRAL)
        label = labels.get(commune.code, "hors du plan")
        paths.append(
            f'<path d="{d}" fill="{fill}"><title>{escape(commune.name)} — '
            f"{escape(label)}</title></path>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH:.0f} '
        f'{height:.0f}" width="{WIDTH:.0f}" height="{height:.0f}" '
        f'aria-label="{escape(title)}"><g stroke="#777" stroke-width="0.4" '
        f'fill-rule="evenodd">{"".join(paths)}</g></svg>'
    )
