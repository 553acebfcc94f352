"""Coalesced background work: at most one queued and one running job per key.

Asking for a job that is queued adds nothing (it has not read anything yet, so it will see the change that asks).
Asking while it runs makes it run once more when it ends (it may have read before the change). So a storm of
changes costs one or two runs, and the last run always sees the last change; runs of one key never overlap, so an
older rendering can never overwrite a newer one.

With `min_interval`, runs of one key also start at least that many seconds apart: a storm of changes then costs
one run a second (Slack rate-limits chat.update and views.publish, and each run renders again), and the run that
waits still sees every change made while it waited. The wait is a delayed submit, never a sleeping pool thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

log = logging.getLogger("prosjektbot")
QUEUED, RUNNING, AGAIN = "queued", "running", "again"
Submit = Callable[..., None]  # submit(fn, *args) runs fn(*args) on a pool; with min_interval also delay=seconds


class Coalescer:
    def __init__(self, min_interval: float = 0.0) -> None:
        self.min_interval = min_interval
        self._state: dict[Hashable, str] = {}
        self._started: dict[Hashable, float] = {}  # key -> when its last run began (with min_interval)
        self._lock = threading.Lock()

    def request(self, key: Hashable, submit: Submit, job: Callable[[], None]) -> bool:
        """Make sure `job` runs (through `submit`) after this call; True when a new run was queued."""
        with self._lock:
            state = self._state.get(key)
            if state == RUNNING:
                self._state[key] = AGAIN
            if state is not None:
                return False
            self._state[key] = QUEUED
            delay = self._wait(key)
        self._submit(submit, delay, key, job)
        return True

    def _wait(self, key: Hashable) -> float:
        last = self._started.get(key)
        return 0.0 if last is None else max(0.0, last + self.min_interval - time.monotonic())

    def _submit(self, submit: Submit, delay: float, key: Hashable, job: Callable[[], None]) -> None:
        args: tuple[Any, ...] = (key, job, submit) if self.min_interval > 0 else (key, job)
        if delay > 0:
            submit(self._run, *args, delay=delay)
        else:
            submit(self._run, *args)

    def _run(self, key: Hashable, job: Callable[[], None], submit: Submit | None = None) -> None:
        while True:
            with self._lock:
                self._state[key] = RUNNING
                if self.min_interval > 0:
                    now = time.monotonic()
                    if len(self._started) > 1000:  # forget keys that wait for nobody
                        self._started = {k: at for k, at in self._started.items() if at > now - self.min_interval}
                    self._started[key] = now
            try:
                job()
            except Exception:
                log.exception("background job %s failed", key)
            with self._lock:
                if self._state.get(key) != AGAIN:
                    self._state.pop(key, None)
                    return
                if submit is None:  # no pace to keep: run again at once, on this thread
                    continue
                self._state[key] = QUEUED
                delay = self._wait(key)
            self._submit(submit, delay, key, job)
            return
