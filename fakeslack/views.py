"""views.open/push/update/publish, and the open modal stack per user (the user is the one whose action made the
``trigger_id``: ``FakeSlack.trigger(user)``); what a view_submission answer or a close does to that stack."""

from __future__ import annotations

import copy

from . import validation
from .methods import err, method
from .state import Workspace, truthy

MAX_STACK = 3  # Slack: at most 3 views in a modal's stack


def store_view(ws: Workspace, view: dict, *, view_id: str | None = None) -> dict:
    vid = view_id or ws.new_id("V")
    old = ws.views.get(vid, {})
    stored = {
        "id": vid, "team_id": ws.team_id, "type": view["type"], "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""), "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", old.get("external_id", "")), "state": {"values": {}},
        "hash": f"{int(ws.clock())}.{ws.new_id('H')}", "clear_on_close": truthy(view.get("clear_on_close")),
        "notify_on_close": truthy(view.get("notify_on_close")),
        "root_view_id": old.get("root_view_id", vid), "previous_view_id": old.get("previous_view_id"),
        "app_id": "AFAKESLACK", "bot_id": ws.bot_id,
    }
    for key in ("title", "submit", "close"):
        if view.get(key):
            stored[key] = view[key]
    ws.views[vid] = stored
    ws.bump()
    return {"ok": True, "view": copy.deepcopy(stored)}


def view_user(ws: Workspace, args: dict) -> str | None:
    """Whose screen a views.* call is for: the user of its trigger, the Home's user, or whose stack holds it."""
    if args.get("trigger_id") in ws.triggers:
        return ws.triggers[args["trigger_id"]]
    if args.get("user_id"):
        return str(args["user_id"])
    vid = args.get("view_id")
    return next((u for u, stack in ws.stacks.items() if vid in stack), None)


def _trigger_and_view(args: dict) -> dict | None:
    if not args.get("trigger_id"):
        return validation.with_messages("invalid_arguments", ["missing required field: trigger_id"])
    return validation.check_view(args.get("view"), expect_type="modal")


@method("views.open")
def views_open(ws: Workspace, args: dict) -> dict:
    problem = _trigger_and_view(args)
    if problem:
        return problem
    reply = store_view(ws, args["view"])
    user = ws.triggers.get(args["trigger_id"])
    if user:
        ws.stacks[user] = [reply["view"]["id"]]
    return reply


@method("views.push")
def views_push(ws: Workspace, args: dict) -> dict:
    problem = _trigger_and_view(args)
    if problem:
        return problem
    user = ws.triggers.get(args["trigger_id"])
    stack = ws.stacks.get(user or "", [])
    if user and len(stack) >= MAX_STACK:
        return err("push_limit_reached")
    reply = store_view(ws, args["view"])
    if user:
        push(ws, user, reply["view"]["id"])
    return reply


def push(ws: Workspace, user: str, vid: str) -> None:
    stack = ws.stacks.setdefault(user, [])
    if stack:
        ws.views[vid].update(root_view_id=ws.views[stack[0]]["id"], previous_view_id=stack[-1])
    stack.append(vid)
    ws.bump()


@method("views.update")
def views_update(ws: Workspace, args: dict) -> dict:
    vid, ext = args.get("view_id"), args.get("external_id")
    if not vid and not ext:
        return validation.with_messages("invalid_arguments", ["missing required field: view_id"])
    if not vid:
        vid = next((v["id"] for v in ws.views.values() if ext and v["external_id"] == ext), None)
    if vid not in ws.views:
        return err("not_found")
    current = ws.views[vid]
    if args.get("hash") and args["hash"] != current["hash"]:
        return err("hash_conflict")
    problem = validation.check_view(args.get("view"), expect_type=current["type"])
    return problem or store_view(ws, args["view"], view_id=vid)


@method("views.publish")
def views_publish(ws: Workspace, args: dict) -> dict:
    user_id = args.get("user_id")
    if not user_id:
        return validation.with_messages("invalid_arguments", ["missing required field: user_id"])
    problem = validation.check_view(args.get("view"), expect_type="home")
    if problem:
        return problem
    existing = ws.homes.get(str(user_id))
    if existing and args.get("hash") and args["hash"] != ws.views[existing]["hash"]:
        return err("hash_conflict")
    reply = store_view(ws, args["view"], view_id=existing)
    ws.homes[str(user_id)] = reply["view"]["id"]
    return reply


# -- what the person does to their modals ---------------------------------------------------------------
def stack_of(ws: Workspace, user: str) -> list[dict]:
    return [copy.deepcopy(ws.views[vid]) for vid in ws.stacks.get(user, []) if vid in ws.views]


def close(ws: Workspace, user: str, vid: str, *, everything: bool = False) -> list[str]:
    """Close ``vid`` and the views pushed over it (the whole stack with ``everything``); the ids closed."""
    stack = ws.stacks.get(user, [])
    if vid not in stack:
        return []
    at = 0 if everything else stack.index(vid)
    closed, ws.stacks[user] = stack[at:], stack[:at]
    ws.bump()
    return closed


def apply_submission_answer(ws: Workspace, user: str, vid: str, answer: dict) -> dict:
    """What Slack does with the bot's answer to a view_submission of ``vid``: ``errors`` are shown on their
    fields (returned), ``update`` replaces the submitted view, ``push`` stacks a new one, ``clear`` closes them
    all, anything else closes the submitted view."""
    action = answer.get("response_action")
    if action == "errors":
        return {"ok": True, "errors": answer.get("errors") or {}}
    if action in ("update", "push"):
        problem = validation.check_view(answer.get("view"), expect_type="modal")
        if problem:
            return {"ok": False, "error": problem["error"],
                    "messages": problem.get("response_metadata", {}).get("messages", [])}
        if action == "update":
            store_view(ws, answer["view"], view_id=vid)
        else:
            push(ws, user, store_view(ws, answer["view"])["view"]["id"])
        return {"ok": True}
    close(ws, user, vid, everything=action == "clear")
    return {"ok": True}
