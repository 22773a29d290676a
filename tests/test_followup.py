"""The follow-up policy (engine/followup.py) and follow-up grading."""

from interviewer.bank.loader import load_bank
from interviewer.domain.rubric import Question
from interviewer.engine.followup import choose_follow_ups
from interviewer.engine.offline import OfflineGrader
from interviewer.vocab import Verdict

C, P, M = Verdict.COVERED, Verdict.PARTIAL, Verdict.MISSED


def probe(pid: str, kind: str, targets: list[str], challenges: list[str] | None = None) -> dict:
    return {
        "id": pid,
        "kind": kind,
        "question": {"en": pid},
        "targets": targets,
        "challenges": challenges or [],
    }


Q = Question.model_validate(
    {
        "id": "q",
        "number": 1,
        "title": {"en": "t"},
        "question": {"en": "q"},
        "key_points": [
            {"id": "a", "text": {"en": "a"}, "weight": 3},
            {"id": "b", "text": {"en": "b"}, "weight": 1},
            {"id": "d", "text": {"en": "d"}, "weight": 2, "depth": "deep"},
            {"id": "e", "text": {"en": "e"}, "weight": 1, "depth": "deep"},
        ],
        "misconceptions": [
            {"id": "m1", "text": {"en": "m"}, "correction": {"en": "c"}},
            {"id": "m2", "text": {"en": "m"}, "correction": {"en": "c"}},
        ],
        "probes": [
            probe("ask-b", "missed", ["b"]),
            probe("ask-a", "missed", ["a"]),
            probe("deeper-d", "deeper", ["d"]),
            probe("deeper-a", "deeper", ["a"]),
            probe("push-any", "challenge", ["a"]),
            probe("push-m2", "challenge", ["d"], ["m2"]),
        ],
    }
)


def ids(verdicts: dict, present: tuple = (), asked: tuple = ()) -> list[str]:
    return [f.probe_id for f in choose_follow_ups(Q, verdicts, present, asked)]


def test_weak_answer_probes_the_most_important_missed_point() -> None:
    # core coverage 1/4 (b only): not solid; a (weight 3) outweighs b
    assert ids({"b": C})[0] == "ask-a"


def test_solid_answer_goes_deeper_on_covered_deep_points_first() -> None:
    order = ids({"a": C, "b": C, "d": C})
    assert order[:2] == ["deeper-d", "deeper-a"]  # deep targets weigh 1.5x
    assert "ask-a" not in order and "ask-b" not in order  # nothing missed to ask about


def test_stated_misconception_is_challenged_first_preferring_the_named_probe() -> None:
    order = ids({"a": C, "b": C}, present=("m2",))
    assert order[:2] == ["push-m2", "push-any"]
    assert ids({"a": C}, present=("m1",))[0] == "push-any"


def test_asked_probes_are_not_repeated_and_reasons_are_given() -> None:
    follow = choose_follow_ups(Q, {"d": C}, asked=("ask-a",))
    assert follow[0].probe_id == "ask-b" and follow[0].reason == "missed_point"
    assert all(f.probe_id != "ask-a" for f in follow)


def test_nothing_to_act_on_gives_no_probe_of_that_kind() -> None:
    # all missed: deeper probes have nothing covered to dig into, challenges nothing to push on
    assert set(ids({})) == {"ask-a", "ask-b"}


BANK = load_bank(["builtin"])


def test_follow_up_answer_is_graded_against_expected_points() -> None:
    q = BANK.find("dropout")
    grader = OfflineGrader()
    main = grader.grade(q, "训练时随机丢弃神经元,推理时不丢弃。")
    assert main.follow_ups, "a weak answer gets a follow-up"
    chosen = next(p for p in q.probes if p.id == main.follow_ups[0].probe_id)
    good = grader.grade_follow_up(q, chosen, q.reference_answer.zh if q.reference_answer else "")
    bad = grader.grade_follow_up(q, chosen, "我觉得没什么区别,不用处理。")
    assert good.probe_id == chosen.id and good.key_points[0].id == "e1"
    assert good.score is not None and bad.score is not None and good.score > bad.score
    empty = grader.grade_follow_up(q, chosen, "不知道")
    assert empty.score == 0 and "dont_know" in empty.flags
