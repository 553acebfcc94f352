"""The Slack edge: one module per surface, each with `register(app)`."""

from slack_bolt import App

from handlers import actions, commands, events, views


def register(app: App) -> None:
    for surface in (commands, actions, views, events):
        surface.register(app)
