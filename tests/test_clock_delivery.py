"""The clock's delivery guarantees (docs/product.md §4), each as a story through the real code: projects made with
`/prosjekt` over HTTP, the real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), clocks built as the
`clock` process builds them, and the fake Slack Web API over HTTP.

Every test here runs on a database of its own (conftest's `bot` in a module marked `own_database`), because a
clock serves every workspace in its database: sharing one would have it deliver other tests' follow-ups too.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.clock.passes import Clock
from bot.slack.client import make_client
from fakeslack import FakeSlack, slack_id
from storage import claims, outbox
from storage import projects as project_db
from storage.db import unit_of_work
from storage.models import Followup, Project, Task, Workspace
from tests.conftest import MEMBER, OSLO, PM, Bot, Clocks, flat, fresh_database, running_bot
from tests.conftest import Clock as TimeNow

pytestmark = pytest.mark.own_database


# --- small helpers ---------------------------------------------------------------------------------------------

def at(day: str, hour: int = 9, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment in Oslo."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute, second), tzinfo=OSLO)


def new_project(bot: Bot, name: str, deadline: str, *, channel: str | None = None, extra: str = "") -> str:
    """`/prosjekt ny` in `channel`; the project's key."""
    answer = bot.run(f'ny "{name}" kunde:Tine frist:{dt.date.fromisoformat(deadline):%d.%m.%Y} {extra}',
                     channel=channel)
    key = re.search(r"P-\d+", flat(answer.get("text", "")))
    assert key, answer
    bot.settle()
    return key.group(0)


def followup_of(blocks: Any) -> int | None:
    """The follow-up a posted message is (its actions block is `followup:<id>`), or None for other messages."""
    for block in blocks if isinstance(blocks, list) else []:
        match = re.fullmatch(r"followup:(\d+)", str(block.get("block_id", "")))
        if match:
            return int(match.group(1))
    return None


def posts(fake: FakeSlack, channel: str | None = None) -> list[Any]:
    """Follow-up posts Slack accepted (optionally to one channel), in the order Slack got them."""
    return [c for c in fake.calls_to("chat.postMessage") if c.response.get("ok")
            and followup_of(c.args.get("blocks")) is not None
            and (channel is None or c.response.get("channel") == channel)]


def times_posted(fake: FakeSlack) -> Counter[int | None]:
    """How many times each follow-up (by id) was posted."""
    return Counter(followup_of(c.args.get("blocks")) for c in posts(fake))


def rows(bot: Bot, **where: Any) -> list[Followup]:
    with bot.svc.sessions() as session:
        stmt = select(Followup).where(Followup.team_id == bot.team_id).order_by(Followup.due_at, Followup.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(Followup, column) == value)
        return list(session.scalars(stmt))


def workspace(bot: Bot) -> Workspace:
    with bot.svc.sessions() as session:
        ws = session.get(Workspace, bot.team_id)
        assert ws is not None
        return ws


def channels(n: int) -> list[str]:
    return [slack_id("C") for _ in range(n)]


def projects_due_today(bot: Bot, clock: TimeNow, chans: list[str], per_channel: int) -> list[str]:
    """`per_channel` projects in each channel, made at 08:00 on Wednesday 2 December 2026 with that day as their
    deadline: each has exactly one follow-up due at 09:00, "deadline today"."""
    clock.now = at("2026-12-02", 8)
    return [new_project(bot, f"Kampanje {c[-4:]}-{i}", "2026-12-02", channel=c)
            for c in chans for i in range(per_channel)]


NINE = at("2026-12-02", 9, 0, 5)


# --- 1. planned once -------------------------------------------------------------------------------------------

def test_planning_twice_plans_nothing_new_and_sends_nothing_twice(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Julekampanje", "2026-12-28", extra="timer:40")
    bot.run(f'oppgave P-1 "Levere tekster" frist:18.12.2026 ansvarlig:<@{MEMBER}|ola>')
    follow, ws = clocks(), workspace(bot)
    assert follow.plan(ws, at("2026-11-30", 11), everything=True) == 8
    assert {(f.rule, f.subject.split(":")[0], f.occasion) for f in rows(bot)} == {
        ("ahead", "project", "5:2026-12-28"), ("ahead", "project", "1:2026-12-28"), ("today", "project", "2026-12-28"),
        ("overdue", "project", "2026-12-28:1"),
        ("ahead", "task", "5:2026-12-18"), ("ahead", "task", "1:2026-12-18"), ("today", "task", "2026-12-18"),
        ("overdue", "task", "2026-12-18:1"),
    }
    assert follow.plan(ws, at("2026-11-30", 11), everything=True) == 0
    assert follow.plan(ws, at("2026-12-01", 11), everything=True) == 0
    assert clocks(separate=True).plan(ws, at("2026-11-30", 11), everything=True) == 0  # nor does another clock
    # two passes at the same moment (and a third by another clock) send each due follow-up once
    first = follow.run_pass(at("2026-12-11", 9, 1), everything=True)
    assert (first.claimed, first.sent) == (3, 3)  # the task's "5 days" reminder, behind schedule, quiet
    assert follow.run_pass(at("2026-12-11", 9, 1), everything=True).claimed == 0
    assert clocks(separate=True).run_pass(at("2026-12-11", 9, 2), everything=True).claimed == 0
    assert sorted(times_posted(bot.fake).values()) == [1, 1, 1]
    keys = [(f.rule, f.subject, f.occasion) for f in rows(bot)]
    assert len(keys) == len(set(keys)) == 10


def test_the_database_refuses_a_second_row_for_the_same_key(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """The unique key (rule, subject, occasion) holds even for a planner that would insert a row again."""
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Julekampanje", "2026-12-28")
    clocks().plan(workspace(bot), at("2026-11-30", 11), everything=True)
    planned = rows(bot)
    again: list[dict[str, object]] = [
        {"rule": f.rule, "subject": f.subject, "occasion": f.occasion, "due_at": f.due_at + dt.timedelta(days=1),
         "project_id": f.project_id, "task_id": None} for f in planned]
    with unit_of_work(bot.svc.sessions, write=True) as session:
        assert outbox.insert_planned(session, bot.team_id, again) == 0
    assert [(f.id, f.due_at) for f in rows(bot)] == [(f.id, f.due_at) for f in planned]


def test_clocks_planning_at_once_plan_each_follow_up_once(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)
    for n in range(12):
        new_project(bot, f"Kampanje {n}", f"2026-12-{10 + n}", channel=f"CPLAN{n % 3}")
    ws, planners = workspace(bot), [clocks(separate=True) for _ in range(3)]
    start = threading.Barrier(len(planners))

    def plan(follow: Clock) -> int:
        start.wait()
        return sum(follow.plan(ws, at("2026-11-30", 11), everything=True) for _ in range(4))

    with ThreadPoolExecutor(len(planners)) as pool:
        planned = list(pool.map(plan, planners))
    keys = [(f.rule, f.subject, f.occasion) for f in rows(bot)]
    assert sum(planned) == len(keys) == len(set(keys)) == 12 * 4  # each: 5 days, 1 day, today, first nag


# --- 2. several clocks at once -------------------------------------------------------------------------------

def test_several_clocks_at_once_send_each_follow_up_exactly_once(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """Three clocks, each with its own connection pool (as separate processes have), plan and deliver the same
    morning at the same moment, twice over: 20 follow-ups in 5 channels, each posted once."""
    chans = channels(5)
    projects_due_today(bot, clock, chans, 4)
    fleet = [clocks(separate=True) for _ in range(3)]
    start = threading.Barrier(len(fleet))

    def morning(follow: Clock) -> int:
        start.wait()
        return sum(follow.run_pass(NINE + dt.timedelta(seconds=s), everything=True).sent for s in (0, 1))

    with ThreadPoolExecutor(len(fleet)) as pool:
        sent = list(pool.map(morning, fleet))
    counts = times_posted(bot.fake)
    assert sum(sent) == len(counts) == 20
    assert set(counts.values()) == {1}
    assert {f.id for f in rows(bot, state="sent")} == set(counts)
    assert all(len(posts(bot.fake, c)) == 4 for c in chans)


# --- 3. lease takeover -----------------------------------------------------------------------------------------

def test_a_dead_clocks_claims_are_taken_over_when_its_lease_runs_out(bot: Bot, clocks: Clocks,
                                                                     clock: TimeNow) -> None:
    projects_due_today(bot, clock, channels(1), 2)
    dead = clocks(worker="clock-a", lease=dt.timedelta(minutes=2))
    ws = workspace(bot)
    dead.plan(ws, NINE, everything=True)
    with unit_of_work(dead.svc.sessions, write=True) as session:  # what Clock.deliver does first; then it dies
        assert len(claims.claim_due(session, ws.team_id, now=NINE, worker=dead.worker, lease=dead.lease,
                                    limit=5000)) == 2
    other = clocks(worker="clock-b", separate=True)
    assert other.run_pass(NINE + dt.timedelta(minutes=1)).claimed == 0  # still a's
    assert other.run_pass(NINE + dt.timedelta(minutes=2)).claimed == 0  # the lease runs until then, inclusive
    assert posts(bot.fake) == []
    report = other.run_pass(NINE + dt.timedelta(minutes=2, seconds=1))
    assert (report.claimed, report.sent) == (2, 2)
    assert sorted(times_posted(bot.fake).values()) == [1, 1]
    assert {(f.state, f.claimed_by) for f in rows(bot, rule="today")} == {("sent", "clock-b")}


def held(fake: FakeSlack, method: str) -> bool:
    """A call scripted with `delay_next` has reached the fake and is being held (its delay was taken)."""
    return not fake._delays.get(method)  # the fake takes the delay as the request arrives


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_clock_that_outlives_its_lease_sends_nothing_the_new_owner_sent(bot: Bot, clocks: Clocks,
                                                                       clock: TimeNow) -> None:
    """Clock a (lease 30 s) stalls on its first post; clock b takes over after the lease and sends all three.
    When a comes back it checks its claim before each send and stops: only the post a had in flight can be
    doubled (Slack has no idempotency key), never the ones still queued."""
    projects_due_today(bot, clock, channels(1), 3)
    slow = clocks(worker="clock-a", lease=dt.timedelta(seconds=30), per_channel=0.5)
    bot.fake.delay_next("chat.postMessage", 1.5)
    with ThreadPoolExecutor(1) as pool:
        stalled = pool.submit(slow.run_pass, NINE, everything=True)
        wait_until(lambda: held(bot.fake, "chat.postMessage"))
        taken = clocks(worker="clock-b", separate=True).run_pass(NINE + dt.timedelta(seconds=31))
        report = stalled.result(timeout=20)
    assert (taken.claimed, taken.sent) == (3, 3)
    assert report.sent == 1  # the one that was in flight; a's other two saw b's claim and were left alone
    counts = times_posted(bot.fake)
    assert len(counts) == 3 and sorted(counts.values()) == [1, 1, 2]
    assert {f.state for f in rows(bot, rule="today")} == {"sent"}


# --- 4. downtime -----------------------------------------------------------------------------------------------

def posted_now(bot: Bot, before: int) -> list[tuple[str, str]]:
    """(rule, subject title) of the follow-ups posted since the first `before` posts."""
    out = []
    for call in posts(bot.fake)[before:]:
        followup = next(f for f in rows(bot) if f.id == followup_of(call.args["blocks"]))
        title = re.search(r"«([^»]+)»", flat(call.args["text"]))
        out.append((followup.rule, title.group(1) if title else "project"))
    return sorted(out)


def test_after_downtime_what_still_applies_is_sent_and_what_no_longer_applies_is_not(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2026-11-30", 10)  # Monday
    new_project(bot, "Nettside", "2026-12-04", extra="timer:100")  # due Friday
    bot.run(f'oppgave P-1 "Bannere" frist:01.12.2026 ansvarlig:<@{MEMBER}|ola>')
    bot.run(f'oppgave P-1 "Tekster" frist:01.12.2026 ansvarlig:<@{MEMBER}|ola>')
    bot.run(f'oppgave P-1 "Annonser" frist:02.12.2026 ansvarlig:<@{MEMBER}|ola>')
    follow = clocks()
    follow.run_pass(at("2026-11-30", 10, 5), everything=True)
    assert posted_now(bot, 0) == [("ahead", "Bannere"), ("ahead", "Tekster")]  # "1 working day left"
    # the clock is down from Monday 10:05 until Thursday 10:00; meanwhile "Tekster" is done on Wednesday
    clock.now = at("2026-12-02", 14)
    bot.run('logg P-1 3t Skrev tekstene ferdig:Tekster', user=MEMBER)
    with bot.svc.sessions() as session:
        done = session.scalars(select(Task.title).where(Task.team_id == bot.team_id, Task.done_at.is_not(None)))
        assert list(done) == ["Tekster"]
    report = clocks(separate=True).run_pass(at("2026-12-03", 10), everything=True)
    assert posted_now(bot, 2) == [
        ("ahead", "project"),  # the project is due tomorrow: still applies
        ("behind", "project"),  # 80 % of the time used, a third done: as of now
        ("overdue", "Annonser"),  # due Wednesday: today's nag
        ("overdue", "Bannere"),  # Wednesday's nag: still late, so sent now
    ]
    gone = {(f.rule, f.subject, f.error) for f in rows(bot, state="cancelled")}
    assert gone == {("today", "task:1", "too_late"), ("today", "task:3", "too_late"),  # a day late or more: not sent
                    ("ahead", "task:3", "too_late"),  # "1 working day left" for Wednesday, on Thursday
                    ("today", "task:2", "done"), ("overdue", "task:2", "done")}  # met meanwhile: no nag
    assert (report.sent, report.cancelled) == (4, 5)


def test_after_a_long_downtime_only_the_latest_deadline_reminder_is_sent(bot: Bot, clocks: Clocks,
                                                                         clock: TimeNow) -> None:
    """Down from Monday 30 November to Tuesday 8 December: both "5 working days left" (due 2 December) and "1
    working day left" (due 8 December) came due meanwhile. Only the one that is true now is sent."""
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Nettside", "2026-12-09")
    clocks().run_pass(at("2026-11-30", 10, 5), everything=True)
    assert posts(bot.fake) == []
    clocks().run_pass(at("2026-12-08", 10), everything=True)
    assert [flat(c.args["text"]).split("*")[1] for c in posts(bot.fake) if "Frist" in c.args["text"]] == [
        "Frist om 1 arbeidsdag(er)"]
    assert {(f.occasion, f.state, f.error) for f in rows(bot, rule="ahead")} == {
        ("5:2026-12-09", "cancelled", "too_late"), ("1:2026-12-09", "sent", None)}


# --- 6. Slack trouble ------------------------------------------------------------------------------------------

def attempts(fake: FakeSlack, channel: str | None = None) -> list[Any]:
    """Every chat.postMessage of a follow-up Slack received (accepted or not), in order."""
    return [c for c in fake.calls_to("chat.postMessage") if followup_of(c.args.get("blocks")) is not None
            and (channel is None or c.args.get("channel") == channel)]


def gaps(calls: list[Any]) -> list[float]:
    return [b.at - a.at for a, b in zip(calls, calls[1:], strict=False)]


def test_about_one_message_per_second_per_channel_with_channels_in_parallel(bot: Bot, clocks: Clocks,
                                                                           clock: TimeNow) -> None:
    chans = channels(2)
    projects_due_today(bot, clock, chans, 3)
    report = clocks(per_channel=1.0).run_pass(NINE, everything=True)
    assert report.sent == 6 and set(times_posted(bot.fake).values()) == {1}
    for channel in chans:
        assert min(gaps(posts(bot.fake, channel))) >= 0.9  # Slack's "about one message per second" per channel
    order = [c.args["channel"] for c in posts(bot.fake)]
    assert order[:2] != [order[0]] * 2 and order[-2:] != [order[-1]] * 2  # the channels take turns, not queue


def test_a_rate_limited_channel_waits_for_retry_after_while_the_others_go_on(bot: Bot, clocks: Clocks,
                                                                            clock: TimeNow) -> None:
    chans = channels(3)
    projects_due_today(bot, clock, chans, 2)
    bot.fake.rate_limit_next("chat.postMessage", retry_after=2)  # whichever channel asks first gets a 429
    report = clocks(per_channel=1.0).run_pass(NINE, everything=True)
    (limited,) = [c for c in attempts(bot.fake) if c.status == 429]
    channel = limited.args["channel"]
    retry = next(c for c in attempts(bot.fake, channel) if c.at > limited.at)
    assert retry.at - limited.at >= 1.9  # Retry-After: 2 honoured for that channel
    meanwhile = {c.args["channel"] for c in posts(bot.fake) if limited.at < c.at < retry.at}
    assert meanwhile == set(chans) - {channel}  # the other channels went on meanwhile
    assert report.sent == 6 and set(times_posted(bot.fake).values()) == {1}  # delayed, nothing lost or doubled
    for each in chans:
        assert min(gaps(attempts(bot.fake, each))) >= 0.9


def test_server_errors_are_retried_with_backoff_and_an_outage_delays_but_loses_nothing(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    projects_due_today(bot, clock, channels(1), 1)
    follow = clocks()
    bot.fake.http_error_next("chat.postMessage", 502, times=4)  # the load balancer: longer than the retries
    report = follow.run_pass(NINE, everything=True)
    tried = attempts(bot.fake)
    assert len(tried) == 4 and report.sent == 0
    first, second, third = gaps(tried)
    assert 0.4 <= first < second < third  # backing off
    (row,) = rows(bot, rule="today")
    assert (row.state, row.attempts, row.error) == ("planned", 1, "http_502")  # given back, to try again later
    assert follow.run_pass(NINE + dt.timedelta(minutes=1)).claimed == 0  # not before its new due time
    assert follow.run_pass(NINE + dt.timedelta(minutes=3)).sent == 1
    assert list(times_posted(bot.fake).values()) == [1] and rows(bot, rule="today")[0].state == "sent"


def test_a_timeout_is_retried(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """A timed-out post may still have reached Slack (it did here: the fake answers late but posts it), so a
    retried timeout can double that one message; the follow-up itself is recorded once."""
    projects_due_today(bot, clock, channels(1), 1)
    client = make_client(bot.svc.settings, rate_limit_retries=False)
    client.timeout = 0.5  # type: ignore[assignment]  # slack_sdk declares int, urllib takes seconds as float
    bot.fake.delay_next("chat.postMessage", 1.5)
    report = clocks(client=client).run_pass(NINE, everything=True)
    assert report.sent == 1 and report.errors == {"TimeoutError": 1}
    (row,) = rows(bot, rule="today")
    assert row.state == "sent" and row.message_ts
    bot.fake.wait_for("chat.postMessage", count=2)  # the slow one arrives too
    assert sum(times_posted(bot.fake).values()) <= 2


def dms(bot: Bot) -> list[str]:
    return [flat(m["text"]) for m in bot.fake.messages(PM)]


@pytest.mark.parametrize("trouble", ["is_archived", "not_in_channel"])
def test_a_channel_the_bot_cannot_post_to_gets_the_pl_one_dm_and_blocks_no_other(
        bot: Bot, clocks: Clocks, clock: TimeNow, trouble: str) -> None:
    broken, good = channels(2)
    projects_due_today(bot, clock, [broken], 3)  # projects 1-3
    projects_due_today(bot, clock, [good], 1)
    if trouble == "is_archived":
        bot.fake.add_channel(broken, is_archived=True)
    else:
        bot.fake.add_channel(broken, is_member=False)  # someone removed the bot
    follow = clocks(per_channel=1.0)
    report = follow.run_pass(NINE, everything=True)
    assert len(attempts(bot.fake, broken)) == 1  # the first answer stands for the rest of the channel's queue
    assert len(posts(bot.fake, good)) == 1 and report.sent == 1
    assert {(f.state, f.error) for f in rows(bot, rule="today") if f.project_id <= 3} == {("failed", trouble)}
    assert report.failed == 3
    (dm,) = dms(bot)
    assert f"<#{broken}>" in dm and trouble in dm
    # Thursday: the overdue nags come due; the channel is still broken; the PL is not told again
    report = follow.run_pass(at("2026-12-03", 9, 0, 5), everything=True)
    assert report.failed == 3 and len(posts(bot.fake, good)) == 2
    assert len(dms(bot)) == 1
    assert {(f.state, f.error) for f in rows(bot, rule="overdue") if f.project_id <= 3} == {("failed", trouble)}


def test_channel_not_found_is_told_the_pl_once_too(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    (gone,) = channels(1)
    projects_due_today(bot, clock, [gone], 2)
    follow = clocks()
    bot.fake.fail_next("chat.postMessage", "channel_not_found")  # Slack no longer knows the channel
    follow.run_pass(NINE, everything=True)
    bot.fake.fail_next("chat.postMessage", "channel_not_found")
    follow.run_pass(at("2026-12-03", 9, 0, 5), everything=True)
    assert len(attempts(bot.fake, gone)) == 2  # one per pass
    assert {(f.state, f.error) for f in rows(bot)} - {("planned", None)} == {("failed", "channel_not_found")}
    (dm,) = dms(bot)
    assert "channel_not_found" in dm


def test_recording_a_sent_follow_up_does_not_deadlock_with_a_clock_planning_meanwhile(
        fake: FakeSlack, clock: TimeNow) -> None:
    """PostgreSQL (always: its own database on the test server). A planner locks its projects, then inserts
    their follow-ups; an insert that meets a row another transaction is updating waits for it. If recording a
    sent follow-up updated that row and then waited for its project, the two would deadlock and the loser's
    post would stay unrecorded, to be sent again after the lease. Here a planner holds the project while a
    clock posts and records; both must go through."""
    with fresh_database("postgresql") as url, running_bot(fake, url, clock, weekly=False) as bot:
        projects_due_today(bot, clock, channels(1), 1)
        Clocks(bot)().plan(workspace(bot), NINE, everything=True)
        (due,) = rows(bot, rule="today")
        again: dict[str, object] = {"rule": due.rule, "subject": due.subject, "occasion": due.occasion,
                                    "due_at": due.due_at, "project_id": due.project_id, "task_id": None}
        with unit_of_work(bot.svc.sessions, write=True) as session:  # a change marks it: the planner takes it
            project_db.request_replan(session, bot.team_id, [due.project_id])
        locked, planner_done = threading.Event(), threading.Event()

        def planner() -> None:
            with unit_of_work(bot.svc.sessions, write=True) as session:
                assert outbox.projects_to_plan(session, bot.team_id)  # locks the project
                locked.set()
                wait_until(lambda: len(posts(fake)) == 1)  # the other clock has posted and is recording it
                time.sleep(0.3)
                assert outbox.insert_planned(session, bot.team_id, [again]) == 0
            planner_done.set()

        other = Clocks(bot)
        with ThreadPoolExecutor(1) as pool:
            planning = pool.submit(planner)
            locked.wait(5)
            report = other(separate=True).run_pass(NINE)  # a clock of its own: posts, then records the post
            planning.result(timeout=10)
        other.close()
        assert planner_done.is_set() and report.sent == 1
        assert [(f.state, f.message_ts is not None) for f in rows(bot, rule="today")] == [("sent", True)]


# --- 7. what a long or broken pass must not lose ---------------------------------------------------------------

def test_a_long_pass_renews_its_leases_so_no_other_clock_takes_over(bot: Bot, clocks: Clocks,
                                                                    clock: TimeNow) -> None:
    """Clock a (lease 3 s) needs about 4 s for the five follow-ups of one channel. It renews its leases as it goes,
    so clock b, running after a's first lease ran out, finds nothing to take over; without the renewals b would
    send the ones a had not reached yet."""
    (channel,) = channels(1)
    projects_due_today(bot, clock, [channel], 5)
    slow = clocks(worker="clock-a", lease=dt.timedelta(seconds=3), per_channel=1.0)
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        running = pool.submit(slow.run_pass, NINE, everything=True)
        wait_until(lambda: time.monotonic() - started >= 2.5, timeout=30)
        # b's clock reads a second past a's: a's own lease would have run out at NINE + 3 s
        taken = clocks(worker="clock-b", separate=True).run_pass(
            NINE + dt.timedelta(seconds=time.monotonic() - started + 1))
        report = running.result(timeout=60)
    assert taken.claimed == 0
    in_channel = Counter(followup_of(c.args["blocks"]) for c in posts(bot.fake, channel))
    assert report.sent == 5 and sorted(in_channel.values()) == [1] * 5
    assert {(f.state, f.claimed_by) for f in rows(bot) if f.state != "planned"} == {("sent", "clock-a")}


def test_after_the_channel_is_fixed_the_nags_go_on(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """A follow-up the bot could not post stays failed (it was about that day, and the PL was told), but counts
    as given: the next nag comes two working days after the failed one, and goes out once the bot is back in
    the channel. (Before, the failed first nag was planned again under its own key, so the series stopped.)"""
    (broken,) = channels(1)
    projects_due_today(bot, clock, [broken], 1)  # due Wednesday 2 December
    bot.fake.add_channel(broken, is_member=False)
    follow = clocks()
    follow.run_pass(NINE, everything=True)
    follow.run_pass(at("2026-12-03", 9, 0, 5), everything=True)  # the first nag: fails too
    assert {(f.rule, f.occasion, f.state) for f in rows(bot, rule="overdue")} == {
        ("overdue", "2026-12-02:1", "failed")}
    bot.fake.add_channel(broken, is_member=True)  # someone invited the bot back
    follow.run_pass(at("2026-12-04", 9, 0, 5), everything=True)
    assert posts(bot.fake, broken) == []
    report = follow.run_pass(at("2026-12-07", 9, 0, 5), everything=True)
    assert report.sent == 1 and "Forsinket" in flat(posts(bot.fake, broken)[0].args["text"])
    assert [(f.occasion, f.state) for f in rows(bot, rule="overdue")] == [
        ("2026-12-02:1", "failed"), ("2026-12-02:2", "sent")]
    assert len(dms(bot)) == 1  # told once


def test_a_deadline_moved_closer_gets_no_stale_count(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """On Monday 7 December the PL moves the deadline from 31 December to Wednesday 9 December. The "5 working
    days left" reminder for the new date was due last week: sent now it would say 5 days when 2 are left, so it
    is not; "1 working day left" comes on Tuesday."""
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Nettside", "2026-12-31")
    follow = clocks()
    follow.run_pass(at("2026-11-30", 10, 5), everything=True)
    clock.now = at("2026-12-07", 8)
    bot.run("ramme P-1 frist:09.12.2026")
    follow.run_pass(at("2026-12-07", 9, 0, 5), everything=True)
    follow.run_pass(at("2026-12-08", 9, 0, 5), everything=True)
    assert [flat(c.args["text"]).split("*")[1] for c in posts(bot.fake, bot.slack.channel_id)
            if "Frist" in c.args["text"]] == ["Frist om 1 arbeidsdag(er)"]
    assert {(f.occasion, f.state, f.error) for f in rows(bot, rule="ahead") if "2026-12-09" in f.occasion} == {
        ("5:2026-12-09", "cancelled", "too_late"), ("1:2026-12-09", "sent", None)}


def test_changed_rules_plan_every_project_again_and_drop_what_they_no_longer_ask(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """Deadline reminders are planned when a project changes, not every day, so a change of the workspace's
    rules must plan every project again: here "3 working days" instead of 5 and 1."""
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Nettside", "2026-12-18")
    follow = clocks()
    follow.run_pass(at("2026-11-30", 10, 5), everything=True)
    assert {f.occasion for f in rows(bot, rule="ahead")} == {"5:2026-12-18", "1:2026-12-18"}
    with bot.svc.sessions.begin() as session:
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id)
                        .values(rules='{"ahead_days": [3]}'))
    follow.run_pass(at("2026-11-30", 10, 10))
    assert {f.occasion for f in rows(bot, rule="ahead")} == {"5:2026-12-18", "1:2026-12-18", "3:2026-12-18"}
    follow.run_pass(at("2026-12-11", 9, 0, 5))  # the day "5 working days left" was planned for
    follow.run_pass(at("2026-12-15", 9, 0, 5))
    assert [flat(c.args["text"]).split("*")[1] for c in posts(bot.fake, bot.slack.channel_id)
            if "Frist" in c.args["text"]] == ["Frist om 3 arbeidsdag(er)"]
    assert [(f.occasion, f.state, f.error) for f in rows(bot, rule="ahead")] == [
        ("5:2026-12-18", "cancelled", "switched_off"), ("3:2026-12-18", "sent", None),
        ("1:2026-12-18", "planned", None)]


def test_a_channel_post_without_a_project_neither_breaks_planning_nor_delivery(
        bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """Weekly posts share the outbox (project_id NULL) with the follow-ups: one that no longer applies (here the
    workspace has its weekly summary switched off) is cancelled with why; the follow-ups go out as before."""
    chans = channels(1)
    projects_due_today(bot, clock, chans, 1)
    with unit_of_work(bot.svc.sessions, write=True) as session:
        session.add(Followup(team_id=bot.team_id, project_id=None, rule="summary", subject=f"channel:{chans[0]}",
                             occasion="2026-W49", due_at=NINE - dt.timedelta(hours=1), state="planned", attempts=0,
                             channel_id=chans[0]))
    report = clocks().run_pass(NINE, everything=True)
    assert report.sent == 1 and len(posts(bot.fake, chans[0])) == 1
    assert [(f.rule, f.state, (f.error or "").split(":")[0]) for f in rows(bot, project_id=None)] == [
        ("summary", "cancelled", "off")]


def test_planning_gives_way_to_delivery_after_its_budget(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """A change of the rules marks every project for planning, which takes minutes for 100,000 of them. A pass
    spends at most `plan_budget` seconds on marked projects, then delivers what is due; later passes go on."""
    (channel,) = channels(1)
    projects_due_today(bot, clock, [channel], 2)
    clocks().plan(workspace(bot), at("2026-12-02", 8, 30), everything=True)
    with bot.svc.sessions.begin() as session:
        session.execute(update(Workspace).where(Workspace.team_id == bot.team_id).values(rules='{"quiet_days": 8}'))
    hasty = clocks()
    hasty.plan_budget = 0.0
    report = hasty.run_pass(NINE)
    assert (report.planned, report.sent) == (0, 2) and len(posts(bot.fake, channel)) == 2

    def marked() -> int:
        with bot.svc.sessions() as session:
            return len(session.scalars(select(Project.id).where(Project.team_id == bot.team_id, Project.replan))
                       .all())

    assert marked() == 2  # left for the next pass
    clocks().run_pass(NINE + dt.timedelta(minutes=1))
    assert marked() == 0


def test_the_pre_added_reactions_go_from_their_own_queue_and_wait_out_a_429(bot: Bot, clocks: Clocks,
                                                                            clock: TimeNow) -> None:
    """reactions.add has a rate limit of its own (about 50 a minute): the pass does not wait for the reactions,
    and a 429 holds them back for its Retry-After, then they are all added."""
    (channel,) = channels(1)
    projects_due_today(bot, clock, [channel], 1)
    bot.fake.rate_limit_next("reactions.add", retry_after=1)
    follow = clocks()
    assert follow.run_pass(NINE, everything=True).sent == 1
    assert follow.follow_on.drain(timeout=10)
    (post,) = posts(bot.fake, channel)
    tries = [c for c in bot.fake.calls_to("reactions.add") if c.args.get("timestamp") == post.response["ts"]]
    assert [c.status for c in tries].count(429) == 1
    assert sorted(c.args["name"] for c in tries if c.response.get("ok")) == [
        "alarm_clock", "eyes", "white_check_mark"]
    limited = next(c for c in tries if c.status == 429)
    (again,) = [c for c in tries if c.response.get("ok") and c.args["name"] == limited.args["name"]]
    assert again.at - limited.at >= 0.9  # Retry-After: 1 honoured (a call already on its way may land sooner)


def test_the_daily_pass_plans_what_planning_every_project_would(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """The daily pass plans only the projects a change marked, and of the others only those that time alone may
    have given an alert (found in SQL). Two weeks on, planning every project again at the same moment must find
    nothing the daily pass left out."""
    clock.now = at("2026-11-30", 10)
    new_project(bot, "Stille", "2027-01-29", extra="timer:100")  # nobody logs: quiet
    new_project(bot, "Bak", "2026-12-18", extra="timer:40")  # 5 % done: behind schedule
    bot.run("logg P-2 2t Startet 5%", user=MEMBER)
    new_project(bot, "Løpende", "2027-06-30", extra="timer:10 type:løpende")
    bot.run("logg P-3 9t Innhold", user=MEMBER)  # 90 % of this month's frame
    new_project(bot, "Aktiv", "2027-01-15", extra="timer:50")
    bot.run(f'oppgave P-4 "Tekster" frist:11.12.2026 ansvarlig:<@{MEMBER}|ola>')
    follow = clocks()
    follow.run_pass(at("2026-11-30", 10, 5), everything=True)
    clock.now = at("2026-12-11", 15)
    bot.run("logg P-4 3t Tekster 40%", user=MEMBER)  # Aktiv is not quiet
    ws = workspace(bot)
    daily = follow.plan(ws, at("2026-12-14", 8, 55), everything=True)
    assert daily > 0 and {"quiet", "behind"} <= {f.rule for f in rows(bot) if f.due_at >= at("2026-12-14", 9)}
    with unit_of_work(bot.svc.sessions, write=True) as session:  # every project marked, as a change would
        project_db.request_replan(session, bot.team_id, list(session.scalars(
            select(Project.id).where(Project.team_id == bot.team_id))))
    assert follow.plan(ws, at("2026-12-14", 8, 55), everything=False) == 0
    assert follow.plan(ws, at("2026-12-14", 8, 56), everything=True) == 0


def test_lookups_by_id_never_return_another_workspaces_rows(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """The clock reads follow-ups, tasks and logs by primary key (SQLite would walk the workspace's whole index
    for `team_id = ? AND id IN (…)`); the workspace is still checked on what is found."""
    (chan,) = channels(1)
    projects_due_today(bot, clock, [chan], 1)
    bot.run("logg 2t Annonser", channel=chan)
    clocks().plan(workspace(bot), NINE, everything=True)
    (due,) = rows(bot, rule="today")
    with bot.svc.sessions() as session:
        assert [f.id for f in outbox.followups_by_ids(session, bot.team_id, [due.id])] == [due.id]
        assert outbox.followups_by_ids(session, "T0SOMEONEELSE", [due.id]) == []
        project = session.get(Project, due.project_id)
        assert project is not None
        mine = outbox.card_data(session, bot.team_id, [project], today=NINE.date())
        assert len(mine[project.id].latest) == 1
        assert outbox.card_data(session, "T0SOMEONEELSE", [project], today=NINE.date())[project.id].latest == []
