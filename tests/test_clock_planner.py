"""The planner on its own (bot/domain/followups.py): which follow-ups a deadline or a frame needs, on which working day,
at which UTC instant. Pure functions: no database, no Slack, no clock process."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import followups as fu
from bot.domain.health import FrameInputs, frame_figures
from bot.domain.occasion import Rule
from bot.domain.rules import FollowupRules

TZ = "Europe/Oslo"
RULES = FollowupRules()
UTC = dt.UTC


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def deadline(on: str, created: str = "2026-01-01", subject: str = "task:7") -> fu.Deadline:
    return fu.Deadline(subject=subject, project_id=1, task_id=7, deadline=d(on), created_on=d(created))


def by_rule(planned: list[fu.Planned]) -> dict[tuple[str, str], dt.datetime]:
    return {(p.rule, p.occasion): p.due_at for p in planned}


# --- the send hour: 09:00 local, whatever the season ------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected_utc"), [
    ("2026-10-23", "2026-10-23T07:00"),  # Friday before the autumn change (CEST, UTC+2)
    ("2026-10-26", "2026-10-26T08:00"),  # Monday after it (CET, UTC+1)
    ("2027-03-24", "2027-03-24T08:00"),  # Wednesday before Easter and the spring change (CET)
    ("2027-03-30", "2027-03-30T07:00"),  # Tuesday after Easter Monday (CEST)
    ("2027-10-29", "2027-10-29T07:00"),  # Friday before the 2027 autumn change
    ("2027-11-01", "2027-11-01T08:00"),  # Monday after it
])
def test_follow_ups_go_out_at_nine_local_time_in_utc(day: str, expected_utc: str) -> None:
    assert fu.send_time(d(day), RULES, TZ) == utc(expected_utc)


@pytest.mark.parametrize(("first", "last"), [("2026-10-19", "2026-11-06"), ("2027-03-15", "2027-04-09"),
                                             ("2027-10-25", "2027-11-12")])
def test_every_working_day_across_a_dst_change_has_exactly_one_nine_oclock(first: str, last: str) -> None:
    days = [d(first) + dt.timedelta(days=n) for n in range((d(last) - d(first)).days + 1)]
    instants = [fu.send_time(day, RULES, TZ) for day in days]
    assert len(set(instants)) == len(days)  # none doubled
    assert [i.astimezone(fu.ZoneInfo(TZ)).time() for i in instants] == [dt.time(9)] * len(days)  # none shifted
    assert all((b - a) in (dt.timedelta(hours=23), dt.timedelta(hours=24), dt.timedelta(hours=25))
               for a, b in zip(instants, instants[1:], strict=False))


# --- which day a deadline is warned about ------------------------------------------------------------------------

@pytest.mark.parametrize(("deadline_on", "warned_on"), [
    ("2026-12-16", "2026-12-16"),  # an ordinary Wednesday: that day
    ("2026-12-19", "2026-12-18"),  # a Saturday: Friday
    ("2027-05-17", "2027-05-14"),  # Monday 17 May (Constitution Day and Whit Monday): Friday 14 May
    ("2027-03-26", "2027-03-24"),  # Good Friday: Wednesday (Maundy Thursday is a holiday too)
    ("2027-03-29", "2027-03-24"),  # Easter Monday: back across the whole Easter weekend
    ("2027-01-01", "2026-12-31"),  # New Year's Day: New Year's Eve is a working day in Norway
])
def test_a_deadline_on_a_day_off_is_warned_about_on_the_working_day_before(deadline_on: str, warned_on: str) -> None:
    assert fu.warn_day(d(deadline_on)) == d(warned_on)


def test_deadline_reminders_five_and_one_working_day_ahead_and_on_the_day() -> None:
    planned = by_rule(fu.plan_deadline(deadline("2027-05-17"), None, RULES, TZ))
    assert planned == {
        ("ahead", "5:2027-05-17"): utc("2027-05-07T07:00"),  # 6 May is Ascension Day: one more day back
        ("ahead", "1:2027-05-17"): utc("2027-05-13T07:00"),
        ("today", "2027-05-17"): utc("2027-05-14T07:00"),  # "deadline today" on the warning day, Friday
        ("overdue", "2027-05-17:1"): utc("2027-05-18T07:00"),  # the first nag: the working day after the deadline
    }


def test_easter_week_deadline() -> None:
    planned = by_rule(fu.plan_deadline(deadline("2027-03-26"), None, RULES, TZ))
    assert planned == {
        ("ahead", "5:2027-03-26"): utc("2027-03-17T08:00"),
        ("ahead", "1:2027-03-26"): utc("2027-03-23T08:00"),
        ("today", "2027-03-26"): utc("2027-03-24T08:00"),
        ("overdue", "2027-03-26:1"): utc("2027-03-30T07:00"),  # after Easter Monday, and after the DST change
    }


def test_no_reminder_is_planned_before_the_item_existed() -> None:
    """A task created two working days before its deadline gets no "5 days left", but "1 day" and "today"."""
    planned = by_rule(fu.plan_deadline(deadline("2026-12-18", created="2026-12-16"), None, RULES, TZ))
    assert set(planned) == {("ahead", "1:2026-12-18"), ("today", "2026-12-18"), ("overdue", "2026-12-18:1")}
    created_on_the_day = by_rule(fu.plan_deadline(deadline("2026-12-18", created="2026-12-18"), None, RULES, TZ))
    assert set(created_on_the_day) == {("today", "2026-12-18"), ("overdue", "2026-12-18:1")}


def test_rules_switched_off_plan_nothing_for_them() -> None:
    rules = FollowupRules(deadline_ahead=False, overdue=False)
    assert set(by_rule(fu.plan_deadline(deadline("2026-12-18"), None, rules, TZ))) == {("today", "2026-12-18")}
    custom = FollowupRules(ahead_days=(3,), send_hour=8, deadline_today=False, overdue=False)
    assert by_rule(fu.plan_deadline(deadline("2026-12-18"), None, custom, TZ)) == {
        ("ahead", "3:2026-12-18"): utc("2026-12-15T07:00")}  # 08:00 local in winter


def test_planning_the_same_state_twice_gives_the_same_keys_and_times() -> None:
    item, nags = deadline("2026-12-18"), fu.NagState(sent=2, last_sent_on=d("2026-12-23"), hold_until=None,
                                                     closed=False)
    assert fu.plan_deadline(item, nags, RULES, TZ) == fu.plan_deadline(item, nags, RULES, TZ)


# --- overdue nags ---------------------------------------------------------------------------------------------

def nag_sequence(deadline_on: str, rules: FollowupRules = RULES) -> list[tuple[str, str, dt.date]]:
    """Send every nag the planner plans, on the day it is due, until it plans no more (or plans the same)."""
    item, state = deadline(deadline_on), None
    seen: list[tuple[str, str, dt.date]] = []
    for _ in range(20):
        (nag,) = [p for p in fu.plan_deadline(item, state, rules, TZ) if p.rule in (Rule.OVERDUE, Rule.PL_DM)]
        day = nag.due_at.astimezone(fu.ZoneInfo(TZ)).date()
        if seen and seen[-1][:2] == (nag.rule, nag.occasion):
            break
        seen.append((nag.rule, nag.occasion, day))
        if nag.rule == Rule.PL_DM:
            break
        state = fu.NagState(sent=len(seen), last_sent_on=day, hold_until=None, closed=False)
    return seen


def test_overdue_nags_every_second_working_day_then_the_pl_gets_a_dm() -> None:
    """Deadline Good Friday 2027: nags skip Easter Monday and weekends; five nags, then one DM to the PL."""
    assert nag_sequence("2027-03-26") == [
        ("overdue", "2027-03-26:1", d("2027-03-30")),
        ("overdue", "2027-03-26:2", d("2027-04-01")),
        ("overdue", "2027-03-26:3", d("2027-04-05")),
        ("overdue", "2027-03-26:4", d("2027-04-07")),
        ("overdue", "2027-03-26:5", d("2027-04-09")),
        ("pl_dm", "2027-03-26", d("2027-04-13")),
    ]


def test_nags_around_christmas_and_new_year_skip_the_holidays() -> None:
    days = [day for _, _, day in nag_sequence("2026-12-23")]
    # 25, 26 Dec and 1 Jan are holidays; 24 and 31 Dec are working days
    assert days == [d("2026-12-24"), d("2026-12-29"), d("2026-12-31"), d("2027-01-05"), d("2027-01-07"),
                    d("2027-01-11")]
    assert all(fu.is_working_day(day) for day in days)


def test_nag_rules_tunable() -> None:
    seq = nag_sequence("2026-12-16", FollowupRules(nag_every=1, max_nags=2))
    assert seq == [("overdue", "2026-12-16:1", d("2026-12-17")), ("overdue", "2026-12-16:2", d("2026-12-18")),
                   ("pl_dm", "2026-12-16", d("2026-12-21"))]


def test_a_closed_series_plans_no_more_nags_and_a_hold_delays_the_next() -> None:
    item = deadline("2026-12-16")
    closed = fu.NagState(sent=1, last_sent_on=d("2026-12-17"), hold_until=None, closed=True)
    assert [p for p in fu.plan_deadline(item, closed, RULES, TZ) if p.rule in (Rule.OVERDUE, Rule.PL_DM)] == []
    hold = utc("2026-12-22T08:00")
    held = fu.NagState(sent=1, last_sent_on=d("2026-12-17"), hold_until=hold, closed=False)
    (nag,) = [p for p in fu.plan_deadline(item, held, RULES, TZ) if p.rule == Rule.OVERDUE]
    assert (nag.occasion, nag.due_at) == ("2026-12-16:2", hold)
    early_hold = fu.NagState(sent=1, last_sent_on=d("2026-12-17"), hold_until=utc("2026-12-18T08:00"), closed=False)
    (nag,) = [p for p in fu.plan_deadline(item, early_hold, RULES, TZ) if p.rule == Rule.OVERDUE]
    assert nag.due_at == utc("2026-12-21T08:00")  # a hold that ends before the next nag changes nothing


# --- snooze (⏰) and the next slot --------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "days", "expected"), [
    ("2026-12-18T14:00", 1, "2026-12-21T08:00"),  # Friday afternoon: Monday 09:00
    ("2026-12-19T10:00", 1, "2026-12-21T08:00"),  # Saturday: Monday 09:00
    ("2026-12-23T10:00", 1, "2026-12-24T08:00"),  # Christmas Eve is a working day
    ("2026-12-24T10:00", 1, "2026-12-28T08:00"),  # then the 25th and 26th are not
    ("2027-03-24T10:00", 1, "2027-03-30T07:00"),  # before Easter: Tuesday after it, in summer time
    ("2027-03-24T10:00", 3, "2027-04-01T07:00"),
    ("2026-10-23T10:00", 1, "2026-10-26T08:00"),  # across the autumn change: still 09:00 local
])
def test_snooze_until_the_next_working_day_at_nine(now: str, days: int, expected: str) -> None:
    local = dt.datetime.fromisoformat(now).replace(tzinfo=fu.ZoneInfo(TZ))
    assert fu.snooze_until(local, RULES, TZ, days) == utc(expected)


def test_next_slot_is_today_at_nine_on_a_working_day_else_the_next_working_day() -> None:
    local = fu.ZoneInfo(TZ)
    assert fu.next_slot(dt.datetime(2026, 12, 16, 14, tzinfo=local), RULES, TZ) == utc("2026-12-16T08:00")
    assert fu.next_slot(dt.datetime(2026, 12, 19, 14, tzinfo=local), RULES, TZ) == utc("2026-12-21T08:00")
    assert fu.next_slot(dt.datetime(2027, 5, 17, 8, tzinfo=local), RULES, TZ) == utc("2027-05-18T07:00")


# --- frame alerts: hours thresholds, behind schedule, quiet (at most weekly) ------------------------------------

def frame_plan(*, today: str, logged_h: float = 0, frame_h: int | None = 40, kind: str = "avgrenset",
               progress: int | None = None, last_activity: str | None = None, start: str = "2026-11-02",
               deadline_on: str | None = "2026-12-18", last_sent: dict[str, dt.datetime] | None = None,
               now: dt.datetime | None = None) -> dict[str, str]:
    inputs = FrameInputs(
        today=d(today), kind=kind, state="active", start=d(start),  # type: ignore[arg-type]
        deadline=d(deadline_on) if deadline_on else None, frame_minutes=frame_h * 60 if frame_h else None,
        logged_minutes=int(logged_h * 60), reported_progress=progress, tasks_total=0, tasks_done=0,
        last_activity=d(last_activity or today))
    now = now or dt.datetime.combine(d(today), dt.time(10), tzinfo=fu.ZoneInfo(TZ))
    planned = fu.plan_frame(1, inputs, frame_figures(inputs), inputs.frame_minutes, now, RULES, TZ, last_sent)
    assert {p.due_at for p in planned} <= {fu.next_slot(now, RULES, TZ)}
    return {p.rule: p.occasion for p in planned}


def test_hours_frame_alert_names_the_highest_threshold_crossed_and_the_frame() -> None:
    assert frame_plan(today="2026-11-04", logged_h=31) == {}
    assert frame_plan(today="2026-11-04", logged_h=32) == {"hours": "80:2400"}
    assert frame_plan(today="2026-11-04", logged_h=45) == {"hours": "100:2400"}
    assert frame_plan(today="2026-11-04", logged_h=45, frame_h=None) == {}
    # løpende: this month's frame, so the same threshold is a new occasion next month
    assert frame_plan(today="2026-11-04", logged_h=9, frame_h=10, kind="lopende", deadline_on=None) == {
        "hours": "80:600:2026-11"}
    assert frame_plan(today="2026-12-04", logged_h=9, frame_h=10, kind="lopende", deadline_on=None) == {
        "hours": "80:600:2026-12"}


def test_behind_schedule_only_past_half_time_and_twenty_points_behind() -> None:
    assert "behind" not in frame_plan(today="2026-11-20", progress=0)  # < 50 % of the time used
    assert frame_plan(today="2026-12-04", progress=40)["behind"] == "first"  # ~75 % of time, 40 % done
    assert "behind" not in frame_plan(today="2026-12-04", progress=60)


def test_quiet_and_behind_alerts_at_most_weekly() -> None:
    today = "2026-12-04"
    first = frame_plan(today=today, progress=10, last_activity="2026-11-20")
    assert first == {"behind": "first", "quiet": "2026-11-20:first"}
    six_days_ago = dt.datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert frame_plan(today=today, progress=10, last_activity="2026-11-20",
                      last_sent={"behind": six_days_ago, "quiet": six_days_ago}) == {}
    week_ago = dt.datetime(2026, 11, 27, 8, tzinfo=UTC)
    again = frame_plan(today=today, progress=10, last_activity="2026-11-20",
                       last_sent={"behind": week_ago, "quiet": week_ago})
    assert again == {"behind": "after:2026-11-27T08:00", "quiet": "2026-11-20:after:2026-11-27T08:00"}
    assert frame_plan(today=today, last_activity="2026-11-28") == {}  # logged 6 days ago: not quiet


def test_frame_alerts_are_planned_for_active_projects_only() -> None:
    inputs = FrameInputs(today=d("2026-12-04"), kind="avgrenset", state="paused", start=d("2026-11-02"),
                         deadline=d("2026-12-18"), frame_minutes=600, logged_minutes=6000, reported_progress=0,
                         tasks_total=0, tasks_done=0, last_activity=d("2026-11-02"))
    now = dt.datetime(2026, 12, 4, 9, tzinfo=UTC)
    assert fu.plan_frame(1, inputs, frame_figures(inputs), 600, now, RULES, TZ) == []



def test_a_planning_batch_larger_than_postgresqls_bind_limit_is_inserted(sessions) -> None:  # type: ignore[no-untyped-def]
    """Found by the clock benchmark: one INSERT for a batch's follow-ups exceeded PostgreSQL's 65,535 parameters
    (and planning failing stopped delivery). 7,000 rows x 13 columns = 91,000 parameters."""
    import uuid as _uuid

    from storage import outbox
    from storage import workspaces as workspace_db
    from storage.db import unit_of_work
    from storage.models import Project

    team = f"T{_uuid.uuid4().hex[:10].upper()}"
    now = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    with unit_of_work(sessions, write=True) as session:
        workspace_db.ensure_workspace(session, team, language="nb", timezone="Europe/Oslo")
        project = Project(team_id=team, number=1, name="Stor", name_key="stor", customer="K", kind="avgrenset",
                          channel_id="C1", pm_user_id="U1", start=dt.date(2026, 11, 1),
                          deadline=dt.date(2027, 6, 1), created_by="U1", created_at=now)
        session.add(project)
        session.flush()
        rows = [{"rule": "ahead", "subject": f"task:{i}", "occasion": "5:2027-06-01", "due_at": now,
                 "project_id": project.id, "task_id": i} for i in range(7000)]
        assert outbox.insert_planned(session, team, rows) == 7000
        assert outbox.insert_planned(session, team, rows) == 0  # planned once
