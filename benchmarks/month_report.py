"""What the month-end report costs: the clock's pass on the first working day for N løpende projects (2,000 by
default), each with a month of logs, against the follow-ups the clock already sends, in the same run.

A script that prints figures, not a test:

    /work/venv/bin/python -m benchmarks.month_report [--database-url postgresql://…] [--projects 2000] [--logs 30]
    /work/venv/bin/python -m benchmarks.month_report --smoke        # a CI smoke run of seconds

plan     bot.clock.month_reports.plan_month on 1 December 2026 at 09:01 Oslo: rows planned, time, SQL statements in
         all and per batch of 500 projects (a fixed number per batch, not per project).
prepare  the reports' messages built as the clock builds them (bot.clock.preparing, chunks of 200 claimed rows:
         statements per chunk) against the baseline of the same projects' follow-up cards (projects.snapshots, what
         every frame alert or reminder pays), in the same run: time per project and the ratio.
pass     the whole clock pass (plan, claim, prepare, post to a fake Slack, record) for N/4 and for N projects:
         statements per project (constant: the same for both sizes), posts, time per project.
PostgreSQL: schema `public` is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, select, text  # noqa: E402

from benchmarks.common import CHANNEL, PM, TEAM, Statements, add_database_argument, app_on_fake_slack  # noqa: E402
from bot.clock.month_reports import month_report_messages, plan_month  # noqa: E402
from bot.clock.passes import Clock  # noqa: E402
from bot.domain.rules import SummarySettings  # noqa: E402
from bot.slack.client import make_client  # noqa: E402
from bot.usecases import projects  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import unit_of_work  # noqa: E402
from storage.models import Followup, Goal, HandledRequest, ProgressLog, Project, Task, Workspace  # noqa: E402
from storage.workspaces import ensure_workspace  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
BATCH, CHUNK = 500, 200  # the clock's batch of projects, and its chunk of claimed rows prepared at once
NOW = dt.datetime(2026, 12, 1, 9, 1, tzinfo=OSLO)  # Tuesday 1 December: a working day, past the send hour
PEOPLE = ("UBENCH0001", "UBENCH0002", "UBENCH0003", PM)


def add_retainers(engine: Any, n: int, logs: int) -> list[int]:
    """N løpende projects started in October, each with 3 tasks, a goal and `logs` logs in November (a fifth of
    them internal); their ids."""
    with engine.begin() as conn:
        first = int(conn.scalar(select(Workspace.last_project_number).where(Workspace.team_id == TEAM)) or 0)
        conn.execute(insert(Project), [{
            "team_id": TEAM, "number": first + i, "name": f"Retainer {first + i}", "name_key": f"retainer {first + i}",
            "customer": "Kunde", "kind": "lopende", "state": "active", "channel_id": CHANNEL, "pm_user_id": PM,
            "start": dt.date(2026, 10, 1), "frame_minutes": 1200, "budget_nok": 25000, "rate_nok": 1100,
            "replan": False, "created_by": PM, "created_at": dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC),
        } for i in range(1, n + 1)])
        conn.execute(text("UPDATE workspaces SET last_project_number = :n WHERE team_id = :t"),
                     {"n": first + n, "t": TEAM})
        ids = list(conn.scalars(select(Project.id).where(Project.team_id == TEAM, Project.number > first)
                                .order_by(Project.id)))
        conn.execute(insert(Task), [{"team_id": TEAM, "project_id": pid, "title": f"Oppgave {k}", "created_by": PM,
                                     "created_at": dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)}
                                    for pid in ids for k in range(3)])
        tasks = {}
        for pid, tid in conn.execute(select(Task.project_id, Task.id).where(Task.team_id == TEAM)):
            tasks.setdefault(pid, []).append(tid)
        conn.execute(insert(Goal), [{"team_id": TEAM, "project_id": pid, "title": "Leads", "title_key": "leads",
                                     "target_value": 50, "current_value": 20} for pid in ids])
        conn.execute(insert(ProgressLog), [{
            "team_id": TEAM, "project_id": pid, "user_id": PEOPLE[k % len(PEOPLE)], "minutes": 30 + 15 * (k % 8),
            "description": f"Arbeid {k}: annonser, tekster og rapportering for kunden", "billable": k % 5 != 0,
            "rate_nok": 1100, "task_id": tasks[pid][k % 4] if k % 4 < 3 else None,
            "logged_on": dt.date(2026, 11, 1 + k % 30), "created_at": dt.datetime(2026, 11, 1 + k % 30, 15,
                                                                                  tzinfo=dt.UTC),
        } for pid in ids for k in range(logs)])
    return ids


def reset(engine: Any) -> None:
    """No reports planned or posted yet (the next run plans December's afresh)."""
    with engine.begin() as conn:
        conn.execute(delete(Followup).where(Followup.team_id == TEAM))
        conn.execute(delete(HandledRequest).where(HandledRequest.team_id == TEAM,
                                                  HandledRequest.request_id.startswith("month-report:")))


def bench_plan(engine: Any, sessions: Any, stmts: Statements, ws: Workspace, n: int) -> None:
    reset(engine)
    stmts.count = 0
    start = time.perf_counter()
    planned = plan_month(sessions, ws, NOW.astimezone(dt.UTC), batch=BATCH)
    elapsed = time.perf_counter() - start
    assert planned == n, (planned, n)
    batches = -(-n // BATCH) + 1  # the last, empty batch ends the loop
    print(f"  plan:    {planned} reports planned in {elapsed * 1000:.0f} ms; SQL statements {stmts.count} in all, "
          f"{stmts.count / batches:.1f} per batch of {BATCH} ({batches} batches, the last one empty)")
    start = time.perf_counter()
    stmts.count = 0
    assert plan_month(sessions, ws, NOW.astimezone(dt.UTC), batch=BATCH) == 0
    print(f"           planned again: {(time.perf_counter() - start) * 1000:.2f} ms, {stmts.count} statement(s)")


def bench_prepare(sessions: Any, stmts: Statements, ws: Workspace, n: int) -> None:
    """The reports' messages vs the follow-up cards of the same projects, a chunk of 200 at a time."""
    today = NOW.date()
    with unit_of_work(sessions) as session:
        due = list(session.scalars(select(Followup).where(Followup.team_id == TEAM, Followup.rule == "report")
                                   .order_by(Followup.id)))
        for f in due:
            session.expunge(f)
    times: dict[str, float] = {"report": 0.0, "card": 0.0}
    counts: dict[str, int] = {"report": 0, "card": 0}
    for _ in range(2):  # the second round is measured (caches warm)
        for kind in times:
            times[kind], counts[kind] = 0.0, 0
        for start in range(0, len(due), CHUNK):
            chunk = due[start:start + CHUNK]
            with unit_of_work(sessions) as session:
                stmts.count = 0
                begun = time.perf_counter()
                facts = outbox.delivery_facts(session, TEAM, outbox.followups_by_ids(session, TEAM,
                                                                                     [f.id for f in chunk]))
                messages = month_report_messages(session, TEAM, chunk, facts, today=today, lang="nb",
                                                    tz="Europe/Oslo")
                times["report"] += time.perf_counter() - begun
                counts["report"] += stmts.count
                assert len(messages) == len(chunk)
                stmts.count = 0
                begun = time.perf_counter()
                facts = outbox.delivery_facts(session, TEAM, outbox.followups_by_ids(session, TEAM,
                                                                                     [f.id for f in chunk]))
                snaps = projects.snapshots(session, TEAM, list(facts.projects.values()), today=today)
                times["card"] += time.perf_counter() - begun
                counts["card"] += stmts.count
                assert len(snaps) == len(chunk)
    chunks = -(-len(due) // CHUNK)
    for kind, label in (("report", "reports"), ("card", "baseline: follow-up cards")):
        print(f"  prepare {label:<26} {times[kind] * 1e6 / n:7.0f} µs per project, "
              f"{counts[kind] / chunks:5.1f} SQL statements per chunk of {CHUNK}")
    print(f"           ratio report / card: {times['report'] / times['card']:.2f} x")


def bench_pass(engine: Any, svc: Any, stmts: Statements, ids: list[int], n: int) -> int:
    """The whole pass for the first n projects (the rest paused meanwhile): statements per project."""
    reset(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE projects SET state = CASE WHEN id <= :last THEN 'active' ELSE 'paused' END, "
                          "kind = CASE WHEN id <= :last THEN 'lopende' ELSE 'avgrenset' END WHERE team_id = :t"),
                     {"last": ids[n - 1], "t": TEAM})
    clock = Clock(svc, make_client(svc.settings, rate_limit_retries=False), per_channel=0.0, batch=BATCH,
                  plan_budget=None)
    stmts.count = 0
    start = time.perf_counter()
    report = clock.run_pass(NOW.astimezone(dt.UTC))
    elapsed = time.perf_counter() - start
    assert report.sent == report.claimed == n, report.line()
    print(f"  pass:    {n:>5} projects: {report.sent} reports posted in {elapsed:.2f} s "
          f"({elapsed * 1000 / n:.1f} ms per project); SQL statements {stmts.count}")
    return stmts.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    parser.add_argument("--projects", type=int, default=2000, help="løpende projects")
    parser.add_argument("--logs", type=int, default=30, help="logs per project in November")
    parser.add_argument("--smoke", action="store_true", help="--projects 100 --logs 10: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.projects, args.logs = 100, 10
    with app_on_fake_slack(args.database_url, "month-report") as (engine, app, fake):
        svc = app.services  # type: ignore[attr-defined]
        sessions = svc.sessions
        with unit_of_work(sessions, write=True) as session:
            ws = ensure_workspace(session, TEAM, language="nb", timezone="Europe/Oslo")
            ws.summary = SummarySettings(enabled=False).model_dump_json()  # only the reports are due
        ids = add_retainers(engine, args.projects, args.logs)
        with unit_of_work(sessions) as session:
            ws = session.get(Workspace, TEAM)
            session.expunge(ws)
        # The day before: the clock records the workspace's rules and plans its projects' own follow-ups once, so
        # the passes measured below post nothing but the reports.
        Clock(svc, make_client(svc.settings, rate_limit_retries=False), per_channel=0.0, plan_budget=None) \
            .run_pass((NOW - dt.timedelta(days=1)).astimezone(dt.UTC))
        stmts = Statements(engine)
        print(f"Prosjektbot month-end report: {engine.dialect.name}, {args.projects} løpende projects, "
              f"{args.logs} logs each in November")
        bench_plan(engine, sessions, stmts, ws, args.projects)
        bench_prepare(sessions, stmts, ws, args.projects)
        sizes = [max(1, args.projects // 4), max(2, args.projects // 2), args.projects]
        counts = [bench_pass(engine, svc, stmts, ids, n) for n in sizes]
        steps = [(counts[i + 1] - counts[i]) / (sizes[i + 1] - sizes[i]) for i in range(2)]
        fixed = counts[0] - steps[0] * sizes[0]
        print(f"  statements = {fixed:.0f} a pass + {steps[0]:.2f} per project ({sizes[0]}→{sizes[1]}), "
              f"{steps[1]:.2f} per project ({sizes[1]}→{sizes[2]}): "
              f"{'constant' if abs(steps[1] - steps[0]) <= 0.05 * steps[0] + 0.01 else 'NOT constant'} "
              "(each post's lease check and record, as for every follow-up; the reports are read a chunk at a time)")
        posted = [c for c in fake.calls_to("chat.postMessage") if str(c.args.get("text", "")).startswith("📊")]
        blocks = json.loads(json.dumps(posted[-1].args.get("blocks"))) if posted else []
        assert blocks and len(blocks) <= 50, len(blocks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
