"""Messages for frame health (nb and en): the one-line reason on cards and summaries, and the level names.

Placeholders (formatted by `bot.slack.i18n.t`): days as int, pct/progress/time/hours/over as percentages (float),
used/frame/forecast as hours (float), deadline/since as dates. A no-break space (\\u00a0) keeps a number
and its unit together.
"""

NB: dict[str, str] = {
    "health.level.green": "Grønn",
    "health.level.yellow": "Gul",
    "health.level.red": "Rød",
    "health.delivered": "Levert",
    "health.paused": "På pause",
    "health.on_track": "I rute",
    "health.overdue": "{days} dager over fristen",
    "health.overdue_one": "{days} dag over fristen",
    "health.hours_exhausted": "Timene er brukt opp: {used} av {frame}\u00a0t ({pct}\u00a0%)",
    "health.forecast_over": "Prognose {forecast}\u00a0t, {over}\u00a0% over rammen",
    "health.hours_high": "{pct}\u00a0% av timene brukt",
    "health.behind_time": "Fremdrift {progress}\u00a0% mot {time}\u00a0% av tiden",
    "health.behind_hours": "Fremdrift {progress}\u00a0% mot {hours}\u00a0% av timene",
    "health.quiet": "Ingen logg på {days} dager",
}

EN: dict[str, str] = {
    "health.level.green": "Green",
    "health.level.yellow": "Yellow",
    "health.level.red": "Red",
    "health.delivered": "Delivered",
    "health.paused": "Paused",
    "health.on_track": "On track",
    "health.overdue": "{days} days past the deadline",
    "health.overdue_one": "{days} day past the deadline",
    "health.hours_exhausted": "Hours used up: {used} of {frame}\u00a0h ({pct}%)",
    "health.forecast_over": "Forecast {forecast}\u00a0h, {over}% over the frame",
    "health.hours_high": "{pct}% of the hours used",
    "health.behind_time": "Progress {progress}% vs {time}% of the time",
    "health.behind_hours": "Progress {progress}% vs {hours}% of the hours",
    "health.quiet": "No log for {days} days",
}
