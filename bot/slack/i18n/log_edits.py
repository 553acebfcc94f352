"""Messages for correcting and deleting logs, `/prosjekt timer` (nb and en)."""

NB: dict[str, str] = {
    "hours.title": "Timene dine de siste {days} dagene",
    "hours.title_of": "Timene til <@{user}> de siste {days} dagene",
    "hours.none": "Ingen timer ført de siste {days} dagene. Før timer med `/prosjekt logg P-3 2,5t Hva du gjorde`.",
    "hours.none_of": "<@{user}> har ingen timer du kan endre de siste {days} dagene.",
    "hours.more": "… og {n} eldre logger til. Alle timene dine: `/prosjekt eksport`.",
    "hours.total": "Totalt {total} på {n} logger.",
    "hours.edit": "Endre",
    "hours.delete": "Slett",
    "hours.internal": "internt",
    "hours.confirm_title": "Slette loggen?",
    "hours.confirm_text": "Loggen på {key} fra {date} ({hours}) slettes. Det kan ikke angres (historikken tar vare på den).",
    "hours.confirm_yes": "Slett",
    "hours.confirm_no": "Avbryt",
    "hours.usage": (
        "Skriv `/prosjekt timer` for timene dine de siste 14 dagene, `timer uke` for uka di, eller `timer @ola` (PL "
        "eller admin)."
    ),
    "hours.modal_title": "Endre logg",
    "hours.no_task": "Ingen oppgave",
    "hours.edit_about": "Endrer loggen til <@{user}> fra {date}.",
    "hours.changed": "✏️ Loggen på *{key}* {name} er endret: {what}.",
    "hours.unchanged": "Ingenting å endre: loggen er som før.",
    "hours.deleted": "🗑️ Loggen ({hours}, {date}) på *{key}* {name} er slettet.",
    "hours.gone": "Den loggen finnes ikke (lenger): den er slettet i mellomtiden. Ingenting er endret.",
    "hours.stale": (
        "Loggen er endret i mellomtiden (i en annen fane eller av noen andre), så ingenting er lagret. Lukk vinduet og "
        "trykk *Endre* på nytt i `/prosjekt timer`."
    ),
    "hours.not_yours": (
        "Det er ikke din logg. Bare den som førte den, prosjektlederen (<@{pm}>) eller en administrator kan endre "
        "eller slette den."
    ),
    "hours.not_pm": "Bare prosjektledere og administratorer kan se og rette andres timer. Skriv `/prosjekt timer`.",
    "hours.delivered": "{key} er levert, så timene kan ikke endres. Gjenåpne prosjektet først (`/prosjekt gjenåpne {key}`).",
    "history.log_changed": "endret loggen til {user} fra {date}: {what}",
    "history.log_deleted": "slettet loggen til {user} fra {date}: {what}",
    "hours.field.minutes": "timer",
    "hours.field.logged_on": "dato",
    "hours.field.task": "oppgave",
    "hours.field.description": "tekst",
    "hours.field.percent": "ferdig",
    "hours.field.billable": "fakturering",
    "hours.billable.true": "fakturerbar",
    "hours.billable.false": "intern",
}

EN: dict[str, str] = {
    "hours.title": "Your hours of the last {days} days",
    "hours.title_of": "Hours of <@{user}> in the last {days} days",
    "hours.none": "No hours logged in the last {days} days. Log some with `/prosjekt log P-3 2.5h What you did`.",
    "hours.none_of": "<@{user}> has no hours you can change in the last {days} days.",
    "hours.more": "… and {n} older logs. All your hours: `/prosjekt export`.",
    "hours.total": "{total} in all, {n} logs.",
    "hours.edit": "Edit",
    "hours.delete": "Delete",
    "hours.internal": "internal",
    "hours.confirm_title": "Delete the log?",
    "hours.confirm_text": "The log on {key} from {date} ({hours}) will be deleted. It cannot be undone (the history keeps it).",
    "hours.confirm_yes": "Delete",
    "hours.confirm_no": "Cancel",
    "hours.usage": (
        "Write `/prosjekt hours` for your hours of the last 14 days, `hours week` for your week, or `hours @ola` (PM "
        "or admin)."
    ),
    "hours.modal_title": "Edit log",
    "hours.no_task": "No task",
    "hours.edit_about": "Editing the log of <@{user}> from {date}.",
    "hours.changed": "✏️ The log on *{key}* {name} is changed: {what}.",
    "hours.unchanged": "Nothing to change: the log is as it was.",
    "hours.deleted": "🗑️ The log ({hours}, {date}) on *{key}* {name} is deleted.",
    "hours.gone": "That log does not exist (any more): it was deleted meanwhile. Nothing was changed.",
    "hours.stale": (
        "The log was changed meanwhile (in another tab or by someone else), so nothing was saved. Close the window "
        "and press *Edit* again in `/prosjekt hours`."
    ),
    "hours.not_yours": (
        "That is not your log. Only the person who logged it, the project manager (<@{pm}>) or an admin can change "
        "or delete it."
    ),
    "hours.not_pm": "Only project managers and admins can see and correct other people's hours. Write `/prosjekt hours`.",
    "hours.delivered": "{key} is delivered, so its hours cannot be changed. Reopen it first (`/prosjekt reopen {key}`).",
    "history.log_changed": "changed the log of {user} from {date}: {what}",
    "history.log_deleted": "deleted the log of {user} from {date}: {what}",
    "hours.field.minutes": "hours",
    "hours.field.logged_on": "date",
    "hours.field.task": "task",
    "hours.field.description": "text",
    "hours.field.percent": "complete",
    "hours.field.billable": "billing",
    "hours.billable.true": "billable",
    "hours.billable.false": "internal",
}
