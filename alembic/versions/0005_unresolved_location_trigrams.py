"""trigram index on the place as written for unresolved facts (PostgreSQL only)

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no trigram index; its scan of unresolved facts stays fast enough
    # pg_trgm ships with PostgreSQL and is a trusted extension: a database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_facts_unresolved_location_trgm ON facts "
               "USING gin (lower(location) gin_trgm_ops) WHERE lower(place_name) IS NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_facts_unresolved_location_trgm")
