"""Where a web request's time goes: CPU per request and SQL statements per `/prosjekt logg` and `status`.

A script that prints figures, not a test. It builds the real app in this process (`bot.app.create_app`, the
same WSGI callable `prosjektbot web` serves) and calls it directly with signed requests shaped as Slack sends
them, one at a time, so that the figures are the request's own cost without a server or concurrency:

    /work/venv/bin/python -m benchmarks.web_profile [--database-url postgresql://…] [-n 300] [--profile writes]

The reads are measured after `--history` logs (default 2,000, as in `benchmarks.load`), on a project none of
whose logs reported a %.

Printed per kind (writes, reads, bare Bolt ack): CPU ms per request on the request thread, and SQL statements
before the ack and after it (card and App Home refreshes on the Slack-call pool, at most one a second each).
`--profile writes|reads|bare` adds a cProfile listing of CPU time (SORT=tottime to sort by own time; FILTER=regex
to list only the functions whose file:line(name) it matches).
PostgreSQL: schema `public` is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from benchmarks.bare_app import create_bare_app  # noqa: E402
from benchmarks.common import (  # noqa: E402
    CHANNEL,
    PM,
    SECRET,
    TEAM,
    Statements,
    add_database_argument,
    app_on_fake_slack,
)
from bot.web import make_wsgi  # noqa: E402
from fakeslack import FakeSlack  # noqa: E402

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def call(wsgi: WSGIApp, fake: FakeSlack, command_text: str) -> tuple[str, bytes]:
    """A signed `/prosjekt` slash command."""
    return post(wsgi, urlencode({
        "token": "unused", "team_id": TEAM, "team_domain": "byraa", "channel_id": CHANNEL, "channel_name": "kunde",
        "user_id": PM, "user_name": "u", "command": "/prosjekt", "text": command_text, "api_app_id": "A0PROSJEKT",
        "is_enterprise_install": "false", "response_url": fake.response_url(),
        "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex}",
    }).encode())


def post(wsgi: WSGIApp, body: bytes) -> tuple[str, bytes]:
    """`body` (form-encoded, as Slack posts commands and interactions) to /slack/events, signed: status, output."""
    ts = str(int(time.time()))
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
        "HTTP_X_SLACK_SIGNATURE": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body.decode()) or "",
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    status: list[str] = []
    out = b"".join(wsgi(environ, lambda s, h, exc_info=None: status.append(s)))
    return status[0], out


def measure(name: str, wsgi: WSGIApp, fake: FakeSlack, command_text: str, n: int, stmts: Statements | None,
            drain: Callable[[], None], profile: bool) -> None:
    for _ in range(5):  # warm up
        call(wsgi, fake, command_text)
    drain()
    if stmts:
        stmts.request = stmts.after = 0
    profiler = cProfile.Profile(time.thread_time) if profile else None  # CPU time, as the figure above
    cpu = 0.0
    for _ in range(n):
        start = time.thread_time()
        if profiler:
            profiler.enable()
        status, out = call(wsgi, fake, command_text)
        if profiler:
            profiler.disable()
        cpu += time.thread_time() - start
        assert status.startswith("200"), (status, out[:300])
    drain()  # the card refreshes queued after the acks (at most one a second per card) count as "after the ack"
    line = f"  {name:<7} CPU on the request thread {1000 * cpu / n:5.2f} ms/req"
    if stmts:
        line += (f"   SQL statements: {stmts.request / n:4.1f} per request before the ack; after the acks"
                 f" {stmts.after} in all (card and App Home refreshes, coalesced)")
    print(line)
    if profiler:
        listing = io.StringIO()
        stats = pstats.Stats(profiler, stream=listing).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(os.environ.get("FILTER", ""), 45)
        print(listing.getvalue())
        if os.environ.get("DUMP"):
            stats.dump_stats(f"{os.environ['DUMP']}.{name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    parser.add_argument("-n", type=int, default=300, help="requests per kind")
    parser.add_argument("--history", type=int, default=2000, help="logs on the project before the reads")
    parser.add_argument("--profile", choices=["writes", "reads", "bare"], action="append", default=[])
    args = parser.parse_args()
    with app_on_fake_slack(args.database_url, "profile") as (engine, app, fake):
        wsgi = make_wsgi(app, engine)
        svc = app.services  # type: ignore[attr-defined]
        frist = (dt.date.today() + dt.timedelta(days=61)).strftime("%d.%m.%Y")  # as in benchmarks.load
        for i in (1, 2, 3):
            call(wsgi, fake, f"ny Profil {i} kunde:X frist:{frist} timer:5000")
        svc.drain()
        stmts = Statements(engine)
        print(f"Prosjektbot web request profile: {engine.dialect.name}, {args.n} requests per kind, one at a time")
        measure("writes", wsgi, fake, "logg P-1 0,5t benchmark", args.n, stmts, svc.drain, "writes" in args.profile)
        for _ in range(max(0, args.history - args.n - 5)):
            call(wsgi, fake, "logg P-1 0,5t benchmark")
        svc.drain()
        measure("reads", wsgi, fake, "status P-1", args.n, stmts, svc.drain, "reads" in args.profile)
        bare = make_wsgi(create_bare_app(SECRET, fake.url), engine)
        measure("bare", bare, fake, "status P-1", args.n, None, lambda: None, "bare" in args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
