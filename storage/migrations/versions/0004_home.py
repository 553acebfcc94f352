"""App Home: who has opened it, and an index for a person's tasks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_users",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], name=op.f("fk_home_users_team_id_workspaces")),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_home_users")),
    )
    op.create_index("ix_tasks_owner", "tasks", ["team_id", "owner_user_id", "deadline"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tasks_owner", table_name="tasks")
    op.drop_table("home_users")
