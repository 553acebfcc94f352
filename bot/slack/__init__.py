"""Talking to Slack: the effects a use case asks for, rendering (Block Kit), messages (i18n), the client."""
