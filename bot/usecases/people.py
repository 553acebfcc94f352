"""Who people are in Slack: workspace admin status (users.info), cached for an hour in the store.

Rules ask `Actor.is_admin()` inside a transaction, where no Slack call may happen. So the check reads only the
cache; on a miss it raises `AdminUnknown`, the transaction rolls back, `with_admin_lookup` asks Slack outside any
transaction and runs the request once more. The PL (the usual case) never costs a Slack call.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services, Unit
from storage import workspaces as workspace_db

log = logging.getLogger("prosjektbot")
ADMIN_CACHE = dt.timedelta(hours=1)
T = TypeVar("T")


class AdminUnknown(Exception):
    """The rules need to know whether the user is an admin, and the cache cannot tell."""


def admin_check(svc: Services, unit: Unit, user_id: str, known: bool | None) -> Callable[[], bool]:
    """`Actor.is_admin` for one unit of work: the looked-up answer, else the cache, else AdminUnknown."""

    def is_admin() -> bool:
        if known is not None:
            return known
        cached = workspace_db.cached_admin(unit.session, unit.team_id, user_id, svc.now() - ADMIN_CACHE)
        if cached is None:
            raise AdminUnknown(user_id)
        return cached

    return is_admin


def with_admin_lookup(svc: Services, team_id: str, user_id: str, attempt: Callable[[bool | None], T]) -> T:
    """Run `attempt(None)`; if it needed an uncached admin status, look it up and run `attempt(status)`."""
    try:
        return attempt(None)
    except AdminUnknown:
        return attempt(_look_up(svc, team_id, user_id))


def _look_up(svc: Services, team_id: str, user_id: str) -> bool:
    """Admin, owner or primary owner of the workspace, from users.info; remembered for an hour."""
    try:
        found = svc.client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return False  # not cached: the next request asks again
    flag = bool(found.get("is_admin") or found.get("is_owner") or found.get("is_primary_owner"))
    with svc.unit(team_id, write=True) as unit:
        workspace_db.remember_admin(unit.session, team_id, user_id, flag, svc.now())
    return flag


def real_names(client: WebClient, user_ids: list[str]) -> dict[str, str]:
    """Each person's real name from users.info (its profile's, else the account's), for a file a person reads;
    someone Slack cannot tell about is left out (shown by their id)."""
    names: dict[str, str] = {}
    for user_id in user_ids:
        try:
            found = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            continue
        name = (found.get("profile") or {}).get("real_name") or found.get("real_name") or found.get("name")
        if name:
            names[user_id] = str(name)
    return names
