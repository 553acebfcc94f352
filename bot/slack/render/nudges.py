"""The nudge to log hours as a direct message (docs/product.md §11): a button per project that opens the `logg`
modal, *Ingen timer i dag*, and *Slå av påminnelser*; and the message as it reads after a click."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from bot.domain.nudges import NudgeProject
from bot.slack.i18n import t
from bot.slack.render import Block, button, section, shorten


class NudgeAction(StrEnum):
    LOG = "nudge.log"  # + ".<n>": one per project (action ids are unique within a block); value: the project id
    NONE_TODAY = "nudge.none_today"
    OFF = "nudge.off"
    ON = "nudge.on"


def _label(project: NudgeProject) -> str:
    return f"{project.key} {shorten(project.name, 60)}"


def nudge_message(projects: Sequence[NudgeProject], lang: str) -> dict[str, Any]:
    """The daily nudge: what to do, a button per project (at most five, chosen by the caller), and the two
    buttons that dismiss it for the day or switch nudges off."""
    blocks: list[Block] = [section(f"*{t('nudge.title', lang)}*\n"
                                   + t("nudge.body" if projects else "nudge.no_projects", lang))]
    if projects:
        blocks.append({"type": "actions", "block_id": "nudge_projects", "elements": [
            button(_label(p), f"{NudgeAction.LOG}.{i}", str(p.id), style="primary" if i == 0 else None)
            for i, p in enumerate(projects)]})
    blocks.append(_choices(lang, none_today=True))
    return {"text": t("nudge.title", lang), "blocks": blocks, "unfurl_links": False}


def week_message(title: str, week: list[Block], lang: str) -> dict[str, Any]:
    """The weekly variant: the week's blocks (bot.slack.render.my_week) with the switch below them."""
    return {"text": title, "blocks": [*week, _choices(lang, none_today=False)], "unfurl_links": False}


def _choices(lang: str, *, none_today: bool) -> Block:
    elements = [button(t("nudge.none_today", lang), NudgeAction.NONE_TODAY, "1")] if none_today else []
    elements.append(button(t("nudge.off_button", lang), NudgeAction.OFF, "1"))
    return {"type": "actions", "block_id": "nudge_choices", "elements": elements}


def answered_message(key: str, lang: str, *, nudges_off: bool) -> dict[str, Any]:
    """The nudge after a click (dismissed for the day, switched off or on): the answer, and the switch the other
    way."""
    text = t(key, lang)
    switch = button(t("nudge.on_button", lang), NudgeAction.ON, "1") if nudges_off else \
        button(t("nudge.off_button", lang), NudgeAction.OFF, "1")
    return {"text": text, "blocks": [section(text), {"type": "actions", "block_id": "nudge_choices",
                                                     "elements": [switch]}]}
