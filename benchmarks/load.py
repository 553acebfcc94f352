"""Web load benchmark: the real app under gunicorn, against a bare Bolt app under the same server.

Run from the repo root (a script that prints figures; not a test):

    /work/venv/bin/python -m benchmarks.load                      # SQLite file in a temp dir, full counts
    /work/venv/bin/python -m benchmarks.load --smoke              # 64 requests per phase, for CI (seconds)
    /work/venv/bin/python -m benchmarks.load --database-url postgresql://127.0.0.1:5432/test
    options: --logs N --reads N --bare N (default 2000 each), --clients N (16), --projects N (3)

PostgreSQL: schema `public` of that database is DROPPED and recreated, then `prosjektbot db upgrade` runs.

What it does, all on 127.0.0.1: starts `fakeslack.FakeSlack` in this process; starts the real app the
production way (`python -m bot.cli web --port P`, i.e. the `prosjektbot web` console script: gunicorn gthread)
and `benchmarks/bare_app.py` (a Bolt app that only acks `/prosjekt`, same Bolt settings, same server and
thread count) as subprocesses; waits for `GET /healthz`; creates a few projects in one channel with signed
`/prosjekt ny …` commands; then 16 client threads (one keep-alive `requests.Session` each) send signed,
Slack-shaped slash commands (built like `tests/slack_sim.py`):

    A  writes: `/prosjekt logg P-1 0,5t benchmark`, then SQL checks `progress_logs` holds exactly that many rows
    B  reads:  `/prosjekt status P-1`
    bare:      `/prosjekt status P-1` to the bare app

Every answer must be HTTP 200 with a JSON body that is the expected ack (not an error message); any failure,
or a wrong row count, makes the exit code 1. Targets are reported as PASS/MISS and do not change the exit code:
    p50(writes or reads) <= 2 x p50(bare),  p99 <= 3 x p99(bare),  web RSS (master + worker) < 150 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from fakeslack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret-0123456789"
TOKEN = "xoxb-bench"
TEAM, CHANNEL, PM = "TBENCH0001", "CBENCH0001", "UBENCHPM01"
TIMEOUT = 10.0  # seconds, every request
SLACK_ACK_LIMIT = 3.0  # Slack gives up on an ack after 3 s


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


class Client:
    """Slack's side: signed form-encoded slash commands on one keep-alive session."""

    def __init__(self, url: str, fake: FakeSlack, user: str) -> None:
        self.url, self.fake, self.user = url, fake, user
        self.session = requests.Session()
        self.signer = SignatureVerifier(SECRET)

    def command(self, command_text: str) -> requests.Response:
        body = urlencode({
            "token": "verification-token-unused", "team_id": TEAM, "team_domain": "byraa", "channel_id": CHANNEL,
            "channel_name": "kunde", "user_id": self.user, "user_name": "u", "command": "/prosjekt",
            "text": command_text, "api_app_id": "A0PROSJEKT", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(), "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex}",
        })
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": self.signer.generate_signature(timestamp=ts, body=body)}
        return self.session.post(self.url, data=body.encode(), headers=headers, timeout=TIMEOUT)


def drive(name: str, url: str, fake: FakeSlack, command_text: str, count: int, clients: int,
          ok: Callable[[dict], bool]) -> Result:
    """Send `count` commands spread over `clients` threads; time each one."""
    result = Result(name)

    def worker(i: int) -> None:
        client = Client(url, fake, user=f"UBENCH{i:04d}")
        for _ in range(count // clients + (1 if i < count % clients else 0)):
            start = time.perf_counter()
            try:
                response = client.command(command_text)
                elapsed = time.perf_counter() - start
                body = response.json() if response.status_code == 200 else None
                if response.status_code != 200:
                    result.failures.append(f"HTTP {response.status_code}: {response.text[:120]}")
                elif not isinstance(body, dict) or not ok(body):
                    result.failures.append(f"unexpected ack: {str(body)[:160]}")
            except (requests.RequestException, ValueError) as exc:
                elapsed = time.perf_counter() - start
                result.failures.append(f"{type(exc).__name__}: {exc}"[:160])
            result.latencies.append(elapsed)  # list.append is atomic under the GIL
        client.session.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(worker, range(clients)))
    result.wall = time.perf_counter() - start
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    run_dir = cwd / log.stem  # gunicorn >= 25 puts its control socket in $XDG_RUNTIME_DIR: one per server
    run_dir.mkdir(mode=0o700)
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env={**env, "XDG_RUNTIME_DIR": str(run_dir)}, cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT)


def wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base}/healthz not 200 after {timeout:.0f}s:\n{log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()  # gunicorn: SIGTERM is a graceful shutdown of master and workers
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # fields: state, ppid, ...
            found.append(int(stat.parent.name))
    return found


def memory(proc: subprocess.Popen[bytes]) -> tuple[float, list[float]]:
    return rss_mb(proc.pid), [rss_mb(child) for child in children(proc.pid)]


def prepare_database(url: str | None, tmp: Path, env: dict[str, str]) -> str:
    """The app's DATABASE_URL: a fresh SQLite file, or the given PostgreSQL with a fresh schema; migrated."""
    if url is None:
        url = f"sqlite:///{tmp}/bench.db"
    elif url.startswith(("postgresql://", "postgres://")):
        engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env={**env, "DATABASE_URL": url},
                   cwd=tmp, check=True, timeout=120, stdout=subprocess.DEVNULL)
    return url


def sql_engine(url: str):  # type: ignore[no-untyped-def]
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return create_engine(url)


def wait_for_sql(engine, query: str, want: int, timeout: float) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            got = int(conn.execute(text(query), {"team": TEAM}).scalar_one())
        if got >= want or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def report(res: Result) -> None:
    slow = sum(1 for x in res.latencies if x > SLACK_ACK_LIMIT)
    print(f"  {res.name:<7} n={len(res.latencies):>5}  p50 {res.pct(50):7.1f} ms  p99 {res.pct(99):7.1f} ms  "
          f"max {1000 * max(res.latencies, default=0):7.1f} ms  mean {1000 * statistics.fmean(res.latencies):6.1f} ms"
          f"  {len(res.latencies) / res.wall:6.0f} req/s  >3s: {slow}  failures: {len(res.failures)}")
    kinds = Counter(re.sub(r"\b[0-9a-f]{8}\b", "…", failure) for failure in res.failures)  # error ids
    for failure, times in kinds.most_common(5):
        print(f"      {times} x {failure}")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description="Prosjektbot web load benchmark (see the module docstring)")
    parser.add_argument("--database-url", help="postgresql://… (schema public is dropped!); default: SQLite")
    parser.add_argument("--smoke", action="store_true", help="64 requests per phase")
    parser.add_argument("--logs", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--bare", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--log-dir", type=Path, help="copy the servers' logs here at the end")
    args = parser.parse_args()
    if args.smoke:
        args.logs = args.reads = args.bare = 64

    threads = os.environ.get("WEB_THREADS", "16")
    fake = FakeSlack(token=TOKEN, team_id=TEAM).start()
    fake.add_channel(CHANNEL, name="kunde")
    for user in [PM, *(f"UBENCH{i:04d}" for i in range(args.clients))]:
        fake.add_user(user, name=user.lower())
    web = bare = None
    failed = False
    with tempfile.TemporaryDirectory(prefix="prosjektbot-bench-") as tmpdir:
        tmp = Path(tmpdir)
        python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": python_path, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": fake.url, "WEB_THREADS": threads}
        try:
            database_url = prepare_database(args.database_url, tmp, env)
            web_port, bare_port = free_port(), free_port()
            web = start([sys.executable, "-m", "bot.cli", "web", "--port", str(web_port)],
                        {**env, "DATABASE_URL": database_url}, tmp / "web.log", tmp)
            bare = start([sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "--port", str(bare_port)],
                         env, tmp / "bare.log", tmp)
            web_base, bare_base = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{bare_port}"
            wait_healthy(web_base, web, tmp / "web.log")
            wait_healthy(bare_base, bare, tmp / "bare.log")
            web_url, bare_url = f"{web_base}/slack/events", f"{bare_base}/slack/events"
            db = sql_engine(database_url)
            kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
            print(f"Prosjektbot web load benchmark — {kind}, gunicorn gthread x {threads} threads, "
                  f"{args.clients} clients, {os.cpu_count()} CPUs")

            # Setup: a few projects in one channel; wait until their cards are posted and remembered.
            deadline = (dt.date.today() + dt.timedelta(days=61)).strftime("%d.%m.%Y")
            pm = Client(web_url, fake, PM)
            for n in range(1, args.projects + 1):  # ("ny P1 …" is refused: a name may not look like a key)
                body = pm.command(f"ny Benchmark {n} kunde:X frist:{deadline} timer:5000").json()
                if f"*P-{n}*" not in body.get("text", ""):
                    raise SystemExit(f"could not create project P-{n}: {body}")
            cards = wait_for_sql(db, "select count(*) from projects where team_id = :team and card_ts is not null",
                                 args.projects, timeout=15)
            print(f"setup: {args.projects} projects created, {cards} cards posted")
            is_log = lambda b: "P-1" in b.get("text", "") and ("Logget" in b["text"] or "Logged" in b["text"])  # noqa: E731
            is_card = lambda b: "P-1" in b.get("text", "") and bool(b.get("blocks"))  # noqa: E731
            is_bare = lambda b: b.get("text") == "ok"  # noqa: E731
            # Warm-up (not measured): open the keep-alive connections and touch every code path once.
            drive("warm", web_url, fake, "status P-1", 2 * args.clients, args.clients, is_card)
            drive("warm", bare_url, fake, "status P-1", 2 * args.clients, args.clients, is_bare)

            bare_res = drive("bare", bare_url, fake, "status P-1", args.bare, args.clients, is_bare)
            updates_before = len(fake.calls_to("chat.update"))
            writes = drive("writes", web_url, fake, "logg P-1 0,5t benchmark", args.logs, args.clients, is_log)
            rows = wait_for_sql(db, "select count(*) from progress_logs where team_id = :team", args.logs, 0)
            # Let the card refreshes queued after the acks finish before measuring reads.
            deadline_t = time.monotonic() + 60
            while len(fake.calls_to("chat.update")) - updates_before < args.logs and time.monotonic() < deadline_t:
                time.sleep(0.1)
            updates = len(fake.calls_to("chat.update")) - updates_before
            reads = drive("reads", web_url, fake, "status P-1", args.reads, args.clients, is_card)
            master, workers = memory(web)
            bare_master, bare_workers = memory(bare)
            db.dispose()

            print("\nlatency (client-side, ms):")
            for res in (writes, reads, bare_res):
                report(res)
            acked = len(writes.latencies) - len(writes.failures)
            print(f"\nprogress_logs rows for {TEAM}: {rows} (expected {args.logs}; {acked} acks said saved) -> "
                  f"{'OK' if rows == args.logs else 'WRONG'}")
            print(f"card refreshes after the acks (chat.update on the fake): {updates} of {args.logs}")
            print("\nratios to bare (target p50 <= 2x, p99 <= 3x):")
            for res in (writes, reads):
                r50, r99 = res.pct(50) / bare_res.pct(50), res.pct(99) / bare_res.pct(99)
                print(f"  {res.name:<7} p50 {r50:5.2f}x {verdict(r50 <= 2)}   p99 {r99:5.2f}x {verdict(r99 <= 3)}")
            total = master + sum(workers)
            print(f"\nweb RSS after the run: master {master:.1f} MB + worker(s) "
                  f"{' + '.join(f'{w:.1f}' for w in workers)} MB = {total:.1f} MB (target < 150) {verdict(total < 150)}")
            print(f"bare RSS after the run: master {bare_master:.1f} MB + worker(s) "
                  f"{' + '.join(f'{w:.1f}' for w in bare_workers)} MB")
            errors = [ln for ln in (tmp / "web.log").read_text().splitlines() if " ERROR " in ln]
            print(f"ERROR lines in the web log: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
            failed = rows != args.logs or any(r.failures for r in (writes, reads, bare_res))
        finally:
            stop(web)
            stop(bare)
            fake.stop()
            if args.log_dir:
                args.log_dir.mkdir(parents=True, exist_ok=True)
                for log in tmp.glob("*.log"):
                    shutil.copy(log, args.log_dir / log.name)
    print(f"\nresult: {'FAILED' if failed else 'ok'} (exit {int(failed)})")
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
