"""The patterns of the casualty grammar: the words and regular expressions `extractors.casualty`
matches over a sentence *skeleton* (the lower-cased sentence with each usable number replaced by
a marker `⟦i⟧` and each non-fact number by `⟦x⟧`).

Everything here is data: word lists, predicate tables (regex, kind) and compiled patterns, plus
the few tiny predicates over them. The grammar functions that use them live in
`extractors.casualty`, one small function per construction family. To teach the extractor a new
construction, add its pattern here and a family function there.
"""

from __future__ import annotations

import re

from extractors.places import DEMONYMS
from extractors.text import by_first_letter, for_lowered_text, grouped, search_case_blind

# --- lexicon ------------------------------------------------------------------------------


def _alt(words) -> str:
    """The words as an alternation, longest first, grouped by first letter (`text.by_first_letter`: the same
    matches, quicker: STOP is tested before every word of a noun phrase)."""
    return by_first_letter("|".join(sorted(words, key=len, reverse=True)))


# A sickness one is treated for ("suspected cholera", "symptoms of the virus"): its patients are cases
ILLNESS = (
    r"(?:suspected\s+|symptoms\s+of\s+)?(?:food\s+poisoning|cholera|dengue|malaria|diarrh\w+|typhoid|measles|covid\S*|mpox|"
    r"ebola|fever|the\s+(?:virus|disease|infection|illness)|an?\s+(?:illness|infection|disease))"
)

# Predicates after the number ("N people were killed", "N dead"), longest first.
PREDICATES: list[tuple[str, str]] = [
    # killed
    (r"among\s+(?:the|those)\s+(?:dead|killed|fatalities)", "killed"),
    (r"among\s+(?:the|those)\s+(?:injured|wounded|hurt)", "injured"),
    (r"among\s+(?:the|those)\s+(?:missing)", "missing"),
    (r"among\s+(?:the|those)\s+(?:arrested|detained)", "arrested"),
    (r"among\s+(?:the|those)\s+(?:kidnapped|abducted)", "kidnapped"),
    (r"shot\s+dead", "killed"),
    (r"gunned\s+down", "killed"),
    (r"found\s+dead", "killed"),
    (r"shot\s+and\s+killed", "killed"),
    (r"(?:burned|burnt)\s+alive", "killed"),
    (
        r"buried\s+(?:alive\s+)?(?:under|beneath|in|by)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,2}?(?:rubble|debris|mud|snow|earth|"
        r"ruins|landslide|mudslide|avalanche|wreckage)",
        "missing",
    ),
    (r"(?:buried|laid\s+to\s+rest)(?!\s+(?:under|beneath|in\s+the\s+(?:rubble|debris|mud)|by))", "killed"),
    (r"(?:lost|losing)\s+(?:their|his|her)\s+(?:lives|life)", "killed"),
    (
        r"(?:burned|burnt|crushed|stabbed|beaten|hacked|trampled|bludgeoned|shot|starved|frozen|stoned|clubbed)\s+to\s+death",
        "killed",
    ),
    (
        r"killed|dead|died|dies|die|perished|drowned|slain|murdered|massacred|executed|beheaded|decapitated|lynched|"
        r"neutrali[sz]ed|electrocuted|succumbed|martyred",
        "killed",
    ),
    # affected before injured: "120 villagers were hospitalised with suspected food poisoning" (a sickness, no wound)
    (
        r"(?:hospitali[sz]ed|admitted\s+to\s+(?:a\s+|the\s+)?hospitals?|treated)\s+(?:with|for)\s+" + ILLNESS,
        "affected",
    ),
    (
        r"(?:developed|develop|showed|showing|shown|displayed|displaying)\s+(?:[a-z]+\s+)?symptoms|diagnosed\s+with|"
        r"stuck\s+(?:on|in|at|aboard|inside)|"
        r"(?:in\s+(?:urgent\s+)?need\s+of|needs?|needing|requires?|requiring|depends?\s+on|depending\s+on|rel(?:y|ies|ying)\s+on)"
        r"\s+(?:[a-z\-]+\s+){0,2}?(?:aid|assistance|help|relief)|"
        r"(?:fac(?:e|es|ed|ing)|suffer(?:s|ed|ing)?\s+from)\s+(?:[a-z]+\s+)?(?:hunger|starvation|famine|food\s+insecurity|"
        r"food\s+shortages?|shortages\s+of\s+food)",
        "affected",
    ),
    # injured
    # "a million people huddled in shelters and government buildings"
    (
        r"(?:huddled|huddling|huddle)\s+in\s+(?:the\s+)?(?:shelters|relief\s+camps|cyclone\s+shelters|government\s+buildings)",
        "evacuated",
    ),
    (r"(?:sustain|suffer)(?:ed|ing|s)?\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns)", "injured"),
    # "a third man escaped with serious injuries" (not "escaped unhurt", "escaped without injuries")
    (
        r"(?:escaped|escaping|escapes|survived|survives)\s+with\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns)",
        "injured",
    ),
    (r"(?:being\s+)?treated\s+(?:in|at)\s+(?:a\s+|the\s+)?(?:local\s+|nearby\s+|several\s+)?hospitals?", "injured"),
    # "taken to the district hospital" (not its morgue)
    (r"taken\s+to\s+(?:a\s+|the\s+)?(?:[a-z\-]+\s+){0,2}?hospitals?(?!\s+morgues?)", "injured"),
    # "11 others were admitted to hospital" (not for a disease: checked in the grammar)
    (
        r"admitted\s+(?:to|in|into)\s+(?:a\s+|the\s+)?(?:[a-z\-]+\s+){0,2}?(?:hospitals?|intensive\s+care|icu)",
        "injured",
    ),
    (
        r"treated\s+for\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns|inhalation|fractures|gunshot\s+wounds|"
        r"hypothermia|dehydration)",
        "injured",
    ),
    # "Eleven persons are still under treatment", "30 people are undergoing treatment in hospitals"
    (r"(?:under|undergoing|receiving)\s+(?:medical\s+|hospital\s+)?treatment", "injured"),
    (r"shot\s+and\s+(?:wounded|injured)", "injured"),
    (
        r"shot\s+in\s+the\s+(?:leg|legs|arm|arms|shoulder|hand|foot|feet|thigh|knee|back|chest|stomach|abdomen)",
        "injured",
    ),
    (r"injured|wounded|hurt|maimed|hospitali[sz]ed", "injured"),
    (r"(?:in|at)\s+(?:a\s+|the\s+)?(?:local\s+)?hospitals?(?!\s+(?:staff|workers|beds|director))", "injured_aux"),
    # missing
    (
        r"(?:trapped|cut\s+off|marooned)\s+by\s+(?:the\s+)?(?:rising\s+|heavy\s+)?(?:flood\s*waters|waters|floods?|flooding|water|"
        r"snow|snowfall|snowstorms?|blizzards?|snowdrifts)",
        "affected",
    ),
    (
        r"(?:listed|registered|declared|classed|classified|counted)\s+as\s+missing|unaccounted\s+for|vanished|disappeared|"
        r"(?:not|never)\s+been\s+(?:heard\s+from|seen|found|located|traced|accounted\s+for)|lost\s+at\s+sea|yet\s+to\s+be\s+(?:found|located|traced|accounted\s+for)|missing|trapped|(?:swept|washed)\s+away",
        "missing",
    ),
    # displaced
    (r"forced\s+(?:to\s+flee|from|out\s+of|out|to\s+leave|to\s+abandon)", "displaced"),
    (r"(?:driven|chased)\s+(?:from|out\s+of)\s+(?:their|his|her)\s+(?:homes?|houses?|villages?)", "displaced"),
    (r"lost\s+(?:their|his|her)\s+homes?", "displaced"),
    (r"(?:sought|took|taken|seeking|seek|seeks|taking)\s+(?:refuge|shelter|asylum|sanctuary)", "displaced"),
    (
        r"received\s+(?:at|in)\s+(?:the\s+|a\s+)?(?:[a-z\-]+\s+){0,2}?(?:camps?|centres?|centers?|sites?|shelters?|settlements?)",
        "displaced",
    ),
    # "8,000 refugees arrived", "1,700 asylum seekers reached the island" (refugee subjects only: checked)
    (r"arrived|arriving|arrive|reached|landed|disembarked|came\s+ashore", "arrival"),
    # "left without shelter"; "10,000 people remain without shelter a week after the quake"
    (r"(?:left\s+)?without\s+(?:shelter|homes?|a\s+home|a\s+roof)", "displaced"),
    (r"crossed\s+(?:the\s+border\s+)?into|crossed\s+the\s+border|fled\s+across", "displaced"),
    # "300 villagers escaped to the hills": flight from home (not "12 prisoners escaped")
    (
        r"escaped\s+(?:to\s+(?:higher|high|safer|dry)\s+ground|to\s+the\s+(?:hills|mountains|bush)|"
        r"into\s+the\s+(?:bush|forest|hills|mountains)|across\s+the\s+border)",
        "displaced",
    ),
    (r"(?:streamed|streaming|poured|pouring|flocked|flocking|spilled|spilling)\s+(?:across|into|over)", "displaced"),
    # "4,000 families whose homes were destroyed": left without a home
    (
        r"whose\s+(?:homes|houses)\s+(?:were|have\s+been|had\s+been)\s+(?:destroyed|flattened|razed|"
        r"(?:washed|swept)\s+away)",
        "displaced",
    ),
    (r"displaced|homeless|fled|flee|flees|fleeing|uprooted", "displaced"),
    (
        r"(?:leave|leaving|left|abandon|abandoned|abandoning)\s+(?:their|his|her)\s+(?:homes?|houses?|villages?)",
        "displaced",
    ),
    (
        r"(?:living|sleeping|staying|sheltering|housed)\s+(?:in\s+(?:tents|(?:makeshift|temporary|emergency)\s+[a-z]+|the\s+open|"
        r"displacement\s+camps|camps)|"
        r"rough|outdoors|in\s+the\s+streets)",
        "displaced",
    ),
    # people sheltering in public buildings have lost their homes (students staying in schools have not)
    (r"sheltering\s+in\s+(?:schools|churches|mosques|public\s+buildings|classrooms|stadiums?)", "displaced"),
    # evacuated
    (
        r"(?:moved|shifted|transferred)\s+to\s+(?:[a-z\-]+\s+){0,2}?(?:safety|ground|shelters?|centres|centers|camps|sites|areas|"
        r"places|locations)",
        "evacuated",
    ),
    (
        r"left\s+(?:the\s+|their\s+)?(?:[a-z\-]+\s+){0,2}?(?:area|areas|region|city|town|island|coast|zone|homes?|villages?)"
        r"\s+(?:before|ahead\s+of)",
        "evacuated",
    ),
    (r"evacuated|relocated|airlifted|(?:told|ordered)\s+to\s+(?:leave|evacuate)", "evacuated"),
    # "700 people were taken to safety by boat", "1,800 tourists were ferried off the island"
    (
        r"(?:taken|ferried|bused|bussed|shuttled|transported|escorted)\s+to\s+(?:safety|safer\s+(?:ground|places|areas))|"
        r"(?:ferried|shipped|bused|bussed|shuttled)\s+(?:off|out|away|inland|across)",
        "evacuated",
    ),
    (
        r"(?:(?:staying|sheltering|living|sleeping|housed|accommodated|taking\s+shelter|huddled|huddling|huddle|"
        r"(?:spent|spend|spending)\s+the\s+night)\s+)?(?:in|at)\s+"
        r"(?:evacuation|relief|emergency|cyclone|storm)\s+(?:centres|centers|shelters|camps|sites)",
        "evacuated",
    ),
    # rescued
    (
        r"found\s+(?:alive|safe|safe\s+and\s+well)|pulled\s+(?:out\s+)?alive|pulled\s+(?:out\s+of|from)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,3}?"
        r"(?:rubble|debris|wreckage|ruins|building|rivers?|sea|water|mud|house|car|vehicle)|plucked\s+to\s+safety|"
        r"plucked\s+(?:from|off|out\s+of)\s+(?:the\s+)?(?:[a-z\-]+\s+)?(?:rooftops|roofs|water|sea|river|trees|floodwaters)|"
        r"brought\s+(?:out|up|to\s+(?:the\s+)?(?:surface|safety))(?:\s+alive)?",
        "rescued",
    ),
    (r"rescued|saved", "rescued"),
    # arrested
    (
        r"taken\s+into\s+custody|(?:held\s+)?in\s+(?:police\s+|pre-?trial\s+)?(?:custody|detention)|rounded\s+up|"
        r"placed\s+under\s+arrest",
        "arrested",
    ),
    (r"arrested|detained|apprehended|jailed|locked\s+up|behind\s+bars", "arrested"),
    # "2,130 migrants were intercepted and detained", "23 people were held after clashes", "held for questioning"
    (
        r"(?:intercepted|caught|stopped|identified|tracked\s+down|traced)\s+and\s+(?:detained|arrested)|"
        r"held(?=\s+(?:after|over|following|for\s+questioning|in\s+connection|on\s+suspicion|on\s+charges|"
        r"by\s+(?:the\s+)?(?:police|security|authorities|army|troops|soldiers|officers)\b))",
        "arrested",
    ),
    # kidnapped
    (r"taken\s+(?:hostage|captive|prisoner)|held\s+(?:hostage|captive)|in\s+captivity", "kidnapped"),
    (r"taken(?=\s*(?:[,.;:!?)]|$|and\b|from\b|by\b|away\b|during\b|in\b|at\b|on\b|last\b|earlier\b))", "kidnapped"),
    (r"kidnapped|abducted|seized", "kidnapped"),
    # "Fourteen persons were released": a rescue only where captors are in view (checked)
    (r"released|freed|set\s+free", "freed"),
    # affected
    (
        r"(?:fell|fallen|falling|fall|gone|went)\s+(?:ill|sick)|tested\s+positive|contracted\s+(?:the\s+)?(?:disease|virus|infection)",
        "affected",
    ),
    (
        r"affected|impacted|stranded|infected|sickened|"
        r"marooned(?=\s+(?:[a-z]+\s+)?[a-z]+s\b|\s*(?:[,.;]|$)|\s+(?:in|on|at|by|for|after|since)\b)",
        "affected",
    ),
    # ambiguous (killed and/or wounded): matched so the number is claimed, never reported
    (r"casualties", "ambiguous"),
    (r"lost", "lives_lost"),  # only after "lives" (checked in the grammar)
]
PRED_RE = [(re.compile(p), k) for p, k in PREDICATES]
PREDICATE = "(?:" + "|".join(p for p, _ in PREDICATES) + ")"
# The same alternation with one named group per entry, to read the kind off a match.
PREDICATE_TAGGED = "(?:" + "|".join(f"(?P<p{n}>{p})" for n, (p, _) in enumerate(PREDICATES)) + ")"

# Nouns that carry the kind themselves when they head the noun phrase ("37 deaths", "12 refugees").
NOMINAL_HEADS = {
    "deaths": "killed",
    "death": "killed",
    "fatalities": "killed",
    "fatality": "killed",
    "lives": "killed",
    "martyrs": "killed",
    "injuries": "injured",
    "injury": "injured",
    "refugees": "displaced",
    "idps": "displaced",
    "evacuees": "evacuated",
    "arrests": "arrested",
    "detainees": "arrested",
    "cases": "affected",
    "infections": "affected",
    "casualties": "ambiguous",
    "casualty": "ambiguous",
}

# Active verbs before the number ("killing N", "the arrest of N"), mapped to kinds.
ACTIVE: list[tuple[str, str]] = [
    # "divers are searching for 14 crew members": missing where the scene is a disaster (checked)
    (
        r"search(?:ing|es)?\s+for|look(?:ing|s)?\s+for|hunt(?:ing)?\s+for|"
        r"search\s+(?:continues|continued|goes\s+on|went\s+on|is\s+on|was\s+on|resumed|resumes)\s+for",
        "sought",
    ),
    # "listed 1,100 people as missing"
    (
        r"(?:listed|lists|registered|declared|classed|classified)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\sas\s+missing\b)",
        "missing",
    ),
    # "the kidnappers are still holding 33 of the students" (a captor or an abduction in the sentence: checked)
    # "hijackers are holding 140 passengers", "continue to hold three crew members"
    (
        r"still\s+(?:holding|hold|holds|held)|(?:continues?|continued|continuing)\s+to\s+hold|"
        r"(?:are|is|were|was|been)\s+(?:still\s+)?holding",
        "holding",
    ),
    # "rescuers found 21 survivors": a rescue (only survivors: checked)
    (r"found|finds|finding|located|recovered", "found"),
    # "lifeboats brought 27 fishermen ashore"
    (r"(?:brought|bringing|ferried)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\sashore\b)", "rescued"),
    # "police picked up 35 people for questioning"
    (r"(?:picked|picking|rounded|rounding)\s+up(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\sfor\s+questioning\b)", "arrested"),
    (r"shot\s+dead|shooting\s+dead|shoots\s+dead|gunned\s+down|gunning\s+down", "killed"),
    (
        r"(?:burn(?:ed|t|ing|s)?|bur(?:ied|ying))\s+alive|(?:hack(?:ed|ing|s)?|stabb(?:ed|ing)|stabs?|beat(?:en|ing|s)?|"
        r"ston(?:ed|ing|es)|clubb(?:ed|ing)|bludgeon(?:ed|ing|s)?|crush(?:ed|ing|es)|trampl(?:ed|ing|es)|tortur(?:ed|ing|es))\s+to\s+death|"
        r"lynch|lynched|lynching|lynches",
        "killed",
    ),
    (r"(?:claim|claimed|claiming|claims|took|taking|take|takes|taken|cost|costing|costs)\s+the\s+lives\s+of", "killed"),
    # "villagers buried 28 victims": a toll (only victims, bodies, the dead: checked)
    (r"buried|burying|bury|buries", "buried"),
    (
        r"fatally\s+(?:shot|shooting|shoots|stabbed|stabbing|stabs|wounded|wounding|injured|injuring|struck|striking|hit)|"
        r"shot\s+and\s+killed|shooting\s+and\s+killing|shoots\s+and\s+kills",
        "killed",
    ),
    (
        r"kill|kills|killed|killing|massacred|massacring|murdered|murdering|slaughtered|slaughtering|"
        r"executed|executing|beheaded|beheading|beheads|behead|decapitated|decapitating|decapitates|decapitate|"
        r"neutrali[sz]ed|neutrali[sz]ing",
        "killed",
    ),
    (r"(?:deaths?|killings?|murders?|massacre|execution|executions)\s+of", "killed"),
    (r"wound|wounds|wounded|wounding|injure|injures|injured|injuring|hurt|hurting|hurts|maimed|maiming", "injured"),
    (r"(?:injuring|wounding)\s+of|injuries\s+to", "injured"),
    (r"displace|displaces|displaced|displacing|uprooted|uprooting", "displaced"),
    (
        r"(?:forced|forcing|forces|force|drove|driven|driving|drives|caused|causing|causes|prompted|prompting|sent|sending|pushed|"
        r"pushing)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s(?:to\s+flee|to\s+leave|to\s+cross|to\s+seek\s+(?:refuge|shelter|safety)|"
        r"into\s+(?:[a-z]+\s+)?(?:shelters|camps|exile|hiding)|"
        r"from\s+their|from\s+homes\b|out\s+of\s+their|from\s+(?:the\s+)?area|fleeing))",
        "displaced",
    ),
    (r"exodus\s+of|displacement\s+of", "displaced"),
    # "the floods have disrupted the lives of 12 lakh people", "damages to the livelihoods of more than 55 lakh"
    (
        r"(?:disrupt\w*|upend\w*|upset\w*|affect\w*|devastat\w*|damag\w*|shatter\w*)\s+(?:to\s+)?the\s+"
        r"(?:lives|livelihoods)(?:\s+and\s+livelihoods)?\s+of",
        "affected",
    ),
    # "moved 14,560 residents to relief camps", "shifted 2 lakh people to safer places"
    (
        r"(?:moved|moving|shifted|shifting|shift|transferred)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s(?:to|into)\s+(?:[a-z\-]+\s+){0,2}?"
        r"(?:safety|shelters|relief\s+camps|camps|safer\s+(?:places|locations|areas)|higher\s+ground)\b)",
        "evacuated",
    ),
    # "moved 3,000 people out of the path of the fire", "ferried 900 residents to safety"
    (
        r"(?:moved|moving|ferried|ferrying|bused|bussed|busing|took|taking|escorted|escorting)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s"
        r"(?:to\s+safety|out\s+of\s+(?:the\s+)?(?:[a-z\-]+\s+)?(?:path|way|danger|harm|area|zone)|(?:off|out\s+of)\s+the\s+island)\b)",
        "evacuated",
    ),
    # "firefighters led 38 residents out of the burning tower", "winched 17 hikers to safety"
    (
        r"(?:led|leading|guided|guiding|help(?:ed|ing|s)?(?:\s+(?:get|bring|lead|guide))?)"
        r"(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s(?:to\s+safety|out\s+of\s+(?:the\s+)?"
        r"(?:burning|blazing|collapsed|flooded|sinking|smoke|rubble|fire|flames|water|debris))\b)|"
        r"winched|winching|airlifted(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\sto\s+safety\b)",
        "rescued",
    ),
    (
        r"evacuate|evacuates|evacuated|evacuating|relocate|relocates|relocated|relocating|evacuation\s+of|relocation\s+of|"
        r"airlift|airlifts|airlifted|airlifting",
        "evacuated",
    ),
    (
        r"rescue|rescues|rescued|rescuing|rescue\s+of|saved|saving|pulled|pulling|plucked|"
        r"help(?:ed|ing|s)?\s+(?:to\s+)?free|brought\s+(?:up|out)|bringing\s+(?:up|out)|brings\s+(?:up|out)|"
        r"dug|digging|dig|hauled|hauling",
        "rescued",
    ),
    (r"freed|freeing|frees|release\s+of|released|releasing|secured\s+the\s+release\s+of", "freed"),
    (
        r"arrest|arrests|arrested|arresting|detain|detains|detained|detaining|apprehended|apprehending|"
        r"rounded\s+up|rounding\s+up|jailed|arrest\s+of|arrests\s+of|detention\s+of",
        "arrested",
    ),
    # "we have lost 20 of our men": killed (people only: checked)
    (r"lost|lose|losing|loses", "lost"),
    # "troops killed 15 militants and captured four": an arrest when security forces capture (checked)
    (r"captured|capturing|captures|capture", "captured"),
    (r"(?:took|taken|taking|takes|take|held|holding)\s+(?:as\s+)?(?:hostage|captive)", "kidnapped"),
    # "militants are believed to be holding about 130 hostages"
    (r"(?:holding|hold|holds|held)(?=\s+⟦\d+⟧(?:\s+[a-z\-]+)?\s+(?:hostages|captives|abductees)\b)", "kidnapped"),
    (r"(?:took|taken|taking|takes|led|leading|carried|carrying|marched|marching)\s+(?:away|off)", "kidnapped"),
    # "herding 18 women and children into the bush" (people only: checked)
    (r"herd(?:ed|ing|s)?(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s(?:into|onto|toward|towards|away|off|out\s+of)\b)", "kidnapped"),
    # "the attackers marched 25 villagers out of the settlement at gunpoint"
    (r"(?:marched|marching)(?=\s+⟦\d+⟧[a-z\s\-']{0,60}?\sat\s+gunpoint\b)", "kidnapped"),
    (
        r"kidnap|kidnaps|kidnapped|kidnapping|abduct|abducts|abducted|abducting|seized|seizing|snatched|snatching|"
        r"kidnapping\s+of|abduction\s+of",
        "kidnapped",
    ),
    (r"trap|traps|trapped|trapping", "missing"),
    (
        r"affect|affects|affected|affecting|impact|impacts|impacted|impacting|infect|infects|infected|infecting|"
        r"stranded|stranding|sickened|sickening|"
        r"marooned|marooning|maroons",
        "affected",
    ),
    (
        # "the world's fourth most populous nation with 277 million people"
        r"(?:city|town|country|nation|state|province|island|region)\s+with(?=\s+⟦\d+⟧[a-z\s\-]{0,20}?\s(?:people|inhabitants|residents)"
        r"(?:\s*[,.;)]|\s+(?:and|votes|is|was|has|goes|heads)\b))|"
        r"home\s+to|population\s+of|populated\s+by|inhabited\s+by|populations?\s+(?:is|was|stands\s+at|stood\s+at|of\s+about|numbers|numbered|totals|totalled|totaled|reached|exceeds|exceeded|:)|"
        r"(?:city|town|village|district|county|province|country|region|area|municipality|island|camp|settlement|nation|state)\s+of(?=\s+⟦\d+⟧(?:[a-z\s\-]{0,20}?\s(?:people|inhabitants|residents|persons|souls)|\s*(?:[,.;)]|$|\s+(?:and|in|on|near|which|that|where)\b)))",
        "population",
    ),
    (
        r"hosting|hosts|host|housing|houses|sheltering|shelters|registered|registering|registers|received|receiving|"
        r"receives|welcomed|welcoming|welcomes",
        "host",
    ),
    # "shot four people" is a count of the wounded unless a death is stated (checked in the grammar)
    (r"shot|shoots|shooting|stabbed|stabbing|stabs", "shot"),
]
ACTIVE_ALT = "|".join(f"(?P<v{n}>{p})" for n, (p, _) in enumerate(ACTIVE))
VERBS_NEEDING_PERSON = re.compile(
    r"seiz|snatch|sav|pull|pluck|dug|dig|haul|winch|maroon|led|lead|guid|carr|ferr|bus|took|tak|escort|mov|"
    r"affect|strand|host|hous|shelter|rescu|help|br|regist|receiv|welcom|"
    r"shot|shoot|stab|search|look|hunt|herd"
)
# A search for people is for the missing only at a disaster scene, and never for wanted people
SEARCH_SCENE = re.compile(
    r"\b(?:rubble|debris|wreck\w*|overboard|sea|river|divers?|rescuers?|rescue|survivors|missing|capsiz\w*|sank|"
    r"sunk|collaps\w*|landslides?|mudslides?|avalanche|mine|flood\w*|earthquake|quake|storm|disappeared)\b"
)
WANTED = frozenset(
    "suspects gunmen attackers fugitives escapees prisoners inmates militants kidnappers robbers bodies remains".split()
)

AUX = _alt(
    """was were is are be been being has have had got get gets getting remain remained
remains remaining reportedly allegedly reported confirmed believed feared thought said known presumed
pronounced declared gone went
estimated officially also all both each still now later already since subsequently eventually
initially previously apparently either critically seriously severely badly fatally mortally slightly
lightly gravely grievously moderately so far to left made rendered then tragically instantly
immediately may might could would will shall should can cannot not never expected likely set going
further additionally too themselves mostly reported internally forcibly newly temporarily permanently
recently""".split()
)
MODAL_REJECT = re.compile(
    r"\b(?:could|would|will|shall|should|can|cannot|might|expected|likely|set|going|not|never|n't)\b"
)

STOP = _alt(
    """was were is are be been being has have had got get gets remain remained remains
reportedly allegedly in on at from by for with during after before near across into onto to of as
since when while amid following including among and or but nor that who which whom whose the a an
this these those his her their its our my your they he she it we them him said says say told survived survive
survives escaped escape released freed returned
according than then also all both each still now later more about around over under some there here
what where why how if unless whether because so such just only even very as per via against between
through towards toward upon within without off ahead outside inside along behind beyond aboard ashore
overnight yesterday today tonight last this next earlier ago later early late monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september october
november december morning afternoon evening night weekend""".split()
    + [p for p, _ in PREDICATES if re.fullmatch(r"[a-z|]+", p)]
    + [
        "killed",
        "dead",
        "died",
        "succumbed",
        "perished",
        "injured",
        "wounded",
        "hurt",
        "missing",
        "displaced",
        "homeless",
        "fled",
        "evacuated",
        "relocated",
        "rescued",
        "arrested",
        "detained",
        "kidnapped",
        "abducted",
        "seized",
        "affected",
        "stranded",
        "infected",
        "taken",
        "trapped",
        "shot",
        "lost",
        "forced",
        "held",
        "treated",
        "sustained",
        "suffered",
        "moved",
        "pulled",
        "found",
        "gunned",
        "unaccounted",
        "fell",
        "tested",
        "perished",
        "drowned",
        "slain",
        "murdered",
        "executed",
        "beheaded",
        "neutralized",
        "neutralised",
        "may",
        "might",
        "could",
        "would",
        "will",
        "shall",
        "should",
        "can",
        "not",
        "never",
    ]
)
# (a stop word inside a compound is a word of the noun phrase: "three off-duty policemen")
NPWORD = (
    rf"(?:(?!(?:{STOP})\b(?![\-\u2010\u2011]))[a-z\u00c0-\u024f][\w'’\-\u2010\u2011]*"
    r"|⟦x⟧[\-\u2010\u2011][a-z][\w\-\u2010\u2011]*)"
)
NP = (
    rf"(?P<np>(?:\s+of\s+(?:them|those|whom|these|(?:the\s+|his\s+|her\s+|their\s+|its\s+|our\s+)?(?:⟦x⟧\s+)?(?:other\s+)?(?:(?:wounded|injured|abducted|kidnapped|detained)\s+(?=[a-z]))?{NPWORD}(?:\s+{NPWORD}){{0,2}}))"
    rf"|(?:\s+(?:more|other|others|additional|another|further)\b)?(?:\s+{NPWORD}){{0,4}}"
    # a complement: "members of the same family", "passengers on the bus", "people in the village"
    rf"(?:(?<=[a-z])\s+(?:of|on|in|from|at|inside|aboard|near)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?"
    rf"{NPWORD}(?:\s+{NPWORD}){{0,3}}(?=\s+(?:were|was|are|is|have|had|has|remain|remained|died|dead|killed|injured|wounded|missing|"
    rf"perished|drowned|lost)\b"
    rf"|\s*,\s*(?:including|among\s+them)\b"
    # "people in Kisumu, western Kenya, were killed": the place's region set off by commas
    rf"|\s*,\s*(?:[a-z][\w\-]*\s+){{0,3}}[a-z][\w\-]*\s*,\s+(?:were|was|are|is|have|had|has|died|remain|remained)\b)"
    # coordinated heads: "53 soldiers and gendarmes were killed"
    rf"|(?<=[a-z])\s+(?:and|or)\s+{NPWORD}(?:\s+{NPWORD})?(?=\s+(?:were|was|are|have|had|died|dead|killed|injured|wounded|missing)\b))?)"
)
MARK = r"⟦(?P<i>\d+)⟧"

# Passive / nominal: N [NP] [, including ...,] [who ...] [aux...] PREDICATE
PASSIVE = re.compile(
    MARK
    + r"(?:['’\"](?=\s))?"  # "JNIM claimed 'dozens' killed": a quoted count
    + NP
    + r"(?:\s+(?:on\s+board|aboard|(?:a|per|each|every)\s+(?:day|week|month)))?"
    + r"(?:\s+aged\s+(?:between\s+|from\s+)?⟦x⟧(?:\s*(?:and|to|-|–)\s*⟦x⟧)?)?"
    + r"(?P<paren>\s*,\s*(?:including|among\s+them|among\s+whom|mostly|mainly|most\s+of\s+them|many\s+of\s+them|all\s+of\s+them|some\s+of\s+them|of\s+whom|most\s+of\s+whom|many\s+of\s+whom|all\s+of\s+whom|aged|all|both|mainly|believed\s+to\s+be|thought\s+to\s+be)\b[^,;]{0,60},"  # noqa: E501 (a pattern reads best on one line)
    + r"|\s*,\s*⟦\d+⟧\s+of\s+(?:them|whom)\b[^,;⟦]{0,40},"
    + r"|\s*,\s*⟦x⟧\s*,"  # "the victim, 23, was killed": an apposed age
    + r"|\s*(?:--|—|–)\s*[^⟦—–;]{0,30}?⟦\d+⟧\s+of\s+(?:them|whom)\b[^⟦—–;]{0,40}?(?:--|—|–)"
    # a breakdown between dashes: "Nine people - three adults and six children - died"
    + r"|\s+(?:--|—|–|-)\s+⟦\d+⟧[^—–;]{1,60}?\s(?:--|—|–|-)"
    # "One man in Tacloban, Leyte province, was killed", "40 pupils, as well as several teachers, were taken"
    + r"|(?<=[a-z])\s*,\s*(?:[a-z][\w\-]*\s+){0,3}[a-z][\w\-]*\s*,"
    + r"|\s*,\s*(?:as\s+well\s+as|along\s+with|together\s+with|a\s+mix\s+of)\s+[^,;⟦]{1,40},"
    + r"|\s*,\s*(?:according\s+to\s+[^,;⟦]{1,60}|(?:[^,;⟦]{1,40}\s)?(?:said|says|reported|added|confirmed|told\s+[^,;⟦]{1,30}))\s*,)?"  # noqa: E501 (a pattern reads best on one line)
    + r"(?P<rel>\s+(?:who|that)\b(?:\s+(?!(?:who|that)\b)[^\s,;⟦]+){0,8}?)?"
    + rf"(?P<aux>(?:\s+(?:{AUX}|n't))*?)"
    + rf"\s+(?P<pred>{PREDICATE_TAGGED})\b"
)
# Active: VERB [a total of | another] N [NP]. Everything before the number is lower-case letters,
# white space or the colon of "population: N": the lookahead tests that first, cheaply, sparing
# the long verb list most words (tests/test_prefilters.py keeps ACTIVE to those characters).
ACTIVE_PAT = re.compile(
    rf"\b(?=[a-z][a-z\s:]*⟦\d)(?P<verb>{ACTIVE_ALT})\s+(?:(?:a\s+total\s+of|another|an\s+additional|a\s+further|an\s+estimated|all|all\s+the|the|its|their|both)\s+)?"
    + MARK
    + NP
)
# The same two patterns without the groups that name each alternative's kind, their word lists grouped by first
# letter: the same matches, found quicker; each is then read with its tagged pattern at its start (text.exact_matches)
PASSIVE_SCAN = grouped(re.compile(PASSIVE.pattern.replace(PREDICATE_TAGGED, PREDICATE, 1)))
ACTIVE_SCAN = grouped(
    re.compile(ACTIVE_PAT.pattern.replace(ACTIVE_ALT, "(?:" + "|".join(p for p, _ in ACTIVE) + ")", 1))
)
LIVES = re.compile(
    r"\b(?:claim|claimed|claiming|claims|took|taking|take|takes|taken|cost|costing|costs)\s+"
    + MARK
    + r"(?:\s+(?:more|other|additional|civilian|innocent|human|young))*\s+lives\b"
)
# "the bodies of another 25", "31 bodies were brought to the hospital", "handed over"
_ANOTHER = r"(?:(?:another|an\s+additional|a\s+further|at\s+least|only|the\s+(?:remaining|last|other))\s+)?"
_BODY_VERBS = r"brought|taken|identified|received|transported|buried|laid|lying|carried|counted"
BODIES = re.compile(
    r"\b(?:recovered|recovering|recovers|recover|found|finding|finds|find|retrieved|retrieving|pulled|pulling|pull|pulls|exhumed|discovered|discovering|collected|unearthed"
    r"|identified|identifying|received|receiving|brought\s+in|transported|buried|burying|counted|counting"
    r"|(?:discovery|recovery|retrieval)\s+of)\s+"
    r"(?:the\s+(?:dead\s+|lifeless\s+|charred\s+|mutilated\s+)?(?:bodies|corpses|remains)\s+of\s+"
    + _ANOTHER
    + MARK
    + r"(?P<np>(?:\s+[a-z\-]+){0,2})"
    r"|" + _ANOTHER + r"⟦(?P<h>\d+)⟧(?P<np4>(?:\s+[a-z\-]+){0,2}?)\s+(?:bodies|corpses|body\b(?!\s+parts?\b)|corpse))"
    # "villagers had taken 12 bodies to the hospital": bodies carried (only the noun right after the count)
    r"|\b(?:taken|took|taking|carried|carrying|brought|bringing|ferried)\s+"
    + _ANOTHER
    + r"⟦(?P<c>\d+)⟧(?P<np5>(?:\s+[a-z\-]+)?)"
    r"\s+(?:bodies|corpses)\b"
    r"|"
    + r"⟦(?P<j>\d+)⟧(?P<np2>(?:\s+[a-z\-]+){0,2}?)\s+(?:bodies|corpses|(?<=⟧\s)(?:body|corpse)(?=\s+(?:recovered|found|retrieved)\b))\s*,?\s+(?:[\w'’\-⟦⟧]+,?\s+){0,8}?(?:recovered|found|retrieved|pulled|exhumed|discovered|washed|unearthed|"  # noqa: E501 (a pattern reads best on one line)
    + _BODY_VERBS
    + r")\b"
    r"|"
    + r"\b(?:bodies|corpses|remains|body|corpse)\s+of\s+"  # "the body of a man was found": one (read as "a")
    + _ANOTHER
    + r"⟦(?P<k>\d+)⟧(?P<np3>(?:\s+[a-z\-]+){0,3}?)\s+(?:\w+\s+){0,3}?"
    r"(?:recovered|found|retrieved|pulled|exhumed|discovered|washed|unearthed|" + _BODY_VERBS + r")\b"
)
# "20 bodies recovered, 14 still in the wreck": the bodies not yet recovered are dead too
BODIES_STILL = re.compile(
    r"⟦(?P<j>\d+)⟧\s+(?:bodies|corpses|body|corpse)\s+(?:(?:were|was|have\s+been|had\s+been)\s+)?"
    r"(?:recovered|found|retrieved|pulled\s+out)\s*(?:,|;|\s+and)\s+(?:another\s+)?"
    + MARK
    + r"\s+(?:(?:are|were|remain|remained)\s+)?(?:still|yet\s+to\s+be)\b"
)
# "Four people were stabbed at a house party": the wounded, unless a death is stated (checked in the grammar)
SHOT_PASSIVE = re.compile(
    MARK + NP + r"\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+(?:(?:also|reportedly)\s+)?(?:shot|stabbed)\b"
    r"(?!\s+(?:dead|and\s+killed|to\s+death))"
)
# "Two others developed hypothermia and died": a fate after a first verb of the same subject
CONJOINED_DEATH = re.compile(
    MARK
    + NP
    + r"\s+(?:(?:later|also)\s+)?(?:[a-z]+ed|fell|ate|drank|got|went|caught|took|ran)\b(?:\s+[a-z\-]+){1,4}?\s+and\s+"
    r"(?:(?:later|subsequently|eventually|then)\s+)?(?:died|perished|succumbed|drowned)\b"
)
# "abducted four aid workers; their bodies were found on Monday": the captives counted before are dead
THEIR_BODIES = re.compile(
    r"\b(?P<whose>their|his|her)\s+(?:(?:dead|lifeless|charred|mutilated|bullet-riddled)\s+)?"
    r"(?:bodies|body|corpses|corpse|remains)\s+(?:(?:were|was|has\s+been|have\s+been|had\s+been|have|had)\s+)?(?:(?:later|since|then|also|eventually|all)\s+)?"
    r"(?:been\s+)?(?:found|recovered|discovered|dumped|retrieved|returned|handed\s+over|dropped|left|pulled|buried|"
    r"exhumed|identified|turned\s+up|washed\s+up)\b"
)
# "recovered two bodies and located eight more": more bodies (only after bodies in the sentence)
MORE_BODIES = re.compile(
    r"\b(?:recovered|found|located|retrieved|pulled\s+out|exhumed|discovered)\s+(?:another\s+)?"
    + MARK
    + r"\s+more\b(?!\s+[a-z]+s\b)"
)
# "N more", "another N", "a further N": an increment of a count stated with it
INCREMENT = re.compile(
    r"⟦(?P<i>\d+)⟧\s+(?:more|additional|further|new)\b|\b(?:another|an\s+additional|a\s+further)\s+⟦(?P<j>\d+)⟧"
    r"|⟦\d+⟧[^⟦;]{0,40}?\bwith\s+⟦(?P<k>\d+)⟧"
)
# "put the toll at 18 on Friday and updated it to 21": the new figure of the count before
REVISED_IT = re.compile(
    r"\b(?:revised|updated|raised|lowered|increased|upped|corrected|adjusted)\s+(?:it|that|this|the\s+figure)\s+"
    r"(?:up(?:wards?)?\s+|down(?:wards?)?\s+)?to\s+" + MARK
)
# "now recorded at 55 with 2 more added": an increment of the count before it, stated without a noun
MORE_ADDED = re.compile(
    r"⟦(?P<i>\d+)⟧\s+(?:more|additional|further|new)\s+(?:(?:deaths|fatalities)\s+)?"
    r"(?:added|recorded|reported|confirmed|registered|logged|overnight|since|in\s+the\s+(?:past|last))\b"
)
INCREMENT_HINT = re.compile(r"⟧\s+(?:more|additional|further|new)\b|\b(?:another|additional|further|with)\s+⟦")
# ", seven female and 19 children" after "45 were male"
GROUP_ITEM = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)⟦(?P<i>\d+)⟧\s+(?P<np>[a-z][\w\-]*)")
SURVIVORS_FOUND = re.compile(
    MARK
    + r"(?P<np>(?:\s+(?:more|other|additional))?\s+survivors?)(?:\s+(?:have|has|had|were|was|been|so\s+far|now|also))*"
    r"\s+(?:found|located|reached|pulled\s+out|rescued)\b"
)
# "held 30 passengers hostage", "took 12 people captive"
HOSTAGE = re.compile(
    r"\b(?:held|holding|holds|hold|took|taking|takes|take|seized|kept|keeping)\s+"
    + MARK
    + NP
    + r"\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)\b"
)
POPULATION_IS = re.compile(
    r"\bpopulation\b(?P<mid>[^⟦.;]{0,40}?)\b(?:is|was|stands\s+at|stood\s+at|of|at|numbers|numbered|reached|exceeds|"
    r"(?:fell|fallen|dropped|declined|shrank|shrunk|grew|grown|rose|risen|increased|swelled|swollen|climbed|jumped|"
    r"decreased)\s+(?:to|past|above)|"
    r"exceeded|totals|totalled|totaled|:)\s*" + MARK + NP
)
# "The latest deaths bring to 42 the number of people killed": the running count, before what it counts
BRING_TO = re.compile(
    r"\b(?:bring|brings|bringing|brought|raise|raises|raising|raised|push|pushes|pushing|pushed|take|takes|taking|took)"
    r"\s+to\s+" + MARK + r"\s+the\s+(?:overall\s+|total\s+)?(?:number|toll|tally|count|total)\s+of\s+"
    r"(?:(?:people|persons|those|civilians|children|victims)\s+)?(?:(?:who\s+(?:have|had)\s+)|(?:confirmed|reported)\s+)?"
    r"(?P<w>killed|dead|died|deaths|injured|wounded|missing|displaced|infected|infections|cases|arrested|detained|"
    r"abducted|kidnapped)\b"
)
# Verbs of a count moving or standing at a figure ("rose to", "climbed past", "stands at", "topped")
RISE_VERBS = (
    r"rose|risen|rises|rising|climbed|climbs|climbing|jumped|jumps|increased|increases|reached|reaches|reach|hit|hits|"
    r"stood\s+at|stands\s+at|standing\s+at|exceeded|exceeds|surpassed|surpasses|topped|tops|passed|passes|crossed|"
    r"nears|neared|nearing|approached|approaches|approaching|soared|soars|surged|surges|touched|touches|"
    r"totalled|totaled|totals|rise|climb|jump|soar|surge|top|(?:went|gone|goes|go)\s+up|grew|grown|grows|swelled|swollen|swells"
)
# "The death toll from three recent storms has risen to 19": a count of events, periods or places inside a toll's
# phrase, no figure of it
EVENT_COUNT = (
    r"⟦\d+⟧(?=\s+(?:[a-z\-]+\s+){0,2}?(?:storms|typhoons|cyclones|hurricanes|quakes|earthquakes|tremors|floods|"
    r"landslides|mudslides|attacks|blasts|bombings|explosions|raids|strikes|airstrikes|shootings|clashes|days|weeks|"
    r"months|nights|incidents|accidents|crashes|fires|waves|outbreaks|districts|provinces|states|regions|countries|"
    r"villages|towns|cities)\b)"
)
# ", including 18 children," between a toll and its verb ("the death toll, including 18 children, stood at 51")
TOLL_ASIDE = r",\s*(?:including|among\s+them)\s+⟦\d+⟧[^⟦.;,]{0,40},"
TOLL = re.compile(
    r"\b(?P<w>death|deaths|casualty|fatality|fatalities|injury|injuries|the|final|official|overall|total|its|latest|new|provisional|updated|current|human)?"
    r"(?:\s+(?:death|casualty|injury))?\s+(?:toll|tally|count|figure)\b"
    r"(?P<mid>(?:(?!toll\b)[^⟦.;]|⟦x⟧|" + EVENT_COUNT + "|" + TOLL_ASIDE + r"){0,160}?)"
    r"\b(?P<link>rose|risen|rises|rising|climbed|climbs|climbing|jumped|jumps|increased|increases|reached|reaches|reach|hit|hits|"
    r"stood\s+at|stands\s+at|standing\s+at|is|was|to|at|of|exceeded|exceeds|surpassed|surpasses|topped|tops|passed|"
    r"crossed|nears|neared|nearing|approached|approaches|approaching|soared|soars|surged|surges|passes|touched|touches|"
    r"now|:|higher\s+than|greater\s+than|by\s+⟦(?P<by>\d+)⟧\s+to)\s*"
    r"(?:(?:past|beyond|above|(?:now\s+)?in(?:to)?\s+the|in\s+excess\s+of|higher\s+than|greater\s+than)\s+)?"
    + MARK
    + NP
)
# "Deaths from the floods have reached 70", "fatalities rose to 30", "deaths, however, are lower this year at 164"
COUNT_NOUN_RISES = re.compile(
    r"\b(?P<w>deaths|fatalities|injuries|arrests|casualties|evacuations|abductions|cases|infections)\b"
    r"(?P<mid>(?:[^⟦.;,]|⟦x⟧|" + EVENT_COUNT + r"|,\s*however\s*,){0,50}?)"
    rf"\b(?:{RISE_VERBS}|stand\s+at|total|numbered|number|exceed|surpass|fell|fallen|dropped|declined|decreased|"
    r"(?:are|were)\s+(?:lower|higher|down|up)\b(?:[^⟦.;,]|⟦x⟧){0,30}?\bat)\s+(?:to\s+|at\s+|past\s+|beyond\s+|above\s+)?"
    + MARK
    + NP
)
NUMBER_OF = re.compile(
    r"\b(?:number|tally|count)\s+of\s+(?:(?:people|those|persons|civilians|victims|individuals)\s+)?"
    r"(?:(?:reported|confirmed|officially|still|believed|internally)\s+)?"
    r"(?:[a-z\-]+\s+(?=cases\b))?(?P<w>dead|deaths|killed|fatalities|martyrs|injured|wounded|injuries|"
    r"missing|displaced|evacuated|evacuees|arrested|arrests|detained|kidnapped|abducted|rescued|affected|refugees|cases|"
    r"infections|infected|homeless|uprooted|idps|internally\s+displaced(?:\s+(?:people|persons))?|held\s+in\s+(?:police\s+|pre-?trial\s+)?(?:custody|detention)|in\s+need|"
    r"forced\s+to\s+flee|forced\s+from\s+their\s+homes|fled|fleeing)\b"
    # (an aside in brackets counts as one step: "typhoons Nika (international name: Toraji), Ofel (…)")
    # (one way only to read each bracket, so that a failing match cannot backtrack through both)
    r"(?P<mid>(?:\([^()⟦.;]{0,40}\)|\((?![^()⟦.;]{0,40}\))|[^⟦.;(]|⟦x⟧|" + EVENT_COUNT + r"){0,110}?)"
    # "grew by more than 90,000 to 1.2 million": the rise is a part of the count (see `_tolls`)
    rf"\b(?P<link>(?:{RISE_VERBS})\s+by\s+⟦(?P<by>\d+)⟧\s+to|{RISE_VERBS}|is|was|to|at|:)\s*"
    # "at just nine", "passed the 2 million mark"
    r"(?:(?:past|beyond|above|to|only|just|the)\s+){0,2}" + MARK + NP
)
THE_DEAD = re.compile(
    r"\b(?:(?:the|those)\s+(?P<w>dead|killed|injured|wounded|missing|arrested|detained|kidnapped|abducted|rescued|evacuated|displaced|fatalities|deaths|victims)"
    r"(?:\s+[a-z\-]+){0,2}?\s+(?:included|include|includes|including|were|are|comprised|comprise|numbered|number|totalled|totaled|totaled|"
    r"exceeded|exceeds|topped|surpassed|(?:rose|climbed|risen|climbed|jumped)\s+to|stood\s+at|stand\s+at)"
    r"|among\s+(?:the|those)\s+(?:who\s+(?:were\s+)?)?(?P<w2>dead|died|killed|injured|wounded|hurt|missing|arrested|detained|kidnapped|abducted|rescued|evacuated|displaced)"
    r"(?:\s+(?:were|are|was|is))?)"
    r"\s+(?:(?:a\s+total\s+of|at\s+least)\s+)?" + MARK + NP
)
SUBSET = re.compile(
    r"(?:\bincluding|\bincl\.?|\bamong\s+(?:them|whom|those)(?:\s+(?:were|are|was))?|\bof\s+(?:whom|them|those)|\bmostly|\bmainly|\bincluded)\s+"
    r"(?:(?:at\s+least|as\s+many\s+as)\s+)?" + MARK + NP
)
# A subset's lead word right before a number: that number belongs to the count before it
SUBSET_LEAD = re.compile(r"\b(?:including|included|among\s+(?:them|whom)|of\s+whom)\s+(?:(?:at\s+least|some)\s+)?$")
# "including 6 children and ⟦2⟧ women": the count ends a subset list (so "..., and 27 were wounded" is not its verb)
SUBSET_LIST_LEAD = re.compile(
    r"\b(?:including|incl\.?|among\s+(?:them|whom))\s+(?:(?:at\s+least|some)\s+)?⟦\d+⟧[^⟦;.]{0,40}?(?:,\s*|\s+and\s+)$"
)
BEFORE_COORD = re.compile(MARK + NP + r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:his|her|their)\s+)?$")
# ", 11 of them children" after a fact: a subset with its own subject
SUBSET_AFTER = re.compile(
    r"(?:,|;|--|—|–)\s*"
    + MARK
    + r"\s+of\s+(?:them|whom)\s+(?:were\s+|are\s+|being\s+)?(?P<np>(?:\s*[a-z][\w'’\-]*){1,3})"
)
# "..., bringing the total to 45": a running total of the same kind as the fact before it
RUNNING_TOTAL = re.compile(
    r"\b(?:bringing|raising|taking|pushing|brings|raises|takes|pushes|brought|raised|took|pushed)\s+(?:the\s+|its\s+)?"
    r"(?:[a-z\-]+(?:['’]s)?\s+){0,2}?(?:total|tally|number|figure|count|toll)\b(?:\s+[a-z]+){0,5}?\s+to\s+" + MARK + NP
)
MARK_NP = re.compile(MARK + NP)
# "members of one family": "one" is no count
ONE_FAMILY = re.compile(r"(?<=\b[oO]ne)\s+(?:single\s+)?(?:family|household|clan)\b")
# "took 40 of them into custody"
CUSTODY = re.compile(r"\b(?:took|taken|taking|takes|take)\s+" + MARK + NP + r"\s+into\s+(?:police\s+)?custody\b")
# "Nine soldiers were among the 31 people killed": a part of the count after it
AMONG_COUNT = re.compile(MARK + NP + r"\s+(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:(?:the|those)\s+)?⟦(?P<j>\d+)⟧")
# "38 women were among those taken", "eight children were among them": a part of a count stated before
AMONG_GROUP = re.compile(
    MARK
    + NP
    + r"\s+(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:(?:the|those)\s+(?:[a-z]+\s+)?(?P<w>dead|killed|victims|"
    r"injured|wounded|missing|taken|abducted|kidnapped|seized|arrested|detained|rescued|evacuated|displaced|released|freed)|them)\b"
)
# Captors in view: "released" persons are freed hostages (not prisoners or reports)
CAPTIVE_CONTEXT = re.compile(
    r"\b(?:abduct\w*|kidnap\w*|hostages?|captives?|captors?|captivity|ransom|gunmen|bandits|held\s+since)\b"
)
NOT_CAPTIVES = frozenset("prisoners inmates detainees convicts suspects protesters protestors activists".split())
AMONG_WORD_KIND = {
    "dead": "killed",
    "taken": "kidnapped",
    "seized": "kidnapped",
    "abducted": "kidnapped",
    "wounded": "injured",
    "detained": "arrested",
}
# "Among the 21 injured were four firefighters": the same with the whole first
AMONG_FIRST = re.compile(
    r"\bamong\s+(?:the|those)\s+⟦(?P<j>\d+)⟧(?:\s+[a-z]+){0,3}?\s+(?:were|was|are|is)\s+(?:also\s+)?" + MARK + NP
)
# "two-thirds of the town's 60,000 inhabitants have fled": the number is the whole, not those who fled
FRACTION_OF = re.compile(
    r"\b(?:half|halves|thirds?|quarters?|fifths?|tenths?|percent|per\s+cent|%|majority|most|some|many|"
    r"part|parts|rest|remainder|bulk|fraction|proportion|share|few)\s+of\s+"
    r"(?:(?:the|its|their|his|her|these|those|[a-z\-]+['’]s)\s+)*(?:(?:estimated|entire|whole|total)\s+)?$"
)
# "half of the 40 dead", ", a third of them children": a share of a count (the share word may be a ⟦x⟧ marker)
FRACTION_OF = grouped(FRACTION_OF)  # (its share words grouped by first letter: the same matches, quicker)
FRACTION_PART = re.compile(
    r"(?:(?<=^)|(?<=[\s,;—–\-]))(?P<f>half|⟦x⟧|(?:a|one|two|three)[\s\-](?:thirds?|quarters?))\s+of\s+"
    r"(?:(?:the|those|these)\s+⟦(?P<i>\d+)⟧(?=\s+(?:people\s+)?(?:dead|killed|victims|injured|wounded|missing|"
    r"abducted|kidnapped|arrested|detained|displaced|evacuated|rescued)\b)|(?:them|whom)\b)"
)
OF_THE_GROUP = re.compile(
    MARK + r"\s+of\s+(?:the|those)\s+(?P<w>wounded|injured|dead|killed|deaths|fatalities|missing|abducted|kidnapped|"
    r"arrested|detained|displaced|evacuated|evacuees|rescued)\b(?!\s+(?:soldiers|people|[a-z]+s)\b)"
)
FIELD = re.compile(
    r"(?:^|[.;]\s*|\(\s*)(?:(?:reported|confirmed|total|estimated|recorded)\s+)?"
    r"(?P<w>fatalities|deaths|killed|dead|injured|wounded|injuries|arrested|arrests|abducted|"
    r"kidnapped|displaced|missing)"
    # "Fatalities across both days: at least 17 soldiers", "Deaths in total: about 40"
    r"(?:\s+(?:across|over|during|in|on|for|from)(?:\s+(?:[a-z\-]+|⟦x⟧|⟦\d+⟧)){1,3}?|\s*\([a-z\s\-]{1,30}\)"
    r"|\s+(?:reported|confirmed|recorded|so\s+far))?\s*:\s*"
    r"(?:(?:at\s+least|about|around|some|over|more\s+than|nearly|up\s+to)\s+)?"
    + MARK
    # "Fatalities: 6 soldiers; 4 wounded", "Injured: 3 police officers": the field may name who, a plural
    # noun (after at most two words) before the next field
    + r"(?:(?:\s+[a-z]+){0,2}\s+(?:[a-z]+s|people|police|men|women|children)(?=\s*(?:[;,.()]|$)))?(?!\s*[a-z])"
    r"|\b(?:and|,)\s+(?:the\s+)?(?:number\s+of\s+)?(?P<w2>injured|wounded|dead|missing|displaced|injuries)\s+at\s+⟦(?P<j>\d+)⟧"
)
# "stabbing 2 people to death", "beat a man to death" (not "sentenced 12 people to death")
TO_DEATH = re.compile(
    r"\b(?:stabb(?:ed|ing)|stabs?|beat|beats|beating|beaten|burn(?:ed|ing|t|s)?|hack(?:ed|ing|s)?|"
    r"ston(?:ed|ing|es)|clubb(?:ed|ing)|crush(?:ed|ing|es)|trampl(?:ed|ing|es)|shoot(?:ing|s)?|shot|"
    r"bludgeon(?:ed|ing|s)?|starv(?:ed|ing|es)|lynch(?:ed|ing|es)?|torture(?:d|s)?|torturing)\s+"
    + MARK
    + NP
    + r"\s+(?:to\s+death|dead)\b"
)
CONTINUATION = re.compile(
    r"\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+|along\s+with\s+|together\s+with\s+)?|\s+and\s+|"
    r"\s+as\s+well\s+as\s+|\s+plus\s+|\s+along\s+with\s+|\s+together\s+with\s+)"
    r"(?:(?:his|her|their|its)\s+)?" + MARK + NP
)
RESIDENTS = re.compile(
    r"(?:\b(?:home\s+to|has|have|had|with|its|their|'s|’s)\s+(?:(?:a\s+total\s+of|roughly|about)\s+)?)"
    + MARK
    + r"(?P<np>(?:\s+[a-z\-]+){0,2}?\s+(?:inhabitants|residents|people\s+live|people\s+living|souls))\b"
    r"|"
    + r"⟦(?P<j>\d+)⟧(?P<np2>(?:\s+[a-z\-]+){0,1}?\s+(?:people|residents|inhabitants))\s+(?:live|lived|living|reside|resided)\s+in\b"  # noqa: E501 (a pattern reads best on one line)
    # "1,700 people lived in the multi-storey building": the people of one building are no population
    r"(?!\s+(?:the|a|an|this|that)\s+(?:[a-z\-]+\s+){0,2}?(?:building|block|tower|complex|apartment|house|hostel|dormitory)s?\b)"
)
# Rescue workers stranded or trapped on their way are no victims ("870 rescuers had been stranded en route")
RESPONDERS = frozenset("rescuers responders firefighters firemen medics paramedics".split())
ZERO = re.compile(
    r"(?P<z>\bno\s+one|\bno-one|\bnobody|\bnone)\s+(?:else\s+)?(?:(?:was|were|is|are|has|have|had|been|being|got|reportedly|seriously|"
    r"critically|badly|believed|thought|reported|known|to|of\s+(?:them|the\s+[a-z]+))\s+){0,4}"
    r"(?P<pred>killed|dead|died|hurt|injured|wounded|harmed|missing|arrested|detained|kidnapped|abducted|displaced)\b"
    r"|(?P<z2>\bno)\s+(?:(?:reported|known|other|serious|civilian|human|major|confirmed)\s+)?"
    r"(?P<pred2>deaths|fatalities|casualties|injuries|arrests|(?:lives|one|people|persons|civilians)\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+(?:killed|lost|injured|hurt|wounded))\b"
    r"(?:\s+or\s+(?P<pred3>injuries|deaths|casualties))?"
    r"|(?P<z3>\bwithout)\s+(?:any\s+)?(?P<pred4>casualties|injuries|fatalities|loss\s+of\s+life|deaths)\b"
    r"|(?P<z4>\bnone)\s+of\s+(?:the\s+|its\s+|their\s+)?(?:⟦\d+⟧\s+)?(?:[a-z\-]+\s+){0,3}?(?:was|were|had\s+been|has\s+been|have\s+been|got)\s+"
    r"(?:(?:seriously|badly|reportedly)\s+)?(?P<pred5>killed|hurt|injured|wounded|harmed)\b"
    r"|(?<!\bnot\s)\b(?P<pred6>killed|killing|injured|injuring|wounded|wounding|hurt|hurting)\s+(?P<z6>no\s+one|nobody)\b"
)
NONE_SURVIVED = re.compile(
    r"\bnone\s+of\s+(?:the\s+|its\s+|their\s+)?"
    + MARK
    + NP
    + r"(?:\s+(?:on\s+board|aboard|inside))?\s+(?:survived|made\s+it\s+out\s+alive|escaped\s+alive)\b"
    # "carrying 71 people, none of whom survived"
    + r"|"
    + MARK.replace("?P<i>", "?P<i3>")
    + NP.replace("?P<np>", "?P<np3>")
    + r"(?:\s+(?:on\s+board|aboard|inside))?\s*,\s*none\s+of\s+(?:whom|them)\s+(?:survived|made\s+it\s+out\s+alive)\b"
    # "there were no survivors among the 157 people on board"
    + r"|\bno\s+(?:one\s+)?survivors?\s+(?:among|of|from)\s+(?:the\s+|its\s+|their\s+)?(?:all\s+)?"
    + MARK.replace("?P<i>", "?P<i2>")
    + NP.replace("?P<np>", "?P<np2>")
)
TREATED_FOR = re.compile(
    r"\b(?:treated|treating|treats|admitted|admitting)\s+"
    + MARK
    + NP
    + r"\s+(?:for|with)\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns|gunshot\s+wounds|smoke\s+inhalation|"
    r"fractures)\b"
)
# "clinics have treated 2,600 people for cholera": cases of the disease
TREATED_FOR_ILLNESS = re.compile(
    r"\b(?:treated|treating|treats|admitted|admitting)\s+" + MARK + NP + r"\s+(?:for|with)\s+" + ILLNESS + r"\b"
)
NONE_OF = re.compile(r"\bnone\s+of\s+(?:the\s+|its\s+|their\s+)?" + MARK)
ZERO_KIND = {
    "killing": "killed",
    "injuring": "injured",
    "wounding": "injured",
    "hurting": "injured",
    "killed": "killed",
    "dead": "killed",
    "died": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "casualties": "killed",
    "lost": "killed",
    "loss of life": "killed",
    "hurt": "injured",
    "injured": "injured",
    "wounded": "injured",
    "harmed": "injured",
    "injuries": "injured",
    "missing": "missing",
    "arrested": "arrested",
    "detained": "arrested",
    "arrests": "arrested",
    "kidnapped": "kidnapped",
    "abducted": "kidnapped",
    "displaced": "displaced",
}

# Things counted that are not people: never a casualty kind (docs/facts.md: animals, homes, money).
NON_PERSON = frozenset(
    """
homes home houses house buildings building structures shelters tents livestock cattle cows cow goats
sheep camels animals animal heads head birds chickens poultry dogs horses donkeys pigs fish hectares
acres km kilometres kilometers miles metres meters tonnes tons kg vehicles cars trucks boats ships
schools hospitals villages towns districts counties provinces dollars euros pounds percent years
days hours weeks months minutes times rounds rockets missiles shells bombs drones aircraft planes
jets tanks weapons guns rifles shops businesses crops trees roads bridges sites facilities
mosques churches incidents attacks strikes airstrikes raids points goals seats votes
tablets doses pills tonnes barrels litres liters gallons kilograms pounds flights elephants lions rhinos
wolves bears deer whales dolphins turtles monkeys cats rats mice mosquitoes locusts bees ducks hens fowl
buffalo buffaloes oxen mules calves lambs pets computers devices accounts hectare acre
containers trailers tankers lorries wagons carriages parcels packages""".split()
)
PERSONISH = frozenset(
    """people persons person civilians civilian children child men man women woman
soldiers soldier troops police policemen officers residents villagers others students pupils workers
members fighters militants rebels attackers gunmen protesters demonstrators passengers migrants
refugees survivors victims hostages captives abductees detainees prisoners inmates pilgrims worshippers
personnel staff crew family relatives""".split()
)
# A sentence about one place ("In Sindh province, 41 people died") after a toll over a wider area
# ("across the country", "nationwide", "in all") reports a part of it
PLACE_LED = re.compile(r"(?:In|At|Across)\s+(?:the\s+)?[A-Z][\w\-']+(?:\s+[A-Z\w][\w\-']*){0,3}\s*,")
WIDE_AREA = re.compile(
    r"\b(?:across|nationwide|country-?wide|throughout|in\s+all|in\s+total|overall|(?:several|many|\d+|[A-Za-z]+)\s+"
    r"(?:provinces|states|districts|regions|countries|cities|towns|villages))\b"
)
# Subjects that name no particular group: a smaller count of them is not a part by its noun.
GENERIC_PEOPLE = frozenset("people persons person others individuals residents inhabitants".split())
SUBJECT_SKIP = frozenset("of more other additional another further the".split())

# Singular person nouns that make "a"/"an" the number one ("a soldier was killed", "killing a civilian").
PERSON_COMMON_SINGULAR = frozenset(
    """
man woman child boy girl baby infant toddler teenager teen youth person civilian soldier policeman
policewoman officer guard trooper member resident villager farmer herder student pupil teacher
journalist reporter photographer worker driver passenger pilgrim protester demonstrator militant
fighter rebel insurgent gunman attacker bomber suspect leader commander chief official doctor nurse
medic paramedic volunteer trader shopkeeper vendor worshipper priest imam pastor cleric elder mother
father son daughter wife husband brother sister relative tourist migrant refugee prisoner inmate
detainee hostage miner fisherman motorist cyclist pedestrian sergeant captain colonel general
lieutenant politician councillor mayor governor activist employee contractor engineer citizen
national foreigner local shepherd labourer laborer boatman rider security guard staffer
thief robber bandit kidnapper criminal herdsman herdswoman fisherwoman businessman businesswoman
cameraman chairman spokesman congressman lawmaker legislator minister deputy judge lawyer prosecutor
policeman gendarme militiaman militia-man jihadist extremist terrorist separatist rebel combatant
christian muslim hindu monk nun missionary catechist chief headman landlord tenant neighbour neighbor
pilot sailor seaman crewman crew-member firefighter rescuer ranger warden soldier marine airman
infantryman recruit conscript veteran colonel major corporal private commando sniper insurgent
cleric scholar professor lecturer principal headteacher schoolboy schoolgirl student learner
patient doctor surgeon pharmacist midwife health-worker aid-worker humanitarian peacekeeper
observer contractor technician mechanic electrician trucker porter miner villager farmer peasant
hunter poacher smuggler trafficker dealer vendor hawker merchant customer shopper diner guest
bystander passer-by passerby onlooker witness survivor victim youngster adolescent minor newborn
groom bride guest host driver's girlfriend ruler king emir sultan chieftain guide mourner musician
singer cashier bodyguard guard escort companion colleague friend cleaner agent conductor watchman
gatekeeper vigilante cook waiter janitor
partner stepson stepdaughter grandson granddaughter child-soldier teenager toddler boyfriend
grandmother grandfather uncle aunt cousin nephew niece fiancée fiance
""".split()
)
PERSON_COMMON_SINGULAR |= frozenset(
    "mastermind ringleader accomplice gunman assailant perpetrator shooter hijacker abductor captor raider".split()
)
# "two Indian nationals and a Pakistani": a demonym used as a noun is a person
NATIONALITY_SINGULAR = frozenset(d.lower() for d in DEMONYMS if " " not in d) | frozenset(
    """briton scot swede dane finn pole turk thai filipino spaniard dutchman frenchman englishman irishman
welshman scotsman icelander""".split()
)
PERSON_SINGULAR = PERSON_COMMON_SINGULAR | NATIONALITY_SINGULAR


# "a village head", "two community heads": "head" names a person after these (a thing or cattle otherwise)
HEAD_MODIFIERS = frozenset("village community clan tribal traditional family household school ward hamlet".split())


def titled_head(words: list[str]) -> bool:
    """The noun phrase ends in a person called a head ("village head", "community heads")."""
    return len(words) > 1 and words[-1] in ("head", "heads") and words[-2] in HEAD_MODIFIERS


def nationals(word: str) -> bool:
    """A plural demonym ("Palestinians", "Somalis"): the people of a place ("home to 2.2 million Palestinians")."""
    return word.endswith("s") and (word[:-1] in NATIONALITY_SINGULAR or word[:-2] in NATIONALITY_SINGULAR)


def person_noun(word: str) -> bool:
    """A (plural or singular) noun naming people: "suspects", "pupils", "worshippers", "Britons", "policemen"."""
    if word in PERSONISH or word in PERSON_SINGULAR:
        return True
    if word in NON_PERSON:
        return False
    if word.endswith("men"):  # "gunmen", "fishermen", "women"
        return True
    for stem in (word[:-1] if word.endswith("s") else None, word[:-2] if word.endswith("es") else None):
        if stem and stem in PERSON_SINGULAR:
            return True
    return word.endswith(("ers", "ians", "ists", "ents"))


_ARTICLE_WORD = r"(?:(?:[a-z]\.){2,}|[\w'’\-\u2010\u2011]+)"  # "a U.S. soldier": an initialism is a word
ARTICLE_ONE = re.compile(
    rf"\b(?P<a>an?|another)(?=\s+(?P<words>(?:{_ARTICLE_WORD}\s+){{0,3}}{_ARTICLE_WORD}))", re.IGNORECASE
)
ANOTHER_PRONOUN = re.compile(
    # "a fifth was treated for smoke inhalation": an ordinal standing for one more person (not "a third of")
    r"(?<![\w\-])a\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?=\s+(?:was|is|had|has|died|later|"
    r"succumbed|remains|remained|sustained|suffered|escaped)\b)|"
    r"(?<=\s)another(?=\s*(?:[,.;:!?)]|$|\s+(?:and|in|on|at|was|were|is|who|later|by|during|when|while|after|succumbed|died|sustained|suffered)\b)"
    # "a soldier was killed and another injured when ...": the elided predicate, no noun after it
    r"|\s+(?:seriously\s+|critically\s+|badly\s+)?(?:injured|wounded|hurt)(?=\s*(?:[,.;:!?)]|$|\s+(?:and|in|on|at|when|while|after|by|during|as)\b)))",
    re.IGNORECASE,
)
DEFINITE_AFTER_VERB = re.compile(  # (the lookahead: how either alternative starts, a cheap test of each position)
    r"(?=[abdehiklmstw]|\s+(?:and|as)\s|,\s+[ht])(?:\b(?:killing|killed|kills|kill|wounding|wounded|injuring|injured|abducting|abducted|kidnapping|kidnapped|"
    r"beheading|beheaded|executing|executed|murdering|murdered|shot\s+dead|shooting\s+dead|abducting|"
    r"lynched|lynching|(?:stabbed|hacked|beat|beaten|burnt|burned)\s+to\s+death|(?:took|taking)\s+hostage|"
    r"arresting|arrested|detaining|detained|including|among\s+them|among\s+whom)\s+"
    r"(?P<a>the|his|her|their)(?=\s+(?P<words>\w[\w'’\-]*(?:\s+[a-z][\w'’\-]*)?))"
    # "a journalist and his bodyguard", "a woman and her child", "a man, his wife and two children": a singular
    # coordinated with a count
    r"|(?<=\w)(?:\s+(?:and|as\s+well\s+as)|,)\s+(?P<a2>the|his|her|their)(?=\s+(?P<words2>\w[\w'’\-]*(?:\s+[a-z][\w'’\-]*)?)"
    r"(?:\s+(?:were|was|have|had|are|died)\b|\s*[,.;]|\s*$|\s+(?:in|near|at|on|during|before|after|when|outside|inside|from|"
    r"with|who|while|as|of|and)\b)))",
    re.IGNORECASE,
)
# (the same matches in the lower-cased sentence, quicker: the pattern is written without capitals for it)
DEFINITE_AFTER_VERB_LOWER = for_lowered_text(DEFINITE_AFTER_VERB)
# "his 12-year-old son was wounded", "The 45-year-old man was shot dead": a possessive singular, or a definite one
# with an age, as the subject of a fate is one person (a bare "the police chief was killed" is not: it repeats
# someone already counted, or no one)
DEFINITE_SUBJECT = re.compile(
    r"(?=[htHT])\b(?P<a>his|her|their|the(?=\s+\d+-year-old\b|\s+(?:[a-z][\w'’\-]*\s+)?[a-z][\w'’\-]*,\s+\d{1,3},))"
    r"(?=\s+(?P<words>(?:\d+-year-old\s+)?(?:[a-z][\w'’\-]*\s+)?[a-z][\w'’\-]*)"
    # "The victim, 23, was killed", "The man, 45, died": an apposed age
    r"(?P<age>,\s+\d{1,3},)?\s+(?:(?:was|had\s+been|has\s+been)\s+"
    r"(?:(?:also|later|reportedly|critically|seriously|badly|fatally|slightly)\s+)*"
    r"(?:killed|shot\s+dead|wounded|injured|hurt|(?:stabbed|beaten|hacked)\s+to\s+death|abducted|kidnapped)|"
    r"(?:later\s+)?(?:died|drowned|succumbed|perished))\b)",
    re.IGNORECASE,
)
# "The driver and 8 passengers were killed": a definite singular coordinated with a count, one subject of a fate
DEFINITE_AND_COUNT = re.compile(
    r"\b(?P<a>[Tt]he)(?=\s+(?P<words>[a-z][\w\-]*)\s+and\s+(?:\d[\d,]*|[a-z]+)\s+(?:other\s+)?[a-z][\w\-]*s\s+"
    r"(?:were|have\s+been|had\s+been)\s+(?:(?:all|also|reportedly)\s+)?(?:killed|injured|wounded|hurt|abducted|kidnapped)\b)"
)
# "both attackers were killed", "both of the gunmen died": two people (a bare "both were taken to hospital" restates
# two already counted)
BOTH = re.compile(
    r"(?=[bB])\b(?P<a>both)(?=\s+(?:of\s+(?:the|these|those)\s+)?(?P<noun>[a-z][\w\-]*)\s+"
    r"(?:were|have\s+been|had\s+been|died)\b)",
    re.IGNORECASE,
)
# "the victim, a 32-year-old trader, died on the spot": the one person in apposition to the victim
APPOSED_VICTIM = re.compile(
    r"\bthe\s+(?:victim|deceased)\s*,\s*" + MARK + NP + r"\s*,\s+(?:who\s+)?"
    r"(?:(?:was|had\s+been|has\s+been|also|later|reportedly)\s+)*(?P<pred>killed|died|shot\s+dead|succumbed)\b"
)
ARTICLE_BLOCKERS = frozenset(
    """total number lot few couple handful dozen hundred thousand million further another
and or of the was were is are has had by with in on at who that which""".split()
)

HYPOTHETICAL_BEFORE_VERB = re.compile(
    r"(?:\b(?:could|would|might|will|shall|should|can|cannot|to|not|never|threaten\w*|vow\w*|plan\w*|intend\w*|"
    r"aim\w*|attempt\w*|tr(?:y|ied|ies|ying)|want\w*|warn\w*|fear\w*|risk\w*|potentially|enough|if|unless|"
    r"would\s+have|could\s+have|might\s+have)|n't|cannot)\s+(?:(?:have|be|been|also|still|potentially|easily|further)\s+)*$"
)
# Denials bind to what follows them: "denied that 50 were killed", "rejected claims that ...",
# not "denied responsibility for the attack, which killed 12".
# "claimed to have killed", "is believed to have abducted": reported, not hypothetical
REPORTED_PERFECT = re.compile(
    r"\b(?:claim\w*|said|says|reported(?:ly)?|believed|thought|known|alleged(?:ly)?|estimated|appears?|appeared|"
    r"seems?|seemed|understood|confirmed|admitted|acknowledged)\s+to\s+(?:have\s+(?:been\s+|also\s+)*|be\s+(?:still\s+)?)$"
)


# "a camp built in 2014 for 20,000 refugees", "a capacity of 5,000 IDPs": room for people, no count of them
CAPACITY_BEFORE = re.compile(
    r"\b(?:(?:built|designed|meant|intended|equipped|planned|prepared)\b(?:[^.;]{0,25}?\s)?"
    r"(?:for|to\s+(?:house|hold|accommodate|shelter|host|receive))|(?:capacity|room|space)\s+(?:of|for))\s+"
    r"(?:(?:up\s+to|about|some|around|nearly|more\s+than|over)\s+)?$"
)


def hypothetical(before: str) -> bool:
    """True when the text just before a verb makes it a threat, a possibility or a negation."""
    return (
        bool(HYPOTHETICAL_BEFORE_VERB.search(before))
        and not REPORTED_PERFECT.search(before)
        and not COMPARED_TO.search(before)
    )


# "compared to 15,599 cases in 2018": an earlier figure for comparison, no "to" of a plan; "has led to
# (the) death of 30 people": a preposition before a noun of killing
COMPARED_TO = re.compile(r"\b(?:compared|led|leading|leads|lead|contributed|contributing|due|owing)\s+to\s*$")


DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|refut(?:e|ed|es|ing)|reject(?:ed|s|ing)?|dismiss(?:ed|es|ing)?|disput(?:e|ed|es|ing))"
    r"\s+(?:(?:the|a|any|those|these|earlier|media|press|online)\s+)*(?:that|reports?|claims?|allegations?|accusations?|"
    r"suggestions?|rumou?rs?|figures?|tolls?|having|it\s+had|they\s+had)\b[^;⟦]{0,60}$"
    r"|\b(?:false(?:ly)?|untrue|no\s+evidence|unfounded|baseless|fake|rumou?red)\b[^;,⟦]{0,40}$"
)
CONDITIONAL = re.compile(r"\b(?:if|unless|whether|lest|in\s+case)\b[^,;]{0,60}$")
FORECAST_MID = re.compile(
    r"\b(?:could|would|might|may|will|shall|expected|likely|feared|fear|fears|projected|forecast|"
    r"predicted|estimated\s+to|set\s+to|threatens|threatened|risk)\b"
)
# Predicates that, with an object after them, make the number the doer ("5 gunmen killed 12")
TRANSITIVE_PREDICATES = frozenset(
    """killed injured wounded hurt kidnapped abducted arrested detained displaced evacuated rescued affected
seized executed murdered massacred beheaded maimed""".split()
)
# Predicates that may stand as an adjective before the counted noun ("35 injured people")
ADJECTIVE_PREDICATES = frozenset(
    """injured wounded dead displaced missing evacuated rescued arrested detained kidnapped abducted affected
stranded marooned""".split()
)
ACTIVE_OBJECT = re.compile(
    r"\s+(?:⟦\d+⟧|(?:a|an|the|his|her|their|its|him|them|us|me|dozens|scores|hundreds|thousands|"
    r"several|many|some|at\s+least|more\s+than)\b)"
)
AMBIGUOUS_AFTER = re.compile(r"\s+(?:or|and/or|and)\s+(?:injured|wounded|hurt|killed)\b")
# "1,630 people were killed, wounded or kidnapped": one count of several fates, no toll of any
_FATE = r"(?:injured|wounded|hurt|killed|kidnapped|abducted|missing|disappeared)"
MIXED_FATES_AFTER = re.compile(rf"\s*,\s*{_FATE}\s*,?\s+(?:or|and/or)\s+{_FATE}\b")


MAY_HAVE_SINGULAR = grouped(re.compile(r"\b(?:an?|the|his|her|their|another|both)\b", re.IGNORECASE))

# --- parts of a total ----------------------------------------------------------------------

# One item of a breakdown: "12 in Misrata", "61 soldiers", "14 police officers"
_ITEM = rf"⟦\d+⟧(?:\s+(?:in|at|from|on)\s+(?:the\s+)?{NPWORD}(?:\s+{NPWORD}){{0,2}}|(?:\s+{NPWORD}){{1,3}})"
# ", 61 soldiers and 14 police officers" / ", 12 in Misrata and three in Zawiya" right after a count:
# a list of at least two items with no predicate of their own
BREAKDOWN = re.compile(
    rf"(?:,|\(|:|\s(?:--|—|–|-))\s*(?:(?:namely|i\.e\.|of\s+(?:these|them|those|which|whom))\s+)?(?P<items>{_ITEM}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_ITEM})+)"
    r"(?=\s*(?:[,.;:)]|$|--|—|–|-\s))"
)
# "21 deaths were reported in Region 10; six in Region 5; four each in Regions 9 and 11": the places after
# the semicolons split the count before the first one
SEMICOLON_PLACE_ITEM = re.compile(r";\s*(?:and\s+)?⟦(?P<i>\d+)⟧(?:\s+each)?\s+(?P<np>in)\s+(?:the\s+)?(?=[a-z])")
# "Nine of the 14 people injured remain in critical condition", "Three of the 12 miners killed were foreigners": a
# part of the count after "of the" (its own fate, when it has one, is read by the passive grammar)
PARTITIVE_OF_COUNT = re.compile(
    r"⟦(?P<i>\d+)⟧\s+of\s+(?:the|those)\s+⟦(?P<j>\d+)⟧[^⟦.;]{0,80}?\b(?:were|are|remain|remained|remains|was|is)\s+"
    r"(?!(?:(?:later|also|still|since|all|now|being)\s+)*(?:freed|released|discharged|rescued|found|killed|died|dead|"
    r"injured|wounded|hurt|missing|kidnapped|abducted|arrested|detained|evacuated|displaced|returned|reunited|"
    r"recovered|back|home|alive|safe)\b)"
)
PARTITIVE_DIED = re.compile(
    r"⟦(?P<i>\d+)⟧\s+of\s+(?:the|those)\s+⟦(?P<j>\d+)⟧[^⟦.;]{0,60}?\s(?:(?:later|subsequently|since|have|had|has)\s+)*"
    r"(?:died|succumbed)\b"
)
# "She died, along with 6 civilians", "killed the commander along with 4 of his guards": the same fate
ALONG_WITH = re.compile(
    r"\b(?P<pred>died|perished|killed|wounded|injured|kidnapped|abducted)\b[^⟦.;]{0,40}?,?\s+(?:along|together)\s+with\s+"
    r"(?:(?:at\s+least|another|some)\s+)?" + MARK + NP
)
# "A bus carrying 52 villagers plunged into a river, killing all passengers", "The plane had 150 people on board;
# all were killed": the count carried is the toll
ALL_ABOARD = re.compile(
    r"\b(?:carrying|carried|with|had)\s+" + MARK + NP + r"[^⟦.;]{0,160}?(?:[,;]\s*|\s)(?:"
    r"(?:killing|killed)\s+(?:all|everyone|everybody)\b(?!\s+but)(?:\s+(?:the|its|of\s+the|of\s+its|of\s+them))?"
    r"(?:\s+(?:passengers|occupants|people|those|on\s+board|aboard|travell?ers|crew|them))?"
    r"|(?:all|everyone|everybody)\s+(?:of\s+them\s+|on\s+board\s+|aboard\s+)?(?:were|was|are)\s+(?:killed|dead)"
    r"|(?:all|everyone|everybody)\s+(?:of\s+them\s+|on\s+board\s+|aboard\s+)?(?:died|perished))\b"
)
# "Of the fatalities, 87 occurred in Kerr County": a part of the toll the lead names ("Of the dead, 20 were
# male": WERE_GROUP)
OF_THE_TOLL = re.compile(
    r"\bof\s+(?:the|those|these|all\s+the)\s+(?:(?P<k>fatalities|deaths|dead|killed)|(?P<h>injured|wounded|injuries)|"
    r"(?P<m>missing))\s*,\s*" + MARK + r"(?P<np>(?:\s+[a-z]+){0,2}?)\s+"
    r"(?:occurred|happened|died|came|(?:were|was)\s+(?:recorded|reported|registered))\b"
)
# "the victims were five men, three women and two children": the victims of the fact before, by group
VICTIMS_WERE = re.compile(
    rf"\bthe\s+(?:victims|dead)\s+(?:were|are)\s+(?P<items>{_ITEM}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_ITEM})+)"
    r"(?=\s*(?:[,.;:)]|$))"
)
# "The victims, two soldiers and a police officer, were killed", "The wounded - four students, a
# lecturer and two guards - were taken to hospital": a list set off after the group it names
APPOSED_LIST = re.compile(
    r"\b(?:the|those)\s+(?P<g>victims|dead|wounded|injured|missing|abducted|kidnapped|hostages)\s*(?:,|--|—|–|-|:)\s*"
    rf"(?P<items>{_ITEM}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_ITEM})+)\s*(?:,|--|—|–|-)"
    rf"(?P<aux>(?:\s+(?:{AUX}))*?)\s+(?P<pred>{PREDICATE_TAGGED})\b"
)
APPOSED_LEAD = re.compile(
    r"\b(?:the|those)\s+(?:victims|dead|wounded|injured|missing|abducted|kidnapped|hostages)\s*(?:,|--|—|–|-|:)"
)
APPOSED_GROUP_KIND = {
    "dead": "killed",
    "wounded": "injured",
    "injured": "injured",
    "missing": "missing",
    "abducted": "kidnapped",
    "kidnapped": "kidnapped",
    "hostages": "kidnapped",
}
MARKER = re.compile(r"⟦(\d+)⟧")
# "58 were children", "Of the dead, 31 were women", "18 of the victims were members of one family",
# "20 of the deaths were in the capital": a group inside a count stated before it
WERE_GROUP = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|while|whereas)\s+)(?:(?:of\s+(?:the|those)\s+(?:total\s+|overall\s+)?(?P<g0>death\s+toll|toll|dead|victims|deaths|killed|injured|wounded|"
    r"fatalities|missing|arrested|detained|abducted|kidnapped)\s*,\s*))?⟦(?P<i>\d+)⟧"
    r"(?:\s+of\s+(?:the|those|them)\s+(?P<g>dead|victims|deaths|killed|injured|wounded|fatalities|missing|arrested|"
    r"detained|abducted|kidnapped|displaced)|\s+of\s+(?:them|these|those)(?!\s+\w))?"
    r"\s+(?:were|are|was)\s+(?:also\s+|all\s+)?(?P<rest>(?P<noun>[a-z][\w\-]*)(?:\s+(?!and\b)[a-z][\w\-]*){0,3})"
)
# "Most of the victims — 184 — were found in Antakya", "Among those wounded — 41 in all — were three journalists":
# a count set off by dashes after the group it counts (and the group named after it, a part)
DASHED_COUNT = re.compile(
    r"\b(?P<q>most|many|some|all|the\s+majority|among)\s+(?:of\s+)?(?:the|those)\s+(?P<w>victims|dead|killed|injured|"
    r"wounded|hurt|missing|abducted|kidnapped)\s*(?:--|—|–)\s*(?:(?:about|some|around|nearly|at\s+least)\s+)?⟦(?P<i>\d+)⟧"
    r"(?P<all>\s+in\s+(?:all|total))?\s*(?:--|—|–)\s+(?:were|are|was)\b(?:\s+(?:also\s+)?(?=⟦))?"
)
# "Of the 52 people injured, 17 were in serious condition": a part of the injured by their condition
CONDITION_PART = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|while)\s+)⟦(?P<i>\d+)⟧(?:\s+(?:people|others|patients|of\s+(?:them|these|those)))?\s+(?:were|are|was|is|remain|remained|"
    r"remains)\s+(?:still\s+|now\s+|listed\s+)?in\s+(?:a\s+)?(?:serious|critical|stable|grave|life-threatening|"
    r"very\s+serious|serious\s+but\s+stable)\s+condition\b"
)
GROUP_KIND = {
    "death toll": "killed",
    "toll": "killed",
    "dead": "killed",
    "victims": None,
    "deaths": "killed",
    "killed": "killed",
    "fatalities": "killed",
    "injured": "injured",
    "wounded": "injured",
    "missing": "missing",
    "arrested": "arrested",
    "detained": "arrested",
    "abducted": "kidnapped",
    "kidnapped": "kidnapped",
    "displaced": "displaced",
}

# Words that may stand between a number and "cases"/"infections" of a disease ("58 new confirmed
# cases", "1,340 suspected cholera cases"); any other word makes them court cases, cases of fraud …
DISEASE_CASE_WORDS = frozenset(
    """
new confirmed suspected reported more additional positive active cholera covid covid-19 measles dengue mpox
ebola cases of the infection infections probable fresh recorded daily typhoid malaria tuberculosis tb polio
diphtheria hepatitis zika chikungunya lassa marburg influenza flu anthrax plague meningitis yellow fever
diarrhoea diarrhea acute watery awd coronavirus sars-cov-2 omicron h5n1 bird avian monkeypox virus viral
covid19 local imported symptomatic asymptomatic severe laboratory-confirmed lab-confirmed newly
""".split()
)

# A sentence about a disease: hospital admissions there are cases, not injuries
DISEASE_SENTENCE = re.compile(
    r"\b(?:cholera|dengue|measles|malaria|typhoid|covid|virus|fever|symptoms|infection|infections|infected|outbreak|"
    r"diarrh\w+|poisoning|disease|heat\s*stroke|heat\s+exhaustion)\b"
)
# "cases of food poisoning", "cases of heat stroke" (not "cases of fraud"): the words after "cases of"
CASES_OF = re.compile(r"\s+of\s+(?P<what>[a-z\-]+(?:\s+[a-z\-]+)?)")

# A sentence about people in flight: "70,000 people arrived in Renk from Sudan, the UNHCR said", "9,000 new arrivals
# were registered at the camp" (not tourists arriving)
REFUGE_CONTEXT = re.compile(r"\b(?:unhcr|iom|refugees?|fleeing|fled|flight|escaping|displac\w*|asylum|camps?|exodus)\b")
# Present-tense verbs that end a noun phrase of people in flight ("80,000 IDPs live in camps")
PLAIN_VERBS = frozenset("live lives remain remains stay stays are is have has need needs wait waits shelter".split())
# "8,997 confirmed, probable, and suspected cases": disease words joined by commas and "and"/"or"
# "842 suspected and 117 confirmed cases": the first count's cases too
CASE_PAIR = re.compile(
    r"⟦\d+⟧\s+(?P<adj>[a-z][a-z\-]*)\s+(?:and|or)\s+⟦\d+⟧\s+(?P<adj2>[a-z][a-z\-]*)\s+(?:cases|infections)\b"
)
# "Cholera cases by district: Lusaka 1,200, Ndola 300" (place names checked in the text)
_PLACE_WORD = r"(?!in\s)[a-z][a-z\-]*"  # "highest in Iloilo (31)": "in" is no part of a place's name
_PLACE_COUNT = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}\s+(?:⟦\d+⟧|\(\s*⟦\d+⟧(?:\s+each)?\s*\))"
PLACE_COUNT_LIST = re.compile(
    r"\b(?P<w>cases|infections|deaths|death)\b(?P<mid>[^⟦.;:]{0,40}?)(?::\s*|\s(?:⟦(?:x|\d+)⟧\s+|other\s+)*(?:districts|provinces|states|regions|counties)\s+"
    # "dengue deaths were highest in Davao Region (29) and ...", "cases, particularly Soccsksargen (6,994), ..."
    r"|,?\s+(?:(?:were|are|was|is)\s+)?(?:(?:particularly|especially|notably|mostly|mainly|chiefly)\s+)?(?:in\s+)?"
    rf"(?={_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}\s+\(\s*⟦))"
    rf"(?P<items>{_PLACE_COUNT}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_PLACE_COUNT})+)"
)
PLACE_COUNT_ITEM = re.compile(
    rf"(?:(?<=:)|(?<=\s)|,\s*(?:and\s+)?|\s+and\s+)(?P<np>{_PLACE_WORD})(?:\s+{_PLACE_WORD}){{0,2}}\s+\(?\s*⟦(?P<i>\d+)⟧"
)
CASE_LIST = re.compile(r"⟦\d+⟧(?P<adj>(?:\s*,?\s+(?:(?:and|or)\s+)?[a-z][a-z\-0-9]*){2,6}?)\s+(?:cases|infections)\b")
# Subjects of "arrived", "reached", "landed": people in flight (a refugee arrival is a displacement)
REFUGEE_NOUNS = frozenset("refugees seekers asylum-seekers rohingya idps evacuees arrivals migrants".split())
# "fleeing by the hundreds every day"
FLEEING_BY = re.compile(r"\b(?:fleeing|flee|fled|flees|crossing|arriving|leaving)\s+(?:by|in)\s+(?:the\s+)?" + MARK)
# "the country of 125 million", "an island nation of 5.5 million", "a city of 400,000 that …"
PLACE_OF = re.compile(
    r"\b(?:city|town|village|country|nation|territory|state|island|enclave|strip|capital|province|region|district|"
    r"metropolis|megacity|kingdom|republic|archipelago|municipality|county)\s+of\s+"
    + MARK
    + r"(?P<np>(?:\s+[a-z\-]+)?)"
)
# "the territory's 2.4 million people", "its 9 million population", "Gaza's 2.3 million residents"
POSSESSED_POPULATION = re.compile(
    r"(?:\b(?P<owner>[a-z\-]+)['’]s|\b(?P<pron>its|their))\s+(?:(?:estimated|roughly|some|about|nearly|almost|more\s+than)\s+)?"
    + MARK
    + r"(?P<np>\s+(?:people|inhabitants|residents|citizens|population|souls))\b"
)
# "Kenya, with 54 million people, is …": a place set off with its population
PLACE_WITH = re.compile(
    r"\b(?P<place>[a-z][a-z\-]+),\s+with\s+(?:(?:about|some|roughly|nearly|almost|around|over|more\s+than|an\s+estimated)\s+)?"
    + MARK
    + r"(?P<np>\s+(?:people|inhabitants|residents))\s*[,)]"
)
# "the camp, which houses about 90,000 people": a settlement and the people it houses
SETTLEMENT_HOUSES = re.compile(
    r"\b(?:camps?|settlements?|city|town|village|district|island|neighbou?rhood|slum|township)\b(?:\s*,)?"
    r"(?:\s+(?:which|that|now|still|currently|already))*\s*$"
)
# "Haiti's population of 11.5 million depends on imports": a verb after the count, no counted noun
VERB_AFTER_COUNT = frozenset("depends relies lives faces needs remains lacks suffers shares speaks makes".split())
PLACE_NOUNS = frozenset(
    """territory country city town island nation region state enclave strip capital province
district village camp valley area county kingdom republic archipelago municipality metropolis""".split()
)
# "the 12 affected provinces", "three flood-hit districts", "4,500 buildings": a count of things, never of people
COUNTED_THING_AFTER = re.compile(r"\s+(?:[a-z]+(?:ed|-hit|-stricken|-affected)\s+)?(?P<noun>[a-z]+)\b")
THING_NOUNS = NON_PERSON | frozenset("provinces states regions countries cities camps areas municipalities".split())
UNIT_WORDS = frozenset("""square sq km kilometres kilometers miles metres meters hectares acres feet""".split())

# trapped in a mine or under rubble is missing even when water flooded it
TRAPPED_BELOW = re.compile(
    r"\b(?:rubble|debris|mud|\w*slides?|collaps\w*|buried|underground|mines?|shafts?|tunnels?|caves?)\b"
)
# "the whereabouts of 43 students remain unknown"
WHEREABOUTS = re.compile(
    r"\b(?:whereabouts|fate)\s+of\s+(?:the\s+|some\s+|another\s+)?"
    + MARK
    + NP
    + r"(?P<rest>[^.;]{0,80}?)\b(?:unknown|unclear)\b"
    r"|\bno\s+(?:word|news|information|trace)\s+(?:on|of|about)\s+(?:the\s+)?(?:fate|whereabouts)\s+of\s+(?:the\s+)?"
    + MARK.replace("?P<i>", "?P<i2>")
    + NP.replace("?P<np>", "?P<np2>")
)
SECURITY_FORCES = re.compile(
    r"\b(?:army|troops|soldiers|police|policemen|security|forces|military|officers|commandos)\b"
)
# An aside inside a clause that holds no count of its own: "killed – according to the ministry – 38 people",
# "1.7 million people — more than 75 percent of the population — have been displaced"
ASIDE = re.compile(
    r"(?:,|\s(?:--|—|–|-))\s*according\s+to\s+[^,—–⟦]{1,60}?(?:,|\s(?:--|—|–|-)\s)"
    r"|\s(?:--|—|–|-)\s(?:[^—–⟦]|⟦x⟧){1,80}?\s(?:--|—|–|-)(?=\s)"
)
# "Most of them, about 600,000, are sheltering in schools", "Many of the displaced, some 12,000, are children":
# a share of the count before, given as a number in apposition
SHARE_APPOSED = re.compile(
    r"\b(?:most|many|some|all|half|the\s+majority|a\s+third|a\s+quarter)\s+of\s+(?:them|these|those|the\s+[a-z]+)\s*,\s*"
    + MARK
    + r"\s*,"
)
# "Sindh was worst hit with 28 deaths, followed by Punjab with 19": a ranking of places inside a wider count
FOLLOWED_BY = re.compile(r"\bfollowed\s+by\s+[^,;⟦]{1,40}?\s+(?:with|at)\s+" + MARK)
# "Of the 26 deaths, Villupuram district, with 13, was worst hit", "Kasese accounted for 22": a place's share
RANKED_PLACE_WITH = re.compile(r",\s*[a-z][^,;⟦]{0,40}?,\s+with\s+" + MARK + r"\s*,")
ACCOUNTED_FOR = re.compile(
    r"\baccount(?:ed|s|ing)?\s+for\s+(?:(?:about|some|around|nearly|almost)\s+)?"
    + MARK
    + r"(?!\s+(?:percent|per\s+cent|%))"
)
# "The floods killed 30 people, with 12 in Kasese": a place's share of the count before
WITH_IN_PLACE = re.compile(r",\s+with\s+" + MARK + r"(?=\s+(?:of\s+them\s+)?(?:in|from)\s+(?:the\s+)?[a-z])")
# "..., followed by Cuddalore with 9 and Chennai with 4": the next items of a ranking
RANKING_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:then\s+)?[a-z][^,;⟦]{0,40}?\s+(?:with|at)\s+" + MARK)
# "..., with 12 in Kasese and 8 in Mbale": the next items of a list by place
PLACE_NEXT = re.compile(
    r"\s+(?:in|from)\s+(?:the\s+)?[a-z][^,;⟦]{0,40}?(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
    + MARK
    + r"(?=\s+(?:in|from)\s+(?:the\s+)?[a-z])"
)
# (the lookahead: the first letters of the alternatives after \b, a cheap test of each position; the
# sentence-opening "of these" is the one alternative outside it. Keep it in step with the words.)
PART_CUE = re.compile(
    r"(?=[whmbafo])\b(?:(?:worst|hardest|most\s+badly|badly)[-\s]hit\b|accounted\s+for\b|followed\s+by\b"
    r"|of\s+the\s+(?:dead|deaths|victims|injured|wounded|missing|displaced|cases)\b|the\s+(?:victims|dead)\s+included\b)"
    r"|^\s*of\s+(?:these|them|those)\b",
    re.I,
)
# A long subject before a passive predicate: "20 people attending a wedding in the village of Qadir were killed",
# "25 people who had been sheltering in a school were killed" (no comma, no other number in between)
LONG_SUBJECT = re.compile(
    MARK + r"(?P<np>(?:\s+(?!(?:were|was|are|is|and|but|while|as|when|because|said|says|say)\b)[^\s⟦.;:,]+){2,14}?)"
    r"\s+(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?:(?:all|also|later|reportedly|confirmed|either)\s+)?"
    r"(?P<pred>killed|injured|wounded|hurt|arrested|detained|abducted|kidnapped|evacuated|rescued|displaced|missing)\b"
)
# "About 20 people including students and two staff of the university were kidnapped": the count
# before "including" takes the predicate, the counts in the list are parts of it
INCLUDING_SUBJECT = re.compile(
    MARK + r"(?P<np>(?:\s+[a-z\-]+){1,3}?)(?:\s+|\s*(?:,|--|—|–)\s*)(?:including|incl\.)\s+"
    r"(?P<list>(?:[^⟦.;:]|⟦\d+⟧|⟦x⟧){1,160}?)"
    r"(?P<aux>\s+(?:were|was|had\s+been|have\s+been|has\s+been)(?:\s+(?:all|also|later|reportedly))?)?\s+"
    r"(?P<pred>killed|injured|wounded|hurt|arrested|detained|abducted|kidnapped|evacuated|rescued|displaced|missing|"
    r"died|perished|drowned)\b"
)
# "abducted the students and two staff": a count coordinated after a definite object
COORDINATED_OBJECT = re.compile(
    r"\b(?P<pred>abducted|kidnapped|killed|injured|wounded|rescued|evacuated|arrested|detained)\s+the\s+[a-z\-]+"
    r"\s+and\s+" + MARK + NP
)
# "Eight people were rescued alive with injuries, three of whom are believed to be in critical condition"
RESCUED_HURT = re.compile(
    MARK + r"(?:\s+[a-z\-]+){0,3}?\s+(?:were|was|have\s+been|had\s+been)\s+(?:rescued|pulled|saved|freed)\b"
    r"(?:\s+alive)?(?:\s+from\s+(?:the\s+)?[a-z\-]+)?\s+with\s+(?:[a-z]+\s+)?(?:injuries|wounds|burns)\b"
)
CRITICAL_OF_WHOM = re.compile(
    r"\s*,\s*⟦(?P<i>\d+)⟧\s+of\s+(?:whom|them)\s+(?:are|were|is|was)\s+(?:[a-z]+\s+){0,4}?"
    r"in\s+(?:a\s+)?(?:critical|serious|grave)\s+condition\b"
)
LONG_SUBJECT_KIND = {
    "killed": "killed",
    "injured": "injured",
    "wounded": "injured",
    "hurt": "injured",
    "arrested": "arrested",
    "detained": "arrested",
    "abducted": "kidnapped",
    "kidnapped": "kidnapped",
    "evacuated": "evacuated",
    "rescued": "rescued",
    "displaced": "displaced",
    "missing": "missing",
}
# A subject, a long aside between commas, its predicate: "Seventeen people, most of whom had been waiting
# for a bus, were killed", "five more people, undergoing treatment in Gaya, died"
ASIDE_SUBJECT = re.compile(
    MARK + r"(?P<np>(?:\s+(?:more|other|others|additional|further))?(?:\s+[a-z][\w\-]*){0,3}?)\s*,\s*"
    r"(?P<aside>(?!(?:and|or|but|while|as|when|after|before|if)\b)[^⟦.;,:]{8,160}?)\s*,\s*"
    r"(?P<aux>(?:(?:were|was|are|is|had\s+been|have\s+been|has\s+been|remain|remained)\s+)?)"
    r"(?:(?:all|also|later|reportedly|still|subsequently|eventually|then)\s+)?"
    r"(?P<pred>killed|injured|wounded|hurt|missing|died|perished|drowned|succumbed)\b"
)
# Inverted: "Killed in the attack were 12 soldiers", "Wounded were 40 others"
INVERTED = re.compile(
    r"^\s*(?P<pred>killed|dead|wounded|injured|arrested|detained|missing|abducted|kidnapped)\b[^⟦.;]{0,60}?\s(?:were|are)\s+"
    r"(?:(?:at\s+least|some|about|another)\s+)?" + MARK + NP
)
# An object relative clause: "the 27 students they abducted", "the 12 people the gunmen had killed"
OBJECT_RELATIVE = re.compile(
    r"\b(?:the|all|those)\s+(?:⟦x⟧\s+)?"
    + MARK
    + r"(?P<np>(?:\s+(?!(?:they|he|she|we|the|that|whom|who)\b)[a-z][\w\-]*){1,3}?)"
    r"\s+(?:that\s+|whom\s+)?(?:they|he|she|we|the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:had\s+|have\s+|has\s+)?(?:\w+ly\s+)?"
    r"(?P<v>killed|murdered|executed|massacred|abducted|kidnapped|seized|snatched|arrested|detained|wounded|injured|"
    r"rescued|evacuated|displaced)\b"
)
RELATIVE_KIND = {
    "killed": "killed",
    "murdered": "killed",
    "executed": "killed",
    "massacred": "killed",
    "abducted": "kidnapped",
    "kidnapped": "kidnapped",
    "seized": "kidnapped",
    "snatched": "kidnapped",
    "arrested": "arrested",
    "detained": "arrested",
    "wounded": "injured",
    "injured": "injured",
    "rescued": "rescued",
    "evacuated": "evacuated",
    "displaced": "displaced",
}
# "thousands trapped" by floods are affected, not missing
FLOOD_WORDS = re.compile(
    r"\b(?:floods?|flooding|flooded|flood\s*waters|rains?|downpours?|monsoon|inundat\w*|deluge|rising\s+water|"
    r"storm\s+surges?|tidal\s+surges?)\b"
)
# "18 measles cases were confirmed, with 40 more suspected": further cases under investigation
SUSPECTED_MORE = re.compile(
    r"\bwith\s+(?:another\s+|a\s+further\s+)?" + MARK + r"\s+(?:more|other|others|further|additional)?\s*"
    r"(?:suspected|probable|being\s+investigated|under\s+investigation|awaiting\s+(?:test\s+)?results)\b"
)
# "Tuberculosis kills 1.3 million people every year", "the strike is affecting 60,000 passengers a day":
# a generic rate in the present tense, no report of an event (fleeing "by the hundreds every day" is one)
GENERIC_RATE_VERB = re.compile(
    r"\b(?:kills|kill|affects|affect|affecting|infects|infect|sickens|sicken|claims|injures|disrupts|disrupting)"
    r"(?:\s+(?:an\s+estimated|about|around|some|roughly|nearly|over|more\s+than))?\s+$"
)
RATE_AFTER = re.compile(
    r"(?:\s+[a-z\-]+){0,3}?\s+(?:(?:a|per|each|every)\s+(?:day|week|month|year)|annually|yearly|daily|worldwide|globally)\b"
)
# "Every year about 1,200 people die on the roads", "300 children drown each summer": a present-tense fate with a
# rate word in its clause is a statistic of a kind, no report
PRESENT_FATE_AFTER = re.compile(
    r"(?:\s+[a-z\-]+){0,3}?\s+(?:die|drown|perish|are\s+(?:killed|injured|wounded|hurt|infected)|"
    r"lose\s+their\s+lives|get\s+(?:killed|injured|hurt))\b"
)
RATE_IN_CLAUSE = re.compile(
    r"\b(?:(?:a|per|each|every)\s+(?:day|week|month|year|summer|winter|season)|annually|yearly|on\s+average)\b"
)
# "half of Haiti's population – around 5.2 million people – needs humanitarian assistance": the count set off
# after a share of a population is the share, and the predicate after it is its own
APPOSED_SHARE = re.compile(
    r"\b(?:population|people|inhabitants|residents)\s*(?:,|–|—|--|\()\s*"
    + MARK
    + r"(?P<np>(?:\s+[a-z\-]+){0,2}?)\s*(?:,|–|—|--|\))\s+"
    r"(?P<aux>(?:(?:are|were|is|was|have\s+been|had\s+been|still|now)\s+)*)" + PREDICATE_TAGGED
)
# "the suspects, consisting of 293 males and 14 females, were arrested": the listed groups are parts of the fate
CONSISTING_OF = re.compile(
    r"\b(?:consisting|made\s+up|comprising|composed)\s+of\s+(?P<list>(?:[^.;,⟦]|⟦\d+⟧){1,80}?)\s*,\s+"
    r"(?P<aux>(?:(?:were|was|are|have\s+been|had\s+been|all)\s+)+)" + PREDICATE_TAGGED
)
# "heavy snow trapped 600 motorists on the highway": stranded by weather (an avalanche buries: missing)
SNOWBOUND = re.compile(r"\b(?:snow|snowfall|snowstorms?|blizzards?|ice\s+storms?|whiteout)\b")
# "41.5 lakh people hit by floods", "1.71 crore people in 19 districts were still affected", "floods have hit 5 lakh
# people", "1,200 families were marooned": people (or families) affected by a flood-like disaster, with the
# districts or villages they live in between the count and the predicate
_DISASTER = (
    r"(?:flash\s+)?(?:floods?|flooding|flood\s*waters|deluge|rains|downpours?|drought|cyclone|storm|waterlogging)"
)
_PLACES_BETWEEN = (
    r"(?:\s+(?:in|across|from)\s+(?:⟦x⟧|⟦\d+⟧)\s+(?:[a-z\-]+\s+)?(?:districts|villages|states|provinces|blocks|panchayats|"
    r"regions|counties|municipalities|towns|areas|upazilas|tehsils|mandals)(?:\s+(?:of|in|across)\s+(?:the\s+)?[a-z'’\-]+"
    r"(?:\s+[a-z'’\-]+){0,2}?)?)"
)
DISASTER_AFFECTED = re.compile(
    MARK
    + r"(?P<np>(?:\s+[a-z][a-z\-]*){0,2}?)(?P<places>"
    + _PLACES_BETWEEN
    + r"?)\s*,?\s+(?:(?:were|was|are|is|have\s+been|has\s+been|had\s+been|continue\s+to\s+be|remain|remained)\s+)?"
    r"(?:(?:still|now|also|badly|severely|reportedly|so\s+far)\s+)?"
    rf"(?P<pred>affected|marooned|hit\s+by\s+(?:the\s+)?(?:[a-z\-]+\s+){{0,3}}?{_DISASTER}|reeling\s+under|"
    r"bearing\s+the\s+brunt)\b"
)
DISASTER_HIT = re.compile(
    rf"\b{_DISASTER}\s+(?:have\s+|has\s+|had\s+)?(?:(?:also|now|so\s+far)\s+)?(?:hit|battered)\s+" + MARK + NP
)
# Forecasts the modal filters miss: "preparing for as many as 10,000 cases", "... in the coming weeks"
PREPARING_FOR = re.compile(r"\b(?:prepar\w*|brac\w*)\s+(?:themselves\s+)?for\s+(?:an?\s+)?(?:possible\s+|further\s+)?$")
IN_THE_COMING = re.compile(
    r"(?:\s+(?!(?:and|but|while|were|was|are|is|have|has|had|said|says)\b)[a-z\-]+){0,5}?\s+in\s+the\s+coming\s+"
    r"(?:days|weeks|months|years)\b"
)
# A line of other headlines ("Other news: 10 killed in bus crash in Peru; ..."): another article's figures
OTHER_NEWS = re.compile(
    r"\s*(?:(?:in\s+)?other\s+(?:news|stories|headlines)|related\s+(?:news|stories|articles|coverage)|read\s+(?:more|also)|"
    r"also\s+read|see\s+also|more\s+(?:news|stories)|top\s+(?:news|stories|headlines))\s*[:\-–—|]",
    re.IGNORECASE,
)
# national vital statistics ("the number of deaths minus that of births") are no toll
VITAL_STATS = re.compile(r"\bbirths?\b|\bnatural\s+(?:population|decline|increase)|\bmortality\s+rate")

# "left tens of thousands without shelter", "left 2,000 people homeless"
LEFT_HOMELESS = re.compile(
    r"\b(?:left|leaving|leaves|leave)\s+"
    + MARK
    + NP
    + r"\s+(?:homeless|without\s+(?:shelter|homes?|a\s+home|a\s+roof))\b"
)
# "23 people dead in Baida and 11 in the neighbouring town of Rada": place items of one count
PLACE_ITEM = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)" + MARK + r"(?=\s+(?:more\s+|others?\s+)?(?:in|at|from)\s+)")

# "sent dozens more to hospital", "rushed 14 people to hospital"
SENT_TO_HOSPITAL = re.compile(
    r"\b(?:sent|sending|sends|rushed|rushing|took|taking|ferried|admitted)\s+(?:(?:another|a\s+further)\s+)?"
    + MARK
    + NP
    + r"\s+(?:to|into)\s+(?:the\s+|a\s+|local\s+|nearby\s+)*(?:[a-z\-]+\s+){0,2}?hospitals?\b(?!\s+morgues?)"
)
# "a boat with 30 people aboard is missing": the people aboard are missing
ABOARD_MISSING = re.compile(
    r"\b(?:with|carrying)\s+" + MARK + NP + r"(?:\s+(?:aboard|on\s+board))?\s+"
    r"(?:is|was|are|were|remains|remained|has\s+been|had\s+been|went|has\s+gone|had\s+gone)\s+"
    r"(?:still\s+|reported\s+|now\s+)?missing\b"
)

# "the population shrank by 837,000 to 122.4 million", "the number of foreign residents rose 11 percent
# to a record 3.4 million": the figure after "to" is the population
POPULATION_CHANGE = re.compile(
    r"\b(?:population|number\s+of\s+(?:[a-z\-]+\s+){0,2}?(?:residents|inhabitants|citizens))\b(?:[^.;⟦]){0,30}?"
    r"\b(?:shrank|shrunk|fell|fallen|declined|dropped|decreased|grew|grown|rose|risen|increased|climbed|jumped|swelled)\b"
    r"(?:[^.;⟦]|⟦x⟧|⟦\d+⟧){0,70}?\bto\s+(?:(?:a|an|the)\s+(?:record|new|all-time)\s+(?:high|low\s+)?(?:of\s+)?)?"
    + MARK
    + NP
)
# "the whereabouts of 43 students remain unknown", "lost contact with 19 hikers"
MISSING_OTHER = re.compile(
    r"\bwhereabouts\s+of\s+" + MARK + NP + r"(?:\s+[a-z\-]+){0,3}?\s+(?:remain|remains|remained|are|is|were|was)\s+"
    r"(?:still\s+)?unknown\b"
    r"|\blost\s+(?:contact|touch)\s+with\s+⟦(?P<j>\d+)⟧(?P<np2>(?:\s+[a-z\-]+){1,2})"
)

# "bringing to 18 the number of people killed", "raising to 91 the death toll"
RUNNING_TOTAL_FIRST = re.compile(
    r"\b(?:bringing|raising|taking|pushing|brings|raises|takes|pushes|brought|raised|took|pushed)\s+to\s+"
    + MARK
    + r"(?P<np>)\s+the\s+(?:[a-z\-]+\s+){0,2}?(?:total|tally|number|figure|count|toll)\b"
)

# Every family needs one of these cues in the sentence (a verb or noun of a casualty kind, a place
# noun for populations, a subset word); a sentence without any is skipped whole. Kept broad: a
# missing cue loses facts, a superfluous one only costs time.
CUE = re.compile(
    by_first_letter(
        r"kill|dead|death|die|dying|fatal|perish|drown|slain|murder|massacr|execut|behead|decapit|lynch|neutrali|electrocut|succumb|"
        r"martyr|buri|laid\s+to\s+rest|lost|lives|life|wound|injur|hurt|maim|hospital|treat|admit|casualt|missing|unaccounted|"
        r"trap|strand|maroon|cut\s+off|swept|washed|displac|homeless|fle[de]|flee|refuge|uproot|shelter|evacu|relocat|airlift|rescu|sav|"
        r"pull|pluck|brought|bring|free|releas|arrest|detain|custody|apprehend|jail|round|kidnap|abduct|seiz|hostage|"
        r"captive|taken|took|tak|led\s+away|carri|march|affect|impact|infect|sick|ill\b|positive|case|popul|inhabit|resident|"
        r"live|home|soul|bod(?:y|ies)|corpse|remains|toll|tally|count|figure|victim|surviv|shot|shoot|stab|beat|burn|hack|"
        r"crush|trampl|ston|starv|tortur|abandon|asylum|arriv|reach|land|cross|regist|receiv|welcom|host|hous|camp|idp|"
        r"migrant|exodus|driv|forc|caus|prompt|sent|send|push|leav|left|whereabouts|contact|touch|number|city|town|village|"
        r"countr|nation|territor|state|island|enclave|strip|capital|province|region|district|metropol|kingdom|republic|"
        r"county|municipal|archipelago|valley|among|includ|of\s+them|of\s+whom|no\s+one|nobody|none|without|rais|"
        r"hit|harm|fatalit|toll|snatch|dug|dig|haul|captur|stream|pour|flock|spill|whereabouts|fate|reeling|brunt|herd|"
        r"moved|moving|winch|safety|ferri|guid|escort|bused|bussed|led\s|symptom|diagnos|stuck|need|held|hold|"
        r"requir|hunger|famine|starv|depend|rel(?:y|ies)|livelihood|ashore|question|locked|shortage|insecur|escap|"
        r",\s+with\s+(?:[a-z]+\s+)?\d[\d.,]*\s+(?:million\s+)?(?:people|inhabitants|residents)\s*[,)]",
    ),  # (grouped by first letter: the same matches, ~4x quicker)
    re.I,
)

# CUE.search is slow (a long case-blind alternation); its case-sensitive twin on the lower-cased
# sentence gives the same answer much faster (extractors.text.for_lowered_text)
_CUE_LOWER = for_lowered_text(CUE)


def has_cue(text: str) -> bool:
    """Whether CUE matches somewhere in `text` (the same answer as `CUE.search`, quicker)."""
    return search_case_blind(CUE, _CUE_LOWER, text)


# "including 84 in the past 24 hours", "including 8 in Monywa": a part by period or place
PART_BY_PERIOD = re.compile(
    r"\s+(?:in|over|during|within)\s+the\s+(?:past|last|previous|first)\b|\s+(?:since|overnight|"
    r"yesterday|today|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
# "84 deaths in the past 24 hours": a count over a short period, a part of the running toll the article gives
SHORT_PERIOD = re.compile(
    r"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:(?:24|48|72)\s+hours|day|two\s+days|"
    r"twenty-four\s+hours)\b|\bovernight\b",
    re.I,
)
# "In Sindh province alone, 41 people died", "on Monday alone": the sentence's counts are parts
ALONE = re.compile(r"\b(?:in|on|at)\s+[^,.;]{1,40}?\balone\b", re.I)
