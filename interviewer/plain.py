"""The plain line-based interview: for scripts, pipes and screen readers.

An answer is any number of lines ended by a line holding a single `.`; commands stand on a
line of their own: /hint, /skip, /reveal, /next, /quit. After a grade, an empty line (or
/next) moves on. EOF saves and pauses the session; so does /quit. Lines are autosaved as a
draft as they come, so an interrupted answer is restored on --resume.
"""

import asyncio
import sys
from typing import TextIO

from interviewer.engine.events import (
    Event,
    FollowUpAsked,
    Graded,
    GradingFailed,
    GradingStarted,
    QuestionAsked,
    QuestionDone,
    SessionFinished,
)
from interviewer.engine.interview import Interview
from interviewer.errors import UsageError

T = {
    "en": {
        "intro": "Session {id}: {n} question(s), grader {grader}, up to {depth} follow-up(s).\n"
        "End an answer with a line holding a single '.'; "
        "commands: /hint /skip /reveal /next /quit.",
        "question": "Question {k} of {n}: {title}",
        "follow_up": "Follow-up {k} of {budget} ({kind}):",
        "grading": "(grading with {grader} ...)",
        "failed": "Grading failed: {error}. Your answer is saved; "
        "/retry tries again, /offline uses the offline grader.",
        "done": {
            "sufficient": "That answer is sufficient.",
            "budget_spent": "Follow-up budget spent (that is not a pass).",
            "exhausted": "No more follow-ups on this question.",
            "skipped": "Skipped (scores 0).",
            "moved_on": "Moved on (the follow-up is recorded as skipped).",
        },
        "next": "Empty line or /next for the next question, "
        "/reveal for the reference answer, /quit to stop.",
        "no_hint": "No more hints for this question.",
        "hint": "Hint: {text}",
        "saved": "Saved. Resume with: interviewer interview --resume {id}",
        "summary": "Summary",
        "verdict": "Overall: {verdict} "
        "(average {average:g}/10; {answered} answered, {skipped} skipped)",
        "tags": "By tag",
        "strengths": "Strengths",
        "gaps": "Gaps",
        "not_graded": "not graded",
        "skipped_mark": " (skipped)",
        "follow_ups": "follow-ups",
        "overtime": "(over the time limit of {limit}s: marked overtime)",
        "stored": "Transcript saved in {path} (session {id}).",
        "unknown": "Unknown command {cmd}; commands: /hint /skip /reveal /next /quit",
        "next_review": "Rated {rating}; next review {date} (interviewer interview --due).",
        "ratings": {"Again": "Again", "Hard": "Hard", "Good": "Good", "Easy": "Easy"},
    },
    "zh": {
        "intro": "会话 {id}:共 {n} 题,评分器 {grader},每题最多追问 {depth} 次。\n"
        "回答以单独一行 '.' 结束;"
        "命令:/hint 提示 /skip 跳过 /reveal 参考答案 /next 下一题 /quit 退出。",
        "question": "第 {k}/{n} 题:{title}",
        "follow_up": "追问 {k}/{budget}({kind}):",
        "grading": "(正在用 {grader} 评分……)",
        "failed": "评分失败:{error}。回答已保存;/retry 重试,/offline 改用离线评分。",
        "done": {
            "sufficient": "这道题回答充分。",
            "budget_spent": "追问次数已用完(不代表通过)。",
            "exhausted": "这道题没有更多追问。",
            "skipped": "已跳过(记 0 分)。",
            "moved_on": "已跳到下一题(未答的追问记为跳过)。",
        },
        "next": "空行或 /next 进入下一题,/reveal 查看参考答案,/quit 退出。",
        "no_hint": "这道题没有更多提示了。",
        "hint": "提示:{text}",
        "saved": "已保存。继续请运行:interviewer interview --resume {id}",
        "summary": "总结",
        "verdict": "总体:{verdict}(平均 {average:g}/10;作答 {answered} 题,跳过 {skipped} 题)",
        "tags": "按标签",
        "strengths": "强项",
        "gaps": "待加强",
        "not_graded": "未评分",
        "skipped_mark": "(已跳过)",
        "follow_ups": "追问",
        "overtime": "(超过 {limit} 秒时限:记为超时)",
        "stored": "记录已保存在 {path}(会话 {id})。",
        "unknown": "未知命令 {cmd};可用命令:/hint /skip /reveal /next /quit",
        "next_review": "评级:{rating};下次复习 {date}(interviewer interview --due)。",
        "ratings": {"Again": "重来", "Hard": "困难", "Good": "良好", "Easy": "简单"},
    },
}
VERDICT_ZH = {"strong": "优秀", "ready": "可以面试", "needs work": "还需准备"}


COMMANDS = ("/hint", "/skip", "/reveal", "/next", "/quit", "/retry", "/offline")


class Quit(Exception):
    """The candidate asked to stop (or input ended): save and pause."""


class PlainInterview:
    def __init__(
        self, interview: Interview, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
    ) -> None:
        self.iv, self.stdin, self.out = interview, stdin, stdout
        self.t = T["zh" if interview.lang == "zh" else "en"]
        self.lines: list[str] = []

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self) -> str | None:
        # bytes that are not UTF-8 (a pipe from anywhere) become U+FFFD, not a crash
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\r\n")

    # the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        if hasattr(self.stdin, "reconfigure"):
            self.stdin.reconfigure(errors="replace")
        with asyncio.Runner() as self.runner:
            return self._run()

    def _run(self) -> int:
        s = self.iv.session
        self.say(
            self.t["intro"].format(
                id=s.id, n=self.iv.total, grader=s.grader, depth=s.follow_up_depth
            )
        )
        try:
            self.show(self.iv.ask())
            # resumed after a crash between saving an answer and grading it: grade it now
            self.show_async(self.iv.grade_pending())
            while not self.iv.finished:
                if self.iv.open_turn() is not None:
                    self.answer_loop()
                else:
                    self.after_question()
        except Quit:
            self.save_and_pause()
            return 0
        except KeyboardInterrupt:
            self.save_and_pause()
            return 130
        return 0

    def save_and_pause(self) -> None:
        if self.lines:
            self.iv.save_draft("\n".join(self.lines))
        self.iv.pause()
        self.say(self.t["saved"].format(id=self.iv.session.id))

    def answer_loop(self) -> None:
        draft = self.iv.draft()
        self.lines = draft.splitlines() if draft else []
        if self.lines:
            self.say("\n".join(self.lines))
        while True:
            line = self.read()
            if line is None:
                raise Quit
            if line.strip() == ".":
                text = "\n".join(self.lines).strip()
                if not text:
                    continue  # nothing typed yet: a stray '.' is not an answer
                turn = self.iv.open_turn()
                try:
                    events = self.collect(self.iv.submit(text))
                except UsageError as exc:  # e.g. too long: the lines stay, the draft is saved
                    self.say(str(exc))
                    continue
                if turn is not None and self.iv.store.turn(turn.id).overtime:
                    limit = self.iv.session.time_limit_s
                    self.say(self.t["overtime"].format(limit=limit))
                self.show(events)
                self.lines = []
                return
            command = line.strip()
            if command in COMMANDS:
                if self.command(command):
                    return
            else:  # any other line, "/" or not, is part of the answer
                if not self.lines:
                    self.iv.keystroke()
                self.lines.append(line)
                self.iv.save_draft("\n".join(self.lines))

    def command(self, cmd: str) -> bool:
        """Run a command; True when the current turn is over."""
        try:
            if cmd == "/hint":
                hint = self.iv.hint()
                self.say(self.t["hint"].format(text=hint) if hint else self.t["no_hint"])
            elif cmd == "/skip":
                self.lines = []
                self.show(self.iv.skip())
                return True
            elif cmd == "/reveal":
                self.say(self.iv.reveal())
            elif cmd == "/next":
                if self.lines:
                    self.iv.save_draft("\n".join(self.lines))
                self.lines = []
                self.show(self.iv.next())
                return True
            elif cmd == "/quit":
                raise Quit
            elif cmd == "/retry":
                self.show_async(self.iv.grade_pending())
                return True
            elif cmd == "/offline":
                self.show_async(self.iv.regrade_offline())
                return True
            else:
                self.say(self.t["unknown"].format(cmd=cmd))
        except UsageError as exc:
            self.say(str(exc))
        return False

    def after_question(self) -> None:
        self.say(self.t["next"])
        while True:
            line = self.read()
            if line is None:
                raise Quit
            cmd = line.strip()
            if cmd in ("", "/next"):
                self.show(self.iv.next())
                return
            if cmd.startswith("/") and self.command(cmd):
                return

    # output -----------------------------------------------------------------------------

    def collect(self, events) -> list[Event]:  # type: ignore[no-untyped-def]
        async def gather() -> list[Event]:
            return [e async for e in events]

        # one event loop for the whole session: a model client's connections belong to it
        return self.runner.run(gather())

    def show_async(self, events) -> None:  # type: ignore[no-untyped-def]
        self.show(self.collect(events))

    def show(self, events: list[Event]) -> None:
        lang = self.iv.lang
        for e in events:
            if isinstance(e, QuestionAsked):
                self.say()
                self.say(
                    self.t["question"].format(
                        k=e.index + 1, n=e.total, title=e.question.title.get(lang)
                    )
                )
                self.say(e.question.question.get(lang))  # type: ignore[arg-type]
            elif isinstance(e, FollowUpAsked):
                self.say()
                self.say(
                    self.t["follow_up"].format(
                        k=e.number, budget=e.budget, kind=e.follow_up.kind.value
                    )
                )
                self.say(e.follow_up.question.get(lang))  # type: ignore[arg-type]
            elif isinstance(e, GradingStarted):
                self.say(self.t["grading"].format(grader=e.grader))
            elif isinstance(e, Graded):
                self.say(e.grade.feedback)
            elif isinstance(e, GradingFailed):
                self.say(self.t["failed"].format(error=e.error))
            elif isinstance(e, QuestionDone):
                self.say(self.t["done"][e.reason])
                self.say_next_review(e.question_id)
            elif isinstance(e, SessionFinished):
                self.print_summary(e.summary)
                debrief = self.runner.run(self.iv.debrief())
                if debrief:
                    self.say(debrief)

    def say_next_review(self, question_id: str) -> None:
        """Spaced practice: the rating the question earned and when it comes back."""
        from fsrs import Rating

        from interviewer.practice.scheduler import review_after

        # by question id: on /next the session has already moved to the next question
        review = review_after(self.iv.store, self.iv.turns, question_id)
        if review is not None:
            rating = self.t["ratings"][Rating(review.rating).name]
            self.say(self.t["next_review"].format(rating=rating, date=f"{review.due:%Y-%m-%d}"))

    def print_summary(self, summary: dict) -> None:
        t, zh = self.t, self.iv.lang == "zh"
        self.say()
        self.say(f"== {t['summary']} ==")
        for row in summary["questions"]:
            follow = " ".join(
                "-" if f["score"] is None else f"{f['score']:g}" for f in row["follow_ups"]
            )
            mark = t["skipped_mark"] if row["skipped"] else ""
            extra = f"  {t['follow_ups']}: {follow}" if follow else ""
            score = f"{row['score']:g}/10" if row["graded"] else t["not_graded"]
            self.say(f"  {row['number']:>2}. {row['title']}: {score}{mark}{extra}")
        verdict = (
            VERDICT_ZH.get(summary["verdict"], summary["verdict"]) if zh else summary["verdict"]
        )
        self.say(
            t["verdict"].format(
                verdict=verdict,
                average=summary["average"],
                answered=summary["answered"],
                skipped=summary["skipped"],
            )
        )
        if summary["tags"]:
            self.say(f"{t['tags']}: " + ", ".join(f"{k} {v:g}" for k, v in summary["tags"].items()))
        if summary["strengths"]:
            self.say(f"{t['strengths']}: " + ", ".join(summary["strengths"]))
        gaps = summary["gaps"]
        if gaps["key_points"] or gaps["questions"]:
            self.say(f"{t['gaps']}:")
            # the weak (and skipped) questions, then the core points missed in answered ones
            for row in summary["questions"]:
                if row["question_id"] in gaps["questions"]:
                    mark = t["skipped_mark"] if row["skipped"] else ""
                    self.say(f"  - {row['title']}: {row['score']:g}/10{mark}")
            for kp in gaps["key_points"]:
                self.say(f"  - [{kp['question_id']}] {kp['text']}")
        self.say(t["stored"].format(path=self.iv.store.path, id=self.iv.session.id))
