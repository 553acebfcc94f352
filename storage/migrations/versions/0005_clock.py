"""clock at scale: follow-ups by project and rule, partial indexes (projects to replan, reported %), failed_at

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("followups") as batch_op:
        # When a follow-up could not be posted: its series goes on from then (the next nag, the next week's alert).
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        # The planner's questions per project ("is a quiet alert pending?", "the nags so far") and delivery's.
        batch_op.create_index("ix_followups_project_rule", ["team_id", "project_id", "rule"], unique=False)
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_index("ix_projects_replan")
    # Only the few projects marked for planning are in it, so finding them costs nothing with 100,000 projects.
    op.create_index("ix_projects_replan", "projects", ["team_id", "id"], unique=False,
                    postgresql_where=sa.text("replan"), sqlite_where=sa.text("replan = 1"))
    # Each project's latest reported % in one index probe (the daily pass asks it of every active project).
    op.create_index("ix_logs_project_percent", "progress_logs", ["team_id", "project_id", "id", "percent"],
                    unique=False, postgresql_where=sa.text("percent is not null"),
                    sqlite_where=sa.text("percent is not null"))


def downgrade() -> None:
    op.drop_index("ix_logs_project_percent", table_name="progress_logs")
    op.drop_index("ix_projects_replan", table_name="projects")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.create_index("ix_projects_replan", ["replan"], unique=False)
    with op.batch_alter_table("followups") as batch_op:
        batch_op.drop_index("ix_followups_project_rule")
        batch_op.drop_column("failed_at")
