"""A canary API key never reaches a transcript, a log, an export, an error or `config show`."""

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewer.llm.client import OpenAIClient
from interviewer.llm.errors import ModelError
from interviewer.llm.secrets import scrub
from interviewer.llm.spec import ModelSpec
from interviewer.llm.stub import Reply, StubServer
from interviewer.llm.types import ChatRequest
from tests.conftest import Result

Cli = Callable[..., Result]
CANARY = "sk-canary-7f3a9b2c4d5e6f708192"


def test_scrub_removes_known_and_key_shaped_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewer.llm.secrets import read_key

    monkeypatch.setenv("CANARY_KEY", "plain-secret-value-123")
    read_key("CANARY_KEY", True, "m")
    assert "plain-secret-value-123" not in scrub("server said: plain-secret-value-123 is wrong")
    assert scrub("Authorization: Bearer abc.def") == "Authorization: ***"
    assert "sk-proj-abcdefghijkl" not in scrub("Incorrect API key provided: sk-proj-abcdefghijkl")


def test_canary_never_printed_or_stored(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANARY_KEY", CANARY)
    isolated_home.mkdir(parents=True, exist_ok=True)
    with StubServer() as stub:
        (isolated_home / "config.toml").write_text(
            f'[models.canary]\nmodel = "openai/stub-model"\napi_base = "{stub.base_url}"\napi_key_env = "CANARY_KEY"\n',
            encoding="utf-8",
        )
        # a server that echoes the key back in its error, then one that works
        stub.script(Reply(status=401, content=f"Incorrect API key provided: {CANARY}"))
        stub.default = Reply('{"ok": true}')
        outputs = [
            cli("config", "show"),
            cli("config", "show", "--json"),
            cli("models"),
            cli("models", "--json"),
            cli("models", "check", "canary", "--debug"),  # the 401 that echoes the key
            cli("models", "check", "canary", "--json", "--debug"),
            cli(
                "grade",
                "3",
                "--answer",
                f"my key is not {CANARY[:6]}... dropout drops units",
                "--grader",
                "canary",
            ),
            cli("grade", "3", "--answer", "Dropout zeroes random units during training."),
            cli("interview", "--questions", "3"),
        ]
        assert all(
            CANARY not in json.dumps(req) for req in stub.requests
        )  # the stub stores redacted
        auth = [
            v
            for req in stub.requests
            for k, v in req["headers"].items()
            if k.lower() == "authorization"
        ]
        assert auth and set(auth) == {"Bearer ***"}
    sessions = json.loads(cli("sessions", "--json").out)
    for s in sessions:
        outputs.append(cli("sessions", "show", s["id"], "--json"))
        outputs.append(cli("sessions", "show", s["id"], "--markdown"))
    for result in outputs:
        assert CANARY not in result.out and CANARY not in result.err
    assert "was rejected (401)" in outputs[4].out and "$CANARY_KEY" in outputs[4].out
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_error_from_a_key_echoing_server_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANARY_KEY", CANARY)
    with StubServer() as stub:
        stub.script(Reply(status=400, content=f"bad request for key {CANARY}"))
        client = OpenAIClient(
            ModelSpec(
                name="c",
                model="openai/m",
                api_base=stub.base_url,
                api_key_env="CANARY_KEY",
                max_retries=0,
            )
        )
        with pytest.raises(ModelError) as info:
            asyncio.run(client.complete(ChatRequest([{"role": "user", "content": "x"}])))
    assert CANARY not in str(info.value) and "request refused (400)" in str(info.value)


def test_canary_never_reaches_regrade_compare_eval_or_bank_build(
    cli: Cli, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CANARY_KEY", CANARY)
    isolated_home.mkdir(parents=True, exist_ok=True)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "a",
                "question_id": "dropout",
                "answer": "Dropout zeroes units.",
                "expert_score": 4,
            }
        ),
        encoding="utf-8",
    )
    doc = tmp_path / "notes.md"
    doc.write_text(
        "## What is dropout?\n\nRandomly zeroing units while training.\n", encoding="utf-8"
    )
    with StubServer() as stub:
        (isolated_home / "config.toml").write_text(
            f'[models.canary]\nmodel = "openai/stub-model"\napi_base = "{stub.base_url}"\napi_key_env = "CANARY_KEY"\nmax_retries = 0\n',
            encoding="utf-8",
        )
        cli("grade", "3", "--answer", "Dropout zeroes random units during training.")
        echo = Reply(status=401, content=f"Incorrect API key provided: {CANARY}")
        outputs = []
        for args in (
            ("regrade", "--all", "--grader", "canary", "--debug"),
            ("eval", str(gold), "--grader", "canary", "--debug"),
            ("bank", "build", str(doc), "--out", str(tmp_path / "bank"), "--grader", "canary"),
        ):
            stub.script(echo)  # a server that echoes the key in its error
            outputs.append(cli(*args))
        stub.default = Reply('{"feedback": "ok"}')
        outputs.append(cli("regrade", "--all", "--grader", "canary", "--json"))
        outputs.append(cli("compare", "--graders", "offline,canary", "--json"))
        outputs.append(cli("eval", str(gold), "--grader", "canary", "--json"))
        assert all(CANARY not in json.dumps(req) for req in stub.requests)
    assert [r.code for r in outputs[:2]] == [3, 3]  # the refused key stops both
    assert all("was rejected (401)" in (r.out + r.err) for r in outputs[:2])
    for result in outputs:
        assert CANARY not in result.out and CANARY not in result.err
    for path in [*isolated_home.rglob("*"), *(tmp_path / "bank").rglob("*")]:
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
