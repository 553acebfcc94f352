"""Messages of the routine editor (nb and en): `rutine rediger NAVN`, its modal's labels and hints (the line
formats of bot.domain.routines.lines), and what saving it says. Its errors in the lines: bot/slack/i18n/routines.py."""

NB: dict[str, str] = {
    "routine.edit_name_missing": "Skriv navnet på rutinen, f.eks. `/prosjekt rutine rediger seo-oppstart`.",
    "routine.edit_not_allowed": (
        "Bare prosjektledere (PL) og administratorer kan endre rutiner. Du kan bruke dem: "
        "`/prosjekt ny \"Navn\" kunde:… rutine:NAVN`."
    ),
    "routine.edit_too_big": (
        "Rutinen `{name}` er for stor til å endres i Slack. Hent filen med `/prosjekt rutine eksport {name}`, "
        "endre den og les den inn med `prosjektbot routines import`."
    ),
    "routine.edit_stale": (
        "Noen lagret v{version} av `{name}` mens du endret den. Kopier det du har skrevet, lukk og åpne "
        "`/prosjekt rutine rediger {name}` på nytt."
    ),
    "routine.edit_unchanged": "Ingen endringer: *{title}* er fortsatt v{version}, og ingenting er lagret.",
    "routine.edit_saved": (
        "Lagret *{title}* (`{name}`) v{version}: {steps} steg. Prosjekter som alt er laget fra rutinen, beholder "
        "sin versjon. Se den med `/prosjekt rutine vis {name}`."
    ),
    "routine.edit_copied": (
        "Den innebygde rutinen endres ikke: endringene er lagret som arbeidsområdets egen kopi, *{title}* "
        "(`{name}`) v{version}, {steps} steg, som brukes fra nå av. Prosjekter som alt er laget, beholder sin "
        "versjon. Se den med `/prosjekt rutine vis {name}`."
    ),
    "routine.editor.modal": "Endre rutine",
    "routine.editor.about": (
        "Endrer *{title}* (`{name}`) v{version}. Lagrer du, blir det v{next}; prosjekter som alt er laget, "
        "beholder sin versjon."
    ),
    "routine.editor.about_builtin": (
        "*{title}* (`{name}`) er innebygd og endres ikke. Lagrer du, blir det arbeidsområdets egen kopi, v1, "
        "som brukes fra nå av; prosjekter som alt er laget, beholder sin versjon."
    ),
    "routine.editor.title": "Navn",
    "routine.editor.description": "Beskrivelse",
    "routine.editor.hours": "Timeramme",
    "routine.editor.hours_hint": "Timer i alt (avgrenset) eller per måned (løpende), f.eks. 40. Tom: summen av stegene.",
    "routine.editor.cost": "Kostnadsramme (kr)",
    "routine.editor.cost_hint": "Hele kroner, f.eks. 150000. Kan stå tom.",
    "routine.editor.goals": "Mål",
    "routine.editor.goals_hint": "Ett mål per linje, med enheten i parentes: Organisk trafikk (besøk)",
    "routine.editor.roles": "Roller",
    "routine.editor.roles_hint": "Én rolle per linje, nøkkel og navn: seo: SEO-spesialist. pl (prosjektleder) finnes alltid.",
    "routine.editor.questions": "Spørsmål",
    "routine.editor.questions_hint": (
        "Ett spørsmål per linje: ga4: Har kunden GA4 satt opp? | ja/nei | standard: nei — "
        "eller et valg: plattform: Hvilken plattform? | valg: Shopify, WooCommerce | standard: Shopify"
    ),
    "routine.editor.steps": "Steg {first}–{last}",
    "routine.editor.step": "Steg {n}",
    "routine.editor.steps_hint": (
        "Ett steg per linje: tittel | rolle | timer | datoregel | når spørsmål = svar (valgfritt), f.eks. "
        "Teknisk revisjon | seo | 6 t | start+2 | når ga4 = nei. Datoregler: start+2, frist-5, måned:3, "
        "måned:siste. Beskrivelsen på linjene under, som begynner med >. Flytt en linje for å endre rekkefølgen, "
        "slett den for å fjerne steget."
    ),
    "routine.editor.steps_more_hint": "Samme format som over; stegene leses i rekkefølge fra første felt.",
    "routine.editor.new_steps": "Nye steg",
    "routine.editor.new_steps_hint": "Legg til steg her, ett per linje: Tittel | rolle | timer | datoregel",
    "history.routine_edited": "endret rutinen {old} til {new}",
    "history.routine_copied": "lagret en egen kopi av den innebygde rutinen {old} som {new}",
}

EN: dict[str, str] = {
    "routine.edit_name_missing": "Give the routine's name, e.g. `/prosjekt routine edit seo-oppstart`.",
    "routine.edit_not_allowed": (
        "Only project managers (PMs) and admins can change routines. You can use them: "
        "`/prosjekt new \"Name\" customer:… routine:NAME`."
    ),
    "routine.edit_too_big": (
        "The routine `{name}` is too large to change in Slack. Get its file with `/prosjekt routine export {name}`, "
        "change it and read it in with `prosjektbot routines import`."
    ),
    "routine.edit_stale": (
        "Someone saved v{version} of `{name}` while you were changing it. Copy what you wrote, close, and open "
        "`/prosjekt routine edit {name}` again."
    ),
    "routine.edit_unchanged": "No changes: *{title}* is still v{version}, and nothing was saved.",
    "routine.edit_saved": (
        "Saved *{title}* (`{name}`) v{version}: {steps} steps. Projects already made from the routine keep their "
        "version. See it with `/prosjekt routine show {name}`."
    ),
    "routine.edit_copied": (
        "The built-in routine doesn't change: your changes are saved as the workspace's own copy, *{title}* "
        "(`{name}`) v{version}, {steps} steps, used from now on. Projects already made keep their version. "
        "See it with `/prosjekt routine show {name}`."
    ),
    "routine.editor.modal": "Edit routine",
    "routine.editor.about": (
        "Changing *{title}* (`{name}`) v{version}. Saving makes v{next}; projects already made keep their version."
    ),
    "routine.editor.about_builtin": (
        "*{title}* (`{name}`) is built in and doesn't change. Saving makes the workspace's own copy, v1, used from "
        "now on; projects already made keep their version."
    ),
    "routine.editor.title": "Name",
    "routine.editor.description": "Description",
    "routine.editor.hours": "Hours frame",
    "routine.editor.hours_hint": "Hours in all (fixed) or per month (running), e.g. 40. Empty: the steps added up.",
    "routine.editor.cost": "Cost frame (NOK)",
    "routine.editor.cost_hint": "Whole kroner, e.g. 150000. May be empty.",
    "routine.editor.goals": "Goals",
    "routine.editor.goals_hint": "One goal per line, its unit in brackets: Organic traffic (visits)",
    "routine.editor.roles": "Roles",
    "routine.editor.roles_hint": "One role per line, key and name: seo: SEO specialist. pl (the PM) always exists.",
    "routine.editor.questions": "Questions",
    "routine.editor.questions_hint": (
        "One question per line: ga4: Has the customer set up GA4? | yes/no | default: nei — "
        "or a choice: platform: Which platform? | choice: Shopify, WooCommerce | default: Shopify"
    ),
    "routine.editor.steps": "Steps {first}–{last}",
    "routine.editor.step": "Step {n}",
    "routine.editor.steps_hint": (
        "One step per line: title | role | hours | date rule | when question = answer (optional), e.g. "
        "Technical audit | seo | 6 h | start+2 | when ga4 = nei. Date rules: start+2, deadline-5, month:3, "
        "month:last. The description on the lines below, starting with >. Move a line to reorder, delete it to "
        "remove the step."
    ),
    "routine.editor.steps_more_hint": "The same format as above; the steps are read in order from the first field.",
    "routine.editor.new_steps": "New steps",
    "routine.editor.new_steps_hint": "Add steps here, one per line: Title | role | hours | date rule",
    "history.routine_edited": "changed the routine {old} to {new}",
    "history.routine_copied": "saved an own copy of the built-in routine {old} as {new}",
}
