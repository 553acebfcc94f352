"""Sending many messages the way Slack wants them: at most one per second per channel, channels in parallel.

`deliver` paces the jobs of each channel (a post leaves once Slack answered the last one a second ago), honours
429 Retry-After for that channel only, retries server errors and timeouts with backoff, and reports every job's
outcome through its own callback (which records it, in the thread that sent it). Calls that follow a post (the
pre-added reactions) go from a queue of their own, so a channel's turn is never spent on them. A job need not be
a project's follow-up: anything that posts one message to a channel (a weekly summary) is a Job."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import CANNOT_POST, SERVER_TROUBLE

log = logging.getLogger("prosjektbot.clock")


@dataclass
class Job:
    channel: str
    prepare: Callable[[], dict[str, Any] | None]  # chat.postMessage arguments, built just before sending;
    # None when it no longer applies (prepare records that itself)
    on_sent: Callable[[dict[str, Any]], None]  # with Slack's response; runs in the thread that sent it
    on_failed: Callable[[str], None]  # permanent: with the error
    on_gave_up: Callable[[str], None]  # transient trouble that outlasted the retries: try again later
    # Slack calls to make after the post, e.g. reactions.add: (method, arguments). They go from a queue of their
    # own, after the posts that are due, so they never hold the channel's turn; failures are only logged.
    then: Callable[[dict[str, Any]], list[tuple[str, dict[str, Any]]]] | None = None
    # Posts that continue this one (the parts of a long summary, in its thread): next in the channel's queue,
    # paced like any post.
    more: Callable[[dict[str, Any]], list[Job]] | None = None
    # How to post, when it is not chat.postMessage (an image upload): returns Slack's answer as on_sent gets it.
    send: Callable[[WebClient, dict[str, Any]], dict[str, Any]] | None = None
    attempts: int = 0


@dataclass
class Report:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    postponed: int = 0
    rate_limited: int = 0
    extra_calls: int = 0
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class _Sent:
    kind: str  # sent, skipped, rate_limited, transient, failed
    detail: Any
    answered: float  # when Slack answered the post (monotonic): the channel's next turn is paced from it, so two
    # posts reach Slack at least the pace apart however long either took on the way, and nothing else (recording
    # it, the reactions) delays the next one
    then: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    more: list[Job] = field(default_factory=list)


Call = tuple[str, dict[str, Any]]  # a Slack Web API method and its arguments


class FollowOn:
    """Slack calls that follow posts (the pre-added reactions), made by threads of their own that outlive a pass,
    so a pass never waits for them: reactions.add is a rate tier of its own (about 50 a minute), and a morning's
    reactions can take longer than its posts. A 429 holds them all back for its Retry-After; failures are logged."""

    def __init__(self, client: WebClient, *, threads: int = 2) -> None:
        self.client, self.threads = client, threads
        self.calls: deque[Call] = deque()
        self.busy = 0
        self.not_before = 0.0
        self.cond = threading.Condition()
        self.started: list[threading.Thread] = []

    def put(self, calls: list[Call]) -> None:
        with self.cond:
            self.calls.extend(calls)
            while len(self.started) < self.threads:
                thread = threading.Thread(target=self._run, name="follow-on", daemon=True)
                self.started.append(thread)
                thread.start()
            self.cond.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until every call put so far was made (True), or `timeout` seconds (False)."""
        end = time.monotonic() + timeout
        with self.cond:
            while self.calls or self.busy:
                if not self.cond.wait(max(0.0, end - time.monotonic())) and time.monotonic() >= end:
                    return False
        return True

    def _run(self) -> None:
        while True:
            with self.cond:
                while not self.calls or time.monotonic() < self.not_before:
                    self.cond.wait(max(0.01, self.not_before - time.monotonic()) if self.calls else None)
                call = self.calls.popleft()
                self.busy += 1
            retry_after, _ = _call_api(self.client, *call)
            with self.cond:
                self.busy -= 1
                if retry_after is not None:
                    self.calls.appendleft(call)
                    self.not_before = time.monotonic() + retry_after
                self.cond.notify_all()


def deliver(client: WebClient, jobs: list[Job], *, per_channel: float = 1.0, threads: int = 16,
            retries: int = 3, backoff: float = 0.5, heartbeat: Callable[[], None] | None = None,
            heartbeat_every: float = 60.0, follow_on: FollowOn | None = None) -> Report:
    """Send every job; returns when each has been sent, failed, or given up on, and (without `follow_on`, which
    then takes them over) their follow-on calls made.

    A channel's next post leaves `per_channel` seconds after Slack answered its last one; `heartbeat` is called
    every `heartbeat_every` seconds meanwhile (the clock renews its leases with it)."""
    report = Report()
    queues: dict[str, deque[Job]] = defaultdict(deque)
    for job in jobs:
        queues[job.channel].append(job)
    ready = [(0.0, channel) for channel in queues]
    heapq.heapify(ready)
    extra: deque[tuple[str, dict[str, Any]]] = deque()
    extra_not_before = 0.0  # a 429 on a follow-on call holds back all of them (their limit is per workspace)
    in_flight: dict[Future[Any], str | None] = {}  # None: a follow-on call
    next_beat = time.monotonic() + heartbeat_every
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="deliver") as pool:
        while ready or in_flight or extra:
            now = time.monotonic()
            if heartbeat is not None and now >= next_beat:
                _beat(heartbeat)
                next_beat = now + heartbeat_every
            while ready and ready[0][0] <= now and len(in_flight) < threads:
                _, channel = heapq.heappop(ready)
                in_flight[pool.submit(_send, client, queues[channel][0])] = channel
            while extra and extra_not_before <= now and len(in_flight) < threads:
                in_flight[pool.submit(_call_api, client, *extra.popleft())] = None
            wakes = [next_beat] if heartbeat is not None else []
            if len(in_flight) < threads:
                wakes += [ready[0][0]] if ready else []
                wakes += [extra_not_before] if extra else []
            wake = max(0.0, min(wakes) - now) if wakes else None
            if not in_flight:
                time.sleep(min(wake if wake is not None else 0.0, 1.0))
                continue
            done, _ = wait(in_flight, timeout=wake, return_when=FIRST_COMPLETED)
            for future in done:
                owner = in_flight.pop(future)
                if owner is None:
                    retry_after, call = future.result()
                    if retry_after is not None:
                        extra.appendleft(call)
                        extra_not_before = time.monotonic() + retry_after
                    else:
                        report.extra_calls += 1
                    continue
                sent: _Sent = future.result()
                if follow_on is not None:
                    follow_on.put(sent.then)
                else:
                    extra.extend(sent.then)
                next_at = _settle(queues[owner], sent, report, retries, backoff, per_channel)
                queues[owner].extendleft(reversed(sent.more))
                if queues[owner]:
                    heapq.heappush(ready, (next_at, owner))
    return report


def _beat(heartbeat: Callable[[], None]) -> None:
    try:
        heartbeat()
    except Exception:
        log.exception("heartbeat failed")


def _send(client: WebClient, job: Job) -> _Sent:
    try:
        message = job.prepare()
    except Exception:
        log.exception("preparing a follow-up failed")
        return _Sent("transient", "prepare_failed", time.monotonic())
    if message is None:
        return _Sent("skipped", None, time.monotonic())
    try:
        response = job.send(client, message) if job.send else client.chat_postMessage(channel=job.channel, **message)
    except SlackApiError as exc:
        answered = time.monotonic()
        if exc.response.status_code == 429:
            return _Sent("rate_limited", float(exc.response.headers.get("Retry-After", 1)), answered)
        if exc.response.status_code >= 500:  # named by status: the body may be a proxy's HTML page
            return _Sent("transient", f"http_{exc.response.status_code}", answered)
        error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        if error in SERVER_TROUBLE:
            return _Sent("transient", error, answered)
        return _Sent("failed", error, answered)
    except OSError as exc:  # timeouts and connection errors (after the client's own retries)
        return _Sent("transient", type(exc).__name__, time.monotonic())
    answered = time.monotonic()
    data = response.data if hasattr(response, "data") else response
    _call(job.on_sent, data)  # recorded here, in the sending thread, the moment Slack answers
    then: list[tuple[str, dict[str, Any]]] = []
    more: list[Job] = []
    try:
        then = job.then(data) if job.then else []  # type: ignore[arg-type]
        more = job.more(data) if job.more else []  # type: ignore[arg-type]
    except Exception:
        log.exception("building the calls after a post failed")
    return _Sent("sent", data, answered, then, more)


def _call_api(client: WebClient, method: str, args: dict[str, Any]) -> tuple[float | None, tuple[str, dict[str, Any]]]:
    """One follow-on call; (Retry-After, the call) when Slack asks to slow down, else (None, the call)."""
    try:
        client.api_call(method, params=args)
    except SlackApiError as exc:
        if exc.response.status_code == 429:
            return float(exc.response.headers.get("Retry-After", 1)), (method, args)
        log.info("%s failed: %s", method, exc.response.get("error"))
    except Exception as exc:  # a missing reaction is no reason to fail anything
        log.info("%s failed: %s", method, exc)
    return None, (method, args)


def _settle(queue: deque[Job], result: _Sent, report: Report, retries: int, backoff: float,
            per_channel: float) -> float:
    """Record one send's outcome; when this channel may send again (monotonic)."""
    kind, detail = result.kind, result.detail
    job = queue[0]
    now = time.monotonic()
    if kind == "skipped":
        queue.popleft()
        report.skipped += 1
        return now
    if kind == "sent":
        queue.popleft()
        report.sent += 1
        return result.answered + per_channel
    if kind == "rate_limited":
        report.rate_limited += 1
        return now + float(detail)  # Slack said when; the job stays first in line
    report.errors[detail] += 1
    if kind == "transient" and job.attempts < retries:
        job.attempts += 1
        return now + backoff * 2 ** (job.attempts - 1)
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
    return now


def _call(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except Exception:
        log.exception("recording a delivery outcome failed")
