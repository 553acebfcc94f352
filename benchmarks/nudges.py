"""What the nudge to log hours costs: the clock's pass at 15:30 for N people over 500 projects (2,000 people by
default), SQL statements by phase for N/4, N/2 and N people (constant in the number of people: a fixed number to
plan, a fixed number per chunk of 200 to prepare, and each post's own lease check and record), time, and the
delivery's pace through a fake Slack against the same posts with no database work, in the same run.

A script that prints figures, not a test:

    /work/venv/bin/python -m benchmarks.nudges [--database-url postgresql://…] [--people 2000] [--projects 500]
    /work/venv/bin/python -m benchmarks.nudges --smoke        # a CI smoke run of seconds

The data: one workspace with nudges on at 15:30; N people, the first `--projects` of them each the PL of a project,
everyone a member of two projects; each person logged on 8 of the last 14 days and 20 times before that; every 4th
person logged today (so 3 in 4 get a nudge). The others are switched off (`varsler av`) for the smaller sizes.

plan      bot.clock.nudges.plan_day on Wednesday 2 December 2026 at 15:31 Oslo: rows planned, statements, time.
prepare   the statements the pass ran in its preparing thread (the NudgePreparer, a chunk of 200 at a time) and
          the chunks, so statements per chunk; the time building them took (NudgePreparer._build, timed by wrapping
          it), per person.
deliver   the statements run by the delivery threads per post (the lease check, the record, and on the first day
          the account's users.info answer remembered); the pass's wall time; messages per second through the fake
          Slack, which answers 429 to a second message within a second in one channel (none expected: each person's
          direct message is its own channel, paced by bot.clock.delivery as every post); baseline: the same number
          of chat.postMessage calls through bot.clock.delivery.deliver with jobs that do no database work.
day 2     the next day's pass (accounts checked within ACCOUNT_CHECK: no users.info).
friday    the week's last working day's pass for N people: their weeks (storage.my_week.weeks), statements per
          chunk.
PostgreSQL: schema `public` is DROPPED and recreated; ANALYZE runs after the load, as autovacuum would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, event, insert, text  # noqa: E402

from benchmarks.common import TEAM, TOKEN, fresh_app  # noqa: E402
from bot.clock.delivery import Job, deliver  # noqa: E402
from bot.clock.nudges import NudgePreparer, plan_day  # noqa: E402
from bot.clock.passes import Clock  # noqa: E402
from bot.domain.rules import NudgeSettings, SummarySettings  # noqa: E402
from bot.slack.client import make_client  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402
from storage.db import unit_of_work  # noqa: E402
from storage.models import (  # noqa: E402
    Followup,
    HandledRequest,
    Member,
    NudgePerson,
    ProgressLog,
    Project,
    Workspace,
)
from storage.outbox import INSERT_CHUNK, PG_CHUNK  # noqa: E402
from storage.workspaces import ensure_workspace  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
WEDNESDAY = dt.datetime(2026, 12, 2, 15, 31, tzinfo=OSLO)
CHUNK = 200


def person(i: int) -> str:
    return f"UNDG{i:07d}"


class Statements:
    """SQL statements counted by the kind of thread that ran them: preparing, delivering, or the pass itself."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, *_: Any) -> None:
        name = threading.current_thread().name
        kind = "prepare" if name.startswith("prepare") else "deliver" if name.startswith("deliver") else "pass"
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1

    def reset(self) -> dict[str, int]:
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts


BUILT = {"seconds": 0.0}  # time spent building chunks of nudges (NudgePreparer._build, timed by wrapping it)
_build = NudgePreparer._build


def _timed_build(self: NudgePreparer, ids: list[int]) -> Any:
    begun = time.perf_counter()
    try:
        return _build(self, ids)
    finally:
        BUILT["seconds"] += time.perf_counter() - begun


NudgePreparer._build = _timed_build  # type: ignore[method-assign]


def load(engine: Any, people: int, projects: int) -> None:
    """The agency (see the module's docstring)."""
    today = WEDNESDAY.date()
    stamp = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(insert(Project), [{
            "id": j + 1, "team_id": TEAM, "number": j + 1, "name": f"Prosjekt {j + 1}", "name_key": f"prosjekt {j + 1}",
            "customer": "Kunde", "kind": "avgrenset", "state": "active", "channel_id": f"CNDG{j % 50:05d}",
            "pm_user_id": person(j), "start": dt.date(2026, 9, 1), "deadline": dt.date(2027, 6, 30), "replan": False,
            "created_by": person(j), "created_at": stamp} for j in range(projects)])
        conn.execute(text("UPDATE workspaces SET last_project_number = :n WHERE team_id = :t"),
                     {"n": projects, "t": TEAM})
        conn.execute(insert(Member), [{"team_id": TEAM, "project_id": pid, "user_id": person(i), "role": "member"}
                                      for i in range(people) for pid in sorted({i % projects + 1,
                                                                                (i * 7 + 3) % projects + 1})])
        logs = []
        for i in range(people):
            theirs = (i % projects + 1, (i * 7 + 3) % projects + 1)
            days = [today - dt.timedelta(days=d) for d in range(1, 15) if (d + i) % 7 not in (5, 6)][:8]
            days += [today - dt.timedelta(days=15 + (i * 13 + k * 29) % 120) for k in range(20)]
            if i % 4 == 0:
                days.append(today)
            logs += [{"team_id": TEAM, "project_id": theirs[k % 2], "user_id": person(i), "minutes": 30 * (1 + k % 6),
                      "description": "Arbeid", "logged_on": day, "billable": True,
                      "created_at": dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)}
                     for k, day in enumerate(days)]
        for start in range(0, len(logs), 5000):
            conn.execute(insert(ProgressLog), logs[start:start + 5000])


def reset(engine: Any, people: int, size: int) -> None:
    """No nudges planned yet, no account checked; everyone from `size` on has switched nudges off."""
    with engine.begin() as conn:
        conn.execute(delete(Followup).where(Followup.team_id == TEAM))
        conn.execute(delete(HandledRequest).where(HandledRequest.team_id == TEAM,
                                                  HandledRequest.request_id.startswith("nudges:")))
        conn.execute(delete(NudgePerson).where(NudgePerson.team_id == TEAM))
        if size < people:
            conn.execute(insert(NudgePerson), [{"team_id": TEAM, "user_id": person(i), "nudges_off": True,
                                                "deactivated": False, "created_at": WEDNESDAY}
                                               for i in range(size, people)])


def one_pass(svc: Any, stmts: Statements, fake: FakeSlack, moment: dt.datetime, label: str) -> dict[str, Any]:
    """plan_day, then the clock's pass; statements by phase, time, messages per second."""
    with unit_of_work(svc.sessions) as session:
        ws = session.get(Workspace, TEAM)
        session.expunge(ws)
    time.sleep(1.1)  # the fake's pacing check is in wall time: the last pass's messages are over a second old
    stmts.reset()
    begun = time.perf_counter()
    planned = plan_day(svc.sessions, ws, moment.astimezone(dt.UTC))
    plan_s = time.perf_counter() - begun
    plan_stmts = stmts.reset().get("pass", 0)
    clock = Clock(svc, make_client(svc.settings, rate_limit_retries=False), per_channel=1.0, prepare_chunk=CHUNK,
                  plan_budget=None)
    posts_before, infos_before = len(fake.calls_to("chat.postMessage")), len(fake.calls_to("users.info"))
    BUILT["seconds"] = 0.0
    begun = time.perf_counter()
    report = clock.run_pass(moment.astimezone(dt.UTC))
    pass_s = time.perf_counter() - begun
    counts = stmts.reset()
    posts = fake.calls_to("chat.postMessage")[posts_before:]
    rejected = sum(1 for c in posts if c.status == 429)
    chunks = -(-report.claimed // CHUNK)
    figures = {"planned": planned, "plan_ms": plan_s * 1000, "plan_stmts": plan_stmts, "sent": report.sent,
               "cancelled": report.cancelled, "pass_s": pass_s, "prepare": counts.get("prepare", 0),
               "deliver": counts.get("deliver", 0), "other": counts.get("pass", 0), "chunks": chunks,
               "infos": len(fake.calls_to("users.info")) - infos_before, "rejected": rejected}
    print(f"  {label:<22} planned {planned:>5} in {plan_s * 1000:6.1f} ms ({plan_stmts} statements) · sent "
          f"{report.sent:>5}, cancelled {report.cancelled:>4} (logged today) in {pass_s:5.2f} s = "
          f"{report.sent / pass_s:6.0f} messages/s · statements: prepare {figures['prepare']} in {chunks} chunks "
          f"({figures['prepare'] / max(chunks, 1):.1f} per chunk of {CHUNK}, built in {BUILT['seconds'] * 1000:.0f} "
          f"ms: {BUILT['seconds'] * 1e6 / max(planned, 1):.0f} µs a person), deliver "
          f"{figures['deliver'] / max(report.sent, 1):.2f} per post (with the cancelled ones' records), "
          f"the pass's own {figures['other']} · "
          f"users.info {figures['infos']} · 429s {rejected}")
    assert report.sent + report.cancelled == report.claimed == planned, report.line()
    return figures


def floor(client: Any, n: int) -> float:
    """Messages per second for n posts to n channels through delivery, with jobs that do no database work."""
    jobs = [Job(channel=person(900000 + i), prepare=lambda: {"text": "⏱️ baseline"}, on_sent=lambda _r: None,
                on_failed=lambda _e: None, on_gave_up=lambda _e: None) for i in range(n)]
    begun = time.perf_counter()
    report = deliver(client, jobs, per_channel=1.0, threads=16)
    elapsed = time.perf_counter() - begun
    assert report.sent == n, report
    return n / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgresql://… (its schema public is dropped!); default: SQLite")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--smoke", action="store_true", help="--people 200 --projects 50: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.projects = 200, 50
    fake = FakeSlack(token=TOKEN, team_id=TEAM).start()
    for i in range(args.people):
        fake.add_user(person(i), name=f"person{i}")
    fake.limit_channels(1.0)  # a second message in a channel within a second: 429 (the pacing would be wrong)
    with tempfile.TemporaryDirectory(prefix="prosjektbot-nudges-") as tmp:
        engine, app = fresh_app(args.database_url or f"sqlite:///{tmp}/nudges.db", fake)
        svc = app.services  # type: ignore[attr-defined]
        with unit_of_work(svc.sessions, write=True) as session:
            ws = ensure_workspace(session, TEAM, language="nb", timezone="Europe/Oslo")
            ws.summary = SummarySettings(enabled=False).model_dump_json()
            ws.nudges = NudgeSettings(enabled=True).model_dump_json()
        load(engine, args.people, args.projects)
        if engine.dialect.name == "postgresql":  # the statistics autovacuum gathers after a load (the test server
            with engine.begin() as conn:  # runs without it): without them the logs are read by the wrong index
                conn.execute(text("ANALYZE"))
        # The day before at 06:00: the clock records the workspace's rules and plans its projects' own follow-ups,
        # so the passes measured post nothing but nudges.
        Clock(svc, make_client(svc.settings, rate_limit_retries=False), per_channel=0.0, plan_budget=None) \
            .run_pass(dt.datetime(2026, 12, 2, 6, tzinfo=OSLO).astimezone(dt.UTC))
        stmts = Statements()
        event.listen(engine, "before_cursor_execute", stmts)
        print(f"Prosjektbot nudges: {engine.dialect.name}, {args.people} people over {args.projects} projects")
        sizes = [args.people // 4, args.people // 2, args.people]
        first: list[dict[str, Any]] = []
        for size in sizes:
            reset(engine, args.people, size)
            first.append(one_pass(svc, stmts, fake, WEDNESDAY, f"{size} people, day 1"))
            one_pass(svc, stmts, fake, WEDNESDAY + dt.timedelta(days=1), f"{size} people, day 2")
        plans = [f["plan_stmts"] for f in first]
        rows = INSERT_CHUNK if engine.dialect.name == "sqlite" else PG_CHUNK  # rows per INSERT (storage.outbox)
        fixed = {p - -(-f["planned"] // rows) for p, f in zip(plans, first, strict=True)}
        per_chunk = [f["prepare"] / max(f["chunks"], 1) for f in first]
        print(f"  planning statements for {'/'.join(map(str, sizes))} people: {'/'.join(map(str, plans))} = "
              f"{'/'.join(map(str, sorted(fixed)))} + one INSERT per {rows:,} rows "
              f"({'constant' if len(fixed) == 1 else 'NOT constant'}); preparing per chunk of {CHUNK}: "
              f"{'/'.join(f'{c:.1f}' for c in per_chunk)}")
        friday = one_pass(svc, stmts, fake, WEDNESDAY + dt.timedelta(days=2), f"{args.people} people, friday")
        assert friday["sent"] == friday["planned"]  # everyone's week, logged today or not
        base = floor(make_client(svc.settings, rate_limit_retries=False), first[-1]["sent"])
        rate = first[-1]["sent"] / first[-1]["pass_s"]
        print(f"  delivery: {rate:.0f} messages/s for {args.people} people (the whole pass) against {base:.0f} "
              f"messages/s for the same posts with no database work: {base / rate:.2f} x the time")
        svc.executor.shutdown(wait=True)
        engine.dispose()
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
