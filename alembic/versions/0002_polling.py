"""polling: HTTP status on sources, page fetch counts on poll logs

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_http_status', sa.Integer(), nullable=True))
    with op.batch_alter_table('poll_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pages_fetched', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('pages_failed', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('poll_logs', schema=None) as batch_op:
        batch_op.drop_column('pages_failed')
        batch_op.drop_column('pages_fetched')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('last_http_status')
