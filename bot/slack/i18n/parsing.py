"""Messages for parsing (nb and en): what was wrong, and how to write it.

`{value}` is the user's text, truncated and Slack-escaped by bot.domain.parsing; numbers are passed raw to `t()`.
"""

NB: dict[str, str] = {
    "parse.too_long": "Teksten er for lang ({length} tegn, maks {max}). Del den opp i flere kommandoer.",
    "parse.unbalanced_quote": (
        "Et anførselstegn mangler slutt: {value}. Sett tekst med mellomrom mellom to anførselstegn, "
        'f.eks. kunde:"Fjordkraft AS".'
    ),
    "parse.unknown_key": (
        "Kjenner ikke «{key}:». Her kan du bruke {known}. Skal teksten ha kolon, sett den i anførselstegn."
    ),
    "parse.duplicate_key": "«{key}:» står to ganger. Skriv hvert felt bare én gang.",
    "parse.empty_value": (
        '«{key}:» mangler verdi. Skriv verdien rett etter kolonet, f.eks. {key}:verdi eller {key}:"to ord".'
    ),
    "parse.hours_invalid": "Forstod ikke timene «{value}». Skriv f.eks. 2,5t, 1t 30m, 90m eller 1:30.",
    "parse.hours_range": "«{value}» går ikke: én føring må være over 0 og høyst {max} timer, f.eks. 7,5t.",
    "parse.frame_hours_invalid": (
        "Forstod ikke timerammen «{value}». Skriv antall timer, f.eks. 120, 37,5 eller 1 500."
    ),
    "parse.frame_hours_range": "Timerammen «{value}» går ikke: den må være over 0 og høyst {max} timer.",
    "parse.nok_invalid": (
        "Forstod ikke beløpet «{value}». Skriv kroner, f.eks. 150000, 150 000 kr, 150k eller 1,5 mill."
    ),
    "parse.nok_range": "Beløpet «{value}» går ikke: det må være over 0 og høyst {max} kr.",
    "parse.percent_invalid": "Forstod ikke prosenten «{value}». Skriv et tall fra 0 til 100, f.eks. 40%.",
    "parse.percent_range": "«{value}» går ikke: prosent må være fra 0 til 100, f.eks. 40%.",
    "parse.date_unknown": (
        "Forstod ikke datoen «{value}». Skriv f.eks. 15.12, 15.12.2026, 2026-12-15, i morgen, fredag, "
        "om 2 uker eller uke 50."
    ),
    "parse.date_invalid": (
        "Datoen «{value}» finnes ikke. Sjekk dag, måned og år (2000–2100), f.eks. 28.02 eller 15.12.2026."
    ),
    "parse.user_missing": "Mangler person. Skriv @ og velg personen i lista, f.eks. @kari.",
    "parse.user_not_mention": (
        "«{value}» er ikke en person Slack kjenner igjen. "
        "Skriv @ og velg personen i lista, så blir navnet blått."
    ),
    "parse.channel_missing": "Mangler kanal. Skriv # og velg kanalen i lista, f.eks. #kunde-fjordkraft.",
    "parse.channel_not_mention": (
        "«{value}» er ikke en kanal Slack kjenner igjen. "
        "Skriv # og velg kanalen i lista, så blir den en lenke."
    ),
}

EN: dict[str, str] = {
    "parse.too_long": (
        "The text is too long ({length} characters, max {max}). Split it into several commands."
    ),
    "parse.unbalanced_quote": (
        "A quote is never closed: {value}. Put text with spaces between two quotes, "
        'e.g. customer:"Fjordkraft AS".'
    ),
    "parse.unknown_key": (
        "Unknown field “{key}:”. Here you can use {known}. If the text needs a colon, put it in quotes."
    ),
    "parse.duplicate_key": "“{key}:” is given twice. Write each field only once.",
    "parse.empty_value": (
        '“{key}:” has no value. Write it right after the colon, e.g. {key}:value or {key}:"two words".'
    ),
    "parse.hours_invalid": "Couldn't read the hours “{value}”. Write e.g. 2.5h, 1h 30m, 90m or 1:30.",
    "parse.hours_range": (
        "“{value}” won't do: one entry must be more than 0 and at most {max} hours, e.g. 7.5h."
    ),
    "parse.frame_hours_invalid": (
        "Couldn't read the hours frame “{value}”. Write a number of hours, e.g. 120, 37.5 or 1 500."
    ),
    "parse.frame_hours_range": (
        "The hours frame “{value}” won't do: it must be more than 0 and at most {max} hours."
    ),
    "parse.nok_invalid": (
        "Couldn't read the amount “{value}”. Write kroner, e.g. 150000, 150 000 kr, 150k or 1.5m."
    ),
    "parse.nok_range": "The amount “{value}” won't do: it must be more than 0 and at most NOK {max}.",
    "parse.percent_invalid": "Couldn't read the percentage “{value}”. Write a number 0 to 100, e.g. 40%.",
    "parse.percent_range": "“{value}” won't do: a percentage must be from 0 to 100, e.g. 40%.",
    "parse.date_unknown": (
        "Couldn't read the date “{value}”. Write e.g. 15.12, 15.12.2026, 2026-12-15, tomorrow, friday, "
        "in 2 weeks or week 50."
    ),
    "parse.date_invalid": (
        "The date “{value}” doesn't exist. Check day, month and year (2000–2100), e.g. 28.02 or 15.12.2026."
    ),
    "parse.user_missing": "No person given. Type @ and pick the person from the list, e.g. @kari.",
    "parse.user_not_mention": (
        "“{value}” isn't a person Slack recognises. "
        "Type @ and pick the person from the list so the name turns blue."
    ),
    "parse.channel_missing": (
        "No channel given. Type # and pick the channel from the list, e.g. #client-fjordkraft."
    ),
    "parse.channel_not_mention": (
        "“{value}” isn't a channel Slack recognises. "
        "Type # and pick the channel from the list so it becomes a link."
    ),
}
