"""The reporting-verb lexicon, inflected, and the word lists the mention grammar uses.

Cue verbs come in two strengths. Speech verbs ("say", "tell") take reported
content directly. Verbs that are also common in other senses ("claim" lives,
"note" a detail, "find" a job) only count with a "that" clause, a colon or a
quote after them.
"""

from __future__ import annotations

import re

from app.extraction.types import CueKind, SourceKind

# base form -> (third person, past, -ing); only the irregular ones need listing.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing", "written"),
    "think": ("thinks", "thought", "thinking"),
    "find": ("finds", "found", "finding"),
    "show": ("shows", "showed", "showing", "shown"),
    "hold": ("holds", "held", "holding"),
    "admit": ("admits", "admitted", "admitting"),
    "commit": ("commits", "committed", "committing"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "post": ("posts", "posted", "posting"),
    "forecast": ("forecasts", "forecast", "forecasting"),
    "predict": ("predicts", "predicted", "predicting"),
    "swear": ("swears", "swore", "swearing", "sworn"),
    "reaffirm": ("reaffirms", "reaffirmed", "reaffirming"),
}

STRONG_VERBS = (
    "say tell add report state note claim insist warn announce indicate maintain deny "
    "confirm argue suggest write tweet post explain acknowledge admit assert allege contend "
    "declare stress emphasize emphasise observe predict promise reply reveal reiterate "
    "remark comment concede caution complain testify counter disclose mention pledge vow "
    "signal hint conclude ask answer respond retort quip boast estimate "
    "reaffirm underline underscore dispute accuse charge threaten agree"
).split()
# Verbs of speech: any noun after "the" can be their subject ("the striker said").
SPEECH_VERBS = set(
    "say tell write ask insist warn explain reply argue tweet admit acknowledge testify "
    "add announce declare".split()
)
# Only a cue with "that", a colon or a quote after them.
WEAK_VERBS = "believe think find show fear hope expect know worry recall".split()
# Noun readings of these are common, so their bare base form is not a cue.
_NOUNLIKE_BASE = set(
    "report state note claim post tweet comment estimate answer reply counter charge "
    "signal hint caution pledge vow promise remark concede".split()
)
NOUNLIKE_BASE = frozenset(_NOUNLIKE_BASE)
# "Local 1059", "Lodge 7": a number after these words ends an organisation's name.
NUMBERED_UNITS = frozenset("Local Lodge Chapter District Division Unit Post Precinct".split())
"""Cue lemmas with a common noun reading ("the United States", "a Times report")."""
# "called the vote “…”", "dismissed the report as “…”": a cue only when an object
# and then a quote follow; the quote is the content. Not in CUE_FORMS.
OBJECT_QUOTE_VERBS = "call dismiss describe brand label term deride decry".split()
# These need "as" right before the quote ("dismissed it as “…”").
OBJECT_AS_VERBS = set("dismiss describe brand label deride decry".split())

# These take a clause or an object that is not the content (respond to, ask for).
NEEDS_THAT_OR_QUOTE = set("respond ask answer threaten agree charge accuse".split())


def _inflect(base: str) -> tuple[str, ...]:
    if base in _IRREGULAR:
        return (base, *_IRREGULAR[base])
    if base.endswith("e"):
        return (base, base + "s", base + "d", base[:-1] + "ing")
    if base.endswith("y") and base[-2] not in "aeiou":
        return (base, base[:-1] + "ies", base[:-1] + "ied", base + "ing")
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return (base, base + "es", base + "ed", base + "ing")
    return (base, base + "s", base + "ed", base + "ing")


def _forms(bases: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for b in bases:
        for i, f in enumerate(_inflect(b)):
            if i == 0 and b in _NOUNLIKE_BASE:
                continue
            out.setdefault(f, b)
    return out


STRONG_FORMS = _forms(STRONG_VERBS)
WEAK_FORMS = _forms(WEAK_VERBS)
CUE_FORMS: dict[str, str] = {**WEAK_FORMS, **STRONG_FORMS}
"""Every inflected cue word -> its lemma."""
OBJECT_QUOTE_FORMS: dict[str, str] = {
    f: b for b in OBJECT_QUOTE_VERBS for f in _inflect(b)[1:3] if f not in CUE_FORMS
}
"""Third-person and past forms of the object-then-quote verbs -> lemma."""

# What each cue lemma reports, when it is not speech (ATTRIBUTION.md).
THOUGHT_VERBS = frozenset("believe think fear hope expect know worry".split())
EVIDENCE_VERBS = frozenset("show find indicate reveal suggest estimate conclude".split())


def cue_kind_of(cue: str | None, source_kind: SourceKind) -> CueKind:
    """Speech, thought or evidence, from the cue's words and who the source is.

    A document (a study, a filing) is evidence whatever its verb; anyone else's
    "found", "showed" is evidence too, unless the source is a person. A quote
    without a cue of its own is speech.
    """
    lemmas = [CUE_FORMS[word] for word in (cue or "").lower().split() if word in CUE_FORMS]
    if source_kind == SourceKind.document:
        return CueKind.evidence
    if lemmas and lemmas[0] in THOUGHT_VERBS:
        return CueKind.thought
    if lemmas and lemmas[0] in EVIDENCE_VERBS and source_kind != SourceKind.person:
        return CueKind.evidence
    return CueKind.speech


# Word boundaries exclude hyphens: "state-run" and "well-said" are not cues.
CUE_RE = re.compile(
    r"(?<![\w\-])(?:according\s+to|"
    + "|".join(sorted((re.escape(f) for f in CUE_FORMS), key=len, reverse=True))
    + r")(?![\w\-])",
    re.IGNORECASE,
)

AUXILIARIES = set(
    "has have had will would could can may might must shall should did does do "
    "is was are were be been being 's".split()
)
BE_FORMS = set("is was are were be been being".split())
ADVERBS = set(
    "also later earlier previously repeatedly again then long often recently "
    "reportedly publicly privately separately quickly firmly flatly strongly "
    "already since still now once further initially originally not never "
    "always frequently consistently just only first".split()
)

PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "any", "we": "any"}
RELATIVES = set("who which that whom whose".split())

DETERMINERS = set(
    "the a an its his her their our this that these those one two three four five "
    "six seven eight nine ten several some many other both all another each few "
    "most".split()
)

# Heads of a mention that is not a proper name, with the kind of source they name.
SOURCE_NOUNS: dict[str, str] = {}
for _kind, _words in {
    "person": "spokesman spokeswoman spokesperson spokespeople official officials "
    "minister president secretary chairman chairwoman chair director chief executive "
    "ceo founder lawyer lawyers attorney attorneys agent judges prosecutor prosecutors judge "
    "senator lawmaker lawmakers "
    "analyst analysts expert experts economist economists researcher researchers scientist "
    "scientists doctor doctors witness witnesses resident residents source sources "
    "people person aide aides adviser advisers advisor advisors diplomat diplomats "
    "commander commanders general governor mayor manager managers owner leader leaders "
    "representative representatives negotiator negotiators investigator investigators "
    "officer officers activist activists critic critics supporter supporters "
    "ambassador envoy economist insider insiders student students teacher teachers "
    "worker workers employee employees voters executive executives organizer organizers "
    "victim victims survivor survivors father mother son daughter wife husband friend "
    "neighbor neighbour coach player players parent parents member members head "
    "firefighters paramedics rescuers medics troops soldiers protesters demonstrators "
    "farmers nurses staff agents detectives sheriff coroner scholars historians observers "
    "monitors pollsters traders investors locals villagers citizens fans relatives family "
    "families organisers authors editors campaigners advocates opponents proponents "
    "inspectors auditors engineers physicians epidemiologists specialists consultants "
    "bankers brokers candidate candidates chancellor premier prosecutors defendant "
    "plaintiff plaintiffs prisoner detainees refugees migrants pilot pilots crew campaigner",
    "government": "government administration ministry department police authorities "
    "authority military army navy council parliament congress senate house cabinet "
    "kremlin regulator regulators prosecutor's court courts state agency commission "
    "embassy office guard",
    "organization": "company firm group organization organisation union party "
    "campaign bank university hospital school charity association federation "
    "coalition committee board team club foundation institute center centre "
    "airline operator maker retailer manufacturer lab laboratory network groups companies "
    "unions organizations organisations associations",
    "news_agency": "news agency wire service",
    "media": "newspaper paper outlet outlets broadcaster magazine channel station daily "
    "website tabloid network publication media television radio tv",
    "document": "report readout statement study survey poll data filing memo letter "
    "document documents ruling indictment complaint lawsuit assessment analysis "
    "review audit transcript summary figures estimates records release notice "
    "order decision census research",
    "intelligence": "intelligence",
}.items():
    for _w in _words.split():
        SOURCE_NOUNS.setdefault(_w, _kind)

# Words that may modify a source noun inside a mention without being a name.
MODIFIERS = set(
    "state-run state-owned state-controlled government-run news senior top former "
    "acting deputy chief foreign defense defence interior finance justice health "
    "military intelligence official administration press public private local "
    "federal regional national international independent communications media "
    "white house emergency fire security border trade economic energy "
    "anonymous unnamed two three several other some many veteran longtime "
    "company's firm's government's agency's its his her their familiar close "
    "knowledge briefed knowledgeable with on about to of for at from by "
    "executive general vice assistant associate managing principal special "
    "prime".split()
)

# Capitalised words that begin sentences without naming anyone.
STOP_CAPS = set(
    "The A An But And Or So Yet Still However Meanwhile Also Then Now Later Earlier "
    "In On At For From With By After Before Since While When Where If Although Though "
    "Because As Despite During This That These Those There Here It He She They We I You "
    "His Her Its Their Our My Your Speaking Asked Apart Last Next Instead Indeed Moreover "
    "Still Separately Previously Additionally Elsewhere Overall Nonetheless Nevertheless "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday Tonight "
    "Many Some Others Most Few Another".split()
)

# A mention starts after one of these (or at the start of a clause).
CLAUSE_OPENERS = set(
    "and but or while as because although though when after before since so whereas "
    "if where that yet meanwhile however also then now earlier later separately "
    "ultimately instead still already".split()
)

# Titles and role words that precede a person's name ("Kremlin spokesman Dmitry Peskov").
TITLES = set(
    "president vice prime minister secretary sen senator rep representative gov governor "
    "mayor gen general adm admiral col colonel lt capt captain maj major sgt judge justice "
    "dr mr mrs ms miss prof professor rev pope king queen prince princess chancellor "
    "ambassador spokesman spokeswoman spokesperson ceo chief executive chairman chairwoman "
    "chair director deputy foreign defense defence interior finance attorney lawyer "
    "officer official commissioner commander coach founder leader premier speaker "
    "sheikh emir crown state former acting senior top head manager inspector detective "
    "superintendent minority majority whip counsel economist analyst researcher "
    "professor agent councilman councilwoman councillor councilor congressman "
    "congresswoman assemblyman assemblywoman alderman delegate sheriff trooper "
    "rabbi imam bishop cardinal father sister".split()
)

# Text between a cue and its content that is not content ("said on Tuesday that").
ADJUNCT_RE = re.compile(
    r"(?:,\s*)?(?:"
    r"(?:on|late|early|last|this|earlier|later)?\s*"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|yesterday|"
    r"week|month|year|morning|afternoon|evening|night)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:in|on|at|during|after|before|ahead\s+of|via|through|over|to|with|from|while|"
    r"when|under|without|by)\s+(?:[\w'’\-.]+\s+){0,6}?"
    r"(?:statement|interview|release|conference|briefing|post|tweet|message|email|e-mail|"
    r"call|letter|speech|remarks|hearing|appearance|event|rally|meeting|session|video|"
    r"broadcast|podcast|program|programme|show|report|readout|filing|twitter|x|facebook|"
    r"instagram|telegram|media|reporters|journalists|parliament|congress|court|talks|"
    r"summit|visit|trip|press|tv|television|radio|channel|website|blog|network|column|"
    r"op-ed|book|memoir|document|transcript|notice|affidavit|testimony|newspaper|daily|"
    r"times|post|journal|agency|news|pravda|tass|reuters|bbc|cnn|ap|afp|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|weekend|month|year)"
    # "said in March that", "said on Sept. 4 that", "said in 2021 that", "at the time"
    r"|(?:in|on|since|during|until|by|from|early|late|(?:in\s+)?(?:early|late|mid)-?)\s*"
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
    r"(?:\s+\d{1,2}(?!\d))?(?:,?\s+\d{4})?)"
    r"|(?:in|since|during)\s+(?:early\s+|late\s+)?(?:19|20)\d\d(?!\d)"
    r"|at\s+the\s+time"
    r")(?![\w\-])",
    re.IGNORECASE,
)

TIME_WORDS = set(
    "monday tuesday wednesday thursday friday saturday sunday today tonight yesterday "
    "week weekend month year morning afternoon evening night earlier later recently "
    "last this on late early".split()
)
