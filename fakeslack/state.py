"""The workspace the fake keeps: users, channels, messages and threads, ephemeral messages, reactions, views (open
modals per user, App Home per user), files, and what validation refused. Every change bumps ``version``.

Functions here are called with the FakeSlack lock held, so they may mutate the workspace freely.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import mimetypes
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What validation refuses (the calls a page shows in red where the message would have appeared).
REJECTED_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "invalid_arguments", "msg_too_long",
                             "no_text", "invalid_payload"})


@dataclass
class Workspace:
    team_id: str
    team_name: str
    bot_user_id: str
    bot_id: str
    clock: Callable[[], float] = time.time
    users: dict[str, dict] = field(default_factory=dict)
    channels: dict[str, dict] = field(default_factory=dict)
    messages: dict[str, list[dict]] = field(default_factory=dict)  # channel -> messages (post order)
    ephemerals: list[dict] = field(default_factory=list)  # {"channel", "to", "ts", ...} in post order
    rejected: list[dict] = field(default_factory=list)  # refused posts: {"channel", "to"?, "ts", "rejected", ...}
    reactions: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)  # (ch, ts) -> name -> users
    views: dict[str, dict] = field(default_factory=dict)  # view id -> view
    stacks: dict[str, list[str]] = field(default_factory=dict)  # user id -> open modal view ids (last on top)
    homes: dict[str, str] = field(default_factory=dict)  # user id -> view id
    files: dict[str, dict] = field(default_factory=dict)  # file id -> upload (files.getUploadURLExternal on)
    triggers: dict[str, str] = field(default_factory=dict)  # trigger_id -> the user whose action made it
    responses: dict[str, dict] = field(default_factory=dict)  # response_url key -> {"channel", "user", "ts", ...}
    last_channel: dict[str, str] = field(default_factory=dict)  # user id -> channel of their last action
    denied_scopes: set[str] = field(default_factory=set)  # scopes the app lacks: methods needing them fail
    upload_base: str = ""  # where upload URLs point (the fake itself)
    last_ts: int = 0  # microseconds
    version: int = 0
    on_change: Callable[[], None] = lambda: None  # told of each change (the lock is held): wakes event streams
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -- helpers ---------------------------------------------------------------------------------
    def bump(self) -> None:
        self.version += 1
        self.on_change()

    def next_ts(self) -> str:
        self.last_ts = max(int(self.clock() * 1_000_000), self.last_ts + 1)
        return f"{self.last_ts // 1_000_000}.{self.last_ts % 1_000_000:06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids):08X}"

    def resolve_channel(self, channel: Any) -> str:
        """Map "#name" to its registered id and a user id (U…/W…) to that user's DM channel."""
        channel = str(channel or "")
        if channel.startswith("#"):
            for cid, info in self.channels.items():
                if info["name"] == channel[1:]:
                    return cid
        if channel[:1] in ("U", "W"):
            return "D" + channel[1:]
        return channel

    def channel_info(self, cid: str) -> dict:
        if cid in self.channels:
            return copy.deepcopy(self.channels[cid])
        is_im = cid.startswith("D")
        return make_channel(cid, name="" if is_im else cid.lower(), is_im=is_im)

    def find_message(self, channel: str, ts: Any) -> dict | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def find_ephemeral(self, channel: str, ts: Any, user: str | None = None) -> dict | None:
        return next((m for m in self.ephemerals if m["channel"] == channel and m["ts"] == ts
                     and (user is None or m["to"] == user)), None)

    def reaction_list(self, channel: str, ts: str) -> list[dict]:
        named = self.reactions.get((channel, ts), {})
        return [{"name": n, "users": list(users), "count": len(users)} for n, users in named.items() if users]

    def with_reactions(self, channel: str, msg: dict) -> dict:
        out = copy.deepcopy(msg)
        reactions = self.reaction_list(channel, msg["ts"])
        if reactions:
            out["reactions"] = reactions
        return out

    # -- changes -----------------------------------------------------------------------------------
    def add_message(self, channel: str, msg: dict) -> dict:
        """Append a message (``ts`` given, or the next one) to a channel."""
        msg = {"type": "message", "text": "", "blocks": [], "thread_ts": None, **msg}
        msg.setdefault("ts", self.next_ts())
        self.messages.setdefault(channel, []).append(msg)
        self.bump()
        return msg

    def add_ephemeral(self, channel: str, to: str, args: dict) -> dict:
        """An ephemeral message from the bot to ``to`` in ``channel`` (only they see it)."""
        msg = {"type": "message", "ts": self.next_ts(), "channel": channel, "to": to, "user": self.bot_user_id,
               "bot_id": self.bot_id, "text": args.get("text") or "", "blocks": args.get("blocks") or [],
               "thread_ts": args.get("thread_ts") or None}
        self.ephemerals.append(msg)
        self.bump()
        return msg

    def reject(self, channel: str, to: str | None, method: str, args: dict, problem: dict) -> None:
        """Keep a call validation refused, to be shown where its message would have appeared."""
        messages = (problem.get("response_metadata") or {}).get("messages") or problem.get("errors") or []
        blocks = args.get("blocks") if isinstance(args.get("blocks"), list) else []
        if isinstance(args.get("view"), dict):
            blocks = args["view"].get("blocks") if isinstance(args["view"].get("blocks"), list) else []
        self.rejected.append({
            "type": "message", "ts": self.next_ts(), "channel": channel, "to": to, "user": self.bot_user_id,
            "bot_id": self.bot_id, "text": str(args.get("text") or ""), "blocks": blocks or [],
            "thread_ts": args.get("thread_ts") or None,
            "rejected": {"error": problem.get("error", ""), "messages": list(messages), "method": method}})
        self.bump()

    def react(self, channel: str, ts: str, name: str, user: str, add: bool) -> bool:
        """Add or remove ``user``'s reaction; False when there was nothing to change."""
        named = self.reactions.setdefault((channel, ts), {})
        users = named.setdefault(name, [])
        if add == (user in users):
            return False
        if add:
            users.append(user)
        else:
            users.remove(user)
            if not users:
                del named[name]
        self.bump()
        return True

    def respond(self, key: str, args: dict) -> None:
        """A post to a response_url, shown as Slack shows it: ephemeral to the user (the default), in channel with
        ``response_type: in_channel``; ``replace_original`` / ``delete_original`` act on the message the action
        came from (or the last one this URL posted)."""
        context = self.responses.get(key)
        if context is None:  # a URL nobody registered (a test made it up): nothing to show
            return
        channel, user, ts = context["channel"], context["user"], context.get("ts")
        ephemeral = context.get("ephemeral", True)
        original = (self.find_ephemeral(channel, ts) if ephemeral else self.find_message(channel, ts)) if ts else None
        if truthy(args.get("delete_original")):
            if original is not None:
                (self.ephemerals if ephemeral else self.messages[channel]).remove(original)
                self.bump()
            return
        if truthy(args.get("replace_original")) and original is not None:
            original["text"] = args.get("text") or ""
            original["blocks"] = args.get("blocks") or []
            if not ephemeral:
                original["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
            self.bump()
            return
        if args.get("response_type") == "in_channel":
            posted = self.add_message(channel, {"user": self.bot_user_id, "bot_id": self.bot_id,
                                                "text": args.get("text") or "", "blocks": args.get("blocks") or []})
            context.update(ts=posted["ts"], ephemeral=False)
        else:
            posted = self.add_ephemeral(channel, user, args)
            context.update(ts=posted["ts"], ephemeral=True)

    def file_info(self, file_id: str) -> dict:
        """A shared file as a message shows it."""
        f = self.files[file_id]
        mimetype = mimetypes.guess_type(f["name"])[0] or "application/octet-stream"
        return {"id": f["id"], "name": f["name"], "title": f["title"] or f["name"], "mimetype": mimetype,
                "size": f["length"], "url": f"/sandbox/files/{f['id']}"}


def truthy(value: Any) -> bool:
    return value is True or (isinstance(value, (str, int)) and str(value).lower() in ("1", "true"))


def make_channel(cid: str, *, name: str, is_member: bool = True, is_archived: bool = False,
                 is_private: bool = False, is_im: bool = False) -> dict:
    return {
        "id": cid, "name": name, "is_channel": not (is_private or is_im), "is_group": is_private,
        "is_im": is_im, "is_private": is_private or is_im, "is_archived": is_archived,
        "is_general": False, "is_member": is_member, "created": 1700000000,
        "topic": {"value": ""}, "purpose": {"value": ""},
    }


def make_user(uid: str, *, team_id: str, name: str, real_name: str | None, is_admin: bool,
              is_owner: bool, is_bot: bool, tz: str, locale: str, title: str = "") -> dict:
    try:
        offset = zoneinfo.ZoneInfo(tz).utcoffset(dt.datetime.now())
        tz_offset = int(offset.total_seconds()) if offset else 0
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz_offset = 0
    real = real_name or name
    return {
        "id": uid, "team_id": team_id, "name": name, "real_name": real, "deleted": False,
        "tz": tz, "tz_offset": tz_offset, "locale": locale, "is_admin": is_admin, "is_owner": is_owner,
        "is_bot": is_bot, "is_app_user": False,
        "profile": {"real_name": real, "display_name": name, "email": f"{name}@example.com", "title": title},
    }
