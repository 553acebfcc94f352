"""What a pass hands the code that sends what it claimed (preparing, followup_posts, weekly_posts): whose claims
they are, for how long, the pass's moment and its report. That code needs nothing else of the Clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker


@dataclass
class PassReport:
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    postponed: int = 0
    failed: int = 0
    steps: int = 0  # a løpende routine's monthly steps made (bot.clock.routine_months)
    errors: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        steps = f", routine steps {self.steps}" if self.steps else ""
        return (f"planned {self.planned}, due {self.claimed}, sent {self.sent}, no longer applied {self.cancelled}, "
                f"postponed {self.postponed}, failed {self.failed}{steps}")


@dataclass(frozen=True)
class ClaimContext:
    sessions: sessionmaker[Session]
    worker: str  # who holds the claims
    lease: dt.timedelta  # how long a claim holds unless renewed
    now: dt.datetime  # the pass's moment: what was due by then was claimed, and is recorded as sent then
    report: PassReport  # what became of the claims is counted here
    pass_now: Callable[[], dt.datetime]  # `now` as the pass goes on (a claim is renewed from it)
