"""The nudge's queries (docs/product.md §11): who gets one, what deciding and building a chunk of them needs (a
fixed number of statements whatever the number of people), and each person's own choice. All per workspace."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select, union, update
from sqlalchemy.orm import Session

from bot.domain.nudges import NudgeProject
from storage import sql
from storage.models import Followup, Member, NudgePerson, ProgressLog, Project, Task


@dataclass
class NudgeFacts:
    """What deciding and building a chunk of nudges needs, read in three statements."""

    off: set[str] = field(default_factory=set)  # switched off by the person (since the row was planned)
    deactivated: set[str] = field(default_factory=set)  # Slack said so
    checked: dict[str, dt.datetime] = field(default_factory=dict)  # person → when users.info was last asked
    logged_today: set[str] = field(default_factory=set)
    recent: dict[str, dict[int, int]] = field(default_factory=dict)  # person → project → minutes in recent days
    projects: dict[str, list[NudgeProject]] = field(default_factory=dict)  # person → their active projects


def _theirs(team_id: str, people: Sequence[str] | None = None) -> object:
    """(user_id, project_id) of the PL, the members and the owners of open tasks of active projects."""
    active = and_(Project.team_id == team_id, Project.state == "active")
    pls = select(Project.pm_user_id.label("user_id"), Project.id.label("project_id")).where(active)
    members = (select(Member.user_id, Member.project_id).join(Project, and_(Project.team_id == Member.team_id,
                                                                             Project.id == Member.project_id))
               .where(Member.team_id == team_id, active))
    owners = (select(Task.owner_user_id, Task.project_id).join(Project, and_(Project.team_id == Task.team_id,
                                                                              Project.id == Task.project_id))
              .where(Task.team_id == team_id, Task.owner_user_id.is_not(None), Task.done_at.is_(None), active))
    if people is not None:
        pls = pls.where(Project.pm_user_id.in_(people))
        members = members.where(Member.user_id.in_(people))
        owners = owners.where(Task.owner_user_id.in_(people))
    return union(pls, members, owners).subquery()


def people_to_nudge(session: Session, team_id: str, *, checked_since: dt.datetime) -> list[str]:
    """Everyone on an active project (PL, member, owner of an open task) who has not switched nudges off and whose
    account was not found deactivated since `checked_since` (an older answer is asked again), in one statement."""
    theirs = _theirs(team_id)
    gone = NudgePerson.deactivated & (NudgePerson.checked_at >= checked_since)
    left_out = select(NudgePerson.user_id).where(NudgePerson.team_id == team_id, NudgePerson.nudges_off | gone)
    user = theirs.c.user_id  # type: ignore[attr-defined]
    return list(session.scalars(select(user).distinct().where(user.not_in(left_out)).order_by(user)))


def nudge_facts(session: Session, team_id: str, people: Sequence[str], *, day: dt.date,
                recent_days: int) -> NudgeFacts:
    """The people's choices and account state, whether each logged anything dated `day` (any project), their
    minutes per project over the `recent_days` up to `day`, and their active projects: three statements."""
    facts = NudgeFacts()
    if not people:
        return facts
    for row in session.execute(select(NudgePerson.user_id, NudgePerson.nudges_off, NudgePerson.deactivated,
                                      NudgePerson.checked_at)
                               .where(NudgePerson.team_id == team_id, NudgePerson.user_id.in_(people))):
        if row.nudges_off:
            facts.off.add(row.user_id)
        if row.deactivated:
            facts.deactivated.add(row.user_id)
        if row.checked_at is not None:
            facts.checked[row.user_id] = row.checked_at
    since = day - dt.timedelta(days=recent_days - 1)
    recent: dict[str, dict[int, int]] = defaultdict(dict)
    for user_id, project_id, minutes, last in session.execute(
            select(ProgressLog.user_id, ProgressLog.project_id, func.sum(ProgressLog.minutes),
                   func.max(ProgressLog.logged_on))
            .where(ProgressLog.team_id == team_id, ProgressLog.user_id.in_(people), ProgressLog.logged_on >= since,
                   ProgressLog.logged_on <= day)
            .group_by(ProgressLog.user_id, ProgressLog.project_id)):
        recent[user_id][project_id] = int(minutes)
        if last == day:
            facts.logged_today.add(user_id)
    facts.recent = dict(recent)
    theirs = _theirs(team_id, people)
    projects: dict[str, list[NudgeProject]] = defaultdict(list)
    for user_id, pid, number, name in session.execute(
            select(theirs.c.user_id, Project.id, Project.number, Project.name)  # type: ignore[attr-defined]
            .join(Project, and_(Project.team_id == team_id, Project.id == theirs.c.project_id))  # type: ignore
            .order_by(theirs.c.user_id, Project.number)):  # type: ignore[attr-defined]
        projects[user_id].append(NudgeProject(pid, number, name))
    facts.projects = dict(projects)
    return facts


def _upsert(session: Session, team_id: str, user_id: str, **values: object) -> None:
    stmt = sql.insert_for(session, NudgePerson).values(team_id=team_id, user_id=user_id,
                                                       **{"nudges_off": False, "deactivated": False, **values})
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_=values))


def set_nudges_off(session: Session, team_id: str, user_id: str, off: bool, at: dt.datetime) -> bool:
    """A person's own choice; True when it changed."""
    was = session.scalar(select(NudgePerson.nudges_off).where(NudgePerson.team_id == team_id,
                                                              NudgePerson.user_id == user_id))
    if bool(was) == off:
        return False
    _upsert(session, team_id, user_id, nudges_off=off, changed_at=at)
    return True


def nudges_off(session: Session, team_id: str, user_id: str) -> bool:
    return bool(session.scalar(select(NudgePerson.nudges_off).where(NudgePerson.team_id == team_id,
                                                                    NudgePerson.user_id == user_id)))


def remember_accounts(session: Session, team_id: str, answers: dict[str, bool], at: dt.datetime) -> None:
    """What users.info said of people's accounts (person → deactivated), and when: one statement."""
    if not answers:
        return
    stmt = sql.insert_for(session, NudgePerson)
    stmt = stmt.on_conflict_do_update(index_elements=["team_id", "user_id"], set_={
        "deactivated": stmt.excluded.deactivated, "checked_at": stmt.excluded.checked_at})
    session.execute(stmt, [{"team_id": team_id, "user_id": user_id, "nudges_off": False, "deactivated": gone,
                            "checked_at": at, "created_at": at} for user_id, gone in sorted(answers.items())])


def dismiss(session: Session, team_id: str, followup_id: int, user_id: str) -> bool:
    """*Ingen timer i dag* on a nudge: recorded once; True when this click recorded it."""
    done = session.execute(update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id,
                                                  Followup.resolution.is_(None))
                           .values(resolution="dismissed", resolved_by=user_id))
    return bool(done.rowcount)  # type: ignore[attr-defined]
