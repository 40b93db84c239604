"""api indexes: place (case-insensitive) and country lookups for /facts pages and /series

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index on an expression: SQLite (3.9+) and PostgreSQL both use it for lower(place_name) = ?.
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.create_index('ix_facts_lplace_kind_date', [sa.text('lower(place_name)'), 'kind', 'date'],
                              unique=False)
        batch_op.create_index('ix_facts_lplace_id', [sa.text('lower(place_name)'), 'id'], unique=False)
        batch_op.create_index('ix_facts_country_id', ['country_code', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_index('ix_facts_country_id')
        batch_op.drop_index('ix_facts_lplace_id')
        batch_op.drop_index('ix_facts_lplace_kind_date')
