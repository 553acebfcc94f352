"""The weekly summary and the portfolio (docs/product.md §5): the active projects of some channels, or of the whole
workspace, each with its health (the card's functions, `bot.domain.health`), its week and what is due. Read with a
fixed number of SQL statements however many channels and projects are asked for (`storage.summary`); what they
show is in `bot.domain.summary`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.domain.health import frame_figures, frame_health, frame_inputs
from bot.domain.summary import (
    HORIZON_DAYS,
    LEVEL_ORDER,
    LEVELS,
    ChannelSummary,
    Due,
    Portfolio,
    ProjectSummary,
    Totals,
    Week,
    reporting_week,
)
from storage import summary as store


def channels_with_active_projects(session: Session, team_id: str) -> list[str]:
    """The channels that get a weekly summary (before their own on/off setting): those with an active project."""
    return store.channels_with_active_projects(session, team_id)


def channel_summary(session: Session, team_id: str, channel_id: str, today: dt.date, tz: str,
                    week: Week | None = None) -> ChannelSummary:
    """The summary of one channel's active projects."""
    return channel_summaries(session, team_id, [channel_id], today, tz, week)[channel_id]


def channel_summaries(session: Session, team_id: str, channel_ids: Iterable[str], today: dt.date, tz: str,
                      week: Week | None = None) -> dict[str, ChannelSummary]:
    """Summaries of several channels at once (same statements as for one); a channel with no active project
    gets an empty summary."""
    channels = sorted(set(channel_ids))
    week = week or reporting_week(today)
    found = _load(session, team_id, channels, today, tz, week) if channels else []
    by_channel: dict[str, list[ProjectSummary]] = defaultdict(list)
    for summary in found:
        by_channel[summary.channel_id].append(summary)
    return {
        channel: ChannelSummary(team_id=team_id, channel_id=channel, today=today, week=week,
                                projects=tuple(_by_health(by_channel[channel])),
                                totals=_totals(by_channel[channel]))
        for channel in channels
    }


def portfolio(session: Session, team_id: str, today: dt.date, tz: str, week: Week | None = None) -> Portfolio:
    """All active projects of the workspace grouped by health, with the agency's week and totals."""
    week = week or reporting_week(today)
    found = _by_health(_load(session, team_id, None, today, tz, week))
    people: dict[str, int] = defaultdict(int)
    for p in found:
        for user_id, minutes in p.week_by_person:
            people[user_id] += minutes
    deadlines = sorted(((p, d) for p in found for d in p.upcoming), key=lambda pd: (pd[1].day, pd[0].number))
    at_risk = sorted((p for p in found if p.frame_at_risk),
                     key=lambda p: (-max(p.figures.hours_used_pct or 0, p.figures.cost_used_pct or 0), p.number))
    return Portfolio(
        team_id=team_id, today=today, week=week,
        groups={level: tuple(p for p in found if p.health.level == level) for level in LEVELS},
        at_risk=tuple(at_risk), deadlines=tuple(deadlines),
        week_by_person=tuple(sorted(people.items(), key=lambda um: (-um[1], um[0]))),
        channels=len({p.channel_id for p in found}), totals=_totals(found),
    )


def _by_health(found: Iterable[ProjectSummary]) -> list[ProjectSummary]:
    return sorted(found, key=lambda p: (LEVEL_ORDER[p.health.level], p.number))


def _totals(found: Sequence[ProjectSummary]) -> Totals:
    levels = [p.health.level for p in found]
    return Totals(
        projects=len(found), red=levels.count("red"), yellow=levels.count("yellow"), green=levels.count("green"),
        week_minutes=sum(p.week_minutes for p in found),
        people=len({user for p in found for user, _ in p.week_by_person}),
        upcoming=sum(len(p.upcoming) for p in found), overdue=sum(len(p.overdue) for p in found),
        at_risk=sum(1 for p in found if p.frame_at_risk),
    )


def _local_midnight(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def _load(session: Session, team_id: str, channels: Sequence[str] | None, today: dt.date, tz: str,
          week: Week) -> list[ProjectSummary]:
    """Active projects of the workspace (in `channels`, or all) and their summaries."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    rows = store.summary_rows(
        session, team_id, channels, today=today, week_start=week.start, week_end=week.end,
        week_from=_local_midnight(week.start, tz), week_until=_local_midnight(week.end + dt.timedelta(days=1), tz),
        horizon=horizon)
    return [_summary(p, rows, today, horizon) for p in rows.projects]


def _summary(p: store.ActiveProject, rows: store.SummaryRows, today: dt.date, horizon: dt.date) -> ProjectSummary:
    logged_minutes, last_log = rows.logs.get(p.id, (0, None))
    total, done, done_in_week = rows.task_counts.get(p.id, (0, 0, 0))
    estimated, estimated_done = rows.estimates.get(p.id, (0, 0))
    inputs = frame_inputs(
        p, today=today, logged_minutes=logged_minutes, reported_progress=rows.percents.get(p.id),
        tasks_total=total, tasks_done=done, last_log_on=last_log, created_on=p.created_at.date(),
        estimate_total=estimated, estimate_done=estimated_done, cost_kr_minutes=rows.costs.get(p.id, 0),
        carried_minutes=rows.carried.get(p.id, 0),
    )
    figures = frame_figures(inputs)
    people = sorted(rows.week_people.get(p.id, []), key=lambda um: (-um[1], um[0]))
    tasks = rows.due_tasks.get(p.id, [])
    upcoming = [d for d in tasks if d.day >= today]
    overdue = [d for d in tasks if d.day < today]
    if p.deadline is not None and today <= p.deadline <= horizon and not figures.days_overdue:
        upcoming.append(Due(p.deadline, None, p.pm_user_id))
    if figures.days_overdue and p.deadline is not None:
        overdue.append(Due(p.deadline, None, p.pm_user_id))
    week_minutes = sum(m for _, m in people)
    return ProjectSummary(
        id=p.id, number=p.number, name=p.name, customer=p.customer, kind=p.kind, channel_id=p.channel_id,
        pm_user_id=p.pm_user_id, deadline=p.deadline, frame_minutes=inputs.frame_minutes,  # (+ carried)
        logged_minutes=logged_minutes, health=frame_health(inputs, figures), figures=figures,
        week_minutes=week_minutes, week_by_person=tuple(people),
        upcoming=tuple(sorted(upcoming, key=lambda d: (d.day, d.task is not None))),
        overdue=tuple(sorted(overdue, key=lambda d: (d.day, d.task is not None))),
        goals=tuple(rows.goals.get(p.id, [])),
        news=bool(week_minutes or rows.changes.get(p.id) or done_in_week),
        over_estimate=tuple(rows.over_estimate.get(p.id, [])),
        budget_nok=p.budget_nok, cost_kr_minutes=rows.costs.get(p.id, 0),
    )


__all__ = ["channel_summaries", "channel_summary", "channels_with_active_projects", "portfolio"]
