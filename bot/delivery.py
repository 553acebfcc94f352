"""Sending many messages the way Slack wants them: at most one per second per channel, channels in parallel.

`deliver` paces the jobs of each channel, honours 429 Retry-After for that channel only, retries server errors
and timeouts with backoff, and reports every job's outcome through its own callback (which records it)."""

from __future__ import annotations

import heapq
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("prosjektbot.clock")
CANNOT_POST = frozenset({"not_in_channel", "channel_not_found", "is_archived", "cannot_dm_bot", "user_not_found",
                         "channel_is_archived", "restricted_action"})


@dataclass
class Job:
    channel: str
    prepare: Callable[[], dict[str, Any] | None]  # chat.postMessage arguments, built just before sending;
    # None when it no longer applies (prepare records that itself)
    on_sent: Callable[[dict[str, Any]], None]  # with Slack's response
    on_failed: Callable[[str], None]  # permanent: with the error
    on_gave_up: Callable[[str], None]  # transient trouble that outlasted the retries: try again later
    attempts: int = 0


@dataclass
class Report:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    postponed: int = 0
    rate_limited: int = 0
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def deliver(client: WebClient, jobs: list[Job], *, per_channel: float = 1.0, threads: int = 16,
            retries: int = 3, backoff: float = 0.5) -> Report:
    """Send every job; returns when each has been sent, failed, or given up on."""
    report = Report()
    queues: dict[str, deque[Job]] = defaultdict(deque)
    for job in jobs:
        queues[job.channel].append(job)
    ready = [(0.0, channel) for channel in queues]
    heapq.heapify(ready)
    in_flight: dict[Future[tuple[str, Any]], str] = {}
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="deliver") as pool:
        while ready or in_flight:
            now = time.monotonic()
            while ready and ready[0][0] <= now and len(in_flight) < threads:
                _, channel = heapq.heappop(ready)
                in_flight[pool.submit(_send, client, queues[channel][0])] = channel
            wake = max(0.0, ready[0][0] - now) if ready and len(in_flight) < threads else None
            if not in_flight:
                time.sleep(wake or 0.0)
                continue
            done, _ = wait(in_flight, timeout=wake, return_when=FIRST_COMPLETED)
            for future in done:
                channel = in_flight.pop(future)
                next_at = _settle(queues[channel], future.result(), report, retries, backoff, per_channel)
                if queues[channel]:
                    heapq.heappush(ready, (time.monotonic() + next_at, channel))
    return report


def _send(client: WebClient, job: Job) -> tuple[str, Any]:
    try:
        message = job.prepare()
    except Exception:
        log.exception("preparing a follow-up failed")
        return "transient", "prepare_failed"
    if message is None:
        return "skipped", None
    try:
        return "sent", client.chat_postMessage(channel=job.channel, **message)
    except SlackApiError as exc:
        if exc.response.status_code == 429:
            return "rate_limited", float(exc.response.headers.get("Retry-After", 1))
        if exc.response.status_code >= 500:  # named by status: the body may be a proxy's HTML page
            return "transient", f"http_{exc.response.status_code}"
        error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        if error in ("internal_error", "fatal_error", "service_unavailable"):
            return "transient", error
        return "failed", error
    except OSError as exc:  # timeouts and connection errors (after the client's own retries)
        return "transient", type(exc).__name__


def _settle(queue: deque[Job], result: tuple[str, Any], report: Report, retries: int, backoff: float,
            per_channel: float) -> float:
    """Record one send's outcome; the delay before this channel may send again."""
    kind, detail = result
    job = queue[0]
    if kind == "skipped":
        queue.popleft()
        report.skipped += 1
        return 0.0
    if kind == "sent":
        queue.popleft()
        report.sent += 1
        _call(job.on_sent, detail.data if hasattr(detail, "data") else detail)
        return per_channel
    if kind == "rate_limited":
        report.rate_limited += 1
        return float(detail)  # Slack said when; the job stays first in line
    report.errors[detail] += 1
    if kind == "transient" and job.attempts < retries:
        job.attempts += 1
        return backoff * 2 ** (job.attempts - 1)
    queue.popleft()
    if kind == "failed":
        report.failed += 1
        _call(job.on_failed, detail)
        if detail in CANNOT_POST:  # the same answer awaits the rest of this channel's jobs
            while queue:
                report.failed += 1
                _call(queue.popleft().on_failed, detail)
    else:
        report.postponed += 1
        _call(job.on_gave_up, detail)
    return 0.0


def _call(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except Exception:
        log.exception("recording a delivery outcome failed")
