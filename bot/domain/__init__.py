"""Pure rules: no Slack, no SQL, no clock reads (the time comes in as an argument)."""
