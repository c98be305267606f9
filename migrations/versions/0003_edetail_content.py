"""E-detailing: content (presentations, slides) and its capture (sessions, views, clicks).

New tables only; nothing existing changes, so an upgraded file keeps its data untouched.

Revision ID: 0003_edetail_content
Revises: 0002_account_search
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003_edetail_content'
down_revision: str | None = '0002_account_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('presentations',
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('content_version', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('approval_state', sa.String(length=16), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('tree_sha256', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("approval_state IN ('draft', 'approved', 'withdrawn')", name=op.f('ck_presentations_approval_state')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_presentations_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentations')),
    sa.UniqueConstraint('code', 'content_version', name=op.f('uq_presentations_code_content_version'))
    )
    with op.batch_alter_table('presentations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presentations_package_sha256'), ['package_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_presentations_product_id'), ['product_id'], unique=False)

    op.create_table('slides',
    sa.Column('presentation_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('key_message', sa.String(length=64), nullable=False),
    sa.Column('key_message_id', sa.String(length=36), nullable=True),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('file', sa.String(length=500), nullable=False),
    sa.Column('asset_sha256', sa.String(length=64), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('thumbnail_sha256', sa.String(length=64), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("kind IN ('pdf', 'image', 'html')", name=op.f('ck_slides_kind')),
    sa.ForeignKeyConstraint(['key_message_id'], ['key_messages.id'], name=op.f('fk_slides_key_message_id_key_messages')),
    sa.ForeignKeyConstraint(['presentation_id'], ['presentations.id'], name=op.f('fk_slides_presentation_id_presentations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slides')),
    sa.UniqueConstraint('presentation_id', 'code', name=op.f('uq_slides_presentation_id_code')),
    sa.UniqueConstraint('presentation_id', 'position', name=op.f('uq_slides_presentation_id_position'))
    )
    op.create_table('presentation_sessions',
    sa.Column('presentation_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=True),
    sa.Column('interaction_id', sa.String(length=36), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_presentation_sessions_account_id_accounts')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_presentation_sessions_interaction_id_interactions')),
    sa.ForeignKeyConstraint(['presentation_id'], ['presentations.id'], name=op.f('fk_presentation_sessions_presentation_id_presentations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_presentation_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presentation_sessions'))
    )
    with op.batch_alter_table('presentation_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_presentation_sessions_account', ['account_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_presentation_sessions_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_presentation_sessions_presentation_id'), ['presentation_id'], unique=False)

    op.create_table('clickstream_events',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('slide_id', sa.String(length=36), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('track_element_id', sa.String(length=200), nullable=True),
    sa.Column('track_element_type', sa.String(length=100), nullable=True),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('usage_duration_s', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['presentation_sessions.id'], name=op.f('fk_clickstream_events_session_id_presentation_sessions')),
    sa.ForeignKeyConstraint(['slide_id'], ['slides.id'], name=op.f('fk_clickstream_events_slide_id_slides')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clickstream_events'))
    )
    with op.batch_alter_table('clickstream_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clickstream_events_session_id'), ['session_id'], unique=False)

    op.create_table('slide_views',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('slide_id', sa.String(length=36), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('reaction', sa.String(length=16), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('asked_for_more', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("reaction IS NULL OR reaction IN ('positive', 'neutral', 'negative')", name=op.f('ck_slide_views_reaction')),
    sa.CheckConstraint('duration_ms >= 0', name=op.f('ck_slide_views_duration')),
    sa.ForeignKeyConstraint(['session_id'], ['presentation_sessions.id'], name=op.f('fk_slide_views_session_id_presentation_sessions')),
    sa.ForeignKeyConstraint(['slide_id'], ['slides.id'], name=op.f('fk_slide_views_slide_id_slides')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slide_views'))
    )
    with op.batch_alter_table('slide_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slide_views_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slide_views_slide_id'), ['slide_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('slide_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slide_views_slide_id'))
        batch_op.drop_index(batch_op.f('ix_slide_views_session_id'))

    op.drop_table('slide_views')
    with op.batch_alter_table('clickstream_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clickstream_events_session_id'))

    op.drop_table('clickstream_events')
    with op.batch_alter_table('presentation_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentation_sessions_presentation_id'))
        batch_op.drop_index(batch_op.f('ix_presentation_sessions_interaction_id'))
        batch_op.drop_index('ix_presentation_sessions_account')

    op.drop_table('presentation_sessions')
    op.drop_table('slides')
    with op.batch_alter_table('presentations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentations_product_id'))
        batch_op.drop_index(batch_op.f('ix_presentations_package_sha256'))

    op.drop_table('presentations')
