"""Messages for hourly rates and cost (nb and en): bad rates, the card's cost line, cost health, the cost alert."""

NB: dict[str, str] = {
    "rate.invalid": (
        "Timeprisen «{value}» går ikke: skriv hele kroner per time over 0 (høyst {max}), f.eks. timepris:1250, "
        "eller for én person timepris:@ola=1100."
    ),
    "rate.invalid_form": "Timeprisen «{value}» går ikke: skriv hele kroner per time over 0 (høyst {max}), f.eks. 1250.",
    "rate.twice": (
        "Timeprisen står to ganger. Skriv prosjektets timepris én gang (timepris:1250) og hver persons én gang "
        "(timepris:@ola=1100)."
    ),
    "rate.person_invalid": (
        "«{value}» er ikke en person Slack kjenner igjen. Skriv timepris:@ola=1100, og velg personen i lista "
        "når du skriver @."
    ),
    "rate.person_not_in_project": (
        "<@{person}> er ikke med i {key}. Egen timepris kan bare settes for prosjektlederen, medlemmer og dem som "
        "har oppgaver i prosjektet (en person blir med ved å logge timer eller få en oppgave)."
    ),
    "rate.person_not_in_new_project": (
        "<@{person}> er ikke med i prosjektet. Legg personen til som medlem (medlemmer:@ola) for å gi egen timepris."
    ),
    "rate.person_not_in_project_form": (
        "Personen er ikke med i {key}. Egen timepris kan bare settes for prosjektlederen, medlemmer og dem som har "
        "oppgaver i prosjektet."
    ),
    "rate.person_not_in_new_project_form": (
        "Personen er ikke med i prosjektet. Velg personen som prosjektleder eller medlem for å gi egen timepris."
    ),
    "rate.person_twice_form": "Personen står to ganger. Gi hver person én timepris.",
    "rate.person_missing_form": "Velg personen timeprisen gjelder, eller tøm timeprisen.",
    "field.rate_person": "Egen timepris {n}: person",
    "field.rate_person_nok": "Egen timepris {n}: kr per time",
    "hint.person_rate": "Personens timepris i prosjektet i stedet for prosjektets, f.eks. 1100. Tom: prosjektets.",
    "log.internal": "Intern tid: teller som timer, ikke som kostnad.",
    "card.cost": "*Kostnad:* {cost} av {budget} ({pct}) `{bar}`",
    "card.cost_month": "*Kostnad denne måneden:* {cost} av {budget} ({pct}) `{bar}`",
    "card.cost_no_rate": "*Kostnadsramme:* {budget} · ingen timepris satt (`/prosjekt ramme {key} timepris:1250`)",
    "card.cost_no_frame": "*Kostnad:* {cost} (ingen kostnadsramme)",
    "field.rate": "Timepris",
    "field.rate_nok": "Timepris (kr)",
    "field.person_rate": "timepris for person",
    "field.default_rate": "Standard timepris (kr)",
    "field.default_rate_nok": "Standard timepris (kr)",
    "field.billable": "Fakturering",
    "field.internal": "Ikke fakturerbar (intern tid)",
    "hint.rate": "Kroner per time, f.eks. 1250. Tomt: arbeidsområdets standard timepris.",
    "hint.default_rate": "Kroner per time for prosjekter uten egen timepris, f.eks. 1100. Tomt: ingen.",
    "health.cost_exhausted": "Kostnadsrammen er brukt opp: {cost} av {budget}\u00a0kr ({pct}\u00a0%)",
    "health.cost_high": "{pct}\u00a0% av kostnadsrammen brukt",
    "followup.cost": "💰 *{threshold} % av kostnadsrammen er brukt* i {subject}: {cost} av {budget}",
    "followup.cost.detail": "Timer {used} av {frame} · fremdrift {progress} %",
    "summary.cost": "*Kostnad:* `{bar}` {pct} ({cost} av {budget})",
    "summary.cost_month": "*Kostnad denne måneden:* `{bar}` {pct} ({cost} av {budget})",
}

EN: dict[str, str] = {
    "rate.invalid": (
        "The rate “{value}” does not work: give whole kroner an hour above 0 (at most {max}), e.g. rate:1250, "
        "or for one person rate:@ola=1100."
    ),
    "rate.invalid_form": "The rate “{value}” does not work: give whole kroner an hour above 0 (at most {max}), e.g. 1250.",
    "rate.twice": (
        "The rate is given twice. Give the project's rate once (rate:1250) and each person's once "
        "(rate:@ola=1100)."
    ),
    "rate.person_invalid": (
        "“{value}” is not a person Slack recognises. Write rate:@ola=1100, and pick the person from the list as "
        "you type @."
    ),
    "rate.person_not_in_project": (
        "<@{person}> is not in {key}. An own rate can only be set for the project manager, members and those with "
        "tasks in the project (a person joins by logging hours or getting a task)."
    ),
    "rate.person_not_in_new_project": (
        "<@{person}> is not in the project. Add them as a member (members:@ola) to give them their own rate."
    ),
    "rate.person_not_in_project_form": (
        "This person is not in {key}. An own rate can only be set for the project manager, members and those with "
        "tasks in the project."
    ),
    "rate.person_not_in_new_project_form": (
        "This person is not in the project. Choose them as project manager or member to give them their own rate."
    ),
    "rate.person_twice_form": "This person is there twice. Give each person one rate.",
    "rate.person_missing_form": "Choose the person the rate is for, or empty the rate.",
    "field.rate_person": "Own rate {n}: person",
    "field.rate_person_nok": "Own rate {n}: NOK an hour",
    "hint.person_rate": "The person's rate on this project instead of the project's, e.g. 1100. Empty: the project's.",
    "log.internal": "Internal time: counts as hours, not as cost.",
    "card.cost": "*Cost:* {cost} of {budget} ({pct}) `{bar}`",
    "card.cost_month": "*Cost this month:* {cost} of {budget} ({pct}) `{bar}`",
    "card.cost_no_rate": "*Cost frame:* {budget} · no hourly rate set (`/prosjekt frame {key} rate:1250`)",
    "card.cost_no_frame": "*Cost:* {cost} (no cost frame)",
    "field.rate": "Hourly rate",
    "field.rate_nok": "Hourly rate (NOK)",
    "field.person_rate": "a person's hourly rate",
    "field.default_rate": "Default hourly rate (NOK)",
    "field.default_rate_nok": "Default hourly rate (NOK)",
    "field.billable": "Billing",
    "field.internal": "Not billable (internal time)",
    "hint.rate": "Kroner an hour, e.g. 1250. Empty: the workspace's default rate.",
    "hint.default_rate": "Kroner an hour for projects without their own rate, e.g. 1100. Empty: none.",
    "health.cost_exhausted": "Cost frame used up: NOK {cost} of {budget} ({pct}%)",
    "health.cost_high": "{pct}% of the cost frame used",
    "followup.cost": "💰 *{threshold}% of the cost frame is used* in {subject}: {cost} of {budget}",
    "followup.cost.detail": "Hours {used} of {frame} · progress {progress}%",
    "summary.cost": "*Cost:* `{bar}` {pct} ({cost} of {budget})",
    "summary.cost_month": "*Cost this month:* `{bar}` {pct} ({cost} of {budget})",
}
