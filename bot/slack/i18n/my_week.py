"""Messages for a person's week of hours: App Home's *Mine timer*, `/prosjekt timer uke`, the Friday message
(nb and en)."""

NB: dict[str, str] = {
    "week.title": "Mine timer",
    "week.span": "Uke {week} · {start} – {end}",
    "week.no_hours": "ingen timer",
    "week.projects": "*Per prosjekt*",
    "week.projects_empty": "Ingen timer ført denne uka ennå.",
    "week.more_projects": "…og {count} prosjekter til",
    "week.total": "*Sum denne uka: {hours}* · forrige uke: {last}",
    "week.log": "Før timer",
    "week.text": "Mine timer uke {week}: {hours} (forrige uke: {last})",
    "week.usage": "Skriv `/prosjekt timer uke` for å se timene dine denne uka, per dag og per prosjekt.",
}

EN: dict[str, str] = {
    "week.title": "My hours",
    "week.span": "Week {week} · {start} – {end}",
    "week.no_hours": "no hours",
    "week.projects": "*By project*",
    "week.projects_empty": "No hours logged this week yet.",
    "week.more_projects": "…and {count} more projects",
    "week.total": "*This week: {hours}* · last week: {last}",
    "week.log": "Log hours",
    "week.text": "My hours week {week}: {hours} (last week: {last})",
    "week.usage": "Type `/prosjekt hours week` to see your hours this week, by day and by project.",
}
