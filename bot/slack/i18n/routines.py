"""Messages for routines (nb and en): what is wrong with a routine or its use, and date rules in words.

A RoutineError from a file also has a `line` and a `field` (`steps[4].date`): show it as
`t("routine.at_line", lang, line=…, field=…, reason=t(err.key, lang, **err.params))` (`routine.at_field`
without a line). `{name}` is the YAML field's name, `{value}` what was written, `{choices}`/`{known}` lists.
"""

NB: dict[str, str] = {
    "routine.at_line": "Linje {line} ({field}): {reason}",
    "routine.at_field": "{field}: {reason}",
    # the file
    "routine.file_too_large": "Filen er for stor (maks {max} tegn).",
    "routine.yaml_invalid": "Filen er ikke gyldig YAML. Sjekk innrykk, kolon og anførselstegn.",
    "routine.not_a_routine": "Filen er ikke en rutine. Den skal ha feltene name, title, kind og steps.",
    "routine.duplicate_key": "«{name}» står to ganger her. Skriv hvert felt bare én gang.",
    "routine.field_missing": "Feltet «{name}» mangler.",
    "routine.field_unknown": "Kjenner ikke feltet «{name}». Her kan du bruke {known}.",
    "routine.not_text": "«{name}» skal være tekst. Sett den i anførselstegn.",
    "routine.not_number": "«{name}» skal være et tall, f.eks. 2,5.",
    "routine.not_whole_number": "«{name}» skal være et helt tall, f.eks. 3.",
    "routine.not_list": "«{name}» skal være en liste: én linje per punkt, som begynner med «- ».",
    "routine.not_mapping": "«{name}» skal ha felt med navn og kolon, f.eks. «title: Oppstartsmøte».",
    "routine.text_empty": "«{name}» kan ikke være tom.",
    "routine.text_too_long": "«{name}» er for lang (maks {max} tegn).",
    "routine.number_min": "«{name}» må være minst {min} (over 0 for rammer).",
    "routine.number_max": "«{name}» kan være høyst {max}.",
    "routine.text_control": "«{name}» har et kontrolltegn eller linjeskift som ikke kan være der. Skriv vanlig tekst.",
    "routine.too_many": "«{name}» har for mange punkter (maks {max}).",
    "routine.value_invalid": "«{name}» har en verdi som ikke går.",
    # the routine
    "routine.name_invalid": (
        "Navnet «{value}» går ikke. Bruk små bokstaver a–z, tall og bindestrek, f.eks. seo-oppstart."
    ),
    "routine.key_invalid": (
        "Nøkkelen «{value}» går ikke. Bruk små bokstaver a–z, tall og understrek, f.eks. seo eller ga4."
    ),
    "routine.kind_invalid": "Kjenner ikke typen «{value}». Skriv avgrenset eller løpende.",
    "routine.question_type_invalid": "Kjenner ikke spørsmålstypen «{value}». Skriv yesno (ja/nei) eller choice (valg).",
    "routine.too_many_steps": "Rutinen har for mange steg (maks {max}). Del den i to rutiner.",
    "routine.no_steps": "Rutinen har ingen steg. Legg til minst ett under steps.",
    "routine.rule_invalid": (
        "Forstod ikke datoregelen «{value}». Skriv start+2 (arbeidsdager etter start), frist-5 (før frist), "
        "eller for løpende måned:3 eller måned:siste."
    ),
    "routine.rule_monthly_in_avgrenset": (
        "«{value}» gjentas hver måned, og det går bare i løpende rutiner. Bruk start+N eller frist-N."
    ),
    "routine.condition_invalid": "Forstod ikke vilkåret «{value}». Skriv f.eks. ga4 = nei eller ga4 != ja.",
    "routine.condition_unknown_question": (
        "Vilkåret gjelder spørsmålet «{question}», som ikke finnes. Spørsmålene er {known}."
    ),
    "routine.condition_value": "«{value}» er ikke et svar på «{question}». Svarene er {choices}.",
    "routine.role_unknown": "Rollen «{role}» finnes ikke. Rollene er {known}.",
    "routine.default_not_choice": "Standardsvaret «{value}» er ikke blant svarene {choices}.",
    "routine.choices_missing": "Spørsmålet «{key}» er et valg og trenger minst to svar under choices.",
    "routine.choices_not_allowed": "Spørsmålet «{key}» er ja/nei og kan ikke ha choices. Skriv type: choice.",
    "routine.choice_duplicate": "Spørsmålet «{key}» har samme svar to ganger.",
    "routine.duplicate_step": "Steget «{title}» står to ganger. Gi stegene ulike navn.",
    "routine.duplicate_question": "Spørsmålet «{key}» står to ganger. Gi spørsmålene ulike nøkler.",
    # the editor (`rutine rediger`): one item per line
    "routine.edit.at_line": "Linje {line}: {reason}",
    "routine.edit.role_line": "Skriv én rolle per linje: nøkkelen, kolon og navnet, f.eks. «seo: SEO-spesialist».",
    "routine.edit.role_twice": "Rollen «{key}» står to ganger. Skriv hver rolle bare én gang.",
    "routine.edit.question_line": (
        "Skriv ett spørsmål per linje, f.eks. «ga4: Har kunden GA4 satt opp? | ja/nei | standard: nei» eller "
        "«plattform: Hvilken plattform? | valg: Shopify, WooCommerce | standard: Shopify»."
    ),
    "routine.edit.question_default": "Spørsmålet «{key}» mangler standardsvar. Skriv f.eks. «| standard: nei» til slutt.",
    "routine.edit.step_line": (
        "Skriv ett steg per linje: tittel | rolle | timer | datoregel | når spørsmål = svar, "
        "f.eks. «Teknisk revisjon | seo | 6 t | start+2 | når ga4 = nei»."
    ),
    "routine.edit.step_date": (
        "Steget mangler datoregel. Skriv f.eks. «Teknisk revisjon | seo | 6 t | start+2» (eller frist-5, "
        "måned:3 for løpende)."
    ),
    "routine.edit.description_first": (
        "En linje som begynner med «>» er beskrivelsen til steget over, men her er det ikke noe steg over."
    ),
    "routine.edit.hours": "Skriv timerammen som et tall, f.eks. 40 eller 12,5 (for løpende: per måned).",
    # using it
    "routine.deadline_needed": (
        "Rutinen «{routine}» har steg som regnes fra fristen. Sett en frist, f.eks. frist:15.03.2027."
    ),
    "routine.answer_unknown_question": "Rutinen har ikke spørsmålet «{question}». Spørsmålene er {known}.",
    "routine.answer_invalid": "«{value}» er ikke et svar på «{question}». Velg {choices}.",
    "routine.clamped": "komprimert",
    "routine.condition.is": "når «{question}» er {value}",
    "routine.condition.is_not": "når «{question}» ikke er {value}",
    "routine.answer.ja": "ja",
    "routine.answer.nei": "nei",
    "routine.question_type.yesno": "ja/nei",
    "routine.question_type.choice": "valg",
    # date rules in words
    "routine.rule.start_0": "på startdagen",
    "routine.rule.start_1": "1 arbeidsdag etter start",
    "routine.rule.start": "{n} arbeidsdager etter start",
    "routine.rule.deadline_0": "på fristen",
    "routine.rule.deadline_1": "1 arbeidsdag før frist",
    "routine.rule.deadline": "{n} arbeidsdager før frist",
    "routine.rule.month": "{n}. arbeidsdag hver måned",
    "routine.rule.month_last": "siste arbeidsdag hver måned",
    "routine.rule.month_before_last": "{n}. siste arbeidsdag hver måned",
}

EN: dict[str, str] = {
    "routine.at_line": "Line {line} ({field}): {reason}",
    "routine.at_field": "{field}: {reason}",
    # the file
    "routine.file_too_large": "The file is too large (max {max} characters).",
    "routine.yaml_invalid": "The file isn't valid YAML. Check indentation, colons and quotes.",
    "routine.not_a_routine": "The file isn't a routine. It must have the fields name, title, kind and steps.",
    "routine.duplicate_key": "“{name}” appears twice here. Write each field only once.",
    "routine.field_missing": "The field “{name}” is missing.",
    "routine.field_unknown": "Unknown field “{name}”. Here you can use {known}.",
    "routine.not_text": "“{name}” must be text. Put it in quotes.",
    "routine.not_number": "“{name}” must be a number, e.g. 2.5.",
    "routine.not_whole_number": "“{name}” must be a whole number, e.g. 3.",
    "routine.not_list": "“{name}” must be a list: one line per item, starting with “- ”.",
    "routine.not_mapping": "“{name}” must have named fields with colons, e.g. “title: Kick-off meeting”.",
    "routine.text_empty": "“{name}” can't be empty.",
    "routine.text_too_long": "“{name}” is too long (max {max} characters).",
    "routine.number_min": "“{name}” must be at least {min} (above 0 for frames).",
    "routine.number_max": "“{name}” can be at most {max}.",
    "routine.text_control": "“{name}” has a control character or line break that can't be there. Write plain text.",
    "routine.too_many": "“{name}” has too many items (max {max}).",
    "routine.value_invalid": "“{name}” has a value that won't do.",
    # the routine
    "routine.name_invalid": (
        "The name “{value}” won't do. Use lower-case a–z, digits and hyphens, e.g. seo-startup."
    ),
    "routine.key_invalid": (
        "The key “{value}” won't do. Use lower-case a–z, digits and underscores, e.g. seo or ga4."
    ),
    "routine.kind_invalid": "Unknown kind “{value}”. Write avgrenset (fixed) or løpende (running).",
    "routine.question_type_invalid": "Unknown question type “{value}”. Write yesno or choice.",
    "routine.too_many_steps": "The routine has too many steps (max {max}). Split it into two routines.",
    "routine.no_steps": "The routine has no steps. Add at least one under steps.",
    "routine.rule_invalid": (
        "Couldn't read the date rule “{value}”. Write start+2 (working days after the start), deadline-5 "
        "(before the deadline), or for running routines month:3 or month:last."
    ),
    "routine.rule_monthly_in_avgrenset": (
        "“{value}” repeats every month, which only running (løpende) routines can do. Use start+N or deadline-N."
    ),
    "routine.condition_invalid": "Couldn't read the condition “{value}”. Write e.g. ga4 = nei or ga4 != ja.",
    "routine.condition_unknown_question": (
        "The condition is about the question “{question}”, which doesn't exist. The questions are {known}."
    ),
    "routine.condition_value": "“{value}” isn't an answer to “{question}”. The answers are {choices}.",
    "routine.role_unknown": "The role “{role}” doesn't exist. The roles are {known}.",
    "routine.default_not_choice": "The default answer “{value}” isn't among the answers {choices}.",
    "routine.choices_missing": "The question “{key}” is a choice and needs at least two answers under choices.",
    "routine.choices_not_allowed": "The question “{key}” is yes/no and can't have choices. Write type: choice.",
    "routine.choice_duplicate": "The question “{key}” has the same answer twice.",
    "routine.duplicate_step": "The step “{title}” appears twice. Give the steps different titles.",
    "routine.duplicate_question": "The question “{key}” appears twice. Give the questions different keys.",
    # the editor (`routine edit`): one item per line
    "routine.edit.at_line": "Line {line}: {reason}",
    "routine.edit.role_line": "Write one role per line: the key, a colon and the name, e.g. “seo: SEO specialist”.",
    "routine.edit.role_twice": "The role “{key}” appears twice. Write each role only once.",
    "routine.edit.question_line": (
        "Write one question per line, e.g. “ga4: Has the customer set up GA4? | yes/no | default: nei” or "
        "“platform: Which platform? | choice: Shopify, WooCommerce | default: Shopify”."
    ),
    "routine.edit.question_default": "The question “{key}” has no default answer. Add e.g. “| default: nei” at the end.",
    "routine.edit.step_line": (
        "Write one step per line: title | role | hours | date rule | when question = answer, "
        "e.g. “Technical audit | seo | 6 h | start+2 | when ga4 = nei”."
    ),
    "routine.edit.step_date": (
        "The step has no date rule. Write e.g. “Technical audit | seo | 6 h | start+2” (or deadline-5, "
        "month:3 for running routines)."
    ),
    "routine.edit.description_first": (
        "A line starting with “>” is the description of the step above it, but there is no step above it here."
    ),
    "routine.edit.hours": "Write the hours frame as a number, e.g. 40 or 12.5 (for running routines: per month).",
    # using it
    "routine.deadline_needed": (
        "The routine “{routine}” has steps counted from the deadline. Set a deadline, e.g. deadline:15.03.2027."
    ),
    "routine.answer_unknown_question": "The routine has no question “{question}”. The questions are {known}.",
    "routine.answer_invalid": "“{value}” isn't an answer to “{question}”. Choose {choices}.",
    "routine.clamped": "compressed",
    "routine.condition.is": "when “{question}” is {value}",
    "routine.condition.is_not": "when “{question}” is not {value}",
    "routine.answer.ja": "yes",
    "routine.answer.nei": "no",
    "routine.question_type.yesno": "yes/no",
    "routine.question_type.choice": "choice",
    # date rules in words
    "routine.rule.start_0": "on the start day",
    "routine.rule.start_1": "1 working day after the start",
    "routine.rule.start": "{n} working days after the start",
    "routine.rule.deadline_0": "on the deadline",
    "routine.rule.deadline_1": "1 working day before the deadline",
    "routine.rule.deadline": "{n} working days before the deadline",
    "routine.rule.month": "working day {n} of each month",
    "routine.rule.month_last": "the last working day of each month",
    "routine.rule.month_before_last": "working day {n} from the end of each month",
}
