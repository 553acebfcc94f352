"""weekly summaries: workspace summary settings, channel posts in the outbox, workspace-wide history

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=True))
    # A weekly summary or portfolio post belongs to a channel, not a project; a settings change to the workspace.
    with op.batch_alter_table("followups") as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("history") as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM followups WHERE project_id IS NULL")
    op.execute("DELETE FROM history WHERE project_id IS NULL")
    with op.batch_alter_table("history") as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("followups") as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("workspaces") as batch_op:
        batch_op.drop_column("summary")
