"""The OpenAI-compatible stub server, driven over real HTTP by the openai SDK."""

import argparse
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from interviewer.commands import stub_server
from interviewer.errors import UsageError
from interviewer.llm.stub import DEMO_ANSWER, Reply, StubServer, load_script

REPO = Path(__file__).resolve().parents[1]
KEY = "sk-test-d0-not-store-me"
MESSAGES = [{"role": "user", "content": "What does dropout do?"}]
# what the SDK raises for a 200 whose body is not JSON
BAD_BODY = (json.JSONDecodeError, openai.APIResponseValidationError)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


@pytest.fixture
def client(stub: StubServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=stub.base_url, api_key=KEY, max_retries=0, timeout=5) as c:
        yield c


def ask(client: openai.OpenAI, **kwargs: object) -> object:
    return client.chat.completions.create(model="stub-model", messages=MESSAGES, **kwargs)


def raw(stub: StubServer, method: str, path: str, body: bytes | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", stub.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def stub_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("stub-server")]


# -- the protocol ---------------------------------------------------------------------------


def test_non_streaming_content_and_usage(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("Dropout randomly zeroes activations."))
    completion = ask(client)
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == "stub-model"
    assert completion.created > 0
    choice = completion.choices[0]
    assert choice.message.content == "Dropout randomly zeroes activations."
    assert choice.message.role == "assistant"
    assert choice.finish_reason == "stop"
    usage = completion.usage
    assert usage.prompt_tokens >= 1 and usage.completion_tokens >= 1
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_streaming_assembles_content_and_usage(stub: StubServer, client: openai.OpenAI) -> None:
    text = "Warmup keeps early Adam updates small. 预热让早期更新更稳定。"
    stub.script(Reply(text, chunk_size=5))
    stream = ask(client, stream=True, stream_options={"include_usage": True})
    pieces, finish, usage = [], None, None
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
            finish = chunk.choices[0].finish_reason or finish
        if chunk.usage is not None:
            usage = chunk.usage
    assert "".join(pieces) == text
    assert len([p for p in pieces if p]) == -(-len(text) // 5)
    assert finish == "stop"
    assert usage is not None and usage.completion_tokens >= 1
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_streaming_without_usage_option_has_no_usage_chunk(
    stub: StubServer, client: openai.OpenAI
) -> None:
    stub.script(Reply("short", finish_reason="length"))
    chunks = list(ask(client, stream=True))
    assert all(c.usage is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "length"


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["stub-model"]


def test_custom_models_and_model_echo() -> None:
    with (
        StubServer(models=["a", "b"]) as stub,
        openai.OpenAI(base_url=stub.base_url, api_key=KEY, max_retries=0) as client,
    ):
        assert [m.id for m in client.models.list()] == ["a", "b"]
        assert client.models.retrieve("b").id == "b"
        completion = client.chat.completions.create(model="b", messages=MESSAGES)
        assert completion.model == "b"


def test_unknown_path_and_invalid_json(stub: StubServer) -> None:
    status, body = raw(stub, "GET", "/v1/nope")
    assert status == 404 and body["error"]["type"] == "invalid_request_error"
    assert "/v1/nope" in body["error"]["message"]
    status, body = raw(stub, "POST", "/v1/chat/completions", b"{not json")
    assert status == 400 and set(body["error"]) >= {"message", "type", "code"}
    status, body = raw(stub, "POST", "/v1/chat/completions", b'{"model": "m"}')
    assert status == 400 and "messages" in body["error"]["message"]
    assert stub.pending == 0  # bad requests consume no scripted reply


# -- faults ---------------------------------------------------------------------------------


def test_rate_limited_with_retry_after(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply.rate_limited(retry_after=1))
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.body["type"] == "rate_limit_error"
    assert caught.value.body["message"]


@pytest.mark.parametrize("stream", [False, True])
def test_server_error(stub: StubServer, client: openai.OpenAI, stream: bool) -> None:
    stub.script(Reply.server_error())
    with pytest.raises(openai.InternalServerError) as caught:
        ask(client, stream=stream)
    assert caught.value.status_code == 500
    assert caught.value.body["type"] == "server_error"


def test_malformed_json(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("x", fault="malformed_json"), Reply("x", fault="malformed_json"))
    with pytest.raises(BAD_BODY):
        ask(client)
    with pytest.raises(BAD_BODY):
        list(ask(client, stream=True))


def test_empty_body(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("x", fault="empty_body"))
    response = client.chat.completions.with_raw_response.create(
        model="stub-model", messages=MESSAGES
    )
    assert response.status_code == 200 and response.content == b""
    stub.script(Reply("x", fault="empty_body"))
    with pytest.raises(BAD_BODY):
        ask(client)


def test_drop_mid_stream_raises_during_iteration(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(
        Reply("a long answer that will be cut off halfway", chunk_size=4, fault="drop_mid_stream")
    )
    stream = ask(client, stream=True)
    received = []
    with pytest.raises((httpx.HTTPError, openai.APIConnectionError)):
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received)  # some content arrived before the cut
    assert "".join(received) != "a long answer that will be cut off halfway"


def test_drop_mid_body_non_streaming(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("cut short", fault="drop_mid_stream"))
    with pytest.raises(openai.APIConnectionError):
        ask(client)


@pytest.mark.parametrize("stream", [False, True])
def test_close_immediately(stub: StubServer, client: openai.OpenAI, stream: bool) -> None:
    stub.script(Reply(fault="close_immediately"))
    with pytest.raises(openai.APIConnectionError):
        ask(client, stream=stream)


def test_schema_violating_json_is_just_content(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply.json({"verdicts": "not-a-list"}))
    assert json.loads(ask(client).choices[0].message.content) == {"verdicts": "not-a-list"}


def test_unknown_fault_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        Reply(fault="explode")


# -- script, default, recording -------------------------------------------------------------


def test_script_order_then_default(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("one"), "two").script(Reply("three"))
    assert stub.pending == 3
    answers = [ask(client).choices[0].message.content for _ in range(4)]
    assert answers == ["one", "two", "three", "stub reply"]
    stub.default = Reply("fallback")
    assert ask(client).choices[0].message.content == "fallback"


def test_callable_default_sees_the_request(stub: StubServer, client: openai.OpenAI) -> None:
    stub.default = lambda request: Reply(f"echo: {request['messages'][-1]['content']}")
    assert ask(client).choices[0].message.content == "echo: What does dropout do?"


def test_requests_recorded_with_key_redacted(stub: StubServer, client: openai.OpenAI) -> None:
    stub.script(Reply("ok"))
    ask(client, temperature=0)
    client.models.list()
    assert [(r["method"], r["path"]) for r in stub.requests] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]
    first = stub.requests[0]
    assert first["json"]["messages"] == MESSAGES
    assert first["json"]["temperature"] == 0
    headers = {k.lower(): v for k, v in first["headers"].items()}
    assert headers["authorization"] == "Bearer ***"
    assert KEY not in json.dumps(stub.requests)
    assert KEY not in repr(stub.requests)


def test_latency_is_added(client: openai.OpenAI, stub: StubServer) -> None:
    stub.latency = 0.15
    start = time.perf_counter()
    client.models.list()
    assert time.perf_counter() - start >= 0.15


# -- lifecycle ------------------------------------------------------------------------------


def test_stop_closes_port_and_threads() -> None:
    stub = StubServer().start()
    port = stub.port
    with openai.OpenAI(base_url=stub.base_url, api_key=KEY, max_retries=0) as client:
        client.models.list()  # leaves an idle keep-alive connection open
        stub.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    assert stub_threads() == []
    stub.stop()  # idempotent


def test_stop_is_prompt_during_a_delayed_reply() -> None:
    stub = StubServer().start()
    stub.script(Reply("late", delay=30))
    errors: list[BaseException] = []

    def call() -> None:
        with openai.OpenAI(base_url=stub.base_url, api_key=KEY, max_retries=0) as client:
            try:
                ask(client)
            except Exception as exc:
                errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while not stub.requests:
        time.sleep(0.01)
    start = time.perf_counter()
    stub.stop()
    assert time.perf_counter() - start < 1
    caller.join(5)
    assert not caller.is_alive() and errors
    assert stub_threads() == []


def test_load_script(tmp_path: Path) -> None:
    path = tmp_path / "script.json"
    path.write_text(
        json.dumps(
            [
                "plain text",
                {"content": {"verdicts": []}, "chunk_size": 3},
                {"status": 429, "headers": {"Retry-After": 2}, "fault": "http_error"},
            ]
        ),
        encoding="utf-8",
    )
    replies = load_script(path)
    assert replies[0] == Reply("plain text")
    assert replies[1].content == '{"verdicts": []}' and replies[1].chunk_size == 3
    assert replies[2].headers == {"Retry-After": "2"} and replies[2].is_error
    path.write_text('[{"conent": "typo"}]', encoding="utf-8")
    with pytest.raises(ValueError, match="reply 1: unknown field 'conent'"):
        load_script(path)


def test_command_rejects_bad_script(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"not": "a list"}', encoding="utf-8")
    args = argparse.Namespace(host="127.0.0.1", port=0, script=str(path), latency=0.0)
    with pytest.raises(UsageError, match="JSON list"):
        stub_server.run(args)


def test_module_entry_prints_url_and_serves_demo_answer() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "interviewer.llm.stub", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            line = proc.stdout.readline()
            assert line.startswith("stub server on http://127.0.0.1:")
            assert line.rstrip().endswith("/v1 (Ctrl-C to stop)")
            base_url = line.split()[3]
            with openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0) as client:
                content = ask(client).choices[0].message.content
            assert json.loads(content) == DEMO_ANSWER
        finally:
            proc.terminate()
            assert proc.wait(5) == 0  # SIGTERM stops it as cleanly as Ctrl-C


def test_import_stays_light() -> None:
    code = (
        "import sys, interviewer.llm.stub; "
        "print([m for m in ('openai', 'litellm', 'textual', 'pydantic') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_demo_reply_judges_what_the_prompt_lists() -> None:
    import json as _json

    from interviewer.llm.stub import demo_reply

    grade_prompt = "# Key points\n- random-drop [core, weight 2]: x\n- why [deep, weight 1]: y\n# Misconceptions\n- m1: z"
    body = _json.loads(demo_reply({"messages": [{"content": grade_prompt}]}).content)
    assert [p["id"] for p in body["key_points"]] == ["random-drop", "why"]
    follow_up = "# Expected points\n- e1: a\n- e2: b\n# Misconceptions\n"
    body = _json.loads(demo_reply({"messages": [{"content": follow_up}]}).content)
    assert [p["id"] for p in body["expected_points"]] == ["e1", "e2"]
    assert _json.loads(demo_reply({"messages": [{"content": "ping"}]}).content)["key_points"] == []
