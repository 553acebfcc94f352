"""Messages for `/prosjekt`, the card, modals and history (nb and en)."""

NB: dict[str, str] = {
    "help.title": "Prosjektbot – slik bruker du /prosjekt",
    "help.body": (
        "*Nytt prosjekt*  `/prosjekt ny` åpner et skjema, eller på én linje:\n"
        '`/prosjekt ny "Nettside Fjordkraft" kunde:"Fjordkraft AS" frist:15.12.2026 timer:120 budsjett:150000 '
        "pl:@kari type:avgrenset`\n"
        "*Logg fremdrift*  `/prosjekt logg P-3 2,5t Skrev annonsetekster 40%`  (timer: `2,5t`, `1t 30m`, `90m`) · "
        "en annen dag: `/prosjekt logg P-3 2t dato:i går Møte med kunden` (`dato:fredag`, `dato:27.11`)\n"
        "*Rette timer*  `/prosjekt timer` (dine siste 14 dager: *Endre* · *Slett*) · `timer @ola` (PL, admin)\n"
        "*Mine timer*  `/prosjekt timer uke`: timene dine denne uka per dag og per prosjekt (også øverst i *Hjem*)\n"
        "*Påminnelser*  `/prosjekt varsler av` · `varsler på`: din påminnelse om timeføring (en admin slår den på i "
        "`innstillinger`)\n"
        "*Status*  `/prosjekt status P-3`   *Liste*  `/prosjekt liste` · `liste mine` · `liste alle`\n"
        '*Oppgave*  `/prosjekt oppgave P-3 "Levere rapport" frist:fredag ansvarlig:@ola`\n'
        "*Rammer* (PL)  `/prosjekt ramme P-3 timer:160 frist:uke 51`\n"
        "*Timepris* (PL)  `/prosjekt ramme P-3 timepris:1250 timepris:@ola=1100` · standard i `innstillinger` · "
        "intern tid: `/prosjekt logg P-3 1t intern Internmøte`\n"
        "*Overføring* (løpende, PL)  `/prosjekt ramme P-3 overføring:ja` · `overføring:nei` · "
        "`overføringstak:30` (% av månedsrammen, standard 25) · `ny … type:løpende timer:20 overføring:ja`\n"
        '*Mål*  `/prosjekt mål P-3 "Organisk trafikk" mål:10000 nå:4500`\n'
        "*Tilstand* (PL)  `/prosjekt levert P-3` · `pause P-3` · `gjenåpne P-3`   "
        "*Historikk*  `/prosjekt historikk P-3`\n"
        "*Ukesoppsummering*  `/prosjekt oppsummering` (denne kanalen) · `oppsummering portefølje` (alle prosjekter)\n"
        "*Rutiner*  `/prosjekt rutiner` · `rutine vis seo-oppstart` · "
        '`/prosjekt ny "SEO Tine" kunde:Tine frist:15.03.2027 rutine:seo-oppstart rolle:seo=@ola` · '
        '`rutine lagre P-3 "Lansering nettbutikk"` (PL) · `rutine rediger NAVN` (PL) · `rutine eksport NAVN`\n'
        '*Oppgaver*  `/prosjekt oppgaver P-3` · `/prosjekt logg P-3 2t oppgave:"Teknisk revisjon" Fant 40 feil`\n'
        '*Eksport* (CSV og Excel på direktemelding)  `/prosjekt eksport P-3 november` · `eksport kunde:"Tine" uke 48` · '
        "`eksport fra:01.11.2026 til:15.11.2026` · `eksport alle` (administrator); uten periode: denne måneden\n"
        "*Månedsrapport*  `/prosjekt rapport P-3 november` · `… kunde` (til kunden; `kunde priser` med beløp) · "
        "`godkjenn P-3 november` (PL) · `åpne P-3 november` (admin)\n"
        "*Innstillinger* (administrator)  `/prosjekt innstillinger`   "
        "*Fra en melding*  ⋮ → *Logg som fremdrift*"
    ),
    "help.footer": (
        "Prosjektet angis med nøkkel (P-3), starten av navnet, hele navnet i anførselstegn eller `prosjekt:…`, og kan "
        "utelates når kanalen har ett aktivt prosjekt. I `oppgave` og `mål` er første ord prosjektet bare når det "
        "passer på nøyaktig ett prosjekt og flere ord følger; ellers er det starten på tittelen (skriv hele tittelen "
        "i anførselstegn for å være sikker). Datoer: 15.12, 15.12.2026, i morgen, fredag, om 2 uker, uke 50."
    ),
    "command.unknown": "Kjenner ikke den kommandoen. Skriv `/prosjekt hjelp` for å se hva du kan gjøre.",
    "action.unknown": "Den knappen kjenner jeg ikke lenger. Skriv `/prosjekt status` for et nytt kort.",
    "error.database": "Databasen svarer ikke akkurat nå. Ingenting ble lagret; prøv igjen om litt. (feil-id {error_id})",
    "error.unexpected": "Noe gikk galt hos oss, og ingenting ble lagret. Prøv igjen. (feil-id {error_id})",
    "error.you_wrote": "Du skrev: `{text}`",
    "mention.reply": "Hei! Jeg følger opp prosjektene her. Skriv `/prosjekt hjelp` for å komme i gang.",
    "kind.avgrenset": "Avgrenset",
    "kind.lopende": "Løpende",
    "state.active": "aktiv",
    "state.paused": "pauset",
    "state.delivered": "levert",
    "state.changed.delivered": "{key} {name} er markert som levert. 🎉",
    "state.changed.paused": "{key} {name} er satt på pause.",
    "state.changed.active": "{key} {name} er åpnet igjen.",
    "state.already.delivered": "{key} {name} var allerede levert.",
    "state.already.paused": "{key} {name} var allerede på pause.",
    "state.already.active": "{key} {name} er allerede aktivt.",
    "rights.pm_only": "Bare prosjektlederen (<@{pm}>) eller en administrator kan endre rammer, frister og tilstand.",
    "project.empty": "«{field}» kan ikke være tomt.",
    "project.too_long": "«{field}» er for langt (maks {limit} tegn).",
    "project.name_like_key": "Navnet kan ikke se ut som en prosjektnøkkel (P-12). Velg et annet navn.",
    "project.name_taken": "Det finnes allerede et prosjekt med det navnet ({key}). Velg et annet navn.",
    "project.deadline_required": "Et avgrenset prosjekt trenger en frist, f.eks. frist:15.12.2026.",
    "project.deadline_before_start": "Fristen kan ikke være før start ({start}).",
    "project.deadline_past": "Fristen er allerede passert. Velg en dato fra i dag av.",
    "project.which": (
        "Hvilket prosjekt? Skriv nøkkelen, f.eks. `/prosjekt status P-3`, eller starten av navnet. "
        "Aktive prosjekter i denne kanalen: {choices}"
    ),
    "project.unknown": "Fant ikke prosjektet «{ref}». Skriv nøkkelen (P-3) eller starten av navnet; `/prosjekt liste alle` viser alle.",
    "project.ambiguous": "«{ref}» passer på flere prosjekter: {choices}. Skriv nøkkelen, f.eks. P-3.",
    "project.gone": "Fant ikke prosjektet lenger i dette arbeidsområdet.",
    "project.is_delivered": "{key} er levert. Åpne det igjen med `/prosjekt gjenåpne {key}` først.",
    "project.none_yet": "Det finnes ingen aktive prosjekter ennå. Lag et med `/prosjekt ny`.",
    "new.customer_missing": 'Skriv hvilken kunde prosjektet er for, f.eks. kunde:"Fjordkraft AS".',
    "new.kind_invalid": "Kjenner ikke typen «{value}». Skriv type:avgrenset eller type:løpende.",
    "new.created": "Opprettet *{key}* {name} i <#{channel}>.",
    "log.hours_missing": "Skriv timene først, f.eks. `/prosjekt logg P-3 2,5t Skrev annonsetekster 40%`.",
    "log.saved": "Logget {hours} på *{key}* {name} (totalt {total}).",
    "task.added": "La til oppgaven «{title}» på {key} (frist {deadline}, ansvarlig {owner}).",
    "task.unknown": "Fant ingen åpen oppgave «{ref}» i prosjektet. Skriv starten av tittelen, f.eks. ferdig:\"Levere rapport\".",
    "task.ambiguous": "«{ref}» passer på flere oppgaver: {choices}. Skriv mer av tittelen.",
    "task.deadline_past": "Fristen er allerede passert. Velg en dato fra i dag av.",
    "frame.nothing": "Skriv hva som skal endres, f.eks. `/prosjekt ramme P-3 timer:160 frist:uke 51`.",
    "frame.usage": "Skriv rammene som nøkkel:verdi, f.eks. `/prosjekt ramme P-3 timer:160 frist:uke 51 budsjett:200000`.",
    "frame.changed": "Rammene for {key} er endret. Se `/prosjekt historikk {key}`.",
    "frame.unchanged": "Rammene for {key} var allerede slik; ingenting er endret.",
    "goal.added": "La til målet «{title}» på {key}.",
    "goal.updated": "Oppdaterte målet «{title}» på {key}.",
    "goal.number_invalid": "Forstod ikke tallet «{value}». Skriv f.eks. 10000, 10 000 eller 4,5.",
    "goal.title_missing": 'Skriv navnet på målet, f.eks. `/prosjekt mål P-3 "Organisk trafikk" mål:10000 nå:4500`.',
    "list.channel": "Prosjekter i denne kanalen",
    "list.mine": "Mine prosjekter",
    "list.all": "Alle prosjekter",
    "list.empty": "Ingen aktive prosjekter her. Lag et med `/prosjekt ny`.",
    "list.scope_invalid": "Skriv `/prosjekt liste`, `/prosjekt liste mine` eller `/prosjekt liste alle`.",
    "card.about": "*Kunde:* {customer} · *PL:* {pm} · {kind}",
    "card.hours": "*Timer:* {used} av {frame} ({pct}) `{bar}`",
    "card.hours_month": "*Timer denne måneden:* {used} av {frame} ({pct}) `{bar}`",
    "card.hours_left": "{left} igjen",
    "card.hours_no_frame": "*Timer:* {used} logget (ingen timeramme)",
    "card.deadline": "*Tid:* {start} → {deadline} ({pct} av tiden brukt)",
    "card.started": "*Startet:* {start}",
    "card.progress": "*Fremdrift:* {pct} `{bar}`",
    "card.forecast": "*Prognose:* {hours} totalt, ferdig {finish}",
    "card.goals": "Mål",
    "card.next_deadlines": "Neste frister",
    "card.more_tasks": "…og {count} oppgaver uten frist",
    "card.cannot_post": (
        "Jeg får ikke postet i <#{channel}>. Inviter meg med `/invite @Prosjektbot` der, og skriv så "
        "`/prosjekt status {key}`."
    ),
    "button.log": "Logg fremdrift",
    "button.task": "Ny oppgave",
    "button.frame": "Endre rammer",
    "button.deliver": "Marker levert",
    "modal.new": "Nytt prosjekt",
    "modal.log": "Logg fremdrift",
    "modal.task": "Ny oppgave",
    "modal.frame": "Endre rammer",
    "modal.goal": "Mål",
    "modal.create": "Opprett",
    "modal.save": "Lagre",
    "modal.cancel": "Avbryt",
    "modal.choose": "Velg",
    "modal.close": "Lukk",
    "modal.pick.status": "Prosjektstatus",
    "modal.pick.history": "Historikk",
    "modal.pick.done": "Marker levert",
    "modal.pick.pause": "Sett på pause",
    "modal.pick.reopen": "Gjenåpne prosjekt",
    "field.name": "Navn",
    "field.customer": "Kunde",
    "field.kind": "Type",
    "field.channel": "Kanal",
    "field.pm": "Prosjektleder",
    "field.members": "Medlemmer",
    "field.start": "Start",
    "field.deadline": "Frist",
    "field.hours": "Timer",
    "field.frame_minutes": "Timeramme",
    "field.budget": "Kostnadsramme (kr)",
    "field.budget_nok": "Kostnadsramme (kr)",
    "field.goals": "Mål",
    "field.goal": "Mål",
    "field.description": "Hva ble gjort",
    "field.percent": "Ferdig (%)",
    "field.task": "Oppgave",
    "field.task_done": "Oppgave som ble ferdig",
    "field.title": "Tittel",
    "field.owner": "Ansvarlig",
    "field.target": "Målverdi",
    "field.current": "Nåverdi",
    "field.target_value": "målverdi",
    "field.current_value": "nåverdi",
    "field.project": "Prosjekt",
    "field.state": "tilstand",
    "hint.kind": "Avgrenset: fast leveranse og frist. Løpende: timeramme per måned.",
    "hint.deadline": "Påkrevd for avgrensede prosjekter.",
    "hint.frame_hours": "Totalt, eller per måned for løpende prosjekter. F.eks. 120 eller 37,5.",
    "hint.budget": "F.eks. 150000 eller 150 000.",
    "hint.goals": "Ett mål per linje.",
    "hint.hours": "F.eks. 2,5t, 1t 30m eller 90m.",
    "hint.percent": "Hvor langt prosjektet er kommet, 0–100.",
    "hint.goal_title": "Finnes målet fra før, oppdateres det.",
    "history.title": "Historikk for {key} {name}",
    "history.empty": "Ingen endringer ennå.",
    "history.created": "opprettet prosjektet",
    "history.member_added": "ble med i prosjektet",
    "history.task_added": "la til oppgaven {new}",
    "history.task_done": "markerte oppgaven {new} som ferdig",
    "history.frame_changed": "endret {field}: {old} → {new}",
    "history.goal_added": "la til målet {new}",
    "history.goal_changed": "endret {field}: {old} → {new}",
    "history.state": "endret tilstand: {old} → {new}",
}

EN: dict[str, str] = {
    "help.title": "Prosjektbot – how to use /prosjekt",
    "help.body": (
        "*New project*  `/prosjekt new` opens a form, or in one line:\n"
        '`/prosjekt new "Website Fjordkraft" customer:"Fjordkraft AS" deadline:15.12.2026 hours:120 '
        "budget:150000 pm:@kari kind:fixed`\n"
        "*Log progress*  `/prosjekt log P-3 2.5h Wrote ad copy 40%`  (hours: `2.5h`, `1h 30m`, `90m`) · "
        "another day: `/prosjekt log P-3 2h date:yesterday Customer meeting` (`date:friday`, `date:27.11`)\n"
        "*Correct hours*  `/prosjekt hours` (your last 14 days: *Edit* · *Delete*) · `hours @ola` (PM, admin)\n"
        "*My hours*  `/prosjekt hours week`: your hours this week by day and by project (also at the top of *Home*)\n"
        "*Reminders*  `/prosjekt notifications off` · `notifications on`: your reminder to log hours (an admin turns "
        "it on in `settings`)\n"
        "*Status*  `/prosjekt status P-3`   *List*  `/prosjekt list` · `list mine` · `list all`\n"
        '*Task*  `/prosjekt task P-3 "Deliver report" deadline:friday owner:@ola`\n'
        "*Frames* (PM)  `/prosjekt frame P-3 hours:160 deadline:week 51`\n"
        "*Hourly rates* (PM)  `/prosjekt frame P-3 rate:1250 rate:@ola=1100` · default in `settings` · "
        "internal time: `/prosjekt log P-3 1h internal Team meeting`\n"
        "*Roll-over* (retainers, PM)  `/prosjekt frame P-3 rollover:yes` · `rollover:no` · "
        "`rollovercap:30` (% of the monthly frame, default 25) · `new … kind:retainer hours:20 rollover:yes`\n"
        '*Goal*  `/prosjekt goal P-3 "Organic traffic" target:10000 current:4500`\n'
        "*State* (PM)  `/prosjekt done P-3` · `pause P-3` · `reopen P-3`   *History*  `/prosjekt history P-3`\n"
        "*Weekly summary*  `/prosjekt summary` (this channel) · `summary portfolio` (all projects)\n"
        "*Routines*  `/prosjekt routines` · `routine show seo-oppstart` · "
        '`/prosjekt new "SEO Tine" customer:Tine deadline:15.03.2027 routine:seo-oppstart role:seo=@ola` · '
        '`routine save P-3 "Web shop launch"` (PM) · `routine edit NAME` (PM) · `routine export NAME`\n'
        '*Tasks*  `/prosjekt tasks P-3` · `/prosjekt log P-3 2h task:"Technical audit" Found 40 errors`\n'
        '*Export* (CSV and Excel by DM)  `/prosjekt export P-3 november` · `export customer:"Tine" week 48` · '
        "`export from:01.11.2026 to:15.11.2026` · `export all` (admin); without a period: this month\n"
        "*Monthly report*  `/prosjekt report P-3 november` · `… customer` (for the customer; `customer prices` with "
        "amounts) · `approve P-3 november` (PM) · `reopen P-3 november` (admin)\n"
        "*Settings* (admin)  `/prosjekt settings`   *From a message*  ⋮ → *Logg som fremdrift*"
    ),
    "help.footer": (
        "Name the project by key (P-3), by the start of its name, by its full name in quotes or with `project:…`, "
        "or leave it out when the channel has one active project. In `task` and `goal` a first word is the project "
        "only when it names exactly one project and more words follow; otherwise it starts the title (put the whole "
        "title in quotes to be sure). Dates: 15.12, 15.12.2026, tomorrow, friday, in 2 weeks, week 50."
    ),
    "command.unknown": "I don't know that command. Type `/prosjekt help` to see what you can do.",
    "action.unknown": "I no longer know that button. Type `/prosjekt status` for a fresh card.",
    "error.database": "The database is not answering right now. Nothing was saved; please try again shortly. (error id {error_id})",
    "error.unexpected": "Something went wrong on our side and nothing was saved. Please try again. (error id {error_id})",
    "error.you_wrote": "You wrote: `{text}`",
    "mention.reply": "Hi! I follow up the projects here. Type `/prosjekt help` to get started.",
    "kind.avgrenset": "Fixed",
    "kind.lopende": "Retainer",
    "state.active": "active",
    "state.paused": "paused",
    "state.delivered": "delivered",
    "state.changed.delivered": "{key} {name} is marked as delivered. 🎉",
    "state.changed.paused": "{key} {name} is paused.",
    "state.changed.active": "{key} {name} is reopened.",
    "state.already.delivered": "{key} {name} was already delivered.",
    "state.already.paused": "{key} {name} was already paused.",
    "state.already.active": "{key} {name} is already active.",
    "rights.pm_only": "Only the project manager (<@{pm}>) or an admin can change frames, deadlines and state.",
    "project.empty": "“{field}” cannot be empty.",
    "project.too_long": "“{field}” is too long (at most {limit} characters).",
    "project.name_like_key": "The name cannot look like a project key (P-12). Choose another name.",
    "project.name_taken": "There is already a project with that name ({key}). Choose another name.",
    "project.deadline_required": "A fixed project needs a deadline, e.g. deadline:15.12.2026.",
    "project.deadline_before_start": "The deadline cannot be before the start ({start}).",
    "project.deadline_past": "That deadline has already passed. Choose a date from today on.",
    "project.which": (
        "Which project? Give its key, e.g. `/prosjekt status P-3`, or the start of its name. "
        "Active projects in this channel: {choices}"
    ),
    "project.unknown": "Could not find the project “{ref}”. Give its key (P-3) or the start of its name; `/prosjekt list all` shows them all.",
    "project.ambiguous": "“{ref}” matches several projects: {choices}. Give the key, e.g. P-3.",
    "project.gone": "That project no longer exists in this workspace.",
    "project.is_delivered": "{key} is delivered. Reopen it with `/prosjekt reopen {key}` first.",
    "project.none_yet": "There are no active projects yet. Create one with `/prosjekt new`.",
    "new.customer_missing": 'Say which customer the project is for, e.g. customer:"Fjordkraft AS".',
    "new.kind_invalid": "Unknown kind “{value}”. Write kind:fixed or kind:retainer.",
    "new.created": "Created *{key}* {name} in <#{channel}>.",
    "log.hours_missing": "Give the hours first, e.g. `/prosjekt log P-3 2.5h Wrote ad copy 40%`.",
    "log.saved": "Logged {hours} on *{key}* {name} ({total} in all).",
    "task.added": "Added the task “{title}” to {key} (deadline {deadline}, owner {owner}).",
    "task.unknown": "No open task “{ref}” in the project. Give the start of its title, e.g. done:\"Deliver report\".",
    "task.ambiguous": "“{ref}” matches several tasks: {choices}. Give more of the title.",
    "task.deadline_past": "That deadline has already passed. Choose a date from today on.",
    "frame.nothing": "Say what to change, e.g. `/prosjekt frame P-3 hours:160 deadline:week 51`.",
    "frame.usage": "Give the frames as key:value, e.g. `/prosjekt frame P-3 hours:160 deadline:week 51 budget:200000`.",
    "frame.changed": "The frames of {key} are changed. See `/prosjekt history {key}`.",
    "frame.unchanged": "The frames of {key} already were so; nothing changed.",
    "goal.added": "Added the goal “{title}” to {key}.",
    "goal.updated": "Updated the goal “{title}” of {key}.",
    "goal.number_invalid": "Could not read the number “{value}”. Write e.g. 10000, 10 000 or 4.5.",
    "goal.title_missing": 'Give the goal a name, e.g. `/prosjekt goal P-3 "Organic traffic" target:10000 current:4500`.',
    "list.channel": "Projects in this channel",
    "list.mine": "My projects",
    "list.all": "All projects",
    "list.empty": "No active projects here. Create one with `/prosjekt new`.",
    "list.scope_invalid": "Write `/prosjekt list`, `/prosjekt list mine` or `/prosjekt list all`.",
    "card.about": "*Customer:* {customer} · *PM:* {pm} · {kind}",
    "card.hours": "*Hours:* {used} of {frame} ({pct}) `{bar}`",
    "card.hours_month": "*Hours this month:* {used} of {frame} ({pct}) `{bar}`",
    "card.hours_left": "{left} left",
    "card.hours_no_frame": "*Hours:* {used} logged (no hours frame)",
    "card.deadline": "*Time:* {start} → {deadline} ({pct} of the time used)",
    "card.started": "*Started:* {start}",
    "card.progress": "*Progress:* {pct} `{bar}`",
    "card.forecast": "*Forecast:* {hours} in all, done {finish}",
    "card.goals": "Goals",
    "card.next_deadlines": "Next deadlines",
    "card.more_tasks": "…and {count} tasks without a deadline",
    "card.cannot_post": (
        "I cannot post in <#{channel}>. Invite me there with `/invite @Prosjektbot`, then type "
        "`/prosjekt status {key}`."
    ),
    "button.log": "Log progress",
    "button.task": "New task",
    "button.frame": "Change frames",
    "button.deliver": "Mark delivered",
    "modal.new": "New project",
    "modal.log": "Log progress",
    "modal.task": "New task",
    "modal.frame": "Change frames",
    "modal.goal": "Goal",
    "modal.create": "Create",
    "modal.save": "Save",
    "modal.cancel": "Cancel",
    "modal.choose": "Choose",
    "modal.close": "Close",
    "modal.pick.status": "Project status",
    "modal.pick.history": "History",
    "modal.pick.done": "Mark delivered",
    "modal.pick.pause": "Pause project",
    "modal.pick.reopen": "Reopen project",
    "field.name": "Name",
    "field.customer": "Customer",
    "field.kind": "Kind",
    "field.channel": "Channel",
    "field.pm": "Project manager",
    "field.members": "Members",
    "field.start": "Start",
    "field.deadline": "Deadline",
    "field.hours": "Hours",
    "field.frame_minutes": "Hours frame",
    "field.budget": "Cost frame (NOK)",
    "field.budget_nok": "Cost frame (NOK)",
    "field.goals": "Goals",
    "field.goal": "Goal",
    "field.description": "What was done",
    "field.percent": "Complete (%)",
    "field.task": "Task",
    "field.task_done": "Task that got done",
    "field.title": "Title",
    "field.owner": "Owner",
    "field.target": "Target value",
    "field.current": "Current value",
    "field.target_value": "target value",
    "field.current_value": "current value",
    "field.project": "Project",
    "field.state": "state",
    "hint.kind": "Fixed: a set delivery and deadline. Retainer: an hours frame per month.",
    "hint.deadline": "Required for fixed projects.",
    "hint.frame_hours": "In all, or per month for retainers. E.g. 120 or 37.5.",
    "hint.budget": "E.g. 150000 or 150 000.",
    "hint.goals": "One goal per line.",
    "hint.hours": "E.g. 2.5h, 1h 30m or 90m.",
    "hint.percent": "How far the project has come, 0–100.",
    "hint.goal_title": "If the goal exists, it is updated.",
    "history.title": "History of {key} {name}",
    "history.empty": "No changes yet.",
    "history.created": "created the project",
    "history.member_added": "joined the project",
    "history.task_added": "added the task {new}",
    "history.task_done": "marked the task {new} as done",
    "history.frame_changed": "changed {field}: {old} → {new}",
    "history.goal_added": "added the goal {new}",
    "history.goal_changed": "changed {field}: {old} → {new}",
    "history.state": "changed state: {old} → {new}",
}
