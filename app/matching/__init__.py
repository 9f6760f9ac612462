"""Is it the same claim? Lexical claim matching, as a pure library.

Two claims match when they make the same checkable statement: the same words
in another outlet's report (``exact``), a few words changed (``near_duplicate``),
or the same statement in other words (``paraphrase``). Who made each claim is
the caller's business (a claim by another speaker is another claim); numbers
and negation are this library's: "rose 5%" is not "rose 7%", "will" is not
"will not".

    a, b = fingerprint("Russia has never planned to attack anyone"), fingerprint(...)
    similarity = compare(a, b)          # None, or a score and a reason
    keys = band_keys(a)                 # where to look for candidates in a store

Candidates are found by MinHash locality-sensitive hashing over the claims'
content words: claims that share a band key are compared, so a store needs an
index on the keys, not a scan.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import snowballstemmer

__all__ = [
    "MatchReason",
    "Fingerprint",
    "Similarity",
    "band_keys",
    "compare",
    "fingerprint",
]


class MatchReason(StrEnum):
    exact = "exact"
    """The same words, punctuation and case aside."""
    near_duplicate = "near_duplicate"
    """A few words differ: tense, reporting frame, an abridged clause."""
    paraphrase = "paraphrase"
    """The same statement in other words."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    normal: str
    """The text casefolded, accents and punctuation gone, spaces single."""
    words: tuple[str, ...]
    """Every word of ``normal``, stemmed."""
    terms: frozenset[str]
    """The stemmed content words: what the claim is about."""
    numbers: frozenset[str]
    negated: bool


@dataclass(frozen=True, slots=True)
class Similarity:
    score: float
    reason: MatchReason


# Words that say little about what a claim claims. General English, not tuned.
_STOPWORDS = frozenset(
    "a an the and or but if then than so as of in on at to for from by with about into "
    "over after before under between through during without within upon against among "
    "is are was were be been being am has have had do does did will would shall should "
    "can could may might must this that these those it its it's he she they we i you "
    "him her them us me his their our my your who whom whose which what when where why "
    "how there here also just only very more most some any all each both such own same "
    "other another again further once up down out off said says say told tell according "
    "added adding stated".split()
)
# Words that turn a statement into its opposite.
_NEGATIONS = frozenset("not no never none nobody nothing neither nor cannot n't".split())
_WORD = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
    "eighty": "80", "ninety": "90", "once": "1", "twice": "2", "thrice": "3",
    "half": "0.5", "dozen": "12", "first": "1st", "second": "2nd", "third": "3rd",
}  # fmt: skip
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_NUMBERISH = frozenset(_NUMBER_WORDS) | frozenset(_MULTIPLIERS)
_HAS_DIGIT = re.compile(r"\d").search
_NONE: frozenset[str] = frozenset()
# Words of quantity and degree: a near copy that swaps one of them for another
# word says something else ("the second lowest grade" / "the second highest").
_DEGREE = frozenset(
    "hundreds thousands dozens millions billions double triple quarter most least more "
    "less fewer many few all some none every only except including excluding identical "
    "different same similar above below over under up down higher lower larger smaller "
    "bigger greater longer shorter earlier later before after increase decrease rise fall "
    "simple majority minority".split()
)


_STEMMERS = threading.local()


def _stem(word: str) -> str:
    """The word's Porter2 stem. A snowball stemmer keeps state while it works, so each
    thread has its own; `_read`'s cache (safe across threads) spares most of the work."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    stem: str = stemmer.stemWord(word)
    return stem


def _fold(text: str) -> str:
    folded = text.casefold()
    if folded.isascii():  # most claims: nothing to decompose, and the loop below is slow
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fingerprint(text: str) -> Fingerprint:
    """What ``compare`` and ``band_keys`` need of a claim's text."""
    folded = _fold(text).replace("\u2019", "'")
    raw = _WORD.findall(folded)
    read = [_read(w) for w in raw]
    negations = sum(negation for _, _, negation in read)
    numbers = _numbers(raw) if _HAS_DIGIT(folded) or not _NUMBERISH.isdisjoint(raw) else _NONE
    return Fingerprint(
        normal=" ".join(raw),
        words=tuple(stem for stem, _, _ in read),
        terms=frozenset(stem for stem, term, _ in read if term),
        numbers=numbers,
        negated=negations % 2 == 1,
    )


@lru_cache(maxsize=200_000)
def _read(word: str) -> tuple[str, bool, bool]:
    """A word's stem, whether it is a content word, and whether it negates: once per word,
    as most of a claim's words are in many claims."""
    negation = word in _NEGATIONS or word.endswith("n't")
    term = word not in _STOPWORDS and word not in _NEGATIONS and not word[:1].isdigit()
    return _stem(word.replace("'", "")), term, negation


def _numbers(raw: list[str]) -> frozenset[str]:
    """The quantities a text states, written any way: "800 thousand" and "800,000",
    "4:00" and "4", "eight" and "8" are the same."""
    out: list[float | str] = []
    for word in raw:
        if word[:1].isdigit():
            value = word.replace(",", "")
            if re.fullmatch(r"\d+[:.]00", value):
                value = value[:-3]  # "4:00 a.m." is "4 a.m."
            value = value.replace(":", ".")
            out.append(float(value) if re.fullmatch(r"\d+(?:\.\d+)?", value) else value)
        elif word in _MULTIPLIERS and out and isinstance(out[-1], float):
            out[-1] = out[-1] * _MULTIPLIERS[word]
        elif word in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[word])
    return frozenset(f"{v:g}" if isinstance(v, float) else v for v in out)


# Tuned on the development half of tests/data/matching (see bench/README.md).
NEAR_DUPLICATE = 0.75
"""Word-bigram overlap at which two claims are the same words, a few changed."""
PARAPHRASE = 0.4
"""Content-word overlap at which two claims say the same thing."""
NEAR_COPY = 0.5
"""Word-bigram overlap above which a swapped word of quantity or degree is a change of claim."""


def compare(a: Fingerprint, b: Fingerprint) -> Similarity | None:
    """Whether two claims' texts make the same statement, and how sure it is."""
    if not a.terms or not b.terms:
        return None
    if a.negated != b.negated:
        return None  # "will" / "will not"
    if not (a.numbers <= b.numbers or b.numbers <= a.numbers):
        return None  # "5%" / "7%"; an abridged report may leave a figure out
    if a.normal == b.normal:
        return Similarity(1.0, MatchReason.exact)
    bigrams = _overlap(_bigrams(a.words), _bigrams(b.words))
    if bigrams >= NEAR_COPY and _swaps_a_degree(a.words, b.words):
        return None  # a near copy that says "the second highest grade", not "lowest"
    if bigrams >= NEAR_DUPLICATE:
        return Similarity(round(0.8 + 0.2 * bigrams, 3), MatchReason.near_duplicate)
    terms = _overlap(a.terms, b.terms)
    if terms >= PARAPHRASE and len(a.terms & b.terms) >= 2:
        return Similarity(round(0.5 + 0.3 * terms, 3), MatchReason.paraphrase)
    return None


def _swaps_a_degree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one text replaces a word of quantity or degree of the other."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        swapped = {*a[i1:i2], *b[j1:j2]}
        if any(w in _DEGREE_STEMS or w in _NUMBER_STEMS or w.endswith("est") for w in swapped):
            return True
    return False


def _bigrams(words: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(words, words[1:], strict=False))


def _overlap(a: frozenset[object], b: frozenset[object]) -> float:
    """Overlap coefficient: how much of the shorter side the longer contains."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


_DEGREE_STEMS = frozenset(map(_stem, _DEGREE))
_NUMBER_STEMS = frozenset(map(_stem, {*_NUMBER_WORDS, *_MULTIPLIERS}))

# MinHash: BANDS bands of ROWS hashes each. Two claims whose content words have
# Jaccard similarity s share at least one band with probability 1 - (1 - s^ROWS)^BANDS:
# about 0.77 at s = 0.3, 0.99 at s = 0.5.
BANDS = 16
ROWS = 2
_PRIME = (1 << 61) - 1
_SEEDS = tuple(
    (zlib.crc32(f"a{n}".encode()) | 1, zlib.crc32(f"b{n}".encode())) for n in range(BANDS * ROWS)
)


@lru_cache(maxsize=200_000)
def _term_hashes(term: str) -> tuple[int, ...]:
    """The term's value under each MinHash function. A term is in many claims (news has
    a vocabulary, not a new word per claim): computed once, this is most of band_keys."""
    h = zlib.crc32(term.encode())
    return tuple((a * h + b) % _PRIME for a, b in _SEEDS)


def band_keys(fp: Fingerprint) -> list[int]:
    """The claim's LSH band keys (signed 64-bit), one per band; none without content words."""
    if not fp.terms:
        return []
    signature = [min(column) for column in zip(*map(_term_hashes, fp.terms), strict=True)]
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = zlib.crc32(repr((band, *rows)).encode())
        keys.append(band << 32 | digest)
    return keys
