"""Web load benchmark: the real app under granian against a bare Bolt app under the same server.

A script that prints figures, not a test. From the repo root:

    /work/venv/bin/python -m benchmarks.load              # SQLite file in a temp dir; 2,000 requests per phase
    /work/venv/bin/python -m benchmarks.load --smoke      # 64 per phase: a CI smoke run of seconds
    /work/venv/bin/python -m benchmarks.load --database-url postgresql://127.0.0.1:5432/test
    options: --logs/--reads N (2000), --rounds N (4), --clients N (16), --projects N (3), --log-dir DIR (servers'
             logs); WEB_THREADS (8, as `prosjektbot web`) sets the threads of both servers; SLACK_CALL_THREADS etc.
             pass through to the app

PostgreSQL: schema `public` is DROPPED and recreated, then `prosjektbot db upgrade` runs; so do not use a
database that a test run (TEST_DATABASE_URL) is using at the same time.

On 127.0.0.1: fakeslack.FakeSlack runs in this process; the app runs the production way, `python -m bot.cli web`
(= `prosjektbot web`, granian), beside `benchmarks/bare_app.py` (acks `/prosjekt` only; same Bolt
settings, server and threads). A few projects are created in one channel, then 16 client threads (a keep-alive
`requests.Session` each) send signed slash commands shaped as in `fakeslack/sender.py`:
    writes  `/prosjekt logg P-1 0,5t benchmark`, then SQL checks `progress_logs` has exactly that many rows
    reads   `/prosjekt status P-1`          bare  the same, to the bare app
Each phase runs in rounds (4), each round after a round of the bare app of the same size, and each phase's ratios
are to the bare rounds that alternated with it: these machines are noisy, and a drift (other work on the cores)
then moves both sides of a ratio alike. The reads come after all the writes (the project then has 2,000 logs).
Each answer must be HTTP 200 with a JSON body holding the expected ack (an error message counts as a failure);
a failure or a wrong row count makes the exit code 1. Printed per phase: p50/p99/max latency, requests/s and
CPU per request of the server, of PostgreSQL and of this process (the clients). Targets, shown as PASS/MISS and
not affecting the exit code: p50 (writes, reads) <= 2 x bare p50; p99 <= 3 x bare p99; web RSS (master +
workers) < 150 MB. The load is closed-loop (a client sends its next request when the last is answered): the
server is saturated and latency is roughly clients x CPU per request, so the ratios compare what a request costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import socket
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
from sqlalchemy import Engine, create_engine, text  # noqa: E402

from fakeslack import FakeSlack  # noqa: E402

SECRET, TOKEN = "bench-signing-secret-0123456789", "xoxb-bench"
TEAM, CHANNEL, PM = "TBENCH0001", "CBENCH0001", "UBENCHPM01"
TIMEOUT = 10.0  # seconds, for every request
Check = Callable[[dict], bool]


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU used by the server (master + workers) during the phase
    db_cpu: float = 0.0  # seconds of CPU used by PostgreSQL's processes during the phase (0 on SQLite)
    client_cpu: float = 0.0  # seconds of CPU used by this process (the clients and the fake Slack)

    def add(self, other: Result) -> None:
        """Pool another round of the same phase into this one."""
        self.latencies += other.latencies
        self.failures += other.failures
        self.wall += other.wall
        self.server_cpu += other.server_cpu
        self.db_cpu += other.db_cpu
        self.client_cpu += other.client_cpu

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[round(p / 100 * (len(ordered) - 1))] if ordered else float("nan")

    def report(self) -> None:
        n = len(self.latencies)
        print(f"  {self.name:<6} n={n:>5}  p50 {self.pct(50):6.1f}  p99 {self.pct(99):7.1f}  max {self.pct(100):7.1f}"
              f" ms  {n / self.wall:5.0f} req/s  CPU ms/req: server {1000 * self.server_cpu / n:3.1f}"
              f" database {1000 * self.db_cpu / n:3.1f} clients {1000 * self.client_cpu / n:3.1f}"
              f"  >3s: {sum(x > 3 for x in self.latencies)}  failures: {len(self.failures)}")
        for failure, times in Counter(re.sub(r"\b[0-9a-f]{8}\b", "…", f) for f in self.failures).most_common(5):
            print(f"      {times} x {failure}")  # (error ids replaced by … so that alike failures group)


class Client:
    """Slack's side: signed, form-encoded slash commands on one keep-alive session."""

    def __init__(self, url: str, fake: FakeSlack, user: str) -> None:
        self.url, self.fake, self.user = url, fake, user
        self.session, self.signer = requests.Session(), SignatureVerifier(SECRET)

    def command(self, command_text: str) -> requests.Response:
        body = urlencode({
            "token": "verification-token-unused", "team_id": TEAM, "team_domain": "byraa", "channel_id": CHANNEL,
            "channel_name": "kunde", "user_id": self.user, "user_name": "u", "command": "/prosjekt",
            "text": command_text, "api_app_id": "A0PROSJEKT", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(), "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex}",
        })
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": self.signer.generate_signature(timestamp=ts, body=body) or ""}
        return self.session.post(self.url, data=body.encode(), headers=headers, timeout=TIMEOUT)


def drive(name: str, url: str, fake: FakeSlack, command_text: str, count: int, clients: int, ok: Check) -> Result:
    """Send `count` commands spread over `clients` threads, timing each."""
    result = Result(name)

    def client_loop(i: int) -> None:
        client = Client(url, fake, user=f"UBENCH{i:04d}")
        for _ in range(count // clients + (i < count % clients)):
            start = time.perf_counter()
            try:
                response = client.command(command_text)
                result.latencies.append(time.perf_counter() - start)  # (list.append is atomic)
                body = response.json() if response.status_code == 200 else None
                if response.status_code != 200:
                    result.failures.append(f"HTTP {response.status_code}: {response.text[:120]}")
                elif not isinstance(body, dict) or not ok(body):
                    result.failures.append(f"unexpected ack: {str(body)[:150]}")
            except requests.RequestException as exc:  # timeouts, resets
                result.latencies.append(time.perf_counter() - start)
                result.failures.append(f"{type(exc).__name__}: {exc}"[:150])
            except ValueError:  # a body that is not JSON
                result.failures.append(f"not JSON: {response.text[:120]!r}")
        client.session.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client_loop, range(clients)))
    result.wall = time.perf_counter() - start
    return result


# --- the servers --------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server ({log.name}) exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base}/healthz is not 200 after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()  # SIGTERM: the server stops its worker gracefully
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def stat(pid: int | str) -> list[str]:
    """/proc/<pid>/stat after the name: state, ppid, … (utime and stime are [11] and [12])."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def workers_of(pid: int) -> list[int]:
    """The server's workers: the children of the process that started it."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(stat(entry.name)[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE)[1]) / 1024  # type: ignore[index]


def postgres_cpu() -> float:
    """CPU seconds of this host's PostgreSQL processes (its backends are the app's pooled connections; a backend
    that exits during a phase takes its seconds with it, so short phases can read a little low)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                fields = stat(entry.name)
                ticks += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    ticks = sum(int(stat(pid)[11]) + int(stat(pid)[12]) for pid in [proc.pid, *workers_of(proc.pid)])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_line(name: str, proc: subprocess.Popen[bytes], target: float | None = None) -> str:
    master, workers = rss_mb(proc.pid), [rss_mb(pid) for pid in workers_of(proc.pid)]
    total = master + sum(workers)
    verdict = f" (target < {target:.0f}) {'PASS' if total < target else 'MISS'}" if target else ""
    return (f"{name} RSS after the run: master {master:.1f} MB + worker(s) {' + '.join(f'{w:.1f}' for w in workers)}"
            f" MB = {total:.1f} MB{verdict}")


# --- the database -------------------------------------------------------------------------------------------------
def prepare_database(url: str | None, tmp: Path, env: dict[str, str]) -> str:
    """The app's DATABASE_URL: a new SQLite file, or PostgreSQL with a fresh schema; migrated either way."""
    if url is None:
        url = f"sqlite:///{tmp}/bench.db"
    else:
        engine = sql_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    done = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env={**env, "DATABASE_URL": url},
                          cwd=tmp, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise SystemExit(f"prosjektbot db upgrade failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return url


def sql_engine(url: str) -> Engine:
    return create_engine(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url))


def count(db: Engine, query: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(text(query), {"team": TEAM}).scalar_one())


def settled(counter: Callable[[], int], expected: int, timeout: float) -> None:
    """Wait until `counter()` reaches `expected`, or stops growing for 2 s (refreshes may be coalesced)."""
    last, since, deadline = -1, time.monotonic(), time.monotonic() + timeout
    while (now := counter()) < expected and time.monotonic() < min(deadline, since + 2):
        last, since = now, since if now == last else time.monotonic()
        time.sleep(0.1)


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


# --- the run ------------------------------------------------------------------------------------------------------
def is_log(body: dict) -> bool:
    return "*P-1*" in body.get("text", "") and body["text"].startswith(("Logget", "Logged"))


def is_card(body: dict) -> bool:
    return body.get("text", "").startswith("P-1 ") and bool(body.get("blocks"))


def is_bare(body: dict) -> bool:
    return body.get("text") == "ok"


def create_projects(db: Engine, url: str, fake: FakeSlack, n: int) -> None:
    """`n` projects in the channel, their cards posted and remembered (so that each log refreshes a card)."""
    frist = (dt.date.today() + dt.timedelta(days=61)).strftime("%d.%m.%Y")
    pm = Client(url, fake, PM)
    for i in range(1, n + 1):  # (not "ny P1 …": a name may not look like a project key)
        body = pm.command(f"ny Benchmark {i} kunde:X frist:{frist} timer:5000").json()
        if f"*P-{i}*" not in body.get("text", ""):
            raise SystemExit(f"could not create project P-{i}: {body}")
    cards = "select count(*) from projects where team_id = :team and card_ts is not null"
    wait_until(lambda: count(db, cards) >= n, timeout=15)
    print(f"setup: {n} projects, {count(db, cards)} cards posted")


def run(args: argparse.Namespace, fake: FakeSlack, tmp: Path, servers: list[subprocess.Popen[bytes]]) -> bool:
    """Start both servers (appended to `servers` for the caller to stop), drive the phases, print; True if ok."""
    threads = os.environ.get("WEB_THREADS", "8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url, "WEB_THREADS": threads}
    database_url = prepare_database(args.database_url, tmp, env)
    web_port, bare_port = free_port(), free_port()
    web = start([sys.executable, "-m", "bot.cli", "web", "--port", str(web_port)],
                {**env, "DATABASE_URL": database_url}, tmp / "web.log")
    servers.append(web)
    bare = start([sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "--port", str(bare_port)],
                 env, tmp / "bare.log")
    servers.append(bare)
    wait_healthy(f"http://127.0.0.1:{web_port}", web, tmp / "web.log")
    wait_healthy(f"http://127.0.0.1:{bare_port}", bare, tmp / "bare.log")
    web_url, bare_url = f"http://127.0.0.1:{web_port}/slack/events", f"http://127.0.0.1:{bare_port}/slack/events"
    db = sql_engine(database_url)
    print(f"Prosjektbot web load benchmark: {db.dialect.name}, granian x {threads} threads, "
          f"{args.clients} clients, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    create_projects(db, web_url, fake, args.projects)

    on_postgresql = db.dialect.name == "postgresql"
    database_cpu = postgres_cpu if on_postgresql else lambda: 0.0  # (SQLite works in the server's own process)

    def phase(name: str, url: str, proc: subprocess.Popen[bytes], cmd: str, n: int, ok: Check) -> Result:
        before, db_before, client_before = cpu_seconds(proc), database_cpu(), time.process_time()
        res = drive(name, url, fake, cmd, n, args.clients, ok)
        if name == "writes":  # a log's cost includes the card refresh it queues after the ack (chat.update)
            settled(lambda: len(fake.calls_to("chat.update")), n - len(res.failures), timeout=60)
        res.server_cpu = cpu_seconds(proc) - before
        res.db_cpu = database_cpu() - db_before
        res.client_cpu = time.process_time() - client_before
        return res

    drive("warm", web_url, fake, "status P-1", 2 * args.clients, args.clients, is_card)  # not measured
    drive("warm", bare_url, fake, "status P-1", 2 * args.clients, args.clients, is_bare)

    def alternating(name: str, cmd: str, n: int, ok: Check) -> tuple[Result, Result]:
        """`n` requests of a phase in `args.rounds` rounds, each after a round of the bare app: a drift in the
        machine's speed (other work on its cores) then moves both sides of a ratio alike."""
        measured, baseline = Result(name), Result("bare")
        for k in range(args.rounds):
            share = n // args.rounds + (k < n % args.rounds)
            baseline.add(phase("bare", bare_url, bare, "status P-1", share, is_bare))
            measured.add(phase(name, web_url, web, cmd, share, ok))
        return measured, baseline

    writes, bare_writes = alternating("writes", "logg P-1 0,5t benchmark", args.logs, is_log)
    rows = count(db, "select count(*) from progress_logs where team_id = :team")
    refreshes = len(fake.calls_to("chat.update"))
    reads, bare_reads = alternating("reads", "status P-1", args.reads, is_card)
    bare_res = Result("bare")
    for part in (bare_writes, bare_reads):
        bare_res.add(part)
    db.dispose()

    print("\nlatency, client-side, ms:")
    for res in (writes, reads, bare_res):
        res.report()
    saved = len(writes.latencies) - len(writes.failures)
    print(f"\nprogress_logs rows: {rows} (expected {args.logs}; acks saying saved: {saved}) -> "
          f"{'OK' if rows == args.logs else 'WRONG'}")
    print(f"card refreshes after the acks (chat.update): {refreshes} for {args.logs} logs")
    print(f"\nratios to the bare app's rounds alternating with each phase's (p50 {bare_writes.pct(50):.1f} /"
          f" {bare_reads.pct(50):.1f} ms; targets: p50 <= 2x, p99 <= 3x):")
    for res, base in ((writes, bare_writes), (reads, bare_reads)):
        r50, r99 = res.pct(50) / base.pct(50), res.pct(99) / base.pct(99)
        print(f"  {res.name:<6} p50 {r50:5.2f}x {'PASS' if r50 <= 2 else 'MISS'}"
              f"   p99 {r99:5.2f}x {'PASS' if r99 <= 3 else 'MISS'}")
    print("\n" + memory_line("web", web, target=150))
    print(memory_line("bare", bare))
    errors = [line for line in (tmp / "web.log").read_text().splitlines() if " ERROR " in line]
    print(f"ERROR lines in the web log: {len(errors)}" + (f"; first: {errors[0][:160]}" if errors else ""))
    return rows == args.logs and not any(res.failures for res in (writes, reads, bare_res))


def main() -> int:
    parser = argparse.ArgumentParser(description="Prosjektbot web load benchmark (see the module docstring)")
    parser.add_argument("--database-url", help="postgresql://… (its schema public is dropped!); default: SQLite")
    parser.add_argument("--smoke", action="store_true", help="64 requests per phase")
    for option in ("--logs", "--reads"):
        parser.add_argument(option, type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4, help="rounds per phase, alternating with the bare app's")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--log-dir", type=Path, help="copy the servers' logs here")
    args = parser.parse_args()
    if args.smoke:
        args.logs, args.reads, args.rounds = 64, 64, 2

    fake = FakeSlack(token=TOKEN, team_id=TEAM).start()
    fake.add_channel(CHANNEL, name="kunde")
    for user in [PM, *(f"UBENCH{i:04d}" for i in range(args.clients))]:
        fake.add_user(user, name=user.lower())
    servers: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="prosjektbot-bench-") as tmpdir:
        try:
            ok = run(args, fake, Path(tmpdir), servers)
        finally:
            for server in servers:
                stop(server)
            fake.stop()
            if args.log_dir:
                args.log_dir.mkdir(parents=True, exist_ok=True)
                for log in Path(tmpdir).glob("*.log"):
                    shutil.copy(log, args.log_dir / log.name)
    print(f"\nresult: {'ok' if ok else 'FAILED'} (exit {int(not ok)})")
    return int(not ok)


if __name__ == "__main__":
    sys.exit(main())
