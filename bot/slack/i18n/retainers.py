"""Messages for retainers month by month (nb and en): roll-over on the card and in commands, the pace alerts."""

NB: dict[str, str] = {
    "card.hours_rollover": "*Denne måneden:* {used} av {frame} {carried} ({pct}) `{bar}`",
    "card.carried_in": "+ {hours} overført",
    "card.carried_out": "− {hours} overført",
    "rollover.on": "på",
    "rollover.off": "av",
    "field.rollover": "Overføring",
    "field.rollover_cap_pct": "Overføringstak",
    "field.rollover_option": "Overfør ubrukte timer (og overforbruk) til neste måned",
    "hint.rollover": "Bare for løpende prosjekter. Taket er 25 % av månedsrammen hvis du ikke setter et annet.",
    "rollover.invalid": "«{value}» går ikke for overføring: skriv overføring:ja eller overføring:nei.",
    "rollover.cap_invalid": (
        "Overføringstaket «{value}» går ikke: skriv en hel prosent fra 0 til 100 av månedsrammen, "
        "f.eks. overføringstak:30 (standard er 25)."
    ),
    "rollover.not_lopende": (
        "Overføring gjelder bare løpende prosjekter (en timeramme per måned); {key} er avgrenset. "
        "Gjør det løpende med type:løpende når du lager det, eller la være å bruke overføring."
    ),
    "rollover.not_lopende_new": (
        "Overføring gjelder bare løpende prosjekter. Skriv type:løpende sammen med overføring:ja."
    ),
    "followup.pace_high": "🔥 *For høyt tempo* i {subject}: {used} brukt, på vei mot {projected} av {frame} denne måneden",
    "followup.pace_high.detail": (
        "{pm}, med dette tempoet går månedsrammen ut før måneden er omme. Juster innsatsen eller snakk med kunden."
    ),
    "followup.pace_low": (
        "📉 *Risiko for underleveranse* i {subject}: {used} brukt, på vei mot {projected} av {frame} denne måneden"
    ),
    "followup.pace_low.detail": "{pm}, kunden betaler for timer som ikke leveres. Planlegg resten av måneden.",
    "settings.rule.pace": "Tempo i løpende prosjekter (for høyt / risiko for underleveranse)",
    "field.pace_over_pct": "For høyt tempo: prognose over månedsrammen med mer enn (%)",
    "field.pace_under_pct": "Underleveranse: prognose under (% av månedsrammen)",
}

EN: dict[str, str] = {
    "card.hours_rollover": "*This month:* {used} of {frame} {carried} ({pct}) `{bar}`",
    "card.carried_in": "+ {hours} carried over",
    "card.carried_out": "− {hours} carried over",
    "rollover.on": "on",
    "rollover.off": "off",
    "field.rollover": "Roll-over",
    "field.rollover_cap_pct": "Roll-over cap",
    "field.rollover_option": "Carry unused hours (and overruns) into the next month",
    "hint.rollover": "Retainers only. The cap is 25% of the monthly frame unless you set another.",
    "rollover.invalid": "“{value}” doesn't work for roll-over: write rollover:yes or rollover:no.",
    "rollover.cap_invalid": (
        "The roll-over cap “{value}” doesn't work: write a whole percent from 0 to 100 of the monthly frame, "
        "e.g. rollovercap:30 (the default is 25)."
    ),
    "rollover.not_lopende": (
        "Roll-over is for retainers only (an hours frame per month); {key} is a fixed project. "
        "Make it a retainer with kind:retainer when you create it, or leave roll-over out."
    ),
    "rollover.not_lopende_new": "Roll-over is for retainers only. Write kind:retainer together with rollover:yes.",
    "followup.pace_high": "🔥 *Pace too high* in {subject}: {used} used, heading for {projected} of {frame} this month",
    "followup.pace_high.detail": (
        "{pm}, at this pace the month's frame runs out before the month does. Adjust the effort or talk to the "
        "customer."
    ),
    "followup.pace_low": (
        "📉 *Risk of under-delivery* in {subject}: {used} used, heading for {projected} of {frame} this month"
    ),
    "followup.pace_low.detail": "{pm}, the customer pays for hours that are not being delivered. Plan the rest of "
                                "the month.",
    "settings.rule.pace": "Pace of retainers (too high / risk of under-delivery)",
    "field.pace_over_pct": "Pace too high: forecast over the month's frame by more than (%)",
    "field.pace_under_pct": "Under-delivery: forecast below (% of the month's frame)",
}
