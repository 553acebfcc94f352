"""Coalesced background work: at most one queued and one running job per key.

Asking for a job that is queued adds nothing (it has not read anything yet, so it will see the change that asks).
Asking while it runs makes it run once more when it ends (it may have read before the change). So a storm of
changes costs one or two runs, and the last run always sees the last change; runs of one key never overlap, so an
older rendering can never overwrite a newer one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable

log = logging.getLogger("prosjektbot")
QUEUED, RUNNING, AGAIN = "queued", "running", "again"


class Coalescer:
    def __init__(self) -> None:
        self._state: dict[Hashable, str] = {}
        self._lock = threading.Lock()

    def request(self, key: Hashable, submit: Callable[..., None], job: Callable[[], None]) -> bool:
        """Make sure `job` runs (through `submit`) after this call; True when a new run was queued."""
        with self._lock:
            state = self._state.get(key)
            if state == RUNNING:
                self._state[key] = AGAIN
            if state is not None:
                return False
            self._state[key] = QUEUED
        submit(self._run, key, job)
        return True

    def _run(self, key: Hashable, job: Callable[[], None]) -> None:
        while True:
            with self._lock:
                self._state[key] = RUNNING
            try:
                job()
            except Exception:
                log.exception("background job %s failed", key)
            with self._lock:
                if self._state.get(key) != AGAIN:
                    self._state.pop(key, None)
                    return
