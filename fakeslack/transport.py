"""The HTTP plumbing under FakeSlack: the threaded server on 127.0.0.1, reading a request's arguments, answering."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit


class Serves(Protocol):
    def _serve(self, req: BaseHTTPRequestHandler) -> None: ...


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of more connections than that overflows it, and the
    # kernel drops the SYNs of the rest, which the client resends only after a second (TCP's initial timeout).
    request_queue_size = 1024
    fake: Serves


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    do_GET = do_POST


@dataclass
class Request:
    """One request, read: ``args`` merges the query string with the JSON body or form fields (form values holding
    JSON, e.g. ``blocks``/``view``, are decoded); ``form_token`` is a token given as a form or query field."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    args: dict[str, Any]
    form_token: Any
    bad_body: bool


def decode_json_values(fields: dict[str, str]) -> dict[str, Any]:
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


def read(req: BaseHTTPRequestHandler) -> Request:
    parts = urlsplit(req.path)
    headers = dict(req.headers.items())
    raw = req.rfile.read(int(req.headers.get("Content-Length") or 0))
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    args: dict[str, Any] = decode_json_values(query)
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
        form = decode_json_values(dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)))
        args.update(form)
        form_token = form.get("token", form_token)
    return Request(method=req.command, path=parts.path, query=query, headers=headers, raw=raw, args=args,
                   form_token=form_token, bad_body=bad_body)


def send(req: BaseHTTPRequestHandler, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
    req.send_response(status)
    req.send_header("Content-Type", ctype)
    req.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        req.send_header(key, value)
    req.end_headers()
    req.wfile.write(body)


def send_json(req: BaseHTTPRequestHandler, body: Any, status: int = 200) -> None:
    send(req, status, "application/json; charset=utf-8", json.dumps(body).encode())
