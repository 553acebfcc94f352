"""the nudge to log hours (issue 14): `workspaces.nudges` and `nudge_people`

`workspaces.nudges` holds the workspace's nudge settings as JSON (NudgeSettings: on/off, time, days; null: off).
`nudge_people` holds each person's own choice (`varsler av|på`) and whether their Slack account was found
deactivated, and when that was checked. `ix_logs_user_day`: a person's logs by day, for the nudge's "did they log
today" and "where did they log lately".

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("nudges", sa.Text(), nullable=True))
    op.create_index("ix_logs_user_day", "progress_logs", ["team_id", "user_id", "logged_on", "project_id", "minutes"])
    op.create_table(
        "nudge_people",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("nudges_off", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deactivated", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], name=op.f("fk_nudge_people_team_id_workspaces")),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_nudge_people")),
    )


def downgrade() -> None:
    op.drop_table("nudge_people")
    op.drop_index("ix_logs_user_day", table_name="progress_logs")
    op.drop_column("workspaces", "nudges")
