"""Time, through the running clock: follow-ups at 09:00 Oslo time across the DST changes (07:00 UTC in summer,
08:00 UTC in winter), none skipped or doubled; deadlines on holidays warned about on the working day before;
overdue nags on working days only.

The clock is run as its scheduler would wake it, and more: a pass at several full UTC hours every day of
the period, including the night of the change, so a follow-up sent an hour early or late, on a wrong day,
twice or never shows up in the record of which pass sent what.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock.passes import Clock
from tests.conftest import MEMBER, Bot, Clocks
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at, followup_of, new_project, posts, rows

pytestmark = pytest.mark.own_database  # conftest's bot on a database of the test's own; its clocks

UTC = dt.UTC
DEADLINE_RULES = ("ahead", "today", "overdue", "pl_dm")


def run_days(bot: Bot, follow: Clock, first: str, last: str,
             hours: tuple[int, ...] = (0, 1, 5, 6, 7, 8, 9)) -> dict[tuple[str, str, str], list[str]]:
    """A pass at each of `hours` (UTC) on every day from `first` to `last`; for each deadline follow-up posted,
    (rule, subject kind, occasion) → the UTC times of the passes that posted it."""
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    sent: dict[tuple[str, str, str], list[str]] = {}
    while day <= end:
        for hour in hours:
            now = dt.datetime.combine(day, dt.time(hour, 0, 30), tzinfo=UTC)
            before = len(posts(bot.fake))  # in the project channel and in the PL's DMs
            follow.run_pass(now, everything=True)
            new = [followup_of(c.args["blocks"]) for c in posts(bot.fake)[before:]]
            for row in rows(bot):
                if row.id in new and row.rule in DEADLINE_RULES:
                    key = (row.rule, row.subject.split(":")[0], row.occasion)
                    sent.setdefault(key, []).append(f"{now:%Y-%m-%d %H:%M}")
        day += dt.timedelta(days=1)
    return sent


@pytest.mark.parametrize(("created", "deadline", "first", "last", "expected"), [
    pytest.param("2026-10-12", "2026-10-26", "2026-10-19", "2026-10-30", {
        ("ahead", "project", "5:2026-10-26"): ["2026-10-19 07:00"],  # summer time: 09:00 is 07:00 UTC
        ("ahead", "project", "1:2026-10-26"): ["2026-10-23 07:00"],
        # Sunday 25 October: clocks go back
        ("today", "project", "2026-10-26"): ["2026-10-26 08:00"],  # winter time: 09:00 is 08:00 UTC
        ("overdue", "project", "2026-10-26:1"): ["2026-10-27 08:00"],
        ("overdue", "project", "2026-10-26:2"): ["2026-10-29 08:00"],
    }, id="autumn-2026"),
    pytest.param("2027-10-18", "2027-11-01", "2027-10-25", "2027-11-04", {
        ("ahead", "project", "5:2027-11-01"): ["2027-10-25 07:00"],
        ("ahead", "project", "1:2027-11-01"): ["2027-10-29 07:00"],
        # Sunday 31 October: clocks go back
        ("today", "project", "2027-11-01"): ["2027-11-01 08:00"],
        ("overdue", "project", "2027-11-01:1"): ["2027-11-02 08:00"],
        ("overdue", "project", "2027-11-01:2"): ["2027-11-04 08:00"],
    }, id="autumn-2027"),
])
def test_nine_oclock_local_across_the_autumn_change(bot: Bot, clocks: Clocks, clock: TimeNow, created: str,
                                                    deadline: str, first: str, last: str,
                                                    expected: dict[tuple[str, str, str], list[str]]) -> None:
    clock.now = at(created, 10)
    new_project(bot, "Høstkampanje", deadline)
    assert run_days(bot, clocks(), first, last) == expected


def test_easter_2027_and_the_spring_change(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    """A task due Good Friday (26 March) and the project due Easter Monday (29 March): both are warned about
    on Wednesday 24 March, the last working day before Easter; clocks go forward on Easter Sunday; the nags
    skip Easter Monday and the weekends, and after five the PL gets a DM."""
    clock.now = at("2027-03-08", 10)
    new_project(bot, "Påskekampanje", "2027-03-29")
    bot.run(f'oppgave P-1 "Påskeegg" frist:26.03.2027 ansvarlig:<@{MEMBER}|ola>')
    sent = run_days(bot, clocks(), "2027-03-15", "2027-04-14", hours=(0, 1, 6, 7, 8, 9))
    task = {key[0::2]: when for key, when in sent.items() if key[1] == "task"}
    assert task == {
        ("ahead", "5:2027-03-26"): ["2027-03-17 08:00"],
        ("ahead", "1:2027-03-26"): ["2027-03-23 08:00"],
        ("today", "2027-03-26"): ["2027-03-24 08:00"],  # Wednesday: Thursday and Friday are holidays
        ("overdue", "2027-03-26:1"): ["2027-03-30 07:00"],  # Tuesday after Easter Monday, in summer time
        ("overdue", "2027-03-26:2"): ["2027-04-01 07:00"],
        ("overdue", "2027-03-26:3"): ["2027-04-05 07:00"],
        ("overdue", "2027-03-26:4"): ["2027-04-07 07:00"],
        ("overdue", "2027-03-26:5"): ["2027-04-09 07:00"],
        ("pl_dm", "2027-03-26"): ["2027-04-13 07:00"],
    }
    project = {key[0::2]: when for key, when in sent.items() if key[1] == "project"}
    assert project["today", "2027-03-29"] == ["2027-03-24 08:00"]  # Easter Monday: warned the same Wednesday
    assert project["overdue", "2027-03-29:1"] == ["2027-03-30 07:00"]


def test_a_deadline_on_17_may_is_warned_about_on_friday_14_may(bot: Bot, clocks: Clocks, clock: TimeNow) -> None:
    clock.now = at("2027-04-26", 10)
    new_project(bot, "Nasjonaldag", "2027-05-17")
    sent = run_days(bot, clocks(), "2027-05-03", "2027-05-21", hours=(7, 12))
    assert sent == {
        ("ahead", "project", "5:2027-05-17"): ["2027-05-07 07:00"],  # Ascension Day (6 May) is not counted
        ("ahead", "project", "1:2027-05-17"): ["2027-05-13 07:00"],
        ("today", "project", "2027-05-17"): ["2027-05-14 07:00"],  # Friday, the working day before
        ("overdue", "project", "2027-05-17:1"): ["2027-05-18 07:00"],
        ("overdue", "project", "2027-05-17:2"): ["2027-05-20 07:00"],
    }
