"""routines per workspace (issue 11), and what a project and its tasks keep of the routine they came from

`routines` holds a workspace's own routines, every version (the built-ins are files, bot/domain/routines/builtin).
A project records the routine's name and version and the answers and roles it was made with; a task its estimate
and description. (`progress_logs.task_id` already exists: a log can point at a task.)

Plain ADD COLUMNs, no batch mode: on SQLite a batch would copy `projects` (its children cascade) and
`progress_logs` (its log_days triggers), and nullable columns need neither.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_routines_version_positive")),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], name=op.f("fk_routines_team_id_workspaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routines")),
        sa.UniqueConstraint("team_id", "name", "version", name=op.f("uq_routines_team_id_name_version")),
    )
    op.add_column("projects", sa.Column("routine_name", sa.String(length=60), nullable=True))
    op.add_column("projects", sa.Column("routine_version", sa.Integer(), nullable=True))
    op.add_column("projects", sa.Column("routine_answers", sa.Text(), nullable=True))
    op.add_column("projects", sa.Column("routine_roles", sa.Text(), nullable=True))
    op.add_column("tasks", sa.Column("estimate_minutes", sa.Integer(), nullable=True))
    op.add_column("tasks", sa.Column("description", sa.Text(), nullable=True))


def downgrade() -> None:
    for table, column in (("tasks", "description"), ("tasks", "estimate_minutes"), ("projects", "routine_roles"),
                          ("projects", "routine_answers"), ("projects", "routine_version"),
                          ("projects", "routine_name")):
        op.drop_column(table, column)
    op.drop_table("routines")
