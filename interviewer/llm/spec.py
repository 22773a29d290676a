"""Which model, where, and how: a profile or a `provider/model` string, routed to a client.

Routing: `openai/*`, or any model given with an api_base, goes through the openai SDK (OpenAI
and every OpenAI-compatible server: Ollama /v1, llama.cpp, vLLM, LM Studio, a LiteLLM proxy);
every other `provider/model` goes through litellm.
"""

import re
from dataclasses import dataclass
from typing import Literal

from interviewer.errors import UsageError
from interviewer.settings import ModelProfile, Settings, redact_url

Route = Literal["openai", "litellm"]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
Structured = Literal["json_schema", "json_object", "prompt", "auto"]


@dataclass(frozen=True)
class ModelSpec:
    name: str  # the profile name, or the model string when no profile was used
    model: str  # as configured: "openai/gpt-4o-mini", "anthropic/claude-...", "qwen2.5:7b"
    api_base: str | None = None
    api_key_env: str | None = None
    structured: Structured = "auto"
    timeout: float = 60.0
    max_retries: int = 2
    temperature: float = 0.0
    max_tokens: int | None = None

    @property
    def route(self) -> Route:
        return "openai" if self.model.startswith("openai/") or self.api_base else "litellm"

    @property
    def sdk_model(self) -> str:
        """The model name the openai SDK sends (without the routing prefix)."""
        return self.model.removeprefix("openai/")

    @property
    def key_required(self) -> bool:
        # OpenAI itself needs a key; a local OpenAI-compatible server usually does not
        return self.route == "openai" and self.api_base is None

    @property
    def label(self) -> str:
        where = f" at {redact_url(self.api_base)}" if self.api_base else ""
        shown = self.model if self.name == self.model else f"{self.name} ({self.model})"
        return f"{shown}{where}"


def resolve_model(
    name: str, settings: Settings, api_base: str | None = None, api_key_env: str | None = None
) -> ModelSpec:
    """A profile from the settings, or an ad-hoc `provider/model`; flags override the profile."""
    name = name.strip()
    profile = settings.models.get(name)
    if profile is None:
        if "/" not in name and not api_base:
            known = ", ".join(sorted(settings.models)) or "none configured"
            raise UsageError(
                f"--grader {name}: not 'offline', a profile ({known}) or a provider/model name"
            )
        profile = ModelProfile(model=name)
    data = profile.model_dump()
    if api_base:
        data["api_base"] = api_base
    if api_key_env:
        if not _ENV_NAME.fullmatch(api_key_env) or len(api_key_env) > 64:
            # never echo it: it may be the key itself, pasted where its variable's name belongs
            raise UsageError(
                "--api-key-env: not an environment variable name "
                "(give the NAME of the variable that holds the key)"
            )
        data["api_key_env"] = api_key_env
    if data["model"].startswith("openai/") and not data["api_base"] and not data["api_key_env"]:
        data["api_key_env"] = "OPENAI_API_KEY"
    return ModelSpec(name=name, **data)
