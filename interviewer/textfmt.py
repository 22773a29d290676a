"""Plain-text layout that respects the double width of CJK characters in a terminal."""

import re
import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to the widest cell; the last column is not padded."""
    widths = [max(width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [pad(str(c), w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        return "  ".join([*parts, str(cells[-1])]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def snippet(body: str, query: str, window: int = 40) -> str:
    """About `window` characters of `body` around the first match of `query` (any case), the
    match in [brackets], "…" where text is cut, runs of whitespace and newlines as one space."""
    text, needle = " ".join(body.split()), " ".join(query.split())
    found = re.search(re.escape(needle), text, re.IGNORECASE) if needle else None
    if found is None:  # matched by a folding Python does not share: the start of the text
        cut = text[:window]
        return cut + ("…" if len(text) > window else "")
    side = max(0, window - len(found.group())) // 2
    start, end = max(0, found.start() - side), min(len(text), found.end() + side)
    # near an edge, the unused budget goes to the other side
    end = min(len(text), end + max(0, side - found.start()))
    start = max(0, start - max(0, found.end() + side - len(text)))
    return (
        ("…" if start > 0 else "")
        + text[start : found.start()]
        + f"[{found.group()}]"
        + text[found.end() : end]
        + ("…" if end < len(text) else "")
    )
