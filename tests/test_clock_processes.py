"""The clock as separate processes, as an operator runs it: `prosjektbot clock --once --now …` against a
database of its own and the fake Slack over HTTP. Several at once send nothing twice (on SQLite and on
PostgreSQL: the PostgreSQL case always runs, on a database it creates at 127.0.0.1:5432 unless
TEST_DATABASE_URL names another server); one killed with SIGKILL mid-send loses nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeslack import FakeSlack, Sender
from tests.conftest import SECRET, TOKEN, Bot, Clocks, flat, without_weekly_posts
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import (
    NINE,
    at,
    channels,
    followup_of,
    fresh_database,
    new_project,
    posts,
    projects_due_today,
    rows,
    running_bot,
    times_posted,
    wait_until,
)

CLI = [sys.executable, "-m", "bot.cli", "clock", "--once"]
LEASE = dt.timedelta(minutes=5)  # the clock process's default lease
# A clock renews its leases as it sends, so a dead one's claims are free a lease after its last renewal: within
# the few seconds it lived here, so a lease and this much after the morning.
AFTER_LEASE = LEASE + dt.timedelta(seconds=30)


def clock_env(fake: FakeSlack, url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "PROSJEKT_", "PORT"))}
    return {**keep, "PYTHONPATH": str(Path(__file__).parent.parent), "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url, "DATABASE_URL": url}


def start_clock(fake: FakeSlack, url: str, now: dt.datetime) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, "--now", now.isoformat()], env=clock_env(fake, url), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[str]) -> str:
    """Wait for a clock process; its one line of output."""
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-3000:]
    return out.strip()


def figures(line: str) -> dict[str, int]:
    """"planned 3, due 2, sent 1, …" → {"planned": 3, "due": 2, "sent": 1, …}"""
    return {" ".join(part.split()[:-1]): int(part.split()[-1]) for part in line.split(", ")}


def database_kind() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"


@pytest.fixture
def db_url() -> Iterator[str]:
    with fresh_database(database_kind()) as url:
        yield url


# --- 8. the command ------------------------------------------------------------------------------------------

def test_clock_once_with_now_sends_what_is_due_and_says_what_it_did(fake: FakeSlack, clock: TimeNow,
                                                                    db_url: str) -> None:
    with running_bot(fake, db_url, clock, weekly=False) as bot:
        clock.now = at("2026-12-04", 10)  # Friday
        new_project(bot, "Julebord", "2026-12-07")  # due Monday
        channel = bot.slack.channel_id
    result = subprocess.run([*CLI, "--now", "2026-12-07T09:00:00+01:00"], env=clock_env(fake, db_url), text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # planned: "1 working day left" (Friday 09:00, before the project existed at 10:00: too late now), "deadline
    # today", and the first overdue nag (Tuesday)
    assert result.stdout.strip() == ("planned 3, due 2, sent 1, no longer applied 1, postponed 0, failed 0")
    (posted,) = posts(fake, channel)
    assert "Frist i dag" in flat(posted.args["text"]) and "Julebord" in flat(posted.args["text"])


def test_clock_now_without_an_offset_is_a_clear_one_line_error(fake: FakeSlack, db_url: str) -> None:
    result = subprocess.run([*CLI, "--now", "2026-12-07T09:00:00"], env=clock_env(fake, db_url), text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "--now needs a UTC offset, e.g. 2026-12-07T09:00:00+01:00"
    assert result.stdout == ""


# --- 2. several clock processes on one database ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_clock_processes_at_once_send_each_follow_up_exactly_once(fake: FakeSlack, clock: TimeNow,
                                                                  kind: str) -> None:
    """Two workspaces, three channels each, two projects per channel: 12 "deadline today" follow-ups due
    Wednesday 09:00, and 12 overdue nags Thursday. Each morning two clock processes start at the same moment on
    one database. Each follow-up is posted exactly once, and the processes' own reports add up to the same.
    (Planning while another clock records what it sent is pinned down in test_clock_delivery.)"""
    with fresh_database(kind) as url, running_bot(fake, url, clock, weekly=False) as bot:
        other = Bot(url=bot.url, svc=bot.svc, fake=fake, slack=Sender(
            url=bot.slack.url, secret=SECRET, team_id=f"T{uuid.uuid4().hex[:10].upper()}", fake=fake))
        without_weekly_posts(bot.svc, other.team_id)
        projects_due_today(bot, clock, channels(3), 2)
        projects_due_today(other, clock, channels(3), 2)
        for morning in (NINE, NINE + dt.timedelta(days=1)):
            reports = [figures(finish(p)) for p in [start_clock(fake, url, morning) for _ in range(2)]]
            assert sum(r["sent"] for r in reports) == sum(r["due"] for r in reports) == 12
        counts = times_posted(fake)
        assert len(counts) == 24 and set(counts.values()) == {1}
        assert {f.state for f in rows(bot) + rows(other) if f.rule == "today" or f.occasion.endswith(":1")} == {
            "sent"}


# --- 5. a clock killed mid-send ------------------------------------------------------------------------------------

def held(fake: FakeSlack) -> bool:
    """The post scripted with `delay_next` has reached the fake, which is holding it."""
    return not fake._delays.get("chat.postMessage")  # the fake takes the delay as the request arrives


def test_a_clock_killed_mid_send_loses_nothing_and_doubles_at_most_the_post_in_flight(
        fake: FakeSlack, clock: TimeNow, db_url: str) -> None:
    """Three follow-ups for one channel. The clock posts the first, then is killed (SIGKILL) while Slack holds
    the second. A clock before the lease runs out sends nothing; a new process after it sends the rest.

    Measured worst case: exactly one duplicate, the post that was in flight (Slack accepted it, the killed
    clock never recorded its ts). With one channel nothing more can be in flight."""
    with running_bot(fake, db_url, clock, weekly=False) as bot:
        (channel,) = channels(1)
        projects_due_today(bot, clock, [channel], 3)
        victim = start_clock(fake, db_url, NINE)
        try:
            wait_until(lambda: len(posts(fake, channel)) == 1, timeout=30)
            fake.delay_next("chat.postMessage", 1.5)  # the next post (a second away: one a second per channel)
            wait_until(lambda: held(fake))
            os.kill(victim.pid, signal.SIGKILL)
        finally:
            if victim.poll() is None:
                victim.kill()  # never left running, whatever failed above
            victim.communicate(timeout=10)
        assert victim.returncode == -signal.SIGKILL
        assert sorted(f.state for f in rows(bot, rule="today")) == ["claimed", "claimed", "sent"]
        assert Clocks(bot)().run_pass(NINE + LEASE - dt.timedelta(seconds=30)).claimed == 0  # the lease holds
        late = figures(finish(start_clock(fake, db_url, NINE + AFTER_LEASE)))
        assert (late["due"], late["sent"]) == (2, 2)
        wait_until(lambda: len(posts(fake, channel)) == 4)  # Slack accepted the one in flight all the same
        counts = times_posted(fake)
        assert len(counts) == 3  # nothing lost
        assert sorted(counts.values()) == [1, 1, 2]  # the one in flight, doubled
        assert {f.state for f in rows(bot, rule="today")} == {"sent"}


def test_killed_while_serving_three_channels_doubles_at_most_one_post_per_channel(
        fake: FakeSlack, clock: TimeNow, db_url: str) -> None:
    """Measured worst case: three duplicates, one per channel being served at the kill (each channel had its
    first post in flight)."""
    with running_bot(fake, db_url, clock, weekly=False) as bot:
        chans = channels(3)
        projects_due_today(bot, clock, chans, 2)
        fake.delay_next("chat.postMessage", 1.5, times=3)
        victim = start_clock(fake, db_url, NINE)
        try:
            wait_until(lambda: held(fake), timeout=30)
            os.kill(victim.pid, signal.SIGKILL)
        finally:
            if victim.poll() is None:
                victim.kill()  # never left running, whatever failed above
            victim.communicate(timeout=10)
        late = figures(finish(start_clock(fake, db_url, NINE + AFTER_LEASE)))
        assert late["sent"] == 6
        wait_until(lambda: len(posts(fake)) == 9)  # the three held posts land too
        counts = times_posted(fake)
        assert len(counts) == 6  # nothing lost
        assert sum(counts.values()) - len(counts) <= len(chans)
        for each in chans:  # and at most one in each channel
            in_channel = Counter(followup_of(c.args["blocks"]) for c in posts(fake, each))
            assert sum(in_channel.values()) - len(in_channel) <= 1

