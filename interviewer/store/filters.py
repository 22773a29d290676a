"""Which sessions to list: one filter for the CLI's flags and the TUI's filter box."""

import re
from dataclasses import dataclass
from typing import Any

from interviewer.store.repo import Store

_SYNTAX = re.compile(r"\b(grader|q|since|until|score)(:|>=|<=)(\S+)")


@dataclass(frozen=True)
class SessionFilter:
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    grader: str | None = None
    question: str | None = None  # a question id; with question_prefix, the start of one
    question_prefix: bool = False
    min_score: float | None = None
    max_score: float | None = None
    search: str = ""  # questions as asked, answers and feedback

    @classmethod
    def parse(cls, text: str) -> "SessionFilter":
        """The TUI's one-line form: `grader:offline q:dropout since:2026-11-01 until:...
        score>=6 score<=8 free text` (the rest of the line is a search)."""
        fields: dict[str, Any] = {"question_prefix": True}
        for key, op, value in _SYNTAX.findall(text):
            if key == "score":
                bound = {">=": "min_score", "<=": "max_score"}.get(op)
                try:
                    if bound:
                        fields[bound] = float(value)
                except ValueError:
                    continue
            else:
                fields["question" if key == "q" else key] = value
        return cls(**fields, search=_SYNTAX.sub(" ", text).strip())

    def keeps(self, row: dict[str, Any], store: Store) -> bool:
        day, average = row["created_at"][:10], row["average"]
        if (self.since and day < self.since) or (self.until and day > self.until):
            return False
        if self.grader and row["grader"] != self.grader:
            return False
        if self.min_score is not None and (average is None or average < self.min_score):
            return False
        if self.max_score is not None and (average is None or average > self.max_score):
            return False
        if self.question:
            asked = store.session(row["id"]).question_ids
            if not any(
                q == self.question or (self.question_prefix and q.startswith(self.question))
                for q in asked
            ):
                return False
        return True

    def apply(self, store: Store) -> list[dict[str, Any]]:
        """The matching sessions, newest first; with a search, each with up to 3 snippets."""
        rows = [r for r in store.list_sessions() if self.keeps(r, store)]
        if not self.search:
            return rows
        hits = store.search(self.search)
        found = {h["session_id"] for h in hits}
        return [
            r | {"matches": [h["snip"] for h in hits if h["session_id"] == r["id"]][:3]}
            for r in rows
            if r["id"] in found
        ]


def table_cells(row: dict[str, Any]) -> list[str]:
    """A session row as shown in the CLI's table and the TUI's review list. An interview asks
    a fixed list of questions, so it shows answered/asked; a `grade` or batch run has no such
    list (one question may be graded many times), so it shows the answers graded."""
    answered = (
        f"{row['answered']}/{row['questions']}"
        if row["mode"] == "interview"
        else str(row["answered"])
    )
    return [
        row["id"],
        row["created_at"][:16].replace("T", " "),
        row["mode"],
        row["status"],
        answered,
        row["grader"],
        "-" if row["average"] is None else f"{row['average']:g}",
    ]


TABLE_HEADERS = ["id", "started", "mode", "status", "answered", "grader", "average"]
TABLE_HEADERS_ZH = ["会话", "开始", "模式", "状态", "已答", "评分器", "平均分"]


def table_headers(lang: str) -> list[str]:
    return TABLE_HEADERS_ZH if lang == "zh" else TABLE_HEADERS
