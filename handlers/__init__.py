"""The Slack edge: one module per surface, each with `register(app)`."""

from slack_bolt import App

from handlers import actions, commands, events, shortcuts, views


def register(app: App) -> None:
    for surface in (commands, actions, views, events, shortcuts):
        surface.register(app)
