"""Derive ``data/reference/programmes/`` from the agency's published member lists.

Run by ``make reference`` after ``build_reference.py`` (the codes are mapped to the referential
that script writes)::

    .venv/bin/python data/build_programmes.py [--samples ../shared/samples]

Sources (kept outside the repository, in ``../shared/samples/``; see its MANIFEST):

* ``07_anct_action_coeur_de_ville_communes.json`` — Action cœur de ville, 244 communes (April 2025);
* ``06_anct_pvd_communes_2021_redacted.csv`` — the first Petites villes de demain list (2021);
* ``05_anct_france_services_20240801.csv`` — France Services sites at 1 August 2024.

When the folder is absent the script says so and leaves the committed files as they are. Codes go
through the project's one normalisation (``indicators.territories.read_set_table``): arrondissements
and absorbed communes are mapped to today's commune, the rest is reported. Output is deterministic
(sorted rows, no build date): the same sources and referential give the same bytes.
See ``data/README.md`` for provenance, licences and the meaning of every column.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.territories.programme_lists import (  # noqa: E402
    MEMBERS_COLUMNS,
    MEMBERS_FILE,
    PROGRAMMES_DIR,
    REPORT_COLUMNS,
    REPORT_FILE,
    SITES_COLUMNS,
    SITES_FILE,
    SUMMARY_FILE,
)
from indicators.territories.referential import Referential, load_referential  # noqa: E402
from indicators.territories.sets_file import SetFile, SetMember, read_set_table  # noqa: E402
from indicators.territories.tabular import Row, read_table  # noqa: E402

DEFAULT_SAMPLES = ROOT.parent / "shared" / "samples"
DEFAULT_REFERENCE = ROOT / "data" / "reference"
FS_LABEL = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True)
class Source:
    programme: str
    label: str
    file: str
    origin: str  # repository @ commit : path, as the samples' MANIFEST gives it
    licence: str
    list_date: str
    launch: date
    launch_text: str
    start_column: str | None = None


SOURCES = (
    Source(
        "ACV",
        "Action cœur de ville",
        "07_anct_action_coeur_de_ville_communes.json",
        "anct-carto/action_coeur_de_ville @ 6903e5d4 : data/coeurdeville.js",
        "producteur ANCT ; le dépôt ne porte pas de fichier de licence",
        "avril 2025",
        date(2018, 3, 27),
        "27 mars 2018, date de la liste officielle des villes retenues",
    ),
    Source(
        "PVD",
        "Petites villes de demain",
        "06_anct_pvd_communes_2021_redacted.csv",
        "anct-carto/pvd @ e89a2ff3 : data_init/pvd_carte-interactive_20200122.csv",
        "Licence Ouverte 2.0 (selon le README du dépôt)",
        "2021, première liste",
        date(2020, 10, 1),
        "1er octobre 2020, lancement du programme",
        start_column="date_signature",
    ),
    Source(
        "FS",
        "France Services",
        "05_anct_france_services_20240801.csv",
        "anct-carto/france_services @ 77f42baa : data/liste-fs-20240801.csv",
        "Licence Ouverte 2.0",
        "1er août 2024",
        date(2020, 1, 1),
        "1er janvier 2020, lancement du programme",
    ),
)


class BuildError(RuntimeError):
    """A failure with a message meant for the person running the build."""


@dataclass(frozen=True)
class Derived:
    source: Source
    parsed: SetFile
    members: list[dict[str, str]]
    report: list[dict[str, str]]
    sites: dict[str, int]
    sha256: str


def log(message: str) -> None:
    print(message, flush=True)


def fs_label_date(row: Row) -> date | None:
    """``Espace labellisé 01/02/2020`` -> 2020-02-01 (the site's label date)."""
    match = FS_LABEL.search(str(row.values.get("labellisation_fs") or ""))
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def derive(source: Source, path: Path, referential: Referential) -> Derived:
    data = path.read_bytes()
    table = read_table(data, path.name)
    parsed = read_set_table(
        table, referential, "COM", code_column="insee_com", start_column=source.start_column
    )
    if not parsed.readable:
        raise BuildError(f"{path.name} : {parsed.issues[0].message}")
    rows = {row.line: row for row in table.rows}
    members, sites = [], {}
    for member in sorted(parsed.members, key=lambda m: m.code):
        start, basis = entry(source, member, rows)
        local = member.code.removeprefix("COM:")
        name = referential.territories[member.code].name
        members.append(
            {
                "programme": source.programme,
                "code": local,
                "name": name,
                "start": start.isoformat(),
                "start_basis": basis,
            }
        )
        if source.programme == "FS":
            sites[local] = len(member.lines)
    return Derived(
        source,
        parsed,
        members,
        mapping_report(source.programme, parsed),
        sites,
        hashlib.sha256(data).hexdigest(),
    )


def entry(source: Source, member: SetMember, rows: dict[int, Row]) -> tuple[date, str]:
    """The member's entry date and where it comes from (``source`` or ``lancement``)."""
    if source.programme == "FS":  # the commune's first labelled site
        labels = [fs_label_date(rows[line]) for line in member.lines]
        known = [label for label in labels if label is not None]
        if known:
            return min(known), "source"
    elif member.start is not None:
        return member.start, "source"
    return source.launch, "lancement"


def mapping_report(programme: str, parsed: SetFile) -> list[dict[str, str]]:
    """Rows whose code was mapped to another commune or could not be used (duplicates, which
    are a commune's further sites, are counted in the summary only)."""
    target = {line: m.code for m in parsed.members for line in m.lines}
    report = []
    for issue in parsed.issues:
        if issue.code in ("duplicate-member", "normalised-code") or issue.line is None:
            continue
        mapped = issue.severity != "error"
        report.append(
            {
                "programme": programme,
                "line": str(issue.line),
                "value": issue.value,
                "issue": issue.code,
                "code": target[issue.line].removeprefix("COM:") if mapped else "",
                "message": issue.message,
            }
        )
    return report


def description(derived: Derived) -> str:
    """The French sentence stored with the set and shown on the programme page."""
    source = derived.source
    count = len(derived.members)
    text = (
        f"Liste officielle de l'ANCT, {source.list_date} : {_n(count)} communes, codes "
        "rattachés au Code officiel géographique 2026."
    )
    dated = sum(1 for m in derived.members if m["start_basis"] == "source")
    if source.programme == "FS":
        text += (
            " Date d'entrée : labellisation du premier espace de la commune, telle que la liste "
            f"la donne ; {_n(sum(derived.sites.values()))} espaces au total."
        )
    elif dated:
        text += (
            f" Date d'entrée : celle de la liste pour {_n(dated)} commune(s) ; pour les autres, "
            f"que la liste ne date pas, le {source.launch_text}."
        )
    else:
        text += (
            " La liste ne donne pas de date d'entrée : celle retenue pour chaque commune est le "
            f"{source.launch_text}."
        )
    return text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row[key] for key in header})


def summary(derived: Sequence[Derived]) -> dict[str, object]:
    programmes = {}
    for item in derived:
        source, counts = item.source, item.parsed.counts
        programmes[source.programme] = {
            "label": source.label,
            "file": source.file,
            "origin": source.origin,
            "sha256": item.sha256,
            "licence": source.licence,
            "list_date": source.list_date,
            "launch": source.launch.isoformat(),
            "description": description(item),
            "counts": {
                "rows_read": counts.rows_read,
                "matched": counts.matched,
                "mapped": counts.mapped,
                "unknown": counts.unknown,
                "empty": counts.empty,
                "duplicates": counts.duplicates,
                "members": len(item.members),
                "dated_by_source": sum(1 for m in item.members if m["start_basis"] == "source"),
            },
        }
        if item.sites:
            programmes[source.programme]["sites"] = sum(item.sites.values())
    return {
        "build": {
            "script": "data/build_programmes.py",
            "referential": "data/reference (Code officiel géographique 2026)",
        },
        "programmes": programmes,
    }


def build(samples: Path, reference: Path, output: Path, say: Callable[[str], None] = log) -> None:
    referential = load_referential(reference)
    derived = []
    for source in SOURCES:
        path = samples / source.file
        if not path.is_file():
            raise BuildError(f"fichier source absent : {path}")
        item = derive(source, path, referential)
        counts = item.parsed.counts
        say(
            f"  {source.programme}: {counts.rows_read} lignes, {counts.matched} reconnues, "
            f"{counts.mapped} rattachées, {counts.unknown + counts.empty} rejetées, "
            f"{counts.duplicates} doublons -> {len(item.members)} communes"
        )
        derived.append(item)
    output.mkdir(parents=True, exist_ok=True)
    write_csv(output / MEMBERS_FILE, MEMBERS_COLUMNS, (m for d in derived for m in d.members))
    names = {m["code"]: m["name"] for d in derived for m in d.members}
    sites = next(d.sites for d in derived if d.source.programme == "FS")
    write_csv(
        output / SITES_FILE,
        SITES_COLUMNS,
        ({"code": c, "name": names[c], "sites": str(n)} for c, n in sorted(sites.items())),
    )
    write_csv(output / REPORT_FILE, REPORT_COLUMNS, (r for d in derived for r in d.report))
    (output / SUMMARY_FILE).write_text(
        json.dumps(summary(derived), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--samples",
        type=Path,
        default=DEFAULT_SAMPLES,
        help="folder of the published lists (default: %(default)s)",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="referential to map the codes to (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"output folder (default: REFERENCE/{PROGRAMMES_DIR})",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    output = args.output or args.reference / PROGRAMMES_DIR
    if not args.samples.is_dir():
        log(
            f"build_programmes: {args.samples} absent — listes des programmes non reconstruites, "
            f"fichiers versionnés de {output} conservés"
        )
        return 0
    log(f"build_programmes: {args.samples} -> {output}")
    try:
        build(args.samples, args.reference, output)
    except BuildError as exc:
        print(f"build_programmes: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
