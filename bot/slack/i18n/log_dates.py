"""Messages for a log's date: `logg … dato:`, the `logg` modal's date, the settings' limit (nb and en)."""

NB: dict[str, str] = {
    "log.date_unknown": (
        "Forstod ikke datoen «{value}». Skriv dagen timene gjelder, i dag eller tidligere, f.eks. `dato:i går`, "
        "`dato:fredag`, `dato:27.11` eller `dato:2026-11-27`."
    ),
    "log.date_future": (
        "Timer kan ikke føres fram i tid ({day}). Velg i dag eller en tidligere dag, f.eks. `dato:i går` eller "
        "`dato:27.11`."
    ),
    "log.date_too_old": (
        "Timer som er mer enn {days} dager gamle, kan bare føres av prosjektlederen (<@{pm}>) eller en "
        "administrator. Be en av dem føre dem."
    ),
    "log.date_before_start": (
        "{key} startet {start}, så timer datert {day} ville ikke telle i rammen. Velg en dag fra {start}, eller be "
        "prosjektlederen flytte starten med `/prosjekt ramme {key} start:…`."
    ),
    "log.dated": "Datert {day}.",
    "field.log_date": "Dato",
    "field.backdate_days": "Timer eldre enn så mange dager føres bare av PL eller admin",
}

EN: dict[str, str] = {
    "log.date_unknown": (
        "Couldn't read the date “{value}”. Write the day the hours are for, today or earlier, e.g. "
        "`date:yesterday`, `date:friday`, `date:27.11` or `date:2026-11-27`."
    ),
    "log.date_future": (
        "Hours can't be logged ahead of time ({day}). Pick today or an earlier day, e.g. `date:yesterday` or "
        "`date:27.11`."
    ),
    "log.date_too_old": (
        "Hours more than {days} days old can only be logged by the project lead (<@{pm}>) or an admin. Ask one of "
        "them to log them."
    ),
    "log.date_before_start": (
        "{key} started {start}, so hours dated {day} would count in no frame. Pick a day from {start}, or ask the "
        "project lead to move the start with `/prosjekt frame {key} start:…`."
    ),
    "log.dated": "Dated {day}.",
    "field.log_date": "Date",
    "field.backdate_days": "Hours older than this many days: logged by the PL or an admin only",
}
