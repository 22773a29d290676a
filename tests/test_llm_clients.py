"""Both client implementations over real HTTP against the stub server: answers, streams,
usage, every fault, retries and cancellation."""

import asyncio
import time
from collections.abc import Iterator

import pytest

from interviewer.llm import errors as e
from interviewer.llm.client import LiteLLMClient, OpenAIClient, make_client
from interviewer.llm.retry import backoff
from interviewer.llm.spec import ModelSpec, resolve_model
from interviewer.llm.stub import Reply, StubServer
from interviewer.llm.types import ChatRequest, Delta, StreamEnd
from interviewer.settings import Settings

ASK = ChatRequest([{"role": "user", "content": "Say hello"}])


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


class Sleeps:
    """Records backoff delays instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client(
    stub: StubServer, cls=OpenAIClient, retries: int = 2, timeout: float = 10, **kw
) -> tuple:  # type: ignore[no-untyped-def]
    sleeps = Sleeps()
    spec = ModelSpec(
        name="stub",
        model="openai/stub-model",
        api_base=stub.base_url,
        max_retries=retries,
        timeout=timeout,
        **kw,
    )
    return cls(spec, sleeps), sleeps


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def collect(c, request=ASK) -> list:  # type: ignore[no-untyped-def]
    return [item async for item in c.stream(request)]


def test_complete_returns_text_model_usage(stub: StubServer) -> None:
    stub.script(Reply('{"verdict": "covered"}'))
    c, _ = client(stub)
    response = run(c.complete(ASK))
    assert response.text == '{"verdict": "covered"}' and response.model == "stub-model"
    assert (
        response.finish_reason == "stop"
        and response.usage.prompt_tokens
        and response.usage.completion_tokens
    )
    sent = stub.requests[-1]["json"]
    assert sent["model"] == "stub-model" and sent["temperature"] == 0.0  # routing prefix stripped


def test_stream_yields_deltas_then_the_whole_answer(stub: StubServer) -> None:
    stub.script(Reply("streamed text arrives in pieces", chunk_size=5))
    c, _ = client(stub)
    items = run(collect(c))
    deltas = [i.text for i in items if isinstance(i, Delta)]
    assert len(deltas) > 3 and "".join(deltas) == "streamed text arrives in pieces"
    end = items[-1]
    assert isinstance(end, StreamEnd) and end.response.text == "streamed text arrives in pieces"
    assert end.response.usage.completion_tokens


def test_response_format_is_sent(stub: StubServer) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "g", "schema": {"type": "object"}}}
    c, _ = client(stub)
    run(c.complete(ChatRequest(ASK.messages, response_format=fmt, max_tokens=50)))
    sent = stub.requests[-1]["json"]
    assert sent["response_format"] == fmt and sent["max_tokens"] == 50


def test_429_is_retried_after_retry_after(stub: StubServer) -> None:
    stub.script(Reply.rate_limited(retry_after=3), Reply("ok after waiting"))
    c, sleeps = client(stub)
    assert run(c.complete(ASK)).text == "ok after waiting"
    assert sleeps.delays == [3.0]


def test_5xx_and_connection_drop_are_retried_with_backoff(stub: StubServer) -> None:
    stub.script(Reply.server_error(), Reply(fault="close_immediately"), Reply("third time lucky"))
    c, sleeps = client(stub)
    assert run(c.complete(ASK)).text == "third time lucky"
    assert (
        len(sleeps.delays) == 2
        and 0.25 <= sleeps.delays[0] <= 0.5
        and 0.5 <= sleeps.delays[1] <= 1.0
    )


def test_retries_are_bounded(stub: StubServer) -> None:
    stub.script(*[Reply.server_error() for _ in range(5)])
    c, sleeps = client(stub, retries=2)
    with pytest.raises(e.ServerError, match=r"server error \(500\)"):
        run(c.complete(ASK))
    assert len(sleeps.delays) == 2 and len(stub.requests) == 3


@pytest.mark.parametrize(
    ("reply", "error", "message"),
    [
        (
            Reply(status=401, content="invalid key"),
            e.AuthFailed,
            r"the key in \$STUB_KEY was rejected \(401\)",
        ),
        (Reply(status=403, content="forbidden"), e.AuthFailed, r"rejected \(403\)"),
        (
            Reply(status=400, content="unknown model"),
            e.BadRequest,
            r"request refused \(400\): unknown model",
        ),
        (Reply(fault="malformed_json"), e.BadResponse, "not a valid chat completion"),
        (Reply(fault="empty_body"), e.BadResponse, "not a valid chat completion"),
        (Reply(""), e.BadResponse, "empty answer"),
    ],
)
def test_errors_that_retrying_cannot_fix(
    stub: StubServer, monkeypatch: pytest.MonkeyPatch, reply: Reply, error: type, message: str
) -> None:
    monkeypatch.setenv("STUB_KEY", "sk-test-0123456789")
    stub.script(reply, Reply("never reached"))
    c, sleeps = client(stub, api_key_env="STUB_KEY")
    with pytest.raises(error, match=message) as info:
        run(c.complete(ASK))
    assert sleeps.delays == [] and len(stub.requests) == 1
    assert "\n" not in str(info.value) and "sk-test-0123456789" not in str(info.value)


def test_timeout_then_unreachable(stub: StubServer) -> None:
    stub.script(Reply("too late", delay=2))
    c, _ = client(stub, retries=0, timeout=0.3)
    with pytest.raises(e.ModelTimeout, match=r"no answer within 0.3s"):
        run(c.complete(ASK))
    base = stub.base_url
    stub.stop()
    dead = OpenAIClient(
        ModelSpec(name="x", model="openai/x", api_base=base, max_retries=0), Sleeps()
    )
    with pytest.raises(e.ModelUnreachable, match="cannot connect"):
        run(dead.complete(ASK))


def test_stream_broken_mid_way_keeps_what_arrived(stub: StubServer) -> None:
    stub.script(
        Reply("a long answer that will be cut off half way", chunk_size=4, fault="drop_mid_stream"),
        Reply("unused"),
    )
    c, sleeps = client(stub)
    received: list[str] = []

    async def consume() -> None:
        async for item in c.stream(ASK):
            if isinstance(item, Delta):
                received.append(item.text)

    with pytest.raises(e.StreamBroken) as info:
        run(consume())
    assert received and info.value.partial == "".join(received)
    assert sleeps.delays == []  # text had already reached the caller: no silent retry


def test_stream_failing_before_any_text_is_retried(stub: StubServer) -> None:
    stub.script(Reply.rate_limited(retry_after=1), Reply("fine now"))
    c, sleeps = client(stub)
    items = run(collect(c))
    assert items[-1].response.text == "fine now" and sleeps.delays == [1.0]


def test_cancel_stops_a_slow_stream(stub: StubServer) -> None:
    stub.script(Reply("slow " * 50, chunk_size=5, chunk_delay=0.2))
    c, _ = client(stub)

    async def go() -> float:
        task = asyncio.create_task(collect(c))
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.perf_counter() - started

    assert run(go()) < 1.0


def test_backoff_has_jitter_and_a_ceiling() -> None:
    error = e.ServerError("x")
    assert backoff(0, error, lambda: 0.0) == 0.25 and backoff(0, error, lambda: 1.0) == 0.5
    assert backoff(10, error, lambda: 1.0) == 20.0
    assert backoff(0, e.RateLimited("x", retry_after=7), lambda: 0.0) == 7.0
    assert backoff(0, e.RateLimited("x", retry_after=9999), lambda: 0.0) == 60.0


def test_routing_and_profiles() -> None:
    settings = Settings.model_validate(
        {
            "models": {
                "local": {
                    "model": "qwen2.5:7b",
                    "api_base": "http://localhost:11434/v1",
                    "timeout": 5,
                }
            }
        }
    )
    local = resolve_model("local", settings)
    assert local.route == "openai" and local.sdk_model == "qwen2.5:7b" and local.timeout == 5
    assert not local.key_required
    cloud = resolve_model("openai/gpt-4o-mini", settings)
    assert cloud.route == "openai" and cloud.api_key_env == "OPENAI_API_KEY" and cloud.key_required
    for model in (
        "anthropic/claude-3-5-haiku",
        "gemini/gemini-2.0-flash",
        "ollama/llama3",
        "hosted_vllm/x",
    ):
        assert resolve_model(model, settings).route == "litellm"
    assert resolve_model("ollama_chat/llama3", settings, api_base="http://h:1/v1").route == "openai"
    overridden = resolve_model("local", settings, api_key_env="MY_KEY")
    assert overridden.api_key_env == "MY_KEY" and overridden.api_base == "http://localhost:11434/v1"
    with pytest.raises(Exception, match="not 'offline', a profile"):
        resolve_model("nonsense", settings)


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(Exception, match="environment variable OPENAI_API_KEY is not set"):
        make_client(resolve_model("openai/gpt-4o-mini", Settings()))


@pytest.fixture(scope="module")
def litellm_server() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


@pytest.fixture
def litellm_stub(litellm_server: StubServer) -> StubServer:
    litellm_server.reset()  # one server for the module (litellm is slow to import), fresh script
    return litellm_server


def test_litellm_path_through_the_stub(litellm_stub: StubServer) -> None:
    stub = litellm_stub
    stub.script(
        Reply("via litellm"),
        Reply("streamed via litellm", chunk_size=4),
        Reply.server_error(),
        Reply("retried"),
    )
    c, sleeps = client(stub, cls=LiteLLMClient)
    assert run(c.complete(ASK)).text == "via litellm"
    items = run(collect(c))
    assert "".join(i.text for i in items if isinstance(i, Delta)) == "streamed via litellm"
    assert run(c.complete(ASK)).text == "retried" and len(sleeps.delays) == 1


def test_litellm_reports_cost_when_it_knows_the_price(litellm_stub: StubServer) -> None:
    litellm_stub.script(Reply("priced"))
    spec = ModelSpec(
        name="p", model="openai/gpt-4o-mini", api_base=litellm_stub.base_url, max_retries=0
    )
    response = run(LiteLLMClient(spec, Sleeps()).complete(ASK))
    assert response.usage.cost_usd is not None and response.usage.cost_usd > 0


def test_litellm_errors_map_the_same_way(
    litellm_stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUB_KEY", "sk-litellm-canary-42")
    litellm_stub.script(Reply(status=401, content="bad key sk-litellm-canary-42"))
    c, _ = client(litellm_stub, cls=LiteLLMClient, api_key_env="STUB_KEY")
    with pytest.raises(e.AuthFailed) as info:
        run(c.complete(ASK))
    assert "sk-litellm-canary-42" not in str(info.value) and "$STUB_KEY" in str(info.value)


def test_truncated_answer_is_reported_as_such(stub: StubServer) -> None:
    stub.script(
        Reply('{"key_points": [{"id": "a", "ver', finish_reason="length"),
        Reply("cut", finish_reason="length"),
    )
    c, sleeps = client(stub)
    with pytest.raises(e.Truncated, match="cut off at the token limit") as info:
        run(c.complete(ASK))
    assert info.value.partial.startswith('{"key_points"') and sleeps.delays == []
    with pytest.raises(e.Truncated) as info:
        run(collect(c))
    assert info.value.partial == "cut"
