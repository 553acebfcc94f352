"""The Slack client keeps its connections alive (bot.slack_http), and fails the way slack_sdk's own client fails."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import make_client
from bot.settings import Settings
from fakeslack import FakeSlack

TOKEN = "xoxb-test"


def settings(api_url: str) -> Settings:
    return Settings(database_url="sqlite://", slack_bot_token=TOKEN, slack_signing_secret="s" * 32,
                    slack_api_url=api_url)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as f:
        yield f


def test_the_bots_client_sends_its_calls_over_one_connection(fake: FakeSlack) -> None:
    client = make_client(settings(fake.url))
    ts = client.chat_postMessage(channel="C1", text="Frist i dag")["ts"]
    for name in ("white_check_mark", "alarm_clock", "eyes"):
        client.reactions_add(channel="C1", timestamp=ts, name=name)
    assert len({call.peer for call in fake.calls}) == 1
    plain = WebClient(token=TOKEN, base_url=fake.url)  # slack_sdk's own: a connection per call
    fake.reset()
    for _ in range(3):
        plain.auth_test()
    assert len({call.peer for call in fake.calls}) == 3


def test_slack_errors_come_back_as_from_slack_sdks_own_client(fake: FakeSlack) -> None:
    client = make_client(settings(fake.url), rate_limit_retries=False)
    fake.rate_limit_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429 and limited.value.response.headers["Retry-After"] == "7"
    fake.http_error_next("chat.postMessage", status=503, times=3)  # longer than the client's two retries
    with pytest.raises(SlackApiError) as failed:
        client.chat_postMessage(channel="C1", text="x")
    assert failed.value.response.status_code == 503
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 503, 503, 503]
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True  # the connection is still good


def test_a_server_that_refuses_the_connection_is_a_urlerror() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(settings(f"http://127.0.0.1:{port}/api/"))
    with pytest.raises(URLError):  # an OSError, as urllib raises it: the clock counts it as a transient error
        client.auth_test()


class _ClosesAfterEachAnswer(BaseHTTPRequestHandler):
    """A server that drops each connection after answering without saying so (as Slack does with an idle one)."""

    protocol_version = "HTTP/1.1"
    peers: list[int] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": True, "url": "https://x.slack.com/"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.peers.append(self.client_address[1])
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def test_a_connection_the_server_dropped_is_replaced() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ClosesAfterEachAnswer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = make_client(settings(f"http://127.0.0.1:{server.server_address[1]}/api/"))
        assert [client.auth_test()["ok"] for _ in range(3)] == [True, True, True]
        assert len(set(_ClosesAfterEachAnswer.peers)) == 3
    finally:
        server.shutdown()
        server.server_close()
