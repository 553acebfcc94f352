"""money and the month (issue 13): hourly rates, billable logs, cost per day, approved months

- `workspaces.default_rate_nok`, `projects.rate_nok`, per-person `project_rates`: the hourly rate (NOK) a log gets
  is the person's project rate, else the project's, else the workspace default, else none. The log keeps it:
  `progress_logs.rate_nok` (null: none known) and `progress_logs.billable` (an internal log counts as hours spent,
  not as cost).
- `log_days` also keeps `billable_minutes` and `cost_kr_minutes` (minutes × rate over the day's billable logs; cost
  in kroner = cost_kr_minutes / 60), by the same triggers as its minutes (0007), rebuilt here to watch the new
  columns: a log's insert, change (of minutes, day, project, rate or billable) and delete keep them right.
- `projects.rollover` / `rollover_cap_pct` (a løpende project's unused hours carried into the next month, capped at
  ± that % of the monthly frame; null: 25) and `month_approvals` (a project's month approved by its PL).

Existing logs are billable with no rate: their days' billable minutes are their minutes and their cost 0.

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

_KEY = "team_id = {row}.team_id AND project_id = {row}.project_id AND logged_on = {row}.logged_on"


def _billable(row: str) -> str:
    return f"CASE WHEN {row}.billable THEN {row}.minutes ELSE 0 END"


def _cost(row: str) -> str:
    return f"CASE WHEN {row}.billable THEN CAST({row}.minutes AS BIGINT) * COALESCE({row}.rate_nok, 0) ELSE 0 END"


def _statements(money: bool, dialect: str) -> list[str]:
    """The triggers that keep log_days: with the money columns (this revision) or without (0007's)."""
    if money:
        add = ("INSERT INTO log_days (team_id, project_id, logged_on, minutes, billable_minutes, cost_kr_minutes) "
               f"VALUES (NEW.team_id, NEW.project_id, NEW.logged_on, NEW.minutes, {_billable('NEW')}, "
               f"{_cost('NEW')}) ON CONFLICT (team_id, project_id, logged_on) DO UPDATE SET "
               "minutes = log_days.minutes + excluded.minutes, "
               "billable_minutes = log_days.billable_minutes + excluded.billable_minutes, "
               "cost_kr_minutes = log_days.cost_kr_minutes + excluded.cost_kr_minutes;")
        take = (f"UPDATE log_days SET minutes = minutes - OLD.minutes, "
                f"billable_minutes = billable_minutes - {_billable('OLD')}, "
                f"cost_kr_minutes = cost_kr_minutes - {_cost('OLD')} WHERE {_KEY.format(row='OLD')};")
        watched = "team_id, project_id, logged_on, minutes, billable, rate_nok"
    else:
        add = ("INSERT INTO log_days (team_id, project_id, logged_on, minutes) "
               "VALUES (NEW.team_id, NEW.project_id, NEW.logged_on, NEW.minutes) ON CONFLICT "
               "(team_id, project_id, logged_on) DO UPDATE SET minutes = log_days.minutes + excluded.minutes;")
        take = f"UPDATE log_days SET minutes = minutes - OLD.minutes WHERE {_KEY.format(row='OLD')};"
        watched = "team_id, project_id, logged_on, minutes"
    if dialect == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION log_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('DELETE', 'UPDATE') THEN {take} END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {add} END IF;
                RETURN NULL;
            END $$""",
            # Deferred to the commit, as in 0007.
            f"""CREATE CONSTRAINT TRIGGER log_days_follow AFTER INSERT OR DELETE OR UPDATE OF {watched}
            ON progress_logs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_days_follow()""",
        ]
    return [
        f"CREATE TRIGGER log_days_insert AFTER INSERT ON progress_logs BEGIN {add} END",
        f"CREATE TRIGGER log_days_delete AFTER DELETE ON progress_logs BEGIN {take} END",
        f"CREATE TRIGGER log_days_update AFTER UPDATE OF {watched} ON progress_logs BEGIN {take} {add} END",
    ]


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER log_days_follow ON progress_logs")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER log_days_{name}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("workspaces", sa.Column("default_rate_nok", sa.Integer(), nullable=True))
    op.add_column("projects", sa.Column("rate_nok", sa.Integer(), nullable=True))
    op.add_column("projects", sa.Column("rollover", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("projects", sa.Column("rollover_cap_pct", sa.Integer(), nullable=True))
    op.create_table(
        "project_rates",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("rate_nok", sa.Integer(), nullable=False),
        sa.CheckConstraint("rate_nok > 0", name=op.f("ck_project_rates_rate_positive")),
        sa.ForeignKeyConstraint(["team_id", "project_id"], ["projects.team_id", "projects.id"],
                                name=op.f("fk_project_rates_team_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "project_id", "user_id", name=op.f("pk_project_rates")),
    )
    op.create_table(
        "month_approvals",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id", "project_id"], ["projects.team_id", "projects.id"],
                                name=op.f("fk_month_approvals_team_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "project_id", "month", name=op.f("pk_month_approvals")),
    )
    op.add_column("progress_logs", sa.Column("rate_nok", sa.Integer(), nullable=True))
    op.add_column("progress_logs", sa.Column("billable", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("log_days", sa.Column("billable_minutes", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("log_days", sa.Column("cost_kr_minutes", sa.BigInteger(), nullable=False, server_default="0"))
    _drop_triggers(dialect)
    op.execute("UPDATE log_days SET billable_minutes = minutes")  # every log there was billable, with no rate
    for statement in _statements(True, dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)  # first: SQLite drops no column a trigger reads
    for table, column in (("log_days", "cost_kr_minutes"), ("log_days", "billable_minutes"),
                          ("progress_logs", "billable"), ("progress_logs", "rate_nok"),
                          ("projects", "rollover_cap_pct"), ("projects", "rollover"), ("projects", "rate_nok"),
                          ("workspaces", "default_rate_nok")):
        op.drop_column(table, column)
    op.drop_table("month_approvals")
    op.drop_table("project_rates")
    for statement in _statements(False, dialect):
        op.execute(statement)
