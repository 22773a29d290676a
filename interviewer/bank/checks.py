"""Checks on a parsed question beyond field types: structure (always), policy (--strict) and
warnings (always; they never fail a check)."""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher

from interviewer.bank.problems import Path_
from interviewer.domain.rubric import Level, Question, Signal
from interviewer.domain.text import Localized
from interviewer.engine.scoring import recitation_score
from interviewer.vocab import TAGS, Depth, ProbeKind

Finding = tuple[Path_, str]

KEY_POINTS = (5, 8)
MIN_DEEP = 2
MISCONCEPTIONS = (2, 4)
PROBES = (3, 5)
RECITATION = (3.5, 5.5)


def level_problems(levels: list[Level], path: Path_ = ("levels",)) -> list[Finding]:
    """Levels must tile [0, 10]: sorted, starting at 0, contiguous, ending at 10."""
    if not levels:
        return []
    found: list[Finding] = []
    if levels[0].min != 0:
        found.append(((*path, 0, "min"), f"the first level must start at 0, not {levels[0].min:g}"))
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if cur.min != prev.max:
            gap = "overlaps" if cur.min < prev.max else "leaves a gap after"
            found.append(
                ((*path, i, "min"), f"{cur.min:g} {gap} the previous level ending at {prev.max:g}")
            )
    if levels[-1].max != 10:
        found.append(
            (
                (*path, len(levels) - 1, "max"),
                f"the last level must end at 10, not {levels[-1].max:g}",
            )
        )
    return found


def _duplicates(ids: list[str], path: Path_, what: str) -> list[Finding]:
    counts = Counter(ids)
    return [
        ((*path, i, "id"), f"duplicate {what} id {item!r}")
        for i, item in enumerate(ids)
        if counts[item] > 1 and ids.index(item) != i
    ]


def structure_problems(q: Question) -> list[Finding]:
    found = _duplicates([kp.id for kp in q.key_points], ("key_points",), "key point")
    found += _duplicates([m.id for m in q.misconceptions], ("misconceptions",), "misconception")
    found += _duplicates([p.id for p in q.probes], ("probes",), "probe")
    key_ids = {kp.id for kp in q.key_points}
    misconception_ids = {m.id for m in q.misconceptions}
    for i, probe in enumerate(q.probes):
        for j, target in enumerate(probe.targets):
            if target not in key_ids:
                found.append((("probes", i, "targets", j), f"no key point with id {target!r}"))
        for j, mid in enumerate(probe.challenges):
            if mid not in misconception_ids:
                found.append((("probes", i, "challenges", j), f"no misconception with id {mid!r}"))
    return found + level_problems(q.levels)


def _texts(q: Question) -> Iterator[tuple[Path_, Localized | None]]:
    yield ("title",), q.title
    yield ("question",), q.question
    yield ("reference_answer",), q.reference_answer
    for i, kp in enumerate(q.key_points):
        yield ("key_points", i, "text"), kp.text
        if kp.label is not None:  # optional; when given, a model prompt in either language uses it
            yield ("key_points", i, "label"), kp.label
        yield ("key_points", i, "hint"), kp.hint
    for i, m in enumerate(q.misconceptions):
        yield ("misconceptions", i, "text"), m.text
        yield ("misconceptions", i, "correction"), m.correction
    for i, p in enumerate(q.probes):
        yield ("probes", i, "question"), p.question
        for j, e in enumerate(p.expected_points):
            yield ("probes", i, "expected_points", j, "text"), e.text
    for i, level in enumerate(q.levels):
        yield ("levels", i, "description"), level.description


def _signalled(items: list[tuple[Path_, list[Signal]]]) -> list[Finding]:
    return [((*path, "signals"), "needs at least one signal") for path, sigs in items if not sigs]


def policy_problems(q: Question) -> list[Finding]:
    """The bundled bank's policy (`bank check --strict`); a draft bank may fail these."""
    found: list[Finding] = []
    n = len(q.key_points)
    if not KEY_POINTS[0] <= n <= KEY_POINTS[1]:
        found.append(
            (("key_points",), f"has {n} key points; strict wants {KEY_POINTS[0]}-{KEY_POINTS[1]}")
        )
    deep = sum(kp.depth == Depth.DEEP for kp in q.key_points)
    if deep < MIN_DEEP:
        found.append(
            (("key_points",), f"has {deep} deep key points; strict wants at least {MIN_DEEP}")
        )
    n = len(q.misconceptions)
    if not MISCONCEPTIONS[0] <= n <= MISCONCEPTIONS[1]:
        found.append(
            (
                ("misconceptions",),
                f"has {n} misconceptions; strict wants {MISCONCEPTIONS[0]}-{MISCONCEPTIONS[1]}",
            )
        )
    n = len(q.probes)
    if not PROBES[0] <= n <= PROBES[1]:
        found.append((("probes",), f"has {n} probes; strict wants {PROBES[0]}-{PROBES[1]}"))
    kinds = {p.kind for p in q.probes}
    for kind in ProbeKind:
        if kind not in kinds:
            found.append((("probes",), f"needs a probe of kind {kind.value!r}"))
    for i, probe in enumerate(q.probes):
        if not probe.targets:
            found.append((("probes", i, "targets"), "needs at least one target key point"))
        if not probe.expected_points:
            found.append((("probes", i, "expected_points"), "needs at least one expected point"))
    for path, text in _texts(q):
        if text is None:
            found.append((path, "missing (strict wants it in zh and en)"))
        elif not text.complete():
            missing = "zh" if not text.zh.strip() else "en"
            found.append(((*path, missing), "missing (strict wants zh and en)"))
    found += _signalled([(("key_points", i), kp.signals) for i, kp in enumerate(q.key_points)])
    found += _signalled(
        [(("misconceptions", i), m.signals) for i, m in enumerate(q.misconceptions)]
    )
    found += _signalled(
        [
            (("probes", i, "expected_points", j), e.signals)
            for i, p in enumerate(q.probes)
            for j, e in enumerate(p.expected_points)
        ]
    )
    if not q.source_points and not q.source_answer:
        found.append((("source_points",), "missing: list what the source article's answer says"))
    if not q.levels:
        found.append((("levels",), "missing: strict wants levels covering 0-10"))
    for i, tag in enumerate(q.tags):
        if tag not in TAGS:
            found.append((("tags", i), f"{tag!r} is not in the tag vocabulary ({', '.join(TAGS)})"))
    if not q.tags:
        found.append((("tags",), "needs at least one tag"))
    recited = recitation_score(q)
    if not RECITATION[0] <= recited <= RECITATION[1]:
        found.append(
            (
                ("key_points",),
                f"recitation score {recited:g} is outside [{RECITATION[0]:g}, {RECITATION[1]:g}]: "
                "adjust `source` verdicts, depths or weights",
            )
        )
    return found


# -- warnings (`bank check`, both modes): things that load and grade, but deserve a look -----

NEAR_DUPLICATE = 0.85  # similarity of two questions' wording from which they are flagged


def warnings(q: Question) -> list[Finding]:
    """Review markers, points the offline grader can never credit, probes never chosen."""
    found: list[Finding] = []
    if q.draft:
        found.append(
            (("draft",), "drafted from a document, not reviewed: review it, then remove `draft`")
        )
    if q.review:
        fields = ", ".join(q.review[:4]) + (", ..." if len(q.review) > 4 else "")
        found.append(
            (("review",), f"{len(q.review)} field(s) written by a model await review: {fields}")
        )
    generated: list[tuple[Path_, str]] = [
        *((("key_points", i), "key point") for i, x in enumerate(q.key_points) if x.generated),
        *(
            (("misconceptions", i), "misconception")
            for i, x in enumerate(q.misconceptions)
            if x.generated
        ),
        *((("probes", i), "probe") for i, x in enumerate(q.probes) if x.generated),
        *((("levels", i), "level") for i, x in enumerate(q.levels) if x.generated),
    ]
    if generated:
        counts = Counter(what for _, what in generated)
        listed = ", ".join(f"{n} {what}{'s' * (n > 1)}" for what, n in counts.items())
        found.append(
            (
                (*generated[0][0], "generated"),
                f"written by a model and not reviewed: {listed} (`generated: true`)",
            )
        )
    for i, kp in enumerate(q.key_points):
        if not kp.signals:
            found.append(
                (("key_points", i, "signals"), "no signals: the offline grader never credits it")
            )
    for i, probe in enumerate(q.probes):
        linked = probe.targets or (probe.kind == ProbeKind.CHALLENGE and probe.challenges)
        if not linked:
            found.append(
                (("probes", i, "targets"), "linked to no key point: follow-ups never choose it")
            )
    return found


def _wording(q: Question) -> list[str]:
    return [squash(t) for t in (q.question.zh, q.question.en) if t.strip()]


def squash(text: str) -> str:
    """Text compared for near-duplicates: width- and case-folded, punctuation and spaces out."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def near_duplicates(questions: list[Question]) -> list[tuple[int, int, float]]:
    """(earlier, later, similarity) for pairs of questions worded almost alike."""
    texts = [_wording(q) for q in questions]
    found = []
    for j in range(len(questions)):
        for i in range(j):
            best = 0.0
            for a in texts[i]:
                for b in texts[j]:
                    matcher = SequenceMatcher(None, a, b, autojunk=False)
                    if matcher.real_quick_ratio() >= NEAR_DUPLICATE and (
                        matcher.quick_ratio() >= NEAR_DUPLICATE
                    ):
                        best = max(best, matcher.ratio())
            if best >= NEAR_DUPLICATE:
                found.append((i, j, best))
                break
    return found
