"""Sentence spans: newlines are hard boundaries, a proven splitter does the rest.

The splitter sits behind ``Splitter`` so another one (blingfire, a trained
Punkt model) can replace nupunkt without touching the rest of the library.
"""

from __future__ import annotations

import re
from typing import Protocol

from app.extraction.types import SentenceSpan

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_CLOSERS = "\u201d\u2019\"')]"
# "... who voted no. “We can ...": lowercase "no." ends a sentence when a capital
# or an opening quote follows; the abbreviation "No. 3" is capitalised or numeric.
_NO_END = re.compile("(?<![\\w.])no\\.(?=\\s+[\u201c\u2018\"']?[A-Z])")


class Splitter(Protocol):
    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text`` (one paragraph), end exclusive."""
        ...


class NupunktSplitter:
    """nupunkt's default Punkt model: pure Python, knows "p.m.", "U.S.", "Gov."."""

    def __init__(self) -> None:
        import nupunkt

        # Load the model once; ``nupunkt.sent_spans`` looks it up on every call.
        self._tokenizer = nupunkt._get_default_model()

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [span for _, span in self._tokenizer.tokenize_with_spans(text)]


_default: Splitter | None = None


def default_splitter() -> Splitter:
    global _default
    if _default is None:
        _default = NupunktSplitter()
    return _default


def split_sentences(text: str, splitter: Splitter | None = None) -> list[SentenceSpan]:
    """Sentences of ``text`` in order, trimmed of white space, indexed from 0.

    Each line goes to the splitter on its own: that keeps newlines hard
    boundaries and keeps the splitter's work linear on megabyte inputs.
    """
    splitter = splitter or default_splitter()
    out: list[SentenceSpan] = []
    for line in _LINE.finditer(text):
        base = line.start()
        raw = line.group()
        if not raw.strip():
            continue
        pieces: list[tuple[int, int]] = []
        for s, e in _split_no(raw, splitter.spans(raw)):
            s, e = _trim(raw, s, e)
            if s >= e:
                continue
            # A closing mark stranded at the start of the next piece belongs
            # to the previous sentence ("... lines. ” Next").
            while pieces and s < e and raw[s] in _CLOSERS and (s + 1 == e or raw[s + 1].isspace()):
                ps, _ = pieces[-1]
                pieces[-1] = (ps, s + 1)
                s, e = _trim(raw, s + 1, e)
            if s < e:
                pieces.append((s, e))
        for s, e in pieces:
            out.append(SentenceSpan(index=len(out), start=base + s, end=base + e))
    return out


def _split_no(raw: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if "no." not in raw:
        return spans
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in _NO_END.finditer(raw, s, e):
            out.append((s, m.end()))
            s = m.end()
        out.append((s, e))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
