"""The workspace settings form (admins): language, time zone, default rate, the weekly summary, the nudge to log
hours, and every follow-up rule with its bounds. Read back by `bot.usecases.workspace_settings`."""

from __future__ import annotations

from typing import Any

from bot.domain.workspace_settings import RULE_NUMBERS, RULE_SWITCHES, WorkspaceSettings, bounds
from bot.slack.i18n import fmt_weekday, t
from bot.slack.render import Block, header
from bot.slack.render.modals import ModalId, _checkboxes, _input, _modal, _option, _text


def settings_modal(*, lang: str, channel_id: str, current: WorkspaceSettings) -> dict[str, Any]:
    """The workspace settings, pre-filled; with the summary override for `channel_id` when run in a channel (not
    in a direct message)."""
    rules, summary = current.rules, current.summary
    languages = [_option("Norsk (bokmål)", "nb"), _option("English", "en")]
    days = [_option(fmt_weekday(day, lang), str(day)) for day in range(7)]
    summary_options = [_option(t(f"settings.summary.{name}", lang), name) for name in ("enabled", "portfolio")]
    summary_on = [summary_options[0]] if summary.enabled else []
    if summary.portfolio_channel:
        summary_on.append(summary_options[1])
    portfolio: dict[str, Any] = {"type": "conversations_select",
                                 "filter": {"include": ["public", "private"], "exclude_bot_users": True}}
    if summary.portfolio_channel:
        portfolio["initial_conversation"] = summary.portfolio_channel
    blocks: list[Block] = [
        _input("language", t("field.language", lang), _select(languages, current.language)),
        _input("timezone", t("field.timezone", lang), _text(current.timezone, max_length=64),
               hint=t("hint.timezone", lang)),
        _input("default_rate", t("field.default_rate_nok", lang),
               _text(str(current.default_rate_nok) if current.default_rate_nok else None, max_length=20),
               optional=True, hint=t("hint.default_rate", lang)),
        header(t("settings.section.summary", lang)),
        _input("summary_on", t("field.summary_on", lang), _checkboxes(summary_options, summary_on), optional=True),
        _input("summary_day", t("field.summary_day", lang), _select(days, str(summary.weekday))),
        _input("summary_time", t("field.summary_time", lang),
               {"type": "timepicker", "initial_time": f"{summary.hour:02d}:{summary.minute:02d}"}),
        _input("portfolio_channel", t("field.portfolio_channel", lang), portfolio, optional=True),
    ]
    if channel_id[:1] in ("C", "G"):
        state = t(f"settings.state.{'on' if summary.enabled else 'off'}", lang)
        choices = [_option(t("settings.channel.default", lang, state=state), "default"),
                   _option(t("settings.channel.on", lang), "on"), _option(t("settings.channel.off", lang), "off")]
        override = summary.channels.get(channel_id)
        chosen = "default" if override is None else "on" if override else "off"
        blocks.append(_input("channel_summary", t("field.channel_summary", lang),
                             {"type": "radio_buttons", "options": choices,
                              "initial_option": next(c for c in choices if c["value"] == chosen)}))
    nudges, nudge_on = current.nudges, [_option(t("settings.nudge.enabled", lang), "enabled")]
    weekdays = [_option(fmt_weekday(day, lang), str(day)) for day in range(7)]
    blocks += [
        header(t("settings.section.nudges", lang)),
        _input("nudge_on", t("field.nudge_on", lang), _checkboxes(nudge_on, nudge_on if nudges.enabled else []),
               optional=True, hint=t("hint.nudge", lang)),
        _input("nudge_time", t("field.nudge_time", lang),
               {"type": "timepicker", "initial_time": f"{nudges.hour:02d}:{nudges.minute:02d}"}),
        _input("nudge_days", t("field.nudge_days", lang),
               _checkboxes(weekdays, [o for o in weekdays if int(o["value"]) in nudges.days]), optional=True),
    ]
    rule_options = [_option(t(f"settings.rule.{name}", lang), name) for name in RULE_SWITCHES]
    blocks += [
        header(t("settings.section.followups", lang)),
        _input("rules_on", t("field.rules_on", lang),
               _checkboxes(rule_options, [o for o in rule_options if getattr(rules, o["value"])]), optional=True),
    ]
    for name in RULE_NUMBERS:
        low, high = bounds(name)
        blocks.append(_input(name, t(f"field.{name}", lang), _text(str(getattr(rules, name)), max_length=4),
                             hint=t("hint.range", lang, min=low, max=high)))
        if name == "send_hour":
            blocks.append(_input("ahead_days", t("field.ahead_days", lang),
                                 _text(", ".join(map(str, rules.ahead_days)), max_length=40),
                                 hint=t("hint.ahead_days", lang)))
        if name == "max_nags":
            blocks.append(_input("hours_thresholds", t("field.hours_thresholds", lang),
                                 _text(", ".join(map(str, rules.hours_thresholds)), max_length=40),
                                 hint=t("hint.thresholds", lang)))
    return _modal(ModalId.SETTINGS, t("modal.settings", lang), t("modal.save", lang), blocks, {"c": channel_id},
                  lang)


def _select(options: list[dict[str, Any]], chosen: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "options": options}
    initial = next((o for o in options if o["value"] == chosen), None)
    if initial is not None:
        element["initial_option"] = initial
    return element
