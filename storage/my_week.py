"""People's weeks of hours (`bot.domain.my_week.MyWeek`): App Home's *Mine timer*, `/prosjekt timer uke` and the
Friday message. Two statements however many people are asked about (the nudge pass asks about thousands at once):
the minutes by person and day over this week and last, and the minutes by person and project this week. Only the
workspace's own logs (`team_id`), by the logs' own dates (`logged_on`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from bot.domain.my_week import WEEK, MyWeek, ProjectHours, build_week
from storage.models import ProgressLog, Project
from storage.sql import T, core

_USERS: BindParameter[str] = bindparam("user_ids", expanding=True)
_SINCE = bindparam("since", type_=ProgressLog.logged_on.type)
_UNTIL = bindparam("until", type_=ProgressLog.logged_on.type)  # exclusive
_MONDAY = bindparam("monday", type_=ProgressLog.logged_on.type)

_BY_DAY = (  # this week's and last week's days
    select(ProgressLog.user_id, ProgressLog.logged_on, func.sum(ProgressLog.minutes))
    .where(ProgressLog.team_id == T, ProgressLog.user_id.in_(_USERS),
           ProgressLog.logged_on >= _SINCE, ProgressLog.logged_on < _UNTIL)
    .group_by(ProgressLog.user_id, ProgressLog.logged_on)
)
_BY_PROJECT = (  # this week's
    select(ProgressLog.user_id, Project.id, Project.number, Project.name, func.sum(ProgressLog.minutes))
    .join(Project, (Project.team_id == ProgressLog.team_id) & (Project.id == ProgressLog.project_id))
    .where(ProgressLog.team_id == T, ProgressLog.user_id.in_(_USERS),
           ProgressLog.logged_on >= _MONDAY, ProgressLog.logged_on < _UNTIL)
    .group_by(ProgressLog.user_id, Project.id, Project.number, Project.name)
)


def weeks(session: Session, team_id: str, user_ids: Sequence[str], monday: dt.date, *,
          through: dt.date | None = None) -> dict[str, MyWeek]:
    """Each of `user_ids`' week from `monday` (a Monday), with last week's total; everyone asked about gets a week
    (an empty one without logs). `through`: the last day that has been (default: the week's Sunday, a week that
    is over); working days up to it without hours are the week's missing days."""
    people = sorted(set(user_ids))
    if not people:
        return {}
    last_monday, next_monday = monday - dt.timedelta(days=WEEK), monday + dt.timedelta(days=WEEK)
    conn = core(session)
    params = {"team_id": team_id, "user_ids": people, "since": last_monday, "until": next_monday, "monday": monday}
    by_day: dict[str, dict[dt.date, int]] = defaultdict(dict)
    last_week: dict[str, int] = defaultdict(int)
    for user_id, day, minutes in conn.execute(_BY_DAY, params):
        if day < monday:
            last_week[user_id] += int(minutes)
        else:
            by_day[user_id][day] = int(minutes)
    by_project: dict[str, list[ProjectHours]] = defaultdict(list)
    for user_id, project_id, number, name, minutes in conn.execute(_BY_PROJECT, params):
        by_project[user_id].append(ProjectHours(project_id, number, name, int(minutes)))
    end = through if through is not None else next_monday - dt.timedelta(days=1)
    return {user_id: build_week(user_id, monday, through=end, minutes_by_day=by_day.get(user_id, {}),
                                projects=by_project.get(user_id, ()), last_week_minutes=last_week.get(user_id, 0))
            for user_id in people}
