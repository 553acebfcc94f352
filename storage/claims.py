"""The outbox's delivery side: due follow-ups claimed with a lease (several clocks send nothing twice, and a dead
clock's claims are taken over when its lease runs out), and what became of each claim: sent, failed, planned
again (a hold, Slack trouble) or cancelled. All per workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.followups import FollowupState as State
from storage.models import Followup
from storage.outbox import followup_by_id


def claim_due(session: Session, team_id: str, *, now: dt.datetime, worker: str, lease: dt.timedelta,
              limit: int) -> Sequence[Followup]:
    """Claim due follow-ups for this worker: planned and due, or claimed by a worker whose lease ran out.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent clocks claim disjoint rows. SQLite: the caller's unit of
    work is an immediate (write-locked) transaction, which serialises claims."""
    due = and_(Followup.team_id == team_id, Followup.due_at <= now,
               or_(Followup.state == State.PLANNED, and_(Followup.state == State.CLAIMED, Followup.lease_until < now)))
    pick = select(Followup.id).where(due).order_by(Followup.due_at, Followup.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(session.scalars(pick))
    if not ids:
        return []
    session.execute(update(Followup).where(Followup.id.in_(ids))
                    .values(state=State.CLAIMED, claimed_by=worker, lease_until=now + lease))
    return session.scalars(select(Followup).where(Followup.id.in_(ids)).order_by(Followup.due_at, Followup.id)).all()


def renew_leases(session: Session, team_ids: Sequence[str], *, worker: str, until: dt.datetime) -> None:
    """Extend this worker's claims (a long delivery pass is alive: its claims are not to be taken over)."""
    if team_ids:
        session.execute(update(Followup).where(Followup.team_id.in_(team_ids), Followup.claimed_by == worker,
                                               Followup.state == State.CLAIMED).values(lease_until=until))


def my_lease(session: Session, team_id: str, followup_id: int, *, worker: str) -> dt.datetime | None:
    """Until when this worker's claim on the follow-up runs; None when it is not (or no longer) this worker's."""
    return session.scalar(select(Followup.lease_until).where(
        Followup.team_id == team_id, Followup.id == followup_id, Followup.claimed_by == worker,
        Followup.state == State.CLAIMED))


def confirm_claim(session: Session, team_id: str, followup_id: int, *, worker: str, until: dt.datetime) -> bool:
    """Just before sending: the claim is still this worker's (then its lease is renewed), atomically."""
    stmt = (update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id,
                                   Followup.claimed_by == worker, Followup.state == State.CLAIMED)
            .values(lease_until=until).returning(Followup.id))
    return session.execute(stmt).first() is not None


def release_claim(session: Session, team_id: str, followup_id: int, *, worker: str, due_at: dt.datetime) -> bool:
    """Not yet (a hold): planned again for `due_at`."""
    stmt = (update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id,
                                   Followup.claimed_by == worker, Followup.state == State.CLAIMED)
            .values(state=State.PLANNED, due_at=due_at, claimed_by=None, lease_until=None).returning(Followup.id))
    return session.execute(stmt).first() is not None


def retry_later(session: Session, team_id: str, followup_id: int, *, worker: str, now: dt.datetime,
                error: str) -> None:
    """Slack trouble outlasted the retries: planned again, later each time (2, 4, 8 … minutes, at most an hour)."""
    row = followup_by_id(session, team_id, followup_id)
    if row is not None and row.state == State.CLAIMED and row.claimed_by == worker:
        row.attempts += 1
        row.state, row.claimed_by, row.error = State.PLANNED, None, error[:200]
        row.due_at = now + dt.timedelta(minutes=min(60, 2 ** row.attempts))


def cancel_claim(session: Session, team_id: str, followup_id: int, *, worker: str, reason: str) -> bool:
    """It no longer applies: cancelled, with why."""
    stmt = (update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id,
                                   Followup.claimed_by == worker, Followup.state == State.CLAIMED)
            .values(state=State.CANCELLED, error=reason[:200], lease_until=None).returning(Followup.id))
    return session.execute(stmt).first() is not None


def _record(session: Session, team_id: str, followup_id: int, **values: Any) -> None:
    session.execute(update(Followup).where(Followup.team_id == team_id, Followup.id == followup_id).values(**values))


def mark_sent(session: Session, team_id: str, followup_id: int, *, channel_id: str, message_ts: str,
              at: dt.datetime) -> None:
    """Slack took the post: sent, with the message it became (reactions and buttons find the follow-up by it)."""
    _record(session, team_id, followup_id, state=State.SENT, channel_id=channel_id, message_ts=message_ts, sent_at=at,
            lease_until=None)


def mark_failed(session: Session, team_id: str, followup_id: int, *, error: str, at: dt.datetime) -> None:
    """Slack refused the post for good (the bot is not in the channel, …): failed, with Slack's error."""
    _record(session, team_id, followup_id, state=State.FAILED, error=error[:200], lease_until=None, failed_at=at)


def mark_part_sent(session: Session, team_id: str, followup_id: int, *, part: int, last: bool, at: dt.datetime,
                   message: tuple[str, str] | None = None) -> None:
    """Part `part` (from 0) of a post in parts went out; the first is the `message` (channel, ts) the others are
    in the thread of, and the last makes the post sent."""
    values: dict[str, Any] = {"parts_sent": part + 1}
    if message is not None:
        values.update(channel_id=message[0], message_ts=message[1])
    if last:
        values.update(state=State.SENT, sent_at=at, lease_until=None)
    _record(session, team_id, followup_id, **values)


def mark_all_parts_sent(session: Session, team_id: str, followup_id: int) -> None:
    """A post in parts whose every part went out before (it renders shorter now): sent, with no part to record."""
    _record(session, team_id, followup_id, state=State.SENT, lease_until=None)
