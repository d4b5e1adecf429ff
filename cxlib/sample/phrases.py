"""Phrase bank for survey comments: Dutch and English, per theme, negative and positive.

Negative sentences name a problem; positive sentences praise. Only the "snow" theme says
snow/sneeuw and delay/vertraging. Theme keywords (for a theme taxonomy):
waiting: wacht*, in de wacht, wait*, on hold - delivery: lever*, bezorg*, deliver* -
friendliness: vriendelijk, behulpzaam, beleefd, friendly, helpful, polite, rude -
billing: factuur, rekening, afschrijving, invoice, bill*, charged - digital: app, website,
inloggen, online, log in - installation: installatie, monteur, installer, engineer, install*.
"""

from __future__ import annotations

__all__ = [
    "THEMES",
    "SENTIMENTS",
    "SENTENCES",
    "OPENERS",
    "CLOSERS",
    "TOUCHPOINT_THEMES",
    "PII_TEMPLATES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "MAIL_DOMAINS",
    "BANK_CODES",
    "POSTCODE_LETTERS",
    "HTML_WRAPS",
]

THEMES = ("waiting", "delivery", "friendliness", "billing", "digital", "installation", "snow")
SENTIMENTS = ("negative", "positive")

SENTENCES: dict[tuple[str, str, str], tuple[str, ...]] = {
    # ---- waiting time --------------------------------------------------------------------
    ("nl", "waiting", "negative"): (
        "Ik heb veel te lang in de wacht gestaan.",
        "De wachttijd aan de telefoon was meer dan een half uur.",
        "Drie keer gebeld en steeds lang moeten wachten.",
        "Dagen moeten wachten voordat iemand op mijn mail reageerde.",
        "Wachten, wachten en nog eens wachten, niemand belt terug.",
        "Na twee weken wachten nog steeds geen antwoord.",
        "De wachttijd is onacceptabel voor zo'n simpele vraag.",
        "Lang gewacht op een terugbelverzoek dat nooit kwam.",
    ),
    ("en", "waiting", "negative"): (
        "I was on hold for far too long.",
        "The waiting time on the phone was over half an hour.",
        "Called three times and had to wait ages every time.",
        "I had to wait days before anyone replied to my email.",
        "Waiting and waiting, nobody ever calls back.",
        "Two weeks of waiting and still no answer.",
        "The wait is unacceptable for such a simple question.",
        "Waited for a callback that never came.",
    ),
    ("nl", "waiting", "positive"): (
        "Binnen een paar minuten had ik iemand aan de lijn, nauwelijks wachttijd.",
        "Korte wachttijd en direct geholpen.",
        "Snel antwoord, ik hoefde maar kort te wachten.",
        "Nauwelijks wachttijd, top.",
        "Mijn mail werd binnen een uur beantwoord, korte wachttijd.",
        "Vlot geholpen, de wachttijd was kort.",
        "Supersnel teruggebeld, de wachttijd viel reuze mee.",
        "Razendsnel reactie via de chat, nauwelijks wachten.",
    ),
    ("en", "waiting", "positive"): (
        "I had someone on the line within minutes, hardly any wait.",
        "Short wait and helped right away.",
        "Quick answer, the wait was short.",
        "Hardly any waiting at all, great.",
        "My email was answered within the hour, a short wait.",
        "Helped promptly, the wait was barely noticeable.",
        "The wait for a callback was short, just as promised.",
        "Lightning fast reply through the chat, hardly any waiting.",
    ),
    # ---- delivery ------------------------------------------------------------------------
    ("nl", "delivery", "negative"): (
        "De levering was een week later dan beloofd.",
        "Het pakket werd bij de buren bezorgd zonder bericht.",
        "Bij de bezorging was de doos beschadigd.",
        'De "snelle" levering duurde drie weken.',
        "Er werd een verkeerd onderdeel geleverd.",
        "Leverdatum twee keer verschoven, erg slecht geregeld.",
        "De bezorger kwam niet op het afgesproken tijdvak.",
        "Levering incompleet, de buitenunit ontbrak.",
    ),
    ("en", "delivery", "negative"): (
        "The delivery came a week later than promised.",
        "The parcel was delivered to the neighbours without notice.",
        "The box was damaged on delivery.",
        'The "fast" delivery took three weeks.',
        "They delivered the wrong part.",
        "Delivery date moved twice, badly organised.",
        "The delivery driver did not show up in the agreed time slot.",
        "Incomplete delivery, the outdoor unit was missing.",
    ),
    ("nl", "delivery", "positive"): (
        "Netjes op tijd geleverd.",
        "De levering was snel en goed verpakt.",
        "Bezorging precies op de afgesproken dag, prima.",
        "Alles compleet en onbeschadigd geleverd.",
        "Fijn dat de bezorger vooraf even belde.",
        "Snelle levering, binnen drie dagen in huis.",
        "Keurig bezorgd en netjes neergezet in de garage.",
        "Levering ging soepel, duidelijke track & trace.",
    ),
    ("en", "delivery", "positive"): (
        "Delivered neatly on time.",
        "Delivery was fast and well packed.",
        "Delivered on exactly the agreed day, fine.",
        "Everything delivered complete and undamaged.",
        "Nice that the delivery driver called ahead.",
        "Fast delivery, in the house within three days.",
        "Delivered carefully and placed in the garage.",
        "Smooth delivery with clear tracking.",
    ),
    # ---- friendliness --------------------------------------------------------------------
    ("nl", "friendliness", "negative"): (
        "De medewerker was kortaf en onvriendelijk.",
        "De medewerker was onvriendelijk, ik voelde me niet serieus genomen.",
        "Onbeleefd te woord gestaan, zonder excuses.",
        "Onvriendelijke medewerker die niet luisterde en ophing.",
        "Geen enkel begrip voor mijn situatie, erg onvriendelijk.",
        "Ik werd onvriendelijk van het kastje naar de muur gestuurd.",
        "Niet behulpzaam, ik moest alles zelf uitzoeken.",
        "Bot en onvriendelijk antwoord, geen oplossing.",
    ),
    ("en", "friendliness", "negative"): (
        "The agent was short and rude.",
        "Unfriendly agent, I did not feel taken seriously at all.",
        "Treated impolitely, not even an apology.",
        "Rude agent who did not listen and hung up.",
        "No understanding of my situation, very unfriendly.",
        "I was rudely passed from pillar to post.",
        "Not helpful, I had to figure everything out myself.",
        "Blunt, unfriendly reply and no solution.",
    ),
    ("nl", "friendliness", "positive"): (
        "Heel vriendelijke en behulpzame medewerker.",
        "Vriendelijk te woord gestaan en goed geholpen.",
        "Vriendelijke medewerker die echt de tijd voor me nam, dank!",
        "Beleefd, geduldig en deskundig.",
        "Wat een vriendelijke klantenservice, complimenten.",
        "Sanne van de klantenservice was ontzettend behulpzaam.",
        "Vriendelijk en prettig contact, met een glimlach geholpen.",
        "Warm, vriendelijk en persoonlijk contact, zo hoort het.",
    ),
    ("en", "friendliness", "positive"): (
        "Very friendly and helpful agent.",
        "Spoken to in a friendly way and helped well.",
        "Friendly agent who really took the time for me, thanks!",
        "Polite, patient and knowledgeable.",
        "What a friendly customer service, compliments.",
        "Mark from customer service was incredibly helpful.",
        "Friendly, pleasant contact, helped with a smile.",
        "Warm, friendly and personal contact, as it should be.",
    ),
    # ---- billing -------------------------------------------------------------------------
    ("nl", "billing", "negative"): (
        "De factuur klopte niet, er stond een dubbele post op.",
        "Dubbele afschrijving voor hetzelfde onderhoud.",
        "Te veel betaald op de factuur en ik wacht nog op mijn geld.",
        "De rekening was veel hoger dan de offerte.",
        "Onduidelijke factuur, ik snap de kosten niet.",
        "Een foute factuur en drie keer bellen om het recht te zetten.",
        "Voorschot op de rekening zomaar verhoogd; geen uitleg gekregen.",
        "Aanmaning ontvangen terwijl de factuur al betaald was.",
    ),
    ("en", "billing", "negative"): (
        "The invoice was wrong, an item was billed twice.",
        "I was charged twice for the same maintenance.",
        "I was charged too much and I am still waiting for a refund.",
        "The bill was much higher than the quote.",
        "Unclear invoice, I do not understand the costs.",
        "A wrong invoice and three calls to get it corrected.",
        "Monthly instalment on my bill raised out of nowhere; no explanation.",
        "Got a payment reminder for an invoice I had already paid.",
    ),
    ("nl", "billing", "positive"): (
        "Duidelijke factuur, precies volgens de offerte.",
        "De rekening klopte tot op de cent.",
        "Fijn dat de kosten op de factuur vooraf helder waren.",
        "Terugbetaling op de rekening snel en correct geregeld.",
        "Overzichtelijke factuur, prima.",
        "De factuur in termijnen betalen was makkelijk te regelen.",
        "Eerlijke prijs en een heldere rekening.",
        "Netjes gefactureerd, precies zoals verwacht.",
    ),
    ("en", "billing", "positive"): (
        "Clear invoice, exactly as quoted.",
        "The bill was correct to the cent.",
        "Great that the costs on the invoice were clear upfront.",
        "Refund on my bill handled quickly and correctly.",
        "Well-organised invoice, fine.",
        "Paying the invoice in instalments was easy to arrange.",
        "Fair price and a clear bill.",
        "Invoiced properly, exactly as expected.",
    ),
    # ---- app or website ------------------------------------------------------------------
    ("nl", "digital", "negative"): (
        "De app loopt steeds vast bij het inloggen.",
        "Op de website kon ik mijn afspraak niet wijzigen.",
        "Inloggen lukt niet, wachtwoord resetten werkt ook niet.",
        "De app toont verkeerde verbruiksgegevens.",
        "Website is traag en het formulier geeft een foutmelding.",
        "Online afspraak maken is onnodig ingewikkeld.",
        "Na de update werkt de app helemaal niet meer.",
        "Ik kan mijn facturen online nergens vinden.",
    ),
    ("en", "digital", "negative"): (
        "The app keeps freezing when I log in.",
        "I could not change my appointment on the website.",
        "Cannot log in, and the password reset does not work either.",
        "The app shows wrong usage data.",
        "Website is slow and the form gives an error.",
        "Booking online is needlessly complicated.",
        "Since the update the app does not work at all.",
        "I cannot find my invoices online anywhere.",
    ),
    ("nl", "digital", "positive"): (
        "De app is overzichtelijk en werkt prima.",
        "Afspraak online maken ging in twee minuten.",
        "Handige website, alles snel gevonden.",
        "Fijn dat ik mijn verbruik in de app kan volgen.",
        "Online bestellen was eenvoudig en duidelijk.",
        "De chat op de website hielp me direct verder.",
        "Inloggen en gegevens wijzigen ging soepel.",
        "Mooie app, goede meldingen.",
    ),
    ("en", "digital", "positive"): (
        "The app is clear and works well.",
        "Booked online in two minutes.",
        "Handy website, found everything quickly.",
        "Nice that I can follow my usage in the app.",
        "Ordering online was simple and clear.",
        "The chat on the website helped me straight away.",
        "Logging in on the website and updating my details went smoothly.",
        "Great app, useful notifications.",
    ),
    # ---- installation quality ------------------------------------------------------------
    ("nl", "installation", "negative"): (
        "De monteur liet een rommel achter.",
        "Na de installatie lekte er water bij de binnenunit.",
        "De warmtepomp maakt sinds de installatie veel lawaai.",
        "De monteur moest drie keer terugkomen.",
        "Installatie niet goed afgerond, de thermostaat werkt niet.",
        "Slordig installatiewerk: kabels los en een kapotte tegel.",
        "De monteur wist niet hoe het systeem ingesteld moest worden.",
        "Na de installatie is het huis kouder dan eerst.",
    ),
    ("en", "installation", "negative"): (
        "The installer left a mess behind.",
        "After the installation water leaked at the indoor unit.",
        "The heat pump has been noisy since the installation.",
        "The engineer had to come back three times.",
        "Installation not finished properly, the thermostat does not work.",
        "Sloppy installation work: loose cables and a broken tile.",
        "The engineer did not know how to set up the system.",
        "After the installation the house is colder than before.",
    ),
    ("nl", "installation", "positive"): (
        "De monteur werkte netjes en legde alles goed uit.",
        "Installatie in één dag klaar, keurig werk.",
        "Vakkundige monteurs, alles opgeruimd achtergelaten.",
        "De warmtepomp draait sinds de installatie perfect.",
        "Top installatie, en duidelijke uitleg over de instellingen.",
        "Zeer tevreden over de monteur, echt een vakman.",
        "Netjes geïnstalleerd en goed afgesteld.",
        "Prijs; kwaliteit; service: alles top bij de installatie.",
    ),
    ("en", "installation", "positive"): (
        "The installer worked neatly and explained everything well.",
        "Installation done in one day, excellent work.",
        "Skilled engineers, left everything tidy.",
        "The heat pump has run perfectly since the installation.",
        "Great installation, with a clear explanation of the settings.",
        "Very happy with the engineer, a real professional.",
        "Installed neatly and tuned well.",
        "Price; quality; service: all great with the installation.",
    ),
    # ---- snow week (only 2026-01-05 .. 2026-01-11) ---------------------------------------
    ("nl", "snow", "negative"): (
        "Door de sneeuw had de levering drie dagen vertraging.",
        "Afspraak geschrapt vanwege de sneeuw, veel vertraging en niemand belde.",
        "Sneeuw is geen excuus voor zoveel vertraging.",
        "Vertraging door sneeuw, en daarna geen nieuwe afspraak gekregen.",
        "Monteur kwam door de sneeuw niet, de vertraging liep op tot een week.",
        "Flinke vertraging door de sneeuw en slechte communicatie.",
    ),
    ("en", "snow", "negative"): (
        "Because of the snow the delivery had a three-day delay.",
        "Appointment cancelled due to snow, long delay and nobody called.",
        "Snow is no excuse for such a delay.",
        "Delay due to snow, and no new appointment afterwards.",
        "The engineer did not come because of the snow, the delay grew to a week.",
        "Serious delay because of the snow and poor communication.",
    ),
    ("nl", "snow", "positive"): (
        "Ondanks de sneeuw en een kleine vertraging toch netjes geholpen.",
        "Knap dat de monteur door de sneeuw kwam, de vertraging was goed uitgelegd.",
        "Wat vertraging door de sneeuw, maar keurig op de hoogte gehouden.",
        "Sneeuw en vertraging, toch tevreden over de oplossing.",
    ),
    ("en", "snow", "positive"): (
        "Despite the snow and a small delay they helped me well.",
        "Impressive that the engineer made it through the snow, the delay was well explained.",
        "Some delay because of the snow, but kept nicely informed.",
        "Snow and a delay, still happy with the solution.",
    ),
}

OPENERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("nl", "negative"): ("", "", "", "Helaas: ", "Eerlijk gezegd: ", "Teleurgesteld. "),
    ("en", "negative"): ("", "", "", "Unfortunately: ", "To be honest: ", "Disappointed. "),
    ("nl", "positive"): ("", "", "", "Top! ", "Prima ervaring. ", "Tevreden. "),
    ("en", "positive"): ("", "", "", "Great! ", "Good experience. ", "Happy. "),
}
CLOSERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("nl", "negative"): ("", "", "", " Dit moet echt beter.", " Jammer.", " Zo raak je klanten kwijt."),
    ("en", "negative"): ("", "", "", " This really has to improve.", " Shame.", " This is how you lose customers."),
    ("nl", "positive"): ("", "", "", " Aanrader!", " Dank jullie wel.", " Ga zo door."),
    ("en", "positive"): ("", "", "", " Recommended!", " Thank you.", " Keep it up."),
}

# touchpoint -> theme weights (THEMES order, without snow)
TOUCHPOINT_THEMES = {
    "purchase": (0.15, 0.00, 0.35, 0.05, 0.45, 0.00),
    "delivery": (0.20, 0.70, 0.10, 0.00, 0.00, 0.00),
    "installation": (0.10, 0.00, 0.25, 0.00, 0.00, 0.65),
    "support": (0.45, 0.00, 0.35, 0.00, 0.20, 0.00),
    "billing": (0.10, 0.00, 0.00, 0.70, 0.20, 0.00),
}

PII_TEMPLATES = {  # {} is replaced by the personal detail
    ("nl", "phone"): ("Bel me terug op ", "."),
    ("en", "phone"): ("Call me back on ", "."),
    ("nl", "email"): ("Mail gerust naar ", "."),
    ("en", "email"): ("Email me at ", "."),
    ("nl", "iban"): ("Stort het terug op ", "."),
    ("en", "iban"): ("Please refund to ", "."),
    ("nl", "postcode"): ("Mijn adres: ", "."),
    ("en", "postcode"): ("My address is ", "."),
}
FIRST_NAMES = (
    "jan",
    "sanne",
    "pieter",
    "fatima",
    "daan",
    "emma",
    "mohamed",
    "lotte",
    "kees",
    "anouk",
    "john",
    "sarah",
    "priya",
    "tom",
)
LAST_NAMES = (
    "devries",
    "jansen",
    "bakker",
    "visser",
    "smit",
    "elamrani",
    "meijer",
    "mulder",
    "dejong",
    "vandijk",
    "brown",
    "kaya",
)
MAIL_DOMAINS = ("example.nl", "example.com", "voorbeeld.nl", "mail.example.org")
BANK_CODES = ("ABNA", "INGB", "RABO", "TRIO", "SNSB", "ASNB", "KNAB", "BUNQ")
POSTCODE_LETTERS = ("AB", "BK", "CD", "EH", "GL", "JK", "LM", "NP", "RT", "VW", "XZ", "TT")

HTML_WRAPS = (  # (before, after) around an ordinary comment
    ("<b>", "</b>"),
    ("", " <script>alert(1)</script>"),
    ("", " <img src=x onerror=alert(1)>"),
    ("<i>", '</i> <a href="javascript:alert(1)">klik</a>'),
    ('"><script>alert(document.cookie)</script>', ""),
    ("<div onclick=\"alert('x')\">", "</div>"),
)
