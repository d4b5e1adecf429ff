"""Feedback texts of the workshop checks, in Dutch and English.

One entry per exercise and outcome. ``{name}`` fields are filled in by :mod:`cxlib.workshop.checks`
(numbers in the language's format, lists joined with commas); text between backticks is shown as
code. A failing message says what is off and gives a hint, never the answer itself.
"""
from __future__ import annotations

TITLES = {
    "intro_nps": {"en": "Warm-up: the NPS of 2026-Q3", "nl": "Opwarmer: de NPS van 2026-Q3"},
    "kpi_choice": {"en": "Exercise 1a: a few KPIs that serve the goals",
                   "nl": "Opdracht 1a: een paar KPI's die de doelen dienen"},
    "goal_at_risk": {"en": "Exercise 1b: judge the baseline on the interval",
                     "nl": "Opdracht 1b: beoordeel de nulmeting op het interval"},
    "data_rejected": {"en": "Exercise 2a: what the validation set aside",
                      "nl": "Opdracht 2a: wat de validatie apart zette"},
    "behaviour_team": {"en": "Exercise 2b: observing behaviour", "nl": "Opdracht 2b: gedrag observeren"},
    "hidden_segment": {"en": "Exercise 3a: the segment behind a flat score",
                       "nl": "Opdracht 3a: het segment achter een vlakke score"},
    "peak_week": {"en": "Exercise 3b: the peak week", "nl": "Opdracht 3b: de piekweek"},
    "training": {"en": "Exercise 4a: who gets a training?", "nl": "Opdracht 4a: wie krijgt een training?"},
    "common_thread": {"en": "Exercise 4b: ten customers, one common thread",
                      "nl": "Opdracht 4b: tien klanten, één rode draad"},
    "noise": {"en": "Exercise 5a: signal or noise?", "nl": "Opdracht 5a: signaal of ruis?"},
    "action_effect": {"en": "Exercise 5b: done is not the same as effective",
                      "nl": "Opdracht 5b: afgerond is nog niet effectief"},
}

HEADINGS = {
    "pass": {"en": "Well done!", "nl": "Goed gedaan!"},
    "fail": {"en": "Not quite yet", "nl": "Nog niet helemaal"},
    "unanswered": {"en": "Not answered yet", "nl": "Nog niet beantwoord"},
}

COMMON = {
    "unanswered": {
        "en": "Replace the `...` in `answer = ...` with your answer and run this cell again. Take your "
              "time: the exercise is the thinking, not the typing.",
        "nl": "Vervang de `...` in `answer = ...` door je antwoord en voer deze cel opnieuw uit. Neem de "
              "tijd: het gaat om het denkwerk, niet om het typen.",
    },
}

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "intro_nps": {
        "number": {
            "en": "The answer should be one number: the NPS in points (−100 to 100), for example `answer = 12.3`. "
                  "You gave {given}.",
            "nl": "Het antwoord is één getal: de NPS in punten (−100 tot 100), bijvoorbeeld `answer = 12.3`. "
                  "Je gaf {given}.",
        },
        "fraction": {
            "en": "Close, but on the wrong scale: the NPS is expressed in points from −100 to 100, not as a "
                  "fraction. Multiply by 100.",
            "nl": "Bijna, maar op de verkeerde schaal: de NPS wordt uitgedrukt in punten van −100 tot 100, niet "
                  "als fractie. Vermenigvuldig met 100.",
        },
        "share": {
            "en": "{given} looks like the share of promoters in 2026-Q3. The NPS subtracts the share of "
                  "detractors from it: read the `value` column.",
            "nl": "{given} lijkt het aandeel promotors in 2026-Q3. De NPS trekt daar het aandeel criticasters "
                  "van af: lees de kolom `value`.",
        },
        "other_quarter": {
            "en": "That is the NPS of {period}. The question is about 2026-Q3: find the row whose `period` "
                  "is 2026-Q3.",
            "nl": "Dat is de NPS van {period}. De vraag gaat over 2026-Q3: zoek de rij met `period` 2026-Q3.",
        },
        "off": {
            "en": "{given} is not the NPS of 2026-Q3. Compute `cx.nps(bundle.responses, period=\"quarter\")` "
                  "and read `value` in the row of 2026-Q3.",
            "nl": "{given} is niet de NPS van 2026-Q3. Bereken `cx.nps(bundle.responses, period=\"quarter\")` "
                  "en lees `value` in de rij van 2026-Q3.",
        },
        "pass": {
            "en": "The NPS of 2026-Q3 is {value} points, on n = {n} answers, with a 95% interval of {low} to "
                  "{high}. Keep reading numbers this way: value, n and interval together.",
            "nl": "De NPS van 2026-Q3 is {value} punten, op n = {n} antwoorden, met een 95%-interval van {low} "
                  "tot {high}. Lees getallen voortaan zo: waarde, n en interval samen.",
        },
    },
    "kpi_choice": {
        "format": {
            "en": "Give a dictionary with one entry per goal and a list of KPI keys, e.g. "
                  "`{{\"Lower churn\": [\"...\"], ...}}`. The goals are: {goals}.",
            "nl": "Geef een dictionary met per doel een lijst KPI-sleutels, bijv. "
                  "`{{\"Lower churn\": [\"...\"], ...}}`. De doelen zijn: {goals}.",
        },
        "unknown_goal": {
            "en": "I do not know the goal {goal}. Use the goal names of goals.yaml: {goals}.",
            "nl": "Het doel {goal} ken ik niet. Gebruik de doelnamen uit goals.yaml: {goals}.",
        },
        "missing_goal": {
            "en": "Every goal needs at least one KPI; {goal} has none yet. A goal without a KPI cannot be "
                  "steered.",
            "nl": "Elk doel heeft minstens één KPI nodig; {goal} heeft er nog geen. Op een doel zonder KPI kun "
                  "je niet sturen.",
        },
        "unknown_kpi": {
            "en": "{kpi} is not a key of the KPI catalogue. Use the `kpi` column of the catalogue: {known}.",
            "nl": "{kpi} is geen sleutel uit de KPI-catalogus. Gebruik de kolom `kpi` van de catalogus: {known}.",
        },
        "management_kpi": {
            "en": "{kpi} counts how well we follow up our own actions. That matters, but it is no customer "
                  "outcome: it belongs in the monitoring step (step 5), not among the goal KPIs.",
            "nl": "{kpi} telt hoe goed we onze eigen acties afmaken. Belangrijk, maar geen klantresultaat: "
                  "het hoort in de monitoringstap (stap 5), niet bij de doel-KPI's.",
        },
        "per_goal": {
            "en": "{goal} has {count} KPIs. Keep it to three per goal at most: which ones would you really "
                  "steer on?",
            "nl": "{goal} heeft {count} KPI's. Houd het op hooguit drie per doel: op welke zou je echt sturen?",
        },
        "too_many": {
            "en": "You chose {count} different KPIs: that is the classic pitfall of too many KPIs. Nobody can "
                  "steer on {count} numbers at once. Keep at most {limit}: drop the ones that only repeat "
                  "what another KPI already tells you.",
            "nl": "Je koos {count} verschillende KPI's: de klassieke valkuil van te veel KPI's. Niemand stuurt "
                  "op {count} getallen tegelijk. Houd er hooguit {limit}: laat de KPI's vallen die alleen "
                  "herhalen wat een andere al vertelt.",
        },
        "fit": {
            "en": "{kpi} does not measure what {goal} is about. Ask of each KPI: if it moves, does this goal "
                  "move with it? Read the `measures` column of the catalogue.",
            "nl": "{kpi} meet niet waar {goal} over gaat. Vraag bij elke KPI: als deze beweegt, beweegt dit "
                  "doel dan mee? Lees de kolom `measures` van de catalogus.",
        },
        "pass": {
            "en": "A focused set: {count} KPIs, each serving its goal. Now every KPI needs a target and an "
                  "owner, and the rest of the catalogue stays available for analysis without being steered on.",
            "nl": "Een gerichte set: {count} KPI's, elk in dienst van een doel. Nu heeft elke KPI een "
                  "streefwaarde en een eigenaar nodig; de rest van de catalogus blijft beschikbaar voor "
                  "analyse zonder erop te sturen.",
        },
    },
    "goal_at_risk": {
        "format": {
            "en": "Give a list of KPI keys, e.g. `[\"nps\"]`, or an empty list `[]` if none is at risk.",
            "nl": "Geef een lijst KPI-sleutels, bijv. `[\"nps\"]`, of een lege lijst `[]` als er geen enkele "
                  "risico loopt.",
        },
        "unknown": {
            "en": "{kpi} is not one of the goals' KPIs. Choose from: {known}.",
            "nl": "{kpi} is geen KPI van de doelen. Kies uit: {known}.",
        },
        "extra_met": {
            "en": "{kpi}: its whole interval lies on the good side of the target, so it is met, not at risk. "
                  "Compare both ends of the interval with the target.",
            "nl": "{kpi}: het hele interval ligt aan de goede kant van de streefwaarde, dus die is gehaald, "
                  "niet in gevaar. Vergelijk beide grenzen van het interval met de streefwaarde.",
        },
        "extra_missed": {
            "en": "{kpi}: its whole interval lies on the wrong side of the target, so it is missed: the data "
                  "leave no doubt. 'At risk' means the interval straddles the target.",
            "nl": "{kpi}: het hele interval ligt aan de verkeerde kant van de streefwaarde, dus die is gemist: "
                  "de data laten geen twijfel. 'In gevaar' betekent dat het interval de streefwaarde omvat.",
        },
        "missing": {
            "en": "You found {found} of the {total} KPIs at risk. Look for a KPI whose point estimate looks "
                  "fine but whose interval still reaches past the target. Mind the direction: for some KPIs "
                  "lower is better.",
            "nl": "Je vond {found} van de {total} KPI's die in gevaar zijn. Zoek een KPI waarvan de "
                  "puntschatting er goed uitziet, maar waarvan het interval nog over de streefwaarde heen "
                  "reikt. Let op de richting: bij sommige KPI's is lager beter.",
        },
        "pass": {
            "en": "Right: {kpis}. Their intervals straddle the target, so the data cannot tell yet whether "
                  "the target is met. Do not celebrate a point estimate on the good side of the line.",
            "nl": "Klopt: {kpis}. Hun intervallen omvatten de streefwaarde, dus de data kunnen nog niet zeggen "
                  "of het doel gehaald is. Vier geen puntschatting die net aan de goede kant ligt.",
        },
    },
    "data_rejected": {
        "format": {
            "en": "Give a dictionary with the table and the total number of rejected rows, e.g. "
                  "`{{\"table\": \"orders\", \"rejected\": 3}}`.",
            "nl": "Geef een dictionary met de tabel en het totale aantal afgekeurde rijen, bijv. "
                  "`{{\"table\": \"orders\", \"rejected\": 3}}`.",
        },
        "unknown_table": {
            "en": "{table} is not one of the tables. The tables are: {tables}.",
            "nl": "{table} is geen van de tabellen. De tabellen zijn: {tables}.",
        },
        "table": {
            "en": "{table} lost rows too, but not the most. Sort the `rejected` column of the sources "
                  "table from high to low.",
            "nl": "{table} verloor ook rijen, maar niet de meeste. Sorteer de kolom `rejected` van de "
                  "bronnentabel van hoog naar laag.",
        },
        "reason_lines": {
            "en": "{given} is the number of lines in the reasons table, and one line can hold several rows. "
                  "Add up the rows instead: the `rejected` column of the sources table.",
            "nl": "{given} is het aantal regels in de tabel met redenen, en één regel kan meer rijen bevatten. "
                  "Tel de rijen op: de kolom `rejected` van de bronnentabel.",
        },
        "table_count": {
            "en": "The right table! But {given} rows is what that one table lost; the second part asks for "
                  "all tables together.",
            "nl": "De goede tabel! Maar {given} rijen verloor alleen die tabel; het tweede deel vraagt om "
                  "alle tabellen samen.",
        },
        "total": {
            "en": "The right table! The total is not {given} rows yet: add up the `rejected` column over "
                  "all tables.",
            "nl": "De goede tabel! Het totaal is nog geen {given} rijen: tel de kolom `rejected` op over "
                  "alle tabellen.",
        },
        "pass": {
            "en": "Yes: {table} lost the most, and {total} rows were set aside in all, each with its file, "
                  "line, column and reason. Nothing is dropped silently: that list goes back to the owner of "
                  "the export.",
            "nl": "Ja: {table} verloor de meeste, en in totaal werden {total} rijen apart gezet, elk met "
                  "bestand, regel, kolom en reden. Niets verdwijnt stilletjes: die lijst gaat terug naar de "
                  "eigenaar van de export.",
        },
    },
    "behaviour_team": {
        "format": {
            "en": "Give a dictionary with a team and a behaviour item, e.g. "
                  "`{{\"team\": \"Service Noord\", \"item\": \"initiative\"}}`.",
            "nl": "Geef een dictionary met een team en een gedragsitem, bijv. "
                  "`{{\"team\": \"Service Noord\", \"item\": \"initiative\"}}`.",
        },
        "unknown_team": {
            "en": "I do not know the team {team}. The teams are: {teams}.",
            "nl": "Het team {team} ken ik niet. De teams zijn: {teams}.",
        },
        "standards_team": {
            "en": "{team} scores lowest on the service standards, which is what the regional manager saw. "
                  "But the question is about behaviour: cut `cx.behaviour(...)` by team and item and look "
                  "for the cell that stands out below all others.",
            "nl": "{team} scoort het laagst op de servicestandaarden; dat zag de regiomanager ook. Maar de "
                  "vraag gaat over gedrag: splits `cx.behaviour(...)` naar team en item en zoek de cel die "
                  "ver onder alle andere ligt.",
        },
        "team": {
            "en": "{team} does not stand out on behaviour. Cut `cx.behaviour(...)` by team and item "
                  "(`by=[\"team\", \"item\"]`) and compare the intervals.",
            "nl": "{team} valt niet op bij gedrag. Splits `cx.behaviour(...)` naar team en item "
                  "(`by=[\"team\", \"item\"]`) en vergelijk de intervallen.",
        },
        "item_missing": {
            "en": "The right team! Now also name the behaviour item it fails: a coach needs to know what to "
                  "work on.",
            "nl": "Het goede team! Noem nu ook het gedragsitem waarop het tekortschiet: een coach moet weten "
                  "waaraan te werken.",
        },
        "unknown_item": {
            "en": "{item} is not a behaviour item. The behaviour items are: {items}.",
            "nl": "{item} is geen gedragsitem. De gedragsitems zijn: {items}.",
        },
        "item": {
            "en": "The right team, but {item} is not where it falls short. Look at that team's row across "
                  "all three behaviour items.",
            "nl": "Het goede team, maar op {item} schiet het niet tekort. Bekijk de rij van dat team over "
                  "alle drie de gedragsitems.",
        },
        "pass": {
            "en": "Spot on: {team} passes {item} in only {value}% of the observations (95% interval {low}–{high}%), "
                  "while the other teams pass it in {others}% on average. Not a general training, but "
                  "coaching on this one behaviour.",
            "nl": "Precies: {team} slaagt voor {item} in maar {value}% van de observaties (95%-interval "
                  "{low}–{high}%), terwijl de andere teams gemiddeld {others}% halen. Geen algemene training, "
                  "maar coaching op precies dit gedrag.",
        },
    },
    "hidden_segment": {
        "format": {
            "en": "Give a dictionary: `{{\"total_changed\": True or False, \"segment\": \"...\", "
                  "\"touchpoint\": \"...\"}}`.",
            "nl": "Geef een dictionary: `{{\"total_changed\": True of False, \"segment\": \"...\", "
                  "\"touchpoint\": \"...\"}}`.",
        },
        "total_flat": {
            "en": "Look again at the total: did it change significantly between {start} and {end}? Read the "
                  "`significant` column of the total row, not the size of the difference.",
            "nl": "Kijk nog eens naar het totaal: veranderde het significant tussen {start} en {end}? Lees de "
                  "kolom `significant` van de totaalrij, niet de grootte van het verschil.",
        },
        "total_changed": {
            "en": "Look again at the total: its change between {start} and {end} is significant. Read the "
                  "`significant` column of the total row.",
            "nl": "Kijk nog eens naar het totaal: de verandering tussen {start} en {end} is significant. Lees "
                  "de kolom `significant` van de totaalrij.",
        },
        "unknown_segment": {
            "en": "{segment} is not a segment. The segments are: {segments}.",
            "nl": "{segment} is geen segment. De segmenten zijn: {segments}.",
        },
        "unknown_touchpoint": {
            "en": "{touchpoint} is not a touchpoint. The touchpoints are: {touchpoints}.",
            "nl": "{touchpoint} is geen contactmoment. De contactmomenten zijn: {touchpoints}.",
        },
        "touchpoint_missing": {
            "en": "Also name the touchpoint: the fall sits in one segment × touchpoint cell, and the action "
                  "depends on where.",
            "nl": "Noem ook het contactmoment: de daling zit in één cel segment × contactmoment, en de actie "
                  "hangt af van waar.",
        },
        "touchpoint": {
            "en": "The right segment! But at {touchpoint} it is not falling most. Split that segment by "
                  "touchpoint (`by=[\"segment\", \"touchpoint\"]`).",
            "nl": "Het goede segment! Maar bij {touchpoint} daalt het niet het hardst. Splits dat segment naar "
                  "contactmoment (`by=[\"segment\", \"touchpoint\"]`).",
        },
        "noise": {
            "en": "{segment} × {touchpoint} does dip, but the change is inside its interval (not significant): "
                  "that could be noise. Look for a fall that is both large and significant.",
            "nl": "{segment} × {touchpoint} zakt wel wat, maar de verandering valt binnen het interval (niet "
                  "significant): dat kan ruis zijn. Zoek een daling die groot én significant is.",
        },
        "rising": {
            "en": "{segment} × {touchpoint} is not falling at all. Sort the segments by `change`, most "
                  "negative first, and check that the change is significant.",
            "nl": "{segment} × {touchpoint} daalt helemaal niet. Sorteer de segmenten op `change`, meest "
                  "negatief eerst, en controleer of de verandering significant is.",
        },
        "segment": {
            "en": "{segment} × {touchpoint} is not the cell that falls most. Sort the segments by `change`, "
                  "most negative first, and check that the change is significant.",
            "nl": "{segment} × {touchpoint} is niet de cel die het hardst daalt. Sorteer de segmenten op "
                  "`change`, meest negatief eerst, en controleer of de verandering significant is.",
        },
        "pass": {
            "en": "Found it: the total NPS moved only {total} points, yet {segment} × {touchpoint} fell from "
                  "{nps_from} to {nps_to}. A flat total can hide a segment in free fall: always segment "
                  "before you conclude that nothing changed.",
            "nl": "Gevonden: de totale NPS bewoog maar {total} punten, terwijl {segment} × {touchpoint} daalde "
                  "van {nps_from} naar {nps_to}. Een vlak totaal kan een segment in vrije val verbergen: "
                  "segmenteer altijd voordat je concludeert dat er niets veranderde.",
        },
    },
    "peak_week": {
        "format": {
            "en": "Give a dictionary with the Monday of the week and how many times slower the first "
                  "response was, e.g. `{{\"week\": \"2025-03-03\", \"slower\": 1.5}}`.",
            "nl": "Geef een dictionary met de maandag van de week en hoeveel keer trager de eerste reactie "
                  "was, bijv. `{{\"week\": \"2025-03-03\", \"slower\": 1.5}}`.",
        },
        "not_peak": {
            "en": "The week of {week} is not a peak week: its ticket volume stays within the normal range. "
                  "Start from `peak.peak_weeks`.",
            "nl": "De week van {week} is geen piekweek: het ticketvolume blijft binnen het normale bereik. "
                  "Begin bij `peak.peak_weeks`.",
        },
        "calm_peak": {
            "en": "The week of {week} is a peak in ticket volume, but did the service suffer? Compare the "
                  "first response time of each peak with normal weeks (`peak.comparison`): one peak had a "
                  "peak plan in place.",
            "nl": "De week van {week} is een piek in ticketvolume, maar leed de service eronder? Vergelijk de "
                  "eerste reactietijd van elke piek met normale weken (`peak.comparison`): bij één piek lag "
                  "er een piekplan klaar.",
        },
        "ratio_missing": {
            "en": "The right week! Now also give how many times slower the first response was (`slower`).",
            "nl": "De goede week! Geef nu ook aan hoeveel keer trager de eerste reactie was (`slower`).",
        },
        "calendar": {
            "en": "The right week! {given}× is the ratio in calendar hours, where the delays run into the "
                  "night. The SLA counts business hours: compare the median first response in business "
                  "hours (the default of `cx.response_times`).",
            "nl": "De goede week! {given}× is de verhouding in kalenderuren, waarin de vertragingen doorlopen "
                  "in de nacht. De SLA telt kantooruren: vergelijk de mediane eerste reactie in kantooruren "
                  "(de standaard van `cx.response_times`).",
        },
        "difference": {
            "en": "The right week! {given} looks like a difference in hours. The question asks for a ratio: "
                  "the peak week's median divided by the normal weeks' median.",
            "nl": "De goede week! {given} lijkt een verschil in uren. De vraag is een verhouding: de mediaan "
                  "van de piekweek gedeeld door de mediaan van normale weken.",
        },
        "ratio": {
            "en": "The right week! But {given}× is not how much slower the first response was. Divide the "
                  "median first response time (`value` of `first_response_time` in `peak.kpis`) in that "
                  "week by the normal weeks' median.",
            "nl": "De goede week! Maar {given}× is niet hoeveel trager de eerste reactie was. Deel de mediane "
                  "eerste reactietijd (`value` van `first_response_time` in `peak.kpis`) in die week door "
                  "de mediaan van normale weken.",
        },
        "pass": {
            "en": "Yes: the week of {week} ({tickets} tickets) answered {ratio}× slower than normal weeks "
                  "(median {peak} vs {normal} business hours), while the autumn peak, with a peak plan, kept "
                  "pace. Plan for peaks: staff, scripts, and a message to customers.",
            "nl": "Ja: de week van {week} ({tickets} tickets) reageerde {ratio}× trager dan normale weken "
                  "(mediaan {peak} tegen {normal} kantooruren), terwijl de herfstpiek met een piekplan het "
                  "tempo hield. Plan voor pieken: bezetting, scripts en een bericht aan klanten.",
        },
    },
    "training": {
        "format": {
            "en": "Give a list of team names, e.g. `[\"Service Noord\"]`, or an empty list `[]` if no team "
                  "needs a training.",
            "nl": "Geef een lijst teamnamen, bijv. `[\"Service Noord\"]`, of een lege lijst `[]` als geen "
                  "team een training nodig heeft.",
        },
        "unknown_team": {
            "en": "I do not know the team {team}. The teams are: {teams}.",
            "nl": "Het team {team} ken ik niet. De teams zijn: {teams}.",
        },
        "straddles": {
            "en": "{team}'s point estimate is below the target, but its interval still reaches above it: "
                  "the data cannot tell yet whether it truly misses. Acting on that is acting on noise; "
                  "watch it next quarter instead.",
            "nl": "De puntschatting van {team} ligt onder de streefwaarde, maar het interval reikt er nog "
                  "bovenuit: de data kunnen nog niet zeggen of het team echt tekortschiet. Daarop handelen is "
                  "handelen op ruis; volg het team liever volgend kwartaal.",
        },
        "above": {
            "en": "{team} is not below the target. A training goes to a team whose whole interval lies below "
                  "the target.",
            "nl": "{team} zit niet onder de streefwaarde. Een training gaat naar een team waarvan het hele "
                  "interval onder de streefwaarde ligt.",
        },
        "missing": {
            "en": "There is a team whose whole interval lies below the target that is not on your list. "
                  "Compare `ci_high` with the target for every team.",
            "nl": "Er is een team waarvan het hele interval onder de streefwaarde ligt dat niet op je lijst "
                  "staat. Vergelijk `ci_high` met de streefwaarde voor elk team.",
        },
        "pass": {
            "en": "Right: {teams}. The whole interval lies below the target of {target}%, so this is no "
                  "noise. The rules engine (`actions.propose_actions`) proposes the same training: now give it "
                  "an owner and a due date.",
            "nl": "Klopt: {teams}. Het hele interval ligt onder de streefwaarde van {target}%, dus dit is geen "
                  "ruis. De regels (`actions.propose_actions`) stellen dezelfde training voor: geef die nu "
                  "een eigenaar en een deadline.",
        },
    },
    "common_thread": {
        "format": {
            "en": "Give the common thread as text: a theme, or one sentence about the customers' experience.",
            "nl": "Geef de rode draad als tekst: een thema, of één zin over de ervaring van de klanten.",
        },
        "no_theme": {
            "en": "I could not recognise a theme in \"{given}\". Name what comes back in the comments, in "
                  "the words of a theme such as: {themes}.",
            "nl": "Ik herken geen thema in \"{given}\". Benoem wat terugkomt in de opmerkingen, in de woorden "
                  "van een thema zoals: {themes}.",
        },
        "minor": {
            "en": "{theme} does come up, in {count} of the {n} comments. Is there something that comes back "
                  "more often, especially among the detractors?",
            "nl": "{theme} komt wel voor, in {count} van de {n} opmerkingen. Komt er iets vaker terug, vooral "
                  "bij de criticasters?",
        },
        "pass": {
            "en": "That is the thread: {theme} comes back in {count} of the {n} comments. Write it as one "
                  "sentence about the customer's experience, then make it an action with an owner and a "
                  "due date.",
            "nl": "Dat is de rode draad: {theme} komt terug in {count} van de {n} opmerkingen. Schrijf het als "
                  "één zin over de ervaring van de klant en maak er een actie van met een eigenaar en een "
                  "deadline.",
        },
    },
    "noise": {
        "format": {
            "en": "Answer \"act\" or \"no action\" (in Dutch: \"actie\" or \"geen actie\"); you gave {given}.",
            "nl": "Antwoord \"actie\" of \"geen actie\" (in het Engels: \"act\" of \"no action\"); je gaf {given}.",
        },
        "act": {
            "en": "The drop looks worrying, but look at the interval of the difference (`ci_low` to "
                  "`ci_high`) and at `significant`: does it rule out zero? Acting on a difference inside its "
                  "interval is acting on noise.",
            "nl": "De daling ziet er zorgelijk uit, maar kijk naar het interval van het verschil (`ci_low` tot "
                  "`ci_high`) en naar `significant`: sluit het nul uit? Handelen op een verschil binnen het "
                  "interval is handelen op ruis.",
        },
        "no_action": {
            "en": "Look again at the difference and its interval: this change is significant, so it is more "
                  "than noise.",
            "nl": "Kijk nog eens naar het verschil en het interval: deze verandering is significant, dus meer "
                  "dan ruis.",
        },
        "pass": {
            "en": "Right, no action: the change of {difference} points has an interval from {low} to {high}, "
                  "which includes zero. Keep watching: if next quarter confirms the fall, act then.",
            "nl": "Klopt, geen actie: de verandering van {difference} punten heeft een interval van {low} tot "
                  "{high}, en dat omvat nul. Blijf volgen: bevestigt het volgende kwartaal de daling, handel "
                  "dan.",
        },
        "pass_act": {
            "en": "Right, act: the change of {difference} points has an interval from {low} to {high}, which "
                  "excludes zero.",
            "nl": "Klopt, actie: de verandering van {difference} punten heeft een interval van {low} tot "
                  "{high}, en dat sluit nul uit.",
        },
    },
    "action_effect": {
        "format": {
            "en": "Give a list of action ids, e.g. `[\"A001\"]`, or an empty list `[]` if neither worked.",
            "nl": "Geef een lijst actie-id's, bijv. `[\"A001\"]`, of een lege lijst `[]` als geen van beide "
                  "werkte.",
        },
        "unknown": {
            "en": "{action} is not one of the two actions in the question: {actions}.",
            "nl": "{action} is niet een van de twee acties uit de vraag: {actions}.",
        },
        "not_effective": {
            "en": "{action} is done, but can an effect be claimed? Look at its difference-in-differences "
                  "(`did`), its interval and its `verdict`: an interval that includes zero has not shown an "
                  "effect, and when another action of the same team and KPI falls in the same quarters "
                  "(`confounded_by`) the data cannot tell the actions apart.",
            "nl": "{action} is afgerond, maar is er een effect aan toe te schrijven? Kijk naar het "
                  "verschil-in-verschillen (`did`), het interval en het `verdict`: een interval dat nul omvat, "
                  "heeft geen effect laten zien, en als een andere actie van hetzelfde team op dezelfde KPI in "
                  "dezelfde kwartalen valt (`confounded_by`), zijn de acties niet uit elkaar te houden.",
        },
        "missing": {
            "en": "One of the two actions does show a real effect. Compare the intervals of `did` in "
                  "`monitor.action_effects(bundle)`.",
            "nl": "Een van de twee acties laat wel een echt effect zien. Vergelijk de intervallen van `did` in "
                  "`monitor.action_effects(bundle)`.",
        },
        "pass_none": {
            "en": "Right: neither can be credited. {action} came with a change of {did} points (interval {low} "
                  "to {high}), but {others} of the same team and KPI fall in its quarters, so the data cannot "
                  "say which action did it. The other action did not move its KPI. Count done actions, but "
                  "judge them by an effect you can separate.",
            "nl": "Klopt: aan geen van beide is een effect toe te schrijven. Bij {action} hoort een verandering "
                  "van {did} punten (interval {low} tot {high}), maar {others} van hetzelfde team en dezelfde "
                  "KPI vallen in dezelfde kwartalen, dus de gegevens kunnen niet zeggen welke actie het deed. "
                  "De andere actie bewoog de KPI niet. Tel afgeronde acties, maar beoordeel ze op een effect "
                  "dat je kunt scheiden.",
        },
        "pass": {
            "en": "Yes: {actions}. After subtracting what changed for the other teams, the effect is {did} "
                  "points (interval {low} to {high}). The other action is done but has not moved its KPI: "
                  "count done actions, but judge them by their effect.",
            "nl": "Ja: {actions}. Na aftrek van wat bij de andere teams veranderde, is het effect {did} punten "
                  "(interval {low} tot {high}). De andere actie is afgerond maar heeft de KPI niet bewogen: "
                  "tel afgeronde acties, maar beoordeel ze op hun effect.",
        },
    },
}
