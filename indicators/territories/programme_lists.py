"""The official member lists of the agency's programmes, derived in ``data/reference/programmes``.

``data/build_programmes.py`` reads the files the agency publishes (Action cœur de ville, Petites
villes de demain, France Services), maps their codes to the referential of the year and writes:

- ``members.csv``: ``programme, code, name, start, start_basis`` — one row per member commune;
  ``start_basis`` says where the entry date comes from: ``source`` (the list gives it) or
  ``lancement`` (the list gives none: the programme's official launch date stands in);
- ``france_services_sites.csv``: ``code, name, sites`` — France Services sites per commune;
- ``mapping_report.csv``: every row of the sources whose code was mapped or could not be;
- ``SUMMARY.json``: provenance, list dates, counts, and the French description of each list.

:func:`load_programme_lists` reads them back; :func:`sync_programme_sets` makes them the
programme memberships of the database (``suivi init``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.store.models import TerritorySet

from .set_store import Member, replace_set_members

PROGRAMMES_DIR: Final = "programmes"
MEMBERS_FILE: Final = "members.csv"
SITES_FILE: Final = "france_services_sites.csv"
REPORT_FILE: Final = "mapping_report.csv"
SUMMARY_FILE: Final = "SUMMARY.json"
MEMBERS_COLUMNS: Final = ("programme", "code", "name", "start", "start_basis")
SITES_COLUMNS: Final = ("code", "name", "sites")
REPORT_COLUMNS: Final = ("programme", "line", "value", "issue", "code", "message")
START_BASES: Final = ("source", "lancement")
# Sets written from these lists say so in their ``source``: ``suivi init`` updates them when the
# files change, and leaves alone a list someone loaded by hand (``suivi sets load``).
OFFICIAL_SOURCE: Final = "Liste officielle de l'ANCT (data/reference/programmes)"
DEMO_SOURCE_PREFIX: Final = "Données de démonstration"


@dataclass(frozen=True)
class ListedMember:
    territory: str  # typed code, ``COM:01004``
    start: date
    start_basis: str  # ``source`` or ``lancement``


@dataclass(frozen=True)
class ProgrammeList:
    programme: str
    members: tuple[ListedMember, ...]
    description: str  # French: what the list is, its date, where entry dates come from

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(member.territory for member in self.members)


@dataclass(frozen=True)
class ProgrammeLists:
    lists: dict[str, ProgrammeList] = field(default_factory=dict)
    fs_sites: dict[str, int] = field(default_factory=dict)  # typed commune code -> sites

    def __contains__(self, programme: object) -> bool:
        return programme in self.lists

    def __getitem__(self, programme: str) -> ProgrammeList:
        return self.lists[programme]


def programmes_dir(reference_dir: Path) -> Path:
    return reference_dir / PROGRAMMES_DIR


def load_programme_lists(reference_dir: Path) -> ProgrammeLists:
    """The lists of ``reference_dir/programmes`` (none when the folder is absent)."""
    folder = programmes_dir(reference_dir)
    if not (folder / MEMBERS_FILE).is_file():
        return ProgrammeLists()
    summary = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    rows: dict[str, list[ListedMember]] = {}
    for row in _read_csv(folder / MEMBERS_FILE, MEMBERS_COLUMNS):
        if row["start_basis"] not in START_BASES:
            raise ValueError(f"{MEMBERS_FILE} : start_basis inconnu « {row['start_basis']} »")
        rows.setdefault(row["programme"], []).append(
            ListedMember(f"COM:{row['code']}", date.fromisoformat(row["start"]), row["start_basis"])
        )
    lists = {
        code: ProgrammeList(code, tuple(members), str(summary["programmes"][code]["description"]))
        for code, members in rows.items()
    }
    sites = {
        f"COM:{row['code']}": int(row["sites"])
        for row in _read_csv(folder / SITES_FILE, SITES_COLUMNS)
    }
    return ProgrammeLists(lists, sites)


def _read_csv(path: Path, columns: Iterable[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(columns):
            raise ValueError(f"{path.name} : colonnes inattendues {reader.fieldnames}")
        return list(reader)


def members_of(programme_list: ProgrammeList) -> list[Member]:
    return [Member(m.territory, m.start) for m in programme_list.members]


@dataclass(frozen=True)
class ProgrammeSync:
    lines: tuple[str, ...]
    changed: int  # memberships added, removed or re-dated

    def summary(self) -> str:
        if not self.lines:
            return "Programmes : aucune liste officielle dans le référentiel."
        return "\n".join(self.lines)


def sync_programme_sets(
    session: Session, lists: ProgrammeLists, sets: Mapping[str, tuple[str, str]]
) -> ProgrammeSync:
    """Make each official list the members of its programme's set; ``sets`` maps a programme
    code to its set's (slug, name). Returns one French line per programme.

    A set whose source is neither these files nor the demo was loaded by someone from another
    list (``suivi sets load``): it is kept as it is, and the line says so."""
    lines = []
    total = 0
    for code, programme_list in sorted(lists.lists.items()):
        if code not in sets:
            continue
        slug, name = sets[code]
        current = session.scalar(select(TerritorySet).where(TerritorySet.slug == slug))
        source = current.source if current is not None else None
        if source and source != OFFICIAL_SOURCE and not source.startswith(DEMO_SOURCE_PREFIX):
            lines.append(
                f"Programme {code} : liste chargée depuis « {source} » conservée "
                "(la liste officielle n'est pas rechargée)."
            )
            continue
        report = replace_set_members(
            session,
            slug,
            members_of(programme_list),
            name=name,
            kind="programme",
            description=programme_list.description,
            source=OFFICIAL_SOURCE,
        )
        changed = report.added + report.removed + report.updated
        total += changed
        text = f"Programme {code} : {len(programme_list.members)} membres (liste officielle)"
        if changed:
            text += f", {changed} changement{'s' if changed > 1 else ''}."
        else:
            text += ", inchangés."
        if report.unknown:
            text += f" {len(report.unknown)} codes absents du référentiel ignorés."
        lines.append(text)
    return ProgrammeSync(tuple(lines), total)
