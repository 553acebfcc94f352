"""Uploading an image to a channel (the portfolio chart) with Slack's current upload flow.

`WebClient.files_upload_v2` does the three steps: files.getUploadURLExternal → POST the bytes to the returned
upload URL → files.completeUploadExternal with the channel (and thread). The chart only adds to a summary whose
text stands on its own, so an app without `files:write` (Slack answers `missing_scope`), or any other refusal,
costs the chart and nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

log = logging.getLogger("prosjektbot")


def upload_png(client: WebClient, *, channel_id: str, png: bytes, filename: str, title: str,
               thread_ts: str | None = None, comment: str | None = None) -> str | None:
    """Share `png` in the channel (as a reply in `thread_ts` when given); the file id, or None when Slack would
    not take it (logged, never raised)."""
    try:
        response = client.files_upload_v2(channel=channel_id, thread_ts=thread_ts, file=png, filename=filename,
                                          title=title, initial_comment=comment)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "missing_scope":
            log.info("no chart in %s: the app lacks %s", channel_id, exc.response.get("needed") or "files:write")
        else:
            log.warning("chart upload to %s failed: %s", channel_id, error)
        return None
    except SlackRequestError as exc:  # the upload URL refused the bytes
        log.warning("chart upload to %s failed: %s", channel_id, exc)
        return None
    file: dict[str, str] = response.get("file") or {}
    return file.get("id")


def upload_to_user(client: WebClient, *, user_id: str, content: bytes, filename: str, title: str,
                   comment: str | None = None) -> str | None:
    """Share a file with a user in their direct message with the bot; the file id, or None when Slack would not
    take it (logged, never raised: the user was told it is on its way and can ask again)."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        response = client.files_upload_v2(channel=channel, file=content, filename=filename, title=title,
                                          initial_comment=comment)
    except (SlackApiError, SlackRequestError) as exc:
        log.warning("file upload to %s failed: %s", user_id, exc)
        return None
    file: dict[str, str] = response.get("file") or {}
    return file.get("id")


def upload_files_to_user(client: WebClient, *, user_id: str, files: list[tuple[Path, str]],
                         comment: str | None = None) -> list[str]:
    """Share files (path, name) with a user in one message in their direct message with the bot; the file ids,
    or none when Slack would not take them (logged, never raised)."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        response = client.files_upload_v2(channel=channel, initial_comment=comment, file_uploads=[
            {"file": str(path), "filename": name, "title": name} for path, name in files])
    except (SlackApiError, SlackRequestError) as exc:
        log.warning("file upload to %s failed: %s", user_id, exc)
        return []
    return [str(f.get("id")) for f in response.get("files") or []]
