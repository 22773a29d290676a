"""`interviewer models` and `models check` against the stub; --debug logging; the openai path
never imports litellm."""

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interviewer.llm.stub import Reply, StubServer
from tests.conftest import REPO, Result

Cli = Callable[..., Result]


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def test_models_lists_profiles_without_keys(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_KEY", "sk-team-123456789")
    write_config(
        isolated_home,
        '[models.local]\nmodel = "qwen2.5:7b"\napi_base = "http://localhost:11434/v1"\n'
        '[models.team]\nmodel = "openai/grader"\napi_base = "https://u:p4ss@proxy/v1"\napi_key_env = "TEAM_KEY"\n'
        '[models.claude]\nmodel = "anthropic/claude-3-5-haiku"\n',
    )
    rows = {r["name"]: r for r in json.loads(cli("models", "--json").out)}
    assert rows["local"]["route"] == "openai" and rows["claude"]["route"] == "litellm"
    assert (
        rows["team"]["api_key"] == "$TEAM_KEY (set)"
        and rows["team"]["api_base"] == "https://***@proxy/v1"
    )
    text = cli("models").out
    assert "local" in text and "sk-team" not in text and "p4ss" not in text


def test_models_check_reports_reachability_and_modes(cli: Cli, stub: StubServer) -> None:
    stub.script(
        Reply('{"ok": true}'),  # plain request (also the prompt mode)
        Reply('{"ok": true}'),  # json_schema
        Reply.server_error(status=400, message="response_format json_schema is not supported"),
    )
    stub.default = Reply('{"ok": true}')
    r = cli("models", "check", "openai/stub-model", "--api-base", stub.base_url, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["reachable"] and data["latency_ms"] >= 0 and data["route"] == "openai"
    modes = data["structured"]
    assert modes["json_schema"] == "yes" and modes["prompt"] == "yes"
    assert modes["json_object"].startswith("no: ") and "400" in modes["json_object"]
    formats = [req["json"].get("response_format", {}).get("type") for req in stub.requests]
    assert formats == [None, "json_schema", "json_object"]


def test_models_check_unreachable_exits_3(cli: Cli, stub: StubServer) -> None:
    base = stub.base_url
    stub.stop()
    r = cli("models", "check", "openai/x", "--api-base", base)
    assert r.code == 3 and "not reachable" in r.out and "cannot connect" in r.out


def test_model_grader_errors_exit_3_and_keep_the_answer(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    r = cli("grade", "3", "--answer", "Dropout drops units.", "--grader", "openai/gpt-4o")
    assert r.code == 3 and "OPENAI_API_KEY is not set" in r.err
    local = ("--grader", "openai/local", "--api-base", "http://127.0.0.1:9/v1")
    r = cli("grade", "3", "--answer", "Dropout drops units.", *local)
    assert r.code == 3 and "cannot connect" in r.err and len(r.err.strip().splitlines()) == 1
    (session,) = json.loads(cli("sessions", "--json").out)  # the answer was saved before the call
    shown = json.loads(cli("sessions", "show", session["id"], "--json").out)
    assert shown["turns"][0]["answer"] == "Dropout drops units."
    assert shown["turns"][0]["status"] == "failed"


def test_grade_with_a_model_through_the_stub(cli: Cli, stub: StubServer) -> None:
    from interviewer.bank.loader import load_bank

    ids = [kp.id for kp in load_bank(["builtin"]).find("dropout").key_points]
    judged = {"key_points": [{"id": i, "verdict": "missed"} for i in ids], "feedback": "ok"}
    stub.default = Reply(json.dumps(judged))
    model = ("--grader", "openai/stub", "--api-base", stub.base_url)
    r = cli("grade", "3", "--answer", "Dropout zeroes units in training.", *model, "--json")
    assert r.code == 0, r.err
    grade = json.loads(r.out)["grade"]
    assert grade["grader"]["kind"] == "llm" and grade["grader"]["prompt_version"]
    # a reply that judges no key point is not a grade of 0: it is ungraded
    stub.default = Reply('{"key_points": [], "misconceptions": [], "feedback": "ok"}')
    r = cli("grade", "3", "--answer", "Dropout zeroes units in training.", *model, "--json")
    data = json.loads(r.out)
    assert r.code == 3 and data["status"] == "ungraded" and data["score"] is None
    assert "nothing_judged" in data["grade"]["flags"]
    stub.default = Reply("garbage")
    r = cli("grade", "3", "--answer", "Dropout zeroes units in training.", *model)
    assert r.code == 3 and "ungraded" in r.err
    shown = cli("grade", "3", "--answer", "Dropout zeroes units.", "--show-prompt")
    assert shown.code == 0 and "<<<ANSWER-" in shown.out and "Dropout zeroes units." in shown.out


def test_debug_log_records_requests_and_timings_redacted(
    cli: Cli, stub: StubServer, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUB_KEY", "sk-debug-canary-0001")
    stub.default = Reply('{"ok": true}')
    r = cli(
        "models",
        "check",
        "openai/stub-model",
        "--api-base",
        stub.base_url,
        "--api-key-env",
        "STUB_KEY",
        "--debug",
    )
    assert r.code == 0 and "debug log:" in r.err
    log = (isolated_home / "data" / "logs" / "debug.log").read_text(encoding="utf-8")
    assert (
        "request openai/stub-model" in log and "response openai/stub-model" in log and "ms" in log
    )
    assert "sk-debug-canary-0001" not in log


def test_openai_path_does_not_import_litellm(tmp_path: Path) -> None:
    code = (
        "import asyncio, sys\n"
        "from interviewer.llm.stub import StubServer, Reply\n"
        "from interviewer.llm.spec import ModelSpec\n"
        "from interviewer.llm.client import make_client\n"
        "from interviewer.llm.types import ChatRequest\n"
        "with StubServer() as s:\n"
        "    s.default = Reply('hi')\n"
        "    c = make_client(ModelSpec(name='x', model='openai/x', api_base=s.base_url))\n"
        "    asyncio.run(c.complete(ChatRequest([{'role': 'user', 'content': 'hi'}])))\n"
        "print('litellm' in sys.modules, 'openai' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "False True"
