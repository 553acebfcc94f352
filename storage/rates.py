"""Hourly rates: people's own rates on a project, and who is in a project (only they may have one).

The rate a log gets is read inside the log's own INSERT (storage.projects.add_log); these are the writes and the
reads of the `ramme … timepris:` command. Every function takes the workspace (`team_id`).
"""

from __future__ import annotations

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from storage import sql
from storage.models import Member, Project, ProjectRate, Task


def person_rates(session: Session, team_id: str, project_id: int) -> dict[str, int]:
    """The people with their own rate on the project: user id → rate."""
    return dict(session.execute(select(ProjectRate.user_id, ProjectRate.rate_nok).where(
        ProjectRate.team_id == team_id, ProjectRate.project_id == project_id)).all())


def put_person_rate(session: Session, team_id: str, project_id: int, user_id: str, rate_nok: int) -> None:
    """Set (or change) a person's rate on the project."""
    stmt = sql.insert_for(session, ProjectRate).values(team_id=team_id, project_id=project_id, user_id=user_id,
                                                       rate_nok=rate_nok)
    sql.core(session).execute(stmt.on_conflict_do_update(index_elements=["team_id", "project_id", "user_id"],
                                                         set_={"rate_nok": rate_nok}))


def delete_person_rate(session: Session, team_id: str, project_id: int, user_id: str) -> None:
    """A person's own rate on the project gone (their logs get the project's from then on)."""
    sql.core(session).execute(delete(ProjectRate).where(ProjectRate.team_id == team_id,
                                                        ProjectRate.project_id == project_id,
                                                        ProjectRate.user_id == user_id))


def project_people(session: Session, team_id: str, project: Project) -> set[str]:
    """Who is in the project: its PL, its members (who logged on it joined), and the owners of its tasks."""
    members = select(Member.user_id).where(Member.team_id == team_id, Member.project_id == project.id)
    owners = select(Task.owner_user_id).where(Task.team_id == team_id, Task.project_id == project.id,
                                              Task.owner_user_id.is_not(None))
    found = set(session.scalars(select(union(members, owners).subquery().c[0])))
    return found | {project.pm_user_id}
