"""series_days and toll_groups: the rollups /series (by day) and /tolls read (db/rollups.py), backfilled

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.orm import Session

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series_days",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("latest_fact_id", sa.Integer(), nullable=False),
        sa.Column("point", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "scope", "key", "day"),
    )
    op.create_table(
        "toll_groups",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("first_reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_fact_id", sa.Integer(), nullable=False),
        sa.Column("latest_recency", sa.BigInteger(), nullable=False),
        sa.Column("highest", sa.Float(), nullable=False),
        sa.Column("highest_recency", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "unit", "country", "resolved", "place"),
    )
    # reports_only's NOT EXISTS looks up an article's facts of one kind and day for every fact it reads
    op.create_index("ix_facts_article_kind_date", "facts", ["article_id", "kind", "date"])
    op.drop_index("ix_facts_article_id", table_name="facts")
    bind = op.get_bind()
    # Backfill from the facts stored so far, with the code that keeps the rollups current (a migration that
    # needs a later change of that code must bring its own copy).
    from db.rollups import backfill

    backfill(Session(bind=bind))


def downgrade() -> None:
    op.drop_table("toll_groups")
    op.drop_table("series_days")
    op.create_index("ix_facts_article_id", "facts", ["article_id"])
    op.drop_index("ix_facts_article_kind_date", table_name="facts")
