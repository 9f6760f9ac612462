"""Build the benchmark database: ~2,000 sources, ~50,000 articles, 1,000,000 claims.

    .venv/bin/python -m bench.generate                      # SQLite: bench/out/bench.db
    .venv/bin/python -m bench.generate --database-url postgresql+psycopg://postgres@127.0.0.1/claimdesk_bench_pg
    .venv/bin/python -m bench.generate --vocabulary uniform   # the earlier data: the worst case

Claim texts come from a Zipf vocabulary of 50,000 words, articles about stories,
12% of claims re-reporting a recent one (``--vocabulary zipf``, the default), or
from the earlier 250 words drawn alike (``--vocabulary uniform``); see
bench/README.md, "The data".

The schema comes from the migrations (app.migrate.upgrade); the rows are then
bulk-inserted with ``connection.execute(insert(table), rows)`` in batches, one
executemany per table per batch, never one INSERT per row.

Every claim's MinHash band keys (``band_keys(fingerprint(text))``, app.matching)
go into ``claim_band`` with it, as ingest stores them, so the matcher and the
lookup search a full index.

The data looks like the extractor's output: every article text is made of
sentences, every claim is a span of its article (``text == article[start:end]``,
with the mention and cue offsets pointing into the text too), ~30% of claims are
unattributed, the rest attributed to sources drawn from a Zipf distribution (a
few sources say a lot), statuses are mostly ``unverified``. Ids are assigned in
order, so the claim at depth N (in id order) has id N. Seeded, so reproducible.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, text
from sqlalchemy.engine import make_url

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_DB = OUT_DIR / "bench.db"
DEFAULT_URL = f"sqlite:///{DEFAULT_DB}"
EXTRACTOR_VERSION = "bench-generated"
PG_PREFIXES = ("claimdesk_bench_", "bench")
"""The PostgreSQL databases the generator may create and drop: named as a benchmark's."""
META_TABLE = "bench_generated"

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from app.claims.document import claim_json  # noqa: E402
from app.claims.matches import speaker_of  # noqa: E402
from app.matching import band_keys, fingerprint  # noqa: E402
from app.models import Article, Claim, ClaimBand, Sentence, Source, SourceName  # noqa: E402
from app.schemas import SourceRefOut  # noqa: E402
from app.search import STOPWORDS as _SEARCH_STOPWORDS  # noqa: E402


def _fallback_normalize(name: str) -> str:
    return " ".join(name.casefold().replace(".", "").split())


try:  # the extraction package may not exist yet; the key only has to be unique here
    from app.extraction import normalize_name
except ImportError:  # pragma: no cover
    normalize_name = _fallback_normalize


# ---------------------------------------------------------------- vocabulary

WORDS = """
government officials minister president talks summit border troops military
economy sanctions inflation prices markets energy gas oil pipeline exports
imports budget deficit taxes reform election vote parliament opposition party
coalition court ruling law constitution police protest crisis war ceasefire
peace agreement treaty alliance security intelligence cyber attack hackers
ransomware vaccine pandemic hospital doctors patients schools teachers students
climate emissions carbon floods drought wildfire farmers harvest wheat grain
unemployment jobs wages workers union strike companies banks investors debt
bonds currency rates growth recession trade tariffs shipping ports supply chain
refugees migrants asylum humanitarian aid water food fuel electricity power
grid nuclear reactor missile drone weapons arms negotiations delegation envoy
embassy diplomats foreign ministry spokesman statement report analysis data
survey poll figures record highest lowest since decade years months weeks
record-breaking unprecedented significant sharp steady gradual modest massive
will would could must should never always already still again soon later
increase decrease rise fall drop surge collapse recover improve worsen remain
support oppose reject accept deny confirm warn promise threaten demand urge
the a an of to in on for with by from at over under between against about
its their our his her this that these those new old major minor key main
local national regional international global western eastern northern southern
""".split()
"""The uniform vocabulary (``--vocabulary uniform``): 250 words drawn alike, so every
word is in ~6% of the claims. The worst case for ranking and for band keys."""

FUNCTION_WORDS = """
the of to and a in that is for on it with was as he said by at from his be have
are has but not an they this were who will had their been would which its more
after we also she there or about one all can up i out her than over when two
new into what could our last year some other no government them if first only
people so told him because just years now before three against while us such
most any many do those being did should may where these then under did between
since through both very like even back down how off well still however another
""".split()
"""English function and very common words, most frequent first: the head of the
Zipf vocabulary (with the old vocabulary's content words after them)."""

NEWS_WORDS = """
week day month minister police officials country city state world report told
support security health public million billion percent time number group plan
deal law court case company market price rate policy leader party election vote
budget tax debt bank money cost growth economy crisis war troops attack forces
border region area capital power energy water food school children women family
families workers jobs wages strike protest demonstrators opposition ruling
statement interview spokesman spokeswoman agency ministry council committee
commission investigation evidence charges trial judge prosecutors lawyers
sentence prison arrest suspects victims killed injured dead fire explosion
building hospital doctors patients virus vaccine cases deaths disease outbreak
climate weather storm floods heat drought emissions carbon gas oil fuel
pipeline exports imports trade tariffs sanctions inflation prices shares
investors markets currency dollar euro interest loans housing rent homes
transport airport flights rail road traffic ships port shipping supply goods
farmers harvest wheat grain meat exports refugees migrants asylum aid camps
talks summit negotiations agreement treaty ceasefire peace alliance allies
military army navy soldiers missile drone weapons nuclear reactor satellite
cyber hackers ransomware data network internet platform technology software
elections campaign candidates voters ballots turnout polls survey results
parliament senate congress lawmakers bill reform constitution referendum
coalition cabinet president premier governor mayor ambassador envoy diplomats
embassy delegation foreign domestic national regional local international
global western eastern northern southern central record highest lowest decade
""".split()

# Words the generator never uses: run.py builds its unrelated lookups from them.
UNRELATED = """
lighthouse keeper painted seventeen blue boats harbour orchestra violin festival
museum sculpture garden bakery croissant recipe chess tournament grandmaster marathon
runner bicycle mountain glacier penguin colony telescope comet astronomer library
novel poet lantern carnival puppet theatre village bridge river canoe volcano island
""".split()

ZIPF_SIZE = 50_000
"""Distinct words of the Zipf vocabulary: a year of a news desk's claims uses tens of
thousands."""
ZIPF_EXPONENT = 1.0
QUERY_SKIP = 250
"""Search words come from below the vocabulary's 250 most frequent words: a
fact-checker searches for what a claim is about, not for "government" or "said"."""

TOPICS = 2_000
"""Stories the articles are about, a few big (Zipf over the topics), most small."""
TOPIC_WORDS = 10
"""Words of a story. Three tenths of an article's words come from its story's, so the
words of a claim go together as in news ("ceasefire" with "hostages"), and a two-word
search finds the claims of a story, not two independent words' chance meetings."""

_ONSETS = (
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr r s sc sh sl sp st t th tr v w z"
).split()
_VOWELS = "a e i o u a e i o ai ea ie ou".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "nd", "nt", "rt", "st", "ck", "sh", "x"]


@dataclass(frozen=True)
class Vocabulary:
    """How claim texts are drawn: the words and their weights, the claims' lengths,
    and how often a claim repeats one reported earlier (wire copy)."""

    name: str
    words: list[str]
    cum_weights: list[float] | None  # None: every word alike
    length_mu: float  # claim length: lognormal(mu, sigma) words, clamped to 3..60
    length_sigma: float
    repeat: float  # share of claims that re-report a recent claim
    topical: float = 0.0  # share of a claim's words drawn from its article's topic

    def draw(self, rng: random.Random, n: int, topic: list[str] | None = None) -> list[str]:
        if self.cum_weights is None:
            return rng.choices(self.words, k=n)
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        if topic:
            for i in range(n):
                if rng.random() < self.topical:
                    words[i] = rng.choice(topic)
        return words

    def topics(self, rng: random.Random, count: int) -> list[list[str]]:
        """Stories: TOPIC_WORDS words each, drawn by frequency from the words a search
        may be made of."""
        assert self.cum_weights is not None
        content = self.words[QUERY_SKIP:]
        base = self.cum_weights[QUERY_SKIP - 1]
        cum = [w - base for w in self.cum_weights[QUERY_SKIP:]]
        return [rng.choices(content, cum_weights=cum, k=TOPIC_WORDS) for _ in range(count)]

    def rank(self) -> dict[str, int]:
        return {w: r for r, w in enumerate(self.words)}

    def query_words(self) -> list[str]:
        """The words a search may be made of, in vocabulary order."""
        if self.cum_weights is None:
            return [w for w in self.words if w not in _SEARCH_STOPWORDS and "-" not in w]
        return self.words[QUERY_SKIP:]


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    if name == "uniform":
        # The generator as it was: the figures of the earlier runs come from this.
        return Vocabulary("uniform", WORDS, None, 2.4, 0.55, 0.0)
    if name != "zipf":
        raise ValueError(f"unknown vocabulary {name!r}")
    from app.matching import _stem

    words: list[str] = []
    stems: set[str] = set()
    reserved = set(UNRELATED)

    def add(word: str) -> None:
        stem = _stem(word)
        if word not in reserved and stem not in stems:
            words.append(word)
            stems.add(stem)

    for word in FUNCTION_WORDS:
        add(word)
    rng = random.Random("claimdesk zipf vocabulary")
    content = sorted(set(NEWS_WORDS) | {w for w in WORDS if w not in _SEARCH_STOPWORDS})
    rng.shuffle(content)
    for word in content:
        add(word)
    # The long tail: pronounceable made-up words, one per stem so each is its own term.
    while len(words) < ZIPF_SIZE:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(rng.choice((2, 2, 3)))
        )
        if 4 <= len(word) <= 12 and word not in _SEARCH_STOPWORDS:
            add(word)
    weights = accumulate(1.0 / (r + 1) ** ZIPF_EXPONENT for r in range(len(words)))
    # Claims of 6 to 40 words mostly (median 16), as the extractor cuts them from news.
    return Vocabulary("zipf", words, list(weights), 2.75, 0.5, 0.12, topical=0.3)


FIRST_NAMES = """
James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David
Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy
Matthew Lisa Anthony Betty Mark Margaret Donald Sandra Steven Ashley Paul
Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Dorothy Brian Carol
George Amanda Edward Melissa Ronald Deborah Timothy Stephanie Jason Rebecca
Olga Sergei Anna Dmitri Elena Ivan Natalia Alexei Maria Mikhail Yulia Andrei
Wei Li Mei Chen Hiroshi Yuki Kenji Aiko Raj Priya Arjun Ananya Ahmed Fatima
Omar Layla Carlos Sofia Luis Valentina Pierre Camille Hans Greta Lars Ingrid
""".split()

LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee
Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young
Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall
Rivera Campbell Mitchell Carter Roberts Ivanov Petrov Sidorov Smirnov Kuznetsov
Popov Volkov Sokolov Lebedev Kozlov Novak Kowalski Nowak Wang Zhang Liu Yang
Huang Zhao Tanaka Suzuki Takahashi Watanabe Sharma Patel Singh Kumar Gupta
Khan Ali Hussein Haddad Mansour Silva Santos Oliveira Pereira Costa Dubois
Laurent Moreau Muller Schmidt Schneider Fischer Weber Becker Hansen Larsen
Johansson Andersson Rossi Russo Ferrari Esposito Bianchi Romano Colombo
""".split()

COUNTRIES = """
France Germany Italy Spain Poland Ukraine Russia China Japan India Brazil Mexico
Canada Australia Turkey Iran Egypt Nigeria Kenya Israel Sweden Norway Finland
Greece Portugal Austria Hungary Romania Chile Argentina Indonesia Vietnam Korea
""".split()

ROLES = [
    "spokesman",
    "spokeswoman",
    "minister",
    "adviser",
    "senator",
    "governor",
    "analyst",
    "economist",
    "professor",
    "ambassador",
    "general",
    "official",
    "chief executive",
    "researcher",
    "mayor",
    "envoy",
]
ORG_KINDS = [
    "Ministry of Defence",
    "Ministry of Finance",
    "Foreign Ministry",
    "Central Bank",
    "Interior Ministry",
    "Energy Agency",
    "Health Ministry",
    "Supreme Court",
    "Election Commission",
    "Statistics Office",
]
NGO_KINDS = [
    "Institute for Policy Studies",
    "Council on Trade",
    "Human Rights Watch Group",
    "Energy Forum",
    "Climate Alliance",
    "Workers Union",
    "Chamber of Commerce",
    "Medical Association",
    "Policy Center",
    "Research Foundation",
]
MEDIA_KINDS = [
    "Herald",
    "Tribune",
    "Times",
    "Post",
    "Gazette",
    "Chronicle",
    "Observer",
    "Daily",
    "Journal",
    "Courier",
]
CUES_SAID = [
    "said",
    "told reporters",
    "added",
    "stated",
    "claimed",
    "warned",
    "insisted",
    "argued",
    "noted",
    "wrote",
]
PRONOUNS = ["he", "she", "they", "it"]

STATUSES = [
    "unverified",
    "in_progress",
    "verified",
    "misleading",
    "false",
    "unproven",
    "not_checkable",
]
STATUS_WEIGHTS = [62, 8, 12, 5, 5, 4, 4]
TYPES = ["unattributed", "direct_quote", "indirect", "according_to", "mixed"]
TYPE_WEIGHTS = [30, 27, 25, 10, 8]
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


# ------------------------------------------------------------------- sources


def make_sources(rng: random.Random, count: int) -> tuple[list[dict[str, Any]], list[dict]]:
    """Source rows and source_name rows; the seeds' sources come first."""
    now = EPOCH
    sources: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    taken: set[str] = set()
    by_name: dict[str, int] = {}

    def add(
        name: str,
        kind: str,
        description: str | None,
        aliases: list[str],
        affiliation: str | None = None,
    ) -> None:
        key = normalize_name(name)
        if not key or key in taken:
            return
        sid = len(sources) + 1
        sources.append(
            {
                "id": sid,
                "name": name,
                "kind": kind,
                "description": description,
                "affiliation_id": by_name.get(affiliation) if affiliation else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        by_name[name] = sid
        for i, alias in enumerate([name, *aliases]):
            k = normalize_name(alias)
            if not k or k in taken:
                continue
            taken.add(k)
            names.append(
                {
                    "id": len(names) + 1,
                    "source_id": sid,
                    "name": alias,
                    "key": k,
                    "is_primary": i == 0,
                }
            )

    seeds = json.loads((PROJECT_DIR / "seeds" / "sources.json").read_text(encoding="utf-8"))
    for s in sorted(seeds["sources"], key=lambda e: "affiliation" in e):
        add(s["name"], s["kind"], s.get("description"), s["aliases"], s.get("affiliation"))

    orgs: list[str] = []
    for country in COUNTRIES:
        for org in ORG_KINDS:
            orgs.append(f"{country}'s {org}")
    rng.shuffle(orgs)
    for org in orgs[:250]:
        country = org.split("'")[0]
        add(org, "government", f"Part of the government of {country}", [])
    for i in range(120):
        ngo = f"{rng.choice(COUNTRIES)} {rng.choice(NGO_KINDS)}"
        add(ngo, "organization", None, [ngo.replace(" ", "-")] if i % 5 == 0 else [])
    for i in range(150):
        city = rng.choice(COUNTRIES + LAST_NAMES)
        paper = f"The {city} {rng.choice(MEDIA_KINDS)}"
        add(paper, "media" if i % 4 else "news_agency", None, [paper[4:]])
    while len(sources) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        role = rng.choice(ROLES)
        affiliation = rng.choice(orgs[:250]) if rng.random() < 0.4 else None
        aliases = [last, f"{first[0]}. {last}"]
        if rng.random() < 0.2:
            aliases.append(f"{role.title()} {last}")
        add(name, "person", f"{rng.choice(COUNTRIES)} {role}", aliases, affiliation)
    return sources[:count], [n for n in names if n["source_id"] <= count]


# ------------------------------------------------------------------ articles


def _phrase(
    rng: random.Random,
    vocab: Vocabulary,
    lo: int,
    hi: int,
    mu: float = 2.4,
    sigma: float = 0.55,
    topic: list[str] | None = None,
) -> str:
    # Lengths skewed short with a long tail, lognormal(mu, sigma) words in lo..hi.
    n = min(hi, max(lo, int(rng.lognormvariate(mu, sigma))))
    words = vocab.draw(rng, n, topic)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), str(rng.randrange(2, 250_000)))
    return " ".join(words)


RECENT = 5_000
"""Claims a re-report picks from: about two days of the generated news."""


class ArticleMaker:
    """One article: its text, sentences and claims, offsets exact."""

    def __init__(
        self,
        rng: random.Random,
        sources: list[dict[str, Any]],
        aliases: dict[int, list[str]],
        vocab: Vocabulary,
    ) -> None:
        self.rng = rng
        self.vocab = vocab
        self.recent: list[tuple[str, dict[str, Any] | None]] = []
        self.recent_at = 0
        self.sources = sources
        self.aliases = aliases
        # Zipf(1.0) over source rank: the first sources say the most.
        self.cum = list(accumulate(1.0 / (r + 1) for r in range(len(sources))))
        self.type_cum = list(accumulate(TYPE_WEIGHTS))
        self.status_cum = list(accumulate(STATUS_WEIGHTS))
        self.media = [s for s in sources if s["kind"] in ("media", "news_agency")]
        self.stories = vocab.topics(rng, TOPICS) if vocab.topical else []
        self.story_cum = list(accumulate(1.0 / (r + 1) for r in range(len(self.stories))))
        self.topic: list[str] | None = None

    def _words(self, kind: str, source: dict[str, Any] | None) -> tuple[str, str, Any]:
        """A claim's words, its kind and its source: new, or a recent claim re-reported.

        A re-report is another outlet carrying the same speaker's words, as wire copy
        is: verbatim, or (a third of them) with a word left out. It joins the recent
        claims again, so a claim already carried by several outlets is the likeliest
        to be carried once more: a few claims are everywhere, most appear once."""
        rng, vocab = self.rng, self.vocab
        if vocab.repeat and self.recent and rng.random() < vocab.repeat:
            words, source = rng.choice(self.recent)
            if rng.random() < 0.33:
                split = words.split()
                if len(split) > 4:
                    del split[rng.randrange(len(split))]
                    words = " ".join(split)
            if source is None:
                kind = "unattributed"
            elif kind == "unattributed":
                kind = "direct_quote"
        else:
            words = _phrase(
                rng, vocab, 3, 60, vocab.length_mu, vocab.length_sigma, topic=self.topic
            )
        if vocab.repeat:
            entry = (words, None if kind == "unattributed" else source)
            if len(self.recent) < RECENT:
                self.recent.append(entry)
            else:
                self.recent[self.recent_at] = entry
                self.recent_at = (self.recent_at + 1) % RECENT
        return words, kind, source

    def make(self, article_id: int, n_claims: int, first_claim_id: int, created: datetime):
        rng = self.rng
        if self.stories:  # what the article is about
            self.topic = rng.choices(self.stories, cum_weights=self.story_cum)[0]
        parts: list[str] = []
        sentences: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        pos = 0
        types = rng.choices(TYPES, cum_weights=self.type_cum, k=n_claims)
        statuses = rng.choices(STATUSES, cum_weights=self.status_cum, k=n_claims)
        srcs = rng.choices(self.sources, cum_weights=self.cum, k=n_claims)
        for i in range(n_claims):
            claim, kind, source = self._words(types[i], srcs[i])
            mention = cue = None
            m_off = c_off = 0
            if kind == "unattributed":
                claim = claim[0].upper() + claim[1:] + "."
                sentence, off, source = claim, 0, None
            else:
                pick = rng.random()
                if pick < 0.15 and i > 0:
                    mention = rng.choice(PRONOUNS)
                elif pick < 0.55:
                    mention = rng.choice(self.aliases[source["id"]])
                else:
                    mention = source["name"]
                if kind == "direct_quote":
                    claim = claim[0].upper() + claim[1:]
                    cue = rng.choice(CUES_SAID)
                    sentence = f"“{claim},” {mention} {cue}."
                    off, m_off = 1, len(claim) + 4
                    c_off = m_off + len(mention) + 1
                elif kind == "indirect":
                    cue = rng.choice(CUES_SAID[:6])
                    sentence = f"{mention} {cue} that {claim}."
                    m_off, c_off = 0, len(mention) + 1
                    off = c_off + len(cue) + 6
                elif kind == "according_to":
                    cue = "According to"
                    sentence = f"According to {mention}, {claim}."
                    c_off, m_off = 0, 13
                    off = 13 + len(mention) + 2
                else:  # mixed: reported speech quoting part of the words
                    cue = rng.choice(CUES_SAID[:6])
                    quoted = _phrase(rng, self.vocab, 2, 12, topic=self.topic)
                    claim = f"{claim} “{quoted}”"
                    sentence = f"{mention} {cue} {claim}."
                    m_off, c_off = 0, len(mention) + 1
                    off = c_off + len(cue) + 1
                if sentence[0].islower():
                    sentence = sentence[0].upper() + sentence[1:]
                    if m_off == 0 and mention is not None:
                        mention = mention[0].upper() + mention[1:]
            sentences.append(
                {"article_id": article_id, "index": i, "start": pos, "end": pos + len(sentence)}
            )
            updated = created
            if statuses[i] != "unverified":
                updated = created + timedelta(hours=rng.randrange(1, 24 * 30))
            row = {
                "id": first_claim_id + i,
                "article_id": article_id,
                "sentence_index": i,
                "start": pos + off,
                "end": pos + off + len(claim),
                "text": claim,
                "source_id": None if source is None else source["id"],
                "attribution_type": kind,
                "attribution_method": "rule",
                "confidence": 1.0 if source is None else round(rng.uniform(0.5, 0.98), 2),
                "mention": mention,
                "mention_start": None if mention is None else pos + m_off,
                "mention_end": None if mention is None else pos + m_off + len(mention),
                "cue": cue,
                "cue_start": None if cue is None else pos + c_off,
                "cue_end": None if cue is None else pos + c_off + len(cue),
                "cue_kind": None if source is None else "speech",
                "via_source_id": None,
                "via_mention": None,
                "via_mention_start": None,
                "via_mention_end": None,
                "status": statuses[i],
                "match_group": None,  # no person has confirmed a match yet
                "first_claim_id": None,
                "first_article_id": None,
                "suggested_status": None,
                "suggested_from": None,
                "version": 1 if statuses[i] == "unverified" else rng.randrange(2, 5),
                "created_at": created,
                "updated_at": updated,
            }
            refs = {} if source is None else {source["id"]: SourceRefOut.model_validate(source)}
            row["document"] = claim_json(row, claim_id=row["id"], sources=refs)  # as ingest stores
            claims.append(row)
            parts.append(sentence)
            pos += len(sentence) + 1
        body = " ".join(parts) if n_claims < 4 else _paragraphs(rng, parts)
        title = _phrase(rng, self.vocab, 4, 12, topic=self.topic)
        publisher = rng.choice(self.media)["name"]
        article = {
            "id": article_id,
            "text": body,
            "title": title[0].upper() + title[1:],
            "url": f"https://news.example.org/{created:%Y/%m/%d}/{article_id}",
            "publisher": publisher,
            "published_at": created - timedelta(minutes=rng.randrange(5, 600)),
            "language": "en",
            "content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            "extractor_version": EXTRACTOR_VERSION,
            "created_at": created,
        }
        for row in claims:  # what ingest stores: the date the claim listings sort by
            row["published_at"] = article["published_at"]
        return article, sentences, claims


def _paragraphs(rng: random.Random, parts: list[str]) -> str:
    # Sentences joined by one character each (space or newline), so offsets hold.
    return "".join(p + ("\n" if rng.random() < 0.35 else " ") for p in parts)[:-1]


# -------------------------------------------------------------------- driver


def bands(claims: list[dict[str, Any]]) -> list[dict[str, int]]:
    """The claim_band rows of these claims, as app.claims.matches.match_new makes them."""
    return [
        {"key": key, "claim_id": row["id"], "speaker": speaker_of(row["source_id"])}
        for row in claims
        for key in set(band_keys(fingerprint(row["text"])))
    ]


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _fast(dbapi_connection: Any, _record: Any) -> None:
            cur = dbapi_connection.cursor()
            # Bulk load only: no journal fsyncs. The app switches back to WAL.
            cur.execute("PRAGMA journal_mode=MEMORY")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-1000000")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.execute("PRAGMA foreign_keys=OFF")
            cur.close()

        return engine
    return create_engine(url)


def _pg_admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def prepare(url: str, force: bool) -> None:
    """An empty database at url (only bench-named PostgreSQL databases are touched)."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        if path.exists():
            if not force:
                sys.exit(f"{path} exists; pass --force to rebuild it")
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    name = make_url(url).database or ""
    if not name.startswith(PG_PREFIXES):
        sys.exit(f"refusing to touch database {name!r}: its name must start with {PG_PREFIXES}")
    admin = _pg_admin(url)
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is not None:
            if not force:
                sys.exit(f"database {name} exists; pass --force to rebuild it")
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop(url: str) -> None:
    name = make_url(url).database or ""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    if not name.startswith(PG_PREFIXES):
        sys.exit(f"refusing to drop database {name!r}: its name must start with {PG_PREFIXES}")
    admin = _pg_admin(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def generate(
    url: str, *, claims: int, articles: int, sources: int, batch: int, seed: int, vocab: str
) -> None:
    from app.migrate import upgrade

    t0 = time.perf_counter()
    upgrade(url)
    print(f"migrated {url} in {time.perf_counter() - t0:.1f}s", flush=True)
    rng = random.Random(seed)
    source_rows, name_rows = make_sources(rng, sources)
    aliases: dict[int, list[str]] = {}
    for n in name_rows:
        aliases.setdefault(n["source_id"], []).append(n["name"])
    # Claims per article: varied around claims/articles, summing to exactly `claims`.
    mean = claims / articles
    counts = [max(1, int(rng.gauss(mean, mean * 0.45))) for _ in range(articles)]
    scale = claims / sum(counts)
    counts = [max(1, round(c * scale)) for c in counts]
    diff = claims - sum(counts)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        if counts[i % articles] + step >= 1:
            counts[i % articles] += step
            diff -= step
        i += 1
    maker = ArticleMaker(rng, source_rows, aliases, vocabulary(vocab))
    span = timedelta(days=365)
    engine = _engine(url)
    tables = (
        Article.__table__,  # type: ignore[attr-defined]
        Sentence.__table__,  # type: ignore[attr-defined]
        Claim.__table__,  # type: ignore[attr-defined]
        ClaimBand.__table__,  # type: ignore[attr-defined]
    )
    with engine.begin() as conn:
        # What bench.run needs to know of the data: the vocabulary its queries come from.
        conn.exec_driver_sql(f"CREATE TABLE {META_TABLE} (name VARCHAR PRIMARY KEY, value VARCHAR)")
        conn.execute(
            text(f"INSERT INTO {META_TABLE} VALUES (:n, :v)"),
            [{"n": "vocabulary", "v": vocab}, {"n": "seed", "v": str(seed)}],
        )
        conn.execute(insert(Source.__table__), source_rows)  # type: ignore[attr-defined]
        conn.execute(insert(SourceName.__table__), name_rows)  # type: ignore[attr-defined]
    print(f"{len(source_rows):,} sources, {len(name_rows):,} names", flush=True)
    claim_id, done, keys, t1 = 1, 0, 0, time.perf_counter()
    for lo in range(0, articles, batch):
        rows: tuple[list[dict], list[dict], list[dict], list[dict]] = ([], [], [], [])
        for a in range(lo, min(articles, lo + batch)):
            created = EPOCH + span * (a / articles)
            art, sents, cls = maker.make(a + 1, counts[a], claim_id, created)
            claim_id += counts[a]
            rows[0].append(art)
            rows[1].extend(sents)
            rows[2].extend(cls)
            rows[3].extend(bands(cls))
        with engine.begin() as conn:
            for table, chunk in zip(tables, rows, strict=True):
                conn.execute(insert(table), chunk)
        done += len(rows[2])
        keys += len(rows[3])
        el = time.perf_counter() - t1
        print(
            f"  {min(articles, lo + batch):>7,} articles  {done:>9,} claims  {keys:>10,} keys  "
            f"{el:6.1f}s  {done / el:,.0f} claims/s",
            flush=True,
        )
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        else:
            # Explicit ids: move the sequences past them, so ingest can insert.
            for table in ("source", "source_name", "article", "claim"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    if not url.startswith("sqlite"):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    print(
        f"done: {claims:,} claims ({keys:,} band keys) over {articles:,} articles and "
        f"{len(source_rows):,} sources "
        f"in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--claims", type=int, default=1_000_000)
    p.add_argument("--articles", type=int, default=50_000)
    p.add_argument("--sources", type=int, default=2_000)
    p.add_argument("--batch", type=int, default=1_000, help="articles per transaction")
    p.add_argument("--seed", type=int, default=20261128)
    p.add_argument(
        "--vocabulary",
        choices=("zipf", "uniform"),
        default="zipf",
        help="zipf: natural word frequencies and re-reported claims; uniform: the earlier "
        "generator's 250 words drawn alike (the worst case for search and matching)",
    )
    p.add_argument("--force", action="store_true", help="rebuild an existing database")
    p.add_argument("--drop", action="store_true", help="drop the database and exit")
    a = p.parse_args(argv)
    url = a.database_url
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if a.drop:
        drop(url)
        print(f"dropped {url}")
        return
    prepare(url, a.force)
    generate(
        url,
        claims=a.claims,
        articles=a.articles,
        sources=a.sources,
        batch=a.batch,
        seed=a.seed,
        vocab=a.vocabulary,
    )


if __name__ == "__main__":
    main()
