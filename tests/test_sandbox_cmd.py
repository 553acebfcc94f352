"""`prosjektbot sandbox` (issue 12, docs/sandbox.md): the command started as a newcomer would, in a subprocess, in an
environment that holds a real-looking Slack token, Slack URL and database: the page answers, the demo agency is
there (people, channels, projects in every state, made through the bot), time moves forward only and the clock
posts as it moves, a restart keeps the data folder's now and does not seed again, SIGTERM and Ctrl-C stop it with
exit 0, and nothing is sent anywhere but the stand-in."""

from __future__ import annotations

import datetime as dt
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from babel.dates import format_date

from bot.domain.workdays import is_working_day
from bot.sandbox import agency
from tests.conftest import flat

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER_CHANNELS = [cid for cid, name in agency.CHANNELS if name.startswith("kunde-")]


class _Recorder(BaseHTTPRequestHandler):
    """A stand-in for real Slack and anything else the environment points at: records whatever reaches it."""

    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        _Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@dataclass
class Running:
    process: subprocess.Popen[str]
    url: str
    lines: list[str]
    more: queue.Queue[str]  # what it prints after its URL, read by a thread
    reader: threading.Thread

    def get(self, path: str, **params: str) -> Any:
        response = requests.get(self.url + path, params=params, timeout=30)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return requests.post(self.url + path, json=body, timeout=120).json()

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        while not self.more.empty():
            self.lines.append(self.more.get())
        return code, "".join(self.lines)


def hostile_env(tmp: Path, elsewhere: str) -> dict[str, str]:
    """What a developer's shell may hold: a real token, Slack's URL moved, a production database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "XDG_DATA_HOME"))}
    env.update(SLACK_BOT_TOKEN="xoxb-real-token-never-to-be-used", SLACK_SIGNING_SECRET="real-signing-secret-0000",
               SLACK_API_URL=f"{elsewhere}/api/", DATABASE_URL=f"sqlite:///{tmp}/production.db",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return env


def start(cwd: Path, env: dict[str, str], *args: str, browser: bool = False) -> Running:
    quiet = [] if browser else ["--no-browser"]
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "sandbox", *quiet, "--port", "0", *args],
                               cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in iter(process.stdout.readline, "")],  # type: ignore[union-attr]
                              daemon=True)
    reader.start()
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=90)
        except queue.Empty:
            process.kill()
            raise AssertionError("the sandbox did not print its URL within 90 s:\n" + "".join(seen)) from None
        seen.append(line)
        if line.startswith("Prosjektbot sandbox: "):
            seen.append(lines.get(timeout=5))
            return Running(process, line.split(": ", 1)[1].strip(), seen, lines, reader)
        if process.poll() is not None and lines.empty():
            raise AssertionError("the sandbox stopped before it was ready:\n" + "".join(seen))


def cards(running: Running, channel: str) -> list[dict[str, Any]]:
    messages = running.get("/sandbox/messages", channel=channel, user=agency.KARI)["messages"]
    return [m for m in messages if any(b.get("type") == "actions" for b in m.get("blocks") or [])]


def every_message(running: Running) -> list[dict[str, Any]]:
    return [m for cid, _ in agency.CHANNELS
            for m in running.get("/sandbox/messages", channel=cid, user=agency.KARI)["messages"]]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, elsewhere: str) -> Iterator[Running]:
    """One `--fresh` sandbox for the module, started in a folder whose `.env` holds the real-looking values too."""
    cwd = tmp_path_factory.mktemp("fresh")
    (cwd / ".env").write_text(f"SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_API_URL={elsewhere}/dotenv/\n"
                              f"DATABASE_URL=sqlite:///{cwd}/dotenv.db\n")
    running = start(cwd, hostile_env(cwd, elsewhere), "--fresh")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()
    assert not (cwd / ".sandbox").exists()  # --fresh: a temporary folder, not the default one
    assert not list(cwd.glob("*.db"))  # neither DATABASE_URL's database nor .env's was created


def test_the_page_answers_with_the_demo_agency(fresh: Running) -> None:
    page = requests.get(fresh.url, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    state = fresh.get("/sandbox/state")
    people = {p["real_name"]: p for p in state["people"]}
    assert set(people) == {"Kari Nordmann", "Ola Hansen", "Ingrid Berg", "Per Lie"}
    assert people["Kari Nordmann"]["is_admin"] and not people["Per Lie"]["is_admin"]
    assert {c["name"] for c in state["channels"]} >= {name for _, name in agency.CHANNELS}
    now = dt.datetime.fromisoformat(state["now"])
    assert abs((now - dt.datetime.now(dt.UTC)).total_seconds()) < 120  # the seeding ended at the real time
    assert "ready in" in fresh.lines[-1]
    # the seeding's forms were sent and closed as a person's are: none is left open on anyone's screen
    assert all(fresh.get("/sandbox/modal", user=p["id"])["stack"] == [] for p in state["people"])


def test_the_seeded_projects_show_every_state(fresh: Running) -> None:
    shown = [flat(card["blocks"]) for channel in CUSTOMER_CHANNELS for card in cards(fresh, channel)]
    text = "\n".join(shown)
    for key in ("P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7", "P-8"):
        assert f"{key} ·" in text, f"no card for {key}"
    for colour in ("🟢", "🟡", "🔴"):
        assert colour in text
    assert "Avgrenset" in text and "Løpende" in text
    assert "Rutine: *SEO-oppstart v1*" in text and "Kostnadsramme" in text
    # weeks of history: the clock's reminders, nags and Monday summaries, and the portfolio in #ledelse
    messages = every_message(fresh)
    first = min(float(m["ts"]) for m in messages)
    assert dt.datetime.now(dt.UTC).timestamp() - first > 12 * 86400
    texts = [m["text"] for m in messages]
    assert sum(t.startswith("Ukesoppsummering") for t in texts) >= 3
    assert any("Forsinket" in t for t in texts) and any("Frist om" in t for t in texts)
    ledelse = fresh.get("/sandbox/messages", channel=agency.LEDELSE, user=agency.PER)["messages"]
    # every command the seeding typed was understood: the people's answers (only they see them) hold no refusal
    answers = [m["text"] + flat(m.get("blocks") or []) for cid, _ in agency.CHANNELS for person in agency.PEOPLE
               for m in fresh.get("/sandbox/messages", channel=cid, user=person.id)["messages"] if m["ephemeral"]]
    assert len(answers) > 60
    refused = ("Du skrev", "Fant ikke", "Fant ingen", "Noe gikk galt", "Databasen svarer ikke", "Bare ")
    assert not [a for a in answers if any(word in a for word in refused)]
    [portfolio] = [m for m in ledelse if m["text"].startswith("Portefølje")]
    thread = fresh.get("/sandbox/thread", channel=agency.LEDELSE, ts=portfolio["ts"], user=agency.PER)["messages"]
    [chart] = [f for m in thread for f in m["files"] if f["mimetype"] == "image/png"]
    assert requests.get(fresh.url.rstrip("/") + chart["url"] if chart["url"].startswith("/") else chart["url"],
                        timeout=10).content.startswith(b"\x89PNG")


def test_a_command_from_the_page_reaches_the_bot(fresh: Running) -> None:
    answer = fresh.post("/sandbox/command", {"user": agency.PER, "channel": agency.LEDELSE, "text": "liste alle"})
    assert answer["ok"], answer
    mine = fresh.get("/sandbox/messages", channel=agency.LEDELSE, user=agency.PER)["messages"]
    listing = [m for m in mine if m["ephemeral"] and "Alle prosjekter" in flat(m.get("blocks") or m["text"])]
    assert listing and "Nyhetsbrev Fjordkraft" in flat(listing[-1]["blocks"])
    assert "_pauset_" in flat(listing[-1]["blocks"])


def test_between_moves_the_clock_still_ticks(fresh: Running) -> None:
    """Crossing the hours frame with a `logg` brings the clock's alert within seconds, now standing still."""
    now = fresh.get("/sandbox/state")["now"]
    answer = fresh.post("/sandbox/command", {"user": agency.INGRID, "channel": agency.SPAREBANKEN,
                                             "text": "logg P-5 9t Mer annonsemateriell"})
    assert answer["ok"]
    until = time.monotonic() + 30
    while time.monotonic() < until:
        posted = fresh.get("/sandbox/messages", channel=agency.SPAREBANKEN, user=agency.KARI)["messages"]
        if any("100 % av timerammen er brukt" in m["text"] for m in posted):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("no hours-frame alert within 30 s")
    assert fresh.get("/sandbox/state")["now"] == now


def test_time_moves_forward_and_the_clock_posts(fresh: Running) -> None:
    before = dt.datetime.fromisoformat(fresh.get("/sandbox/state")["now"])
    moved = fresh.post("/sandbox/time", {"to": "monday_09"})
    assert moved["ok"], moved
    monday = dt.datetime.fromisoformat(moved["now"])
    assert monday > before and monday.astimezone(agency.ZONE).weekday() == 0
    assert monday.astimezone(agency.ZONE).hour == 9
    if not is_working_day(monday.astimezone(agency.ZONE).date()):  # Easter or Whit Monday: the summary comes next day
        monday = dt.datetime.fromisoformat(fresh.post("/sandbox/time", {"to": "next_workday_09"})["now"])
    assert dt.datetime.fromisoformat(fresh.get("/sandbox/state")["now"]) == monday
    new = [m for m in every_message(fresh) if float(m["ts"]) >= monday.timestamp()]
    assert any(m["text"].startswith("Ukesoppsummering") for m in new), [m["text"][:60] for m in new]
    assert any(m["text"].startswith("Portefølje") for m in new)
    # the bot's requests see the same now: a log made now is dated that Monday
    fresh.post("/sandbox/command", {"user": agency.OLA, "channel": agency.FJORDKRAFT, "text": "logg P-1 1t Test"})
    status = fresh.post("/sandbox/command", {"user": agency.OLA, "channel": agency.FJORDKRAFT, "text": "status P-1"})
    assert status["ok"]
    mine = fresh.get("/sandbox/messages", channel=agency.FJORDKRAFT, user=agency.OLA)["messages"]
    day = monday.astimezone(agency.ZONE)
    assert f"{format_date(day, 'EEE', locale='nb')} {day.day}." in flat(mine[-1]["blocks"])


def test_time_never_moves_back(fresh: Running) -> None:
    now = fresh.get("/sandbox/state")["now"]
    refused = fresh.post("/sandbox/time", {"to": "2020-01-06T09:00:00+01:00"})
    assert refused["ok"] is False and "only moves forward" in refused["error"]
    garbled = fresh.post("/sandbox/time", {"to": "i går"})
    assert garbled["ok"] is False and "next_workday_09" in garbled["error"]
    assert fresh.get("/sandbox/state")["now"] == now


def test_sigterm_stops_it_cleanly_and_nothing_went_elsewhere(fresh: Running) -> None:
    code, output = fresh.stop(signal.SIGTERM)
    assert code == 0, output
    assert "Prosjektbot sandbox stopped." in output and "Traceback" not in output
    assert _Recorder.seen == []  # not one request to the environment's SLACK_API_URL or .env's


def test_a_restart_keeps_now_and_does_not_seed_again(tmp_path: Path, elsewhere: str) -> None:
    env = hostile_env(tmp_path, elsewhere)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    first = start(tmp_path, env)
    assert "seeded in" in first.lines[-1]
    moved = first.post("/sandbox/time", {"to": "+2h"})["now"]
    shown = every_message(first)
    code, _ = first.stop(signal.SIGINT)  # Ctrl-C
    assert code == 0
    folder = tmp_path / "data" / "prosjektbot-sandbox"
    assert (folder / "prosjektbot.db").exists() and (folder / "seeded.json").exists()
    opener = tmp_path / "browser.sh"  # the browser it opens ($BROWSER, as Python's webbrowser reads it)
    opener.write_text(f'#!/bin/sh\necho "$1" > {tmp_path}/opened.txt\n')
    opener.chmod(0o755)
    again = start(tmp_path, {**env, "BROWSER": f"{opener} %s"}, browser=True)
    try:
        assert "as it was left" in again.lines[-1]
        until = time.monotonic() + 10
        while not (tmp_path / "opened.txt").exists():
            assert time.monotonic() < until, "the browser was not opened"
            time.sleep(0.1)
        assert (tmp_path / "opened.txt").read_text().strip() == again.url
        assert again.get("/sandbox/state")["now"] == moved
        assert every_message(again) == shown  # the page shows what it showed (bot.sandbox.snapshot)
        [card] = [c for c in cards(again, agency.FJORDKRAFT) if "P-1 ·" in flat(c["blocks"])]
        assert again.post("/sandbox/command", {"user": agency.OLA, "channel": agency.FJORDKRAFT,
                                               "text": "logg P-1 5t Etter omstart"})["ok"]
        until = time.monotonic() + 10
        while not [c for c in cards(again, agency.FJORDKRAFT) if c["ts"] == card["ts"] and c != card]:
            assert time.monotonic() < until, "the card kept from before the restart was not updated"
            time.sleep(0.2)
        answer = again.post("/sandbox/command", {"user": agency.KARI, "channel": agency.REMA, "text": "liste alle"})
        assert answer["ok"]
        listing = [m for m in again.get("/sandbox/messages", channel=agency.REMA, user=agency.KARI)["messages"]
                   if m["ephemeral"]][-1]
        assert flat(listing["blocks"]).count("Nettside Fjordkraft") == 1
        assert "P-9" not in flat(listing["blocks"])
    finally:
        code, output = again.stop(signal.SIGTERM)
    assert code == 0, output
    assert _Recorder.seen == []


def test_a_port_in_use_is_named_and_nothing_is_left_behind(tmp_path: Path, elsewhere: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = hostile_env(tmp_path, elsewhere)
        done = subprocess.run([sys.executable, "-m", "bot.cli", "sandbox", "--no-browser", "--port", str(port)],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / ".sandbox" / "now.json").exists()  # the next start is a first start again
