"""facts.scope: `total` (the whole count reported for an event) or `part` (a group inside it)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Facts stored before the extractor knew parts were all read as totals: keep that reading.
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=8),
                                      nullable=False, server_default='total'))


def downgrade() -> None:
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('scope')
