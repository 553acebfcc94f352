"""The sandbox page's API on the stand-in (docs/sandbox.md, "The page's API"): the page's static files, what it
reads (state, messages, threads, App Home, modals, files), server-sent events when anything changes, and the
actions (``fakeslack.page_actions``) that turn what the person does into the signed requests Slack would send."""

from __future__ import annotations

import json
import logging
import mimetypes
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import page_actions, transport, views
from .page_actions import PageError
from .state import Workspace

if TYPE_CHECKING:
    from .server import FakeSlack

log = logging.getLogger(__name__)
PAGE_DIR = Path(__file__).resolve().parent / "page"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
                 ".json": "application/json; charset=utf-8"}
KEEPALIVE = 15.0  # seconds between comment lines on a quiet event stream
ZONE = "Europe/Oslo"


def _ts_key(message: dict) -> tuple[int, int]:
    secs, _, micros = str(message["ts"]).partition(".")
    return int(secs or 0), int(micros or 0)


class PageApi:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.ws: Workspace = fake._ws
        self.cond = fake._cond
        self.actions = page_actions.PageActions(fake)
        self.reads: dict[str, Callable[[dict[str, str]], dict]] = {
            "/sandbox/state": self.state, "/sandbox/messages": self._messages, "/sandbox/thread": self._thread,
            "/sandbox/home": self._home, "/sandbox/modal": self._modal}

    def serve(self, req: BaseHTTPRequestHandler, request: transport.Request) -> None:
        path = request.path
        try:
            if request.method == "POST" and path.startswith("/sandbox/"):
                if request.bad_body:
                    raise PageError("invalid_json")
                transport.send_json(req, self.actions.run(path.removeprefix("/sandbox/"), request.args))
            elif request.method != "GET":
                raise PageError("method_not_allowed", 405)
            elif path in ("/", "/page/", "/index.html") or path.startswith("/page/"):
                self._static(req, path.removeprefix("/page/") if path.startswith("/page/") else "index.html")
            elif path == "/sandbox/events":
                self._events(req)
            elif path.startswith("/sandbox/files/"):
                self._file(req, path.removeprefix("/sandbox/files/"))
            elif path in self.reads:
                with self.cond:  # what the reads return shares the stored messages and views
                    body = json.dumps(self.reads[path](request.query)).encode()
                transport.send(req, 200, "application/json; charset=utf-8", body)
            else:
                raise PageError("not_found", 404)
        except PageError as exc:
            transport.send_json(req, {"ok": False, "error": exc.error}, exc.status)
        except Exception:  # a bug here must not leave the page waiting on a dropped connection
            log.exception("sandbox page: %s %s failed", request.method, path)
            transport.send_json(req, {"ok": False, "error": "internal_error"}, 500)

    # -- reads ------------------------------------------------------------------------------------------------
    def state(self, query: dict[str, str] | None = None) -> dict:
        with self.cond:
            ws = self.ws
            people = [{"id": u["id"], "name": u["name"], "real_name": u["real_name"],
                       "title": u["profile"].get("title", ""), "is_admin": u["is_admin"]}
                      for u in ws.users.values() if not u["is_bot"] and u["id"] != ws.bot_user_id]
            channels = [{"id": c["id"], "name": c["name"]} for c in ws.channels.values()
                        if not c["is_im"] and not c["is_archived"]]
            bot = ws.users.get(ws.bot_user_id, {})
            version = ws.version
            clock = self.fake.sandbox_clock
        now = clock.now().isoformat() if clock is not None else None
        return {"ok": True, "team": {"id": ws.team_id, "name": ws.team_name},
                "bot": {"user_id": ws.bot_user_id, "name": bot.get("real_name") or bot.get("name", "bot")},
                "people": people, "channels": channels, "now": now, "zone": ZONE, "version": version}

    def messages(self, channel: str, user: str) -> list[dict]:
        """Top-level messages in ``channel`` as ``user`` sees them, in time order (ephemeral ones only theirs).
        Call with the lock held, and copy or serialize before letting it go."""
        with self.cond:
            cid = self.ws.resolve_channel(channel)
            replies = self._reply_counts(cid)
            return [self._shown(cid, m, replies) for m in self._visible(cid, user)
                    if m.get("thread_ts") in (None, m["ts"])]

    def thread(self, channel: str, ts: str, user: str) -> list[dict]:
        with self.cond:
            cid = self.ws.resolve_channel(channel)
            seen = self._visible(cid, user)
            parent = [m for m in seen if m["ts"] == ts]
            if not parent:
                raise PageError("thread_not_found", 404)
            replies = [m for m in seen if m.get("thread_ts") == ts and m["ts"] != ts]
            return [self._shown(cid, m, self._reply_counts(cid)) for m in parent + replies]

    def _visible(self, cid: str, user: str) -> list[dict]:
        ws = self.ws
        mine = [m for m in ws.ephemerals + ws.rejected if m["channel"] == cid and m["to"] in (None, user)]
        return sorted(ws.messages.get(cid, []) + mine, key=_ts_key)

    def _reply_counts(self, cid: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.ws.messages.get(cid, []):
            if m.get("thread_ts") not in (None, m["ts"]):
                counts[m["thread_ts"]] = counts.get(m["thread_ts"], 0) + 1
        return counts

    def _shown(self, cid: str, m: dict, replies: dict[str, int]) -> dict:
        """A message as the page gets it (sharing the stored parts: serialize or copy under the lock)."""
        ws = self.ws
        author = ws.users.get(m.get("user") or "", {})
        shown: dict[str, Any] = {
            "ts": m["ts"], "channel": cid, "user": m.get("user") or "", "text": m.get("text") or "",
            "is_bot": bool(m.get("bot_id")) or m.get("user") == ws.bot_user_id or bool(author.get("is_bot")),
            "reply_count": replies.get(m["ts"], 0), "reactions": ws.reaction_list(cid, m["ts"]),
            "files": m.get("files") or [], "ephemeral": m.get("to") is not None,
            "edited": bool(m.get("edited"))}
        if m.get("blocks"):
            shown["blocks"] = m["blocks"]
        if m.get("thread_ts"):
            shown["thread_ts"] = m["thread_ts"]
        if "rejected" in m:
            shown["rejected"] = m["rejected"]
        return shown

    def _messages(self, query: dict[str, str]) -> dict:
        return {"ok": True, "messages": self.messages(_need(query, "channel"), _need(query, "user"))}

    def _thread(self, query: dict[str, str]) -> dict:
        messages = self.thread(_need(query, "channel"), _need(query, "ts"), _need(query, "user"))
        return {"ok": True, "messages": messages}

    def _home(self, query: dict[str, str]) -> dict:
        return {"ok": True, "view": self.fake.home_view(_need(query, "user"))}

    def _modal(self, query: dict[str, str]) -> dict:
        with self.cond:
            return {"ok": True, "stack": views.stack_of(self.ws, _need(query, "user"))}

    # -- files, the page's own files, the event stream --------------------------------------------------------
    def _file(self, req: BaseHTTPRequestHandler, file_id: str) -> None:
        with self.cond:
            f = self.ws.files.get(file_id)
            if f is None or f["content"] is None:
                raise PageError("file_not_found", 404)
            content, name = f["content"], f["name"]
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        transport.send(req, 200, ctype, content,
                       {"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})

    def _static(self, req: BaseHTTPRequestHandler, name: str) -> None:
        path = (PAGE_DIR / name).resolve()
        if not path.is_relative_to(PAGE_DIR) or not path.is_file():
            raise PageError("not_found", 404)
        ctype = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        transport.send(req, 200, ctype, path.read_bytes(), {"Cache-Control": "no-cache"})

    def _events(self, req: BaseHTTPRequestHandler) -> None:
        """Server-sent events: ``data: {"version": N}`` now and whenever the version changes; a comment line
        every ``KEEPALIVE`` seconds; the stream ends when the fake stops or the page goes away."""
        req.send_response(200)
        req.send_header("Content-Type", "text/event-stream; charset=utf-8")
        req.send_header("Cache-Control", "no-cache")
        req.end_headers()
        last = -1
        while True:
            with self.cond:
                self.cond.wait_for(self._changed_since(last), timeout=KEEPALIVE)
                if self.fake.stopping:
                    return
                version = self.ws.version
            line = f"data: {json.dumps({'version': version})}\n\n" if version != last else ": keepalive\n\n"
            last = version
            try:
                req.wfile.write(line.encode())
                req.wfile.flush()
            except OSError:
                return

    def _changed_since(self, version: int) -> Callable[[], bool]:
        return lambda: self.fake.stopping or self.ws.version != version


def _need(query: dict[str, str], name: str) -> str:
    value = query.get(name)
    if not value:
        raise PageError(f"missing_{name}")
    return value
