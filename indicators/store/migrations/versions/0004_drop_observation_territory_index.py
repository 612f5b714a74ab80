"""drop ix_observation_territory: the unique key serves the same reads

Every query on ``observation`` by territory also names the indicator, which the unique key
(indicator_code, territory_code, period, value_type) serves as well; the extra index cost about
8 s per million values loaded (issue #5).

Revision ID: 0004
Revises: 0b42ae3c7a13
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0b42ae3c7a13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_territory")


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observation_territory", ["territory_code", "indicator_code"], unique=False
        )
