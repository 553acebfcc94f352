"""FakeSlack: the HTTP server, call recording, and what a test or the sandbox sets up and inspects."""

from __future__ import annotations

import collections
import copy
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote

from . import methods, transport, validation, views
from .page_api import PageApi
from .scripts import ScriptedFailures
from .state import REJECTED_ERRORS, Workspace, make_channel, make_user

if TYPE_CHECKING:
    import datetime as dt

    from .sender import Sender


class SandboxClock(Protocol):
    """What ``attach_clock`` takes: the sandbox's *now*, and moving it forward (running the clock as of then)."""

    def now(self) -> dt.datetime: ...

    def advance(self, to: str) -> dt.datetime: ...


@dataclass(frozen=True)
class Call:
    """One request the fake received.

    ``args`` merges the query string with the JSON body or form fields (form values holding JSON,
    e.g. ``blocks``/``view``/``attachments``, are decoded). ``response`` is the JSON the fake
    replied with; for ``http_error_next`` (non-JSON body) it is ``{"ok": False, "error": "http_<status>"}``.
    ``path`` is the request path, e.g. ``/api/chat.postMessage`` or ``/response/<key>``.
    """

    method: str
    args: dict
    headers: dict
    status: int
    response: dict
    at: float
    path: str = ""


class FakeSlack(ScriptedFailures):
    """A fake Slack Web API on 127.0.0.1, for ``slack_sdk.WebClient(base_url=fake.url)``.

    Request handling, in order: the body is parsed (JSON or form; query string merged in); a
    scripted failure queued for the method wins (even over auth); then auth — the token comes from
    ``Authorization: Bearer`` or a ``token`` form/query field (as in Slack, not from a JSON body) —
    ``not_authed`` / ``invalid_auth``; then ``unknown_method``; then the method itself. Every
    request, failed or not, is recorded as a :class:`Call`. Errors are HTTP 200 with ``ok: false``.

    Leniencies: unregistered channel ids behave like public channels the bot is in; reactions and
    permalinks are accepted for any message ts; a user id as ``channel`` means that user's DM
    (``"D" + id[1:]``). ``clock`` (default ``time.time``; an attached sandbox clock's *now* once one is
    attached) drives message ``ts`` values, which are unique and strictly increasing.

    The same server serves the sandbox's page and its API (``fakeslack.page_api``, docs/sandbox.md).
    """

    def __init__(self, token: str = "xoxb-test", team_id: str = "T0001", bot_user_id: str = "UBOT",
                 bot_id: str = "BBOT", *, team_name: str = "Fake Slack",
                 clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self._ws = Workspace(team_id=team_id, team_name=team_name, bot_user_id=bot_user_id,
                             bot_id=bot_id, clock=clock)
        self._cond = threading.Condition(threading.RLock())
        self._ws.on_change = self._cond.notify_all
        self.add_user(bot_user_id, name="bot", is_bot=True)
        self._calls: list[Call] = []
        self._init_scripts()
        self._responses: collections.Counter[str] = collections.Counter()  # response_url path -> times used
        self._server: transport.Server | None = None
        self._thread: threading.Thread | None = None
        self.stopping = False  # set by stop(): open event streams end
        self.sandbox_clock: SandboxClock | None = None
        self.sender: Sender | None = None
        self._page = PageApi(self)

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeSlack:
        """Bind 127.0.0.1 (on ``port``, or a free one) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeSlack already started")
        self.stopping = False
        self._server = transport.Server(("127.0.0.1", port), transport.Handler)
        self._server.fake = self
        self._ws.upload_base = self.base
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakeslack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        with self._cond:
            self.stopping = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeSlack not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """Web API base URL in slack_sdk's ``base_url`` format: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.base}/api/"

    def response_url(self, key: str | None = None, *, user: str | None = None, channel: str | None = None,
                     ts: str | None = None, ephemeral: bool = True) -> str:
        """A response_url; POSTs to it are recorded as ``Call(method="response_url", ...)``. Given the ``user``
        and ``channel`` of the action it answers (and the message ``ts`` it came from), what is posted to it is
        shown there: ephemeral to the user, in channel, or replacing/deleting that message."""
        key = key or uuid.uuid4().hex
        if user and channel:
            with self._cond:
                self._ws.responses[key] = {"user": user, "channel": self._ws.resolve_channel(channel), "ts": ts,
                                           "ephemeral": ephemeral}
        return f"{self.base}/response/{key}"

    def trigger(self, user: str) -> str:
        """A new trigger_id for an action of ``user``: a modal the bot opens with it opens on their screen."""
        trigger_id = f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"
        with self._cond:
            self._ws.triggers[trigger_id] = user
        return trigger_id

    def channel_name(self, channel: str) -> str:
        """The channel's name (its id in lower case when it was not registered)."""
        with self._cond:
            return str(self._ws.channel_info(self._ws.resolve_channel(channel))["name"])

    def now(self) -> float:
        """The fake's time (the attached clock's *now* once there is one), as a Unix timestamp."""
        return self._ws.clock()

    # -- the sandbox: the bot to talk to, and its clock ---------------------------------------------------
    def connect(self, bot_url: str, signing_secret: str) -> Sender:
        """Send what the page does to the bot at ``bot_url`` (its request URL, ``http://…/slack/events``),
        signed with ``signing_secret``."""
        from .sender import Sender

        self.sender = Sender(url=bot_url, secret=signing_secret, team_id=self._ws.team_id, fake=self)
        return self.sender

    def attach_clock(self, clock: SandboxClock) -> None:
        """Take *now* (message ts, the page's time) from ``clock``; the page's time controls call its
        ``advance``."""
        with self._cond:
            self.sandbox_clock = clock
            self._ws.clock = lambda: clock.now().timestamp()
            self._ws.bump()

    # -- fixtures ----------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str = "user", *, real_name: str | None = None,
                 is_admin: bool = False, is_owner: bool = False, is_bot: bool = False,
                 tz: str = "Europe/Oslo", locale: str = "nb-NO", title: str = "", deleted: bool = False) -> None:
        user = make_user(user_id, team_id=self._ws.team_id, name=name, real_name=real_name, is_admin=is_admin,
                         is_owner=is_owner, is_bot=is_bot, tz=tz, locale=locale, title=title)
        user["deleted"] = deleted  # a deactivated account: users.info answers it with deleted: true
        with self._cond:
            self._ws.users[user_id] = user
            self._ws.bump()

    def add_channel(self, channel_id: str, name: str | None = None, *, is_member: bool = True,
                    is_archived: bool = False, is_private: bool = False) -> None:
        channel = make_channel(channel_id, name=name or channel_id.lower(), is_member=is_member,
                               is_archived=is_archived, is_private=is_private)
        with self._cond:
            self._ws.channels[channel_id] = channel
            self._ws.bump()

    def add_message(self, channel: str, text: str = "", *, user: str = "U0USER", ts: str | None = None,
                    thread_ts: str | None = None, blocks: list | None = None) -> str:
        """Seed a message (e.g. one a human wrote) so chat.update/conversations.replies can see it."""
        with self._cond:
            msg = {"user": user, "text": text, "blocks": blocks or [], "thread_ts": thread_ts}
            posted = self._ws.add_message(self._ws.resolve_channel(channel), {**msg, **({"ts": ts} if ts else {})})
            return str(posted["ts"])

    # -- inspection --------------------------------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least ``count`` calls to ``method`` were recorded; return all of them."""
        with self._cond:
            done = self._cond.wait_for(lambda: len(self.calls_to(method)) >= count, timeout=timeout)
            if done:
                return self.calls_to(method)
            seen = collections.Counter(c.method for c in self._calls)
            summary = ", ".join(f"{m} x{n}" for m, n in seen.items()) or "no calls at all"
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} call(s) to {method!r}; "
                f"got {seen.get(method, 0)}. Calls seen: {summary}"
            )

    def messages(self, channel: str) -> list[dict]:
        """Current messages in a channel (updates/deletes applied), oldest first.

        Each has ``ts``, ``text``, ``blocks`` (``[]`` if none), ``thread_ts`` (None unless a reply),
        ``user``, plus ``reactions``/``attachments``/``edited`` when present. A user id maps to the DM.
        Ephemeral messages and refused posts are not here (see ``page_messages``).
        """
        with self._cond:
            cid = self._ws.resolve_channel(channel)
            return [self._ws.with_reactions(cid, m) for m in self._ws.messages.get(cid, [])]

    def page_messages(self, channel: str, user: str) -> list[dict]:
        """What the page shows ``user`` in ``channel``: ``GET /sandbox/messages`` (docs/sandbox.md)."""
        with self._cond:
            return json.loads(json.dumps(self._page.messages(channel, user)))

    def ephemerals(self, channel: str, user: str) -> list[dict]:
        """Ephemeral messages shown to ``user`` in ``channel``, oldest first."""
        with self._cond:
            cid = self._ws.resolve_channel(channel)
            return [copy.deepcopy(m) for m in self._ws.ephemerals if m["channel"] == cid and m["to"] == user]

    def views(self) -> list[dict]:
        """Current state of every view opened/pushed/updated/published, in creation order."""
        with self._cond:
            return copy.deepcopy(list(self._ws.views.values()))

    def modal_stack(self, user: str) -> list[dict]:
        """The modals open on ``user``'s screen, the top one last."""
        with self._cond:
            return views.stack_of(self._ws, user)

    def files(self) -> list[dict]:
        """Every file an upload URL was asked for, in order: ``id``, ``name``, ``title``, ``length``,
        ``content`` (the bytes POSTed to the upload URL, or None), ``shared``, ``channel``, ``thread_ts``,
        ``initial_comment``."""
        with self._cond:
            return copy.deepcopy(list(self._ws.files.values()))

    def deny_scope(self, scope: str = "files:write") -> None:
        """The app lacks ``scope``: methods needing it answer ``missing_scope`` (``needed``/``provided`` as
        Slack). Implemented for ``files:write`` (the upload methods). ``reset`` grants it again."""
        with self._cond:
            self._ws.denied_scopes.add(scope)

    def home_view(self, user_id: str) -> dict | None:
        """The Home tab last published for ``user_id``."""
        with self._cond:
            vid = self._ws.homes.get(user_id)
            return copy.deepcopy(self._ws.views[vid]) if vid else None

    def reset(self) -> None:
        """Forget calls, scripted failures, messages, reactions, views and files; keep users and channels."""
        with self._cond:
            self._calls.clear()
            self._clear_scripts()
            for kept in (self._ws.messages, self._ws.reactions, self._ws.views, self._ws.stacks, self._ws.homes,
                         self._ws.files, self._ws.triggers, self._ws.responses, self._ws.last_channel):
                kept.clear()
            self._ws.ephemerals.clear()
            self._ws.rejected.clear()
            self._ws.denied_scopes.clear()
            self._responses.clear()
            self._ws.bump()

    # -- request handling --------------------------------------------------------------------------
    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        request = transport.read(req)
        path = request.path
        if path == "/" or path.startswith(("/page/", "/sandbox/")):
            self._page.serve(req, request)
            return
        if path.startswith("/upload/v1/"):
            self._serve_upload(req, request)
            return
        if path.startswith("/api/") and len(path) > 5:
            kind, name = "api", unquote(path[5:])
        elif path.startswith("/response/"):
            kind, name = "response_url", "response_url"
        else:
            transport.send(req, 404, "text/plain", b"not found")
            return

        delay = self._take_delay(name)
        args = request.args
        if kind == "response_url" and isinstance(args.get("payload"), dict):  # legacy form payload=
            args = args.pop("payload")
        with self._cond:
            script = self._take_script(name) or self._rate_limited(name, args)
            if script is not None:
                status, extra_headers, body_bytes, response = self._scripted(script, kind)
            elif kind == "response_url":
                status, extra_headers, body_bytes, response = self._respond(path, args, request.bad_body)
            else:
                response = self._api(name, args, request.headers, request.form_token, request.bad_body)
                self._posted(name, args, response)
                status, extra_headers = 200, {"Content-Type": "application/json; charset=utf-8"}
                body_bytes = json.dumps(response).encode()
            self._calls.append(Call(method=name, args=args, headers=request.headers, status=status,
                                    response=response, at=time.monotonic(), path=path))
            self._cond.notify_all()
        if delay:  # handled as it arrived (a test that scripts the next calls cannot lose a script to it)
            time.sleep(delay)
        transport.send(req, status, extra_headers.pop("Content-Type"), body_bytes, extra_headers)

    def _respond(self, path: str, args: dict, bad_body: bool) -> tuple[int, dict, bytes, dict]:
        """A POST to a response_url (lock held). Slack lets one be used 5 times; blocks are checked as for
        chat.postMessage. What it posts is shown where the URL's action happened."""
        self._responses[path] += 1
        problem: dict | None = None
        key = path.rsplit("/", 1)[-1]
        if bad_body:
            status, problem = 400, {"ok": False, "error": "invalid_payload"}
        elif self._responses[path] > 5:
            status, problem = 404, {"ok": False, "error": "used_url"}
        else:
            status, problem = 400, validation.check_message(args)
        context = self._ws.responses.get(key)
        if problem is None:
            self._ws.respond(key, args)
            return 200, {"Content-Type": "text/plain"}, b"ok", {"ok": True}
        if context and problem["error"] in REJECTED_ERRORS:
            self._ws.reject(context["channel"], context["user"], "response_url", args, problem)
        return status, {"Content-Type": "text/plain"}, problem["error"].encode(), problem

    def _serve_upload(self, req: BaseHTTPRequestHandler, request: transport.Request) -> None:
        """The upload URL files.getUploadURLExternal handed out: takes the file's bytes, answers in plain text."""
        file_id = unquote(request.path.rsplit("/", 1)[-1])
        with self._cond:
            script = self._take_script("upload")
            if script is not None and script.kind == "http":
                status, body = script.status, f"http_{script.status}"
            else:
                status, body = methods.upload_bytes(self._ws, file_id, request.raw)
            self._calls.append(Call(method="upload", args={"file_id": file_id, "bytes": len(request.raw)},
                                    headers=request.headers, status=status,
                                    response={"ok": status == 200, "body": body}, at=time.monotonic(),
                                    path=request.path))
            self._cond.notify_all()
        transport.send(req, status, "text/plain; charset=utf-8", body.encode())

    def _api(self, name: str, args: dict, headers: dict, form_token: Any, bad_body: bool) -> dict:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else form_token
        if bad_body:
            return methods.err("invalid_json")
        if not token:
            return methods.err("not_authed")
        if token != self.token:
            return methods.err("invalid_auth")
        handler = methods.METHODS.get(name)
        if handler is None:
            return methods.err("unknown_method", req_method=name)
        response = handler(self._ws, args)
        if not response.get("ok") and response.get("error") in REJECTED_ERRORS:
            self._keep_rejected(name, args, response)
        return response

    def _keep_rejected(self, name: str, args: dict, problem: dict) -> None:
        """A post or view validation refused, kept where the page would have shown it: the channel it was for,
        or (a view) the channel of the last action of the user it was for."""
        if name.startswith("chat."):
            channel = self._ws.resolve_channel(args.get("channel"))
            to = str(args["user"]) if name == "chat.postEphemeral" and args.get("user") else None
        elif name.startswith("views."):
            to = views.view_user(self._ws, args)
            channel = self._ws.last_channel.get(to or "", "")
        else:
            return
        if channel:
            self._ws.reject(channel, to, name, args, problem)
