"""CLI output and exit codes."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewer import __version__
from tests.conftest import FIXTURES, Result

Cli = Callable[..., Result]
BUNDLED_IDS = ["l1-l2-regularization", "dropout", "weight-initialization"]


def test_help_lists_the_commands(cli: Cli) -> None:
    r = cli("--help")
    assert r.code == 0 and "usage: interviewer" in r.out
    for command in (
        "questions",
        "show",
        "grade",
        "interview",
        "sessions",
        "models",
        "bank",
        "config",
    ):
        assert command in r.out


def test_bare_command_starts_the_tui(monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    started = {}
    monkeypatch.setattr("interviewer.tui.app.run_tui", lambda **kw: started.update(kw) or 0)
    assert cli("--lang", "zh").code == 0 and started["lang"] == "zh"


def test_version(cli: Cli) -> None:
    r = cli("--version")
    assert (r.code, r.out.strip()) == (0, f"interviewer {__version__}")


def test_questions_table_lists_bundled_questions(cli: Cli) -> None:
    r = cli("questions")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].split()[:3] == ["#", "id", "title"]
    for qid in BUNDLED_IDS:
        assert any(qid in line for line in lines), qid
    assert "L1" in r.out and "正则化" in r.out  # both languages shown


def test_questions_json(cli: Cli) -> None:
    data = json.loads(cli("questions", "--json").out)
    numbers = [q["number"] for q in data]
    assert numbers == sorted(numbers) and {1, 3, 13} <= set(numbers)
    assert set(data[0]) == {"number", "id", "title", "tags", "difficulty"}
    assert data[0]["title"]["zh"] and data[0]["title"]["en"]


def test_questions_by_tag(cli: Cli) -> None:
    data = json.loads(cli("questions", "--tag", "initialization", "--json").out)
    assert [q["id"] for q in data] == ["weight-initialization"]
    r = cli("questions", "--tag", "astrology")
    assert r.code == 2 and "--tag: unknown tag 'astrology'" in r.err


FIELDS = {
    "id",
    "number",
    "title",
    "question",
    "tags",
    "difficulty",
    "source_points",
    "reference_answer",
    "key_points",
    "misconceptions",
    "probes",
    "levels",
}


@pytest.mark.parametrize("ref", ["1", "l1-l2-regularization"])
def test_show_json_has_the_documented_fields(cli: Cli, ref: str) -> None:
    r = cli("show", ref, "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert set(data) >= FIELDS
    kp = data["key_points"][0]
    assert {"id", "text", "weight", "depth", "signals", "hint"} <= set(kp)
    assert {"zh", "en"} == set(kp["text"])
    probe = data["probes"][0]
    assert {"id", "kind", "question", "targets", "expected_points"} <= set(probe)
    assert {"min", "max", "description"} <= set(data["levels"][0])


def test_show_hides_the_answer_unless_revealed(cli: Cli) -> None:
    plain = cli("show", "3")
    assert plain.code == 0 and "Dropout" in plain.out and "--reveal" in plain.out
    revealed = cli("show", "3", "--reveal")
    assert "Reference answer" in revealed.out and "Key points" in revealed.out
    assert len(revealed.out) > 2 * len(plain.out)


def test_show_in_chinese(cli: Cli) -> None:
    r = cli("show", "13", "--reveal", "--lang", "zh")
    assert "参考答案" in r.out and "Xavier" in r.out
    r = cli("--lang", "zh", "show", "13")  # global flag before the command works too
    assert "难度" in r.out


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("dropuot", "did you mean dropout"),
        ("99", "no question number 99; the bank has 1, "),
        ("initialization", "weight-initialization"),
        (" ", "empty question reference"),
    ],
)
def test_unknown_question_suggests_and_exits_2(cli: Cli, ref: str, expected: str) -> None:
    r = cli("show", ref)
    assert r.code == 2
    assert r.out == ""
    assert expected in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_bad_arguments_exit_2(cli: Cli) -> None:
    assert cli("show").code == 2
    assert cli("questions", "--lang", "fr").code == 2
    assert cli("frobnicate").code == 2


def test_bank_check_bundled_strict_passes(cli: Cli) -> None:
    r = cli("bank", "check", "--strict")
    assert r.code == 0, r.out
    assert r.out.strip().startswith("ok: ") and "strict" in r.out


def test_bank_check_reports_problems_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text(
        (FIXTURES / "minimal.yaml").read_text().replace("difficulty: 1", "difficulty: 5")
    )
    r = cli("bank", "check", str(tmp_path))
    assert r.code == 1
    assert "q.yaml:7: difficulty:" in r.out and "1 problem:" in r.out
    data = json.loads(cli("bank", "check", str(tmp_path), "--json").out)
    assert data["ok"] is False and data["problems"][0]["line"] == 7


def test_draft_bank_passes_plain_check_but_not_strict(cli: Cli) -> None:
    fixture = str(FIXTURES / "minimal.yaml")
    assert cli("bank", "check", fixture).code == 0
    r = cli("bank", "check", fixture, "--strict", "--json")
    data = json.loads(r.out)
    assert r.code == 1 and data["problems"] and {p["kind"] for p in data["problems"]} == {"policy"}


def test_commands_use_bank_flag(cli: Cli) -> None:
    data = json.loads(cli("questions", "--json", "--bank", str(FIXTURES / "minimal.yaml")).out)
    assert [q["id"] for q in data] == ["minimal-question"]
    both = cli("questions", "--json", "--bank", "builtin", "--bank", str(FIXTURES / "minimal.yaml"))
    assert len(json.loads(both.out)) == len(json.loads(cli("questions", "--json").out)) + 1


def test_invalid_bank_fails_other_commands_in_one_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text("id: [\n")
    r = cli("questions", "--bank", str(tmp_path))
    assert r.code == 1 and "invalid bank" in r.err and "q.yaml:2" in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_config_path_and_show(cli: Cli, isolated_home: Path) -> None:
    r = cli("config", "path")
    assert str(isolated_home / "config.toml") in r.out and str(isolated_home / "data") in r.out
    assert json.loads(cli("config", "path", "--json").out)["data_dir"] == str(
        isolated_home / "data"
    )
    data = json.loads(cli("config", "show", "--json").out)
    assert data["settings"]["grader"] == "offline" and data["settings"]["language"] == "en"


def test_config_show_redacts_secrets(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_KEY", "sk-team-secret")
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(
        '[models.team]\nmodel = "openai/qwen"\napi_key_env = "TEAM_KEY"\n'
        'api_base = "https://bob:sk-proxy-secret@proxy.example/v1?key=sk-q-secret"\n'
    )
    for args in (("config", "show"), ("config", "show", "--json")):
        r = cli(*args)
        assert r.code == 0
        assert "-secret" not in r.out, r.out
        assert "TEAM_KEY" in r.out and "proxy.example" in r.out


def test_config_error_exits_3_naming_the_source(cli: Cli, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("follow_up_depth = 9\n")
    r = cli("questions")
    assert r.code == 3
    assert "config.toml: follow_up_depth" in r.err and len(r.err.strip().splitlines()) == 1
    r = cli("questions", "--config", str(isolated_home / "missing.toml"))
    assert r.code == 3 and "missing.toml: no such config file" in r.err


@pytest.mark.parametrize(
    "argv",
    [("grade", "--bogus"), ("sessions", "export", "x", "--format", "xx"), ("nope",)],
)
def test_argument_errors_are_one_line(cli: Cli, argv: tuple[str, ...]) -> None:
    r = cli(*argv)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "--help" in r.err
