"""What a line of an interview-prep document is: a numbered item, a heading, a bullet, noise,
or the start of a promotional tail. Pure regular expressions, shared by the parser and the
drafter."""

import re
from dataclasses import dataclass

_SPACE = r"[ \t\u3000]"
# "1." "1、" "1)" "1）" "2.)" "(1)" "（1）" "1:" and "Q1." / "第1题:" / "Question 1:", Chinese
# numerals "一、" "十二." (one to twenty); markdown heading hashes and bold around it. A dot
# followed by a digit is a decimal ("0.01"), not a mark.
_CN_NUMERAL = "[一二三四五六七八九十]{1,3}"
_NUMBERED = re.compile(
    rf"^(?P<indent>{_SPACE}*)(?P<hashes>#{{1,6}}{_SPACE}+)?(?:\*\*|__)?{_SPACE}*"
    rf"(?:(?:Question|Q|问题|第){_SPACE}*)?"
    rf"(?:[(（]{_SPACE}*(?P<n1>\d{{1,3}}){_SPACE}*[)）]|(?P<n2>\d{{1,3}}){_SPACE}*题?{_SPACE}*"
    r"(?P<mark>\.\)|[.．](?!\d)|[、)）]|[:：](?!\d))"
    rf"|(?P<n3>{_CN_NUMERAL}){_SPACE}*[、.．])"
    rf"{_SPACE}*(?P<text>.*?){_SPACE}*$",
    re.IGNORECASE,
)
# A number prefix of a heading's text, to take the number off the title.
_NUMBER_PREFIX = re.compile(
    rf"^(?:(?:Question|Q|问题|第)\s*)?(?:(\d{{1,3}})\s*题?\s*(?:\.\)|[.．、)）:：])|({_CN_NUMERAL})\s*[、.．])\s*",
    re.IGNORECASE,
)
_HEADING = re.compile(rf"^(?P<hashes>#{{1,6}}){_SPACE}+(?P<text>.+?){_SPACE}*#*{_SPACE}*$")
BULLET = re.compile(
    rf"^{_SPACE}*(?:[•·●▪◦○■□►▸‣⁃]|[-*+](?={_SPACE})|\d{{1,3}}{_SPACE}*(?:\.\)|[.．](?!\d)|[、)）])"
    rf"|[(（]\d{{1,3}}[)）]|[①-⑳]){_SPACE}*"
)
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
# Lines with nothing for a reader of the answer: image placeholders and images.
_NOISE = re.compile(
    r"^\s*(?:在这里插入图片描述|\[?图片\]?|!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>|<!--.*-->)\s*$",
    re.IGNORECASE,
)
# A promotional or boilerplate tail: calls to follow, scan, subscribe, claim material, sales
# talk, or copyright and reposting notices. Specific phrases only, none of them ML vocabulary:
# an answer may say "关注", "收藏" or "discount factor".
_PROMO = re.compile(
    "|".join(
        [
            r"在这里插入图片描述|扫码|二维码|公众号|关注我|关注公众号|点赞|一键三连|免费领取|领取方式",
            r"资料包|免费分享|私信|加群|进群|打赏|版权声明|原文链接|转载请|本文首发|粉丝|福利",
            r"\bsubscribe\b|\bnewsletter\b|\bfollow (?:me|us)\b|\bsign up\b|\bsponsored\b",
            r"\baffiliate\b|\bpromo code\b|\bbuy now\b|\bclick here\b|\bjoin our\b",
            r"\bthanks for reading\b|\blike and share\b|\bshare this\b|\ball rights reserved\b",
            r"\bbuy me a coffee\b|\bpatreon\b|\bhope (?:this|it) helps\b",
            # sales talk that opens a course advert ("站在风口", "就看你能不能抓住了")
            r"持续(?:爆火|火热)|站在风口|能不能抓住|希望(?:对|能)(?:你|您|大家)有(?:所)?帮助",
        ]
    ),
    re.IGNORECASE,
)
# An answer line that is only a link: "[title]", "[title](url)", "<url>", "url".
_LINK = re.compile(r"^\s*(?:\[[^\]]+\](?:\([^)]*\))?|<?https?://\S+>?)\s*[。.]?\s*$")
_MD_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\))?|<?https?://\S+>?")


@dataclass(frozen=True)
class Numbered:
    """A numbered line: `12. 梯度爆炸怎么解决?`."""

    index: int  # 0-based line index in the document
    number: int
    text: str
    indent: int
    style: str  # dot | comma | paren | wrap | colon | cn: items of one list share a style
    heading: bool  # a markdown heading (`## 1. ...`)


_STYLES = {".": "dot", "．": "dot", "、": "comma", ")": "paren", "）": "paren", ".)": "paren"}
_CN_DIGITS = "一二三四五六七八九"


_CN_NUMBERS = {ch: n for n, ch in enumerate(_CN_DIGITS, start=1)}
_CN_NUMBERS |= {"十": 10, "二十": 20} | {f"十{ch}": 10 + n for ch, n in _CN_NUMBERS.items()}


def cn_number(numeral: str) -> int | None:
    """一 .. 二十 as 1 .. 20 (None for anything else: "三三", "十十")."""
    return _CN_NUMBERS.get(numeral)


def numbered(line: str, index: int = 0) -> Numbered | None:
    match = _NUMBERED.match(line)
    if not match:
        return None
    text = match["text"].strip().strip("*_").strip()
    if not any(ch.isalnum() for ch in text):
        return None
    number = int(match["n1"] or match["n2"]) if match["n3"] is None else cn_number(match["n3"])
    if number is None or number < 1:
        return None
    if match["n3"]:
        style = "cn"
    else:
        style = "wrap" if match["n1"] else _STYLES.get(match["mark"] or "", "colon")
    indent = len(match["indent"].expandtabs(4))
    return Numbered(index, number, text, indent, style, bool(match["hashes"]))


def heading_number(text: str) -> tuple[int | None, str]:
    """The number a heading's text starts with ("Q1." "3、" "二、"), and the text without it."""
    match = _NUMBER_PREFIX.match(text)
    if not match:
        return None, text
    number = int(match[1]) if match[1] else cn_number(match[2])
    return (number, text[match.end() :]) if number else (None, text)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


def fenced(lines: list[str]) -> list[bool]:
    """Whether each line is part of a fenced code block (``` or ~~~, the fences included).
    A fence never closed is taken as text: one stray ``` should not swallow the document."""
    inside = [False] * len(lines)
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and not (match[1][0] == "`" and "`" in match[2]):
            char, size = match[1][0], len(match[1])
            close = re.compile(rf"^\s*{re.escape(char)}{{{size},}}\s*$")
            end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)
            if end is not None:
                inside[i : end + 1] = [True] * (end + 1 - i)
                i = end
        i += 1
    return inside


_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_\s](?:.*?[^*_\s])?)\1\s*$")


def bold_line(line: str) -> str | None:
    """The text of a line that is all bold (`**什么是梯度消失？**`), else None."""
    match = _BOLD_LINE.match(line)
    if not match or match[1] in match["text"]:  # "**a** and **b**": two bold spans
        return None
    return match["text"].strip()


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a markdown ATX heading."""
    match = _HEADING.match(line)
    if not match:
        return None
    text = match["text"].strip().strip("*_").strip()
    return (len(match["hashes"]), text) if text else None


def is_rule(line: str) -> bool:
    return bool(_RULE.match(line))


def is_noise(line: str) -> bool:
    return bool(_NOISE.match(line))


def is_promo(line: str) -> bool:
    return bool(_PROMO.search(line))


def is_link(line: str) -> bool:
    return bool(_LINK.match(line))


def unlink(text: str) -> str:
    """Markdown links and bare URLs replaced by their titles (URLs dropped)."""
    return _MD_LINK.sub(lambda m: m.group(1) or "", text).strip()


def strip_bullet(line: str) -> tuple[str, bool]:
    """The line without its bullet or list number, and whether it had one."""
    match = BULLET.match(line)
    if not match:
        return line.strip(), False
    return line[match.end() :].strip(), True
