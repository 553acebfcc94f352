"""Messages of the nudge to log hours (nb and en): the direct message, its buttons, `varsler av|på`, the settings."""

NB: dict[str, str] = {
    "nudge.title": "⏱️ Du har ikke ført timer i dag",
    "nudge.body": "Før timene mens du husker dem: velg prosjektet, så åpnes loggføringen.",
    "nudge.no_projects": "Før timene med `/prosjekt logg`.",
    "nudge.none_today": "Ingen timer i dag",
    "nudge.off_button": "Slå av påminnelser",
    "nudge.on_button": "Slå på påminnelser",
    "nudge.dismissed": "👍 Ingen timer i dag: notert. Du får ingen flere påminnelser i dag.",
    "nudge.week_title": "📅 Uka di: {total} ført",
    "nudge.turned_off": (
        "🔕 Påminnelser om timeføring er slått av for deg. Slå dem på igjen med `/prosjekt varsler på`."
    ),
    "nudge.turned_on": "🔔 Påminnelser om timeføring er slått på for deg.",
    "nudge.already_off": "🔕 Påminnelsene dine er allerede slått av. Slå dem på med `/prosjekt varsler på`.",
    "nudge.already_on": "🔔 Påminnelsene dine er allerede slått på.",
    "nudge.workspace_off": " (Arbeidsområdet sender ingen påminnelser ennå: en admin slår dem på i `/prosjekt innstillinger`.)",
    "nudge.usage": "«{value}» går ikke: skriv `/prosjekt varsler av` eller `/prosjekt varsler på`.",
    "nudge.status_on": "🔔 Påminnelser om timeføring er slått på for deg. Slå dem av med `/prosjekt varsler av`.",
    "nudge.status_off": "🔕 Påminnelser om timeføring er slått av for deg. Slå dem på med `/prosjekt varsler på`.",
    "settings.section.nudges": "Påminnelse om timeføring",
    "field.nudge_on": "Påminnelse om timeføring",
    "settings.nudge.enabled": "Send en direktemelding til den som ikke har ført timer i dag",
    "field.nudge_time": "Klokkeslett",
    "field.nudge_days": "Dager",
    "hint.nudge": (
        "Helligdager hoppes over. Siste arbeidsdag i uka får hver enkelt ukas timer i stedet. "
        "Hver person kan slå dem av med `/prosjekt varsler av`."
    ),
    "settings.nudge_days_missing": "Velg minst én dag for påminnelsen.",
}

EN: dict[str, str] = {
    "nudge.title": "⏱️ You have not logged any hours today",
    "nudge.body": "Log them while you remember: pick the project and the log form opens.",
    "nudge.no_projects": "Log them with `/prosjekt log`.",
    "nudge.none_today": "No hours today",
    "nudge.off_button": "Turn off reminders",
    "nudge.on_button": "Turn on reminders",
    "nudge.dismissed": "👍 No hours today: noted. No more reminders today.",
    "nudge.week_title": "📅 Your week: {total} logged",
    "nudge.turned_off": "🔕 Reminders to log hours are off for you. Turn them back on with `/prosjekt notifications on`.",
    "nudge.turned_on": "🔔 Reminders to log hours are on for you.",
    "nudge.already_off": "🔕 Your reminders are already off. Turn them on with `/prosjekt notifications on`.",
    "nudge.already_on": "🔔 Your reminders are already on.",
    "nudge.workspace_off": " (The workspace sends no reminders yet: an admin turns them on in `/prosjekt settings`.)",
    "nudge.usage": "“{value}” does not work: write `/prosjekt notifications off` or `/prosjekt notifications on`.",
    "nudge.status_on": "🔔 Reminders to log hours are on for you. Turn them off with `/prosjekt notifications off`.",
    "nudge.status_off": "🔕 Reminders to log hours are off for you. Turn them on with `/prosjekt notifications on`.",
    "settings.section.nudges": "Reminder to log hours",
    "field.nudge_on": "Reminder to log hours",
    "settings.nudge.enabled": "Send a direct message to whoever has not logged hours today",
    "field.nudge_time": "Time",
    "field.nudge_days": "Days",
    "hint.nudge": (
        "Public holidays are skipped. The last working day of the week sends each person their week's hours "
        "instead. Everyone can turn them off with `/prosjekt notifications off`."
    ),
    "settings.nudge_days_missing": "Pick at least one day for the reminder.",
}
