"""api indexes: place (case-insensitive) and country lookups for /facts pages and /series

Revision ID: 0003
Revises: 0002

Plain CREATE/DROP INDEX (no batch mode needed: SQLite creates and drops indexes without
rebuilding the table, and batch mode would reflect `facts`, whose expression indexes SQLite
cannot reflect). Indexes on lower(place_name) serve `lower(place_name) = ?` and `IS NULL`
(unresolved places) on SQLite 3.9+ and PostgreSQL. The *_series indexes carry value, source
and id so /series is answered from the index alone.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_facts_country_kind_date', table_name='facts')
    op.create_index('ix_facts_country_series', 'facts', ['country_code', 'kind', 'date', 'value', 'source', 'id'])
    op.create_index('ix_facts_lplace_series', 'facts',
                    [sa.text('lower(place_name)'), 'kind', 'date', 'value', 'source', 'id'])
    op.create_index('ix_facts_lplace_kind_id', 'facts', [sa.text('lower(place_name)'), 'kind', 'id'])
    op.create_index('ix_facts_lplace_id', 'facts', [sa.text('lower(place_name)'), 'id'])
    op.create_index('ix_facts_country_kind_id', 'facts', ['country_code', 'kind', 'id'])


def downgrade() -> None:
    op.drop_index('ix_facts_country_kind_id', table_name='facts')
    op.drop_index('ix_facts_lplace_id', table_name='facts')
    op.drop_index('ix_facts_lplace_kind_id', table_name='facts')
    op.drop_index('ix_facts_lplace_series', table_name='facts')
    op.drop_index('ix_facts_country_series', table_name='facts')
    op.create_index('ix_facts_country_kind_date', 'facts', ['country_code', 'kind', 'date'])
