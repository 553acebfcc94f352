"""Who people are in Slack: workspace admin status (users.info), cached for an hour in the store."""

from __future__ import annotations

import datetime as dt
import logging

from slack_sdk.errors import SlackApiError

from bot.services import Services
from storage import queries as q

log = logging.getLogger("prosjektbot")
ADMIN_CACHE = dt.timedelta(hours=1)


def is_workspace_admin(svc: Services, team_id: str, user_id: str) -> bool:
    """Admin, owner or primary owner of the workspace. The Slack lookup runs outside any transaction."""
    with svc.unit(team_id) as unit:
        cached = q.cached_admin(unit.session, team_id, user_id, svc.now() - ADMIN_CACHE)
    if cached is not None:
        return cached
    try:
        found = svc.client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return False  # not cached: the next attempt asks again
    flag = bool(found.get("is_admin") or found.get("is_owner") or found.get("is_primary_owner"))
    with svc.unit(team_id, write=True) as unit:
        q.remember_admin(unit.session, team_id, user_id, flag)
    return flag
