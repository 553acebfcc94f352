"""The one Slack Web API client, with its retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings


def make_client(settings: Settings, *, rate_limit_retries: bool = True) -> WebClient:
    """The Slack Web API client: retries 5xx and dropped connections, and honours 429 Retry-After by waiting
    (the clock's client does not wait: its delivery paces each channel itself, see bot.clock.delivery)."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    client.retry_handlers.extend(
        [ServerErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)]
    )
    if rate_limit_retries:
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client
