"""The search syntax of `q`, read once and written for each database's full-text engine.

The syntax is PostgreSQL's `websearch_to_tsquery`: words (all must occur),
`"an exact phrase"`, `-excluded` (a word or a phrase), and `OR` between
alternatives. As there, `OR` binds looser than the words around it:
`sanctions russia OR iran` is (sanctions and russia) or iran. Words match in
any case, accents folded (`Peskov` finds `Peskóv`) and stemmed as English
(`sanctions` finds `sanction`). Nothing a person types is a syntax error: an
unclosed quote runs to the end, a stray `OR` or `-` is ignored.

`parse` reads `q` into alternatives of words and phrases to find and to
exclude, and leaves out what no engine would search for: words of PostgreSQL's
English stop list ("the", "of"), words with no letter or digit, and an
alternative with nothing to find (`-oil` alone would match nearly every claim).
A query with nothing left is refused (`NothingToSearch`, a 422). Each engine
then gets the same query, in its own language:

- SQLite's FTS5 (`fts5`): every word and phrase in double quotes, so that no
  character of the user's text is an FTS5 operator;
- PostgreSQL (`websearch`): a canonical websearch string of the same shape,
  each word or phrase quoted as typed, for its own parser and dictionaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# PostgreSQL's english.stop (the Snowball list), which its English configuration drops
# from documents and queries alike: SQLite drops the same words from queries.
STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """.split()
)

_TOKEN = re.compile(r"[^\W_]+")
"""A word as FTS5's unicode61 tokenizer cuts it: a run of letters and digits."""
_PIECE = re.compile(r'(-*)"([^"]*)"?|(-*)([^\s"]+)')
"""A quoted phrase (the closing quote optional) or a bare word, each maybe excluded."""


class NothingToSearch(ValueError):
    """The query has no word or phrase to find."""


def folded(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase: as typed (for PostgreSQL) and as FTS5's tokens."""

    typed: str
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """Claims with every term of `find` and none of `exclude`."""

    find: tuple[Term, ...]
    exclude: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Claims that match any of the alternatives."""

    alternatives: tuple[Alternative, ...]

    def fts5(self) -> str:
        """The FTS5 MATCH expression: (a AND b NOT c) OR (...)."""
        return " OR ".join(_fts5(alternative) for alternative in self.alternatives)

    def websearch(self) -> str:
        """The same query as a websearch_to_tsquery string: "a" "b" -"c" or "d"."""
        return " or ".join(
            " ".join(
                [f'"{t.typed}"' for t in alternative.find]
                + [f'-"{t.typed}"' for t in alternative.exclude]
            )
            for alternative in self.alternatives
        )


def _phrase(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"'  # tokens hold letters and digits only


def _fts5(alternative: Alternative) -> str:
    expression = "(" + " AND ".join(_phrase(t) for t in alternative.find) + ")"
    for term in alternative.exclude:
        expression = f"({expression} NOT {_phrase(term)})"
    return expression


def _term(typed: str) -> Term | None:
    """The term, without the stop words at its ends (PostgreSQL ignores them there);
    None when nothing is left to search for."""
    tokens = _TOKEN.findall(typed)
    keys = [folded(t) for t in tokens]
    while keys and keys[0] in STOPWORDS:
        tokens, keys = tokens[1:], keys[1:]
    while keys and keys[-1] in STOPWORDS:
        tokens, keys = tokens[:-1], keys[:-1]
    if not tokens:
        return None
    return Term(typed=" ".join(typed.split()), tokens=tuple(tokens))


def parse(q: str) -> SearchQuery:
    """The query `q` asks for; NothingToSearch when it has no word or phrase to find."""
    groups: list[tuple[list[Term], list[Term]]] = [([], [])]
    for match in _PIECE.finditer(q):
        dashes_quoted, quoted, dashes, word = match.groups()
        if quoted is None and word.casefold() == "or" and not dashes:
            if groups[-1] != ([], []):
                groups.append(([], []))
            continue
        term = _term(quoted if quoted is not None else word)
        if term is None:
            continue
        excluded = bool(dashes_quoted if quoted is not None else dashes)
        groups[-1][1 if excluded else 0].append(term)
    alternatives = tuple(
        Alternative(find=tuple(find), exclude=tuple(exclude)) for find, exclude in groups if find
    )
    if not alternatives:
        raise NothingToSearch(
            "no word to search for: give a word or a phrase to find (common words such as "
            "'the' or 'of', punctuation and exclusions alone find nothing)"
        )
    return SearchQuery(alternatives)
