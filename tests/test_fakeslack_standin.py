"""The stand-in's own behaviour (docs/sandbox.md): the shapes it sends to a bot (a recording bot that checks the
signature and answers as told), how it applies the answers, modal stacks and hashes, response_urls, refused
calls, files, the event stream and the page's static files."""

from __future__ import annotations

import collections
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from fakeslack import FakeSlack
from tests.conftest import serve

TOKEN, SECRET, KARI, OLA, CH = "xoxb-standin", "standin-secret", "UKARI", "UOLA", "CKUNDE"


class RecordingBot:
    """A bot endpoint that refuses unsigned requests, records what came, and answers from a queue."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: collections.deque[tuple[int, Any]] = collections.deque()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        valid = SignatureVerifier(SECRET).is_valid(body=body, timestamp=environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"],
                                                   signature=environ["HTTP_X_SLACK_SIGNATURE"])
        if environ["CONTENT_TYPE"] == "application/json":
            self.received.append(json.loads(body)["event"])
        else:
            form = dict(parse_qsl(body))
            self.received.append(json.loads(form["payload"]) if "payload" in form else form)
        status, answer = self.answers.popleft() if self.answers else (200, None)
        if not valid:
            status, answer = 401, None
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [json.dumps(answer).encode()] if answer is not None else []


@pytest.fixture
def standin() -> Iterator[tuple[FakeSlack, RecordingBot, WebClient]]:
    bot = RecordingBot()
    url, server = serve(bot)
    fake = FakeSlack(token=TOKEN).start()
    fake.add_user(KARI, name="kari", real_name="Kari Nordmann", is_admin=True, title="Prosjektleder")
    fake.add_user(OLA, name="ola")
    fake.add_channel(CH, name="kunde-tine")
    fake.connect(f"{url}/slack/events", SECRET)
    yield fake, bot, WebClient(token=TOKEN, base_url=fake.url)
    fake.stop()
    server.shutdown()
    server.server_close()


def get(fake: FakeSlack, what: str, **params: str) -> Any:
    return requests.get(f"{fake.base}/sandbox/{what}", params=params, timeout=10).json()


def post(fake: FakeSlack, what: str, **body: Any) -> Any:
    return requests.post(f"{fake.base}/sandbox/{what}", json=body, timeout=10).json()


def modal(title: str = "Ny oppgave", **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [], **extra}


SNOOZE = {"type": "actions", "block_id": "b1", "elements": [
    {"type": "static_select", "action_id": "followup.snooze", "placeholder": {"type": "plain_text", "text": "Utsett"},
     "options": [{"text": {"type": "plain_text", "text": "1 dag"}, "value": "s:1"}]}]}


def test_a_slash_command_is_sent_signed_and_its_ack_shown_in_channel_or_refused(standin) -> None:
    fake, bot, _ = standin
    bot.answers.append((200, {"response_type": "in_channel", "text": "Hei alle"}))
    assert post(fake, "command", user=KARI, channel=CH, text="status") == {"ok": True}
    sent = bot.received[-1]
    assert (sent["command"], sent["text"], sent["user_id"], sent["channel_id"]) == ("/prosjekt", "status", KARI, CH)
    assert sent["channel_name"] == "kunde-tine" and sent["trigger_id"] and sent["response_url"].startswith(fake.base)
    [shown] = get(fake, "messages", channel=CH, user=OLA)["messages"]
    assert shown["text"] == "Hei alle" and not shown["ephemeral"] and shown["is_bot"]
    bot.answers.append((200, {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]}))
    post(fake, "command", user=KARI, channel=CH, text="status")
    refused = get(fake, "messages", channel=CH, user=KARI)["messages"][-1]
    assert refused["rejected"]["error"] == "invalid_blocks" and "json-pointer:/blocks/0/text/text" in json.dumps(
        refused["rejected"]["messages"])
    assert len(get(fake, "messages", channel=CH, user=OLA)["messages"]) == 1
    bot.answers.append((500, None))
    assert post(fake, "command", user=KARI, channel=CH, text="status") == {"ok": False, "error": "http_500"}
    assert get(fake, "messages", channel=CH, user=KARI)["messages"][-1]["text"] == (
        '/prosjekt failed with the error "http_500"')
    fake.connect("http://127.0.0.1:9/slack/events", SECRET)  # nothing listens there
    down = requests.post(f"{fake.base}/sandbox/command", json={"user": KARI, "channel": CH, "text": "x"}, timeout=10)
    assert (down.status_code, down.json()) == (502, {"ok": False, "error": "bot_unreachable"})


def test_block_actions_reactions_and_shortcuts_are_shaped_as_slack_sends_them(standin) -> None:
    fake, bot, client = standin
    ts = client.chat_postMessage(channel=CH, text="Påminnelse", blocks=[SNOOZE])["ts"]
    option = SNOOZE["elements"][0]["options"][0]
    values = {"b1": {"followup.snooze": {"type": "static_select", "selected_option": option}}}
    assert post(fake, "action", user=OLA, source={"channel": CH, "ts": ts}, block_id="b1",
                action_id="followup.snooze", action={"selected_option": option},
                state={"values": values}) == {"ok": True}
    sent = bot.received[-1]
    assert sent["type"] == "block_actions" and sent["user"]["id"] == OLA and sent["state"] == {"values": values}
    assert sent["container"] == {"type": "message", "message_ts": ts, "channel_id": CH, "is_ephemeral": False}
    assert sent["message"]["ts"] == ts and sent["response_url"] and sent["trigger_id"]
    [action] = sent["actions"]
    assert (action["type"], action["action_id"], action["block_id"], action["selected_option"]) == (
        "static_select", "followup.snooze", "b1", option) and action["action_ts"]
    assert post(fake, "react", user=OLA, channel=CH, ts=ts, name="white_check_mark", add=True) == {"ok": True}
    assert bot.received[-1] == {"type": "reaction_added", "user": OLA, "reaction": "white_check_mark",
                                "item_user": "UBOT", "item": {"type": "message", "channel": CH, "ts": ts},
                                "event_ts": bot.received[-1]["event_ts"]}
    post(fake, "react", user=OLA, channel=CH, ts=ts, name="white_check_mark", add=False)
    assert bot.received[-1]["type"] == "reaction_removed"
    assert post(fake, "shortcut", user=KARI, channel=CH, ts=ts, callback_id="log_message") == {"ok": True}
    sent = bot.received[-1]
    assert (sent["type"], sent["callback_id"], sent["message_ts"], sent["message"]["text"]) == (
        "message_action", "log_message", ts, "Påminnelse")
    mentioned = post(fake, "message", user=KARI, channel=CH, text="Hei <@UBOT>", thread_ts=ts)
    assert bot.received[-1] == {"type": "app_mention", "channel": CH, "user": KARI, "text": "Hei <@UBOT>",
                                "ts": mentioned["ts"], "thread_ts": ts, "event_ts": mentioned["ts"]}
    [parent, reply] = get(fake, "thread", channel=CH, ts=ts, user=KARI)["messages"]
    assert parent["reply_count"] == 1 and reply["thread_ts"] == ts and reply["text"] == "Hei <@UBOT>"


def test_the_modal_stack_follows_views_calls_submission_answers_and_closes(standin) -> None:
    fake, bot, client = standin
    first = client.views_open(trigger_id=fake.trigger(KARI), view=modal(notify_on_close=True))["view"]
    assert [v["id"] for v in get(fake, "modal", user=KARI)["stack"]] == [first["id"]]
    assert get(fake, "modal", user=OLA)["stack"] == []
    updated = client.views_update(view_id=first["id"], hash=first["hash"],
                                  view=modal("Endret", notify_on_close=True))["view"]
    assert updated["hash"] != first["hash"]
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=first["id"], hash=first["hash"], view=modal("For sent"))
    assert stale.value.response["error"] == "hash_conflict"
    pushed = client.views_push(trigger_id=fake.trigger(KARI), view=modal("Steg 2"))["view"]
    assert [v["id"] for v in get(fake, "modal", user=KARI)["stack"]] == [first["id"], pushed["id"]]
    # the bot answers the submission: errors, then update, then push, then an empty ack closes the top
    bot.answers.extend([(200, {"response_action": "errors", "errors": {"title": "Skriv en tittel"}}),
                        (200, {"response_action": "update", "view": modal("Oppdatert")}),
                        (200, {"response_action": "push", "view": modal("Steg 3")}), (200, None)])
    answer = post(fake, "submit", user=KARI, view_id=pushed["id"], values={"title": {"t": {"value": ""}}})
    assert answer == {"ok": True, "errors": {"title": "Skriv en tittel"}}
    sent = bot.received[-1]
    assert sent["type"] == "view_submission" and sent["view"]["hash"] == pushed["hash"]
    assert sent["view"]["state"] == {"values": {"title": {"t": {"value": ""}}}}
    assert post(fake, "submit", user=KARI, view_id=pushed["id"], values={}) == {"ok": True}
    stack = get(fake, "modal", user=KARI)["stack"]
    assert [v["title"]["text"] for v in stack] == ["Endret", "Oppdatert"] and stack[1]["id"] == pushed["id"]
    post(fake, "submit", user=KARI, view_id=pushed["id"], values={})
    assert [v["title"]["text"] for v in get(fake, "modal", user=KARI)["stack"]] == ["Endret", "Oppdatert", "Steg 3"]
    top = get(fake, "modal", user=KARI)["stack"][-1]
    post(fake, "submit", user=KARI, view_id=top["id"], values={})
    assert len(get(fake, "modal", user=KARI)["stack"]) == 2
    # closing the first view closes what was pushed over it, and tells the bot (it asked: notify_on_close)
    assert post(fake, "close", user=KARI, view_id=first["id"]) == {"ok": True}
    assert get(fake, "modal", user=KARI)["stack"] == []
    assert bot.received[-1]["type"] == "view_closed" and bot.received[-1]["view"]["id"] == first["id"]
    assert post(fake, "close", user=KARI, view_id=first["id"])["error"] == "view_not_open"


def test_response_urls_show_ephemeral_replace_and_delete_where_the_action_was(standin) -> None:
    fake, _, client = standin
    url = fake.response_url(user=KARI, channel=CH)
    assert requests.post(url, json={"text": "Bare for deg"}, timeout=5).status_code == 200
    [ephemeral] = get(fake, "messages", channel=CH, user=KARI)["messages"]
    assert ephemeral["ephemeral"] and ephemeral["text"] == "Bare for deg"
    assert get(fake, "messages", channel=CH, user=OLA)["messages"] == []
    requests.post(url, json={"text": "Oppdatert", "replace_original": True}, timeout=5)
    assert [m["text"] for m in get(fake, "messages", channel=CH, user=KARI)["messages"]] == ["Oppdatert"]
    requests.post(url, json={"delete_original": True}, timeout=5)
    assert get(fake, "messages", channel=CH, user=KARI)["messages"] == []
    ts = client.chat_postMessage(channel=CH, text="Kort")["ts"]
    on_card = fake.response_url(user=OLA, channel=CH, ts=ts, ephemeral=False)
    requests.post(on_card, json={"text": "Kort, oppdatert", "replace_original": True}, timeout=5)
    [card] = get(fake, "messages", channel=CH, user=KARI)["messages"]
    assert card["text"] == "Kort, oppdatert" and card["edited"] and not card["ephemeral"]
    client.chat_postEphemeral(channel=CH, user=OLA, text="Til Ola")
    assert [m["text"] for m in get(fake, "messages", channel=CH, user=OLA)["messages"]] == ["Kort, oppdatert",
                                                                                          "Til Ola"]


def test_refused_posts_are_kept_in_red_and_files_are_served(standin) -> None:
    fake, _, client = standin
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel=CH, text="x", blocks=[{"type": "header", "text": {
            "type": "plain_text", "text": "y" * 151}}])
    assert fake.messages(CH) == []
    [refused] = get(fake, "messages", channel=CH, user=OLA)["messages"]
    assert refused["rejected"]["error"] == "invalid_blocks" and refused["blocks"][0]["type"] == "header"
    client.files_upload_v2(channel=CH, content=b"\x89PNG fake chart", filename="portefolje.png", title="Portefølje")
    shared = get(fake, "messages", channel=CH, user=OLA)["messages"][-1]
    [file] = shared["files"]
    assert (file["name"], file["title"], file["mimetype"]) == ("portefolje.png", "Portefølje", "image/png")
    served = requests.get(fake.base + file["url"], timeout=5)
    assert served.content == b"\x89PNG fake chart" and served.headers["Content-Type"] == "image/png"
    assert requests.get(f"{fake.base}/sandbox/files/F404", timeout=5).status_code == 404


class StubClock:
    """The sandbox clock's interface (bot/sandbox has the real one): now, and advance that only goes forward."""

    def __init__(self) -> None:
        import datetime as dt
        self.moment = dt.datetime(2026, 11, 26, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    def now(self) -> Any:
        return self.moment

    def advance(self, to: str) -> Any:
        import datetime as dt
        target = self.moment + dt.timedelta(hours=1) if to == "+1h" else dt.datetime.fromisoformat(to)
        if target < self.moment:
            raise ValueError("time_only_moves_forward")
        self.moment = target
        return target


def test_an_attached_clock_gives_now_message_ts_and_moves_time(standin) -> None:
    fake, _, client = standin
    fake.attach_clock(StubClock())
    assert get(fake, "state")["now"] == "2026-11-26T10:00:00+01:00"
    first = client.chat_postMessage(channel=CH, text="a")["ts"]
    second = client.chat_postMessage(channel=CH, text="b")["ts"]
    assert first.startswith(str(int(StubClock().moment.timestamp()))) and float(second) > float(first)
    assert post(fake, "time", to="+1h") == {"ok": True, "now": "2026-11-26T11:00:00+01:00"}
    assert post(fake, "time", to="2026-11-01T09:00:00+01:00") == {"ok": False, "error": "time_only_moves_forward"}
    assert float(client.chat_postMessage(channel=CH, text="c")["ts"]) >= float(first) + 3600


def test_the_event_stream_tells_of_each_change_and_ends_when_the_stand_in_stops(standin) -> None:
    fake, _, client = standin
    stream = requests.get(f"{fake.base}/sandbox/events", stream=True, timeout=10)
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    lines = (line for line in stream.iter_lines(chunk_size=1, decode_unicode=True) if line.startswith("data: "))
    start = json.loads(next(lines)[6:])["version"]
    client.chat_postMessage(channel=CH, text="Ny melding")
    assert json.loads(next(lines)[6:])["version"] > start
    stopped = threading.Thread(target=fake.stop)
    began = time.monotonic()
    stopped.start()
    stopped.join(timeout=5)
    assert not stopped.is_alive() and time.monotonic() - began < 3
    assert list(lines) == []  # the stream ended


def test_the_page_is_served_and_nothing_outside_it(standin) -> None:
    fake, _, _ = standin
    index = requests.get(fake.base + "/", timeout=5)
    assert index.status_code == 200 and index.headers["Content-Type"].startswith("text/html")
    assert requests.get(fake.base + "/page/index.html", timeout=5).text == index.text
    assert requests.get(fake.base + "/page/../server.py", timeout=5).status_code == 404
    assert requests.get(fake.base + "/page/%2E%2E/server.py", timeout=5).status_code == 404
    assert requests.get(fake.base + "/sandbox/nothing", timeout=5).status_code == 404


@pytest.mark.parametrize(("action", "body", "error"), [
    ("command", {"channel": CH, "text": "hjelp"}, "missing_user"),
    ("action", {"user": KARI, "source": {"channel": CH, "ts": "1.1"}, "action_id": "a", "state": "x"}, "invalid_state"),
    ("action", {"user": KARI, "source": {"channel": CH, "ts": "1.1"}, "action_id": "a"}, "message_not_found"),
    ("submit", {"user": KARI, "view_id": "V404"}, "view_not_open"),
    ("react", {"user": KARI, "channel": CH, "ts": "1.1", "name": "eyes"}, "message_not_found"),
    ("nothing", {"user": KARI}, "unknown_action"),
])
def test_a_bad_action_is_refused_with_a_reason_and_sends_nothing(standin, action, body, error) -> None:
    fake, bot, _ = standin
    answer = requests.post(f"{fake.base}/sandbox/{action}", json=body, timeout=5)
    assert answer.status_code in (400, 404) and answer.json() == {"ok": False, "error": error}
    assert bot.received == []
    assert fake.base.startswith("http://127.0.0.1:")
