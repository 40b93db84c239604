"""facts.admin1: the first-level region ("Sindh", "California") of the resolved place

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Facts stored before: the region is unknown (null), as for a place the gazetteer lacks.
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admin1", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_column("admin1")
