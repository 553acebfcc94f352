"""Block Kit and view validation with Slack-style error responses.

Real Slack answers bad Block Kit with HTTP 200 and bodies such as::

    {"ok": false, "error": "invalid_blocks",
     "errors": ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
     "response_metadata": {"messages": [
         "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]}}

and for views ``{"ok": false, "error": "invalid_arguments", "response_metadata": {"messages": [...]}}``.
The documented limits are checked explicitly (so the json-pointers are exact); everything else is
delegated to ``slack_sdk.models.blocks`` (``Block.parse`` + ``to_dict()``, which validates recursively).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000


def _known_block_types() -> frozenset[str]:
    found: set[str] = set()
    stack = [Block]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            kind = getattr(sub, "type", None)
            if isinstance(kind, str):
                found.add(kind)
            stack.append(sub)
    return frozenset(found)


KNOWN_BLOCK_TYPES = _known_block_types()


def _too_long(value: Any, limit: int, pointer: str) -> list[str]:
    if isinstance(value, str) and len(value) > limit:
        return [f"must be less than {limit + 1} characters [json-pointer:{pointer}]"]
    return []


def _text_of(obj: Any) -> Any:
    return obj.get("text") if isinstance(obj, dict) else None


def _block_errors(block: Any, ptr: str, surface: str) -> list[str]:
    """Errors for one block; ``surface`` is "message", "modal" or "home"."""
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return [f"missing required field: type [json-pointer:{ptr}]"]
    btype = block["type"]
    if btype not in KNOWN_BLOCK_TYPES:
        return [f"unsupported type: {btype} [json-pointer:{ptr}/type]"]
    if btype == "input" and surface == "message":
        return [f"input blocks are only supported in modals [json-pointer:{ptr}/type]"]
    errors = _too_long(block.get("block_id"), 255, f"{ptr}/block_id")
    if btype == "section":
        errors += _too_long(_text_of(block.get("text")), 3000, f"{ptr}/text/text")
        fields = block.get("fields")
        if isinstance(fields, list):
            if len(fields) > 10:
                errors.append(f"no more than 10 items allowed [json-pointer:{ptr}/fields]")
            for j, field in enumerate(fields):
                errors += _too_long(_text_of(field), 2000, f"{ptr}/fields/{j}/text")
    elif btype == "header":
        errors += _too_long(_text_of(block.get("text")), 150, f"{ptr}/text/text")
    if errors:
        return errors
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"unsupported type: {btype} [json-pointer:{ptr}/type]"]
        parsed.to_dict()  # validate_json() on the block and, recursively, its children
    except Exception as exc:  # SlackObjectFormationError, or TypeError/ValueError on junk input
        return [f"{exc} [json-pointer:{ptr}]"]
    return []


def blocks_errors(blocks: Any, ptr: str, surface: str, max_blocks: int) -> list[str]:
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{ptr}]"]
    errors = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{ptr}]")
    for i, block in enumerate(blocks):
        errors += _block_errors(block, f"{ptr}/{i}", surface)
    return errors


def with_messages(error: str, messages: list[str], **extra: Any) -> dict:
    return {
        "ok": False,
        "error": error,
        **extra,
        "response_metadata": {"messages": [f"[ERROR] {m}" for m in messages]},
    }


def check_message(args: dict) -> dict | None:
    """Validate chat.postMessage/postEphemeral/update content; None when fine, else the error body."""
    text = args.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        return {"ok": False, "error": "msg_too_long"}
    blocks = args.get("blocks")
    if blocks is None:
        return None
    if isinstance(blocks, str):  # form field that was not valid JSON
        return {"ok": False, "error": "invalid_blocks_format"}
    errors = blocks_errors(blocks, "/blocks", "message", MAX_MESSAGE_BLOCKS)
    if errors:
        return with_messages("invalid_blocks", errors, errors=errors)
    return None


def check_view(view: Any, *, expect_type: str | None = None) -> dict | None:
    """Validate a view for views.open/update/push (``modal``) or views.publish (``home``)."""
    if not isinstance(view, dict):
        return with_messages("invalid_arguments", ["missing required field: view"])
    vtype = view.get("type")
    allowed = (expect_type,) if expect_type else ("modal", "home")
    if vtype not in allowed:
        return with_messages(
            "invalid_arguments", [f"must be one of {', '.join(allowed)} [json-pointer:/view/type]"]
        )
    errors: list[str] = []
    if vtype == "modal":
        title = view.get("title")
        if not isinstance(title, dict) or title.get("type") != "plain_text":
            errors.append("must provide a plain_text title [json-pointer:/view/title]")
        for key in ("title", "submit", "close"):
            errors += _too_long(_text_of(view.get(key)), 24, f"/view/{key}/text")
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and not view.get("submit"):
            errors.append("must provide submit when using input blocks [json-pointer:/view/submit]")
    errors += _too_long(view.get("private_metadata"), 3000, "/view/private_metadata")
    errors += _too_long(view.get("callback_id"), 255, "/view/callback_id")
    errors += _too_long(view.get("external_id"), 255, "/view/external_id")
    errors += blocks_errors(view.get("blocks", []), "/view/blocks", str(vtype), MAX_VIEW_BLOCKS)
    return with_messages("invalid_arguments", errors) if errors else None
