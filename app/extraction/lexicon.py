"""Every word list the extractor reads, in one place.

The cue table comes first: each reporting word with what it reports (its
``CueKind``), what it needs after it to carry content, and how the grammar may
use it. A new cue is one line there and one case in
``tests/extraction/test_patterns.py``. The lists after it are the mention
grammar's (determiners, source nouns, titles, adjuncts) and the name
canonicaliser's (well-known sources, organisation and media words, given names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.extraction.types import CueKind, SourceKind


class Licence(StrEnum):
    """What a cue needs after it before what follows is its content."""

    direct = "direct"
    """Content may follow at once: "said the talks failed"."""
    marked = "marked"
    """Only after "that", a colon or a quote, or closing a sentence ("..., study finds");
    the word is common in other senses ("found a job", "hope for rain")."""
    marked_before = "marked-before"
    """Like ``marked`` before its content, free after it: "The club posted a loss"."""
    clause = "clause"
    """Only after "that", a colon or a quote: "respond to", "ask for" take other objects."""
    quote = "quote"
    """Only with an object and then a quote, which is the content: "called the vote “…”"."""
    particle = "particle"
    """Only with its particle right after it: "pleaded with", "apologized for"."""


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    kind: CueKind
    licence: Licence
    speech: bool = False
    """A verb of speech: any noun after a determiner may be its subject ("the striker said")."""
    inverts: bool = False
    """May come before its subject: "“…,” said Janet Yellen"."""
    noun: bool = False
    """Its base form reads as a noun too often ("a report", "the state"): only its
    inflected forms are cues."""
    data: bool = False
    """Evidence takes content without "that": "data from Eurostat showed prices rose"."""
    needs_as: bool = False
    """With ``Licence.quote``: "as" right before the quote ("dismissed it as “…”")."""
    particle: str | None = None
    """A word that makes it a direct cue when it follows ("called for calm"; a quote cue
    otherwise). It is part of the cue, except "to", which opens the content
    ("declined to comment")."""
    own_subject: bool = False
    """Never continues another frame: in "she said, citing the findings" the
    findings are her evidence, not more of what she said."""


# lemma, kind, licence, then flags. Evidence verbs are evidence when the source
# is not a person (who "found" something is speaking); see ``cue_kind_of``.
_CUE_TABLE = """
say          speech    direct         speech inverts
tell         speech    direct         speech inverts
add          speech    direct         speech inverts
report       speech    direct         inverts noun
state        speech    direct         inverts noun
note         speech    direct         inverts noun
claim        speech    direct         noun
insist       speech    direct         speech inverts
warn         speech    direct         speech inverts
announce     speech    direct         speech
indicate     evidence  direct
maintain     speech    clause
deny         speech    direct
argue        speech    direct         speech
suggest      evidence  direct
write        speech    direct         speech inverts
tweet        speech    direct         speech inverts noun
post         speech    marked-before  inverts noun
explain      speech    direct         speech inverts
acknowledge  speech    direct         speech
admit        speech    direct         speech
assert       speech    direct
allege       speech    clause
contend      speech    direct
declare      speech    direct         speech inverts
stress       speech    direct
emphasize    speech    direct
emphasise    speech    direct
observe      speech    direct
predict      speech    direct
promise      speech    direct         noun
reply        speech    direct         speech inverts noun
reveal       evidence  direct
reiterate    speech    direct
remark       speech    direct         noun
comment      speech    direct         noun
concede      speech    direct         noun
caution      speech    direct         noun
complain     speech    direct
testify      speech    direct         speech
counter      speech    direct         noun
disclose     speech    direct
mention      speech    direct
pledge       speech    direct         noun
vow          speech    direct         noun
signal       speech    direct         noun
hint         speech    direct         noun
conclude     evidence  direct
ask          speech    clause         speech inverts
answer       speech    clause         inverts noun
respond      speech    clause
retort       speech    direct
quip         speech    direct         inverts
boast        speech    direct
estimate     evidence  direct         noun
reaffirm     speech    direct
underline    speech    direct
underscore   speech    direct
dispute      speech    direct
accuse       speech    clause
charge       speech    clause         noun
threaten     speech    clause
agree        speech    clause
believe      thought   marked
think        thought   marked
find         evidence  marked         data
show         evidence  marked         data
specify      evidence  direct
establish    evidence  marked         data
confirm      speech    direct
fear         thought   marked
hope         thought   marked
expect       thought   marked
know         thought   marked
worry        thought   marked
doubt        thought   marked
suppose      thought   marked
want         thought   marked
plan         thought   marked         noun
intend       thought   marked
recall       speech    marked         inverts
continue     speech    marked         inverts
defend       speech    direct
criticize    speech    direct
criticise    speech    direct
oppose       speech    direct
blame        speech    direct
praise       speech    direct
condemn      speech    direct
reject       speech    direct
urge         speech    direct
encourage    speech    direct
question     speech    direct         noun
cite         speech    direct         own_subject
credit       speech    direct         noun
advise       speech    direct
instruct     speech    direct
welcome      speech    direct
applaud      speech    direct
demand       speech    direct         noun
recommend    speech    direct
propose      speech    direct
characterize speech    direct
characterise speech    direct
theorize     speech    direct
theorise     speech    direct
speculate    speech    direct
specify      speech    direct
decide       thought   direct
call         speech    quote          particle=for
plead        speech    particle       particle=with
apologize    speech    particle       particle=for
apologise    speech    particle       particle=for
disagree     speech    particle       particle=with
speak        speech    particle       particle=of
decline      speech    particle       particle=to
dismiss      speech    quote          needs_as
describe     speech    quote          needs_as
brand        speech    quote          needs_as
label        speech    quote          needs_as
term         speech    quote
deride       speech    quote          needs_as
decry        speech    quote          needs_as
identify     speech    quote          needs_as
read         evidence  marked
"""


def _cue_table(table: str) -> dict[str, Cue]:
    cues: dict[str, Cue] = {}
    for line in table.strip().splitlines():
        lemma, kind, licence, *flags = line.split()
        values: dict[str, Any] = {}
        for flag in flags:
            key, _, value = flag.partition("=")
            values[key] = value or True
        cues[lemma] = Cue(lemma, CueKind(kind), Licence(licence), **values)
    return cues


CUES = _cue_table(_CUE_TABLE)
"""Every reporting word, by lemma."""

# base form -> (third person, past, -ing, participle); only the irregular ones.
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
    "read": ("reads", "read", "reading"),
}


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


def _forms(cues: list[Cue]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cue in cues:
        for i, form in enumerate(_inflect(cue.lemma)):
            if i == 0 and cue.noun:
                continue
            out.setdefault(form, cue.lemma)
    return out


WEAK_FORMS = _forms([c for c in CUES.values() if c.licence == Licence.marked])
"""Inflected forms of the cues that need a marker -> lemma."""
CUE_FORMS: dict[str, str] = {
    **WEAK_FORMS,
    **_forms(
        [
            c
            for c in CUES.values()
            if c.licence not in (Licence.marked, Licence.quote, Licence.particle)
        ]
    ),
}
"""Every inflected cue word -> its lemma (the object-then-quote verbs apart)."""
OBJECT_QUOTE_FORMS: dict[str, str] = {
    form: c.lemma
    for c in CUES.values()
    if c.licence == Licence.quote
    for form in _inflect(c.lemma)[1:3]
    if form not in CUE_FORMS
}
"""Third-person and past forms of the object-then-quote verbs -> lemma."""
PARTICLE_FORMS: dict[str, str] = {
    form: c.lemma for c in CUES.values() if c.particle for form in _inflect(c.lemma)
}
"""Every form of the cues that take a particle -> lemma ("calling" for "calling for")."""
BASE_FORMS: dict[str, str] = {
    c.lemma: c.lemma for c in CUES.values() if c.noun and c.lemma not in CUE_FORMS
}
"""The noun-like base forms ("claim", "report"), cues only after a plural subject
and before a clause of their own: "Activists claim safety standards are ignored"."""
VERB_FORMS = (
    frozenset(CUE_FORMS)
    | frozenset(OBJECT_QUOTE_FORMS)
    | frozenset(PARTICLE_FORMS)
    | frozenset(BASE_FORMS)
)
"""Every word a verb frame starts from."""
CONTINUATION_FORMS = {f: lemma for f, lemma in CUE_FORMS.items() if not CUES[lemma].own_subject}
"""The cue words that may go on with another frame's source ("..., adding that")."""


def cue_kind_of(cue: str | None, source_kind: SourceKind) -> CueKind:
    """Speech, thought or evidence, from the cue's words and who the source is.

    A document (a study, a filing) is evidence whatever its verb; anyone else's
    "found", "showed" is evidence too, unless the source is a person. A quote
    without a cue of its own is speech.
    """
    words = (cue or "").lower().split()
    lemmas = [CUE_FORMS[word] for word in words if word in CUE_FORMS]
    if source_kind == SourceKind.document:
        return CueKind.evidence
    if any(word in ATTITUDES for word in words):
        return CueKind.thought
    if not lemmas and len(words) == 1 and words[0] in NOMINAL_CUES:
        return NOMINAL_CUES[words[0]]
    kind = CUES[lemmas[0]].kind if lemmas else CueKind.speech
    if kind == CueKind.evidence and source_kind == SourceKind.person:
        return CueKind.speech
    return kind


# Word boundaries exclude hyphens: "state-run" and "well-said" are not cues.
CUE_RE = re.compile(
    r"(?<![\w\-])(?:according\s+to|"
    + "|".join(sorted((re.escape(f) for f in CUE_FORMS), key=len, reverse=True))
    + r")(?![\w\-])",
    re.IGNORECASE,
)

# "X condemned what it described as “…”": X is who uses the words.
STANCE_VERBS = set(
    "condemned condemns criticized criticised criticizes criticises denounced denounces "
    "welcomed welcomes praised praises rejected rejects decried decries slammed slams "
    "blasted blasts hailed hails protested protests opposed opposes lamented laments "
    "deplored deplores assailed assails mocked mocks".split()
)
# Adjectives of attitude after a form of "be", and the words that bring their content:
# "was optimistic that", "were critical of", "is concerned about". All are thought.
ATTITUDES: dict[str, frozenset[str]] = {
    adjective: frozenset(takes.split())
    for adjective, takes in {
        "optimistic": "that about",
        "pessimistic": "that about",
        "confident": "that",
        "convinced": "that",
        "hopeful": "that",
        "worried": "that about",
        "concerned": "that about",
        "skeptical": "that of about",
        "sceptical": "that of about",
        "critical": "of",
        "adamant": "that",
        "certain": "that",
        "afraid": "that",
    }.items()
}

# Prepositions that attribute what follows or precedes, by first word: the words after it.
PREPOSITIONAL_CUES: dict[str, tuple[tuple[str, ...], ...]] = {
    "according": (("to",),),
    "per": ((),),
    "in": (("the", "words", "of"), ("the", "view", "of")),
}

# Nouns that report what their possessor said or holds: "his warning that", "her
# decision to". Each with its kind.
NOMINAL_CUES: dict[str, CueKind] = {
    **dict.fromkeys(
        "warning warnings claim claims assertion statement allegation allegations "
        "accusation accusations suggestion insistence argument promise pledge vow "
        "request requests demand demands call threat denial admission announcement "
        "contention position".split(),
        CueKind.speech,
    ),
    **dict.fromkeys(
        "belief view fear fears hope hopes concern concerns decision plan plans "
        "intention expectation".split(),
        CueKind.thought,
    ),
    **dict.fromkeys("finding findings conclusion estimate assessment".split(), CueKind.evidence),
}
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
"""Each possessive pronoun and the pronoun it resolves as."""
OBJECT_FORMS = {"him": "he", "her": "she", "them": "they", "it": "it", "us": "we"}
"""Each object pronoun ("according to him") and the pronoun it resolves as."""

# "member states", "U.S. states", "news reports": after these a cue form is a noun.
NOUN_COMPOUNDS = set("member us u.s. gulf eu news media island arab nation union".split())
# Speech acts whose participle opens content with no marker: ", vowing to sue".
PARTICIPLE_SPEECH_ACTS = set(
    "vow promise pledge urge warn claim accuse blame deny demand insist threaten".split()
)
# Modals that make a cue speculation, not report: "might have encouraged".
SPECULATIVE = set("might may could".split())

# Cues that can relay another source's words: "TASS reported (that) Peskov said X".
RELAYING = frozenset("report say reveal claim tell state announce confirm".split())

NOUNLIKE_BASE = frozenset(c.lemma for c in CUES.values() if c.noun)
"""Cue lemmas with a common noun reading ("the United States", "a Times report")."""
# "Local 1059", "Lodge 7": a number after these words ends an organisation's name.
NUMBERED_UNITS = frozenset("Local Lodge Chapter District Division Unit Post Precinct".split())

AUXILIARIES = set(
    "has have had will would could can may might must shall should did does do "
    "is was are were be been being 's".split()
)
BE_FORMS = set("is was are were be been being".split())
ADVERBS = set(
    "also later earlier previously repeatedly again then long often recently "
    "reportedly publicly privately separately quickly firmly flatly strongly "
    "already since still now once further initially originally not never "
    "always frequently consistently just only first subsequently eventually instead".split()
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
    "sister brother aunt uncle cousin grandmother grandfather "
    "neighbor neighbour coach player players parent parents member members head "
    "firefighters paramedics rescuers medics troops soldiers protesters demonstrators "
    "farmers nurses staff agents detectives sheriff coroner scholars historians observers "
    "monitors pollsters traders investors locals villagers citizens fans relatives family "
    "families organisers authors editors campaigners advocates opponents proponents "
    "inspectors auditors engineers physicians epidemiologists specialists consultants "
    "bankers brokers candidate candidates chancellor premier prosecutors defendant "
    "plaintiff plaintiffs prisoner detainees refugees migrants pilot pilots crew campaigner "
    "professor professors chairperson poster posters individuals eyewitness eyewitnesses "
    "participants participant writer writers author co-author commentators",
    "government": "government administration ministry department police authorities "
    "authority military army navy council parliament congress senate house cabinet "
    "kremlin regulator regulators prosecutor's court courts state agency commission "
    "embassy office guard",
    "organization": "company firm group organization organisation union party agencies "
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
    "order decision census research footage video decree constitution archive website "
    "doctrine doctrines findings statistics filings emails email surveys polls studies "
    "affidavit manifesto reports",
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
    "Many Some Others Most Few Another Amongst Among".split()
)

# A mention starts after one of these (or at the start of a clause).
CLAUSE_OPENERS = set(
    "and but or while as because although though when after before since so whereas "
    "if where that yet meanwhile however also then now earlier later separately "
    "ultimately instead still already".split()
)

# People "of" a body who do not speak for it: "critics of Scientology", "victims of the fire".
OUTSIDERS = set(
    "critics opponents supporters fans victims survivors relatives families residents "
    "neighbours neighbors customers users readers viewers voters".split()
)

# How a text addresses a person: part of neither the name nor the description.
HONORIFICS = set("mr mrs ms miss mx dr gov sir dame".split())

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

# ---- the mention grammar's words --------------------------------------------

# Abbreviations whose full stop belongs to the word ("Dr.", "Corp.").
ABBREVIATIONS = set(
    "mr mrs ms dr gov sen rep gen lt col sgt capt maj adm prof rev st jr sr inc corp co "
    "ltd no dept univ ft mt pres supt det insp cmdr".split()
)
CONNECTORS = set("of for at with from by on about to in".split())
OBJECT_PRONOUNS = set("me him her them us you reporters journalists lawmakers".split())
# Words that open circumstance after a cue ("said on Tuesday", "said via email").
ADJUNCT_START = (
    set(
        "in on at during after before ahead via through over to with from while when under "
        "without by late early last this earlier later citing according recently".split()
    )
    | TIME_WORDS
)
# Names of organisations may contain "and" / "&": "Department of Health and Social Care".
ORG_HEADS = set(
    "department ministry federation center centre institute council committee association "
    "agency office commission university foundation society board authority service "
    "services alliance coalition union bureau administration workers local".split()
)
# After "told": the audience, not the content ("told a news conference").
AUDIENCE = set(
    "conference briefing meeting gathering audience crowd rally hearing summit forum "
    "session reporters journalists lawmakers committee jury court parliament interviewer "
    "programme program podcast show newspaper broadcaster station channel radio "
    "television supporters delegates".split()
)
# "the snack maker", "the family-owned chain": what a company is called back.
COMPANY_NOUNS = (
    "company firm chain maker retailer manufacturer group bank lender insurer airline "
    "carrier producer supplier operator developer startup conglomerate grocer automaker "
    "utility giant brand business distributor processor owner"
).split()
# Words that open an adverbial, not a company's name ("In Ohio, the chain ...").
NOT_NAME_START = set(
    "in on at for after before by with from since during last this but and as when while "
    "under like unlike meanwhile the a an".split()
)
MONTHS = set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Lower-case words of a title-case headline.
MINOR_WORDS = set(
    "a an the of in on at to for and but or nor with by as from into over vs via per "
    "is are be".split()
)
# "one of the people", "two of the lawyers"
PARTITIVES = set("one two three four several some many most both each another".split())
# Words that cannot head an unlisted source noun (", firefighters said").
NOT_HEADS = (
    CLAUSE_OPENERS
    | AUXILIARIES
    | ADVERBS
    | RELATIVES
    | CONNECTORS
    | OBJECT_PRONOUNS
    | DETERMINERS
    | set(CUE_FORMS)
    | TIME_WORDS
    | set("not also just only even so very more less than what there here".split())
)
# "claims the islands", "claimed responsibility for": the object is a thing owned.
CLAIMED_THINGS = set(
    "rights right sovereignty ownership jurisdiction territory territories title titles "
    "credit responsibility victory land lands island islands waters sea seas region "
    "area areas seat seats prize lives life stake share".split()
)
# Subjects that make a "data" cue take its content without "that".
EVIDENCE_NOUNS = set(
    "data figures statistics study studies survey surveys poll polls research analysis "
    "census records report estimates filings".split()
)


# ---- the name canonicaliser's words -----------------------------------------

# A few well-known names and the kind of source they are. General knowledge,
# not tuned to any article; the service's registry holds the rest.
KNOWN_SOURCES: dict[str, SourceKind] = {}
for _source_kind, _known_names in {
    SourceKind.news_agency: "reuters|associated press|ap|afp|agence france-presse|tass|"
    "ria novosti|ria|interfax|xinhua|kyodo|yonhap|dpa|ansa|efe|anadolu|pti|ukrinform|"
    "press trust of india|bernama|antara|irna|kcna|wafa|mena|apa",
    SourceKind.media: "bloomberg|bloomberg news|new york times|washington post|"
    "wall street journal|financial times|bbc|cnn|fox news|nbc|nbc news|cbs|cbs news|"
    "abc|abc news|msnbc|npr|politico|axios|guardian|times|economist|al jazeera|"
    "le monde|der spiegel|spiegel|kommersant|izvestia|vedomosti|rt|sky news|"
    "los angeles times|usa today|the hill|cnbc|forbes|time|newsweek|daily mail|"
    "telegraph|independent|haaretz|times of israel|south china morning post|"
    "global times|nikkei|asahi|yomiuri|le figaro|bild|el pais|corriere della sera|"
    "la repubblica|the atlantic|new yorker|vox|buzzfeed news|huffpost|propublica|"
    "associated press television|reuters television",
    SourceKind.government: "white house|kremlin|pentagon|state department|"
    "downing street|elysee|élysée|congress|senate|house of representatives|"
    "european commission|european union|eu|nato|united nations|un|"
    "foreign ministry|defense ministry|defence ministry|justice department|"
    "department of justice|treasury|fbi|cia|nsa|fda|cdc|sec|fed|federal reserve|"
    "washington|moscow|beijing|kyiv|kiev|london|paris|berlin|tokyo|tehran|brussels|"
    "ankara|jerusalem|damascus|riyadh|new delhi|islamabad|seoul|pyongyang|minsk|"
    "warsaw|rome|madrid|ottawa|canberra|taipei|caracas|havana|cairo|baghdad|kabul|"
    "united states|u.s.|us|usa|america|russia|china|ukraine|britain|uk|united kingdom|"
    "france|germany|italy|spain|japan|india|pakistan|iran|iraq|israel|turkey|"
    "syria|saudi arabia|north korea|south korea|belarus|poland|canada|australia|"
    "mexico|brazil|venezuela|cuba|egypt|afghanistan|taiwan|european council",
    SourceKind.intelligence: "u.s. intelligence|us intelligence|american intelligence|"
    "british intelligence|mi6|mi5|gru|fsb|svr|mossad",
}.items():
    for _name in _known_names.split("|"):
        KNOWN_SOURCES.setdefault(_name, _source_kind)

ORG_NAME_WORDS = set(
    "inc inc. corp corp. co co. ltd ltd. llc plc group bank university college institute "
    "foundation association party union council committee commission ministry department "
    "agency office court police army navy force forces company corporation holdings "
    "partners capital fund trust center centre school hospital network society federation "
    "league club airlines airways motors technologies systems labs local lodge workers".split()
)
MEDIA_NAME_WORDS = set(
    "times post journal news press daily herald tribune gazette magazine tv radio "
    "telegraph chronicle observer guardian review weekly television broadcasting media".split()
)
NAME_PARTICLES = set(
    "de da di del della van von der den la le al el bin ibn ben bint du st.".split()
)
NAME_SUFFIXES = set("jr jr. sr sr. ii iii iv".split())
COUNTRY_ADJECTIVES = set(
    "u.s. us u.k. uk eu american british french german chinese russian ukrainian israeli "
    "iranian iraqi syrian turkish japanese korean indian pakistani afghan saudi egyptian "
    "european western eastern dutch greek swiss swedish polish canadian australian "
    "mexican brazilian palestinian lebanese belarusian kremlin-backed pro-russian "
    "federal state".split()
)
DOCUMENT_HEADS = set(
    "readout report memo filing assessment study survey poll transcript indictment "
    "complaint lawsuit ruling audit analysis summary letter document documents data".split()
)
OFFICE_HEADS = set("office department ministry administration bureau campaign".split())

# Gender cues for "he" / "she": common given names, titles and gendered role words.
# General knowledge; a name in neither list leaves the gender open.
FEMALE_NAMES = set(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa "
    "betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa "
    "deborah stephanie rebecca laura sharon cynthia kathleen amy angela anna ana ann anne "
    "helen katherine katharine catherine christine emma olivia sophia sophie isabella mia "
    "maya maria marie julia julie claire clara alice grace hannah rachel natalie victoria "
    "teresa theresa gloria rosa carmen lucia elena irina olga natalia svetlana tatiana "
    "yulia anastasia ekaterina marina priya aisha fatima leila layla keiko yuki mei ling "
    "tanya lissa lea leah ursula angela kamala nikki hillary nancy janet christine "
    "giorgia marine annalena jacinda sanna kaja ruth diane joan jane judith martha "
    "heather megan lauren kelly nicole samantha andrea monica veronica vanessa jasmine "
    "sara eva ella chloe lucy charlotte amelia harriet ingrid astrid greta frida "
    "beatriz mariana gabriela valentina daniela paula silvia francesca giulia chiara "
    "agnieszka katarzyna zofia oksana iryna kateryna nadia samira yasmin noura hana "
    "sun-hee ji-woo mariko akiko naomi hiroko wei-ling aiko".split()
)
MALE_NAMES = set(
    "james john robert michael william david richard joseph thomas tom charles christopher "
    "daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian "
    "george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan "
    "stephen larry justin scott brandon benjamin samuel gregory frank alexander raymond "
    "patrick jack dennis jerry tyler aaron jose adam henry nathan douglas zachary peter "
    "kyle walter ethan jeremy harold keith christian roger noah gerald carl terry sean "
    "austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel "
    "logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby "
    "philip johnny rick ricky dale glenn marcus michel pierre jean emmanuel olaf "
    "friedrich hans karl klaus wolfgang vladimir dmitry sergei sergey alexei mikhail "
    "ivan igor oleg volodymyr petro gilberto carlos luis miguel jorge pedro antonio "
    "manuel francisco javier diego alejandro ricardo fernando rafael eduardo mohammed "
    "muhammad ahmed ali hassan omar mahmoud abdullah xi li wang hiroshi takeshi kenji "
    "shinzo fumio yoshihide collin colin boris rishi keir emmanuel recep benjamin "
    "narendra rahul amit raj sanjay vikram chris mike dave jim bill bob tim matt dan "
    "nick steve greg jeff ben sam alex max lars sven erik jens mateusz piotr tomasz "
    "andrzej ahmad yusuf ibrahim khalid faisal hamad sean liam connor declan".split()
)
FEMALE_WORDS = set(
    "spokeswoman chairwoman congresswoman councilwoman assemblywoman businesswoman "
    "mother wife daughter sister grandmother aunt niece queen princess duchess "
    "mrs mrs. ms ms. miss madam actress waitress woman girl".split()
)
MALE_WORDS = set(
    "spokesman chairman congressman councilman assemblyman businessman alderman "
    "father husband son brother grandfather uncle nephew king prince duke "
    "mr mr. sir actor waiter man boy".split()
)
