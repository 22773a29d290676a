"""`regrade`, `compare` and `eval`: grades kept with provenance, resumable runs, a shared
rate limiter, agreement figures checked against scipy / scikit-learn."""

import asyncio
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from interviewer import agreement as ag
from interviewer.bank.loader import load_bank
from interviewer.domain.session import Turn
from interviewer.engine.offline import OFFLINE_MODEL, OfflineGrader
from interviewer.llm.grader import LLMGrader
from interviewer.llm.modes import ModeMemory
from interviewer.llm.ratelimit import RateGate
from interviewer.llm.spec import ModelSpec
from interviewer.llm.stub import Reply, StubServer
from interviewer.regrade import already_done, jobs_for, regrade
from interviewer.store.repo import Store
from interviewer.vocab import TurnStatus
from tests.conftest import Result

Cli = Callable[..., Result]
BANK = load_bank(["builtin"])
DROPOUT = BANK.find("dropout")
ANSWERS = {
    "dropout": "训练时随机丢弃一部分神经元,相当于很多子网络的集成,可以防止过拟合;推理时不丢弃。",
    "l1-l2-regularization": "L1 makes many weights exactly zero, so it gives sparse models; L2 shrinks weights smoothly.",
    "warmup": "Warmup starts with a small learning rate and raises it over the first steps to keep early training stable.",
}
_IDS = re.compile(r"^- ([a-z0-9-]+|e\d+)(?: \[(?:core|deep)|:)", re.M)
_ANSWER = re.compile(r"<<<(ANSWER-[0-9a-f]+)\n(.*)\n\1>>>", re.S)


def judge(body: dict) -> Reply:
    """A stub model that covers the first two points, quoting the whole answer."""
    prompt = body["messages"][-1]["content"]
    answer = _ANSWER.search(prompt).group(2)  # type: ignore[union-attr]
    section = prompt.split("# Misconceptions")[0]
    ids = _IDS.findall(section)
    key = "expected_points" if ids and ids[0].startswith("e") else "key_points"
    points = [
        {
            "id": pid,
            "reasoning": "r",
            "quote": answer if i < 2 else "",
            "verdict": "covered" if i < 2 else "missed",
        }
        for i, pid in enumerate(ids)
    ]
    return Reply(json.dumps({key: points, "feedback": "stub"}, ensure_ascii=False))


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer(default=judge) as server:
        yield server


def llm(stub: StubServer, tmp_path: Path, **spec: object) -> LLMGrader:
    options = {"max_retries": 0} | spec
    model = ModelSpec(name="stub", model="openai/stub-model", api_base=stub.base_url, **options)  # type: ignore[arg-type]
    return LLMGrader(model, memory=ModeMemory(tmp_path / "modes.json"), stream=False)


def stored_sessions(store: Store, count: int = 2, follow_up: bool = True) -> list[str]:
    """Sessions graded offline: one main answer per question, and a follow-up on dropout."""
    offline = OfflineGrader()
    ids = []
    for _ in range(count):
        session = store.create_session(mode="interview", grader="offline", banks=["builtin"])
        for qid, answer in ANSWERS.items():
            question = BANK.find(qid)
            turn = store.add_turn(session.id, question_id=qid, prompt=question.question.en)
            store.submit_answer(turn.id, answer)
            store.add_grade(turn.id, offline.grade(question, answer), TurnStatus.GRADED)
            if follow_up and qid == "dropout":
                probe = DROPOUT.probes[0]
                fu = store.add_turn(
                    session.id,
                    question_id=qid,
                    prompt=probe.question.zh,
                    kind="follow_up",
                    parent_id=turn.id,
                    probe_id=probe.id,
                )
                store.submit_answer(fu.id, "训练时按 1/(1-p) 放大保留的激活,推理时不用再缩放。")
                store.add_grade(
                    fu.id,
                    offline.grade_follow_up(DROPOUT, probe, "训练时按 1/(1-p) 放大保留的激活"),
                    TurnStatus.GRADED,
                )
        ids.append(session.id)
    return ids


def all_turns(store: Store, ids: list[str]) -> list[Turn]:
    return [t for sid in ids for t in store.turns(sid)]


# -- agreement statistics, checked against the maintained libraries ---------------------------


def test_statistics_match_scipy_and_sklearn() -> None:
    stats = pytest.importorskip("scipy.stats")
    metrics = pytest.importorskip("sklearn.metrics")
    x = [1.0, 2.5, 2.5, 4.0, 7.5, 8.0, 9.5, 3.0, 6.0, 6.0]
    y = [0.5, 3.0, 2.0, 5.0, 7.0, 9.0, 9.0, 2.0, 6.5, 4.0]
    assert ag.pearson(x, y) == pytest.approx(stats.pearsonr(x, y)[0])
    assert ag.spearman(x, y) == pytest.approx(stats.spearmanr(x, y)[0])
    assert ag.ranks(x) == list(stats.rankdata(x))
    xi, yi = [round(v) for v in x], [round(v) for v in y]
    expected = metrics.cohen_kappa_score(xi, yi, weights="quadratic", labels=list(range(11)))
    assert ag.qwk(xi, yi) == pytest.approx(expected)
    assert ag.mae(x, y) == pytest.approx(metrics.mean_absolute_error(x, y))


def test_statistics_are_none_when_undefined() -> None:
    assert ag.pearson([1.0], [2.0]) is None and ag.pearson([1, 1, 1], [1, 2, 3]) is None
    assert ag.qwk([], []) is None and ag.mae([], []) is None
    assert ag.confusion([0.0, 9.0, 9.0], [2.9, 8.5, 3.0])[0][0] == 1
    assert ag.confusion([0.0, 9.0, 9.0], [2.9, 8.5, 3.0])[4] == [0, 1, 0, 0, 1]


# -- regrade ------------------------------------------------------------------------------------


def test_regrade_keeps_every_grade_with_provenance(stub: StubServer, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store)
        jobs, notes = jobs_for(store, BANK, ids)
        assert len(jobs) == 8 and notes == []  # 3 main + 1 follow-up, twice
        grader = llm(stub, tmp_path)
        summary = asyncio.run(regrade(store, grader, jobs, concurrency=4))
        assert (summary.graded, summary.skipped, summary.failed) == (8, 0, 0)
        assert summary.tokens_in > 0
        for turn in all_turns(store, ids):
            assert [g.grader.model for g in turn.grades] == [OFFLINE_MODEL, "openai/stub-model"]
            new = turn.grades[-1].grader
            expected = (
                "grade-system/3+follow-up/1"
                if turn.kind == "follow_up"
                else "grade-system/3+grade/2"
            )
            assert (
                new.prompt_version == expected
                and new.rubric_hash == turn.grades[0].grader.rubric_hash
            )
            assert turn.status == TurnStatus.GRADED
        prompts = [r["json"]["messages"][-1]["content"] for r in stub.requests]
        follow_up_prompts = [p for p in prompts if "放大保留的激活" in p]
        assert len(follow_up_prompts) == 2
        assert ANSWERS["dropout"] in follow_up_prompts[0]  # graded with the main answer in view


def test_rerun_skips_what_this_grader_identity_did_and_force_redoes_it(
    stub: StubServer, tmp_path: Path
) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=1)
        grader = llm(stub, tmp_path)
        asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0]))
        sent = len(stub.requests)
        again = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0]))
        assert (again.graded, again.skipped) == (0, 4) and len(stub.requests) == sent
        # the offline grader's own identity was there from the start
        offline = asyncio.run(regrade(store, OfflineGrader(), jobs_for(store, BANK, ids)[0]))
        assert offline.skipped == 4
        forced = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0], force=True))
        assert forced.graded == 4 and all(len(t.grades) == 3 for t in all_turns(store, ids))


def test_an_interrupted_run_continues_where_it_stopped(stub: StubServer, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=1, follow_up=False)
        stub.script(
            Reply(
                json.dumps(
                    {
                        "key_points": [
                            {"id": kp.id, "verdict": "missed"} for kp in DROPOUT.key_points
                        ]
                    }
                )
            ),
            Reply.server_error(status=500),
            Reply.server_error(status=500),
        )
        grader = llm(stub, tmp_path)
        first = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0], concurrency=1))
        assert (first.graded, first.failed) == (1, 2) and len(first.errors) == 2
        assert "server error (500)" in first.errors[0]
        second = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0], concurrency=1))
        assert (second.graded, second.skipped, second.failed) == (2, 1, 0)
        assert all(len(t.grades) == 2 for t in all_turns(store, ids))  # no duplicates


def test_an_unusable_reply_is_kept_but_never_downgrades_a_graded_turn(
    stub: StubServer, tmp_path: Path
) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=1, follow_up=False)
        stub.script(*[Reply("no json here")] * 6)
        summary = asyncio.run(regrade(store, llm(stub, tmp_path), jobs_for(store, BANK, ids)[0]))
        assert summary.ungraded == 3
        for turn in all_turns(store, ids):
            assert turn.status == TurnStatus.GRADED and turn.grades[-1].status == "ungraded"
            assert turn.grade is turn.grades[0] or turn.grade == turn.grades[0]


def test_an_unreachable_model_stops_the_run(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=2)
        spec = ModelSpec(
            name="gone", model="openai/x", api_base="http://127.0.0.1:9/v1", max_retries=0
        )
        grader = LLMGrader(spec, memory=ModeMemory(tmp_path / "m.json"), stream=False)
        summary = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0], concurrency=1))
        assert summary.stopped and "cannot connect" in summary.stopped
        assert summary.failed == 1 and summary.graded == 0


def test_screened_out_answers_count_as_done_for_a_model_grader(
    tmp_path: Path, stub: StubServer
) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        session = store.create_session(mode="interview", grader="offline", banks=["builtin"])
        turn = store.add_turn(session.id, question_id="dropout", prompt="q")
        store.submit_answer(turn.id, "不知道")
        store.add_grade(turn.id, OfflineGrader().grade(DROPOUT, "不知道"), TurnStatus.GRADED)
        [job] = jobs_for(store, BANK, [session.id])[0]
        assert already_done(llm(stub, tmp_path), job)  # the model would not be asked anyway


def test_a_429_pauses_every_worker(tmp_path: Path) -> None:
    started: list[float] = []

    def timed(body: dict) -> Reply:
        started.append(time.monotonic())
        # slower than the 429, so the gate is shut before the requests in flight beside it end
        return replace(judge(body), delay=0.2)

    with StubServer(default=timed) as stub, Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=2, follow_up=False)
        limited = Reply("slow down", status=429, headers={"Retry-After": "0.6"}, fault="http_error")
        stub.script(limited)
        grader = llm(stub, tmp_path, max_retries=2)
        t0 = time.monotonic()
        summary = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0], concurrency=3))
        assert summary.graded == 6 and summary.failed == 0 and summary.rate_limit_pauses == 1
        # only the two requests already in flight with the 429 ran before the pause ended
        assert len(started) == 6 and sum(t < t0 + 0.6 for t in started) <= 2


def test_rate_gate_waits_out_the_longest_pause() -> None:
    now = [100.0]
    gate = RateGate(clock=lambda: now[0])
    gate.pause(2.0)
    gate.pause(0.5)  # a shorter pause does not shorten the first
    assert gate.wait_left == 2.0 and gate.pauses == 2
    now[0] += 2.0
    assert gate.wait_left == 0


# -- the commands -------------------------------------------------------------------------------


def _home_sessions(isolated_home: Path, count: int = 2) -> list[str]:
    with Store() as store:
        return stored_sessions(store, count=count)


def test_regrade_and_compare_commands(cli: Cli, stub: StubServer, isolated_home: Path) -> None:
    ids = _home_sessions(isolated_home)
    r = cli(
        "regrade", "--all", "--grader", "openai/stub-model", "--api-base", stub.base_url, "--json"
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert (data["graded"], data["skipped"], data["sessions"], data["turns"]) == (8, 0, 2, 8)
    r = cli("regrade", ids[0][:8], "--grader", "openai/stub-model", "--api-base", stub.base_url)
    assert r.code == 0 and "0 graded" in r.out and "4 skipped" in r.out
    r = cli("compare", "--graders", "offline,openai/stub-model", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["n"] == 8 and data["unpaired"] == 0
    assert {"pearson", "spearman", "mae", "verdict_agreement"} <= set(data)
    assert 0 <= data["verdict_agreement"] <= 1 and data["mae"] >= 0
    differing = [t for t in data["turns"] if t["differences"]]
    assert differing and {"id", "a", "b"} == set(differing[0]["differences"][0])
    r = cli("compare", ids[1], "--graders", "offline,openai/stub-model")
    assert r.code == 0 and "exact verdict agreement" in r.out and "->" in r.out
    assert "4 answers graded by both" in r.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("regrade", "--grader", "offline"), "name sessions, or use --all"),
        (("regrade", "--all"), "--grader G is required"),
        (("regrade", "nope", "--grader", "offline"), "no session"),
        (
            ("regrade", "--all", "--since", "yesterday", "--grader", "offline"),
            "--since 'yesterday'",
        ),
        (("compare", "--graders", "offline"), "give two different graders"),
    ],
)
def test_bad_arguments_are_one_line_errors(cli: Cli, args: tuple[str, ...], message: str) -> None:
    r = cli(*args)
    assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1


def test_compare_with_nothing_in_common_says_what_to_do(cli: Cli, isolated_home: Path) -> None:
    _home_sessions(isolated_home, count=1)
    r = cli("compare", "--graders", "offline,openai/other")
    assert r.code == 0 and "interviewer regrade" in r.out


# -- eval ---------------------------------------------------------------------------------------


def test_eval_on_the_bank_gold_set_with_the_offline_grader(cli: Cli) -> None:
    r = cli("eval", "--grader", "offline", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert {"n", "pearson", "spearman", "qwk", "mae", "within_band", "consistency"} <= set(data)
    assert data["n"] == 210 and data["pearson"] > 0.9 and data["within_band"] > 0.9
    assert data["consistency"] is None  # one grade per answer
    assert sum(map(sum, data["confusion"])) == 210
    r = cli("eval", "--grader", "offline")
    assert "QWK" in r.out and "largest disagreements" in r.out and "8.5-10" in r.out


def _gold(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_eval_with_the_stub_model_repeat_and_reference_rows(
    cli: Cli, stub: StubServer, tmp_path: Path
) -> None:
    rows = [
        {
            "id": "a",
            "question_id": "dropout",
            "answer": ANSWERS["dropout"],
            "expert_score": 6,
            "score_band": [4, 8],
        },
        {"id": "b", "question_id": "warmup", "answer": ANSWERS["warmup"], "expert_score": 5},
        {
            "id": "c",
            "question": "What is a stack?",
            "reference_answer": "A last-in first-out data structure with push and pop.",
            "answer": "A LIFO structure: push adds on top and pop removes from the top.",
            "expert_score": 9,
        },
    ]
    path = _gold(tmp_path, rows)
    r = cli(
        "eval",
        str(path),
        "--grader",
        "openai/stub-model",
        "--api-base",
        stub.base_url,
        "--repeat",
        "2",
        "--json",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert (
        data["n"] == 3 and data["repeat"] == 2 and data["consistency"] == 0.0
    )  # a deterministic stub
    assert len([x for x in stub.requests if x["path"].endswith("/chat/completions")]) == 6
    # the same grades, worked out here: the band share and MAE follow from them
    grader = llm(stub, Path(path).parent)
    first = asyncio.run(grader.agrade(DROPOUT, ANSWERS["dropout"])).score
    assert first is not None and data["within_band"] == (1.0 if 4 <= first <= 8 else 0.0)
    assert data["worst"][0]["difference"] != 0 or data["mae"] == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            {"id": "a", "question_id": "dropout", "answer": "x"},
            "gold.jsonl:1: expert_score: Field required",
        ),
        (
            {"id": "a", "answer": "x", "expert_score": 3},
            "needs question_id, or question and reference_answer",
        ),
        ({"id": "a", "question_id": "dropout", "answer": "x", "expert_score": 11}, "expert_score"),
        (
            {"id": "a", "question_id": "nope", "answer": "x", "expert_score": 3},
            "'nope' is not in the bank",
        ),
    ],
)
def test_bad_gold_lines_name_the_file_line_and_field(
    cli: Cli, tmp_path: Path, line: dict, message: str
) -> None:
    r = cli("eval", str(_gold(tmp_path, [line])), "--grader", "offline")
    assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1


def test_eval_missing_file(cli: Cli, tmp_path: Path) -> None:
    r = cli("eval", str(tmp_path / "none.jsonl"), "--grader", "offline")
    assert r.code == 2 and "none.jsonl: no such file" in r.err


def test_eval_runs_the_bank_gold_set_through_the_stub_model(
    cli: Cli, stub: StubServer, tmp_path: Path
) -> None:
    r = cli(
        "eval",
        "--grader",
        "openai/stub-model",
        "--api-base",
        stub.base_url,
        "--json",
        "--concurrency",
        "8",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["n"] == 210 and data["not_graded"] == 0 and data["grader"] == "openai/stub-model"
    assert -1 <= data["pearson"] <= 1 and 0 <= data["within_band"] <= 1
    # every answer the guards do not settle is sent once; the others never reach the model
    from interviewer.evaluate import builtin_gold, load_rows

    grader = llm(stub, tmp_path)
    rows = load_rows(builtin_gold())
    sent = sum(not grader.screens_out(BANK.find(r.question_id or ""), r.answer) for r in rows)
    assert len(stub.requests) == sent and 150 < sent < 210


def test_regrade_since_a_day(cli: Cli, isolated_home: Path) -> None:
    _home_sessions(isolated_home, count=1)
    r = cli("regrade", "--since", "2999-01-01", "--grader", "offline")
    assert r.code == 0 and "nothing to regrade" in r.out
    r = cli("regrade", "--since", "2000-01-01", "--grader", "offline", "--json")
    assert r.code == 0 and json.loads(r.out)["skipped"] == 4  # offline graded them already


def test_regrade_moves_the_schedule_only_with_reschedule(cli: Cli, isolated_home: Path) -> None:
    from tests.practice_fakes import Clock, practise

    with Store() as store:
        session_id = practise(store, Clock(), "3", 9.0).session.id  # scheduled: Easy

    def reviews() -> int:
        with Store() as store:
            return store.conn.execute("SELECT COUNT(*) FROM practice_reviews").fetchone()[0]

    before = reviews()
    assert before >= 1
    r = cli("regrade", session_id, "--grader", "offline", "--json")
    assert r.code == 0 and json.loads(r.out)["rescheduled"] == 0 and reviews() == before
    r = cli("regrade", session_id, "--grader", "offline", "--force", "--reschedule", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["rescheduled"] >= 1 and reviews() > before


def test_a_rerun_retries_what_came_back_ungraded(stub: StubServer, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=1, follow_up=False)
        stub.script(*[Reply("no json here")] * 6)
        grader = llm(stub, tmp_path)
        assert asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0])).ungraded == 3
        again = asyncio.run(regrade(store, grader, jobs_for(store, BANK, ids)[0]))
        assert (again.graded, again.skipped) == (3, 0)


def test_a_session_named_twice_is_regraded_once(cli: Cli, isolated_home: Path) -> None:
    (sid,) = _home_sessions(isolated_home, count=1)
    r = cli("regrade", sid, sid[:6], "--grader", "offline", "--force", "--json")
    assert r.code == 0 and json.loads(r.out)["sessions"] == 1 and json.loads(r.out)["graded"] == 4
    r = cli("compare", sid, sid[:6], "--graders", "offline,openai/x", "--json")
    assert json.loads(r.out)["unpaired"] == 4  # each turn counted once


def test_an_early_stop_is_reported_once(cli: Cli, isolated_home: Path) -> None:
    _home_sessions(isolated_home, count=2)
    r = cli(
        "regrade",
        "--all",
        "--grader",
        "openai/x",
        "--api-base",
        "http://127.0.0.1:9/v1",
        "--concurrency",
        "4",
    )
    assert r.code == 3
    assert r.err.count("cannot connect") == 1 and "stopped early" in r.err
    assert "not attempted" in r.out


def test_eval_stops_on_an_unreachable_model_and_flags_failed_requests(
    cli: Cli, stub: StubServer, tmp_path: Path
) -> None:
    rows = [
        {"id": str(i), "question_id": "warmup", "answer": ANSWERS["warmup"], "expert_score": 5}
        for i in range(3)
    ]
    path = _gold(tmp_path, rows)
    r = cli("eval", str(path), "--grader", "openai/x", "--api-base", "http://127.0.0.1:9/v1")
    assert r.code == 3 and "cannot connect" in r.err and len(r.err.strip().splitlines()) == 1
    stub.script(*[Reply.server_error(status=500)] * 3)  # the first and its two retries
    r = cli(
        "eval",
        str(path),
        "--grader",
        "openai/stub-model",
        "--api-base",
        stub.base_url,
        "--json",
        "--concurrency",
        "1",
    )
    assert r.code == 1 and "1 grading requests failed" in r.err
    data = json.loads(r.out)
    assert data["n"] == 2 and data["not_graded"] == 1 and data["failed_requests"] == 1


def test_reschedule_schedules_an_answer_first_graded_by_the_regrade(
    cli: Cli, isolated_home: Path
) -> None:
    from tests.practice_fakes import Clock, practise

    with Store() as store:
        iv = practise(store, Clock(), "3", 9.0)
        # as if the model had been down: the answer kept, its grade unusable, nothing scheduled
        store.conn.execute("DELETE FROM practice_reviews")
        store.conn.execute("DELETE FROM practice_cards")
        store.conn.commit()
        session_id = iv.session.id
    r = cli("regrade", session_id, "--grader", "offline", "--reschedule", "--json")
    assert r.code == 0 and json.loads(r.out)["rescheduled"] == 1
    r = cli("stats", "--json")
    dropout = next(q for q in json.loads(r.out)["questions"] if q["question_id"] == "dropout")
    assert dropout["next_review"] is not None


def test_compare_leaves_out_skipped_turns(cli: Cli, isolated_home: Path) -> None:
    with Store() as store:
        (sid,) = stored_sessions(store, count=1, follow_up=False)
        skipped = store.add_turn(sid, question_id="warmup", prompt="q")
        store.update_turn(skipped.id, skipped=True)
        store.add_grade(
            skipped.id, OfflineGrader().grade(BANK.find("warmup"), ""), TurnStatus.GRADED
        )
    r = cli("compare", "--graders", "offline,openai/x", "--json")
    assert json.loads(r.out)["unpaired"] == 3  # the three answers, not the skipped turn


def test_an_ungraded_regrade_keeps_the_session_average(stub: StubServer, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored_sessions(store, count=1, follow_up=False)
        before = store.list_sessions()[0]["average"]
        stub.script(*[Reply("no json here")] * 6)
        asyncio.run(regrade(store, llm(stub, tmp_path), jobs_for(store, BANK, ids)[0]))
        assert before is not None and store.list_sessions()[0]["average"] == before


def test_eval_reports_a_bad_row_in_one_line_not_an_exception_group(
    cli: Cli, tmp_path: Path
) -> None:
    rows = [{"id": "long", "question_id": "dropout", "answer": "x " * 11_000, "expert_score": 1}]
    r = cli("eval", str(_gold(tmp_path, rows)), "--grader", "offline")
    assert r.code == 2 and "20,000" in r.err and "ExceptionGroup" not in r.err
