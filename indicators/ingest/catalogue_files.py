"""Writing a catalogue import (``suivi catalogue import``) as a deployment catalogue directory
(``SUIVI_CATALOGUE_DIR``): the base catalogue's files, the new partners appended to
``partners.toml`` and the indicators in their own ``indicators-<name>.toml``, each definition
written by :func:`~indicators.catalogue.tables.render_table` as the catalogue pages write it."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from indicators.catalogue.loader import INDICATOR_FILES
from indicators.catalogue.tables import render_table
from indicators.ingest.catalogue_import import CatalogueImport
from indicators.territories.folding import strip_accents


def indicators_file_name(source_name: str) -> str:
    """``Baromètre résultats.xlsx`` -> ``indicators-barometre-resultats.toml``."""
    stem = Path(source_name).stem
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(stem).lower()).strip("-") or "import"
    return INDICATOR_FILES.replace("*", slug[:40])


def codes_in(path: Path) -> frozenset[str]:
    """The indicator codes an earlier import wrote to ``path`` (none if it does not exist)."""
    if not path.is_file():
        return frozenset()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(str(t.get("code")) for t in data.get("indicator", []))


def write_catalogue_import(
    result: CatalogueImport, base: Path, out: Path, file_name: str, source: str
) -> list[Path]:
    """Write ``out`` as a catalogue directory: the files of ``base`` (unless ``out`` is already
    a catalogue), the new partners appended to ``partners.toml``, the indicators in
    ``file_name``. Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "partners.toml").exists():
        for path in sorted(base.glob("*.toml")):
            shutil.copyfile(path, out / path.name)
    written: list[Path] = []
    if result.partners:
        partners = out / "partners.toml"
        text = partners.read_text(encoding="utf-8") if partners.exists() else ""
        block = "\n".join(render_table("partner", table) for table in result.partners)
        header = f"\n# Ajoutés par « suivi catalogue import » depuis {source} : à vérifier\n\n"
        partners.write_text(text.rstrip("\n") + "\n" + header + block, encoding="utf-8")
        written.append(partners)
    target = out / file_name
    header = (
        f"# Indicateurs importés par « suivi catalogue import » depuis {source}.\n"
        "# Relisez le sens, le maillon de la chaîne de résultats, l'agrégation et les niveaux.\n\n"
    )
    tables = "\n".join(render_table("indicator", table) for table in result.indicators)
    target.write_text(header + tables, "utf-8")
    written.append(target)
    return written
