"""One async client interface over two libraries: the openai SDK and litellm.

`complete()` returns a whole answer; `stream()` yields `Delta`s then one `StreamEnd`. Both
retry what can pass (a stream only while nothing has arrived yet) and raise `ModelError`s
with one-line messages. Cancelling the awaiting task closes the request.
"""

import asyncio
import importlib
import json
import logging
import os
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import Any

from interviewer.llm import errors as e
from interviewer.llm.ratelimit import RateGate
from interviewer.llm.retry import Sleep, with_retries
from interviewer.llm.secrets import read_key, scrub
from interviewer.llm.spec import ModelSpec
from interviewer.llm.types import ChatRequest, ChatResponse, Delta, StreamEnd, Usage

log = logging.getLogger("interviewer.llm")
NO_KEY = "sk-no-key-needed"  # local OpenAI-compatible servers ignore it; the SDK wants one


def _retry_after(exc: Any) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
        if message:
            return scrub(str(message))[:200]
    return scrub(str(getattr(exc, "message", "") or exc))[:200]


def map_error(exc: BaseException, spec: ModelSpec) -> e.ModelError:
    """A library exception as a one-line ModelError that says what to do (never the key)."""
    import openai  # both libraries raise openai's exception types (litellm subclasses them)

    label, status = spec.label, getattr(exc, "status_code", None)
    key_hint = f"the key in ${spec.api_key_env}" if spec.api_key_env else "the API key"
    if isinstance(exc, openai.APITimeoutError) or "timeout" in type(exc).__name__.lower():
        return e.ModelTimeout(
            f"{label}: no answer within {spec.timeout:g}s; "
            "check the server or raise `timeout` in the profile"
        )
    if isinstance(exc, openai.APIConnectionError):
        return e.ModelUnreachable(
            f"{label}: cannot connect; is the server running and the address right?"
        )
    if isinstance(exc, openai.RateLimitError) or status == 429:
        return e.RateLimited(
            f"{label}: rate limited (429); wait or lower concurrency", _retry_after(exc)
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError) or status in (
        401,
        403,
    ):
        return e.AuthFailed(
            f"{label}: {key_hint} was rejected ({status}); check it is set and valid"
        )
    if isinstance(exc, openai.APIStatusError) or status is not None:
        if status is not None and status >= 500:
            return e.ServerError(f"{label}: server error ({status}): {_server_message(exc)}")
        return e.BadRequest(f"{label}: request refused ({status}): {_server_message(exc)}")
    if isinstance(exc, json.JSONDecodeError | ValueError | openai.APIResponseValidationError):
        return e.BadResponse(
            f"{label}: the server's answer is not a valid chat completion ({scrub(str(exc))[:120]})"
        )
    return e.ModelError(f"{label}: {type(exc).__name__}: {scrub(str(exc))[:200]}")


class ModelClient(ABC):
    def __init__(self, spec: ModelSpec, sleep: Sleep = asyncio.sleep) -> None:
        self.spec = spec
        self.sleep = sleep
        self.key = read_key(spec.api_key_env, spec.key_required, spec.model)
        # shared by every request through this client: a 429 pauses all of them, not just one
        self.gate = RateGate()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return await with_retries(
            lambda: self._guarded_complete(request),
            self.spec.max_retries,
            self.sleep,
            self._log_retry,
        )

    async def stream(self, request: ChatRequest) -> AsyncIterator[Delta | StreamEnd]:
        attempt = 0
        while True:
            received = False
            try:
                async for item in self._guarded_stream(request):
                    received = True
                    yield item
                return
            except e.ModelError as exc:
                # once text has reached the caller a retry would repeat it: report instead
                if received or not exc.retryable or attempt >= self.spec.max_retries:
                    raise
                from interviewer.llm.retry import backoff

                delay = backoff(attempt, exc)
                self._log_retry(attempt + 1, exc, delay)
                attempt += 1
                await self.sleep(delay)

    def _log_retry(self, attempt: int, exc: e.ModelError, delay: float) -> None:
        log.info("retry %d for %s in %.2fs after: %s", attempt, self.spec.label, delay, exc)

    async def _through_gate(self) -> None:
        await self.gate.wait()

    def _rate_limited(self, error: e.ModelError) -> None:
        if isinstance(error, e.RateLimited):
            from interviewer.llm.retry import backoff

            self.gate.pause(backoff(0, error))

    async def _guarded_complete(self, request: ChatRequest) -> ChatResponse:
        await self._through_gate()
        started = time.perf_counter()
        log.info(
            "request %s route=%s stream=no %s", self.spec.label, self.spec.route, _describe(request)
        )
        try:
            response = await self._complete(request)
        except e.ModelError as error:
            self._rate_limited(error)
            raise
        except Exception as exc:  # library errors become ModelErrors with a message to act on
            error = map_error(exc, self.spec)
            self._rate_limited(error)
            log.info(
                "failed %s after %.0fms: %s",
                self.spec.label,
                (time.perf_counter() - started) * 1000,
                error,
            )
            raise error from None
        if response.finish_reason == "length":
            raise e.Truncated(
                f"{self.spec.label}: the answer was cut off at the token limit; raise max_tokens",
                response.text,
            )
        if not response.text.strip():
            raise e.BadResponse(
                f"{self.spec.label}: the model returned an empty answer "
                f"(finish: {response.finish_reason})"
            )
        log.info(
            "response %s %dms tokens=%s/%s finish=%s",
            self.spec.label,
            response.latency_ms,
            response.usage.prompt_tokens,
            response.usage.completion_tokens,
            response.finish_reason,
        )
        return response

    async def _guarded_stream(self, request: ChatRequest) -> AsyncIterator[Delta | StreamEnd]:
        await self._through_gate()
        log.info(
            "request %s route=%s stream=yes %s",
            self.spec.label,
            self.spec.route,
            _describe(request),
        )
        parts: list[str] = []
        try:
            async for item in self._stream(request):
                if isinstance(item, Delta):
                    parts.append(item.text)
                elif item.response.finish_reason == "length":
                    raise e.Truncated(
                        f"{self.spec.label}: the answer was cut off at the token limit; "
                        "raise max_tokens",
                        "".join(parts),
                    )
                elif not "".join(parts).strip():
                    raise e.BadResponse(f"{self.spec.label}: the model streamed an empty answer")
                yield item
        except e.ModelError as error:
            self._rate_limited(error)
            raise
        except Exception as exc:
            error = map_error(exc, self.spec)
            self._rate_limited(error)
            if parts:  # it broke after starting: say so, keep what arrived
                raise e.StreamBroken(
                    f"{self.spec.label}: the stream broke after "
                    f"{len(''.join(parts))} characters ({error})",
                    "".join(parts),
                ) from None
            raise error from None

    def _stream_end(
        self, parts: list[str], model: str, finish: str | None, usage: Usage, started: float
    ) -> StreamEnd:
        """The whole answer once a stream is over; one that never finished is broken."""
        if finish is None:
            raise e.StreamBroken(
                f"{self.spec.label}: the stream ended without finishing", "".join(parts)
            )
        latency = int((time.perf_counter() - started) * 1000)
        return StreamEnd(ChatResponse("".join(parts), model, finish, usage, latency))

    @abstractmethod
    async def _complete(self, request: ChatRequest) -> ChatResponse: ...

    @abstractmethod
    def _stream(self, request: ChatRequest) -> AsyncIterator[Delta | StreamEnd]: ...


def _describe(request: ChatRequest) -> str:
    chars = sum(len(m.get("content", "")) for m in request.messages)
    fmt = (request.response_format or {}).get("type", "text")
    return f"messages={len(request.messages)} chars={chars} format={fmt}"


def _options(spec: ModelSpec, request: ChatRequest) -> dict[str, Any]:
    options: dict[str, Any] = {"messages": request.messages, "temperature": request.temperature}
    if request.max_tokens or spec.max_tokens:
        options["max_tokens"] = request.max_tokens or spec.max_tokens
    if request.response_format is not None:
        options["response_format"] = request.response_format
    return options


class OpenAIClient(ModelClient):
    """OpenAI and every OpenAI-compatible endpoint, through the openai SDK."""

    def __init__(self, spec: ModelSpec, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(spec, sleep)
        self._sdk: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _sdk_client(self) -> Any:
        """The SDK client of the running event loop (its connection pool belongs to one loop);
        the first use imports openai in a thread, so an event loop never waits on it."""
        loop = asyncio.get_running_loop()
        if self._sdk is None or self._loop is not loop:
            openai = await asyncio.to_thread(importlib.import_module, "openai")
            # the SDK's own retries are off: ours honour Retry-After and stay within max_retries
            self._sdk = openai.AsyncOpenAI(
                base_url=self.spec.api_base,
                api_key=self.key or NO_KEY,
                timeout=self.spec.timeout,
                max_retries=0,
            )
            self._loop = loop
        return self._sdk

    async def _complete(self, request: ChatRequest) -> ChatResponse:
        started = time.perf_counter()
        raw = await (await self._sdk_client()).chat.completions.create(
            model=self.spec.sdk_model, **_options(self.spec, request)
        )
        if not getattr(raw, "choices", None):
            raise e.BadResponse(f"{self.spec.label}: the answer has no choices")
        choice = raw.choices[0]
        usage = raw.usage
        return ChatResponse(
            text=choice.message.content or "",
            model=raw.model or self.spec.sdk_model,
            finish_reason=choice.finish_reason,
            usage=Usage(usage.prompt_tokens, usage.completion_tokens) if usage else Usage(),
            latency_ms=int((time.perf_counter() - started) * 1000),
        )

    async def _stream(self, request: ChatRequest) -> AsyncIterator[Delta | StreamEnd]:
        started = time.perf_counter()
        stream = await (await self._sdk_client()).chat.completions.create(
            model=self.spec.sdk_model,
            stream=True,
            stream_options={"include_usage": True},
            **_options(self.spec, request),
        )
        parts, finish, usage, model = [], None, Usage(), self.spec.sdk_model
        async with stream:
            async for chunk in stream:
                model = chunk.model or model
                if chunk.usage:
                    usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                for choice in chunk.choices or []:
                    if choice.delta and choice.delta.content:
                        parts.append(choice.delta.content)
                        yield Delta(choice.delta.content)
                    finish = choice.finish_reason or finish
        yield self._stream_end(parts, model, finish, usage, started)


def import_litellm() -> Any:
    """litellm, imported on first use only: it takes seconds and, unless told to use its local
    price map, tries to download one (offline: long stalls)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


class LiteLLMClient(ModelClient):
    """Every other provider (anthropic/, gemini/, ollama/, hosted_vllm/, ...) through litellm."""

    def __init__(self, spec: ModelSpec, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(spec, sleep)
        self._litellm: Any = None

    async def _lib(self) -> Any:
        """litellm, imported in a thread on first use (it takes seconds)."""
        if self._litellm is None:
            self._litellm = await asyncio.to_thread(import_litellm)
        return self._litellm

    def _kwargs(self, request: ChatRequest) -> dict[str, Any]:
        kwargs = _options(self.spec, request) | {
            "model": self.spec.model,
            "timeout": self.spec.timeout,
            "num_retries": 0,
        }
        if self.spec.api_base:
            kwargs["api_base"] = self.spec.api_base
        if self.key:
            kwargs["api_key"] = self.key
        elif self.spec.api_base:  # an OpenAI-compatible server that takes no key
            kwargs["api_key"] = NO_KEY
        return kwargs

    def _cost(self, raw: Any) -> float | None:
        try:
            return float(self._litellm.completion_cost(completion_response=raw))
        except Exception:  # unknown price: not an error
            return None

    async def _complete(self, request: ChatRequest) -> ChatResponse:
        started = time.perf_counter()
        raw = await (await self._lib()).acompletion(**self._kwargs(request))
        if not getattr(raw, "choices", None):
            raise e.BadResponse(f"{self.spec.label}: the answer has no choices")
        choice = raw.choices[0]
        usage = getattr(raw, "usage", None)
        return ChatResponse(
            text=choice.message.content or "",
            model=getattr(raw, "model", None) or self.spec.model,
            finish_reason=choice.finish_reason,
            usage=Usage(
                getattr(usage, "prompt_tokens", None),
                getattr(usage, "completion_tokens", None),
                self._cost(raw),
            ),
            latency_ms=int((time.perf_counter() - started) * 1000),
        )

    async def _stream(self, request: ChatRequest) -> AsyncIterator[Delta | StreamEnd]:
        started = time.perf_counter()
        stream = await (await self._lib()).acompletion(
            **self._kwargs(request), stream=True, stream_options={"include_usage": True}
        )
        parts, finish, usage = [], None, Usage()
        async for chunk in stream:
            if getattr(chunk, "usage", None):
                usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
            for choice in chunk.choices or []:
                text = getattr(choice.delta, "content", None) if choice.delta else None
                if text:
                    parts.append(text)
                    yield Delta(text)
                finish = choice.finish_reason or finish
        yield self._stream_end(parts, self.spec.model, finish, usage, started)


def make_client(spec: ModelSpec, sleep: Sleep = asyncio.sleep) -> ModelClient:
    return OpenAIClient(spec, sleep) if spec.route == "openai" else LiteLLMClient(spec, sleep)
