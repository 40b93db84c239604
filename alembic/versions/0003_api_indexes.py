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
    # Indexes on an expression (lower(place_name)): SQLite 3.9+ and PostgreSQL use them for lower(place_name) = ?
    # and lower(place_name) IS NULL. The *_series indexes carry value, source and id so /series reads no rows.
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_index('ix_facts_country_kind_date')
        batch_op.create_index('ix_facts_country_series', ['country_code', 'kind', 'date', 'value', 'source', 'id'],
                              unique=False)
        batch_op.create_index('ix_facts_lplace_series',
                              [sa.text('lower(place_name)'), 'kind', 'date', 'value', 'source', 'id'], unique=False)
        batch_op.create_index('ix_facts_lplace_id', [sa.text('lower(place_name)'), 'id'], unique=False)
        batch_op.create_index('ix_facts_country_id', ['country_code', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_index('ix_facts_country_id')
        batch_op.drop_index('ix_facts_lplace_id')
        batch_op.drop_index('ix_facts_lplace_series')
        batch_op.drop_index('ix_facts_country_series')
        batch_op.create_index('ix_facts_country_kind_date', ['country_code', 'kind', 'date'], unique=False)
