"""minutes per project per day (log_days), kept by triggers on progress_logs; a redundant log index dropped

A card's hours and the total in `logg`'s answer summed every log of the project (2,000 logs: ~0.2 ms of a request
on either database, growing with the project). They now sum a row a day. Triggers keep the rows in the log's own
transaction whatever writes a log (insert, a change of its minutes or day, a delete).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_KEY = "team_id = {row}.team_id AND project_id = {row}.project_id AND logged_on = {row}.logged_on"
_ADD = ("INSERT INTO log_days (team_id, project_id, logged_on, minutes) "
        "VALUES (NEW.team_id, NEW.project_id, NEW.logged_on, NEW.minutes) "
        "ON CONFLICT (team_id, project_id, logged_on) DO UPDATE SET minutes = log_days.minutes + excluded.minutes;")
_TAKE = f"UPDATE log_days SET minutes = minutes - OLD.minutes WHERE {_KEY.format(row='OLD')};"
_WATCHED = "team_id, project_id, logged_on, minutes"

_POSTGRESQL = [
    f"""CREATE FUNCTION log_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN {_TAKE} END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD} END IF;
        RETURN NULL;
    END $$""",
    # Deferred to the commit: the day's row is locked from there to the end of the commit only, not through the
    # rest of the transaction, so concurrent logs to one project barely wait for each other.
    f"""CREATE CONSTRAINT TRIGGER log_days_follow AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} ON progress_logs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_days_follow()""",
]
_SQLITE = [
    f"CREATE TRIGGER log_days_insert AFTER INSERT ON progress_logs BEGIN {_ADD} END",
    f"CREATE TRIGGER log_days_delete AFTER DELETE ON progress_logs BEGIN {_TAKE} END",
    f"CREATE TRIGGER log_days_update AFTER UPDATE OF {_WATCHED} ON progress_logs BEGIN {_TAKE} {_ADD} END",
]


def upgrade() -> None:
    op.create_table(
        "log_days",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_log_days_minutes_not_negative")),
        sa.ForeignKeyConstraint(["team_id", "project_id"], ["projects.team_id", "projects.id"],
                                name=op.f("fk_log_days_team_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "project_id", "logged_on", name=op.f("pk_log_days")),
    )
    op.execute("INSERT INTO log_days (team_id, project_id, logged_on, minutes) "
               "SELECT team_id, project_id, logged_on, sum(minutes) FROM progress_logs "
               "GROUP BY team_id, project_id, logged_on")
    for statement in _POSTGRESQL if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)
    # (team_id, project_id, logged_on) is the start of ix_logs_project_minutes: one index less to write per log.
    op.drop_index("ix_logs_project_day", table_name="progress_logs")


def downgrade() -> None:
    op.create_index("ix_logs_project_day", "progress_logs", ["team_id", "project_id", "logged_on"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER log_days_follow ON progress_logs")
        op.execute("DROP FUNCTION log_days_follow()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER log_days_{name}")
    op.drop_table("log_days")
