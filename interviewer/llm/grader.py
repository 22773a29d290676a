"""The model grader: same Grade, same score formula, evidence-checked verdicts.

One request per answer in the normal case (verdicts, feedback and follow-up proposals
together); a repair request when the reply cannot be parsed; `ungraded` (never 0, never a
pass) when even that fails, with the raw reply kept. Answers with nothing to grade are caught
by the offline guards before any model is called.
"""

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Collection
from datetime import UTC, datetime
from typing import Any, TypeVar

import pydantic_core
from pydantic import BaseModel

from interviewer.domain.grade import (
    FollowUp,
    Grade,
    GraderInfo,
    KeyPointResult,
    MisconceptionResult,
)
from interviewer.domain.rubric import Probe, Question
from interviewer.domain.text import Localized
from interviewer.engine.followup import choose_follow_ups
from interviewer.engine.guards import check_length, mask, screen
from interviewer.engine.lang import detect_language
from interviewer.engine.matcher import any_term_in
from interviewer.engine.offline import OfflineGrader, compiled
from interviewer.engine.scoring import deep_coverage, probe_score, score
from interviewer.engine.text import Normalized
from interviewer.llm import errors as e
from interviewer.llm.client import ModelClient, make_client
from interviewer.llm.modes import AUTO_ORDER, ModeMemory, response_format
from interviewer.llm.output import (
    FollowUpOutput,
    GradeOutput,
    MisconceptionJudgement,
    PointJudgement,
    find_quote,
    parse_output,
    response_schema,
)
from interviewer.llm.prompts import RenderedPrompt, follow_up_prompt, grade_prompt, template
from interviewer.llm.spec import ModelSpec
from interviewer.llm.types import ChatRequest, ChatResponse, Delta, StreamEnd, StructuredMode
from interviewer.vocab import GradeStatus, Verdict

MAX_POINTS_PER_QUOTE = 2  # the same quoted span may support at most this many key points
REASONS = {"missed": "missed_point", "deeper": "go_deeper", "challenge": "challenge_misconception"}
Clock = Callable[[], datetime]


M = TypeVar("M", bound=BaseModel)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Usage:
    def __init__(self) -> None:
        self.tokens_in = self.tokens_out = 0
        self.cost: float | None = None
        self.requests = 0

    def add(self, response: ChatResponse) -> None:
        self.requests += 1
        self.tokens_in += response.usage.prompt_tokens or 0
        self.tokens_out += response.usage.completion_tokens or 0
        if response.usage.cost_usd is not None:
            self.cost = (self.cost or 0.0) + response.usage.cost_usd


def _judges(out: Any, ids: list[str], field: str) -> bool:
    """Parsed, and judging at least one of the rubric's items by id."""
    return out is not None and any(j.id in ids for j in getattr(out, field))


def _median(values: list[Any], order: list[Any]) -> tuple[Any, float]:
    """The median vote in `order` (the lower one for an even count) and its share: an item
    gets credit only when most samples give it credit (covered/partial/missed -> partial)."""
    ranked = sorted(values, key=order.index)
    chosen = ranked[(len(ranked) - 1) // 2]
    return chosen, Counter(values)[chosen] / len(values)


class LLMGrader:
    def __init__(
        self,
        spec: ModelSpec,
        client: ModelClient | None = None,
        *,
        clock: Clock = _utcnow,
        samples: int = 1,
        stream: bool = True,
        memory: ModeMemory | None = None,
        lang: str | None = None,
    ) -> None:
        self.spec = spec
        self.client = client or make_client(spec)
        self.clock = clock
        self.samples = max(1, samples)
        self.stream = stream
        self.memory = memory or ModeMemory()
        self.lang = lang  # --lang overrides the detected answer language
        self.offline = OfflineGrader(clock, lang)
        self.name = spec.name

    # -- requests -------------------------------------------------------------------------

    def _modes(self) -> list[StructuredMode]:
        if self.spec.structured != "auto":
            return [self.spec.structured]
        known = self.memory.get(self.spec.label)
        return [known] if known else list(AUTO_ORDER)

    async def _ask(
        self,
        build: Callable[[dict | None], RenderedPrompt],
        schema_name: str,
        schema: dict,
        usage: Usage,
        on_delta: Callable[[str], None] | None = None,
    ) -> tuple[str, RenderedPrompt, StructuredMode]:
        """Send the prompt in the first mode the server accepts; the reply text."""
        modes = self._modes()
        for i, mode in enumerate(modes):
            prompt = build(schema if mode == "prompt" else None)
            request = ChatRequest(
                prompt.messages,
                temperature=self.spec.temperature,
                max_tokens=self.spec.max_tokens,
                response_format=response_format(mode, schema_name, schema),
            )
            try:
                response = await self._send(request, on_delta)
            except e.BadRequest:
                if i + 1 < len(modes):  # the server refused this structured mode: next one
                    continue
                raise
            usage.add(response)
            if self.spec.structured == "auto":
                self.memory.remember(self.spec.label, mode)
            return response.text, prompt, mode
        raise AssertionError("unreachable")

    async def _send(
        self, request: ChatRequest, on_delta: Callable[[str], None] | None
    ) -> ChatResponse:
        if not (self.stream and on_delta):
            return await self.client.complete(request)
        async for item in self.client.stream(request):
            if isinstance(item, Delta):
                on_delta(item.text)
            elif isinstance(item, StreamEnd):
                return item.response
        raise e.StreamBroken(f"{self.spec.label}: the stream ended without an answer")

    async def _repair(self, prompt: RenderedPrompt, reply: str, problem: str, usage: Usage) -> str:
        """One more request: here is your reply and what is wrong with it; return valid JSON."""
        messages = [
            *prompt.messages,
            {"role": "assistant", "content": reply[:8000]},
            {
                "role": "user",
                "content": f"That reply could not be used ({problem}). Reply again with only the "
                "JSON object, valid and complete, following the requested format.",
            },
        ]
        response = await self.client.complete(
            ChatRequest(messages, temperature=0.0, max_tokens=self.spec.max_tokens)
        )
        usage.add(response)
        return response.text

    async def ask_structured(
        self,
        build: Callable[[dict | None], RenderedPrompt],
        schema_name: str,
        model_cls: type[M],
        usage: Usage,
        on_delta: Callable[[str], None] | None = None,
    ) -> tuple[M | None, str, RenderedPrompt]:
        """One structured request through this model's modes (schema, JSON mode, schema in the
        prompt), parsed tolerantly and repaired once: (output or None, raw text, prompt). Also
        used by `bank build --grader` for its own schema."""
        schema = response_schema(model_cls)
        reply, prompt, _mode = await self._ask(build, schema_name, schema, usage, on_delta)
        try:
            return parse_output(reply, model_cls), reply, prompt
        except ValueError as first:
            repaired = await self._repair(prompt, reply, str(first), usage)
            try:
                return parse_output(repaired, model_cls), repaired, prompt
            except ValueError:
                return None, f"{reply}\n\n--- repair reply ---\n{repaired}", prompt

    # -- verification ---------------------------------------------------------------------

    @staticmethod
    def _check_points(
        judgements: list[PointJudgement], ids: list[str], answer: str, flags: list[str]
    ) -> list[KeyPointResult]:
        by_id: dict[str, PointJudgement] = {}
        for j in judgements:
            if j.id in ids:
                by_id.setdefault(j.id, j)
            elif f"unknown_key_point:{j.id}" not in flags:
                flags.append(f"unknown_key_point:{j.id}")  # dropped
        results = []
        used: dict[tuple[int | None, int | None], int] = {}
        for pid in ids:
            j = by_id.get(pid)
            if j is None:
                results.append(KeyPointResult(id=pid, verdict=Verdict.MISSED, flags=["not_judged"]))
                continue
            verdict, evidence, item_flags = Verdict(j.verdict), [], []
            if verdict != Verdict.MISSED:
                found = find_quote(j.quote, answer) if j.quote.strip() else None
                span = (found.start, found.end) if found else None
                if found is None:  # no evidence in the answer: the verdict does not count
                    verdict, item_flags = Verdict.MISSED, ["unsupported_quote"]
                elif used.get(span, 0) >= MAX_POINTS_PER_QUOTE:  # type: ignore[arg-type]
                    # one sentence cannot stand for the whole rubric
                    verdict, item_flags = Verdict.MISSED, ["reused_quote"]
                else:
                    used[span] = used.get(span, 0) + 1  # type: ignore[index]
                    evidence = [found]
            results.append(
                KeyPointResult(
                    id=pid,
                    verdict=verdict,
                    evidence=evidence,
                    reasoning=j.reasoning,
                    flags=item_flags,
                )
            )
        return results

    @staticmethod
    def _check_misconceptions(
        judgements: list[MisconceptionJudgement], q: Question, answer: str, flags: list[str]
    ) -> list[MisconceptionResult]:
        by_id = {j.id: j for j in judgements}
        known = {m.id for m in q.misconceptions}
        flags += [f"unknown_misconception:{j}" for j in by_id if j not in known]
        results = []
        for m in q.misconceptions:
            j = by_id.get(m.id)
            present, evidence = False, []
            if j is not None and j.present:
                found = find_quote(j.quote, answer) if j.quote.strip() else None
                if found is not None:
                    present, evidence = True, [found]
                else:
                    flags.append(f"unsupported_quote:{m.id}")
            results.append(
                MisconceptionResult(
                    id=m.id, present=present, evidence=evidence, reasoning=j.reasoning if j else ""
                )
            )
        return results

    # -- grading --------------------------------------------------------------------------

    def _prepare(self, q: Question, answer: str) -> tuple[str | None, list[str], str, str]:
        """Guards before any request: (blocking reason, flags, answer as evidence, language)."""
        check_length(answer)
        norm = Normalized(answer)
        screening = screen(answer, norm, on_topic=any_term_in(list(compiled(q).vocabulary), norm))
        lang = self.lang or detect_language(answer)
        return screening.blocking, list(screening.flags), mask(answer, screening.injections), lang

    def identity(self, question: Question, follow_up: bool = False) -> GraderInfo:
        """Who would grade this answer, known before grading (regrade skips what it did)."""
        user = template("follow_up" if follow_up else "grade")
        return GraderInfo(
            kind="llm",
            model=self.spec.model,
            rubric_hash=compiled(question).rubric_hash,
            prompt_version=f"{template('system').version}+{user.version}",
        )

    def screens_out(self, question: Question, answer: str) -> bool:
        """True when the guards settle this answer without the model (empty, injection...):
        the grade is then the offline grader's."""
        return self._prepare(question, answer)[0] is not None

    def _info(self, q: Question, prompt: RenderedPrompt | None) -> GraderInfo:
        return GraderInfo(
            kind="llm",
            model=self.spec.model,
            rubric_hash=compiled(q).rubric_hash,
            prompt_version=prompt.version if prompt else None,
            prompt_hash=prompt.hash if prompt else None,
        )

    def _ungraded(
        self,
        q: Question,
        probe: Probe | None,
        raw: str,
        prompt: RenderedPrompt | None,
        usage: Usage,
        started: float,
        flags: list[str],
        lang: str,
    ) -> Grade:
        return Grade(
            question_id=q.id,
            probe_id=probe.id if probe else None,
            status=GradeStatus.UNGRADED,
            feedback=(
                "模型的回复无法使用(无法解析或没有评判任何要点),这次没有评分。"
                "可以重试、换一个评分器,或使用离线评分。"
                if lang == "zh"
                else "The model's reply could not be used (unparseable, or judging no key "
                "point), so this answer is ungraded. Retry, use another grader, or accept the "
                "offline grade."
            ),
            language=lang,
            flags=[*flags, "unparseable"],
            grader=self._info(q, prompt),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
            raw_output=raw[:20000],
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            cost_usd=usage.cost,
            requests=usage.requests,
        )

    def _feedback(
        self,
        q: Question,
        value: float,
        text: str,
        misconceptions: list[MisconceptionResult],
        lang: str,
    ) -> str:
        level = q.level_for(value)
        head = (
            f"模型评分({self.spec.model}):{value:g}/10"
            if lang == "zh"
            else f"Model grade ({self.spec.model}): {value:g}/10"
        )
        lines = [head + (f" · {level.description.get(lang)}" if level else ""), "", text.strip()]  # type: ignore[arg-type]
        stated = {m.id: m for m in q.misconceptions}
        for m in misconceptions:
            if m.present:
                lines.append(
                    f"  ✗ {stated[m.id].text.get(lang)} → {stated[m.id].correction.get(lang)}"
                )  # type: ignore[arg-type]
        return "\n".join(line for line in lines if line is not None)

    def _follow_ups(
        self,
        q: Question,
        out: GradeOutput,
        verdicts: dict[str, Verdict],
        present: list[str],
        asked: Collection[str],
        lang: str,
        flags: list[str],
    ) -> list[FollowUp]:
        probes = {p.id: p for p in q.probes}
        chosen: list[FollowUp] = []
        for proposal in out.follow_ups:
            probe = probes.get(proposal.probe_id)
            if probe is None:
                flags.append(f"unknown_probe:{proposal.probe_id}")
                continue
            if (
                probe.id in asked
                or any(f.probe_id == probe.id for f in chosen)
                or not proposal.question.strip()
            ):
                continue
            if not self._fits(probe, verdicts, present):  # grounded in the checked verdicts only
                flags.append(f"ungrounded_probe:{probe.id}")
                continue
            chosen.append(
                FollowUp(
                    probe_id=probe.id,
                    kind=probe.kind,
                    targets=probe.targets,
                    question=Localized(
                        **{lang: proposal.question.strip()}
                    ),  # the model's wording for this candidate
                    reason=REASONS[probe.kind.value],  # type: ignore[arg-type]
                )
            )
        # the rubric's own policy fills in (and covers a model that proposed nothing usable)
        for f in choose_follow_ups(q, verdicts, present, asked):
            if all(f.probe_id != c.probe_id for c in chosen):
                chosen.append(f)
        return chosen

    @staticmethod
    def _fits(probe: Probe, verdicts: dict[str, Verdict], present: list[str]) -> bool:
        """The policy's conditions (engine/followup.py): probe what was missed, go deeper on
        what was covered, challenge what was stated."""
        got = [verdicts.get(t, Verdict.MISSED) for t in probe.targets]
        if probe.kind.value == "missed":
            return any(v != Verdict.COVERED for v in got)
        if probe.kind.value == "deeper":
            return any(v != Verdict.MISSED for v in got)
        return bool(present) or any(v != Verdict.MISSED for v in got)

    def _combine(
        self, samples: list[tuple[list[KeyPointResult], list[MisconceptionResult]]]
    ) -> tuple[list[KeyPointResult], list[MisconceptionResult], float | None]:
        if len(samples) == 1:
            return samples[0][0], samples[0][1], None
        order = [Verdict.MISSED, Verdict.PARTIAL, Verdict.COVERED]
        points, shares = [], []
        for i in range(len(samples[0][0])):
            votes = [s[0][i] for s in samples]
            verdict, share = _median([v.verdict for v in votes], order)
            shares.append(share)
            points.append(next(v for v in votes if v.verdict == verdict))
        misconceptions = []
        for i in range(len(samples[0][1])):
            votes = [s[1][i] for s in samples]
            present, share = _median([v.present for v in votes], [False, True])
            shares.append(share)
            misconceptions.append(next(v for v in votes if v.present == present))
        return points, misconceptions, round(sum(shares) / len(shares), 3) if shares else None

    async def agrade(
        self,
        question: Question,
        answer: str,
        *,
        hinted: Collection[str] = (),
        asked: Collection[str] = (),
        **_: Any,
    ) -> Grade:
        final = None
        async for grade in self.agrade_stream(question, answer, hinted=hinted, asked=asked):
            final = grade
        assert final is not None
        return final

    async def agrade_stream(
        self,
        question: Question,
        answer: str,
        *,
        hinted: Collection[str] = (),
        asked: Collection[str] = (),
    ) -> AsyncIterator[Grade]:
        """Partial grades (status partial) as verdicts stream in, then the final grade."""
        started = time.perf_counter()
        blocking, flags, evidence_text, lang = self._prepare(question, answer)
        if blocking:  # nothing to grade: no model call
            yield self.offline.grade(question, answer, hinted=hinted, asked=asked)
            return
        ids = [kp.id for kp in question.key_points]
        usage = Usage()
        queue: asyncio.Queue[Grade] = asyncio.Queue()
        buffer: list[str] = []
        seen = [0]

        def on_delta(text: str) -> None:
            buffer.append(text)
            partial = self._partial(question, "".join(buffer), ids, evidence_text, lang, seen)
            if partial is not None:
                queue.put_nowait(partial)

        async def one(stream_it: bool):  # type: ignore[no-untyped-def]
            build = lambda schema: grade_prompt(question, answer, lang, schema)  # noqa: E731
            return await self.ask_structured(
                build, "grade", GradeOutput, usage, on_delta if stream_it else None
            )

        async def all_samples() -> list:  # type: ignore[type-arg]
            # with --samples, one failed request does not sink the others
            return await asyncio.gather(
                one(True),
                *(one(False) for _ in range(self.samples - 1)),
                return_exceptions=self.samples > 1,
            )

        task = asyncio.create_task(all_samples())
        try:
            while not task.done():
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    yield getter.result()
                else:
                    getter.cancel()
        finally:
            if not task.done():  # cancelled by the caller: stop the request(s)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            elif not task.cancelled():
                task.exception()  # collected even when the caller stops waiting for it
        while not queue.empty():
            yield queue.get_nowait()
        answered = [r for r in task.result() if not isinstance(r, BaseException)]
        if not answered:  # every sample failed: the first error speaks for them
            raise next(r for r in task.result() if isinstance(r, BaseException))
        if failed := self.samples - len(answered):
            flags.append(f"samples_failed:{failed}")
        # a reply that parses but judges none of the key points is as unusable as garbage
        parsed = [(out, raw, p) for out, raw, p in answered if _judges(out, ids, "key_points")]
        if unusable := len(answered) - len(parsed):
            if self.samples > 1:
                flags.append(f"samples_unusable:{unusable}")
            elif answered[0][0] is not None:  # it parsed, and judged nothing
                flags.append("nothing_judged")
        prompt = answered[0][2]
        if not parsed:
            raw = answered[0][1]
            yield self._ungraded(question, None, raw, prompt, usage, started, flags, lang)
            return
        checked = []
        for out, _raw, _p in parsed:
            pts = self._check_points(out.key_points, ids, evidence_text, flags)
            mis = self._check_misconceptions(out.misconceptions, question, evidence_text, flags)
            checked.append((pts, mis))
        points, misconceptions, agreement = self._combine(checked)
        points = [p.model_copy(update={"hinted": p.id in hinted}) for p in points]
        verdicts = {p.id: p.verdict for p in points}
        present = [m.id for m in misconceptions if m.present]
        value = score(question, verdicts, present, hinted)
        out = parsed[0][0]
        flags = list(dict.fromkeys(flags))
        if self.samples > 1:
            flags.append(f"samples:{self.samples}")
        yield Grade(
            question_id=question.id,
            status=GradeStatus.GRADED,
            score=value,
            key_points=points,
            misconceptions=misconceptions,
            depth=deep_coverage(question, verdicts, hinted),
            feedback=self._feedback(question, value, out.feedback, misconceptions, lang),
            language=lang,  # type: ignore[arg-type]
            flags=flags,
            follow_ups=self._follow_ups(question, out, verdicts, present, asked, lang, flags),  # type: ignore[arg-type]
            grader=self._info(question, prompt),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            cost_usd=usage.cost,
            requests=usage.requests,
            agreement=agreement,
        )

    def _partial(
        self, q: Question, text: str, ids: list[str], answer: str, lang: str, seen: list[int]
    ) -> Grade | None:
        """A partial grade from the JSON received so far, when a new verdict has completed."""
        start = text.find("{")
        if start < 0:
            return None
        try:
            data = pydantic_core.from_json(text[start:], allow_partial=True)
        except ValueError:
            return None
        items = data.get("key_points") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return None
        done = []
        for item in items:
            try:
                done.append(PointJudgement.model_validate(item))
            except ValueError:
                break  # still arriving
        if len(done) <= seen[0]:
            return None
        seen[0] = len(done)
        flags: list[str] = ["streaming"]
        points = [
            p for p in self._check_points(done, ids, answer, flags) if "not_judged" not in p.flags
        ]
        verdicts = {p.id: p.verdict for p in points}
        return Grade(
            question_id=q.id,
            status=GradeStatus.PARTIAL,
            score=score(q, verdicts),
            key_points=points,
            language=lang,
            flags=flags,
            grader=self._info(q, None),
            created_at=self.clock(),  # type: ignore[arg-type]
        )

    async def agrade_follow_up(
        self,
        question: Question,
        probe: Probe,
        answer: str,
        *,
        asked_text: str = "",
        main_answer: str = "",
        **_: Any,
    ) -> Grade:
        started = time.perf_counter()
        blocking, flags, evidence_text, lang = self._prepare(question, answer)
        if blocking:
            return self.offline.grade_follow_up(question, probe, answer)
        usage = Usage()
        asked = asked_text or probe.question.get(lang)  # type: ignore[arg-type]

        def build(schema: dict | None) -> RenderedPrompt:
            return follow_up_prompt(question, probe, asked, main_answer, answer, lang, schema)

        out, raw, prompt = await self.ask_structured(
            build, "follow_up_grade", FollowUpOutput, usage
        )
        ids = [f"e{i}" for i in range(1, len(probe.expected_points) + 1)]
        if out is None or (ids and not _judges(out, ids, "expected_points")):
            if out is not None:
                flags.append("nothing_judged")
            return self._ungraded(question, probe, raw, prompt, usage, started, flags, lang)
        points = self._check_points(out.expected_points, ids, evidence_text, flags)  # type: ignore[attr-defined]
        misconceptions = self._check_misconceptions(
            out.misconceptions, question, evidence_text, flags
        )  # type: ignore[attr-defined]
        value = probe_score(p.verdict for p in points)
        return Grade(
            question_id=question.id,
            probe_id=probe.id,
            status=GradeStatus.GRADED,
            score=value,
            key_points=points,
            misconceptions=misconceptions,
            feedback=self._feedback(question, value, out.feedback, misconceptions, lang),
            language=lang,  # type: ignore[arg-type]
            flags=list(dict.fromkeys(flags)),
            grader=self._info(question, prompt),
            created_at=self.clock(),
            duration_ms=int((time.perf_counter() - started) * 1000),
            tokens_in=usage.tokens_in,
            tokens_out=usage.tokens_out,
            cost_usd=usage.cost,
            requests=usage.requests,
        )

    async def adebrief(self, summary: dict, lang: str) -> str:
        """A short closing debrief in words; the scores stay those computed from the grades."""
        from interviewer.llm.prompts import summary_prompt

        prompt = summary_prompt(summary, lang)
        response = await self.client.complete(
            ChatRequest(
                prompt.messages, temperature=self.spec.temperature, max_tokens=self.spec.max_tokens
            )
        )
        return response.text.strip()
