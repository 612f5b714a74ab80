"""``build_demo``: replace the database's data by a deterministic demonstration data set.

The data are generated first (reads only), then written in one transaction through the one write
path (:func:`indicators.precompute.write_data`): wipe the previous observations, loads, computed
values and territory sets, write the programme and test sets, the observations (owned by one
load), pre-compute every aggregate and derived value, bump the data version. The referential
and the catalogue must already be in the database (``suivi init``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, load_catalogue
from indicators.demo.calendar import AS_OF
from indicators.demo.design import TEST_SET_RULE
from indicators.demo.effects import EffectTable, load_effects
from indicators.demo.imperfections import Key
from indicators.demo.panel import generate_demo
from indicators.demo.programmes import RULES
from indicators.demo.scope import Scope, load_territories, scope_regions
from indicators.demo.writer import (
    official_set_specs,
    replace_observations,
    set_specs,
    write_sets,
)
from indicators.french import thousands
from indicators.precompute import DataWrite, write_data
from indicators.territories.programme_lists import (
    OFFICIAL_SOURCE,
    ProgrammeLists,
    load_programme_lists,
)
from indicators.territories.referential import default_reference_dir


@dataclass(frozen=True)
class DemoReport:
    seed: int
    regions: tuple[str, ...] | None
    territories: dict[str, int]  # level -> territories that received values
    observations: int
    by_status: dict[str, int]
    zeros: int
    references: int
    late_cells: int
    outliers: tuple[Key, ...]
    sets: dict[str, int]  # slug -> members
    load_id: int
    checksum: str
    computed_rows: int
    data_version: int
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        scope = (
            "toute la France"
            if self.regions is None
            else f"{len(self.regions)} régions ({', '.join(self.regions)})"
        )
        status = self.by_status
        seconds = self.seconds
        return "\n".join(
            [
                f"Démonstration (graine {self.seed}, {scope}) : "
                f"{thousands(self.territories['COM'])} communes, "
                f"{thousands(self.territories['EPCI'])} EPCI, "
                f"{thousands(self.territories['DEP'])} départements.",
                f"Valeurs écrites : {thousands(self.observations)} "
                f"(chargement n° {self.load_id}) — {thousands(status['missing'])} manquantes, "
                f"{thousands(status['not_applicable'])} sans objet, "
                f"{thousands(status['secret'])} secrètes, {thousands(self.zeros)} zéros, "
                f"{thousands(len(self.outliers))} valeurs aberrantes injectées, "
                f"{thousands(self.late_cells)} en retard (non transmises) ; "
                f"{thousands(self.references)} valeurs de référence.",
                f"Ensembles : {len(self.sets)} ({thousands(sum(self.sets.values()))} membres). "
                f"Valeurs pré-calculées : {thousands(self.computed_rows)}. "
                f"Version des données : {self.data_version}.",
                f"Durée : génération {seconds['generation']:.1f} s, écriture "
                f"{seconds['writing']:.1f} s, pré-calcul {seconds['refresh']:.1f} s, total "
                f"{seconds['total']:.1f} s.",
            ]
        )


def build_demo(
    engine: Engine,
    seed: int = 42,
    scope: Scope = "regions",
    *,
    catalogue: Catalogue | None = None,
    effects: EffectTable | None = None,
    as_of: date = AS_OF,
    official: ProgrammeLists | None = None,
) -> DemoReport:
    """Replace the data by the demo of ``seed`` over ``scope`` (``"regions"``: seven régions;
    ``"france"``: every commune; or a list of région codes).

    ``official``: the programmes' official member lists (default: those of the referential,
    ``data/reference/programmes``). Their sets hold the whole list, across France; values are
    generated for the members within the scope."""
    started = time.perf_counter()
    catalogue = catalogue or load_catalogue()
    effects = effects or load_effects(catalogue)
    regions = scope_regions(scope)
    if official is None:
        official = load_programme_lists(default_reference_dir())
    with Session(engine) as session:
        territories = load_territories(session, regions)
    data = generate_demo(territories, catalogue, effects, seed, as_of, official)
    checksum = data.cells.checksum()
    generated = time.perf_counter()
    specs = set_specs(
        catalogue,
        data.programmes.members,
        data.tests,
        {**RULES, "test": TEST_SET_RULE},
        official=official.lists,
    )

    def write(change: DataWrite) -> tuple[int, dict[str, int], float]:
        session = change.session
        load_id = replace_observations(session, data.cells, data.references, checksum)
        sets = write_sets(
            session, specs, source=f"Données de démonstration (indicators/demo, graine {seed})"
        )
        sets |= write_sets(session, official_set_specs(catalogue, official), source=OFFICIAL_SOURCE)
        session.flush()
        change.changed_everything()
        return load_id, sets, time.perf_counter()

    with Session(engine) as session, session.begin():
        written = write_data(session, catalogue, write)
    finished = time.perf_counter()
    load_id, sets, written_at = written.result
    refresh = written.refresh
    assert refresh is not None
    version = written.data_version
    cells = data.cells
    return DemoReport(
        seed=seed,
        regions=regions,
        territories={level: len(frame) for level, frame in territories.frames.items()},
        observations=len(cells),
        by_status=cells.count_by_status(),
        zeros=int((cells.value == 0).sum()),
        references=len(data.references),
        late_cells=data.flaws.late_cells,
        outliers=data.flaws.outliers,
        sets=sets,
        load_id=load_id,
        checksum=checksum,
        computed_rows=refresh.rows_written,
        data_version=version,
        seconds={
            "generation": generated - started,
            "writing": written_at - generated,
            "refresh": refresh.seconds,
            "commit": finished - written_at - refresh.seconds,
            "total": finished - started,
        },
    )
