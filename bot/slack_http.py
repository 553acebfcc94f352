"""slack_sdk's WebClient with connections kept alive: a urllib3 pool instead of a new connection per call.

slack_sdk's sync client opens (and, over TLS, handshakes) a connection for every call through urllib; the clock
makes four calls per follow-up (the post and three reactions), so that is most of what a call costs on both ends.
Only the one step that moves bytes is replaced: the request slack_sdk built goes out through urllib3, and the answer
comes back in the shapes urllib gives (an HTTPError for a status >= 400, URLError or TimeoutError when the
connection fails), so slack_sdk's retry handlers, 429 handling and errors work exactly as before."""

from __future__ import annotations

import io
from http.client import HTTPMessage
from typing import Any, cast
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError


class PooledWebClient(WebClient):
    """A WebClient whose calls reuse connections (at most `pool_size` kept per host; more are made when more
    threads call at once, and closed after)."""

    def __init__(self, *args: Any, pool_size: int = 32, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options: dict[str, Any] = {"maxsize": pool_size, "retries": False, "ssl_context": self.ssl}
        self.pool = urllib3.ProxyManager(self.proxy, **options) if self.proxy else urllib3.PoolManager(**options)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if not url.lower().startswith(("http://", "https://")):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        try:
            body = cast(bytes | None, req.data)  # slack_sdk's request holds bytes (or nothing)
            resp = self.pool.request(req.get_method(), url, body=body, headers=dict(req.header_items()),
                                     timeout=self.timeout, redirect=False)
        except urllib3.exceptions.ReadTimeoutError as exc:  # urllib lets the socket's TimeoutError through
            raise TimeoutError(str(exc)) from exc
        except urllib3.exceptions.HTTPError as exc:  # refused, reset, dropped: urllib's URLError (retried by
            # slack_sdk's ConnectionErrorRetryHandler)
            raise URLError(exc) from exc
        headers = HTTPMessage()
        for name, value in resp.headers.items():
            headers[name] = value
        if resp.status >= 400:
            raise HTTPError(url, resp.status, resp.reason or "", headers, io.BytesIO(resp.data))
        if headers.get_content_type() == "application/gzip":  # admin.analytics.getFile
            return {"status": resp.status, "headers": headers, "body": resp.data}
        return {"status": resp.status, "headers": headers,
                "body": resp.data.decode(headers.get_content_charset() or "utf-8")}
