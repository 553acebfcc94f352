"""The clock process: plans follow-ups into the outbox and delivers them, paced."""
