"""Reactions and buttons on follow-up messages (docs/product.md §4): ✅ done, ⏰ snooze, 👀 on it, ❌ not relevant.

An act changes the follow-up (and the task or project it is about) in one unit of work and is confirmed with a
thread reply and the message re-rendered in place. An act that changes nothing answers nothing, so double
clicks, a second ✅ and the bot's own pre-added reactions are harmless; Slack's retries of an event are dropped
by its event id, recorded in the same transaction as the change.

Holds: the clock honours a hold on the overdue series of a deadline (`bot.clock.preparing.still_applies`), so ⏰ and 👀
put theirs on that series; a ⏰ also holds back the deadline's reminders ("n days left", "today") until it ends,
and plans a "snoozed" reminder for then unless a nag or a reminder goes out just then anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.domain import followups as fu
from bot.domain.errors import NotAllowed
from bot.domain.followups import FollowupState, Resolution
from bot.domain.occasion import (
    FRAME_ALERTS,
    Occasion,
    Rule,
    Snoozed,
    deadline_of,
    parse_occasion,
    planned_by_snooze,
    snoozed_again,
)
from bot.domain.rules import FollowupRules
from bot.services import Services, Unit
from bot.slack.i18n import fmt_date, t
from bot.slack.outcome import Outcome, RefreshCard, RefreshFollowup, ThreadReply
from bot.slack.render import user
from bot.slack.render.followups import SNOOZE_DAYS, FollowupAction, render_followup
from bot.usecases import projects
from bot.usecases.runner import clicked_channel, ephemeral_to, run_request
from storage import outbox
from storage import projects as project_db
from storage import workspaces as workspace_db
from storage.models import Followup, Project, Task, Workspace
from storage.views import followup_view, task_view

DONE, UNDO, SNOOZE, ON_IT, CLOSE = "done", "undo", "snooze", "on_it", "close"
# the reaction's name → the act it asks for
REACTION_ACTS = {"white_check_mark": DONE, "heavy_check_mark": DONE, "alarm_clock": SNOOZE, "eyes": ON_IT, "x": CLOSE}
SETTLED = (Resolution.DONE, Resolution.ACKNOWLEDGED, Resolution.CLOSED)  # the message shows no buttons any more
ON_IT_DAYS = 2  # 👀: the hold ends at the start of the working day after next, so one whole working day has no nag


@dataclass(frozen=True)
class Act:
    kind: str
    working_days: int = 1  # ⏰ and the snooze menu


@dataclass
class Scene:
    """What an act works on: the unit of work, who acts, the follow-up and what it is about."""

    unit: Unit
    actor: projects.Actor
    followup: Followup
    project: Project
    task: Task | None
    rules: FollowupRules

    @property
    def session(self) -> Session:
        return self.unit.session


@dataclass
class Change:
    """What an act changed: the thread reply to confirm it with (None: nothing changed), and what to re-render."""

    reply: str | None = None  # followup.reply.<reply>
    until: dt.datetime | None = None
    card: bool = False
    others: list[int] = field(default_factory=list)  # more follow-up messages whose resolution changed


def act_for_reaction(event: dict[str, Any], bot_user_id: str | None) -> Act | None:
    """The act a reaction event asks for; None for other emoji, other items, other authors, or the bot itself."""
    kind = REACTION_ACTS.get(event.get("reaction") or "")
    if event.get("type") == "reaction_removed":
        kind = UNDO if kind == DONE else None  # only taking back ✅ undoes something
    item, reactor = event.get("item") or {}, event.get("user")
    if kind is None or item.get("type") != "message" or not reactor or reactor == bot_user_id:
        return None
    if bot_user_id and event.get("item_user") not in (None, bot_user_id):
        return None  # not a message the bot posted: no database work for every reaction in the channel
    return Act(kind)


def on_reaction(svc: Services, body: dict[str, Any], bot_user_id: str | None) -> Outcome:
    """A reaction added to or removed from a message; only the bot's follow-up messages are acted on."""
    event = body["event"]
    act = act_for_reaction(event, bot_user_id)
    if act is None:
        return Outcome()
    channel, ts = event["item"]["channel"], event["item"]["ts"]
    return _run(svc, body["team_id"], event["user"], act, channel,
                lambda session, team_id: outbox.followup_by_message(session, team_id, channel, ts),
                request=f"event:{body['event_id']}")


def on_button(svc: Services, body: dict[str, Any]) -> Outcome:
    """The follow-up's Ferdig button (= ✅) or snooze menu (1/3/5 working days)."""
    action = body["actions"][0]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    channel = clicked_channel(body)
    if action.get("action_id") == FollowupAction.DONE:
        ref, act = action.get("value") or "", Act(DONE)
    else:
        ref, _, days = ((action.get("selected_option") or {}).get("value") or "").partition(":")
        if not days.isdigit() or int(days) not in SNOOZE_DAYS:
            return Outcome()
        act = Act(SNOOZE, int(days))
    if not ref.isdigit():
        return Outcome()
    return _run(svc, team_id, user_id, act, channel,
                lambda session, team: outbox.followup_by_id(session, team, int(ref)), request=None)


def _run(svc: Services, team_id: str, user_id: str, act: Act, channel: str,
         find: Callable[[Session, str], Followup | None], *, request: str | None) -> Outcome:
    def perform(unit: Unit, actor: projects.Actor) -> Outcome:
        followup = find(unit.session, team_id)
        if followup is None or not followup.channel_id or not followup.message_ts:
            return Outcome()  # not a follow-up message (or not one the bot has posted)
        if request is not None and not workspace_db.mark_handled(unit.session, team_id, request):
            return Outcome()  # Slack's retry of an event already acted on
        if followup.project_id is None or followup.rule == Rule.REPORT:
            return Outcome()  # a channel post (weekly summary), a month's report (its button approves): no act
        project = project_db.project_by_id(unit.session, team_id, followup.project_id)
        if project is None:
            return Outcome()
        task = (project_db.task_by_id(unit.session, team_id, project.id, followup.task_id)
                if followup.task_id else None)
        workspace = unit.session.get(Workspace, team_id)
        rules = FollowupRules.from_json(workspace.rules if workspace else None)
        scene = Scene(unit, actor, followup, project, task, rules)
        return _outcome(scene, ACTS[act.kind](scene, act))

    return run_request(svc, team_id, user_id, perform, ephemeral_to(channel, user_id), write=True)


def _outcome(scene: Scene, change: Change) -> Outcome:
    if change.reply is None:
        return Outcome()
    f, unit = scene.followup, scene.unit
    until = ""
    if change.until is not None:
        local = change.until.astimezone(ZoneInfo(unit.tz))
        until = t("followup.until", unit.lang, day=fmt_date(local.date(), unit.lang), time=f"{local:%H:%M}")
    text = t(f"followup.reply.{change.reply}", unit.lang, who=user(scene.actor.user_id), until=until)
    assert f.channel_id and f.message_ts
    effects: list[Any] = [ThreadReply(f.channel_id, f.message_ts, text)]
    effects += [RefreshFollowup(unit.team_id, followup_id) for followup_id in (f.id, *change.others)]
    if change.card:
        effects.append(RefreshCard(unit.team_id, scene.project.id))
    return Outcome(effects=effects)


def _resolve(scene: Scene, resolution: Resolution) -> Change:
    f = scene.followup
    if f.resolution == resolution:
        return Change()
    f.resolution, f.resolved_by = resolution, scene.actor.user_id
    if resolution in SETTLED:
        _drop_snoozes(scene)
    return Change(reply=resolution)


def _done(scene: Scene, act: Act) -> Change:
    """✅: the task is done, or the project delivered (PL or admin); a frame alert is acknowledged."""
    s, f = scene, scene.followup
    if f.rule in FRAME_ALERTS:
        return _resolve(s, Resolution.ACKNOWLEDGED)
    changed = False
    if s.task is not None:
        changed = projects.complete_task(s.session, s.actor, s.project, s.task)
    elif f.task_id is None and s.project.state != "delivered":
        changed = projects.set_state(s.session, s.actor, s.project, "delivered")
    change = _resolve(s, Resolution.DONE)
    change.card = changed
    if changed:
        change.reply = "done"
    return change


def _undo(scene: Scene, act: Act) -> Change:
    """✅ taken back by whoever gave it: the task or project is open again and its nags resume."""
    s, f = scene, scene.followup
    if f.resolution not in (Resolution.DONE, Resolution.ACKNOWLEDGED) or f.resolved_by != s.actor.user_id:
        return Change()
    if f.rule in FRAME_ALERTS:
        f.resolution = f.resolved_by = None
        return Change(reply="reopened")
    card, reason = False, "done"
    if s.task is not None:
        card = projects.reopen_task(s.session, s.actor, s.project, s.task)
    elif f.task_id is None and s.project.state == "delivered":
        card, reason = projects.set_state(s.session, s.actor, s.project, "active"), "project_not_active"
    # The clock cancelled what came due meanwhile, and a "done" on a nag closes its series: undo both. Nags
    # resume the next working day (a hold), not the moment the ✅ is taken back.
    resume = fu.snooze_until(s.actor.at, s.rules, s.unit.tz)
    _hold_nags(s, resume, extend_only=True)
    others = []
    for other in outbox.followups_for_subject(s.session, s.unit.team_id, f.subject):
        if other.resolution == Resolution.DONE:
            other.resolution = other.resolved_by = None
            if other.id != f.id and other.message_ts:
                others.append(other.id)
        if other.state == FollowupState.CANCELLED and other.error == reason:
            other.state, other.error, other.claimed_by = FollowupState.PLANNED, None, None
            other.due_at = max(other.due_at, resume)
    f.resolution = f.resolved_by = None
    return Change(reply="reopened", card=card, others=others)


def _snooze(scene: Scene, act: Act) -> Change:
    """⏰ or the snooze menu: nothing about this until the hold; then a reminder, unless one is already due."""
    s, f = scene, scene.followup
    if f.resolution in SETTLED:
        return Change()
    hold = fu.snooze_until(s.actor.at, s.rules, s.unit.tz, act.working_days)
    if f.resolution == Resolution.SNOOZED and f.hold_until == hold:
        return Change()
    f.resolution, f.resolved_by, f.hold_until = Resolution.SNOOZED, s.actor.user_id, hold
    _drop_snoozes(s)  # snoozed again: the new hold replaces the old one
    day = hold.astimezone(ZoneInfo(s.unit.tz)).date()
    if f.rule in FRAME_ALERTS:
        # The same alert again, marked; it keeps the original's figures, which the clock checks.
        _plan(s, f.rule, snoozed_again(parse_occasion(f.rule, f.occasion), f.id, day), hold)
    else:
        coming = _hold_nags(s, hold, extend_only=False)
        deadline = _deadline(s)
        # What goes out at the end of the hold: a nag due by then (the hold postpones it to then), or a reminder
        # due just then; the reminders due before it are held back (bot.clock.preparing.still_applies). Else a reminder.
        # The clock reads the deadline from the occasion (and drops the reminder if it moved).
        if f.rule not in (Rule.OVERDUE, Rule.PL_DM) and deadline is not None and not any(
                x.state == FollowupState.PLANNED
                and (x.due_at <= hold if x.rule in (Rule.OVERDUE, Rule.PL_DM) else x.due_at == hold)
                for x in coming):
            _plan(s, Rule.SNOOZED, Snoozed(f.id, deadline, day), hold)
    return Change(reply="snoozed", until=hold)


def _on_it(scene: Scene, act: Act) -> Change:
    """👀: the reactor takes an unowned task; no nag about it for a working day."""
    s, f = scene, scene.followup
    if f.resolution in SETTLED or (f.resolution == Resolution.ON_IT and f.resolved_by == s.actor.user_id):
        return Change()
    hold = fu.snooze_until(s.actor.at, s.rules, s.unit.tz, ON_IT_DAYS)
    took = s.task is not None and projects.take_task(s.session, s.actor, s.project, s.task)
    f.resolution, f.resolved_by = Resolution.ON_IT, s.actor.user_id
    f.hold_until = max(f.hold_until or hold, hold)
    if f.rule not in FRAME_ALERTS:
        _hold_nags(s, f.hold_until, extend_only=True)
    return Change(reply="on_it", until=f.hold_until, card=took)


def _close(scene: Scene, act: Act) -> Change:
    """❌: this follow-up is not relevant (PL or admin); on a nag the clock stops the series."""
    if scene.actor.user_id != scene.project.pm_user_id and not scene.actor.is_admin():
        raise NotAllowed("followup.not_allowed")
    return _resolve(scene, Resolution.CLOSED)


ACTS: dict[str, Callable[[Scene, Act], Change]] = {
    DONE: _done, UNDO: _undo, SNOOZE: _snooze, ON_IT: _on_it, CLOSE: _close}


def _deadline(scene: Scene) -> dt.date | None:
    if scene.followup.task_id is not None:
        return scene.task.deadline if scene.task is not None else None
    return scene.project.deadline


def _hold_nags(scene: Scene, hold: dt.datetime, *, extend_only: bool) -> list[Followup]:
    """Hold the overdue series of the current deadline; return the subject's follow-ups for that deadline."""
    deadline = _deadline(scene)
    if deadline is None:
        return []
    mine = [x for x in outbox.followups_for_subject(scene.session, scene.unit.team_id, scene.followup.subject)
            if deadline_of(x.rule, x.occasion) == deadline]
    for nag in mine:
        if nag.rule == Rule.OVERDUE and not (extend_only and nag.hold_until is not None and nag.hold_until >= hold):
            nag.hold_until = hold
    return mine


def _drop_snoozes(scene: Scene) -> None:
    """Cancel the reminders an earlier ⏰ on this message planned and that have not gone out yet."""
    f = scene.followup
    rule = f.rule if f.rule in FRAME_ALERTS else Rule.SNOOZED
    snoozed = parse_occasion(f.rule, f.occasion)
    for other in outbox.followups_for_subject(scene.session, scene.unit.team_id, f.subject):
        if other.rule == rule and other.state == FollowupState.PLANNED and planned_by_snooze(
                parse_occasion(other.rule, other.occasion), snoozed, f.id):
            other.state, other.error = FollowupState.CANCELLED, "resnoozed"


def _plan(scene: Scene, rule: str, occasion: Occasion, due: dt.datetime) -> None:
    f = scene.followup
    outbox.insert_planned(scene.session, scene.unit.team_id, [
        {"rule": rule, "subject": f.subject, "occasion": str(occasion), "due_at": due, "project_id": f.project_id,
         "task_id": f.task_id}])


def followup_message(svc: Services, team_id: str, followup_id: int) -> dict[str, Any] | None:
    """chat.update arguments for a follow-up message as it is now; None when it has no message (any more)."""
    with svc.unit(team_id) as unit:
        f = outbox.followup_by_id(unit.session, team_id, followup_id)
        if f is None or f.project_id is None or not f.channel_id or not f.message_ts:
            return None
        snap = projects.card_by_id(unit.session, team_id, f.project_id, today=unit.today)
        if snap is None:
            return None
        task = project_db.task_by_id(unit.session, team_id, f.project_id, f.task_id) if f.task_id else None
        text, blocks = render_followup(followup_view(f), snap, task_view(task) if task else None, unit.today,
                                       unit.lang)
        return {"channel": f.channel_id, "ts": f.message_ts, "text": text, "blocks": blocks}
