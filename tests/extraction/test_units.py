"""The building blocks: splitter, quotes, cue lexicon, source names."""

from __future__ import annotations

import pytest

from app.extraction import canonical_source, normalize_name, split_sentences
from app.extraction.lexicon import CUE_FORMS
from app.extraction.quotes import find_quotes
from app.extraction.types import SourceKind


def _sents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_newlines_are_hard_boundaries() -> None:
    assert _sents("A title without a stop\nThe body. It goes on.") == [
        "A title without a stop",
        "The body.",
        "It goes on.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "It lasted from 6:08 p.m. to 8:10 p.m. Moscow time.",
        "U.S. intelligence indicated a buildup.",
        "Gov. Gavin Newsom spoke first.",
    ],
)
def test_abbreviations_keep_the_sentence_whole(text: str) -> None:
    assert _sents(text) == [text]


def test_closing_mark_stays_with_its_sentence() -> None:
    assert _sents("“Russia never planned it,” he said. “But we have red lines.”") == [
        "“Russia never planned it,” he said.",
        "“But we have red lines.”",
    ]


def test_offsets_survive_crlf_and_indentation() -> None:
    text = "  First one.\r\n\r\n\tSecond one.  "
    assert _sents(text) == ["First one.", "Second one."]


def test_quotes_pair_across_paragraphs_as_one_chain() -> None:
    text = '“One.\n\n“Two,” she said. "Three," he said.'
    qs = find_quotes(text)
    assert [text[q.start : q.end] for q in qs] == ["One.", "Two,", "Three,"]
    assert qs[0].chain == qs[1].chain != qs[2].chain


def test_cue_lexicon_is_inflected_and_skips_noun_base_forms() -> None:
    for word in (
        "said",
        "says",
        "told",
        "adding",
        "insists",
        "denied",
        "tweeted",
        "maintains",
        "indicated",
        "wrote",
        "argues",
    ):
        assert word in CUE_FORMS
    for noun in ("report", "state", "claim", "note"):
        assert noun not in CUE_FORMS


@pytest.mark.parametrize(
    ("mention", "name", "kind", "description"),
    [
        (
            "Kremlin spokesman Dmitry Peskov",
            "Dmitry Peskov",
            SourceKind.person,
            "Kremlin spokesman",
        ),
        (
            "the Russian state-run TASS news agency",
            "TASS",
            SourceKind.news_agency,
            "Russian state-run news agency",
        ),
        ("The New York Times", "New York Times", SourceKind.media, None),
        ("a spokesperson for Microsoft", "Microsoft", SourceKind.organization, "spokesperson"),
        (
            "Treasury Secretary Janet Yellen",
            "Janet Yellen",
            SourceKind.person,
            "Treasury Secretary",
        ),
        ("Police", "police", SourceKind.government, None),
        ("the White House", "White House", SourceKind.government, None),
        ("the Russian Foreign Ministry", "Russian Foreign Ministry", SourceKind.government, None),
        ("U.S. intelligence report", "U.S. intelligence report", SourceKind.document, None),
        # Honorifics are how the text addresses someone, not a description.
        ("Mr. Smith", "Smith", SourceKind.person, None),
        ("Dr. Amal Haddad", "Amal Haddad", SourceKind.person, None),
        ("Gov. Maura Healey", "Maura Healey", SourceKind.person, None),
        # A group named after a person is the group, never the person.
        ("Trump aides", "Trump aides", SourceKind.person, None),
        (
            "Biden administration officials",
            "Biden administration officials",
            SourceKind.person,
            None,
        ),
        ("Pentagon officials", "Pentagon", SourceKind.government, "officials"),
    ],
)
def test_canonical_source(
    mention: str, name: str, kind: SourceKind, description: str | None
) -> None:
    g = canonical_source(mention)
    assert (g.name, g.kind, g.description) == (name, kind, description)


def test_person_gets_surname_alias_and_document_its_owner() -> None:
    assert canonical_source("Sen. Elizabeth Warren").aliases == ("Warren",)
    assert "U.S. intelligence" in canonical_source("U.S. intelligence report").aliases


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("The White House", "white house"),
        ("  Dmitry   Peskov ", "dmitry peskov"),
        ("O\u2019Brien", "o'brien"),
        ("the  New York Times", "new york times"),
    ],
)
def test_normalize_name(raw: str, key: str) -> None:
    assert normalize_name(raw) == key
