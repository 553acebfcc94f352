"""The processes as an operator runs them: `prosjektbot web` (granian), `db upgrade`, and bad settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, inspect

from fakeslack import FakeSlack, Sender
from tests.conftest import PM, SECRET, TOKEN

CLI = [sys.executable, "-m", "bot.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "PROSJEKT_", "PORT"))}
    return {**keep, "PYTHONPATH": str(Path(__file__).parent.parent), **values}


@pytest.fixture
def web(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "web", "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its worker still starting
                pass
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_web_serves_slack_and_health_with_granian_on_a_fresh_sqlite_file(
        web: tuple[str, subprocess.Popen[bytes]], fake: FakeSlack, tmp_path: Path) -> None:
    base, process = web
    assert (tmp_path / "prosjektbot.db").exists()  # the default database, migrated on start
    assert requests.get(f"{base}/healthz", timeout=5).text == "ok\n"
    slack = Sender(url=f"{base}/slack/events", secret=SECRET, team_id="T0WEBSERVE", fake=fake)
    answer = slack.command('ny Lansering kunde:"Tine SA" frist:15.12.2026', user=PM).json()
    assert "P-1" in answer["text"]
    posted = fake.wait_for("chat.postMessage")
    assert "Lansering" in str(posted[-1].args["blocks"])
    assert slack.command("status P-1", user=PM).status_code == 200
    assert requests.post(f"{base}/slack/events", data="x", timeout=5).status_code == 401
    assert requests.get(f"{base}/nowhere", timeout=5).status_code == 404


def test_a_stop_right_after_an_ack_still_makes_the_queued_slack_calls(
        web: tuple[str, subprocess.Popen[bytes]], fake: FakeSlack, tmp_path: Path) -> None:
    """SIGTERM (a deploy, a dyno restart) while the new project's card is still on its way to a slow Slack: the
    server stops once the card is posted and its ts stored, and exits cleanly."""
    base, process = web
    fake.delay_next("chat.postMessage", 2.0)
    slack = Sender(url=f"{base}/slack/events", secret=SECRET, team_id="T0WEBSTOP1", fake=fake)
    assert "P-1" in slack.command('ny Lansering kunde:"Tine SA" frist:15.12.2026', user=PM).json()["text"]
    process.terminate()
    assert process.wait(timeout=15) == 0
    with create_engine(f"sqlite:///{tmp_path / 'prosjektbot.db'}").connect() as conn:
        card_ts = conn.exec_driver_sql("select card_ts from projects where team_id = 'T0WEBSTOP1'").scalar_one()
    assert card_ts is not None and card_ts == fake.calls_to("chat.postMessage")[-1].response["ts"]


@pytest.mark.parametrize(("variables", "line"), [
    ({}, "Configuration error: SLACK_BOT_TOKEN is missing"),
    ({"SLACK_BOT_TOKEN": TOKEN}, "Configuration error: SLACK_SIGNING_SECRET is missing"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": SECRET},
     "Configuration error: SLACK_BOT_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "PORT": "seventy"},
     "Configuration error: PORT is malformed"),
    ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "PROSJEKT_TIMEZONE": "Europe/Bergen"},
     "Configuration error: PROSJEKT_TIMEZONE is malformed"),
    ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "DATABASE_URL": "mysql://x"},
     "Configuration error: DATABASE_URL is malformed"),
])
def test_a_missing_or_malformed_setting_stops_start_up_with_one_line_naming_it(
        variables: dict[str, str], line: str, tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "web"], cwd=tmp_path, env=env(**variables), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), done.stderr
    assert not (tmp_path / "prosjektbot.db").exists()


def test_socket_mode_needs_the_app_token(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "socket"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env=env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET))
    assert done.returncode == 2
    assert done.stderr.strip().startswith("Configuration error: SLACK_APP_TOKEN is missing")


def test_db_upgrade_creates_the_schema_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path}/from-dotenv.db\n")
    done = subprocess.run([*CLI, "db", "upgrade"], cwd=tmp_path, env=env(), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    tables = set(inspect(create_engine(f"sqlite:///{tmp_path}/from-dotenv.db")).get_table_names())
    assert {"workspaces", "projects", "members", "goals", "tasks", "progress_logs", "history",
            "handled_requests", "alembic_version"} <= tables
