"""Messages for the hours export (nb and en): the answer, the files' headers, periods and what can go wrong."""

NB: dict[str, str] = {
    "export.col.date": "Dato",
    "export.col.project": "Prosjekt",
    "export.col.project_name": "Prosjektnavn",
    "export.col.customer": "Kunde",
    "export.col.person": "Person",
    "export.col.task": "Oppgave",
    "export.col.hours": "Timer",
    "export.col.billable": "Fakturerbar",
    "export.col.rate": "Timepris",
    "export.col.amount": "Beløp",
    "export.col.description": "Beskrivelse",
    "export.col.approved": "Godkjent",
    "export.col.billable_hours": "Fakturerbare timer",
    "export.yes": "Ja",
    "export.no": "Nei",
    "export.sum": "Sum",
    "export.sheet.rows": "Timer",
    "export.sheet.totals": "Summer",
    "export.file": "timer",
    "export.what.all": "alle prosjekter",
    "export.what.project": "{key} {name}",
    "export.what.customer": "kunden {customer}",
    "export.period.month": "{month}",
    "export.period.week": "uke {week} {year}",
    "export.period.range": "{start}–{end}",
    "export.sending": (
        "Sender deg {rows} timeføringer for {what}, {period}, som CSV og Excel på direktemelding.{limited}"
    ),
    "export.limited": " Bare dine egne timer og timene på prosjektene du leder er med.",
    "export.limited_project": " Bare dine egne timer er med: alle timene på {key} kan PL (<@{pm}>) eller en administrator eksportere.",
    "export.none": "Ingen timer å eksportere for {what}, {period}.{limited}",
    "export.comment": (
        "Timer for {what}, {period}: {rows} rader. CSV-filen åpnes rett i Excel med norske innstillinger; "
        "Excel-filen har summer per prosjekt og person på ark 2."
    ),
    "export.failed": (
        "Eksportfilene kunne ikke sendes: Slack tok ikke imot dem (mangler appen tillatelsen `files:write`?). "
        "Prøv igjen senere, eller be en administrator sjekke appen."
    ),
    "export.all_admin_only": (
        "Bare en administrator kan eksportere alle timene. Uten `alle` får du dine egne timer og timene på "
        "prosjektene du leder: `/prosjekt eksport november`."
    ),
    "export.customer_unknown": (
        "Finner ingen kunde «{value}». Kundene her: {known}. Skriv for eksempel "
        '`/prosjekt eksport kunde:"Tine" november`.'
    ),
    "export.both": "Velg enten et prosjekt eller `kunde:`, ikke begge. Skriv f.eks. `/prosjekt eksport P-3 november`.",
    "export.usage": (
        "Skriv `/prosjekt eksport [P-3 | kunde:\"Tine\" | alle] [november | 2026-11 | uke 48 | "
        "fra:01.11.2026 til:30.11.2026]`; uten periode: denne måneden så langt."
    ),
    "period.unknown": (
        "Skjønner ikke perioden «{value}». Skriv en måned (`november`, `2026-11`), en uke (`uke 48`) eller "
        "`fra:01.11.2026 til:30.11.2026`; uten periode blir det denne måneden så langt."
    ),
    "period.future": "«{value}» har ikke begynt ennå. Velg en måned eller uke som har begynt, f.eks. `november` eller `2026-11`.",
    "period.range_order": "`fra:` ({start}) er etter `til:` ({end}). Skriv for eksempel `fra:01.11.2026 til:30.11.2026`.",
    "period.range_start": "`til:` trenger en `fra:`. Skriv for eksempel `fra:01.11.2026 til:30.11.2026`.",
}

EN: dict[str, str] = {
    "export.col.date": "Date",
    "export.col.project": "Project",
    "export.col.project_name": "Project name",
    "export.col.customer": "Customer",
    "export.col.person": "Person",
    "export.col.task": "Task",
    "export.col.hours": "Hours",
    "export.col.billable": "Billable",
    "export.col.rate": "Rate",
    "export.col.amount": "Amount",
    "export.col.description": "Description",
    "export.col.approved": "Approved",
    "export.col.billable_hours": "Billable hours",
    "export.yes": "Yes",
    "export.no": "No",
    "export.sum": "Total",
    "export.sheet.rows": "Hours",
    "export.sheet.totals": "Totals",
    "export.file": "hours",
    "export.what.all": "all projects",
    "export.what.project": "{key} {name}",
    "export.what.customer": "the customer {customer}",
    "export.period.month": "{month}",
    "export.period.week": "week {week} {year}",
    "export.period.range": "{start}–{end}",
    "export.sending": "Sending you {rows} logs for {what}, {period}, as CSV and Excel in a direct message.{limited}",
    "export.limited": " Only your own hours and the hours of the projects you lead are in it.",
    "export.limited_project": " Only your own hours are in it: the PM (<@{pm}>) or an admin can export all of {key}.",
    "export.none": "No hours to export for {what}, {period}.{limited}",
    "export.comment": (
        "Hours for {what}, {period}: {rows} rows. The CSV file opens in Excel with Norwegian settings; the Excel "
        "file has totals per project and person on sheet 2."
    ),
    "export.failed": (
        "The export files could not be sent: Slack did not take them (does the app lack `files:write`?). Try "
        "again later, or ask an admin to check the app."
    ),
    "export.all_admin_only": (
        "Only an admin can export all hours. Without `all` you get your own hours and those of the projects you "
        "lead: `/prosjekt export november`."
    ),
    "export.customer_unknown": (
        "No customer «{value}». The customers here: {known}. Write for example "
        '`/prosjekt export customer:"Tine" november`.'
    ),
    "export.both": "Name either a project or `customer:`, not both. Write e.g. `/prosjekt export P-3 november`.",
    "export.usage": (
        "Write `/prosjekt export [P-3 | customer:\"Tine\" | all] [november | 2026-11 | week 48 | "
        "from:01.11.2026 to:30.11.2026]`; without a period: this month so far."
    ),
    "period.unknown": (
        "I don't understand the period «{value}». Write a month (`november`, `2026-11`), a week (`week 48`) or "
        "`from:01.11.2026 to:30.11.2026`; without a period it is this month so far."
    ),
    "period.future": "«{value}» has not begun yet. Pick a month or week that has, e.g. `november` or `2026-11`.",
    "period.range_order": "`from:` ({start}) is after `to:` ({end}). Write for example `from:01.11.2026 to:30.11.2026`.",
    "period.range_start": "`to:` needs a `from:`. Write for example `from:01.11.2026 to:30.11.2026`.",
}
