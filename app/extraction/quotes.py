"""Quotation marks paired into quotes, across sentences and paragraphs.

News style runs a long quote over several paragraphs by leaving each paragraph
open and starting the next with an opening mark; those pieces share a
``chain`` so an attribution found in any of them applies to all.
Single quotes are left alone where double quotes are used: inside double
quotes they are nested quotes, and elsewhere they are mostly apostrophes. A
text with no double quotation marks at all but with ‘ opening words is in
British style (‘We are ready,’ she said), and its ‘ ’ marks pair as quotes; a
’ inside a word or a plural possessive (the farmers’ union) stays an
apostrophe.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

OPENERS = "\u201c\u201e\u00ab"  # “ „ «
CLOSERS = "\u201d\u00bb"  # ” »
_MARKS = re.compile('[\n\u201c\u201d\u201e\u00ab\u00bb"]')
_SINGLE_MARKS = re.compile("[\n\u2018\u2019]")
_DOUBLE = re.compile('[\u201c\u201d\u201e\u00ab\u00bb"]')
# An opening single mark at a word start: after a space, a bracket, a dash or a line start.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\u2014\u2013:]))\u2018(?=\w)", re.MULTILINE)
SINGLE_OPENER = "\u2018"
SINGLE_CLOSER = "\u2019"
# A straight quote opens after these (or at the start of a paragraph).
_BEFORE_OPEN = set(" \t\r([{\u2014\u2013-/:\u2018\u201c")

MASK = "\x00"


@dataclass(slots=True)
class Quote:
    start: int
    """First character of the content (after the opening mark)."""
    end: int
    """End of the content (the closing mark's index, or the paragraph's end)."""
    open_mark: int | None
    close_mark: int | None
    chain: int


class Quotes:
    """The quotes of one text, with the look-ups the attribution step needs."""

    def __init__(self, text: str) -> None:
        self.items = find_quotes(text)
        self._starts = [q.start for q in self.items]

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotes whose marks or content touch [start, end)."""
        i = bisect.bisect_right(self._starts, end)
        out = []
        # Quotes are disjoint and ordered, so walk back only while they reach start.
        j = i - 1
        while j >= 0:
            q = self.items[j]
            lo = q.open_mark if q.open_mark is not None else q.start
            hi = q.close_mark + 1 if q.close_mark is not None else q.end
            if hi <= start:
                break
            if lo < end:
                out.append(q)
            j -= 1
        out.reverse()
        return out

    def masked(self, text: str, start: int, end: int) -> str:
        """text[start:end] with quote contents blanked out, same length.

        Cue words and names inside a quote ("... he said ...") must not be read
        as the article's own attribution.
        """
        parts: list[str] = []
        pos = start
        for q in self.overlapping(start, end):
            s, e = max(q.start, start), min(q.end, end)
            if s >= e:
                continue
            parts.append(text[pos:s])
            parts.append(MASK * (e - s))
            pos = e
        parts.append(text[pos:end])
        return "".join(parts)


def british_style(text: str) -> bool:
    """Single quotes are the primary marks: no double mark anywhere, a ‘ opening a word."""
    return _DOUBLE.search(text) is None and _SINGLE_OPEN.search(text) is not None


def _single_closes(text: str, i: int) -> bool:
    """A ’ that ends a quote, not an apostrophe (it’s, Jones’s, the farmers’ union)."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isalnum():
        return False
    if nxt.isspace() and i > 0 and text[i - 1] in "sS":
        # "farmers’ union": a possessive unless no later mark could close the quote.
        # Looked up only here, as this is rare; i is not a newline, so the next
        # one after it ends i's paragraph.
        para_end = text.find("\n", i + 1)
        para_end = len(text) if para_end < 0 else para_end
        for m in re.finditer("\u2019", text[i + 1 : para_end]):
            j = i + 1 + m.start()
            after = text[j + 1] if j + 1 < len(text) else " "
            if not after.isalnum():
                return False
    return True


_Kind = Literal["open", "close"] | None
# (text, i, para_start, quote_open) -> what the mark at i does; None: not a quote mark.
_Classify = Callable[[str, int, int, bool], _Kind]


def _double_mark(text: str, i: int, para_start: int, quote_open: bool) -> _Kind:
    ch = text[i]
    if ch == '"':
        # A straight quote is ambiguous: it opens only when nothing is open.
        if quote_open:
            return "close"
        prev = text[i - 1] if i > para_start else " "
        if prev in _BEFORE_OPEN or (i + 1 < len(text) and text[i + 1].isalnum()):
            return "open"
        return "close"
    return "open" if ch in OPENERS else "close"


def _single_mark(text: str, i: int, para_start: int, quote_open: bool) -> _Kind:
    """British style: ‘ opens only at a word start, ’ inside a word is an apostrophe."""
    if text[i] == SINGLE_OPENER:
        # No nesting: a ‘ while open is read as nothing rather than a new quote.
        if quote_open:
            return None
        prev = text[i - 1] if i > para_start else " "
        if not (prev in _BEFORE_OPEN or prev.isspace()):
            return None
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return "open" if nxt.isalnum() else None
    return "close" if _single_closes(text, i) else None


def find_quotes(text: str) -> list[Quote]:
    if british_style(text):
        return _pair(text, _SINGLE_MARKS, _single_mark)
    return _pair(text, _MARKS, _double_mark)


def _pair(text: str, marks: re.Pattern[str], classify: _Classify) -> list[Quote]:
    """Pair the marks (and newlines) ``marks`` finds, as ``classify`` reads them."""
    quotes: list[Quote] = []
    next_chain = 0
    para_start = 0
    open_at: int | None = None  # index of the pending opening mark
    open_chain = 0
    carry: int | None = None  # chain of a quote the previous paragraph left open
    seen_mark = False

    for m in marks.finditer(text):
        i = m.start()
        if text[i] == "\n":
            if open_at is not None:
                quotes.append(
                    Quote(open_at + 1, _rstrip(text, i, open_at + 1), open_at, None, open_chain)
                )
                open_at, carry = None, open_chain
            elif text[para_start:i].strip():
                carry = None
            # A blank line keeps the carry: paragraphs are often separated by one.
            para_start, seen_mark = i + 1, False
            continue
        kind = classify(text, i, para_start, open_at is not None)
        if kind is None:
            continue
        if kind == "open":
            if open_at is not None:
                # An opening mark while open: the earlier quote was never closed.
                quotes.append(
                    Quote(open_at + 1, _rstrip(text, i, open_at + 1), open_at, None, open_chain)
                )
            if carry is not None and not seen_mark and not text[para_start:i].strip():
                open_chain = carry
            else:
                open_chain, next_chain = next_chain, next_chain + 1
            open_at = i
        elif open_at is not None:
            quotes.append(Quote(open_at + 1, i, open_at, i, open_chain))
            open_at = None
        elif carry is not None and not seen_mark:
            # A closing mark with no opening one after a paragraph left open:
            # the quote ran on without the customary opening mark.
            s = para_start
            while s < i and text[s].isspace():
                s += 1
            quotes.append(Quote(s, i, None, i, carry))
        seen_mark = True
    if open_at is not None:
        quotes.append(
            Quote(open_at + 1, _rstrip(text, len(text), open_at + 1), open_at, None, open_chain)
        )
    return [q for q in quotes if q.end > q.start]


def _rstrip(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end
