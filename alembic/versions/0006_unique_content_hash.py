"""the content hash is unique: reposts are skipped by the insert itself (ON CONFLICT DO NOTHING)

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two workers could both store one repost before the hash was unique: the later copies keep their
    # row (their facts stay traceable) and lose only the hash.
    op.execute("UPDATE articles SET content_hash = NULL WHERE content_hash IS NOT NULL AND id > "
               "(SELECT min(a.id) FROM articles a WHERE a.content_hash = articles.content_hash)")
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_content_hash')
        batch_op.create_index('ix_articles_content_hash', ['content_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_content_hash')
        batch_op.create_index('ix_articles_content_hash', ['content_hash'], unique=False)
