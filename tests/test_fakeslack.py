"""Tests for fakeslack, driven through a real slack_sdk.WebClient over HTTP."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from fakeslack import Call, FakeSlack

TOKEN = "xoxb-test"


@pytest.fixture
def fake():
    with FakeSlack(token=TOKEN, team_id="T0001", bot_user_id="UBOT", bot_id="BBOT") as f:
        yield f


@pytest.fixture
def client(fake):
    return WebClient(token=TOKEN, base_url=fake.url)


def api_error(fn, *args, **kwargs) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        fn(*args, **kwargs)
    return info.value


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Ny oppgave", **extra) -> dict:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [], **extra}


# -- lifecycle, auth ---------------------------------------------------------------------------------
def test_url_format_and_stop_releases_port():
    fake = FakeSlack().start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", fake.url)
    url = fake.url
    fake.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url + "auth.test", timeout=2)
    with pytest.raises(RuntimeError):
        _ = fake.url


def test_auth_test_identity(client):
    data = client.auth_test().data
    assert data["ok"] is True
    assert (data["team_id"], data["user_id"], data["bot_id"]) == ("T0001", "UBOT", "BBOT")
    assert data["url"].startswith("https://") and data["team"]


def test_missing_token_is_not_authed(fake):
    err = api_error(WebClient(base_url=fake.url).auth_test)
    assert err.response["error"] == "not_authed"
    assert err.response.status_code == 200
    assert fake.calls[-1].response == {"ok": False, "error": "not_authed"}


def test_wrong_token_is_invalid_auth(fake):
    err = api_error(WebClient(token="xoxb-wrong", base_url=fake.url).chat_postMessage, channel="C1", text="x")
    assert err.response["error"] == "invalid_auth"
    assert fake.messages("C1") == []


def test_token_as_form_field_and_json_decoded_form_values(fake):
    blocks = [section("hei")]
    resp = requests.post(fake.url + "chat.postMessage",
                         data={"token": TOKEN, "channel": "C1", "blocks": json.dumps(blocks)}, timeout=5)
    assert resp.json()["ok"] is True
    call = fake.calls_to("chat.postMessage")[0]
    assert call.args["blocks"] == blocks
    assert call.path == "/api/chat.postMessage"


def test_unknown_method(client):
    err = api_error(client.api_call, "chat.nonsense")
    assert err.response["error"] == "unknown_method"


# -- chat ---------------------------------------------------------------------------------------------
def test_post_update_and_messages_state(fake, client):
    posted = client.chat_postMessage(channel="C1", text="første", blocks=[section("første")])
    assert re.fullmatch(r"\d{10}\.\d{6}", posted["ts"])
    assert posted["message"]["user"] == "UBOT" and posted["message"]["bot_id"] == "BBOT"
    reply = client.chat_postMessage(channel="C1", text="svar", thread_ts=posted["ts"])
    assert reply["message"]["thread_ts"] == posted["ts"]

    updated = client.chat_update(channel="C1", ts=posted["ts"], text="endret", blocks=[section("endret")])
    assert (updated["ts"], updated["text"]) == (posted["ts"], "endret")

    msgs = fake.messages("C1")
    assert [m["text"] for m in msgs] == ["endret", "svar"]
    assert msgs[0]["blocks"] == [section("endret")] and msgs[0]["thread_ts"] is None
    assert msgs[1]["thread_ts"] == posted["ts"]


def test_update_with_text_only_drops_blocks(fake, client):
    ts = client.chat_postMessage(channel="C1", text="a", blocks=[section("a")])["ts"]
    client.chat_update(channel="C1", ts=ts, text="b")
    assert fake.messages("C1")[0]["blocks"] == []


def test_update_and_delete_unknown_message(client):
    assert api_error(client.chat_update, channel="C1", ts="1.000001", text="x").response["error"] == \
        "message_not_found"
    assert api_error(client.chat_delete, channel="C1", ts="1.000001").response["error"] == "message_not_found"


def test_delete_removes_message(fake, client):
    ts = client.chat_postMessage(channel="C1", text="borte")["ts"]
    client.chat_delete(channel="C1", ts=ts)
    assert fake.messages("C1") == []


def test_post_requires_content_and_postable_channel(fake, client):
    fake.add_channel("CARCH", name="gammel", is_archived=True)
    fake.add_channel("COUT", name="utenfor", is_member=False)
    err = api_error(client.api_call, "chat.postMessage", json={"channel": "C1"})
    assert err.response["error"] == "no_text"
    assert api_error(client.chat_postMessage, channel="CARCH", text="x").response["error"] == "is_archived"
    assert api_error(client.chat_postMessage, channel="COUT", text="x").response["error"] == "not_in_channel"
    client.conversations_join(channel="COUT")
    assert client.chat_postMessage(channel="COUT", text="x")["ok"] is True


def test_post_to_user_id_lands_in_dm(fake, client):
    resp = client.chat_postMessage(channel="U123", text="hei")
    assert resp["channel"].startswith("D")
    assert [m["text"] for m in fake.messages("U123")] == ["hei"]
    assert fake.messages(resp["channel"]) == fake.messages("U123")


def test_post_ephemeral_and_permalink(fake, client):
    eph = client.chat_postEphemeral(channel="C1", user="U1", text="bare til deg")
    assert re.fullmatch(r"\d+\.\d{6}", eph["message_ts"])
    err = api_error(client.api_call, "chat.postEphemeral", json={"channel": "C1", "text": "x"})
    assert err.response["error"] == "user_not_found"
    link = client.chat_getPermalink(channel="C1", message_ts="1767225600.000100")["permalink"]
    assert link.endswith("/archives/C1/p1767225600000100")
    reply = fake.add_message("C1", "svar", ts="1767225601.000200", thread_ts="1767225600.000100")
    link = client.chat_getPermalink(channel="C1", message_ts=reply)["permalink"]
    assert link.endswith("/archives/C1/p1767225601000200?thread_ts=1767225600.000100&cid=C1")


def test_reactions(fake, client):
    ts = client.chat_postMessage(channel="C1", text="x")["ts"]
    client.reactions_add(channel="C1", timestamp=ts, name="white_check_mark")
    err = api_error(client.reactions_add, channel="C1", timestamp=ts, name="white_check_mark")
    assert err.response["error"] == "already_reacted"
    assert fake.messages("C1")[0]["reactions"][0]["name"] == "white_check_mark"
    client.reactions_remove(channel="C1", timestamp=ts, name="white_check_mark")
    assert "reactions" not in fake.messages("C1")[0]
    err = api_error(client.reactions_remove, channel="C1", timestamp=ts, name="white_check_mark")
    assert err.response["error"] == "no_reaction"


# -- users / conversations ----------------------------------------------------------------------------
def test_users_info(fake, client):
    fake.add_user("U123", name="kari", is_admin=True, tz="Europe/Oslo", locale="nb-NO")
    user = client.users_info(user="U123", include_locale=True)["user"]
    assert (user["id"], user["name"], user["is_admin"], user["is_owner"], user["is_bot"]) == \
        ("U123", "kari", True, False, False)
    assert (user["tz"], user["locale"]) == ("Europe/Oslo", "nb-NO")
    assert "locale" not in client.users_info(user="U123")["user"]  # like Slack: only when asked
    assert api_error(client.users_info, user="UNOPE").response["error"] == "user_not_found"


def test_conversations_info_registered_and_default(fake, client):
    fake.add_channel("C123", name="kunde-fjordkraft", is_member=False)
    chan = client.conversations_info(channel="C123")["channel"]
    assert (chan["name"], chan["is_member"]) == ("kunde-fjordkraft", False)
    default = client.conversations_info(channel="C999")["channel"]
    assert default["id"] == "C999" and default["is_archived"] is False
    assert client.conversations_join(channel="C123")["channel"]["is_member"] is True
    assert client.conversations_info(channel="C123")["channel"]["is_member"] is True


# -- scripted failures --------------------------------------------------------------------------------
def test_rate_limit_seen_by_slack_sdk(fake, client):
    fake.rate_limit_next("chat.postMessage", retry_after=7)
    err = api_error(client.chat_postMessage, channel="C1", text="x")
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "7"
    assert err.response["error"] == "ratelimited"
    assert fake.calls[-1].status == 429
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True  # consumed
    assert len(fake.messages("C1")) == 1


def test_fail_next_is_fifo_and_counts_times(fake, client):
    fake.fail_next("chat.postMessage", error="channel_not_found", times=2)
    fake.fail_next("chat.postMessage", error="missing_scope", needed="chat:write")
    errors = [api_error(client.chat_postMessage, channel="C1", text="x").response.data for _ in range(3)]
    assert [e["error"] for e in errors] == ["channel_not_found", "channel_not_found", "missing_scope"]
    assert errors[2]["needed"] == "chat:write"
    assert client.auth_test()["ok"] is True  # other methods unaffected
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True


def test_a_delayed_call_is_handled_as_it_arrives_and_leaves_later_scripts_alone(fake, client):
    """A slow answer from an earlier step (or test) must not take a failure scripted after the call arrived."""
    fake.delay_next("chat.postMessage", 1.0)
    slow: list = []
    thread = threading.Thread(target=lambda: slow.append(client.chat_postMessage(channel="C1", text="slow")))
    thread.start()
    fake.wait_for("chat.postMessage", count=1, timeout=0.8)  # recorded as it arrived, before its answer
    fake.fail_next("chat.postMessage", "channel_not_found")
    assert api_error(client.chat_postMessage, channel="C1", text="next").response["error"] == "channel_not_found"
    thread.join(timeout=5)
    assert slow and slow[0]["ok"] and [m["text"] for m in fake.messages("C1")] == ["slow"]


def test_http_error_next(fake, client):
    fake.http_error_next("chat.update", status=503)
    err = api_error(client.chat_update, channel="C1", ts="1.000001", text="x")
    assert err.response.status_code == 503
    assert fake.calls_to("chat.update")[0].status == 503


def test_reset_keeps_fixtures(fake, client):
    fake.add_user("U1", name="ola")
    fake.fail_next("auth.test")
    client.chat_postMessage(channel="C1", text="x")
    fake.reset()
    assert fake.calls == [] and fake.messages("C1") == []
    assert client.auth_test()["ok"] is True
    assert client.users_info(user="U1")["user"]["name"] == "ola"


# -- block validation ---------------------------------------------------------------------------------
def test_51_blocks_invalid(fake, client):
    err = api_error(client.chat_postMessage, channel="C1", text="x", blocks=[section("b")] * 51)
    assert err.response["error"] == "invalid_blocks"
    assert "no more than 50 items allowed [json-pointer:/blocks]" in err.response["errors"]
    assert fake.calls[-1].response["ok"] is False and fake.messages("C1") == []
    assert client.chat_postMessage(channel="C1", text="x", blocks=[section("b")] * 50)["ok"]


def test_section_text_3001_invalid_3000_ok(client):
    err = api_error(client.chat_postMessage, channel="C1", text="x", blocks=[section("a" * 3001)])
    assert err.response["error"] == "invalid_blocks"
    assert err.response["errors"] == ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]
    assert err.response["response_metadata"]["messages"][0].startswith("[ERROR] must be less than 3001")
    assert client.chat_postMessage(channel="C1", text="x", blocks=[section("a" * 3000)])["ok"]


@pytest.mark.parametrize("block, pointer", [
    ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}, "/blocks/0/fields/0/text"),
    ({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}, "/blocks/0/text/text"),
    ({"type": "input", "label": {"type": "plain_text", "text": "l"},
      "element": {"type": "plain_text_input", "action_id": "a"}}, "/blocks/0/type"),
    ({"type": "section"}, "/blocks/0"),  # slack_sdk: text or fields attribute must be specified
    ({"type": "no_such_block"}, "/blocks/0/type"),
])
def test_malformed_blocks_invalid(client, block, pointer):
    err = api_error(client.chat_postMessage, channel="C1", text="x", blocks=[block])
    assert err.response["error"] == "invalid_blocks"
    assert err.response["errors"][0].endswith(f"[json-pointer:{pointer}]")


def test_text_too_long(client):
    assert api_error(client.chat_postMessage, channel="C1", text="x" * 40_001).response["error"] == \
        "msg_too_long"


def test_update_validates_blocks(client):
    ts = client.chat_postMessage(channel="C1", text="x")["ts"]
    err = api_error(client.chat_update, channel="C1", ts=ts, text="x", blocks=[section("a" * 3001)])
    assert err.response["error"] == "invalid_blocks"


# -- views --------------------------------------------------------------------------------------------
def test_modal_title_25_rejected_24_accepted(fake, client):
    err = api_error(client.views_open, trigger_id="123.456", view=modal("x" * 25))
    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]
    view = client.views_open(trigger_id="123.456", view=modal("x" * 24, callback_id="ny"))["view"]
    assert view["id"].startswith("V") and view["hash"] and view["callback_id"] == "ny"
    assert fake.views()[0]["id"] == view["id"]


@pytest.mark.parametrize("view, pointer", [
    (modal(blocks=[section("b")] * 101), "/view/blocks"),
    (modal(private_metadata="p" * 3001), "/view/private_metadata"),
    (modal(callback_id="c" * 256), "/view/callback_id"),
    (modal(submit={"type": "plain_text", "text": "s" * 25}), "/view/submit/text"),
    (modal(close={"type": "plain_text", "text": "s" * 25}), "/view/close/text"),
    (modal(blocks=[{"type": "input", "label": {"type": "plain_text", "text": "l"},
                    "element": {"type": "plain_text_input", "action_id": "a"}}]), "/view/submit"),
    (modal(blocks=[{"type": "section"}]), "/view/blocks/0"),
])
def test_view_limits(client, view, pointer):
    err = api_error(client.views_open, trigger_id="t", view=view)
    assert err.response["error"] == "invalid_arguments"
    assert any(m.endswith(f"[json-pointer:{pointer}]") for m in err.response["response_metadata"]["messages"])


def test_views_open_requires_trigger_id(client):
    assert api_error(client.views_open, trigger_id="", view=modal()).response["error"] == "invalid_arguments"


def test_views_update_push_and_hash(client):
    opened = client.views_open(trigger_id="t", view=modal(external_id="ext-1"))["view"]
    by_id = client.views_update(view_id=opened["id"], view=modal("Oppdatert"))["view"]
    assert by_id["id"] == opened["id"] and by_id["title"]["text"] == "Oppdatert"
    assert by_id["hash"] != opened["hash"]
    err = api_error(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal())
    assert err.response["error"] == "hash_conflict"
    by_ext = client.views_update(external_id="ext-1", view=modal("Via ekstern", external_id="ext-1"))["view"]
    assert by_ext["id"] == opened["id"]
    assert api_error(client.views_update, view_id="VNOPE", view=modal()).response["error"] == "not_found"
    pushed = client.views_push(trigger_id="t", view=modal("Steg 2"))["view"]
    assert pushed["id"] != opened["id"]


def test_views_publish_home(fake, client):
    home = {"type": "home", "blocks": [section("Dine prosjekter")]}
    view = client.views_publish(user_id="U1", view=home)["view"]
    again = client.views_publish(user_id="U1", view=home)["view"]
    assert again["id"] == view["id"]
    assert fake.home_view("U1")["blocks"] == [section("Dine prosjekter")]
    err = api_error(client.views_publish, user_id="U1", view=modal())
    assert err.response["error"] == "invalid_arguments"
    # a Home takes at most 100 blocks, and a section at most 3,000 characters (as in real Slack)
    err = api_error(client.views_publish, user_id="U1", view={"type": "home", "blocks": [section("x")] * 101})
    [message] = err.response["response_metadata"]["messages"]
    assert "no more than 100 items allowed [json-pointer:/view/blocks]" in message
    err = api_error(client.views_publish, user_id="U1", view={"type": "home", "blocks": [section("x" * 3001)]})
    assert "/view/blocks/0/text/text" in err.response["response_metadata"]["messages"][0]
    assert client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("x")] * 100})["ok"]


# -- recording, waiting, response_url, concurrency ----------------------------------------------------
def test_call_record_fields(fake, client):
    before = time.monotonic()
    client.chat_postMessage(channel="C1", text="hei")
    call = fake.calls[-1]
    assert isinstance(call, Call)
    assert (call.method, call.status) == ("chat.postMessage", 200)
    assert call.args == {"channel": "C1", "text": "hei"}
    assert call.response["ok"] is True and call.at >= before
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    with pytest.raises(AttributeError):
        call.method = "x"  # frozen


def test_wait_for_blocks_until_call_arrives(fake, client):
    timer = threading.Timer(0.2, lambda: client.chat_postMessage(channel="C1", text="senere"))
    timer.start()
    calls = fake.wait_for("chat.postMessage", timeout=5)
    timer.join()
    assert calls[0].args["text"] == "senere"


def test_wait_for_timeout_lists_methods_seen(fake, client):
    client.auth_test()
    client.chat_postMessage(channel="C1", text="x")
    start = time.monotonic()
    with pytest.raises(AssertionError) as info:
        fake.wait_for("chat.update", count=1, timeout=0.3)
    assert time.monotonic() - start >= 0.3
    message = str(info.value)
    assert "chat.update" in message and "auth.test" in message and "chat.postMessage" in message


def test_response_url_recorded(fake):
    url = fake.response_url("abc")
    assert url == fake.url.replace("/api/", "/response/abc")
    resp = requests.post(url, json={"text": "Lagret", "replace_original": True}, timeout=5)
    assert (resp.status_code, resp.text) == (200, "ok")
    [call] = fake.calls_to("response_url")
    assert call.args == {"text": "Lagret", "replace_original": True}
    assert call.path == "/response/abc" and call.response == {"ok": True}
    assert fake.response_url() != fake.response_url()


def test_concurrent_posts_get_distinct_increasing_ts(fake):
    client = WebClient(token=TOKEN, base_url=fake.url)
    results: list[str] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        ts = client.chat_postMessage(channel="C1", text=f"msg {i}")["ts"]
        with lock:
            results.append(ts)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 20
    stored = [m["ts"] for m in fake.messages("C1")]
    assert stored == sorted(stored, key=float) and set(stored) == set(results)
    assert len(fake.wait_for("chat.postMessage", count=20, timeout=1)) == 20


def test_server_is_quiet(fake, client, capfd):
    client.auth_test()
    requests.post(fake.response_url(), json={"text": "x"}, timeout=5)
    assert capfd.readouterr().err == ""


# -- files: the upload flow of files_upload_v2 ------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def test_files_upload_v2_uploads_the_bytes_and_shares_them_in_a_thread(fake, client):
    ts = client.chat_postMessage(channel="C1", text="Portefølje")["ts"]
    response = client.files_upload_v2(channel="C1", thread_ts=ts, file=PNG, filename="chart.png", title="Graf",
                                      initial_comment="Timer brukt")
    assert response["file"]["id"] == response["files"][0]["id"]
    assert [c.method for c in fake.calls[1:]] == [
        "files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    got = fake.calls_to("files.getUploadURLExternal")[0]
    assert got.args["filename"] == "chart.png" and got.args["length"] == str(len(PNG))
    assert got.response["upload_url"].startswith(fake.base + "/upload/v1/")  # served by the fake, on loopback
    [uploaded] = fake.files()
    assert uploaded["content"] == PNG and uploaded["title"] == "Graf" and uploaded["shared"]
    assert (uploaded["channel"], uploaded["thread_ts"]) == ("C1", ts)
    share = fake.messages("C1")[-1]
    assert share["thread_ts"] == ts and share["text"] == "Timer brukt" and share["files"][0]["id"] == uploaded["id"]


def test_missing_files_write_answers_missing_scope_and_shares_nothing(fake, client):
    fake.deny_scope("files:write")
    err = api_error(client.files_upload_v2, channel="C1", file=PNG, filename="chart.png", title="Graf")
    assert err.response["error"] == "missing_scope" and err.response["needed"] == "files:write"
    assert fake.files() == [] and fake.messages("C1") == []
    fake.reset()
    assert client.files_upload_v2(channel="C1", file=PNG, filename="chart.png")["ok"]


def test_upload_steps_reject_what_slack_rejects(fake, client):
    assert api_error(client.files_getUploadURLExternal, filename="x.png", length=0).response["error"] == \
        "invalid_arguments"
    got = client.files_getUploadURLExternal(filename="x.png", length=10)
    # completing before the bytes arrived, or with bytes of another length
    err = api_error(client.files_completeUploadExternal, files=[{"id": got["file_id"]}], channel_id="C1")
    assert err.response["error"] == "file_not_found"
    assert requests.post(got["upload_url"], data=b"short", timeout=5).status_code == 400
    assert requests.post(got["upload_url"], data=b"0123456789", timeout=5).text == "OK - 10"
    assert requests.post(got["upload_url"], data=b"0123456789", timeout=5).status_code == 404  # once only
    fake.add_channel("CARCH", is_archived=True)
    err = api_error(client.files_completeUploadExternal, files=[{"id": got["file_id"]}], channel_id="CARCH")
    assert err.response["error"] == "is_archived"
    assert client.files_completeUploadExternal(files=[{"id": got["file_id"]}], channel_id="C1")["ok"]
    err = api_error(client.files_completeUploadExternal, files=[{"id": got["file_id"]}], channel_id="C1")
    assert err.response["error"] == "file_not_found"  # shared already


def test_response_url_checks_blocks_and_takes_five_messages(fake):
    url = fake.response_url()
    bad = requests.post(url, json={"text": "x", "blocks": [section("a" * 3001)]}, timeout=5)
    assert bad.status_code == 400 and bad.text == "invalid_blocks"
    too_many = requests.post(url, json={"text": "x", "blocks": [section("b")] * 51}, timeout=5)
    assert too_many.status_code == 400
    for _ in range(3):
        assert requests.post(url, json={"text": "ok"}, timeout=5).status_code == 200
    used = requests.post(url, json={"text": "sixth"}, timeout=5)
    assert used.status_code == 404 and used.text == "used_url"
    assert [c.status for c in fake.calls_to("response_url")] == [400, 400, 200, 200, 200, 404]
