"""One unit of work per request: read, decide, write, return an Outcome."""
