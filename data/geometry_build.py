"""Pure geometry steps used by ``build_reference.py`` to make a clean coverage of communes.

Every function takes and returns shapely geometries or numpy arrays of them, touches no file and is
deterministic: the same input always gives the same output, in the same order. Coordinates are WGS84
longitude/latitude degrees throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import shapely

KM_PER_DEGREE = 111.32
# Half a metre: two boundaries closer than this count as shared when measuring borders.
BORDER_EPSILON = 5e-6


def approx_km2(geoms: np.ndarray | shapely.Geometry) -> np.ndarray:
    """Approximate km² of lon/lat geometries (degrees² scaled at each centroid's latitude)."""
    lat = shapely.get_y(shapely.centroid(geoms))
    return shapely.area(geoms) * KM_PER_DEGREE**2 * np.cos(np.radians(lat))


def interior_gaps(geoms: np.ndarray) -> np.ndarray:
    """Holes enclosed by the union of ``geoms``: the places no polygon covers, inside the outline.

    A hole ring may surround islands of other polygons; those are removed, so each gap is exactly
    the uncovered area. Sorted from the largest to the smallest for stable reporting.
    """
    union = shapely.union_all(geoms)
    rings = [
        shapely.Polygon(shapely.get_interior_ring(part, i))
        for part in shapely.get_parts(union)
        for i in range(shapely.get_num_interior_rings(part))
    ]
    if not rings:
        return np.array([], dtype=object)
    holes = np.array(rings, dtype=object)
    tree = shapely.STRtree(geoms)
    gaps = []
    for hole in holes:
        inside = tree.query(hole, predicate="intersects")
        gap = shapely.difference(hole, shapely.union_all(geoms[inside])) if len(inside) else hole
        gap = shapely.make_valid(gap)
        gap = shapely.union_all([p for p in shapely.get_parts(gap) if shapely.area(p) > 0])
        if not shapely.is_empty(gap):
            gaps.append(gap)
    gaps_array = np.array(gaps, dtype=object)
    order = np.lexsort((shapely.get_x(shapely.centroid(gaps_array)), -shapely.area(gaps_array)))
    return gaps_array[order]


def overlap_pairs(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` with ``i < j`` whose interiors overlap, and the overlap area in degrees²."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    area = np.nan_to_num(shapely.area(shapely.intersection(geoms[left], geoms[right])))
    positive = area > 0
    return left[positive], right[positive], area[positive]


def shared_border_lengths(
    target: shapely.Geometry, geoms: np.ndarray, tree: shapely.STRtree
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of ``geoms`` touching ``target`` and the length (degrees) of border they share."""
    ring = shapely.buffer(shapely.boundary(target), BORDER_EPSILON)
    candidates = np.sort(tree.query(ring, predicate="intersects"))
    lengths = shapely.length(shapely.intersection(shapely.boundary(geoms[candidates]), ring))
    touching = lengths > 0
    return candidates[touching], lengths[touching]


def choose_owner(
    target: shapely.Geometry,
    geoms: np.ndarray,
    tree: shapely.STRtree,
    priority: Callable[[int], int],
) -> int | None:
    """The neighbour that should absorb ``target``: highest priority, then longest shared border.

    Ties fall to the lowest index, so the choice never depends on the order of the spatial index.
    """
    indices, lengths = shared_border_lengths(target, geoms, tree)
    if len(indices) == 0:
        return None
    ranked = sorted(zip(indices.tolist(), lengths.tolist(), strict=True), key=lambda t: t[0])
    best = max(ranked, key=lambda t: (priority(t[0]), t[1]))
    return best[0]


def open_polygon(geom: shapely.Geometry, width: float) -> shapely.Geometry:
    """Morphological opening: drop the parts of ``geom`` thinner than ``2 * width``."""
    opened = shapely.buffer(
        shapely.buffer(geom, -width, join_style="mitre"), width, join_style="mitre"
    )
    return shapely.intersection(opened, geom)


def snap_to_grid(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round coordinates to ``decimals`` places and make each geometry valid again.

    After ``set_precision`` the coordinates are passed through ``np.round`` so that each one is the
    double nearest to its decimal text: writing then reading a GeoJSON file changes nothing.
    """
    grid = 10.0**-decimals
    snapped = shapely.set_precision(geoms, grid)
    return shapely.transform(snapped, lambda xy: np.round(xy, decimals))


def absorb_gaps(geoms: np.ndarray, gaps: Sequence[shapely.Geometry]) -> np.ndarray:
    """Union each gap into the neighbour that shares the longest border with it."""
    geoms = geoms.copy()
    tree = shapely.STRtree(geoms)
    additions: dict[int, list[shapely.Geometry]] = {}
    for gap in gaps:
        owner = choose_owner(gap, geoms, tree, lambda _index: 0)
        if owner is not None:
            additions.setdefault(owner, []).append(gap)
    for index, extra in sorted(additions.items()):
        geoms[index] = shapely.union_all([geoms[index], *extra])
    return geoms


def clean_coverage(
    geoms: np.ndarray,
    decimals: int,
    gap_width: float,
    keep_gap: Callable[[shapely.Geometry], bool],
    max_rounds: int = 6,
) -> np.ndarray:
    """A valid polygonal coverage on a ``10**-decimals`` grid: no overlap, identical shared edges,
    and no enclosed gap except those ``keep_gap`` accepts.

    The input is put on the grid first, so that ``coverage_clean`` only creates off-grid vertices
    where it resolves an overlap. It gives each overlap, and each gap narrower than ``gap_width``,
    to the neighbour with the longest shared border. Rounding and snapping can still leave tiny
    holes (some inside a single polygon, which ``coverage_clean`` ignores): those are absorbed
    explicitly, and the whole is cleaned again until it holds.
    """
    current = snap_to_grid(geoms, decimals)
    for attempt in range(max_rounds):
        # First pass: GEOS picks the snapping distance. Later passes snap within one grid step: that
        # closes the sub-grid slivers that rounding leaves between nearly collinear edges.
        snapping = -1.0 if attempt == 0 else 10.0**-decimals
        cleaned = shapely.coverage_clean(current, gap_width=gap_width, snapping_distance=snapping)
        current = snap_to_grid(cleaned, decimals)
        stray = [g for g in interior_gaps(current) if not keep_gap(g)]
        if not stray and bool(shapely.coverage_is_valid(current)):
            return current
        current = absorb_gaps(current, stray)
    raise RuntimeError(f"coverage still invalid after {max_rounds} clean-and-round passes")


def dissolve(geoms: np.ndarray, keys: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Union the polygons of a clean coverage by key; keys come back sorted."""
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    ordered = sorted(groups)
    merged = [shapely.coverage_union_all(geoms[groups[key]]) for key in ordered]
    return ordered, np.array(merged, dtype=object)


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a clean coverage edge by edge, so neighbours keep identical borders.

    ``coverage_simplify`` only removes vertices, so a coverage on a grid stays on that grid.
    Per-polygon ``simplify`` would move each side of a border differently and open slivers.
    """
    if tolerance <= 0:
        return geoms
    return shapely.coverage_simplify(geoms, tolerance)


def geometry_to_geojson(geom: shapely.Geometry, decimals: int) -> dict[str, object]:
    """A GeoJSON geometry dict with clockwise exterior rings and counter-clockwise holes.

    This is d3-geo's convention, the opposite of RFC 7946's: plotly's ``go.Choropleth`` draws with
    d3-geo and fills the whole globe *outside* a counter-clockwise polygon (checked with plotly
    7.1; plotly.js issue #4984). Map libraries that ignore winding (MapLibre, Leaflet) and shapely
    read either.
    """
    oriented = shapely.orient_polygons(geom, exterior_cw=True)

    def ring(coords: shapely.LinearRing) -> list[list[float]]:
        return [[round(x, decimals), round(y, decimals)] for x, y in coords.coords]

    def polygon(poly: shapely.Polygon) -> list[list[list[float]]]:
        return [ring(poly.exterior), *(ring(r) for r in poly.interiors)]

    parts = [p for p in shapely.get_parts(oriented) if not p.is_empty]
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": polygon(parts[0])}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in parts]}


def point_label(geom: shapely.Geometry) -> str:
    """A short "lon,lat" label of a point inside the geometry, for progress messages."""
    point = shapely.point_on_surface(geom)
    return f"{point.x:.3f},{point.y:.3f}"
