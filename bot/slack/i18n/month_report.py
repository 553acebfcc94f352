"""Messages for the month-end report and approved months (nb and en)."""

NB: dict[str, str] = {
    "report.title": "📊 Månedsrapport {month} · {key} {name}",
    "report.about": "*Kunde:* {customer} · *PL:* {pm}",
    "report.hours": "*Timer:* {total} ({billable} fakturerbart, {internal} internt)",
    "report.hours_customer": "Timer: {total}",
    "report.frame_month": "Månedens ramme: {used} av {frame} ({pct} %)",
    "report.frame_total": "Rammen totalt så langt: {used} av {frame} ({pct} %)",
    "report.rollover": "+ {hours} overført",
    "report.rollover_out": "− {hours} overført",
    "report.cost": "Kostnad: {cost}",
    "report.cost_frame": "Kostnad: {cost} av {budget} ({pct} %)",
    "report.internal_part": "(herav {hours} internt)",
    "report.internal_mark": "(internt)",
    "report.no_task": "Uten oppgave",
    "report.by_person": "Per person",
    "report.by_task": "Per oppgave",
    "report.done": "Hva ble gjort",
    "report.more": "… flere logger enn det er plass til her: se `/prosjekt historikk` eller eksporten.",
    "report.more_logs": "… og {n} logger til",
    "report.goals": "Mål",
    "report.goal_of": "{current} av {target}",
    "report.customer_of": "Kunde: {customer}",
    "report.per_hour": "{rate}/t",
    "report.approve": "Godkjenn måneden",
    "report.approved_by": "✅ Måneden er godkjent av <@{by}> {at}.",
    "month.unknown": (
        "«{value}» er ikke en måned jeg forstår. Skriv f.eks. `november`, `november 2026` eller `2026-11`."
    ),
    "month.future": (
        "«{value}» har ikke begynt ennå. Velg en måned som har begynt, f.eks. `/prosjekt rapport P-3 november`."
    ),
    "month.missing": "Hvilken måned? Skriv f.eks. `/prosjekt godkjenn P-3 november` eller `… 2026-11`.",
    "month.not_ended": (
        "{key} {month} er ikke over ennå (den varer til {end}). En måned kan godkjennes når den er slutt."
    ),
    "month.already_approved": "{key} {month} er allerede godkjent av <@{by}>.",
    "month.approved": (
        "✅ {key} {month} er godkjent. Timer i måneden kan ikke lenger legges til eller endres; en admin kan åpne "
        "den igjen med `/prosjekt åpne {key} {month}`."
    ),
    "month.approved_thread": "✅ {month} er godkjent av <@{by}>.",
    "month.reopen_admin_only": "Bare en admin i arbeidsområdet kan åpne en godkjent måned igjen.",
    "month.not_approved": "{key} {month} er ikke godkjent, så det er ingenting å åpne.",
    "month.reopened": "🔓 {key} {month} er åpnet igjen: timer kan føres på nytt.",
    "month.log_approved": (
        "{key} {month} er godkjent av <@{by}>, så timer datert i den måneden kan ikke legges til eller endres. "
        "En admin kan åpne måneden igjen med `/prosjekt åpne {key} {month}`."
    ),
    "history.month_approved": "godkjente måneden {new}",
    "history.month_reopened": "åpnet måneden {new} igjen",
    "settings.rule.month_report_avgrenset": "Månedsrapport også for avgrensede prosjekter med timer i måneden",
}

EN: dict[str, str] = {
    "report.title": "📊 Monthly report {month} · {key} {name}",
    "report.about": "*Customer:* {customer} · *PM:* {pm}",
    "report.hours": "*Hours:* {total} ({billable} billable, {internal} internal)",
    "report.hours_customer": "Hours: {total}",
    "report.frame_month": "The month's frame: {used} of {frame} ({pct} %)",
    "report.frame_total": "The frame in all so far: {used} of {frame} ({pct} %)",
    "report.rollover": "+ {hours} rolled over",
    "report.rollover_out": "− {hours} rolled over",
    "report.cost": "Cost: {cost}",
    "report.cost_frame": "Cost: {cost} of {budget} ({pct} %)",
    "report.internal_part": "({hours} of it internal)",
    "report.internal_mark": "(internal)",
    "report.no_task": "No task",
    "report.by_person": "By person",
    "report.by_task": "By task",
    "report.done": "What was done",
    "report.more": "… more logs than there is room for here: see `/prosjekt history` or the export.",
    "report.more_logs": "… and {n} more logs",
    "report.goals": "Goals",
    "report.goal_of": "{current} of {target}",
    "report.customer_of": "Customer: {customer}",
    "report.per_hour": "{rate}/h",
    "report.approve": "Approve the month",
    "report.approved_by": "✅ The month was approved by <@{by}> on {at}.",
    "month.unknown": "“{value}” is not a month I understand. Write e.g. `november`, `november 2026` or `2026-11`.",
    "month.future": "“{value}” has not begun yet. Pick a month that has begun, e.g. `/prosjekt report P-3 november`.",
    "month.missing": "Which month? Write e.g. `/prosjekt approve P-3 november` or `… 2026-11`.",
    "month.not_ended": "{key} {month} is not over yet (it runs until {end}). A month can be approved once it has ended.",
    "month.already_approved": "{key} {month} is already approved by <@{by}>.",
    "month.approved": (
        "✅ {key} {month} is approved. Hours in the month can no longer be added or changed; an admin can reopen "
        "it with `/prosjekt reopen {key} {month}`."
    ),
    "month.approved_thread": "✅ {month} was approved by <@{by}>.",
    "month.reopen_admin_only": "Only a workspace admin can reopen an approved month.",
    "month.not_approved": "{key} {month} is not approved, so there is nothing to reopen.",
    "month.reopened": "🔓 {key} {month} is open again: hours can be logged.",
    "month.log_approved": (
        "{key} {month} was approved by <@{by}>, so hours dated in that month can no longer be added or changed. "
        "An admin can reopen the month with `/prosjekt reopen {key} {month}`."
    ),
    "history.month_approved": "approved the month {new}",
    "history.month_reopened": "reopened the month {new}",
    "settings.rule.month_report_avgrenset": "Monthly report also for fixed projects with hours in the month",
}
