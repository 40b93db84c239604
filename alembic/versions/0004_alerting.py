"""alerting: series key and value on alert events; fact/source links survive re-extraction and deletes

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# 0001 created these foreign keys unnamed; this convention names them so batch mode (SQLite) can drop them.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _fk_names() -> tuple[str, str]:
    if op.get_bind().dialect.name == "postgresql":
        return "alert_events_fact_id_fkey", "alert_events_source_id_fkey"
    return "fk_alert_events_fact_id_facts", "fk_alert_events_source_id_sources"


def upgrade() -> None:
    fact_fk, source_fk = _fk_names()
    with op.batch_alter_table('alert_events', schema=None, naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column('series_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('value', sa.Float(), nullable=True))
        batch_op.drop_constraint(fact_fk, type_='foreignkey')
        batch_op.drop_constraint(source_fk, type_='foreignkey')
        batch_op.create_foreign_key(fact_fk, 'facts', ['fact_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(source_fk, 'sources', ['source_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_alert_events_rule_series', ['rule_id', 'series_key', 'created_at'], unique=False)


def downgrade() -> None:
    fact_fk, source_fk = _fk_names()
    with op.batch_alter_table('alert_events', schema=None, naming_convention=NAMING) as batch_op:
        batch_op.drop_index('ix_alert_events_rule_series')
        batch_op.drop_constraint(fact_fk, type_='foreignkey')
        batch_op.drop_constraint(source_fk, type_='foreignkey')
        batch_op.create_foreign_key(fact_fk, 'facts', ['fact_id'], ['id'])
        batch_op.create_foreign_key(source_fk, 'sources', ['source_id'], ['id'])
        batch_op.drop_column('value')
        batch_op.drop_column('series_key')
