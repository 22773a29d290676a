"""API keys: read from the environment variable a profile names, and scrubbed from any text
that could reach a transcript, a log, an export or an error message."""

import os
import re

from interviewer.errors import ConfigError

# Things that look like keys even when we were not told them (a server echoing a header).
_KEY_LIKE = re.compile(
    r"\b(sk|rk|pk|key|gsk|xai|hf)[-_][A-Za-z0-9_\-]{8,}|\bAIza[A-Za-z0-9_\-]{20,}|\bBearer\s+\S+",
    re.I,
)
MASK = "***"
_known: set[str] = set()


def read_key(env_name: str | None, required: bool, model: str) -> str | None:
    """The key held by `env_name`; remembered so that it is scrubbed from every message."""
    if not env_name:
        if required:
            raise ConfigError(
                f"{model}: no API key configured; set api_key_env in the profile "
                "(or --api-key-env NAME) to the name of the environment variable holding it"
            )
        return None
    value = os.environ.get(env_name, "").strip()
    if not value:
        if required:
            raise ConfigError(
                f"{model}: environment variable {env_name} is not set (it should hold the API key)"
            )
        return None
    if len(value) >= 6:
        _known.add(value)
    return value


def scrub(text: str) -> str:
    """Remove every key we have read, and anything shaped like a key, from `text`."""
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _KEY_LIKE.sub(MASK, text)
