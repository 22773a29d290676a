"""`bank build`, drafting: key points, weights, signals, ids and YAML; a drafted bank loads,
interviews and grades with the offline grader and with a model grader (the stub server)."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewer.bank.loader import load_bank
from interviewer.build.draft import draft_question, question_id, signals_for, split_points
from interviewer.build.parse import ExtractedQA, parse_document
from interviewer.build.pipeline import build_bank
from interviewer.build.terms import Corpus, bank_background, select_terms
from interviewer.build.yamlout import dump_question
from interviewer.domain.rubric import Question
from interviewer.engine.events import FollowUpAsked, Graded, QuestionDone
from interviewer.engine.interview import Interview
from interviewer.engine.offline import OfflineGrader
from interviewer.engine.selection import select_questions
from interviewer.llm.grader import LLMGrader
from interviewer.llm.modes import ModeMemory
from interviewer.llm.spec import ModelSpec
from interviewer.llm.stub import Reply, StubServer
from interviewer.store.repo import Store
from interviewer.vocab import GradeStatus, Verdict
from tests.test_build_parse import ARTICLE, DATA

DOCS = sorted(DATA.iterdir())


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("banks")
    out = {}
    for doc in DOCS:
        out[doc.name] = root / doc.stem
        build_bank([doc], out[doc.name])
    return out


def test_key_points_follow_bullets_sentences_and_enumerations() -> None:
    assert split_points("减少参数、early-stop、正则化、drop-out") == [
        "减少参数",
        "early-stop",
        "正则化",
        "drop-out",
    ]
    assert split_points("优化器选择,短时间增大学习率等方法。") == [
        "优化器选择",
        "短时间增大学习率等方法",
    ]
    assert split_points(
        "蒸馏、量化、剪枝等,推荐大家看一下之前写的一篇 [量化方法有哪些?详解]。"
    ) == [
        "蒸馏",
        "量化",
        "剪枝",
    ]
    answer = (
        "Adam 为每个参数维护一阶矩和二阶矩估计。\n"
        "SGD 对所有参数使用同一个学习率:\n"
        "1) 配合动量通常泛化更好\n"
        "2.)在大模型训练中常用 AdamW\n"
        "那为什么还要用 SGD 呢?"
    )
    assert split_points(answer) == [
        "Adam 为每个参数维护一阶矩和二阶矩估计。",
        "配合动量通常泛化更好",
        "在大模型训练中常用 AdamW",
    ]
    long = "\n".join(f"- point number {i} about gradients" for i in range(12))
    assert len(split_points(long)) == 8


def test_key_points_skip_code_and_table_headers_and_fold_sub_bullets() -> None:
    code = "Subtract the max first:\n```python\nz = x - x.max()\n```\nThis avoids overflow."
    assert split_points(code) == ["Subtract the max first", "This avoids overflow."]
    assert split_points("```\nprint(1)\n```") == ["print(1)"]  # only code: that is the answer
    nested = (
        "- BatchNorm\n  - normalizes over the batch\n  - depends on batch size\n- GroupNorm\n"
        "| Layer | Axis |\n|---|---|\n| BN | batch |\n"
        "- 批归一化\n  - 沿 batch 维度\n    归一化\n- Dropout zeroes units\n  during training."
    )
    assert split_points(nested) == [
        "BatchNorm: normalizes over the batch; depends on batch size",
        "GroupNorm",
        "BN, batch",
        "批归一化：沿 batch 维度归一化",  # a wrapped line joins its bullet
        "Dropout zeroes units during training.",
    ]


def test_a_formula_is_not_split_and_a_point_without_terms_joins_its_neighbour() -> None:
    assert split_points("eps / (K - 1) on the others, which discourages overconfidence") == [
        "eps / (K - 1) on the others",
        "which discourages overconfidence",
    ]
    assert split_points("剪枝/量化/蒸馏") == ["剪枝", "量化", "蒸馏"]
    qa = ExtractedQA(
        number=1,
        title="What is label smoothing",
        question="What is label smoothing?",
        answer="It mixes the one-hot target with a uniform distribution, (K - 1) on the others.",
        lang="en",
        line=1,
    )
    corpus = Corpus([qa.answer], *bank_background())
    data = draft_question(qa, qid="x", number=1, corpus=corpus)
    assert [kp["text"]["en"] for kp in data["key_points"]] == [
        "It mixes the one-hot target with a uniform distribution; (K - 1) on the others"
    ]
    assert all(kp["signals"] for kp in data["key_points"])


def test_a_point_said_over_several_lines_is_covered_by_its_recitation() -> None:
    answer = (
        "- Xavier\n  - works with tanh\n  - works with sigmoid\n  - works with softsign\n"
        "- Kaiming is meant for ReLU networks"
    )
    qa = ExtractedQA(
        number=1, title="Which init", question="Which init?", answer=answer, lang="en", line=1
    )
    data = draft_question(qa, qid="x", number=1, corpus=Corpus([answer], *bank_background()))
    folded, plain = data["key_points"]
    assert (
        folded["text"]["en"] == "Xavier: works with tanh; works with sigmoid; works with softsign"
    )
    assert folded["signals"][0]["scope"] == "answer"  # no line says half of its terms
    assert plain["signals"][0]["scope"] == "sentence"
    q = Question.model_validate(data)
    assert OfflineGrader().grade(q, answer).score == 10


def test_ids_are_stable_slugs() -> None:
    assert question_id("Why do we use dropout") == "why-do-we-use-dropout"
    zh = question_id("请具体介绍一下L1、L2正则化")
    assert zh.startswith("l1-l2-") and zh == question_id("请具体介绍一下 L1、L2 正则化")
    assert question_id("过拟合怎么解决").startswith("q-")
    assert question_id("过拟合怎么解决") != question_id("梯度爆炸怎么解决")


def test_signals_ask_for_a_share_of_specific_terms() -> None:
    point, other = "训练时随机丢弃一部分神经元,防止过拟合", "推理时使用全部神经元"
    corpus = Corpus([point, other], *bank_background())
    terms = select_terms(point, [other], "Dropout 有什么作用", corpus)
    texts = [t.text for t in terms]
    assert {"随机", "丢弃", "过拟合"} <= set(texts)  # 过拟 + 拟合 joined again
    assert not any(junk in texts for junk in ("时随", "机丢", "弃一", "一部", "止过"))
    assert "神经" not in texts  # the other point says it too
    signals = signals_for(terms)
    assert signals[0]["scope"] == "sentence" and signals[0]["min"] == (len(terms) + 1) // 2
    assert "strength" not in signals[0]  # the first signal is the full one
    en = select_terms(
        "Early stopping keeps the best checkpoint", [], "What is early stopping?", corpus
    )
    assert {"best", "checkpoint"} <= {t.text for t in en}
    assert signals_for([]) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_synthetic_document_drafts_a_valid_bank(doc: Path, banks: dict[str, Path]) -> None:
    bank = load_bank([banks[doc.name]])
    assert bank.problems == []
    parsed = parse_document(doc.read_text(encoding="utf-8"))
    assert [q.number for q in bank.questions] == [q.number for q in parsed.questions]
    for q, qa in zip(bank.questions, parsed.questions, strict=True):
        assert q.draft and q.source_answer == qa.answer
        assert q.title.get(qa.lang) == qa.title
        assert all(kp.signals and kp.source == Verdict.COVERED for kp in q.key_points)
        # nothing invented: no probes, misconceptions, deep points, levels or translations
        assert q.probes == [] and q.misconceptions == [] and q.levels == []
        assert all(kp.depth.value == "core" and not kp.text.complete() for kp in q.key_points)
        assert q.reference_answer is None and q.tags == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_reciting_the_documents_answer_covers_every_point(
    doc: Path, banks: dict[str, Path]
) -> None:
    grader = OfflineGrader()
    for q in load_bank([banks[doc.name]]).questions:
        grade = grader.grade(q, q.source_answer or "")
        assert grade.score == 10, (q.id, grade.score, grade.flags)
        assert all(kp.verdict == Verdict.COVERED for kp in grade.key_points), q.id


def test_reciting_a_bare_list_of_terms_is_capped_by_the_offline_grader(tmp_path: Path) -> None:
    # the documented exception: the grader reads "1、阶梯衰减。2、余弦退火。..." as a keyword
    # list, and a point only named earns partial credit (interviewer/engine, not the draft)
    doc = tmp_path / "lr.txt"
    doc.write_text(
        "1、学习率调整策略有哪些？\n常见的有：\n1、阶梯衰减。\n2、余弦退火。\n3、warmup 后线性衰减。\n"
        "余弦退火最常用。\n\n2、权重如何初始化？\ntanh 用 Xavier，ReLU 用 He 初始化。\n",
        encoding="utf-8",
    )
    build_bank([doc], tmp_path / "b")
    q = load_bank([tmp_path / "b"]).find("1")
    grade = OfflineGrader().grade(q, q.source_answer or "")
    assert "keyword_list" in grade.flags and grade.score == 5.0
    assert {kp.verdict for kp in grade.key_points} == {Verdict.PARTIAL}


def test_paraphrases_earn_partial_credit_and_off_topic_nothing(banks: dict[str, Path]) -> None:
    grader = OfflineGrader()
    zh = load_bank([banks["headings-zh.md"]]).find("1")
    para = grader.grade(zh, "刚开始训练的时候学习率先从很小的值慢慢增加到目标值,避免不稳定。")
    assert 3 <= (para.score or 0) <= 10
    off = grader.grade(zh, "我喜欢在周末去公园散步,看看风景。")
    assert off.score == 0
    en = load_bank([banks["qa-en.txt"]]).find("2")
    para = grader.grade(
        en,
        "Accuracy misleads on imbalanced classes: always predicting the majority class scores high.",
    )
    assert (para.score or 0) >= 5
    assert (grader.grade(en, "Cats are lovely animals that sleep a lot.").score or 0) == 0


def test_emphasis_weighs_double_and_yaml_is_readable(banks: dict[str, Path]) -> None:
    q = load_bank([banks["headings-zh.md"]]).find("3")
    assert [kp.weight for kp in q.key_points] == [2.0, 1.0]
    text = next(banks["headings-zh.md"].glob("03-*.yaml")).read_text(encoding="utf-8")
    assert text.startswith("# Drafted by `interviewer bank build` from headings-zh.md, line 14")
    assert "title: {zh: 混合精度训练有什么好处}" in text and "draft: true" in text
    assert "source_answer:" in text and "- {all: [[" in text


def test_yaml_writer_quotes_what_yaml_would_misread() -> None:
    data = {
        "id": "q-x",
        "number": 1,
        "title": {"en": "no"},
        "question": {"en": "on: off?"},
        "source_answer": "yes\nno: 1:1",
        "key_points": [
            {
                "id": "p1",
                "text": {"en": "1:1"},
                "signals": [{"all": [["no"], ["0.01"]], "scope": "sentence"}],
            }
        ],
    }
    import yaml

    assert Question.model_validate(
        yaml.safe_load(dump_question(data, "a\nb"))
    ) == Question.model_validate(data)


def test_a_drafted_bank_interviews_with_the_offline_grader(
    banks: dict[str, Path], tmp_path: Path
) -> None:
    bank = load_bank([banks["list-zh.txt"]])
    store = Store(tmp_path / "t.sqlite3")
    iv = Interview.start(
        store,
        bank,
        OfflineGrader(),
        select_questions(bank, refs="1,2"),
        language="zh",
        follow_up_depth=2,
    )
    iv.ask()
    assert iv.hint() is None  # a draft has no hints

    async def collect(events):  # type: ignore[no-untyped-def]
        return [e async for e in events]

    events = asyncio.run(collect(iv.submit(bank.find("1").source_answer or "")))
    graded = next(e for e in events if isinstance(e, Graded))
    assert graded.grade.score == 10.0
    assert not any(isinstance(e, FollowUpAsked) for e in events)  # no probes: no follow-up
    done = next(e for e in events if isinstance(e, QuestionDone))
    assert done.reason == "sufficient"
    # no reference answer in a draft: the document's own answer stands in for it
    assert iv.reveal() == (bank.find("1").source_answer or "").strip() != ""
    (asked,) = iv.next()
    assert asked.question.id == bank.find("2").id  # type: ignore[attr-defined]


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def test_a_drafted_bank_grades_with_a_model_grader(
    banks: dict[str, Path], stub: StubServer, tmp_path: Path
) -> None:
    q = load_bank([banks["qa-en.txt"]]).find("2")
    answer = (
        "When classes are imbalanced, always predicting the majority class gives high accuracy."
    )
    reply = {
        "key_points": [
            {
                "id": q.key_points[0].id,
                "reasoning": "r",
                "quote": answer[:-1],
                "verdict": "covered",
            },
            *(
                {"id": kp.id, "reasoning": "", "quote": "", "verdict": "missed"}
                for kp in q.key_points[1:]
            ),
        ],
        "misconceptions": [],
        "feedback": "Good start.",
        "follow_ups": [],
    }
    stub.script(Reply(json.dumps(reply)))
    spec = ModelSpec(name="stub", model="openai/stub-model", api_base=stub.base_url, max_retries=0)
    grader = LLMGrader(spec, memory=ModeMemory(tmp_path / "modes.json"), stream=False)
    grade = asyncio.run(grader.agrade(q, answer))
    assert grade.status == GradeStatus.GRADED and grade.grader.kind == "llm"
    assert grade.key_points[0].verdict == Verdict.COVERED
    assert 0 < (grade.score or 0) < 10
    prompt = stub.requests[-1]["json"]["messages"][1]["content"]
    assert q.key_points[0].text.en in prompt


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the source article (../shared/source) is absent")
def test_the_article_drafts_fifteen_questions_that_grade_their_recitation(tmp_path: Path) -> None:
    build_bank([ARTICLE], tmp_path / "bank")
    bank = load_bank([tmp_path / "bank"])
    assert bank.problems == [] and [q.number for q in bank.questions] == list(range(1, 16))
    grader = OfflineGrader()
    for q in bank.questions:
        assert (grader.grade(q, q.source_answer or "").score or 0) >= 8, q.id
    q14 = bank.find("14")
    assert [kp.text.zh for kp in q14.key_points] == ["大模型面经——大模型中用到的归一化方法总结"]
