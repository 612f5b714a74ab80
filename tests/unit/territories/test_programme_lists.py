"""The official programme lists as committed in ``data/reference/programmes`` (no samples needed),
and their rebuild from the published files, byte for byte (when ``../shared/samples`` is there)."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from indicators.territories.programme_lists import (
    MEMBERS_FILE,
    REPORT_FILE,
    SITES_FILE,
    SUMMARY_FILE,
    ProgrammeLists,
    load_programme_lists,
)

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[3]
REFERENCE = REPO / "data" / "reference"
FOLDER = REFERENCE / "programmes"
MINI_REFERENCE = REPO / "tests" / "fixtures" / "reference_mini"
FILES = (MEMBERS_FILE, SITES_FILE, REPORT_FILE, SUMMARY_FILE)


@pytest.fixture(scope="module")
def lists() -> ProgrammeLists:
    return load_programme_lists(REFERENCE)


def _rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_programmes", REPO / "data" / "build_programmes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_counts_of_each_official_list(lists: ProgrammeLists) -> None:
    assert {code: len(lists[code].members) for code in lists.lists} == {
        "ACV": 244,
        "PVD": 1606,
        "FS": 2601,
    }
    assert "TI" not in lists  # no official list of Territoires d'industrie here
    assert len(lists.fs_sites) == 2601 and sum(lists.fs_sites.values()) == 2843
    assert set(lists.fs_sites) == lists["FS"].codes
    summary = json.loads((FOLDER / SUMMARY_FILE).read_text(encoding="utf-8"))["programmes"]
    for code, listed in lists.lists.items():
        assert summary[code]["counts"]["members"] == len(listed.members)


def test_known_members_with_their_entry_dates(lists: ProgrammeLists) -> None:
    acv = {m.territory: m for m in lists["ACV"].members}
    # Corsica's two ACV towns, Martinique's two, and a mainland one
    for code in ("COM:2A004", "COM:2B033", "COM:97209", "COM:97213", "COM:80001"):
        assert code in acv, code
    assert {(m.start, m.start_basis) for m in acv.values()} == {(date(2018, 3, 27), "lancement")}
    assert "COM:2A004" not in lists["PVD"].codes  # Ajaccio is a ville moyenne, not a PVD
    pvd = {m.territory: m for m in lists["PVD"].members}
    # Ahun (Creuse, ~1,400 inhabitants), Luri (Haute-Corse), Saint-Pierre (Martinique)
    for code in ("COM:23001", "COM:2B152", "COM:97225"):
        assert code in pvd, code
    assert {(m.start, m.start_basis) for m in pvd.values()} == {(date(2020, 10, 1), "lancement")}
    fs = {m.territory: m for m in lists["FS"].members}
    assert all(m.start_basis == "source" for m in fs.values())
    assert min(m.start for m in fs.values()) == date(2020, 1, 1)
    assert max(m.start for m in fs.values()) <= date(2024, 8, 1)
    # Valserhône's site was labelled on 1 January 2020 (first line of the published list)
    assert fs["COM:01033"].start == date(2020, 1, 1)
    assert lists.fs_sites["COM:13055"] == 13 and lists.fs_sites["COM:75056"] == 11


def test_members_are_sorted_and_named_from_the_referential() -> None:
    rows = _rows(MEMBERS_FILE)
    order = {"ACV": 0, "PVD": 1, "FS": 2}
    keys = [(order[r["programme"]], r["code"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    with (REFERENCE / "communes.csv").open(encoding="utf-8", newline="") as handle:
        names = {r["code"]: r["name"] for r in csv.DictReader(handle)}
    assert all(names[r["code"]] == r["name"] for r in rows)
    assert next(r for r in rows if r["code"] == "2A004")["name"] == "Ajaccio"


def test_mapping_report_lists_every_row_not_taken_as_written() -> None:
    rows = _rows(REPORT_FILE)
    assert Counter((r["programme"], r["issue"]) for r in rows) == {
        ("PVD", "dummy-row"): 1,
        ("FS", "mapped-arrondissement"): 29,
        ("FS", "mapped-old-code"): 3,
        ("FS", "outside-referential"): 2,
    }
    dummy = next(r for r in rows if r["issue"] == "dummy-row")
    assert (dummy["line"], dummy["value"], dummy["code"]) == ("1516", "999999", "")
    saint_martin = [r for r in rows if r["issue"] == "outside-referential"]
    assert {r["value"] for r in saint_martin} == {"97801"} and all(
        not r["code"] for r in saint_martin
    )
    mapped = {(r["value"], r["code"]) for r in rows if r["issue"].startswith("mapped-")}
    assert ("75112", "75056") in mapped and ("69388", "69123") in mapped
    assert ("13202", "13055") in mapped and ("49069", "49126") in mapped
    assert ("93059", "93066") in mapped
    fs_members = {r["code"] for r in _rows(MEMBERS_FILE) if r["programme"] == "FS"}
    assert {code for _, code in mapped} <= fs_members
    assert all(r["message"] for r in rows)


def test_descriptions_say_where_entry_dates_come_from(lists: ProgrammeLists) -> None:
    assert "27 mars 2018" in lists["ACV"].description
    assert "ne donne pas de date d'entrée" in lists["ACV"].description
    assert "1er octobre 2020, lancement du programme" in lists["PVD"].description
    assert "labellisation du premier espace" in lists["FS"].description


def test_a_referential_without_programme_lists_has_none() -> None:
    assert load_programme_lists(MINI_REFERENCE).lists == {}


def test_rebuild_from_the_samples_gives_the_committed_files(
    samples_dir: Path, tmp_path: Path
) -> None:
    module = _build_module()
    messages: list[str] = []
    module.build(samples_dir, REFERENCE, tmp_path, say=messages.append)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name
    assert any("FS: 2845 lignes, 2811 reconnues, 32 rattachées" in m for m in messages)


def test_without_the_samples_the_build_says_so_and_keeps_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _build_module()
    output = tmp_path / "programmes"
    code = module.main(["--samples", str(tmp_path / "absent"), "--output", str(output)])
    assert code == 0 and not output.exists()
    assert "listes des programmes non reconstruites" in capsys.readouterr().out
