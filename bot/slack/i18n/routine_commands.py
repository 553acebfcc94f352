"""Messages of the routine sub-commands (nb and en): `ny … rutine:`, `rutiner`, `rutine vis|lagre|eksport`,
`oppgaver`, and logging against a task."""

NB: dict[str, str] = {
    "routine.unknown": "Fant ingen rutine «{name}». Mente du {close}? Se alle med `/prosjekt rutiner`.",
    "routine.role_usage": "Skriv en rolle som rolle:seo=@ola (rollens nøkkel, =, og personen).",
    "routine.role_without_routine": "rolle: gjelder stegene i en rutine. Skriv også rutine:NAVN, f.eks. rutine:seo-oppstart.",
    "routine.save_no_tasks": "{key} har ingen oppgaver å lage en rutine av. Legg til oppgaver først.",
    "routine.save_title_missing": 'Skriv et navn på rutinen, f.eks. `/prosjekt rutine lagre P-12 "Lansering nettbutikk"`.',
    "routine.usage": (
        "Skriv `/prosjekt rutine vis NAVN`, `/prosjekt rutine lagre P-12 \"Navn\"` eller "
        "`/prosjekt rutine eksport NAVN`. Alle rutinene: `/prosjekt rutiner`."
    ),
    "routine.name_missing": "Skriv navnet på rutinen, f.eks. `/prosjekt rutine vis seo-oppstart`.",
    "routine.created": (
        "Opprettet *{key}* {name} i <#{channel}> fra rutinen *{title}* v{version}: {steps} steg med datoer"
        "{clamped}{skipped}."
    ),
    "routine.created_clamped": ", {n} av dem *komprimert* (regelen ga en dato utenfor prosjektet, så de ble flyttet inn)",
    "routine.created_skipped": "; {n} steg hoppet over etter svarene",
    "routine.created_answers": "Svar (standard): {answers}.",
    "routine.frame_given": "Timeramme {hours} (fra timer:).",
    "routine.frame_steps": "Timeramme {hours} (summen av stegenes estimater).",
    "routine.frame_month": "Timeramme {hours} per måned (rutinens ramme).",
    "routine.frame_none": "Ingen timeramme.",
    "routine.created_change": (
        "Endre rammen med `/prosjekt ramme {key} timer:…`; se stegene med `/prosjekt oppgaver {key}`. "
        "Løpende: de neste månedenes steg kommer når måneden begynner."
    ),
    "routine.saved": "Lagret rutinen *{title}* (`{name}`) v{version} fra {key}: {steps} steg. Se den med `/prosjekt rutine vis {name}`.",
    "routine.exported": "Sender deg `{name}.yaml` (v{version}) på direktemelding.",
    "routine.export_comment": "Rutinen {title} v{version}. Endre filen og les den inn med `prosjektbot routines import`.",
    "routines.title": "Rutiner",
    "routines.line": "*{title}* `{name}` · {kind} · {steps} steg · {hours} · v{version} · {origin}",
    "routines.kind.avgrenset": "avgrenset",
    "routines.kind.lopende": "løpende",
    "routines.builtin": "innebygd",
    "routines.own": "egen",
    "routines.frame_total": "{hours} i alt",
    "routines.frame_month": "{hours} per måned",
    "routines.frame_steps": "{hours} i steg",
    "routines.hint": "Se en: `/prosjekt rutine vis NAVN`. Bruk en: `/prosjekt ny \"Navn\" kunde:… frist:… rutine:NAVN`.",
    "routines.show_meta": "`{name}` · {kind} · {steps} steg · {hours} · {origin}",
    "routines.roles": "Roller",
    "routines.questions": "Spørsmål",
    "routines.question": "• {text} (`{key}`: {answers}, standard {default})",
    "routines.steps": "Steg",
    "routines.more_steps": "… flere steg. Hele rutinen: `/prosjekt rutine eksport {name}`.",
    "routines.use_hint": "Bruk den: `/prosjekt ny \"Navn\" kunde:… frist:… rutine:{name} rolle:seo=@person`.",
    "tasks.title": "Oppgaver i {key} {name}",
    "tasks.none": "{key} har ingen oppgaver ennå.",
    "tasks.of_estimate": "{logged} av {estimate}",
    "tasks.more": "… flere oppgaver enn det er plass til her.",
    "task.unknown_close": "Fant ingen oppgave «{ref}» i prosjektet. Oppgavene som ligner: {choices}.",
    "history.routine_used": "opprettet prosjektet fra rutinen {new}",
    "history.routine_saved": "lagret prosjektet som rutinen {new}",
    "field.routine": "Rutine",
    "card.routine": "Rutine: *{routine}* · {done} av {total} steg ferdig",
    "card.over_estimate": "Over estimatet: {tasks}",
    "field.role": "Rolle",
    "field.roles": "Roller",
    "field.against": "Oppgave",
}

EN: dict[str, str] = {
    "routine.unknown": "No routine “{name}”. Did you mean {close}? See them all with `/prosjekt routines`.",
    "routine.role_usage": "Write a role as role:seo=@ola (the role's key, =, and the person).",
    "routine.role_without_routine": "role: is for a routine's steps. Also write routine:NAME, e.g. routine:seo-oppstart.",
    "routine.save_no_tasks": "{key} has no tasks to make a routine of. Add tasks first.",
    "routine.save_title_missing": 'Give the routine a name, e.g. `/prosjekt routine save P-12 "Web shop launch"`.',
    "routine.usage": (
        "Write `/prosjekt routine show NAME`, `/prosjekt routine save P-12 \"Name\"` or "
        "`/prosjekt routine export NAME`. All routines: `/prosjekt routines`."
    ),
    "routine.name_missing": "Give the routine's name, e.g. `/prosjekt routine show seo-oppstart`.",
    "routine.created": (
        "Created *{key}* {name} in <#{channel}> from the routine *{title}* v{version}: {steps} dated steps"
        "{clamped}{skipped}."
    ),
    "routine.created_clamped": ", {n} of them *compressed* (the rule gave a date outside the project, so they were moved in)",
    "routine.created_skipped": "; {n} steps left out by the answers",
    "routine.created_answers": "Answers (defaults): {answers}.",
    "routine.frame_given": "Hours frame {hours} (from hours:).",
    "routine.frame_steps": "Hours frame {hours} (the steps' estimates added up).",
    "routine.frame_month": "Hours frame {hours} a month (the routine's frame).",
    "routine.frame_none": "No hours frame.",
    "routine.created_change": (
        "Change the frame with `/prosjekt frame {key} hours:…`; see the steps with `/prosjekt tasks {key}`. "
        "Running projects: each later month's steps come when the month begins."
    ),
    "routine.saved": "Saved the routine *{title}* (`{name}`) v{version} from {key}: {steps} steps. See it with `/prosjekt routine show {name}`.",
    "routine.exported": "Sending you `{name}.yaml` (v{version}) as a direct message.",
    "routine.export_comment": "The routine {title} v{version}. Change the file and read it in with `prosjektbot routines import`.",
    "routines.title": "Routines",
    "routines.line": "*{title}* `{name}` · {kind} · {steps} steps · {hours} · v{version} · {origin}",
    "routines.kind.avgrenset": "fixed",
    "routines.kind.lopende": "running",
    "routines.builtin": "built-in",
    "routines.own": "own",
    "routines.frame_total": "{hours} in all",
    "routines.frame_month": "{hours} a month",
    "routines.frame_steps": "{hours} in steps",
    "routines.hint": "See one: `/prosjekt routine show NAME`. Use one: `/prosjekt new \"Name\" customer:… deadline:… routine:NAME`.",
    "routines.show_meta": "`{name}` · {kind} · {steps} steps · {hours} · {origin}",
    "routines.roles": "Roles",
    "routines.questions": "Questions",
    "routines.question": "• {text} (`{key}`: {answers}, default {default})",
    "routines.steps": "Steps",
    "routines.more_steps": "… more steps. The whole routine: `/prosjekt routine export {name}`.",
    "routines.use_hint": "Use it: `/prosjekt new \"Name\" customer:… deadline:… routine:{name} role:seo=@person`.",
    "tasks.title": "Tasks of {key} {name}",
    "tasks.none": "{key} has no tasks yet.",
    "tasks.of_estimate": "{logged} of {estimate}",
    "tasks.more": "… more tasks than there is room for here.",
    "task.unknown_close": "No task “{ref}” in the project. Tasks like it: {choices}.",
    "history.routine_used": "created the project from the routine {new}",
    "history.routine_saved": "saved the project as the routine {new}",
    "field.routine": "Routine",
    "card.routine": "Routine: *{routine}* · {done} of {total} steps done",
    "card.over_estimate": "Over the estimate: {tasks}",
    "field.role": "Role",
    "field.roles": "Roles",
    "field.against": "Task",
}
