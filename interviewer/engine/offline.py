"""The offline grader: rubric signals, guards, the shared score formula, the follow-up policy.

It is a keyword grader and says so in its feedback: it matches the rubric's bilingual
signals within sentences and clauses; it does not understand the answer.
"""

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from interviewer.domain.grade import Grade, GraderInfo, KeyPointResult, MisconceptionResult
from interviewer.domain.rubric import Probe, Question, Signal
from interviewer.engine import feedback as fb
from interviewer.engine.followup import choose_follow_ups
from interviewer.engine.guards import Screening, check_length, mask, screen
from interviewer.engine.lang import detect_language
from interviewer.engine.matcher import (
    CompiledSignal,
    CompiledTerm,
    any_term_in,
    compile_signal,
    compile_term,
    match_signal,
)
from interviewer.engine.scoring import deep_coverage, probe_score, score
from interviewer.engine.text import STOPWORDS, Normalized
from interviewer.vocab import Depth, GradeStatus, Strength, Verdict

OFFLINE_MODEL = "offline/keywords"
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CompiledRubric:
    points: dict[str, tuple[CompiledSignal, ...]]
    misconceptions: dict[str, tuple[CompiledSignal, ...]]
    expected: dict[str, tuple[tuple[CompiledSignal, ...], ...]]  # probe id -> per expected point
    vocabulary: tuple[CompiledTerm, ...]  # distinctive terms: is the answer on topic at all?
    rubric_hash: str


def _compile(signals: list[Signal]) -> tuple[CompiledSignal, ...]:
    return tuple(compile_signal(s) for s in signals)


def _distinctive(term: CompiledTerm) -> bool:
    """Terms too common to show the answer is about this question are left out."""
    if term.cjk is not None:
        return len(term.cjk) >= 2
    if term.words:
        return not (
            len(term.words) == 1 and (term.words[0][0] in STOPWORDS or len(term.words[0][0]) <= 2)
        )
    return term.regex is not None


def compile_rubric(question: Question) -> CompiledRubric:
    signals = [s for kp in question.key_points for s in kp.signals]
    signals += [s for m in question.misconceptions for s in m.signals]
    signals += [s for p in question.probes for e in p.expected_points for s in e.signals]
    vocabulary = {}
    for signal in signals:
        for group in signal.all:
            for term in group:
                compiled = compile_term(term)
                if _distinctive(compiled):
                    vocabulary[
                        compiled.source if isinstance(compiled.source, str) else str(term)
                    ] = compiled
    return CompiledRubric(
        points={kp.id: _compile(kp.signals) for kp in question.key_points},
        misconceptions={m.id: _compile(m.signals) for m in question.misconceptions},
        expected={
            p.id: tuple(_compile(e.signals) for e in p.expected_points) for p in question.probes
        },
        vocabulary=tuple(vocabulary.values()),
        rubric_hash=question.content_hash(),
    )


_COMPILED: dict[int, tuple[Question, CompiledRubric]] = {}


def compiled(question: Question) -> CompiledRubric:
    """Compile once per question object (kept alive in the cache, so ids are not reused)."""
    hit = _COMPILED.get(id(question))
    if hit is None or hit[0] is not question:
        if len(_COMPILED) > 512:
            _COMPILED.clear()
        hit = (question, compile_rubric(question))
        _COMPILED[id(question)] = hit
    return hit[1]


def named_only(verdict: Verdict, depth: Depth) -> Verdict:
    """A point only named in a list of terms: a core point earns at most partial credit, a
    deep point (a mechanism, a trade-off) none, since a name cannot carry an explanation."""
    if depth == Depth.DEEP:
        return Verdict.MISSED
    return Verdict.PARTIAL


def judge(
    signals: tuple[CompiledSignal, ...], ans: Normalized, listed: bool = False
) -> tuple[Verdict, list]:
    """Covered by any full signal, else partial by a partial one, else missed; with evidence."""
    best: tuple[Verdict, list] = (Verdict.MISSED, [])
    for signal in signals:
        evidence = match_signal(signal, ans, listed)
        if evidence:
            if signal.strength == Strength.FULL:
                return Verdict.COVERED, evidence
            if best[0] == Verdict.MISSED:
                best = (Verdict.PARTIAL, evidence)
    return best


class OfflineGrader:
    """Grades main answers and follow-up answers against a question's rubric, with no model."""

    def __init__(self, clock: Clock = utcnow, lang: str | None = None) -> None:
        self.clock = clock
        self.lang = lang  # --lang: the feedback language, instead of the answer's

    def info(self, rubric: CompiledRubric) -> GraderInfo:
        return GraderInfo(kind="offline", model=OFFLINE_MODEL, rubric_hash=rubric.rubric_hash)

    def identity(self, question: Question, follow_up: bool = False) -> GraderInfo:
        """Who would grade this answer, known before grading (regrade skips what it did)."""
        return self.info(compiled(question))

    def screens_out(self, question: Question, answer: str) -> bool:
        return False  # it grades everything itself

    def _prepare(
        self, question: Question, answer: str
    ) -> tuple[CompiledRubric, Normalized, Screening]:
        check_length(answer)
        rubric = compiled(question)
        norm = Normalized(answer)
        screening = screen(answer, norm, on_topic=any_term_in(list(rubric.vocabulary), norm))
        if screening.injections:  # graded without the text addressed to the grader
            norm = Normalized(mask(answer, screening.injections))
        return rubric, norm, screening

    def _blocked(
        self,
        question: Question,
        rubric: CompiledRubric,
        screening: Screening,
        lang: fb.Lang,
        started: float,
        probe_id: str | None = None,
    ) -> Grade:
        assert screening.blocking is not None
        return Grade(
            question_id=question.id,
            probe_id=probe_id,
            status=GradeStatus.GRADED,
            score=0.0,
            feedback=fb.blocked_feedback(screening.blocking, lang),
            language=lang,
            flags=screening.flags,
            grader=self.info(rubric),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )

    def _misconceptions(
        self, rubric: CompiledRubric, norm: Normalized
    ) -> list[MisconceptionResult]:
        results = []
        for mid, signals in rubric.misconceptions.items():
            verdict, evidence = judge(signals, norm)
            results.append(
                MisconceptionResult(id=mid, present=verdict != Verdict.MISSED, evidence=evidence)
            )
        return results

    def grade(
        self,
        question: Question,
        answer: str,
        *,
        hinted: Collection[str] = (),
        asked: Collection[str] = (),
        reveal: bool = False,
    ) -> Grade:
        """Grade a main answer. `hinted`: key points whose hint was shown; `asked`: probes used."""
        started = time.perf_counter()
        lang = self.lang or detect_language(answer)
        rubric, norm, screening = self._prepare(question, answer)
        if screening.blocking:
            return self._blocked(question, rubric, screening, lang, started)
        listed = "keyword_list" in screening.flags
        points = []
        for kp in question.key_points:
            verdict, evidence = judge(rubric.points[kp.id], norm, listed)
            flags = []
            if listed and verdict != Verdict.MISSED:
                verdict, flags = named_only(verdict, kp.depth), ["named_only"]
            points.append(
                KeyPointResult(
                    id=kp.id,
                    verdict=verdict,
                    evidence=evidence,
                    hinted=kp.id in hinted,
                    flags=flags,
                )
            )
        misconceptions = self._misconceptions(rubric, norm)
        verdicts = {r.id: r.verdict for r in points}
        present = [m.id for m in misconceptions if m.present]
        flags = list(screening.flags)
        nothing = not present and all(r.verdict == Verdict.MISSED for r in points)
        if nothing and not any_term_in(list(rubric.vocabulary), norm):
            flags.append("off_topic")
        value = score(question, verdicts, present, hinted)
        return Grade(
            question_id=question.id,
            status=GradeStatus.GRADED,
            score=value,
            key_points=points,
            misconceptions=misconceptions,
            depth=deep_coverage(question, verdicts, hinted),
            feedback=fb.feedback(question, value, points, misconceptions, flags, lang, reveal),
            language=lang,
            flags=flags,
            follow_ups=[]
            if "off_topic" in flags
            else choose_follow_ups(question, verdicts, present, asked),
            grader=self.info(rubric),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )

    def grade_follow_up(self, question: Question, probe: Probe, answer: str) -> Grade:
        """Grade an answer to a follow-up against the probe's expected points (10 x mean credit)."""
        started = time.perf_counter()
        lang = self.lang or detect_language(answer)
        rubric, norm, screening = self._prepare(question, answer)
        if screening.blocking:
            return self._blocked(question, rubric, screening, lang, started, probe.id)
        points = []
        for i, signals in enumerate(rubric.expected[probe.id], start=1):
            verdict, evidence = judge(signals, norm)
            points.append(KeyPointResult(id=f"e{i}", verdict=verdict, evidence=evidence))
        misconceptions = self._misconceptions(rubric, norm)
        value = probe_score(r.verdict for r in points)
        return Grade(
            question_id=question.id,
            probe_id=probe.id,
            status=GradeStatus.GRADED,
            score=value,
            key_points=points,
            misconceptions=misconceptions,
            feedback=fb.follow_up_feedback(
                question, probe, value, points, misconceptions, screening.flags, lang
            ),
            language=lang,
            flags=list(screening.flags),
            grader=self.info(rubric),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )

    # The engine's grader interface is async (model graders stream); offline work is instant.
    name = "offline"

    async def agrade(
        self,
        question: Question,
        answer: str,
        *,
        hinted: Collection[str] = (),
        asked: Collection[str] = (),
    ) -> Grade:
        return self.grade(question, answer, hinted=hinted, asked=asked)

    async def agrade_follow_up(
        self, question: Question, probe: Probe, answer: str, **_context: object
    ) -> Grade:
        return self.grade_follow_up(question, probe, answer)
