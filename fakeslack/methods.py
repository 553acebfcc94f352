"""The Web API method implementations (views.* are in ``fakeslack.views``).

Every handler takes ``(ws, args)`` and returns the JSON body (a dict with ``ok``). Handlers are
called with the FakeSlack lock held, so they may mutate ``ws`` freely.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import validation
from .state import Workspace, make_channel, truthy

Handler = Callable[["Workspace", dict], dict]
METHODS: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        METHODS[name] = fn
        return fn

    return register


def err(error: str, **extra: Any) -> dict:
    return {"ok": False, "error": error, **extra}


# -- auth / users / conversations -----------------------------------------------------------------
@method("api.test")
def api_test(ws: Workspace, args: dict) -> dict:
    return {"ok": True, "args": args}


@method("auth.test")
def auth_test(ws: Workspace, args: dict) -> dict:
    bot = ws.users.get(ws.bot_user_id, {})
    return {
        "ok": True, "url": f"https://{ws.team_id.lower()}.slack.com/", "team": ws.team_name,
        "user": bot.get("name", "bot"), "team_id": ws.team_id, "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id, "is_enterprise_install": False,
    }


@method("users.info")
def users_info(ws: Workspace, args: dict) -> dict:
    user = ws.users.get(str(args.get("user", "")))
    if user is None:
        return err("user_not_found")
    user = copy.deepcopy(user)
    if not truthy(args.get("include_locale")):  # real Slack only includes locale when asked
        user.pop("locale")
    return {"ok": True, "user": user}


@method("users.list")
def users_list(ws: Workspace, args: dict) -> dict:
    members = [copy.deepcopy(u) for u in ws.users.values()]
    return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}


@method("conversations.info")
def conversations_info(ws: Workspace, args: dict) -> dict:
    if not args.get("channel"):
        return err("channel_not_found")
    return {"ok": True, "channel": ws.channel_info(ws.resolve_channel(args["channel"]))}


@method("conversations.list")
def conversations_list(ws: Workspace, args: dict) -> dict:
    chans = [copy.deepcopy(c) for c in ws.channels.values()]
    if truthy(args.get("exclude_archived")):
        chans = [c for c in chans if not c["is_archived"]]
    return {"ok": True, "channels": chans, "response_metadata": {"next_cursor": ""}}


@method("conversations.join")
def conversations_join(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    if not cid:
        return err("channel_not_found")
    info = ws.channels.get(cid) or make_channel(cid, name=cid.lower())
    if info["is_archived"]:
        return err("is_archived")
    if info["is_private"]:
        return err("method_not_supported_for_channel_type")
    info["is_member"] = True
    ws.channels[cid] = info
    return {"ok": True, "channel": copy.deepcopy(info)}


@method("conversations.open")
def conversations_open(ws: Workspace, args: dict) -> dict:
    users = [u for u in str(args.get("users", "")).split(",") if u]
    if not users and not args.get("channel"):
        return err("users_list_not_supplied")
    cid = ws.resolve_channel(args.get("channel") or users[0])
    return {"ok": True, "channel": {"id": cid}}


@method("conversations.history")
def conversations_history(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    top = [ws.with_reactions(cid, m) for m in ws.messages.get(cid, []) if m["thread_ts"] in (None, m["ts"])]
    return {"ok": True, "messages": top[::-1], "has_more": False}


@method("conversations.replies")
def conversations_replies(ws: Workspace, args: dict) -> dict:
    cid, ts = ws.resolve_channel(args.get("channel")), args.get("ts")
    thread = [ws.with_reactions(cid, m) for m in ws.messages.get(cid, [])
              if m["ts"] == ts or m["thread_ts"] == ts]
    return {"ok": True, "messages": thread, "has_more": False} if thread else err("thread_not_found")


# -- chat -------------------------------------------------------------------------------------------
def _content_error(ws: Workspace, args: dict) -> dict | None:
    if not any(args.get(k) for k in ("text", "blocks", "attachments")):
        return err("no_text")
    return validation.check_message(args)


def _postable(ws: Workspace, cid: str) -> dict | None:
    if not cid:
        return err("channel_not_found")
    info = ws.channels.get(cid)
    if info and info["is_archived"]:
        return err("is_archived")
    if info and not info["is_member"]:
        return err("not_in_channel")
    return None


@method("chat.postMessage")
def chat_post_message(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    problem = _postable(ws, cid) or _content_error(ws, args)
    if problem:
        return problem
    msg = {"user": ws.bot_user_id, "bot_id": ws.bot_id, "text": args.get("text") or "",
           "blocks": args.get("blocks") or [], "thread_ts": args.get("thread_ts") or None}
    for key in ("attachments", "metadata"):
        if args.get(key):
            msg[key] = args[key]
    msg = ws.add_message(cid, msg)
    reply = {k: v for k, v in msg.items() if v is not None}
    return {"ok": True, "channel": cid, "ts": msg["ts"], "message": copy.deepcopy(reply)}


@method("chat.postEphemeral")
def chat_post_ephemeral(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    if not args.get("user"):
        return err("user_not_found")
    problem = _postable(ws, cid) or _content_error(ws, args)
    if problem:
        return problem
    return {"ok": True, "message_ts": ws.add_ephemeral(cid, str(args["user"]), args)["ts"]}


@method("chat.update")
def chat_update(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    msg = ws.find_message(cid, args.get("ts"))
    if msg is None:
        return err("message_not_found")
    problem = _content_error(ws, args)
    if problem:
        return problem
    # Slack: omitted blocks are kept only when text is omitted too; omitted attachments are kept.
    if "blocks" in args or "text" in args:
        msg["blocks"] = args.get("blocks") or []
    if "text" in args:
        msg["text"] = args["text"] or ""
    if "attachments" in args:
        msg["attachments"] = args["attachments"] or []
    msg["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    ws.bump()
    reply = {k: v for k, v in msg.items() if v is not None}
    return {"ok": True, "channel": cid, "ts": msg["ts"], "text": msg["text"], "message": copy.deepcopy(reply)}


@method("chat.delete")
def chat_delete(ws: Workspace, args: dict) -> dict:
    cid = ws.resolve_channel(args.get("channel"))
    msg = ws.find_message(cid, args.get("ts"))
    if msg is None:
        return err("message_not_found")
    ws.messages[cid].remove(msg)
    ws.reactions.pop((cid, msg["ts"]), None)
    ws.bump()
    return {"ok": True, "channel": cid, "ts": msg["ts"]}


@method("chat.getPermalink")
def chat_get_permalink(ws: Workspace, args: dict) -> dict:
    cid, ts = ws.resolve_channel(args.get("channel")), str(args.get("message_ts") or "")
    if not cid or not ts:
        return err("message_not_found")
    url = f"https://{ws.team_id.lower()}.slack.com/archives/{cid}/p{ts.replace('.', '')}"
    msg = ws.find_message(cid, ts)
    if msg is not None and msg["thread_ts"] not in (None, ts):  # a reply: Slack links it within its thread
        url += f"?thread_ts={msg['thread_ts']}&cid={cid}"
    return {"ok": True, "channel": cid, "permalink": url}


# -- reactions (accepted on any message ts, since the fake does not see users' messages) -----------
def _reaction_target(ws: Workspace, args: dict) -> tuple[tuple[str, str] | None, dict | None]:
    cid, ts, name = ws.resolve_channel(args.get("channel")), args.get("timestamp"), args.get("name")
    if not cid or not ts:
        return None, err("no_item_specified")
    if not name:
        return None, err("invalid_name")
    return (cid, str(ts)), None


@method("reactions.add")
def reactions_add(ws: Workspace, args: dict) -> dict:
    key, problem = _reaction_target(ws, args)
    if problem or key is None:
        return problem or err("no_item_specified")
    if not ws.react(*key, args["name"], ws.bot_user_id, add=True):
        return err("already_reacted")
    return {"ok": True}


@method("reactions.remove")
def reactions_remove(ws: Workspace, args: dict) -> dict:
    key, problem = _reaction_target(ws, args)
    if problem or key is None:
        return problem or err("no_item_specified")
    if not ws.react(*key, args["name"], ws.bot_user_id, add=False):
        return err("no_reaction")
    return {"ok": True}


# -- files (the upload flow behind WebClient.files_upload_v2) ----------------------------------------------
FILES_WRITE = "files:write"


def _missing_scope(ws: Workspace, scope: str) -> dict | None:
    if scope not in ws.denied_scopes:
        return None
    return err("missing_scope", needed=scope, provided="commands,chat:write")


@method("files.getUploadURLExternal")
def files_get_upload_url_external(ws: Workspace, args: dict) -> dict:
    problem = _missing_scope(ws, FILES_WRITE)
    if problem:
        return problem
    filename, length = args.get("filename"), str(args.get("length") or "")
    if not filename or not length.isdigit() or int(length) < 1:
        return err("invalid_arguments")
    file_id = ws.new_id("F")
    ws.files[file_id] = {"id": file_id, "name": str(filename), "length": int(length), "title": None,
                         "alt_txt": args.get("alt_txt"), "content": None, "shared": False,
                         "channel": None, "thread_ts": None, "initial_comment": None}
    return {"ok": True, "upload_url": f"{ws.upload_base}/upload/v1/{file_id}", "file_id": file_id}


def upload_bytes(ws: Workspace, file_id: str, content: bytes) -> tuple[int, str]:
    """The POST of a file's bytes to its upload URL: (HTTP status, plain-text body) as Slack's upload host."""
    file = ws.files.get(file_id)
    if file is None or file["content"] is not None:
        return 404, "not_found"
    if len(content) != file["length"]:
        return 400, "length_mismatch"
    file["content"] = content
    ws.bump()
    return 200, f"OK - {len(content)}"


@method("files.completeUploadExternal")
def files_complete_upload_external(ws: Workspace, args: dict) -> dict:
    problem = _missing_scope(ws, FILES_WRITE)
    if problem:
        return problem
    files = args.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, dict) and f.get("id") for f in files):
        return err("invalid_arguments")
    found = [ws.files.get(str(f["id"])) for f in files]
    if any(f is None or f["content"] is None or f["shared"] for f in found):
        return err("file_not_found")
    cid = ws.resolve_channel(args.get("channel_id")) if args.get("channel_id") else ""
    if cid:
        problem = _postable(ws, cid)
        if problem:
            return problem
    thread_ts = args.get("thread_ts") or None
    shared = []
    for f, given in zip(found, files, strict=True):
        assert f is not None
        f.update(title=given.get("title") or f["name"], shared=True, channel=cid or None, thread_ts=thread_ts,
                 initial_comment=args.get("initial_comment"))
        shared.append(ws.file_info(f["id"]))
    if cid:  # Slack shares the files with a message (text: the initial comment)
        ws.add_message(cid, {"subtype": "file_share", "user": ws.bot_user_id, "bot_id": ws.bot_id,
                             "text": args.get("initial_comment") or "", "thread_ts": thread_ts,
                             "files": copy.deepcopy(shared)})
    else:
        ws.bump()
    return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}
