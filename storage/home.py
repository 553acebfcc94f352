"""Queries for App Home. Every function takes the workspace (`team_id`) and never reads across workspaces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import CompoundSelect, func, select, union
from sqlalchemy.orm import Session

from storage.models import HomeUser, Member, Project, Task
from storage.sql import insert_for


def remember_opened(session: Session, team_id: str, user_id: str, at: dt.datetime) -> None:
    """Record that the user has opened App Home (so changes that touch them publish it again)."""
    stmt = insert_for(session, HomeUser).values(team_id=team_id, user_id=user_id, opened_at=at)
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_={"opened_at": at}))


def home_users_of_project(session: Session, team_id: str, project_id: int) -> list[str]:
    """The project's PL, members and task owners who have opened App Home."""
    people: CompoundSelect = union(
        select(Project.pm_user_id).where(Project.team_id == team_id, Project.id == project_id),
        select(Member.user_id).where(Member.team_id == team_id, Member.project_id == project_id),
        select(Task.owner_user_id).where(Task.team_id == team_id, Task.project_id == project_id,
                                         Task.owner_user_id.is_not(None)),
    )
    stmt = select(HomeUser.user_id).where(HomeUser.team_id == team_id, HomeUser.user_id.in_(people))
    return sorted(session.scalars(stmt).all())


def home_users(session: Session, team_id: str) -> list[str]:
    """Everyone in the workspace who has opened App Home."""
    return sorted(session.scalars(select(HomeUser.user_id).where(HomeUser.team_id == team_id)).all())


def open_tasks_due(session: Session, team_id: str, owner_user_id: str, until: dt.date,
                   limit: int = 500) -> Sequence[tuple[Task, Project]]:
    """Open tasks the user owns with a deadline up to `until` (overdue ones too), in projects not delivered."""
    stmt = (
        select(Task, Project)
        .join(Project, (Project.team_id == Task.team_id) & (Project.id == Task.project_id))
        .where(Task.team_id == team_id, Task.owner_user_id == owner_user_id, Task.done_at.is_(None),
               Task.deadline.is_not(None), Task.deadline <= until, Project.state != "delivered")
        .order_by(Task.deadline, Task.id)
        .limit(limit)
    )
    return [(task, project) for task, project in session.execute(stmt).all()]


def count_projects_of(session: Session, team_id: str, user_id: str) -> int:
    """How many projects (not delivered) the user is PL or member of; as `projects.list_projects(user_id=…)`."""
    member = select(Member.project_id).where(Member.team_id == team_id, Member.user_id == user_id)
    stmt = select(func.count()).select_from(Project).where(
        Project.team_id == team_id, Project.state != "delivered",
        (Project.pm_user_id == user_id) | Project.id.in_(member))
    return int(session.scalar(stmt) or 0)
