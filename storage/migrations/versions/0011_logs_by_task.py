"""the minutes logged against each task from an index (issue 11): `ix_logs_project_task`

A partial covering index of the logs that name a task (`logg … oppgave:`): the weekly summary sums them per task
for the steps over their estimate in one pass that reads this index alone, instead of every log of the projects
in scope and its row. Logs without a task (most of them) are not in it and cost it nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_logs_project_task", "progress_logs", ["team_id", "project_id", "task_id", "minutes"],
                    postgresql_where=sa.text("task_id is not null"), sqlite_where=sa.text("task_id is not null"))


def downgrade() -> None:
    op.drop_index("ix_logs_project_task", table_name="progress_logs")
