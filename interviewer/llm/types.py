"""What a model client takes and returns, whichever library sits underneath."""

from dataclasses import dataclass, field
from typing import Any, Literal

StructuredMode = Literal["json_schema", "json_object", "prompt"]


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None  # where litellm knows the price


@dataclass(frozen=True)
class ChatRequest:
    messages: list[dict[str, str]]
    temperature: float = 0.0
    max_tokens: int | None = None
    # response_format as OpenAI spells it: {"type": "json_schema", "json_schema": {...}} or
    # {"type": "json_object"}; None for plain text (and the "prompt" structured mode)
    response_format: dict[str, Any] | None = None


@dataclass(frozen=True)
class ChatResponse:
    text: str
    model: str
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    latency_ms: int = 0


@dataclass(frozen=True)
class Delta:
    """A piece of a streamed answer."""

    text: str


@dataclass(frozen=True)
class StreamEnd:
    """The end of a stream: what arrived in total, and the usage if the server sent it."""

    response: ChatResponse
