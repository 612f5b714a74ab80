"""Typed SQLAlchemy 2 models: one schema for SQLite (laptop) and PostgreSQL (production).

Alembic migrations in ``indicators/store/migrations`` are generated from these models; the
test suite runs ``alembic check`` so that the two never drift apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A naming convention makes constraint names stable across databases, so migrations stay portable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Territory(Base):
    """One territory of the referential or a named group; ``code`` is typed (``COM:75056``)."""

    __tablename__ = "territory"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(BigInteger)
    typology: Mapped[str | None] = mapped_column(String(16))
    commune_code: Mapped[str | None] = mapped_column(String(40))
    epci_code: Mapped[str | None] = mapped_column(String(40), index=True)
    departement_code: Mapped[str | None] = mapped_column(String(40), index=True)
    region_code: Mapped[str | None] = mapped_column(String(40), index=True)


class TerritoryAlias(Base):
    """An old code (absorbed commune, arrondissement) that now stands for a current territory."""

    __tablename__ = "territory_alias"

    alias: Mapped[str] = mapped_column(String(40), primary_key=True)
    territory_code: Mapped[str] = mapped_column(ForeignKey("territory.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(200))


class TerritorySet(Base):
    """A named, non-exclusive set: programme members, test or comparison territories."""

    __tablename__ = "territory_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("set_id", "territory_code", name="uq_membership_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("territory_set.id", ondelete="CASCADE"))
    territory_code: Mapped[str] = mapped_column(ForeignKey("territory.code"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Partner(Base):
    __tablename__ = "partner"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(60))


class Programme(Base):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    set_slug: Mapped[str | None] = mapped_column(String(80))


class Measure(Base):
    __tablename__ = "measure"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    test_set_slug: Mapped[str | None] = mapped_column(String(80))
    start_date: Mapped[date | None] = mapped_column(Date)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Indicator(Base):
    """The stable identity of an indicator; its definition lives in dated versions."""

    __tablename__ = "indicator"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(300))
    partner_code: Mapped[str | None] = mapped_column(ForeignKey("partner.code"))
    current_version: Mapped[int] = mapped_column(Integer, default=1)


class IndicatorVersion(Base):
    __tablename__ = "indicator_version"
    __table_args__ = (UniqueConstraint("indicator_code", "version", name="uq_indicator_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    version: Mapped[int] = mapped_column(Integer)
    definition_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column()
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogueEdit(Base):
    """A partner, measure or indicator definition saved from the administration pages (issue #14).

    ``definition`` is the table as a catalogue file writes it. Rows are only ever added: the
    latest of a (kind, code) is in force, laid over the catalogue files; the earlier ones are its
    dated history."""

    __tablename__ = "catalogue_edit"
    __table_args__ = (Index("ix_catalogue_edit_kind_code", "kind", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    definition: Mapped[dict[str, Any]] = mapped_column()
    username: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    """A person who signs in: a role, and for partner roles the partner they act for (issue #12).

    ``password_hash`` is an argon2 hash (``None``: sign-in by OIDC only); ``oidc_subject`` the
    ``sub`` claim of the single sign-on account linked to this user."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="lecteur")
    partner_code: Mapped[str | None] = mapped_column(ForeignKey("partner.code"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what, when, from where: sign-ins, loads, rollbacks, accounts, designs (issue #12).

    ``username`` is kept as text, not a key: the trail outlives renamed or deleted accounts."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str | None] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ImportProfile(Base):
    """A saved mapping from a partner's own file layout to the canonical long format."""

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("partner_code", "name", name="uq_import_profile_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_code: Mapped[str | None] = mapped_column(ForeignKey("partner.code"))
    name: Mapped[str] = mapped_column(String(120))
    header_signature: Mapped[str | None] = mapped_column(String(64), index=True)
    mapping: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Load(Base):
    """One upload: its raw file (by sha256), who sent it, what it did."""

    __tablename__ = "load"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw_path: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str | None] = mapped_column(String(80))
    partner_code: Mapped[str | None] = mapped_column(ForeignKey("partner.code"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("import_profile.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    # values of the file's scope that it no longer holds, withdrawn on request ("replace scope")
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    # a rollback is a load of its own, so that undoing is recorded (and audited) like doing
    rollback_of: Mapped[int | None] = mapped_column(ForeignKey("load.id"))
    # how the file was read and the options asked for (layout, encoding, sheet, replace scope…)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LoadIssue(Base):
    __tablename__ = "load_issue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("load.id", ondelete="CASCADE"), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10), default="error")
    value: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)


class Observation(Base):
    """The current value of one indicator for one territory and period.

    ``status`` keeps apart what a number cannot say: ``ok`` (value present, zero included),
    ``missing``, ``not_applicable``, ``secret`` (small numbers) and ``withdrawn``.
    """

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint(
            "indicator_code", "territory_code", "period", "value_type", name="uq_observation_key"
        ),
        # map vectors and the pre-computation's reads; a territory's series (always of one
        # indicator) is served by the unique key: no index by territory first (issue #5)
        Index("ix_observation_map", "indicator_code", "period", "territory_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    territory_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(10))
    value_type: Mapped[str] = mapped_column(String(10), default="valeur")
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="ok")
    comment: Mapped[str | None] = mapped_column(Text)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("load.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ObservationHistory(Base):
    """The previous state of a value each time a load changes it, so that a load can be undone."""

    __tablename__ = "observation_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    territory_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(10))
    value_type: Mapped[str] = mapped_column(String(10))
    old_value: Mapped[float | None] = mapped_column(Float)
    old_status: Mapped[str | None] = mapped_column(String(16))
    old_comment: Mapped[str | None] = mapped_column(Text)
    old_load_id: Mapped[int | None] = mapped_column(Integer)
    new_load_id: Mapped[int] = mapped_column(ForeignKey("load.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DataVersion(Base):
    """A single counter that every change of data bumps; every cache key includes it."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComputedValue(Base):
    """A pre-computed number the dashboard reads by key instead of scanning observations.

    Two kinds share the table: aggregates over a territory set (région, typology class, programme
    members, test group…; ``territory_code`` is then the set's code) and derived indicators at a
    territory's own level. Every row carries its coverage and the definition version behind it.
    """

    __tablename__ = "computed_value"
    __table_args__ = (
        UniqueConstraint("indicator_code", "territory_code", "period", name="uq_computed_key"),
        Index("ix_computed_map", "indicator_code", "period", "territory_level"),
        Index("ix_computed_series", "territory_code", "indicator_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    territory_code: Mapped[str] = mapped_column(String(80))
    territory_level: Mapped[str] = mapped_column(String(8))
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    reported: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    n_missing: Mapped[int] = mapped_column(Integer, default=0)
    n_not_applicable: Mapped[int] = mapped_column(Integer, default=0)
    n_secret: Mapped[int] = mapped_column(Integer, default=0)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    indicator_version: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvaluationDesign(Base):
    """One saved version of a measure's evaluation design: every save is a new version.

    ``method`` holds the matching parameters (neighbours, features, matching indicator per
    level, pre-period window); ``diagnostics`` the balance of the features before and after
    matching; ``pins`` and ``exclusions`` the evaluator's adjustments (territory codes).
    """

    __tablename__ = "evaluation_design"
    __table_args__ = (
        UniqueConstraint("measure_code", "version", name="uq_evaluation_design_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    indicators: Mapped[list[Any]] = mapped_column()
    method: Mapped[dict[str, Any]] = mapped_column()
    pins: Mapped[list[Any]] = mapped_column()
    exclusions: Mapped[list[Any]] = mapped_column()
    diagnostics: Mapped[dict[str, Any]] = mapped_column()
    data_version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(String(80))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvaluationDesignUnit(Base):
    """A test or comparison territory of a design, frozen with the design (type, start date)."""

    __tablename__ = "evaluation_design_unit"
    __table_args__ = (
        UniqueConstraint("design_id", "territory_code", name="uq_evaluation_design_unit_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    design_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_design.id", ondelete="CASCADE"), index=True
    )
    territory_code: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(12))  # test | comparison
    territory_type: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(12))  # test_set | matched | pinned
    matched_to: Mapped[str | None] = mapped_column(String(40))
    distance: Mapped[float | None] = mapped_column(Float)
