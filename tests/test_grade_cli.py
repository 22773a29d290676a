"""`interviewer grade`: single answers, batches, errors, --resume."""

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result

Cli = Callable[..., Result]
RECITATION = "训练时随机丢弃一些神经元，相当于多个网络取平均，减少过拟合；预测时不丢弃。"


def test_grade_prints_feedback_and_follow_up(cli: Cli) -> None:
    r = cli("grade", "3", "--answer", RECITATION)
    assert r.code == 0
    assert "离线关键词评分" in r.out and "追问" in r.out  # feedback in the answer's language
    r = cli("grade", "dropout", "--answer", "Dropout randomly zeroes units during training.")
    assert "Offline keyword grade" in r.out and "Follow-up" in r.out


def test_grade_json_shape(cli: Cli) -> None:
    data = json.loads(cli("grade", "3", "--answer", RECITATION, "--json").out)
    assert set(data) == {"question_id", "score", "status", "grade"}
    assert data["question_id"] == "dropout" and data["status"] == "graded"
    grade = data["grade"]
    assert {"id", "verdict", "evidence"} <= set(grade["key_points"][0])
    assert {"misconceptions", "follow_ups", "flags"} <= set(grade)
    covered = [kp for kp in grade["key_points"] if kp["verdict"] == "covered"]
    assert covered and all(ev["quote"] in RECITATION for kp in covered for ev in kp["evidence"])
    assert grade["follow_ups"][0]["probe_id"]


def test_answer_from_file_and_stdin(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(RECITATION, encoding="utf-8")
    from_file = json.loads(cli("grade", "3", "--answer-file", str(path), "--json").out)["score"]
    monkeypatch.setattr("sys.stdin", io.StringIO(RECITATION))
    from_stdin = json.loads(cli("grade", "3", "-", "--json").out)["score"]
    assert from_file == from_stdin is not None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("grade", "3", "--answer", "  "), 2, "--answer: the answer is empty"),
        (("grade", "3"), 2, "give the answer once"),
        (("grade", "3", "--answer", "x", "--answer-file", "f"), 2, "give the answer once"),
        (("grade", "3", "--answer-file", "/nope.txt"), 2, "--answer-file /nope.txt: no such file"),
        (("grade", "99", "--answer", "x"), 2, "no question number 99"),
        (("grade", "3", "--answer", "x" * 20_001), 2, "20,001 characters"),
        (
            (
                "grade",
                "3",
                "--answer",
                "Dropout drops units.",
                "--grader",
                "openai/local",
                "--api-base",
                "http://127.0.0.1:9/v1",
            ),
            3,
            "cannot connect",
        ),
        (
            ("grade", "3", "--answer", "x", "--grader", "nobody"),
            2,
            "--grader nobody: not 'offline'",
        ),
        (("grade", "--batch", "in.jsonl"), 2, "--batch needs --out"),
        (("grade", "3", "--answer-file", "/"), 2, "--answer-file /: is a directory"),
        (("grade", "--batch", "/", "--out", "/tmp/x.jsonl"), 2, "--batch /: is a directory"),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    cli: Cli, args: tuple, code: int, message: str
) -> None:
    r = cli(*args)
    assert r.code == code
    assert message in r.err and len(r.err.strip().splitlines()) == 1


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BATCH = [
    json.dumps({"id": "a", "question_id": "dropout", "answer": RECITATION}, ensure_ascii=False),
    "{not json",
    json.dumps(
        {"id": "c", "question_id": 1, "answer": "L1 gives sparse weights; L2 shrinks them."}
    ),
    json.dumps({"id": "d", "answer": "no question"}),
    json.dumps({"id": 5, "question_id": "no-such-question", "answer": "x"}),
    json.dumps(
        {
            "id": "f",
            "question": "What is a stack?",
            "reference_answer": "A stack is a LIFO data structure: the last element pushed is the first popped.",
            "answer": "A LIFO structure: the last pushed element is popped first.",
        }
    ),
]


def test_batch_keeps_every_line_in_order_and_reports_errors(cli: Cli, tmp_path: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", BATCH)
    out = tmp_path / "out.jsonl"
    r = cli("grade", "--batch", str(src), "--out", str(out))
    assert r.code == 1  # some lines not graded
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a", None, "c", "d", "5", "f"]
    assert [row["status"] for row in rows] == [
        "graded",
        "error",
        "graded",
        "error",
        "error",
        "graded",
    ]
    assert rows[0]["question_id"] == "dropout" and rows[2]["question_id"] == "l1-l2-regularization"
    assert rows[5]["question_id"].startswith("ref-") and rows[5]["score"] >= 5
    assert f"{src}:2: invalid JSON" in r.err
    assert f"{src}:4: line: needs question_id" in r.err or f"{src}:4:" in r.err
    assert f"{src}:5: unknown question 'no-such-question'" in r.err
    assert "3 graded, 3 not graded" in r.err


def test_batch_refuses_to_overwrite_and_resumes(cli: Cli, tmp_path: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [BATCH[0], BATCH[2], BATCH[5]])
    out = tmp_path / "out.jsonl"
    assert cli("grade", "--batch", str(src), "--out", str(out)).code == 0
    full = out.read_text(encoding="utf-8")
    # a killed run: one complete line and a torn second line
    first, second = full.splitlines()[:2]
    out.write_text(first + "\n" + second[: len(second) // 2], encoding="utf-8")
    r = cli("grade", "--batch", str(src), "--out", str(out))
    assert r.code == 2 and "already exists; use --resume" in r.err
    assert out.read_text(encoding="utf-8").startswith(first)  # nothing lost
    r = cli("grade", "--batch", str(src), "--out", str(out), "--resume")
    assert r.code == 0 and "2 graded, 0 not graded, 1 already done" in r.err
    resumed = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in resumed] == ["a", "c", "f"]
    assert [row["score"] for row in resumed] == [
        json.loads(line)["score"] for line in full.splitlines()
    ]


def test_resume_refuses_an_output_of_another_input(cli: Cli, tmp_path: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [BATCH[0], BATCH[2]])
    other = write_lines(tmp_path / "other.jsonl", [BATCH[2], BATCH[0]])
    out = tmp_path / "out.jsonl"
    assert cli("grade", "--batch", str(src), "--out", str(out)).code == 0
    r = cli("grade", "--batch", str(other), "--out", str(out), "--resume")
    assert r.code == 2 and "line 1 has id 'a'" in r.err


def test_lang_sets_the_offline_feedback_language(cli: Cli) -> None:
    answer = "Dropout randomly zeroes units during training."
    assert (
        json.loads(cli("grade", "3", "--answer", answer, "--json").out)["grade"]["language"] == "en"
    )
    r = cli("--lang", "zh", "grade", "3", "--answer", answer, "--json")
    grade = json.loads(r.out)["grade"]
    assert grade["language"] == "zh" and "离线关键词评分" in grade["feedback"]


@pytest.mark.parametrize("answer", ["L1 加 λΣ|w|。L2 加 λΣw²。", "L1 adds λΣ|w|; L2 adds λΣw²."])
def test_the_rubric_notation_itself_is_understood(cli: Cli, answer: str) -> None:
    grade = json.loads(cli("grade", "1", "--answer", answer, "--json").out)["grade"]
    verdicts = {kp["id"]: kp["verdict"] for kp in grade["key_points"]}
    assert verdicts["l1-l2-definition"] == "covered"  # Σw² right after Σ (no word boundary)


def test_batch_file_with_a_bom(cli: Cli, tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    line = {"id": "a", "question_id": "dropout", "answer": "Dropout zeroes units in training."}
    batch.write_bytes(b"\xef\xbb\xbf" + json.dumps(line).encode())
    r = cli("grade", "--batch", str(batch), "--out", str(tmp_path / "out.jsonl"))
    assert r.code == 0, r.err
    assert json.loads((tmp_path / "out.jsonl").read_text())["status"] == "graded"


def test_batch_on_stdin_with_a_bom(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = {"id": "a", "question_id": "dropout", "answer": "Dropout zeroes units in training."}
    monkeypatch.setattr("sys.stdin", io.StringIO("\ufeff" + json.dumps(line)))
    r = cli("grade", "--batch", "-", "--out", str(tmp_path / "out.jsonl"))
    assert r.code == 0, r.err
