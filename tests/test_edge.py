"""The edge of `POST /slack/events`, over real HTTP: a request that is unsigned, wrongly signed or stale gets 401,
one that is signed but malformed gets 400; either with one warning line in the log (no traceback), nothing
written and no Slack call. Valid requests keep working (the rest of the suite, and the last tests here)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from slack_bolt import App
from sqlalchemy import Engine, func, select

from bot.web import make_wsgi
from storage.models import Base
from tests.conftest import PM, SECRET, Bot

TS, SIG = "X-Slack-Request-Timestamp", "X-Slack-Signature"
FORM, JSON = "application/x-www-form-urlencoded", "application/json"
TEAM, CHANNEL = "T0EDGE0001", "C0EDGE0001"

Headers = Callable[[bytes], dict[str, str]]  # made when the request is sent: the timestamps are then fresh


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    """Slack's v0 scheme, written out here rather than taken from the code under test or slack_sdk."""
    mac = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + mac.hexdigest()


def signed(*, age: int = 0, secret: str = SECRET, timestamp: str | None = None,
           edit: Callable[[str], str] = lambda s: s, drop: str | None = None) -> Headers:
    """Headers signing the body as Slack does, `age` seconds ago, optionally spoilt (`edit`, `drop` a header)."""
    def headers(body: bytes) -> dict[str, str]:
        ts = timestamp if timestamp is not None else str(int(time.time()) - age)
        made = {TS: ts, SIG: edit(signature(body, ts, secret))}
        return {k: v for k, v in made.items() if k != drop}
    return headers


def unsigned(body: bytes) -> dict[str, str]:
    return {}


def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


def payload(value: object) -> bytes:
    return form(payload=json.dumps(value))


def event(**envelope: object) -> bytes:
    return json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "Ev0EDGE001", "api_app_id": "A0",
                       **envelope}).encode()


COMMAND = {"command": "/prosjekt", "text": "ny Kampanje kunde:Tine frist:15.12.2026", "team_id": TEAM,
           "user_id": PM, "channel_id": CHANNEL, "response_url": "http://127.0.0.1:9/unused", "trigger_id": "1.2.3"}
NEW = form(**COMMAND)
MENTION = {"type": "app_mention", "user": PM, "text": "<@UBOT> hjelp", "ts": "1.000100", "channel": CHANNEL}
USER, TEAM_OBJ = {"id": PM, "team_id": TEAM}, {"id": TEAM, "domain": "byraa"}
CLICK = {"type": "block_actions", "user": USER, "team": TEAM_OBJ, "trigger_id": "1.2.3",
         "actions": [{"action_id": "card.deliver", "block_id": "b", "value": "1", "type": "button"}]}


def without(mapping: dict[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in mapping.items() if k != key}


CASES = [
    # --- not from Slack: 401, whatever the body ------------------------------------------------------------------
    pytest.param(NEW, FORM, unsigned, 401, id="no-signature-headers"),
    pytest.param(NEW, FORM, signed(drop=TS), 401, id="no-timestamp-header"),
    pytest.param(NEW, FORM, signed(drop=SIG), 401, id="no-signature-header"),
    pytest.param(b"a=b", FORM, lambda body: {TS: "abc", SIG: "v0=00"}, 401, id="timestamp-not-a-number"),
    pytest.param(NEW, FORM, signed(timestamp=""), 401, id="timestamp-empty"),
    pytest.param(NEW, FORM, signed(timestamp=f"{time.time():.3f}"), 401, id="timestamp-with-decimals"),
    pytest.param(NEW, FORM, signed(timestamp="9" * 5000), 401, id="timestamp-of-5000-digits"),
    pytest.param(NEW, FORM, signed(age=6 * 60), 401, id="stale-timestamp"),
    pytest.param(NEW, FORM, signed(age=-6 * 60), 401, id="timestamp-from-the-future"),
    pytest.param(NEW, FORM, signed(edit=lambda s: "v0=" + "0" * 64), 401, id="wrong-signature"),
    pytest.param(NEW, FORM, signed(edit=lambda s: "v1=" + s[3:]), 401, id="signature-not-v0"),
    pytest.param(NEW, FORM, signed(edit=lambda s: s[3:]), 401, id="signature-without-prefix"),
    pytest.param(NEW, FORM, signed(edit=lambda s: s[:-1] + "é"), 401, id="signature-not-ascii"),
    pytest.param(NEW, FORM, signed(edit=lambda s: s.upper().replace("V0=", "v0=")), 401, id="signature-upper-case"),
    pytest.param(NEW, FORM, signed(secret="not-the-secret"), 401, id="signed-with-another-secret"),
    pytest.param(NEW, FORM, lambda body: signed()(body + b"x"), 401, id="signature-of-another-body"),
    pytest.param(b"text=\xff\xfe", FORM, unsigned, 401, id="unsigned-not-utf8"),
    pytest.param(b"payload=%7Bx", FORM, unsigned, 401, id="unsigned-payload-not-json"),
    pytest.param(b"[1, 2]", JSON, unsigned, 401, id="unsigned-json-list"),
    pytest.param(b'{"type": "url_verification", "challenge": "c"}', JSON, unsigned, 401,
                 id="unsigned-url-verification"),
    pytest.param(b"ssl_check=1&token=x", FORM, unsigned, 401, id="unsigned-ssl-check"),
    # --- signed, but not a request Slack sends: 400 -------------------------------------------------------------
    pytest.param(b"text=\xff\xfe", FORM, signed(), 400, id="body-not-utf8"),
    pytest.param(b"", FORM, signed(), 400, id="empty-body"),
    pytest.param(b"{x", JSON, signed(), 400, id="json-does-not-parse"),
    pytest.param(b"{x", FORM, signed(), 400, id="json-does-not-parse-sent-as-form"),
    pytest.param(b"[1, 2]", JSON, signed(), 400, id="json-list"),
    pytest.param(b'"hei"', JSON, signed(), 400, id="json-string"),
    pytest.param(b"null", JSON, signed(), 400, id="json-null"),
    pytest.param(b"42", JSON, signed(), 400, id="json-number"),
    pytest.param(b"[" * 100_000, JSON, signed(), 400, id="json-nested-too-deep"),
    pytest.param(NEW, JSON, signed(), 400, id="form-body-sent-as-json"),
    pytest.param(b"payload=%7Bx", FORM, signed(), 400, id="payload-not-json"),
    pytest.param(b"payload=", FORM, signed(), 400, id="payload-empty"),
    pytest.param(payload(None), FORM, signed(), 400, id="payload-null"),
    pytest.param(payload([CLICK]), FORM, signed(), 400, id="payload-list"),
    pytest.param(payload("block_actions"), FORM, signed(), 400, id="payload-json-string"),
    pytest.param(payload(without(CLICK, "type")), FORM, signed(), 400, id="payload-without-type"),
    pytest.param(payload({**CLICK, "actions": []}), FORM, signed(), 400, id="block-actions-without-actions"),
    pytest.param(payload({**CLICK, "actions": ["card.deliver"]}), FORM, signed(), 400, id="block-action-a-string"),
    pytest.param(payload(without(CLICK, "team")), FORM, signed(), 400, id="block-actions-without-team"),
    pytest.param(payload({**CLICK, "user": PM}), FORM, signed(), 400, id="block-actions-user-a-string"),
    pytest.param(b"a=b", FORM, signed(), 400, id="form-neither-command-nor-payload"),
    pytest.param(form(**without(COMMAND, "team_id")), FORM, signed(), 400, id="command-without-team-id"),
    pytest.param(form(**without(COMMAND, "user_id")), FORM, signed(), 400, id="command-without-user-id"),
    pytest.param(form(**without(COMMAND, "channel_id")), FORM, signed(), 400, id="command-without-channel-id"),
    pytest.param(form(**{**COMMAND, "user_id": ""}), FORM, signed(), 400, id="command-with-empty-user-id"),
    pytest.param(b"{}", JSON, signed(), 400, id="json-without-type"),
    pytest.param(b'{"type": 5}', JSON, signed(), 400, id="json-type-a-number"),
    pytest.param(event(), JSON, signed(), 400, id="event-callback-without-event"),
    pytest.param(event(event=None), JSON, signed(), 400, id="event-callback-event-null"),
    pytest.param(event(event=[MENTION]), JSON, signed(), 400, id="event-callback-event-a-list"),
    pytest.param(event(event=without(MENTION, "type")), JSON, signed(), 400, id="event-without-type"),
    pytest.param(event(event=MENTION, event_id=None), JSON, signed(), 400, id="event-callback-without-event-id"),
    pytest.param(event(event=MENTION, team_id=None), JSON, signed(), 400, id="event-callback-without-team-id"),
    pytest.param(event(event=MENTION, enterprise=5), JSON, signed(), 400, id="enterprise-a-number"),
]


def counts(bot: Bot) -> dict[str, int]:
    """Rows in every table."""
    with bot.svc.sessions() as session:
        return {t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
                for t in Base.metadata.sorted_tables}


@pytest.mark.parametrize(("body", "content_type", "headers", "status"), CASES)
def test_malformed_requests_are_refused_with_one_warning(
        bot: Bot, body: bytes, content_type: str, headers: Headers, status: int,
        caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.INFO)
    before = counts(bot)
    response = bot.slack.session.post(bot.slack.url, data=body,
                                      headers={"Content-Type": content_type, **headers(body)}, timeout=10)
    bot.settle()
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert "error" in response.json()
    assert counts(bot) == before
    assert bot.fake.calls == []
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]
    [warning] = warnings
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert "\n" not in warning.getMessage() and str(status) in warning.getMessage()
    assert "Traceback" not in caplog.text
    assert "Traceback" not in capfd.readouterr().err


def test_url_verification_and_ssl_check_are_still_answered(bot: Bot) -> None:
    challenge = b'{"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", ' \
                b'"type": "url_verification"}'
    answer = bot.slack.session.post(bot.slack.url, data=challenge, headers={"Content-Type": JSON,
                                                                             **signed()(challenge)}, timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    ssl_check = b"ssl_check=1&token=t"
    answer = bot.slack.session.post(bot.slack.url, data=ssl_check, headers={"Content-Type": FORM,
                                                                             **signed()(ssl_check)}, timeout=10)
    assert answer.status_code == 200


def test_a_request_signed_4_minutes_ago_or_ahead_is_taken(bot: Bot) -> None:
    """Within Slack's 5 minutes either way (clocks differ), as Bolt takes it."""
    for age in (4 * 60, -4 * 60):
        body = bot.slack.command_body("hjelp", user=PM).encode()
        answer = bot.slack.session.post(bot.slack.url, data=body,
                                        headers={"Content-Type": FORM, **signed(age=age)(body)}, timeout=10)
        assert answer.status_code == 200 and "/prosjekt" in answer.json()["text"]


def test_a_command_signed_as_slack_signs_it_is_answered_and_the_same_unsigned_is_not(bot: Bot) -> None:
    """The edge's check is the only signature check (Bolt's own is off, to spare a second HMAC per request):
    the unsigned copy must still be refused, and the signed one, charset in the content type and all, served."""
    body = bot.slack.command_body("ny Kampanje kunde:Tine frist:15.12.2026", user=PM).encode()
    refused = bot.slack.session.post(bot.slack.url, data=body, headers={"Content-Type": FORM}, timeout=10)
    assert refused.status_code == 401
    served = bot.slack.session.post(bot.slack.url, data=body, timeout=10,
                                    headers={"Content-Type": FORM + "; charset=utf-8", **signed()(body)})
    assert served.status_code == 200 and "P-1" in served.json()["text"]


def test_other_paths_and_methods_are_as_before(bot: Bot) -> None:
    assert bot.slack.session.get(bot.slack.url, timeout=10).status_code == 404
    assert bot.slack.session.post(bot.url + "/other", data=NEW, timeout=10).status_code == 404
    assert bot.slack.session.get(bot.url + "/healthz", timeout=10).status_code == 200


def test_an_app_without_a_signing_secret_is_not_served(engine: Engine) -> None:
    """Refusing every request would look like Slack's fault; fail at start-up instead."""
    app = App(token="xoxb-test", signing_secret="", token_verification_enabled=False)
    with pytest.raises(ValueError, match="signing secret"):
        make_wsgi(app, engine)
