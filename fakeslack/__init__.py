"""fakeslack — a fake of the Slack Web API served over real HTTP on 127.0.0.1, and the sandbox's Slack stand-in.

Usage::

    from fakeslack import FakeSlack
    from slack_sdk import WebClient

    with FakeSlack(token="xoxb-test") as fake:
        fake.add_channel("C123", name="kunde-fjordkraft")
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C123", text="Hei")
        [call] = fake.wait_for("chat.postMessage")
        assert fake.messages("C123")[0]["text"] == "Hei"

Implemented methods: api.test, auth.test, users.info, users.list, conversations.info/list/join/open/
history/replies, chat.postMessage/postEphemeral/update/delete/getPermalink, reactions.add/remove,
views.open/push/update/publish, files.getUploadURLExternal/completeUploadExternal (with the upload URL
served by the fake itself: ``files()`` shows what was uploaded; ``deny_scope("files:write")`` makes them
answer ``missing_scope``). Anything else answers ``unknown_method``. Block Kit and views are validated like
Slack does (``invalid_blocks`` / ``invalid_arguments`` with json-pointer messages), also on response_url
posts (usable 5 times); see ``fakeslack.validation``. Failures can be scripted with ``fail_next``,
``rate_limit_next`` and ``http_error_next`` (``http_error_next("upload")`` for the upload URL).

Slack's side of the conversation with the bot (slash commands, block actions, modal submissions, events, signed)
is ``fakeslack.Sender``; ``FakeSlack.connect(bot_url, secret)`` gives the fake one, and the fake then also serves
the sandbox's page and its API (``fakeslack.page_api``; docs/sandbox.md): the state a page needs (channels,
threads, ephemeral messages per user, reactions, modal stacks, App Home, files, refused calls) and the actions.
"""

from .sender import Sender, fill_state, slack_id
from .server import Call, FakeSlack

__all__ = ["Call", "FakeSlack", "Sender", "fill_state", "slack_id"]
