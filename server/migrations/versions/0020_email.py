"""Approved e-mail (docs/email.md): templates, the e-mails reps send (a part of a call), the
send queue with its delivery and tracking record; touchpoints the server's own e-mail
tracking records name no service account.

Revision ID: 0020_email
Revises: 0019_cycle_plans
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020_email'
down_revision: str | None = '0019_cycle_plans'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('email_templates',
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('variants', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('approval_state', sa.String(length=16), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'],
        name=op.f('fk_email_templates_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_templates'))
    )
    with op.batch_alter_table('email_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_templates_product_id'), ['product_id'])
        batch_op.create_index(batch_op.f('ix_email_templates_version_id'), ['version', 'id'])

    op.create_table('emails',
    sa.Column('interaction_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('template_id', sa.String(length=36), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=True),
    sa.Column('paragraph', sa.Text(), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('field_versions', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
        name=op.f('fk_emails_account_id_accounts')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'],
        name=op.f('fk_emails_interaction_id_interactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emails'))
    )
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emails_account_id'), ['account_id'])
        batch_op.create_index(batch_op.f('ix_emails_interaction_id'), ['interaction_id'])
        batch_op.create_index(batch_op.f('ix_emails_version_id'), ['version', 'id'])

    op.create_table('email_sends',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('template_id', sa.String(length=36), nullable=False),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('clicked_at', sa.DateTime(), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
        name=op.f('fk_email_sends_account_id_accounts')),
    sa.ForeignKeyConstraint(['email_id'], ['emails.id'],
        name=op.f('fk_email_sends_email_id_emails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_sends')),
    sa.UniqueConstraint('email_id', name=op.f('uq_email_sends_email_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_sends_token_hash'))
    )
    with op.batch_alter_table('email_sends', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_sends_account_id'), ['account_id'])
        batch_op.create_index(batch_op.f('ix_email_sends_next_attempt_at'), ['next_attempt_at'])

    with op.batch_alter_table('touchpoints', schema=None) as batch_op:
        batch_op.alter_column('service_account_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=True)



def downgrade() -> None:
    with op.batch_alter_table('touchpoints', schema=None) as batch_op:
        batch_op.alter_column('service_account_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=False)

    with op.batch_alter_table('email_sends', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_sends_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_email_sends_account_id'))

    op.drop_table('email_sends')
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emails_version_id'))
        batch_op.drop_index(batch_op.f('ix_emails_interaction_id'))
        batch_op.drop_index(batch_op.f('ix_emails_account_id'))

    op.drop_table('emails')
    with op.batch_alter_table('email_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_templates_version_id'))
        batch_op.drop_index(batch_op.f('ix_email_templates_product_id'))

    op.drop_table('email_templates')
