"""What routines cost: a project from a 40-step routine against a plain `ny`, the 60-step preview, the month pass.

A script that prints figures, not a test. It builds the real app in this process (`bot.app.create_app`, the WSGI
callable `prosjektbot web` serves) and calls it with signed slash commands, one at a time, as benchmarks.web_profile
does, so the figures are a request's own cost without a server or concurrency:

    /work/venv/bin/python -m benchmarks.routines [--database-url postgresql://…] [-n 200] [--projects 5000]
    /work/venv/bin/python -m benchmarks.routines --smoke          # a CI smoke run of seconds

create   `ny "Plain i" kunde:X frist:…` and `ny "Rutine i" kunde:X frist:… rutine:bench-40` (an own routine of 40
         steps saved to the workspace), alternating, n of each: ack p50 and p99 (wall time of the WSGI call) and
         SQL statements per request before the ack; the ratio of the p50s (target <= 1.5 x). Each request's
         Slack calls after its ack (the new card) are drained before the next request, outside the timing, so
         neither kind is timed while the other's card is being made (until 2026-12-03 09:30 the card of each
         plain `ny` was made during the routine `ny` after it, which put about 5 ms on the routine's figure).
preview  the `ny` modal with `bench-60` (60 steps) picked, its deadline changed n times (`block_actions` with
         `dispatch_action`): ack p50/p99 (the new view is built before the ack), then the `views.update` after
         it (ack to Slack's answer from the fake), SQL statements per change, and the view's size.
month    N løpende projects from `some-lopende` (inserted directly, as made on 20 November), then the clock's month
         pass on 1 December (bot.clock.routine_months.make_months): time, tasks made, SQL statements in all and per
         batch of projects (a fixed number per batch, not per project); then the same pass again with nothing to
         make (the idle cost each clock pass pays: median of 20).
PostgreSQL: schema `public` is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from benchmarks.common import CHANNEL, PM, TEAM, Statements, add_database_argument, app_on_fake_slack  # noqa: E402
from benchmarks.web_profile import WSGIApp, call, post  # noqa: E402
from bot.clock.routine_months import make_months  # noqa: E402
from bot.domain.routines import load_routine  # noqa: E402
from bot.web import make_wsgi  # noqa: E402
from fakeslack import FakeSlack, fill_state  # noqa: E402
from storage import routines as routine_db  # noqa: E402
from storage.db import unit_of_work  # noqa: E402
from storage.models import Project, Task, Workspace  # noqa: E402
from storage.workspaces import ensure_workspace  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
BATCH = 500  # the clock's batch of projects (Clock(batch=500))


def routine_of(n: int = 40) -> str:
    """An own routine's file, `bench-N`: N steps spread from the start to the deadline, two roles, an hour each."""
    half = n // 2
    steps = [f"  - title: Steg {i:02d}\n    role: {'pl' if i % 3 else 'seo'}\n    hours: 1\n"
             f"    date: {'start+' if i < half else 'frist-'}{i % half * 2}\n" for i in range(n)]
    return (f"name: bench-{n}\ntitle: Benchmark {n} steg\nversion: 1\nkind: avgrenset\nroles:\n"
            "  pl: Prosjektleder\n  seo: SEO-rådgiver\nsteps:\n" + "".join(steps))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[round(p / 100 * (len(ordered) - 1))]


def bench_create(wsgi: WSGIApp, fake: FakeSlack, svc: Any, stmts: Statements, n: int) -> float:
    """The ack p50s of both kinds of `ny` (printed with their p99s and statements); returns the plain p50 (ms)."""
    frist = (dt.date.today() + dt.timedelta(days=120)).strftime("%d.%m.%Y")
    kinds = {"plain": "", "routine": " rutine:bench-40"}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}  # the request thread's: steadier on a busy machine
    counts: dict[str, int] = dict.fromkeys(kinds, 0)
    for i in range(-3, n):  # three rounds to warm up
        for kind, extra in kinds.items():
            before = stmts.count
            start, thread = time.perf_counter(), time.thread_time()
            status, out = call(wsgi, fake, f'ny "{kind} {i + 3}" kunde:X frist:{frist}{extra}')
            elapsed, used = time.perf_counter() - start, time.thread_time() - thread
            after = stmts.count
            assert status.startswith("200") and b"P-" in out, (status, out[:300])
            svc.drain()  # this request's card, made after its ack: outside the timing and before the next one
            if i >= 0:
                times[kind].append(elapsed)
                cpu[kind].append(used)
                counts[kind] += after - before
    for kind in kinds:
        print(f"  {kind:<8} ack p50 {pct(times[kind], 50):6.1f} ms  p99 {pct(times[kind], 99):6.1f} ms"
              f"  (CPU p50 {pct(cpu[kind], 50):5.2f} ms)   SQL statements before the ack: {counts[kind] / n:4.1f}"
              " per request")
    ratio, cpu_ratio = (pct(x["routine"], 50) / pct(x["plain"], 50) for x in (times, cpu))
    print(f"  ratio of p50s (40-step routine / plain ny): {ratio:.2f} x  (target <= 1.5 x: "
          f"{'PASS' if ratio <= 1.5 else 'MISS'}); of the CPU p50s {cpu_ratio:.2f} x")
    return pct(times["plain"], 50)


def change_in_modal(wsgi: WSGIApp, view: dict[str, Any], values: dict[str, Any], block_id: str) -> tuple[str, bytes]:
    """The `block_actions` Slack sends when a dispatching input of the open modal changes (as fakeslack.Sender
    sends it, here to the WSGI callable in this process)."""
    state = fill_state(view, values)
    [(action_id, entry)] = state[block_id].items()
    payload = {
        "type": "block_actions", "user": {"id": PM, "username": "u", "name": "u", "team_id": TEAM},
        "api_app_id": "A0PROSJEKT", "token": "unused", "container": {"type": "view", "view_id": view["id"]},
        "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex}", "team": {"id": TEAM, "domain": "byraa"},
        "enterprise": None, "is_enterprise_install": False,
        "view": {**view, "state": {"values": state}, "team_id": TEAM},
        "actions": [{**entry, "action_id": action_id, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
    }
    return post(wsgi, urlencode({"payload": json.dumps(payload)}).encode())


def bench_preview(wsgi: WSGIApp, fake: FakeSlack, svc: Any, stmts: Statements, n: int, plain: float) -> None:
    """The open `ny` modal with bench-60 picked; its deadline changed back and forth n times."""
    status, _ = call(wsgi, fake, "ny")
    svc.drain()
    view = fake.calls_to("views.open")[-1].response["view"]
    today = dt.date.today()
    deadlines = [(today + dt.timedelta(days=days)).isoformat() for days in (120, 150)]
    values: dict[str, Any] = {"name": "Forhåndsvisning", "customer": "X", "routine": "bench-60",
                              "deadline": deadlines[0]}
    acks, updates, count = [], [], 0
    for i in range(-3, n):
        values["deadline"] = deadlines[i % 2]
        before = stmts.count
        start = time.perf_counter()
        status, out = change_in_modal(wsgi, view, values, "deadline" if i > -3 else "routine")
        acked = time.perf_counter()
        statements = stmts.count - before
        svc.drain()  # the views.update, after the ack
        done = time.perf_counter()
        call_made = fake.calls_to("views.update")[-1]
        assert status.startswith("200") and call_made.response["ok"], (status, out[:300], call_made.response)
        view = call_made.response["view"]  # as Slack keeps it: a new hash for the next change
        if i >= 0:
            acks.append(acked - start)
            updates.append(done - acked)
            count += statements
    shown = sum(line.startswith("`") for block in view["blocks"] if block["type"] == "section"
                for line in block["text"]["text"].splitlines())
    print(f"  preview, 60 steps: ack p50 {pct(acks, 50):6.1f} ms  p99 {pct(acks, 99):6.1f} ms "
          f"({pct(acks, 50) / plain:.2f} x a plain ny's ack); views.update after the ack p50 "
          f"{pct(updates, 50):5.1f} ms  p99 {pct(updates, 99):5.1f} ms;\n    SQL statements {count / n:.1f} per change;"
          f" the view: {len(view['blocks'])} blocks, {len(json.dumps(view['blocks'])):,} characters,"
          f" {shown} step lines shown")


def add_lopende(engine: Any, n: int) -> None:
    """N løpende projects from some-lopende, as `ny … rutine:some-lopende` makes them on 20 November."""
    with engine.begin() as conn:
        first = int(conn.scalar(select(Workspace.last_project_number).where(Workspace.team_id == TEAM)) or 0)
        conn.execute(insert(Project), [{
            "team_id": TEAM, "number": first + i, "name": f"SoMe {i}", "name_key": f"some {i}", "customer": "X",
            "kind": "lopende", "state": "active", "channel_id": CHANNEL, "pm_user_id": PM,
            "start": dt.date(2026, 11, 20), "frame_minutes": 1200, "replan": False, "created_by": PM,
            "created_at": dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), "routine_name": "some-lopende",
            "routine_version": 1, "routine_answers": json.dumps({"annonsering": "ja", "video": "nei"}),
            "routine_roles": json.dumps({"pl": PM}), "routine_month": dt.date(2026, 11, 1),
        } for i in range(1, n + 1)])
        conn.execute(text("UPDATE workspaces SET last_project_number = :n WHERE team_id = :t"),
                     {"n": first + n, "t": TEAM})


def bench_month(engine: Any, sessions: Any, stmts: Statements, n: int) -> None:
    add_lopende(engine, n)
    with unit_of_work(sessions) as session:
        ws = session.get(Workspace, TEAM)
        tasks_before = session.scalar(select(Task.id).order_by(Task.id.desc()).limit(1)) or 0
        session.expunge(ws)
    december = dt.datetime(2026, 12, 1, 9, tzinfo=OSLO)
    stmts.count = 0
    start = time.perf_counter()
    made = make_months(sessions, ws, december, batch=BATCH)
    elapsed = time.perf_counter() - start
    batches = -(-n // BATCH)
    print(f"  month pass: {n} projects, {made} tasks made in {elapsed * 1000:.0f} ms "
          f"({elapsed * 1e6 / n:.0f} µs per project); SQL statements {stmts.count} in all, "
          f"{stmts.count / batches:.1f} per batch of {BATCH} projects ({batches} batches)")
    with unit_of_work(sessions) as session:
        assert session.scalar(select(Task.id).order_by(Task.id.desc()).limit(1)) > tasks_before
    idle = []
    for _ in range(20):
        stmts.count = 0
        start = time.perf_counter()
        assert make_months(sessions, ws, december, batch=BATCH) == 0
        idle.append(time.perf_counter() - start)
    print(f"  the same pass with nothing to make: median {statistics.median(idle) * 1000:.2f} ms, "
          f"{stmts.count} SQL statement(s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    parser.add_argument("-n", type=int, default=200, help="projects created of each kind")
    parser.add_argument("--projects", type=int, default=5000, help="løpende projects in the month pass")
    parser.add_argument("--smoke", action="store_true", help="-n 10 --projects 300: seconds")
    args = parser.parse_args()
    if args.smoke:
        args.n, args.projects = 10, 300
    with app_on_fake_slack(args.database_url, "routines") as (engine, app, fake):
        sessions = app.services.sessions  # type: ignore[attr-defined]
        wsgi = make_wsgi(app, engine)
        svc = app.services  # type: ignore[attr-defined]
        with unit_of_work(sessions, write=True) as session:
            ensure_workspace(session, TEAM, language="nb", timezone="Europe/Oslo")
            for steps in (40, 60):
                routine_db.save_routine(session, TEAM, load_routine(routine_of(steps)), user_id=PM,
                                        at=dt.datetime.now(dt.UTC))
        stmts = Statements(engine)
        print(f"Prosjektbot routines: {engine.dialect.name}, {args.n} projects of each kind, one at a time")
        plain = bench_create(wsgi, fake, svc, stmts, args.n)
        bench_preview(wsgi, fake, svc, stmts, args.n, plain)
        bench_month(engine, sessions, stmts, args.projects)
    return 0


if __name__ == "__main__":
    sys.exit(main())
