"""Block Kit rendering: pure functions from domain objects to dicts. User text is always escaped."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape user text for mrkdwn so `<!channel>`, `<@U…>` and links in it are shown, never acted on."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis, never mid-word (unless one word is longer than the limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "–"


def bar(pct: float | None, width: int = 10) -> str:
    """`▓▓▓▓░░░░░░` for 40 %; over 100 % is shown full."""
    if pct is None:
        return "░" * width
    filled = max(0, min(width, round(pct / 100 * width)))
    return "▓" * filled + "░" * (width - filled)


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": shorten(text, limit) or " ", "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(shorten_keep_lines(text, 3000))}


def sections(lines: list[str], limit: int = 2900) -> list[Block]:
    """Lines as as few sections as fit Block Kit's 3,000 characters each (a line is never split)."""
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > limit:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(shorten_keep_lines(text, 3000))]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def shorten_keep_lines(text: str, limit: int) -> str:
    """Keep whole lines while they fit, then an ellipsis line; for mrkdwn bodies that must stay under a limit."""
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for line in text.split("\n"):
        if size + len(line) + 1 > limit - 2:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) + "\n…"
