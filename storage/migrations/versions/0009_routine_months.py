"""a løpende project's later months (issue 11): `projects.routine_month` and `routine_months`

`projects.routine_month` says up to which month a løpende project has its routine's monthly steps (the first day of
that month; null for a project that gets none), behind a partial index, so an idle clock pass finds the projects
behind the current month without reading the others. `routine_months` holds one row per month made: its key makes
a month's steps once when clocks race.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# A løpende project made from a routine before this revision got its start month's steps at creation.
_FIRST_MONTH = {
    "postgresql": "CAST(date_trunc('month', start) AS DATE)",
    "sqlite": "date(start, 'start of month')",
}


def upgrade() -> None:
    op.add_column("projects", sa.Column("routine_month", sa.Date(), nullable=True))
    op.create_index("ix_projects_routine_month", "projects", ["team_id", "state", "routine_month"],
                    postgresql_where=sa.text("routine_month IS NOT NULL"),
                    sqlite_where=sa.text("routine_month IS NOT NULL"))
    op.create_table(
        "routine_months",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id", "project_id"], ["projects.team_id", "projects.id"],
                                name=op.f("fk_routine_months_team_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "project_id", "month", name=op.f("pk_routine_months")),
    )
    first_month = _FIRST_MONTH[op.get_bind().dialect.name]
    op.execute(f"UPDATE projects SET routine_month = {first_month} "
               "WHERE kind = 'lopende' AND routine_name IS NOT NULL")


def downgrade() -> None:
    op.drop_table("routine_months")
    op.drop_index("ix_projects_routine_month", table_name="projects")
    op.drop_column("projects", "routine_month")
