"""Mentions reduced to canonical sources, and linked within one article.

"Kremlin spokesman Dmitry Peskov" names Dmitry Peskov; the words in front of
the name are his description. "the Russian state-run TASS news agency" names
TASS. A mention with no proper name ("police", "the company") keeps its common
noun as the name unless it points back to a source the article named earlier.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.extraction.lexicon import (
    COUNTRY_ADJECTIVES,
    DETERMINERS,
    DOCUMENT_HEADS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    HONORIFICS,
    KNOWN_SOURCES,
    MALE_NAMES,
    MALE_WORDS,
    MEDIA_NAME_WORDS,
    MODIFIERS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    NUMBERED_UNITS,
    OBJECT_FORMS,
    OFFICE_HEADS,
    ORG_NAME_WORDS,
    OUTSIDERS,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    SOURCE_NOUNS,
    TITLES,
)
from app.extraction.types import SourceGuess, SourceKind

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\s,]+")


def normalize_name(name: str) -> str:
    """The registry's look-up key: casefolded, straight apostrophes, no leading "the"."""
    s = name.replace("\u2019", "'").replace("\u2018", "'").casefold()
    s = _SPACES.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s.strip(" .,;:")


_POSSESSIVE = re.compile(r"^(.+?)['\u2019]s\s+(.+)$")
_FOR_OF = re.compile(r"^(.+?)\s+(for|of|at|from|with|in)\s+(.+)$", re.IGNORECASE)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() and any(c.isupper() for c in tok))


def _strip_det(s: str) -> str:
    parts = s.split(maxsplit=1)
    if len(parts) == 2 and parts[0].casefold() in DETERMINERS:
        return parts[1]
    return s


def _is_modifier_name(run: list[str]) -> bool:
    """A capitalised run that only modifies ("U.S.", "Russian"), not a name."""
    if len(run) != 1:
        return False
    t = run[0].casefold()
    return t in COUNTRY_ADJECTIVES or (
        t not in KNOWN_SOURCES and len(t) > 4 and t.endswith(("ian", "ese", "ish"))
    )


def _names_a_body(run: list[str], start: int, post: list[str]) -> bool:
    """ "Philippine foreign ministry", "Environmental groups": one capitalised word
    opening a common-noun body names nothing alone; the whole phrase is the name."""
    if len(run) != 1 or start != 0 or not post or any(_is_cap(t) for t in post):
        return False
    return SOURCE_NOUNS.get(post[-1].casefold().strip("'\u2019")) in ("government", "organization")


def _kind_of_name(name: str, head: str | None, had_title: bool) -> SourceKind:
    key = normalize_name(name)
    if key in KNOWN_SOURCES:
        return KNOWN_SOURCES[key]
    toks = key.split()
    if head is not None:
        k = SOURCE_NOUNS.get(head)
        if head in ("agency",) and "news" in key:
            return SourceKind.news_agency
        if k is not None and k != "person":
            return SourceKind(k)
    if any(t in MEDIA_NAME_WORDS for t in toks):
        return SourceKind.media
    if any(t in ORG_NAME_WORDS for t in toks):
        if any(
            t
            in (
                "ministry",
                "department",
                "police",
                "army",
                "navy",
                "court",
                "office",
                "agency",
                "commission",
            )
            for t in toks
        ):
            return SourceKind.government
        return SourceKind.organization
    if had_title:
        return SourceKind.person
    if "and" in toks or "&" in toks:
        return SourceKind.unknown  # "Reuters and NBC": more than one source
    if 2 <= len(toks) <= 4 and all(t[:1].isalpha() for t in toks):
        return SourceKind.person
    if len(toks) == 1 and name.isupper() and len(name) <= 6:
        return SourceKind.organization
    return SourceKind.unknown


def _person_aliases(name: str) -> tuple[str, ...]:
    toks = name.split()
    while len(toks) > 2 and toks[-1].casefold() in NAME_SUFFIXES:
        toks = toks[:-1]
    if len(toks) < 2:
        return ()
    surname = toks[-1]
    if len(toks) >= 3 and toks[-2].casefold() in NAME_PARTICLES:
        surname = f"{toks[-2]} {toks[-1]}"
    return (surname,)


# "one of the people", "two of the lawyers": the group is the source.
_PARTITIVE = re.compile(
    r"(?i)^(?:one|two|three|four|several|some|many|most|both|each|another)\s+of\s+"
    r"(?=(?:the|these|those|his|her|their|its)\s)"
)


_ADJECTIVE_ENDINGS = ("al", "ic", "ous", "ive", "ent", "ant")
_NAME_RUN = r"[A-Z][\w.\-\u2019']*(?:\s+[A-Z][\w.\-\u2019']*){1,3}"
_ROLE_THEN_NAME = re.compile(
    r"^(?P<role>(?:[\w\-\u2019']+\s+){0,3}?(?P<head>[\w\-]+)"
    r"(?:\s+(?:for|of|at|with)\s+(?P<of>(?:[\w\-\u2019']+\s+){0,4}?[\w\-\u2019']+))?)"
    r"\s*,\s*(?P<name>" + _NAME_RUN + r")$"
)
_DOCUMENT_BY = re.compile(
    r"^(?:[\w\-]+\s+){0,2}?(?P<head>[\w\-]+)\s+"
    r"(?:signed|published|released|issued|written|filed|obtained|seen|reported)\s+by\s+"
    r"(?P<owner>.+)$"
)


def canonical_source(mention: str) -> SourceGuess:
    """Reduce a mention to a source: its name, a kind guess, and the words split off."""
    guess = _canonical_source(mention)
    words = _strip_det(mention.strip()).split()
    if (
        len(words) == 2
        and guess.name == words[0]
        and guess.description == words[1]
        and words[0][1:].islower()
        and words[0].casefold().endswith(_ADJECTIVE_ENDINGS)
        and words[1].endswith("s")
        and SOURCE_NOUNS.get(words[1]) == "person"
    ):
        # "Legal experts said": a capitalised adjective, not a name, opens the sentence.
        return SourceGuess(name=" ".join(words), kind=SourceKind.person, aliases=(words[1],))
    return guess


def _canonical_source(mention: str) -> SourceGuess:
    raw = _SPACES.sub(" ", mention.replace("\u2019", "\u2019")).strip(" ,.;:\u2014\u2013-")
    if not raw:
        return SourceGuess(name="", kind=SourceKind.unknown)
    body = _strip_det(_PARTITIVE.sub("", raw))
    low = body.casefold()
    if low in PRONOUNS:
        return SourceGuess(name=body, kind=SourceKind.unknown)

    # "a spokeswoman for the hotel chain, Jennifer Rodstrom": the name after the role speaks.
    role_name = _ROLE_THEN_NAME.match(body)
    if role_name and SOURCE_NOUNS.get(role_name.group("head").casefold()) == "person":
        of = role_name.group("of")
        return SourceGuess(
            name=role_name.group("name"),
            kind=SourceKind.person,
            description=_strip_det(role_name.group("role")),
            affiliation=_strip_det(of) if of else None,
            aliases=_person_aliases(role_name.group("name")),
        )

    # "the decree signed by the Pope": a document, and whose it is.
    signed = _DOCUMENT_BY.match(body)
    if (
        signed
        and signed.group("head").casefold() in SOURCE_NOUNS
        and (SOURCE_NOUNS[signed.group("head").casefold()] == "document")
    ):
        signer = canonical_source(signed.group("owner"))
        return SourceGuess(name=body, kind=SourceKind.document, affiliation=signer.name or None)

    # "a spokesperson for Microsoft", "officials at the Pentagon": the role
    # words are a description of the organisation that speaks.
    m = _FOR_OF.match(body)
    if m and all(
        w.casefold() in SOURCE_NOUNS or w.casefold() in MODIFIERS for w in m.group(1).split()
    ):
        left_words = m.group(1).split()
        if left_words[-1].casefold() in OUTSIDERS:
            # "critics of Scientology": a group about the body, not its voice.
            return SourceGuess(name=body, kind=SourceKind.person, affiliation=None)
        if any(SOURCE_NOUNS.get(w.casefold()) == "person" for w in left_words):
            inner = canonical_source(m.group(3))
            if inner.name and _is_cap(inner.name):
                kind = inner.kind
                if kind == SourceKind.unknown or (
                    kind == SourceKind.person and not inner.description
                ):
                    # Whoever has spokespeople and analysts is an organisation.
                    kind = SourceKind.organization
                return replace(
                    inner,
                    kind=kind,
                    description=m.group(1).casefold(),
                    aliases=() if kind != SourceKind.person else inner.aliases,
                )

    # "Nikki Holland of the National Crime Agency": the person speaks, from the body.
    m = _FOR_OF.match(body)
    if m and m.group(2).casefold() in ("of", "at", "from", "with"):
        person = canonical_source(m.group(1))
        body_of = canonical_source(m.group(3))
        if (
            person.kind == SourceKind.person
            and " " in person.name
            and body_of.name
            and _is_cap(body_of.name)
            and (
                m.group(3).casefold().startswith("the ")
                or body_of.kind in (SourceKind.organization, SourceKind.government)
            )
        ):
            return replace(person, affiliation=body_of.name)

    # "Microsoft's chief executive", "the company's spokesman".
    # "the Chinese embassy in Manila": the place names where the body sits.
    m = _FOR_OF.match(body)
    if m and m.group(2).casefold() in ("in", "at"):
        left = m.group(1).split()
        if SOURCE_NOUNS.get(left[-1].casefold()) in ("government", "organization") and any(
            _is_cap(w) for w in left
        ):
            inner = canonical_source(m.group(1))
            if normalize_name(inner.name) == normalize_name(m.group(1)):
                return replace(inner, description=inner.description or m.group(0))

    m = _POSSESSIVE.match(body)
    if (
        m
        and m.group(2).casefold() in OFFICE_HEADS
        and m.group(1).split()[-1].islower()
        and _is_cap(_strip_det(m.group(1)))
    ):
        # "the Texas attorney general's office": a role's office is the name whole.
        return SourceGuess(name=body, kind=SourceKind.government)
    if m and _is_cap(_strip_det(m.group(1))) and not any(_is_cap(w) for w in m.group(2).split()):
        inner = canonical_source(m.group(1))
        return replace(inner, description=m.group(2))

    toks = _TOKEN.findall(body)
    caps = [
        i
        for i, t in enumerate(toks)
        if _is_cap(t) or (t.isdigit() and i > 0 and toks[i - 1] in NUMBERED_UNITS)
    ]
    last_low = toks[-1].casefold() if toks else ""

    # A document with an owner: "U.S. intelligence report", "the White House readout".
    if last_low in DOCUMENT_HEADS and len(toks) > 1 and caps:
        owner = " ".join(toks[:-1])
        owner_guess = canonical_source(owner)
        return SourceGuess(
            name=body,
            kind=SourceKind.document,
            description=None,
            affiliation=owner_guess.name,
            aliases=tuple(dict.fromkeys(a for a in (owner_guess.name, owner) if a)),
        )

    if not caps or (len(caps) == 1 and caps[0] == 0 and toks[0].casefold() in SOURCE_NOUNS):
        # No proper name: "police", "officials", "the company".
        name = body.casefold() if len(toks) == 1 else body[0].lower() + body[1:]
        k = SOURCE_NOUNS.get(last_low, "unknown")
        kind = SourceKind(k) if k in SourceKind.__members__ else SourceKind.unknown
        if last_low == "agency" and "news" in low:
            kind = SourceKind.news_agency
        return SourceGuess(name=name, kind=kind)

    # The last run of capitalised words (with name particles inside) is the name.
    end = caps[-1] + 1
    start = caps[-1]
    while start > 0 and (
        _is_cap(toks[start - 1])
        or (
            toks[start - 1].casefold() in NAME_PARTICLES | {"of", "and", "&", "for"}
            and start - 2 >= 0
            and _is_cap(toks[start - 2])
        )
        or (
            # "Commission on Environmental Quality", "Council on Foreign Relations"
            toks[start - 1] == "on"
            and start - 2 >= 0
            and toks[start - 2].casefold() in ORG_NAME_WORDS
            and _is_cap(toks[start - 2])
        )
    ):
        start -= 1
    run = toks[start:end]
    # Titles at the front of the run are description: "Russian President Vladimir Putin".
    had_title = False
    cut = 0
    if not any(t.casefold().rstrip(".") in ORG_NAME_WORDS for t in run):
        for i, t in enumerate(run[:-1]):
            rest = [r for r in run[i + 1 :] if r.casefold() not in NAME_SUFFIXES]
            if t.casefold().rstrip(".") in TITLES and rest:
                cut, had_title = i + 1, True
    pre = toks[:start] + run[:cut]
    run = run[cut:]
    post = toks[end:]
    if any(t.casefold().rstrip(".") in TITLES for t in pre):
        had_title = True
    if (_is_modifier_name(run) or _names_a_body(run, start, post)) and post:
        # "U.S. intelligence", "Russian state media": the whole phrase is the name.
        name = body
        head = last_low
        desc = None
        if head in MEDIA_NAME_WORDS or head == "media":
            return SourceGuess(name=name, kind=SourceKind.media)
    else:
        name = " ".join(run)
        head = post[-1].casefold() if post else None
        # "Mr.", "Dr.": how the text addresses a person, not what they are.
        desc_words = [t for t in pre + post if t.casefold().rstrip(".") not in HONORIFICS]
        desc = " ".join(desc_words) if desc_words else None
    kind = _kind_of_name(name, head, had_title)
    if (
        name != body
        and not name.casefold().endswith(_ADJECTIVE_ENDINGS)  # "Legal experts": canonical_source
        and head is not None
        and head.endswith("s")
        and SOURCE_NOUNS.get(head) == "person"
        and kind in (SourceKind.person, SourceKind.unknown)
    ):
        # "Trump aides", "Democratic lawmakers": a group, never the person it is named after.
        return SourceGuess(name=body, kind=SourceKind.person, affiliation=name)
    if had_title and kind in (SourceKind.unknown, SourceKind.organization) and head is None:
        kind = SourceKind.person
    affiliation = None
    if desc:
        aff = [t for t in pre if _is_cap(t) and t.casefold().rstrip(".") not in TITLES]
        affiliation = " ".join(aff) or None
    aliases: tuple[str, ...] = ()
    if kind == SourceKind.person:
        aliases = _person_aliases(name)
    return SourceGuess(
        name=name, kind=kind, description=desc, affiliation=affiliation, aliases=aliases
    )


_ROLE_EQUIV = {
    "spokesman": "spokes",
    "spokeswoman": "spokes",
    "spokesperson": "spokes",
    "attorney": "lawyer",
    "counsel": "lawyer",
}
_BACK_DETERMINERS = ("the ", "this ", "his ", "her ", "their ", "its ")


def gender_of(source: SourceGuess, mention: str = "") -> str | None:
    """ "f", "m" or None, from a given name, a gendered title or role word."""
    if source.kind not in (SourceKind.person, SourceKind.unknown):
        return None
    words = (mention + " " + (source.description or "")).replace(",", " ").casefold().split()
    if any(w in FEMALE_WORDS for w in words):
        return "f"
    if any(w in MALE_WORDS for w in words):
        return "m"
    first = source.name.split()[0].casefold() if " " in source.name else ""
    if first in FEMALE_NAMES:
        return "f"
    if first in MALE_NAMES:
        return "m"
    return None


class SourceTracker:
    """Sources of one article in order of speaking: links surnames, pronouns and roles."""

    # Pronouns and roles look back this many speakers at most; names use the indexes.
    WINDOW = 30

    def __init__(self) -> None:
        self.speakers: list[SourceGuess] = []
        self._by_name: dict[str, SourceGuess] = {}
        self._by_alias: dict[str, SourceGuess] = {}
        self._gender: dict[str, str] = {}

    def set_gender(self, source: SourceGuess, gender: str | None) -> None:
        if gender is not None:
            self._gender.setdefault(normalize_name(source.name), gender)

    def note(self, source: SourceGuess, mention: str = "") -> None:
        self.set_gender(source, gender_of(source, mention))
        if self.speakers and self.speakers[-1] is source:
            return
        self.speakers.append(source)
        if len(self.speakers) > 2 * self.WINDOW:
            del self.speakers[: self.WINDOW]
        self._by_name[normalize_name(source.name)] = source
        if source.kind in (SourceKind.person, SourceKind.unknown):
            for a in source.aliases:
                self._by_alias[normalize_name(a)] = source

    def known(self, mention: str) -> SourceGuess | None:
        """The source an already seen name or surname stands for, else None."""
        guess = canonical_source(mention)
        if not guess.name:
            return None
        key = normalize_name(guess.name)
        found = self._by_name.get(key)
        if found is None and " " not in guess.name:
            found = self._by_alias.get(key)
        return found

    def _recent(self) -> list[SourceGuess]:
        return self.speakers[::-1][: self.WINDOW]

    def resolve(self, mention: str) -> tuple[SourceGuess | None, float]:
        """The source a mention stands for, and how sure the link is (0..1)."""
        body = _strip_det(mention.strip())
        low = body.casefold()
        # "the spokesman", "his lawyer": a role that points back to a named source.
        has_the = mention.strip().casefold().startswith(_BACK_DETERMINERS)
        if low in PRONOUNS:
            return self._pronoun(low)
        if low in POSSESSIVE_PRONOUNS:
            return self._pronoun(POSSESSIVE_PRONOUNS[low])  # "his warning that"
        if low in OBJECT_FORMS:
            return self._pronoun(OBJECT_FORMS[low])  # "according to him"
        guess = canonical_source(mention)
        if not guess.name:
            return None, 0.0
        m = _FOR_OF.match(body)
        if m and m.group(3).casefold().startswith(_BACK_DETERMINERS) and not _is_cap(body[:1]):
            # "a spokesperson for the office": the office named earlier.
            left = m.group(1).split()
            noun = _strip_det(m.group(3)).casefold()
            if (
                left
                and SOURCE_NOUNS.get(left[-1].casefold()) == "person"
                and " " not in noun
                and SOURCE_NOUNS.get(noun) in ("government", "organization")
            ):
                found = self._role(noun)
                if found is not None and found.name[:1].isupper():
                    return found, 0.75
        if (
            not any(_is_cap(t) for t in body.split()[1:])
            and not _is_cap(body[:1])
            or (low in SOURCE_NOUNS)
        ):
            # A common-noun mention: "the spokesman", "the company" points back.
            if has_the and " " not in low and low in SOURCE_NOUNS and not low.endswith("s"):
                found = self._role(low)
                if found is not None:
                    return found, 0.8
            return guess, 0.75
        key = normalize_name(guess.name)
        known = self._by_name.get(key)
        if known is not None:
            return _merge(known, guess), 1.0
        if " " not in guess.name and key in self._by_alias:
            # "Peskov" after "Kremlin spokesman Dmitry Peskov".
            return self._by_alias[key], 0.95
        return guess, 1.0

    def _pronoun(self, low: str) -> tuple[SourceGuess | None, float]:
        want = PRONOUNS[low]
        sex = {"he": "m", "she": "f"}.get(low)
        for s in self._recent():
            if sex is not None and self._gender.get(normalize_name(s.name), sex) != sex:
                continue  # "she" is not the man who spoke last
            if want == "person" and s.kind in (SourceKind.person,):
                # No gender is learnt from the guess itself: a wrong "he" would
                # otherwise hide its person from every later "she".
                return s, 0.85
            if want == "person" and s.kind == SourceKind.unknown and " " not in s.name:
                return s, 0.7
            if want == "thing" and s.kind != SourceKind.person:
                return s, 0.8
            if want == "any":
                return s, 0.6
        return None, 0.3

    def _role(self, low: str) -> SourceGuess | None:
        kind = SOURCE_NOUNS.get(low)
        eq = _ROLE_EQUIV.get(low, low)
        for s in self._recent():
            # "the agency" after "the Ohio Environmental Protection Agency".
            if low in normalize_name(s.name).split():
                return s
        for s in self._recent():
            desc = (s.description or "").casefold().split()
            if any(_ROLE_EQUIV.get(d, d) == eq for d in desc):
                return s
        for s in self._recent():
            if kind == "organization" and s.kind == SourceKind.organization:
                return s
            if kind == "media" and s.kind in (SourceKind.media, SourceKind.news_agency):
                return s
            if low == "agency" and s.kind in (SourceKind.news_agency, SourceKind.government):
                return s
            if kind == "government" and s.kind == SourceKind.government and low != "police":
                return s
            if kind == "document" and s.kind == SourceKind.document:
                return s
        return None


def _merge(known: SourceGuess, new: SourceGuess) -> SourceGuess:
    if known.description or not new.description:
        return known
    return replace(known, description=new.description, affiliation=new.affiliation)
