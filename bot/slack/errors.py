"""Slack's error codes as the bot understands them: one vocabulary for the web process and the clock."""

from __future__ import annotations

from enum import StrEnum


class SlackErrorCode(StrEnum):
    """The `error` of a Slack Web API answer with `"ok": false` (the ones the bot acts on)."""

    NOT_IN_CHANNEL = "not_in_channel"
    CHANNEL_NOT_FOUND = "channel_not_found"
    IS_ARCHIVED = "is_archived"
    CHANNEL_IS_ARCHIVED = "channel_is_archived"
    RESTRICTED_ACTION = "restricted_action"  # a workspace preference keeps the bot from posting there
    CANNOT_DM_BOT = "cannot_dm_bot"
    USER_NOT_FOUND = "user_not_found"
    INTERNAL_ERROR = "internal_error"
    FATAL_ERROR = "fatal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


# A post that gets one of these gets it again until someone fixes the channel (invites the bot, unarchives it,
# lets the bot post) or the person: the PL is told, and the clock fails that channel's other posts of the pass
# with it instead of trying each. The DM codes come only from a post to a user (the clock's DM to a PL).
CANNOT_POST = frozenset({
    SlackErrorCode.NOT_IN_CHANNEL, SlackErrorCode.CHANNEL_NOT_FOUND, SlackErrorCode.IS_ARCHIVED,
    SlackErrorCode.CHANNEL_IS_ARCHIVED, SlackErrorCode.RESTRICTED_ACTION, SlackErrorCode.CANNOT_DM_BOT,
    SlackErrorCode.USER_NOT_FOUND,
})

# Slack's own trouble, worth trying again after a while.
SERVER_TROUBLE = frozenset({SlackErrorCode.INTERNAL_ERROR, SlackErrorCode.FATAL_ERROR,
                            SlackErrorCode.SERVICE_UNAVAILABLE})
