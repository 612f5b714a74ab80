"""Write the catalogue into the database; a changed indicator definition becomes a new dated
version (the previous ones stay, so past results can say which definition produced them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue.model import Catalogue
from indicators.catalogue.versioning import definition_hash, definition_to_dict
from indicators.store.models import Indicator as IndicatorRow
from indicators.store.models import IndicatorVersion, Measure, Partner, Programme


@dataclass(frozen=True)
class CatalogueSyncReport:
    indicators_created: int
    new_versions: int
    unchanged: int
    retired: tuple[str, ...]
    versioned: tuple[str, ...] = ()  # indicators created or given a new version by this sync

    def summary(self) -> str:
        text = (
            f"Catalogue : {self.indicators_created} indicateurs créés, "
            f"{self.new_versions} nouvelles versions, {self.unchanged} inchangés."
        )
        if self.retired:
            text += f" Absents des fichiers (conservés en base) : {', '.join(self.retired)}."
        return text


def sync_catalogue(session: Session, catalogue: Catalogue) -> CatalogueSyncReport:
    for partner in catalogue.partners.values():
        session.merge(Partner(code=partner.code, name=partner.name, kind=partner.kind.value))
    for programme in catalogue.programmes.values():
        session.merge(
            Programme(
                code=programme.code,
                name=programme.label,
                description=programme.description,
                set_slug=programme.membership_set,
            )
        )
    for measure in catalogue.measures.values():
        session.merge(
            Measure(
                code=measure.code,
                name=measure.label,
                description=measure.description,
                test_set_slug=measure.test_set,
                start_date=measure.start_date,
                definition={
                    "theme": measure.theme,
                    "territory_types": [t.value for t in measure.territory_types],
                    "headline_indicator": measure.headline_indicator,
                    "placebo": measure.placebo,
                },
            )
        )
    session.flush()
    latest = {
        row.indicator_code: row
        for row in session.scalars(select(IndicatorVersion).order_by(IndicatorVersion.version))
    }
    stored = {row.code: row for row in session.scalars(select(IndicatorRow))}
    created = new_versions = unchanged = 0
    versioned: list[str] = []
    for indicator in catalogue.indicators.values():
        digest = definition_hash(indicator)
        row = stored.get(indicator.code)
        if row is None:
            row = IndicatorRow(code=indicator.code, current_version=0)
            session.add(row)
            created += 1
        row.label = indicator.label
        row.partner_code = indicator.partner or None
        previous = latest.get(indicator.code)
        if previous is not None and previous.definition_hash == digest:
            if row.code in stored:
                unchanged += 1
            continue
        version = (previous.version if previous else 0) + 1
        session.add(
            IndicatorVersion(
                indicator_code=indicator.code,
                version=version,
                definition_hash=digest,
                definition=definition_to_dict(indicator),
            )
        )
        row.current_version = version
        versioned.append(indicator.code)
        if previous is not None:
            new_versions += 1
    retired = tuple(sorted(set(stored) - set(catalogue.indicators)))
    return CatalogueSyncReport(created, new_versions, unchanged, retired, tuple(versioned))
