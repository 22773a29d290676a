"""Which language an answer is written in (feedback is written in the same one)."""

import re
from typing import Literal

from interviewer.engine.text import CJK

_LATIN_WORD = re.compile(r"[A-Za-z]+")


def detect_language(text: str, default: Literal["zh", "en"] = "en") -> Literal["zh", "en"]:
    """zh when there are at least as many Chinese characters as Latin words.

    Chinese answers are full of English terms (dropout, ReLU, AdamW): what decides is the
    grammar around them, and a Chinese character weighs about one English word.
    """
    cjk = len(CJK.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    if cjk + latin_words == 0:
        return default
    return "zh" if cjk >= latin_words else "en"
