"""FakeSlack: the HTTP server, call recording and scripted failures."""

from __future__ import annotations

import collections
import copy
import json
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import methods, validation
from .methods import Workspace, make_channel, make_user


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


@dataclass
class _Script:
    kind: str  # "error" | "ratelimit" | "http"
    times: int
    error: str = ""
    fields: dict | None = None
    retry_after: int = 1
    status: int = 500


def _decode_json_values(fields: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if value[:1] in ("[", "{"):
            try:
                out[key] = json.loads(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of more connections than that overflows it, and the
    # kernel drops the SYNs of the rest, which the client resends only after a second (TCP's initial timeout).
    request_queue_size = 1024
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    do_GET = do_POST


class FakeSlack:
    """A fake Slack Web API on 127.0.0.1, for ``slack_sdk.WebClient(base_url=fake.url)``.

    Request handling, in order: the body is parsed (JSON or form; query string merged in); a
    scripted failure queued for the method wins (even over auth); then auth — the token comes from
    ``Authorization: Bearer`` or a ``token`` form/query field (as in Slack, not from a JSON body) —
    ``not_authed`` / ``invalid_auth``; then ``unknown_method``; then the method itself. Every
    request, failed or not, is recorded as a :class:`Call`. Errors are HTTP 200 with ``ok: false``.

    Leniencies: unregistered channel ids behave like public channels the bot is in; reactions and
    permalinks are accepted for any message ts; a user id as ``channel`` means that user's DM
    (``"D" + id[1:]``). ``clock`` (default ``time.time``) drives message ``ts`` values, which are
    unique and strictly increasing.
    """

    def __init__(self, token: str = "xoxb-test", team_id: str = "T0001", bot_user_id: str = "UBOT",
                 bot_id: str = "BBOT", *, team_name: str = "Fake Slack",
                 clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self._ws = Workspace(team_id=team_id, team_name=team_name, bot_user_id=bot_user_id,
                             bot_id=bot_id, clock=clock)
        self._cond = threading.Condition(threading.RLock())
        self.add_user(bot_user_id, name="bot", is_bot=True)
        self._calls: list[Call] = []
        self._scripts: dict[str, collections.deque[_Script]] = collections.defaultdict(collections.deque)
        self._delays: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._channel_interval = 0.0  # limit_channels: seconds between two messages to one channel
        self._last_post: dict[str, float] = {}
        self._responses: collections.Counter[str] = collections.Counter()  # response_url path -> times used
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeSlack already started")
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._ws.upload_base = self.base
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakeslack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
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

    def response_url(self, key: str | None = None) -> str:
        """A response_url; POSTs to it are recorded as ``Call(method="response_url", ...)``."""
        return f"{self.base}/response/{key or uuid.uuid4().hex}"

    # -- fixtures ----------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str = "user", *, real_name: str | None = None,
                 is_admin: bool = False, is_owner: bool = False, is_bot: bool = False,
                 tz: str = "Europe/Oslo", locale: str = "nb-NO") -> None:
        user = make_user(user_id, team_id=self._ws.team_id, name=name, real_name=real_name,
                         is_admin=is_admin, is_owner=is_owner, is_bot=is_bot, tz=tz, locale=locale)
        with self._cond:
            self._ws.users[user_id] = user

    def add_channel(self, channel_id: str, name: str | None = None, *, is_member: bool = True,
                    is_archived: bool = False, is_private: bool = False) -> None:
        channel = make_channel(channel_id, name=name or channel_id.lower(), is_member=is_member,
                               is_archived=is_archived, is_private=is_private)
        with self._cond:
            self._ws.channels[channel_id] = channel

    def add_message(self, channel: str, text: str = "", *, user: str = "U0USER", ts: str | None = None,
                    thread_ts: str | None = None, blocks: list | None = None) -> str:
        """Seed a message (e.g. one a human wrote) so chat.update/conversations.replies can see it."""
        with self._cond:
            cid = self._ws.resolve_channel(channel)
            ts = ts or self._ws.next_ts()
            self._ws.messages.setdefault(cid, []).append(
                {"type": "message", "ts": ts, "user": user, "text": text, "blocks": blocks or [],
                 "thread_ts": thread_ts})
            return ts

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
        """
        with self._cond:
            cid = self._ws.resolve_channel(channel)
            return [self._ws.with_reactions(cid, m) for m in self._ws.messages.get(cid, [])]

    def views(self) -> list[dict]:
        """Current state of every view opened/pushed/updated/published, in creation order."""
        with self._cond:
            return copy.deepcopy(list(self._ws.views.values()))

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
        """Forget calls, scripted failures, messages, reactions and views; keep users and channels."""
        with self._cond:
            self._calls.clear()
            self._scripts.clear()
            self._delays.clear()
            self._last_post.clear()
            self._ws.messages.clear()
            self._ws.reactions.clear()
            self._ws.views.clear()
            self._ws.homes.clear()
            self._ws.files.clear()
            self._ws.denied_scopes.clear()
            self._responses.clear()

    # -- scripted failures (FIFO per method; each matching call consumes one of ``times``) -----------
    def fail_next(self, method: str, error: str = "internal_error", times: int = 1, **fields: Any) -> None:
        """Reply HTTP 200 ``{"ok": false, "error": error, **fields}``."""
        self._script(method, _Script("error", times, error=error, fields=fields))

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Reply HTTP 429 with ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``."""
        self._script(method, _Script("ratelimit", times, retry_after=retry_after))

    def http_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        """Reply HTTP ``status`` with an HTML body (what a load balancer error looks like)."""
        self._script(method, _Script("http", times, status=status))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Handle the next ``times`` calls of ``method`` normally as they arrive, but send each answer only after
        ``seconds`` (a slow Slack, or a slow network back from it)."""
        with self._cond:
            self._delays[method].extend([seconds] * times)

    def limit_channels(self, per_second: float | None = 1.0) -> None:
        """Enforce Slack's posting limit: a chat.postMessage to a channel less than ``1/per_second`` after the
        last one accepted there is answered HTTP 429 with ``Retry-After`` (whole seconds, at least 1) and not
        posted. ``None`` turns the limit off."""
        with self._cond:
            self._channel_interval = 1.0 / per_second if per_second else 0.0
            self._last_post.clear()

    def _rate_limited(self, name: str, args: dict) -> _Script | None:
        """A 429 for a chat.postMessage that comes too soon after the last one in its channel (under the lock)."""
        if not self._channel_interval or name != "chat.postMessage":
            return None
        channel = self._ws.resolve_channel(args.get("channel"))
        wait = self._last_post.get(channel, -math.inf) + self._channel_interval - time.monotonic()
        return _Script("ratelimit", 1, retry_after=max(1, math.ceil(wait))) if wait > 0 else None

    def _script(self, method: str, script: _Script) -> None:
        if script.times < 1:
            raise ValueError("times must be >= 1")
        with self._cond:
            self._scripts[method].append(script)

    def _take_script(self, method: str) -> _Script | None:
        queue = self._scripts.get(method)
        if not queue:
            return None
        script = queue[0]
        script.times -= 1
        if script.times == 0:
            queue.popleft()
        return script

    # -- request handling --------------------------------------------------------------------------
    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        headers = dict(req.headers.items())
        raw = req.rfile.read(int(req.headers.get("Content-Length") or 0))
        if parts.path.startswith("/upload/v1/"):
            self._serve_upload(req, parts.path, raw, headers)
            return
        if parts.path.startswith("/api/") and len(parts.path) > 5:
            kind, name = "api", unquote(parts.path[5:])
        elif parts.path.startswith("/response/"):
            kind, name = "response_url", "response_url"
        else:
            self._send(req, 404, "text/plain", b"not found")
            return

        with self._cond:
            delays = self._delays.get(name)
            delay = delays.popleft() if delays else 0.0
        args: dict[str, Any] = _decode_json_values(dict(parse_qsl(parts.query, keep_blank_values=True)))
        ctype = req.headers.get("Content-Type", "").split(";")[0].strip().lower()
        form_token, bad_body = args.get("token"), False
        if raw and ctype == "application/json":
            try:
                body = json.loads(raw)
                bad_body = not isinstance(body, dict)
                args.update(body if isinstance(body, dict) else {})
            except ValueError:
                bad_body = True
        elif raw:
            fields = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
            form = _decode_json_values(dict(fields))
            args.update(form)
            form_token = form.get("token", form_token)
        if kind == "response_url" and isinstance(args.get("payload"), dict):  # legacy form payload=
            args = args.pop("payload")

        with self._cond:
            script = self._take_script(name) or self._rate_limited(name, args)
            if script is not None:
                status, extra_headers, body_bytes, response = self._scripted(script, kind)
            elif kind == "response_url":
                status, extra_headers, body_bytes, response = self._respond(parts.path, args, bad_body)
            else:
                response = self._api(name, args, headers, form_token, bad_body)
                if self._channel_interval and name == "chat.postMessage" and response.get("ok"):
                    self._last_post[self._ws.resolve_channel(args.get("channel"))] = time.monotonic()
                status, extra_headers = 200, {"Content-Type": "application/json; charset=utf-8"}
                body_bytes = json.dumps(response).encode()
            self._calls.append(Call(method=name, args=args, headers=headers, status=status,
                                    response=response, at=time.monotonic(), path=parts.path))
            self._cond.notify_all()
        if delay:  # handled as it arrived (a test that scripts the next calls cannot lose a script to it)
            time.sleep(delay)
        self._send(req, status, extra_headers.pop("Content-Type"), body_bytes, extra_headers)

    def _respond(self, path: str, args: dict, bad_body: bool) -> tuple[int, dict, bytes, dict]:
        """A POST to a response_url (lock held). Slack lets one be used 5 times; blocks are checked as for
        chat.postMessage."""
        self._responses[path] += 1
        problem: dict | None = None
        if bad_body:
            status, problem = 400, {"ok": False, "error": "invalid_payload"}
        elif self._responses[path] > 5:
            status, problem = 404, {"ok": False, "error": "used_url"}
        else:
            status, problem = 400, validation.check_message(args)
        if problem is None:
            return 200, {"Content-Type": "text/plain"}, b"ok", {"ok": True}
        return status, {"Content-Type": "text/plain"}, problem["error"].encode(), problem

    def _serve_upload(self, req: BaseHTTPRequestHandler, path: str, raw: bytes, headers: dict) -> None:
        """The upload URL files.getUploadURLExternal handed out: takes the file's bytes, answers in plain text."""
        file_id = unquote(path.rsplit("/", 1)[-1])
        with self._cond:
            script = self._take_script("upload")
            if script is not None and script.kind == "http":
                status, body = script.status, f"http_{script.status}"
            else:
                status, body = methods.upload_bytes(self._ws, file_id, raw)
            self._calls.append(Call(method="upload", args={"file_id": file_id, "bytes": len(raw)}, headers=headers,
                                    status=status, response={"ok": status == 200, "body": body},
                                    at=time.monotonic(), path=path))
            self._cond.notify_all()
        self._send(req, status, "text/plain; charset=utf-8", body.encode())

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
        return handler(self._ws, args)

    @staticmethod
    def _scripted(script: _Script, kind: str) -> tuple[int, dict, bytes, dict]:
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if script.kind == "ratelimit":
            response = {"ok": False, "error": "ratelimited"}
            headers = {**json_type, "Retry-After": str(script.retry_after)}
            return 429, headers, json.dumps(response).encode(), response
        if script.kind == "http":
            html = f"<html><body><h1>{script.status} Server Error</h1></body></html>".encode()
            response = {"ok": False, "error": f"http_{script.status}"}
            return script.status, {"Content-Type": "text/html"}, html, response
        response = {"ok": False, "error": script.error, **(script.fields or {})}
        if kind == "response_url":  # response_url errors come back as plain text, e.g. 404 expired_url
            return 404, {"Content-Type": "text/plain"}, script.error.encode(), response
        return 200, json_type, json.dumps(response).encode(), response

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, ctype: str, body: bytes,
              headers: dict | None = None) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            req.send_header(key, value)
        req.end_headers()
        req.wfile.write(body)
