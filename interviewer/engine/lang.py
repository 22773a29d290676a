"""Which language an answer is written in (feedback is written in the same one)."""

from typing import Literal

from interviewer.engine.text import CJK

_LATIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def detect_language(text: str, default: Literal["zh", "en"] = "en") -> Literal["zh", "en"]:
    """zh when Chinese characters are at least a third of the letters.

    A Chinese answer is full of English terms (dropout, ReLU, AdamW) and a Chinese character
    carries about as much as a short English word, so the threshold is low.
    """
    cjk = len(CJK.findall(text))
    latin = sum(ch in _LATIN for ch in text)
    if cjk + latin == 0:
        return default
    return "zh" if cjk * 3 >= cjk + latin else "en"
