"""`interviewer bank build` end to end: the summary, re-building (human edits kept,
--overwrite), bad input (one line, nothing written), completion by a model through the stub
server (marked for review, validated, failures keep the draft), and `bank check` warnings."""

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from interviewer.bank.loader import load_bank
from interviewer.llm.stub import Reply, StubServer
from tests.conftest import Result, bundled_dict, write_yaml
from tests.test_build_parse import ARTICLE, ARTICLE_TITLES, DATA

Cli = Callable[..., Result]


def files(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.yaml"))


def test_build_prints_a_summary_and_writes_a_bank(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "bank"
    r = cli("bank", "build", str(DATA / "qa-zh.txt"), "--out", str(out))
    assert r.code == 0, r.err
    assert "qa-zh.txt: 2 questions (qa layout)" in r.out
    assert "2 added, 0 rewritten, 0 kept, 0 skipped" in r.out
    assert "`bank check --strict` still lists: both languages (2)" in r.out
    assert "misconceptions (2)" in r.out and "probes (2)" in r.out
    assert len(files(out)) == 2 and all(name.startswith(("01-q-", "02-q-")) for name in files(out))
    check = cli("bank", "check", str(out))
    assert check.code == 0 and "ok: 2 questions" in check.out and "2 warnings" in check.out
    assert "draft: warning: drafted from a document" in check.out
    strict = cli("bank", "check", str(out), "--strict")
    assert strict.code == 1 and "needs a probe of kind 'missed'" in strict.out
    grade = cli(
        "grade", "1", "--bank", str(out), "--answer", "预测为正的样本中真正为正的比例。", "--json"
    )
    assert grade.code == 0 and json.loads(grade.out)["score"] == 10.0


def test_json_report(cli: Cli, tmp_path: Path) -> None:
    r = cli("bank", "build", str(DATA / "list-en.md"), "--out", str(tmp_path / "b"), "--json")
    report = json.loads(r.out)
    assert report["documents"][0]["format"] == "list" and report["documents"][0]["questions"] == 4
    assert [a.split(":")[1].strip() for a in report["added"]][2] == "How does weight decay work"
    assert report["kept"] == [] and report["failed"] == [] and report["strict"]["levels"] == 4


def test_documents_are_numbered_in_order(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-en.txt"), str(DATA / "qa-zh.txt"), "--out", str(out))
    assert r.code == 0, r.err
    bank = load_bank([out])
    assert [q.number for q in bank.questions] == [1, 2, 3, 4, 5]
    assert bank.find("4").title.zh == "什么是精确率"


def test_rebuilding_keeps_human_edits_and_adds_new_questions(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "b"
    doc = tmp_path / "notes.txt"
    doc.write_text((DATA / "qa-en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("bank", "build", str(doc), "--out", str(out)).code == 0
    first = next(out.glob("01-*.yaml"))
    edited = first.read_text(encoding="utf-8").replace("draft: true\n", "tags: [data]\n")
    first.write_text(edited, encoding="utf-8")
    # a new question at the top of the document: it takes the next free number
    doc.write_text(
        "Q: What is a baseline?\nA: The simplest model worth beating, measured first.\n\n"
        + doc.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    r = cli("bank", "build", str(doc), "--out", str(out))
    assert r.code == 0, r.err
    assert "1 added, 0 rewritten, 3 kept" in r.out
    assert first.read_text(encoding="utf-8") == edited
    bank = load_bank([out])
    assert bank.problems == [] and bank.find("4").title.en == "What is a baseline"
    r = cli("bank", "build", str(doc), "--out", str(out), "--overwrite")
    assert "0 added, 4 rewritten, 0 kept" in r.out
    assert "draft: true" in first.read_text(encoding="utf-8")
    assert sorted(q.number for q in load_bank([out]).questions) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.md", "missing.md: no such file"),
        (
            lambda d: (d / "empty.md").write_text("\n\n") and d / "empty.md",
            "empty.md: the document is empty",
        ),
        (
            lambda d: (
                (d / "prose.md").write_text("Some notes.\nNo questions here.\n") and d / "prose.md"
            ),
            "prose.md: no questions found",
        ),
        (
            lambda d: (d / "bin.txt").write_bytes(b"\xff\xfe\x00bad") and d / "bin.txt",
            "bin.txt: not UTF-8",
        ),
        (lambda d: d, "is a directory, not a document"),
    ],
)
def test_bad_documents_fail_in_one_line_and_write_nothing(
    cli: Cli, tmp_path: Path, make: Callable[[Path], Any], message: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    bad = make(docs)
    out = tmp_path / "out"
    r = cli("bank", "build", str(DATA / "qa-en.txt"), str(bad), "--out", str(out))
    assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1
    assert not out.exists() and list(tmp_path.glob(".out*")) == []


def test_an_out_that_is_a_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    out.write_text("x", encoding="utf-8")
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out))
    assert r.code == 2 and f"--out {out}: is a file" in r.err
    assert out.read_text(encoding="utf-8") == "x"
    # a directory under a file: the file is named, not "File exists"
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out / "sub" / "bank"))
    assert r.code == 2 and r.err.strip().splitlines() == [
        f"interviewer: error: --out {out / 'sub' / 'bank'}: {out} is a file, not a directory"
    ]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text.replace("title: {", "title: {{", 1), "invalid YAML"),
        (lambda text: text.replace("id: what-is-a-confusion-matrix\n", ""), "without an id"),
    ],
)
def test_a_broken_question_file_stops_a_rebuild(
    cli: Cli, tmp_path: Path, damage: Callable[[str], str], message: str
) -> None:
    out = tmp_path / "b"
    assert cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out)).code == 0
    (out / "notes.yaml").write_text("# my notes\n", encoding="utf-8")  # not a question: fine
    first = next(out.glob("01-*.yaml"))
    first.write_text(damage(first.read_text(encoding="utf-8")), encoding="utf-8")
    before = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out))
    # its question would be written a second time beside it: nothing is written
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert f"{first}: " in r.err and message in r.err and "fix it or move it away" in r.err
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == before
    first.unlink()
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out))
    assert r.code == 0 and "1 added, 0 rewritten, 2 kept" in r.out


def test_a_failed_write_leaves_an_existing_bank_as_it_was(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b"
    assert cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out)).code == 0
    before = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    calls = {"n": 0}
    real = Path.write_text

    def flaky(self: Path, *args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", flaky)
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out), "--overwrite")
    assert r.code == 2 and "No space left on device" in r.err
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == before


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the source article (../shared/source) is absent")
def test_the_article_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "article"
    r = cli("bank", "build", str(ARTICLE), "--out", str(out), "--json")
    report = json.loads(r.out)
    assert r.code == 0 and report["documents"][0]["questions"] == 15
    assert [a.split(": ", 1)[1] for a in report["added"]] == ARTICLE_TITLES
    assert cli("bank", "check", str(out)).code == 0


# -- bank check warnings ------------------------------------------------------------------


def test_the_bundled_bank_has_no_warnings(cli: Cli) -> None:
    r = cli("bank", "check", "--strict", "--json")
    assert r.code == 0 and json.loads(r.out)["warnings"] == []


def test_warnings_name_what_deserves_a_look(cli: Cli, tmp_path: Path) -> None:
    q = bundled_dict("03")
    q["key_points"][0]["signals"] = []
    q["probes"][0]["targets"] = []
    q["probes"][1]["generated"] = True
    q["review"] = ["title.en"]
    write_yaml(tmp_path / "03.yaml", q)
    dup = bundled_dict("03") | {"id": "dropout-again", "number": 30}
    write_yaml(tmp_path / "30.yaml", dup)
    r = cli("bank", "check", str(tmp_path), "--json")
    assert r.code == 0
    messages = [
        (w["file"].split("/")[-1], w["path"], w["message"]) for w in json.loads(r.out)["warnings"]
    ]
    joined = "\n".join(f"{f} {p} {m}" for f, p, m in messages)
    assert "03.yaml key_points[0].signals no signals" in joined
    assert "03.yaml probes[0].targets linked to no key point" in joined
    assert "03.yaml probes[1].generated written by a model and not reviewed: 1 probe" in joined
    assert "03.yaml review 1 field(s) written by a model await review: title.en" in joined
    assert "30.yaml question near-duplicate of question 3" in joined
    plain = cli("bank", "check", str(tmp_path))
    assert "probes[0].targets: warning: linked to no key point" in plain.out
    assert "(structure check, 5 warnings)" in plain.out


# -- completion by a model (the stub server) ----------------------------------------------

LEVELS = [
    {"min": lo, "max": hi, "description": {"zh": f"{lo} 分以上", "en": f"from {lo}"}}
    for lo, hi in ((0, 3), (3, 5), (5, 7), (7, 8.5), (8.5, 10))
]


def enrichment(**changes: Any) -> dict[str, Any]:
    reply = {
        "title": {"zh": "x", "en": "What is it"},
        "question": {"zh": "x", "en": "What is it?"},
        "key_points": [
            {
                "id": "p1",
                "text": {"zh": "x", "en": "The share of predicted positives that are right"},
                "hint": {"zh": "想想分母。", "en": "Think about the denominator."},
            }
        ],
        "new_key_points": [
            {
                "id": "Trade-off with recall",
                "text": {
                    "zh": "精确率与召回率随阈值此消彼长",
                    "en": "Precision trades off against recall",
                },
                "depth": "deep",
                "terms": [["召回率", "recall"], ["阈值", "threshold"]],
            }
        ],
        "misconceptions": [
            {
                "id": "all-positives",
                "text": {
                    "zh": "精确率的分母是所有正样本",
                    "en": "Precision divides by all positives",
                },
                "correction": {"zh": "那是召回率", "en": "That is recall"},
                "terms": [["精确率", "precision"], ["所有正样本", "all positives"]],
            }
        ],
        "probes": [
            {
                "id": "ask-tradeoff",
                "kind": "missed",
                "question": {
                    "zh": "提高阈值会怎样?",
                    "en": "What happens when the threshold rises?",
                },
                "targets": ["Trade-off with recall"],
                "expected_points": [
                    {
                        "text": {"zh": "精确率升高", "en": "precision rises"},
                        "terms": [["升高", "rises"]],
                    }
                ],
            },
            {
                "kind": "deeper",
                "question": {"zh": "举个例子?", "en": "An example?"},
                "targets": ["p1", "nonexistent"],
            },
            {
                "kind": "challenge",
                "question": {"zh": "你确定吗?", "en": "Are you sure?"},
                "challenges": ["all-positives"],
            },
        ],
        "levels": LEVELS,
        "reference_answer": {"zh": "精确率 = TP/(TP+FP)。", "en": "Precision = TP/(TP+FP)."},
        "tags": ["data", "not-a-tag"],
    }
    return reply | changes


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def model_args(stub: StubServer) -> list[str]:
    return ["--grader", "openai/stub-model", "--api-base", stub.base_url]


def test_a_model_completes_the_drafts_and_marks_what_it_wrote(
    cli: Cli, tmp_path: Path, stub: StubServer
) -> None:
    stub.default = Reply.json(enrichment())
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-zh.txt"), "--out", str(out), *model_args(stub))
    assert r.code == 0, r.err
    assert "2 completed by the model" in r.out
    bank = load_bank([out])
    assert bank.problems == []
    q = bank.find("1")
    assert (
        q.title.en == "What is it" and q.title.zh == "什么是精确率"
    )  # the document's wording kept
    assert q.key_points[0].text.en.startswith("The share") and q.key_points[0].hint
    assert not q.key_points[0].generated
    deep = q.key_points[-1]
    assert deep.generated and deep.id == "trade-off-with-recall" and deep.depth.value == "deep"
    assert deep.source.value == "missed" and deep.signals[0].all[0] == ["召回率", "recall"]
    assert [m.generated for m in q.misconceptions] == [True] and q.misconceptions[0].signals[0].none
    assert [p.targets for p in q.probes] == [["trade-off-with-recall"], ["p1"], []]
    assert q.probes[2].challenges == ["all-positives"] and all(p.generated for p in q.probes)
    assert len(q.levels) == 5 and all(lv.generated for lv in q.levels)
    assert q.tags == ["data"] and q.reference_answer and q.draft
    assert {"title.en", "question.en", "key_points.p1.text.en", "key_points.p1.hint"} <= set(
        q.review
    )
    assert {"reference_answer", "tags"} <= set(q.review)
    text = next(out.glob("01-*.yaml")).read_text(encoding="utf-8")
    assert "Completed by openai/stub-model" in text and "generated: true" in text
    # the notes are fenced in the prompt (the two questions are asked in any order)
    prompts = [r["json"]["messages"][0]["content"] for r in stub.requests]
    prompt = next(p for p in prompts if "预测为正的样本中真正为正的比例" in p)
    assert "<<<ANSWER-" in prompt and "- p1: 预测为正的样本中真正为正的比例" in prompt
    check = cli("bank", "check", str(out))
    assert (
        check.code == 0
        and "written by a model and not reviewed: 1 key point, 1 misconception, 3 probes, 5 levels"
        in check.out
    )
    strict = cli("bank", "check", str(out), "--strict", "--json")
    missing = {p["path"] for p in json.loads(strict.out)["problems"]}
    assert "probes" not in missing and "levels" not in missing


def test_an_invalid_completion_keeps_the_offline_draft(
    cli: Cli, tmp_path: Path, stub: StubServer
) -> None:
    gap = [dict(lv) for lv in LEVELS]
    gap[2]["min"] = 5.5  # leaves a gap after 5
    stub.script(Reply.json(enrichment(levels=gap)), Reply.json(enrichment()))
    stub.default = Reply.json(enrichment())
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-zh.txt"), "--out", str(out), *model_args(stub))
    assert r.code == 3
    failed = [line for line in r.out.splitlines() if "model failed" in line]
    assert (
        len(failed) == 1 and "levels[2].min" in failed[0] and "offline draft was kept" in failed[0]
    )
    assert "1 completed by the model" in r.out
    bank = load_bank([out])
    assert bank.problems == [] and sorted(bool(q.review) for q in bank.questions) == [False, True]


def test_an_invalid_item_is_dropped_not_the_whole_completion(
    cli: Cli, tmp_path: Path, stub: StubServer
) -> None:
    reply = enrichment()
    reply["probes"][1]["kind"] = "clarify"  # not a probe kind
    reply["levels"] = [{"min": 0}, *LEVELS]  # a level without its max or description
    stub.default = Reply.json(reply)
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-zh.txt"), "--out", str(out), *model_args(stub))
    assert r.code == 0, r.out
    assert "2 completed by the model" in r.out and "could not be parsed" not in r.out
    q = load_bank([out]).find("1")
    assert [p.kind.value for p in q.probes] == ["missed", "challenge"] and len(q.levels) == 5


def test_an_unparseable_reply_is_repaired_once_then_reported(
    cli: Cli, tmp_path: Path, stub: StubServer
) -> None:
    stub.default = "I cannot help with that."
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out), *model_args(stub))
    assert r.code == 3 and r.out.count("could not be parsed") == 3
    assert len(files(out)) == 3 and all(not q.review for q in load_bank([out]).questions)


def test_an_unreachable_model_stops_early_and_the_drafts_are_written(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "b"
    r = cli(
        "bank", "build", str(DATA / "qa-en.txt"), "--out", str(out),
        "--grader", "openai/local", "--api-base", "http://127.0.0.1:9/v1",
    )  # fmt: skip
    assert r.code == 3 and "cannot connect" in r.out
    assert len(files(out)) == 3 and load_bank([out]).problems == []


def test_grader_offline_means_no_model(cli: Cli, tmp_path: Path) -> None:
    r = cli(
        "bank",
        "build",
        str(DATA / "qa-en.txt"),
        "--out",
        str(tmp_path / "b"),
        "--grader",
        "offline",
    )
    assert r.code == 0 and "completed by the model" not in r.out


def test_unknown_grader_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    r = cli(
        "bank", "build", str(DATA / "qa-en.txt"), "--out", str(tmp_path / "b"), "--grader", "nobody"
    )
    assert r.code == 2 and "--grader nobody" in r.err and not (tmp_path / "b").exists()


def test_yaml_files_of_a_built_bank_copy_as_a_normal_bank(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "b"
    cli("bank", "build", str(DATA / "headings-en.md"), "--out", str(out))
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    for path in copy.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("draft")
        write_yaml(path, data)
    r = cli("bank", "check", str(copy))
    assert r.code == 0 and "warning" not in r.out


def test_a_reply_that_adds_nothing_is_not_a_completion(
    cli: Cli, tmp_path: Path, stub: StubServer
) -> None:
    stub.default = Reply.json({})  # valid, and empty: nothing was completed
    out = tmp_path / "b"
    r = cli("bank", "build", str(DATA / "qa-en.txt"), "--out", str(out), *model_args(stub))
    assert r.code == 3 and r.out.count("added nothing") == 3
    assert "completed by the model" not in r.out or "0 completed by the model" in r.out
    assert all(not q.review for q in load_bank([out]).questions)
